"""The one way user text enters a spreadsheet cell (XLSX) or a document paragraph (DOCX).

Office files are XML: control characters, ``\\ufffe`` and lone surrogates make openpyxl
raise ``IllegalCharacterError`` and python-docx "All strings must be XML compatible".
``safe_text.for_xml`` replaces them visibly (tabs and line breaks kept), so the file is
always written and nothing is silently dropped. Excel also refuses a cell longer than
32,767 characters (it "repairs" the workbook by emptying it), so cells are cut there
with a visible mark.
"""

from coordboard.safe_text import for_xml, xml_as_is

XLSX_CELL_LIMIT = 32767
CUT_MARK = "…"


def doc_text(text: str) -> str:
    """Text for a DOCX paragraph, run or table cell."""
    return for_xml(text)


def xlsx_text(text: str) -> str:
    """Text for an XLSX cell: XML-safe and within Excel's cell limit."""
    text = for_xml(text)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    return text


def xlsx_row_as_is(texts: list[str]) -> bool:
    """True when every text of a row goes into its cell unchanged (no character XML cannot
    hold, nothing to escape, none over Excel's limit): one check per row instead of
    three per cell, for the 100,000-row ledger."""
    joined = "\n".join(texts)
    return (xml_as_is(joined) and "&" not in joined and "<" not in joined and ">" not in joined
            and (len(joined) <= XLSX_CELL_LIMIT  # then so is each text
                 or all(len(text) <= XLSX_CELL_LIMIT for text in texts)))
