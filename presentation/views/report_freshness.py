"""Report freshness on the map 上报时效: reporting units coloured by how fresh their report
for the day is (on time, late, missing, missing for 2+ days) — communities as polygons,
sites as points over the areas of the filter — with a legend counting each state, what a
clicked unit shows, and the table of units still missing the day's report."""

from __future__ import annotations

import datetime as dt
import html
import json
import math

import pandas as pd
import pydeck as pdk

from data_access.report_freshness import MISSING_STATES, STATES, report_deadline
from presentation import formatting as fmt
from presentation import palette
from presentation.map_layers import CompactDeck, basemap_args, fit_view, polygon_records
from presentation.palette import rgb
from presentation.tables import NAMED_IN, display_frame, name_column
from presentation.text import markdown_plain
from presentation.text import text as t

LAYER_ID = "report-units"
STATE_RGB = {state: rgb(palette.FRESHNESS[state]) for state in STATES}
# The areas drawn under sites as points: outlines only, for where the points are.
BASE_FILL = [*rgb(palette.NO_DATA), 40]
BASE_LINE = [*rgb(palette.GREY), 160]
POINT_RADIUS_PX = 7
# The edge of a site placed at its area's centre (no coordinates of its own): white, which
# stands apart from every state's fill (a blue edge, the grid map's mark for approximate
# cells, would vanish on the on-time blue).
ROUGH_EDGE = (255, 255, 255)
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # radians between successive points of a sunflower spiral
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


def spread_points(lon: pd.Series, lat: pd.Series, spacing: float) -> tuple[list[float], list[float]]:
    """Points that share a place (sites shown at their area's centre) fanned out around it
    on a sunflower spiral, about ``spacing`` degrees apart, so each can be seen and clicked."""
    spread_lon, spread_lat = [float(v) for v in lon], [float(v) for v in lat]
    seen: dict[tuple[float, float], int] = {}
    for i, place in enumerate(zip(spread_lon, spread_lat, strict=True)):
        k = seen[place] = seen.get(place, -1) + 1
        radius, angle = spacing * math.sqrt(k), k * GOLDEN_ANGLE
        spread_lon[i] += radius * math.cos(angle) / max(math.cos(math.radians(place[1])), 0.1)
        spread_lat[i] += radius * math.sin(angle)
    return spread_lon, spread_lat


def _point_box(lon: float, lat: float, half: float = 0.002) -> str:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _view(shaped: pd.DataFrame, points: pd.DataFrame, base: pd.DataFrame | None, width_px: int, height_px: int) -> dict:
    """A view fitting every unit drawn and the areas under them."""
    shapes = list(shaped["polygon"])
    shapes += [_point_box(lon, lat) for lon, lat in zip(points["lon"], points["lat"], strict=True)]
    if base is not None and not base.empty:
        shapes += list(base["polygon"].dropna())
    return fit_view(pd.DataFrame({"polygon": shapes}), width_px, height_px)


def _layer(kind: str, data: list[dict], layer_id: str, pickable: bool, **style) -> pdk.Layer:
    return pdk.Layer(kind, data=data, id=layer_id, pickable=pickable, auto_highlight=pickable, stroked=True, **style)


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
    view = _view(shaped, points, base, width_px, height_px)
    polygon_style = {
        "get_polygon": "polygon",
        "get_fill_color": "fill",
        "get_line_color": "line",
        "line_width_min_pixels": 1,
        "filled": True,
    }
    layers = []
    if base is not None and not base.empty:
        outlines = polygon_records(base, [(0, 0, 0)] * len(base), [])
        for record in outlines:
            record.update(fill=BASE_FILL, line=BASE_LINE)
        layers.append(_layer("PolygonLayer", outlines, "report-areas", False, **polygon_style))
    if not shaped.empty:
        records = polygon_records(shaped, [STATE_RGB[state] for state in shaped["state"]], fields)
        for record in records:
            record["line"] = [*line_rgb, 220]
        layers.append(_layer("PolygonLayer", records, LAYER_ID, True, **polygon_style))
    if not points.empty:
        # Points about 2.5 of their radii apart at the view's zoom (deck.gl: 512 px show 360° at zoom 0).
        spacing = 2.5 * POINT_RADIUS_PX * 360 / (512 * 2 ** view["zoom"])
        lons, lats = spread_points(points["lon"], points["lat"], spacing)
        records = [
            {
                "position": [round(lon, 5), round(lat, 5)],
                "fill": [*STATE_RGB[state], 235],
                "line": [*(ROUGH_EDGE if rough else line_rgb), 255],
                **{field: str(value) for field, value in zip(fields, values, strict=True)},
            }
            for lon, lat, state, rough, *values in zip(
                lons, lats, points["state"], points["at_area_centre"], *[points[f] for f in fields], strict=True
            )
        ]
        point_style = {
            "get_position": "position",
            "get_fill_color": "fill",
            "get_line_color": "line",
            "get_radius": POINT_RADIUS_PX,
        }
        layers.append(
            _layer("ScatterplotLayer", records, LAYER_ID, True, radius_units="'pixels'", line_width_min_pixels=2, **point_style)
        )
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
    objects = (selection or {}).get("selection", {}).get("objects", {}).get(LAYER_ID, [])
    return objects[0].get("code") if objects else None


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


def details_markdown(lines: list[tuple[str, str]]) -> str:
    """The clicked unit's lines as Markdown, names escaped (they are typed by people)."""
    return "  \n".join(f"**{markdown_plain(label)}**: {markdown_plain(value)}" for label, value in lines)


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
