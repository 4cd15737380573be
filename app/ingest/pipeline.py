"""Ingest documents: one transaction per article, then the index; count what happened."""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import queries
from app.config import Settings
from app.ingest import store
from app.ingest.canonical import canonical_url, is_web_url
from app.ingest.document import ArticleIn, InputError, RawDocument
from app.ingest.extract import extract_article
from app.ingest.limits import check_size, check_substance, split_long_blocks
from app.ingest.speakers import Attribution, extract_speakers
from app.ingest.themes import ThemeDef, ThemeMatch, assign_themes, load_taxonomy
from app.models import Snapshot
from app.search import ArchiveIndex

# Index commits are expensive (Whoosh merges segments); commit in batches.
INDEX_BATCH = 500


def _printable(reason: str, limit: int = 240) -> str:
    """One short line: a reason may quote bytes of hostile input."""
    text = "".join(char if char.isprintable() else "?" for char in " ".join(reason.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ArchiveFull(RuntimeError):
    """The disk holding the archive is full: the batch stops, what is stored stays whole."""


def is_disk_full(error: BaseException) -> bool:
    """ENOSPC from the index, or SQLite's "database or disk is full"."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return "database or disk is full" in str(error) or "No space left on device" in str(error)


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    repaired: int = 0  # articles an interrupted run had stored but not indexed
    errors: list[str] = field(default_factory=list)
    # Articles stored without speakers or themes because their extraction raised.
    warnings: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    extract_seconds: float = 0.0
    database_seconds: float = 0.0
    index_seconds: float = 0.0

    def record(self, outcome: Outcome, slug: str) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)
        self.slugs.append(slug)

    def fail(self, origin: str, reason: str) -> str:
        """Count a failure; returns its one printable line: origin, then reason."""
        self.failed += 1
        reason = reason.removeprefix(f"{origin}: ")  # some readers already name the file
        line = f"{origin}: {_printable(reason)}"
        self.errors.append(line)
        return line

    def warn(self, origin: str, reason: str) -> str:
        """Note an article stored incomplete; returns its one printable line."""
        line = f"{origin}: {_printable(reason)}"
        self.warnings.append(line)
        return line

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.failed

    def timings(self) -> dict[str, float]:
        return {
            "extract_seconds": round(self.extract_seconds, 3),
            "database_seconds": round(self.database_seconds, 3),
            "index_seconds": round(self.index_seconds, 3),
        }

    def summary(self) -> str:
        incomplete = f", incomplete {len(self.warnings)}" if self.warnings else ""
        return (
            f"added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, failed {self.failed}{incomplete}"
        )


@dataclass
class Extraction:
    """What extraction made of one document; `error` says which parts failed, if any."""

    article: ArticleIn
    attribution: Attribution
    themes: list[ThemeMatch]
    error: str | None = None


class Pipeline:
    """Holds what every article of a batch shares: engine, index, taxonomy."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        archive_index: ArchiveIndex,
        taxonomy: list[ThemeDef] | None = None,
    ):
        self.settings = settings
        self.engine = engine
        self.index = archive_index
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy(settings.taxonomy_path)
        with Session(engine, expire_on_commit=False) as session:
            self.theme_ids = store.sync_themes(session, self.taxonomy)
            session.commit()
        self._pending_index: list[int] = []
        self._pending_replace: set[int] = set()  # pending articles that may be indexed already

    def ingest(
        self,
        documents: Iterable[RawDocument | InputError],
        report: IngestReport,
        on_error: Callable[[str], None] = lambda line: None,
        on_progress: Callable[[], None] = lambda: None,
        on_warning: Callable[[str], None] = lambda line: None,
    ) -> IngestReport:
        """Ingest every document; a failure is reported and the batch goes on."""
        report.repaired = self.repair_index()
        return self._process(
            documents, self.ingest_document, report, on_error, on_progress, on_warning
        )

    def _process(
        self,
        documents: Iterable[RawDocument | InputError],
        store_one: Callable[[RawDocument, IngestReport], tuple[Outcome, str]],
        report: IngestReport,
        on_error: Callable[[str], None],
        on_progress: Callable[[], None],
        on_warning: Callable[[str], None],
    ) -> IngestReport:
        try:
            for item in documents:
                if isinstance(item, InputError):
                    on_error(report.fail(getattr(item, "origin", "input"), str(item)))
                else:
                    try:
                        warned = len(report.warnings)
                        outcome, slug = store_one(item, report)
                        report.record(outcome, slug)
                        for line in report.warnings[warned:]:
                            on_warning(line)
                    except InputError as error:
                        on_error(report.fail(item.origin, str(error)))
                    except Exception as error:
                        if is_disk_full(error):  # no later article can be stored either
                            raise ArchiveFull("the disk holding the database is full") from error
                        # A bug tripped by odd input: name it, keep nothing of it, go on.
                        reason = f"could not be processed ({type(error).__name__}: {error})"
                        on_error(report.fail(item.origin, reason))
                on_progress()
                if len(self._pending_index) >= INDEX_BATCH:
                    self._flush_or_stop(report)
        finally:
            self._flush_or_stop(report)
        return report

    def _flush_or_stop(self, report: IngestReport) -> None:
        try:
            self.flush_index(report)
        except Exception as error:
            if is_disk_full(error):
                # The database keeps the articles; the next run indexes what is missing.
                self._pending_index, self._pending_replace = [], set()
                raise ArchiveFull("the disk holding the search index is full") from error
            raise

    def ingest_document(self, raw: RawDocument, report: IngestReport) -> tuple[Outcome, str]:
        """Store one document as an article, in one transaction. Raises InputError."""
        if len(raw.data) > self.settings.max_input_bytes:
            raise InputError(f"too large ({len(raw.data):,} bytes)")
        with Session(self.engine, expire_on_commit=False) as session:
            snapshot = queries.snapshot_for(session, sha256=store.raw_sha256(raw))
            if snapshot is not None and snapshot.article_id is not None:
                article = queries.get_article(session, article_id=snapshot.article_id)
                if article is not None:
                    return Outcome.UNCHANGED, article.slug
        return self._store(raw, report, force=False)

    def _store(self, raw: RawDocument, report: IngestReport, *, force: bool) -> tuple[Outcome, str]:
        started = time.perf_counter()
        extraction = self.extract(raw)
        article_in = extraction.article
        digest = store.content_hash(article_in)
        extracted = time.perf_counter()
        report.extract_seconds += extracted - started

        with Session(self.engine, expire_on_commit=False) as session:
            existing = queries.find_article(
                session, url=article_in.url, content_hash=digest, origin=raw.origin
            )
            before = store.article_signature(session, existing) if existing else None
            if existing is not None and existing.content_hash == digest and not force:
                store.save_snapshot(session, raw, existing.id)
                session.commit()
                report.database_seconds += time.perf_counter() - extracted
                return Outcome.UNCHANGED, existing.slug
            article = store.save_article(
                session,
                article_in=article_in,
                attribution=extraction.attribution,
                theme_matches=extraction.themes,
                extraction_error=extraction.error,
                theme_ids=self.theme_ids,
                digest=digest,
                origin=raw.origin,
                existing=existing,
                now=datetime.now(UTC),
            )
            store.save_snapshot(session, raw, article.id)
            session.flush()
            if extraction.error:
                report.warn(raw.origin, f"stored without {extraction.error}; reextract retries it")
            if before is not None and store.article_signature(session, article) == before:
                session.rollback()
                report.database_seconds += time.perf_counter() - extracted
                return Outcome.UNCHANGED, existing.slug
            session.commit()
            self._pending_index.append(article.id)
            if existing is not None:
                self._pending_replace.add(article.id)
        report.database_seconds += time.perf_counter() - extracted
        return (Outcome.UPDATED if existing else Outcome.ADDED), article.slug

    def extract(self, raw: RawDocument) -> Extraction:
        """Article, speakers and themes of a document, with URL and date normalised.

        Without an article there is nothing to keep, so its failure propagates; a bug in
        speaker or theme extraction must not lose the article, so it only empties that part.
        """
        article_in = extract_article(raw)
        check_substance(article_in)
        check_size(article_in, self.settings.max_article_chars)
        article_in.blocks = split_long_blocks(article_in.blocks)
        url = article_in.url or raw.url
        article_in.url = canonical_url(url) if url and is_web_url(url) else None
        if article_in.published is not None and article_in.published.tzinfo is None:
            article_in.published = article_in.published.replace(tzinfo=UTC)
        failures = []
        try:
            attribution = extract_speakers(
                article_in.paragraphs, title=article_in.title, byline=article_in.author
            )
        except Exception as error:
            attribution = Attribution(speakers=[], unattributed=[])
            failures.append(f"speakers ({type(error).__name__}: {error})")
        try:
            matches = assign_themes(article_in.title, article_in.paragraphs, self.taxonomy)
        except Exception as error:
            matches = []
            failures.append(f"themes ({type(error).__name__}: {error})")
        return Extraction(article_in, attribution, matches, "; ".join(failures) or None)

    def reextract(
        self,
        report: IngestReport,
        on_error: Callable[[str], None] = lambda line: None,
        on_progress: Callable[[], None] = lambda: None,
        on_warning: Callable[[str], None] = lambda line: None,
        *,
        failed_only: bool = False,
    ) -> IngestReport:
        """Run extraction again over every article's latest stored original; slugs stay.

        With failed_only, only the articles whose speaker or theme extraction failed.
        """
        with Session(self.engine) as session:
            latest = queries.list_latest_snapshot_ids(session, failed_only=failed_only)

        def originals():
            for snapshot_id in latest:
                with Session(self.engine) as session:
                    yield store.snapshot_document(session.get(Snapshot, snapshot_id))

        def store_again(raw: RawDocument, report: IngestReport) -> tuple[Outcome, str]:
            return self._store(raw, report, force=True)

        return self._process(originals(), store_again, report, on_error, on_progress, on_warning)

    def flush_index(self, report: IngestReport | None = None) -> None:
        """Write the articles stored since the last flush into the index, in one commit."""
        if not self._pending_index:
            return
        started = time.perf_counter()
        ids = list(dict.fromkeys(self._pending_index))  # an article stored twice is indexed once
        replace, self._pending_index, self._pending_replace = self._pending_replace, [], set()
        with Session(self.engine) as session:
            docs = store.index_documents(session, ids=ids)
        self.index.index_articles(docs, replace=sorted(replace))
        if report is not None:
            report.index_seconds += time.perf_counter() - started

    def repair_index(self) -> int:
        """Index articles the database has but the index lacks (an interrupted run)."""
        with Session(self.engine) as session:
            stored = set(queries.iter_article_ids(session))
        missing = sorted(stored - self.index.stored_ids())
        if missing:
            self._pending_index.extend(missing)
            self.flush_index()
        return len(missing)


def rebuild_index(engine: Engine, archive_index: ArchiveIndex) -> int:
    """Drop the index and build it again from the database."""
    with Session(engine) as session:
        ids = queries.iter_article_ids(session)

    def documents():
        for start in range(0, len(ids), INDEX_BATCH):
            with Session(engine) as session:
                yield from store.index_documents(session, ids=ids[start : start + INDEX_BATCH])

    return archive_index.rebuild(documents())
