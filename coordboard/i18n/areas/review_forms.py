"""The review names the request it decides: who asked, for what, when, and why."""

ZH: dict[str, str] = {
    "tui.review.waiting": "待决定：{request}",
    "tui.review.waiting_reason": "（理由：{reason}）",
    "tui.review.deadline_now": "现办理期限：{date}",
    "review.pending.closure_by": "{unit}于 {date} 申请办结（{timing}）",
    "review.pending.in_time": "期限内",
    "review.pending.late": "已过期限",
    "review.pending.returned_before": "，此前已退回{count}次",
}

EN: dict[str, str] = {
    "tui.review.waiting": "Waiting for a decision: {request}",
    "tui.review.waiting_reason": " (reason: {reason})",
    "tui.review.deadline_now": "Deadline now: {date}",
    "review.pending.closure_by": "{unit} asked to close on {date} ({timing})",
    "review.pending.in_time": "within the deadline",
    "review.pending.late": "after the deadline",
    "review.pending.returned_before": "; returned {count} {count|time|times} before",
}
