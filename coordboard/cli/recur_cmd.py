"""``coordboard recur``: recurring tasks (monthly and quarterly reports).

``recur run`` is meant for a scheduler (cron, the Windows Task Scheduler), like ``notify
run``: it needs no login, since it acts for nobody and only makes what the office's rules
say is due; whoever can run it already holds the database's credentials. Running it twice,
or twice at once, never makes a period twice (services/recurrence.py).
"""

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import emit, say
from coordboard.cli.parsing import ID, parse_date
from coordboard.i18n import listing, t

FORMATS = click.Choice(["table", "json", "csv"])


@click.group()
def recur() -> None:
    """Recurring tasks (周期性事项)."""


def _quarterly(value: str) -> tuple[int, int]:
    from coordboard.errors import ValidationError

    month, sep, day = value.partition(":")
    if not sep or not month.strip().isdigit() or not day.strip().isdigit():
        raise ValidationError("recur.error.quarterly_format")
    return int(month), int(day)


@recur.command("add")
@click.option("--title", required=True, help="Title pattern with {period}.")
@click.option("--lead", required=True, metavar="UNIT[:PART]")
@click.option("--support", multiple=True, metavar="UNIT:PART")
@click.option("--monthly", type=int, metavar="DAY")
@click.option("--quarterly", metavar="MONTH:DAY")
@click.option("--workdays", type=int, required=True)
@click.option("--description", default="")
@click.option("--source", default="other")
@click.option("--category", default="")
@click.option("--priority", default="normal")
@click.option("--leader", default="")
@click.option("--start", metavar="PERIOD")
@click.option("--end", metavar="PERIOD")
@click.option("--now", is_flag=True, help="Make and dispatch the current period now.")
@click.pass_obj
def add(obj: CliContext, title: str, lead: str, support: tuple[str, ...], monthly: int | None,
        quarterly: str | None, workdays: int, description: str, source: str, category: str,
        priority: str, leader: str, start: str | None, end: str | None, now: bool) -> None:
    """Create a recurring rule."""
    from coordboard.cli.task_common import unit_arg, warn_unofficial
    from coordboard.errors import ValidationError
    from coordboard.services import recurrence
    from coordboard.services.tasks import UnitAssignment

    if (monthly is None) == (quarterly is None):
        raise ValidationError("recur.error.schedule_choice")
    frequency, day, month = recurrence.MONTHLY, monthly or 0, None
    if quarterly is not None:
        month, day = _quarterly(quarterly)
        frequency = recurrence.QUARTERLY
    actor = obj.actor()
    with obj.database().write() as session:
        lead_id, lead_part = unit_arg(session, lead)
        rule, made = recurrence.create(
            session, actor=actor, title_pattern=title, lead=UnitAssignment(lead_id, lead_part),
            supporters=[UnitAssignment(*unit_arg(session, s)) for s in support],
            workdays=workdays, frequency=frequency, day=day, month_in_quarter=month,
            description=description, source=source, category=category, priority=priority,
            leader=leader, start=start, end=end, now=now, settings=obj.settings)
        line = t("recur.cli.added", rule=rule.id, schedule=recurrence.schedule_text(rule),
                 start=rule.start_period)
        made_line = t("recur.cli.made", code=made.code, title=made.title,
                      deadline=made.deadline.isoformat()) if made else None
        code = made.code if made else None
    say(line)
    if made_line and code:
        say(made_line)
        warn_unofficial(obj, code)


@recur.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_rules(obj: CliContext, fmt: str) -> None:
    """List the recurring rules."""
    from coordboard.services import recurrence

    actor = obj.actor()
    with obj.database().read() as session:
        lines = recurrence.listing(session, actor=actor,
                                   today=obj.today())
    if not lines and fmt == "table":
        say(t("recur.cli.none"))
        return
    rows = recurrence.as_rows(lines)
    keys = ["id", "title_pattern", "schedule", "lead", "workdays", "state", "start_period",
            "end_period", "made", "last_period", "next_day"]
    headers = [t("recur.col.id"), t("recur.col.title"), t("recur.col.schedule"),
               t("cli.col.lead"), t("recur.col.workdays"), t("recur.col.state"),
               t("recur.col.start"), t("recur.col.end"), t("recur.col.made"),
               t("recur.col.last"), t("recur.col.next")]
    emit(fmt, headers, keys, [
        [row["id"], row["title_pattern"], line.schedule if fmt == "table" else row["frequency"],
         row["lead"], row["workdays"],
         t(f"recur.state.{row['state']}") if fmt == "table" else row["state"],
         row["start_period"], row["end_period"], row["made"], row["last_period"],
         row["next_day"]] for row, line in zip(rows, lines, strict=True)])


def _mover(action: str) -> click.Command:
    @click.argument("rule_id", type=ID)
    @click.pass_obj
    def move(obj: CliContext, rule_id: int) -> None:
        from coordboard.services import recurrence

        actor = obj.actor()
        with obj.database().write() as session:
            getattr(recurrence, action)(session, actor=actor, rule_id=rule_id)
        say(t("recur.cli.moved", action=t(f"recur.action.{action}"), rule=rule_id))

    move.__doc__ = {"pause": "Pause a rule.", "resume": "Resume a paused rule.",
                    "end": "End a rule for good."}[action]
    return click.command(action)(move)


for _action in ("pause", "resume", "end"):
    recur.add_command(_mover(_action))


@recur.command("run")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD")
@click.pass_obj
def run(obj: CliContext, as_of: str | None) -> None:
    """Make and dispatch every due period not made yet (idempotent)."""
    from coordboard.services import recurrence

    report = recurrence.run_due(obj.database(), obj.settings,
                                as_of=parse_date(as_of, "--as-of"))
    for made in report.made:
        say(t("recur.cli.made", code=made.code, title=made.title,
              deadline=made.deadline.isoformat()))
    for rule_id, period in report.taken:
        say(t("recur.cli.taken", rule=rule_id, period=period))
    for rule_id, periods in report.skipped:
        say(t("recur.cli.skipped", rule=rule_id, periods=listing(periods)))
    for rule_id, period, reason in report.failed:
        say(t("recur.cli.failed", rule=rule_id, period=period, reason=reason), err=True)
    say(t("recur.cli.run_done", day=report.as_of.isoformat(), made=len(report.made),
          taken=len(report.taken), failed=len(report.failed)))
    if report.failed:
        raise SystemExit(1)
