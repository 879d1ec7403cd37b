"""Progress of exports in the interface (issue 12: exports never freeze input)."""

ZH: dict[str, str] = {
    "tui.export.rows": "已写 {rows}/{total} 行",
    "tui.export.ledger": "正在导出台账",
    "tui.export.scores": "正在导出考核得分",
    "tui.scores.export_running": "考核得分正在导出，完成后会提示",
}

EN: dict[str, str] = {
    "tui.export.rows": "{rows} of {total} rows written",
    "tui.export.ledger": "Writing the ledger",
    "tui.export.scores": "Writing the scoreboard",
    "tui.scores.export_running": "The scoreboard is already being written; you will be told when it is done",
}
