"""Isolation and inspections on the grid map as the views draw them
(presentation/views/isolation_map.py, inspection_map.py): classes, colours, legends, what a
click shows, the summaries and tables, from hand-made frames shaped as
``isolation_map_units``, ``site_table`` and ``inspection_map_units`` return them."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from data_access.isolation import SITE_COLUMNS
from presentation.map_layers import NO_DATA_RGB, ROUGH_EDGE, picked_object
from presentation.views import inspection_map
from presentation.views import isolation_map as view

DAY = dt.date(2022, 4, 6)
WARNING = 0.85


def square(x: float, y: float = 33.0) -> str:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def street(code, name, home_isolation, home_monitoring, centralised=0, overdue=0, residents=10_000, x=114.0):
    held = home_isolation + home_monitoring + centralised
    return {
        "area_code": code,
        "name_zh": f"{name}街道",
        "name_en": f"{name} Subdistrict",
        "residents": residents,
        "lon": x + 0.005,
        "lat": 33.005,
        "polygon": square(x),
        "held": held,
        "overdue": overdue,
        "held_centralised": centralised,
        "held_home_isolation": home_isolation,
        "held_home_monitoring": home_monitoring,
        "at_home": home_isolation + home_monitoring,
        "held_per_10k": held / residents * 10_000,
    }


STREETS = pd.DataFrame(
    [
        street("S1", "Dongfeng", 3, 7, centralised=40, overdue=2, x=114.00),  # 10 at home
        street("S2", "Xiguan", 0, 0, x=114.01),  # none
        street("S3", "Nanhu", 30, 70, x=114.02),  # 100
        street("S4", "Beiyuan", 1, 1, x=114.03),  # 2
    ]
)


def site(code, street_code, rooms, occupied, people=None, reported=True, lon=114.005, lat=33.005, at_centre=False, net=0.0):
    occupancy = occupied / rooms if reported else np.nan
    free = rooms - occupied if reported else np.nan
    return {
        "code": code,
        "name_zh": f"{code}隔离点",
        "name_en": f"{code} isolation site",
        "area_code": street_code,
        "district_code": "990101",
        "lon": lon,
        "lat": lat,
        "at_area_centre": at_centre,
        "rooms": rooms,
        "reported": reported,
        "rooms_occupied": occupied if reported else np.nan,
        "people": (occupied if people is None else people) if reported else np.nan,
        "staff": 10.0 if reported else np.nan,
        "new_in": 12,
        "released": 5,
        "cases_found": 1,
        "net_intake_7d": net,
        "free_rooms": free,
        "occupancy": occupancy,
        "days_until_full": free / net if reported and net > 0 else np.nan,
        "single_room_breach": bool(reported and people is not None and people > occupied),
    }


SITES = pd.DataFrame(
    [
        site("IS1", "S1", 100, 69),  # below 70 %
        site("IS2", "S1", 100, 70, net=3.0),  # 70 %: the watch band starts at it
        site("IS3", "S3", 100, 85, lon=114.025, lat=33.005, at_centre=True),  # 85 %: not above the line
        site("IS4", "S3", 100, 86, people=90, lon=114.025, lat=33.005, at_centre=True),  # above, and people share rooms
        site("IS5", "S3", 50, 50, lon=114.021),  # full
        site("IS6", "S4", 40, 0, reported=False, lon=114.035),  # no report for the day
    ],
    columns=SITE_COLUMNS,
)


def labelled(lang="en"):
    streets = view.label_streets(STREETS, SITES, lang)
    return streets, view.label_sites(SITES, streets, WARNING, lang)


def test_occupancy_classes_against_the_alert_line():
    kinds = [view.occupancy_class(v, WARNING) for v in (0.0, 0.699, 0.70, 0.85, 0.8501, 0.999, 1.0, 1.2, np.nan, None)]
    assert kinds == ["below", "below", "watch", "watch", "above", "above", "full", "full", "not_reported", "not_reported"]
    # A line set below the watch band's start narrows the band to nothing, never inverts it.
    assert [view.occupancy_class(v, 0.6) for v in (0.59, 0.6, 0.61)] == ["below", "watch", "above"]
    assert [view.occupancy_label(k, WARNING, "en") for k in ("below", "watch", "above", "full")] == [
        "Below 70%",
        "70% to 85%",
        "Above 85%",
        "Full",
    ]
    assert view.occupancy_label("above", 0.9, "zh") == "高于90%"


def test_streets_count_their_sites_rooms_and_the_occupancy_of_those_reporting():
    streets, sites = labelled()
    by_code = streets.set_index("code")
    # S1: IS1 + IS2, 200 rooms, 139 occupied. S3: 250 rooms, 221 occupied. S4: IS6 did not
    # report, so 40 rooms but none occupied reported and no occupancy. S2: no site.
    assert by_code[["sites", "site_rooms", "site_rooms_occupied"]].to_dict("index") == {
        "S1": {"sites": 2, "site_rooms": 200, "site_rooms_occupied": 139},
        "S2": {"sites": 0, "site_rooms": 0, "site_rooms_occupied": 0},
        "S3": {"sites": 3, "site_rooms": 250, "site_rooms_occupied": 221},
        "S4": {"sites": 1, "site_rooms": 40, "site_rooms_occupied": 0},
    }
    assert by_code.at["S1", "site_occupancy"] == pytest.approx(139 / 200)
    assert by_code.at["S3", "site_occupancy"] == pytest.approx(221 / 250)
    assert np.isnan(by_code.at["S4", "site_occupancy"]) and np.isnan(by_code.at["S2", "site_occupancy"])
    assert set(streets["level"]) == {"street"} and by_code.at["S3", "name"] == "Nanhu Subdistrict"
    assert sites.set_index("code")["occupancy_class"].to_dict() == {
        "IS1": "below", "IS2": "watch", "IS3": "watch", "IS4": "above", "IS5": "full", "IS6": "not_reported",
    }  # fmt: skip
    assert sites.set_index("code").at["IS4", "street"] == "Nanhu Subdistrict"


def test_the_deck_draws_streets_by_people_at_home_and_sites_by_occupancy():
    streets, sites = labelled()
    deck = json.loads(view.isolation_deck(streets, sites, WARNING, "en").to_json())
    polygons, points = deck["layers"]
    assert (polygons["id"], points["id"]) == (view.STREETS_LAYER, view.SITES_LAYER)
    assert polygons["pickable"] and points["pickable"]
    # At home: S1 10, S2 0, S3 100, S4 2. The positive counts 2, 10, 100 have quartiles 6, 10
    # and 55 (positions 0.5, 1 and 1.5 of 0 … 2), so the bands are 1–6, 7–10, 11–55, 56–100,
    # one purple each, light to dark; S2 in the colour of none.
    fills = {r["code"]: tuple(r["fill"][:3]) for r in polygons["data"]}
    ramp = view.HOME_RGB
    assert fills == {"S1": ramp[1], "S2": view.ZERO_RGB, "S3": ramp[3], "S4": ramp[0]}
    s3 = next(r for r in polygons["data"] if r["code"] == "S3")
    assert (s3["title"], s3["line1"], s3["line2"], s3["line3"]) == (
        "Nanhu Subdistrict",
        "Isolated or monitored at home: 100",
        "In home isolation: 30",
        "Under home health monitoring: 70",
    )
    by_code = {r["code"]: r for r in points["data"]}
    assert [tuple(by_code[c]["fill"][:3]) for c in ("IS1", "IS2", "IS4", "IS5", "IS6")] == [
        view.OCCUPANCY_RGB[k] for k in ("below", "watch", "above", "full", "not_reported")
    ]
    assert by_code["IS4"]["line"][:3] == list(ROUGH_EDGE) and by_code["IS5"]["line"][:3] != list(ROUGH_EDGE)
    assert by_code["IS3"]["position"] != by_code["IS4"]["position"], "two sites at one street centre both show"
    assert (by_code["IS4"]["line1"], by_code["IS4"]["line2"], by_code["IS4"]["line3"]) == (
        "Room occupancy: 86.0%",
        "86 of 100 rooms",
        "Above 85%",
    )
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__", "no online basemap"


def test_a_suppressed_count_is_drawn_as_no_data_and_the_legend_says_so():
    streets, sites = labelled()
    shown = streets.assign(at_home=["<5", 0, 100, "<5"], held_home_isolation=["<5", 0, 30, "<5"])
    deck = json.loads(view.isolation_deck(shown, sites, WARNING, "en").to_json())
    fills = {r["code"]: tuple(r["fill"][:3]) for r in deck["layers"][0]["data"]}
    assert fills["S1"] == fills["S4"] == NO_DATA_RGB and fills["S3"] == view.HOME_RGB[0]
    s1 = next(r for r in deck["layers"][0]["data"] if r["code"] == "S1")
    assert s1["line1"] == "Isolated or monitored at home: <5"
    (heading, home), _ = view.legend(shown, sites, WARNING, "en")
    assert home[-1] == (NO_DATA_RGB, "Not shown (small count)", "2")
    assert view.details(shown, sites, ("isolation-streets", "S1"), WARNING, "en")[2] == ("Isolated or monitored at home", "<5")


def test_the_legend_counts_streets_per_band_and_sites_per_class():
    streets, sites = labelled()
    (home_heading, home), (sites_heading, occupancy) = view.legend(streets, sites, WARNING, "en")
    assert home_heading == "Streets by people isolated or monitored at home"
    assert [(label, n) for _, label, n in home] == [("0", "1"), ("1–6", "1"), ("7–10", "1"), ("11–55", "0"), ("56–100", "1")]
    assert sites_heading == "Isolation sites by room occupancy"
    assert [(label, n) for _, label, n in occupancy] == [
        ("Below 70%", "1"),
        ("70% to 85%", "2"),
        ("Above 85%", "1"),
        ("Full", "1"),
        ("Not reported for the day", "1"),
    ]
    _, (_, zh) = view.legend(*labelled("zh")[:1], sites, WARNING, "zh")
    assert [label for _, label, _ in zh][:2] == ["低于70%", "70%至85%"]
    # A day every site reported: no "not reported" entry.
    _, (_, all_reported) = view.legend(streets, sites[sites["reported"]], WARNING, "en")
    assert len(all_reported) == 4


def test_a_click_shows_the_street_s_people_or_the_site_s_rooms():
    streets, sites = labelled()
    selection = {"selection": {"objects": {view.SITES_LAYER: [{"code": "IS4"}]}}}
    picked = picked_object(selection, view.LAYER_IDS)
    assert picked == (view.SITES_LAYER, "IS4") and picked_object(None, view.LAYER_IDS) is None
    lines = dict(view.details(streets, sites, picked, WARNING, "en"))
    assert lines["Isolation site"] == "IS4 isolation site (IS4)"
    assert lines["Street / town"] == "Nanhu Subdistrict (S3)"
    assert lines["Room occupancy"] == "86.0% · Above 85%"
    assert (lines["Rooms"], lines["Rooms occupied"], lines["Rooms free"], lines["People in isolation sites"]) == (
        "100",
        "86",
        "14",
        "90",
    )
    assert lines["Single rooms"] == "⚠ 90 people in 86 rooms"
    assert lines["Place"].startswith("no coordinates of its own")
    assert lines["Days until full"] == "not filling"
    filling = dict(view.details(streets, sites, (view.SITES_LAYER, "IS2"), WARNING, "en"))
    assert filling["Days until full"] == "10.0 days"  # 30 free rooms at 3 a day
    silent = dict(view.details(streets, sites, (view.SITES_LAYER, "IS6"), WARNING, "en"))
    assert silent["Room occupancy"] == "— · Not reported for the day" and silent["Days until full"] == "—"
    s1 = view.details(*labelled("zh"), (view.STREETS_LAYER, "S1"), WARNING, "zh")
    assert s1[0] == ("街道/镇", "Dongfeng街道 (S1)")
    assert dict(s1)["居家隔离与监测人数"] == "10" and dict(s1)["集中隔离点数"] == "2"
    assert view.details(streets, sites, (view.SITES_LAYER, "gone"), WARNING, "en") is None


def test_the_summary_and_the_streets_table():
    streets, sites = labelled()
    summary = view.summary(streets, sites, DAY, WARNING, "en")
    assert summary.startswith(
        "At the end of 6 Apr 2022: 112 people at home (34 in home isolation, 78 under home health monitoring); "
        "6 isolation sites, 2 above 85% occupancy, 1 of them full."
    )
    assert "2 sites have no coordinates of their own" in summary
    table = view.streets_table(streets, "en")
    assert list(table["Code"]) == ["S3", "S1", "S4", "S2"], "most people at home first"
    assert list(table.columns[:5]) == ["Code", "Street / town", "Residents", "Isolated or monitored at home", "In home isolation"]
    assert table.set_index("Code").at["S3", "Room occupancy (%)"] == pytest.approx(88.4)


# ---------------------------------------------------------------- inspections
def inspected(code, x, entities, open_problems, overdue, checks, passed):
    return {
        "area_code": code,
        "name_zh": f"{code}街道",
        "name_en": f"{code} Subdistrict",
        "residents": 10_000,
        "lon": x + 0.005,
        "lat": 33.005,
        "polygon": square(x),
        "inspections": checks,
        "inspector_visits": 2 * checks,
        "inspections_passed": passed,
        "problems_found": checks - passed,
        "fixed_on_time": 1,
        "fixed_late": 0,
        "penalties": 0,
        "masks_seized": 0,
        "open_problems": open_problems,
        "overdue": overdue,
        "entities_open": entities,
        "pass_rate": passed / checks if checks else np.nan,
        "on_time_rate": 1.0,
    }


INSPECTED = pd.DataFrame(
    [
        inspected("T1", 114.00, 0, 0, 0, 20, 20),
        inspected("T2", 114.01, 3, 4, 1, 10, 7),
        inspected("T3", 114.02, 0, 0, 0, 0, 0),  # no team reported a check there
        inspected("T4", 114.03, 1, 1, 0, 0, 0),  # no check in the range, a problem still open
        inspected("T5", 114.04, 9, 12, 5, 8, 2),
    ]
)


def test_inspections_colour_streets_by_entities_open_and_grey_the_unreported():
    streets = inspection_map.label_streets(INSPECTED, "en")
    assert list(streets["reported"]) == [True, True, False, True, True]
    deck = json.loads(inspection_map.inspection_deck(streets, "en").to_json())
    (layer,) = deck["layers"]
    fills = {r["code"]: tuple(r["fill"][:3]) for r in layer["data"]}
    # Positive counts 1, 3, 9: quartiles 2, 3, 6 give bands 1–2, 3, 4–6 … the top one to 9: 1–2, 3–3, 4–6, 7–9.
    classes = inspection_map.open_colouring(streets).classes
    assert [(c.low, c.high) for c in classes] == [(0, 0), (1, 2), (3, 3), (4, 6), (7, 9)]
    ramp = inspection_map.OPEN_RGB
    assert fills == {"T1": inspection_map.ZERO_RGB, "T2": ramp[1], "T3": NO_DATA_RGB, "T4": ramp[0], "T5": ramp[3]}
    t3 = next(r for r in layer["data"] if r["code"] == "T3")
    assert t3["line1"] == "no checks reported over the dates chosen"
    ((heading, entries),) = inspection_map.legend(streets, "en")
    assert heading == "Streets by entities with an open problem"
    assert [(label, n) for _, label, n in entries] == [
        ("0", "1"),
        ("1–2", "1"),
        ("3", "1"),
        ("4–6", "0"),
        ("7–9", "1"),
        ("No checks reported", "1"),
    ]
    ((_, zh),) = inspection_map.legend(inspection_map.label_streets(INSPECTED, "zh"), "zh")
    assert zh[1][1] == "1–2家"


def test_inspections_click_summary_and_table():
    streets = inspection_map.label_streets(INSPECTED, "en")
    lines = dict(inspection_map.details(streets, (inspection_map.LAYER_ID, "T5"), "en"))
    assert lines["Street / town"] == "T5 Subdistrict (T5)"
    assert (lines["Entities with an open problem"], lines["Problems open"], lines["Problems overdue"]) == ("9", "12", "5")
    assert (lines["Entity checks"], lines["Pass rate"], lines["Inspector-visits"]) == ("8", "25.0%", "16")
    unreported = inspection_map.details(streets, (inspection_map.LAYER_ID, "T3"), "en")
    assert unreported[1] == ("Reports", "no checks reported over the dates chosen")
    assert inspection_map.details(streets, ("isolation-sites", "T5"), "en") is None
    summary = inspection_map.summary(streets, DAY - dt.timedelta(days=6), DAY, "en")
    assert summary == (
        "At the end of 6 Apr 2022: 13 entities with an open problem in 3 streets, 6 problems overdue. "
        "38 entity checks over 31 Mar 2022 – 6 Apr 2022, pass rate 76.3%. Teams report per street."
    )  # 29 of 38 checks passed
    table = inspection_map.streets_table(streets, "en")
    assert list(table["Code"]) == ["T5", "T2", "T4", "T1", "T3"]
    assert list(table.columns[:5]) == [
        "Code",
        "Street / town",
        "Entities with an open problem",
        "Problems open",
        "Problems overdue",
    ]
    assert table.set_index("Code").at["T2", "Pass rate (%)"] == 70.0
