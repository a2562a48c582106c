"""The overview's KPI cards — one per domain for a day, with the change against the day
before and a 30-day sparkline — shared by the overview page and the wall screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from data_access import checkpoints, grid, supplies, testing, vaccination
from data_access.scope import Scope
from presentation import formatting as fmt
from ui.components import Kpi, name_column
from ui.data import load
from ui.i18n import t
from presentation.series import day_figure, days_of_cover_series


def _count_kpi(label: str, figure, lang: str, rise_is_bad: bool = False) -> Kpi:
    return Kpi(
        label=label,
        value=fmt.count(figure.value, lang, compact=True),
        delta=fmt.signed_count(figure.change, lang, compact=True) if figure.change is not None else None,
        sparkline=figure.sparkline,
        rise_is_bad=rise_is_bad,
    )


def overview_kpis(scope: Scope, lang: str, flags: dict[str, str] | None = None) -> list[Kpi]:
    """KPI cards for ``scope``'s last day: people checked, samples tested, positives, the
    supply item with the fewest days of cover, doses given, booster coverage, and grid
    units in red or orange. ``flags`` (domain → data-check text) marks the cards concerned."""
    day = scope.end
    month = scope.with_days(day - dt.timedelta(days=29), day)
    checkpoint_days = load(checkpoints.checkpoint_daily_totals, month)
    testing_days = load(testing.testing_daily_totals, month)
    dose_days = load(vaccination.doses_by_day, month)
    grid_days = load(grid.grid_daily_totals, month)
    if not grid_days.empty:
        grid_days = grid_days.assign(red_orange=grid_days["units_red"] + grid_days["units_orange"])

    cards = [
        ("checkpoints", _count_kpi(t("overview.kpi.people_checked", lang), day_figure(checkpoint_days, "people", day), lang)),
        ("testing", _count_kpi(t("overview.kpi.samples_tested", lang), day_figure(testing_days, "samples_tested", day), lang)),
        ("testing", _count_kpi(t("overview.kpi.positives", lang), day_figure(testing_days, "positives", day), lang, rise_is_bad=True)),
        ("supplies", _lowest_cover_kpi(month, lang)),
        ("vaccination", _count_kpi(t("overview.kpi.doses", lang), day_figure(dose_days, "doses", day), lang)),
        ("vaccination", _booster_kpi(scope, lang)),
        ("grid", _count_kpi(t("overview.kpi.red_orange", lang), day_figure(grid_days, "red_orange", day), lang, rise_is_bad=True)),
    ]
    flags = flags or {}
    return [replace(card, flag=flags.get(domain)) for domain, card in cards if card is not None]


def _lowest_cover_kpi(month: Scope, lang: str) -> Kpi:
    """The item with the fewest days of cover on the day, against the day before."""
    day = month.end
    status = load(supplies.supply_status, month)
    if status.empty or not status["days_of_cover"].notna().any():
        return Kpi(t("overview.kpi.lowest_cover_short", lang), "—")
    lowest = status.loc[status["days_of_cover"].idxmin()]
    cover = days_of_cover_series(load(supplies.supply_item_daily, month, lowest["item_code"]))
    previous = cover.get(day - dt.timedelta(days=1))
    change = lowest["days_of_cover"] - previous if previous is not None and pd.notna(previous) else None
    return Kpi(
        label=t("overview.kpi.lowest_cover", lang, item=lowest[name_column(lang)]),
        value=f"{fmt.decimal(lowest['days_of_cover'])} {t('unit.days', lang)}",
        delta=f"{'+' if change > 0 else ''}{change:.1f} {t('unit.days', lang)}" if change is not None else None,
        sparkline=cover.fillna(0).tolist()[-30:],
    )


def _booster_kpi(scope: Scope, lang: str) -> Kpi | None:
    """Booster coverage on the day, and its change in percentage points."""
    day = scope.end
    yesterday = day - dt.timedelta(days=1)
    now = load(vaccination.coverage_total, scope)
    before = load(vaccination.coverage_total, scope.with_days(min(scope.start, yesterday), yesterday))
    if now.empty:
        return None
    value = now["coverage_booster"].iloc[0]
    previous = before["coverage_booster"].iloc[0] if not before.empty else None
    return Kpi(
        t("overview.kpi.booster_coverage", lang),
        fmt.percent(value),
        delta=fmt.signed_percent_points(value - previous, lang) if previous is not None else None,
    )
