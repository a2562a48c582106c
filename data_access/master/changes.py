"""Effective-dated changes to areas and facilities 区划与单位调整: renamed, moved to another
parent, retired, merged into another. Each is recorded with its day and who made it.

Figures stay with the area or unit they were reported for: a renamed area keeps its code;
a moved area carries its history to its new parent (the roll-ups are rebuilt); a retired
one keeps its history, takes no report for its retirement day or later, and is no longer
expected in completeness from that day; a merged area is retired and its children move
to the area it was merged into.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Connection, Engine, insert, select, update

from data_access import audit, rollups
from data_access import schema as s
from data_access.scope import UnknownArea, clear_area_cache, is_within, resolve_engine, run

FACILITY_TABLES = {
    "checkpoint": s.checkpoint, "sampling_site": s.sampling_site, "lab": s.lab,
    "vaccination_site": s.vaccination_site, "warehouse": s.warehouse,
}  # fmt: skip


class ChangeError(ValueError):
    """A change that cannot be made; ``code`` names why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


def _area(conn: Connection, code: str) -> dict:
    row = conn.execute(select(s.area).where(s.area.c.code == code)).mappings().first()
    if row is None:
        raise ChangeError("unknown_area", code)
    return dict(row)


def _check_within(engine: Engine, code: str, within: str | None) -> None:
    try:
        inside = is_within(engine, code, within)
    except UnknownArea:
        raise ChangeError("unknown_area", code) from None
    if not inside:
        raise ChangeError("area_outside_yours", code)


def _record(conn: Connection, code: str, effective_on: dt.date, change: str, detail: dict, by: str) -> None:
    conn.execute(
        insert(s.area_change).values(
            area_code=code, effective_on=effective_on, change=change, detail=json.dumps(detail, ensure_ascii=False, default=str),
            recorded_at=dt.datetime.now(dt.UTC), recorded_by=by[:254],
        )
    )  # fmt: skip
    audit.record(
        by,
        audit.USER_CHANGE,
        area_code=code,
        detail=f"{change} {code} on {effective_on}: {json.dumps(detail, ensure_ascii=False, default=str)}"[:500],
        conn=conn,
    )


def rename_area(
    code: str,
    name_zh: str,
    effective_on: dt.date,
    *,
    name_en: str | None = None,
    by: str,
    within: str | None = None,
    engine: Engine | None = None,
) -> None:
    engine = resolve_engine(engine)
    _check_within(engine, code, within)

    def _rename():
        with engine.begin() as conn:
            old = _area(conn, code)
            new = {"name_zh": name_zh.strip()[:100], "name_en": (name_en or old["name_en"]).strip()[:100]}
            if not new["name_zh"]:
                raise ChangeError("missing_name")
            conn.execute(update(s.area).where(s.area.c.code == code).values(**new))
            _record(conn, code, effective_on, "rename", {"from": {k: old[k] for k in new}, "to": new}, by)

    run(_rename)


def _subtree(conn: Connection, code: str, level: str) -> list[dict]:
    return [dict(r) for r in conn.execute(select(s.area).where(s.area.c[s.LEVEL_COLUMN[level]] == code)).mappings()]


def _move(conn: Connection, area: dict, parent: dict) -> None:
    """Point ``area`` at ``parent`` and rewrite the ancestor columns of it and everything under it."""
    level_index = s.LEVELS.index(area["level"])
    if s.LEVELS.index(parent["level"]) != level_index - 1:
        raise ChangeError("wrong_level", f"{parent['code']} is a {parent['level']}")
    conn.execute(update(s.area).where(s.area.c.code == area["code"]).values(parent_code=parent["code"]))
    above = {s.LEVEL_COLUMN[level]: parent[s.LEVEL_COLUMN[level]] for level in s.LEVELS[:level_index]}
    conn.execute(update(s.area).where(s.area.c[s.LEVEL_COLUMN[area["level"]]] == area["code"]).values(**above))


def move_area(
    code: str, new_parent: str, effective_on: dt.date, *, by: str, within: str | None = None, engine: Engine | None = None
) -> None:
    """``code`` (and everything under it) now belongs to ``new_parent``; its figures go with it."""
    engine = resolve_engine(engine)
    _check_within(engine, code, within)
    _check_within(engine, new_parent, within)

    def _do():
        with engine.begin() as conn:
            area, parent = _area(conn, code), _area(conn, new_parent)
            if area["parent_code"] is None:
                raise ChangeError("root_cannot_move", code)
            _move(conn, area, parent)
            _record(conn, code, effective_on, "move", {"from": area["parent_code"], "to": new_parent}, by)
            rollups.refresh_all(conn)  # the old and the new parents' sums both change

    run(_do)
    clear_area_cache(engine)


def retire_area(code: str, effective_on: dt.date, *, by: str, within: str | None = None, engine: Engine | None = None) -> None:
    """From ``effective_on`` the area and everything under it take no reports."""
    engine = resolve_engine(engine)
    _check_within(engine, code, within)

    def _do():
        with engine.begin() as conn:
            area = _area(conn, code)
            if area["parent_code"] is None:
                raise ChangeError("root_cannot_retire", code)
            under = s.area.c[s.LEVEL_COLUMN[area["level"]]] == code
            conn.execute(update(s.area).where(under, s.area.c.retired_on.is_(None)).values(retired_on=effective_on))
            _record(conn, code, effective_on, "retire", {"areas": len(_subtree(conn, code, area["level"]))}, by)

    run(_do)


def merge_area(
    code: str, into: str, effective_on: dt.date, *, by: str, within: str | None = None, engine: Engine | None = None
) -> None:
    """``code`` is merged into ``into`` (same level): its children move to ``into`` and it is retired."""
    engine = resolve_engine(engine)
    _check_within(engine, code, within)
    _check_within(engine, into, within)

    def _do():
        with engine.begin() as conn:
            area, target = _area(conn, code), _area(conn, into)
            if area["level"] != target["level"] or code == into:
                raise ChangeError("wrong_level", f"{into} is a {target['level']}")
            children = [dict(r) for r in conn.execute(select(s.area).where(s.area.c.parent_code == code)).mappings()]
            for child in children:
                _move(conn, child, target)
            conn.execute(update(s.area).where(s.area.c.code == code).values(retired_on=effective_on))
            _record(conn, code, effective_on, "merge", {"into": into, "children": [c["code"] for c in children]}, by)
            rollups.refresh_all(conn)

    run(_do)
    clear_area_cache(engine)


def retire_facility(
    kind: str, code: str, effective_on: dt.date, *, by: str, within: str | None = None, engine: Engine | None = None
) -> None:
    """From ``effective_on`` the checkpoint, site, lab or warehouse takes no reports."""
    engine = resolve_engine(engine)
    table = FACILITY_TABLES.get(kind)
    if table is None:
        raise ChangeError("unknown_kind", kind)

    def _do():
        with engine.begin() as conn:
            row = conn.execute(select(table.c.area_code).where(table.c.code == code)).first()
            if row is None:
                raise ChangeError("unknown_unit", code)
            if within is not None and not is_within(engine, row.area_code, within):
                raise ChangeError("area_outside_yours", code)
            conn.execute(update(table).where(table.c.code == code).values(retired_on=effective_on))
            audit.record(
                by, audit.USER_CHANGE, area_code=row.area_code, detail=f"retire {kind} {code} on {effective_on}", conn=conn
            )

    run(_do)


def area_changes(code: str | None = None, engine: Engine | None = None) -> list[dict]:
    """The recorded changes, newest first (of one area when ``code`` is given)."""
    engine = resolve_engine(engine)
    statement = select(s.area_change).order_by(s.area_change.c.id.desc())
    if code:
        statement = statement.where(s.area_change.c.area_code == code)

    def _read():
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(statement).mappings()]

    return run(_read)
