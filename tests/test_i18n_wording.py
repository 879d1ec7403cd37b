"""Issue 11 item 4: one word for overdue (逾期) everywhere, and no spaces between Chinese words."""

import re

from coordboard.i18n import CATALOGUES

CJK = "[\u3400-\u4dbf\u4e00-\u9fff]"
SPACED = re.compile(f"{CJK} +{CJK}")


def test_overdue_is_always_yuqi() -> None:
    assert sorted(key for key, text in CATALOGUES["zh"].items() if "超期" in text) == []


def test_no_ascii_space_between_two_chinese_characters() -> None:
    spaced = {key: text for key, text in CATALOGUES["zh"].items() if SPACED.search(text)}
    assert spaced == {}
