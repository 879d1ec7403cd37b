"""Messages added while joining the parts of one release."""

ZH = {
    "tui.review.close_undecided": "第{items}项（共 {count} 项）尚未作出决定。提交即确认在未决定的情况下关闭本次例会。",
}

EN = {
    "tui.review.close_undecided": "{count|Item|Items} {items} {count|has|have} no decision yet. Submitting confirms closing the review without them.",
}
