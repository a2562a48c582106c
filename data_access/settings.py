"""Dashboard settings: ``dashboard.toml`` at the project root, overridden by environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "dashboard.toml"


@dataclass(frozen=True)
class Settings:
    language: str = "zh"  # default UI language: "zh" or "en"
    cache_ttl_seconds: int = 300  # how long query results are reused
    basemap_style: str = ""  # MapLibre style JSON URL of an intranet tile server; empty = no basemap
    days_of_cover_threshold: float = 7.0  # supplies under this many days of cover are flagged
    timezone: str = "Asia/Shanghai"
    wall_rotate_seconds: int = 30  # the wall screen shows the next view after this long
    wall_refresh_seconds: int = 60  # the wall screen re-reads its figures this often


_ENV = {
    "language": "DASHBOARD_LANGUAGE",
    "cache_ttl_seconds": "DASHBOARD_CACHE_TTL_SECONDS",
    "basemap_style": "DASHBOARD_BASEMAP_STYLE",
    "days_of_cover_threshold": "DASHBOARD_DAYS_OF_COVER_THRESHOLD",
    "wall_rotate_seconds": "DASHBOARD_WALL_ROTATE_SECONDS",
    "wall_refresh_seconds": "DASHBOARD_WALL_REFRESH_SECONDS",
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values: dict = {}
    if SETTINGS_FILE.exists():
        values.update(tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8")).get("dashboard", {}))
    for field, env in _ENV.items():
        if os.environ.get(env):
            values[field] = os.environ[env]
    defaults = Settings()
    typed = {k: type(getattr(defaults, k))(v) for k, v in values.items() if hasattr(defaults, k)}
    settings = Settings(**typed)
    if settings.language not in ("zh", "en"):
        settings = Settings(**{**typed, "language": "zh"})
    return settings
