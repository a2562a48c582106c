"""Property-based tests (hypothesis): take a valid report, mutate it — numbers rewritten
(negative, with separators, padded, blank, text, a formula, a fraction, full-width
digits), codes swapped for unknown ones, rows repeated, columns dropped, blank lines
added, days respelled or made invalid — and import it. Then either it was accepted and
the stored figures are exactly the file's, or it was rejected and nothing changed.

An independent oracle (plain Python, not the intake code) says which of the two must
happen, so a wrongly accepted or wrongly rejected file fails too.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from data_access import schema as s
from tests.conftest import ENGINE_KINDS
from tests.fixtures_data import G1, G2, G3, G4, G5, G6, LAB_A, LAB_B, SS1, SS2, SS3, SS4, WH_A, WH_B, WH_CITY
from tests.intake_support import csv_bytes, fingerprint, import_one, make_city

# More with INTAKE_PROPERTY_EXAMPLES=500 (a few minutes) before changing the intake code.
EXAMPLES = int(os.environ.get("INTAKE_PROPERTY_EXAMPLES", "35"))
DAY = dt.date(2022, 4, 10)  # nothing stored that day or the day before: no backlog carried in
INVALID = object()


@dataclass(frozen=True)
class Spec:
    """What the oracle knows of a report type (independently of data_access.ingest)."""

    name: str
    table: object
    key: tuple[str, ...]
    codes: dict[str, tuple[str, ...]]  # code column → the codes that exist
    counts: tuple[str, ...]
    optional: dict[str, int] = field(default_factory=dict)  # column → value when left out
    extra: dict[str, str] = field(default_factory=dict)  # other columns: a fixed valid text
    limits: dict[str, int] = field(default_factory=dict)  # counts stored in a smaller column

    @property
    def columns(self) -> list[str]:
        return ["day", *self.codes, *self.counts, *self.extra]


SPECS = {
    "testing": Spec(
        "testing", s.testing_daily, ("day", "site_code"),
        {"site_code": (SS1, SS2, SS3, SS4), "lab_code": (LAB_A, LAB_B)},
        ("samples_collected", "samples_tested", "positives", "pending"),
        optional={"pending": 0},
    ),
    "supplies": Spec(
        "supplies", s.supply_ledger, ("day", "warehouse_code", "item_code"),
        {"warehouse_code": (WH_A, WH_B, WH_CITY), "item_code": ("MASK", "N95", "GOGGLE", "DISINF")},
        ("opening_stock", "inbound_procured", "inbound_allocated", "inbound_donated", "outbound_frontline", "closing_stock", "production_capacity"),
        optional={"production_capacity": 0},
    ),
    "grid": Spec(
        "grid", s.grid_daily, ("day", "unit_code"),
        {"unit_code": (G1, G2, G3, G4, G5, G6)},
        ("households_visited", "people_screened", "home_observation", "key_close_contacts", "workers_on_duty"),
        optional={"key_close_contacts": 0},
        extra={"risk_colour": "橙"},
        limits={"workers_on_duty": 32_767},  # a SmallInteger column
    ),
}  # fmt: skip


def rules_hold(spec: Spec, row: dict) -> bool:
    if spec.name == "testing":
        return row["positives"] <= row["samples_tested"] <= row["samples_collected"]
    if spec.name == "supplies":
        inbound = row["inbound_procured"] + row["inbound_allocated"] + row["inbound_donated"]
        return row["closing_stock"] == row["opening_stock"] + inbound - row["outbound_frontline"]
    return True


# ---------------------------------------------------------------- valid reports
@st.composite
def valid_rows(draw, spec: Spec) -> list[dict]:
    """Rows (column → (text, value)) of a valid report: unique keys, rules holding."""
    key_column = spec.key[1]
    units = draw(st.lists(st.sampled_from(spec.codes[key_column]), min_size=1, max_size=len(spec.codes[key_column]), unique=True))
    rows = []
    for unit in units:
        values = {"day": DAY, key_column: unit}
        for column, codes in spec.codes.items():
            values.setdefault(column, draw(st.sampled_from(codes)))
        numbers = {c: draw(st.integers(0, 50_000)) for c in spec.counts}
        if spec.name == "testing":
            numbers["samples_tested"] = min(numbers["samples_tested"], numbers["samples_collected"])
            numbers["positives"] = min(numbers["positives"], numbers["samples_tested"])
        if spec.name == "supplies":
            inbound = numbers["inbound_procured"] + numbers["inbound_allocated"] + numbers["inbound_donated"]
            numbers["outbound_frontline"] = min(numbers["outbound_frontline"], numbers["opening_stock"] + inbound)
            numbers["closing_stock"] = numbers["opening_stock"] + inbound - numbers["outbound_frontline"]
        values.update(numbers)
        row = {c: (v.isoformat() if isinstance(v, dt.date) else str(v), v) for c, v in values.items()}
        row.update({c: (text, text) for c, text in spec.extra.items()})
        rows.append(row)
    # A unit whose key is drawn twice never happens here; duplicates come from mutations.
    if len({tuple(r[k][1] for k in spec.key) for r in rows}) != len(rows):
        raise AssertionError("the valid report has a repeated key")
    return rows


# ---------------------------------------------------------------- mutations
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def number_text(draw) -> tuple[str, object]:
    """A number as people type it, and what it means (INVALID when it is not a count)."""
    n = draw(st.integers(-20, 2_000_000))
    form = draw(st.sampled_from(["plain", "thousands", "padded", "full_width", "blank", "text", "formula", "fraction"]))
    if form == "blank":
        return "", INVALID
    if form == "text":
        return draw(st.sampled_from(["abc", "十二", "N/A", "1,2", "12,34,567", "--1"])), INVALID
    if form == "formula":
        return f"=A{abs(n) % 9 + 1}*2", INVALID
    if form == "fraction":
        return f"{n}.5", INVALID
    text = {"plain": str(n), "thousands": f"{n:,}", "padded": f"  {n} ", "full_width": str(n).translate(FULL_WIDTH)}[form]
    return text, (n if n >= 0 else INVALID)


DAY_SPELLINGS = [
    ("2022-04-10", DAY), ("2022/4/10", DAY), ("2022年4月10日", DAY), ("20220410", DAY), (" 2022-04-10 ", DAY),
    ("2099-01-01", INVALID), ("2019-12-31", INVALID), ("2022-02-30", INVALID), ("10/04/2022", INVALID), ("", INVALID),
]  # fmt: skip


@st.composite
def mutated(draw, spec: Spec) -> tuple[list[str], list[dict], int]:
    """(columns, rows, blank lines) after up to three mutations of a valid report."""
    rows = [dict(r) for r in draw(valid_rows(spec))]
    columns = list(spec.columns)
    blank_lines = 0
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["number", "number", "code", "duplicate", "drop", "blank", "day"]))
        i = draw(st.integers(0, len(rows) - 1))
        if kind == "number":
            rows[i][draw(st.sampled_from(spec.counts))] = draw(number_text())
        elif kind == "code":
            column = draw(st.sampled_from(list(spec.codes)))
            code = draw(st.sampled_from([*spec.codes[column], "X" + spec.codes[column][0], "990100"]))
            rows[i][column] = (code, code if code in spec.codes[column] else INVALID)
        elif kind == "duplicate":
            rows.append(dict(rows[i]))
        elif kind == "drop":
            column = draw(st.sampled_from(columns[1:]))
            columns.remove(column)
        elif kind == "blank":
            blank_lines += 1
        else:
            rows[i]["day"] = draw(st.sampled_from(DAY_SPELLINGS))
    return columns, rows, blank_lines


def oracle(spec: Spec, columns: list[str], rows: list[dict]) -> list[dict] | None:
    """The figures a correct import stores, or None when the file must be rejected."""
    required = [c for c in spec.columns if c not in spec.optional]
    if any(c not in columns for c in required):
        return None
    meant = []
    for row in rows:
        # An optional column left out, or left blank, takes its default.
        values = {
            c: spec.optional[c] if c not in columns or (c in spec.optional and not row[c][0].strip()) else row[c][1]
            for c in spec.columns
        }
        if any(v is INVALID for v in values.values()) or not rules_hold(spec, values):
            return None
        if any(values[c] > limit for c, limit in spec.limits.items()):
            return None
        meant.append(values)
    keys = [tuple(v[k] for k in spec.key) for v in meant]
    return meant if len(set(keys)) == len(keys) else None


def render(columns: list[str], rows: list[dict], blank_lines: int) -> bytes:
    lines = [[row[c][0] if c in row else "" for c in columns] for row in rows]
    data = csv_bytes(columns, lines)
    return data + b"\r\n" * blank_lines if blank_lines % 2 else data.replace(b"\r\n", b"\r\n" + b"\r\n" * blank_lines, 1)


def stored(engine, spec: Spec, key: tuple) -> dict | None:
    table = spec.table
    with engine.connect() as conn:
        found = (
            conn.execute(select(table).where(*[table.c[k] == v for k, v in zip(spec.key, key, strict=True)])).mappings().first()
        )
    return dict(found) if found else None


# ---------------------------------------------------------------- the properties
@pytest.fixture(scope="module", params=ENGINE_KINDS)
def property_city(request, new_database):
    return make_city(new_database, request.param)


@pytest.mark.parametrize("type_name", list(SPECS))
def test_a_mutated_report_is_stored_exactly_or_changes_nothing(property_city, type_name):
    spec = SPECS[type_name]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(mutated(spec))
    def check(case):
        columns, rows, blank_lines = case
        data = render(columns, rows, blank_lines)
        before = fingerprint(property_city)
        expected = oracle(spec, columns, rows)

        outcome = import_one(property_city, f"{type_name}.csv", data, report_type=None)

        if expected is None:
            assert not outcome.accepted, f"should have been rejected:\n{data.decode()}"
            assert outcome.errors, "a rejection names its errors"
            assert fingerprint(property_city) == before, "a rejected file changed the database"
            return
        assert outcome.accepted, f"should have been accepted:\n{data.decode()}\n{[e.to_json() for e in outcome.errors]}"
        assert outcome.rows == len(expected)
        for values in expected:
            row = stored(property_city, spec, tuple(values[k] for k in spec.key))
            assert row is not None
            for column, value in values.items():
                if column == "risk_colour":
                    assert row[column] == 2  # 橙
                elif column != "day":
                    assert row[column] == value, (column, row, values)

    check()
