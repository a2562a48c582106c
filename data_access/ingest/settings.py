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
    "doses_capacity_factor": "INTAKE_DOSES_CAPACITY_FACTOR",
    "max_people_per_lane_hour": "INTAKE_MAX_PEOPLE_PER_LANE_HOUR",
    "max_vehicles_per_lane_hour": "INTAKE_MAX_VEHICLES_PER_LANE_HOUR",
}


@dataclass(frozen=True)
class IntakeSettings:
    data_start_date: dt.date = dt.date(2020, 1, 1)  # reports for earlier days are rejected
    max_file_mb: float = 20.0  # larger files are rejected before they are read
    max_rows: int = 300_000  # data rows one file may hold
    # Plausibility limits (checked at intake and, on stored figures, by data_access.data_checks):
    doses_capacity_factor: float = 3.0  # doses a site gives in a day ≤ its declared daily capacity × this
    # One traffic lane carries at most ~1,800 vehicles an hour when nothing stops at all,
    # and no check passes more than one person a second: a checkpoint-hour above lanes ×
    # these cannot be true, whatever staffing it had.
    max_people_per_lane_hour: int = 3_600
    max_vehicles_per_lane_hour: int = 1_800

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def _typed(field: str, value) -> object:
    if field == "data_start_date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    if field in ("max_file_mb", "doses_capacity_factor"):
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
