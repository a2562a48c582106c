"""Stock-out projection 断供预测 and suggested transfers 调剂建议, as the Supplies page, the wall
and the briefing show them: the card, the table per district and item, one item's projected
stock against the alert line, the transfers table and the sentences about them.

The figures come from presentation/stock_projection.py and presentation/stock_transfers.py;
here they get names, units, formats and colours.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import pandas as pd

from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import METRICS, name
from presentation.kpis import Kpi, card
from presentation.stock_projection import ACTIVITY_OF_ITEM, Projection, WhatIf, project
from presentation.stock_transfers import TransferPlan, suggest_transfers
from presentation.tables import WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import join, text

PROJECTION_COLUMNS = {
    "district": "sup.district",
    "item": "sup.item",
    "flag": "sup.flag",
    "unit": "sup.unit",
    "stock": "supplies.stock",
    "projected_use": "supplies.projected_use",
    "due_in": "supplies.due_in",
    "lowest_cover": "supplies.lowest_projected_cover",
    "stockout": "supplies.stockout_date",
    "activity_name": "stockout.activity_column",
    "use_per_activity": "supplies.use_per_activity",
}
TRANSFER_COLUMNS = {
    "item": "sup.item",
    "from": "stockout.from",
    "to": "stockout.to",
    "quantity": "supplies.transfer_quantity",
    "unit": "sup.unit",
    "from_cover_before": "supplies.giver_cover_before",
    "from_cover_after": "supplies.giver_cover_after",
    "to_cover_before": "supplies.receiver_cover_before",
    "to_cover_after": "supplies.receiver_cover_after",
}
CHART_COLUMNS = {
    "stock": "supplies.stock",
    "projected_stock": "supplies.projected_stock",
    "line_stock": "supplies.line_stock",
}
HISTORY_SHOWN = 14  # days of reported stock drawn before the projection
WALL_LINES = 6
NOTE_LINES = 8  # the stock-outs (shortfalls) a sentence names; the table lists them all


def what_if(percent: Mapping[str, float]) -> WhatIf:
    """The what-if control's percentage per activity (+50 = +50 %) as a change of it."""
    return WhatIf(**{activity: float(value) / 100 for activity, value in percent.items()})


def _item_names(items: pd.DataFrame, lang: str, column: str | None = None) -> pd.Series:
    if items is None or items.empty:
        return pd.Series(dtype=object)
    return items.set_index("code")[column or name_column(lang)]


def _district_name(summary: pd.DataFrame, lang: str) -> pd.Series:
    return summary[f"district_{name_column(lang)}"]


def stockout_text(day: dt.date | None, horizon: int, lang: str) -> str:
    """The stock-out day, or "not within 14 days"."""
    if day is None or fmt.missing(day):
        return text("stockout.not_within", lang, days=horizon)
    return fmt.day(day, lang)


def activity_items(lang: str, items: pd.DataFrame) -> dict[str, str]:
    """Per activity, the items it uses up, by name (for the what-if's help)."""
    names = _item_names(items, lang)
    return {
        activity: join([names.get(code, code) for code, a in ACTIVITY_OF_ITEM.items() if a == activity], lang)
        for activity in ("samples_tested", "staff_shifts", "doses")
    }


# ---- the card and the sentence
def stockouts_card(projection: Projection, items: pd.DataFrame, lang: str) -> Kpi:
    """How many district-items run out within the horizon; the first named under it."""
    out = projection.stockouts()
    if projection.summary.empty:
        return card("supplies.projected_stockouts", None, lang)
    if out.empty:
        return card("supplies.projected_stockouts", 0, lang)
    first = out.iloc[0]
    note = text(
        "stockout.first",
        lang,
        item=_item_names(items, lang).get(first["item_code"], first["item_code"]),
        district=first[f"district_{name_column(lang)}"],
        day=fmt.short_day(first["stockout_day"], lang),
    )
    return card("supplies.projected_stockouts", len(out), lang, delta=note, neutral_delta=True)


def lowest_cover_card(projection: Projection, items: pd.DataFrame, lang: str) -> Kpi:
    """The fewest projected days of cover of any district-item, the item and district named
    (of several that run out, the first to)."""
    rated = projection.summary.dropna(subset=["lowest_cover"])
    if rated.empty:
        return card("supplies.lowest_projected_cover", None, lang)
    lowest = _most_urgent(rated)
    item = _item_names(items, lang).get(lowest["item_code"], lowest["item_code"])
    note = f"{item} · {lowest[f'district_{name_column(lang)}']}"
    return card("supplies.lowest_projected_cover", lowest["lowest_cover"], lang, delta=note, neutral_delta=True)


def stockout_lines(projection: Projection, items: pd.DataFrame, lang: str, limit: int | None = None) -> list[str]:
    """One line per district-item that runs out, soonest first: item · district · day."""
    out = projection.stockouts()
    names = _item_names(items, lang)
    lines = [
        text(
            "stockout.line",
            lang,
            item=names.get(row["item_code"], row["item_code"]),
            district=row[f"district_{name_column(lang)}"],
            day=fmt.short_day(row["stockout_day"], lang),
            n=int(row["days_to_stockout"]),
        )
        for _, row in out.iterrows()
    ]
    return lines[:limit] if limit is not None else lines


def stockout_note(projection: Projection, items: pd.DataFrame, lang: str) -> tuple[bool, str] | None:
    """(any runs out, the sentence saying which or that none does); None without data."""
    if projection.summary.empty:
        return None
    lines = stockout_lines(projection, items, lang)
    if not lines:
        return False, text("stockout.none", lang, days=projection.horizon)
    named = lines[:NOTE_LINES] + (
        [text("stockout.wall_more", lang, n=len(lines) - NOTE_LINES)] if len(lines) > NOTE_LINES else []
    )
    return True, text("stockout.some", lang, n=len(lines), days=projection.horizon, items=join(named, lang))


def what_if_note(change: WhatIf, lang: str) -> str | None:
    """What the projection assumes beyond the trend ("testing +50 %"), or None."""
    if not change.changed:
        return None
    parts = [
        text(
            "stockout.what_if_part",
            lang,
            activity=text(f"stockout.activity.{activity}", lang),
            change=fmt.signed(fmt.percent(abs(change.change(activity)), lang, 0), change.change(activity)),
        )
        for activity in change.changed
    ]
    return text("stockout.what_if_on", lang, changes=join(parts, lang))


# ---- the table per district and item
def projection_table(projection: Projection, items: pd.DataFrame, line: float, lang: str) -> pd.DataFrame:
    """Each district-item, soonest stock-out first, then fewest projected days of cover;
    flagged when it runs out, or else when its cover falls under the alert line."""
    summary = projection.summary
    if summary.empty:
        return display_frame(pd.DataFrame(columns=list(PROJECTION_COLUMNS)), PROJECTION_COLUMNS, lang)
    ordered = summary.assign(_never=summary["stockout_day"].isna()).sort_values(
        ["_never", "stockout_day", "lowest_cover", "district_code", "item_code"], na_position="last"
    )
    ordered = ordered.reset_index(drop=True)
    names = _item_names(items, lang)
    units = _item_names(items, lang, name_column(lang).replace("name_", "unit_"))
    shown = ordered.round({"projected_use": 0, "due_in": 0, "lowest_cover": 1, "use_per_activity": 2}).assign(
        district=_district_name(ordered, lang),
        item=ordered["item_code"].map(lambda code: names.get(code, code)),
        unit=ordered["item_code"].map(lambda code: units.get(code, "")),
        stockout=[stockout_text(day, projection.horizon, lang) for day in ordered["stockout_day"]],
        activity_name=[text(f"stockout.activity.{a}", lang) if isinstance(a, str) else "" for a in ordered["activity"]],
        flag=[
            text("stockout.flag_out", lang)
            if pd.notna(day)
            else (text("sup.flag_low", lang, n=fmt.setting(line, lang)) if pd.notna(cover) and cover < line else "")
            for day, cover in zip(ordered["stockout_day"], ordered["lowest_cover"], strict=True)
        ],
    )
    return display_frame(shown, PROJECTION_COLUMNS, lang)


_FORMAT_OF_UNIT = {"item_units": WHOLE, "days": ColumnFormat(format="%.1f"), "ratio": ColumnFormat(format="%.2f")}


def table_formats(lang: str) -> dict[str, ColumnFormat]:
    """How the projection's and the transfers' figures show: by their catalogue unit."""
    keys = [key for key in (*PROJECTION_COLUMNS.values(), *TRANSFER_COLUMNS.values()) if key in METRICS]
    return formats_for({key: _FORMAT_OF_UNIT[METRICS[key].unit] for key in keys if METRICS[key].unit in _FORMAT_OF_UNIT}, lang)


# ---- one item in one district, over time
def item_choice(projection: Projection, items: pd.DataFrame, lang: str) -> tuple[list[str], int, dict[str, str]]:
    """The items to pick from, the position of the default (the first to run out, else the
    fewest projected days of cover) and each item's name."""
    summary = projection.summary
    codes = sorted(summary["item_code"].unique())
    names = _item_names(items, lang)
    first = _most_urgent(summary)
    return codes, codes.index(first["item_code"]) if first is not None else 0, {c: names.get(c, c) for c in codes}


def district_choice(projection: Projection, item_code: str, lang: str) -> tuple[list[str], int, dict[str, str]]:
    """The districts holding ``item_code``, the most urgent first as the default."""
    rows = projection.summary[projection.summary["item_code"] == item_code]
    codes = rows["district_code"].tolist()
    first = _most_urgent(rows)
    names = dict(zip(codes, _district_name(rows, lang), strict=True))
    return codes, codes.index(first["district_code"]) if first is not None else 0, names


def _most_urgent(summary: pd.DataFrame) -> pd.Series | None:
    if summary.empty:
        return None
    ordered = summary.assign(
        _out=summary["stockout_day"].map(lambda d: d if d is not None and not fmt.missing(d) else dt.date.max),
        _cover=summary["lowest_cover"].fillna(float("inf")),
    ).sort_values(["_out", "_cover", "district_code", "item_code"])
    return ordered.iloc[0]


def chart_rows(
    ledger_days: pd.DataFrame, projection: Projection, district_code: str, item_code: str, line: float
) -> pd.DataFrame:
    """One district's stock of one item per day: reported over the last 14 days, projected
    over the next 14 (from the last reported stock) and at the alert line (line × projected
    use)."""
    past = ledger_days[(ledger_days["district_code"] == district_code) & (ledger_days["item_code"] == item_code)]
    past = past[past["day"] > projection.end - dt.timedelta(days=HISTORY_SHOWN)][["day", "closing_stock"]]
    ahead = projection.days[(projection.days["district_code"] == district_code) & (projection.days["item_code"] == item_code)]
    rows = pd.concat(
        [
            past.rename(columns={"closing_stock": "stock"}),
            ahead.assign(line_stock=ahead["projected_use"] * line)[["day", "projected_stock", "line_stock"]],
        ],
        ignore_index=True,
    ).reindex(columns=["day", *CHART_COLUMNS])
    # The projected line starts where the reported one ends, at the stock projected from.
    now = projection.summary[
        (projection.summary["district_code"] == district_code) & (projection.summary["item_code"] == item_code)
    ]
    if not now.empty and rows["stock"].notna().any():
        rows.loc[rows["day"] == rows.loc[rows["stock"].notna(), "day"].max(), "projected_stock"] = float(now["stock"].iloc[0])
    return rows.sort_values("day", ignore_index=True)


def projection_chart(rows: pd.DataFrame, end: dt.date, lang: str):
    """``chart_rows`` drawn: reported and projected stock, and the stock at the alert line
    dashed in red, a rule at the last reported day. Returns (chart, its table)."""
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    chart = charts.line_chart(
        rows,
        "day",
        {column: name(key, lang) for column, key in CHART_COLUMNS.items()},
        lang,
        colors=[palette.BLUE, palette.PURPLE, palette.RED],
    )
    today = (
        alt.Chart(pd.DataFrame({"day": [pd.Timestamp(end)]})).mark_rule(color=palette.GREY, strokeDash=[2, 3]).encode(x="day:T")
    )
    table = display_frame(rows.round(0), {"day": "common.day", **CHART_COLUMNS}, lang)
    return alt.layer(chart, today).properties(height=320), table


# ---- transfers
def transfers_table(plan: TransferPlan, projection: Projection, items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per move: item, from, to, quantity and unit, and the lowest projected days
    of cover of both districts over the plan's days, before and after."""
    moves = plan.moves
    if moves.empty:
        return display_frame(pd.DataFrame(columns=list(TRANSFER_COLUMNS)), TRANSFER_COLUMNS, lang)
    districts = dict(zip(projection.summary["district_code"], _district_name(projection.summary, lang), strict=False))
    names = _item_names(items, lang)
    units = _item_names(items, lang, name_column(lang).replace("name_", "unit_"))
    shown = moves.round({c: 1 for c in moves.columns if c.endswith(("_before", "_after"))}).assign(
        item=moves["item_code"].map(lambda code: names.get(code, code)),
        unit=moves["item_code"].map(lambda code: units.get(code, "")),
        **{"from": moves["from_district"].map(districts), "to": moves["to_district"].map(districts)},
    )
    return display_frame(shown, TRANSFER_COLUMNS, lang)


def shortfall_note(plan: TransferPlan, projection: Projection, items: pd.DataFrame, lang: str) -> str | None:
    """Who stays under the line after every move that can be made, and by how much."""
    if plan.short.empty:
        return None
    districts = dict(zip(projection.summary["district_code"], _district_name(projection.summary, lang), strict=False))
    names = _item_names(items, lang)
    units = _item_names(items, lang, name_column(lang).replace("name_", "unit_"))
    parts = [
        text(
            "stockout.short_part",
            lang,
            item=names.get(row.item_code, row.item_code),
            district=districts.get(row.district_code, row.district_code),
            n=fmt.count(row.short, lang),
            unit=units.get(row.item_code, ""),
        )
        for row in plan.short.itertuples()
    ]
    if len(parts) > NOTE_LINES:
        parts = [*parts[:NOTE_LINES], text("stockout.wall_more", lang, n=len(parts) - NOTE_LINES)]
    line = fmt.decimal(plan.line, lang, 0)
    return text("stockout.short", lang, days=plan.days, line=line, n=len(plan.short), parts=join(parts, lang))


# ---- what the Supplies page shows, worked out at once from its three reads
Choice = tuple[list[str], int, dict[str, str]]  # codes, the default's position, names


@dataclass(frozen=True)
class Outlook:
    """The projection as the Supplies page shows it for one what-if: its two cards, its
    sentence, its table, the items to pick (the most urgent first) and, per item, the
    districts to pick."""

    empty: bool
    cards: list[Kpi]
    note: tuple[bool, str] | None
    table: pd.DataFrame
    items: Choice
    districts: dict[str, Choice]


def outlook(
    ledger_days: pd.DataFrame,
    stock: pd.DataFrame,
    activity_days: pd.DataFrame,
    items: pd.DataFrame,
    end: dt.date,
    change: WhatIf,
    line: float,
    lang: str,
) -> Outlook:
    """The projection (``stock_projection.project``) and everything drawn from it."""
    projection = project(ledger_days, stock, end, activity_days, change)
    empty = projection.summary.empty
    choice = ([], 0, {}) if empty else item_choice(projection, items, lang)
    return Outlook(
        empty=empty,
        cards=[stockouts_card(projection, items, lang), lowest_cover_card(projection, items, lang)],
        note=stockout_note(projection, items, lang),
        table=projection_table(projection, items, line, lang),
        items=choice,
        districts={code: district_choice(projection, code, lang) for code in choice[0]},
    )


def outlook_rows(
    ledger_days: pd.DataFrame,
    stock: pd.DataFrame,
    activity_days: pd.DataFrame,
    _items: pd.DataFrame,
    end: dt.date,
    change: WhatIf,
    district_code: str,
    item_code: str,
    line: float,
) -> pd.DataFrame:
    """``chart_rows`` of one district and item under the what-if."""
    return chart_rows(ledger_days, project(ledger_days, stock, end, activity_days, change), district_code, item_code, line)


@dataclass(frozen=True)
class Transfers:
    """The suggested transfers as the page shows them: nothing to do, or their table and
    who stays short."""

    needless: bool
    table: pd.DataFrame
    short: str | None


def transfers(
    ledger_days: pd.DataFrame,
    stock: pd.DataFrame,
    activity_days: pd.DataFrame,
    items: pd.DataFrame,
    end: dt.date,
    change: WhatIf,
    line: float,
    margin: float,
    days: int,
    lang: str,
) -> Transfers:
    """The transfers (``stock_transfers.suggest_transfers``) planned on the projection."""
    projection = project(ledger_days, stock, end, activity_days, change)
    plan = suggest_transfers(projection, line, margin, days)
    return Transfers(
        needless=plan.moves.empty and plan.short.empty,
        table=transfers_table(plan, projection, items, lang),
        short=shortfall_note(plan, projection, items, lang),
    )


# ---- the wall
def wall_html(lines: list[str], horizon: int, lang: str, limit: int = WALL_LINES) -> str:
    """The wall's list of projected stock-outs, soonest first, in type read from across the
    room; "none within 14 days" when there are none."""
    title = html.escape(text("stockout.wall_title", lang, days=horizon))
    if not lines:
        body = f'<div style="color:{palette.WALL_OK};font-size:1.6rem">{html.escape(text("stockout.wall_none", lang, days=horizon))}</div>'
    else:
        items = "".join(f'<li style="font-size:1.45rem;margin:.15rem 0">{html.escape(line)}</li>' for line in lines[:limit])
        more = (
            f'<div style="color:{palette.WALL_MUTED}">{html.escape(text("stockout.wall_more", lang, n=len(lines) - limit))}</div>'
            if len(lines) > limit
            else ""
        )
        body = f'<ul style="color:{palette.WALL_BAD};margin:0;padding-left:1.2em">{items}</ul>{more}'
    return (
        f'<div class="wall-stockouts" style="font-size:1.5rem;line-height:1.45;color:{palette.WALL_TEXT}">'
        f'<div style="font-size:1.3rem;color:{palette.WALL_MUTED};margin-bottom:.3rem">{title}</div>{body}</div>'
    )
