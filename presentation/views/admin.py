"""The Users & audit page's tables: users, kiosk links and the audit log, in the reader's
language and local time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from data_access import audit
from presentation import formatting as fmt
from presentation.tables import display_frame
from presentation.text import text


def _times(frame: pd.DataFrame, lang: str, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].map(lambda v: fmt.local_time(v, lang)) for c in columns})


def users_table(listed: pd.DataFrame, area_label: Callable[[str], str], lang: str) -> pd.DataFrame:
    shown = _times(listed, lang, "updated_at").assign(
        role=listed["role"].map(lambda r: text(f"auth.role.{r}", lang)),
        area=listed["area_code"].map(area_label),
        active=listed["active"].map(lambda a: text("admin.active" if a else "admin.disabled", lang)),
    )
    columns = {
        "email": "admin.col.email",
        "name": "admin.col.name",
        "role": "admin.col.role",
        "area": "admin.col.area",
        "active": "admin.col.status",
        "updated_at": "admin.col.updated",
    }
    return display_frame(shown, columns, lang)


def link_status(row, now: dt.datetime, lang: str) -> str:
    """A kiosk link's state: revoked, expired or valid."""
    if row.revoked_at is not None and not pd.isna(row.revoked_at):
        return text("admin.kiosk.revoked", lang)
    if row.expires_at is not None and not pd.isna(row.expires_at) and pd.Timestamp(row.expires_at).tz_convert("UTC") <= now:
        return text("admin.kiosk.expired", lang)
    return text("admin.kiosk.valid", lang)


def kiosk_table(links: pd.DataFrame, area_label: Callable[[str], str], now: dt.datetime, lang: str) -> pd.DataFrame:
    shown = _times(links, lang, "created_at", "expires_at").assign(
        area=links["area_code"].map(area_label), status=[link_status(r, now, lang) for r in links.itertuples()]
    )
    columns = {
        "id": "common.id",
        "label": "admin.col.label",
        "area": "admin.col.area",
        "status": "admin.col.status",
        "created_by": "admin.col.created_by",
        "created_at": "admin.col.created",
        "expires_at": "admin.col.expires",
    }
    return display_frame(shown, columns, lang)


def audit_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    shown = _times(events, lang, "at").assign(
        action=events["action"].map(lambda a: text(f"admin.action.{a}", lang) if a in audit.ACTIONS else a),
        outcome=events["outcome"].map(lambda o: text(f"admin.outcome.{o}", lang) if o in (audit.OK, audit.REFUSED) else o),
    )
    columns = {
        "at": "admin.col.time",
        "actor": "admin.col.actor",
        "action": "admin.col.action",
        "outcome": "admin.col.outcome",
        "area_code": "admin.col.area",
        "detail": "admin.col.detail",
    }
    return display_frame(shown, columns, lang)
