"""Words of the supervision rules: light reasons, agenda and home items, scoring details."""

ZH = {
    "reason.day": "{month}月{day}日",
    "reason.overdue_workdays": "已逾期 {workdays} 个工作日（期限{deadline}）",
    "reason.urge_overdue": "{kind}（{sent}发，限{respond_by}前回复）逾期未回复：{units}",
    "reason.all_units": "各承办单位",
    "reason.urge_overdue_short": "督促事项逾期未回复（限{respond_by}前回复）",
    "reason.silent_workdays": "{unit}已 {workdays} 个工作日未反馈",
    "reason.silent_workdays_many": "{unit}等 {count} 个单位未按期反馈，最久已 {workdays} 个工作日",
    "reason.silent_workdays_some": "{unit}未按期反馈，最久已 {workdays} 个工作日",
    "reason.never_reported": "{unit}交办以来未反馈（{workdays} 个工作日）",
    "reason.never_reported_many": "{unit}等 {count} 个单位交办以来未反馈（{workdays} 个工作日）",
    "reason.late_ack": "{unit}逾期未签收（应于{due}前签收）",
    "reason.late_ack_many": "{unit}等 {count} 个单位逾期未签收（应于{due}前签收）",
    "reason.waiting_review": "已于{day}按期申请办结，待审核",
    "home.todo.late_ack": "逾期未签收（应于{due}前签收），请立即签收",
    "home.todo.never_reported": "交办以来未反馈（{workdays} 个工作日；反馈周期 {period} 个工作日）",
    "home.todo.silent_workdays": "上次反馈{date}，已 {workdays} 个工作日未反馈（反馈周期 {period} 个工作日）",
    "home.pending.late_ack": "逾期未签收（应于{due}前签收）",
    "tui.todo.late_ack": "逾期未签收",
    "tui.pending.late_ack": "逾期未签收",
    "review.section.late_ack": "逾期未签收",
    "error.review_item_has_task": "第 {item} 项已据此立项（{code}），不再重复立项",
    "error.review_undecided": "还有 {count} 项未作决定（第 {items} 项）；确认结束请加 --force",
    "review.item_decision": "{item}. [{section}] {code} {title}：{decision}",
    "review.no_decision": "（未作决定）",
    "error.calendar_import": "日历文件无法读取：{detail}（每行：日期,workday 或 holiday,说明）",
    "error.calendar_import_year": "一个文件只录入一个年度的放假安排（文件中有：{years}）",
    "cli.calendar_unset": "已删除 {day} 的调整，恢复法定安排",
    "cli.calendar_unset_none": "{day} 没有调整，无需删除",
    "cli.calendar_confirmed": "已确认 {year} 年放假安排为正式安排",
    "cli.calendar_imported": "已录入 {count} 天，{year} 年放假安排已确认",
}

EN = {
    "reason.day": "{month}/{day}",
    "reason.overdue_workdays": "Overdue by {workdays} working {workdays|day|days} (deadline {deadline})",
    "reason.urge_overdue": "{kind} (sent {sent}, reply by {respond_by}) unanswered: {units}",
    "reason.all_units": "every unit",
    "reason.urge_overdue_short": "A note unanswered past its reply date ({respond_by})",
    "reason.silent_workdays": "{unit}: no feedback for {workdays} working {workdays|day|days}",
    "reason.silent_workdays_many": "{unit} and others ({count} {count|unit|units}): no feedback for "
                                   "up to {workdays} working {workdays|day|days}",
    "reason.silent_workdays_some": "{unit}: no feedback for up to {workdays} working {workdays|day|days}",
    "reason.never_reported": "{unit}: no feedback since dispatch ({workdays} working {workdays|day|days})",
    "reason.never_reported_many": "{unit} and others ({count} {count|unit|units}): no feedback since dispatch "
                                  "({workdays} working {workdays|day|days})",
    "reason.late_ack": "{unit}: not acknowledged in time (due by {due})",
    "reason.late_ack_many": "{unit} and others ({count} {count|unit|units}): not acknowledged in time "
                            "(due by {due})",
    "reason.waiting_review": "Closure requested on time ({day}), awaiting review",
    "home.todo.late_ack": "Not acknowledged in time (due by {due}): acknowledge now",
    "home.todo.never_reported": "No feedback since dispatch ({workdays} working {workdays|day|days}; "
                                "period {period} working {period|day|days})",
    "home.todo.silent_workdays": "Last feedback {date}: none for {workdays} working {workdays|day|days} "
                                 "(period {period} working {period|day|days})",
    "home.pending.late_ack": "Not acknowledged in time (due by {due})",
    "tui.todo.late_ack": "Late ack.",
    "tui.pending.late_ack": "Late ack.",
    "review.section.late_ack": "late ack.",
    "error.review_item_has_task": "Item {item} already made task {code}; no second task",
    "error.review_undecided": "{count} {count|item has|items have} no decision (items {items}); "
                              "add --force to close anyway",
    "review.item_decision": "{item}. [{section}] {code} {title}: {decision}",
    "review.no_decision": "(no decision)",
    "error.calendar_import": "Cannot read the calendar file: {detail} "
                             "(each line: day,workday or holiday,note)",
    "error.calendar_import_year": "One file holds one year's schedule (this one has: {years})",
    "cli.calendar_unset": "Correction for {day} removed; the statutory calendar applies",
    "cli.calendar_unset_none": "No correction for {day}; nothing to remove",
    "cli.calendar_confirmed": "The {year} schedule is confirmed as official",
    "cli.calendar_imported": "{count} {count|day|days} entered; the {year} schedule is confirmed",
}
