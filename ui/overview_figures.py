"""The overview's KPI cards for a day — shared by the overview page and the wall screen:
the frames they need, loaded through the cache, and the cards built from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access import checkpoints, grid, inspections, isolation, supplies, testing, vaccination
from data_access.scope import Scope
from presentation.kpis import Kpi, with_flags
from presentation.views import overview
from presentation.views.supplies import lowest_district_card
from ui.data import load, load_plain


def overview_kpis(
    scope: Scope, lang: str, flags: dict[str, str] | None = None, *, isolation_and_inspections: bool = True
) -> list[Kpi]:
    """Cards for ``scope``'s last day: people checked, samples tested, positives, the
    lowest district days of cover, doses given, booster coverage, grid units in red or
    orange, people under isolation or observation and inspection problems overdue for
    rectification (these two only where the centre reports them, and not with
    ``isolation_and_inspections=False``: the wall, whose row holds seven cards read from
    afar, shows them in its rotation). ``flags`` (catalogue key → data-check text) marks the cards concerned."""
    day = scope.end
    month = scope.with_days(day - dt.timedelta(days=29), day)
    yesterday = day - dt.timedelta(days=1)
    checkpoint_days = load(checkpoints.checkpoint_daily_totals, month)
    testing_days = load(testing.testing_daily_totals, month)
    dose_days = load(vaccination.doses_by_day, month)
    grid_days = overview.grid_red_orange(load(grid.grid_daily_totals, month))
    by_district = load(supplies.days_of_cover_by_district, scope.with_days(day, day))
    coverage_now = load(vaccination.coverage_total, scope)
    isolation_days = load(isolation.people_daily_totals, month) if isolation_and_inspections else pd.DataFrame()
    inspection_days = load(inspections.inspection_daily_totals, month) if isolation_and_inspections else pd.DataFrame()
    coverage_before = load(vaccination.coverage_total, scope.with_days(min(scope.start, yesterday), yesterday))
    cards = [
        overview.day_card("checkpoints.people", checkpoint_days, "people", day, lang),
        overview.day_card("testing.samples_tested", testing_days, "samples_tested", day, lang),
        overview.day_card("testing.positives", testing_days, "positives", day, lang),
        lowest_district_card(by_district, load_plain(supplies.supply_items), lang),
        overview.day_card("vaccination.doses", dose_days, "doses", day, lang),
        overview.coverage_card("vaccination.coverage_booster", "coverage_booster", coverage_now, coverage_before, lang),
        overview.day_card("grid.units_red_orange", grid_days, "red_orange", day, lang),
        overview.reported_day_card("isolation.held", isolation_days, "held", day, lang),
        overview.reported_day_card("inspections.overdue", inspection_days, "overdue", day, lang),
    ]
    return with_flags([c for c in cards if c is not None], flags or {})
