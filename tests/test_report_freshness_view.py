"""Report freshness as the map, its legend, the clicked unit's panel, the missing-units
table and the wall draw it (presentation/views/report_freshness.py), from hand-made frames
shaped as ``data_access.report_freshness.report_freshness`` returns them."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from data_access.report_freshness import FRESHNESS_COLUMNS, STATES
from presentation import palette
from presentation.map_layers import ROUGH_EDGE, details_markdown
from presentation.views import report_freshness as view

DAY = dt.date(2022, 4, 3)
SQUARE = json.dumps(
    {"type": "Polygon", "coordinates": [[[114.0, 33.0], [114.01, 33.0], [114.01, 33.01], [114.0, 33.01], [114.0, 33.0]]]}
)


def unit(report_type, code, state, last_day, lon=None, lat=None, polygon=None, at_centre=False, name="Unit"):
    reported_at = None if last_day is None else dt.datetime.combine(last_day, dt.time(12), tzinfo=dt.UTC)
    return {
        "report_type": report_type,
        "unit_code": code,
        "name_zh": f"{name}甲",
        "name_en": name,
        "lon": lon,
        "lat": lat,
        "at_area_centre": at_centre,
        "polygon": polygon,
        "responsible_code": "990101001",
        "responsible_zh": "东风街道",
        "responsible_en": "Dongfeng Subdistrict",
        "last_day": last_day,
        "last_reported_at": reported_at,
        "state": state,
    }


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FRESHNESS_COLUMNS)


SITES = frame(
    [
        unit("testing", "SS1", "on_time", DAY, 114.1, 33.1),
        unit("testing", "SS2", "late", DAY, 114.2, 33.1),
        unit("testing", "SS3", "missing", DAY - dt.timedelta(days=1), 114.3, 33.3, at_centre=True),
        unit("testing", "SS4", "missing_2plus", DAY - dt.timedelta(days=5), 114.3, 33.3, at_centre=True),  # same centre as SS3
        unit("testing", "SS5", "missing_2plus", None, 114.3, 33.3, at_centre=True, name="Never <b>sent</b>"),
        unit("testing", "SS6", "missing_2plus", None),  # nowhere to draw it
    ]
)
COMMUNITIES = frame(
    [
        unit("grid", "C1", "on_time", DAY, 114.0, 33.0, SQUARE),
        unit("grid", "C2", "missing", DAY - dt.timedelta(days=1), 114.0, 33.0, SQUARE),
    ]
)


def test_counts_and_legend_list_every_state_with_its_count():
    assert view.state_counts(SITES) == {"on_time": 1, "late": 1, "missing": 1, "missing_2plus": 3}
    assert view.state_counts(SITES.iloc[:0]) == dict.fromkeys(STATES, 0)
    legend = view.legend(SITES, "en")
    assert [label for _, label in legend] == ["On time: 1", "Late: 1", "Missing today: 1", "Missing 2+ days: 3"]
    assert [rgb for rgb, _ in legend] == [palette.rgb(palette.FRESHNESS[s]) for s in STATES]
    assert [label for _, label in view.legend(SITES, "zh")] == [
        "按时上报：1",
        "逾期上报：1",
        "今日未报：1",
        "连续2天及以上未报：3",
    ]


def test_the_note_says_the_deadline_and_who_is_placed_roughly_or_not_at_all():
    note = view.legend_note(SITES, DAY, "en")
    assert note.startswith("Reports for 3 Apr 2022, due by 4 Apr 2022 10:00.")
    assert "3 units have no coordinates of their own" in note and "1 units have no location" in note
    assert view.legend_note(COMMUNITIES, DAY, "en") == "Reports for 3 Apr 2022, due by 4 Apr 2022 10:00."


# Okabe & Ito's and Machado et al.'s (2009) simulation of the two red-green colour
# blindnesses, on linear RGB: the four state colours must stay apart for those readers too.
CVD = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
}


def _lab(rgb) -> np.ndarray:
    linear = np.where((c := np.asarray(rgb) / 255) <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear / [0.95047, 1, 1.08883]
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _simulated(rgb, matrix) -> np.ndarray:
    linear = np.where((c := np.asarray(rgb) / 255) <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    out = np.clip(matrix @ linear, 0, 1)
    return 255 * np.where(out <= 0.0031308, out * 12.92, 1.055 * out ** (1 / 2.4) - 0.055)


def test_state_colours_stay_apart_with_red_green_colour_blindness():
    colours = [palette.rgb(palette.FRESHNESS[s]) for s in STATES]
    for vision, matrix in [("typical", np.eye(3)), *CVD.items()]:
        seen = [_lab(_simulated(c, matrix)) for c in colours]
        closest = min(np.linalg.norm(seen[i] - seen[j]) for i in range(4) for j in range(i + 1, 4))
        assert closest > 25, f"{vision}: two state colours only ΔE {closest:.1f} apart"


def test_sites_are_points_communities_polygons_over_the_areas():
    labelled = view.label_units(SITES, "en")
    deck = json.loads(view.freshness_deck(labelled, COMMUNITIES.assign(code=["A", "B"]), "en").to_json())
    base, points = deck["layers"]
    assert (base["id"], base["pickable"]) == ("report-areas", False)
    assert (points["@@type"], points["id"], points["radiusUnits"]) == ("ScatterplotLayer", view.LAYER_ID, "pixels")
    by_code = {p["code"]: p for p in points["data"]}
    assert set(by_code) == {"SS1", "SS2", "SS3", "SS4", "SS5"}  # SS6 has no place
    assert by_code["SS2"]["fill"][:3] == list(view.STATE_RGB["late"])
    assert by_code["SS1"]["position"] == [114.1, 33.1]
    # Sites at their area's centre: a white edge, fanned out so that none hides another.
    assert by_code["SS3"]["line"][:3] == list(ROUGH_EDGE) and by_code["SS1"]["line"][:3] != list(ROUGH_EDGE)
    assert len({tuple(by_code[c]["position"]) for c in ("SS3", "SS4", "SS5")}) == 3
    assert by_code["SS5"]["name"] == "Never <b>sent</b>" and by_code["SS5"]["last_report"] == "never reported"
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__", "no online basemap"

    deck = json.loads(view.freshness_deck(view.label_units(COMMUNITIES, "zh"), None, "zh").to_json())
    (polygons,) = deck["layers"]
    assert (polygons["@@type"], polygons["pickable"]) == ("PolygonLayer", True)
    assert [(r["code"], r["fill"][:3], r["state_label"]) for r in polygons["data"]] == [
        ("C1", list(view.STATE_RGB["on_time"]), "按时上报"),
        ("C2", list(view.STATE_RGB["missing"]), "今日未报"),
    ]


def test_a_click_shows_the_unit_s_last_report_and_responsible_area():
    selection = {"selection": {"indices": {view.LAYER_ID: [2]}, "objects": {view.LAYER_ID: [{"code": "SS4"}]}}}
    code = view.picked_code(selection)
    assert code == "SS4" and view.picked_code({"selection": {"objects": {}}}) is None and view.picked_code(None) is None
    assert view.unit_details(SITES, code, DAY, "en") == [
        ("Reporting unit", "Unit (SS4)"),
        ("Unit kind", "Sampling sites"),
        ("Reporting state", "Missing 2+ days"),
        ("Last report", "for 29 Mar 2022, sent 29 Mar 2022 20:00"),
        ("Days since last report", "5"),
        ("Responsible area", "Dongfeng Subdistrict (990101001)"),
    ]
    never = dict(view.unit_details(SITES, "SS5", DAY, "zh"))
    assert never["最近一次上报"] == "从未上报" and never["距最近上报天数"] == "从未上报"
    assert view.unit_details(SITES, "gone", DAY, "en") is None
    shown = details_markdown(view.unit_details(SITES, "SS5", DAY, "en"))
    assert "<b>" not in shown and "\\<b\\>" in shown  # a typed name is shown as typed, never as markup


def test_missing_table_lists_the_missing_longest_first():
    table = view.missing_table(SITES, DAY, "en")
    assert list(table.columns) == [
        "Code",
        "Reporting unit",
        "Reporting state",
        "Last report for",
        "Sent at",
        "Days since last report",
        "Responsible area",
        "Responsible area code",
    ]
    assert table["Code"].tolist() == ["SS5", "SS6", "SS4", "SS3"]  # never, then 5 days, then 1
    assert table["Days since last report"].tolist()[2:] == [5, 1]
    assert table["Last report for"].tolist()[0] == "never reported"
    assert view.missing_table(COMMUNITIES[COMMUNITIES["state"] == "on_time"], DAY, "en").empty


def test_the_wall_legend_counts_the_map_s_units_and_every_type():
    both = pd.concat([SITES, COMMUNITIES], ignore_index=True)
    page = view.wall_counts_html(both, "grid", "en")
    assert "Map: Communities (grid units)" in page
    legend = page.split("By report type")[0]
    assert [legend.count(f"<span>{label}</span>") for label in ("On time", "Late", "Missing today", "Missing 2+ days")] == [1] * 4
    counts = [cell.split(">")[-1] for cell in legend.split("</b>")[:-1]]
    assert counts == ["1", "0", "1", "0"]  # the communities on the map
    rows = page.split("By report type")[1].split("<tr>")[2:]
    assert [row.split("</td>")[0].rsplit(">", 1)[1] for row in rows] == ["Sampling sites", "Communities (grid units)"]
    assert [[cell.rsplit(">", 1)[1] for cell in row.split("</td>")[1:5]] for row in rows] == [
        ["1", "1", "1", "3"],
        ["1", "0", "1", "0"],
    ]


def test_the_deck_travels_compact_and_the_wall_s_without_tooltips():
    page = view.freshness_deck(view.label_units(COMMUNITIES, "zh"), None, "zh").to_json()
    assert "\n" not in page and "按时上报" in page, "no indentation, Chinese as itself: a third of pydeck's own JSON"
    wall = json.loads(view.freshness_deck(view.label_units(COMMUNITIES, "zh"), None, "zh", tooltip=False).to_json())
    assert {key for record in wall["layers"][0]["data"] for key in record} == {"polygon", "fill", "line"}
    assert not wall.get("tooltip")
