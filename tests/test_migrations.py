"""Alembic migrations build exactly the schema data_access.schema declares, on every engine,
and a failed upgrade leaves nothing half made."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import DBAPIError

from data_access import rollups
from data_access.engine import alembic_config, upgrade_schema
from data_access.schema import area, metadata


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, metadata)


def head_revision(engine) -> str:
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    (head,) = script.get_heads()  # one line of history, no branches
    return head


def test_upgrade_on_an_empty_database_matches_the_declared_schema(empty_engine):
    upgrade_schema(empty_engine)
    assert schema_differences(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert tables == set(metadata.tables) | {"alembic_version"}
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision(empty_engine)


def test_the_comparison_sees_a_difference(empty_engine):
    # The check above can fail: a column the migrations never made is reported.
    upgrade_schema(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(text("ALTER TABLE dataset_info ADD COLUMN stray INTEGER"))
    differences = schema_differences(empty_engine)
    assert [d[0] for d in differences] == ["remove_column"]
    assert differences[0][3].name == "stray"


def test_upgrade_twice_is_harmless(engine):
    # The shared dataset's database: already at head, so nothing changes and no row is lost.
    upgrade_schema(engine)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM area")).scalar_one() == 21


def test_downgrade_to_nothing_and_back(empty_engine):
    upgrade_schema(empty_engine)
    cfg = alembic_config(empty_engine.url.render_as_string(hide_password=False))
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade_schema(empty_engine)
    assert schema_differences(empty_engine) == []


# ------------------------------------------------------------------ a failed upgrade
# SQLite and PostgreSQL roll the upgrade's transaction back; MySQL commits every CREATE at
# once, so data_access.mysql undoes what the failed upgrade made. Either way nothing of it
# stays and the next run succeeds.
def trigger_names(engine) -> set[str]:
    queries = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)",
        "mysql": "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
    }
    with engine.connect() as conn:
        return set(conn.exec_driver_sql(queries[engine.dialect.name]).scalars())


def test_a_failed_first_upgrade_leaves_nothing_behind(empty_engine):
    with empty_engine.begin() as conn:  # in the way of the initial migration, half way through
        conn.execute(text("CREATE TABLE vaccination_daily (stray INTEGER)"))
    with pytest.raises(DBAPIError):
        upgrade_schema(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == {"vaccination_daily"}
    with empty_engine.begin() as conn:
        conn.execute(text("DROP TABLE vaccination_daily"))
    upgrade_schema(empty_engine)  # no "table already exists"
    assert schema_differences(empty_engine) == []


def test_a_failed_later_migration_is_undone_and_the_next_run_finishes(empty_engine, monkeypatch):
    cfg = alembic_config(empty_engine.url.render_as_string(hide_password=False))
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    tables_at_0001 = set(inspect(empty_engine).get_table_names())

    create_triggers = rollups.create_marking_triggers

    def first_triggers_then_failure(conn, tables=None):
        # 0002 has made and filled its tables and the first triggers exist when it fails.
        create_triggers(conn, [rollups.AREA_ROLLUPS[0].detail])
        raise RuntimeError("the server refused a trigger")

    monkeypatch.setattr(rollups, "create_marking_triggers", first_triggers_then_failure)
    with pytest.raises(RuntimeError, match="refused a trigger"):
        upgrade_schema(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == tables_at_0001
    assert trigger_names(empty_engine) == set()
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
    assert "ix_area_level" in {i["name"] for i in inspect(empty_engine).get_indexes("area")}  # dropped by 0002, back

    monkeypatch.undo()
    upgrade_schema(empty_engine)
    assert schema_differences(empty_engine) == []
    assert len(trigger_names(empty_engine)) == 3 * len(rollups.AREA_ROLLUPS)


# ------------------------------------------------------------------ 0006: isolation and inspections
NEW_IN_0006 = {"isolation_site", "isolation_site_daily", "isolation_people_daily", "inspection_team", "inspection_daily"}


def test_0006_upgrades_a_database_holding_data_and_downgrades_without_losing_it(empty_engine):
    """A database at 0005 holding areas: 0006 adds the isolation and
    inspection tables and keeps every row; back at 0005 they are gone, the rest is kept."""
    from tests import fixtures_data

    cfg = alembic_config(empty_engine.url.render_as_string(hide_password=False))

    def to(revision: str, step=command.upgrade) -> None:
        with empty_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, revision)

    to("0005_checks_completeness")
    assert not NEW_IN_0006 & set(inspect(empty_engine).get_table_names())
    # The city, a district and a street of the test city, as 0005 stores areas (unchanged since).
    rows = [dict(zip(["code", "parent_code", "level", "name_zh", "name_en", "residents", "households"], row, strict=True))
            for row in fixtures_data.AREAS[:4]]  # fmt: skip
    ancestors = {"city": {"city_code": "990100"}, "district": {"district_code": "990101"}, "street": {"street_code": "990101001"}}
    with empty_engine.begin() as conn:
        conn.execute(insert(area), [{"city_code": "990100", **row, **ancestors[row["level"]]} for row in rows])
    street = fixtures_data.STREET_A1

    to("head")
    assert schema_differences(empty_engine) == []
    assert NEW_IN_0006 <= set(inspect(empty_engine).get_table_names())
    with empty_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM area")).scalar_one() == 4
        conn.execute(
            text(
                "INSERT INTO isolation_site (code, name_zh, name_en, area_code, rooms) VALUES ('IS1', '隔离点', 'Site', :a, 120)"
            ),
            {"a": street},
        )
        conn.execute(
            text(
                "INSERT INTO isolation_people_daily (day, area_code, category, measure, new_in, released, held, overdue)"
                " VALUES (:day, :a, 'close_contact', 'centralised', 5, 1, 30, 2)"
            ),
            {"day": fixtures_data.D1, "a": street},
        )
        assert conn.execute(text("SELECT held FROM isolation_people_daily")).scalar_one() == 30

    to("0005_checks_completeness", command.downgrade)
    assert not NEW_IN_0006 & set(inspect(empty_engine).get_table_names())
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM area")).scalar_one() == 4
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005_checks_completeness"
    to("head")
    assert schema_differences(empty_engine) == []


# ------------------------------------------------------------------ 0007: isolation and inspection roll-ups
NEW_IN_0007 = {"isolation_people_area_daily", "inspection_area_daily"}


def test_0007_fills_the_roll_ups_from_the_detail_there_and_downgrades_without_losing_the_detail(empty_engine):
    """The test city at 0006 (isolation and inspections written, no roll-up): 0007 adds the
    two roll-ups filled from that detail and the triggers marking their days; back at 0006
    they and their marks are gone, the detail kept."""
    from tests import fixtures_data

    cfg = alembic_config(empty_engine.url.render_as_string(hide_password=False))

    def to(revision: str, step=command.upgrade) -> None:
        with empty_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, revision)

    def counts() -> dict[str, int]:
        with empty_engine.connect() as conn:
            return {
                table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("isolation_people_daily", "inspection_daily")
            }

    to("0006_isolation_inspections")
    fixtures_data.load(empty_engine)
    detail = counts()
    assert detail["isolation_people_daily"] > 0 and detail["inspection_daily"] > 0
    old_triggers = trigger_names(empty_engine)

    to("head")
    assert schema_differences(empty_engine) == []
    assert len(trigger_names(empty_engine) - old_triggers) == 6
    with empty_engine.connect() as conn:
        held = conn.execute(
            text("SELECT sum(held) FROM isolation_people_area_daily WHERE area_code = :c AND day = :d"),
            {"c": fixtures_data.CITY, "d": fixtures_data.D1},
        ).scalar_one()
        checks = conn.execute(
            text("SELECT sum(inspections) FROM inspection_area_daily WHERE area_code = :c"), {"c": fixtures_data.DISTRICT_A}
        ).scalar_one()
    assert held == 27  # as worked by hand in test_adapter_isolation
    assert checks == 10 + 5 + 4 + 6 + 3  # district A's team rows in tests/fixtures_isolation.py
    assert rollups.ISOLATION_PEOPLE.usable(empty_engine, "city") and rollups.INSPECTIONS.usable(empty_engine, "district")

    with empty_engine.begin() as conn:  # a write marks its day, which the downgrade clears
        conn.execute(text("DELETE FROM inspection_daily WHERE day = :d"), {"d": fixtures_data.D3})
        assert conn.execute(text("SELECT count(*) FROM rollup_dirty WHERE detail_table = 'inspection_daily'")).scalar_one() == 1
    to("0006_isolation_inspections", command.downgrade)
    assert not NEW_IN_0007 & set(inspect(empty_engine).get_table_names())
    assert trigger_names(empty_engine) == old_triggers
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM rollup_dirty WHERE detail_table = 'inspection_daily'")).scalar_one() == 0
    assert counts()["isolation_people_daily"] == detail["isolation_people_daily"]
    to("head")
    assert schema_differences(empty_engine) == []
