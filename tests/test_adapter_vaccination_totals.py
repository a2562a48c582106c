"""The vaccination roll-up's totals (``rollups.VACCINATION.totals``): per area and day, the
roll-up summed over site kinds and age groups, on every engine, after the fixture's full
rebuild and after a plain write marks a day that the next read rebuilds. (An import's
rebuild of its own units' areas: ``test_ingest_replace``.)"""

from __future__ import annotations

from sqlalchemy import select

from data_access import rollups
from data_access import schema as s
from tests.fixtures_data import D2, VS_AF1
from tests.intake_support import fresh_city  # noqa: F401  (fixture)
from tests.test_ingest_replace import select_all

TOTALS = "SELECT area_code, day, dose1, dose2, booster, doses FROM vaccination_area_totals"
SUMMED = (
    "SELECT area_code, day, SUM(dose1), SUM(dose2), SUM(booster), SUM(doses) FROM vaccination_area_daily GROUP BY area_code, day"
)
DETAIL_ON_D2 = (
    "SELECT SUM(v.doses) FROM vaccination_daily v JOIN vaccination_site vs ON vs.code = v.site_code "
    "JOIN area a ON a.code = vs.area_code WHERE a.district_code = :district AND v.day = :day"
)


def test_the_totals_are_the_roll_up_summed_over_its_keys(engine):
    assert rollups.VACCINATION.usable(engine, "district")  # the fixture's days rebuilt
    totals = select_all(engine, TOTALS)
    assert totals == select_all(engine, SUMMED) and totals


def test_a_plain_write_marks_its_day_and_the_next_read_rebuilds_the_totals(fresh_city):  # noqa: F811
    engine = fresh_city
    assert rollups.VACCINATION.usable(engine, "district")
    v = s.vaccination_daily.c
    with engine.begin() as conn:
        conn.execute(s.vaccination_daily.delete().where(v.day == D2, v.site_code == VS_AF1))
        marked = conn.execute(select(s.rollup_dirty.c.day).where(s.rollup_dirty.c.detail_table == "vaccination_daily")).all()
    assert [str(day) for (day,) in marked] == [str(D2)]
    assert rollups.VACCINATION.usable(engine, "district")  # rebuilds the marked day
    totals = select_all(engine, TOTALS)
    assert totals == select_all(engine, SUMMED)
    with engine.connect() as conn:
        district = conn.execute(
            select(s.area.c.district_code)
            .join(s.vaccination_site, s.vaccination_site.c.area_code == s.area.c.code)
            .where(s.vaccination_site.c.code == VS_AF1)
        ).scalar_one()
        from sqlalchemy import text

        given = conn.execute(text(DETAIL_ON_D2), {"district": district, "day": D2}).scalar() or 0
    on_d2 = [row for row in totals if row[0] == district and row[1] == str(D2)]
    assert [int(row[5]) for row in on_d2] == ([int(given)] if given else [])
