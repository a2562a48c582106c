"""Make the daily briefing from the command line (for cron):

    python -m briefing [--day YYYY-MM-DD] [--area CODE] [--lang zh|en|…] [--format pdf|html|both] [--out DIR]

Defaults: the latest day with data, the city, the configured language, both formats, the
current directory. Prints each file written; exits 2 for an unknown area or a day without
data, 3 when the database cannot be reached. ``DATABASE_URL`` chooses the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_NO_BRIEFING = 2
EXIT_DATABASE = 3


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day in YYYY-MM-DD form: {value!r}") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from data_access.settings import get_settings
    from presentation.text import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="python -m briefing", description="Make the daily briefing (每日简报) as PDF and/or HTML."
    )
    parser.add_argument("--day", type=_day, help="the day (YYYY-MM-DD); default: the latest day with data")
    parser.add_argument("--area", help="area code (e.g. a district's 6 digits); default: the city")
    parser.add_argument("--lang", choices=LANGUAGES, default=get_settings().language, help="language (default: %(default)s)")
    parser.add_argument("--format", choices=("pdf", "html", "both"), default="both", help="what to write (default: both)")
    parser.add_argument("--out", type=Path, default=Path("."), help="directory to write into (default: the current one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from briefing import BriefingError, build_briefing, file_stem, render_html, render_pdf
    from data_access.scope import DatabaseUnavailable

    try:
        briefing = build_briefing(args.area, args.day)
    except BriefingError as error:
        print(f"briefing: {error.message(args.lang)}", file=sys.stderr)
        return EXIT_NO_BRIEFING
    except DatabaseUnavailable as error:
        print(
            f"briefing: the database cannot be reached ({str(error).strip().splitlines()[0] if str(error).strip() else 'no answer'})",
            file=sys.stderr,
        )
        return EXIT_DATABASE

    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / file_stem(briefing.area_code, briefing.day, args.lang)
    html = render_html(briefing, args.lang)
    written = []
    if args.format in ("html", "both"):
        path = stem.with_suffix(".html")
        path.write_text(html, encoding="utf-8")
        written.append(path)
    if args.format in ("pdf", "both"):
        path = stem.with_suffix(".pdf")
        path.write_bytes(render_pdf(html))
        written.append(path)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
