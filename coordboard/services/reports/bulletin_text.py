"""The words of the supervision bulletin (督办通报), shared by its writers: the DOCX in the
GB/T 9704 layout (``bulletin_docx``), the office's own template (``bulletin_template``) and
the Markdown written here. The figures are ``bulletin.build``'s; everything here is in the
document's language (Chinese), whatever the user interface language is.
"""

import re
from datetime import date
from pathlib import Path

from coordboard.files import write_text
from coordboard.i18n import clause
from coordboard.safe_text import for_xml
from coordboard.services.lights import number as stage_number
from coordboard.services.reports.bulletin import (
    Bulletin,
    DecisionLine,
    LaggingItem,
    NoteLine,
    Pressed,
    WatchItem,
)
from coordboard.services.reports.cn import (
    chinese_date,
    chinese_month_day,
    chinese_number,
    sentence,
)
from coordboard.services.review import week_bounds
from coordboard.services.stored_text import doc_t


def anchor_text(b: Bulletin) -> str:
    """审计链：第 1234 条，末项 3f9a…: the line ``audit verify --anchor`` reads back."""
    return doc_t("cli.audit_anchor_line", length=b.anchor[0], head=b.anchor[1]) if b.anchor else ""


def week_name(b: Bulletin) -> str:
    """第48周（11月23日—11月29日）: a week named the way a document names it, never ISO."""
    monday, sunday = week_bounds(b.week)
    return doc_t("bulletin.gb.week", n=monday.isocalendar()[1], start=chinese_month_day(monday),
                 end=chinese_month_day(sunday))


def issue_line(b: Bulletin) -> str:
    return doc_t("bulletin.gb.issue", number=b.number) if b.number else doc_t("bulletin.gb.issue_none")


def document_title(b: Bulletin) -> str:
    return doc_t("bulletin.gb.title", week=week_name(b))


def day_text(b: Bulletin, day: date) -> str:
    """11月20日 within the bulletin's year, 2025年12月30日 outside it."""
    return chinese_month_day(day) if day.year == b.as_of.year else chinese_date(day)


def silence_text(item: WatchItem) -> str:
    """"综治中心自交办以来未反馈进展（19个工作日）；李家村已9个工作日未反馈进展" for a silent item."""
    return doc_t("bulletin.gb.silent_sep").join(
        doc_t("bulletin.gb.silent_never" if unit.never else "bulletin.gb.silent_unit",
              unit=unit.name, workdays=unit.workdays) for unit in item.silent_units)


def pace_text(b: Bulletin, item: WatchItem) -> str:
    """"进度滞后：阶段节点②“起草”应于11月26日完成（派出所），共2个节点滞后。" for an item behind
    planned pace (its earliest late stage, the light's words), else ""."""
    if not item.late_stages:
        return ""
    first = item.late_stages[0]
    text = doc_t("reason.behind_pace", stage=stage_number(first.seq), title=first.title,
                 due=day_text(b, first.due), unit=first.unit)
    if len(item.late_stages) > 1:
        text += doc_t("reason.behind_pace_more", count=len(item.late_stages))
    return text + doc_t("bulletin.gb.pace_end")


LAGGING_HEADER = ("index", "code", "title", "lead", "supporters", "deadline", "late")


def pressed_text(p: Pressed, *, answer: bool = True) -> str:
    """Say, e.g., 11月20日已催办，限11月24日前回复（未回复）."""
    said = doc_t(f"bulletin.pressed.{p.kind}", day=chinese_month_day(p.sent))
    if p.respond_by is not None:
        said += doc_t("bulletin.pressed_by", day=chinese_month_day(p.respond_by))
        if not answer:  # said by the caller
            return said
        if p.answered and p.answered_by:  # who answered: a whole-task letter has many units
            said += doc_t("bulletin.pressed_answered_by", unit=p.answered_by)
        else:
            said += doc_t("bulletin.pressed_answered" if p.answered else "bulletin.pressed_open")
    return said


def lagging_header() -> list[str]:
    return [doc_t(f"bulletin.gb.col.{key}") for key in LAGGING_HEADER]


def lagging_row(b: Bulletin, index: int, item: LaggingItem) -> list[str]:
    # And what the office has done about it: its latest urge or letter.
    if item.urge_unanswered:  # "催办逾期未回复（11月19日已催办，限11月25日前回复）"
        late = doc_t("bulletin.gb.late_urge")
        if item.pressed is not None:
            late += doc_t("bulletin.pressed_aside", text=pressed_text(item.pressed, answer=False))
    else:
        late = doc_t("bulletin.gb.late_overdue", days=item.workdays_late)
        if item.pressed is not None:
            late += doc_t("tui.semicolon") + pressed_text(item.pressed)
    return [str(index), item.code, item.title, item.lead, "、".join(item.supporters) or "—",
            day_text(b, item.deadline), late]


Block = tuple[str, str]  # ("p", text) | ("h2", text) | ("table", "")


def sections(b: Bulletin) -> list[tuple[str, list[Block]]]:
    """The bulletin's body as (level-1 heading, blocks), headings without their numbers."""
    def paras(lines: list[str]) -> list[Block]:
        return [("p", line) for line in lines] or [("p", doc_t("bulletin.gb.none"))]

    overview = doc_t("bulletin.gb.overview", date=chinese_date(b.as_of), total=b.total,
                     closed=b.closed, in_progress=b.in_progress, overdue=b.overdue,
                     suspended=doc_t("bulletin.gb.suspended", count=b.suspended)
                     if b.suspended else "",
                     new=b.new_this_week, closed_week=b.closed_this_week, on_time=b.closed_on_time,
                     rate=b.on_time_rate())
    first: list[Block] = [("p", overview)]
    if b.attendees:
        first.append(("p", doc_t("bulletin.gb.attendees", names=b.attendees)))
    if b.lagging_total:
        lagging: list[Block] = [  # overdue items are a part of the lagging ones
            ("p", doc_t("bulletin.gb.lagging_intro", date=chinese_date(b.as_of),
                        count=b.lagging_total, overdue=b.overdue,
                        urged=b.lagging_total - b.overdue)),
            ("h2", doc_t("bulletin.gb.h2.tally")),
            ("p", doc_t("bulletin.gb.tally", list="，".join(
                doc_t("bulletin.gb.tally_item", unit=unit, count=n) for unit, n in b.unit_tally))),
            ("h2", doc_t("bulletin.gb.h2.list")),
        ]
        if len(b.lagging) < b.lagging_total:
            lagging.append(("p", doc_t("bulletin.gb.list_cut", shown=len(b.lagging))))
        lagging.append(("table", ""))
    else:
        lagging = [("p", doc_t("bulletin.gb.lagging_none"))]

    def watch_line(item: WatchItem) -> str:
        line = doc_t("bulletin.gb.watch_line", code=item.code, title=item.title, lead=item.lead,
                     deadline=day_text(b, item.deadline))
        if item.silent_units:  # who has not reported: the lead may have
            line = clause(line) + doc_t("bulletin.gb.silent_tail", units=silence_text(item))
        return line + pace_text(b, item)

    def note_line(note: NoteLine) -> str:
        return sentence(doc_t("bulletin.gb.note_line", unit=note.unit, code=note.code,
                              body=note.body, date=day_text(b, note.day)))

    def decision_line(d: DecisionLine) -> str:
        line = doc_t("bulletin.gb.decision_line", item=d.item, code=d.code, title=d.title,
                     decision=d.decision)
        if d.new_deadline is not None:
            line += doc_t("bulletin.gb.decision_new_deadline", date=day_text(b, d.new_deadline))
        if d.new_task:
            line += doc_t("bulletin.gb.decision_new_task", code=d.new_task)
        return sentence(line)

    # A review that was held but decided nothing is still a review held: said so, with
    # its issue number, never confused with a week without one.
    if not b.number:
        decisions: list[Block] = [("p", doc_t("bulletin.no_review"))]
    elif b.decisions:
        decisions = [("p", decision_line(d)) for d in b.decisions]
    else:
        decisions = [("p", doc_t("bulletin.gb.held_no_decisions", number=b.number))]
    return [
        (doc_t("bulletin.gb.h1.overview"), first),
        (doc_t("bulletin.gb.h1.lagging"), lagging),
        (doc_t("bulletin.gb.h1.watch"),
         [("h2", doc_t("bulletin.gb.h2.yellow"))] + paras([watch_line(i) for i in b.yellow])
         + [("h2", doc_t("bulletin.gb.h2.silent"))] + paras([watch_line(i) for i in b.silent])),
        (doc_t("bulletin.gb.h1.notes"),
         [("h2", doc_t("bulletin.gb.h2.praise"))] + paras([note_line(n) for n in b.praise])
         + [("h2", doc_t("bulletin.gb.h2.criticism"))] + paras([note_line(n) for n in b.criticism])),
        (doc_t("bulletin.gb.h1.decisions"), decisions),
        (doc_t("bulletin.gb.h1.next_steps"),
         [("p", line.strip()) for line in b.next_steps.splitlines() if line.strip()]
         or [("p", doc_t("bulletin.next_steps_default"))]),
    ]


def numbered(level: int, n: int, heading: str) -> str:
    """一、 for level 1, （一） for level 2."""
    return (f"{chinese_number(n)}、{heading}" if level == 1 else f"（{chinese_number(n)}）{heading}")


def distribution(b: Bulletin) -> list[str]:
    """The 版记 lines: 主送, 抄送 (when set), then who printed it and when."""
    lines = []
    if b.main_to.strip():
        lines.append(doc_t("bulletin.gb.main_to", text=b.main_to.strip()))
    if b.copy_to.strip():
        lines.append(doc_t("bulletin.gb.copy_to", text=b.copy_to.strip()))
    lines.append(doc_t("bulletin.gb.printed", org=b.printed_by, date=chinese_date(b.as_of)))
    return lines


# Characters Markdown would act on inside a line (emphasis, links, HTML, tables, entities).
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~!&])")


def md_text(text: str) -> str:
    """Text shown as typed by a Markdown viewer: a title holding "**", "<b>" or "[x](y)"
    is not made bold, HTML or a link."""
    return _MARKDOWN.sub(r"\\\1", text)


def to_markdown(b: Bulletin) -> str:
    def cell(text: str) -> str:
        return md_text(text).replace("\n", " ")

    out = [f"# {doc_t('bulletin.gb.masthead')}", "", f"**{md_text(issue_line(b))}**", "",
           f"{md_text(b.office)}　　{chinese_date(b.as_of)}", "", "---", "",
           f"## {md_text(document_title(b))}", ""]
    for number, (heading, blocks) in enumerate(sections(b), start=1):
        out += [f"### {numbered(1, number, heading)}", ""]
        sub = 0
        for kind, text in blocks:
            if kind == "h2":
                sub += 1
                out += [f"#### {md_text(numbered(2, sub, text))}", ""]
            elif kind == "table":
                out.append("| " + " | ".join(lagging_header()) + " |")
                out.append("|" + "---|" * len(LAGGING_HEADER))
                out += ["| " + " | ".join(cell(c) for c in lagging_row(b, i, item)) + " |"
                        for i, item in enumerate(b.lagging, start=1)]
                out.append("")
            else:
                out += [md_text(text), ""]
    if b.anchor:
        out += [f"> {anchor_text(b)}", ""]
    out += ["---", ""] + [md_text(line.replace("\t", "　　")) + "  " for line in distribution(b)]
    return for_xml("\n".join(out).rstrip() + "\n")  # no raw controls in a text file either


def write_markdown(b: Bulletin, path: Path) -> None:
    write_text(path, to_markdown(b))
