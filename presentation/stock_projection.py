"""Stock-out projection 断供预测: each district's stock of each item, day by day over the next
14 days, the day it runs out, and the back-test of the use forecast it rests on.

The rule, for a district and item, from the last day of the filter's range (day 0):

- **Use** on day h is Holt's linear exponential smoothing with a damped trend (Gardner and
  McKenzie) of the district's daily outbound to the front line over the 28 days up to
  day 0: level weight 0.5, trend weight 0.2, damping 0.8, so the trend flattens out within
  about a week instead of running on. Back-tested on the sample city's history
  (bench/stock_backtest.py) it misses the next 14 days' use by less than repeating the last
  day (the naive forecast) everywhere, and by less than the 7-day mean that days of cover
  use while the outbreak wave moves use (small city: 20.8 % against 21.7 % and 24.1 %); in
  a year of mostly steady weeks the 7-day mean is about as good (city: 11.5 % against
  12.8 % and 10.9 %; 11.9 % against 13.2 % and 11.8 % where cover is under 14 days).
- **Due in** per day is what came in by procurement and allocation over the 14 days up to
  day 0, per day reported. Local production reaches a depot as procurement (the ledger has
  no other inbound for it), so it is in that rate already; the local daily capacity is not
  added on top, which would count the same masks twice. Donations are not counted on.
- **Stock** on day h = stock on day 0 + h × due in − the use of days 1…h. The stock-out day
  is the first day whose use the stock cannot meet (the projected stock falls below 0), or
  none within the 14 days.
- **Activity.** Where an item is used by an activity the database records — sampling tubes
  by samples tested, surgical masks and protective suits by checkpoint staff shifts,
  vaccine by doses given — its use per unit of activity over the last 7 days is known.
  A what-if change of that activity from day 1 (``WhatIf``: testing +50 %) changes the
  item's use by that rate × the change × the activity's own projection (the same damped
  trend of its 28 days), and moves the projection with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from data_access.supply_projection import ACTIVITIES, HISTORY_DAYS

HORIZON_DAYS = 14
INBOUND_DAYS = 14  # due in: the rate of the last 14 days (procurement comes in lumps)
RATE_DAYS = 7  # use per unit of activity: the last 7 days
LEVEL_WEIGHT, TREND_WEIGHT, DAMPING = 0.5, 0.2, 0.8
# The activity that uses each item up, where the database records one.
ACTIVITY_OF_ITEM = {"TESTKIT": "samples_tested", "MASK": "staff_shifts", "SUIT": "staff_shifts", "VACCINE": "doses"}
INBOUND_DUE = ("inbound_procured", "inbound_allocated")


# ---------------------------------------------------------------- use forecasts
def damped_trend(
    history: np.ndarray,
    horizon: int = HORIZON_DAYS,
    alpha: float = LEVEL_WEIGHT,
    beta: float = TREND_WEIGHT,
    phi: float = DAMPING,
) -> np.ndarray:
    """Holt's damped-trend forecast of each row of ``history`` (series × days, NaN for a day
    without a report) for the ``horizon`` days after its last, never below 0.

    A series starts at its first figure with no trend; a day without a report moves the
    level on by the damped trend, as the forecast would have. A row without any figure
    forecasts NaN."""
    y = np.atleast_2d(np.asarray(history, dtype=float))
    level = np.full(y.shape[0], np.nan)
    trend = np.zeros(y.shape[0])
    for observed in y.T:
        seen = ~np.isnan(observed)
        first = seen & np.isnan(level)
        predicted = level + phi * trend
        smoothed = alpha * observed + (1 - alpha) * predicted
        new_trend = beta * (smoothed - level) + (1 - beta) * phi * trend
        update = seen & ~first
        level = np.where(first, observed, np.where(update, smoothed, predicted))
        trend = np.where(first, 0.0, np.where(update, new_trend, phi * trend))
    steps = np.cumsum(phi ** np.arange(1, horizon + 1))
    return np.clip(level[:, None] + trend[:, None] * steps[None, :], 0, None)


def last_day(history: np.ndarray, horizon: int = HORIZON_DAYS) -> np.ndarray:
    """The naive forecast: each row's last reported figure, every day."""
    y = np.atleast_2d(np.asarray(history, dtype=float))
    last = pd.DataFrame(y).ffill(axis=1).to_numpy()[:, -1]
    return np.repeat(last[:, None], horizon, axis=1)


def week_mean(history: np.ndarray, horizon: int = HORIZON_DAYS) -> np.ndarray:
    """The mean of each row's last 7 days with a report, every day: the use days of cover read."""
    y = np.atleast_2d(np.asarray(history, dtype=float))[:, -7:]
    with np.errstate(invalid="ignore"):
        mean = np.nansum(y, axis=1) / (~np.isnan(y)).sum(axis=1)
    return np.repeat(mean[:, None], horizon, axis=1)


def use_per_activity(use: np.ndarray, activity: np.ndarray, days: int = RATE_DAYS) -> np.ndarray:
    """Per row, use per unit of activity over the last ``days`` days on which both were
    reported; NaN where the activity was nil or not reported."""
    u = np.atleast_2d(np.asarray(use, dtype=float))[:, -days:]
    a = np.atleast_2d(np.asarray(activity, dtype=float))[:, -days:]
    both = ~np.isnan(u) & ~np.isnan(a)
    used = np.where(both, u, 0).sum(axis=1)
    done = np.where(both, a, 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return np.where(done > 0, used / done, np.nan)


# ---------------------------------------------------------------- the projection
@dataclass(frozen=True)
class WhatIf:
    """A change of the activities that use supplies up, from the day after the last day
    (0.5 = +50 %, −0.2 = −20 %)."""

    samples_tested: float = 0.0
    staff_shifts: float = 0.0
    doses: float = 0.0

    def change(self, activity: str) -> float:
        return float(getattr(self, activity))

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name))


@dataclass(frozen=True)
class Projection:
    """A projection from ``end`` over ``horizon`` days.

    ``days``: per district, item and projected day — ``projected_use``, ``due_in``,
    ``balance`` (stock on day 0 + inbound − use so far; negative once it has run out) and
    ``projected_stock`` (the balance, never below 0). ``summary``: per district and item —
    the district's names, ``stock`` on day 0, ``projected_use`` (mean per day), ``due_in``
    (per day), ``stockout_day`` (a date, or None), ``days_to_stockout``, ``lowest_cover``
    (the fewest projected days of cover on any day), ``activity`` (what uses it up, or
    None) and ``use_per_activity``."""

    end: dt.date
    horizon: int
    days: pd.DataFrame
    summary: pd.DataFrame

    @property
    def day_list(self) -> list[dt.date]:
        return projected_days(self.end, self.horizon)

    def stockouts(self) -> pd.DataFrame:
        """The district-items that run out within the horizon, soonest first."""
        out = self.summary[self.summary["stockout_day"].notna()]
        return out.sort_values(["stockout_day", "district_code", "item_code"], ignore_index=True)


def projected_days(end: dt.date, horizon: int = HORIZON_DAYS) -> list[dt.date]:
    return [end + dt.timedelta(days=h) for h in range(1, horizon + 1)]


def window_days(end: dt.date, days: int = HISTORY_DAYS) -> list[dt.date]:
    return [end - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]


def series_matrices(frame: pd.DataFrame, columns: list[str], keys: pd.DataFrame, days: list[dt.date]) -> dict[str, np.ndarray]:
    """Each of ``frame``'s ``columns`` as a matrix: one row per row of ``keys`` (its key
    columns; a key may repeat), one column per day of ``days``; NaN where ``frame`` has no
    row. ``frame`` holds one row per key and day."""
    matrices = {column: np.full((len(keys), len(days)), np.nan) for column in columns}
    if frame is None or frame.empty or keys.empty:
        return matrices

    def key(part: pd.DataFrame) -> pd.Index:
        # One string per key: looking strings up is many times faster than a MultiIndex.
        joined = part[keys.columns[0]].astype(str)
        for name in keys.columns[1:]:
            joined = joined + "\x1f" + part[name].astype(str)
        return pd.Index(joined)

    unique = key(keys).unique()
    rows = unique.get_indexer(key(frame))
    at = pd.Index(days).get_indexer(frame["day"])
    found = (rows >= 0) & (at >= 0)
    back = unique.get_indexer(key(keys))
    for column in columns:
        values = np.full((len(unique), len(days)), np.nan)
        values[rows[found], at[found]] = frame[column].to_numpy(dtype=float)[found]
        matrices[column][:] = values[back]
    return matrices


def series_matrix(frame: pd.DataFrame, column: str, keys: pd.DataFrame, days: list[dt.date]) -> np.ndarray:
    """One column of ``frame`` as a matrix (``series_matrices``)."""
    return series_matrices(frame, [column], keys, days)[column]


def due_in_per_day(inbound: np.ndarray) -> np.ndarray:
    """Per row of ``inbound`` (series × the days looked at, NaN where not reported): what
    came in per day reported; 0 for a series without a report."""
    reported = (~np.isnan(inbound)).sum(axis=1)
    return np.where(reported > 0, np.nansum(inbound, axis=1) / np.maximum(reported, 1), 0.0)


def project(
    ledger_days: pd.DataFrame,
    stock: pd.DataFrame,
    end: dt.date,
    activity_days: pd.DataFrame | None = None,
    what_if: WhatIf | None = None,
    horizon: int = HORIZON_DAYS,
) -> Projection:
    """The projection of every district and item in ``stock`` from ``end``.

    ``ledger_days``: ``supply_projection.district_ledger_days`` over (at least) the 28 days
    up to ``end``; ``stock``: ``supplies.days_of_cover_by_district`` as of ``end`` (district
    code and names, item code, stock); ``activity_days``:
    ``supply_projection.district_activity_days`` over the same days, or None (no activity
    link, no what-if)."""
    what_if = what_if or WhatIf()
    # Nothing read (or a read failed): nothing to project, rather than stock with no use.
    if stock is None or stock.empty or ledger_days is None or ledger_days.empty:
        stock = pd.DataFrame(columns=["district_code", "district_name_zh", "district_name_en", "item_code", "stock"])
    keys = stock[["district_code", "item_code"]].reset_index(drop=True)
    history = window_days(end)
    ledger = series_matrices(ledger_days, ["outbound_frontline", *INBOUND_DUE], keys, history)
    use_history = ledger["outbound_frontline"]
    use = np.nan_to_num(damped_trend(use_history, horizon), nan=0.0)
    # Procured and allocated together: NaN where the day has no report.
    due = due_in_per_day(sum(ledger[column] for column in INBOUND_DUE)[:, -INBOUND_DAYS:])

    activity = keys["item_code"].map(ACTIVITY_OF_ITEM)
    rate = np.full(len(keys), np.nan)
    if activity_days is not None and not activity_days.empty:
        for name in ACTIVITIES:
            rows = (activity == name).to_numpy()
            if not rows.any():
                continue
            done = series_matrix(activity_days, name, keys.loc[rows, ["district_code"]], history)
            rate[rows] = use_per_activity(use_history[rows], done)
            change = what_if.change(name)
            if change:
                extra = np.nan_to_num(rate[rows])[:, None] * change * np.nan_to_num(damped_trend(done, horizon))
                use[rows] = np.clip(use[rows] + extra, 0, None)

    balance = stock["stock"].to_numpy(dtype=float)[:, None] + np.cumsum(due[:, None] - use, axis=1)
    days = projected_days(end, horizon)
    ran_out = balance < 0
    first_out = np.where(ran_out.any(axis=1), ran_out.argmax(axis=1) + 1, 0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        cover = np.where(use > 0, np.clip(balance, 0, None) / use, np.nan)
    lowest = np.where(np.isnan(cover).all(axis=1), np.nan, np.nanmin(np.where(np.isnan(cover), np.inf, cover), axis=1))

    summary = stock.reset_index(drop=True)[
        [c for c in ("district_code", "district_name_zh", "district_name_en", "item_code", "stock") if c in stock]
    ].copy()
    summary["projected_use"] = use.mean(axis=1)
    summary["due_in"] = due
    summary["stockout_day"] = [days[h - 1] if h else None for h in first_out]
    summary["days_to_stockout"] = pd.array([h if h else None for h in first_out], dtype="Int64")
    summary["lowest_cover"] = lowest
    summary["activity"] = activity.where(activity.notna(), None)
    summary["use_per_activity"] = rate

    n = len(keys)
    long = pd.DataFrame(
        {
            "district_code": np.repeat(keys["district_code"].to_numpy(), horizon),
            "item_code": np.repeat(keys["item_code"].to_numpy(), horizon),
            "day": days * n,
            "projected_use": use.ravel(),
            "due_in": np.repeat(due, horizon),
            "balance": balance.ravel(),
            "projected_stock": np.clip(balance, 0, None).ravel(),
        }
    )
    return Projection(end, horizon, long, summary)


def balances(projection: Projection, days: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The summary's keys and, for its rows, the balance and use of the first ``days``
    projected days (rows × days): what transfers are planned on."""
    keys = projection.summary[["district_code", "item_code"]]
    shown = projected_days(projection.end, projection.horizon)[:days]
    matrices = series_matrices(projection.days, ["balance", "projected_use"], keys, shown)
    return keys, matrices["balance"], matrices["projected_use"]


# ---------------------------------------------------------------- back-test
Forecaster = Callable[[int], np.ndarray]


def forecasters(use: np.ndarray, activity: np.ndarray | None = None, horizon: int = HORIZON_DAYS) -> dict[str, Forecaster]:
    """The use forecasts the back-test compares, each as ``f(t0)`` → a forecast of days
    t0 … t0 + horizon − 1 from the 28 days before t0: the damped trend (the projection's),
    the naive last day, the 7-day mean (days of cover) and, with ``activity`` (one row per
    row of ``use``), use per unit of activity × the activity's damped trend."""

    def window(matrix: np.ndarray, t0: int) -> np.ndarray:
        return matrix[:, max(0, t0 - HISTORY_DAYS) : t0]

    methods: dict[str, Forecaster] = {
        "damped_trend": lambda t0: damped_trend(window(use, t0), horizon),
        "last_day": lambda t0: last_day(window(use, t0), horizon),
        "week_mean": lambda t0: week_mean(window(use, t0), horizon),
    }
    if activity is not None:
        methods["per_activity"] = lambda t0: (
            use_per_activity(window(use, t0), window(activity, t0))[:, None] * damped_trend(window(activity, t0), horizon)
        )
    return methods


def backtest(
    actual: np.ndarray,
    methods: Mapping[str, Forecaster],
    horizon: int = HORIZON_DAYS,
    first: int = HISTORY_DAYS,
    counted: np.ndarray | None = None,
) -> pd.DataFrame:
    """Each method's error forecasting ``actual`` (series × days, NaN where not reported)
    from every day ``t0`` with ``first`` days before it and ``horizon`` days after it:

    - ``error_total``: Σ |forecast − actual| of each series' use over the horizon, ÷ Σ actual
      (weighted absolute percentage error of what the projection subtracts from stock);
    - ``error_daily``: the same, day by day;
    - ``bias``: Σ (forecast − actual) ÷ Σ actual (above 0: too much use forecast).

    Days without a report are left out of both sides; a series-origin whose forecast is
    unknown (no history) is left out for every method, and so is one that ``counted``
    (series × days, True where a forecast from that day counts) leaves out."""
    actual = np.asarray(actual, dtype=float)
    origins = list(range(first, actual.shape[1] - horizon + 1))
    sums = {name: np.zeros(4) for name in methods}
    for t0 in origins:
        future = actual[:, t0 : t0 + horizon]
        forecasts = {name: np.asarray(method(t0), dtype=float) for name, method in methods.items()}
        known = ~np.isnan(future)
        usable = np.logical_and.reduce([~np.isnan(f).any(axis=1) for f in forecasts.values()])
        if counted is not None:
            usable &= counted[:, t0]
        mask = known & usable[:, None]
        seen = np.where(mask, future, 0.0)
        for name, forecast in forecasts.items():
            guess = np.where(mask, forecast, 0.0)
            sums[name] += [
                np.abs(guess.sum(axis=1) - seen.sum(axis=1)).sum(),
                np.abs(guess - seen).sum(),
                (guess - seen).sum(),
                seen.sum(),
            ]
    rows = []
    for name, (total, daily, bias, volume) in sums.items():
        rows.append(
            {
                "method": name,
                "origins": len(origins),
                "error_total": total / volume if volume else np.nan,
                "error_daily": daily / volume if volume else np.nan,
                "bias": bias / volume if volume else np.nan,
            }
        )
    return pd.DataFrame(rows)


def at_risk(closing: np.ndarray, use: np.ndarray, days_of_cover: float = 14) -> np.ndarray:
    """Series × days: True where the stock of the day before was under ``days_of_cover``
    days of the 7 days' mean use up to it, i.e. where a stock-out projection matters."""
    closing, use = np.asarray(closing, dtype=float), np.asarray(use, dtype=float)
    risky = np.zeros(closing.shape, dtype=bool)
    for t0 in range(7, closing.shape[1]):
        recent = use[:, t0 - 7 : t0]
        with np.errstate(invalid="ignore"):
            mean = np.nansum(recent, axis=1) / (~np.isnan(recent)).sum(axis=1)
            risky[:, t0] = closing[:, t0 - 1] < days_of_cover * mean
    return risky


def stock_backtest(
    closing: np.ndarray,
    use: np.ndarray,
    inbound: np.ndarray,
    forecast: Forecaster,
    horizon: int = HORIZON_DAYS,
    first: int = HISTORY_DAYS,
    due_days: int = INBOUND_DAYS,
) -> dict[str, float]:
    """The whole projection's error against what the stock then was: from each day t0, the
    projected stock of day t0 + h (closing stock of t0 − 1, plus ``due_days`` days' mean
    inbound a day, less the forecast use) against the closing stock reported, in days of
    the series' use (|error| ÷ mean daily use over the horizon): the median over series
    and origins at h = 7 and h = ``horizon``."""
    closing, use, inbound = (np.asarray(m, dtype=float) for m in (closing, use, inbound))
    errors = {7: [], horizon: []}
    for t0 in range(first, closing.shape[1] - horizon + 1):
        due = due_in_per_day(inbound[:, t0 - due_days : t0])
        projected = closing[:, t0 - 1][:, None] + np.cumsum(due[:, None] - forecast(t0), axis=1)
        future_use = np.nanmean(use[:, t0 : t0 + horizon], axis=1)
        for h in errors:
            actual = closing[:, t0 + h - 1]
            ok = ~np.isnan(actual) & ~np.isnan(projected[:, h - 1]) & (future_use > 0)
            errors[h].extend((np.abs(projected[ok, h - 1] - actual[ok]) / future_use[ok]).tolist())
    return {f"median_days_off_day_{h}": float(np.median(values)) if values else np.nan for h, values in errors.items()}
