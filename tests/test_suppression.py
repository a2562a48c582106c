"""Small-count suppression (presentation/suppression.py): cases worked by hand, and
property tests on random tables shaped like the dashboard's (rows of areas or days, covered
counts beside other counts and a rate, a total row, sometimes selected days among others):
for every suppressed cell, an integer program (scipy's HiGHS) given everything the exported
table shows finds its least and greatest possible value, and they differ."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from data_access.settings import SuppressionSettings, suppression_settings
from presentation.catalogue import name
from presentation.kpis import Kpi
from presentation.suppression import (
    SHOWN,
    SMALL,
    WITHHELD,
    WITHHELD_MARK,
    Line,
    RowLevels,
    covered,
    feasible_ranges,
    protect,
    screen_kpis,
    small_mark,
    suppress_table,
)
from presentation.tables import SELECTED_MARK
from presentation.text import text

ON = SuppressionSettings(enabled=True)
POSITIVES, FEVER, TESTED, POSITIVITY = "testing.positives", "checkpoints.fever", "testing.samples_tested", "testing.positivity"


# ---------------------------------------------------------------- worked by hand
@pytest.mark.parametrize(
    ("values", "total_fine", "cells", "total"),
    [
        # one small count among large ones: the smallest other count that frees it goes too
        ([3, 12, 40, 7, 0], False, (SMALL, SHOWN, SHOWN, WITHHELD, SHOWN), SHOWN),
        # 1 + a withheld 5 = 6 would pin both (5 is the least a "*" can be): the 9 goes instead
        ([1, 5, 9], False, (SMALL, SHOWN, WITHHELD), SHOWN),
        # two "<5" of 2 and 2: the total 4 leaves each 1 to 3 — nothing more to withhold
        ([2, 2, 0], False, (SMALL, SMALL, SHOWN), SHOWN),
        # two "<5" summing to 2 are 1 and 1: the 30 is withheld
        ([1, 1, 30], False, (SMALL, SMALL, WITHHELD), SHOWN),
        # a street whose only positives are one community's 3: nothing to withhold, so the total goes
        ([0, 3, 0], False, (SHOWN, SMALL, SHOWN), WITHHELD),
        # 4 + 4 = 8 pins both at their top: the total goes
        ([4, 4], False, (SMALL, SMALL), WITHHELD),
        # a community's days: its total 2 is itself "<5", and 1 + 1 ≤ 4 leaves each 1 to 3
        ([1, 0, 1], True, (SMALL, SHOWN, SMALL), SMALL),
        # four days of 1 under a total "<5" (≤ 4) are each exactly 1: the total goes
        ([1, 1, 1, 1], True, (SMALL,) * 4, WITHHELD),
        # nothing small: nothing changes
        ([0, 5, 17], False, (SHOWN, SHOWN, SHOWN), SHOWN),
    ],
)
def test_protect_by_hand(values, total_fine, cells, total):
    line = protect(values, [True] * len(values), total_fine, 5)
    assert line == Line(cells, total)
    assert all(r is None or r[0] < r[1] for r in feasible_ranges(values, [True] * len(values), line, 5))


def test_the_ranges_a_reader_can_work_out():
    # 2 and 2 with the total 4 shown: each is 1 … 3.
    assert feasible_ranges([2, 2], [True, True], Line((SMALL, SMALL), SHOWN), 5) == [(1, 3), (1, 3)]
    # 1 beside a withheld 30, total 31: the 1 is 1 … 4, the 30 is 27 … 30.
    assert feasible_ranges([1, 30], [True, True], Line((SMALL, WITHHELD), SHOWN), 5) == [(1, 4), (27, 30)]
    # 1 and 1 with the total 2 shown: pinned — the reason protect withholds more.
    assert feasible_ranges([1, 1], [True, True], Line((SMALL, SMALL), SHOWN), 5) == [(1, 1), (1, 1)]


def test_a_table_of_communities_by_hand():
    lang = "en"
    table = pd.DataFrame(
        {
            text("common.area", lang): ["A", "B", "C", "D"],
            name(TESTED, lang): [900, 850, 1200, 40],
            name(POSITIVES, lang): [2, 0, 9, 31],
            f"{name(POSITIVITY, lang)} (%)": [0.2222, 0.0, 0.75, 77.5],
        }
    )
    out = suppress_table(table, RowLevels("community", "street"), ON, lang)
    assert out[name(POSITIVES, lang)].tolist() == ["<5", 0, WITHHELD_MARK, 31, 42]
    assert out[f"{name(POSITIVITY, lang)} (%)"].tolist()[:4] == [WITHHELD_MARK, 0.0, WITHHELD_MARK, 77.5]
    assert out.iloc[-1].tolist()[0] == "Total"
    # Districts (rows above community level): untouched, no total row.
    assert suppress_table(table, RowLevels("district", "city"), ON, lang) is None
    assert suppress_table(table, RowLevels("community", "street"), SuppressionSettings(), lang) is None


def test_cards_on_screen_for_a_community():
    on_screen = SuppressionSettings(enabled=True, on_screen=True)
    cards = [
        Kpi("Positives", "3", POSITIVES, delta="+2", sparkline=[1, 0, 2], count=3),
        Kpi("Positivity", "0.1%", POSITIVITY, delta="+0.05 pp", sparkline=[0.1, 0.0]),
        Kpi("Samples tested", "3,000", TESTED, delta="+10", sparkline=[1000, 2000], count=3000),
    ]
    shown = screen_kpis(cards, fine=True, settings=on_screen)
    assert (shown[0].value, shown[0].delta, shown[0].sparkline) == ("<5", None, None)
    assert (shown[1].value, shown[1].delta, shown[1].sparkline) == (WITHHELD_MARK, None, None)
    assert shown[2] == cards[2]
    assert screen_kpis(cards, fine=False, settings=on_screen) == cards  # a street's cards are exact
    assert screen_kpis(cards, fine=True, settings=ON) == cards  # not on screen unless asked


def test_settings_are_validated(monkeypatch):
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_THRESHOLD", "2")
    with pytest.raises(ValueError, match="at least 3"):
        suppression_settings()
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_THRESHOLD", "10")
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_ENABLED", "yes")
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_METRICS", "testing.positives, grid.home_observation")
    assert suppression_settings() == SuppressionSettings(True, 10, (POSITIVES, "grid.home_observation"), False)
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_ENABLED", "perhaps")
    with pytest.raises(ValueError, match="true or false"):
        suppression_settings()
    with pytest.raises(ValueError, match="testing.positivity"):
        covered(SuppressionSettings(enabled=True, metrics=(POSITIVITY,)))


def test_the_shipped_setting_is_off_and_covers_the_three_figures(monkeypatch):
    for variable in ("ENABLED", "THRESHOLD", "METRICS", "ON_SCREEN"):
        monkeypatch.delenv(f"DASHBOARD_SUPPRESSION_{variable}", raising=False)
    shipped = suppression_settings()
    assert shipped == SuppressionSettings()
    assert shipped.enabled is False and shipped.threshold == 5
    assert covered(shipped) == (POSITIVES, FEVER, "grid.home_observation")


# ---------------------------------------------------------------- random tables
def counts():
    """Counts as the dashboard has them: many zeros and small numbers, some large."""
    return st.one_of(st.just(0), st.integers(1, 6), st.integers(5, 60), st.integers(100, 5000))


@st.composite
def tables(draw):
    """A table as a page exports it: one row per area (or day) with two covered counts,
    an uncovered count, a rate of one covered count, optionally a selected-days column;
    the rows' level and the total's."""
    n = draw(st.integers(1, 9))
    lang = draw(st.sampled_from(["zh", "en"]))
    threshold = draw(st.sampled_from([3, 5, 10]))
    total_level = draw(st.sampled_from(["street", "community", "district"]))
    if total_level == "district":
        row_levels: str | tuple = draw(st.sampled_from(["street", "community"]))  # rows one level down
    elif total_level == "street":
        row_levels = draw(st.one_of(st.just("community"), st.tuples(*[st.sampled_from(["street", "community"])] * n)))
    else:
        row_levels = draw(st.sampled_from(["community", "grid"]))
    positives = draw(st.lists(counts(), min_size=n, max_size=n))
    tested = [p + draw(st.integers(0, 3000)) for p in positives]
    data = {
        text("common.area", lang): [f"A{i}" for i in range(n)],
        name(TESTED, lang): tested,
        name(POSITIVES, lang): positives,
        f"{name(POSITIVITY, lang)} (%)": [100 * p / t if t else None for p, t in zip(positives, tested, strict=True)],
        name(FEVER, lang): draw(st.lists(counts(), min_size=n, max_size=n)),
    }
    if draw(st.booleans()):  # a short range drawn with its days of context
        data[text("common.selected", lang)] = draw(st.lists(st.sampled_from([SELECTED_MARK, ""]), min_size=n, max_size=n))
    return pd.DataFrame(data), RowLevels(row_levels, total_level), SuppressionSettings(True, threshold), lang


def attacker_range(known: list, bounds: list, total: tuple[float, float] | None) -> list[tuple[float, float]]:
    """Least and greatest value of each unknown cell under everything published, by integer
    programming: known cells exact, each unknown within its bounds, and the cells (of the
    rows the total counts) summing into the total's range."""
    unknown = [i for i, k in enumerate(known) if k is None]
    if total is None:  # no total: each cell is only what its mark says
        return [bounds[i] for i in unknown]
    shown = sum(k for k in known if k is not None)
    low, high = total
    row = np.ones((1, len(unknown)))
    constraints = {"A_ub": np.vstack([row, -row]), "b_ub": np.array([high - shown, -(low - shown)])}
    box = [(bounds[i][0], None if bounds[i][1] == math.inf else bounds[i][1]) for i in unknown]
    ranges = []
    for j in range(len(unknown)):
        c = np.zeros(len(unknown))
        c[j] = 1
        extremes = []
        for sign in (1, -1):  # least, then greatest
            result = linprog(sign * c, bounds=box, integrality=np.ones(len(unknown)), method="highs", **constraints)
            assert result.status == 0, result.message  # the truth is a solution, and the total bounds every cell
            extremes.append(sign * result.fun)
        ranges.append((extremes[0], extremes[1]))
    return ranges


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(tables())
def test_no_suppressed_count_can_be_recovered_from_an_exported_table(case):
    table, levels, rule, lang = case
    out = suppress_table(table, levels, rule, lang)
    fine = levels.fine_rows(len(table))
    if out is None:  # untouched: no row at community level or below
        assert not any(fine)
        return
    below, t = small_mark(rule.threshold), rule.threshold
    body, total_row = out.iloc[:-1], out.iloc[-1]
    selected = text("common.selected", lang)
    counted = (table[selected] == SELECTED_MARK).tolist() if selected in table else [True] * len(table)
    for key in (POSITIVES, FEVER):
        column = name(key, lang)
        true = table[column].tolist()
        published = body[column].tolist()
        known, bounds = [], []
        for value, shown, is_fine in zip(true, published, fine, strict=True):
            if shown == below:
                assert is_fine and 0 < value < t
                known.append(None)
                bounds.append((1, t - 1))
            elif shown == WITHHELD_MARK:
                assert value > 0
                known.append(None)
                bounds.append((t if is_fine else 1, math.inf))  # the reader knows the rule
            else:
                assert shown == value, "a count shown is the count"
                assert not (is_fine and 0 < value < t), "no small count at community level or below is shown"
                known.append(value)
                bounds.append(None)
        exact_total = sum(v for v, c in zip(true, counted, strict=True) if c)
        shown_total = total_row[column]
        if shown_total == below:
            assert levels.total in ("community", "compound", "grid") and 0 < exact_total < t
            total = (1, t - 1)
        elif shown_total == WITHHELD_MARK:
            total = None
        else:
            assert shown_total == exact_total, "totals stay exact"
            total = (exact_total, exact_total)
        in_total = [i for i, c in enumerate(counted) if c]
        ranges = attacker_range([known[i] for i in in_total], [bounds[i] for i in in_total], total)
        outside = [bounds[i] for i in range(len(known)) if not counted[i] and known[i] is None]
        for low, high in [*ranges, *outside]:
            assert low < high, f"a suppressed {column} can be worked out: {table[column].tolist()} → {published}"
        if key == POSITIVES:  # the rate beside a suppressed count is withheld with it
            rate = f"{name(POSITIVITY, lang)} (%)"
            for shown, rate_shown in zip(published, body[rate], strict=True):
                assert (rate_shown == WITHHELD_MARK) == (shown in (below, WITHHELD_MARK))
    assert body[name(TESTED, lang)].tolist() == table[name(TESTED, lang)].tolist(), "uncovered figures are untouched"


def test_the_walls_chart_leaves_out_a_covered_series_with_small_counts():
    import datetime as dt

    from presentation.views import wall

    days = [dt.date(2022, 4, d) for d in (1, 2, 3)]
    daily = pd.DataFrame(
        {"day": days, "samples_collected": [900, 950, 990], "samples_tested": [880, 940, 1000], "positives": [0, 3, 7]}
    )
    covered = ("testing.positives", "checkpoints.fever")
    shown = wall.without_small_counts(daily, covered, 5)
    assert "positives" not in shown and list(shown["samples_tested"]) == [880, 940, 1000]
    # Not covered, or nothing from 1 to 4: the series stays.
    assert "positives" in wall.without_small_counts(daily, ("checkpoints.fever",), 5)
    assert "positives" in wall.without_small_counts(daily.assign(positives=[0, 5, 9]), covered, 5)
    # The testing chart draws without it, samples only.
    assert "Positives" in str(wall.testing_chart(daily, wall.Screen("en")).to_dict())
    spec = wall.testing_chart(shown, wall.Screen("en")).to_dict()
    assert "Positives" not in str(spec) and "Samples tested" in str(spec)
