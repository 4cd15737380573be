"""Ingest documents: one transaction per article, then the index; count what happened."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import queries
from app.config import Settings
from app.ingest import store, workers
from app.ingest.document import ArticleIn, InputError, RawDocument
from app.ingest.extract.article import extract_article
from app.ingest.extract.limits import check_size, check_substance, split_long_blocks
from app.ingest.sources.canonical import canonical_url, is_web_url
from app.ingest.speakers.extraction import Attribution, extract_speakers
from app.ingest.themes import ThemeDef, ThemeMatch, assign_themes, load_taxonomy
from app.models import Snapshot
from app.search.backend import SearchBackend
from app.search.results import IndexDocument

# Articles read from the database at once to rebuild the index.
READ_BATCH = 500
# Articles per database transaction, each in its own savepoint, so a failed article still
# leaves no trace: one commit (and one fsync) per batch instead of one per article.
STORE_BATCH = 100
# Extraction moves to worker processes once this many documents needed it: starting them
# costs about a second, more than a few articles take.
WORKERS_AFTER = 16


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
    merge_seconds: float = 0.0  # merging the index's segments at the end (part of index)
    merged_segments: int = 0
    extracted_in_workers: int = 0  # documents extracted in worker processes

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
            "merge_seconds": round(self.merge_seconds, 3),
            "extracted_in_workers": self.extracted_in_workers,
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
    # What the search backend's preparer made of the article in a worker (its postings).
    prepared: bytes | None = None


@dataclass
class Stored:
    """These exact bytes are stored already, as this article: nothing to extract."""

    slug: str


@dataclass
class Failure:
    """A document extraction refused (bad input) or tripped over (a bug), as one reason."""

    reason: str


def extract_document(
    raw: RawDocument, taxonomy: list[ThemeDef], max_article_chars: int
) -> Extraction:
    """Article, speakers and themes of a document, with URL and date normalised.

    Without an article there is nothing to keep, so its failure propagates; a bug in
    speaker or theme extraction must not lose the article, so it only empties that part.
    """
    article_in = extract_article(raw)
    check_substance(article_in)
    check_size(article_in, max_article_chars)
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
        matches = assign_themes(article_in.title, article_in.paragraphs, taxonomy)
    except Exception as error:
        matches = []
        failures.append(f"themes ({type(error).__name__}: {error})")
    return Extraction(article_in, attribution, matches, "; ".join(failures) or None)


def extract_or_fail(
    raw: RawDocument, taxonomy: list[ThemeDef], max_article_chars: int
) -> tuple[Extraction | Failure, float, int]:
    """`extract_document` that never raises (a worker's answer must cross a process
    boundary), with the seconds it took and the process that did it."""
    started = time.perf_counter()
    try:
        answer: Extraction | Failure = extract_document(raw, taxonomy, max_article_chars)
    except InputError as error:
        answer = Failure(str(error))
    except Exception as error:  # a bug tripped by odd input: name it, keep nothing of it
        answer = Failure(f"could not be processed ({type(error).__name__}: {error})")
    return answer, time.perf_counter() - started, os.getpid()


_worker_setup: dict = {}


def _prepare_worker(
    taxonomy: list[ThemeDef],
    max_article_chars: int,
    preparer: Callable[[IndexDocument], bytes] | None,
) -> None:
    _worker_setup.update(taxonomy=taxonomy, max_article_chars=max_article_chars, preparer=preparer)


def _extract_in_worker(raw: RawDocument) -> tuple[Extraction | Failure, float, int]:
    answer, seconds, pid = extract_or_fail(
        raw, _worker_setup["taxonomy"], _worker_setup["max_article_chars"]
    )
    preparer = _worker_setup["preparer"]
    if preparer is not None and isinstance(answer, Extraction):
        # Work taken off the single writer; if it fails the writer does it all itself.
        with contextlib.suppress(Exception):
            document = store.draft_index_document(answer.article, answer.attribution)
            answer.prepared = preparer(document)
    return answer, seconds, pid


class Pipeline:
    """Holds what every article of a batch shares: engine, index, taxonomy, and the open
    database transaction of the current batch."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        archive_index: SearchBackend,
        taxonomy: list[ThemeDef] | None = None,
    ):
        self.settings = settings
        self.engine = engine
        self.index = archive_index
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy(settings.taxonomy_path)
        self.workers = (
            settings.ingest_workers
            if settings.ingest_workers is not None
            else workers.default_workers()
        )
        with Session(engine, expire_on_commit=False) as session:
            self.theme_ids = store.sync_themes(session, self.taxonomy)
            session.commit()
        self._pending_index: list[int] = []
        self._pending_replace: set[int] = set()  # pending articles that may be indexed already
        self._pending_prepared: dict[int, bytes] = {}  # by article id: `Extraction.prepared`
        # The batch's transaction, the articles it stored, and the originals known to be
        # new (looked up once, before extraction).
        self._session: Session | None = None
        self._batch_index: list[int] = []
        self._batch_replace: set[int] = set()
        self._batch_prepared: dict[int, bytes] = {}
        self._new_originals: set[str] = set()

    def ingest(
        self,
        documents: Iterable[RawDocument | InputError],
        report: IngestReport,
        on_error: Callable[[str], None] = lambda line: None,
        on_progress: Callable[[], None] = lambda: None,
        on_warning: Callable[[str], None] = lambda line: None,
        on_stage: Callable[[str], None] = lambda stage: None,
    ) -> IngestReport:
        """Ingest every document; a failure is reported and the batch goes on.
        `on_stage` hears what the run does after its last article, which can take minutes
        at 100,000 articles, so that a progress bar does not look stuck."""
        report.repaired = self.repair_index()
        # Into an empty index, some backends build their indexes once at the end. A run
        # that stops early leaves that to the next writer (`clean_leftovers`): Ctrl-C
        # should not wait minutes for it.
        bulk = self.index.begin_bulk_load()
        self._process(documents, report, on_error, on_progress, on_warning, force=False)
        if bulk:
            on_stage("Building the search indexes")
            started = time.perf_counter()
            self.index.end_bulk_load()
            report.index_seconds += time.perf_counter() - started
        if report.added or report.updated or report.repaired:
            on_stage("Merging the search index")
            started = time.perf_counter()
            report.merged_segments = self.index.merge_after_load()
            report.merge_seconds = time.perf_counter() - started
            report.index_seconds += report.merge_seconds
        return report

    def _process(
        self,
        documents: Iterable[RawDocument | InputError],
        report: IngestReport,
        on_error: Callable[[str], None],
        on_progress: Callable[[], None],
        on_warning: Callable[[str], None],
        *,
        force: bool,
    ) -> IngestReport:
        try:
            for item, answer in self._extracted(documents, force=force, report=report):
                if isinstance(item, InputError):
                    on_error(report.fail(getattr(item, "origin", "input"), str(item)))
                elif isinstance(answer, Failure):
                    on_error(report.fail(item.origin, answer.reason))
                elif isinstance(answer, Stored):
                    report.record(Outcome.UNCHANGED, answer.slug)
                else:
                    try:
                        warned = len(report.warnings)
                        outcome, slug = self._store(item, answer, report, force=force)
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
                if len(self._batch_index) >= STORE_BATCH:
                    self._commit_batch()
                if len(self._pending_index) >= self.settings.index_batch:
                    # With worker processes, another writes this batch's index segments
                    # while this one stores the next batch (whoosh_backend/building.py).
                    self._flush_or_stop(report, background=self.workers >= 1)
        except BaseException:
            # Keep what is whole (each stored article's savepoint was released) and index
            # it; if that fails too, the first error is the one to report.
            with contextlib.suppress(Exception):
                self._commit_batch()
            with contextlib.suppress(Exception):
                self._flush_or_stop(report)
            raise
        self._commit_batch()
        self._flush_or_stop(report)
        return report

    def _extracted(
        self, documents: Iterable[RawDocument | InputError], *, force: bool, report: IngestReport
    ) -> Iterator[tuple[RawDocument | InputError, Extraction | Failure | None]]:
        """Each document with what extraction made of it, in input order; in worker
        processes once there is enough to do. None: an input error, or an original stored
        before, which needs no extraction (unless `force`)."""

        def jobs():
            for item in documents:
                if isinstance(item, InputError):
                    yield (item, None), None
                elif len(item.data) > self.settings.max_input_bytes:
                    yield (item, Failure(f"too large ({len(item.data):,} bytes)")), None
                elif not force and (stored := self._stored_original(item)):
                    yield (item, stored), None
                else:
                    yield (item, None), item

        answers = workers.in_order(
            jobs(),
            here=lambda raw: extract_or_fail(raw, self.taxonomy, self.settings.max_article_chars),
            there=_extract_in_worker,
            initializer=_prepare_worker,
            initargs=(self.taxonomy, self.settings.max_article_chars, self.index.preparer()),
            workers=self.workers,
            start_after=WORKERS_AFTER,
            # A whole index batch ahead: the workers go on extracting while the writer
            # commits the batch (30 s for 5,000 articles), instead of waiting with it.
            # With 256 ahead, 10,000 articles took 152 s; with 5,000, 128 s.
            ahead=max(workers.AHEAD, self.settings.index_batch),
        )
        for (item, ready), answer in answers:
            if answer is None:
                yield item, ready
            else:
                extraction, seconds, pid = answer
                report.extract_seconds += seconds
                report.extracted_in_workers += pid != os.getpid()
                yield item, extraction

    def _stored_original(self, raw: RawDocument) -> Stored | None:
        """The article these exact bytes were stored as before, if any (nothing to do)."""
        sha = store.raw_sha256(raw)
        session = self._batch_session()
        snapshot = queries.snapshot_for(session, sha256=sha)
        if snapshot is None:
            self._new_originals.add(sha)
            return None
        if snapshot.article_id is None:
            return None
        article = queries.get_article(session, article_id=snapshot.article_id)
        return Stored(article.slug) if article is not None else None

    def _batch_session(self) -> Session:
        if self._session is None:
            self._session = Session(self.engine, expire_on_commit=False)
        return self._session

    def _commit_batch(self) -> None:
        """Commit the batch's articles; only then may the index have them."""
        if self._session is None:
            return
        session, self._session = self._session, None
        stored, replace, prepared = self._batch_index, self._batch_replace, self._batch_prepared
        self._batch_index, self._batch_replace, self._batch_prepared = [], set(), {}
        try:
            session.commit()
        except Exception as error:
            with contextlib.suppress(Exception):
                session.rollback()
            if is_disk_full(error):
                raise ArchiveFull("the disk holding the database is full") from error
            raise
        finally:
            session.close()
        self._pending_index.extend(stored)
        self._pending_replace |= replace
        self._pending_prepared.update(prepared)

    def _flush_or_stop(self, report: IngestReport, *, background: bool = False) -> None:
        try:
            self.flush_index(report, background=background)
        except Exception as error:
            if is_disk_full(error):
                # The database keeps the articles; the next run indexes what is missing.
                self._pending_index, self._pending_replace = [], set()
                self._pending_prepared = {}
                raise ArchiveFull("the disk holding the search index is full") from error
            raise

    def _store(
        self, raw: RawDocument, answer: Extraction, report: IngestReport, *, force: bool
    ) -> tuple[Outcome, str]:
        """Store one extracted document as an article, in its own savepoint of the batch's
        transaction. Raises InputError."""
        started = time.perf_counter()
        session = self._batch_session()
        sha = store.raw_sha256(raw)
        savepoint = session.begin_nested()
        try:
            # Looked up before extraction and absent then: only this batch could add it.
            snapshot = None
            if sha not in self._new_originals:
                snapshot = queries.snapshot_for(session, sha256=sha)
            article_in = answer.article
            digest = store.content_hash(article_in)
            existing = queries.find_article(
                session, url=article_in.url, content_hash=digest, origin=raw.origin
            )
            before = store.article_signature(session, existing) if existing else None
            if existing is not None and existing.content_hash == digest and not force:
                store.save_snapshot(session, raw, existing.id, snapshot)
                savepoint.commit()
                self._new_originals.discard(sha)
                report.database_seconds += time.perf_counter() - started
                return Outcome.UNCHANGED, existing.slug
            article = store.save_article(
                session,
                article_in=article_in,
                attribution=answer.attribution,
                theme_matches=answer.themes,
                extraction_error=answer.error,
                theme_ids=self.theme_ids,
                digest=digest,
                origin=raw.origin,
                existing=existing,
                now=datetime.now(UTC),
            )
            store.save_snapshot(session, raw, article.id, snapshot)
            session.flush()
            if answer.error:
                report.warn(raw.origin, f"stored without {answer.error}; reextract retries it")
            if before is not None and store.article_signature(session, article) == before:
                savepoint.rollback()
                report.database_seconds += time.perf_counter() - started
                return Outcome.UNCHANGED, existing.slug
            savepoint.commit()
        except BaseException:
            # SQLite may have rolled back the whole transaction already (a full disk).
            with contextlib.suppress(Exception):
                savepoint.rollback()
            raise
        self._new_originals.discard(sha)
        self._batch_index.append(article.id)
        if answer.prepared is not None:
            self._batch_prepared[article.id] = answer.prepared
        if existing is not None:
            self._batch_replace.add(article.id)
        report.database_seconds += time.perf_counter() - started
        return (Outcome.UPDATED if existing else Outcome.ADDED), article.slug

    def extract(self, raw: RawDocument) -> Extraction:
        """Article, speakers and themes of a document (see `extract_document`)."""
        return extract_document(raw, self.taxonomy, self.settings.max_article_chars)

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

        return self._process(originals(), report, on_error, on_progress, on_warning, force=True)

    def flush_index(self, report: IngestReport | None = None, *, background: bool = False) -> None:
        """Write the articles stored since the last flush into the index, in one commit.
        `background`: the index may finish the commit while the caller stores more (it
        is done by the next flush, or one without `background`)."""
        self._commit_batch()
        started = time.perf_counter()
        ids = list(dict.fromkeys(self._pending_index))  # an article stored twice is indexed once
        replace, self._pending_index, self._pending_replace = self._pending_replace, [], set()
        prepared, self._pending_prepared = self._pending_prepared, {}
        # One commit per batch: a repair after an interrupted bulk load may find the whole
        # archive missing, and one commit of it all would hold all its postings at once.
        step = max(1, self.settings.index_batch)
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            with Session(self.engine) as session:
                docs = store.index_documents(session, ids=chunk)
            self.index.index_articles(
                docs,
                replace=sorted(replace.intersection(chunk)),
                prepared={i: prepared[i] for i in chunk if i in prepared},
                background=background,
            )
        if not background:
            self.index.wait_for_writes()
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


def rebuild_index(engine: Engine, archive_index: SearchBackend) -> int:
    """Drop the index and build it again from the database."""
    with Session(engine) as session:
        ids = queries.iter_article_ids(session)

    def documents():
        for start in range(0, len(ids), READ_BATCH):
            with Session(engine) as session:
                yield from store.index_documents(session, ids=ids[start : start + READ_BATCH])

    return archive_index.rebuild(documents())
