"""Settings: defaults < file < environment < flags, each remembering its source."""

from pathlib import Path

import pytest

from coordboard import paths
from coordboard.config import load_settings
from coordboard.errors import ConfigError


def _write_config(text: str) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    settings = load_settings()
    assert settings.language == "zh"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.database_url.endswith("coordboard.db")
    assert dict((n, s) for n, _, s in settings.items())["timezone"] == "default"


def test_precedence_and_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_config('language = "en"\nyellow_workdays = 5\ntimezone = "Asia/Urumqi"\n')
    monkeypatch.setenv("COORDBOARD_YELLOW_WORKDAYS", "4")
    settings = load_settings(timezone="Asia/Shanghai")
    sources = {name: source for name, _, source in settings.items()}
    assert settings.language == "en" and sources["language"] == str(path)
    assert settings.yellow_workdays == 4 and sources["yellow_workdays"] == "COORDBOARD_YELLOW_WORKDAYS"
    assert settings.timezone == "Asia/Shanghai" and sources["timezone"] == "--timezone"


@pytest.mark.parametrize(("content", "fragment"), [
    ('language = "fr"', "不受支持"),
    ('timezone = "Mars/Olympus"', "无法识别"),
    ("yellow_workdays = 'many'", "yellow_workdays"),
    ("colour = 1", "未知配置项"),
    ("language = ", "无法读取配置文件"),
])
def test_bad_config_is_one_clear_sentence(content: str, fragment: str) -> None:
    _write_config(content)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert fragment in str(caught.value)


def test_scoring_weights_are_numbers_from_file_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    _write_config("score_overdue_lead = -8\nscore_praise_lead = 1.5\n")
    monkeypatch.setenv("COORDBOARD_SCORE_RETURNED", "-3.5")
    settings = load_settings()
    assert (settings.score_overdue_lead, settings.score_praise_lead, settings.score_returned) == (
        -8.0, 1.5, -3.5)
    assert settings.score_on_time_lead == 2.0  # GLOSSARY's default
    for bad in ("score_returned = true", "score_returned = 'lots'"):
        _write_config(bad)
        monkeypatch.delenv("COORDBOARD_SCORE_RETURNED", raising=False)
        with pytest.raises(ConfigError, match="score_returned"):
            load_settings()
