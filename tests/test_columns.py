"""The one width rule of every table, as a pure function: which columns a width shows,
how wide each is, and how text too long for its column is cut."""

from rich.cells import cell_len
from rich.text import Text

from coordboard.tui.widgets.columns import ColumnSpec, cut, fit

BOARD = [ColumnSpec("code", "编号", 11), ColumnSpec("light", "灯", 6),
         ColumnSpec("title", "事项", 16, grow=3), ColumnSpec("lead", "牵头单位", 8),
         ColumnSpec("supporters", "配合单位", 12, priority=3, grow=1),
         ColumnSpec("deadline", "期限", 10, priority=2), ColumnSpec("left", "工作日", 6),
         ColumnSpec("status", "状态", 8), ColumnSpec("last_feedback", "最近反馈", 10, priority=4)]


def keys(fitted) -> list[str]:
    return [column.key for column in fitted]


def total(fitted) -> int:
    return sum(column.width + 2 for column in fitted)


def test_narrow_terminals_leave_out_the_least_important_columns_first() -> None:
    assert keys(fit(BOARD, 78)) == ["code", "light", "title", "lead", "left", "status"]
    assert keys(fit(BOARD, 90)) == ["code", "light", "title", "lead", "deadline", "left", "status"]
    assert keys(fit(BOARD, 200)) == [spec.key for spec in BOARD]


def test_every_cell_of_the_width_is_used_and_the_spare_goes_to_growing_columns() -> None:
    for available in (78, 96, 120, 158, 200):
        fitted = fit(BOARD, available)
        assert total(fitted) == available
        widths = {column.key: column.width for column in fitted}
        assert widths["code"] == 11 and widths["status"] == 8  # fixed columns stay natural
    wide = {column.key: column.width for column in fit(BOARD, 200)}
    assert wide["title"] > 3 * 16 and wide["supporters"] > 12
    assert wide["title"] - 16 >= 3 * (wide["supporters"] - 12) - 3  # shared by weight


def test_a_column_is_never_narrower_than_its_header_or_the_labels_it_shows() -> None:
    specs = [ColumnSpec("light", "Light", 4, values=("● yellow", "● red")),
             ColumnSpec("role", "Role", 4, values=("lead", "support")),
             ColumnSpec("status", "Status", 4, values=("in progress",))]
    assert [(c.key, c.width) for c in fit(specs, 100)] == [("light", 8), ("role", 7),
                                                         ("status", 11)]


def test_too_narrow_even_for_the_essential_columns_keeps_them_all() -> None:
    assert keys(fit(BOARD, 20)) == ["code", "light", "title", "lead", "left", "status"]


def test_equal_priorities_leave_out_the_rightmost_first() -> None:
    specs = [ColumnSpec("a", "a", 5), ColumnSpec("b", "b", 5, priority=1),
             ColumnSpec("c", "c", 5, priority=1)]
    assert keys(fit(specs, 15)) == ["a", "b"]


def test_cut_text_ends_in_an_ellipsis_and_never_splits_a_wide_character() -> None:
    assert cut(Text("short"), 8).plain == "short"
    assert cut(Text("in progress"), 8).plain == "in …"  # a word is not split
    assert cut(Text("none for 9 working days (period: 5)"), 29).plain == "none for 9 working days …"
    assert cut(Text("Supercalifragilistic"), 8).plain == "Superca…"  # one long word: split
    # Not a word (markup typed as a title, a link): cut where the width ends.
    assert cut(Text("[bold red]粗体[/] [link=http://x]link[/link]"), 27).plain == (
        "[bold red]粗体[/] [link=ht…")
    assert cut(Text("Please read notice at https://example.gov.cn/fazhi/2026"), 26).plain == (
        "Please read notice at htt…")
    assert cut(Text("[bold red]markup[/bold red] x"), 26).plain == "[bold red]markup[/bold re…"
    assert cut(Text("kept whole (reading), here"), 17).plain == "kept whole …"
    assert cut(Text("事项标题很长"), 6).plain == "事项…"  # 标 would need cells 5–6 and "…" one more
    assert cut(Text("事项标题很长"), 7).plain == "事项标…"
    for width in range(1, 14):
        assert cell_len(cut(Text("农村“法律明白人”培养"), width).plain) <= width
    styled = Text("红灯事项", style="red")
    assert cut(styled, 5).style == "red"


def test_a_growing_column_takes_no_more_than_its_widest_cell_and_leaves_the_rest() -> None:
    fitted = {c.key: c.width for c in fit(BOARD, 200, widest={"lead": 6, "supporters": 20})}
    assert fitted["lead"] == 8 and fitted["supporters"] == 20  # never below the natural width
    assert fitted["title"] == 200 - sum(w + 2 for k, w in fitted.items() if k != "title") - 2
    short = {c.key: c.width for c in fit(BOARD, 200, widest={"title": 30, "supporters": 14,
                                                              "lead": 8})}
    assert short["title"] == 30 and short["supporters"] == 14  # the rest stays empty


def test_optional_columns_give_way_to_a_growing_column_s_ideal_width() -> None:
    specs = [ColumnSpec("title", "事项", 16, grow=1, ideal=30), ColumnSpec("code", "编号", 11),
             ColumnSpec("last", "最近", 12, priority=1)]
    assert keys(fit(specs, 58)) == ["title", "code"]  # 32 + 13 + 14 > 58
    assert keys(fit(specs, 59)) == ["title", "code", "last"]
    assert keys(fit(specs, 20)) == ["title", "code"]  # below the floor too: the essentials stay


def test_a_whole_column_is_as_wide_as_its_widest_cell_and_never_cut() -> None:
    """Codes of a large office ("DB-2026-000123", 14 cells) cut to "DB-2026-00…" told no
    two rows apart (the trial, 100k tasks at 120 columns)."""
    specs = [ColumnSpec("code", "编号", 11, whole=True), ColumnSpec("title", "标题", 16, grow=1)]
    fitted = fit(specs, 80, widest={"code": 14, "title": 60})
    assert [f.width for f in fitted] == [14, 60]
    narrow = fit(specs, 80, widest={"code": 11, "title": 60})
    assert narrow[0].width == 11  # no wider than it needs
    plain = fit([ColumnSpec("code", "编号", 11), specs[1]], 80, widest={"code": 14, "title": 60})
    assert plain[0].width == 11  # the rule is the column's, not every column's
