"""Intake settings: the ``[intake]`` table of ``dashboard.toml``, overridden by environment variables."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "dashboard.toml"

_ENV = {
    "data_start_date": "INTAKE_DATA_START_DATE",
    "max_file_mb": "INTAKE_MAX_FILE_MB",
    "max_rows": "INTAKE_MAX_ROWS",
}


@dataclass(frozen=True)
class IntakeSettings:
    data_start_date: dt.date = dt.date(2020, 1, 1)  # reports for earlier days are rejected
    max_file_mb: float = 20.0  # larger files are rejected before they are read
    max_rows: int = 300_000  # data rows one file may hold

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def _typed(field: str, value) -> object:
    if field == "data_start_date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    if field == "max_file_mb":
        return float(value)
    return int(value)


@lru_cache(maxsize=1)
def intake_settings() -> IntakeSettings:
    """The configured intake settings (read once per process)."""
    values: dict = {}
    if SETTINGS_FILE.exists():
        values.update(tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8")).get("intake", {}))
    for field, env in _ENV.items():
        if os.environ.get(env, "").strip():
            values[field] = os.environ[env]
    return IntakeSettings(**{k: _typed(k, v) for k, v in values.items() if k in _ENV})
