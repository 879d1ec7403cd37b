"""Importing the office's ledger (issue 14 item 1): headers, units, deadlines, all or nothing."""

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlmodel import col, select
from test_cli_lifecycle import Cli

from coordboard.db import Database
from coordboard.enums import Role, TaskStatus
from coordboard.errors import DomainError
from coordboard.i18n import set_language
from coordboard.migrate import ensure_schema
from coordboard.models import AuditEvent, CodeCounter, Task, TaskUnit
from coordboard.services import audit, directory, importer, leaders, tasks
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

TODAY = date(2026, 11, 25)
HEADER = ["序号", "督办事项", "牵头单位", "配合单位", "完成时限", "责任领导", "办理进展", "事项来源"]
UNITS = ("镇司法所", "派出所", "文化站", "综治中心")
LEADERS = {"zhangfzz": "张副镇长", "lisj": "李书记", "wangsz": "王所长"}


def town(db: Database) -> tuple[Actor, Actor]:
    with db.write() as session:
        ids = [directory.add_department(session, name=n).id or 0 for n in UNITS]
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password="secret123")
        head = directory.add_user(session, username="sfs", display_name="司法所", role=Role.HEAD,
                                  password="secret123", department_id=ids[0])
        for username, name in LEADERS.items():  # the ledger's 责任领导 are leader users
            directory.add_user(session, username=username, display_name=name, role=Role.LEADER,
                               password="secret123")
    return (Actor(office.id or 0, "office", Role.OFFICE, None),
            Actor(head.id or 0, "sfs", Role.HEAD, ids[0]))


def xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER,
         title: str | None = "2026年度依法治镇督办事项台账") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig",
             header: list[str] = HEADER) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(db: Database, actor: Actor, path: Path, dispatch: bool = False) -> importer.ImportResult:
    with db.write() as session:
        plan = importer.check(session, path, actor=actor, today=TODAY)
        return importer.apply(session, plan, actor=actor, today=TODAY, dispatch=dispatch,
                              calendar=WorkCalendar())


def check(db: Database, actor: Actor, path: Path) -> importer.Plan:
    with db.read() as session:
        return importer.check(session, path, actor=actor, today=TODAY)


def all_tasks(db: Database) -> list[Task]:
    with db.read() as session:
        return list(session.exec(select(Task).order_by(col(Task.id))).all())


GOOD = [
    [1, "农村法律明白人培养", "镇司法所", "派出所、文化站", datetime(2026, 12, 31), "张副镇长",
     "已制定方案", "会议议定"],
    [2, "矛盾纠纷排查化解", "综治中心", "", "2027/1/15", "李书记", "", "上级交办"],
    [3, "法治文化阵地建设", "文化站", "镇司法所", "2027年3月1日", "", "选址中", ""],
    [4, "禁毒宣传进校园", "派出所", None, 46752, "王所长", None, "领导批示"],  # 46752 = 2027-12-31
]


def test_xlsx_with_title_row_and_synonyms_creates_every_task(db: Database, tmp_path: Path,
                                                             frozen) -> None:
    """Rule: the header is found below a title row; dates as cells, serials and text."""
    office, _ = town(db)
    header = ["编号", "工作任务", "责任单位", "协办单位", "办结时限", "分管领导", "办理进展", "事项来源"]
    result = run(db, office, xlsx(tmp_path / "台账.xlsx", GOOD, header=header))
    assert len(result.created) == 4 and result.updated == []
    found = all_tasks(db)
    assert [t.deadline for t in found] == [date(2026, 12, 31), date(2027, 1, 15), date(2027, 3, 1),
                                           date(2027, 12, 31)]
    first = found[0]
    assert (first.title, first.leader, first.description, first.source, first.status) == (
        "农村法律明白人培养", "", "已制定方案", "meeting", TaskStatus.DRAFT)
    with db.read() as session:  # each 责任领导 linked to its leader user; an empty cell: none
        names = leaders.names_of(session, {t.leader_id for t in found if t.leader_id})
    assert [names.get(t.leader_id or 0) for t in found] == ["张副镇长", "李书记", None, "王所长"]
    assert found[1].source == "superior" and found[3].source == "other"
    assert all(t.external_ref and t.external_ref.startswith("ledger:") for t in found)
    with db.read() as session:
        units = session.exec(select(TaskUnit.role).where(TaskUnit.task_id == first.id)).all()
    assert sorted(units) == ["lead", "support", "support"]


def test_dispatch_option_dispatches_what_it_creates(db: Database, tmp_path: Path, frozen) -> None:
    office, _ = town(db)
    run(db, office, xlsx(tmp_path / "l.xlsx", GOOD[:1]), dispatch=True)
    assert all_tasks(db)[0].status == TaskStatus.ASSIGNED


BAD = [
    [1, "好的一行", "镇司法所", "", "2026-12-31", "", "", ""],
    [2, "", "镇司法所", "", "2026-12-31", "", "", ""],                       # title missing
    ["", "没有序号", "镇司法所", "", "2026-12-31", "", "", ""],              # number missing
    [1, "序号重复", "镇司法所", "", "2026-12-31", "", "", ""],               # duplicate number
    [5, "长" * 501, "镇司法所", "", "2026-12-31", "", "", ""],               # title too long
    [6, "单位未知", "水利站", "", "2026-12-31", "", "", ""],                 # unknown unit
    [7, "单位近似", "司法所", "", "2026-12-31", "", "", ""],                 # near miss
    [8, "时限不识", "镇司法所", "", "年底前", "", "", ""],                   # bad deadline
    [9, "日期不存在", "镇司法所", "", "2026-02-30", "", "", ""],             # impossible date
    [10, "时限已过", "镇司法所", "", "2026-11-24", "", "", ""],              # past deadline
    [11, "无牵头", "", "", "2026-12-31", "", "", ""],                        # lead missing
    [12, "无时限", "镇司法所", "", "", "", "", ""],                          # deadline missing
    [13, "领导过长", "镇司法所", "", "2026-12-31", "领" * 101, "", ""],      # leader too long
    [14, "领导不是用户", "镇司法所", "", "2026-12-31", "赵主任", "", ""],     # unknown leader
    # The same field rules as registering by hand (services/fields.py, services/deadlines.py):
    [15, "时限太远", "镇司法所", "", "2040-01-01", "", "", ""],              # beyond 5 years
    [16, "长" * 201, "镇司法所", "", "2026-12-31", "", "", ""],               # over the title limit
    [17, "领导近似", "镇司法所", "", "2026-12-31", "张镇长", "", ""],         # leader near miss
]


def test_every_row_error_kind_with_its_row_number(db: Database, tmp_path: Path, frozen) -> None:
    office, _ = town(db)
    plan = check(db, office, xlsx(tmp_path / "bad.xlsx", BAD))
    # Title row is 1, header 2, so data row i is spreadsheet row i + 3.
    got = {(e.row, e.key) for e in plan.errors}
    assert got == {
        (4, "error.import_row_missing"), (5, "error.import_row_missing"),
        (6, "error.import_row_duplicate"), (7, "error.text_too_long"),
        (8, "error.import_row_unit"), (9, "error.import_row_unit_near"),
        (10, "error.import_row_deadline"), (11, "error.import_row_deadline"),
        (12, "error.import_row_past"), (13, "error.import_row_missing"),
        (14, "error.import_row_missing"), (15, "error.text_too_long"),
        (16, "error.import_row_leader_unknown"),
        (17, "error.deadline_too_far"), (18, "error.text_too_long"),
        (19, "error.import_row_leader_near"),
    }
    text = {e.row: importer.describe(e) for e in plan.errors}
    assert text[9] == "第9行：没有名为“司法所”的单位，是否指：镇司法所？"
    assert text[6] == "第6行：“序号”1与第3行重复"
    assert text[4] == "第4行：“督办事项”为空"
    assert text[19] == "第19行：没有名为“张镇长”的领导用户，是否指：张副镇长 (zhangfzz)？"
    assert [r.row for r in plan.creates] == [3]
    with db.write() as session, pytest.raises(DomainError, match="发现16处错误"):
        importer.apply(session, plan, actor=office, today=TODAY)
    assert all_tasks(db) == []


def test_a_bad_row_in_the_middle_leaves_nothing_behind(db: Database, tmp_path: Path,
                                                       frozen, monkeypatch) -> None:
    """Rule: all or nothing, even when writing fails after some tasks went in."""
    office, _ = town(db)
    path = xlsx(tmp_path / "l.xlsx", GOOD)
    calls = {"n": 0}
    real = audit.event_hash

    def failing(prev: str, event: AuditEvent) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise DomainError("error.import_row_past", value="x")
        return real(prev, event)

    monkeypatch.setattr(audit, "event_hash", failing)
    with pytest.raises(DomainError):
        run(db, office, path)
    assert calls["n"] == 3
    assert all_tasks(db) == []
    with db.read() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.entity == "task")).all() == []
        assert session.exec(select(TaskUnit)).all() == []


def test_an_imported_task_is_what_register_makes(db: Database, tmp_path: Path, frozen) -> None:
    """The bulk writer keeps register()'s codes, fields, units and audit events."""
    office, _ = town(db)
    with db.write() as session:
        by_hand = tasks.register(
            session, actor_id=office.user_id, title="农村法律明白人培养",
            lead=UnitAssignment(directory.department_by_name(session, "镇司法所").id or 0),
            supporters=[UnitAssignment(directory.department_by_name(session, n).id or 0)
                        for n in ("派出所", "文化站")],
            deadline=date(2026, 12, 31), description="已制定方案", source="meeting",
            leader="张副镇长", today=TODAY)
    run(db, office, xlsx(tmp_path / "l.xlsx", GOOD))
    with db.read() as session:
        hand, imported, *_ = all_tasks(db)
        assert (hand.code, imported.code, imported.seq) == ("DB-2026-001", "DB-2026-002", 2)
        skip = {"id", "code", "seq", "external_ref"}
        assert {k: v for k, v in imported.model_dump().items() if k not in skip} == {
            k: v for k, v in hand.model_dump().items() if k not in skip}
        units = [session.exec(select(TaskUnit.department_id, TaskUnit.role)
                              .where(TaskUnit.task_id == t.id).order_by(col(TaskUnit.id))).all()
                 for t in (hand, imported)]
        assert units[0] == units[1]
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "task")
                              .order_by(col(AuditEvent.id))).all()
        assert [e.action for e in events] == ["register"] * 5
        assert {**events[0].after, "code": "-"} == {**events[1].after, "code": "-"}
        assert {k: v for k, v in events[0].task_state.items() if k != "title"} == {
            k: v for k, v in events[1].task_state.items() if k != "title"}
        report = audit.verify(session)
        assert report.problem is None, report.params
        assert report.checked == len(session.exec(select(AuditEvent.id)).all())
    assert by_hand.code == "DB-2026-001"
    with db.write() as session:  # the counter moved past the import
        assert session.exec(select(CodeCounter.next_seq)).one() == 6


def test_dry_run_plans_and_writes_nothing(db: Database, tmp_path: Path, frozen) -> None:
    office, _ = town(db)
    plan = check(db, office, xlsx(tmp_path / "l.xlsx", GOOD))
    assert len(plan.creates) == 4 and plan.errors == []
    assert [importer.describe(w) for w in plan.warnings] == [
        "第6行：事项来源“领导批示”需要批示领导和批示内容两列，本表没有，来源按“其他”导入"]
    assert all_tasks(db) == []


def test_reimport_updates_instead_of_duplicating(db: Database, tmp_path: Path, frozen) -> None:
    office, _ = town(db)
    path = tmp_path / "台账.xlsx"
    run(db, office, xlsx(path, GOOD))
    with db.write() as session:  # row 2's task goes out; row 3's is withdrawn
        second = session.exec(select(Task).order_by(col(Task.id)).offset(1)).first()
        assert second is not None
        tasks.dispatch(session, task=second, actor_id=office.user_id, calendar=WorkCalendar(),
                       today=TODAY)
    again = run(db, office, xlsx(path, GOOD))
    assert again.created == [] and again.updated == [] and again.unchanged == 4
    changed = [list(r) for r in GOOD]
    changed[0][1], changed[0][4] = "农村法律明白人培养（修订）", "2027-01-31"
    changed[0][5] = "lisj"  # another leader, by username
    changed[1][4] = "2027-02-28"  # dispatched: deadline stays, the office is told
    changed[3][3] = "文化站"  # units stay as they are, the office is told
    plan = check(db, office, xlsx(path, changed))
    assert [(r.row, sorted(r.changes)) for r in plan.updates] == [
        (3, ["deadline", "leader_id", "title"])]
    assert [w.key for w in plan.warnings if w.row == 4] == ["cli.import_deadline_kept"]
    # 领导批示 without the 批示 columns: imported as "other", and the office is told.
    assert [w.key for w in plan.warnings if w.row == 6] == ["cli.import_instruction_columns",
                                                            "cli.import_units_kept"]
    result = run(db, office, path)
    found = all_tasks(db)
    assert len(found) == 4 and len(result.updated) == 1
    assert (found[0].title, found[0].deadline) == ("农村法律明白人培养（修订）", date(2027, 1, 31))
    with db.read() as session:
        assert leaders.names_of(session, {found[0].leader_id or 0}) == {found[0].leader_id: "李书记"}
    assert found[1].deadline == date(2027, 1, 15)
    # A new row in the same file is created; a renamed file is a new ledger.
    changed.append([5, "新增事项", "派出所", "", "2027-05-01", "", "", ""])
    assert len(run(db, office, xlsx(path, changed)).created) == 1
    with db.write() as session:
        third = session.exec(select(Task).order_by(col(Task.id)).offset(2)).first()
        assert third is not None
        tasks.withdraw(session, task=third, actor_id=office.user_id, reason="撤销")
    changed[2][1] = "改了名字"
    locked = check(db, office, xlsx(path, changed))
    assert [(e.row, e.key) for e in locked.errors] == [(5, "error.import_row_locked")]
    assert "状态为已撤销" in importer.describe(locked.errors[0])


HOSTILE = ("[red]x[/] [/] [@click=app.quit]q[/] =cmd|' /C calc'!A0 '; DROP TABLE task;-- "
           "\x1b[31mred\x1b[0m \u202eevil \x07 😀 <b>&amp;</b> {code} %s")


def test_hostile_cell_text_is_stored_exactly(db: Database, tmp_path: Path, frozen) -> None:
    office, _ = town(db)
    with db.write() as session:  # a leader's name is a user's: matched as it is stored
        hostile_leader = directory.add_user(session, username="odd", display_name=HOSTILE[:90].strip(),
                                            role=Role.LEADER, password="secret123").id
    path = csv_file(tmp_path / "l.csv", [[1, HOSTILE, "镇司法所", "", "2026-12-31", HOSTILE[:90],
                                          HOSTILE, "其他"]])
    run(db, office, path)
    task = all_tasks(db)[0]
    assert (task.title, task.description, task.leader_id) == (HOSTILE, HOSTILE, hostile_leader)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_excel_writes(db: Database, tmp_path: Path, frozen,
                                           encoding: str) -> None:
    office, _ = town(db)
    plan = check(db, office, csv_file(tmp_path / "l.csv", [[1, "普法宣传", "派出所", "镇司法所",
                                                            "2026年12月31日", "", "", ""]],
                                      encoding=encoding))
    assert plan.errors == [] and plan.creates[0].title == "普法宣传"


def test_file_errors(db: Database, tmp_path: Path) -> None:
    office, head = town(db)
    with pytest.raises(DomainError, match="找不到表头|缺少的列"):
        check(db, office, csv_file(tmp_path / "h.csv", [[1, "x"]], header=["甲", "乙"]))
    with pytest.raises(DomainError, match="完成时限"):  # the missing column is named
        check(db, office, csv_file(tmp_path / "m.csv", [[1, "x", "派出所"]],
                                   header=["序号", "督办事项", "牵头单位"]))
    (tmp_path / "x.txt").write_bytes(b"old")
    with pytest.raises(DomainError, match=".xlsx"):
        check(db, office, tmp_path / "x.txt")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DomainError) as refused:
        check(db, office, tmp_path / "broken.xlsx")
    # A sentence saying what to do, not the reading library's words ("Cannot detect file
    # format", "invalid Zip archive: Could not find EOCD").
    assert str(refused.value) == (f"{tmp_path / 'broken.xlsx'}不是Excel能打开的工作簿（可能已损坏、"
                                  "设有密码，或是改了扩展名的其他文件）：请在Excel中打开，另存为.xlsx后再导入。")
    (tmp_path / "long.csv").write_text("序号,督办事项\n1,普法\n2," + "法" * 200_000 + "\n")
    with pytest.raises(DomainError) as refused:  # the csv module's "field larger than field limit"
        check(db, office, tmp_path / "long.csv")
    assert str(refused.value).startswith(f"{tmp_path / 'long.csv'}第3行附近不能按CSV读取")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x81\x30\x81\xff" * 10)
    with pytest.raises(DomainError, match="GB18030"):
        check(db, office, tmp_path / "bin.csv")
    with pytest.raises(PermissionDenied):
        check(db, head, xlsx(tmp_path / "l.xlsx", GOOD))


def test_a_workbook_is_read_by_what_it_holds_not_its_name(db: Database, tmp_path: Path,
                                                         frozen) -> None:
    """A clerk renames 台账.xlsx to 台账.xls (or the reverse): the file is read as what it is."""
    office, _ = town(db)
    renamed = tmp_path / "台账.xls"
    xlsx(tmp_path / "台账.xlsx", GOOD).rename(renamed)
    plan = check(db, office, renamed)
    assert plan.errors == [] and [row.title for row in plan.creates][:1] == ["农村法律明白人培养"]


def test_an_unreadable_workbook_is_said_in_english_too(db: Database, tmp_path: Path) -> None:
    office, _ = town(db)
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04junk")
    set_language("en")
    try:
        with pytest.raises(DomainError) as refused:
            check(db, office, tmp_path / "fake.xlsx")
        said = str(refused.value)  # said in the language of the moment it is shown
    finally:
        set_language("zh")
    assert said.startswith(f"{tmp_path / 'fake.xlsx'} is not a workbook Excel can open")
    assert "Zip" not in said and "EOCD" not in said


def test_import_through_the_command(db_url: str, tmp_path: Path, frozen) -> None:
    db = Database.from_url(db_url)
    ensure_schema(db)
    town(db)
    db.dispose()
    cli = Cli(db_url, tmp_path / "home")
    cli.login("office")
    bad = csv_file(tmp_path / "bad.csv", [r[:4] + ["2027-12-31"] + r[5:] for r in GOOD[:2]]
                   + [[3, "单位近似", "司法所", "", "2027-12-31"],
                      [4, "\x1b[2J清屏", "镇司法所", "", "2027-12-31"],
                      [5, "x", "\x1b]0;标题\x07", "", "2027-12-31"]])
    dry = cli("import", "ledger", str(bad), "--dry-run", ok=False)
    assert dry.returncode == 1 and "Traceback" not in dry.stderr
    assert "第2行，新建：农村法律明白人培养｜牵头：镇司法所｜配合：派出所、文化站" in dry.stdout
    assert "第4行：没有名为“司法所”的单位，是否指：镇司法所？" in dry.stderr
    assert "将新建3项" in dry.stdout and "错误3处" in dry.stdout
    assert "\x1b" not in dry.stdout + dry.stderr and "\x07" not in dry.stderr
    assert "第5行，新建：␛[2J清屏" in dry.stdout
    assert "2027" in dry.stderr and "calendar import" in dry.stderr  # estimated working days
    real = cli("import", "ledger", str(bad), ok=False)
    assert real.returncode == 1 and "未导入任何事项" in real.stderr
    assert all_tasks(Database.from_url(db_url)) == []
    good = xlsx(tmp_path / "good.xlsx", GOOD)
    done = cli("import", "ledger", str(good))
    assert "新建4项" in done.stdout
    again = cli("import", "ledger", str(good), "--dispatch")
    assert "新建0项，更新0项，4项无变化" in again.stdout
    listed = cli("task", "list", "--format", "json").stdout
    assert listed.count("DB-2026-") == 4
