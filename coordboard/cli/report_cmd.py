"""``coordboard report``: the bulletin (DOCX/Markdown), the ledger (XLSX), the scores (XLSX)."""

from pathlib import Path
from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.cli.filters import board_filter, board_filter_options
from coordboard.cli.output import ledger_progress, render_table
from coordboard.cli.parsing import parse_date
from coordboard.errors import ValidationError
from coordboard.i18n import t


@click.group()
def report() -> None:
    """Paperwork: bulletin (督办通报), ledger (台账), scores (考核)."""


BULLETIN_SUFFIXES = (".docx", ".md")


def _target(path: str, suffixes: tuple[str, ...]) -> Path:
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise ValidationError("error.report_suffix", path=path, allowed=", ".join(suffixes))
    if not target.parent.exists():
        raise ValidationError("error.report_dir", path=str(target.parent))
    if not target.parent.is_dir():
        raise ValidationError("error.report_not_dir", path=str(target.parent))
    return target


def write_bulletin(obj: CliContext, week: str, path: str) -> None:
    from coordboard.services.reports import bulletin, bulletin_text

    actor = obj.actor()
    target = _target(path, BULLETIN_SUFFIXES)
    with obj.database().read() as session:
        data = bulletin.build(session, obj.settings, week, actor=actor)
    if target.suffix.lower() == ".md":
        bulletin_text.write_markdown(data, target)
    else:
        bulletin.to_docx(data, target, obj.settings.bulletin_template)
    click.echo(t("report.written", what=t("report.bulletin"), path=str(target)))


@report.command("bulletin")
@click.option("--week", help="ISO week, e.g. 2026-W48 (default: this week).")
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False),
              help="FILE.docx or FILE.md")
@click.pass_obj
def bulletin_cmd(obj: CliContext, week: str | None, path: str) -> None:
    """The supervision bulletin for a week."""
    from coordboard.services.review import iso_week

    write_bulletin(obj, week or iso_week(obj.today()), path)


def write_review_files(obj: CliContext, ref: str | int | None, folder: Path | None = None) -> Path:
    """The bulletin (DOCX, Markdown) and ledger of a closed review; returns the folder."""
    from coordboard import paths
    from coordboard.services import review as reviews
    from coordboard.services.reports import review_files

    folder = folder or paths.exports_dir()
    actor = obj.actor()
    with obj.database().read() as session, ledger_progress() as progress:
        # Without REF: the latest closed review, even while the next one is open.
        found = (reviews.last_closed(session) if ref in (None, "") else None) \
            or reviews.find(session, ref)
        files = review_files.write(session, obj.settings, found, folder, actor=actor,
                                   progress=progress)
    click.echo(t("report.review_written", number=files.number, folder=str(folder)))
    return folder


@report.command("review")
@click.argument("ref", required=False)
@click.option("-d", "--dir", "folder", type=click.Path(file_okay=False),
              help="Folder for the files (default: the exports folder).")
@click.pass_obj
def review_cmd(obj: CliContext, ref: str | None, folder: str | None) -> None:
    """Write (again) the bulletin and ledger of closed review REF (issue number or week;
    default: the latest)."""
    if folder is not None and not Path(folder).parent.exists():
        raise ValidationError("error.report_dir", path=str(Path(folder).parent))
    write_review_files(obj, ref, Path(folder) if folder else None)


@report.command("notice")
@click.argument("code")
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False),
              help="FILE.docx")
@click.pass_obj
def notice_cmd(obj: CliContext, code: str, path: str) -> None:
    """The supervision notice (督办通知单) of task CODE, one per task."""
    from coordboard.services.reports import notice

    target = _target(path, (".docx",))
    actor = obj.actor()
    with obj.database().read() as session:
        data = notice.build(session, obj.settings, code, actor=actor)
    notice.to_docx(data, target)
    click.echo(t("report.written", what=t("report.notice"), path=str(target)))


@report.command("urge")
@click.argument("code")
@click.option("--note", "note_id", type=int, help="The note's id (default: the latest).")
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False),
              help="FILE.docx")
@click.pass_obj
def urge_cmd(obj: CliContext, code: str, note_id: int | None, path: str) -> None:
    """The urge notice (催办通知单) or supervision letter (督办函) sent on task CODE."""
    from coordboard.services.reports import notice

    target = _target(path, (".docx",))
    with obj.database().read() as session:
        data = notice.build_urge(session, obj.settings, code, note_id, actor=obj.actor())
    notice.urge_to_docx(data, target)
    click.echo(t("report.written", what=t("report.urge"), path=str(target)))


@report.command("ledger")
@board_filter_options
@click.option("--include-drafts", is_flag=True, help="Also list drafts (not yet dispatched).")
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False),
              help="FILE.xlsx (printable) or FILE.csv (UTF-8 with BOM, for Excel)")
@click.pass_obj
def ledger_cmd(obj: CliContext, path: str, include_drafts: bool, **options: Any) -> None:
    """The ledger (台账) of every task the filters select (default: all but drafts)."""
    from coordboard.services.reports import ledger

    actor = obj.actor()
    target = _target(path, (".xlsx", ".csv"))
    with obj.database().read() as session, ledger_progress() as progress:
        done = ledger.export(session, obj.settings, board_filter(session, options), target,
                             actor=actor, include_drafts=include_drafts, progress=progress)
    said = t("report.written_rows", what=t("report.ledger"), path=str(target), rows=done.rows)
    if done.drafts_left_out:  # on the same line: one result line, for a pipe
        said += (t("tui.semicolon") + t("report.drafts_left_out", count=done.drafts_left_out)
                 + t("cli.drafts_hint"))
    click.echo(said)


@report.command("period")
@click.option("--month", help="A month, e.g. 2026-11.")
@click.option("--quarter", help="A quarter, e.g. 2026Q4.")
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False),
              help="FILE.docx (with a chart) or FILE.xlsx")
@click.pass_obj
def period_cmd(obj: CliContext, month: str | None, quarter: str | None, path: str | None) -> None:
    """Each unit's figures for a month or a quarter (月报/季报)."""
    from coordboard.services.reports import period

    actor = obj.actor()
    chosen = period.parse_period(month, quarter)
    target = _target(path, (".docx", ".xlsx")) if path else None
    with obj.database().read() as session:
        data = period.build(session, obj.settings, chosen, actor=actor)
    click.echo(data.title)
    click.echo(render_table(period.header(None), [
        [line.name, *["—" if v is None else f"{v:g}" for v in period.values(line)[1:7]],
         line.rate_text(), "—" if line.points is None else f"{line.points:g}"]
        for line in [*data.units, data.total]]))
    if target is None:
        return
    if target.suffix.lower() == ".xlsx":
        from coordboard.services.reports.period_xlsx import write_xlsx

        write_xlsx(data, target)
    else:
        from coordboard.services.reports.period_docx import write_docx

        write_docx(data, target)
    click.echo(t("report.written", what=t("report.period"), path=str(target)))


@report.command("scores")
@click.option("--from", "date_from", required=True, metavar="YYYY-MM-DD")
@click.option("--to", "date_to", required=True, metavar="YYYY-MM-DD")
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False), help="FILE.xlsx")
@click.pass_obj
def scores_cmd(obj: CliContext, date_from: str, date_to: str, path: str | None) -> None:
    """Points per department for a period, with evidence and cooperation between units."""
    from coordboard.services import scores

    actor = obj.actor()
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    assert start is not None and end is not None
    target = _target(path, (".xlsx",)) if path else None
    with obj.database().read() as session:
        board = scores.scoreboard(session, obj.settings, start, end, actor=actor)
    click.echo(t("scores.period", start=start.isoformat(), end=end.isoformat()))
    click.echo(render_table(
        [t("scores.col.rank"), t("scores.col.unit"), t("scores.col.points")]
        + [t(f"scores.rule.{rule}") for rule in scores.RULES],
        [[s.rank, s.name, f"{s.points:g}"] + [f"{s.by_rule[r]:g}" for r in scores.RULES]
         for s in board.ranking]))
    if target is not None:
        scores.write_xlsx(board, target)
        click.echo(t("report.written", what=t("report.scores"), path=str(target)))
