"""The review's decision form names the request it decides, with its reason."""

ZH: dict[str, str] = {
    "tui.review.waiting": "待决定：{request}",
    "tui.review.waiting_reason": "（理由：{reason}）",
    "tui.review.deadline_now": "现办理期限：{date}",
}

EN: dict[str, str] = {
    "tui.review.waiting": "Waiting for a decision: {request}",
    "tui.review.waiting_reason": " (reason: {reason})",
    "tui.review.deadline_now": "Deadline now: {date}",
}
