"""The bulletin's lagging items say what the office already did: the latest urge or
supervision letter, its reply date, and whether it was answered."""

ZH: dict[str, str] = {
    "bulletin.pressed.urge": "{day}已催办",
    "bulletin.pressed.letter": "{day}已发督办函",
    "bulletin.pressed_aside": "（{text}）",
    "bulletin.pressed_by": "，限{day}前回复",
    "bulletin.pressed_answered": "（已回复）",
    "bulletin.pressed_answered_by": "（{unit}已回复）",
    "bulletin.pressed_open": "（未回复）",
}

EN: dict[str, str] = {
    "bulletin.pressed.urge": "urged on {day}",
    "bulletin.pressed.letter": "supervision letter sent on {day}",
    "bulletin.pressed_aside": " ({text})",
    "bulletin.pressed_by": ", reply by {day}",
    "bulletin.pressed_answered": " (answered)",
    "bulletin.pressed_answered_by": " (answered by {unit})",
    "bulletin.pressed_open": " (not answered)",
}
