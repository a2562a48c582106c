"""Import daily reports from the command line (the same checks and writing as the page).

    python -m data_access.ingest FILE [FILE ...] [--type TYPE] [--user NAME] [--as EMAIL] [--batch] [--dry-run]

When sign-in is configured (an ``[auth]`` section in Streamlit's secrets.toml), ``--as``
names the active reporter or admin the import is made for: only units inside their area
are accepted, and the history records them and the operating-system user.

Exit status 0 and a summary on stdout when every file was imported; 1 with every error
(file, row, column, value, reason) on stderr when any was rejected; 2 for bad arguments
or a database that cannot be reached. Messages use the configured default language
(dashboard.toml [dashboard] language, DASHBOARD_LANGUAGE), or --lang.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from data_access import audit
from data_access.access import auth_section_configured
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.ingest import REPORT_TYPES, import_reports
from data_access.scope import DatabaseUnavailable, run
from data_access.settings import get_settings
from data_access.users import active_user

# The words of the page, in the configured language (a command line is a view too).
from presentation.intake_text import error_line, type_title
from presentation.text import LANGUAGES
from presentation.text import text as t


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "cli"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CSV (UTF-8/GBK) or XLSX report")
    parser.add_argument("--type", choices=sorted(REPORT_TYPES), help="report type (default: detected from the headers)")
    parser.add_argument("--user", default=None, help="who is importing, without sign-in (default: the login name)")
    parser.add_argument(
        "--as", dest="as_email", default=None, metavar="EMAIL", help="with sign-in configured: the reporter or admin importing"
    )
    parser.add_argument("--batch", action="store_true", help="all files in one transaction: all imported or none")
    parser.add_argument("--dry-run", action="store_true", help="check against the database, write nothing")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of messages (default: the configured one)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    args = parser.parse_args(argv)
    lang = args.lang or get_settings().language

    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as error:
            print(f"{path}: {error.strerror or error}", file=sys.stderr)
            return 2
    try:
        engine = get_engine(args.database_url or database_url())
        run(lambda: upgrade_schema(engine))
        importer, within = args.user or _default_user(), None
        if args.as_email or auth_section_configured():
            user = active_user(args.as_email or "", engine)
            if user is None or not user.access().may_report:
                print(t("intake.cli_needs_reporter", lang, email=args.as_email or "—"), file=sys.stderr)
                audit.record(
                    f"os:{_default_user()}",
                    audit.DENIED,
                    outcome=audit.REFUSED,
                    detail=f"command-line import as {args.as_email or '—'}",
                    engine=engine,
                )
                return 2
            importer, within = f"{user.email} (os:{_default_user()})", user.area_code
        outcomes = import_reports(
            files, user=importer, engine=engine, report_type=args.type, together=args.batch, dry_run=args.dry_run, within=within
        )
    except DatabaseUnavailable as error:
        # The operator at the console sees the driver's message too.
        print(t("app.db_down", lang), (str(error).strip().splitlines() or [""])[0][:160], sep="\n", file=sys.stderr)
        return 2

    for outcome in outcomes:
        if outcome.accepted:
            days = ", ".join(d.isoformat() for d in outcome.days[:3]) + (" …" if len(outcome.days) > 3 else "")
            print(
                t(
                    "intake.checked" if args.dry_run else "intake.accepted",
                    lang,
                    file=outcome.file_name,
                    rows=f"{outcome.rows:,}",
                    type=type_title(outcome.report_type, lang),
                    units=outcome.units,
                    days=days,
                )
            )
        else:
            print(t("intake.rejected", lang, file=outcome.file_name, n=f"{outcome.error_count:,}"), file=sys.stderr)
            for error in outcome.errors:
                print("  " + error_line(error, lang), file=sys.stderr)
    accepted = [o for o in outcomes if o.accepted]
    summary = t(
        "intake.cli_summary_dry" if args.dry_run else "intake.cli_summary",
        lang,
        accepted=len(accepted),
        files=len(outcomes),
        rows=f"{sum(o.rows for o in accepted):,}",
    )
    print(summary, file=sys.stdout if len(accepted) == len(outcomes) else sys.stderr)
    return 0 if len(accepted) == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
