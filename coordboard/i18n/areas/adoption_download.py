"""Files sent to a browser session (``coordboard serve``) as downloads."""

ZH: dict[str, str] = {
    "tui.export.downloading": "已生成，正在发送到浏览器下载：{names}",
}

EN: dict[str, str] = {
    "tui.export.downloading": "Written; sending to your browser as a download: {names}",
}
