"""``coordboard task stage add / list / edit / reached / remove``: a task's stages (阶段节点)."""

from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import emit
from coordboard.cli.parsing import department, parse_date
from coordboard.i18n import t

FORMATS = click.Choice(["table", "json", "csv"])


def _write(obj: CliContext, code: str, call: Any) -> Any:
    """Run one of ``workflow``'s stage actions with the version this command started from."""
    from coordboard.services.tasks import task_by_code

    actor = obj.actor()
    with obj.database().read() as session:
        seen = task_by_code(session, code).version
    with obj.database().write() as session:
        return call(session, actor, seen)


@click.group("stage")
def stage() -> None:
    """A task's dated stages (阶段节点), each with the unit responsible."""


@stage.command("add")
@click.argument("code")
@click.option("--title", required=True)
@click.option("--due", required=True, metavar="YYYY-MM-DD")
@click.option("--unit", required=True, help="The unit responsible (one of the task's units).")
@click.pass_obj
def add(obj: CliContext, code: str, title: str, due: str, unit: str) -> None:
    """Add a stage (office)."""
    from coordboard.services import workflow

    day = parse_date(due, "--due")
    assert day is not None

    def call(session: Any, actor: Any, seen: int) -> Any:
        return workflow.add_stage(session, actor=actor, code=code, settings=obj.settings,
                                  title=title, due=day, department_id=department(session, unit),
                                  seen_version=seen).seq

    seq = _write(obj, code, call)
    click.echo(t("cli.stage_added", code=code.strip().upper(), stage=seq))


@stage.command("edit")
@click.argument("code")
@click.argument("seq", type=click.IntRange(1))
@click.option("--title")
@click.option("--due", metavar="YYYY-MM-DD")
@click.option("--unit")
@click.pass_obj
def edit(obj: CliContext, code: str, seq: int, title: str | None, due: str | None,
         unit: str | None) -> None:
    """Change a stage's title, day or unit (office)."""
    from coordboard.services import workflow

    def call(session: Any, actor: Any, seen: int) -> Any:
        return workflow.edit_stage(session, actor=actor, code=code, settings=obj.settings,
                                   seq=seq, title=title, due=parse_date(due, "--due"),
                                   department_id=department(session, unit) if unit else None,
                                   seen_version=seen)

    _write(obj, code, call)
    click.echo(t("cli.stage_edited", code=code.strip().upper(), stage=seq))


@stage.command("remove")
@click.argument("code")
@click.argument("seq", type=click.IntRange(1))
@click.pass_obj
def remove(obj: CliContext, code: str, seq: int) -> None:
    """Remove a stage (office)."""
    from coordboard.services import workflow

    _write(obj, code, lambda session, actor, seen: workflow.remove_stage(
        session, actor=actor, code=code, settings=obj.settings, seq=seq, seen_version=seen))
    click.echo(t("cli.stage_removed", code=code.strip().upper(), stage=seq))


@stage.command("reached")
@click.argument("code")
@click.argument("seq", type=click.IntRange(1))
@click.option("--note", "report", default="", help="What was done (完成情况).")
@click.pass_obj
def reached(obj: CliContext, code: str, seq: int, report: str) -> None:
    """Mark a stage reached (the responsible unit's head, or the office)."""
    from coordboard.services import workflow

    _write(obj, code, lambda session, actor, seen: workflow.reach_stage(
        session, actor=actor, code=code, settings=obj.settings, seq=seq, report=report,
        seen_version=seen))
    click.echo(t("cli.stage_reached", code=code.strip().upper(), stage=seq))


def stage_rows(obj: CliContext, lines: list[Any]) -> list[list[Any]]:
    """Rows of ``task stage list`` and ``task show``: number, day, title, unit, state, report."""
    from coordboard import clock
    from coordboard.services.lights import number

    today = obj.today()
    rows = []
    for line in lines:
        if line.reached_at is not None:
            state = t("stage.reached", day=clock.local(line.reached_at, obj.settings.timezone)
                      .format("YYYY-MM-DD"))
        else:
            state = t("stage.late") if line.is_late(today) else t("stage.pending")
        rows.append([number(line.seq), line.due.isoformat(), line.title, line.unit, state,
                     line.report])
    return rows


STAGE_KEYS = ["stage", "due", "stage_title", "unit", "stage_state", "report"]


@stage.command("list")
@click.argument("code")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_stages(obj: CliContext, code: str, fmt: str) -> None:
    """A task's stages, in their numbered order."""
    from coordboard.services import stages, tasks
    from coordboard.services.permissions import authorize

    authorize(obj.actor(), "view")
    with obj.database().read() as session:
        lines = stages.stages_of(session, tasks.task_by_code(session, code))
    if not lines and fmt == "table":
        click.echo(t("cli.stage_none", code=code.strip().upper()))
        return
    rows = stage_rows(obj, lines)
    if fmt == "json":  # the number as a number, the state as data
        rows = [[line.seq, *row[1:4], line.reached_at.isoformat() if line.reached_at else None,
                 row[5]] for line, row in zip(lines, rows, strict=True)]
    emit(fmt, [t(f"cli.col.{key}") for key in STAGE_KEYS], STAGE_KEYS, rows)
