"""Who is reading: the signed-in user, a wall's kiosk link or open mode, and whether
sign-in is required at all.

Pure values and settings, no Streamlit: the app, the command lines and the tests share
them. ``Access.within`` is what every query's ``Scope.within`` is set to.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

OPEN, OIDC, UNCONFIGURED = "open", "oidc", "unconfigured"
VIEWER, REPORTER, ADMIN, KIOSK = "viewer", "reporter", "admin", "kiosk"


@dataclass(frozen=True)
class Access:
    """What one reader may do: ``actor`` is who the audit log names (an email,
    ``kiosk:ID``, ``os:NAME`` or ``open``), ``within`` the area they may see
    (None: everything)."""

    actor: str
    role: str
    within: str | None
    name: str = ""

    @property
    def may_report(self) -> bool:
        return self.role in (REPORTER, ADMIN) or self.role == OPEN

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_kiosk(self) -> bool:
        return self.role == KIOSK


OPEN_ACCESS = Access(actor="open", role=OPEN, within=None)


_ENV = {"auth_mode": "DASHBOARD_AUTH_MODE", "email_claim": "DASHBOARD_EMAIL_CLAIM", "public_url": "DASHBOARD_PUBLIC_URL"}


def auth_mode(configured: str, auth_section: bool, embedded_database: bool) -> str:
    """How the app lets people in: OIDC whenever ``[auth]`` is configured (a leftover
    "open" setting never turns a configured sign-in off), open when asked for or on the
    embedded sample database, otherwise not at all."""
    if auth_section:
        return OIDC
    if configured == OPEN:
        return OPEN
    if configured == "auto" and embedded_database:
        return OPEN
    return UNCONFIGURED


def embedded_database() -> bool:
    """True when no DATABASE_URL is set: the app runs on the embedded sample file."""
    return not os.environ.get("DATABASE_URL", "").strip()


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets.toml (``STREAMLIT_SECRETS_FILES``, comma-separated,
    or its defaults), for command lines that must know whether sign-in is configured."""
    listed = os.environ.get("STREAMLIT_SECRETS_FILES", "").strip()
    if listed:
        return [Path(p.strip()) for p in listed.split(",") if p.strip()]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def auth_section_configured(files: list[Path] | None = None) -> bool:
    """True when any secrets file has an ``[auth]`` section."""
    for path in files if files is not None else secrets_files():
        try:
            if tomllib.loads(path.read_text(encoding="utf-8")).get("auth"):
                return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False
