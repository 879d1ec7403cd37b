"""How ``bulletin_example.docx`` was made, to make it again after a change:

    python -m coordboard.templates.build_example

It is an ordinary Word document an office would copy and edit in Word or WPS: its own
红头 (here "XX镇依法治镇领导小组办公室" in red), fonts and layout, with the placeholders
docs/paperwork.md lists. Each placeholder sits in one run (Word splits a run when one is
retyped in part: type a placeholder in one go, or paste it as plain text).
"""

from pathlib import Path

EXAMPLE = Path(__file__).with_name("bulletin_example.docx")


def build(path: Path = EXAMPLE) -> Path:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    from coordboard.services.reports import bulletin_docx as gb

    doc = Document()
    gb._page_setup(doc)
    gb._declare_fonts(doc)
    gb._table_styles(doc)
    head = gb._paragraph(doc, indent=False, align="CENTER", exact=False)
    gb._run(head, "XX镇依法治镇领导小组办公室", gb.TITLE_FONT, 30, color=gb.RED)
    gb._paragraph(doc, "督办通报　{{ issue_line }}", indent=False, align="CENTER")
    line = gb._paragraph(doc, "{{ office }}　　{{ date }}", indent=False, align="RIGHT")
    gb._border(line, "bottom", gb.RED, 12)
    gb._paragraph(doc, "{{ title }}", indent=False, align="CENTER", east_asia=gb.TITLE_FONT,
                  size=gb.TITLE_PT)
    gb._paragraph(doc, "一、总体情况", east_asia=gb.H1_FONT)
    gb._paragraph(doc, "{{ overview }}")
    gb._paragraph(doc, "二、滞后事项（共{{ lagging_total }}项）", east_asia=gb.H1_FONT)
    table = doc.add_table(rows=4, cols=7)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(gb._element("w:tblLayout", type="fixed"))
    for number, (column, width) in enumerate(zip(table.columns, gb.TABLE_COLUMNS_MM,
                                                 strict=True)):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
        if number in gb.NO_WRAP_COLUMNS:  # number, code, date: never broken across lines
            column.cells[2]._tc.get_or_add_tcPr().append(gb._element("w:noWrap"))
    header = ("序号", "编号", "督办事项", "牵头单位", "配合单位", "办理期限", "滞后情况")
    keys = ("index", "code", "title", "lead", "supporters", "deadline", "late")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].style = doc.styles["Bulletin Table Header"]
        cell.paragraphs[0].add_run(text)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for item in lagging %}")
    for cell, key in zip(table.rows[2].cells, keys, strict=True):
        cell.paragraphs[0].style = doc.styles["Bulletin Table"]
        cell.paragraphs[0].add_run(f"{{{{ item.{key} }}}}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(gb._element("w:tblHeader"))  # repeated on every page
    gb._paragraph(doc, "三、表扬和批评", east_asia=gb.H1_FONT)
    gb._paragraph(doc, "{%p for note in praise %}")
    gb._paragraph(doc, "表扬：{{ note.unit }}（{{ note.code }}）{{ note.body }}")
    gb._paragraph(doc, "{%p endfor %}")
    gb._paragraph(doc, "{%p for note in criticism %}")
    gb._paragraph(doc, "批评：{{ note.unit }}（{{ note.code }}）{{ note.body }}")
    gb._paragraph(doc, "{%p endfor %}")
    gb._paragraph(doc, "四、例会决定", east_asia=gb.H1_FONT)
    gb._paragraph(doc, "{%p for d in decisions %}")
    gb._paragraph(doc, "{{ d.item }}. {{ d.code }} {{ d.title }}：{{ d.decision }}"
                       "{% if d.new_deadline %}（办理期限延至{{ d.new_deadline }}）{% endif %}")
    gb._paragraph(doc, "{%p endfor %}")
    gb._paragraph(doc, "五、下步工作", east_asia=gb.H1_FONT)
    gb._paragraph(doc, "{%p for step in next_steps %}")
    gb._paragraph(doc, "{{ loop.index }}. {{ step }}")
    gb._paragraph(doc, "{%p endfor %}")
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, "{%p for line in distribution %}", indent=False)
    gb._paragraph(doc, "{{ line }}", indent=False, size=gb.NUMBER_PT)
    gb._paragraph(doc, "{%p endfor %}", indent=False)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
