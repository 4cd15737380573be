"""What every search backend offers the web, the CLI and the pipeline, and which one runs.

The Whoosh index (`whoosh_backend.archive_index.ArchiveIndex`) is the embedded backend; a
PostgreSQL full-text backend, and later an Elasticsearch/OpenSearch one, implement the same
protocol in their own packages. Web code imports `SearchBackend`, never a backend;
`open_search_backend` is the one place that chooses, following the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from app.config import Settings
from app.search.results import IndexDocument, SearchParams, SearchResults


class SearchBackend(Protocol):
    """A derived index of the archive: it can always be dropped and rebuilt from the
    database. Searches raise `app.search.query.QueryError` with a message for a bad query."""

    # -- writing (one writer at a time: app.ingest.lock) ---------------------------------
    def index_articles(
        self,
        docs: Iterable[IndexDocument],
        replace: Iterable[int] = (),
        prepared: Mapping[int, bytes] | None = None,
        *,
        background: bool = False,
    ) -> int:
        """Add articles and their quotes in one commit, first removing the old versions
        of `replace`; returns how many were added. `prepared`: what `preparer()` made of
        each article (by id) in an extraction worker. `background`: the backend may
        finish the work while the caller goes on; it is committed by the next write or
        by `wait_for_writes`, and lost (to the next repair) if the process dies first."""
        ...

    def wait_for_writes(self) -> None:
        """Commit what `index_articles(background=True)` left under way."""
        ...

    def preparer(self) -> Callable[[IndexDocument], bytes] | None:
        """A module-level function an extraction worker runs on an article's draft index
        document (`app.ingest.store.draft_index_document`) to take work off the writer,
        or None when this backend has nothing to prepare."""
        ...

    def begin_bulk_load(self) -> bool:
        """Before loading articles into an empty index: put off the work that is quicker
        done once at the end (PostgreSQL: building the text indexes). Returns whether
        anything was put off. Call only holding the writer lock."""
        ...

    def end_bulk_load(self) -> None:
        """Do what `begin_bulk_load` put off, or what a killed load left undone
        (`clean_leftovers` does it too); nothing when nothing is."""
        ...

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Replace the whole index with these documents; searches go on meanwhile."""
        ...

    def optimize(self) -> int:
        """Make the index quickest to search after a bulk load (for Whoosh: one segment);
        returns how many parts (segments) were merged. Searches go on meanwhile."""
        ...

    def merge_after_load(self) -> int:
        """After an ingest run that changed the index: merge its parts if the run left
        them worth merging (for Whoosh: when the new segments hold as many documents as
        the largest); returns how many were merged. Searches go on meanwhile."""
        ...

    def stored_ids(self) -> set[int]:
        """Ids of the indexed articles (to index what an interrupted run left out)."""
        ...

    def document_count(self) -> int: ...

    def schema_is_current(self) -> bool:
        """False when the index was built by an older version and needs a rebuild."""
        ...

    def clean_leftovers(self) -> list[Path]:
        """Remove what a killed writer left behind; call only holding the writer lock."""
        ...

    def close(self) -> None: ...

    def warm(self) -> None:
        """Load what every search needs before the first one asks (a server process
        calls it at start), so the first reader does not wait for it."""
        ...

    # -- reading -------------------------------------------------------------------------
    def search(
        self, params: SearchParams, load_texts: Callable[[list[int]], dict[int, str]]
    ) -> SearchResults:
        """A page of article hits with snippets, the total and facet counts over every
        match, and a spelling suggestion. `load_texts` reads article texts for the page."""
        ...

    def search_quotes(
        self, params: SearchParams, load_texts: Callable[[list[int]], dict[int, str]]
    ) -> SearchResults:
        """The same for quotes: each hit is one quote, `load_texts` maps quote ids."""
        ...

    def count(self, params: SearchParams, *, quotes: bool = False) -> int: ...

    def ranked_ids(self, params: SearchParams, limit: int, *, quotes: bool = False) -> list[int]:
        """Up to `limit` ids in the search's order, for exports, feeds and charts."""
        ...

    def highlight_passages(self, text: str, passages: list[str]) -> list[str | None]:
        """Each passage as escaped HTML with the words query `text` matches in <mark>."""
        ...

    def more_like_this(self, article_id: int, text: str, limit: int = 5) -> list[int]: ...

    def generation(self) -> int:
        """Changes whenever a writer commits: the key of every cache derived from it."""
        ...


BACKENDS = ("whoosh", "postgresql")


def search_backend_name(settings: Settings) -> str:
    """Which backend the settings choose: `search_backend`, else the database's engine."""
    from app.db import is_postgres

    name = settings.search_backend.strip().lower()
    if not name:
        return "postgresql" if is_postgres(settings.database_url) else "whoosh"
    if name not in BACKENDS:
        raise ValueError(f"ARCHIVE_SEARCH_BACKEND must be one of {', '.join(BACKENDS)}")
    if name == "postgresql" and not is_postgres(settings.database_url):
        raise ValueError("ARCHIVE_SEARCH_BACKEND=postgresql needs a PostgreSQL database URL")
    return name


def open_search_backend(settings: Settings) -> SearchBackend:
    """The search backend these settings configure: Whoosh files in `index_dir`, or
    PostgreSQL full text in the archive's database."""
    if search_backend_name(settings) == "postgresql":
        from app.search.postgres_backend.index import PostgresIndex

        return PostgresIndex(
            settings.database_url,
            read_url=settings.read_database_url or None,
            text_index=settings.postgres_text_index,
        )
    from app.search.whoosh_backend.archive_index import ArchiveIndex

    return ArchiveIndex(settings.index_dir)
