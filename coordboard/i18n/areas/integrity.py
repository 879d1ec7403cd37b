"""Messages of the integrity work: opening a database safely, timeouts (issue 10)."""

ZH = {
    "error.db_empty_file": "数据库文件 {path} 是空文件（0字节），未作初始化。如确要在此新建数据库，请运行 coordboard init。",
    "error.db_foreign": "数据库 {url} 中已有其他程序的数据表（{tables}），不是 coordboard 数据库，未作任何改动。请指定其他数据库。",
    "error.db_not_database": "文件 {path} 不是 SQLite 数据库，未作任何改动。请检查 --db 或 COORDBOARD_DB_URL 指定的路径。",
}

EN = {
    "error.db_empty_file": "The database file {path} is empty (0 bytes) and was left alone; run coordboard init to create a database in it.",
    "error.db_foreign": "The database {url} already holds another program's tables ({tables}); it is not a coordboard database and nothing was changed. Choose another database.",
    "error.db_not_database": "The file {path} is not a SQLite database; nothing was changed. Check the path given with --db or COORDBOARD_DB_URL.",
}
