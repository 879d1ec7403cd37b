"""``coordboard task`` steps: each action of a task's life after it is registered, from
dispatch (交办) to acceptance (办结销号), with the office's notes and the units' answers."""

from functools import partial
from pathlib import Path

import click

from coordboard.cli.context import CliContext
from coordboard.cli.lang import Named
from coordboard.cli.parsing import ID, department, parse_date
from coordboard.cli.task_common import act, warn_day_off, warn_unofficial
from coordboard.i18n import t

REASON = click.option("--reason", required=True)


@click.command("dispatch")
@click.argument("code")
@click.pass_obj
def dispatch_cmd(obj: CliContext, code: str) -> None:
    """Dispatch a draft to its units (交办); a deadline in working days is counted from today."""
    from coordboard.services import workflow

    act(obj, code, "dispatch", workflow.dispatch)
    warn_unofficial(obj, code)


@click.command("ack")
@click.argument("code")
@click.pass_obj
def ack(obj: CliContext, code: str) -> None:
    """Acknowledge receipt for your unit (签收)."""
    from coordboard.services import workflow

    act(obj, code, "acknowledge", workflow.acknowledge)


@click.command("request-close")
@click.argument("code")
@click.pass_obj
def request_close(obj: CliContext, code: str) -> None:
    """Lead unit: ask the office to close the task (申请办结)."""
    from coordboard.services import workflow

    act(obj, code, "request_closure", workflow.request_closure)


@click.command("accept")
@click.argument("code")
@click.pass_obj
def accept(obj: CliContext, code: str) -> None:
    """Office: accept the closure request (办结销号)."""
    from coordboard.services import workflow

    act(obj, code, "accept", workflow.accept)


@click.command("return")
@click.argument("code")
@REASON
@click.pass_obj
def return_cmd(obj: CliContext, code: str, reason: str) -> None:
    """Office: return for rework with a reason (退回重办)."""
    from coordboard.services import workflow

    act(obj, code, "return", partial(workflow.return_for_rework, reason=reason))


@click.command("suspend")
@click.argument("code")
@REASON
@click.pass_obj
def suspend(obj: CliContext, code: str, reason: str) -> None:
    """Office: suspend with a reason (暂缓)."""
    from coordboard.services import workflow

    act(obj, code, "suspend", partial(workflow.suspend, reason=reason))


@click.command("resume")
@click.argument("code")
@click.option("--deadline", metavar="YYYY-MM-DD",
              help="A new deadline, when the suspension ran over the old one.")
@click.pass_obj
def resume(obj: CliContext, code: str, deadline: str | None) -> None:
    """Office: resume a suspended task."""
    from coordboard.services import workflow

    act(obj, code, "resume", partial(workflow.resume,
                                     new_deadline=parse_date(deadline, "--deadline")))


@click.command("withdraw")
@click.argument("code")
@REASON
@click.pass_obj
def withdraw(obj: CliContext, code: str, reason: str) -> None:
    """Office: withdraw with a reason (撤销)."""
    from coordboard.services import workflow

    act(obj, code, "withdraw", partial(workflow.withdraw, reason=reason))


@click.command()
@click.argument("code")
@click.option("--text", "body", required=True)
@click.option("--percent", type=click.IntRange(0, 100))
@click.option("--attach", "attach_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Evidence (repeatable).")
@click.pass_obj
def feedback(obj: CliContext, code: str, body: str, percent: int | None,
             attach_files: tuple[Path, ...]) -> None:
    """Report your unit's progress (进展反馈)."""
    from coordboard.services import attachments, workflow

    # Read before the write lock is taken; the report and its files are written together.
    uploads = [attachments.read_upload(path, obj.settings) for path in attach_files]
    act(obj, code, "feedback", partial(workflow.feedback, body=body, percent=percent,
                                        files=uploads))


@click.command()
@click.argument("code")
@click.option("--kind", type=Named.prefixed(["reminder", "urge", "letter"], "note."), default="urge")
@click.option("--unit", help="Addressed to one unit (default: the whole task).")
@click.option("--text", "body", required=True)
@click.option("--respond-by", metavar="YYYY-MM-DD")
@click.pass_obj
def urge(obj: CliContext, code: str, kind: str, unit: str | None, body: str,
         respond_by: str | None) -> None:
    """Office: remind, urge or send a supervision letter (提醒 / 催办 / 督办函)."""
    department_id = None
    if unit:
        with obj.database().read() as session:
            department_id = department(session, unit)
    from coordboard.services import workflow

    reply_by = parse_date(respond_by, "--respond-by")
    act(obj, code, "note", partial(workflow.note, kind=kind, body=body,
                                    department_id=department_id, respond_by=reply_by))
    warn_day_off(obj, reply_by, "notice.field.respond_by")


@click.command()
@click.argument("code")
@click.option("--kind", type=Named.prefixed(["praise", "criticism", "buck_passing"], "note."),
              required=True)
@click.option("--unit")
@click.option("--text", "body", required=True)
@click.pass_obj
def note(obj: CliContext, code: str, kind: str, unit: str | None, body: str) -> None:
    """Office: record praise, criticism or a finding of passing the buck (for scoring)."""
    department_id = None
    if unit:
        with obj.database().read() as session:
            department_id = department(session, unit)
    from coordboard.services import workflow

    act(obj, code, "note", partial(workflow.note, kind=kind, body=body,
                                    department_id=department_id))


@click.command()
@click.argument("code")
@click.argument("note_id", type=ID, required=False)
@click.option("--text", "response", required=True)
@click.pass_obj
def respond(obj: CliContext, code: str, note_id: int | None, response: str) -> None:
    """Answer a reminder, urge or supervision letter: note NOTE_ID (its number in ``task
    history``), or the one open note your unit has on the task."""
    from coordboard.services import workflow

    if note_id is None:
        note_id = _the_open_note(obj, code)
    act(obj, code, "respond", partial(workflow.respond, note_id=note_id, response=response))


def _the_open_note(obj: CliContext, code: str) -> int:
    from coordboard.errors import ValidationError
    from coordboard.services.detail import notes_to_answer

    actor = obj.actor()
    with obj.database().read() as session:
        notes = notes_to_answer(session, actor=actor, code=code)
    if len(notes) == 1:
        return notes[0].id
    if not notes:
        raise ValidationError("cli.respond_none", code=code.upper())
    raise ValidationError("cli.respond_several", code=code.upper(),
                          notes=t("cli.choice_sep").join(f"#{n.id}" for n in notes))


@click.command()
@click.argument("code")
@click.option("--to", "new_deadline", required=True, metavar="YYYY-MM-DD")
@click.option("--reason", required=True)
@click.pass_obj
def extend(obj: CliContext, code: str, new_deadline: str, reason: str) -> None:
    """Ask for a later deadline, before the current one passes (申请延期)."""
    from coordboard.services import workflow

    deadline = parse_date(new_deadline, "--to")
    assert deadline is not None  # the option is required
    act(obj, code, "request_extension",
         partial(workflow.request_extension, new_deadline=deadline, reason=reason))
    warn_day_off(obj, deadline, "notice.field.new_deadline")


@click.command()
@click.argument("code")
@click.argument("decision", type=Named.prefixed(["approve", "refuse"], "cli.decision."))
@click.option("--note", "note_text", default="")
@click.pass_obj
def decide(obj: CliContext, code: str, decision: str, note_text: str) -> None:
    """Office: approve or refuse the pending extension request."""
    from coordboard.services import workflow

    act(obj, code, "decide_extension",
         partial(workflow.decide_extension, approve=decision == "approve", note=note_text),
         done=t("cli.extension_approved" if decision == "approve" else "cli.extension_refused",
                code=code.upper()))


@click.command("contest")
@click.argument("code")
@click.option("--reason", required=True)
@click.pass_obj
def contest_cmd(obj: CliContext, code: str, reason: str) -> None:
    """Contest your unit's assignment within the allowed working days (申请调整)."""
    from coordboard.services import workflow

    act(obj, code, "contest", partial(workflow.contest, reason=reason))


@click.command("decide-contest")
@click.argument("code")
@click.argument("unit")
@click.argument("decision", type=click.Choice(["reject", "reassign", "remove", "make-lead"]))
@click.option("--to", "target", help="The unit that takes over (reassign, make-lead).")
@click.option("--note", "note_text", default="")
@click.pass_obj
def decide_contest_cmd(obj: CliContext, code: str, unit: str, decision: str, target: str | None,
                       note_text: str) -> None:
    """Office: decide a unit's contest: reject it, reassign the part, remove the unit, or hand the lead on."""
    with obj.database().read() as session:
        department_id = department(session, unit)
        new_department_id = department(session, target) if target else None
    from coordboard.services import workflow

    act(obj, code, "decide_contest",
         partial(workflow.decide_contest, department_id=department_id,
                 decision=decision.replace("-", "_"), note=note_text,
                 new_department_id=new_department_id))


@click.command("escalate")
@click.pass_obj
def escalate_cmd(obj: CliContext) -> None:
    """Office: raise every overdue, unanswered reminder or urge one step (提醒→催办→督办函)."""
    from coordboard.services.escalation import escalate
    from coordboard.services.permissions import authorize
    from coordboard.services.workdays import load_calendar

    actor = obj.actor()
    authorize(actor, "note")
    with obj.database().write() as session:
        created = escalate(session, today=obj.today(), actor_id=actor.user_id,
                           calendar=load_calendar(session), timezone=obj.settings.timezone)
    click.echo(t("cli.escalated", count=len(created)))


STEPS = [dispatch_cmd, ack, feedback, request_close, accept, return_cmd, suspend, resume, withdraw,
         urge, note, respond, extend, decide, contest_cmd, decide_contest_cmd, escalate_cmd]
