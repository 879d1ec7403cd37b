"""``coordboard notify``: send what is due to the units, and see what has not gone out.

``notify run`` is meant for a scheduler (cron, the Windows Task Scheduler): it needs no
login, since it acts for nobody and only sends what the rules say is due; whoever can run
it already holds the database's credentials. ``notify status`` is the office's.
"""

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import emit, say
from coordboard.i18n import t

FORMATS = click.Choice(["table", "json", "csv"])


@click.group()
def notify() -> None:
    """Notifications to units."""


@notify.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be recorded; send nothing.")
@click.pass_obj
def notify_run(obj: CliContext, dry_run: bool) -> None:
    """Send every notice that is due, each once; retry failed ones later."""
    from coordboard.services import notify as service

    report = service.run(obj.database(), obj.settings, dry_run=dry_run)
    if dry_run:
        say(t("notify.cli.dry_run", count=len(report.planned), due=report.due_retries))
        if report.planned:
            emit("table", [t("cli.col.unit"), t("notify.col.channel"), t("notify.col.kind"),
                           t("notify.col.subject")], ["unit", "channel", "kind", "subject"],
                 [[p.unit, t(f"notify.channel.{p.channel}"), p.kind, p.subject]
                  for p in report.planned])
        return
    say(t("notify.cli.run_done", recorded=report.recorded, digests=report.digests,
          sent=report.sent, failed=report.failed))
    if report.failed:
        say(t("notify.cli.run_failed", failed=report.failed), err=True)


@notify.command("status")
@click.option("--all", "include_sent", is_flag=True, help="Also list notices already sent.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def notify_status(obj: CliContext, include_sent: bool, fmt: str) -> None:
    """List notices not sent yet, with the last error."""
    from coordboard import clock
    from coordboard.services import notify as service
    actor = obj.actor()
    with obj.database().read() as session:
        rows = service.status(session, actor=actor, include_sent=include_sent)
        counts = service.counts(session)
    if fmt == "table":
        say(t("notify.cli.counts", queued=counts.get("queued", 0), pending=counts.get("pending", 0),
              sending=counts.get("sending", 0), failed=counts.get("failed", 0),
              sent=counts.get("sent", 0)))
        if not rows:
            return
    tz = obj.settings.timezone
    emit(fmt, [t("notify.col.id"), t("cli.col.unit"), t("notify.col.channel"), t("notify.col.kind"),
               t("notify.col.subject"), t("notify.col.state"), t("notify.col.attempts"),
               t("notify.col.next"), t("notify.col.error")],
         ["id", "unit", "channel", "kind", "subject", "state", "attempts", "next_attempt_at",
          "last_error"],
         [[r.id, r.unit, r.channel if fmt != "table" else t(f"notify.channel.{r.channel}"), r.kind,
           r.subject, r.state if fmt != "table" else t(f"notify.state.{r.state}"), r.attempts,
           clock.local(r.next_attempt_at, tz).format("YYYY-MM-DD HH:mm")
           if r.state in ("pending", "sending") else "", r.last_error] for r in rows])
