"""Import, export and change master data from the command line (the same checks and
writing as the Data intake page).

    python -m data_access.master areas FILE [--root CODE] [--as EMAIL] [--user NAME] [--dry-run] [--lang zh|en]
    python -m data_access.master boundaries FILE.geojson [...]
    python -m data_access.master checkpoints|sampling_sites|labs|vaccination_sites|warehouses|supply_items FILE [...]
    python -m data_access.master export KIND [--out FILE]
    python -m data_access.master change rename CODE --name 新名称 [--name-en NAME] --on YYYY-MM-DD
    python -m data_access.master change move CODE --to PARENT --on YYYY-MM-DD
    python -m data_access.master change retire CODE --on YYYY-MM-DD
    python -m data_access.master change merge CODE --into CODE --on YYYY-MM-DD
    python -m data_access.master change retire-unit KIND CODE --on YYYY-MM-DD   (KIND: checkpoint, sampling_site, lab, …)

An areas FILE is the template (bilingual headers: code, parent_code, level, name_zh, …) or
a public division-code list as the open compilations publish it (streets or villages, any
extra columns; the whole country is cut down to the database's root area, or --root).
With sign-in configured, --as names the active admin making the change. Exit status 0 when
done, 1 with every error on stderr when refused, 2 for bad arguments or a database that
cannot be reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from data_access import audit
from data_access.access import auth_section_configured
from data_access.areas import root_area
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.ingest.reading import decode_text
from data_access.ingest.types import normalise_header
from data_access.master import changes, reference
from data_access.master.areas import HEADER_OF, AreaFile, export_areas, from_reference_rows, import_areas, read_area_file
from data_access.master.boundaries import export_boundaries, import_boundaries
from data_access.master.facilities import FACILITY_TYPES, export_facilities, import_facilities
from data_access.scope import DatabaseUnavailable, UnknownArea, run
from data_access.users import active_user
from presentation.intake_text import error_line
from presentation.text import DEFAULT_LANGUAGE, LANGUAGES

IMPORT_KINDS = ("areas", "boundaries", *FACILITY_TYPES)


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
    """An areas file in the template's format or as a public division-code list."""
    if is_template(data, file_name):
        return read_area_file(file_name, data)
    try:
        rows = reference.read_division_codes(data, file_name)
    except reference.UnrecognisedFile:
        return read_area_file(file_name, data)  # names the template's missing columns
    for number, row in enumerate(rows, start=2):  # the line each row is on, before filtering
        row["row"] = number
    return from_reference_rows(file_name, data, reference.within_root(rows, root))


def _operator(args, engine) -> tuple[str | None, str | None]:
    """(who the history names, the area they may change): the login name without sign-in;
    with sign-in configured, an active admin named by --as (None when there is none)."""
    if not (args.as_email or auth_section_configured()):
        return args.user or _os_user(), None
    user = active_user(args.as_email or "", engine)
    if user is None or not user.access().is_admin:
        print(
            f"error: sign-in is configured: name an active admin with --as EMAIL ({args.as_email or '—'} is not one)",
            file=sys.stderr,
        )
        audit.record(
            f"os:{_os_user()}",
            audit.DENIED,
            outcome=audit.REFUSED,
            detail=f"command-line master data as {args.as_email or '—'}",
            engine=engine,
        )
        return None, None
    return f"{user.email} (os:{_os_user()})", user.area_code


def import_main(args, engine, lang: str) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"{path}: {error.strerror or error}", file=sys.stderr)
        return 2
    importer, within = _operator(args, engine)
    if importer is None:
        return 2
    try:
        root = args.root or root_area(engine)["code"]
    except UnknownArea:
        print("error: the database holds no areas: start it with python -m data_access.setup new", file=sys.stderr)
        return 2
    if args.kind == "areas":
        outcome = import_areas(read_any(path.name, data, root), user=importer, engine=engine, within=within, dry_run=args.dry_run)
        summary, warnings = f"{outcome.rows} areas: {outcome.added} new, {outcome.changed} changed", []
    elif args.kind == "boundaries":
        outcome = import_boundaries(path.name, data, user=importer, engine=engine, within=within, dry_run=args.dry_run)
        summary, warnings = f"{outcome.updated} boundaries updated, {outcome.skipped} outside the root skipped", outcome.warnings
    else:
        outcome = import_facilities(
            args.kind, (path.name, data), user=importer, engine=engine, within=within, dry_run=args.dry_run
        )
        summary, warnings = f"{outcome.rows} {args.kind}: {outcome.added} new, {outcome.changed} changed", []
    for warning in warnings:
        print("  warning: " + error_line(warning, lang), file=sys.stderr)
    if not outcome.accepted:
        for error in outcome.errors:
            print("  " + error_line(error, lang), file=sys.stderr)
        print(f"{path.name}: refused, {len(outcome.errors)} errors; nothing was written", file=sys.stderr)
        return 1
    print(f"{path.name}: {'checked (dry run, nothing written)' if args.dry_run else 'imported'} {summary}.")
    return 0


def export_main(args, engine) -> int:
    kind = args.file
    if kind == "areas":
        data = export_areas(engine)
    elif kind == "boundaries":
        data = export_boundaries(engine)
    elif kind in FACILITY_TYPES:
        data = export_facilities(kind, engine)
    else:
        print(f"error: export one of {', '.join(IMPORT_KINDS)}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def change_main(argv: list[str], by: str, within: str | None, engine) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.master change")
    parser.add_argument("what", choices=["rename", "move", "retire", "merge", "retire-unit"])
    parser.add_argument("code", help="the area's code (retire-unit: the unit's kind, then its code)")
    parser.add_argument("unit", nargs="?", default=None)
    parser.add_argument("--on", required=True, type=dt.date.fromisoformat, help="the day the change takes effect")
    parser.add_argument("--name", default=None)
    parser.add_argument("--name-en", default=None)
    parser.add_argument("--to", default=None, help="move: the new parent")
    parser.add_argument("--into", default=None, help="merge: the area it is merged into")
    args = parser.parse_args(argv)
    try:
        if args.what == "rename" and args.name:
            changes.rename_area(args.code, args.name, args.on, name_en=args.name_en, by=by, within=within, engine=engine)
        elif args.what == "move" and args.to:
            changes.move_area(args.code, args.to, args.on, by=by, within=within, engine=engine)
        elif args.what == "retire":
            changes.retire_area(args.code, args.on, by=by, within=within, engine=engine)
        elif args.what == "merge" and args.into:
            changes.merge_area(args.code, args.into, args.on, by=by, within=within, engine=engine)
        elif args.what == "retire-unit" and args.unit:
            changes.retire_facility(args.code, args.unit, args.on, by=by, within=within, engine=engine)
        else:
            parser.error("rename needs --name, move --to, merge --into, retire-unit a kind and a code")
    except changes.ChangeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.what} {args.unit or args.code}: done, effective {args.on.isoformat()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m data_access.master", description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=[*IMPORT_KINDS, "export", "change"], help="which master data, or export / change")
    parser.add_argument("file", metavar="FILE", help="the file to import (export: the kind; change: what to change)")
    parser.add_argument("--root", default=None, help="keep only areas under this code (default: the database's root area)")
    parser.add_argument(
        "--as", dest="as_email", default=None, metavar="EMAIL", help="with sign-in configured: the admin making the change"
    )
    parser.add_argument("--user", default=None, help="who is importing, without sign-in (default: the login name)")
    parser.add_argument("--dry-run", action="store_true", help="check against the database, write nothing")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    parser.add_argument("--out", type=Path, default=None, help="export: write here (default: standard output)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    args, rest = parser.parse_known_args(argv)
    if args.kind != "change" and rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    try:
        engine = get_engine(args.database_url or database_url())
        run(lambda: upgrade_schema(engine))
        if args.kind == "export":
            return export_main(args, engine)
        if args.kind == "change":
            by, within = _operator(args, engine)
            return 2 if by is None else change_main([args.file, *rest], by, within, engine)
        return import_main(args, engine, args.lang)
    except DatabaseUnavailable as error:
        print(f"database unavailable: {str(error).strip().splitlines()[0][:160]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
