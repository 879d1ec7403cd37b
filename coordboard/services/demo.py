"""Load the demo town from ``seeds/demo.toml`` by replaying its history through the services.

Every row is written by the same functions a user's action would call, at the
instant it would have happened, so the demo also has a real audit trail.
"""

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
from sqlmodel import Session

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import NoteKind, Role
from coordboard.errors import DomainError, ValidationError
from coordboard.models import Task
from coordboard.services import categories, directory, meta, progress, rules, stages, tasks
from coordboard.services.setup import is_blank
from coordboard.services.sources import Instruction
from coordboard.services.tasks import UnitAssignment, units_of
from coordboard.services.workdays import WorkCalendar, load_calendar

OFFICE_START, OFFICE_END = 8 * 60 + 30, 17 * 60 + 30  # minutes after midnight, local
OFFICE_MINUTES = OFFICE_END - OFFICE_START

SCENARIOS = (
    "draft", "assigned", "on_pace", "due_soon", "overdue", "silent", "urge_ignored",
    "closure_requested", "extension_pending", "returned", "closed", "suspended",
)


@dataclass
class DemoSummary:
    departments: int
    users: int
    tasks: int
    usernames: list[str]
    password: str


def read_seed(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError("error.seed_invalid", path=str(path), detail=str(exc)) from None
    shorts = {d["short"] for d in data.get("departments", [])}
    for item in data.get("tasks", []):
        if item.get("scenario") not in SCENARIOS:
            raise ValidationError("error.seed_invalid", path=str(path),
                                  detail=f"{item.get('title')}: scenario {item.get('scenario')!r}")
        named = [item["lead"], *(s[0] for s in item.get("supporters", [])),
                 *(stage[1] for stage in item.get("stages", []))]
        unknown = [n for n in named if n not in shorts]
        if unknown:
            raise ValidationError("error.seed_invalid", path=str(path),
                                  detail=f"{item['title']}: unknown unit {', '.join(unknown)}")
    return data


class _Replay:
    """Writes one task's history at instants relative to ``base`` (the load time)."""

    def __init__(self, session: Session, settings: Settings, calendar: WorkCalendar,
                 base: pendulum.DateTime, office_id: int, heads: dict[int, int]) -> None:
        self.session, self.settings, self.calendar = session, settings, calendar
        self.base, self.office_id, self.heads = base, office_id, heads

    def moment(self, days_ago: float) -> pendulum.DateTime:
        """``days_ago`` working days before the load, in office hours: an office day is
        08:30-17:30 on a working day, so events keep their order and never fall at night,
        at a weekend or on a holiday."""
        minutes = round(days_ago * OFFICE_MINUTES)
        local = self.base.in_timezone(self.settings.timezone)
        day: date = local.date()
        clock_min = local.hour * 60 + local.minute
        clock_min = min(clock_min, OFFICE_END)
        if clock_min < OFFICE_START or not self.calendar.is_workday(day):
            day, clock_min = self._previous_workday(day), OFFICE_END
        while minutes > clock_min - OFFICE_START:
            minutes -= clock_min - OFFICE_START
            day, clock_min = self._previous_workday(day), OFFICE_END
        at = clock_min - minutes
        return pendulum.datetime(day.year, day.month, day.day, at // 60, at % 60,
                                 tz=self.settings.timezone).in_timezone("UTC")

    def _previous_workday(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.calendar.is_workday(day):
            day -= timedelta(days=1)
        return day

    def today_at(self, days_ago: float) -> date:
        return self.moment(days_ago).in_timezone(self.settings.timezone).date()

    def deadline(self, workdays: int) -> date:
        return self.calendar.add_workdays(self.today_at(0), workdays)

    def run(self, item: dict[str, Any], ids: dict[str, int], index: int) -> Task:
        scenario = item["scenario"]
        plan = {  # days since dispatch, deadline in working days from today
            "draft": (None, 20), "assigned": (1, 15), "on_pace": (14, 15), "due_soon": (20, 2),
            "overdue": (40, -4), "silent": (20, 12), "urge_ignored": (25, 10),
            "closure_requested": (30, 5), "extension_pending": (25, 3), "returned": (35, 6),
            "closed": (45, 2), "suspended": (20, 10),
        }[scenario]
        dispatched_ago, deadline_workdays = plan
        start = (dispatched_ago or 0) + 2 + index % 3
        lead = UnitAssignment(ids[item["lead"]], item.get("lead_part", ""))
        supporters = [UnitAssignment(ids[name], part) for name, part in item.get("supporters", [])]
        given = item.get("instruction")  # 领导批示: by, text, days_ago (before registering)
        instruction = Instruction(given["by"], self.today_at(start + given.get("days_ago", 1)),
                                  given["text"]) if given else None
        with clock.at(self.moment(start)):
            task = tasks.register(
                self.session, actor_id=self.office_id, title=item["title"], lead=lead,
                supporters=supporters, deadline=self.deadline(deadline_workdays),
                description=item.get("description", ""), source=item.get("source", "other"),
                category=item.get("category", ""), leader=item.get("leader", ""),
                today=self.today_at(start), instruction=instruction)
        if dispatched_ago is None:
            return task
        self._at(dispatched_ago, tasks.dispatch, task=task, actor_id=self.office_id,
                 calendar=self.calendar, today=self.today_at(dispatched_ago))
        # dispatch on a fixed date keeps the deadline chosen above
        if scenario == "assigned":
            return task
        units = units_of(self.session, task.id or 0)
        for unit in units:
            self._at(dispatched_ago - 0.5, tasks.acknowledge, task=task,
                     department_id=unit.department_id, actor_id=self.heads.get(unit.department_id))
        silent_unit = units[-1].department_id if scenario == "silent" and len(units) > 1 else None
        last_report = {"overdue": 3, "urge_ignored": 9, "silent": 2}.get(scenario, 2)
        for position, unit in enumerate(units):
            if unit.department_id == silent_unit:
                continue
            ago = max(last_report + position * 0.2, 0.1)
            self._at(min(ago + 6, dispatched_ago - 1), progress.add_feedback, task=task,
                     department_id=unit.department_id, actor_id=self.heads.get(unit.department_id),
                     body=f"{unit.part or '本单位任务'}：已制定方案，正在推进。", percent=30)
            self._at(ago, progress.add_feedback, task=task, department_id=unit.department_id,
                     actor_id=self.heads.get(unit.department_id),
                     body=f"{unit.part or '本单位任务'}：已完成约70%，下周继续推进。", percent=70)
        getattr(self, f"_{scenario}", lambda task, units: None)(task, units)
        self._stages(task, item.get("stages", []), dispatched_ago, ids)
        return task

    def _stages(self, task: Task, planned: list[list[Any]], dispatched_ago: float,
                ids: dict[str, int]) -> None:
        """Stages planned at dispatch; a reached one marked by its unit's head on its day."""
        planned_ago = dispatched_ago - 0.1
        for title, unit, workdays, _reached in planned:
            due = self.today_at(-workdays) if workdays < 0 else self.deadline(workdays)
            self._at(planned_ago, stages.add, task=task, actor_id=self.office_id, title=title,
                     due=due, department_id=ids[unit], today=self.today_at(planned_ago))
        for seq, (_title, unit, workdays, reached) in enumerate(planned, start=1):
            if reached:
                self._at(max(-workdays + 0.2, 0.1), stages.reach, task=task,
                         actor_id=self.heads.get(ids[unit]), seq=seq, department_id=ids[unit],
                         report="已按计划完成。")

    def _at(self, days_ago: float, action: Any, **kwargs: Any) -> Any:
        with clock.at(self.moment(days_ago)):
            return action(self.session, **kwargs)

    def _overdue(self, task: Task, units: list[Any]) -> None:
        self._at(5, progress.add_note, task=task, kind=NoteKind.URGE, actor_id=self.office_id,
                 department_id=task.lead_department_id, body="该事项已临近期限，请加快办理并反馈进展。",
                 respond_by=self.today_at(3), today=self.today_at(5))
        self._at(3.5, self._respond_latest, task=task, response="已加派人手，争取尽快完成。")

    def _respond_latest(self, session: Session, *, task: Task, response: str) -> None:
        from sqlmodel import col, select

        from coordboard.models import SupervisionNote
        note = session.exec(select(SupervisionNote).where(SupervisionNote.task_id == task.id)
                            .order_by(col(SupervisionNote.id).desc())).first()
        assert note is not None
        progress.respond_note(session, task=task, note=note, actor_id=self.heads.get(
            note.department_id or 0), response=response)

    def _urge_ignored(self, task: Task, units: list[Any]) -> None:
        self._at(8, progress.add_note, task=task, kind=NoteKind.REMINDER, actor_id=self.office_id,
                 body="请各单位按时反馈本周进展。", today=self.today_at(8))
        self._at(6, progress.add_note, task=task, kind=NoteKind.URGE, actor_id=self.office_id,
                 department_id=task.lead_department_id,
                 body="该事项超过一周未反馈，请于期限前书面说明进展。",
                 respond_by=self.today_at(2), today=self.today_at(6))

    def _closure_requested(self, task: Task, units: list[Any]) -> None:
        self._at(1, tasks.request_closure, task=task, actor_id=self.heads.get(
            task.lead_department_id or 0))

    def _extension_pending(self, task: Task, units: list[Any]) -> None:
        self._at(1, progress.request_extension, task=task,
                 department_id=task.lead_department_id or 0,
                 actor_id=self.heads.get(task.lead_department_id or 0),
                 new_deadline=self.calendar.add_workdays(task.deadline, 10),
                 reason="配合单位材料尚未报齐，申请延期两周。", today=self.today_at(1))

    def _returned(self, task: Task, units: list[Any]) -> None:
        lead_head = self.heads.get(task.lead_department_id or 0)
        self._at(1.5, tasks.request_closure, task=task, actor_id=lead_head)
        self._at(1, tasks.return_for_rework, task=task, actor_id=self.office_id,
                 reason="办结材料缺少配合单位的佐证，请补充后重新申请。")
        self._at(0.5, progress.add_feedback, task=task, department_id=task.lead_department_id or 0,
                 actor_id=lead_head, body="正在补充佐证材料。", percent=85)

    def _closed(self, task: Task, units: list[Any]) -> None:
        self._at(1.5, tasks.request_closure, task=task,
                 actor_id=self.heads.get(task.lead_department_id or 0))
        self._at(1, tasks.accept, task=task, actor_id=self.office_id)
        if rules.is_on_time(task):  # praise only what the rules call on time
            self._at(0.8, progress.add_note, task=task, kind=NoteKind.PRAISE,
                     actor_id=self.office_id, department_id=task.lead_department_id,
                     body="按期高质量完成，予以通报表扬。", today=self.today_at(0.8))

    def _suspended(self, task: Task, units: list[Any]) -> None:
        self._at(1, tasks.suspend, task=task, actor_id=self.office_id,
                 reason="资金预算调整，待下季度恢复。")


def load_demo(db: Database, settings: Settings, seed_file: Path) -> DemoSummary:
    """Fill an empty, migrated database with the demo town, in one transaction."""
    data = read_seed(seed_file)
    with db.read() as session:
        if not is_blank(session):
            raise DomainError("error.demo_not_blank")
    base = clock.now()
    password = data["password"]
    password_hash = directory.hash_password(password)
    with db.write() as session:
        ids: dict[str, int] = {}
        heads: dict[int, int] = {}
        usernames: list[str] = []
        replay = _Replay(session, settings, load_calendar(session), base, 0, heads)
        with clock.at(replay.moment(60)):
            for order, dept in enumerate(data["departments"]):
                department = directory.add_department(
                    session, name=dept["name"], short_name=dept["short"], kind=dept["kind"],
                    sort_order=order)
                ids[dept["short"]] = department.id or 0
                head = directory.add_user(
                    session, username=dept["code"], display_name=f"{dept['short']}负责人",
                    role=Role.HEAD, password=password, department_id=department.id,
                    password_hash=password_hash)
                heads[department.id or 0] = head.id or 0
                usernames.append(dept["code"])
            office_id = 0
            for user in data.get("users", []):
                created = directory.add_user(
                    session, username=user["username"], display_name=user["display_name"],
                    role=user["role"], password=password, department_id=ids[user["department"]],
                    password_hash=password_hash)
                usernames.append(user["username"])
                if user["role"] == Role.OFFICE and not office_id:
                    office_id = created.id or 0
        replay.office_id = office_id
        with clock.at(replay.moment(60)):  # the seed's categories join the default list
            categories.ensure(session, [item.get("category", "") for item in data["tasks"]])
        for index, item in enumerate(data["tasks"]):
            replay.run(item, ids, index)
        shown = [u["username"] for u in data.get("users", [])] + ["sfs"]
        meta.put(session, meta.DEMO_KEY, {"usernames": shown, "password": password})
    return DemoSummary(len(ids), len(usernames), len(data["tasks"]), shown, password)
