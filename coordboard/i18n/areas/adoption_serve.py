"""Adoption, part two: the browser (``coordboard serve``), importing from the interface, and
when the last backup was made (issue 14 items 1, 2, 8)."""

ZH: dict[str, str] = {
    # coordboard serve
    "cli.help.serve": "在浏览器中提供本界面：每个浏览器会话以自己的用户登录；"
                      "数据库设置只留在服务器上。",
    "cli.help.serve.host": "监听地址（127.0.0.1：仅本机）。",
    "cli.help.serve.port": "监听端口。",
    "cli.help.serve.public_url": "前面有反向代理时，浏览器使用的地址。",
    "cli.help.serve.config": "会话使用的设置文件（默认：通常的 config.toml）。",
    "cli.serve_started": "正在 {url} 提供督办协同看板（数据库：{db}）；按 Ctrl+C 停止。",
    "serve.page.start": "开始",
    "serve.page.restart": "重新开始",
    "serve.page.ended": "会话已结束。",
    # the office home: the last backup
    "tui.home.backup_at": "上次备份：{at}",
    "tui.home.backup_never": "上次备份：从未备份",
}

EN: dict[str, str] = {
    "cli.help.serve": "Serve the interface to browsers: each browser session logs in as its "
                      "own user; the database settings stay on the server.",
    "cli.help.serve.host": "Address to listen on (127.0.0.1: this computer only).",
    "cli.help.serve.port": "Port to listen on.",
    "cli.help.serve.public_url": "The address browsers use, when a reverse proxy stands in front.",
    "cli.help.serve.config": "Settings file for the sessions (default: the usual config.toml).",
    "cli.serve_started": "Serving coordboard at {url} (database: {db}); press Ctrl+C to stop.",
    "serve.page.start": "Start",
    "serve.page.restart": "Restart",
    "serve.page.ended": "Session ended.",
    "tui.home.backup_at": "Last backup: {at}",
    "tui.home.backup_never": "Last backup: never",
}
