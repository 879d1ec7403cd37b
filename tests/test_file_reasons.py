"""A file that cannot be read or written is said in the user's words: the operating
system's English ("Permission denied") never runs into a Chinese sentence, and a file
being read is not said to lack *write* permission."""

import errno
from pathlib import Path

import pytest

from coordboard import audit_key
from coordboard.errors import DomainError
from coordboard.files import failure_reason
from coordboard.i18n import set_language
from tests.test_import import check, town


@pytest.mark.parametrize(("code", "reading", "said"), [
    (errno.EACCES, True, "没有读取权限"),
    (errno.EACCES, False, "没有写入权限"),
    (errno.ENOENT, True, "文件不存在"),
    (errno.ENOENT, False, "目录不存在"),
    (errno.EISDIR, True, "这是一个目录，不是文件"),
    (errno.ENOSPC, False, "磁盘已满"),
    (errno.ENAMETOOLONG, True, "文件名或路径太长"),
])
def test_each_cause_has_its_words(code: int, reading: bool, said: str) -> None:
    exc = OSError(code, "system words", "/x/y")
    assert failure_reason(exc, reading=reading).startswith(said)


def test_a_file_that_cannot_be_made_in_a_folder_that_exists(tmp_path: Path) -> None:
    """/proc or a mount that refuses new files answers ENOENT for a folder that is there:
    saying the folder does not exist sent the user looking for a folder they can see."""
    exc = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "台账.xlsx"))
    assert failure_reason(exc) == "该目录不允许新建文件（请换一个目录）"
    gone = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "无" / "台账.xlsx"))
    assert failure_reason(gone) == "目录不存在"


def test_an_unnamed_cause_quotes_the_system() -> None:
    assert failure_reason(OSError(errno.EIO, "Input/output error")) == "系统提示“Input/output error”"


def test_english_reasons() -> None:
    set_language("en")
    try:
        assert failure_reason(OSError(errno.EACCES, "x"), reading=True).startswith(
            "permission denied (ask an administrator")
    finally:
        set_language("zh")


def test_a_ledger_that_may_not_be_read(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office, _head = town(db)
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(b"PK")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DomainError) as refused:
        check(db, office, ledger)
    assert "没有读取权限" in str(refused.value)
    assert "Permission denied" not in str(refused.value)


def test_a_damaged_audit_key_file_says_so_in_words(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(audit_key, "key_file_path", lambda: key_file)
    audit_key.clear_cache()
    try:
        with pytest.raises(DomainError) as refused:
            audit_key.lookup("any")
    finally:
        audit_key.clear_cache()
    assert "内容不完整或已被改动" in str(refused.value) and "format" not in str(refused.value)
