"""Report freshness on the map 上报时效: reporting units coloured by how fresh their report
for the day is (on time, late, missing, missing for 2+ days) — communities as polygons,
sites as points over the areas of the filter — with a legend counting each state, what a
clicked unit shows, and the table of units still missing the day's report."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pydeck as pdk

from data_access.report_freshness import MISSING_STATES, STATES, report_deadline
from presentation import formatting as fmt
from presentation import palette
from presentation.map_layers import (
    POINT_STYLE,
    POLYGON_STYLE,
    CompactDeck,
    basemap_args,
    fit_places,
    layer,
    picked_object,
    point_records,
    polygon_records,
)
from presentation.palette import rgb
from presentation.tables import NAMED_IN, display_frame, name_column
from presentation.text import text as t

LAYER_ID = "report-units"
STATE_RGB = {state: rgb(palette.FRESHNESS[state]) for state in STATES}
# The areas drawn under sites as points: outlines only, for where the points are.
BASE_FILL = [*rgb(palette.NO_DATA), 40]
BASE_LINE = [*rgb(palette.GREY), 160]
# A site placed at its area's centre (no coordinates of its own) gets map_layers.ROUGH_EDGE,
# white, which stands apart from every state's fill (a blue edge, the grid map's mark for
# approximate cells, would vanish on the on-time blue).
TOOLTIP_FIELDS = ["code", "name", "state_label", "last_report", "responsible"]


def state_label(state: str, lang: str) -> str:
    return t(f"freshness.state.{state}", lang)


def kind_label(report_type: str, lang: str) -> str:
    """The kind of unit that sends ``report_type`` (checkpoints, sampling sites, …)."""
    return t(f"intake.units.{report_type}", lang)


def responsible_column(lang: str) -> str:
    """The responsible area's name column in the reader's language (English otherwise)."""
    return f"responsible_{lang}" if lang in NAMED_IN else "responsible_en"


def state_counts(units: pd.DataFrame) -> dict[str, int]:
    """Units in each state, every state present (0 when none)."""
    counts = units["state"].value_counts() if not units.empty else pd.Series(dtype="int64")
    return {state: int(counts.get(state, 0)) for state in STATES}


def days_without_report(last_day, day: dt.date) -> int | None:
    """Days since the unit's last report up to ``day`` (0: it reported for ``day``; None: never)."""
    if last_day is None or pd.isna(last_day):
        return None
    return (day - last_day).days


def last_report_text(last_day, last_reported_at, lang: str) -> str:
    """ "for 3 Apr 2022, sent 4 Apr 2022 09:15", or "never reported"."""
    if last_day is None or pd.isna(last_day):
        return t("freshness.never", lang)
    return t("freshness.last_report", lang, day=fmt.day(last_day, lang), time=fmt.local_time(last_reported_at, lang))


def label_units(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``units`` (``report_freshness``) with the display columns the map, its tooltip, the
    clicked unit's panel and the table use."""
    # Each distinct report time formatted once: a city's units share a few hundred.
    reports = [
        (None if pd.isna(d) else d, None if pd.isna(at) else at)
        for d, at in zip(units["last_day"], units["last_reported_at"], strict=True)
    ]
    texts = {report: last_report_text(*report, lang) for report in set(reports)}
    return units.assign(
        code=units["unit_code"],
        name=units[name_column(lang)],
        responsible=units[responsible_column(lang)],
        state_label=units["state"].map({state: state_label(state, lang) for state in STATES}),
        last_report=[texts[report] for report in reports],
    )


def legend(units: pd.DataFrame, lang: str) -> list[tuple[tuple[int, int, int], str]]:
    """[(rgb, "state · count")] for every state, worst last, with the units counted."""
    counts = state_counts(units)
    return [
        (STATE_RGB[state], t("freshness.legend_entry", lang, state=state_label(state, lang), n=fmt.count(counts[state], lang)))
        for state in STATES
    ]


def legend_note(units: pd.DataFrame, day: dt.date, lang: str) -> str:
    """What the colours are about — the day and its deadline — and which units are placed
    only roughly (no coordinates of their own) or not at all."""
    note = t("freshness.deadline", lang, day=fmt.day(day, lang), deadline=fmt.local_time(report_deadline(day), lang))
    if units.empty:
        return note
    at_centre = int(units["at_area_centre"].sum())
    unplaced = int((units["polygon"].isna() & (units["lon"].isna() | units["lat"].isna())).sum())
    if at_centre:
        note += " " + t("freshness.at_area_centre", lang, n=fmt.count(at_centre, lang))
    if unplaced:
        note += " " + t("freshness.unplaced", lang, n=fmt.count(unplaced, lang))
    return note


def freshness_deck(
    units: pd.DataFrame,
    base: pd.DataFrame | None,
    lang: str,
    width_px: int = 760,
    height_px: int = 540,
    line_rgb=(60, 60, 60),
    tooltip: bool = True,
) -> pdk.Deck:
    """The map of labelled ``units`` coloured by state: polygons when they have one (the
    communities of grid reports), points otherwise (sites; those without coordinates of
    their own around their area's centre, with a white edge), over the outlines of ``base``
    (the areas the grid map draws for the filter) so points have somewhere to stand.
    Without ``tooltip`` (a wall: nobody points at it) the units carry only what is drawn."""
    fields = TOOLTIP_FIELDS if tooltip else []
    has_shape = units["polygon"].notna()
    shaped = units[has_shape]
    points = units[~has_shape & units["lon"].notna() & units["lat"].notna()]
    under = [] if base is None else list(base["polygon"])
    view = fit_places([*shaped["polygon"], *under], points, width_px, height_px)
    layers = []
    if base is not None and not base.empty:
        outlines = polygon_records(base, [(0, 0, 0)] * len(base), [])
        for record in outlines:
            record.update(fill=BASE_FILL, line=BASE_LINE)
        layers.append(layer("PolygonLayer", outlines, "report-areas", False, **POLYGON_STYLE))
    if not shaped.empty:
        records = polygon_records(shaped, [STATE_RGB[state] for state in shaped["state"]], fields)
        for record in records:
            record["line"] = [*line_rgb, 220]
        layers.append(layer("PolygonLayer", records, LAYER_ID, True, **POLYGON_STYLE))
    if not points.empty:
        fills = [STATE_RGB[state] for state in points["state"]]
        records = point_records(points, fills, fields, view["zoom"], line_rgb)
        layers.append(layer("ScatterplotLayer", records, LAYER_ID, True, **POINT_STYLE))
    tooltip_html = (
        "<b>{name}</b> <small>{code}</small><br/>"
        f"{t('freshness.col.state', lang)}: {{state_label}}<br/>"
        f"{t('freshness.col.last_report', lang)}: {{last_report}}<br/>"
        f"{t('freshness.col.responsible', lang)}: {{responsible}}"
    )
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        tooltip={"html": tooltip_html, "style": {"fontSize": "13px"}} if tooltip else False,
        **basemap_args(),
    )


def picked_code(selection) -> str | None:
    """The unit code of the object clicked on the map (``st.pydeck_chart``'s selection)."""
    picked = picked_object(selection, [LAYER_ID])
    return picked[1] if picked else None


def unit_details(units: pd.DataFrame, code: str | None, day: dt.date, lang: str) -> list[tuple[str, str]] | None:
    """(label, value) lines for the clicked unit: name, state, last report (day and time),
    days without a report, and the area answering for it; None when it is not on the map."""
    if not code or units.empty:
        return None
    found = units[units["unit_code"] == code]
    if found.empty:
        return None
    unit = found.iloc[0]
    days = days_without_report(unit["last_day"], day)
    return [
        (t("freshness.col.unit", lang), f"{unit[name_column(lang)]} ({unit['unit_code']})"),
        (t("freshness.col.kind", lang), kind_label(unit["report_type"], lang)),
        (t("freshness.col.state", lang), state_label(unit["state"], lang)),
        (t("freshness.col.last_report", lang), last_report_text(unit["last_day"], unit["last_reported_at"], lang)),
        (t("freshness.col.days_without", lang), t("freshness.never", lang) if days is None else fmt.count(days, lang)),
        (t("freshness.col.responsible", lang), f"{unit[responsible_column(lang)]} ({unit['responsible_code']})"),
    ]


MISSING_COLUMNS = {
    "unit_code": "common.code",
    "unit": "freshness.col.unit",
    "state_text": "freshness.col.state",
    "last_day_text": "freshness.col.last_day",
    "last_reported_text": "freshness.col.last_reported_at",
    "days_without": "freshness.col.days_without",
    "responsible": "freshness.col.responsible",
    "responsible_code": "freshness.col.responsible_code",
}


def missing_table(units: pd.DataFrame, day: dt.date, lang: str) -> pd.DataFrame:
    """The units still missing ``day``'s report, longest without one first: code, name,
    state, last report day and time, days without a report, the responsible area."""
    missing = units[units["state"].isin(MISSING_STATES)] if not units.empty else units
    if missing.empty:
        return display_frame(pd.DataFrame(columns=list(MISSING_COLUMNS)), MISSING_COLUMNS, lang)
    shown = missing.assign(
        unit=missing[name_column(lang)],
        state_text=missing["state"].map(lambda s: state_label(s, lang)),
        last_day_text=missing["last_day"].map(
            lambda v: fmt.day(v, lang) if v is not None and not pd.isna(v) else t("freshness.never", lang)
        ),
        last_reported_text=missing["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
        days_without=missing["last_day"].map(lambda v: days_without_report(v, day)).astype("Int64"),
        responsible=missing[responsible_column(lang)],
        never=missing["last_day"].isna(),
    ).sort_values(["never", "days_without", "unit_code"], ascending=[False, False, True], kind="stable")
    return display_frame(shown, MISSING_COLUMNS, lang).reset_index(drop=True)


# ---- the wall's view: dark, large type
def wall_counts_html(units: pd.DataFrame, map_type: str, lang: str, font_size: str = "1.5rem") -> str:
    """The wall's legend: each state with its colour and the count of ``map_type``'s units
    (those on the map), then every report type's counts per state under the same colours."""
    mapped = state_counts(units[units["report_type"] == map_type])
    swatch = "<span style='display:inline-block;width:1.3em;height:1em;border-radius:3px;background:rgb{}'></span>"
    legend_rows = "".join(
        f"<div style='display:flex;align-items:center;gap:.5em;margin:.15em 0'>{swatch.format(STATE_RGB[state])}"
        f"<span>{html.escape(state_label(state, lang))}</span>"
        f"<b style='margin-left:auto;font-variant-numeric:tabular-nums;color:{palette.WALL_BRIGHT}'>{fmt.count(mapped[state], lang)}</b></div>"
        for state in STATES
    )
    head = "".join(f"<th style='text-align:right;padding:0 .2em'>{swatch.format(STATE_RGB[state])}</th>" for state in STATES)
    rows = ""
    for report_type in dict.fromkeys(units["report_type"]):
        counts = state_counts(units[units["report_type"] == report_type])
        cells = "".join(
            f"<td style='text-align:right;padding:0 .2em;color:{palette.WALL_BRIGHT if counts[s] else palette.WALL_MUTED}'>"
            f"{fmt.count(counts[s], lang)}</td>"
            for s in STATES
        )
        rows += f"<tr><td style='padding-right:.4em'>{html.escape(kind_label(report_type, lang))}</td>{cells}</tr>"
    return (
        f"<div style='font-size:{font_size};color:{palette.WALL_TEXT};line-height:1.35'>"
        f"<div style='color:{palette.WALL_MUTED};font-size:.8em'>{html.escape(t('freshness.wall.map_of', lang, kind=kind_label(map_type, lang)))}</div>"
        f"{legend_rows}"
        f"<div style='color:{palette.WALL_MUTED};font-size:.8em;margin-top:.6em'>{html.escape(t('freshness.wall.by_type', lang))}</div>"
        f"<table style='width:100%;border-collapse:collapse;font-size:.9em;font-variant-numeric:tabular-nums'>"
        f"<tr><th></th>{head}</tr>{rows}</table></div>"
    )
