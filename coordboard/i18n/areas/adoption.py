"""Adoption: backup and restore, importing the office's Excel ledger (issue 14)."""

ZH = {
    # backup / restore
    "action.backup": "备份数据库",
    "action.restore": "恢复数据库",
    "error.backup_failed": "备份失败。",
    "error.backup_not_sqlite": "{path}不是可读的SQLite数据库：{detail}",
    "error.backup_corrupt": "{path}已损坏（完整性检查：{detail}），未采用。",
    "error.backup_no_schema": "{path}不是coordboard数据库（没有结构版本）。",
    "error.backup_newer": "{path}由更新版本的coordboard生成（结构版本{revision}），请先升级本程序。",
    "error.backup_chain": "{path}的审计链在第{event}条记录处断开，未采用。",
    "error.backup_no_pg_dump": "找不到pg_dump：请安装PostgreSQL客户端程序，或用COORDBOARD_PG_BIN指明其目录。",
    "error.backup_pg_dump": "pg_dump执行失败：{detail}",
    "error.backup_unwritable": "无法写入备份目录{path}：{detail}",
    "error.backup_exists": "{path}已存在，请换一个文件名。",
    "error.restore_sqlite_only": "恢复只适用于SQLite数据库；PostgreSQL请用pg_restore恢复pg_dump备份。",
    "error.restore_missing": "找不到备份文件{path}。",
    "error.restore_busy": "数据库{path}正被其他程序使用，请所有人退出后再恢复（{detail}）。",
    "cli.backup_done": "已备份到{path}（审计记录{events}条，校验通过）。",
    "cli.restore_done": "已从备份恢复（审计记录{events}条，校验通过）；原数据库保留为{kept}。",
    "cli.backup_last": "上次备份：{at}（{path}）",
    "cli.backup_never": "尚未备份。",
}

EN = {
    "action.backup": "back up the database",
    "action.restore": "restore the database",
    "error.backup_failed": "The backup failed.",
    "error.backup_not_sqlite": "{path} is not a readable SQLite database: {detail}",
    "error.backup_corrupt": "{path} is damaged (integrity check: {detail}) and was not used.",
    "error.backup_no_schema": "{path} is not a coordboard database (it has no schema revision).",
    "error.backup_newer": "{path} was made by a newer coordboard (schema {revision}); "
                          "upgrade this program first.",
    "error.backup_chain": "The audit chain in {path} breaks at event {event}; it was not used.",
    "error.backup_no_pg_dump": "pg_dump was not found: install the PostgreSQL client programs "
                               "or name their folder in COORDBOARD_PG_BIN.",
    "error.backup_pg_dump": "pg_dump failed: {detail}",
    "error.backup_unwritable": "Cannot write to the backup folder {path}: {detail}",
    "error.backup_exists": "{path} already exists; choose another file name.",
    "error.restore_sqlite_only": "Restore is for SQLite databases; restore a PostgreSQL dump "
                                 "with pg_restore.",
    "error.restore_missing": "The backup file {path} does not exist.",
    "error.restore_busy": "The database {path} is in use by another program; ask everyone to "
                          "quit, then restore ({detail}).",
    "cli.backup_done": "Backed up to {path} ({events} audit events, verified).",
    "cli.restore_done": "Restored from the backup ({events} audit events, verified); the previous "
                        "database is kept as {kept}.",
    "cli.backup_last": "Last backup: {at} ({path})",
    "cli.backup_never": "No backup has been made yet.",
}
