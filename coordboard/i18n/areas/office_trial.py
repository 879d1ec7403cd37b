"""What an office clerk trying the review, exports and English met (2026-11-26): a refused
extension said as refused, no urge on a suspended or closed task, a deadline on a day off pointed out."""

ZH: dict[str, str] = {
    "cli.extension_approved": "已同意延期：{code}",
    "cli.extension_refused": "已不同意延期：{code}",
    "notice.day_off": "注意：{field} {date} 不是工作日（{why}），请确认。",
    "notice.day_off.weekend": "周末",
    "notice.day_off.override": "本单位日历设为休息日",
    "notice.field.deadline": "办理期限",
    "notice.field.new_deadline": "申请的新期限",
    "notice.field.respond_by": "回复期限",
    "error.note_asks_open_task": "事项 {code} 当前为“{status}”，不能再发{kind}：只向正在办理的事项"
                                 "发提醒、催办和督办函。",
}

EN: dict[str, str] = {
    "cli.extension_approved": "Extension approved: {code}",
    "cli.extension_refused": "Extension refused: {code}",
    "notice.day_off": "Note: {field} {date} is not a working day ({why}); please check.",
    "notice.day_off.weekend": "a weekend",
    "notice.day_off.override": "a day off in the office's calendar",
    "notice.field.deadline": "the deadline",
    "notice.field.new_deadline": "the requested deadline",
    "notice.field.respond_by": "the reply date",
    "error.note_asks_open_task": "Task {code} is {status}: no {kind} can be sent; reminders, "
                                 "urges and supervision letters go to tasks being handled.",
}
