"""Language and theme chosen in the app are there at the next start (the user config file)."""

from tui_support import login, settle

from coordboard import paths
from coordboard.config import load_settings, save_preferences
from coordboard.db import Database
from coordboard.i18n import get_language
from coordboard.tui.app import make_app


def test_preferences_change_only_their_lines() -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True)
    path.write_text('# office settings\nlanguage = "zh"\nyellow_workdays = 4\n', encoding="utf-8")
    save_preferences(language="en", theme="nord")
    assert path.read_text(encoding="utf-8") == (
        '# office settings\nlanguage = "en"\nyellow_workdays = 4\ntheme = "nord"\n')
    settings = load_settings()
    assert (settings.language, settings.theme, settings.yellow_workdays) == ("en", "nord", 4)


async def test_language_and_theme_survive_a_restart(demo_file: Database, frozen) -> None:
    app = make_app(load_settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        assert not paths.config_file().exists()  # starting writes nothing
        app.action_language("en")
        app.theme = "nord"  # what the palette's theme list does
        await settle(pilot)
    settings = load_settings()
    assert (settings.language, settings.theme) == ("en", "nord")
    again = make_app(settings, demo_file)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord" and get_language() == "en"
