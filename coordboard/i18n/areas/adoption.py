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
    "error.restore_busy": "数据库{path}正被其他程序使用，请所有人退出后再恢复。",
    "error.restore_failed": "无法恢复数据库{path}（SQLite：{detail}），原数据库未改动。",
    "cli.backup_done": "已备份到{path}（审计记录{events}条，校验通过）。",
    "cli.restore_done": "已从备份恢复（审计记录{events}条，校验通过）；原数据库保留为{kept}。",
    "cli.backup_last": "上次备份：{at}（{path}）",
    "cli.backup_never": "尚未备份。",
    # importing the ledger
    "error.import_unreadable": "无法读取台账{path}：{detail}",
    "error.import_missing": "找不到台账文件{path}。",
    "error.import_kind": "{path}不是可导入的台账：请用.xlsx、.xls或.csv文件。",
    "error.import_csv_line": "{path}第{row}行附近不能按CSV读取（如某格超过13万字，或引号不成对）：请在Excel中打开，"
                             "另存为“CSV UTF-8”后再导入。",
    "error.import_not_workbook": "{path}不是Excel能打开的工作簿（可能已损坏、设有密码，或是改了扩展名的其他文件）："
                                 "请在Excel中打开，另存为.xlsx后再导入。",
    "error.import_encoding": "{path}既不是UTF-8也不是GB18030编码，请在Excel中另存为“CSV UTF-8”。",
    "error.import_no_header": "在{path}的前几行找不到表头，缺少的列：{columns}。",
    "error.import_has_errors": "发现{count}处错误，未导入任何事项；请修正后重试（可先用--dry-run检查）。",
    "error.import_row_missing": "“{column}”为空",
    "error.import_row_duplicate": "“{column}”{value}与第{first}行重复",
    "error.import_row_too_long": "“{column}”超过{limit}字",
    "error.import_row_unit": "没有名为“{name}”的单位",
    "error.import_row_unit_near": "没有名为“{name}”的单位，是否指：{suggestions}？",
    "error.import_row_deadline": "时限“{value}”无法识别（可写2026-12-31、2026/12/31或2026年12月31日）",
    "error.import_row_past": "时限{value}已过",
    "error.import_row_locked": "事项{code}状态为{status}，不能再按台账更新",
    "cli.import_row": "第{row}行：{reason}",
    "cli.import_source_other": "事项来源“{value}”不在清单中，记为“其他”",
    "cli.import_deadline_kept": "{code}已交办，时限不随台账改为{value}（请走延期申请）",
    "cli.import_units_kept": "{code}的承办单位与台账不同，未按台账改动（请在事项中调整）",
    "cli.import_would_create": "第{row}行，新建：{title}｜牵头：{lead}｜配合：{support}｜时限：{deadline}",
    "cli.import_would_update": "第{row}行，更新{code}：{fields}",
    "cli.import_checked": "检查完毕：将新建{created}项，更新{updated}项，{unchanged}项无变化；错误{errors}处。",
    "cli.import_done": "导入完成：新建{created}项，更新{updated}项，{unchanged}项无变化。",
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
                          "quit, then restore.",
    "error.restore_failed": "Cannot restore the database {path} (SQLite: {detail}); it was left "
                            "as it was.",
    "cli.backup_done": "Backed up to {path} ({events} audit events, verified).",
    "cli.restore_done": "Restored from the backup ({events} audit events, verified); the previous "
                        "database is kept as {kept}.",
    "cli.backup_last": "Last backup: {at} ({path})",
    "cli.backup_never": "No backup has been made yet.",
    "error.import_unreadable": "Cannot read the ledger {path}: {detail}",
    "error.import_missing": "The ledger file {path} does not exist.",
    "error.import_kind": "{path} is not a ledger that can be imported: use an .xlsx, .xls or .csv file.",
    "error.import_csv_line": "{path} cannot be read as CSV near row {row} (a cell over 130,000 "
                             "characters, or an unmatched quote): open it in Excel, save it as \"CSV UTF-8\" and import that.",
    "error.import_not_workbook": "{path} is not a workbook Excel can open (it may be damaged, protected "
                                 "by a password, or another kind of file renamed): open it in Excel, "
                                 "save it as .xlsx and import that.",
    "error.import_encoding": "{path} is neither UTF-8 nor GB18030; save it from Excel as "
                             "\"CSV UTF-8\".",
    "error.import_no_header": "No header row in the first rows of {path}; missing columns: "
                              "{columns}.",
    "error.import_has_errors": "{count} errors found; nothing was imported. Fix them and try "
                               "again (--dry-run checks first).",
    "error.import_row_missing": "\"{column}\" is empty",
    "error.import_row_duplicate": "\"{column}\" {value} repeats row {first}",
    "error.import_row_too_long": "\"{column}\" is longer than {limit} characters",
    "error.import_row_unit": "there is no unit named \"{name}\"",
    "error.import_row_unit_near": "there is no unit named \"{name}\"; did you mean: {suggestions}?",
    "error.import_row_deadline": "deadline \"{value}\" not understood (write 2026-12-31, "
                                 "2026/12/31 or 2026年12月31日)",
    "error.import_row_past": "deadline {value} has passed",
    "error.import_row_locked": "task {code} is {status} and can no longer be updated from the "
                               "ledger",
    "cli.import_row": "Row {row}: {reason}",
    "cli.import_source_other": "source \"{value}\" is not in the list; recorded as \"other\"",
    "cli.import_deadline_kept": "{code} is dispatched; its deadline stays (not {value}): use an "
                                "extension request",
    "cli.import_units_kept": "the units of {code} differ from the ledger and were left as they "
                             "are (change them on the task)",
    "cli.import_would_create": "Row {row} new: {title} | lead: {lead} | support: {support} | "
                               "deadline: {deadline}",
    "cli.import_would_update": "Row {row} update {code}: {fields}",
    "cli.import_checked": "Checked: {created} to create, {updated} to update, {unchanged} "
                          "unchanged; {errors} errors.",
    "cli.import_done": "Imported: {created} created, {updated} updated, {unchanged} unchanged.",
}
