"""Where coordboard keeps its files. Folders are made when first needed, never at import."""

import os
from pathlib import Path

APP_NAME = "coordboard"


def config_dir() -> Path:
    override = os.environ.get("COORDBOARD_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # not at import: ``coordboard --version`` needs no folder

    return Path(platformdirs.user_config_dir(APP_NAME, False))


def config_file() -> Path:
    override = os.environ.get("COORDBOARD_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def data_dir() -> Path:
    override = os.environ.get("COORDBOARD_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, False))


def exports_dir() -> Path:
    """Where the interface writes bulletins, ledgers and score sheets."""
    return data_dir() / "exports"


def default_database_file() -> Path:
    return data_dir() / "coordboard.db"


def default_database_url() -> str:
    return f"sqlite:///{default_database_file().as_posix()}"


def seeds_dir() -> Path:
    """The demo data: shipped inside the wheel, or the checkout's ``seeds/``."""
    packaged = Path(__file__).parent / "_seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"
