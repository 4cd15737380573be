"""Settings read once from `ARCHIVE_` environment variables."""

from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARCHIVE_")

    database_url: str = "sqlite:///data/archive.db"
    index_dir: Path = Path("data/index")
    site_url: str = "http://127.0.0.1:8000"
    site_name: str = "Policy Archive"
    page_size: int = 10
    # Inputs larger than this are refused before parsing: a policy article is
    # rarely above a few hundred kilobytes, a WARC record holding one even less.
    max_input_bytes: int = 20 * 1024 * 1024
    taxonomy_path: Path | None = None

    @cached_property
    def database_path(self) -> Path | None:
        """The SQLite file behind `database_url`, or None for in-memory databases."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :]
        return None if path in ("", ":memory:") else Path(path)
