"""The bulletin in the office's own DOCX template (its 红头, its fonts), filled with docxtpl.

The setting ``bulletin_template`` names the template; empty means the built-in GB/T 9704
layout (``bulletin_docx``). The template is a Word document with Jinja2 placeholders,
``{{ issue_no }}``, ``{{ date }}``, a table row repeated with ``{%tr for item in lagging %}``
and so on: docs/paperwork.md lists every name, and coordboard/templates/bulletin_example.docx
uses them all.

Every value is text already in the document language (Chinese dates, "第48周（11月23日—
11月29日）", never ISO), XML-safe (``cells.doc_text``) and escaped by Jinja2's autoescape,
so a title with "<" or "&" cannot break the document. A name the template uses but the
bulletin does not give is an error (``StrictUndefined``), not a silent blank. A missing or
broken template is one sentence, and no file is written: the result is saved through
``files.replacing``, so the previous bulletin stays until the new one is complete.
"""

import zipfile
from pathlib import Path
from typing import Any

from coordboard.errors import ValidationError
from coordboard.files import failure_reason, replacing
from coordboard.i18n import t
from coordboard.services.reports.bulletin import Bulletin
from coordboard.services.reports.bulletin_text import (
    anchor_text,
    day_text,
    distribution,
    document_title,
    issue_line,
    lagging_row,
    pace_text,
    sections,
    silence_text,
    week_name,
)
from coordboard.services.reports.cells import doc_text
from coordboard.services.reports.cn import chinese_date, chinese_number


def _clean(value: Any) -> Any:
    """Text made XML-safe all the way down (lists and dicts of text)."""
    if isinstance(value, str):
        return doc_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def context(b: Bulletin) -> dict[str, Any]:
    """The names a template may use (docs/paperwork.md)."""
    keys = ("index", "code", "title", "lead", "supporters", "deadline", "late")
    lagging = [dict(zip(keys, lagging_row(b, i, item), strict=True))
               for i, item in enumerate(b.lagging, start=1)]

    def watch(items: list[Any]) -> list[dict[str, str]]:
        return [{"code": w.code, "title": w.title, "lead": w.lead,
                 "deadline": day_text(b, w.deadline), "pace": pace_text(b, w),
                 "units": silence_text(w)} for w in items]

    def notes(items: list[Any]) -> list[dict[str, str]]:
        return [{"unit": n.unit, "code": n.code, "body": n.body, "date": day_text(b, n.day)}
                for n in items]

    body = [{"heading": f"{chinese_number(number)}、{heading}",
             "paragraphs": [text for kind, text in blocks if kind == "p"]}
            for number, (heading, blocks) in enumerate(sections(b), start=1)]
    return _clean({
        "issue_no": str(b.number) if b.number else "",
        "issue_line": issue_line(b),
        "date": chinese_date(b.as_of),
        "week": week_name(b),
        "title": document_title(b),
        "office": b.office,
        "total": b.total, "closed": b.closed, "in_progress": b.in_progress,
        "suspended": b.suspended,
        "overdue": b.overdue, "closed_on_time": b.closed_on_time,
        "on_time_rate": b.on_time_rate(), "new_this_week": b.new_this_week,
        "closed_this_week": b.closed_this_week, "lagging_total": b.lagging_total,
        "overview": body[0]["paragraphs"][0] if body and body[0]["paragraphs"] else "",
        "sections": body,
        "lagging": lagging,
        "unit_tally": [{"unit": unit, "count": n} for unit, n in b.unit_tally],
        "yellow": watch(b.yellow), "silent": watch(b.silent),
        "praise": notes(b.praise), "criticism": notes(b.criticism),
        "decisions": [{"item": d.item, "code": d.code, "title": d.title, "decision": d.decision,
                       "new_task": d.new_task,
                       "new_deadline": chinese_date(d.new_deadline) if d.new_deadline else ""}
                      for d in b.decisions],
        "attendees": b.attendees,
        "next_steps": [line.strip() for line in b.next_steps.splitlines() if line.strip()],
        "main_to": b.main_to, "copy_to": b.copy_to, "printed_by": b.printed_by,
        "distribution": [line.replace("\t", "　　") for line in distribution(b)],
        "anchor": anchor_text(b),
    })


def write(b: Bulletin, template: Path, path: Path) -> None:
    """Fill ``template`` with the bulletin and save it as ``path`` (atomically)."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from lxml.etree import LxmlError

    template = Path(template).expanduser()
    if not template.is_file():
        raise ValidationError("bulletin_template.missing", path=str(template))
    # Sandboxed: a template is a Word file anyone with the shared folder can edit, and a
    # plain Jinja2 environment lets "{{ cycler.__init__.__globals__.os.popen('id')... }}"
    # run commands as whoever exports. Here a template can only show the values given.
    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    try:
        document = DocxTemplate(str(template))
        document.render(context(b), environment)
    except (TemplateError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            LxmlError, OSError) as exc:
        raise ValidationError("bulletin_template.broken", path=str(template),
                              detail=_why_broken(exc)) from None
    if b.anchor and not _prints_anchor(document):  # a template without ``{{ anchor }}``
        document.add_paragraph(doc_text(anchor_text(b)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        document.save(str(temporary))


def _why_broken(exc: Exception) -> str:
    """Why a template could not be filled, in the user's words (Jinja2's and python-docx's
    own messages are English)."""
    import re

    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError
    from lxml.etree import LxmlError

    if isinstance(exc, SecurityError) or (
            isinstance(exc, UndefinedError) and "unsafe" in (exc.message or "")):
        return t("bulletin_template.why.unsafe")
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' is undefined", exc.message or "")
        return (t("bulletin_template.why.unknown_name", name=found.group(1)) if found
                else t("bulletin_template.why.unknown_field"))
    if isinstance(exc, TemplateError):  # a tag left open or malformed
        return t("bulletin_template.why.syntax")
    if isinstance(exc, OSError):
        return failure_reason(exc, reading=True)
    if isinstance(exc, ValueError | LxmlError):  # a Word package whose XML is damaged
        return t("bulletin_template.why.unreadable")
    return t("bulletin_template.why.not_docx")  # not a zip, or a zip with no Word parts


def _prints_anchor(document: Any) -> bool:
    """Whether the filled template shows the audit chain's anchor line somewhere that
    ``audit verify --anchor`` reads (body, tables, headers and footers)."""
    from coordboard.services.audit import document_text, parse_anchor

    return parse_anchor(document_text(document.docx)) is not None
