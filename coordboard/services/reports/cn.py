"""How official documents name dates and weeks: in Chinese, never ISO ("2026-11-26",
"2026-W48" are for machines)."""

from datetime import date


def chinese_date(day: date) -> str:
    """2026年11月26日"""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month_day(day: date) -> str:
    """11月26日"""
    return f"{day.month}月{day.day}日"


def inner_quotes(text: str) -> str:
    """Text put inside “…”: its own double quotes become single ones, as Chinese writing
    nests them (“农村‘法律明白人’培养工程”, not “农村“法律明白人”培养工程”)."""
    return text.replace("“", "‘").replace("”", "’")


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for headings 一、二、…; 1–99)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


_SENTENCE_ENDS = ("。", "！", "？", "…", "；", ".", "!", "?", ";")


def sentence(text: str) -> str:
    """``text`` ended as a sentence of a document: a "。" unless the writer already ended it."""
    text = text.rstrip()
    return text if not text or text.endswith(_SENTENCE_ENDS) else text + "。"
