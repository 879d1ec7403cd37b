"""The command line in one language: the user's (issue 13, item 6).

The language is known before click parses anything (``--help`` answers before any
command runs): ``--lang`` among the leading options, else the configuration. Then click's
own words (``click_text``) and every command's and option's help come from the catalogue:
``cli.help.<command path>`` and ``cli.help.<command path>.<parameter>``, falling back to
``cli.help.filter.<parameter>`` (the board's filter options) and ``cli.help.any.<parameter>``.
The help written in the decorators is the developer's note; what ``--help`` shows is the
catalogue's text (a test walks every command in both languages).

Choices (``Named``) accept a code or its name in either language, and a wrong one is
answered with the names in the user's language.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

from coordboard.i18n import CATALOGUES, LANGUAGES, set_language, t

HELP_OPTION_NAMES = ["-h", "--help"]
# The group's own options that take a value (so their value is not the command's name).
_VALUED = {"--db", "--lang"}


def prepare(group: click.Group, args: Sequence[str]) -> None:
    from coordboard.cli import click_text
    from coordboard.config import configured_language

    set_language(configured_language(_language_flag(args)))
    click_text.install()
    if not {"-V", "--version"} & set(args):  # the version line needs no help text
        translate_help(group, deep=False)  # a command's own: when it is looked up


def _language_flag(args: Sequence[str]) -> str | None:
    """``--lang X`` / ``--lang=X`` among the options before the command's name."""
    previous = ""
    for arg in args:
        if previous == "--lang":
            return arg
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--" or (not arg.startswith("-") and previous not in _VALUED):
            return None
        previous = arg
    return None


def _key(path: Sequence[str]) -> str:
    return "cli.help." + (".".join(path) if path else "main")


def _param_help(path: Sequence[str], name: str) -> str | None:
    from coordboard.cli.filters import FILTER_OPTIONS

    keys = [f"{_key(path)}.{name}", f"cli.help.any.{name}"]
    if name in FILTER_OPTIONS:
        keys.insert(1, f"cli.help.filter.{name}")
    return next((t(key) for key in keys if key in CATALOGUES["zh"]), None)


SUMMARY_LIMIT = 40  # characters: a Chinese one is two columns


def summary(text: str) -> str | None:
    """A command's one line in its group's list, for a Chinese help text (None: click's
    own, which ends the first sentence at a space). A Chinese text has no spaces: click
    listed one longer than its limit as "...". Its first sentence ends at 。 or ；, and one
    longer than the limit is cut with …."""
    from coordboard.i18n import get_language

    if get_language() != "zh":
        return None
    ends = [at for at in (text.find("。"), text.find("；")) if at >= 0]
    sentence = text[:min(ends)] + "。" if ends else text
    if len(sentence) <= SUMMARY_LIMIT:
        return sentence
    kept = sentence[:SUMMARY_LIMIT - 1]
    if kept.count("（") > kept.count("）"):  # never half a bracket: "承办（reas…"
        kept = kept[:kept.rindex("（")]
    return kept + "…"


def translate_help(command: click.Command, path: tuple[str, ...] = (), *,
                   deep: bool = True) -> None:
    """Set every command's and option's help from the catalogue, in the current language."""
    from coordboard.cli.click_text import gettext

    if _key(path) in CATALOGUES["zh"]:
        command.help = t(_key(path))
        command.short_help = summary(command.help)
    # click makes each command's help option on first use, worded then (by click_text, in
    # the current language), and keeps it; one kept from an earlier run in this process
    # (tests switch languages) is reworded. Making all 75 here would cost ~30 ms a start.
    help_option = getattr(command, "_help_option", None)
    if isinstance(help_option, click.Option):
        help_option.help = gettext("Show this message and exit.")
    for param in command.params:
        if isinstance(param.type, click.Path):
            # click words a path type ("file") when the type is made, i.e. in the language
            # of whichever run imported the command first; word it again for this run.
            kind = param.type
            param.type.name = gettext(
                "file" if kind.file_okay and not kind.dir_okay
                else "directory" if kind.dir_okay and not kind.file_okay else "path")
        if not isinstance(param, click.Option) or param.name is None:
            continue
        if param.name == "version":
            param.help = gettext("Show the version and exit.")
            continue
        text = _param_help(path, param.name)
        if text is not None:
            param.help = text
        if param.prompt and f"cli.prompt.{param.name}" in CATALOGUES["zh"]:
            param.prompt = t(f"cli.prompt.{param.name}")  # click asks with this word
    if deep and isinstance(command, click.Group):
        for name, sub in command.commands.items():
            translate_help(sub, (*path, name))


class Named(click.Choice):
    """A choice given by its code or by its name in either language.

    ``names`` maps each code to the catalogue key of its name. A value that is neither is
    refused with every name and code in the user's language."""

    def __init__(self, names: Mapping[str, str]) -> None:
        super().__init__(list(names))
        self.names = dict(names)

    @classmethod
    def prefixed(cls, codes: Iterable[str], prefix: str) -> "Named":
        return cls({code: f"{prefix}{code}" for code in codes})

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        for code, key in self.names.items():
            if text.lower() == code.lower() or any(text == t(key, language=language)
                                                   for language in LANGUAGES):
                return code
        allowed = t("cli.choice_sep").join(
            name if (name := t(key)) == code else t("cli.choice_item", name=name, code=code)
            for code, key in self.names.items())  # "deadline", not "deadline (deadline)"
        self.fail(t("cli.choice_invalid", value=text, allowed=allowed), param, ctx)
