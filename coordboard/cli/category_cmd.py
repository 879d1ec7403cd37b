"""``coordboard category``: the office's list of task categories (类别)."""

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import emit, say
from coordboard.i18n import t

FORMATS = click.Choice(["table", "json", "csv"])


@click.group()
def category() -> None:
    """Task categories (类别)."""


@category.command("list")
@click.option("--all", "include_retired", is_flag=True, help="Also list retired categories.")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def category_list(obj: CliContext, include_retired: bool, fmt: str) -> None:
    """List the categories a task may have, in the office's order."""
    from coordboard.services import categories

    with obj.database().read() as session:
        entries = categories.listed(session, include_retired=include_retired)
        counts = categories.task_counts(session)
    rows = [[e.name, e.sort_order, e.retired, counts.get(e.name, 0)] for e in entries]
    if fmt != "json":  # words for the reader; JSON keeps the flag
        rows = [[name, order, t("category.retired" if retired else "category.active"), n]
                for name, order, retired, n in rows]
    emit(fmt, [t("cli.col.category"), t("cli.col.sort_order"), t("cli.col.category_state"),
               t("cli.col.tasks")], ["name", "sort_order", "retired", "tasks"], rows)


@category.command("add")
@click.argument("name")
@click.option("--order", "sort_order", type=click.IntRange(-1_000_000, 1_000_000))
@click.pass_obj
def category_add(obj: CliContext, name: str, sort_order: int | None) -> None:
    """Add a category (or bring back a retired one)."""
    from coordboard.services import categories

    actor = obj.actor()
    with obj.database().write() as session:
        entry = categories.add(session, actor=actor, name=name, sort_order=sort_order)
        added = entry.name
    say(t("cli.category_added", name=added))


@category.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_obj
def category_rename(obj: CliContext, name: str, new_name: str) -> None:
    """Rename a category; the tasks that have it follow."""
    from coordboard.services import categories

    actor = obj.actor()
    with obj.database().write() as session:
        moved = categories.rename(session, actor=actor, old=name, new=new_name)
    say(t("cli.category_renamed", old=name.strip(), new=new_name.strip(), tasks=moved))


@category.command("retire")
@click.argument("name")
@click.pass_obj
def category_retire(obj: CliContext, name: str) -> None:
    """Stop offering a category; tasks that have it keep it."""
    from coordboard.services import categories

    actor = obj.actor()
    with obj.database().write() as session:
        entry = categories.retire(session, actor=actor, name=name)
        retired = entry.name
    say(t("cli.category_retired", name=retired))
