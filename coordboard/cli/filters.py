"""The board's filter as command-line options, shared by ``task list`` and ``report ledger``."""

from collections.abc import Callable
from typing import Any

import click

from coordboard.cli.lang import Named
from coordboard.cli.parsing import department, parse_date

# The lifecycle's statuses (coordboard.enums.TaskStatus), written out: the enums module is
# not worth importing for ``--help``; test_cli_language checks the two agree.
STATUSES = ("draft", "assigned", "acknowledged", "in_progress", "closure_requested", "closed",
            "suspended", "withdrawn")
# The board's sorts (services.board.SORT_KEYS), named as the board names them.
SORTS = ("deadline", "code", "light", "title", "lead", "supporters", "status", "last_feedback",
         "updated")
FILTER_OPTIONS = ("unit", "role", "leader", "status", "light", "overdue", "date_from", "date_to",
                  "text", "category", "sort", "desc")


def board_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--unit", help="Only tasks where this unit takes part."),
        click.option("--role", default="either", type=Named(
            {"lead": "unit_role.lead", "support": "unit_role.support", "either": "cli.role.either"})),
        click.option("--leader", metavar="NAME",
                     help="Only tasks this leader answers for (a leader user's username or name)."),
        click.option("--status", multiple=True, type=Named.prefixed(STATUSES, "status.")),
        click.option("--light", type=Named.prefixed(["red", "yellow", "green", "none"], "light.")),
        click.option("--overdue", is_flag=True, help="Open tasks past their deadline."),
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Deadline on or after."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Deadline on or before."),
        click.option("--text", default="", help="Words in the title or code."),
        click.option("--category", help="Only tasks of this category (类别)."),
        click.option("--sort", default="deadline", type=Named.prefixed(SORTS, "tui.sort.")),
        click.option("--desc", is_flag=True, help="Sort descending."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def board_filter(session: Any, options: dict[str, Any]) -> Any:
    """A BoardFilter from the options above; pops them from ``options``."""
    from coordboard.enums import Light
    from coordboard.services import board, categories, leaders, search

    o = {name: options.pop(name) for name in FILTER_OPTIONS}
    o["text"] = search.needle(o["text"])  # refused with a sentence, not silently cut
    return board.BoardFilter(
        statuses=tuple(o["status"]), light=Light(o["light"]) if o["light"] else None,
        department_id=department(session, o["unit"]) if o["unit"] else None,
        unit_role=None if o["role"] == "either" else o["role"], text=o["text"],
        leader_id=leaders.resolve(session, o["leader"]) if o["leader"] else None,
        overdue=o["overdue"],
        category=categories.filter_name(session, o["category"]) if o["category"] else None,
        deadline_from=parse_date(o["date_from"], "--from"),
        deadline_to=parse_date(o["date_to"], "--to"), sort=o["sort"],
        descending=o["desc"]).check()
