"""Trust in the interface: crash reports (issue 9)."""

ZH = {
    "tui.crash.report": "督办协同看板遇到程序错误，已退出；错误报告已保存到 {path}，请将该文件发给系统管理员。",
    "tui.crash.unwritable": "督办协同看板遇到程序错误，已退出；错误报告无法保存（{detail}）。",
}

EN = {
    "tui.crash.report": "coordboard hit a program error and closed; a crash report was saved to {path}. "
                        "Please send this file to your administrator.",
    "tui.crash.unwritable": "coordboard hit a program error and closed; the crash report could not "
                            "be saved ({detail}).",
}
