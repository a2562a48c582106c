"""Alembic migrations build exactly the schema data_access.schema declares, on both engines."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from data_access.engine import alembic_config, upgrade_schema
from data_access.schema import metadata


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
