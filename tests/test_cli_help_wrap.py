"""``--help`` in Chinese fits the terminal and breaks lines as Chinese text is broken: click
counted characters (a Chinese one takes two columns) and broke only at spaces, so a line
ran to twice the terminal's width and "。" started a line of its own."""

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli_language import _commands

from coordboard.cli import main
from coordboard.cli.help_format import NO_LINE_END, NO_LINE_START, width, wrap_text

COLUMNS = 80


def _check_lines(text: str, limit: int) -> None:
    for line in text.splitlines():
        body = line.strip()
        if not body:
            continue
        assert body[0] not in NO_LINE_START, line
        assert body[-1] not in NO_LINE_END, line


@pytest.mark.parametrize("path", _commands(main), ids=lambda path: " ".join(path) or "main")
def test_every_chinese_help_fits_80_columns(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["--lang", "zh", *path, "--help"], prog_name="coordboard",
                                env={"COLUMNS": str(COLUMNS)})
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        if width(line) != len(line):  # a line with Chinese in it (click's own lines aside)
            assert width(line) <= COLUMNS, (path, line)
    _check_lines(result.output, COLUMNS)


def test_a_long_chinese_sentence_is_filled_by_width_and_breaks_by_the_rules() -> None:
    text = ("登录；登录凭据按数据库保存在数据目录（COORDBOARD_DATA_DIR）中只有本人可读的文件里；"
            "共用同一数据目录、登录同一数据库的人会相互替换登录。")
    wrapped = wrap_text(text, 40, "  ", "  ")
    lines = wrapped.splitlines()
    assert all(width(line) <= 40 for line in lines) and len(lines) > 2
    assert "".join(line.strip() for line in lines) == text  # nothing lost, nothing added
    assert "COORDBOARD_DATA_DIR" in wrapped  # a Latin word is never split
    _check_lines(wrapped, 40)


def test_english_is_wrapped_as_click_wraps_it() -> None:
    from click.formatting import wrap_text as click_wrap

    text = "Log in; the login is kept per database in the data folder, readable by you only."
    assert wrap_text(text, 30, "  ", "  ") == click_wrap(text, 30, "  ", "  ")


CHARS = st.sampled_from(list("督办事项牵头单位配合期限反馈") + list("。，、；：）（“”…") + [" "])
WORDS = st.sampled_from([" --db ", " COORDBOARD ", " 2026-W48 ", "x"])  # words apart


@settings(max_examples=300)
@given(parts=st.lists(st.one_of(CHARS, WORDS), min_size=1, max_size=120),
       limit=st.integers(20, 90))
def test_any_text_keeps_its_characters_and_fits(parts: list[str], limit: int) -> None:
    """Whatever the mix of Chinese, marks, Latin words and spaces: nothing lost or added
    but spaces at the breaks, and no line wider than the limit (every word here is
    shorter than it)."""
    text = "".join(parts) + "督"  # at least one wide character: our wrapping, not click's
    wrapped = wrap_text(text, limit)
    assert "".join(wrapped.split()) == "".join(text.split())
    assert all(width(line) <= limit for line in wrapped.splitlines()), wrapped
