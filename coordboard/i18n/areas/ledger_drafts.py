"""The ledger leaves drafts out unless asked for; the export says how many it left out."""

ZH: dict[str, str] = {
    "report.drafts_left_out": "另有草稿 {count} 项未列入台账。",
    "cli.drafts_hint": "加 --include-drafts 可列入。",
}

EN: dict[str, str] = {
    "report.drafts_left_out": "{count} {count|draft is|drafts are} not in the ledger.",
    "cli.drafts_hint": " Add --include-drafts to list them.",  # after a sentence
}
