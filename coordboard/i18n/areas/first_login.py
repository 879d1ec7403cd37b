"""What a new user met first: logging in to a database without users (often not the demo
database meant), a date written right that is not on the calendar."""

ZH: dict[str, str] = {
    "error.no_such_date": "{field} 的日期 {value!r} 不存在（日历上没有这一天），请检查月和日。",
    "error.login_no_users": "这个数据库还没有用户。请先打开终端界面（直接运行 coordboard）"
                            "建立第一个管理员账号，再登录。",
    "error.login_no_users_demo": "这个数据库还没有用户。演示库在 {demo}，"
                                 "登录演示库：coordboard --db {demo} login",
}

EN: dict[str, str] = {
    "error.no_such_date": "The date {value!r} for {field} is not on the calendar; check the month "
                          "and day.",
    "error.login_no_users": "This database has no users yet. Open the terminal interface (run "
                            "coordboard on its own) to create the first administrator, then "
                            "log in.",
    "error.login_no_users_demo": "This database has no users yet. The demo town is in {demo}; "
                                 "to log in to it: coordboard --db {demo} login",
}
