"""Vaccination coverage 疫苗接种: cards, doses per day by dose, coverage by age group and
by area against the target population, and sites against the doses given."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.data_checks import DataCheck
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, period_cards
from presentation.tables import PERCENT_BAR, WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import text
from presentation.trends import trend, trend_table

CARDS = {"doses": "vaccination.doses", "booster": "vaccination.booster"}
DOSES = {"dose1": "vaccination.dose1", "dose2": "vaccination.dose2", "booster": "vaccination.booster"}
COVERAGE = {
    "dose1": "vaccination.coverage_dose1",
    "dose2": "vaccination.coverage_dose2",
    "booster": "vaccination.coverage_booster",
}
VACCINATED = {
    "dose1": "vaccination.vaccinated_dose1",
    "dose2": "vaccination.vaccinated_dose2",
    "booster": "vaccination.vaccinated_booster",
}
DOSE_COLOURS = [palette.BLUE, palette.GREEN, palette.ORANGE]
SITE_KINDS = ("fixed", "mobile_team", "vehicle")


def cards(daily: pd.DataFrame, total: pd.DataFrame, sites: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> list[Kpi]:
    """Doses over the range with their change; coverage as of its last day; sites by kind
    and their daily capacity."""
    result = period_cards(daily, CARDS, start, end, lang)
    if total is not None and not total.empty:
        row = total.iloc[0]
        result += [card(key, row[f"coverage_{dose}"], lang) for dose, key in COVERAGE.items()]
    if sites is not None and not sites.empty:
        counts = sites.set_index("kind")["sites"]
        result += [
            card("vaccination.sites", " / ".join(fmt.count(counts.get(kind, 0), lang) for kind in SITE_KINDS), lang),
            card("vaccination.site_capacity", fmt.count(sites["daily_capacity"].sum(), lang, compact=True), lang),
        ]
    return result


def checks_for_cards(checks: list[DataCheck]) -> list[DataCheck]:
    """The checks a card is flagged by: coverage above 100 % only when it is the whole
    area's (the cards' own figure), not one age group's or one sub-area's (their rows are)."""
    return [c for c in checks if c.check != "coverage_above_population" or c.details.get("breakdown") == "total"]


def widened_to(total: pd.DataFrame, area_code: str) -> str | None:
    """The area coverage is counted for when the filter's is below a district, else None."""
    if total is None or total.empty or total["area_code"].iloc[0] == area_code:
        return None
    return total["area_code"].iloc[0]


def doses_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Doses per day stacked by dose number, a short range with the 30 days before it."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    names = {column: name(key, lang) for column, key in DOSES.items()}
    long = rows.melt("day", list(DOSES), var_name="part", value_name="value")
    long["part"] = long["part"].map(names)
    chart = charts.stacked_day_bars(
        long, lang, list(names.values()), DOSE_COLOURS, selected=selected, value_title=name("vaccination.doses", lang)
    )
    return chart, trend_table(rows, {**DOSES, "doses": "vaccination.doses"}, selected, lang)


def _coverage_long(frame: pd.DataFrame, category: str, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Coverage in percent per category and dose (category, part, pct), and the parts' order."""
    names = {f"coverage_{dose}": name(key, lang) for dose, key in COVERAGE.items()}
    long = frame.melt(category, list(names), var_name="part", value_name="pct")
    long["part"] = long["part"].map(names)
    long["pct"] = (long["pct"] * 100).round(1)
    return long, list(names.values())


def _coverage_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{f"coverage_{dose}_pct": (frame[f"coverage_{dose}"] * 100).round(1) for dose in COVERAGE})


COVERAGE_COLUMNS = {
    "population": "vaccination.target_population",
    **VACCINATED,
    **{f"coverage_{dose}_pct": key for dose, key in COVERAGE.items()},
}


def coverage_by_age(frame: pd.DataFrame, lang: str):
    """Coverage of each dose per age group as of the range's end (chart or None, table).
    The table keeps the age groups as stored, so a data check's group finds its row."""
    if frame is None or frame.empty:
        return None, pd.DataFrame()
    shown = frame.assign(age=frame["age_group"] + text("vac.age_suffix", lang))
    long, order = _coverage_long(shown, "age", lang)
    chart = charts.grouped_coverage_bars(long, "age", order, DOSE_COLOURS, text("vac.age_group", lang))
    return chart, display_frame(_coverage_columns(frame), {"age_group": "vac.age_group", **COVERAGE_COLUMNS}, lang)


def coverage_by_area(frame: pd.DataFrame, lang: str):
    """Coverage per area below the filter's (down to districts) as of the range's end,
    ranked by booster coverage (chart or None, table with each area's code)."""
    if frame is None or frame.empty:
        return None, pd.DataFrame()
    shown = frame.assign(area=frame[name_column(lang)], rank=range(1, len(frame) + 1))
    long, order = _coverage_long(shown, "area", lang)
    chart = charts.grouped_coverage_bars(long, "area", order, DOSE_COLOURS, text("common.area", lang))
    columns = {"rank": "vac.rank", "area_code": "common.code", "area": "common.area", **COVERAGE_COLUMNS}
    return chart, display_frame(_coverage_columns(shown), columns, lang)


def by_area_height(table: pd.DataFrame) -> int:
    return max(200, 60 * len(table)) if table is not None else 200


SITE_COLUMNS = {
    "kind_label": "vac.kind",
    "sites": "vaccination.sites",
    "daily_capacity": "vaccination.site_capacity",
    "doses_per_day": "vaccination.doses_per_day",
    "utilisation_pct": "vaccination.site_utilisation",
}


def site_table(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Fixed sites, mobile teams and vehicles: how many, their daily capacity, the doses
    they gave per day over the range and the share of capacity that is."""
    if sites is None or sites.empty:
        return display_frame(sites, SITE_COLUMNS, lang)
    shown = sites.assign(
        kind_label=sites["kind"].map(lambda kind: text(f"vac.kind.{kind}", lang)),
        doses_per_day=sites["doses_per_day"].round(0),
        utilisation_pct=(sites["utilisation"] * 100).round(1),
    )
    return display_frame(shown, SITE_COLUMNS, lang)


def site_formats(lang: str) -> dict[str, ColumnFormat]:
    return formats_for(
        {"vaccination.site_capacity": WHOLE, "vaccination.doses_per_day": WHOLE, "vaccination.site_utilisation": PERCENT_BAR},
        lang,
    )
