"""The catalogues themselves: English plurals, list separators, no Chinese in English text."""

import re

from coordboard.i18n import EN, listing, t

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Chinese on purpose: a date format Chinese users type, and the language switch's autonym.
# A date written the Chinese way the importer reads, and the Chinese column headers a
# ledger must have, are quoted as they appear in the office's sheet.
CHINESE_ON_PURPOSE = {"error.import_row_deadline", "error.import_row_date",
                      "cli.import_instruction_columns", "tui.cmd.language", "tui.cmd.language_help"}


def test_english_plurals_follow_the_number() -> None:
    assert t("tui.count", "en", total=1, first=1, last=1) == "1 task, showing 1–1"
    assert t("tui.count", "en", total=45, first=1, last=45) == "45 tasks, showing 1–45"
    assert t("reason.overdue_workdays", "en", workdays=1, deadline="11/19").startswith(
        "Overdue by 1 working day (")
    assert "4 working days" in t("reason.overdue_workdays", "en", workdays=4, deadline="11/19")
    assert t("tui.count", "zh", total=1, first=1, last=1) == "共 1 项，显示第 1–1 项"


def test_no_english_text_says_maybe_plural() -> None:
    assert not [key for key, text in EN.items() if "(s)" in text]


def test_no_chinese_in_english_text() -> None:
    assert [key for key, text in EN.items() if CJK.search(text) and key not in CHINESE_ON_PURPOSE] == []


def test_lists_join_in_the_language() -> None:
    assert listing(["司法所", "派出所"], "zh") == "司法所、派出所"
    assert listing(["司法所", "派出所"], "en") == "司法所, 派出所"
