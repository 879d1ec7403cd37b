"""``coordboard dept`` and ``coordboard user``: the administrator's directory commands."""

import sys

import click

from coordboard.cli.context import CliContext
from coordboard.cli.lang import Named
from coordboard.cli.output import emit
from coordboard.enums import DepartmentKind
from coordboard.i18n import t

UNIT_KINDS = tuple(DepartmentKind)
FORMATS = click.Choice(["table", "json", "csv"])


def _admin(obj: CliContext, action: str) -> int:
    from coordboard.services.permissions import authorize

    actor = obj.actor()
    authorize(actor, action)
    return actor.user_id


@click.group()
def dept() -> None:
    """Units (departments, stations, villages, communities)."""


@dept.command("add")
@click.argument("name")
@click.option("--short", "short_name")
@click.option("--kind", default="office", type=Named.prefixed(UNIT_KINDS, "dept_kind."))
@click.pass_obj
def dept_add(obj: CliContext, name: str, short_name: str | None, kind: str) -> None:
    """Add a unit."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_departments")
    with obj.database().write() as session:
        directory.add_department(session, name=name, short_name=short_name, kind=kind,
                                 actor_id=actor_id)
    click.echo(t("cli.saved"))


@dept.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def dept_list(obj: CliContext, fmt: str) -> None:
    """List units."""
    from coordboard.services import directory

    with obj.database().read() as session:
        rows = [[d.name, d.short_name, d.kind, d.active] for d in directory.list_departments(session)]
    if fmt != "json":  # the kind in the reader's language (JSON keeps its code)
        rows = [[name, short, t(f"dept_kind.{kind}"), active] for name, short, kind, active in rows]
    emit(fmt, [t("cli.col.unit"), t("cli.col.short"), t("cli.col.kind"), t("cli.col.active")],
         ["name", "short_name", "kind", "active"], rows)


@dept.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.option("--short", "short_name")
@click.pass_obj
def dept_rename(obj: CliContext, name: str, new_name: str, short_name: str | None) -> None:
    """Rename a unit (its history keeps the old name in the audit trail)."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_departments")
    with obj.database().write() as session:
        directory.rename_department(session, name=name, new_name=new_name, short_name=short_name,
                                    actor_id=actor_id)
    click.echo(t("cli.saved"))


@dept.command("deactivate")
@click.argument("name")
@click.pass_obj
def dept_deactivate(obj: CliContext, name: str) -> None:
    """Deactivate a unit: it can no longer be given new tasks."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_departments")
    with obj.database().write() as session:
        directory.set_department_active(session, name=name, active=False, actor_id=actor_id)
    click.echo(t("cli.saved"))


@dept.command("contact")
@click.argument("name")
@click.option("--person")
@click.option("--phone")
@click.option("--email")
@click.option("--webhook")
@click.option("--preset", type=click.Choice(["generic", "wecom", "dingtalk"]))
@click.option("--digest/--no-digest", default=None)
@click.pass_obj
def dept_contact(obj: CliContext, name: str, person: str | None, phone: str | None,
                 email: str | None, webhook: str | None, preset: str | None,
                 digest: bool | None) -> None:
    """Set a unit's contacts and notification channels (the supervision office)."""
    from coordboard.services import contacts

    actor = obj.actor()
    with obj.database().write() as session:
        contacts.set_contacts(session, actor=actor, unit=name, person=person, phone=phone,
                              email=email, webhook_url=webhook, webhook_preset=preset,
                              digest=digest)
    click.echo(t("cli.saved"))


@dept.command("contacts")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def dept_contacts(obj: CliContext, fmt: str) -> None:
    """List units' contacts and notification channels."""
    from coordboard.services import contacts

    actor = obj.actor()
    with obj.database().read() as session:
        rows = [[c.unit, c.person, c.phone, c.email, c.webhook_url, c.webhook_preset, c.digest]
                for c in contacts.list_contacts(session, actor=actor)]
    emit(fmt, [t("cli.col.unit"), t("notify.col.person"), t("notify.col.phone"),
               t("notify.col.email"), t("notify.col.webhook"), t("notify.col.preset"),
               t("notify.col.digest")],
         ["unit", "person", "phone", "email", "webhook", "preset", "digest"], rows)


@click.group()
def user() -> None:
    """User accounts."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(t("cli.password"), hide_input=True, confirmation_prompt=True))


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--role", type=Named.prefixed(["admin", "office", "head", "staff", "leader"], "role."),
              required=True)
@click.option("--dept", "department", help="The user's unit (needed for head and staff).")
@click.option("--password-stdin", is_flag=True)
@click.pass_obj
def user_add(obj: CliContext, username: str, display_name: str, role: str, department: str | None,
             password_stdin: bool) -> None:
    """Add a user."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_users")
    password = _password(password_stdin)
    with obj.database().write() as session:
        department_id = directory.department_by_name(session, department).id if department else None
        directory.add_user(session, username=username, display_name=display_name, role=role,
                           password=password, department_id=department_id, actor_id=actor_id)
    click.echo(t("cli.saved"))


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True)
@click.pass_obj
def user_passwd(obj: CliContext, username: str, password_stdin: bool) -> None:
    """Set a user's password (and lift a lockout)."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_users")
    password = _password(password_stdin)
    with obj.database().write() as session:
        directory.set_password(session, username=username, password=password, actor_id=actor_id)
    click.echo(t("cli.saved"))


@user.command("disable")
@click.argument("username")
@click.pass_obj
def user_disable(obj: CliContext, username: str) -> None:
    """Disable a user: their sessions stop working."""
    from coordboard.services import directory

    actor_id = _admin(obj, "manage_users")
    with obj.database().write() as session:
        directory.set_user_active(session, username=username, active=False, actor_id=actor_id)
    click.echo(t("cli.saved"))


@user.command("list")
@click.option("--role", type=Named.prefixed(["admin", "office", "head", "staff", "leader"], "role."),
              help="Only users with this role (leader: who can answer for a task).")
@click.option("--format", "fmt", type=FORMATS, default="table")
@click.pass_obj
def user_list(obj: CliContext, fmt: str, role: str | None) -> None:
    """List users."""
    from coordboard.services import directory

    with obj.database().read() as session:
        rows = [[u.username, u.display_name, u.role if fmt == "json" else t(f"role.{u.role}"),
                 unit or "", u.active] for u, unit in directory.list_users(session, role=role)]
    emit(fmt, [t("cli.col.username"), t("cli.col.name"), t("cli.col.role"), t("cli.col.unit"),
               t("cli.col.active")], ["username", "display_name", "role", "unit", "active"], rows)
