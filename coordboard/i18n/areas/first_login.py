"""Logging in to a database that has no users yet (often: not the demo database meant)."""

ZH: dict[str, str] = {
    "error.login_no_users": "这个数据库还没有用户。请先打开终端界面（直接运行 coordboard）"
                            "建立第一个管理员账号，再登录。",
    "error.login_no_users_demo": "这个数据库还没有用户。演示库在 {demo}，"
                                 "登录演示库：coordboard --db {demo} login",
}

EN: dict[str, str] = {
    "error.login_no_users": "This database has no users yet. Open the terminal interface (run "
                            "coordboard on its own) to create the first administrator, then "
                            "log in.",
    "error.login_no_users_demo": "This database has no users yet. The demo town is in {demo}; "
                                 "to log in to it: coordboard --db {demo} login",
}
