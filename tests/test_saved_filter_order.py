"""A user's saved filters are listed as people count: "第2组" before "第10组", Chinese by
pinyin (a helper's list read "1, 10, 11, 12, 2")."""

from coordboard.collation import natural_key
from coordboard.db import Database
from coordboard.services import saved_filters
from coordboard.services.board import BoardFilter
from tests.test_import import town


def test_numbers_count_and_chinese_goes_by_pinyin() -> None:
    names = ["filter 10", "filter 2", "第10组", "第2组", "东关村", "法治办", "filter 1"]
    assert sorted(names, key=natural_key) == [  # dì, dōng, fǎ: pinyin; then Latin letters
        "第2组", "第10组", "东关村", "法治办", "filter 1", "filter 2", "filter 10"]


def test_the_list_is_in_that_order(db: Database) -> None:
    office, _head = town(db)
    with db.write() as session:
        for name in ("filter 10", "filter 2", "filter 1"):
            saved_filters.save(session, user_id=office.user_id, name=name, flt=BoardFilter())
    with db.read() as session:
        listed = [name for name, _flt in saved_filters.list_for(session, office.user_id)]
    assert listed == ["filter 1", "filter 2", "filter 10"]
