"""Back up, restore and check the database from the command line.

    python -m data_access.backup DEST                 a copy of the live database (DEST: file or folder)
    python -m data_access.backup restore SRC [--wait SECONDS]
    python -m data_access.backup check [--max-age-days N]

SQLite (the embedded default): the backup is online (SQLite's backup API: pages go on
reading, an import goes on writing); the restore checks SRC (quick_check, the dashboard's
tables, a known schema) and writes it into the live file, waiting up to --wait seconds for
an import that is being written. PostgreSQL: the backup runs pg_dump when it is on PATH
(else prints the command); restoring is pg_restore's job (docs/OPERATIONS.md). ``check``
prints the schema and the latest report day per report type.

Exit status 0 when done or healthy; 1 when refused or unhealthy (the reason on stderr);
2 for bad arguments, a database that cannot be reached or a missing pg_dump. Messages use
the configured default language (dashboard.toml [dashboard] language), or --lang.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from data_access.backup import Refused, backup_sqlite, pg_dump_command, restore_sqlite, sqlite_path
from data_access.engine import database_url, get_engine
from data_access.health import check_health
from data_access.scope import DatabaseUnavailable
from data_access.settings import get_settings

# The words of the page, in the configured language (a command line is a view too).
from presentation import formatting as fmt
from presentation.intake_text import type_title
from presentation.text import LANGUAGES
from presentation.text import text as t

COMMANDS = ("backup", "restore", "check")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=None, help="language of messages (default: the configured one)")
    common.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    parser = argparse.ArgumentParser(prog="python -m data_access.backup", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", parents=[common], help="copy the live database (the default command)")
    backup.add_argument("destination", type=Path, metavar="DEST", help="a file, or a folder for a file named by the time")
    restore = commands.add_parser("restore", parents=[common], help="put a backup back into the live database")
    restore.add_argument("source", type=Path, metavar="SRC")
    restore.add_argument("--wait", type=float, default=30, help="seconds to wait for an import being written (default 30)")
    check = commands.add_parser("check", parents=[common], help="check the database and print its latest report days")
    check.add_argument("--max-age-days", type=int, default=None, help="unhealthy when a report type's latest day is older")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(arg in COMMANDS for arg in argv) and not {"-h", "--help"} & set(argv):
        argv.insert(0, "backup")  # `python -m data_access.backup DEST`
    args = _parser().parse_args(argv)
    lang = args.lang or get_settings().language
    url = args.database_url or database_url()
    try:
        engine = get_engine(url)
        if args.command == "check":
            return _check(engine, args, lang)
        if sqlite_path(engine) is None:
            return _postgres(url, args, lang)
        if args.command == "backup":
            copy = backup_sqlite(engine, args.destination)
            size = fmt.count(round(copy.size_bytes / 1024), lang)
            print(t("backup.done", lang, path=copy.path, size=size, revision=copy.revision))
        else:
            copy = restore_sqlite(engine, args.source, wait_seconds=args.wait)
            print(t("backup.restored", lang, path=copy.path, revision=copy.revision, database=sqlite_path(engine)))
    except Refused as refusal:
        print(t(refusal.key, lang, **refusal.fields), file=sys.stderr)
        return 1
    except DatabaseUnavailable as error:
        # The operator at the console sees the driver's message too.
        print(t("app.db_down", lang), (str(error).strip().splitlines() or [""])[0][:300], sep="\n", file=sys.stderr)
        return 2
    return 0


def _postgres(url: str, args: argparse.Namespace, lang: str) -> int:
    """pg_dump for a backup (when installed); the pg_restore command for a restore."""
    if args.command == "restore":
        command = f"pg_restore --clean --if-exists --no-owner --dbname=… {shlex.quote(str(args.source))}"
        print(t("backup.pg_restore", lang, command=command), file=sys.stderr)
        return 2
    argv, env = pg_dump_command(url, args.destination)
    if shutil.which("pg_dump") is None:
        print(t("backup.pg_dump_missing", lang, command=shlex.join(argv)), file=sys.stderr)
        return 2
    done = subprocess.run(argv, env={**os.environ, **env}, check=False)
    if done.returncode != 0:
        print(t("backup.failed", lang, detail=f"pg_dump exit status {done.returncode}"), file=sys.stderr)
        return 1
    print(t("backup.pg_done", lang, path=args.destination))
    return 0


def _check(engine, args: argparse.Namespace, lang: str) -> int:
    health = check_health(engine, max_age_days=args.max_age_days)
    for name, day in health.latest.items():
        shown = fmt.day(day, lang) if day is not None else t("health.no_report", lang)
        print(t("health.latest", lang, type=type_title(name, lang), day=shown))
    for key, fields in health.problems:
        if key == "health.stale":
            fields = {
                **fields,
                "type": type_title(fields["type"], lang),
                "day": fmt.day(fields["day"], lang) if fields["day"] else t("health.no_report", lang),
            }
        print(t(key, lang, **fields), file=sys.stderr)
    if health.ok:
        print(t("health.ok", lang, revision=health.revision, database=engine.url.render_as_string(hide_password=True)))
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
