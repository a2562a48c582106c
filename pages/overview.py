"""Overview 总览: one KPI card per domain for the selected day, with the change against the
day before and a 30-day sparkline, and how fresh each domain's data is."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import areas, checkpoints, grid, supplies, testing, vaccination
from ui import format as fmt
from ui.components import Kpi, kpi_row, name_column, page_header, table_block
from ui.data import is_sample_data, load, load_plain
from ui.i18n import t
from ui.page_setup import page_context
from ui.series import day_figure, days_of_cover_series
from ui.sidebar import area_name

state, scope = page_context()
lang = state.lang
day = state.end
month = scope.with_days(max(scope.end - dt.timedelta(days=29), dt.date.min), scope.end)

page_header("overview.title", f"{area_name(state.area_code, lang)} · {t('common.as_of_day', day=fmt.day(day, lang))}")
if is_sample_data():
    st.info(t("app.sample_notice"), icon="🧪")


def _count_kpi(label: str, figure, rise_is_bad: bool = False) -> Kpi:
    return Kpi(
        label=label,
        value=fmt.count(figure.value, lang, compact=True),
        delta=fmt.signed_count(figure.change, lang, compact=True) if figure.change is not None else None,
        sparkline=figure.sparkline,
        rise_is_bad=rise_is_bad,
    )


checkpoint_days = load(checkpoints.checkpoint_daily_totals, month)
testing_days = load(testing.testing_daily_totals, month)
dose_days = load(vaccination.doses_by_day, month)
grid_days = load(grid.grid_daily_totals, month)
if not grid_days.empty:
    grid_days = grid_days.assign(red_orange=grid_days["units_red"] + grid_days["units_orange"])

cards = [
    _count_kpi(t("overview.kpi.people_checked"), day_figure(checkpoint_days, "people", day)),
    _count_kpi(t("overview.kpi.samples_tested"), day_figure(testing_days, "samples_tested", day)),
    _count_kpi(t("overview.kpi.positives"), day_figure(testing_days, "positives", day), rise_is_bad=True),
]

# Supplies: the item with the fewest days of cover today, against yesterday.
status_today = load(supplies.supply_status, month)
if not status_today.empty and status_today["days_of_cover"].notna().any():
    lowest = status_today.loc[status_today["days_of_cover"].idxmin()]
    item_daily = load(supplies.supply_item_daily, month, lowest["item_code"])
    cover = days_of_cover_series(item_daily)
    previous = cover.get(day - dt.timedelta(days=1))
    cards.append(
        Kpi(
            label=t("overview.kpi.lowest_cover", item=lowest[name_column(lang)]),
            value=f"{fmt.decimal(lowest['days_of_cover'])} {t('unit.days')}",
            delta=(
                f"{'+' if lowest['days_of_cover'] - previous > 0 else ''}{lowest['days_of_cover'] - previous:.1f} {t('unit.days')}"
                if previous is not None and pd.notna(previous)
                else None
            ),
            sparkline=cover.fillna(0).tolist()[-30:],
        )
    )
else:
    cards.append(Kpi(t("overview.kpi.lowest_cover_short"), "—"))

cards.append(_count_kpi(t("overview.kpi.doses"), day_figure(dose_days, "doses", day)))
coverage_now = load(vaccination.coverage_total, scope)
yesterday = day - dt.timedelta(days=1)
coverage_before = load(vaccination.coverage_total, scope.with_days(min(scope.start, yesterday), yesterday))
if not coverage_now.empty:
    now = coverage_now["coverage_booster"].iloc[0]
    before = coverage_before["coverage_booster"].iloc[0] if not coverage_before.empty else None
    cards.append(
        Kpi(
            t("overview.kpi.booster_coverage"),
            fmt.percent(now),
            delta=fmt.signed_percent_points(now - before, lang) if before is not None else None,
        )
    )
cards.append(_count_kpi(t("overview.kpi.red_orange"), day_figure(grid_days, "red_orange", day), rise_is_bad=True))

kpi_row(cards, per_row=4)
st.caption(t("overview.sparkline_note"))

freshness = load_plain(areas.domain_freshness, default=pd.DataFrame())
if freshness is not None and not freshness.empty:
    table = pd.DataFrame(
        {
            t("common.measure"): freshness["domain"].map(lambda d: t(f"domain.{d}")),
            t("overview.last_day"): freshness["last_day"].map(lambda d: fmt.day(d, lang)),
            t("overview.last_report"): freshness["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
        }
    )
    table_block(t("overview.freshness"), table, key="overview_freshness")
