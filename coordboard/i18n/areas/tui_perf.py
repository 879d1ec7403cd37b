"""Start-up and loading texts: database work moved off the UI thread (issue 13, item 5)."""

ZH: dict[str, str] = {
    "tui.perf.starting": "正在连接数据库……",
    "tui.perf.saving": "正在保存……",
}

EN: dict[str, str] = {
    "tui.perf.starting": "Connecting to the database…",
    "tui.perf.saving": "Saving…",
}
