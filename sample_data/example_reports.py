"""Write one valid example report per report type into ``sample_data/reports/``, made from
the small sample city's codes and figures (the city `make run` loads).

    python -m sample_data.example_reports [--database-url URL] [--out DIR]

Each is what units would send: the checkpoints, sampling sites, communities, streets,
isolation site and inspecting team that had not reported for the sample's last day send
their late reports (figures carried from their day before), a depot and one district's vaccination sites report the day after
the last, and the checkpoints' daily totals arrive for the day before the data begins. The files use the formats units really send: CSV in UTF-8 with and without BOM
and in GBK, XLSX, Chinese, English and bilingual headers. Every file is checked against
the database (a dry run) before it is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from data_access import schema as s
from data_access.engine import database_url, get_engine
from data_access.ingest import REPORT_TYPES, import_reports
from data_access.ingest.cells import CATEGORY_WORDS, MEASURE_WORDS
from data_access.ingest.types import ReportType
from data_access.reporting import reporting_units
from data_access.scope import Scope, frame

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
CITY_CODE = "418800"
HEADER_STYLES = ("template", "zh", "en")


def headers(report_type: ReportType, style: str) -> list[str]:
    pick = {"template": lambda c: c.template_header, "zh": lambda c: c.zh, "en": lambda c: c.en}[style]
    return [pick(c) for c in report_type.columns]


def as_csv(report_type: ReportType, rows: pd.DataFrame, style: str, encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(report_type, style))
    for values in rows[[c.name for c in report_type.columns]].itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in values])
    return buffer.getvalue().encode(encoding)


def as_xlsx(report_type: ReportType, rows: pd.DataFrame, style: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report_type.title_zh
    sheet.append(headers(report_type, style))
    for values in rows[[c.name for c in report_type.columns]].itertuples(index=False):
        sheet.append(
            [
                None if v is None or (isinstance(v, float) and pd.isna(v)) else (v.isoformat() if isinstance(v, dt.date) else v)
                for v in values
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _missing_units(engine: Engine, submission_type: str, day: dt.date) -> list[str]:
    units = reporting_units(Scope(CITY_CODE, day, day), day, submission_type, engine=engine)
    return sorted(units.loc[~units["reported"], "unit_code"])


def _rows(engine: Engine, table, where) -> pd.DataFrame:
    return frame(engine, select(table).where(where))


def _carried_to(rows: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    return rows.assign(day=day)


def build(engine: Engine) -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, report type) of every example report."""
    last = frame(engine, select(s.dataset_info.c.value).where(s.dataset_info.c.key == "last_day"))
    first = frame(engine, select(s.dataset_info.c.value).where(s.dataset_info.c.key == "first_day"))
    last_day, first_day = dt.date.fromisoformat(last["value"].iloc[0]), dt.date.fromisoformat(first["value"].iloc[0])
    before = last_day - dt.timedelta(days=1)
    files: dict[str, tuple[bytes, str]] = {}

    # Checkpoints late for the last day: their 24 hours (carried from the day before).
    late = _missing_units(engine, "checkpoint", last_day)
    hourly = _rows(
        engine, s.checkpoint_hourly, (s.checkpoint_hourly.c.day == before) & s.checkpoint_hourly.c.checkpoint_code.in_(late)
    )
    hourly = _carried_to(hourly, last_day).sort_values(["checkpoint_code", "hour"])
    files["checkpoint_hourly.csv"] = (
        as_csv(REPORT_TYPES["checkpoint_hourly"], hourly, "template", "utf-8-sig"),
        "checkpoint_hourly",
    )

    # Every checkpoint's daily totals for the day before the data begins.
    daily = _rows(engine, s.checkpoint_daily, s.checkpoint_daily.c.day == first_day)
    daily = _carried_to(daily, first_day - dt.timedelta(days=1)).sort_values("checkpoint_code")
    files["checkpoint_daily.xlsx"] = (as_xlsx(REPORT_TYPES["checkpoint_daily"], daily, "zh"), "checkpoint_daily")

    # Sampling sites late for the last day; the backlog they carry in is the stored one.
    late = _missing_units(engine, "testing", last_day)
    t = s.testing_daily.c
    previous = _rows(engine, s.testing_daily, (t.day == before) & t.site_code.in_(late)).set_index("site_code")
    testing = _carried_to(previous.reset_index(), last_day)
    carried = testing["site_code"].map(previous["pending"]).astype(int)
    testing["samples_tested"] = testing[["samples_tested"]].assign(cap=testing["samples_collected"] + carried).min(axis=1)
    testing["positives"] = testing[["positives", "samples_tested"]].min(axis=1)
    testing["pending"] = carried + testing["samples_collected"] - testing["samples_tested"]
    files["testing.csv"] = (as_csv(REPORT_TYPES["testing"], testing.sort_values("site_code"), "zh", "gbk"), "testing")

    # One depot's ledger for the day after the last: opening = the last closing stock.
    ledger = _rows(engine, s.supply_ledger, s.supply_ledger.c.day == last_day)
    depot = ledger[ledger["warehouse_code"] == sorted(ledger["warehouse_code"])[0]].copy()
    depot["opening_stock"] = depot["closing_stock"]
    inbound = depot["inbound_procured"] + depot["inbound_allocated"] + depot["inbound_donated"]
    depot["outbound_frontline"] = depot[["outbound_frontline"]].assign(cap=depot["opening_stock"] + inbound).min(axis=1)
    depot["closing_stock"] = depot["opening_stock"] + inbound - depot["outbound_frontline"]
    depot = _carried_to(depot, last_day + dt.timedelta(days=1)).sort_values("item_code")
    files["supplies.xlsx"] = (as_xlsx(REPORT_TYPES["supplies"], depot, "en"), "supplies")

    # The first district's vaccination sites for the day after the last (their last day's doses).
    sites = frame(engine, select(s.vaccination_site.c.code).where(s.vaccination_site.c.code.like("VS418801%")))
    v = s.vaccination_daily.c
    doses = _rows(engine, s.vaccination_daily, (v.day == last_day) & v.site_code.in_(list(sites["code"])))
    doses = _carried_to(doses, last_day + dt.timedelta(days=1)).sort_values(["site_code", "age_group", "dose_number"])
    files["vaccination.csv"] = (as_csv(REPORT_TYPES["vaccination"], doses, "en", "utf-8"), "vaccination")

    # Communities late for the last day report their grid units.
    late = _missing_units(engine, "grid", last_day)
    units = frame(engine, select(s.area.c.code).where(s.area.c.level == "grid", s.area.c.community_code.in_(late)))
    g = s.grid_daily.c
    grid = _rows(engine, s.grid_daily, (g.day == before) & g.unit_code.in_(list(units["code"])))
    grid = _carried_to(grid, last_day).sort_values("unit_code")
    grid["risk_colour"] = grid["risk_colour"].map(lambda i: ("绿", "黄", "橙", "红")[int(i)])
    files["grid.csv"] = (as_csv(REPORT_TYPES["grid"], grid, "template", "utf-8-sig"), "grid")
    files.update(_isolation_and_inspections(engine, last_day))
    return files


def _unchanged_stocks(rows: pd.DataFrame, day: dt.date, stock: str, flows: list[str]) -> pd.DataFrame:
    """A late unit's day carried from the day before with nobody in or out: the same stock."""
    return _carried_to(rows[rows[stock] > 0], day).assign(**dict.fromkeys(flows, 0))


def _isolation_and_inspections(engine: Engine, last_day: dt.date) -> dict[str, tuple[bytes, str]]:
    """Streets, an isolation site and a team late for the last day send it: the streets and
    the site with nobody in or out since the day before (so the same people held), the
    team with the day before's checks again, its open problems carried on from them."""
    files: dict[str, tuple[bytes, str]] = {}
    before = last_day - dt.timedelta(days=1)
    late = _missing_units(engine, "isolation_people", last_day)
    p = s.isolation_people_daily.c
    held = _unchanged_stocks(
        _rows(engine, s.isolation_people_daily, (p.day == before) & p.area_code.in_(late)),
        last_day,
        "held",
        ["new_in", "released"],
    )
    words = {**{k: v[0] for k, v in CATEGORY_WORDS.items()}, **{k: v[0] for k, v in MEASURE_WORDS.items()}}
    held = held.assign(category=held["category"].map(words), measure=held["measure"].map(words))
    files["isolation_people.xlsx"] = (as_xlsx(REPORT_TYPES["isolation_people"], held, "zh"), "isolation_people")

    (site,) = _missing_units(engine, "isolation_site", last_day)
    d = s.isolation_site_daily.c
    stayed = _carried_to(_rows(engine, s.isolation_site_daily, (d.day == before) & (d.site_code == site)), last_day)
    stayed = stayed.assign(new_in=0, released=0, cases_found=0)
    files["isolation_site.csv"] = (as_csv(REPORT_TYPES["isolation_site"], stayed, "template", "utf-8-sig"), "isolation_site")

    (team,) = _missing_units(engine, "inspection", last_day)
    i = s.inspection_daily.c
    checks = _carried_to(_rows(engine, s.inspection_daily, (i.day == before) & (i.team_code == team)), last_day)
    checks["open_problems"] += checks["problems_found"] - checks["fixed_on_time"] - checks["fixed_late"]
    checks["overdue"] = checks[["overdue", "open_problems"]].min(axis=1)
    checks["entities_open"] = checks[["entities_open", "open_problems"]].min(axis=1)
    files["inspection.csv"] = (
        as_csv(REPORT_TYPES["inspection"], checks.sort_values(["area_code", "entity_type"]), "en", "utf-8"),
        "inspection",
    )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="a database holding the small sample city")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR)
    args = parser.parse_args(argv)
    engine = get_engine(args.database_url or database_url())
    files = build(engine)
    outcomes = import_reports(
        [(name, data) for name, (data, _) in files.items()], user="example_reports", engine=engine, dry_run=True
    )
    bad = [o for o in outcomes if not o.accepted or o.report_type != files[o.file_name][1]]
    for outcome in bad:
        print(f"{outcome.file_name}: {outcome.report_type} {[e.to_json() for e in outcome.errors[:5]]}", file=sys.stderr)
    if bad:
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in files.items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
