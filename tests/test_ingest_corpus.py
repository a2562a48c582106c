"""The corpus of bad report files (tests/intake_files/): each is rejected with exactly the
errors listed here — file, row, column, value, reason code and its figures — and leaves
the database as it was (row counts and a checksum of every table an import touches),
with one "rejected" row added to the import history. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from data_access.ingest import REJECTED
from tests.intake_support import (
    INTAKE_FILES,
    SETTINGS,
    TODAY,
    fingerprint,
    import_count,
    import_one,
    last_import,
)

G1 = "990101001001001001"


def error(code, row=None, column=None, value=None, **fields) -> dict:
    found = {"code": code, "row": row, "column": column, "value": value, "fields": fields or None}
    return {k: v for k, v in found.items() if v is not None}


# file name → (import options, the errors it must be rejected with)
CORPUS: dict[str, tuple[dict, list[dict]]] = {
    "empty.csv": ({}, [error("empty_file")]),
    "blank_lines.csv": ({}, [error("empty_file")]),
    "header_only.csv": ({}, [error("header_only")]),
    "gbk_negative.csv": ({}, [error("negative", 2, "查验车辆", "-5")]),
    # Every error at once: the unknown code too, though the row already had a bad cell.
    "negative_and_unknown_code.csv": (
        {},
        [error("unknown_code", 2, "道口代码", "CPX", kind="checkpoint"), error("negative", 2, "查验车辆", "-1")],
    ),
    "bom_unknown_checkpoint.csv": ({}, [error("unknown_code", 3, "checkpoint_code", "CP999", kind="checkpoint")]),
    "formula.xlsx": ({}, [error("formula", 2, "排查人数", "=C2*2")]),
    "formula_code.csv": ({}, [error("formula", 2, "道口代码", '=HYPERLINK("http://example.com")')]),
    "missing_column.csv": ({}, [error("missing_column", column="检测数 (samples_tested)")]),
    "unknown_column.csv": (
        {},
        [
            error("unknown_column", column="检测数量", value="检测数量", position=5),
            error("missing_column", column="检测数 (samples_tested)"),
        ],
    ),
    "duplicate_column.csv": (
        {},
        [error("duplicate_column", column="samples_collected", value="samples_collected", first="采样数")],
    ),
    "bad_cells.csv": (
        {},
        [
            error("bad_date", 2, "Day", "2022-13-01"),
            error("out_of_range", 3, "Hour", "24", min=0, max=23),
            error("not_a_number", 4, "Vehicles checked", "十二"),
            error("not_an_integer", 5, "People checked", "20.5"),
            error("missing_value", 6, "People checked", ""),
        ],
    ),
    "bad_vaccination_values.csv": (
        {},
        [
            error("bad_age_group", 2, "age_group", "20-30", allowed="3-11, 12-17, 18-59, 60-79, 80+"),
            error("bad_dose", 3, "dose_number", "4"),
        ],
    ),
    "bad_colour.csv": ({}, [error("bad_colour", 2, "风险等级", "紫")]),
    "future_date.csv": ({}, [error("future_date", 2, "日期", "2099-01-01", today=TODAY.isoformat())]),
    "before_start.csv": ({}, [error("before_start", 2, "日期", "2019-12-31", start="2020-01-01")]),
    "duplicate_key.csv": ({}, [error("duplicate_key", 4, "网格单元代码", G1, first_row=2)]),
    "tested_above_collected.csv": ({}, [error("tested_above_collected", 3, "检测数", "90", collected=80, backlog=0)]),
    "positives_above_tested.csv": ({}, [error("positives_above_tested", 2, "阳性数", "11", tested=10)]),
    "closing_mismatch.csv": (
        {},
        [error("closing_mismatch", 2, "期末库存", "900", expected=800, opening=1000, inbound=150, outbound=350)],
    ),
    "dose2_above_dose1.csv": (
        {},
        [
            error(
                "dose2_above_dose1",
                2,
                "接种剂次数",
                "10",
                area="990102001",
                age_group="60-79",
                day="2022-04-03",
                dose1=23,
                dose2=24,
            )
        ],
    ),
    "temperature_above_people.csv": ({}, [error("temperature_above_people", 2, "体温检测", "21", people=20)]),
    "fever_above_temperature.csv": ({}, [error("fever_above_temperature", 2, "发热人员", "21", temperature_checks=20)]),
    "unknown_type.csv": ({}, [error("unknown_report_type", columns="名称, 数量")]),
    "unknown_grid_unit.csv": ({}, [error("unknown_code", 2, "网格单元代码", "990101001001001", kind="grid_unit")]),
    "old_excel.xls": ({}, [error("unsupported_format")]),
    "broken.xlsx": ({}, [error("unreadable_xlsx", detail="BadZipFile")]),
    "undecodable.csv": ({}, [error("undecodable", position=10)]),
    "grid_valid.csv": ({"report_type": "testing"}, [error("wrong_report_type", expected="testing", found="grid")]),
    # Over the size limit (here 1 MB): rejected before it is read.
    "too_large.csv": (
        {"settings": dataclasses.replace(SETTINGS, max_file_mb=1.0)},
        [error("file_too_large", size_mb=1.5, limit_mb=1.0)],
    ),
}


def corpus_file(name: str) -> bytes:
    if name == "too_large.csv":  # made here: 1.5 MB need not be committed
        return (INTAKE_FILES / "header_only.csv").read_bytes() + b"2022-04-03,CP990101002,1,1,1,0\r\n" * (3 * 2**19 // 32)
    return (INTAKE_FILES / name).read_bytes()


def test_every_corpus_file_exists():
    for name in CORPUS:
        assert corpus_file(name) is not None


@pytest.mark.parametrize("name", list(CORPUS))
def test_bad_file_is_rejected_with_its_exact_errors_and_changes_nothing(city, name):
    options, expected = CORPUS[name]
    data = corpus_file(name)
    before, imports_before = fingerprint(city), import_count(city)

    outcome = import_one(city, name, data, **options)

    got = [{k: v for k, v in e.to_json().items() if k != "file"} for e in outcome.errors]
    assert got == expected
    assert all(e.file == name for e in outcome.errors)
    assert outcome.outcome == REJECTED and outcome.rows == 0
    assert fingerprint(city) == before, "a rejected file must not change any figure"
    assert import_count(city) == imports_before + 1
    history = last_import(city)
    assert history["outcome"] == REJECTED
    assert history["file_name"] == name
    assert history["sha256"] == hashlib.sha256(data).hexdigest()
    assert history["rows_accepted"] == 0
    assert [{k: v for k, v in e.items() if k != "file"} for e in json.loads(history["errors"])] == expected
