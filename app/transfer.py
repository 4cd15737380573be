"""Moving an archive between databases (SQLite ⇄ PostgreSQL) row for row.

Every table of the models is copied with its ids, so slugs, permalinks, old slugs and the
stored originals arrive unchanged; the search index is derived and is rebuilt at the
target afterwards. The target must be migrated and empty.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)

BATCH = 500


class TargetNotEmpty(RuntimeError):
    """The target database already holds an archive: copying would mix two."""


def copy_archive(source: Engine, target: Engine) -> dict[str, int]:
    """Copy every row of every archive table from `source` to `target` in one target
    transaction (all or nothing); returns the rows copied per table."""
    tables = SQLModel.metadata.sorted_tables  # parents before the rows that name them
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in tables:
            if writing.execute(select(func.count()).select_from(table)).scalar_one():
                raise TargetNotEmpty(
                    f"the target database already has rows in {table.name}: copy into an "
                    "empty, migrated database"
                )
        for table in tables:
            copied[table.name] = 0
            order = list(table.primary_key.columns)
            rows = reading.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*order)
            )
            for batch in rows.mappings().partitions(BATCH):
                writing.execute(insert(table), [dict(row) for row in batch])
                copied[table.name] += len(batch)
        if writing.dialect.name == "postgresql":
            # Rows came with their ids: the next insert must not reuse one.
            for table in tables:
                if "id" in table.columns and table.columns["id"].autoincrement is not False:
                    writing.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
    return copied
