"""Alembic environment: SQLite with batch mode so ALTERs work."""

from alembic import context
from sqlalchemy import engine_from_config, event, pool
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from app.db import is_managed_by_alembic

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=is_managed_by_alembic,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    if connectable.dialect.name == "sqlite":
        # Python's sqlite3 runs DDL outside any transaction, so a migration killed halfway
        # left tables without a version ("table article already exists" ever after).
        # Emit BEGIN ourselves: every upgrade commits whole or not at all. IMMEDIATE: two
        # commands migrating at once take turns (a deferred BEGIN failed "locked").
        @event.listens_for(connectable, "connect")
        def _manual_transactions(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(connectable, "begin")
        def _begin(connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transactional_ddl=True,
            include_name=is_managed_by_alembic,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Web nodes started together all migrate: one at a time, the others then
                # find the schema at head.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('migrate'))")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
