"""The dashboard's settings: ``dashboard.toml`` at the project root, each key overridden by
the environment variable named beside it there. One object for the whole application: the
display, the local time zone every day and time is read in, and (through their own
sections) intake limits, access and alert thresholds."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "dashboard.toml"


def settings_file() -> dict:
    """The parsed ``dashboard.toml`` (empty when there is none)."""
    return tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8")) if SETTINGS_FILE.exists() else {}



@dataclass(frozen=True)
class Settings:
    language: str = "zh"  # default UI language: a catalogue in presentation/locales ("zh", "en")
    cache_ttl_seconds: int = 300  # how long query results are reused
    basemap_style: str = ""  # MapLibre style JSON URL of an intranet tile server; empty = no basemap
    timezone: str = "Asia/Shanghai"  # the local time: report days, deadlines, times shown
    wall_rotate_seconds: int = 30  # the wall screen shows the next view after this long
    wall_refresh_seconds: int = 60  # the wall screen re-reads its figures this often


_ENV = {
    "language": "DASHBOARD_LANGUAGE",
    "cache_ttl_seconds": "DASHBOARD_CACHE_TTL_SECONDS",
    "basemap_style": "DASHBOARD_BASEMAP_STYLE",
    "timezone": "DASHBOARD_TIMEZONE",
    "wall_rotate_seconds": "DASHBOARD_WALL_ROTATE_SECONDS",
    "wall_refresh_seconds": "DASHBOARD_WALL_REFRESH_SECONDS",
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values: dict = dict(settings_file().get("dashboard", {}))
    for field, env in _ENV.items():
        if os.environ.get(env):
            values[field] = os.environ[env]
    defaults = Settings()
    typed = {k: type(getattr(defaults, k))(v) for k, v in values.items() if hasattr(defaults, k)}
    return Settings(**typed)


def local_timezone() -> ZoneInfo:
    """The command centre's time zone (``timezone`` in ``dashboard.toml``)."""
    return ZoneInfo(get_settings().timezone)
