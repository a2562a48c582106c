"""The dashboard's settings: ``dashboard.toml`` at the project root, each key overridden by
the environment variable named beside it there. ``get_settings()`` is the one object for
the whole application: the display and the local time zone (``[dashboard]``), and as its
``intake``, ``access`` and ``alerts`` the report limits and plausibility rules
(``[intake]``), sign-in (``[access]``) and the alert thresholds (``[alerts.*]``); as its
``suppression`` small-count suppression (``[suppression]``)."""

from __future__ import annotations

import copy
import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "dashboard.toml"


# Parsed files by path, with the text they were parsed from.
_PARSED: dict[Path, tuple[str, dict]] = {}


def settings_file(path: Path | None = None) -> dict:
    """The parsed ``dashboard.toml`` (or ``path``); empty when there is none. Read on every
    call (an operator's or a test's change is seen at once) but parsed again only when its
    text changed (a page run asks about ten times); a copy each time."""
    path = path or SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    parsed = _PARSED.get(path)
    if parsed is None or parsed[0] != text:
        parsed = (text, tomllib.loads(text))
        _PARSED[path] = parsed
    return copy.deepcopy(parsed[1])


@dataclass(frozen=True)
class Settings:
    language: str = "zh"  # default UI language: a catalogue in presentation/locales ("zh", "en")
    cache_ttl_seconds: int = 300  # how long query results are reused
    basemap_style: str = ""  # MapLibre style JSON URL of an intranet tile server; empty = no basemap
    timezone: str = "Asia/Shanghai"  # the local time: report days, deadlines, times shown
    wall_rotate_seconds: int = 30  # the wall screen shows the next view after this long
    wall_refresh_seconds: int = 60  # the wall screen re-reads its figures this often

    # The other sections, each read by its own loader below.
    @property
    def intake(self) -> IntakeSettings:
        return intake_settings()

    @property
    def access(self) -> AccessSettings:
        return access_settings()

    @property
    def alerts(self) -> Thresholds:
        return load_thresholds()

    @property
    def suppression(self) -> SuppressionSettings:
        return suppression_settings()


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


# ------------------------------------------------------------------ [intake]
_INTAKE_ENV = {
    "data_start_date": "INTAKE_DATA_START_DATE",
    "max_file_mb": "INTAKE_MAX_FILE_MB",
    "max_rows": "INTAKE_MAX_ROWS",
    "max_cell_chars": "INTAKE_MAX_CELL_CHARS",
    "max_unzipped_mb": "INTAKE_MAX_UNZIPPED_MB",
    "doses_capacity_factor": "INTAKE_DOSES_CAPACITY_FACTOR",
    "max_people_per_lane_hour": "INTAKE_MAX_PEOPLE_PER_LANE_HOUR",
    "max_vehicles_per_lane_hour": "INTAKE_MAX_VEHICLES_PER_LANE_HOUR",
}


@dataclass(frozen=True)
class IntakeSettings:
    data_start_date: dt.date = dt.date(2020, 1, 1)  # reports for earlier days are rejected
    max_file_mb: float = 20.0  # larger files are rejected before they are read
    max_rows: int = 300_000  # data rows one file may hold (counted while the file is read)
    max_cell_chars: int = 1_000  # characters one cell may hold (names, remarks: far less)
    max_unzipped_mb: float = 200.0  # an XLSX unpacks to at most this before it is read
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


def _intake_typed(field: str, value) -> object:
    if field == "data_start_date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    if field in ("max_file_mb", "doses_capacity_factor", "max_unzipped_mb"):
        return float(value)
    return int(value)


@lru_cache(maxsize=1)
def intake_settings(path: Path | None = None) -> IntakeSettings:
    """``[intake]``: report limits and plausibility rules (read once per process)."""
    values: dict = dict(settings_file(path).get("intake", {}))
    for field, env in _INTAKE_ENV.items():
        if os.environ.get(env, "").strip():
            values[field] = os.environ[env]
    return IntakeSettings(**{k: _intake_typed(k, v) for k, v in values.items() if k in _INTAKE_ENV})


# ------------------------------------------------------------------ [access]
AUTH_MODES = ("auto", "open", "oidc")


@dataclass(frozen=True)
class AccessSettings:
    auth_mode: str = "auto"  # auto: sign-in when [auth] is configured, open on the embedded sample only
    email_claim: str = "email"  # the identity token's claim matched against users' emails
    public_url: str = "http://localhost:8501"  # where kiosk links point


_ACCESS_ENV = {"auth_mode": "DASHBOARD_AUTH_MODE", "email_claim": "DASHBOARD_EMAIL_CLAIM", "public_url": "DASHBOARD_PUBLIC_URL"}


def access_settings(path: Path | None = None) -> AccessSettings:
    """``[access]``: who must sign in, the identity claim, the kiosk links' address. Read
    on every call: a test or an operator changing the environment is seen at once."""
    values: dict = dict(settings_file(path).get("access", {}))
    for field, env in _ACCESS_ENV.items():
        if os.environ.get(env, "").strip():
            values[field] = os.environ[env].strip()
    known = {k: str(v) for k, v in values.items() if k in AccessSettings.__dataclass_fields__}
    settings = AccessSettings(**known)
    if settings.auth_mode not in AUTH_MODES:
        raise ValueError(f"auth_mode must be one of {', '.join(AUTH_MODES)}, not {settings.auth_mode!r}")
    return settings


# ------------------------------------------------------------------ [alerts.*]
@dataclass(frozen=True)
class Thresholds:
    days_of_cover_warning: float = 7.0
    days_of_cover_critical: float = 3.0
    # Suggested transfers (presentation/stock_transfers.py): keep every district at the
    # warning line for this many days, and a giver at the line plus this margin.
    transfer_days: int = 7
    transfer_margin_days: float = 3.0
    backlog_rising_days: int = 3
    turnaround_p90_hours: float = 24.0
    positivity_warning: float = 0.0005
    positivity_critical: float = 0.002
    positivity_min_tested: int = 1000
    fever_ratio: float = 3.0
    fever_min_cases: int = 3
    fever_baseline_days: int = 28
    booster_target: float = 0.70
    booster_target_date: dt.date | None = None  # None: ``booster_target_days`` after the data begins
    booster_target_days: int = 365
    booster_behind_points: float = 3.0
    missing_reports_warning: int = 1
    # Isolation and observation 隔离管控 ([alerts.isolation]).
    site_occupancy_warning: float = 0.85  # a site's rooms occupied above this share → warning
    site_occupancy_critical: float = 0.95  # … above this → critical
    days_until_full_warning: float = 3.0  # a site not yet full, fewer days until full → warning
    days_until_full_critical: float = 1.0  # … fewer than this → critical
    overdue_release_warning: int = 1  # people held past their release date in an area → warning
    category_rising_days: int = 3  # a category's people under management up N days in a row → warning
    category_rising_min_held: int = 10  # … when it holds at least this many
    # Inspections and enforcement 督导检查 ([alerts.inspections]), judged per street.
    inspection_overdue_warning: int = 3  # problems overdue for rectification in a street → warning
    inspection_overdue_critical: int = 10  # … at least this many → critical
    inspection_pass_rate_warning: float = 0.80  # a street's pass rate over the last days below this → warning
    inspection_pass_rate_critical: float = 0.60  # … below this → critical
    inspection_pass_rate_min_checks: int = 30  # … judged on at least this many entity checks
    inspection_pass_rate_days: int = 7  # … over this many days up to the day


@lru_cache(maxsize=4)
def load_thresholds(path: str | None = None) -> Thresholds:
    """The ``[alerts.*]`` tables (of ``dashboard.toml``, or of the TOML file ``path``); any
    key left out keeps its default. The one place alert thresholds are configured."""
    values: dict = {}
    for section in settings_file(Path(path) if path else None).get("alerts", {}).values():
        values.update(section)
    defaults = Thresholds()
    typed = {}
    for key, value in values.items():
        if key == "booster_target_date":
            typed[key] = dt.date.fromisoformat(str(value)) if str(value).strip() else None
        elif hasattr(defaults, key):
            typed[key] = type(getattr(defaults, key))(value)
    return Thresholds(**typed)


# ------------------------------------------------------------------ [suppression]
# The figures covered by default: positives, fever found, people under home observation.
SUPPRESSED_FIGURES = ("testing.positives", "checkpoints.fever", "grid.home_observation")
MIN_SUPPRESSION_THRESHOLD = 3  # with "<2" the only count it can stand for is 1


@dataclass(frozen=True)
class SuppressionSettings:
    """Small-count suppression 小数抑制 (presentation/suppression.py): off by default."""

    enabled: bool = False  # counts below the threshold leave the centre as "<threshold"
    threshold: int = 5  # counts 1 … threshold − 1 are suppressed
    metrics: tuple[str, ...] = SUPPRESSED_FIGURES  # catalogue keys of the counts covered
    on_screen: bool = False  # the pages show them suppressed too, not only exports and the briefing


_SUPPRESSION_ENV = {
    "enabled": "DASHBOARD_SUPPRESSION_ENABLED",
    "threshold": "DASHBOARD_SUPPRESSION_THRESHOLD",
    "metrics": "DASHBOARD_SUPPRESSION_METRICS",
    "on_screen": "DASHBOARD_SUPPRESSION_ON_SCREEN",
}
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


def _flag(field: str, value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in _TRUE + _FALSE:
        raise ValueError(f"[suppression] {field} must be true or false, not {value!r}")
    return word in _TRUE


def suppression_settings(path: Path | None = None) -> SuppressionSettings:
    """``[suppression]``: whether, from which count and for which figures small counts are
    suppressed. Read on every call, like ``[access]``: an operator or a test changing the
    environment is seen at once. ``metrics`` from the environment is comma-separated."""
    values: dict = dict(settings_file(path).get("suppression", {}))
    for field, env in _SUPPRESSION_ENV.items():
        if os.environ.get(env, "").strip():
            values[field] = os.environ[env].strip()
    typed: dict = {}
    for field, value in values.items():
        if field in ("enabled", "on_screen"):
            typed[field] = _flag(field, value)
        elif field == "threshold":
            typed[field] = int(value)
        elif field == "metrics":
            keys = value.split(",") if isinstance(value, str) else value
            typed[field] = tuple(k.strip() for k in keys if str(k).strip())
    settings = SuppressionSettings(**typed)
    if settings.threshold < MIN_SUPPRESSION_THRESHOLD:
        raise ValueError(f"[suppression] threshold must be at least {MIN_SUPPRESSION_THRESHOLD}, not {settings.threshold}")
    return settings
