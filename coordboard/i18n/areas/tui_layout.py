"""Tables that follow the terminal's width, forms that fit 80×24 (issue 13, items 1 and 4)."""

ZH: dict[str, str] = {
    "tui_layout.key.peek": "整行",
    "tui_layout.peek.title": "整行内容（Esc 关闭）",
    "cli.col.note": "留痕号",
    "cli.col.text": "经过",
    # A status in a table cell (the full name is on the task screen).
    "tui_layout.status.draft": "草稿",
    "tui_layout.status.assigned": "已交办",
    "tui_layout.status.acknowledged": "已签收",
    "tui_layout.status.in_progress": "办理中",
    "tui_layout.status.closure_requested": "申请办结",
    "tui_layout.status.closed": "已办结",
    "tui_layout.status.suspended": "暂缓",
    "tui_layout.status.withdrawn": "已撤销",
}

EN: dict[str, str] = {
    "tui_layout.key.peek": "Whole row",
    "tui_layout.peek.title": "The whole row (Esc closes)",
    "cli.col.note": "Note no.",
    "cli.col.text": "What happened",
    # A status in a table cell (the full name is on the task screen).
    "tui_layout.status.draft": "draft",
    "tui_layout.status.assigned": "assigned",
    "tui_layout.status.acknowledged": "acknowledged",
    "tui_layout.status.in_progress": "in progress",
    "tui_layout.status.closure_requested": "closing",
    "tui_layout.status.closed": "closed",
    "tui_layout.status.suspended": "suspended",
    "tui_layout.status.withdrawn": "withdrawn",
}
