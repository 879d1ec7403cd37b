"""``coordboard task attach / attachments / attachment get``: evidence (佐证材料).

A file's name is stored as given and printed visibly (``say``/tables); saved, it takes
a safe name (``files.safe_file_name``) unless ``-o`` names the file, and an existing
file is kept unless ``--force``.
"""

from pathlib import Path
from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import emit, say
from coordboard.i18n import t

FORMATS = click.Choice(["table", "json", "csv"])


@click.command("attach")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", nargs=2, type=(click.Choice(["feedback", "note"]), int),
              metavar="feedback|note N", help="Attach to a feedback report or a note.")
@click.option("--closure", is_flag=True, help="Attach to the closure request now waiting.")
@click.pass_obj
def attach(obj: CliContext, code: str, file: Path, to: tuple[str, int] | None,
           closure: bool) -> None:
    """Attach a file as evidence (佐证材料) to a task."""
    from coordboard.errors import ValidationError
    from coordboard.services import attachments, workflow
    from coordboard.services.tasks import task_by_code

    if to and closure:
        raise ValidationError("error.attachment_two_targets")
    target = (attachments.Target(to[0], to[1]) if to  # type: ignore[arg-type]
              else attachments.Target("closure") if closure else None)
    actor = obj.actor()
    upload = attachments.read_upload(file, obj.settings)  # before the write lock is taken
    with obj.database().read() as session:
        seen = task_by_code(session, code).version
    with obj.database().write() as session:
        made = workflow.attach(session, actor=actor, code=code, settings=obj.settings,
                               upload=upload, to=target, seen_version=seen)
        number = made.id
    say(t("cli.attached", id=number, name=upload.name, size=attachments.size_text(upload.size),
          code=code.strip().upper()))


@click.command("attachments")
@click.argument("code")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def attachments_cmd(obj: CliContext, code: str, fmt: str) -> None:
    """List a task's attachments (the number is what ``attachment get`` takes)."""
    from coordboard.services import attachments
    from coordboard.services.permissions import authorize
    from coordboard.services.tasks import task_by_code

    actor = obj.actor()
    authorize(actor, "view")
    with obj.database().read() as session:
        items = attachments.listing(session, task_by_code(session, code))
    keys = ["id", "name", "size", "content_type", "link", "link_id", "uploader", "unit",
            "uploaded_at", "sha256"]
    if fmt == "table":
        if not items:
            click.echo(t("cli.attachments_none", code=code.strip().upper()))
            return
        shown = ["id", "name", "size", "link", "uploader", "uploaded_at"]
        emit(fmt, [t(f"cli.col.attachment.{k}") for k in shown], shown,
             [[a.id, a.name, attachments.size_text(a.size), _link(a), _who(a),
               _local(obj, a.uploaded_at)] for a in items])
        return
    emit(fmt, keys, keys, [[a.id, a.name, a.size, a.content_type, a.link, a.link_id, a.uploader,
                            a.unit, a.uploaded_at.isoformat(), a.sha256] for a in items])


def _link(item: Any) -> str:
    return t(f"attach.link.{item.link}", id=item.link_id or "")


def _who(item: Any) -> str:
    return " ".join(part for part in (item.unit, item.uploader) if part) or "—"


def _local(obj: CliContext, moment: Any) -> str:
    from coordboard import clock

    return clock.local(moment, obj.settings.timezone).format("YYYY-MM-DD HH:mm")


@click.group("attachment")
def attachment() -> None:
    """One attachment of a task."""


@attachment.command("get")
@click.argument("code")
@click.argument("number", type=int)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File or folder to save to (default: this folder, under a safe name).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.pass_obj
def get(obj: CliContext, code: str, number: int, output: Path | None, force: bool) -> None:
    """Save an attachment to a file, checking its SHA-256."""
    from coordboard.services import attachments
    from coordboard.services.permissions import authorize
    from coordboard.services.tasks import task_by_code

    actor = obj.actor()
    authorize(actor, "view")
    with obj.database().read() as session:
        task = task_by_code(session, code)
        item = attachments.info(session, task, number)
        path = attachments.save(session, task=task, attachment_id=number,
                                target=output if output is not None else Path.cwd(),
                                overwrite=force)
    say(t("cli.attachment_saved", name=item.name, path=str(path),
          size=attachments.size_text(item.size)))
