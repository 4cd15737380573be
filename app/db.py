"""The database engine (SQLite: WAL, foreign keys, busy timeout; or PostgreSQL), sessions
and migrations."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.config import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql:", "postgresql+"))


def make_engine(settings: Settings, url: str | None = None) -> Engine:
    """An engine for the archive's database (or `url`, e.g. the read replica)."""
    url = url or settings.database_url
    if is_postgres(url):
        # pre_ping: a web node outlives a server restart or a replica failover.
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if settings.database_path is not None:
        settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


@contextmanager
def open_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def is_managed_by_alembic(name: str, type_: str, parent_names: dict) -> bool:
    """False for the PostgreSQL search backend's tables: derived, created and rebuilt by
    app/search/postgres_backend/index.py, never by a migration (autogenerate would drop them)."""
    return not (type_ == "table" and name.startswith("search_"))


def alembic_config(settings: Settings):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", settings.database_url)
    return config


def migrate(settings: Settings) -> None:
    """Bring the database schema to the latest Alembic revision."""
    from alembic import command

    if settings.database_path is not None:
        settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), "head")
