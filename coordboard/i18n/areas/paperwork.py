"""Paperwork: the bulletin (督办通报), the ledger (台账), notices, and a review's files."""

ZH = {
    "report.error.review_open": "该次督办例会（{week}）尚未结束，结束后才能生成其通报和台账。",
    "report.review_written": "第{number}期督办例会的通报和台账已保存到 {folder}",
    "report.review_files_failed": (
        "督办例会已结束并封存（第{number}期），但通报和台账未能写入：{detail}。"
        "请排除问题后运行 coordboard report review {number} 重新生成。"),
}

EN = {
    "report.error.review_open": "The review ({week}) is still open: its bulletin and ledger can be "
                                "written once it is closed.",
    "report.review_written": "The bulletin and ledger of review no. {number} are saved in {folder}",
    "report.review_files_failed": (
        "The review is closed and sealed (no. {number}), but its bulletin and ledger could not "
        "be written: {detail}. Fix the cause, then run coordboard report review {number} to "
        "write them again."),
}
