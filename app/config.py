"""Settings read once from `ARCHIVE_` environment variables."""

import os
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARCHIVE_")

    database_url: str = "sqlite:///data/archive.db"
    # A hot standby of a PostgreSQL database_url: the web server reads only there (pages and
    # searches, and the generation that keys its caches, all from one consistent copy);
    # commands that write use database_url.
    read_database_url: str = ""
    index_dir: Path = Path("data/index")
    # "whoosh" (files in index_dir) or "postgresql" (tables in the database, nothing on
    # the web node's disk). Empty: PostgreSQL when the database is PostgreSQL.
    search_backend: str = ""
    # The PostgreSQL backend's index on article and quote text, chosen when its tables are
    # made (`reindex` remakes them): "rum" answered a common word in half the time of "gin"
    # at 100,000 articles but ingests at less than half the rate, and needs the rum
    # extension (docs/deploy.md); "auto" takes it when the database has it or may create it.
    postgres_text_index: str = "auto"
    site_url: str = "http://127.0.0.1:8000"
    site_name: str = "Policy Archive"
    page_size: int = 10
    # Inputs larger than this are refused before parsing: a policy article is
    # rarely above a few hundred kilobytes, a WARC record holding one even less.
    max_input_bytes: int = 20 * 1024 * 1024
    # Text longer than this is a book or a dump, not an article (pages stay usable).
    max_article_chars: int = 1_000_000
    taxonomy_path: Path | None = None
    # Processes extracting articles beside the one that writes them (0: extract in the
    # writer). Unset: one per core but one.
    ingest_workers: int | None = None
    # Articles per search-index commit during ingestion. Each commit writes a segment
    # that is never rewritten during a bulk load (search/whoosh_backend/merges.py), so
    # bigger batches mean fewer segments to search; the writer holds the batch's postings in memory
    # (about 0.6 GB for 5,000 articles of 6 KB; past that they spill to disk, slower).
    index_batch: int = 5000
    # Host names the server answers to, comma-separated ("*": any). Empty: the site URL's
    # host, the interface `serve` listens on, and loopback names. Anything else gets 400,
    # so a forged Host header never reaches a redirect or a link.
    allowed_hosts: str = ""
    serve_host: str = ""  # set by `policy-archive serve`
    # Read a template file again when it changes (`serve --reload`). Otherwise each is
    # compiled once as the process starts: checking every file's time cost each page a
    # `stat` per template it includes.
    reload_templates: bool = False
    # Requests at work at once, how many may wait for a turn, and for how long (then 503).
    max_active_requests: int = 8
    # Server processes, each with its own searcher (requests at work: per process).
    # One per core by default (0): on two cores at 100,000 articles, two processes served
    # 7.3 requests/s to 8 clients against one process's 4.3, and a cold search's p95 went
    # 357 -> 300 ms, at the cost of a single client's median (77 -> 100 ms) and twice the
    # memory (docs/benchmarks.md, issue 12).
    web_workers: int = 0
    max_queued_requests: int = 64
    queue_seconds: float = 10.0

    def serve_workers(self) -> int:
        """Server processes: 0 means one per core (at most four)."""
        if self.web_workers > 0:
            return self.web_workers
        return max(1, min(4, os.cpu_count() or 1))

    def trusted_hosts(self) -> list[str]:
        if self.allowed_hosts.strip():
            return [host.strip() for host in self.allowed_hosts.split(",") if host.strip()]
        hosts = ["127.0.0.1", "localhost"]
        for host in (urlsplit(self.site_url).hostname, self.serve_host):
            if host and host not in ("0.0.0.0", "::") and host not in hosts:
                hosts.append(host)
        return hosts

    @cached_property
    def database_path(self) -> Path | None:
        """The SQLite file behind `database_url`, or None for in-memory databases."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :]
        return None if path in ("", ":memory:") else Path(path)
