"""The CLI's progress line while a long file is written."""

ZH: dict[str, str] = {
    "cli.ledger_started": "正在写台账…",
    "cli.ledger_progress": "正在写台账：已写 {rows}/{total} 行",
}

EN: dict[str, str] = {
    "cli.ledger_started": "Writing the ledger…",
    "cli.ledger_progress": "Writing the ledger: {rows} of {total} rows",
}
