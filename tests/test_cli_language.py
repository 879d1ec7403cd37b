"""The command line speaks one language (issue 13, item 6): every command's ``--help``,
click's own words, usage errors and choices, in Chinese by default and in English on request;
and ``--version``/``--help`` start without the database layer (item 9)."""

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coordboard.cli import main
from coordboard.cli.lang import Named
from coordboard.i18n import CATALOGUES, EN, set_language

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Names that are the same in both languages: products, formats, the program.
NAMES = {"coordboard", "SQLite", "PostgreSQL", "Markdown", "Excel", "UTF", "json", "csv", "text",
         "table", "zh", "en", "md", "docx", "xlsx", "xls", "dump", "toml", "db"}


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _commands(sub, (*path, name))
    return found


def _codes(command: click.Command) -> set[str]:
    """Every word a user types as is: command names and choice codes."""
    codes = set()
    for path in _commands(command):
        codes |= set(path)
        sub = main
        for name in path:
            assert isinstance(sub, click.Group)
            sub = sub.commands[name]
        for param in sub.params:
            if isinstance(param.type, click.Choice):
                codes |= {str(c) for c in param.type.choices}
    return {word for code in codes for word in re.split(r"[-_]", code)} | codes


def _help(language: str, path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, ["--lang", language, *path, "--help"], prog_name="coordboard")
    assert result.exit_code == 0, (path, result.output)
    return result.output


def _english_words(text: str, allowed: set[str]) -> list[str]:
    text = re.sub(r"(?<![\w])--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"[\w.-]*/[\w./-]*", " ", text)  # file paths
    text = re.sub(r"\[[a-z0-9_|-]+\]|\{[a-z0-9_|-]+\}", " ", text)  # choice lists
    return [w for w in WORD.findall(text) if w not in allowed and not w.isupper()]


def test_every_command_help_is_chinese_by_default_and_in_chinese() -> None:
    allowed = NAMES | _codes(main)
    for path in _commands(main):
        text = _help("zh", path)
        assert "用法" in text and "显示本帮助并退出" in text, path
        assert _english_words(text, allowed) == [], (path, text)
    default = CliRunner().invoke(main, ["task", "--help"], prog_name="coordboard").output
    assert default == _help("zh", ("task",))


def test_every_command_is_listed_with_its_first_sentence() -> None:
    """click ends a summary at a space; Chinese has none, and a help longer than the line
    was listed as "..." (login, decide-contest)."""
    for language in ("zh", "en"):
        for path in _commands(main):
            listing = _help(language, path).partition("命令:" if language == "zh" else "Commands:")[2]
            for line in listing.splitlines():
                assert line.split()[-1:] != ["..."], (language, path, line)
    assert "  login     登录。\n" in _help("zh", ())
    # Wrapped to the terminal's width (help_format), the summary whole: lines joined.
    listed = re.sub(r"\n {10,}", "", _help("zh", ("task",)))
    assert "decide-contest  法治办：审批单位的调整申请：不同意（reject）、改由其他单位承办…\n" in listed


def test_every_command_help_in_english_has_no_chinese() -> None:
    for path in _commands(main):
        text = _help("en", path)
        assert "Usage:" in text and "Show this message and exit." in text, path
        assert CJK.findall(text) == [], (path, text)


def test_the_language_follows_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORDBOARD_LANGUAGE", "en")
    result = CliRunner().invoke(main, ["db", "--help"], prog_name="coordboard")
    assert "Usage:" in result.output and not CJK.search(result.output)


@pytest.mark.parametrize(("language", "args", "expected"), [
    ("zh", ["task", "lst"], ["错误：没有命令 'lst'。", "是否要用 'list'",
                             "运行“coordboard task --help”查看帮助"]),
    ("en", ["task", "lst"], ["Error: No such command 'lst'.", "Try 'coordboard task --help'"]),
    ("zh", ["task", "list", "--nope"], ["没有选项 '--nope'"]),
    ("zh", ["task", "list", "--page", "x"], ["'--page' 的值无效"]),
    ("zh", ["task", "add"], ["缺少选项 '--title'。\n"]),  # a Chinese full stop, not click's "."
    ("en", ["task", "add"], ["Missing option '--title'.\n"]),
    ("zh", ["report", "ledger"], ["缺少选项 '-o' / '--output'。\n"]),
    ("zh", ["task", "list", "--format", "xml"], ["'xml' 不是以下之一：'table', 'json', 'csv'"]),
])
def test_usage_errors_in_the_users_language(language: str, args: list[str],
                                            expected: list[str]) -> None:
    result = CliRunner().invoke(main, ["--lang", language, *args], prog_name="coordboard")
    assert result.exit_code == 2
    for piece in expected:
        assert piece in result.output, result.output
    assert (CJK.search(result.output) is None) == (language == "en"), result.output


def test_a_wrong_choice_lists_the_names_in_the_users_language() -> None:
    result = CliRunner().invoke(main, ["task", "list", "--light", "紫灯"])
    assert result.exit_code == 2
    assert "红灯（red）、黄灯（yellow）、绿灯（green）" in result.output, result.output
    result = CliRunner().invoke(main, ["--lang", "en", "task", "list", "--status", "nope"])
    assert "draft, assigned, acknowledged, in progress (in_progress)" in result.output, result.output


def test_choices_accept_codes_and_names_in_either_language() -> None:
    light = Named.prefixed(["red", "yellow"], "light.")
    status = Named.prefixed(["in_progress", "closed"], "status.")
    for language in ("zh", "en"):
        set_language(language)
        assert light.convert("红灯", None, None) == "red"
        assert light.convert("yellow", None, None) == "yellow"
        assert light.convert("Red", None, None) == "red"
        assert status.convert("办理中", None, None) == "in_progress"
        assert status.convert(EN["status.closed"], None, None) == "closed"
    set_language("zh")


def test_click_still_has_every_message_we_translate() -> None:
    """Our catalogue is keyed by click's own English; a reworded message would go untranslated."""
    source = "".join(p.read_text(encoding="utf-8")
                     for p in Path(click.__file__).parent.glob("*.py"))
    missing = [text for key, text in EN.items()
               if key.startswith("cli.click.") and repr(text)[1:-1] not in source
               and text not in source]
    assert missing == []


def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom coordboard.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split("\n")[-2].split())


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["task", "list", "--help"]])
def test_version_and_help_import_no_database_layer(args: list[str]) -> None:
    loaded = _modules_after(args)
    assert "click" in loaded
    assert not loaded & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "textual"}
    if len(args) == 1:  # the group answers before reading the settings (time zone: pendulum)
        assert "pendulum" not in loaded


def test_the_status_choices_are_the_lifecycles() -> None:
    from coordboard.cli.filters import STATUSES
    from coordboard.enums import TaskStatus

    assert set(STATUSES) == {str(s) for s in TaskStatus}


def test_every_named_choice_has_its_names_in_both_languages() -> None:
    named = 0
    for path in _commands(main):
        sub = main
        for name in path:
            assert isinstance(sub, click.Group)
            sub = sub.commands[name]
        for param in sub.params:
            if isinstance(param.type, Named):
                named += 1
                for key in param.type.names.values():
                    assert key in EN and key in CATALOGUES["zh"], (path, param.name, key)
    assert named >= 10


def test_login_asks_for_the_username_in_the_users_language() -> None:
    asked = CliRunner().invoke(main, ["login", "--password-stdin"], input="\n\n").output
    assert asked.startswith("用户名"), asked
    asked = CliRunner().invoke(main, ["--lang", "en", "login", "--password-stdin"],
                               input="\n\n").output
    assert asked.startswith("Username"), asked


def test_version_imports_no_command_module() -> None:
    code = ("import sys\nfrom coordboard.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.endswith('_cmd')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split("\n")[-2] == "[]", result.stdout


def test_a_path_type_is_worded_in_each_run_s_language() -> None:
    """click words a path type when the command is imported: a zh run first must not leave
    "文件" in the next English run's help (one process, as in the test suite or a shell)."""
    from click.testing import CliRunner

    from coordboard.cli import main

    runner = CliRunner()
    assert "--bulletin 文件" in runner.invoke(main, ["review", "close", "--help"]).output
    assert "--bulletin FILE" in runner.invoke(main, ["--lang", "en", "review", "close", "--help"]).output


def test_the_sort_choices_are_the_boards() -> None:
    from coordboard.cli.filters import SORTS
    from coordboard.services.board import SORT_KEYS

    assert set(SORTS) == set(SORT_KEYS)
