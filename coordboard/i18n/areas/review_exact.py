"""The weekly review made exact, the word for overdue, and years without official holiday
data (issue 11 items 4, 5 and 8)."""

ZH: dict[str, str] = {
    "error.review_week_closed": ("本周督办例会（第{number}期，{week}）已于{day}结束；"
                                 "确需本周再开一次，请加 --again 确认"),
    "review.light_changed": "{was}→{now}",
    "bulletin.gb.held_no_decisions": "第{number}期督办例会已召开，议程事项均未作出决定。",
    "tui.review.again_title": "本周例会已结束",
    "tui.review.again_question": "本周督办例会（第{number}期）已于{day}结束。确需本周再开一次例会吗？",
    "tui.confirm.yes": "确定",
    "tui.confirm.no": "取消",
    "ledger.remark_estimated": "{year}年尚无官方节假日安排，期限前后的工作日为估算",
    "tui.board.estimated_mark": "*",
    "tui.board.estimated_legend": "*期限所在年份尚无官方节假日安排，工作日为估算",
}

EN: dict[str, str] = {
    "error.review_week_closed": ("This week's review (no. {number}, {week}) was closed on {day}; "
                                 "to hold another one this week, confirm with --again"),
    "review.light_changed": "{was} → {now}",
    "bulletin.gb.held_no_decisions": "Review no. {number} was held; no item was decided.",
    "tui.review.again_title": "This week's review is closed",
    "tui.review.again_question": ("This week's review (no. {number}) was closed on {day}. "
                                  "Hold another review this week?"),
    "tui.confirm.yes": "Yes",
    "tui.confirm.no": "Cancel",
    "ledger.remark_estimated": "No official holiday schedule for {year} yet: working days "
                               "around the deadline are estimated",
    "tui.board.estimated_mark": "*",
    "tui.board.estimated_legend": "* no official holiday schedule for the deadline's year yet: "
                                  "working days estimated",
}
