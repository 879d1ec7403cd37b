"""Words that stored messages are rendered with (see ``services/stored_text.py``).

These keys are named by rows in the database: never rename or remove one."""

ZH: dict[str, str] = {
    "review.decided_with_detail": "{summary}：{detail}",
    "review.decided_with_comment": "{decision}；{comment}",
}

EN: dict[str, str] = {
    "review.decided_with_detail": "{summary}: {detail}",
    "review.decided_with_comment": "{decision}; {comment}",
}
