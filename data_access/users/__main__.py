"""Manage users and kiosk links from the command line (changes are audited as os:NAME).

    python -m data_access.users add EMAIL --role viewer|reporter|admin --area CODE [--name NAME]
    python -m data_access.users list
    python -m data_access.users set EMAIL [--role R] [--area CODE] [--name NAME] [--enable]
    python -m data_access.users disable EMAIL
    python -m data_access.users kiosk --area CODE --label TEXT [--days N] [--url BASE]
    python -m data_access.users kiosk-list
    python -m data_access.users kiosk-revoke ID

Exit status 0 on success, 1 when the change cannot be made (the reason on stderr), 2 for
bad arguments or a database that cannot be reached.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from data_access import users
from data_access.access import Access
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.schema import ROLES
from data_access.scope import DatabaseUnavailable, run
from data_access.settings import access_settings


def operator() -> Access:
    """The person at the terminal: whoever can reach the database may manage everything."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "cli"
    return Access(actor=f"os:{name}", role="admin", within=None, name=name)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access.users", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL / the embedded SQLite file")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a user")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--area", required=True, help="area code: the user sees this area and everything under it")
    add.add_argument("--name", default="")
    commands.add_parser("list", help="list users")
    change = commands.add_parser("set", help="change a user")
    change.add_argument("email")
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--area")
    change.add_argument("--name")
    change.add_argument("--enable", action="store_true", help="let a disabled user sign in again")
    disable = commands.add_parser("disable", help="stop a user from signing in")
    disable.add_argument("email")
    kiosk = commands.add_parser("kiosk", help="make a read-only wall-screen link for an area")
    kiosk.add_argument("--area", required=True)
    kiosk.add_argument("--label", required=True)
    kiosk.add_argument("--days", type=int, default=None, help="expires after this many days (default: until revoked)")
    kiosk.add_argument("--url", default=None, help="the dashboard's address (default: dashboard.toml [access] public_url)")
    commands.add_parser("kiosk-list", help="list kiosk links")
    revoke = commands.add_parser("kiosk-revoke", help="stop a kiosk link from working")
    revoke.add_argument("id", type=int)
    return parser


def _print_table(frame) -> None:
    if frame.empty:
        print("(none)")
        return
    print(frame.to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    by = operator()
    try:
        engine = get_engine(args.database_url or database_url())
        run(lambda: upgrade_schema(engine))
        if args.command == "add":
            user = users.add_user(args.email, args.role, args.area, args.name, by=by, engine=engine)
            print(f"added {user.email} ({user.role}, area {user.area_code})")
        elif args.command == "list":
            _print_table(users.list_users(engine=engine))
        elif args.command == "set":
            user = users.set_user(
                args.email,
                role=args.role,
                area_code=args.area,
                name=args.name,
                active=True if args.enable else None,
                by=by,
                engine=engine,
            )
            print(f"{user.email}: {user.role}, area {user.area_code}, {'active' if user.active else 'disabled'}")
        elif args.command == "disable":
            user = users.disable_user(args.email, by=by, engine=engine)
            print(f"{user.email}: disabled")
        elif args.command == "kiosk":
            link_id, token = users.create_kiosk(args.area, args.label, args.days, by=by, engine=engine)
            print(f"kiosk link {link_id} for area {args.area} (shown once; only its hash is stored):")
            print(users.kiosk_url(args.url or access_settings().public_url, token))
        elif args.command == "kiosk-list":
            _print_table(users.kiosk_links(engine=engine))
        elif args.command == "kiosk-revoke":
            users.revoke_kiosk(args.id, by=by, engine=engine)
            print(f"kiosk link {args.id}: revoked")
    except users.UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as error:
        print(f"database unavailable: {str(error).strip().splitlines()[0][:160]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
