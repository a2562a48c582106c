"""Testing volume 核酸检测: collected/tested/positives, positivity, backlog, lab use,
turnaround, and mass-testing round coverage by area."""

import altair as alt
import streamlit as st

from data_access import testing
from data_access.metrics import positivity
from ui import format as fmt
from ui.checks_view import flag_rows, load_checks
from ui.components import (
    PALETTE,
    Kpi,
    chart_block,
    display_frame,
    kpi_row,
    line_chart,
    name_column,
    page_header,
    period_kpis,
    side_by_side,
    table_block,
)
from ui.data import load, load_with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.series import period_sums

state, scope = page_context()
lang = state.lang
names = name_column(lang)
page_header("test.title")

daily_wide, daily = load_with_comparison(testing.testing_daily_totals, scope)
labs = load(testing.lab_utilisation_daily, scope)

# ---- KPI row
cards = period_kpis(
    daily_wide,
    [("samples_collected", t("test.collected"), False), ("samples_tested", t("test.tested"), False), ("positives", t("test.positives"), True)],
    scope.start,
    scope.end,
)
sums = period_sums(daily_wide, ["positives", "samples_tested"], scope.start, scope.end)
last = daily.iloc[-1] if not daily.empty else None
lab_use = period_sums(labs, ["tubes_tested", "capacity_tubes"], scope.start, scope.end)
cards += [
    Kpi(t("test.positivity"), fmt.percent(positivity(sums["positives"], sums["samples_tested"]), 3) if sums is not None else "—"),
    Kpi(t("test.backlog_short"), fmt.count(last["backlog"] if last is not None else None, lang, compact=True), rise_is_bad=True),
    Kpi(t("test.tat_median"), f"{fmt.decimal(last['turnaround_median_h'] if last is not None else None)} {t('unit.hours')}"),
    Kpi(t("test.tat_p90"), f"{fmt.decimal(last['turnaround_p90_h'] if last is not None else None)} {t('unit.hours')}"),
    Kpi(t("test.lab_use"), fmt.percent(lab_use["tubes_tested"] / lab_use["capacity_tubes"]) if lab_use is not None and lab_use["capacity_tubes"] else "—"),
]
if last is not None:
    ratio = int(last["pooled_ratio"])
    cards.append(Kpi(t("test.pooled"), t("test.pooled_value", n=ratio) if ratio > 1 else t("test.single")))
kpi_row(cards, per_row=5)

# ---- volume and positivity
with side_by_side("testing_volume"):
    chart_block(
        t("test.volume_chart"),
        line_chart(daily, "day", {"samples_collected": t("test.collected"), "samples_tested": t("test.tested"), "positives": t("test.positives")}, secondary=["positives"]) if not daily.empty else None,
        flag_rows(
            display_frame(daily, {"day": t("common.day"), "samples_collected": t("test.collected"), "samples_tested": t("test.tested"), "positives": t("test.positives")}),
            load_checks(scope), "testing", lang, t("common.day"),
        ),
        key="testing_volume",
    )
    rate = daily.assign(positivity_pct=daily["positivity"] * 100) if not daily.empty else daily
    chart_block(
        t("test.positivity_chart"),
        line_chart(rate, "day", {"positivity_pct": f"{t('test.positivity')} (%)"}, colors=[PALETTE[1]], y_format=".3~f") if not daily.empty else None,
        display_frame(rate.round({"positivity_pct": 4}) if not rate.empty else rate, {"day": t("common.day"), "positives": t("test.positives"), "samples_tested": t("test.tested"), "positivity_pct": f"{t('test.positivity')} (%)"}),
        key="testing_positivity",
    )

with side_by_side("testing_backlog"):
    chart_block(
        t("test.backlog_chart"),
        (alt.Chart(daily).mark_area(color=PALETTE[3], opacity=0.6).encode(x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")), y=alt.Y("backlog:Q", title=None, axis=alt.Axis(format="~s")), tooltip=[alt.Tooltip("day:T", title=t("common.day")), alt.Tooltip("backlog:Q", title=t("test.backlog"), format=",")])) if not daily.empty else None,
        display_frame(daily, {"day": t("common.day"), "samples_collected": t("test.collected"), "samples_tested": t("test.tested"), "backlog": t("test.backlog")}),
        key="testing_backlog",
    )
    lab_view = labs.assign(utilisation_pct=(labs["utilisation"] * 100).round(1)) if not labs.empty else labs
    chart_block(
        t("test.lab_chart"),
        line_chart(labs, "day", {"tubes_tested": t("test.tubes_tested"), "capacity_tubes": t("test.capacity_tubes")}, colors=[PALETTE[0], PALETTE[7]]) if not labs.empty else None,
        display_frame(lab_view, {"day": t("common.day"), "labs": "labs", "tubes_tested": t("test.tubes_tested"), "capacity_tubes": t("test.capacity_tubes"), "utilisation_pct": f"{t('test.lab_use')} (%)"}),
        key="testing_labs",
    )

tat = daily.round({"turnaround_median_h": 1, "turnaround_p90_h": 1}) if not daily.empty else daily
chart_block(
    t("test.tat_chart"),
    line_chart(tat, "day", {"turnaround_median_h": t("test.tat_median"), "turnaround_p90_h": t("test.tat_p90")}, colors=[PALETTE[0], PALETTE[1]]) if not daily.empty else None,
    display_frame(tat, {"day": t("common.day"), "turnaround_median_h": t("test.tat_median"), "turnaround_p90_h": t("test.tat_p90")}),
    key="testing_turnaround",
    height=240,
)
st.caption(t("test.tat_note"))

# ---- mass-testing rounds
rounds = load(testing.round_coverage_by_area, scope)
if rounds.empty:
    with st.container(border=True):
        st.markdown(f"**{t('test.rounds')}**")
        st.info(t("test.no_rounds"), icon=":material/info:")
else:
    rounds = rounds.assign(round=rounds["round_zh" if lang == "zh" else "round_en"], area=rounds[names], coverage_pct=(rounds["coverage"] * 100).round(1))
    heat = (
        alt.Chart(rounds)
        .mark_rect()
        .encode(
            x=alt.X("round:N", title=None, sort=list(dict.fromkeys(rounds["round"]))),
            y=alt.Y("area:N", title=None, sort=list(dict.fromkeys(rounds["area"]))),
            color=alt.Color("coverage_pct:Q", title="%", scale=alt.Scale(scheme="greens", domain=[50, 100], clamp=True)),
            tooltip=[alt.Tooltip("round:N", title=t("test.round")), alt.Tooltip("area:N", title=t("common.area")), alt.Tooltip("coverage_pct:Q", title=t("test.coverage"), format=".1f"), alt.Tooltip("samples_collected:Q", title=t("test.collected"), format=","), alt.Tooltip("residents:Q", title=t("common.residents"), format=",")],
        )
    )
    chart_block(
        t("test.rounds"),
        heat,
        display_frame(rounds, {"round": t("test.round"), "area": t("common.area"), "residents": t("common.residents"), "samples_collected": t("test.collected"), "coverage_pct": f"{t('test.coverage')} (%)"}),
        key="testing_rounds",
        height=max(160, 26 * rounds["area"].nunique()),
    )

# ---- by area
by_area = load(testing.testing_by_area, scope)
if not by_area.empty:
    by_area = by_area.assign(area=by_area[names], positivity_pct=(by_area["positivity"] * 100).round(4))
table_block(
    t("test.by_area"),
    display_frame(by_area, {"area": t("common.area"), "samples_collected": t("test.collected"), "samples_tested": t("test.tested"), "positives": t("test.positives"), "positivity_pct": f"{t('test.positivity')} (%)", "backlog": t("test.backlog_short")}),
    key="testing_by_area",
)
