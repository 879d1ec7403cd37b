"""Focus and keys, the palette, help and a language complete both ways (issue 13, items 3–4)."""

ZH: dict[str, str] = {
    "tui.key.dismiss_menu": "收起列表",
    "tui.key.sort_reverse": "排序/反向",
    "tui.palette.placeholder": "搜索命令，或事项编号、标题",
    "tui.palette.themes": "搜索主题",
    "tui.palette.no_matches": "没有匹配项",
    "tui.board.no_match": "没有符合搜索或筛选条件的事项（按 x 清除筛选）。",
    "tui.quit_hint": "按 Ctrl+Q 退出督办协同看板",
    "list.separator": "、",
    "tui.prefs_unsaved": "界面语言和主题未能保存，下次启动将恢复原设置：{detail}",
    # Help: one "key<TAB>meaning" a line; a key and its meaning are never split.
    "tui.help.global": "Ctrl+P\t命令面板：按编号（如 005）或标题跳转事项、执行操作、切换语言和主题\n"
                       "F1\t帮助\nTab / Shift+Tab\t下一个 / 上一个控件（焦点所在处高亮）\n"
                       "Space\t表格中：显示整行（截断的文字和窄屏隐藏的列）\nCtrl+Q\t退出",
    "tui.help.global.note": "鼠标可点击按钮、表头和行。语言和主题的选择会保存，下次启动沿用。",
    "tui.help.home": "Enter\t打开事项\nb\t看板\ng\t登记事项（法治办）\ni\t导入台账（法治办）\nv\t每周督办例会\nk\t考核积分\n"
                     "r\t刷新\nL\t退出登录\nq\t退出",
    "tui.help.board": "/\t搜索编号或标题\nEnter / ↓\t从搜索框或日期框回到表格\nEsc\t在筛选框中：离开该框，筛选保留；在表格中：返回\n"
                      "Enter\t在表格中：打开事项\nn / p\t下一页 / 上一页（也可 PgDn / PgUp）\no\t换排序列\n"
                      "O\t反向排序（也可点击表头）\nx\t清除筛选\nCtrl+S\t保存筛选\nl\t载入筛选\n"
                      "e\t导出当前筛选的台账\nr\t刷新",
    "tui.help.board.note": "标题和单位名称按拼音排序，状态按办理流程排序。",
    "tui.help.task": "按钮\t您现在可以进行的操作\nw\t显示或收起不能进行的操作及原因\na\t操作菜单（含不可用操作及原因）\ns\t保存选中的佐证材料\nn\t生成本事项的督办通知单（Word）\nu\t生成最近一次催办通知单或督办函（Word）\nr\t刷新\nEsc\t返回",
    "tui.help.review": "s\t开始本周例会\nd\t对选中议题作出决定\nt\t由议题新建事项\nc\t结束例会并生成通报和台账\n"
                       "k\t考核积分\nr\t刷新\nEsc\t返回",
    "tui.help.scores": "Tab\t到起止日期（改后按 Enter 重算）\nEnter / ↑↓\t选中单位，下方显示依据\ne\t导出积分表\nm\t生成开始日期所在月的督办月报（Word，带图表）\n"
                       "r\t刷新\nEsc\t返回",
    "tui.help.form": "Tab\t下一项\nCtrl+S / Enter\t确定\nEsc\t取消",
    "tui.help.form.note": "出错的项目会标红并说明原因，未保存任何内容。",
    "tui.help.register": "Space\t勾选配合单位（可先输入文字搜索）\nCtrl+R\t登记并交办\nCtrl+S\t存为草稿\nEsc\t取消",
    "tui.help.register.note": "期限可按日期或按工作日数；按工作日数时自动计算截止日，并显示跳过的节假日和调休上班日。",
    "tui.key.notice": "通知单",
    "tui.key.urge": "催办函",
    "tui.key.period": "月报",
    "tui.file.notice": "督办通知单",
    "tui.file.urge": "催办督办函",
    "tui.file.ledger": "督办台账",
    "tui.file.scores": "考核积分",
    "tui.file.period": "督办月报",
    "tui.help.review.title": "每周督办例会",
    "tui.help.scores.title": "考核积分",
}

EN: dict[str, str] = {
    "tui.key.dismiss_menu": "Close list",
    "tui.key.sort_reverse": "Sort/reverse",
    "tui.palette.placeholder": "Search commands, or a task's number or title",
    "tui.palette.themes": "Search themes",
    "tui.palette.no_matches": "No matches found",
    "tui.board.no_match": "No task matches the search or filters (x clears them).",
    "tui.quit_hint": "Press Ctrl+Q to quit coordboard",
    "list.separator": ", ",
    "tui.prefs_unsaved": "The language and theme could not be saved for the next start: {detail}",
    "tui.help.global": "Ctrl+P\tcommand palette: jump to a task by its number (e.g. 005) or title, run an action, "
                       "switch language or theme\nF1\thelp\nTab / Shift+Tab\tnext / previous control (the focused "
                       "one is highlighted)\nSpace\tin a table: the whole row (cut text, columns hidden when "
                       "narrow)\nCtrl+Q\tquit",
    "tui.help.global.note": "The mouse clicks buttons, headers and rows. Language and theme are kept for the next start.",
    "tui.help.home": "Enter\topen a task\nb\tboard\ng\tregister a task (office)\ni\timport a ledger (office)\nv\tweekly review\nk\tscores\n"
                     "r\trefresh\nL\tlog out\nq\tquit",
    "tui.help.board": "/\tsearch codes and titles\nEnter / ↓\tfrom the search or a date field to the table\n"
                      "Esc\tin a filter field: leave it, the filter stays; in the table: back\n"
                      "Enter\tin the table: open the task\nn / p\tnext / previous page (or PgDn / PgUp)\n"
                      "o\tnext sort column\nO\treverse the sort (or click a header)\nx\tclear the filters\n"
                      "Ctrl+S\tsave the filter\nl\tload a saved filter\ne\texport the ledger of this filter\nr\trefresh",
    "tui.help.board.note": "Titles and unit names sort by pinyin; statuses in the order of a task's life.",
    "tui.help.task": "buttons\twhat you can do now\nw\tshow or hide the actions you cannot do now, and why\na\taction menu (with unavailable actions and why)\ns\tsave the chosen evidence file\nn\twrite the task's supervision notice (Word)\nu\twrite the latest urge notice or supervision letter (Word)\nr\trefresh\nEsc\tback",
    "tui.help.review": "s\tstart this week's review\nd\tdecide the selected item\nt\tnew task from the item\n"
                       "c\tclose the review, with bulletin and ledger\nk\tscores\nr\trefresh\nEsc\tback",
    "tui.help.scores": "Tab\tto the period's dates (Enter counts again)\nEnter / ↑↓\tchoose a unit: its "
                       "evidence below\ne\texport the score sheet\nm\twrite the month's period report (Word, with a chart) of the start date\nr\trefresh\nEsc\tback",
    "tui.help.form": "Tab\tnext field\nCtrl+S / Enter\tOK\nEsc\tcancel",
    "tui.help.form.note": "A bad field is marked red with the reason; nothing is saved.",
    "tui.help.register": "Space\ttick a supporting unit (type to search first)\nCtrl+R\tregister and dispatch\n"
                         "Ctrl+S\tsave a draft\nEsc\tcancel",
    "tui.help.register.note": "The deadline is a date or N working days; in working days the date is worked out and "
                              "the holidays and makeup days it spans are shown.",
    "tui.key.notice": "Notice",
    "tui.key.urge": "Urge letter",
    "tui.key.period": "Month report",
    "tui.file.notice": "notice",
    "tui.file.urge": "urge-letter",
    "tui.file.ledger": "ledger",
    "tui.file.scores": "scores",
    "tui.file.period": "period-report",
    "tui.help.review.title": "Weekly review",
    "tui.help.scores.title": "Scores",
}
