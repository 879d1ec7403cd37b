"""A file that could not be written, said as the user's sentence: which file, and why in
plain words (the operating system's errno, and Windows' own codes for a file held open by
another program such as Excel)."""

ZH: dict[str, str] = {
    "error.file_write": "无法写入 {path}：{reason}。",
    "error.file_write_here": "无法写入文件：{reason}。",
    "error.file_reason.denied": "没有写入权限（请换一个目录，或请管理员开放权限）",
    "error.file_reason.busy": "文件正被其他程序打开（例如 Excel 或 WPS），请先关闭它",
    "error.file_reason.not_dir": "路径中有一个同名文件挡住了目录",
    "error.file_reason.missing": "目录不存在",
    "error.file_reason.no_new_files": "该目录不允许新建文件（请换一个目录）",
    "error.file_reason.is_dir": "已有同名的目录",
    "error.file_reason.full": "磁盘已满",
    "error.file_reason.read_only": "这是只读的磁盘或目录",
    "error.file_reason.too_long": "文件名或路径太长",
    "error.file_reason.other": "系统提示“{detail}”",
    "error.file_read_reason.denied": "没有读取权限（请管理员开放权限，或把文件复制到自己的目录）",
    "error.file_read_reason.missing": "文件不存在",
    "error.file_read_reason.is_dir": "这是一个目录，不是文件",
    "error.report_not_dir": "{path} 是一个文件，不是目录",
    "error.db_folder_read_only": (
        "无法打开数据库 {path}：所在文件夹 {folder} 不可写入。SQLite 需要在数据库旁边建立"
        " -wal 和 -shm 文件；请把数据库复制到可写的文件夹后用 --db 指定，或请管理员开放该文件夹的写权限。"),
    "error.db_folder_read_only_wal": (
        "无法打开数据库 {path}：所在文件夹 {folder} 不可写入。数据库旁边的 {wal} 中可能还有已保存的修改："
        "请把数据库连同 {wal}、{shm} 一起复制到可写的文件夹后用 --db 指定（只复制数据库会丢失这些修改），"
        "或请管理员开放该文件夹的写权限。"),
}

EN: dict[str, str] = {
    "error.file_write": "Cannot write {path}: {reason}.",
    "error.file_write_here": "Cannot write the file: {reason}.",
    "error.file_reason.denied": "permission denied (choose another folder, or ask an "
                                "administrator for access)",
    "error.file_reason.busy": "the file is open in another program (Excel or WPS, say); close "
                              "it first",
    "error.file_reason.not_dir": "a file of that name stands where a folder should be",
    "error.file_reason.missing": "the folder does not exist",
    "error.file_reason.no_new_files": "that folder does not take new files (choose another folder)",
    "error.file_reason.is_dir": "a folder has that name",
    "error.file_reason.full": "the disk is full",
    "error.file_reason.read_only": "the disk or folder is read-only",
    "error.file_reason.too_long": "the file name or path is too long",
    "error.file_reason.other": "the system says \u201c{detail}\u201d",
    "error.file_read_reason.denied": "permission denied (ask an administrator for access, or "
                                     "copy the file to a folder of your own)",
    "error.file_read_reason.missing": "the file does not exist",
    "error.file_read_reason.is_dir": "it is a folder, not a file",
    "error.report_not_dir": "{path} is a file, not a folder",
    "error.db_folder_read_only": (
        "Cannot open the database {path}: its folder {folder} is not writable. SQLite keeps"
        " -wal and -shm files beside the database; copy the database to a writable folder and"
        " point --db at it, or ask an administrator for write access to the folder."),
    "error.db_folder_read_only_wal": (
        "Cannot open the database {path}: its folder {folder} is not writable. {wal} beside it"
        " may still hold saved changes: copy the database together with {wal} and {shm} to a"
        " writable folder and point --db at it (the database alone would lose those changes),"
        " or ask an administrator for write access to the folder."),
}
