"""Isolation 隔离管控 and inspections 督导检查 in the sample city, calibrated to the seed reports.

Isolation: each street's people under management follow its positives (the testing
figures): about ``CONTACTS_PER_CASE`` close contacts are traced per positive the same day,
1.5 secondary contacts per close contact, discharged patients come back 21 days after
their positive test and are isolated again for 14 days (Zhumadian); arrivals from risk
areas and from abroad come steadily in proportion to residents. Each category is split
over measures and kept its days (``RULES``: close contacts 14 days, centralised for most,
as in Jiading, then 7 days of home monitoring). People found positive while isolated
leave early; they count as released. Centralised isolation is housed in each district's
sites, one person per room (单人单间, Zhumadian), rooms sized so that each district's
busiest day fills 72–97 % of them.

Inspections: teams of four agencies (market regulation, health supervision, medical
insurance, commerce) per district check pharmacies, markets and supermarkets,
restaurants, public venues and cold-chain stores at Zhumadian's rate scaled to
residents (about 1,000 entity checks and 1,800 inspector-visits a day for 7 million
people, more in the wave); 90–97 % pass, failures are put right on the spot (60 %) or
within 3 days, a tenth late; penalties about 2 per 1,000 checks and masks seized about
4–5 per check, as Zhumadian's totals (48,000 checks, 110 penalty cases, 216,000 masks).

Deliberate flaws (everything else holds together), with E the last day:
- overdue releases: in the street with the most close contacts in centralised isolation
  due to be released on E−2, that cohort is held on: overdue on E−2, E−1 and E;
- a single-room breach: the site holding most people on E has people above its occupied
  rooms (families put together) on E−3 … E;
- a falling pass rate: in the most inspected street, checks pass at 70 % over E−6 … E,
  and half of the problems found there from E−9 to E−4 are not put right by the end;
- missing reports on E: two streets' isolation report, one site's, one team's.

Drawn from a generator of its own (seeded from the city's seed), so the rest of the city
is the same as without this domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access import schema as s

CONTACTS_PER_CASE = 6.0
SECONDARY_PER_CONTACT = 1.5
RECOVERY_DAYS = 21  # from a positive test to discharge, when a discharged patient is isolated again
PRE_DAYS = 21  # simulated before the first day, so stocks start settled
# Daily intake per resident of the steady categories (Jiading: ~27,000 risk-area arrivals in 55
# days for 1.8 M people during the Spring Festival return; this is a quieter year's rate).
ARRIVAL_RATE = {"risk_area_arrival": 5e-5, "inbound_arrival": 1e-5, "other": 4e-6}
# Daily chance that a person isolated turns out positive (and leaves for hospital), at the wave's peak.
CASE_HAZARD = {"close_contact": 0.003, "secondary_contact": 0.0005}


@dataclass(frozen=True)
class Rule:
    category: str
    measure: str
    share: float  # of the category's intake
    days: int  # kept this long, then released


RULES = (
    Rule("close_contact", "centralised", 0.9, 14),
    Rule("close_contact", "home_isolation", 0.1, 14),
    Rule("secondary_contact", "centralised", 0.3, 7),
    Rule("secondary_contact", "home_isolation", 0.7, 7),
    Rule("risk_area_arrival", "home_monitoring", 0.8, 14),
    Rule("risk_area_arrival", "home_isolation", 0.15, 14),
    Rule("risk_area_arrival", "centralised", 0.05, 14),
    Rule("inbound_arrival", "centralised", 0.7, 14),
    Rule("inbound_arrival", "home_isolation", 0.3, 14),
    Rule("discharged", "centralised", 0.7, 14),
    Rule("discharged", "home_monitoring", 0.3, 14),
    Rule("other", "home_monitoring", 1.0, 7),
)
# Close contacts released from isolation are watched 7 more days at home ("14+7").
FOLLOW_ON_MONITORING_DAYS = 7

PEAK_OCCUPANCY = (0.72, 0.97)  # of a district's rooms on its busiest day
ROOMS_PER_SITE = 180

# Inspections: Zhumadian's 1,000+ entity checks and 1,800 inspector-visits a day, 7 M people.
CHECKS_PER_RESIDENT_DAY = 1_150 / 7_000_000  # × (0.9 + 0.5 × wave) × weekday: ~1,000 a day on average
AGENCIES = {
    # agency: (Chinese, English, share of the district's checks, entity types it checks with weights)
    "market_regulation": ("市场监管", "market regulation", 0.45,
                          {"pharmacy": 0.25, "market": 0.3, "restaurant": 0.3, "cold_chain": 0.15}),
    "health_supervision": ("卫生监督", "health supervision", 0.2, {"restaurant": 0.4, "public_venue": 0.6}),
    "medical_insurance": ("医保", "medical insurance", 0.15, {"pharmacy": 1.0}),
    "commerce": ("商务", "commerce", 0.2, {"market": 0.7, "cold_chain": 0.3}),
}  # fmt: skip
ITEM_FAILURE = {"mask": 0.35, "codes": 0.3, "temperature": 0.2, "scan": 0.3, "register": 0.35}  # of failed checks
ON_THE_SPOT = 0.6
# Problems not put right on the spot: fixed 1, 2 or 3 days on (in time), or 4–8 days on (late).
FIX_SLOTS = np.array([0.3, 0.3, 0.3, 0.02, 0.02, 0.02, 0.02, 0.02])
DEADLINE_DAYS = 3
PLANTED_PASS_RATE = 0.7


# ------------------------------------------------------------------ isolation
def _cohorts(new_in: np.ndarray, days: int, hazard: np.ndarray, rng, hold: tuple[int, int] | None = None) -> dict:
    """People admitted each day (``new_in``: streets × days) kept ``days`` days; each day a
    share ``hazard`` (per day) of those held turns positive and leaves at once. ``hold``
    (street, day): the cohort due that day is held on to the end (overdue). Returns per
    street and day: new_in, released (due + cases), held and overdue at the day's end,
    completed (released at the end of their stay) and cases."""
    streets, n_days = new_in.shape
    ring = np.zeros((streets, days), dtype=np.int64)
    kept = np.zeros(streets, dtype=np.int64)
    out = {name: np.zeros((streets, n_days), dtype=np.int64) for name in ("released", "held", "overdue", "completed", "cases")}
    for t in range(n_days):
        cases = rng.binomial(ring, hazard[:, t : t + 1]) if hazard[:, t].any() else np.zeros_like(ring)
        ring -= cases
        slot = t % days
        due = ring[:, slot].copy()
        if hold is not None and t == hold[1]:
            kept[hold[0]] += due[hold[0]]
            due[hold[0]] = 0
        ring[:, slot] = new_in[:, t]
        out["completed"][:, t] = due
        out["cases"][:, t] = cases.sum(axis=1)
        out["released"][:, t] = due + out["cases"][:, t]
        out["held"][:, t] = ring.sum(axis=1) + kept
        out["overdue"][:, t] = kept
    out["new_in"] = new_in
    return out


def street_positives(testing: pd.DataFrame, sites: pd.DataFrame, areas: pd.DataFrame, day_index: pd.DatetimeIndex) -> np.ndarray:
    """Positives per street (in ``areas``' street order) and day, from the testing figures."""
    streets = areas[areas.level == "street"].code.to_numpy()
    street_of_site = sites.set_index("code").area_code.map(areas.set_index("code").street_code)
    days = {d.date(): i for i, d in enumerate(day_index)}
    result = np.zeros((len(streets), len(day_index)), dtype=np.int64)
    rows = pd.Index(streets).get_indexer(testing.site_code.map(street_of_site))
    np.add.at(result, (rows, testing.day.map(days).to_numpy()), testing.positives.to_numpy())
    return result


def build_isolation_people(areas: pd.DataFrame, positives: np.ndarray, wave: np.ndarray, rng) -> dict:
    """Per (category, measure): new_in, released, held, overdue, completed and cases per
    street and day (``PRE_DAYS`` simulated days first), and the planted overdue cohort."""
    streets = areas[areas.level == "street"].reset_index(drop=True)
    districts = list(areas[areas.level == "district"].code)
    district_of = pd.Index(districts).get_indexer(streets.district_code)
    residents = streets.residents.to_numpy(dtype=float)
    n_streets, n_days = positives.shape
    total_days = PRE_DAYS + n_days
    # The simulated days before the first repeat the first day's rates.
    found = np.concatenate([np.repeat(positives[:, :1], PRE_DAYS, axis=1), positives], axis=1)
    w = wave[district_of]
    w = np.concatenate([np.repeat(w[:, :1], PRE_DAYS, axis=1), w], axis=1)

    intake = {
        "close_contact": rng.poisson(found * CONTACTS_PER_CASE),
        "discharged": rng.binomial(np.concatenate([np.zeros((n_streets, RECOVERY_DAYS), dtype=np.int64), found], axis=1)[
            :, :total_days], 0.97),
    }  # fmt: skip
    intake["secondary_contact"] = rng.poisson(intake["close_contact"] * SECONDARY_PER_CONTACT)
    for category, rate in ARRIVAL_RATE.items():
        intake[category] = rng.poisson(np.repeat(residents[:, None] * rate, total_days, axis=1))
    hazard_scale = np.minimum(w, 1.0)
    result = {}
    # The planted cohort: the street with the most close contacts due to leave central isolation on E−2.
    due_day = total_days - 3
    for category in ("close_contact", "secondary_contact", "risk_area_arrival", "inbound_arrival", "discharged", "other"):
        rules = [r for r in RULES if r.category == category]
        split = _split(intake[category], [r.share for r in rules], rng)
        for rule, new_in in zip(rules, split, strict=True):
            hazard = CASE_HAZARD.get(category, 0.0) * hazard_scale
            if rule.measure == "home_monitoring" or category not in CASE_HAZARD:
                hazard = np.zeros_like(hazard_scale)
            hold = None
            if (category, rule.measure) == ("close_contact", "centralised"):
                due = new_in[:, due_day - rule.days]
                hold = (int(np.argmax(due)), due_day)
            result[(category, rule.measure)] = _cohorts(new_in, rule.days, hazard, rng, hold)
    follow_on = result[("close_contact", "centralised")]["completed"] + result[("close_contact", "home_isolation")]["completed"]
    result[("close_contact", "home_monitoring")] = _cohorts(
        follow_on, FOLLOW_ON_MONITORING_DAYS, np.zeros_like(hazard_scale), rng
    )
    return result


def _split(counts: np.ndarray, shares: list[float], rng) -> list[np.ndarray]:
    """``counts`` split at random into parts with these ``shares`` (summing to 1)."""
    parts, left, share_left = [], counts.copy(), 1.0
    for share in shares[:-1]:
        part = rng.binomial(left, min(1.0, share / share_left))
        parts.append(part)
        left = left - part
        share_left -= share
    return [*parts, left]


def people_frame(simulated: dict, areas: pd.DataFrame, day_index: pd.DatetimeIndex) -> pd.DataFrame:
    """The isolation_people_daily rows of the period: every non-zero (street, day, category, measure)."""
    streets = areas[areas.level == "street"].code.to_numpy()
    days = np.array([d.date() for d in day_index])
    frames = []
    for (category, measure), figures in simulated.items():
        counts = {name: figures[name][:, PRE_DAYS:] for name in s.ISOLATION_COUNTS}
        street_i, day_i = np.nonzero(sum(counts.values()))
        frames.append(
            pd.DataFrame(
                {
                    "day": days[day_i],
                    "area_code": streets[street_i],
                    "category": category,
                    "measure": measure,
                    **{name: values[street_i, day_i] for name, values in counts.items()},
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(s.ISOLATION_CATEGORIES)}, {m: i for i, m in enumerate(s.ISOLATION_MEASURES)}
    return frame.assign(_c=frame.category.map(order[0]), _m=frame.measure.map(order[1])).sort_values(
        ["day", "area_code", "_c", "_m"], kind="stable", ignore_index=True
    )[["day", "area_code", "category", "measure", *s.ISOLATION_COUNTS]]


def _by_district(simulated: dict, areas: pd.DataFrame, name: str) -> np.ndarray:
    """Centralised isolation's ``name`` per district and day (simulated days included)."""
    streets = areas[areas.level == "street"]
    district_of = pd.Index(areas[areas.level == "district"].code).get_indexer(streets.district_code)
    per_street = sum(f[name] for (category, measure), f in simulated.items() if measure == "centralised")
    result = np.zeros((district_of.max() + 1, per_street.shape[1]), dtype=np.int64)
    np.add.at(result, district_of, per_street)
    return result


def _shares(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``weights`` (largest remainders), none above its cap."""
    result = np.zeros(len(weights), dtype=np.int64)
    left, open_ = int(total), caps > 0
    while left > 0 and open_.any():
        w = np.where(open_, weights, 0.0)
        if w.sum() <= 0:
            w = open_.astype(float)
        exact = w / w.sum() * left
        part = np.minimum(np.floor(exact).astype(np.int64), caps - result)
        remainder = left - part.sum()
        if remainder > 0:
            order = np.argsort(-(exact - np.floor(exact)), kind="stable")
            for i in order:
                if remainder == 0:
                    break
                if open_[i] and result[i] + part[i] < caps[i]:
                    part[i] += 1
                    remainder -= 1
        result += part
        left = int(total - result.sum())
        open_ = result < caps
    return result


def build_isolation_sites(
    simulated: dict, areas: pd.DataFrame, day_index: pd.DatetimeIndex, rng
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each district's sites (rooms for its busiest day at 72–97 % occupancy) and their
    days: people in and out allocated over the district's sites (out in proportion to who
    is there, in to the free rooms, some sites preferred), one person per room except the
    planted breach."""
    held, new_in = _by_district(simulated, areas, "held"), _by_district(simulated, areas, "new_in")
    released, cases = _by_district(simulated, areas, "released"), _by_district(simulated, areas, "cases")
    districts = areas[areas.level == "district"].reset_index(drop=True)
    streets = areas[areas.level == "street"]
    sites, site_days = [], []
    for d, district in districts.iterrows():
        rooms_total = int(np.ceil(held[d].max() / rng.uniform(*PEAK_OCCUPANCY))) + 20
        n_sites = max(2, int(round(rooms_total / ROOMS_PER_SITE)))
        weights = rng.lognormal(0, 0.4, n_sites)
        rooms = np.maximum(40, np.round(weights / weights.sum() * rooms_total)).astype(np.int64)
        own = streets[streets.district_code == district.code]
        first = len(sites)
        for j in range(n_sites):
            street = own.iloc[int(rng.integers(len(own)))]
            sites.append(
                {
                    "code": f"IS{district.code}{j + 1:02d}",
                    "name_zh": f"{street.name_zh[:2]}集中隔离点{j + 1}",
                    "name_en": f"{street.name_en.split(' ')[0]} isolation site {j + 1}",
                    "area_code": street.code,
                    "rooms": int(rooms[j]),
                    "lon": round(street.lon + rng.normal(0, 0.004), 5),
                    "lat": round(street.lat + rng.normal(0, 0.004), 5),
                }
            )
        preference = rng.uniform(0.5, 2.0, n_sites)
        people = np.zeros(n_sites, dtype=np.int64)
        codes = [site["code"] for site in sites[first:]]
        for t in range(held.shape[1]):
            found = _shares(cases[d, t], people.astype(float), people)
            out = found + _shares(released[d, t] - cases[d, t], (people - found).astype(float), people - found)
            free = rooms - people + out
            came = _shares(new_in[d, t], free * preference, free)
            people = people - out + came
            staff = np.where(people > 0, 4 + np.ceil(people / 10), 2).astype(np.int64)
            if t >= PRE_DAYS:
                site_days.append(
                    pd.DataFrame(
                        {
                            "day": day_index[t - PRE_DAYS].date(),
                            "site_code": codes,
                            "rooms_occupied": people,
                            "people": people,
                            "staff": staff,
                            "new_in": came,
                            "released": out,
                            "cases_found": found,
                        }
                    )
                )
    site_frame, daily = pd.DataFrame(sites), pd.concat(site_days, ignore_index=True)
    # The planted breach: families put together on the last four days in the fullest site.
    last = daily[daily.day == day_index[-1].date()]
    fullest = last.sort_values(["people", "site_code"], ascending=[False, True]).site_code.iloc[0]
    for k, day in enumerate(day_index[-4:]):
        row = (daily.site_code == fullest) & (daily.day == day.date()) & (daily.people >= 2)
        daily.loc[row, "rooms_occupied"] = np.maximum(1, daily.loc[row, "people"] - (3 + k))
    return site_frame, daily.sort_values(["day", "site_code"], ignore_index=True)


# ------------------------------------------------------------------ inspections
def build_teams(areas: pd.DataFrame, rng) -> pd.DataFrame:
    """Four teams per district (one per agency), a second market-regulation team in the
    most populous district; based at the district."""
    districts = areas[areas.level == "district"].reset_index(drop=True)
    busiest = districts.residents.idxmax()
    teams = []
    for d, district in districts.iterrows():
        agencies = [*AGENCIES, *(["market_regulation"] if d == busiest else [])]
        for j, agency in enumerate(agencies):
            zh, en = AGENCIES[agency][:2]
            number = agencies[: j + 1].count(agency)
            teams.append(
                {
                    "code": f"IT{district.code}{j + 1:02d}",
                    "name_zh": f"{district.name_zh}{zh}督导组{number}",
                    "name_en": f"{district.name_en} {en} team {number}",
                    "agency": agency,
                    "area_code": district.code,
                    "lon": round(district.lon + rng.normal(0, 0.01), 5),
                    "lat": round(district.lat + rng.normal(0, 0.01), 5),
                    "district_index": d,
                }
            )
    return pd.DataFrame(teams)


def build_inspections(
    areas: pd.DataFrame, teams: pd.DataFrame, wave: np.ndarray, day_index: pd.DatetimeIndex, rng
) -> pd.DataFrame:
    """inspection_daily rows: per team, street of its district and kind of entity, every day
    with a check or with problems still open."""
    streets = areas[areas.level == "street"].reset_index(drop=True)
    districts = list(areas[areas.level == "district"].code)
    keys = []  # (team index, street index, entity type, expected share of the district's checks)
    for ti, team in teams.iterrows():
        own = streets.index[streets.district_code == districts[team.district_index]]
        share_of_agency = (
            AGENCIES[team.agency][2] / (teams.district_index.eq(team.district_index) & teams.agency.eq(team.agency)).sum()
        )
        street_share = streets.residents[own].to_numpy() / streets.residents[own].sum()
        for entity_type, weight in AGENCIES[team.agency][3].items():
            for si, share in zip(own, street_share, strict=True):
                keys.append((ti, si, entity_type, share_of_agency * weight * share))
    key_team = np.array([k[0] for k in keys])
    key_street = np.array([k[1] for k in keys])
    key_type = np.array([k[2] for k in keys])
    key_share = np.array([k[3] for k in keys])
    key_district = teams.district_index.to_numpy()[key_team]
    n_keys, n_days = len(keys), len(day_index)
    district_residents = areas[areas.level == "district"].residents.to_numpy()
    weekday = day_index.day_of_week.to_numpy()
    weekday_factor = np.select([weekday == 5, weekday == 6], [0.7, 0.5], 1.0)
    w = wave[key_district]
    expected = (
        district_residents[key_district, None] * CHECKS_PER_RESIDENT_DAY * key_share[:, None] * (0.9 + 0.5 * w) * weekday_factor
    )
    checks = rng.poisson(expected)
    visits = checks + rng.binomial(checks, 0.8)
    pass_rate = np.clip(rng.uniform(0.91, 0.98, len(teams))[key_team, None] - 0.03 * w, 0.5, 1.0)
    # The planted street: the most inspected one; its checks pass at 70 % on the last 7 days.
    street_checks = np.bincount(key_street, weights=checks.sum(axis=1), minlength=len(streets))
    planted = int(np.argmax(street_checks))
    at_planted = key_street == planted
    pass_rate[at_planted, -7:] = PLANTED_PASS_RATE
    passed = rng.binomial(checks, pass_rate)
    failed = checks - passed
    pharmacy = (key_type == "pharmacy")[:, None]
    items = {}
    for item, p in ITEM_FAILURE.items():
        item_failed = rng.binomial(failed, p)
        if item == "register":  # buyers of fever or cough medicine are registered at pharmacies only
            item_failed = np.where(pharmacy, item_failed, 0)
            items[f"{item}_passed"] = np.where(pharmacy, checks - item_failed, 0)
        else:
            items[f"{item}_passed"] = checks - item_failed
        items[f"{item}_failed"] = item_failed
    checklist_failed = sum(items[f"{item}_failed"] for item in ITEM_FAILURE)
    problems = np.maximum(checklist_failed + rng.binomial(failed, 0.15), failed)

    # Rectification, day by day: on the spot, in time (1–3 days on), late (4–8 days on), and
    # at the planted street from E−9 to E−4 half of the rest not at all within the period.
    on_the_spot = rng.binomial(problems, ON_THE_SPOT)
    rest = problems - on_the_spot
    stuck = np.zeros_like(rest)
    window = slice(n_days - 10, n_days - 4)
    stuck[at_planted, window] = rng.binomial(rest[at_planted, window], 0.5)
    scheduled = rest - stuck
    horizon = n_days + len(FIX_SLOTS) + 2
    fixed_in_time = np.zeros((n_keys, horizon), dtype=np.int64)
    fixed_late = np.zeros((n_keys, horizon), dtype=np.int64)
    overdue_change = np.zeros((n_keys, horizon), dtype=np.int64)
    for t in range(n_days):
        if not scheduled[:, t].any() and not stuck[:, t].any():
            continue
        slots = rng.multinomial(scheduled[:, t], FIX_SLOTS)
        for j, fixed in enumerate(slots.T, start=1):
            if j <= DEADLINE_DAYS:
                fixed_in_time[:, t + j] += fixed
            else:
                fixed_late[:, t + j] += fixed
                overdue_change[:, t + DEADLINE_DAYS + 1] += fixed  # open past the deadline …
                overdue_change[:, t + j] -= fixed  # … until the day it is fixed
        overdue_change[:, t + DEADLINE_DAYS + 1] += stuck[:, t]
    in_time = on_the_spot + fixed_in_time[:, :n_days]
    late = fixed_late[:, :n_days]
    open_problems = np.cumsum(problems - in_time - late, axis=1)
    overdue = np.cumsum(overdue_change, axis=1)[:, :n_days]
    entities_open = open_problems - open_problems // 5
    penalties = rng.binomial(failed, 0.04)
    seizures = np.where((key_type == "pharmacy")[:, None] | (key_type == "market")[:, None], rng.binomial(failed, 0.2), 0)
    masks = np.zeros_like(seizures)
    where = np.nonzero(seizures)
    masks[where] = np.round(rng.lognormal(6.0, 0.9, len(where[0])) * seizures[where]).astype(np.int64)

    figures = {
        "inspections": checks,
        "inspector_visits": visits,
        "inspections_passed": passed,
        "problems_found": problems,
        "fixed_on_time": in_time,
        "fixed_late": late,
        "open_problems": open_problems,
        "overdue": overdue,
        "entities_open": entities_open,
        "penalties": penalties,
        "masks_seized": masks,
        **items,
    }
    key_i, day_i = np.nonzero(checks + open_problems + in_time + late)
    days = np.array([d.date() for d in day_index])
    frame = pd.DataFrame(
        {
            "day": days[day_i],
            "team_code": teams.code.to_numpy()[key_team[key_i]],
            "area_code": streets.code.to_numpy()[key_street[key_i]],
            "entity_type": key_type[key_i],
            **{name: figures[name][key_i, day_i] for name in s.INSPECTION_COUNTS + s.CHECKLIST_COUNTS},
        }
    )
    return frame.sort_values(["day", "team_code", "area_code", "entity_type"], kind="stable", ignore_index=True)


# ------------------------------------------------------------------ everything, with the missing reports
@dataclass
class Control:
    """The domain's tables as frames, and its report submissions."""

    sites: pd.DataFrame
    site_days: pd.DataFrame
    people: pd.DataFrame
    teams: pd.DataFrame
    inspections: pd.DataFrame
    submissions: pd.DataFrame


def build(
    areas: pd.DataFrame,
    positives: np.ndarray,
    wave: np.ndarray,
    day_index: pd.DatetimeIndex,
    reported_at: dt.datetime,
    rng: np.random.Generator,
) -> Control:
    simulated = build_isolation_people(areas, positives, wave, rng)
    people = people_frame(simulated, areas, day_index)
    sites, site_days = build_isolation_sites(simulated, areas, day_index, rng)
    teams = build_teams(areas, rng)
    inspections = build_inspections(areas, teams, wave, day_index, rng)
    last = day_index[-1].date()
    streets = areas[areas.level == "street"].code.to_numpy()
    late_streets = set(rng.choice(streets, size=min(2, len(streets)), replace=False))
    late_site = str(rng.choice(sites.code.to_numpy()))
    late_team = str(rng.choice(teams.code.to_numpy()))
    people = people[~((people.day == last) & people.area_code.isin(late_streets))].reset_index(drop=True)
    site_days = site_days[~((site_days.day == last) & (site_days.site_code == late_site))].reset_index(drop=True)
    inspections = inspections[~((inspections.day == last) & (inspections.team_code == late_team))].reset_index(drop=True)
    days = np.array([d.date() for d in day_index])

    def every_day(report_type: str, units, late: set) -> pd.DataFrame:
        units = np.asarray(units)
        frame = pd.DataFrame({"unit_code": np.tile(units, len(days)), "day": np.repeat(days, len(units))})
        frame = frame[~((frame.day == last) & frame.unit_code.isin(late))]
        return frame.assign(report_type=report_type, import_id=None, reported_at=reported_at)

    submissions = pd.concat(
        [
            every_day("isolation_people", streets, late_streets),
            every_day("isolation_site", sites.code, {late_site}),
            every_day("inspection", teams.code, {late_team}),
        ],
        ignore_index=True,
    )
    return Control(sites, site_days, people, teams.drop(columns=["district_index"]), inspections, submissions)
