"""Adoption: the responsible leader (责任领导) is a user; a leader's own tasks (issue 14 item 5)."""

ZH: dict[str, str] = {
    "error.leader_unknown": "没有名为“{name}”的领导用户。请先用“coordboard user add --role leader”添加，"
                            "可用“coordboard user list --role leader”查看现有领导。",
    "error.leader_near": "没有名为“{name}”的领导用户，是否指：{suggestions}？",
    "error.leader_ambiguous": "“{name}”对应多位领导用户：{matches}，请改用用户名。",
    "error.not_a_leader": "“{name}”不是在用的领导用户，不能作为责任领导。",
    "error.leader_twice": "责任领导只能指定一次（姓名或所选用户，二选一）。",
    "error.leader_mine_only": "只有领导用户可以查看“我的事项”（--mine）。",
    "error.import_row_leader_unknown": "没有名为“{name}”的领导用户（请先添加该领导）",
    "error.import_row_leader_near": "没有名为“{name}”的领导用户，是否指：{suggestions}？",
    "error.import_row_leader_ambiguous": "“{name}”对应多位领导用户：{matches}，请改用用户名",
    "leader.not_a_user": "（非系统用户）",
    "leader.none": "（无）",
    "tui.home.leader_mine": "我负责的事项",
    "tui.home.leader_count": "共{total}项，在办：",
    "tui.board.all_leaders": "全部领导",
    "tui.form.no_leader": "（不指定）",
    "tui.field.leader_id": "责任领导",
    "tui.form.leader_kept": "{name}（非系统用户，保留原文）",
    "cli.col.leader": "责任领导",
    "cli.show_leader": "责任领导：{name}",
    "cli.help.filter.leader": "只列出该领导负责的事项（领导用户的用户名或姓名）。",
    "cli.help.task.list.mine": "领导：列出本人负责的事项（在办的在前，红灯在前）。",
    "cli.help.user.list.role": "只列出该角色的用户（leader：可担任责任领导的用户）。",
}

EN: dict[str, str] = {
    "error.leader_unknown": "There is no leader user named “{name}”. Add one with “coordboard user add "
                            "--role leader”; “coordboard user list --role leader” lists them.",
    "error.leader_near": "There is no leader user named “{name}”; did you mean: {suggestions}?",
    "error.leader_ambiguous": "“{name}” matches several leader users: {matches}; give the username.",
    "error.not_a_leader": "“{name}” is not an active leader user and cannot be a task's responsible leader.",
    "error.leader_twice": "Give the responsible leader once (a name or a chosen user, not both).",
    "error.leader_mine_only": "Only a leader user has tasks of their own (--mine).",
    "error.import_row_leader_unknown": "there is no leader user named \"{name}\" (add the leader first)",
    "error.import_row_leader_near": "there is no leader user named \"{name}\"; did you mean: {suggestions}?",
    "error.import_row_leader_ambiguous": "\"{name}\" matches several leader users: {matches}; "
                                         "give the username",
    "leader.not_a_user": " (not a user)",
    "leader.none": "(none)",
    "tui.home.leader_mine": "Tasks I answer for",
    "tui.home.leader_count": "{total} in all; open:",
    "tui.board.all_leaders": "All leaders",
    "tui.form.no_leader": "(none)",
    "tui.field.leader_id": "Responsible leader",
    "tui.form.leader_kept": "{name} (not a user, kept as written)",
    "cli.col.leader": "Leader",
    "cli.show_leader": "Responsible leader: {name}",
    "cli.help.filter.leader": "Only tasks this leader answers for (a leader user's username or name).",
    "cli.help.task.list.mine": "A leader: the tasks you answer for (open first, reds first).",
    "cli.help.user.list.role": "Only users with this role (leader: who can answer for a task).",
}
