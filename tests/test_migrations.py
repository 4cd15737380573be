"""The schema comes from Alembic, and the models never drift from the migrations."""

from importlib import metadata

import pytest
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


def test_an_upgrade_that_fails_halfway_leaves_no_half_schema(tmp_path):
    """A migration killed or failing midway used to leave tables without a version, and
    every later migrate failed with "table article already exists"."""
    import shutil

    from alembic import command
    from sqlalchemy import create_engine

    from app.config import Settings
    from app.db import PROJECT_ROOT, alembic_config

    scripts = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", scripts)
    heads = sorted(p.stem for p in (scripts / "versions").glob("0*.py"))
    head_revision = next(
        line.split('"')[1]
        for line in (scripts / "versions" / f"{heads[-1]}.py").read_text().splitlines()
        if line.startswith("revision")
    )
    (scripts / "versions" / "9999_fails.py").write_text(
        f'revision = "9999"\ndown_revision = "{head_revision}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    raise RuntimeError('interrupted')\n\n\n"
        "def downgrade():\n    pass\n"
    )
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", index_dir=tmp_path / "i")
    config = alembic_config(settings)
    config.set_main_option("script_location", str(scripts))
    with pytest.raises(RuntimeError, match="interrupted"):
        command.upgrade(config, "head")
    engine = create_engine(settings.database_url)
    assert inspect(engine).get_table_names() == []  # nothing of the earlier revisions stayed
    engine.dispose()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    command.upgrade(config, "head")  # and the next migrate succeeds
