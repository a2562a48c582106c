"""Suggested transfers (presentation/stock_transfers.py): worked examples, and properties
that hold for any districts (hypothesis) — every constraint kept, and the fewest-moves rule."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presentation.stock_projection import Projection, projected_days
from presentation.stock_transfers import MOVE_COLUMNS, moves_bound, need_and_spare, plan_moves, suggest_transfers

END = dt.date(2022, 4, 30)
HORIZON = 14


def projection_of(districts: dict[tuple[str, str], tuple[float, list[float], float]], horizon: int = HORIZON) -> Projection:
    """A projection from (district, item) → (stock now, projected use per day, inbound a day)."""
    days = projected_days(END, horizon)
    summary, long = [], []
    for (district, item), (stock, use, due) in districts.items():
        balance = stock + np.cumsum(due - np.asarray(use, dtype=float))
        summary.append(
            {
                "district_code": district,
                "district_name_zh": district,
                "district_name_en": district,
                "item_code": item,
                "stock": stock,
            }
        )
        for day, u, b in zip(days, use, balance, strict=True):
            long.append(
                {
                    "district_code": district,
                    "item_code": item,
                    "day": day,
                    "projected_use": u,
                    "due_in": due,
                    "balance": b,
                    "projected_stock": max(b, 0),
                }
            )
    columns = ["district_code", "item_code", "day", "projected_use", "due_in", "balance", "projected_stock"]
    return Projection(END, horizon, pd.DataFrame(long, columns=columns), pd.DataFrame(summary))


# ---------------------------------------------------------------- worked examples
def test_one_giver_covers_one_district_in_need_worked_by_hand():
    # Line 7 days, margin 3, the next 7 days, 100 a day used everywhere, nothing coming in.
    # A holds 500: on day 7 it needs 700 and has 500 − 700 = −200: needs 900.
    # B holds 3,000: on day 7 it must keep 1,000 and has 2,300: can spare 1,300.
    # C holds 1,500: on day 7 it must keep 1,000 and has 800: neither gives nor needs.
    flat = [100.0] * HORIZON
    plan = suggest_transfers(
        projection_of({("A", "MASK"): (500, flat, 0), ("B", "MASK"): (3000, flat, 0), ("C", "MASK"): (1500, flat, 0)}),
        line=7,
        margin=3,
        days=7,
    )
    assert list(plan.moves.columns) == MOVE_COLUMNS
    assert plan.moves.to_dict("records") == [
        {
            "item_code": "MASK",
            "from_district": "B",
            "to_district": "A",
            "quantity": 900,
            # lowest projected days of cover over the 7 days: B 2,300 / 100 before, 1,400 / 100 after;
            # A nothing left (0) before, (1,400 − 700) / 100 = 7 after
            "from_cover_before": 23.0,
            "from_cover_after": 14.0,
            "to_cover_before": 0.0,
            "to_cover_after": 7.0,
        }
    ]
    assert plan.short.empty


def test_best_fit_then_largest_first():
    # A needs 300 and B 100; C spares 350, D 120. A first (largest): both fit, D does not
    # (120 < 300): C. B: C has 50 left, D fits: D. Two moves.
    assert plan_moves({"A": 300, "B": 100}, {"C": 350, "D": 120}) == [("C", "A", 300), ("D", "B", 100)]
    # Best fit: A's 100 from D (120), not C (350), though C has more.
    assert plan_moves({"A": 100}, {"C": 350, "D": 120}) == [("D", "A", 100)]
    # No single giver covers 500: the largest spare first, C 300 then D 200.
    assert plan_moves({"A": 500}, {"C": 300, "D": 250}) == [("C", "A", 300), ("D", "A", 200)]
    # Not enough anywhere: all of it moves.
    assert plan_moves({"A": 500, "B": 50}, {"C": 100}) == [("C", "A", 100)]
    assert plan_moves({"A": 10}, {}) == [] and plan_moves({}, {"C": 10}) == []


def test_a_giver_keeps_the_margin_and_what_it_holds_now():
    # Stock 1,000 with 2,000 coming in over the next days, nothing used: the balance is
    # large later, but only the 1,000 held now can leave tomorrow.
    need, spare = need_and_spare(
        balance=np.array([[1000.0 + 2000, 3000], [50, 40]]),
        use=np.array([[0.0, 0], [10, 10]]),
        stock_now=np.array([1000.0, 50]),
        line=7,
        margin=3,
    )
    assert spare.tolist() == [1000, 0]
    # The second needs 7 × 10 − 40 = 30 on its second day.
    assert need.tolist() == [0, 30]


def test_items_are_planned_apart_and_shortfalls_reported():
    flat = [100.0] * HORIZON
    plan = suggest_transfers(
        projection_of(
            {
                ("A", "MASK"): (500, flat, 0),
                ("B", "MASK"): (3000, flat, 0),
                ("A", "N95"): (3000, flat, 0),
                ("B", "N95"): (100, flat, 0),
                ("C", "N95"): (200, flat, 0),
            }
        ),
        line=7,
        margin=3,
        days=7,
    )
    n95 = plan.moves[plan.moves["item_code"] == "N95"]
    # N95 on day 7: B needs 7 × 100 − (100 − 700) = 1,300, C 700 − (200 − 700) = 1,200;
    # A spares 3,000 − 700 − 1,000 = 1,300: B (the larger need) first, all of it; C short.
    assert n95[["from_district", "to_district", "quantity"]].values.tolist() == [["A", "B", 1300]]
    assert plan.short.to_dict("records") == [
        {"item_code": "N95", "district_code": "C", "need": 1200, "received": 0, "short": 1200}
    ]


def test_nothing_to_move():
    plan = suggest_transfers(projection_of({("A", "MASK"): (5000, [100.0] * HORIZON, 0)}), line=7, margin=3, days=14)
    assert plan.moves.empty and list(plan.moves.columns) == MOVE_COLUMNS and plan.short.empty


# ---------------------------------------------------------------- properties
district_codes = [f"D{n}" for n in range(8)]
ledgers = st.dictionaries(
    st.sampled_from(district_codes),
    st.tuples(
        st.integers(0, 20_000),  # stock now
        st.lists(st.floats(0, 2_000, allow_nan=False), min_size=HORIZON, max_size=HORIZON),  # use per day
        st.floats(0, 1_500, allow_nan=False),  # inbound per day
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    ledgers,
    st.floats(1, 14, allow_nan=False),
    st.floats(0, 7, allow_nan=False),
    st.integers(1, HORIZON),
)
def test_transfers_keep_every_constraint(districts, line, margin, days):
    projection = projection_of({(code, "MASK"): value for code, value in districts.items()})
    plan = suggest_transfers(projection, line, margin, days)
    moves = plan.moves
    codes = sorted(districts)
    use = np.array([districts[c][1][:days] for c in codes])
    balance = np.array([districts[c][0] + np.cumsum(districts[c][2] - np.array(districts[c][1]))[:days] for c in codes])
    stock_now = np.array([districts[c][0] for c in codes], dtype=float)
    need, spare = need_and_spare(balance, use, stock_now, line, margin)

    # Quantities are whole and positive.
    assert (moves["quantity"] > 0).all() and moves["quantity"].dtype == np.int64
    # No district both gives and receives the item.
    assert not set(moves["from_district"]) & set(moves["to_district"])
    given_ = moves.groupby("from_district")["quantity"].sum()
    received = moves.groupby("to_district")["quantity"].sum()
    tolerance = 1e-6 * (1 + np.abs(balance).max())
    for i, code in enumerate(codes):
        out, into = int(given_.get(code, 0)), int(received.get(code, 0))
        # A giver stays at the line plus the margin on every day and gives no more than it holds.
        if out:
            assert out <= stock_now[i]
            assert (balance[i] - out >= (line + margin) * use[i] - tolerance).all()
        # A receiver gets no more than it needs.
        assert into <= need[i]
    feasible = spare.sum() >= need.sum()
    if feasible:
        # Nobody is left under the line on any of the days.
        for i, code in enumerate(codes):
            after = balance[i] + int(received.get(code, 0)) - int(given_.get(code, 0))
            assert (after >= line * use[i] - tolerance).all(), code
        assert plan.short.empty
    else:
        # Every unit that could move did, and what is still short is said.
        assert moves["quantity"].sum() == spare.sum()
        assert plan.short["short"].sum() == need.sum() - spare.sum()
    # The effect shown: a giver's cover goes down, a receiver's up (no use at all: no figure).
    cover = moves[["from_cover_before", "from_cover_after", "to_cover_before", "to_cover_after"]].fillna(np.inf)
    assert (cover["from_cover_after"] <= cover["from_cover_before"] + 1e-9).all()
    assert (cover["to_cover_after"] >= cover["to_cover_before"] - 1e-9).all()


needs = st.dictionaries(st.sampled_from(district_codes[:4]), st.integers(0, 1000), max_size=4)
spares = st.dictionaries(st.sampled_from(district_codes[4:]), st.integers(0, 1000), max_size=4)


@settings(max_examples=500, deadline=None)
@given(needs, spares)
def test_fewest_moves_rule(need, spare):
    moves = plan_moves(need, spare)
    # At most (districts in need + givers − 1) moves, at least one per district served.
    assert len(moves) <= moves_bound(need, spare)
    assert len(moves) >= len({receiver for _, receiver, _ in moves})
    # Largest need first; a district in need takes from several givers only when no single
    # one had enough left at its turn, and then the largest spare first.
    left = {code: q for code, q in spare.items() if q > 0}
    order = [receiver for _, receiver, _ in moves]
    served = list(dict.fromkeys(order))
    assert [need[r] for r in served] == sorted((need[r] for r in served), reverse=True)
    for receiver in served:
        own = [(giver, q) for giver, r, q in moves if r == receiver]
        wanted = need[receiver]
        fits = [g for g, q in left.items() if q >= wanted]
        if fits:
            assert own == [(min(fits, key=lambda g: (left[g], g)), wanted)]
        else:
            assert [g for g, _ in own] == sorted((g for g, _ in own), key=lambda g: (-left[g], g))
            assert all(q == left[g] for g, q in own[:-1])  # each but the last gives all it has
        for giver, q in own:
            left[giver] -= q
    # All the need is covered, or all the spare moved.
    assert sum(q for *_, q in moves) == min(sum(need.values()), sum(spare.values()))


def test_moves_bound():
    assert moves_bound({"A": 5, "B": 0}, {"C": 3, "D": 4}) == 2
    assert moves_bound({"A": 5}, {}) == 0


@pytest.mark.parametrize("days", [0, 1, 14, 30])
def test_the_days_are_kept_within_the_projection(days):
    plan = suggest_transfers(projection_of({("A", "MASK"): (100, [100.0] * HORIZON, 0)}), line=7, margin=3, days=days)
    assert 1 <= plan.days <= HORIZON
