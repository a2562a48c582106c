"""Generate the fictional sample city 清河市（示例） into ``DATABASE_URL``.

    python -m sample_data.generate [--scale small|city] [--seed N] [--end-date YYYY-MM-DD]

Deterministic for a seed. Orders of magnitude follow the seed reports (PRODUCT.md):
~66,000 vehicles and ~124,000 people a day through a district's checkpoints with
~3 fever cases per 100,000 people; mask capacity 300,000 a day in one district and
1,000,000 in another; ~20,000 vaccination doses a day of capacity per district; grid
units with a few grid workers each. An outbreak wave in the second half of the period
drives mass testing rounds, supply consumption, home observation and risk colours.

Vaccination sites offer doses by their capacity, but only to people still left to
vaccinate in their street (the street's target population per age group, up to an uptake
ceiling; a 2nd dose after a 1st, a booster after a 2nd), so coverage stays at or under
100 % in every area, age group and dose (build_vaccination). Vaccine reaches each district
depot in batches every 3–5 days, ordered up to the planned use until the next batch plus
10 days of working stock, and the sites draw from the depot what they give: the supply
ledger's item VACCINE, where the data check "doses above delivered" reads deliveries.

Deliberate flaws, so the app's checks have something true to find (everything else is
clean):
- missing reports: a few (unit, day) reports of checkpoints and sampling sites are left
  out, a few units and two communities have not reported on the last day (a sampling
  site's missing report also leaves its backlog out of that day's total, so "tested
  above collected" can fire on the next day);
- one vaccine shortage: with E the last day, the depot of the last district (highest
  code) runs dry at the end of E−5 (its last batch cut short, later ones held up); on
  E−4, E−3 and E−2 its sites vaccinate from an emergency lot sent straight to them, which
  the depot books, with the held-up batches, on E−1. On exactly those three days, and
  only in that district, cumulative doses given exceed cumulative doses delivered
  (plant_vaccine_shortage); at the city level the other depots' stock hides it.

Isolation and inspections (sample_data/isolation_inspections.py) follow the testing
positives and the wave, with flaws of their own planted (overdue releases, a single-room
breach, a street whose pass rate falls, missing reports), from a generator of their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, delete, insert
from sqlalchemy.schema import AddConstraint, DropConstraint

from data_access import schema as s
from data_access.bulk import bulk_insert
from data_access.data_checks import VACCINE_ITEM
from data_access.engine import database_url, get_engine, upgrade_schema
from data_access.mysql import is_mysql, long_statements
from data_access.rollups import AREA_ROLLUPS, create_marking_triggers, drop_marking_triggers, refresh_all
from sample_data import isolation_inspections
from sample_data.geometry import city_outline, subdivide, to_geojson
from sample_data.names import (
    CITY_NAME,
    COMMUNITY_SUFFIX,
    COMPOUND_SUFFIX,
    DISTRICT_SUFFIX,
    STREET_SUFFIX,
    NameMaker,
)

CITY_CODE = "418800"  # a free prefix in GB/T 2260's Henan range: clearly not a real city
CITY_CENTRE = (114.02, 32.98)
DEFAULT_END_DATE = dt.date(2022, 4, 30)
SAMPLE_IMPORTER = "sample_data.generate"
PEAK_FRACTION = 0.72  # where in the period the outbreak wave peaks


@dataclass(frozen=True)
class Scale:
    districts: int
    streets: int
    communities: int
    compounds: int
    grid_units: int
    checkpoints: int
    days: int
    radius_km: float
    residents: int


SCALES = {
    "tiny": Scale(2, 4, 8, 16, 40, 4, 21, 6, 40_000),
    "small": Scale(6, 50, 400, 1_000, 2_500, 40, 120, 22, 1_300_000),
    "city": Scale(10, 200, 3_000, 10_000, 60_000, 500, 365, 60, 7_000_000),
}

SUPPLY_ITEMS = (
    # code, zh, en, category, unit zh, unit en, base daily use per district, wave multiplier
    ("MASK", "医用外科口罩", "Surgical masks", "ppe", "只", "pcs", 40_000, 5.0),
    ("N95", "N95口罩", "N95 respirators", "ppe", "只", "pcs", 4_000, 6.0),
    ("SUIT", "医用防护服", "Protective suits", "ppe", "套", "sets", 600, 8.0),
    ("GLOVE", "医用手套", "Medical gloves", "ppe", "副", "pairs", 12_000, 5.0),
    ("GOGGLE", "护目镜", "Goggles", "ppe", "个", "pcs", 300, 6.0),
    ("TESTKIT", "核酸采样管", "Sampling tube kits", "testing", "支", "tubes", 3_000, 12.0),
    ("ANTIGEN", "抗原检测试剂", "Antigen test kits", "testing", "份", "kits", 2_000, 8.0),
    ("DISINF", "消毒液", "Disinfectant", "disinfection", "升", "L", 1_500, 4.0),
)

AGE_SHARES = {"3-11": 0.10, "12-17": 0.07, "18-59": 0.58, "60-79": 0.20, "80+": 0.05}
# Cumulative coverage before the data begins, by dose (1st, 2nd, booster).
BASELINE_COVERAGE = {
    "3-11": (0.82, 0.74, 0.0),
    "12-17": (0.95, 0.92, 0.10),
    "18-59": (0.93, 0.90, 0.45),
    "60-79": (0.80, 0.72, 0.30),
    "80+": (0.45, 0.35, 0.10),
}
# The highest share of an age group that ever takes a first dose (the rest decline or
# cannot be vaccinated): first-dose coverage approaches it and never passes it.
UPTAKE_CEILING = {"3-11": 0.96, "12-17": 0.98, "18-59": 0.97, "60-79": 0.92, "80+": 0.75}
DAILY_UPTAKE_LIMIT = 0.1  # at most this share of a street's people eligible for a dose get it on one day
DOSE_INTERVAL_DAYS = {2: 21, 3: 180}  # a 2nd dose this long after the 1st, a booster after the 2nd

# Vaccine in the district depots' supply ledger (the item data checks read deliveries from).
VACCINE_SUPPLY = (VACCINE_ITEM, "新冠病毒疫苗", "COVID-19 vaccine", "vaccine", "剂", "doses")
VACCINE_DELIVERY_INTERVAL = (3, 5)  # a batch to each district depot every 3–5 days
VACCINE_SAFETY_DAYS = 10  # working stock ordered beyond the next batch, in days of planned use
VACCINE_CARTON = 100  # batches come in whole cartons of doses
VACCINE_SHORTAGE_DAYS = 3  # the planted shortage (module docstring)


# ------------------------------------------------------------------ areas
def _split_counts(total: int, parts: int, rng: np.random.Generator, minimum: int = 1) -> np.ndarray:
    """``total`` split into ``parts`` positive integers with some spread."""
    weights = rng.lognormal(0, 0.35, parts)
    counts = np.maximum(minimum, np.floor(weights / weights.sum() * total)).astype(int)
    while counts.sum() < total:
        counts[rng.integers(parts)] += 1
    while counts.sum() > total:
        i = int(np.argmax(counts))
        counts[i] -= 1
    return counts


def build_areas(scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    names = NameMaker(rng)
    lon, lat = CITY_CENTRE
    city_poly = city_outline(rng, lon, lat, scale.radius_km)
    rows: list[dict] = []

    def add(code, parent, level, name, poly, ancestors):
        c = poly.representative_point()
        rows.append(
            {
                "code": code,
                "parent_code": parent,
                "level": level,
                "name_zh": name[0],
                "name_en": name[1],
                "lon": round(c.x, 5),
                "lat": round(c.y, 5),
                "polygon": to_geojson(poly),
                **ancestors,
                s.LEVEL_COLUMN[level]: code,
                "_poly": poly,
            }
        )

    add(CITY_CODE, None, "city", CITY_NAME, city_poly, {"city_code": CITY_CODE})
    streets_per_district = _split_counts(scale.streets, scale.districts, rng)
    districts = subdivide(city_poly, scale.districts, rng, relax=3)
    communities_per_street = _split_counts(scale.communities, scale.streets, rng)
    compounds_per_community = _split_counts(scale.compounds, scale.communities, rng)
    units_per_compound = _split_counts(scale.grid_units, scale.compounds, rng)
    street_i = community_i = compound_i = 0
    for d, d_poly in enumerate(districts):
        d_code = f"{CITY_CODE[:4]}{d + 1:02d}"
        d_anc = {"city_code": CITY_CODE}
        suffix = DISTRICT_SUFFIX[0] if d < max(1, scale.districts - 2) else DISTRICT_SUFFIX[1]
        add(d_code, CITY_CODE, "district", names.make(suffix), d_poly, d_anc)
        for k, st_poly in enumerate(subdivide(d_poly, int(streets_per_district[d]), rng, relax=2)):
            st_code = f"{d_code}{k + 1:03d}"
            st_anc = {**d_anc, "district_code": d_code}
            town = rng.random() < 0.35
            add(st_code, d_code, "street", names.make(STREET_SUFFIX[1 if town else 0]), st_poly, st_anc)
            n_comm = int(communities_per_street[min(street_i, scale.streets - 1)])
            street_i += 1
            for m, cm_poly in enumerate(subdivide(st_poly, n_comm, rng, relax=1)):
                cm_code = f"{st_code}{m + 1:03d}" if not town else f"{st_code}{200 + m + 1:03d}"
                cm_anc = {**st_anc, "street_code": st_code}
                add(cm_code, st_code, "community", names.make(COMMUNITY_SUFFIX[1 if town else 0]), cm_poly, cm_anc)
                n_cp = int(compounds_per_community[min(community_i, scale.communities - 1)])
                community_i += 1
                for q, cp_poly in enumerate(subdivide(cm_poly, n_cp, rng, relax=0)):
                    cp_code = f"{cm_code}{q + 1:03d}"
                    cp_anc = {**cm_anc, "community_code": cm_code}
                    add(
                        cp_code,
                        cm_code,
                        "compound",
                        names.make(COMPOUND_SUFFIX[1 if town else rng.integers(0, 3) % 2 * 2]),
                        cp_poly,
                        cp_anc,
                    )
                    n_units = int(units_per_compound[min(compound_i, scale.compounds - 1)])
                    compound_i += 1
                    for u, g_poly in enumerate(subdivide(cp_poly, n_units, rng, relax=0)):
                        g_code = f"{cp_code}{u + 1:03d}"
                        unit_name = (f"第{u + 1}联防单元", f"Joint-defence unit {u + 1}")
                        add(g_code, cp_code, "grid", unit_name, g_poly, {**cp_anc, "compound_code": cp_code})
    frame = pd.DataFrame(rows)
    for column in s.LEVEL_COLUMN.values():
        if column not in frame:
            frame[column] = None
    _assign_population(frame, scale, rng)
    return frame


def _assign_population(frame: pd.DataFrame, scale: Scale, rng: np.random.Generator) -> None:
    """Residents and households per grid unit (denser in the centre), summed upwards."""
    is_unit = frame["level"] == "grid"
    lon, lat = CITY_CENTRE
    dist = np.hypot(frame.loc[is_unit, "lon"] - lon, frame.loc[is_unit, "lat"] - lat).to_numpy()
    density = np.exp(-dist / (dist.max() * 0.45 + 1e-9)) * rng.lognormal(0, 0.4, is_unit.sum())
    residents = np.maximum(12, np.round(density / density.sum() * scale.residents)).astype(int)
    households = np.maximum(4, np.round(residents / rng.uniform(2.4, 3.0, len(residents)))).astype(int)
    frame["residents"] = 0
    frame["households"] = 0
    frame.loc[is_unit, "residents"] = residents
    frame.loc[is_unit, "households"] = households
    units = frame.loc[is_unit]
    for level in ("compound", "community", "street", "district", "city"):
        column = s.LEVEL_COLUMN[level]
        sums = units.groupby(column)[["residents", "households"]].sum()
        mask = frame["level"] == level
        frame.loc[mask, "residents"] = frame.loc[mask, "code"].map(sums["residents"]).fillna(0).astype(int)
        frame.loc[mask, "households"] = frame.loc[mask, "code"].map(sums["households"]).fillna(0).astype(int)


# ------------------------------------------------------------------ the epidemic wave
def wave_by_district(districts: pd.DataFrame, days: int, rng: np.random.Generator) -> np.ndarray:
    """Outbreak intensity 0…1 per (district, day): starts in one district, spreads outwards."""
    t = np.arange(days)
    peak = days * PEAK_FRACTION
    rise, fall = max(3.0, days * 0.07), max(4.0, days * 0.2)  # a fast rise, a long tail
    origin = int(rng.integers(len(districts)))
    d_lon = districts["lon"].to_numpy()
    d_lat = districts["lat"].to_numpy()
    distance = np.hypot(d_lon - d_lon[origin], d_lat - d_lat[origin])
    delay = distance / (distance.max() + 1e-9) * days * 0.08
    amplitude = np.clip(1.0 - distance / (distance.max() + 1e-9) * 0.6, 0.3, 1.0) * rng.uniform(0.8, 1.0, len(districts))
    offset = t[None, :] - peak - delay[:, None]
    width = np.where(offset < 0, rise, fall)
    return amplitude[:, None] * np.exp(-((offset / width) ** 2))


def testing_round_days(days: int) -> list[tuple[int, int]]:
    """Mass-testing rounds (start, end day index) around the wave's peak: 2 days every 4."""
    peak = int(days * PEAK_FRACTION)
    starts = [peak + offset for offset in (-12, -8, -4, 0, 4, 8)]
    return [(a, a + 1) for a in starts if 0 <= a and a + 1 < days]


# ------------------------------------------------------------------ facts
HOUR_PROFILE = np.array(
    [0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 2.6, 3.2, 3.0, 2.6, 2.3, 2.1, 2.2, 2.4, 2.6, 2.9, 3.2, 3.0, 2.3, 1.8, 1.4, 1.0, 0.8]
)


def build_checkpoints(areas: pd.DataFrame, scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    districts = areas[areas.level == "district"].reset_index(drop=True)
    streets = areas[areas.level == "street"]
    per_district = _split_counts(scale.checkpoints, len(districts), rng)
    kinds = np.array(["highway_exit", "national_road", "provincial_road", "county_road", "rail_station"])
    kind_zh = {
        "highway_exit": "高速出口",
        "national_road": "国道",
        "provincial_road": "省道",
        "county_road": "县道",
        "rail_station": "火车站",
    }
    kind_en = {
        "highway_exit": "Expressway exit",
        "national_road": "National road",
        "provincial_road": "Provincial road",
        "county_road": "County road",
        "rail_station": "Rail station",
    }
    rows = []
    for d, district in districts.iterrows():
        own_streets = streets[streets.district_code == district.code]
        for j in range(int(per_district[d])):
            street = own_streets.iloc[int(rng.integers(len(own_streets)))]
            kind = str(rng.choice(kinds, p=[0.3, 0.2, 0.25, 0.2, 0.05]))
            code = f"CP{district.code}{j + 1:03d}"
            lanes = int(rng.integers(2, 9)) if kind != "county_road" else int(rng.integers(1, 4))
            shifts = 3 if rng.random() < 0.8 else 2
            rows.append(
                {
                    "code": code,
                    "name_zh": f"{street.name_zh[:2]}{kind_zh[kind]}{j + 1}号道口",
                    "name_en": f"{street.name_en.split(' ')[0]} {kind_en[kind]} checkpoint {j + 1}",
                    "kind": kind,
                    "lanes": lanes,
                    "shifts": shifts,
                    "people_per_lane_hour": 400,
                    "area_code": street.code,
                    "lon": round(street.lon + rng.normal(0, 0.003), 5),
                    "lat": round(street.lat + rng.normal(0, 0.003), 5),
                    "district_index": d,
                }
            )
    return pd.DataFrame(rows)


def checkpoint_hourly_frame(
    checkpoints: pd.DataFrame, day_index: pd.DatetimeIndex, wave: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    n_cp, n_days = len(checkpoints), len(day_index)
    per_district = checkpoints.groupby("district_index")["code"].transform("count").to_numpy()
    base = 66_000 / per_district * rng.lognormal(0, 0.35, n_cp)
    weekday = day_index.day_of_week.to_numpy()
    weekday_factor = np.select([weekday == 4, weekday == 5, weekday == 6], [1.15, 0.9, 1.1], 1.0)
    w = wave[checkpoints["district_index"].to_numpy()]  # (cp, day)
    vehicles_day = base[:, None] * weekday_factor[None, :] * (1 - 0.45 * w) * rng.lognormal(0, 0.08, (n_cp, n_days))
    people_per_vehicle = rng.uniform(1.7, 2.05, n_cp)

    profile = np.tile(HOUR_PROFILE, (n_cp, 1)) * rng.lognormal(0, 0.1, (n_cp, 24))
    two_shift = checkpoints["shifts"].to_numpy() == 2
    profile[two_shift, :6] = 0
    profile[two_shift, 22:] = 0
    profile /= profile.sum(axis=1, keepdims=True)

    n_rows = n_cp * n_days
    veh = np.round(vehicles_day).astype(np.int64).reshape(-1)
    cp_of_row = np.repeat(np.arange(n_cp), n_days)
    vehicles = _multinomial_rows(veh, profile, cp_of_row, rng)
    people = np.round(vehicles * people_per_vehicle[cp_of_row, None]).astype(np.int64)
    temperature = rng.binomial(people, rng.uniform(0.93, 1.0, (n_rows, 1)))
    w_rows = w.reshape(-1)[:, None]
    fever = rng.binomial(temperature, 3e-5 * (1 + 1.5 * w_rows))
    code_red = rng.binomial(people, 3e-5 * (1 + 6 * w_rows))
    code_yellow = rng.binomial(people - code_red, 3e-4 * (1 + 4 * w_rows))
    arrivals = rng.binomial(people, 0.003 * (1 + 4 * w_rows))
    turned_back = rng.binomial(vehicles, 0.004 * (1 + 8 * w_rows))
    to_clinic = rng.binomial(fever, 0.85)

    days = np.tile(day_index.date, n_cp)
    frame = pd.DataFrame(
        {
            "day": np.repeat(days, 24),
            "hour": np.tile(np.arange(24), n_rows),
            "checkpoint_code": np.repeat(checkpoints["code"].to_numpy(), n_days * 24),
            "vehicles": vehicles.reshape(-1),
            "people": people.reshape(-1),
            "temperature_checks": temperature.reshape(-1),
            "fever": fever.reshape(-1),
            "code_yellow": code_yellow.reshape(-1),
            "code_red": code_red.reshape(-1),
            "risk_area_arrivals": arrivals.reshape(-1),
            "turned_back": turned_back.reshape(-1),
            "to_fever_clinic": to_clinic.reshape(-1),
        }
    )
    # Hours a two-shift checkpoint is closed are not reported at all.
    closed = np.repeat(two_shift, n_days * 24) & np.isin(frame["hour"].to_numpy(), [0, 1, 2, 3, 4, 5, 22, 23])
    return frame[~closed]


def _multinomial_rows(n: np.ndarray, profile: np.ndarray, profile_of_row: np.ndarray, rng) -> np.ndarray:
    """Vectorised multinomial split of n[i] over profile[profile_of_row[i]] (binomial chain)."""
    out = np.zeros((len(n), profile.shape[1]), dtype=np.int64)
    remaining = n.copy()
    p_left = np.ones(len(n))
    for h in range(profile.shape[1]):
        p = profile[profile_of_row, h]
        share = np.clip(np.divide(p, p_left, out=np.zeros_like(p), where=p_left > 0), 0, 1)
        draw = rng.binomial(remaining, share)
        out[:, h] = draw
        remaining -= draw
        p_left -= p
    out[:, -1] += remaining
    return out


def build_testing(
    areas: pd.DataFrame, scale: Scale, wave: np.ndarray, day_index: pd.DatetimeIndex, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    districts = areas[areas.level == "district"].reset_index(drop=True)
    d_index = {code: i for i, code in enumerate(districts.code)}
    communities = areas[areas.level == "community"].reset_index(drop=True)
    # One sampling site per community in town centres, shared by 2–3 villages elsewhere.
    sites, site_of_community = [], np.zeros(len(communities), dtype=int)
    for _street_code, group in communities.groupby("street_code", sort=True):
        per_site = 1 if not str(group.code.iloc[0])[9:10] == "2" else 3
        for start in range(0, len(group), per_site):
            members = group.iloc[start : start + per_site]
            host = members.iloc[0]
            site_of_community[members.index] = len(sites)
            sites.append(
                {
                    "code": f"SS{host.code}",
                    "name_zh": f"{host.name_zh}核酸采样点",
                    "name_en": f"{host.name_en} sampling site",
                    "area_code": host.code,
                    "residents": int(members.residents.sum()),
                    "district_index": d_index[host.district_code],
                    "lon": host.lon,
                    "lat": host.lat,
                }
            )
    sites = pd.DataFrame(sites)
    sites["daily_capacity"] = np.maximum(500, np.round(sites.residents * 0.6, -2)).astype(int)
    labs = []
    for d, district in districts.iterrows():
        n_labs = 2 if district.residents > 150_000 else 1
        district_residents = district.residents
        for j in range(n_labs):
            labs.append(
                {
                    "code": f"LAB{district.code}{j + 1}",
                    "name_zh": f"{district.name_zh}第{j + 1}核酸检测实验室",
                    "name_en": f"{district.name_en} lab {j + 1}",
                    "area_code": district.code,
                    # Sized so a 2-day mass round at 10:1 leaves a backlog for a day or two.
                    "daily_capacity_tubes": int(round(district_residents * 0.95 / 2 / 10 / n_labs * 0.75, -2)) + 1000,
                    "district_index": d,
                }
            )
    labs = pd.DataFrame(labs)
    lab_of_site = np.array(
        [
            labs.index[labs.district_index == di][i % int((labs.district_index == di).sum())]
            for i, di in enumerate(sites.district_index)
        ]
    )
    rounds = testing_round_days(len(day_index))
    round_day = np.zeros(len(day_index), dtype=bool)
    for a, b in rounds:
        round_day[a : b + 1] = True

    n_sites, n_days = len(sites), len(day_index)
    residents = sites.residents.to_numpy()
    w_site = wave[sites.district_index.to_numpy()]
    pending = np.zeros(n_sites)
    records = []
    lab_records = []
    lab_capacity = labs.daily_capacity_tubes.to_numpy()
    for t in range(n_days):
        routine = residents * (0.02 + 0.05 * w_site[:, t]) * rng.lognormal(0, 0.1, n_sites)
        collected = np.where(round_day[t], residents * 0.95 / 2 * rng.uniform(0.9, 1.05, n_sites), routine)
        collected = np.round(collected).astype(np.int64)
        ratio = 10 if round_day[t] else 5  # 10:1 混采 in mass rounds, 5:1 routine
        demand_tubes = (pending + collected) / ratio
        lab_demand = np.bincount(lab_of_site, weights=demand_tubes, minlength=len(labs))
        load = lab_demand / lab_capacity
        share = np.minimum(1.0, 1.0 / np.maximum(load, 1e-9))[lab_of_site]
        tested = np.minimum(pending + collected, np.round(demand_tubes * share * ratio)).astype(np.int64)
        pending = pending + collected - tested
        prevalence = 2e-5 + 6e-4 * w_site[:, t]
        positives = rng.binomial(tested, prevalence)
        site_load = load[lab_of_site]
        median = np.round(4.5 + 10 * np.minimum(site_load, 2.5) + rng.normal(0, 0.6, n_sites), 1).clip(2.0)
        p90 = np.round(median * rng.uniform(1.5, 1.9, n_sites), 1)
        records.append(
            pd.DataFrame(
                {
                    "day": day_index[t].date(),
                    "site_code": sites.code.to_numpy(),
                    "lab_code": labs.code.to_numpy()[lab_of_site],
                    "samples_collected": collected,
                    "samples_tested": tested,
                    "positives": positives,
                    "pending": pending.astype(np.int64),
                    "pooled_ratio": ratio,
                    "turnaround_median_h": median,
                    "turnaround_p90_h": p90,
                }
            )
        )
        tubes = np.bincount(lab_of_site, weights=tested / ratio, minlength=len(labs))
        lab_records.append(
            pd.DataFrame(
                {
                    "day": day_index[t].date(),
                    "lab_code": labs.code.to_numpy(),
                    "tubes_tested": np.round(tubes).astype(np.int64),
                    "capacity_tubes": lab_capacity,
                }
            )
        )
    round_rows = pd.DataFrame(
        [
            {
                "id": i + 1,
                "name_zh": f"第{i + 1}轮全员核酸检测",
                "name_en": f"Mass testing round {i + 1}",
                "start_day": day_index[a].date(),
                "end_day": day_index[b].date(),
            }
            for i, (a, b) in enumerate(rounds)
        ]
    )
    return sites, labs, pd.concat(records, ignore_index=True), pd.concat(lab_records, ignore_index=True), round_rows


def build_supplies(
    areas: pd.DataFrame, wave: np.ndarray, day_index: pd.DatetimeIndex, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    districts = areas[areas.level == "district"].reset_index(drop=True)
    items = pd.DataFrame(
        [
            {"code": c, "name_zh": zh, "name_en": en, "category": cat, "unit_zh": uzh, "unit_en": uen}
            for c, zh, en, cat, uzh, uen in [item[:6] for item in SUPPLY_ITEMS] + [VACCINE_SUPPLY]
        ]
    )
    warehouses = pd.DataFrame(
        [
            {
                "code": f"WH{d.code}",
                "name_zh": f"{d.name_zh}防疫物资储备库",
                "name_en": f"{d.name_en} supplies depot",
                "area_code": d.code,
            }
            for d in districts.itertuples()
        ]
    )
    n_days = len(day_index)
    peak = int(n_days * PEAK_FRACTION)
    rows = []
    for d in range(len(districts)):
        size = districts.residents.iloc[d] / 220_000
        for code, _zh, _en, _cat, _uzh, _uen, base_use, wave_mult in SUPPLY_ITEMS:
            base = base_use * size * rng.uniform(0.8, 1.2)
            demand = base * (1 + (wave_mult - 1) * wave[d]) * rng.lognormal(0, 0.12, n_days)
            # Local production: some districts make masks (300,000/day, one 1,000,000/day,
            # as in the seed reports), ramping up as firms convert lines (转产) in the wave.
            if code == "MASK":
                full_capacity = [1_000_000, 300_000, 300_000, 0, 100_000, 0][d % 6]
            elif code in ("SUIT", "DISINF", "GLOVE"):
                full_capacity = base * wave_mult * rng.choice([0, 0, 0.6, 1.1])
            else:
                full_capacity = 0
            ramp = np.clip((np.arange(n_days) - (peak - 25)) / 15, 0.15, 1.0)
            capacity = np.round(full_capacity * ramp).astype(np.int64)
            stock = base * rng.uniform(20, 40)
            for t in range(n_days):
                procured = (
                    min(capacity[t], demand[t] * 1.05) * rng.uniform(0.85, 1.0)
                    if capacity[t]
                    else base * 0.9 * (rng.random() < 0.35) * 3
                )
                days_cover = stock / max(demand[max(0, t - 7) : t + 1].mean(), 1)
                allocated = demand[t] * rng.uniform(3, 6) if days_cover < 4 and rng.random() < 0.5 else 0
                donated = demand[t] * rng.uniform(0.3, 1.5) if rng.random() < 0.04 else 0
                opening = int(round(stock))
                inbound = [int(round(procured)), int(round(allocated)), int(round(donated))]
                outbound = int(min(round(demand[t]), opening + sum(inbound)))
                closing = opening + sum(inbound) - outbound
                rows.append(
                    (
                        day_index[t].date(),
                        f"WH{districts.code.iloc[d]}",
                        code,
                        opening,
                        *inbound,
                        outbound,
                        closing,
                        int(capacity[t]),
                    )
                )
                stock = closing
    ledger = pd.DataFrame(
        rows,
        columns=[
            "day",
            "warehouse_code",
            "item_code",
            "opening_stock",
            "inbound_procured",
            "inbound_allocated",
            "inbound_donated",
            "outbound_frontline",
            "closing_stock",
            "production_capacity",
        ],
    )
    return items, warehouses, ledger


def build_vaccination(
    areas: pd.DataFrame, wave: np.ndarray, day_index: pd.DatetimeIndex, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Vaccination sites, target populations per street and age group, and doses per site,
    day, age group and dose number.

    Sites offer doses by their capacity (routine use, a booster campaign, a push for the
    elderly), but only people still left to vaccinate come: a site's street is its
    catchment, and the doses its sites give to an age group on a day are capped by who in
    the street is eligible (a first dose up to the age group's uptake ceiling, a second
    dose three weeks or more after a first, a booster six months or more after a second;
    at most ``DAILY_UPTAKE_LIMIT`` of them a day). So coverage stays at or under 100 % in every
    street, hence every level above, and second doses never outnumber first doses."""
    districts = areas[areas.level == "district"].reset_index(drop=True)
    streets = areas[areas.level == "street"]
    sites = []
    kinds = (
        ("fixed", "接种点", "vaccination site", 900),
        ("mobile_team", "流动接种队", "mobile team", 300),
        ("vehicle", "接种车", "vaccination vehicle", 200),
    )
    for d, district in districts.iterrows():
        size = district.residents / 220_000
        # Laoshan: 22 sites, 14 mobile teams, 3 vehicles, ~20,000 doses/day for ~0.5 M people.
        counts = (max(2, round(22 * size / 2.3)), max(1, round(14 * size / 2.3)), max(1, round(3 * size / 2.3)))
        # The most populous streets host the first sites of each kind (and any second ones).
        own_streets = streets[streets.district_code == district.code].sort_values("residents", ascending=False, kind="stable")
        for (kind, zh, en, capacity), n in zip(kinds, counts, strict=False):
            for j in range(n):
                street = own_streets.iloc[j % len(own_streets)]
                sites.append(
                    {
                        "code": f"VS{district.code}{kind[0].upper()}{j + 1:02d}",
                        "name_zh": f"{street.name_zh}{zh}{j + 1}",
                        "name_en": f"{street.name_en} {en} {j + 1}",
                        "kind": kind,
                        "area_code": street.code,
                        "daily_capacity": int(capacity * rng.uniform(0.8, 1.3)),
                        "district_index": d,
                    }
                )
    sites = pd.DataFrame(sites)
    ages = list(AGE_SHARES)
    targets = []
    for st in streets.itertuples():
        for age, share in AGE_SHARES.items():
            population = int(round(st.residents * share))
            b1, b2, b3 = (int(population * c) for c in BASELINE_COVERAGE[age])
            targets.append(
                {
                    "area_code": st.code,
                    "age_group": age,
                    "population": population,
                    "baseline_dose1": b1,
                    "baseline_dose2": b2,
                    "baseline_dose3": b3,
                }
            )
    targets = pd.DataFrame(targets)

    n_days, n_sites, n_streets = len(day_index), len(sites), len(streets)
    t = np.arange(n_days)
    # Booster campaign early in the period, a push for the elderly as the wave builds.
    # Campaign widths are in days, routine use shrinks with the period, so coverage at the
    # end lands in the seed reports' range whatever the number of days.
    booster_campaign = np.exp(-(((t - n_days * 0.2) / 7.0) ** 2))
    elderly_push = np.exp(-(((t - n_days * 0.55) / 10.0) ** 2))
    routine_use = 0.015 * 120 / n_days
    weekday = day_index.day_of_week.to_numpy()
    weekday_factor = np.where(weekday >= 5, 0.8, 1.0)
    # Share of each (age group, dose) in the day's doses, for routine, booster and elderly pushes.
    mixes = {
        "routine": {
            ("3-11", 1): 0.15,
            ("3-11", 2): 0.15,
            ("12-17", 3): 0.05,
            ("18-59", 1): 0.03,
            ("18-59", 2): 0.04,
            ("18-59", 3): 0.4,
            ("60-79", 1): 0.05,
            ("60-79", 2): 0.05,
            ("60-79", 3): 0.08,
        },
        "booster": {("18-59", 3): 0.75, ("60-79", 3): 0.15, ("12-17", 3): 0.1},
        "elderly": {
            ("60-79", 1): 0.15,
            ("60-79", 2): 0.12,
            ("60-79", 3): 0.38,
            ("80+", 1): 0.15,
            ("80+", 2): 0.08,
            ("80+", 3): 0.12,
        },
    }
    keys = sorted({key for mix in mixes.values() for key in mix}, key=lambda key: (ages.index(key[0]), key[1]))
    key_index = {key: k for k, key in enumerate(keys)}

    # Who has had each dose, per (street, age group), in the targets' order (street-major).
    street_of_site = pd.Index(streets.code).get_indexer(sites.area_code)
    population = targets.population.to_numpy().reshape(n_streets, len(ages))
    covered = np.stack([targets[f"baseline_dose{k}"].to_numpy().reshape(n_streets, len(ages)) for k in (1, 2, 3)]).astype(
        np.int64
    )
    ceiling = np.maximum(covered[0], np.floor(population * np.array([UPTAKE_CEILING[a] for a in ages])).astype(np.int64))
    history = np.empty((n_days, 2, n_streets, len(ages)), dtype=np.int64)  # 1st and 2nd doses at each day's start
    covered_at_start = covered[:2].copy()

    def as_of(day: int, dose: int) -> np.ndarray:
        """People with ``dose`` at the start of ``day`` (the baseline before the data began)."""
        return history[day, dose - 1] if day >= 0 else covered_at_start[dose - 1]

    capacity = sites.daily_capacity.to_numpy()
    given = np.zeros((n_days, len(keys), n_sites), dtype=np.int64)
    for t_i in range(n_days):
        utilisation = {
            "routine": routine_use,
            "booster": 0.2 * booster_campaign[t_i],
            "elderly": 0.1 * elderly_push[t_i],
        }
        offered = np.zeros((len(keys), n_sites), dtype=np.int64)
        for mix_name, mix in mixes.items():
            total = capacity * utilisation[mix_name] * weekday_factor[t_i] * rng.lognormal(0, 0.15, n_sites)
            for key, share in mix.items():
                offered[key_index[key]] += rng.poisson(total * share)
        history[t_i] = covered[:2]
        eligible = (
            ceiling - covered[0],
            as_of(t_i - DOSE_INTERVAL_DAYS[2], 1) - covered[1],
            as_of(t_i - DOSE_INTERVAL_DAYS[3], 2) - covered[2],
        )
        for (age, dose), k in key_index.items():
            a = ages.index(age)
            room = np.floor(eligible[dose - 1][:, a] * DAILY_UPTAKE_LIMIT).astype(np.int64)
            wanted = np.bincount(street_of_site, weights=offered[k], minlength=n_streets).astype(np.int64)
            allowed = np.minimum(wanted, room)
            # A street's sites share what its people allow in proportion to what they offer
            # (rounded down, so the street's total never passes what is allowed).
            doses = offered[k] * allowed[street_of_site] // np.maximum(wanted[street_of_site], 1)
            given[t_i, k] = doses
            covered[dose - 1][:, a] += np.bincount(street_of_site, weights=doses, minlength=n_streets).astype(np.int64)
    day_i, key_i, site_i = np.nonzero(given)
    doses = pd.DataFrame(
        {
            "day": np.array([d.date() for d in day_index])[day_i],
            "site_code": sites.code.to_numpy()[site_i],
            "age_group": np.array([age for age, _ in keys])[key_i],
            "dose_number": np.array([dose for _, dose in keys])[key_i],
            "doses": given[day_i, key_i, site_i],
        }
    )
    doses = doses.sort_values(["day", "site_code", "age_group", "dose_number"], kind="stable", ignore_index=True)
    return sites, targets, doses


def _in_cartons(doses: float) -> int:
    return int(np.ceil(max(doses, 0) / VACCINE_CARTON)) * VACCINE_CARTON


def vaccine_deliveries(given: np.ndarray, interval: int, phase: int, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """A district depot's vaccine stock at the start and its deliveries per day, for the
    doses its sites give per day (``given``): a batch every ``interval`` days from day
    ``phase`` on, ordered up to the planned use (sites book by appointment) until the next
    batch plus ``VACCINE_SAFETY_DAYS`` of working stock, in whole cartons. The stock
    therefore never runs out: cumulative deliveries always cover cumulative doses."""
    n_days = len(given)
    recent = float(given[-7:].mean()) if n_days else 0.0
    planned = np.concatenate([given, np.full(interval + VACCINE_SAFETY_DAYS, recent)]).astype(float)
    opening = _in_cartons(planned[: phase + VACCINE_SAFETY_DAYS].sum())
    inbound = np.zeros(n_days, dtype=np.int64)
    stock = opening
    for t in range(n_days):
        if t >= phase and (t - phase) % interval == 0:
            wanted = planned[t : t + interval + VACCINE_SAFETY_DAYS].sum() * rng.uniform(1.0, 1.1)
            inbound[t] = _in_cartons(wanted - stock)
        stock += inbound[t] - int(given[t])
    return opening, inbound


def plant_vaccine_shortage(
    opening: int, inbound: np.ndarray, given: np.ndarray, start: int, days: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """The depot's books for a shortage on days ``start`` … ``start + days - 1``: the last
    booking (the opening stock or a batch) before it is cut so the depot runs dry at the end
    of day ``start - 1``; batches after it are held up; the sites give doses from an
    emergency lot sent straight to them, which the depot books on day ``start + days`` with
    the held-up batches (and, as outbound, the doses the lot gave). From then on the books
    are as before. Returns (opening stock, inbound, outbound) per day; doses given exceed
    doses delivered on the shortage days and on no other."""
    booked = np.concatenate([[opening], inbound]).astype(np.int64)  # booked[t + 1]: day t's deliveries
    total = np.cumsum(booked)  # total[t + 1]: everything booked up to the end of day t
    used = np.cumsum(given)
    level = int(used[start - 1])
    cut = max(j for j in range(start + 1) if j == 0 or (booked[j] > 0 and total[j] - booked[j] <= level))
    booked[cut] = level - (total[cut] - booked[cut])
    booked[cut + 1 : start + days + 1] = 0
    booked[start + days + 1] = total[start + days + 1] - level
    outbound = np.asarray(given, dtype=np.int64).copy()
    outbound[start : start + days] = 0
    outbound[start + days] = used[start + days] - level
    return int(booked[0]), booked[1:], outbound


def build_vaccine_ledger(
    districts: pd.DataFrame, sites: pd.DataFrame, doses: pd.DataFrame, day_index: pd.DatetimeIndex, rng: np.random.Generator
) -> pd.DataFrame:
    """Vaccine (item ``VACCINE``) in each district depot's supply ledger: deliveries
    allocated from above (``inbound_allocated``), doses drawn by the district's sites as
    they give them (``outbound_frontline``), and, in the last district, the one planted
    shortage (``plant_vaccine_shortage``, see the module docstring)."""
    n_days = len(day_index)
    day_of = {d.date(): i for i, d in enumerate(day_index)}
    district_of_site = sites.set_index("code").district_index
    given = np.zeros((len(districts), n_days), dtype=np.int64)
    np.add.at(given, (doses.site_code.map(district_of_site).to_numpy(), doses.day.map(day_of).to_numpy()), doses.doses.to_numpy())
    shortage_start = n_days - 1 - VACCINE_SHORTAGE_DAYS - 1  # booked on the day before the last
    frames = []
    for d, district in districts.iterrows():
        interval = int(rng.integers(VACCINE_DELIVERY_INTERVAL[0], VACCINE_DELIVERY_INTERVAL[1] + 1))
        opening, inbound = vaccine_deliveries(given[d], interval, int(rng.integers(interval)), rng)
        outbound = given[d]
        if d == len(districts) - 1 and shortage_start >= 1:
            opening, inbound, outbound = plant_vaccine_shortage(opening, inbound, given[d], shortage_start, VACCINE_SHORTAGE_DAYS)
        closing = opening + np.cumsum(inbound) - np.cumsum(outbound)
        frames.append(
            pd.DataFrame(
                {
                    "day": [day.date() for day in day_index],
                    "warehouse_code": f"WH{district.code}",
                    "item_code": VACCINE_ITEM,
                    "opening_stock": np.concatenate([[opening], closing[:-1]]),
                    "inbound_procured": 0,
                    "inbound_allocated": inbound,
                    "inbound_donated": 0,
                    "outbound_frontline": outbound,
                    "closing_stock": closing,
                    "production_capacity": 0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def build_grid_daily(areas: pd.DataFrame, wave: np.ndarray, day_index: pd.DatetimeIndex, rng: np.random.Generator):
    """Yield one DataFrame of grid-unit activity per day (kept per day: 60,000 units × 365 days)."""
    units = areas[areas.level == "grid"].reset_index(drop=True)
    districts = areas[areas.level == "district"].reset_index(drop=True)
    d_index = {code: i for i, code in enumerate(districts.code)}
    unit_district = units.district_code.map(d_index).to_numpy()
    communities = units.community_code.astype("category")
    community_index = communities.cat.codes.to_numpy()
    community_factor = rng.lognormal(0, 0.6, len(communities.cat.categories))
    unit_offset = rng.normal(0, 0.35, len(units))
    workers = rng.integers(1, 5, len(units))
    households = units.households.to_numpy()
    residents = units.residents.to_numpy()
    codes = units.code.to_numpy()
    for t in range(len(day_index)):
        w = wave[unit_district, t] * community_factor[community_index]
        score = np.clip(w * 3.2 + unit_offset, 0, None)
        colour = np.select([score > 2.4, score > 1.5, score > 0.7], [3, 2, 1], 0)
        visited = rng.binomial(households, np.clip(0.04 + 0.9 * np.minimum(w, 1), 0, 1))
        yield pd.DataFrame(
            {
                "day": day_index[t].date(),
                "unit_code": codes,
                "households_visited": visited,
                "people_screened": rng.binomial(np.round(visited * 2.7).astype(np.int64), 0.95),
                "home_observation": rng.poisson(residents * 0.004 * np.minimum(w, 1.5)),
                "key_close_contacts": rng.poisson(residents * 0.0015 * np.minimum(w, 1.5)),
                "key_risk_area_returnees": rng.poisson(residents * 0.0006 * (0.2 + w)),
                "key_inbound_travellers": rng.poisson(residents * 0.0002 * np.ones(len(units))),
                "workers_on_duty": workers - rng.binomial(workers, 0.05),
                "risk_colour": colour,
            }
        )


# ------------------------------------------------------------------ writing
def _drop_missing_reports(
    frame: pd.DataFrame, unit_column: str, rng: np.random.Generator, rate: float, last_day_missing: int
) -> pd.DataFrame:
    """Remove a few (unit, day) reports, and a few units' reports on the last day."""
    keys = frame[[unit_column, "day"]].drop_duplicates()
    drop = keys.sample(frac=rate, random_state=int(rng.integers(2**31))) if rate else keys.iloc[:0]
    last_day = frame["day"].max()
    late_units = keys[keys.day == last_day][unit_column].drop_duplicates()
    late = late_units.sample(n=min(last_day_missing, len(late_units)), random_state=int(rng.integers(2**31)))
    drop = pd.concat([drop, pd.DataFrame({unit_column: late.to_numpy(), "day": last_day})]).drop_duplicates()
    marked = frame.merge(drop.assign(_drop=True), on=[unit_column, "day"], how="left")
    return frame[marked["_drop"].isna().to_numpy()]


def _submissions(report_type: str, frame: pd.DataFrame, unit_column: str, reported_at: dt.datetime) -> pd.DataFrame:
    keys = frame[[unit_column, "day"]].drop_duplicates().rename(columns={unit_column: "unit_code"})
    return keys.assign(report_type=report_type, import_id=None, reported_at=reported_at)


def _in_key_order(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Rows in primary-key order, so loading appends to the key's B-tree instead of
    scattering over it (the stored rows are the same)."""
    return frame.sort_values([c.name for c in table.primary_key.columns], kind="stable")


@contextmanager
def _bulk_loading(conn: Connection, tables: list[Table]):
    """Load ``tables`` without their secondary indexes, roll-up marking triggers and (on
    PostgreSQL) foreign keys, then build each index in one pass, check each foreign key in
    one query and put the triggers back: at city scale (22 M grid rows) upkeep row by row
    would take most of the time. Roll-ups are rebuilt whole afterwards (refresh_all).
    MySQL keeps its indexes: InnoDB will not drop one that a foreign key uses."""
    marked = [t for t in tables if any(r.detail is t for r in AREA_ROLLUPS)]
    indexes = [index for table in tables for index in table.indexes] if not is_mysql(conn) else []
    foreign_keys = [fk for table in tables for fk in table.foreign_key_constraints] if conn.dialect.name == "postgresql" else []
    for index in indexes:
        index.drop(conn)
    for foreign_key in foreign_keys:
        conn.execute(DropConstraint(foreign_key))
    drop_marking_triggers(conn, marked)
    yield
    for index in indexes:
        index.create(conn)
    for foreign_key in foreign_keys:
        conn.execute(AddConstraint(foreign_key))
    create_marking_triggers(conn, marked)


@contextmanager
def _without_statement_timeout(conn: Connection):
    """Generating is a batch job: the statement timeout is meant for page queries
    (PostgreSQL's for the transaction; MySQL's and its socket's for the block)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
    with long_statements(conn):
        yield


def clear_database(engine: Engine) -> None:
    with engine.begin() as conn, _without_statement_timeout(conn):
        for table in reversed(s.metadata.sorted_tables):
            if table.name != "alembic_version":
                conn.execute(delete(table))


def _write_facts(
    conn: Connection, areas, scale: Scale, wave, day_index, reported_at, rng, started: float, log, control_rng
) -> None:
    """Checkpoints, testing, supplies, vaccination and grid units with their figures and
    report submissions (the random draws in the same order as always, so a seed gives the
    same city); then isolation and inspections, drawn from ``control_rng``."""
    checkpoints = build_checkpoints(areas, scale, rng)
    bulk_insert(conn, s.checkpoint, checkpoints)
    hourly = checkpoint_hourly_frame(checkpoints, day_index, wave, rng)
    hourly = _drop_missing_reports(hourly, "checkpoint_code", rng, 0.004, 2)
    bulk_insert(conn, s.checkpoint_hourly, _in_key_order(hourly, s.checkpoint_hourly))
    submissions = [_submissions("checkpoint", hourly, "checkpoint_code", reported_at)]
    log(f"checkpoints: {len(checkpoints):,}, hourly rows: {len(hourly):,} ({time.perf_counter() - started:.1f}s)")
    del hourly

    sites, labs, testing, lab_days, rounds = build_testing(areas, scale, wave, day_index, rng)
    bulk_insert(conn, s.sampling_site, sites)
    bulk_insert(conn, s.lab, labs)
    testing = _drop_missing_reports(testing, "site_code", rng, 0.003, 3)
    bulk_insert(conn, s.testing_daily, testing)
    bulk_insert(conn, s.lab_daily, lab_days)
    bulk_insert(conn, s.testing_round, rounds)
    submissions.append(_submissions("testing", testing, "site_code", reported_at))
    positives = isolation_inspections.street_positives(testing, sites, areas, day_index)
    log(f"testing: {len(sites):,} sites, {len(testing):,} rows ({time.perf_counter() - started:.1f}s)")

    items, warehouses, ledger = build_supplies(areas, wave, day_index, rng)
    bulk_insert(conn, s.supply_item, items)
    bulk_insert(conn, s.warehouse, warehouses)
    bulk_insert(conn, s.supply_ledger, ledger)
    submissions.append(_submissions("supplies", ledger, "warehouse_code", reported_at))
    log(f"supplies: {len(ledger):,} ledger rows ({time.perf_counter() - started:.1f}s)")

    v_sites, targets, doses = build_vaccination(areas, wave, day_index, rng)
    bulk_insert(conn, s.vaccination_site, v_sites)
    bulk_insert(conn, s.vaccination_target, targets)
    bulk_insert(conn, s.vaccination_daily, doses)
    submissions.append(_submissions("vaccination", doses, "site_code", reported_at))
    vaccine = build_vaccine_ledger(areas[areas.level == "district"].reset_index(drop=True), v_sites, doses, day_index, rng)
    bulk_insert(conn, s.supply_ledger, vaccine)
    log(
        f"vaccination: {len(v_sites):,} sites, {len(doses):,} rows, {len(vaccine):,} vaccine ledger rows ({time.perf_counter() - started:.1f}s)"
    )

    late_communities = set(areas[areas.level == "community"].code.sample(n=2, random_state=int(rng.integers(2**31))))
    unit_community = areas.set_index("code").community_code
    grid_rows = 0
    for day_frame in build_grid_daily(areas, wave, day_index, rng):
        if day_frame["day"].iloc[0] == day_index[-1].date():
            day_frame = day_frame[~day_frame.unit_code.map(unit_community).isin(late_communities)]
        grid_rows += bulk_insert(conn, s.grid_daily, day_frame)
        communities = day_frame.unit_code.map(unit_community).drop_duplicates()
        submissions.append(
            pd.DataFrame(
                {
                    "report_type": "grid",
                    "unit_code": communities.to_numpy(),
                    "day": day_frame["day"].iloc[0],
                    "reported_at": reported_at,
                }
            )
        )
    log(f"grid: {grid_rows:,} unit-days ({time.perf_counter() - started:.1f}s)")

    control = isolation_inspections.build(areas, positives, wave, day_index, reported_at, control_rng)
    bulk_insert(conn, s.isolation_site, control.sites)
    bulk_insert(conn, s.isolation_site_daily, control.site_days)
    bulk_insert(conn, s.isolation_people_daily, control.people)
    bulk_insert(conn, s.inspection_team, control.teams)
    bulk_insert(conn, s.inspection_daily, control.inspections)
    submissions.append(control.submissions)
    log(
        f"isolation: {len(control.sites):,} sites, {len(control.site_days):,} site-days, {len(control.people):,} street rows; "
        f"inspections: {len(control.teams):,} teams, {len(control.inspections):,} rows ({time.perf_counter() - started:.1f}s)"
    )
    submitted = pd.concat(submissions, ignore_index=True)
    submitted["reported_at"] = report_times(submitted)
    bulk_insert(conn, s.report_submission, _in_key_order(submitted, s.report_submission))


REPORTS_FROM_HOUR = 7  # a day's reports arrive from 07:00 the next morning, local time …
ON_TIME_MINUTES = 180  # … through 09:59, before the 10:00 deadline (data_checks.REPORT_DEADLINE_HOUR)
LATE_PER_THOUSAND = 40  # 4 % come in late, between 10:00 and 14:59
LATE_MINUTES = 300


def report_times(submitted: pd.DataFrame) -> pd.Series:
    """When each report (report_type, unit_code, day) arrived: the next morning, mostly
    before the deadline, some late, as a command centre's inbox fills. Fixed by the
    report's key (a hash, not the random generator), so the rest of the city is the same
    for a seed whatever these times are."""
    key = pd.util.hash_pandas_object(submitted[["report_type", "unit_code", "day"]].astype(str), index=False).to_numpy()
    late = key % 1000 < LATE_PER_THOUSAND
    minutes = np.where(late, ON_TIME_MINUTES + (key // 1000) % LATE_MINUTES, (key // 1000) % ON_TIME_MINUTES)
    local_midnight = pd.to_datetime(submitted["day"]) + pd.Timedelta(days=1)
    arrived = local_midnight + pd.to_timedelta(REPORTS_FROM_HOUR * 60 + minutes.astype("int64"), unit="min")
    return arrived.dt.tz_localize(dt.timezone(dt.timedelta(hours=8))).dt.tz_convert("UTC")


def generate(engine: Engine, scale_name: str = "small", seed: int = 42, end_date: dt.date = DEFAULT_END_DATE, log=print) -> dict:
    """Write the sample city for ``scale_name``/``seed`` into ``engine``'s database."""
    scale = SCALES[scale_name]
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    upgrade_schema(engine)
    clear_database(engine)
    day_index = pd.date_range(end=pd.Timestamp(end_date), periods=scale.days, freq="D")
    reported_at = dt.datetime.combine(end_date, dt.time(23, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))

    areas = build_areas(scale, rng)
    log(f"areas: {len(areas):,} ({time.perf_counter() - started:.1f}s)")
    districts = areas[areas.level == "district"].reset_index(drop=True)
    wave = wave_by_district(districts, scale.days, rng)

    with engine.begin() as conn, _without_statement_timeout(conn):
        bulk_insert(conn, s.area, areas.drop(columns=["_poly"]))
        conn.execute(
            insert(s.dataset_info),
            [
                {"key": "kind", "value": "sample"},
                {"key": "scale", "value": scale_name},
                {"key": "seed", "value": str(seed)},
                {"key": "first_day", "value": day_index[0].date().isoformat()},
                {"key": "last_day", "value": day_index[-1].date().isoformat()},
                {"key": "city_code", "value": CITY_CODE},
            ],
        )

        facts = [
            s.checkpoint_hourly,
            s.checkpoint_daily,
            s.testing_daily,
            s.vaccination_daily,
            s.grid_daily,
            s.isolation_site_daily,
            s.isolation_people_daily,
            s.inspection_daily,
            s.report_submission,
        ]
        # Isolation and inspections draw from a generator of their own: the rest of the city
        # stays as it was before they were added.
        control_rng = np.random.default_rng([seed, 13])
        with _bulk_loading(conn, facts):
            _write_facts(conn, areas, scale, wave, day_index, reported_at, rng, started, log, control_rng)
        log(f"indexes and keys ({time.perf_counter() - started:.1f}s)")
        if conn.dialect.name == "postgresql":  # statistics for the roll-ups' plans (SQLite's come last)
            for table in facts:
                conn.exec_driver_sql(f"ANALYZE {table.name}")
        refresh_all(conn)
        log(f"roll-ups ({time.perf_counter() - started:.1f}s)")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    elif is_mysql(engine):  # MySQL analyses one table at a time
        with engine.begin() as conn, _without_statement_timeout(conn):
            conn.exec_driver_sql("ANALYZE TABLE " + ", ".join(table.name for table in s.metadata.sorted_tables))
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    elapsed = time.perf_counter() - started
    log(f"done in {elapsed:.1f}s")
    return {"scale": scale_name, "seed": seed, "areas": len(areas), "seconds": elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=DEFAULT_END_DATE)
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL / the embedded SQLite file")
    args = parser.parse_args(argv)
    url = args.database_url or database_url()
    print(f"Writing sample city ({args.scale}, seed {args.seed}) to {get_engine(url).url.render_as_string(hide_password=True)}")
    generate(get_engine(url), args.scale, args.seed, args.end_date)
    return 0


if __name__ == "__main__":
    sys.exit(main())
