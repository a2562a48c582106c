"""Suggested transfers 物资调剂建议: moves of an item between districts so that no district
falls under the alert line (days of cover) within N days, while no district that gives
drops under the line plus a margin.

Planned on a projection (presentation/stock_projection.py), per item, with stock moved
tomorrow (the first projected day; time on the road is not modelled):

- a district's **need** is the least it must receive to stay at or over the line on each of
  the next N days: ⌈max over days (line × projected use − projected stock)⌉;
- a district's **spare** is the most it can give and stay at or over line + margin on each
  of those days, and no more than it holds now: ⌊min(stock now, min over days (projected
  stock − (line + margin) × projected use))⌋.

Need and spare cannot both be above 0 (the margin is not negative), so no district both
gives and receives an item. **Fewest moves first**: districts in need are served largest
need first; one that a single district can cover takes it all from one — the one with the
least spare that still covers it (best fit, which keeps the large spares for the large
needs); otherwise it takes from the districts with the most spare first until covered.
Every move then either covers a district in need or empties a giver's spare, so a plan has
at most (districts in need + givers − 1) moves. When the spare of all givers together is
less than the need, every unit of spare is moved and what is still short is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from presentation.stock_projection import Projection, balances

MOVE_COLUMNS = [
    "item_code",
    "from_district",
    "to_district",
    "quantity",
    "from_cover_before",
    "from_cover_after",
    "to_cover_before",
    "to_cover_after",
]
SHORT_COLUMNS = ["item_code", "district_code", "need", "received", "short"]
_TOLERANCE = 1e-9  # float sums of whole quantities: 3.0000000001 is 3, not 4


def need_and_spare(
    balance: np.ndarray, use: np.ndarray, stock_now: np.ndarray, line: float, margin: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per row (district) of ``balance`` and ``use`` (rows × the next N days; the balance is
    the projected stock, negative once it has run out): the whole units it needs to receive
    to stay at ``line`` days of cover on every day, and the whole units it can spare and
    stay at ``line + margin`` on every day, never more than ``stock_now``."""
    balance, use = np.asarray(balance, dtype=float), np.asarray(use, dtype=float)
    short = np.max(line * use - balance, axis=1)
    need = np.ceil(np.clip(short, 0, None) - _TOLERANCE).clip(0)
    room = np.minimum(np.min(balance - (line + margin) * use, axis=1), np.asarray(stock_now, dtype=float))
    spare = np.floor(np.clip(room, 0, None) + _TOLERANCE)
    return need.astype(np.int64), spare.astype(np.int64)


def plan_moves(need: Mapping[str, int], spare: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(giver, receiver, quantity) moves covering ``need`` from ``spare`` by the module's
    fewest-moves rule; districts are ordered by code where figures tie."""
    left = {code: int(q) for code, q in sorted(spare.items()) if q > 0}
    moves: list[tuple[str, str, int]] = []
    for receiver, wanted in sorted(((c, int(q)) for c, q in need.items() if q > 0), key=lambda x: (-x[1], x[0])):
        fits = [code for code, q in left.items() if q >= wanted]
        if fits:
            giver = min(fits, key=lambda code: (left[code], code))
            moves.append((giver, receiver, wanted))
            left[giver] -= wanted
            continue
        for giver in sorted(left, key=lambda code: (-left[code], code)):
            if wanted == 0:
                break
            quantity = min(wanted, left[giver])
            if quantity > 0:
                moves.append((giver, receiver, quantity))
                left[giver] -= quantity
                wanted -= quantity
    return moves


@dataclass(frozen=True)
class TransferPlan:
    """``moves``: one row per move (MOVE_COLUMNS), the lowest projected days of cover of
    the giver and the receiver over the N days before and after all of that item's moves;
    ``short``: districts still under the line after them (need, received, short)."""

    days: int
    line: float
    margin: float
    moves: pd.DataFrame
    short: pd.DataFrame


def lowest_cover(balance: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Per row, the fewest projected days of cover over the days (NaN without any use)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        cover = np.where(use > 0, np.clip(balance, 0, None) / use, np.inf)
    lowest = cover.min(axis=1)
    return np.where(np.isinf(lowest), np.nan, lowest)


def suggest_transfers(projection: Projection, line: float, margin: float, days: int) -> TransferPlan:
    """The transfers of every item in ``projection`` for the next ``days`` days."""
    days = max(1, min(int(days), projection.horizon))
    keys, balance, use = balances(projection, days)
    balance, use = np.nan_to_num(balance), np.nan_to_num(use)
    stock_now = projection.summary["stock"].to_numpy(dtype=float)
    need, spare = need_and_spare(balance, use, stock_now, line, margin)
    moved = np.zeros(len(keys))
    rows, short = [], []
    for item, group in keys.groupby("item_code", sort=True):
        at = dict(zip(group["district_code"], group.index, strict=True))
        moves = plan_moves(
            {code: need[i] for code, i in at.items()},
            {code: spare[i] for code, i in at.items()},
        )
        for giver, receiver, quantity in moves:
            moved[at[giver]] -= quantity
            moved[at[receiver]] += quantity
        for giver, receiver, quantity in moves:
            rows.append((item, giver, receiver, quantity, at[giver], at[receiver]))
        for code, i in at.items():
            received = max(int(moved[i]), 0)  # a giver's is negative
            if need[i] > received:
                short.append((item, code, int(need[i]), received, int(need[i]) - received))
    before = lowest_cover(balance, use)
    after = lowest_cover(balance + moved[:, None], use)
    moves = pd.DataFrame(
        [
            (item, giver, receiver, quantity, before[g], after[g], before[r], after[r])
            for item, giver, receiver, quantity, g, r in rows
        ],
        columns=MOVE_COLUMNS,
    )
    moves["quantity"] = moves["quantity"].astype("int64")
    return TransferPlan(days, float(line), float(margin), moves, pd.DataFrame(short, columns=SHORT_COLUMNS))


def moves_bound(need: Mapping[str, int], spare: Mapping[str, int]) -> int:
    """The most moves the rule makes: districts in need + givers − 1 (0 when either is none)."""
    receivers = sum(1 for q in need.values() if q > 0)
    givers = sum(1 for q in spare.values() if q > 0)
    return 0 if not receivers or not givers else receivers + givers - 1
