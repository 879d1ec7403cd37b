"""Progress of exports in the interface (issue 12: exports never freeze input)."""

ZH: dict[str, str] = {
    "tui.export.rows": "已写 {rows}/{total} 行",
    "tui.export.ledger": "正在导出台账",
}

EN: dict[str, str] = {
    "tui.export.rows": "{rows} of {total} rows written",
    "tui.export.ledger": "Writing the ledger",
}
