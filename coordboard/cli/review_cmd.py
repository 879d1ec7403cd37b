"""``coordboard review``: the weekly supervision review (每周督办例会) from a terminal."""

from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.cli.lang import Named
from coordboard.cli.output import render_table
from coordboard.cli.parsing import ID, department, parse_date
from coordboard.i18n import clause, t

REQUESTS = {"accept": "accept", "return": "return", "approve-extension": "decide_extension",
            "refuse-extension": "decide_extension", "contest": "decide_contest"}


@click.group()
def review() -> None:
    """The weekly supervision review: agenda, decisions, closing."""


def _summary(review_row: Any) -> str:
    from coordboard.services import review as review_service

    return review_service.summary(review_row)


@review.command()
@click.option("--attendees", default="", help="Who attends (may also be given when closing).")
@click.option("--again", "--force", "again", is_flag=True,
              help="Hold a second review this week although this week's is already closed.")
@click.pass_obj
def start(obj: CliContext, attendees: str, again: bool) -> None:
    """Start this week's review: build its agenda from the data. If this week's review is
    already closed, a second one needs --again."""
    from coordboard.services import review as reviews

    actor = obj.actor()
    with obj.database().write() as session:
        started = reviews.start(session, actor=actor, settings=obj.settings, attendees=attendees,
                                again=again)
        decided, total = reviews.progress_counts(session, started)
    click.echo(t("review.started", summary=_summary(started), items=total))
    _print_totals(started)


def _print_totals(review_row: Any) -> None:
    from coordboard.services.agenda import SECTIONS

    totals = review_row.section_totals or {}
    click.echo("  ".join(t("review.section_total", section=t(f"review.section.{name}"),
                           total=totals.get(name, 0)) for name in SECTIONS))


@review.command()
@click.argument("ref", required=False)
@click.option("--section", type=Named.prefixed(["red", "newly_overdue", "yellow", "late_ack",
                                                 "silent", "requests", "follow_up"],
                                                "review.section."))
@click.pass_obj
def agenda(obj: CliContext, ref: str | None, section: str | None) -> None:
    """The agenda of the open review (or of review REF: issue number or week)."""
    from coordboard.services import agenda as agendas
    from coordboard.services import review as reviews
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    actor = obj.actor()
    with obj.database().read() as session:
        found = reviews.find(session, ref, actor=actor)
        ctx = LightContext.build(obj.settings, load_calendar(session))
        lines = agendas.lines(session, found, ctx, section, actor=actor)
    click.echo(_summary(found))
    if section is None:
        click.echo(agendas.totals_line(found, lines))
    else:  # one section's lines: the whole agenda's red count would not be theirs
        _print_totals(found)
    headers = [t(f"review.col.{key}") for key in ("item", "section", "code", "light", "title",
                                                  "lead", "deadline", "pending", "decision")]
    rows = [[line.item.position, t(f"review.section.{line.item.section}"), line.code,
             line.light_text(), line.title, line.lead, line.deadline.isoformat(),
             "；".join(p.text for p in line.pending) or "—",
             line.decision_shown]
            for line in lines]
    click.echo(render_table(headers, rows))


@review.command()
@click.argument("ref", required=False)
@click.pass_obj
def show(obj: CliContext, ref: str | None) -> None:
    """A review's record: number, date, attendees, decisions (default: the latest)."""
    from coordboard.services import agenda as agendas
    from coordboard.services import review as reviews

    actor = obj.actor()
    with obj.database().read() as session:
        if ref == "all":
            rows = [[r.number or "—", r.week, r.as_of.isoformat(), t(f"review.state.{r.state}"),
                     r.attendees] for r in reviews.recent(session, actor=actor)]
            click.echo(render_table([t(f"review.col.{k}") for k in ("number", "week", "day", "state",
                                                                     "attendees")], rows))
            return
        found = reviews.find(session, ref, actor=actor)
        decided, total = reviews.progress_counts(session, found)
        items = reviews.items_with_tasks(session, found)
    click.echo(_summary(found))
    click.echo(t("review.show.state", state=t(f"review.state.{found.state}"), decided=decided,
                 total=total))
    if found.attendees:
        click.echo(t("bulletin.attendees", names=found.attendees))
    if found.next_steps:
        click.echo(t("review.show.next_steps", text=found.next_steps))
    for item, code, title in items:  # every item with its decision, numbered as everywhere
        click.echo(t("review.item_decision", item=item.position,
                     section=t(f"review.section.{item.section}"), code=code, title=title,
                     decision=agendas.decision_text(item) or t("review.no_decision")))


@review.command()
@click.argument("item_id", type=ID)
@click.argument("text")
@click.option("--note", "note_kind",
              type=Named.prefixed(["reminder", "urge", "letter", "praise", "criticism",
                                   "buck_passing"], "note."),
              help="Also send the decision to the task as this kind of supervision note.")
@click.option("--respond-by", metavar="YYYY-MM-DD")
@click.option("--unit", "units", multiple=True, metavar="UNIT",
              help="With --note: the unit it concerns (repeat for several); none: the whole task.")
@click.pass_obj
def decide(obj: CliContext, item_id: int, text: str, note_kind: str | None,
           respond_by: str | None, units: tuple[str, ...]) -> None:
    """Record the meeting's decision on agenda item ITEM_ID."""
    from coordboard.services import review as reviews

    actor = obj.actor()
    with obj.database().write() as session:
        reviews.record_decision(session, actor=actor, settings=obj.settings,
                                item_id=reviews.item_id_for(session, item_id),
                                text=text, note_kind=note_kind,
                                respond_by=parse_date(respond_by, "--respond-by"),
                                department_ids=[department(session, name) for name in units])
    click.echo(t("review.decided", item=item_id))


@review.command("request")
@click.argument("item_id", type=ID)
@click.argument("decision", type=click.Choice(list(REQUESTS)))
@click.option("--reason", default="",
              help="Why (required to return a closure); with accept, the meeting's comment.")
@click.option("--unit", help="contest: the contesting unit.")
@click.option("--outcome", type=click.Choice(["reject", "reassign", "remove", "make_lead"]),
              help="contest: what the office decides.")
@click.option("--to-unit", help="contest reassign: the unit taking over.")
@click.pass_obj
def decide_request(obj: CliContext, item_id: int, decision: str, reason: str, unit: str | None,
                   outcome: str | None, to_unit: str | None) -> None:
    """Decide the pending request on agenda item ITEM_ID, inline."""
    from coordboard.services import review as reviews

    actor = obj.actor()
    action = REQUESTS[decision]
    with obj.database().write() as session:
        params: dict[str, Any] = {}
        if action == "return":
            params = {"reason": reason}
        elif action == "accept":
            params = {"comment": reason}  # kept with the decision
        elif action == "decide_extension":
            params = {"approve": decision == "approve-extension", "note": reason}
        elif action == "decide_contest":
            params = {"department_id": department(session, unit or ""), "decision": outcome or "reject",
                      "note": reason,
                      "new_department_id": department(session, to_unit) if to_unit else None}
        reviews.decide_request(session, actor=actor, settings=obj.settings,
                                item_id=reviews.item_id_for(session, item_id),
                               action=action, **params)
    click.echo(t("review.decided", item=item_id))


@review.command("task")
@click.argument("item_id", type=ID)
@click.option("--title", required=True)
@click.option("--lead", required=True, metavar="UNIT[:PART]")
@click.option("--support", multiple=True, metavar="UNIT:PART")
@click.option("--deadline", metavar="YYYY-MM-DD")
@click.option("--workdays", type=int)
@click.pass_obj
def spawn(obj: CliContext, item_id: int, title: str, lead: str, support: tuple[str, ...],
          deadline: str | None, workdays: int | None) -> None:
    """Turn the decision on ITEM_ID into a new task, registered and dispatched."""
    from coordboard.services import review as reviews
    from coordboard.services.tasks import UnitAssignment

    def unit(value: str) -> UnitAssignment:
        name, _, part = value.partition(":")
        return UnitAssignment(department(session, name), part.strip())

    actor = obj.actor()
    with obj.database().write() as session:
        task = reviews.spawn_task(session, actor=actor, settings=obj.settings,
                                item_id=reviews.item_id_for(session, item_id),
                                  title=title, lead=unit(lead), supporters=[unit(s) for s in support],
                                  deadline=parse_date(deadline, "--deadline"), workdays=workdays)
        code = task.code
    click.echo(t("review.spawned_done", code=code, item=item_id))
    from coordboard.cli.task_common import warn_unofficial

    warn_unofficial(obj, code)


@review.command()
@click.option("--attendees", default="", help="Who attended (required unless given at start).")
@click.option("--next-steps", default="", help="Next steps for the bulletin.")
@click.option("--bulletin", "bulletin_path", type=click.Path(dir_okay=False),
              help="Also write the bulletin (DOCX; .md for Markdown).")
@click.option("--force", is_flag=True, help="Close even with items left without a decision.")
@click.pass_obj
def close(obj: CliContext, attendees: str, next_steps: str, bulletin_path: str | None,
          force: bool) -> None:
    """Close the open review: number it, date it, freeze it. Items without a decision are
    listed and the review stays open, unless --force."""
    from coordboard.errors import NotFoundError
    from coordboard.services import review as reviews

    if bulletin_path:  # a wrong name is refused before the review is sealed
        from coordboard.cli.report_cmd import BULLETIN_SUFFIXES, _target

        _target(bulletin_path, BULLETIN_SUFFIXES)
    actor = obj.actor()
    with obj.database().write() as session:
        current = reviews.open_review(session)
        if current is None:
            raise NotFoundError("error.no_open_review")
        closed = reviews.close(session, actor=actor, review_id=current.id or 0,
                               attendees=attendees, next_steps=next_steps, settings=obj.settings,
                               force=force)
        summary, week, number = _summary(closed), closed.week, closed.number
    click.echo(t("review.closed", summary=summary))
    # The review is sealed; its files come right after, and can always be written again
    # from the sealed record (``report review N``) if this step fails.
    from coordboard.cli.report_cmd import write_bulletin, write_review_files
    from coordboard.db import SQLAlchemyError, first_line
    from coordboard.errors import CoordboardError
    from coordboard.files import write_failure

    try:
        write_review_files(obj, number)
        if bulletin_path:
            write_bulletin(obj, week, bulletin_path)
    except (CoordboardError, SQLAlchemyError, OSError, ValueError) as exc:
        detail = (str(exc) if isinstance(exc, CoordboardError) else
                  write_failure(exc) if isinstance(exc, OSError) else first_line(exc))
        raise CoordboardError("report.review_files_failed", number=number,
                              detail=clause(detail)) from None
