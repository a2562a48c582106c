"""The presentation package without Streamlit: formats in both languages, the trend
context of a short range, the catalogues' consistency and the metric catalogue."""

from __future__ import annotations

import datetime as dt
import re
import string
import subprocess
import sys

import pandas as pd
import pytest

from presentation import charts
from presentation import formatting as fmt
from presentation.catalogue import METRICS, search
from presentation.text import LANGUAGES, messages, text
from presentation.trends import load_window, needs_context, trend
from tests.app_support import PROJECT_ROOT

D = dt.date


@pytest.mark.parametrize(
    ("value", "lang", "compact", "expected"),
    [
        (328_123, "zh", True, "32.8万"),
        (123_456_789, "zh", True, "1.2亿"),
        (328_123, "en", True, "328.1K"),
        (12_345, "zh", True, "12,345"),  # under 10万: the whole figure
        (1_234_567, "en", False, "1,234,567"),
        (None, "en", True, "—"),
        (float("nan"), "zh", False, "—"),
    ],
)
def test_counts(value, lang, compact, expected):
    assert fmt.count(value, lang, compact) == expected


def test_percent_decimal_days_and_times():
    assert fmt.percent(0.1234, "en") == "12.3%"
    assert fmt.percent(0.000123, "zh", 3) == "0.012%"
    assert fmt.decimal(4.75, "en") == "4.8"
    assert fmt.signed_count(-56, "en") == "-56"
    assert fmt.signed_percent_points(0.012, "zh") == "+1.2个百分点"
    assert fmt.signed_percent_points(-0.012, "en") == "-1.2 pp"
    assert fmt.day(D(2022, 4, 30), "zh") == "2022年4月30日"
    assert fmt.day(D(2022, 4, 30), "en") == "30 Apr 2022"
    assert fmt.short_day(D(2022, 4, 30), "zh") == "4月30日"
    # Naive timestamps are UTC (how SQLite returns them), shown in the local zone.
    assert fmt.local_time(dt.datetime(2022, 4, 30, 2, 5), "en") == "30 Apr 2022 10:05"
    assert fmt.with_unit("4.8", "days", "zh") == "4.8 天"


def daily(first: dt.date, last: dt.date) -> pd.DataFrame:
    days = pd.date_range(first, last).date
    return pd.DataFrame({"day": days, "people": range(len(days))})


def test_a_short_range_is_drawn_with_the_30_days_before_it():
    data = daily(D(2022, 3, 1), D(2022, 4, 30))
    rows, selected = trend(data, D(2022, 4, 30), D(2022, 4, 30))
    assert selected == (D(2022, 4, 30), D(2022, 4, 30))
    assert rows["day"].iloc[0] == D(2022, 3, 31) and rows["day"].iloc[-1] == D(2022, 4, 30)
    assert len(rows) == 31
    # Six days still get context; seven are a trend of their own.
    assert needs_context(D(2022, 4, 25), D(2022, 4, 30))
    rows, selected = trend(data, D(2022, 4, 24), D(2022, 4, 30))
    assert selected is None and len(rows) == 7


def test_the_load_window_covers_the_previous_period_sparklines_and_context():
    assert load_window(D(2022, 4, 30), D(2022, 4, 30)) == (D(2022, 3, 31), D(2022, 4, 30))
    assert load_window(D(2022, 4, 1), D(2022, 4, 30)) == (D(2022, 3, 2), D(2022, 4, 30))  # the 30 days before


def test_a_highlighted_trend_marks_the_selected_days():
    data = daily(D(2022, 3, 31), D(2022, 4, 30))
    spec = charts.line_chart(data, "day", {"people": "People checked"}, "en", selected=(D(2022, 4, 30), D(2022, 4, 30))).to_dict()
    layers = spec["layer"]
    band = layers[0]
    assert band["mark"]["type"] == "rect"  # the band behind the selected day
    points = [layer for layer in layers[1]["layer"] if layer["mark"]["type"] == "point"]
    assert points and points[0]["encoding"]["size"]["field"] == "selected"
    values = max(spec["datasets"].values(), key=len)  # the line's data (the band has its own)
    assert len(values) >= 7 and sum(1 for v in values if v.get("selected") is True) == 1


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_message_with_the_same_fields():
    reference = messages(LANGUAGES[0])
    for lang in LANGUAGES[1:]:
        other = messages(lang)
        assert set(other) == set(reference), f"{lang}: {sorted(set(other) ^ set(reference))[:10]}"
        different = [key for key in reference if fields(reference[key]) != fields(other[key])]
        assert not different, different


def test_every_catalogue_figure_has_a_name_definition_and_formula_and_no_two_share_a_name():
    for lang in LANGUAGES:
        names = [entry.name(lang) for entry in METRICS.values()]
        assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]
        for entry in METRICS.values():
            assert entry.definition(lang) and entry.formula(lang)
            assert (
                text(f"unitname.{entry.unit}", lang)
                and text(f"level.{entry.level}", lang)
                and text(f"better.{entry.better}", lang)
            )


def test_the_two_days_of_cover_figures_have_distinct_names_and_definitions():
    area, lowest = METRICS["supplies.days_of_cover"], METRICS["supplies.lowest_district_cover"]
    for lang in LANGUAGES:
        assert area.name(lang) != lowest.name(lang)
        assert area.definition(lang) != lowest.definition(lang)


def test_every_catalogue_figure_comes_from_tables_that_exist():
    from data_access.schema import metadata

    assert {table for m in METRICS.values() for table in m.tables} <= set(metadata.tables)


def test_search_finds_by_name_in_either_language_and_by_formula():
    assert [m.key for m in search("阳性率", "en")] == ["testing.positivity"]
    assert "testing.positivity" in [m.key for m in search("positives ÷", "en")]
    assert len(search("", "zh")) == len(METRICS)


SOURCE_DIRS = ("dashboard.py", "pages", "ui", "presentation", "briefing", "data_access", "sample_data")


def test_every_message_is_used():
    """A message id appears in the code, literally or as the prefix of an id built from a
    value (``f"domain.{domain}"``); texts nobody shows go."""
    files = [PROJECT_ROOT / "dashboard.py", *[p for d in SOURCE_DIRS[1:] for p in (PROJECT_ROOT / d).rglob("*.py")]]
    code = "\n".join(path.read_text(encoding="utf-8") for path in files)
    built = set(re.findall(r"""f["']([a-z_.]+[._])\{""", code))
    unused = [
        key
        for key in messages(LANGUAGES[0])
        if f'"{key}"' not in code and f"'{key}'" not in code and not any(key.startswith(p) for p in built)
    ]
    unused = [key for key in unused if not key.startswith("metric.")]
    assert not unused, unused


def test_the_presentation_package_imports_no_streamlit_and_no_ui():
    probe = (
        "import sys, importlib, pkgutil, presentation, presentation.views\n"
        "for m in [*pkgutil.walk_packages(presentation.__path__, 'presentation.')]: importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'streamlit' or n.startswith('ui')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
