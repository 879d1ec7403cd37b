"""What an office clerk trying the review, exports and English met (2026-11-26): a refused
extension said as refused."""

ZH: dict[str, str] = {
    "cli.extension_approved": "已同意延期：{code}",
    "cli.extension_refused": "已不同意延期：{code}",
}

EN: dict[str, str] = {
    "cli.extension_approved": "Extension approved: {code}",
    "cli.extension_refused": "Extension refused: {code}",
}
