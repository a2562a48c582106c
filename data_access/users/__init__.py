"""Users, roles and kiosk links 用户与大屏链接: who may sign in, what they may see and do.

A user is matched by the identity provider's email claim; passwords are never stored.
Every change is written to the audit log by whoever made it (``by``). A district admin
manages only users and kiosk links inside their own area.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from data_access import audit
from data_access.access import KIOSK, Access
from data_access.schema import ROLES, app_user, area, kiosk_link
from data_access.scope import UnknownArea, area_row, frame, is_within, resolve_engine, run, within_condition

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
USER_COLUMNS = ("id", "email", "name", "role", "area_code", "active", "created_at", "updated_at")
KIOSK_COLUMNS = ("id", "label", "area_code", "created_by", "created_at", "expires_at", "revoked_at")
# Why a kiosk token opens nothing.
KIOSK_OK, KIOSK_UNKNOWN, KIOSK_REVOKED, KIOSK_EXPIRED = "ok", "unknown", "revoked", "expired"


class UserError(ValueError):
    """A user or kiosk change that cannot be made; ``code`` names why (for the UI text)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    area_code: str
    active: bool

    def access(self) -> Access:
        return Access(actor=self.email, role=self.role, within=self.area_code, name=self.name or self.email)


def normalise_email(text: str) -> str:
    email = (text or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise UserError("bad_email", text or "")
    return email


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("bad_role", role)
    return role


def _check_area(engine: Engine, code: str, by: Access | None) -> str:
    code = (code or "").strip()
    try:
        area_row(engine, code)
    except UnknownArea:
        raise UserError("unknown_area", code) from None
    if by is not None and not is_within(engine, code, by.within):
        raise UserError("area_outside_yours", code)
    return code


def _actor(by: Access | None) -> str:
    return by.actor if by is not None else "?"


def find_user(email: str, engine: Engine | None = None) -> User | None:
    """The user with this email (active or not), or None."""
    engine = resolve_engine(engine)
    try:
        email = normalise_email(email)
    except UserError:
        return None

    def _find():
        with engine.connect() as conn:
            return conn.execute(select(app_user).where(app_user.c.email == email)).mappings().first()

    row = run(_find)
    return User(row["id"], row["email"], row["name"], row["role"], row["area_code"], bool(row["active"])) if row else None


def active_user(email: str, engine: Engine | None = None) -> User | None:
    user = find_user(email, engine)
    return user if user is not None and user.active else None


def _managed(engine: Engine, email: str, by: Access | None) -> User:
    user = find_user(email, engine)
    if user is None:
        raise UserError("unknown_user", email)
    if by is not None and not is_within(engine, user.area_code, by.within):
        raise UserError("area_outside_yours", user.area_code)
    return user


def add_user(
    email: str, role: str, area_code: str, name: str = "", *, by: Access | None = None, engine: Engine | None = None
) -> User:
    """A new active user; UserError when the email is taken or a value is wrong."""
    engine = resolve_engine(engine)
    email = normalise_email(email)
    role = _check_role(role)
    area_code = _check_area(engine, area_code, by)
    if find_user(email, engine) is not None:
        raise UserError("exists", email)
    now = _now()

    def _add():
        with engine.begin() as conn:
            conn.execute(
                insert(app_user).values(
                    email=email,
                    name=(name or "").strip()[:100],
                    role=role,
                    area_code=area_code,
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            audit.record(
                _actor(by), audit.USER_CHANGE, area_code=area_code, detail=f"add {email} role={role} area={area_code}", conn=conn
            )

    run(_add)
    return find_user(email, engine)


def set_user(
    email: str,
    *,
    role: str | None = None,
    area_code: str | None = None,
    name: str | None = None,
    active: bool | None = None,
    by: Access | None = None,
    engine: Engine | None = None,
) -> User:
    """Change a user's role, area, name or whether they may sign in."""
    engine = resolve_engine(engine)
    user = _managed(engine, email, by)
    values: dict = {}
    if role is not None and role != user.role:
        values["role"] = _check_role(role)
    if area_code is not None and area_code != user.area_code:
        values["area_code"] = _check_area(engine, area_code, by)
    if name is not None and name.strip()[:100] != user.name:
        values["name"] = name.strip()[:100]
    if active is not None and active != user.active:
        values["active"] = active
    if not values:
        return user
    changes = " ".join(f"{k}={v}" for k, v in values.items())

    def _set():
        with engine.begin() as conn:
            conn.execute(update(app_user).where(app_user.c.id == user.id).values(**values, updated_at=_now()))
            audit.record(
                _actor(by),
                audit.USER_CHANGE,
                area_code=values.get("area_code", user.area_code),
                detail=f"set {user.email} {changes}",
                conn=conn,
            )

    run(_set)
    return find_user(user.email, engine)


def disable_user(email: str, *, by: Access | None = None, engine: Engine | None = None) -> User:
    """The user can no longer sign in; their history stays."""
    return set_user(email, active=False, by=by, engine=engine)


def list_users(within: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Users whose area lies inside ``within`` (all for None), by email."""
    engine = resolve_engine(engine)
    u = app_user.c
    statement = select(*[u[c] for c in USER_COLUMNS]).order_by(u.email)
    inside = within_condition(engine, within)
    if inside is not None:
        statement = statement.where(u.area_code.in_(select(area.c.code).where(inside)))
    result = frame(engine, statement, USER_COLUMNS)
    result["active"] = result["active"].astype(bool)
    return result


# ---------------------------------------------------------------- kiosk links
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def kiosk_url(public_url: str, token: str) -> str:
    """The link that opens the wall for a kiosk token."""
    return public_url.rstrip("/") + "/?" + urlencode({"mode": "wall", "kiosk": token})


def create_kiosk(
    area_code: str, label: str, days: int | None = None, *, by: Access | None = None, engine: Engine | None = None
) -> tuple[int, str]:
    """A new kiosk link for ``area_code``: (its id, the token). Only the token's hash is
    stored, so the token is shown this once."""
    engine = resolve_engine(engine)
    area_code = _check_area(engine, area_code, by)
    label = (label or "").strip()[:100]
    if not label:
        raise UserError("missing_label")
    if days is not None and days < 1:
        raise UserError("bad_days", str(days))
    token = secrets.token_urlsafe(32)
    now = _now()
    expires = now + dt.timedelta(days=days) if days else None

    def _create():
        with engine.begin() as conn:
            link_id = conn.execute(
                insert(kiosk_link).values(
                    token_sha256=token_hash(token),
                    area_code=area_code,
                    label=label,
                    created_by=_actor(by),
                    created_at=now,
                    expires_at=expires,
                )
            ).inserted_primary_key[0]  # no INSERT … RETURNING on MySQL
            audit.record(
                _actor(by),
                audit.USER_CHANGE,
                area_code=area_code,
                detail=f"kiosk {link_id} created: {label}" + (f", {days} days" if days else ""),
                conn=conn,
            )
            return link_id

    return run(_create), token


def revoke_kiosk(link_id: int, *, by: Access | None = None, engine: Engine | None = None) -> None:
    engine = resolve_engine(engine)

    def _row():
        with engine.connect() as conn:
            return conn.execute(select(kiosk_link).where(kiosk_link.c.id == int(link_id))).mappings().first()

    row = run(_row)
    if row is None:
        raise UserError("unknown_kiosk", str(link_id))
    if by is not None and not is_within(engine, row["area_code"], by.within):
        raise UserError("area_outside_yours", row["area_code"])
    if row["revoked_at"] is not None:
        return

    def _revoke():
        with engine.begin() as conn:
            conn.execute(update(kiosk_link).where(kiosk_link.c.id == row["id"]).values(revoked_at=_now()))
            audit.record(
                _actor(by),
                audit.USER_CHANGE,
                area_code=row["area_code"],
                detail=f"kiosk {row['id']} revoked: {row['label']}",
                conn=conn,
            )

    run(_revoke)


def kiosk_access(
    token: str, engine: Engine | None = None, now: dt.datetime | None = None
) -> tuple[str, Access | None, str | None]:
    """(why, the wall's access when valid, the link's area) for a token from a URL."""
    engine = resolve_engine(engine)
    if not token or len(token) > 200:
        return KIOSK_UNKNOWN, None, None

    def _row():
        with engine.connect() as conn:
            return conn.execute(select(kiosk_link).where(kiosk_link.c.token_sha256 == token_hash(token))).mappings().first()

    row = run(_row)
    if row is None:
        return KIOSK_UNKNOWN, None, None
    if row["revoked_at"] is not None:
        return KIOSK_REVOKED, None, row["area_code"]
    expires = row["expires_at"]
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    if expires is not None and expires <= (now or _now()):
        return KIOSK_EXPIRED, None, row["area_code"]
    return KIOSK_OK, Access(actor=f"kiosk:{row['id']}", role=KIOSK, within=row["area_code"], name=row["label"]), row["area_code"]


def kiosk_links(within: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Kiosk links for areas inside ``within``, newest first (never their tokens)."""
    engine = resolve_engine(engine)
    k = kiosk_link.c
    statement = select(*[k[c] for c in KIOSK_COLUMNS]).order_by(k.id.desc())
    inside = within_condition(engine, within)
    if inside is not None:
        statement = statement.where(k.area_code.in_(select(area.c.code).where(inside)))
    return frame(engine, statement, KIOSK_COLUMNS)


__all__ = [
    "KIOSK_EXPIRED",
    "KIOSK_OK",
    "KIOSK_REVOKED",
    "KIOSK_UNKNOWN",
    "User",
    "UserError",
    "active_user",
    "add_user",
    "create_kiosk",
    "disable_user",
    "find_user",
    "kiosk_access",
    "kiosk_links",
    "kiosk_url",
    "list_users",
    "normalise_email",
    "revoke_kiosk",
    "set_user",
    "token_hash",
]
