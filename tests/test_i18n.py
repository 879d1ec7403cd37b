"""Both catalogues are complete, and every key the code uses exists."""

import re
from pathlib import Path

from coordboard.i18n import CATALOGUES, DUPLICATE_KEYS, t

PACKAGE = Path(__file__).parent.parent / "coordboard"
PREFIXES = ("error|cli|tui|light|status|reason|action|role|note|escalation|home|detail|timeline"
            "|review|bulletin|ledger|scores|report|notice"
            "|source|priority|unit_role|field")
KEY = re.compile(r"""["']((?:""" + PREFIXES + r""")\.[a-z_.]+)["']""")


def test_catalogues_have_the_same_keys() -> None:
    assert set(CATALOGUES["zh"]) == set(CATALOGUES["en"])


def test_no_key_is_defined_twice_across_areas() -> None:
    assert DUPLICATE_KEYS == []


def test_every_literal_key_in_the_code_is_translated() -> None:
    used = set()
    for source in PACKAGE.rglob("*.py"):
        if "i18n" in source.parts or "migrations" in source.parts or source.name == "models.py":
            continue  # table references such as "review.id" are not catalogue keys
        used |= set(KEY.findall(source.read_text(encoding="utf-8")))
    # A literal ending in "." is a prefix ("status." + code), checked where it is used.
    missing = sorted(key for key in used if key not in CATALOGUES["zh"] and not key.endswith("."))
    assert missing == []


def test_dynamic_keys_exist() -> None:
    from coordboard.enums import Light, TaskStatus
    from coordboard.services.lifecycle import ALLOWED_FROM

    for status in TaskStatus:
        assert f"status.{status}" in CATALOGUES["zh"]
    for light in Light:
        assert f"light.{light}" in CATALOGUES["zh"]
    for action in ALLOWED_FROM:
        assert f"action.{action}" in CATALOGUES["zh"]


def test_review_and_report_keys_exist() -> None:
    from coordboard.enums import NoteKind, ReviewState
    from coordboard.services.agenda import SECTIONS
    from coordboard.services.permissions import PERMISSIONS
    from coordboard.services.reports.ledger import COLUMNS
    from coordboard.services.scores import RULES

    keys = ([f"review.section.{s}" for s in SECTIONS] + [f"review.state.{s}" for s in ReviewState]
            + [f"scores.rule.{r}" for r in RULES] + [f"ledger.col.{c}" for c, _ in COLUMNS]
            + [f"note.{k}" for k in NoteKind] + [f"action.{a}" for a in PERMISSIONS])
    assert [key for key in keys if key not in CATALOGUES["zh"]] == []


def test_language_switch() -> None:
    assert t("light.red", language="en") == "red"
    assert t("light.red", language="zh") == "红灯"
