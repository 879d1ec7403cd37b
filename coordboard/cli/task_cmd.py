"""``coordboard task``: every step of a task's life from the command line."""

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import click

from coordboard.cli.attach_cmd import attach, attachment, attachments_cmd
from coordboard.cli.context import CliContext
from coordboard.cli.filters import board_filter, board_filter_options
from coordboard.cli.lang import Named
from coordboard.cli.output import emit, render_table, say
from coordboard.cli.parsing import PAGE, parse_date
from coordboard.cli.stage_cmd import STAGE_KEYS, stage, stage_rows
from coordboard.cli.task_common import act, unit_arg, warn_day_off, warn_unofficial
from coordboard.cli.task_steps import STEPS
from coordboard.i18n import t

FORMATS = click.Choice(["table", "json", "csv"])
# The sources (coordboard.enums.TaskSource), written out: the enums module is not worth
# importing for ``--help``; a test checks the two agree. A code or a name in either language.
SOURCES = ("instruction", "meeting", "superior", "deputies", "complaint", "annual_report",
           "inspection", "other")
SOURCE = Named.prefixed(SOURCES, "source.")


def _instruction_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--instruction-by", help="Leader who gave the instruction (批示领导)."),
        click.option("--instruction-date", metavar="YYYY-MM-DD",
                     help="Day of the instruction (批示日期)."),
        click.option("--instruction-text", help="The instruction's words (批示内容)."),
    ]):
        command = option(command)
    return command


def _instruction_date(value: str | None) -> date | None:
    """``--instruction-date``: a day, or "" to clear it (on edit)."""
    return None if value is None or not value.strip() else parse_date(value, "--instruction-date")


@click.group()
def task() -> None:
    """Supervision tasks (督办事项)."""


for _command in (attach, attachments_cmd, attachment, stage, *STEPS):
    task.add_command(_command)


@task.command("add")
@click.option("--title", required=True)
@click.option("--lead", required=True, metavar="UNIT[:PART]", help="Lead unit and its part.")
@click.option("--support", multiple=True, metavar="UNIT:PART", help="A supporting unit (repeatable).")
@click.option("--deadline", metavar="YYYY-MM-DD")
@click.option("--workdays", type=int, help="Deadline in working days from dispatch.")
@click.option("--description", default="")
@click.option("--source", default="other", type=SOURCE)
@_instruction_options
@click.option("--category", default="")
@click.option("--priority", default="normal")
@click.option("--leader", default="", help="Responsible leader (责任领导): a leader user's "
              "username or name (see `user list --role leader`).")
@click.option("--dispatch", "dispatch_now", is_flag=True, help="Dispatch right away.")
@click.pass_obj
def add(obj: CliContext, title: str, lead: str, support: tuple[str, ...], deadline: str | None,
        workdays: int | None, description: str, source: str, category: str, priority: str,
        leader: str, dispatch_now: bool, instruction_by: str | None,
        instruction_date: str | None, instruction_text: str | None) -> None:
    """Register a task (a draft until dispatched)."""
    from coordboard.services import tasks
    from coordboard.services.permissions import authorize
    from coordboard.services.sources import Instruction
    from coordboard.services.tasks import UnitAssignment
    from coordboard.services.workflow import dispatch

    actor = obj.actor()
    authorize(actor, "register")
    with obj.database().write() as session:
        lead_id, lead_part = unit_arg(session, lead)
        supporters = [UnitAssignment(*unit_arg(session, s)) for s in support]
        created = tasks.register(
            session, actor_id=actor.user_id, title=title, lead=UnitAssignment(lead_id, lead_part),
            supporters=supporters, deadline=parse_date(deadline, "--deadline"), workdays=workdays,
            description=description, source=source, category=category, priority=priority,
            leader=leader, today=obj.today(), settings=obj.settings,
            instruction=Instruction(instruction_by or "", _instruction_date(instruction_date),
                                    instruction_text or ""))
        code = created.code
        if dispatch_now:
            # One transaction, as in the TUI: a refused dispatch leaves no draft behind.
            dispatch(session, actor=actor, code=code, settings=obj.settings)
    click.echo(t("cli.task_added", code=code))
    warn_unofficial(obj, code)
    if dispatch_now:
        click.echo(t("cli.done", action=t("action.dispatch"), code=code))


@task.command("list")
@board_filter_options
@click.option("--mine", is_flag=True, help="A leader: the tasks you answer for.")
@click.option("--page", type=PAGE, default=1)
@click.option("--page-size", type=click.IntRange(1, 10_000), default=50)
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def list_tasks(obj: CliContext, page: int, page_size: int, fmt: str, mine: bool,
               **options: Any) -> None:
    """List tasks with their lights, filtered, sorted and paged in the database.
    With --mine, a leader's own tasks as their home shows them: open first, reds first."""
    from coordboard.services import board, leader_home
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    with obj.database().read() as session:
        flt = board_filter(session, options)
        ctx = LightContext.build(obj.settings, load_calendar(session))
        if mine:  # other filters narrow it; the order is the home's
            home = leader_home.my_tasks(session, leader_home.mine_of(obj.actor()), ctx, flt,
                                        offset=(page - 1) * page_size, limit=page_size)
            result = board.BoardPage(home.rows, home.total, (page - 1) * page_size)
        else:
            result = board.page(session, flt, ctx, offset=(page - 1) * page_size,
                                limit=page_size)
    last = max(1, -(-result.total // page_size))
    if page > last:
        from coordboard.errors import ValidationError

        raise ValidationError("cli.page_past_end", page=page, total=result.total, size=page_size,
                              last=last)
    keys = ["code", "light", "title", "lead", "supporters", "deadline", "workdays_left", "status",
            "reasons"]
    rows = [[r.task.code, r.verdict.light.value, r.task.title, r.lead, "、".join(r.supporters),
             r.task.deadline.isoformat(), r.verdict.workdays_left, r.task.status,
             "；".join(r.verdict.reasons)] for r in result.rows]
    if fmt != "json":  # in the reader's language, its punctuation included (JSON keeps codes)
        rows = [[r.task.code, t(f"light.{r.verdict.light.value}"), r.task.title, r.lead,
                 t("cli.choice_sep").join(r.supporters), r.task.deadline.isoformat(),
                 "—" if r.verdict.workdays_left is None else r.verdict.workdays_left,
                 t(f"status.{r.task.status}"),
                 t("cli.list_sep").join(r.verdict.reasons)] for r in result.rows]
    emit(fmt, [t(f"cli.col.{k}") for k in keys], keys, rows)
    if fmt == "table":
        click.echo(t("tui.count", total=result.total, first=min(result.offset + 1, result.total),
                     last=result.offset + len(result.rows)))


@task.command()
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def show(obj: CliContext, code: str, fmt: str) -> None:
    """Everything about one task: fields, units, light and reasons."""
    from coordboard.services import agenda, board, history, leaders, sources, stages, tasks
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    with obj.database().read() as session:
        found = tasks.task_by_code(session, code)
        lines = history.units(session, found)
        ctx = LightContext.build(obj.settings, load_calendar(session))
        verdict = board.verdict_of(session, found, ctx)
        leader, leader_is_user = leaders.describe(session, found)
        stage_lines = stages.stages_of(session, found)
        # What waits for the office's decision (closure, extension, contest), as the
        # review's agenda words it: it was only in the history.
        pending = agenda.pending_requests(session, [found.id or 0]).get(found.id or 0, [])
    data = {
        "code": found.code, "title": found.title, "status": found.status,
        "light": verdict.light.value, "reasons": list(verdict.reasons),
        "deadline": found.deadline.isoformat(), "workdays_left": verdict.workdays_left,
        # Both counts only while the clock runs (closed, suspended, waiting review: None).
        "days_left": (None if verdict.workdays_left is None
                      else (found.deadline - ctx.today).days),
        "calendar_unofficial": bool(ctx.calendar.unofficial_years([found.deadline])),
        "original_deadline": found.original_deadline.isoformat(), "leader": leader,
        "leader_is_user": leader_is_user,
        "source": found.source, "source_name": sources.label(found.source),
        "instruction_by": found.instruction_by,
        "instruction_date": found.instruction_date.isoformat() if found.instruction_date else None,
        "instruction_text": found.instruction_text, "category": found.category,
        "description": tasks.description_text(found),
        "returns": found.return_count,
        "units": [{"unit": u.department, "role": u.role, "part": u.part,
                   "acknowledged": u.acknowledged_at.isoformat() if u.acknowledged_at else None,
                   "last_feedback": u.last_feedback_at.isoformat() if u.last_feedback_at else None,
                   "contest": u.contest_state} for u in lines],
        "stages": [{"seq": s.seq, "title": s.title, "due": s.due.isoformat(), "unit": s.unit,
                    "reached": s.reached_at.isoformat() if s.reached_at else None,
                    "report": s.report} for s in stage_lines],
        "pending": [{"kind": p.kind, "text": p.text, "reason": p.reason} for p in pending],
    }
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    say(f"{found.code}  {found.title}")  # say() shows control characters visibly
    # One kind of punctuation per language: the catalogue's, never ASCII around Chinese.
    reasons = t("cli.show_reasons", reasons=t("cli.list_sep").join(verdict.reasons)) \
        if verdict.reasons else ""
    say(t("cli.show_status", status=t("status." + found.status),
          light=t("light." + verdict.light.value), reasons=reasons))
    left, days = verdict.workdays_left, (found.deadline - ctx.today).days
    if left is None:
        click.echo(t("cli.deadline_only", deadline=data["deadline"]))
    elif left < 0:
        click.echo(t("cli.deadline_overdue", deadline=data["deadline"], workdays=-left,
                     days=-days))
    else:
        click.echo(t("cli.deadline_line", deadline=data["deadline"], workdays=left, days=days))
    if data["calendar_unofficial"]:
        click.echo(t("cli.calendar_unofficial", year=found.deadline.year))
    for request in pending:  # the unit's reason as typed, shown literally
        say(t("cli.show_pending", request=request.text)
            + (t("tui.review.waiting_reason", reason=request.reason) if request.reason else ""))
    # Typed text (the instruction's leader and words, the category) through say(): control
    # characters are shown, not obeyed.
    say(t("cli.show_source", source=sources.described(found.source, found.instruction_by,
                                                      found.instruction_date),
          category=found.category or "—"))
    if found.instruction_text:
        say(t("cli.show_instruction", text=found.instruction_text))
    if leader:
        say(t("cli.show_leader", name=leader + ("" if leader_is_user else t("leader.not_a_user"))))
    click.echo(render_table(
        [t("cli.col.unit"), t("cli.col.role"), t("cli.col.part"), t("cli.col.acknowledged"),
         t("cli.col.last_feedback")],
        [[u.department, t(f"unit_role.{u.role}"), u.part,
          _local(obj, u.acknowledged_at), _local(obj, u.last_feedback_at)] for u in lines]))
    if stage_lines:
        click.echo(t("cli.stages_heading"))
        click.echo(render_table([t(f"cli.col.{key}") for key in STAGE_KEYS],
                                stage_rows(obj, stage_lines)))


def _local(obj: CliContext, moment: Any) -> str:
    import pendulum

    if moment is None:
        return "—"
    return pendulum.instance(moment).in_timezone(obj.settings.timezone).format("YYYY-MM-DD HH:mm")


@task.command("history")
@click.argument("code")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def history_cmd(obj: CliContext, code: str, fmt: str) -> None:
    """The timeline as sentences, oldest first; notes carry the number ``respond`` takes."""
    from coordboard.services import detail, tasks

    with obj.database().read() as session:
        entries = detail.described_timeline(session, tasks.task_by_code(session, code))
    if fmt == "table":
        this_year = obj.today().year
        for entry, sentence in entries:
            say(t("cli.history_line", when=_when(obj, entry.at, this_year), who=who(entry),
                  what=sentence))
        return
    keys = ["time", "actor", "unit", "action", "note", "text", "detail"]
    rows = [[_local(obj, e.at), e.actor, e.actor_unit, e.action, e.note_id, sentence,
             json.dumps(e.detail, ensure_ascii=False, default=str)]
            for e, sentence in entries]
    headers = [t(f"cli.col.{key}") for key in keys]
    if fmt == "csv":  # the action in words; JSON keeps the data as stored
        rows = [[*row[:3], _action_word(str(row[3])), *row[4:]] for row in rows]
    emit(fmt, headers, keys, rows)


def _action_word(action: str) -> str:
    from coordboard.i18n import CATALOGUES

    key = f"action.{action}"
    return t(key) if key in CATALOGUES["zh"] else action


def who(entry: Any) -> str:
    """The actor as the office says it: unit (or role) and name, "法治办 王督查"; a name that
    already starts with its unit (the demo's "法治办 王督查") is not prefixed twice."""
    unit = entry.actor_unit or (t(f"role.{entry.actor_role}") if entry.actor_role else "")
    if unit and entry.actor.startswith(unit):
        return str(entry.actor)
    return " ".join(part for part in (unit, entry.actor) if part) or t("cli.history_nobody")


def _when(obj: CliContext, moment: Any, this_year: int) -> str:
    """"11-20 09:12" this year, "2025-11-20 09:12" before."""
    text = _local(obj, moment)
    return text[5:] if text.startswith(f"{this_year}-") else text


@task.command("edit")
@click.argument("code")
@click.option("--title")
@click.option("--description")
@click.option("--category")
@click.option("--priority")
@click.option("--leader")
@click.option("--source", type=SOURCE)
@_instruction_options
@click.option("--deadline", metavar="YYYY-MM-DD", help="Drafts only; later use extend/decide.")
@click.pass_obj
def edit_cmd(obj: CliContext, code: str, deadline: str | None, instruction_date: str | None,
             **fields: str | None) -> None:
    """Office: change a task's fields. An empty value clears an instruction field."""
    from coordboard.services import workflow

    changes: workflow.TaskChanges = {}
    for name in ("title", "description", "category", "priority", "leader", "source",
                 "instruction_by", "instruction_text"):
        value = fields.get(name)
        if value is not None:
            changes[name] = value
    if instruction_date is not None:
        changes["instruction_date"] = _instruction_date(instruction_date)
    day = parse_date(deadline, "--deadline")
    if day is not None:
        changes["deadline"] = day
    act(obj, code, "edit", partial(workflow.edit, changes=changes))
    warn_day_off(obj, day, "notice.field.deadline")
