"""Daily briefing 每日简报: made from the sample city, the PDF opened and its figures compared
with figures computed here by raw SQL (not through the adapter); the HTML holds the same
figures; the PDF is A4 with its Chinese font embedded; the command line end to end. Every
key figure is named as the metric catalogue names it."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from io import BytesIO

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from briefing import build_briefing, render_html, render_pdf
from data_access.alerts import active_alerts
from data_access.scope import Scope
from presentation.catalogue import HIGHER, NEITHER, metric
from tests.app_support import (
    PROJECT_ROOT,
    checkpoint_sum,
    doses_sum,
    grid_units_with_colour,
    lowest_days_of_cover,
    sql_scalar,
    testing_sum,
)

CITY, DISTRICT, STREET = "418800", "418804", "418804001"
DAY = dt.date(2022, 4, 30)
GENERATED = dt.datetime(2022, 5, 1, 0, 30, tzinfo=dt.UTC)
MINUS = "\u2212"
RED, ORANGE = 3, 2  # risk_colour: index into green, yellow, orange, red


# ---------------------------------------------------------------- made once per module
@pytest.fixture(scope="module")
def city(sample_database):
    _, engine = sample_database
    return build_briefing(CITY, DAY, engine=engine, now=GENERATED)


@pytest.fixture(scope="module")
def documents(city) -> dict[str, tuple[str, bytes]]:
    """(html, pdf) of the city's briefing in each language."""
    made = {}
    for lang in ("zh", "en"):
        html = render_html(city, lang)
        made[lang] = (html, render_pdf(html))
    return made


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def row(text: str, label: str) -> list[str]:
    """The cells after ``label`` on the line that starts with it (a table row)."""
    lines = [line for line in text.splitlines() if line.startswith(label + " ")]
    assert len(lines) == 1, f"one line starting with {label!r}: {lines}"
    return lines[0][len(label) :].split()


# ---------------------------------------------------------------- figures straight from the database
def grid_sum(engine, column: str, area_code: str, day: dt.date) -> int:
    prefix = f"{area_code[:4]}%" if area_code == CITY else f"{area_code}%"
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM({column}), 0) FROM grid_daily WHERE unit_code LIKE :p AND day = :d",
        p=prefix,
        d=day.isoformat(),
    )


def booster_coverage(engine, day: dt.date) -> float:
    """(people boosted before the data began + booster doses up to ``day``) ÷ population."""
    population, baseline = (
        sql_scalar(engine, f"SELECT SUM({column}) FROM vaccination_target WHERE area_code LIKE '4188%'")
        for column in ("population", "baseline_dose3")
    )
    return (baseline + doses_sum(engine, CITY, dt.date(2000, 1, 1), day, CITY, dose_number=3)) / population


UNIT_SQL = {
    "checkpoint": "SELECT code FROM checkpoint WHERE area_code LIKE :p",
    "testing": "SELECT code FROM sampling_site WHERE area_code LIKE :p",
    "supplies": "SELECT code FROM warehouse WHERE area_code LIKE :p",
    "vaccination": "SELECT code FROM vaccination_site WHERE area_code LIKE :p",
    "grid": "SELECT DISTINCT community_code FROM area WHERE level = 'grid' AND code LIKE :p",
    "isolation_people": "SELECT code FROM area WHERE level = 'street' AND code LIKE :p",
    "isolation_site": "SELECT code FROM isolation_site WHERE area_code LIKE :p",
    "inspection": "SELECT code FROM inspection_team WHERE area_code LIKE :p",
}


def completeness(engine, report_type: str, day: dt.date) -> tuple[int, int]:
    """(units expected to report, units that reported) for the whole city on ``day``."""
    units = UNIT_SQL[report_type]
    expected = sql_scalar(engine, f"SELECT COUNT(*) FROM ({units}) u", p="4188%")
    reported = sql_scalar(
        engine,
        f"SELECT COUNT(DISTINCT unit_code) FROM report_submission WHERE report_type = :t AND day = :d AND unit_code IN ({units})",
        t=report_type,
        d=day.isoformat(),
        p="4188%",
    )
    return expected, reported


def city_figures(engine, day: dt.date) -> dict[str, int]:
    def checkpoints(column):
        return checkpoint_sum(engine, column, CITY, day, day, CITY)

    def tests(column):
        return testing_sum(engine, column, CITY, day, day, CITY)

    return {
        "Vehicles checked": checkpoints("vehicles"),
        "People checked": checkpoints("people"),
        "Fever found": checkpoints("fever"),
        "Turned back": checkpoints("turned_back"),
        "Samples collected": tests("samples_collected"),
        "Samples tested": tests("samples_tested"),
        "Positives": tests("positives"),
        "Backlog": tests("pending"),
        "Doses given": doses_sum(engine, CITY, day, day, CITY),
        "Red grid units": grid_units_with_colour(engine, RED, CITY, day, CITY),
        "Orange grid units": grid_units_with_colour(engine, ORANGE, CITY, day, CITY),
        "Under home observation": grid_sum(engine, "home_observation", CITY, day),
        "Households visited": grid_sum(engine, "households_visited", CITY, day),
    }


def compact(count: float, size: float, suffix: str) -> str:
    """``count`` in ``size``s with one decimal, a trailing ".0" dropped: 62万, 80.1万, 620K."""
    return f"{abs(count) / size:.1f}".removesuffix(".0") + suffix


def shown_en(count: float, large_row: bool) -> str:
    """A count as an English briefing shows it, without its sign: in thousands from 10,000
    in a row whose figure reaches 100,000 on either day (as a card would show it: 620K),
    otherwise whole with separators."""
    return compact(count, 1e3, "K") if large_row and abs(count) >= 10_000 else f"{abs(count):,}"


# ---------------------------------------------------------------- the PDF
def test_pdf_key_figures_match_the_database(documents, sample_database):
    _, engine = sample_database
    text = pdf_text(documents["en"][1])
    today, yesterday = city_figures(engine, DAY), city_figures(engine, DAY - dt.timedelta(days=1))
    assert max(today["People checked"], today["Vehicles checked"]) >= 100_000, "some rows read in thousands"
    for label, value in today.items():
        cells = row(text, label)
        before = yesterday[label]
        large = max(value, before) >= 100_000
        assert cells[:2] == [shown_en(value, large), shown_en(before, large)], label
        if value == before:
            assert cells[2:] == ["no", "change"], label
        else:
            sign = "+" if value > before else MINUS
            assert cells[2] == sign + shown_en(value - before, large), label
            assert cells[3] == f"({sign}{abs(value - before) / before * 100:.1f}%)", label

    tested, positives = today["Samples tested"], today["Positives"]
    assert row(text, "Positivity")[0] == f"{positives / tested * 100:.3f}%"
    assert row(text, "Booster coverage")[:2] == [
        f"{booster_coverage(engine, DAY) * 100:.1f}%",
        f"{booster_coverage(engine, DAY - dt.timedelta(days=1)) * 100:.1f}%",
    ]
    lowest = row(text, "Lowest days of cover (this area) · Sampling tube kits")
    assert lowest[:2] == [f"{lowest_days_of_cover(engine, '4188%', DAY):.1f}", "days"]


def test_pdf_in_chinese_shows_large_figures_in_wan(documents, sample_database):
    """Counts of 10万 and more, and their changes, read in 万, each followed by its unit."""
    _, engine = sample_database
    text = pdf_text(documents["zh"][1])
    people = checkpoint_sum(engine, "people", CITY, DAY, DAY, CITY)
    before = checkpoint_sum(engine, "people", CITY, DAY - dt.timedelta(days=1), DAY - dt.timedelta(days=1), CITY)
    assert people >= 100_000, "the sample city checks more than 10万 people a day"
    cells = row(text, "查验人员")
    assert cells[0] == compact(people, 1e4, "万人次")
    assert cells[1] == compact(before, 1e4, "万人次")
    assert cells[2].startswith(f"{MINUS if people < before else '+'}{compact(people - before, 1e4, '万')}（")
    tested = testing_sum(engine, "samples_tested", CITY, DAY, DAY, CITY)
    assert row(text, "检测数")[0] == f"{tested:,}份"  # under 10万: the whole figure
    assert row(text, "红色网格")[0] == f"{grid_units_with_colour(engine, RED, CITY, DAY, CITY)}个"
    assert "示例数据" in text and "每日简报" in text


def test_pdf_lists_the_alerts_and_reporting_completeness(documents, city, sample_database):
    _, engine = sample_database
    text = pdf_text(documents["en"][1])
    alerts = active_alerts(Scope(CITY, DAY, DAY), engine)
    assert alerts, "the sample city has alerts on its last day"
    assert f"2. Alerts ({len(alerts)})" in text
    assert text.count("Critical ") + text.count("Warning ") == min(len(alerts), 30)
    assert "Sampling tube kits — " in text  # the most severe alert's sentence

    report_names = {
        "checkpoint": "checkpoint reports",
        "testing": "testing reports",
        "supplies": "supplies reports",
        "vaccination": "vaccination reports",
        "grid": "grid-unit reports",
        "isolation_people": "isolation and observation reports",
        "isolation_site": "isolation-site reports",
        "inspection": "inspection reports",
    }
    totals = [0, 0]
    for report_type, name in report_names.items():
        expected, reported = completeness(engine, report_type, DAY)
        totals[0] += expected
        totals[1] += reported
        assert row(text, name) == [
            f"{expected:,}",
            f"{reported:,}",
            f"{expected - reported:,}",
            f"{reported / expected * 100:.1f}%",
        ]
    assert row(text, "Total")[:3] == [f"{totals[0]:,}", f"{totals[1]:,}", f"{totals[0] - totals[1]:,}"]
    # The data time is the latest report's arrival (the sample's reports come in the next morning).
    from data_access.areas import domain_freshness
    from presentation import formatting as fmt

    latest = domain_freshness(engine)["last_reported_at"].dropna().max()
    assert latest.tz_convert("Asia/Shanghai").date() == dt.date(2022, 5, 1)
    assert "Data for 30 Apr 2022" in text and f"Data as of {fmt.local_time(latest, 'en')}" in text


def test_pdf_is_a4_and_embeds_its_chinese_font(documents):
    reader = PdfReader(BytesIO(documents["zh"][1]))
    assert 1 <= len(reader.pages) <= 4
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(font["/BaseFont"]))
    assert any("CJK-SC" in name for name in embedded), embedded
    assert reader.metadata.title.startswith("清河市（示例）疫情防控每日简报")


# ---------------------------------------------------------------- the HTML
def test_html_holds_the_same_figures_as_the_pdf(documents, city, sample_database):
    _, engine = sample_database
    for lang in ("zh", "en"):
        html, pdf = documents[lang]
        text = pdf_text(pdf)
        people = checkpoint_sum(engine, "people", CITY, DAY, DAY, CITY)
        assert re.search(rf'data-figure="checkpoints.people" data-value="{float(people)!r}"', html)
        # Every figure row of the HTML, as text, is a line of the PDF.
        for cells in re.findall(r'<tr data-figure="[^"]+"[^>]*>(.*?)</tr>', html):
            line = " ".join(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>.*?</td>", cells))
            assert line.replace("&amp;", "&") in text, line
        assert html.count('class="chart"') == len(city.sections)  # a chart per domain
        assert html.count("<svg") == len(city.sections)


def test_key_figures_take_their_names_and_good_direction_from_the_catalogue(documents, city):
    """Each row is named by its catalogue figure (with what it picks out beside it), and its
    change is coloured by the catalogue's good direction: fewer fever cases is good news,
    fewer people checked is neither."""
    html = documents["en"][0]
    tones = {}
    for key, first_cell, tone in re.findall(
        r'<tr data-figure="([^"]+)"[^>]*><td>(.*?)</td>.*?<td class="num change (\w+)">', html
    ):
        assert first_cell.startswith(metric(key).name("en")), (key, first_cell)
        tones[key] = tone
    assert set(tones) == {f.key for s in city.sections for f in s.figures}
    assert city.figure("checkpoints.fever").change < 0 and tones["checkpoints.fever"] == "good"
    assert city.figure("checkpoints.people").change < 0 and tones["checkpoints.people"] == "neutral"
    assert city.figure("grid.units_red").change < 0 and tones["grid.units_red"] == "good"
    assert city.figure("vaccination.coverage_booster").change > 0 and tones["vaccination.coverage_booster"] == "good"
    for key, tone in tones.items():
        figure, better = city.figure(key), metric(key).better
        if not figure.change or better == NEITHER:
            assert tone == "neutral", key
        else:
            assert tone == ("good" if (figure.change > 0) == (better == HIGHER) else "bad"), key


def test_the_briefing_imports_nothing_from_the_dashboard_ui():
    """The briefing sits below the app (the command line runs it without Streamlit); only
    the overview's download panel is Streamlit UI and lives in ui/briefing_panel.py."""
    probe = (
        "import sys, briefing, briefing.content, briefing.charts, briefing.html, briefing.pdf, briefing.__main__\n"
        "print(sorted(n for n in sys.modules if n == 'streamlit' or n.split('.')[0] == 'ui'))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_html_is_self_contained_and_prints_on_a4(documents):
    html, _ = documents["zh"]
    assert "@page" in html and "size: A4" in html and "@media print" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "url(http" not in html and "@import" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "chart ids are unique in the page"


# ---------------------------------------------------------------- scope and defaults
def test_a_street_reads_supplies_and_coverage_from_its_district(sample_database):
    _, engine = sample_database
    street = build_briefing(STREET, DAY, engine=engine)
    district = build_briefing(DISTRICT, DAY, engine=engine)
    assert street.section("supplies").counted_in.zh == district.area.zh
    assert street.figure("supplies.lowest_area_cover").value == district.figure("supplies.lowest_area_cover").value
    assert street.figure("vaccination.coverage_booster").value == district.figure("vaccination.coverage_booster").value
    yesterday = DAY - dt.timedelta(days=1)
    assert street.figure("checkpoints.people").previous == checkpoint_sum(engine, "people", STREET, yesterday, yesterday, CITY)


def test_a_figure_without_a_report_on_the_day_shows_a_dash(sample_database):
    """The street's one checkpoint sent no report for the last day: no figure, not 0."""
    _, engine = sample_database
    reported = sql_scalar(
        engine,
        "SELECT COUNT(*) FROM checkpoint_daily d JOIN checkpoint c ON c.code = d.checkpoint_code WHERE c.area_code LIKE :p AND d.day = :d",
        p=f"{STREET}%",
        d=DAY.isoformat(),
    )
    assert reported == 0, "the sample city has a street whose checkpoint did not report on its last day"
    street = build_briefing(STREET, DAY, engine=engine)
    people = street.figure("checkpoints.people")
    assert people.value is None and people.previous > 0 and people.change is None
    html = render_html(street, "en")
    cells = re.search(r'<tr data-figure="checkpoints.people"[^>]*>(.*?)</tr>', html).group(1)
    assert [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>.*?</td>", cells)] == [
        "People checked",
        "not reported",
        f"{people.previous:,.0f}",
        "—",
    ]


def test_defaults_are_the_city_and_the_latest_day(sample_database):
    _, engine = sample_database
    briefing = build_briefing(engine=engine)
    assert (briefing.area_code, briefing.day) == (CITY, DAY)
    assert briefing.is_sample


# ---------------------------------------------------------------- command line
def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_command_line_writes_pdf_and_html_for_a_district_and_day(sample_database, tmp_path):
    url, engine = sample_database
    day = dt.date(2022, 4, 29)
    result = run_cli(url, "--area", DISTRICT, "--day", day.isoformat(), "--lang", "en", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    stem = tmp_path / "out" / f"briefing-{DISTRICT}-{day.isoformat()}-en"
    assert result.stdout.split() == [f"{stem}.html", f"{stem}.pdf"]
    text = pdf_text((stem.with_suffix(".pdf")).read_bytes())
    people = checkpoint_sum(engine, "people", DISTRICT, day, day, CITY)
    before = checkpoint_sum(engine, "people", DISTRICT, day - dt.timedelta(days=1), day - dt.timedelta(days=1), CITY)
    assert row(text, "People checked")[0] == shown_en(people, max(people, before) >= 100_000)
    assert "Xinhe District: epidemic-control daily briefing" in text
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert f'data-value="{float(people)!r}"' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "999999"], "No area has the code 999999."),
        (["--day", "2023-01-01"], "has no data for 2023-01-01 (data from 2022-01-01 to 2022-04-30)"),
    ],
)
def test_command_line_refuses_an_unknown_area_or_a_day_without_data(sample_database, tmp_path, args, message):
    url, _ = sample_database
    result = run_cli(url, *args, "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and not list(tmp_path.iterdir())


# ---------------------------------------------------------------- the overview's buttons
def test_overview_offers_the_briefing_for_the_current_filter(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["area"] = DISTRICT
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download briefing (PDF)", "Download briefing (HTML)"} <= set(buttons)
