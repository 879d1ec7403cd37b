"""English sentences are punctuated in English: lists of names joined with ", " (not "、")
and asides in " (…)" (not "（…）"), wherever the words come from (a helper found Chinese
marks in the review's decision line, the stage list, the import preview, the export
notice, and in refusals and CLI lines built with "、")."""

import pytest

from coordboard.enums import Role
from coordboard.i18n import set_language, t
from coordboard.services.permissions import Actor, PermissionDenied, authorize


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("zh")


def test_a_refusal_lists_who_may_in_english(english) -> None:
    with pytest.raises(PermissionDenied) as refused:
        authorize(Actor(1, "x", Role.STAFF, 2), "view_review")  # two roles may
    said = str(refused.value)
    assert "、" not in said and "（" not in said, said


def test_the_aside_is_english(english) -> None:
    assert t("tui.aside", text="office") == " (office)"
    set_language("zh")
    assert t("tui.aside", text="法治办") == "（法治办）"
