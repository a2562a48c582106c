"""Vaccination coverage 疫苗接种: doses per day by dose, coverage by age group and area
against target population, sites and teams against doses given, area ranking."""

import altair as alt
import pandas as pd
import streamlit as st

from data_access import vaccination
from ui import format as fmt
from ui.checks_view import flag_rows, load_checks
from ui.components import (
    PALETTE,
    Kpi,
    chart_block,
    display_frame,
    kpi_row,
    name_column,
    page_header,
    period_kpis,
    side_by_side,
    table_block,
)
from ui.data import load, load_with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import area_name

state, scope = page_context()
lang = state.lang
names = name_column(lang)
page_header("vac.title")

DOSES = {"dose1": t("vac.dose1"), "dose2": t("vac.dose2"), "booster": t("vac.booster")}
DOSE_COLOURS = [PALETTE[0], PALETTE[2], PALETTE[3]]

daily_wide, daily = load_with_comparison(vaccination.doses_by_day, scope)
total = load(vaccination.coverage_total, scope)
sites = load(vaccination.site_capacity, scope)

# ---- KPI row
cards = period_kpis(daily_wide, [("doses", t("vac.doses"), False), ("booster", t("vac.booster"), False)], scope.start, scope.end)
if not total.empty:
    row = total.iloc[0]
    cards += [Kpi(t("vac.coverage_of", dose=label), fmt.percent(row[f"coverage_{key}"])) for key, label in DOSES.items()]
if not sites.empty:
    counts = sites.set_index("kind")["sites"]
    cards += [
        Kpi(t("vac.kpi_sites"), " / ".join(str(int(counts.get(k, 0))) for k in ("fixed", "mobile_team", "vehicle"))),
        Kpi(t("vac.kpi_capacity"), fmt.count(sites["daily_capacity"].sum(), lang, compact=True)),
    ]
kpi_row(cards, per_row=4)
if not total.empty and total["area_code"].iloc[0] != state.area_code:
    st.info(t("common.widened", domain=t("domain.vaccination"), name=area_name(total["area_code"].iloc[0], lang)), icon=":material/info:")

# ---- doses per day by dose number
doses_long = daily.melt("day", list(DOSES), var_name="dose", value_name="count") if not daily.empty else pd.DataFrame()
if not doses_long.empty:
    doses_long["dose"] = doses_long["dose"].map(DOSES)
chart_block(
    t("vac.doses_chart"),
    alt.Chart(doses_long).mark_bar().encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d", labelOverlap=True)),
        y=alt.Y("count:Q", title=None, stack=True, axis=alt.Axis(format="~s")),
        color=alt.Color("dose:N", sort=list(DOSES.values()), scale=alt.Scale(domain=list(DOSES.values()), range=DOSE_COLOURS), legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("day:T", title=t("common.day")), alt.Tooltip("dose:N"), alt.Tooltip("count:Q", title=t("vac.doses"), format=",")],
    ) if not doses_long.empty else None,
    flag_rows(display_frame(daily, {"day": t("common.day"), **DOSES, "doses": t("vac.doses")}), load_checks(scope), "vaccination", lang, t("common.day")),
    key="vaccination_doses",
    height=260,
)


def coverage_bars(frame: pd.DataFrame, category: str, title: str) -> alt.Chart:
    """Grouped bars: coverage of 1st dose, full course and booster per category."""
    long = frame.melt(category, [f"coverage_{k}" for k in DOSES], var_name="dose", value_name="coverage")
    long["dose"] = long["dose"].str.replace("coverage_", "").map(DOSES)
    long["coverage_pct"] = (long["coverage"] * 100).round(1)
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=list(frame[category])),
        yOffset=alt.YOffset("dose:N", sort=list(DOSES.values())),
        x=alt.X("coverage_pct:Q", title="%", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("dose:N", sort=list(DOSES.values()), scale=alt.Scale(domain=list(DOSES.values()), range=DOSE_COLOURS), legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip(f"{category}:N", title=title), alt.Tooltip("dose:N"), alt.Tooltip("coverage_pct:Q", title="%", format=".1f")],
    )


def coverage_table(frame: pd.DataFrame, first: dict[str, str]) -> pd.DataFrame:
    shown = frame.assign(**{f"coverage_{k}_pct": (frame[f"coverage_{k}"] * 100).round(1) for k in DOSES})
    return display_frame(
        shown,
        {**first, "population": t("vac.population"), **DOSES, **{f"coverage_{k}_pct": f"{t('vac.coverage_of', dose=label)} (%)" for k, label in DOSES.items()}},
    )


with side_by_side("vaccination_coverage"):
    by_age = load(vaccination.coverage_by_age_group, scope)
    if not by_age.empty:
        by_age = by_age.assign(age=by_age["age_group"] + t("vac.age_suffix"))
    chart_block(
        t("vac.coverage_age", day=fmt.day(scope.end, lang)),
        coverage_bars(by_age, "age", t("vac.age_group")) if not by_age.empty else None,
        coverage_table(by_age, {"age": t("vac.age_group")}) if not by_age.empty else by_age,
        key="vaccination_by_age",
        height=320,
    )
    by_area = load(vaccination.coverage_by_area, scope)
    if not by_area.empty:
        by_area = by_area.assign(area=by_area[names], rank=range(1, len(by_area) + 1))
    chart_block(
        t("vac.coverage_area", day=fmt.day(scope.end, lang)),
        coverage_bars(by_area, "area", t("common.area")) if not by_area.empty else None,
        coverage_table(by_area, {"rank": t("vac.rank"), "area": t("common.area")}) if not by_area.empty else by_area,
        key="vaccination_by_area",
        height=max(200, 60 * len(by_area)),
    )

# ---- sites against doses given
if not sites.empty:
    sites = sites.assign(kind_label=sites["kind"].map(lambda k: t(f"vac.kind.{k}")), use_pct=(sites["utilisation"] * 100).round(1), doses_per_day=sites["doses_per_day"].round(0))
table_block(
    t("vac.sites"),
    display_frame(sites, {"kind_label": t("vac.kind"), "sites": t("vac.count"), "daily_capacity": t("vac.capacity"), "doses_per_day": t("vac.per_day"), "use_pct": t("vac.use")}),
    key="vaccination_sites",
    column_config={t("vac.use"): st.column_config.ProgressColumn(t("vac.use"), format="%.1f%%", min_value=0, max_value=100)},
)
