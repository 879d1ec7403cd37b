"""Why an action is not available: the preconditions' refusals and the task screen's panel."""

ZH: dict[str, str] = {
    "error.no_note_to_answer": "事项 {code} 没有需要本单位回复的提醒、催办或督办函。",
    "error.contest_none_on_task": "事项 {code} 没有待决定的调整申请。",
    "error.note_not_yours": "督办意见 {note} 不是发给本单位的，不能代为回复。",
    "why.status": "事项现为“{status}”，此时不能{action}。",
    "tui.key.why_not": "不可操作原因",
    "tui.task.why_not_title": "暂不能进行的操作及原因（按 w 收起）",
    "tui.task.why_not_hint": "另有 {count} 项操作暂不能进行，按 w 查看原因。",
    "tui.task.why_not_none": "您角色的各项操作现在都可以进行。",
}

EN: dict[str, str] = {
    "error.no_note_to_answer": "Task {code} has no reminder, urge or letter waiting for your unit's answer.",
    "error.contest_none_on_task": "Task {code} has no contest awaiting decision.",
    "error.note_not_yours": "Supervision note {note} is addressed to another unit; only that unit may answer it.",
    "why.status": "The task is “{status}”; {action} is not possible now.",
    "tui.key.why_not": "Why not",
    "tui.task.why_not_title": "Actions not available now, and why (w to hide)",
    "tui.task.why_not_hint": "Not available now: {count}; press w to see why.",
    "tui.task.why_not_none": "Every action of your role is available now.",
}
