"""The bulletin's lagging items say what the office already did: the latest urge or
supervision letter, its reply date, and whether it was answered."""

ZH: dict[str, str] = {
    "bulletin.pressed": "{day}已发{kind}",
    "bulletin.pressed_by": "，限{day}前回复",
    "bulletin.pressed_answered": "（已回复）",
    "bulletin.pressed_open": "（未回复）",
}

EN: dict[str, str] = {
    "bulletin.pressed": "{kind} sent on {day}",
    "bulletin.pressed_by": ", reply by {day}",
    "bulletin.pressed_answered": " (answered)",
    "bulletin.pressed_open": " (not answered)",
}
