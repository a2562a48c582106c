"""Start a command centre's own database, without the sample city.

    python -m data_access.setup new --code 370212 --name 崂山区 [--name-en "Laoshan District"] [--database-url URL]

Creates the schema (Alembic) and the root area (a 6-digit district, or a city whose code
ends in 00); then load, in order, areas → boundaries → facilities → daily reports
(docs/INTAKE.md). Refuses a database that already holds areas. Exit status 0 on success,
1 when refused, 2 for bad arguments or a database that cannot be reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import Engine, func, insert, select

from data_access import schema as s
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.master.reference import english_name
from data_access.scope import DatabaseUnavailable, run


class SetupError(ValueError):
    """The database cannot be set up as asked."""


def root_level(code: str) -> str:
    """A 6-digit code ending in 00 is a city (370200), any other 6-digit code a district."""
    if len(code) != 6 or not code.isdigit() or code.endswith("0000"):
        raise SetupError(f"the root must be a 6-digit city or district code, not {code!r}")
    return "city" if code.endswith("00") else "district"


def new_database(code: str, name_zh: str, name_en: str = "", engine: Engine | None = None) -> dict:
    """Create the schema and the root area in an empty database; the root's row."""
    engine = engine or get_engine()
    level = root_level(code.strip())
    name_zh = name_zh.strip()
    if not name_zh:
        raise SetupError("the root needs a name")

    def _create() -> dict:
        upgrade_schema(engine)
        with engine.begin() as conn:
            if conn.execute(select(func.count()).select_from(s.area)).scalar_one():
                raise SetupError("this database already holds areas: it is set up")
            row = {
                "code": code, "parent_code": None, "level": level, "name_zh": name_zh[:100],
                "name_en": (name_en.strip() or english_name(name_zh, level))[:100], "residents": 0, "households": 0,
                **{column: None for column in s.LEVEL_COLUMN.values()},
            }  # fmt: skip
            row[s.LEVEL_COLUMN[level]] = code
            row["city_code"] = code if level == "city" else code[:4] + "00"
            conn.execute(insert(s.area).values(**row))
            conn.execute(insert(s.dataset_info).values(key="kind", value="real"))
            conn.execute(insert(s.dataset_info).values(key="created", value=dt.date.today().isoformat()))
        return row

    return run(_create)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.setup", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="an empty database with its root area")
    new.add_argument("--code", required=True, help="6-digit division code of the city or district")
    new.add_argument("--name", required=True, help="its Chinese name, e.g. 崂山区")
    new.add_argument("--name-en", default="", help="its English name (default: made from the pinyin)")
    args = parser.parse_args(argv)
    try:
        row = new_database(args.code, args.name, args.name_en, get_engine(args.database_url or database_url()))
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as error:
        print(f"database unavailable: {str(error).strip().splitlines()[0][:160]}", file=sys.stderr)
        return 2
    print(f"created {row['name_zh']} / {row['name_en']} ({row['code']}, {row['level']}).")
    print("Next: areas → boundaries → facilities → daily reports (docs/INTAKE.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
