"""The schema comes from Alembic, and the models never drift from the migrations."""

from importlib import metadata

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)


def test_migrations_create_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_do_not_drift(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_exactly_one_distribution_provides_whoosh():
    providers = [
        dist.metadata["Name"]
        for dist in metadata.distributions()
        if "whoosh" in (dist.read_text("top_level.txt") or "").split()
        or any(str(f).startswith("whoosh/") for f in (dist.files or []))
    ]
    assert providers == ["Whoosh-Reloaded"]
