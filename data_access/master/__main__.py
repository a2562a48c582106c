"""Import master data from the command line (the same checks and writing as the page).

    python -m data_access.master areas FILE [--root CODE] [--as EMAIL] [--user NAME] [--dry-run] [--lang zh|en]

FILE is the areas template (bilingual headers: code, parent_code, level, name_zh, …) or a
public division-code list as the open compilations publish it (streets or villages, any
extra columns; the whole country is cut down to the database's root area, or --root).
With sign-in configured, --as names the active admin making the change. Exit status 0
when imported, 1 with every error on stderr when refused, 2 for bad arguments or a
database that cannot be reached.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from data_access import audit
from data_access.access import auth_section_configured
from data_access.areas import root_area
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.ingest.reading import decode_text
from data_access.ingest.types import normalise_header
from data_access.master import reference
from data_access.master.areas import HEADER_OF, AreaFile, from_reference_rows, import_areas, read_area_file
from data_access.scope import DatabaseUnavailable, UnknownArea, run
from data_access.users import active_user


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def is_template(data: bytes, file_name: str) -> bool:
    """True when the first line names the template's code and parent columns (an XLSX is
    always read as the template)."""
    if file_name.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return True
    first = decode_text(data[:4096]).splitlines()[0] if data.strip() else ""
    names = {HEADER_OF.get(normalise_header(cell)) for cell in first.replace("\t", ",").split(",")}
    return {"code", "parent_code"} <= names


def read_any(file_name: str, data: bytes, root: str) -> AreaFile:
    if is_template(data, file_name):
        return read_area_file(file_name, data)
    try:
        rows = reference.read_division_codes(data, file_name)
        for number, row in enumerate(rows, start=2):  # the line each row is on, before filtering
            row["row"] = number
        rows = reference.within_root(rows, root)
    except reference.UnrecognisedFile:
        return read_area_file(file_name, data)  # names the template's missing columns
    return from_reference_rows(file_name, data, rows)


def main(argv: list[str] | None = None) -> int:
    from ui.i18n_intake import error_line

    parser = argparse.ArgumentParser(prog="python -m data_access.master", description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["areas"], help="which master data")
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--root", default=None, help="keep only areas under this code (default: the database's root area)")
    parser.add_argument("--as", dest="as_email", default=None, metavar="EMAIL", help="with sign-in configured: the admin making the change")
    parser.add_argument("--user", default=None, help="who is importing, without sign-in (default: the login name)")
    parser.add_argument("--dry-run", action="store_true", help="check against the database, write nothing")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    args = parser.parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"{args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        engine = get_engine(args.database_url or database_url())
        run(lambda: upgrade_schema(engine))
        importer, within = args.user or _os_user(), None
        if args.as_email or auth_section_configured():
            user = active_user(args.as_email or "", engine)
            if user is None or not user.access().is_admin:
                print(f"error: sign-in is configured: name an active admin with --as EMAIL ({args.as_email or '—'} is not one)", file=sys.stderr)
                audit.record(f"os:{_os_user()}", audit.DENIED, outcome=audit.REFUSED, detail=f"command-line areas import as {args.as_email or '—'}", engine=engine)
                return 2
            importer, within = f"{user.email} (os:{_os_user()})", user.area_code
        try:
            root = args.root or root_area(engine)["code"]
        except UnknownArea:
            print("error: the database holds no areas: start it with python -m data_access.setup new", file=sys.stderr)
            return 2
        area_file = read_any(args.file.name, data, root)
        outcome = import_areas(area_file, user=importer, engine=engine, within=within, dry_run=args.dry_run)
    except DatabaseUnavailable as error:
        print(f"database unavailable: {str(error).strip().splitlines()[0][:160]}", file=sys.stderr)
        return 2
    if not outcome.accepted:
        for error in outcome.errors:
            print("  " + error_line(error, args.lang), file=sys.stderr)
        print(f"{args.file.name}: refused, {len(area_file.errors)} errors; nothing was written", file=sys.stderr)
        return 1
    verb = "checked (dry run, nothing written)" if args.dry_run else "imported"
    print(f"{args.file.name}: {verb} {outcome.rows} areas: {outcome.added} new, {outcome.changed} changed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
