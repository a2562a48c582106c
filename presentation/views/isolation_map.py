"""Isolation on the grid map 隔离管控: the streets of the filter coloured by the people
isolated or monitored at home (居家隔离 + 居家健康监测), the isolation sites (集中隔离点) as
points coloured by room occupancy against the alert line, a legend counting each class,
what a clicked street or site shows, and the table of the streets beneath (the sites'
table is the isolation page's, ``presentation.views.isolation.site_rows``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pydeck as pdk

from data_access.metrics import ratio
from presentation import formatting as fmt
from presentation import palette
from presentation.catalogue import name
from presentation.map_layers import (
    NO_DATA_RGB,
    POINT_STYLE,
    POLYGON_STYLE,
    TOOLTIP,
    TOOLTIP_FIELDS,
    CompactDeck,
    basemap_args,
    count_colouring,
    each_once,
    fit_places,
    layer,
    point_records,
    polygon_records,
    with_approximate_cells,
)
from presentation.palette import rgb
from presentation.tables import PERCENT_BAR, WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import text as t

STREETS_LAYER, SITES_LAYER = "isolation-streets", "isolation-sites"
LAYER_IDS = (STREETS_LAYER, SITES_LAYER)
LEVEL = "street"  # people are reported per street; sites stand in streets
# People counts per street, suppressed as their table is (the [suppression] rule).
COVERED = {
    "at_home": "isolation.at_home",
    "held_home_isolation": "isolation.held_home_isolation",
    "held_home_monitoring": "isolation.held_home_monitoring",
    "held_centralised": "isolation.held_centralised",
    "held": "isolation.held",
    "overdue": "isolation.overdue",
}
HOME_RGB = [rgb(colour) for colour in palette.HOME_MEASURES_RAMP]
ZERO_RGB = rgb(palette.ZERO_COUNT)
# A site's room occupancy in the four risk colours: below the watch line, up to the alert
# line ([alerts.isolation] site_occupancy_warning), above it, every room taken; grey when
# the site did not report the day.
OCCUPANCY_WATCH = 0.70
OCCUPANCY_CLASSES = ("below", "watch", "above", "full", "not_reported")
OCCUPANCY_RGB = {
    "below": rgb(palette.RISK["green"]),
    "watch": rgb(palette.RISK["yellow"]),
    "above": rgb(palette.RISK["orange"]),
    "full": rgb(palette.RISK["red"]),
    "not_reported": NO_DATA_RGB,
}


def occupancy_class(occupancy, warning: float) -> str:
    """Which class a site's occupancy (rooms occupied ÷ rooms) falls in against the alert
    line ``warning``: above it means strictly above (the alert's "above 85 %")."""
    if occupancy is None or pd.isna(occupancy):
        return "not_reported"
    if occupancy >= 1:
        return "full"
    if occupancy > warning:
        return "above"
    return "watch" if occupancy >= min(OCCUPANCY_WATCH, warning) else "below"


def occupancy_label(kind: str, warning: float, lang: str) -> str:
    """ "Below 70 %", "70–85 %", "Above 85 %", "Full", "Not reported"."""
    watch = min(OCCUPANCY_WATCH, warning)
    return t(f"map.isolation.occupancy.{kind}", lang, watch=fmt.percent(watch, lang, 0), line=fmt.percent(warning, lang, 0))


def _shown(value, lang: str) -> str:
    """A count as the screen shows it: a suppression mark ("<5") as it is."""
    return value if isinstance(value, str) else fmt.count(value, lang)


def label_streets(streets: pd.DataFrame, sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``isolation_map_units``' streets with their level and display name, and their sites
    in service: how many, their rooms, and the rooms occupied and occupancy of those that
    reported the day."""
    reported = sites[sites["reported"]]
    per_street = pd.DataFrame(
        {
            "sites": sites.groupby("area_code").size(),
            "site_rooms": sites.groupby("area_code")["rooms"].sum(),
            "reported_rooms": reported.groupby("area_code")["rooms"].sum(),
            "site_rooms_occupied": reported.groupby("area_code")["rooms_occupied"].sum(),
        },
        index=pd.Index(sites["area_code"].unique(), name="area_code"),
    )
    labelled = streets.merge(per_street, left_on="area_code", right_index=True, how="left")
    counts = ["sites", "site_rooms", "reported_rooms", "site_rooms_occupied"]
    labelled[counts] = labelled[counts].fillna(0).astype("int64")
    return labelled.assign(
        code=labelled["area_code"],
        level=LEVEL,
        name=labelled[name_column(lang)],
        site_occupancy=ratio(labelled["site_rooms_occupied"], labelled["reported_rooms"]),
    )


def label_sites(sites: pd.DataFrame, streets: pd.DataFrame, warning: float, lang: str) -> pd.DataFrame:
    """``site_table``'s sites with their display name, street name and occupancy class."""
    street_names = dict(zip(streets["area_code"], streets[name_column(lang)], strict=True))
    return sites.assign(
        name=sites[name_column(lang)],
        street=sites["area_code"].map(street_names).fillna(sites["area_code"]),
        occupancy_class=[occupancy_class(v, warning) for v in sites["occupancy"]],
    )


def home_colouring(streets: pd.DataFrame):
    """People at home per street in classes, over the counts shown (a "<5" is no data)."""
    return count_colouring(streets["at_home"], HOME_RGB, ZERO_RGB)


def _street_tips(streets: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    def lines(column: str) -> list[str]:
        label = name(COVERED[column], lang)
        return [f"{label}: {shown}" for shown in each_once(streets[column], lambda v: _shown(v, lang))]

    return {
        "title": list(streets["name"]),
        "line1": lines("at_home"),
        "line2": lines("held_home_isolation"),
        "line3": lines("held_home_monitoring"),
    }


def _site_tips(sites: pd.DataFrame, warning: float, lang: str) -> dict[str, list[str]]:
    occupancy = name("isolation.occupancy", lang)
    labels = {kind: occupancy_label(kind, warning, lang) for kind in OCCUPANCY_CLASSES}
    rooms = zip(sites["rooms_occupied"], sites["rooms"], strict=True)
    return {
        "title": list(sites["name"]),
        "line1": [f"{occupancy}: {shown}" for shown in each_once(sites["occupancy"], lambda v: fmt.percent(v, lang))],
        "line2": each_once(
            rooms,
            lambda pair: t("map.isolation.rooms_of", lang, occupied=fmt.count(pair[0], lang), rooms=fmt.count(pair[1], lang)),
        ),
        "line3": [labels[kind] for kind in sites["occupancy_class"]],
    }


def isolation_deck(
    streets: pd.DataFrame, sites: pd.DataFrame, warning: float, lang: str, width_px: int = 760, height_px: int = 540
) -> pdk.Deck:
    """The labelled ``streets`` (people counts as shown) filled by the class of people at
    home (a street without a boundary as an approximate cell around its centre), and the
    labelled ``sites`` over them as points in their occupancy class (those at their
    street's centre with a white edge). Each object carries its code and its tooltip's lines."""
    streets = with_approximate_cells(streets)
    fills = home_colouring(streets).fills
    placed = sites[sites["lon"].notna() & sites["lat"].notna()]
    view = fit_places(list(streets["polygon"]), placed, width_px, height_px)
    shaped = streets.assign(**_street_tips(streets, lang))
    layers = [layer("PolygonLayer", polygon_records(shaped, fills, TOOLTIP_FIELDS), STREETS_LAYER, True, **POLYGON_STYLE)]
    if not placed.empty:
        placed = placed.assign(**_site_tips(placed, warning, lang))
        point_fills = [OCCUPANCY_RGB[kind] for kind in placed["occupancy_class"]]
        records = point_records(placed, point_fills, TOOLTIP_FIELDS, view["zoom"])
        layers.append(layer("ScatterplotLayer", records, SITES_LAYER, True, **POINT_STYLE))
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        tooltip=TOOLTIP,
        **basemap_args(),
    )


def legend(streets: pd.DataFrame, sites: pd.DataFrame, warning: float, lang: str) -> list[tuple[str, list]]:
    """Two sections, (heading, [(rgb, label, count)]): the classes of people at home with
    the streets in each (and those whose count is not shown), and the occupancy classes
    with the sites in each."""
    home = home_colouring(streets).legend("map.isolation.people", t("map.isolation.not_shown", lang), streets, lang)
    kinds = list(sites["occupancy_class"])
    occupancy = [
        (OCCUPANCY_RGB[kind], occupancy_label(kind, warning, lang), fmt.count(kinds.count(kind), lang))
        for kind in OCCUPANCY_CLASSES
        if kind != "not_reported" or kind in kinds
    ]
    return [(t("map.isolation.streets_heading", lang), home), (t("map.isolation.sites_heading", lang), occupancy)]


def summary(streets: pd.DataFrame, sites: pd.DataFrame, day: dt.date, warning: float, lang: str) -> str:
    """The exact totals over the map (people at home by measure, sites above the line and
    full), the day they are as of, and which sites are placed only roughly or not at all."""
    kinds = list(sites["occupancy_class"])
    note = t(
        "map.isolation.note",
        lang,
        day=fmt.day(day, lang),
        at_home=fmt.count(streets["at_home"].sum(), lang),
        home_isolation=fmt.count(streets["held_home_isolation"].sum(), lang),
        home_monitoring=fmt.count(streets["held_home_monitoring"].sum(), lang),
        sites=fmt.count(len(sites), lang),
        above=fmt.count(kinds.count("above") + kinds.count("full"), lang),
        line=fmt.percent(warning, lang, 0),
        full=fmt.count(kinds.count("full"), lang),
    )
    if not sites.empty and (at_centre := int(sites["at_area_centre"].sum())):
        note += " " + t("map.isolation.at_street_centre", lang, n=fmt.count(at_centre, lang))
    if not sites.empty and (unplaced := int((sites["lon"].isna() | sites["lat"].isna()).sum())):
        note += " " + t("freshness.unplaced", lang, n=fmt.count(unplaced, lang))
    return note


def details(streets: pd.DataFrame, sites: pd.DataFrame, picked: tuple[str, str] | None, warning: float, lang: str):
    """(label, value) lines for the clicked street or site (``picked``: layer id and code);
    None when nothing on the map is picked."""
    if not picked:
        return None
    layer_id, code = picked
    if layer_id == SITES_LAYER:
        found = sites[sites["code"] == code]
        return _site_lines(found.iloc[0], warning, lang) if not found.empty else None
    found = streets[streets["code"] == code]
    return _street_lines(found.iloc[0], lang) if not found.empty else None


def _street_lines(street, lang: str) -> list[tuple[str, str]]:
    people = [(name(key, lang), _shown(street[column], lang)) for column, key in COVERED.items()]
    return [
        (t("filter.level.street", lang), f"{street['name']} ({street['code']})"),
        (name("areas.residents", lang), fmt.count(street["residents"], lang)),
        *people,
        (name("isolation.held_per_10k", lang), fmt.figure(street["held_per_10k"], "per_10k", lang)),
        (name("isolation.sites", lang), fmt.count(street["sites"], lang)),
        (name("isolation.occupancy", lang), fmt.percent(street["site_occupancy"], lang)),
    ]


def _site_lines(site, warning: float, lang: str) -> list[tuple[str, str]]:
    def days_text(value) -> str:
        if value is None or pd.isna(value):
            return t("isolation.not_filling", lang)
        return fmt.with_unit(fmt.decimal(value, lang), "days", lang)

    lines = [
        (t("isolation.site", lang), f"{site['name']} ({site['code']})"),
        (t("filter.level.street", lang), f"{site['street']} ({site['area_code']})"),
        (
            name("isolation.occupancy", lang),
            f"{fmt.percent(site['occupancy'], lang)} · {occupancy_label(site['occupancy_class'], warning, lang)}",
        ),
        (name("isolation.rooms", lang), fmt.count(site["rooms"], lang)),
        (name("isolation.rooms_occupied", lang), fmt.count(site["rooms_occupied"], lang)),
        (name("isolation.free_rooms", lang), fmt.count(site["free_rooms"], lang)),
        (name("isolation.site_people", lang), fmt.count(site["people"], lang)),
        (name("isolation.staff", lang), fmt.count(site["staff"], lang)),
        (name("isolation.site_arrivals", lang), fmt.count(site["new_in"], lang)),
        (name("isolation.site_departures", lang), fmt.count(site["released"], lang)),
        (name("isolation.cases_found", lang), fmt.count(site["cases_found"], lang)),
        (name("isolation.net_intake", lang), fmt.decimal(site["net_intake_7d"], lang)),
        (name("isolation.days_until_full", lang), days_text(site["days_until_full"]) if site["reported"] else fmt.DASH),
    ]
    if site["single_room_breach"]:
        shared = t(
            "isolation.shared_rooms", lang, people=fmt.count(site["people"], lang), rooms=fmt.count(site["rooms_occupied"], lang)
        )
        lines.append((t("isolation.single_room", lang), shared))
    if site["at_area_centre"]:
        lines.append((t("map.isolation.place", lang), t("map.isolation.placed_at_centre", lang)))
    return lines


STREETS_TABLE = {
    "code": "common.code",
    "name": "filter.level.street",
    "residents": "areas.residents",
    **COVERED,
    "held_per_10k": "isolation.held_per_10k",
    "sites": "isolation.sites",
    "site_rooms": "isolation.rooms",
    "site_rooms_occupied": "isolation.rooms_occupied",
    "site_occupancy_pct": "isolation.occupancy",
}


def streets_table(streets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The labelled streets, most people at home first: people held by measure at the
    end of the day, per 10,000 residents, past their release date, and their sites' rooms."""
    ordered = streets.sort_values(["at_home", "code"], ascending=[False, True], kind="stable")
    shown = ordered.assign(
        held_per_10k=ordered["held_per_10k"].round(2), site_occupancy_pct=(ordered["site_occupancy"] * 100).round(1)
    )
    return display_frame(shown, STREETS_TABLE, lang).reset_index(drop=True)


def streets_formats(lang: str):
    """Counts with the language's separators, the rate per 10,000 with two decimals, the sites' occupancy as a bar."""
    counts = {
        key: WHOLE
        for column, key in STREETS_TABLE.items()
        if column not in ("code", "name", "held_per_10k", "site_occupancy_pct")
    }
    return formats_for(
        {**counts, "isolation.held_per_10k": ColumnFormat(format="%.2f"), "isolation.occupancy": PERCENT_BAR}, lang
    )
