"""Issue 11 item 8 through the real ``coordboard`` command: the agenda's light now, the comment
kept with an accepted closure, and a second review in a closed week confirmed with --again."""

import re

from tests.test_cli_review import Cli, _item_with, cli  # noqa: F401  (the fixture)


def test_the_review_from_the_command_line_is_exact(cli: Cli) -> None:  # noqa: F811
    cli("review", "start", "--attendees", "王主任")
    agenda = cli("review", "agenda").stdout
    closure = _item_with(agenda, "申请办结")
    cli("review", "request", closure, "accept", "--reason", "材料齐全，同意销号")
    line = next(row for row in cli("review", "agenda").stdout.splitlines()
                if row.split() and row.split()[0] == closure)
    # The light as of now: it was lit when the agenda was built; closed now.
    assert re.search(r"(绿灯|黄灯|红灯)→已办结", line), line
    assert "材料齐全，同意销号" in line
    cli("review", "close", "--force")

    refused = cli("review", "start", ok=False)
    message = refused.stderr.strip()
    assert "本周督办例会（第1期" in message and "--again" in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "没有进行中的督办例会" in cli("review", "close", ok=False).stderr  # nothing started
    again = cli("review", "start", "--again").stdout
    assert "议程" in again
    shown = cli("review", "show", "1").stdout
    assert f"{closure}. [待决请求]" in shown and "材料齐全，同意销号" in shown


def test_a_broken_office_template_still_leaves_the_ledger(cli: Cli, tmp_path) -> None:  # noqa: F811
    """Closing a review with a misspelt placeholder in the office's template: the review is
    sealed, the ledger and the Markdown bulletin are written (they do not use the template),
    and the one sentence says why the DOCX is not, without "。。"."""
    from docx import Document

    template = tmp_path / "通报模板.docx"
    document = Document()
    document.add_paragraph("第{{ isue_no }}期")
    document.save(str(template))
    cli.env["COORDBOARD_BULLETIN_TEMPLATE"] = str(template)
    cli("review", "start", "--attendees", "王主任")
    failed = cli("review", "close", "--force", ok=False)
    message = failed.stderr.strip()
    assert "“isue_no”" in message and "。。" not in message and "Traceback" not in message
    assert "coordboard report review 1" in message
    written = {path.name for path in (tmp_path / "exports").rglob("*") if path.is_file()}
    assert any(name.endswith(".xlsx") for name in written), written
    assert any(name.endswith(".md") for name in written), written
    assert not any(name.endswith(".docx") for name in written), written
