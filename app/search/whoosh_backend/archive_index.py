"""The Whoosh index: schema, writing, rebuilding and searching. Every Whoosh call lives here."""

from __future__ import annotations

import bisect
import html
import pickle
import re
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import collectors, highlight, index, qparser, query, searching, sorting
from whoosh.analysis import (
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemFilter,
    StopFilter,
)
from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.lang import languages as whoosh_languages
from whoosh.support.charset import accent_map
from whoosh.writing import SegmentWriter

from app.search.query import QueryError, check_syntax
from app.search.results import (
    Hit,
    IndexDocument,
    QuoteDocument,
    QuoteHit,
    SearchParams,
    SearchResults,
)
from app.search.whoosh_backend import generations, pairs, postings
from app.search.whoosh_backend.building import SegmentBuilder, commit_with
from app.search.whoosh_backend.columns import column_values
from app.search.whoosh_backend.merges import merge_everything, merge_policy
from app.search.whoosh_backend.pairs import (
    SAMPLE_DOCUMENTS,
    WordPairs,
    frequent_words,
    pairs_of,
    word_sequence,
)
from app.search.whoosh_backend.phrases import AdjacentWords
from app.search.whoosh_backend.pool import with_term_pool
from app.search.whoosh_backend.postings import (
    AnalysedKeyword,
    AnalysedText,
    Postings,
    PostingsReuse,
    analyse,
    pack,
    unpack,
)
from app.search.whoosh_backend.related import (
    best_documents,
    held_by_up_to,
    idf_of_counted,
    largest_segments_first,
)
from app.search.whoosh_backend.scoring import ArchiveBM25F
from app.search.whoosh_backend.vocabulary import VOCABULARY, BatchVocabulary

# An index keeps its schema pickled, field classes by module path. Those written before
# the search package existed name the modules below; without them such an archive did
# not open at all (ModuleNotFoundError), not even to be rebuilt. Its next commit writes
# the current paths.
sys.modules.setdefault("app.search_postings", postings)
sys.modules.setdefault("app.search_pairs", pairs)
# What unpickling a schema raises when a class it names is gone.
UNREADABLE_SCHEMA = (ImportError, AttributeError, pickle.UnpicklingError)


def _cached_column_reader(self, fieldname, column):
    # Whoosh forgets that a column is missing, so committing a segment stat()ed the
    # segment's files once per posting of every unscored field (110,000 per 300 articles).
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


whoosh3.W3PerDocReader._cached_reader = _cached_column_reader

# Multi-valued keyword fields that the search page can filter and facet on.
FACET_FIELDS = ("speakers", "themes", "source", "year", "language")
# Languages with a Whoosh stemmer besides English: an article in one of them is indexed a
# second time in `text_<code>`, stemmed as that language (English stays in `body`).
STEMMED_LANGUAGES = tuple(code for code in whoosh_languages if code != "en")
LANGUAGE_FIELDS = tuple(f"text_{code}" for code in STEMMED_LANGUAGES)
# Quotes facet on the same fields as articles, and on direct or reported speech.
QUOTE_FACET_FIELDS = (*FACET_FIELDS, "kind")
# The quotes live in a second Whoosh index in the same generation folder: one rebuild and
# one pointer switch cover both, and article searches never skip past quote documents.
QUOTE_INDEX = "quotes"
REMEMBERED_RESULTS = 512
# A word ending in * matches its most frequent completions only: "a*" over every field
# was an OR of tens of thousands of terms (10 s for five of them). How short a prefix and
# how many may be asked is checked with the syntax (app/search/query.py).
PREFIX_EXPANSIONS = 64
# After this many seconds a search answers with the matches collected so far.
SEARCH_SECONDS = 3.0
# Scores equal to this many significant digits are a tie, shown in article id order: an
# index with deleted documents scores a little differently from a rebuilt one, and near
# ties swapped places after `reindex`.
SCORE_DIGITS = 4
# At most this many hits either side of the page are reordered to settle its ties: a
# common word ties thousands of hits, and each needs its stored id read.
TIE_REACH = 200
# Memory for the postings of one index commit before they spill to temporary files
# (pool.py): a batch of the ingest pipeline (ARCHIVE_INDEX_BATCH, 5,000
# generated articles took an estimated 363 + 213 MB) should fit, or it is written twice.
ARTICLE_POOL_MB = 640
QUOTE_POOL_MB = 384
# Batches of at least this many articles may be written by another process (`building`):
# starting it costs about a second, which a small batch does not win back.
BACKGROUND_FROM = 1_000
# Related articles read at most this many postings of their distinctive words: without a
# budget the query grew with the archive (158 ms at p95 at 100,000 articles). At 100,000
# articles 5,000 keeps 91 % of the related articles 20,000 gives, at half the p95 (12 ms
# against 24; `python -m bench.experiments.related_budget`).
RELATED_POSTINGS = 5_000
# Body words whose document counts are kept for related articles (about 100 bytes each).
HELD_BY_WORDS = 50_000


class CappedPrefix(query.Prefix):
    """A prefix query that expands to its most frequent completions only."""

    def _btexts(self, ixreader):
        completions = list(ixreader.expand_prefix(self.fieldname, self.text))
        if len(completions) <= PREFIX_EXPANSIONS:
            return completions
        completions.sort(key=lambda btext: -ixreader.doc_frequency(self.fieldname, btext))
        return sorted(completions[:PREFIX_EXPANSIONS])


class CappedPrefixPlugin(qparser.PrefixPlugin):
    class PrefixNode(qparser.PrefixPlugin.PrefixNode):
        qclass = CappedPrefix

    nodetype = PrefixNode


class BudgetedCollector(collectors.FilterCollector):
    """Whoosh's filtering collector that stops at a deadline (perf_counter seconds).

    Not TimeLimitCollector: wrapped around a filter it bypasses the filter, and wrapped
    inside one it never sees the documents.
    """

    def __init__(self, child, allow: query.Query | None, deadline: float):
        super().__init__(child, allow=allow)
        self.deadline = deadline

    def collect_matches(self):
        child, allow = self.child, self._allow
        for count, sub_docnum in enumerate(child.matches()):
            if not count & 255 and time.perf_counter() > self.deadline:
                raise searching.TimeLimit
            if allow is not None and self.offset + sub_docnum not in allow:
                self.filtered_count += 1
                continue
            child.collect(sub_docnum)


def _folded_stemmer():
    """English stemming on accent-folded words: "Frühburgunder" is found by
    "fruhburgunder", "café" by "cafe"."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=50000)
    )


def _folded_plain():
    """Names and labels: lowercase, stop words out, accents folded ("muller" finds Müller)."""
    return StandardAnalyzer() | CharsetFilter(accent_map)


def _language_fields() -> dict[str, AnalysedText]:
    """One field per stemmed language: its stop words and stemmer, then accents folded
    (the stemmers expect the accents; queries are folded the same way)."""
    return {
        f"text_{code}": AnalysedText(analyzer=LanguageAnalyzer(code) | CharsetFilter(accent_map))
        for code in STEMMED_LANGUAGES
    }


# Commits merge segments of like size, but never one this large again (`merges`):
# a bulk load's batches of 500 articles make segments of 5,000, about 45,000 quotes.
_ARTICLE_MERGES = merge_policy(unmerged_from=1_000)
_QUOTE_MERGES = merge_policy(unmerged_from=10_000)


def _shape(schema: Schema) -> list[tuple[str, str]]:
    return sorted((name, type(field).__name__) for name, field in schema.items())


def build_schema() -> Schema:
    stem = _folded_stemmer()
    plain = _folded_plain
    return Schema(
        id=ID(stored=True, unique=True),
        title=AnalysedText(analyzer=stem, field_boost=2.0),
        # The text lives in the database; chars=True lets highlighting use the
        # stored positions instead of re-tokenising the whole article.
        body=AnalysedText(analyzer=stem, chars=True),
        # Neighbouring frequent words of the body, for phrases of them (`pairs`).
        body_pairs=WordPairs("body", analyzer=stem),
        # Each distinct word of title and body once, unstemmed: the dictionary for "did
        # you mean". Whoosh's spelling=True re-analyses the whole body (44 % of indexing).
        words=AnalysedKeyword(lowercase=True, scorable=False),
        speaker=AnalysedText(analyzer=plain()),  # names and aliases, for `speaker:okafor`
        theme=AnalysedText(analyzer=plain()),  # theme names, for `theme:privacy`
        publisher=AnalysedText(analyzer=plain()),
        author=AnalysedText(analyzer=plain()),
        speakers=AnalysedKeyword(
            commas=True, scorable=False
        ),  # speaker slugs, for filters and facets
        themes=AnalysedKeyword(commas=True, scorable=False),
        source=AnalysedKeyword(commas=True, scorable=False),  # publisher slug
        year=AnalysedKeyword(commas=True, scorable=False),
        language=AnalysedKeyword(commas=True, scorable=False),  # ISO 639-1, as the article says
        published=DATETIME(sortable=True),
        **_language_fields(),  # title and body again, in the article's language only
    )


def build_quote_schema() -> Schema:
    """One document per quote, carrying its article's fields for filters and facets.

    The quote's words are in `body` so the query syntax (`title:`, `speaker:`, `theme:`,
    `by:`) means the same for quotes as for articles.
    """
    stem = _folded_stemmer()
    plain = _folded_plain
    return Schema(
        id=ID(stored=True, unique=True),  # the quote's id
        article=ID(stored=True),
        body=AnalysedText(analyzer=stem, chars=True),
        title=AnalysedText(analyzer=stem),
        # Names and aliases, or the stated source of an unattributed quote ("a spokesperson").
        speaker=AnalysedText(analyzer=plain()),
        theme=AnalysedText(analyzer=plain()),
        publisher=AnalysedText(analyzer=plain()),
        author=AnalysedText(analyzer=plain()),
        speakers=AnalysedKeyword(commas=True, scorable=False),
        themes=AnalysedKeyword(commas=True, scorable=False),
        source=AnalysedKeyword(commas=True, scorable=False),
        year=AnalysedKeyword(commas=True, scorable=False),
        language=AnalysedKeyword(commas=True, scorable=False),
        kind=AnalysedKeyword(commas=True, scorable=False),
        published=DATETIME(sortable=True),
        **_language_fields(),  # the quote again, in its article's language only
    )


_QUERY_FIELDS = ["title", "body", "speaker", "theme", "publisher", "author"]
# A bare word in a quote search looks in what was said and who said it, not in headlines.
_QUOTE_QUERY_FIELDS = ["body", "speaker"]
# A query is also run in every other language's field, stemmed as that language: a field
# holds only the articles in its language, so each article is matched by its own
# stemmer, and the words of an English article are never stemmed as German.
_FIELD_ALIASES = {"speaker": "speaker", "theme": "theme", "title": "title", "by": "author"}
_NEAR = re.compile(r"\b(\w+)\s+NEAR(?:/(\d{1,2}))?\s+(\w+)\b")


class ArchiveIndex:
    """One Whoosh index with one long-lived searcher, refreshed when the index changes."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.RLock()
        self.prepared_texts = 0  # texts of the last index_articles a worker had analysed
        self._index: index.Index | None = None
        self._searcher = None
        self._facet_values: dict[str, list[tuple[str, ...]]] | None = None
        # Facet values per segment, by segment id: segments never change, so a new index
        # state reads only its new segments (all of them took 5 s for 100,000 articles
        # and 6.5 s for their quotes, paid by the first search after every commit).
        self._segment_facets: dict[str, dict] = {}
        self._segment_quote_facets: dict[str, dict] = {}
        self._words: dict[str, list[str]] | None = None  # "did you mean" words per field
        # Totals and facet counts of recent searches, and related articles of recent
        # pages: valid for the current searcher only, cleared when it is reopened.
        self._remembered: OrderedDict[tuple, object] = OrderedDict()
        # How many articles hold each body word asked about by related articles (at most
        # HELD_BY_WORDS): pages share most of their words, and each lookup reads every
        # segment's term table (two thirds of a first view at 100,000 articles).
        self._held_by: dict[str, int] = {}
        # The body analyser's terms of each written word seen by related articles (at
        # most HELD_BY_WORDS): the analyser's chain of filters cost 2 ms a first view.
        self._stems: dict[str, tuple[str, ...]] = {}
        # Query parsers by (quotes?, language): None is the English/all-fields parser.
        self._parsers: dict[tuple[bool, str | None], qparser.QueryParser] = {}
        self._quote_index: index.Index | None = None
        self._quote_searcher = None
        self._quote_facet_values: dict[str, list[tuple[str, ...]]] | None = None
        self._pointer: tuple[int, int] | None = None  # the generation pointer when opened
        self._builder = SegmentBuilder()  # writes batches in the background (`building`)
        self._out: _Batch | None = None  # the batch it is writing

    # -- opening -------------------------------------------------------------------------
    def open(self) -> index.Index:
        with self._lock:
            if self._index is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._pointer = generations.pointer_stamp(self.directory)
                live = generations.active_dir(self.directory)
                if index.exists_in(str(live)):
                    self._index = _storage(live).open_index()
                else:  # a new archive starts in a generation folder
                    folder = generations.new_generation_dir(self.directory)
                    _storage(folder).create_index(build_schema())
                    # Both indexes at once: a new archive is current, not "older".
                    _storage(folder).create_index(build_quote_schema(), indexname=QUOTE_INDEX)
                    generations.switch_to(self.directory, folder)
                    self._pointer = generations.pointer_stamp(self.directory)
                    self._index = _storage(folder).open_index()
            return self._index

    def open_quotes(self) -> index.Index:
        """The quote index of the live generation (created empty in an older archive's
        folder, which `reindex` then fills)."""
        with self._lock:
            self.open()
            if self._quote_index is None:
                storage = _storage(generations.active_dir(self.directory))
                if not storage.index_exists(QUOTE_INDEX):
                    storage.create_index(build_quote_schema(), indexname=QUOTE_INDEX)
                self._quote_index = storage.open_index(QUOTE_INDEX)
            return self._quote_index

    def _follow_pointer(self) -> None:
        """Reopen on the new generation if a rebuild (in any process) switched to one."""
        if self._index is not None and generations.pointer_stamp(self.directory) != self._pointer:
            self.close()

    def clean_leftovers(self) -> list[Path]:
        """Remove what a killed rebuild or writer left behind. Call only while holding the
        archive's writer lock: a rebuild in progress looks exactly like a leftover."""
        with self._lock:
            stale = generations.stale_paths(self.directory)
            generations.remove_paths(stale)
            live = generations.active_dir(self.directory)
            storage = _storage(live)
            try:
                current = storage.open_index() if index.exists_in(str(live)) else None
            except UNREADABLE_SCHEMA as error:  # rebuilt next (`schema_is_current`)
                _close_toc_file(error)
                current = None
            if current is not None:
                index.clean_files(
                    storage, current.indexname, current.latest_generation(), current._segments()
                )
                for temporary in live.glob("*.tmp"):
                    generations.remove_paths([temporary])
                    stale.append(temporary)
            return stale

    def warm(self) -> None:
        """Open both searchers and read the facet values and languages every search
        needs: at 100,000 articles the first article search of a new process took 5 s
        and its first quote search 6.5 s, and with several server processes each paid it
        on its own first requests."""
        with self._lock:
            for quotes in (False, True):
                self._languages_present(quotes=quotes)
            self._facet_lists(self._current_searcher())
            self._quote_facet_lists(self._current_quote_searcher())

    def schema_is_current(self) -> bool:
        """False for an index written by an older version with other fields or field types,
        without the quote index, or with field classes this version no longer has."""
        try:
            articles = self.open()  # first: a new archive gets its generation folder here
            live = _storage(generations.active_dir(self.directory))
            quotes = self.open_quotes() if live.index_exists(QUOTE_INDEX) else None
        except UNREADABLE_SCHEMA as error:  # its schema names a class that is gone
            _close_toc_file(error)
            self.close()
            return False
        return (
            quotes is not None
            and _shape(articles.schema) == _shape(build_schema())
            and _shape(quotes.schema) == _shape(build_quote_schema())
        )

    def close(self) -> None:
        """Close readers; a batch still being written is dropped (`building`)."""
        with self._lock:
            self._out = None
            self._builder.close()
            self._pointer = None
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._index = None
            self._facet_values = None
            self._words = None
            if self._quote_searcher is not None:
                self._quote_searcher.close()
            self._quote_searcher = None
            self._quote_index = None
            self._quote_facet_values = None
            self._forget_derived()

    def _current_searcher(self):
        """The shared searcher, refreshed (cheaply) if a writer committed since."""
        self._follow_pointer()
        if self._searcher is None:
            self._searcher = self.open().searcher(weighting=ArchiveBM25F())
            self._facet_values = None
            self._words = None
            self._forget_derived()
        elif not self._searcher.up_to_date():
            # Not searcher.refresh(): Whoosh-Reloaded's reader reuse keeps segments that a
            # merge replaced, so deleted or re-indexed articles would be counted twice.
            stale = self._searcher
            self._searcher = self.open().searcher(weighting=ArchiveBM25F())
            stale.close()
            self._facet_values = None
            self._words = None
            self._forget_derived()
        return self._searcher

    def _current_quote_searcher(self):
        """The shared quote searcher, refreshed like the article searcher."""
        self._current_searcher()  # follows the generation pointer first
        if self._quote_searcher is None or not self._quote_searcher.up_to_date():
            stale = self._quote_searcher
            self._quote_searcher = self.open_quotes().searcher(weighting=ArchiveBM25F())
            if stale is not None:
                stale.close()
            self._quote_facet_values = None
            self._forget_derived()
        return self._quote_searcher

    # -- writing -------------------------------------------------------------------------
    def writer(self):
        with self._lock:
            self.wait_for_writes()  # its commit would remove the segment being built
            self._follow_pointer()
            return with_term_pool(self.open().writer(), ARTICLE_POOL_MB)

    def quote_writer(self):
        with self._lock:
            self.wait_for_writes()
            self._follow_pointer()
            return with_term_pool(self.open_quotes().writer(), QUOTE_POOL_MB)

    @staticmethod
    def delete_document(writer, article_id: int) -> None:
        writer.delete_by_term("id", str(article_id))

    def index_articles(
        self,
        docs: Iterable[IndexDocument],
        replace: Iterable[int] = (),
        prepared: Mapping[int, bytes] | None = None,
        *,
        background: bool = False,
    ) -> int:
        """Add documents in one commit, first removing the old versions of `replace`.
        `prepared`: postings an extraction worker worked out, by article id (`prepare`).
        `background`: a batch of at least `BACKGROUND_FROM` documents is written by
        another process (`building`) and committed by the next call that writes, or by
        `wait_for_writes`.

        Only articles that may already be indexed are deleted first: Whoosh's
        update_document would search the index once for every new article too.
        """
        prepared = prepared or {}
        docs = list(docs)
        replace = list(replace)
        with self._lock:
            self.wait_for_writes()
            if not (background and len(docs) >= BACKGROUND_FROM):
                return self._index_here(docs, replace, prepared)
            self._follow_pointer()
            # An older archive's folder gets its quote index before the child opens it.
            self.open_quotes()
            schema = self.open().schema  # read afresh: the pair words go in the next commit
            _choose_pair_words(schema, docs, prepared)
            folder = str(generations.active_dir(self.directory))
            self._out = _Batch(docs, replace, prepared, schema)
            self._builder.submit(_build_segments, folder, schema, docs, prepared)
            return len(docs)

    def wait_for_writes(self) -> None:
        """Commit the batch being written in the background, if any."""
        with self._lock:
            batch, self._out = self._out, None
            if batch is None:
                return
            try:
                segment, quote_segment, self.prepared_texts = self._builder.result()
            except Exception:  # the child failed or died: the batch is written here
                self._index_here(batch.docs, batch.replace, batch.prepared)
                return
            writer, quote_writer = self.writer(), self.quote_writer()
            writer.schema = batch.schema
            with _cancelled_on_error(writer, quote_writer):
                self._delete_old(writer, quote_writer, batch.docs, batch.replace)
            commit_with(quote_writer, quote_segment, _QUOTE_MERGES)
            commit_with(writer, segment, _ARTICLE_MERGES)

    def _index_here(
        self, docs: list[IndexDocument], replace: list[int], prepared: Mapping[int, bytes]
    ) -> int:
        writer, quote_writer = self.writer(), self.quote_writer()
        with _cancelled_on_error(writer, quote_writer):
            _choose_pair_words(writer.schema, docs, prepared)
            self._delete_old(writer, quote_writer, docs, replace)
            self.prepared_texts = _write_documents(writer, quote_writer, docs, prepared)[1]
        quote_writer.commit(mergetype=_QUOTE_MERGES)
        writer.commit(mergetype=_ARTICLE_MERGES)
        return len(docs)

    def _delete_old(self, writer, quote_writer, docs: list[IndexDocument], replace: list[int]):
        for article_id in replace:
            self.delete_document(writer, article_id)
            quote_writer.delete_by_term("article", str(article_id))
        # Quotes are removed by article every time: an interrupted run can leave an
        # article's quotes indexed without the article.
        for doc in docs:
            quote_writer.delete_by_term("article", str(doc.article_id))

    def optimize(self) -> int:
        """Merge each index's segments into one, copying their posting blocks
        (`merges`, `block_copy`); deleted documents go. A bulk load leaves a segment per
        `ARCHIVE_INDEX_BATCH` articles, and some work is per segment: at 100,000 articles
        (20 segments) the first view of an article page spent 20 ms counting words in
        each. The quote index merges in the builder's process while this one merges the
        articles, on the other core: at 10,000 articles 19 s instead of 30-37 s
        (docs/benchmarks.md). Returns
        the number of segments merged (0: nothing to do)."""
        with self._lock:
            self.wait_for_writes()
            merged = quote_segments = _segments_to_merge(self.open_quotes())
            folder = str(generations.active_dir(self.directory))
            if quote_segments:
                self._builder.submit(_merge_everything_in, folder, QUOTE_INDEX)
            try:
                merged += _merge_everything(self.open())
            finally:
                if quote_segments:
                    try:
                        self._builder.result()
                    except Exception:  # the child failed or died: merged here instead
                        _merge_everything(self.open_quotes())
        return merged

    def merge_after_load(self) -> int:
        """After an ingest run: `optimize` when the article index's segments besides its
        largest hold at least as many documents as it (`lopsided`; the quote index
        follows, its segments being the same batches). A bulk load into an empty archive
        ends merged, so searches and first views read one segment; an archive growing by
        small runs merges each time it has about doubled, so a document is rewritten
        about twice in all, not once per run."""
        with self._lock:
            self.wait_for_writes()  # a batch still being built counts
            if not lopsided(self.open()._segments()):
                return 0
            return self.optimize()

    def preparer(self) -> Callable[[IndexDocument], bytes]:
        """What an extraction worker runs to analyse an article's texts for the writer."""
        return prepare

    def begin_bulk_load(self) -> bool:
        """Nothing to put off: a bulk load's commits already write each document once
        (merges.py), and `merge_after_load` merges them once at the end."""
        return False

    def end_bulk_load(self) -> None:
        pass

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Build a complete new index beside the live one, then switch to it atomically.

        Until the switch every reader keeps the old index; if the build dies, the old one
        stays live and the half-built folder is removed by `clean_leftovers`.
        """
        folder = generations.new_generation_dir(self.directory)
        try:
            storage = _storage(folder)
            writer = storage.create_index(build_schema()).writer(limitmb=256)
            quote_writer = storage.create_index(build_quote_schema(), indexname=QUOTE_INDEX).writer(
                limitmb=128
            )
            with _cancelled_on_error(writer, quote_writer):
                docs = iter(docs)  # the sample is taken off the front, not read twice
                sample = list(islice(docs, SAMPLE_DOCUMENTS))
                _choose_pair_words(writer.schema, sample, {})
                count = _write_documents(writer, quote_writer, chain(sample, docs), {})[0]
            quote_writer.commit(optimize=True)
            writer.commit(optimize=True)
        except BaseException:
            generations.remove_paths([folder])
            raise
        with self._lock:
            generations.switch_to(self.directory, folder)
            self.close()
            # The old generation: readers in other processes keep their open files.
            generations.remove_paths(generations.stale_paths(self.directory))
        return count

    def document_count(self) -> int:
        with self._lock:
            return self._current_searcher().doc_count()

    def stored_ids(self) -> set[int]:
        with self._lock:
            searcher = self._current_searcher()
            return {int(fields["id"]) for fields in searcher.all_stored_fields()}

    # -- searching -----------------------------------------------------------------------
    def parse(self, text: str, *, quotes: bool = False) -> query.Query:
        check_syntax(text)  # the checks and messages every backend shares
        # "a NEAR b" (or NEAR/3): both words within that many words, Whoosh's "a b"~5.
        text = _NEAR.sub(lambda m: f'"{m.group(1)} {m.group(3)}"~{m.group(2) or 5}', text)
        for alias, name in _FIELD_ALIASES.items():
            text = re.sub(rf"\b{alias}:", f"{name}:", text, flags=re.IGNORECASE)
        # "-word" means NOT word, as in web search engines.
        text = re.sub(r"(^|\s)-(?=[\w\"])", r"\1NOT ", text)
        try:
            parsed = self._query_parser(quotes=quotes).parse(text)
            # The whole query again for each other language the archive holds, with that
            # language's field for the text: an article matches when the query does in one
            # language, so an English stop word ("the") is never a required German word.
            in_languages = [
                self._query_parser(quotes=quotes, language=code).parse(text)
                for code in self._languages_present(quotes=quotes)
            ]
        except Exception as error:  # Whoosh's parser trips over some operator soups
            raise QueryError(
                "The query could not be understood: check AND, OR, NOT and brackets, "
                "or put words in quotes to search for them as they are."
            ) from error
        if parsed is query.NullQuery:
            raise QueryError("The query has no words to search for.")
        in_languages = [other for other in in_languages if other is not query.NullQuery]
        return query.Or([parsed, *in_languages]) if in_languages else parsed

    def _languages_present(self, *, quotes: bool) -> list[str]:
        """The stemmed languages (besides English) of the indexed articles, read once per
        index state: an archive in English alone pays nothing for the others."""
        with self._lock:
            searcher = self._current_quote_searcher() if quotes else self._current_searcher()
            key = ("languages", quotes)
            if key not in self._remembered:
                codes: list[str] = []
                if "language" in searcher.schema:  # an older index, until it is rebuilt
                    codes = [
                        code
                        for term in searcher.reader().lexicon("language")
                        if (code := term.decode("utf-8")) in STEMMED_LANGUAGES
                    ]
                self._remember(key, codes)
            return self._remembered[key]

    def _query_parser(
        self, *, quotes: bool = False, language: str | None = None
    ) -> qparser.QueryParser:
        key = (quotes, language)
        if key not in self._parsers:
            if quotes:
                fields, schema = _QUOTE_QUERY_FIELDS, self.open_quotes().schema
                boosts = {"speaker": 1.5}
            else:
                fields, schema = _QUERY_FIELDS, self.open().schema
                boosts = {"title": 2.0, "speaker": 1.5, "theme": 1.0}
            if language:  # the language's field holds the title and the text
                text_field = f"text_{language}"
                fields = [text_field, *(f for f in fields if f not in ("title", "body"))]
            self._parsers[key] = _configure_parser(
                qparser.MultifieldParser(fields, schema, fieldboosts=boosts)
            )
        return self._parsers[key]

    def _filter_query(self, params: SearchParams) -> query.Query | None:
        terms: list[query.Query] = []
        for fieldname, values in (
            ("speakers", params.speakers),
            ("themes", params.themes),
            ("source", params.sources),
        ):
            terms.extend(query.Term(fieldname, value) for value in values)
        if params.kinds:
            terms.append(query.Or([query.Term("kind", kind) for kind in params.kinds]))
        if params.years:
            terms.append(query.Or([query.Term("year", year) for year in params.years]))
        if params.languages:
            terms.append(query.Or([query.Term("language", code) for code in params.languages]))
        if params.date_from or params.date_to:
            terms.append(query.DateRange("published", params.date_from, params.date_to))
        return query.And(terms) if terms else None

    def _facet_lists(self, searcher) -> dict[str, list[tuple[str, ...]]]:
        """For each facet field, the values of every document; built once per index state."""
        if self._facet_values is None:
            self._facet_values = _values_per_document(searcher, FACET_FIELDS, self._segment_facets)
        return self._facet_values

    def _quote_facet_lists(self, searcher) -> dict[str, list[tuple[str, ...]]]:
        if self._quote_facet_values is None:
            self._quote_facet_values = _values_per_document(
                searcher, QUOTE_FACET_FIELDS, self._segment_quote_facets
            )
        return self._quote_facet_values

    def search(
        self,
        params: SearchParams,
        load_texts: Callable[[list[int]], dict[int, str]],
    ) -> SearchResults:
        """Run a search: a page of hits with highlighted snippets, facet counts and a total.

        `load_texts` reads the database, so it is called after the index lock is released:
        a request holding a database connection may be waiting for that lock.
        """
        found = self._collect(params, quotes=False)
        texts = load_texts(found.ids) if found.ids else {}
        found.results.fragmenter = highlight.PinpointFragmenter(
            # Two fragments of up to about 240 characters: a snippet, not a page.
            maxchars=160,
            surround=40,
            autotrim=True,
        )
        found.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        hits = []
        for hit in found.page_hits:
            article_id = int(hit["id"])
            text = texts.get(article_id, "")
            snippet = hit.highlights("body", text=text, top=2) if params.q.strip() else ""
            if not snippet:
                snippet = _escape(_leading_words(text))
            hits.append(
                Hit(
                    article_id=article_id,
                    score=hit.score or 0.0,
                    snippet=snippet,
                    paragraph=_best_paragraph(found.results, hit.docnum, text, snippet),
                )
            )
        return found.finish(hits)

    def search_quotes(
        self,
        params: SearchParams,
        load_texts: Callable[[list[int]], dict[int, str]],
    ) -> SearchResults:
        """Search quotes: each hit is one quote, its whole text highlighted.

        The same query syntax, filters (plus `kinds`), facets, time budget and cache as
        `search`; `load_texts` maps quote ids to their texts and is called, like there,
        after the index lock is released.
        """
        found = self._collect(params, quotes=True)
        texts = load_texts(found.ids) if found.ids else {}
        found.results.fragmenter = highlight.WholeFragmenter(charlimit=None)
        found.results.formatter = highlight.HtmlFormatter(tagname="mark")
        hits = []
        for hit in found.page_hits:
            quote_id = int(hit["id"])
            text = texts.get(quote_id, "")
            # A quote found by its speaker's name has no matched words of its own.
            snippet = hit.highlights("body", text=text, top=1) if params.q.strip() else ""
            hits.append(
                QuoteHit(
                    quote_id=quote_id,
                    article_id=int(hit["article"]),
                    score=hit.score or 0.0,
                    snippet=snippet or _escape(text),
                )
            )
        return found.finish(hits)

    def _collect(self, params: SearchParams, *, quotes: bool) -> _Collected:
        """The index half of a search, under the lock: matches, counts, this page's hits
        and their highlight positions. Nothing here touches the database."""
        started = time.perf_counter()
        user_query = self.parse(params.q, quotes=quotes) if params.q.strip() else query.Every()
        parsed = user_query
        filter_query = self._filter_query(params)
        allow = filter_query
        if filter_query is not None and params.q.strip():
            # Intersected in the matcher, which skips through the words' postings to the
            # filter's documents, instead of walking every match of a common word in
            # Python to test it against the filter (quotes outnumber articles nine to one).
            # Require scores with the words only, so the ranking is unchanged. Without
            # words, testing each document against the filter's set is the faster way.
            user_query, allow = query.Require(user_query, filter_query), None
        page = max(1, params.page)
        key = ("quotes" if quotes else "articles", *_count_key(params))
        with self._lock:
            searcher = self._current_quote_searcher() if quotes else self._current_searcher()
            sortedby, reverse = _sorting(params)
            counted = self._remembered.get(key)
            collector = searcher.collector(
                # Without a limit Whoosh keeps every match, which the facets and the total
                # need; a second pass over the postings cost a fifth of a search.
                # One page more than shown, so that ties across the page's end are settled.
                limit=(page + 1) * params.page_size if counted else None,
                sortedby=sortedby,
                reverse=reverse,
                # Which words matched is worked out for the shown page only
                # (_mark_matched_words): kept for every match it was a quarter of a
                # common word's search and most of its memory.
                terms=False,
                optimize=False,
            )
            timed = BudgetedCollector(collector, allow, started + SEARCH_SECONDS)
            partial = False
            try:
                searcher.search_with_collector(user_query, timed)
            except searching.TimeLimit:
                partial = True
            results = timed.results()
            if counted is None:
                matched = sorted(results.docs())
                if quotes:
                    facet_lists, fields = self._quote_facet_lists(searcher), QUOTE_FACET_FIELDS
                else:
                    facet_lists, fields = self._facet_lists(searcher), FACET_FIELDS
                counted = (
                    len(matched),
                    {name: _count_facet(facet_lists[name], matched) for name in fields},
                )
                if not partial:
                    self._remember(key, counted)
            total, facets = counted
            start = (page - 1) * params.page_size
            end = min(len(results.top_n), page * params.page_size)
            if sortedby is None and params.q.strip():
                _break_ties(results, searcher, start, end)
            page_hits = [results[i] for i in range(start, end)]
            # The highlighter loads character positions for every hit in top_n (all the
            # matches, now): only this page's hits are shown.
            results.top_n = results.top_n[start:end]
            ids = [int(hit["id"]) for hit in page_hits]
            if params.q.strip():
                _mark_matched_words(results, searcher, parsed, [hit.docnum for hit in page_hits])
                _load_highlight_positions(results, "body")
            suggestion = None
            if not total and params.q.strip():
                suggestion = self._suggest(self._current_searcher(), params.q, user_query)
        return _Collected(
            params, started, results, page_hits, ids, total, facets, suggestion, partial
        )

    def _forget_derived(self) -> None:
        """Drop what was worked out from the searcher being replaced."""
        self._remembered.clear()
        self._held_by.clear()
        self._stems.clear()  # a reindexed schema may analyse words otherwise

    def _remember(self, key: tuple, counted: object) -> None:
        self._remembered[key] = counted
        if len(self._remembered) > REMEMBERED_RESULTS:
            self._remembered.popitem(last=False)

    def _suggest(self, searcher, text: str, parsed: query.Query) -> str | None:
        """The query with each unknown word replaced by the closest frequent archive word;
        after `speaker:`, by the closest word of a speaker's name."""
        suggested = []
        changed = False
        reader = searcher.reader()
        for word in text.split():
            fieldname, _, value = word.rpartition(":")
            fieldname = "speaker" if fieldname.lower() == "speaker" else VOCABULARY
            bare = value.strip("\"'()").lower()
            if fieldname == "speaker":  # names are indexed with accents folded
                bare = bare.translate(accent_map)
            if (
                bare.isalpha()
                and len(bare) > 2
                and (fieldname == "speaker" or ":" not in word)
                and not reader.doc_frequency(fieldname, bare)
            ):
                option = self._closest_word(searcher, bare, fieldname)
                if option:
                    suggested.append(word.lower().replace(bare, option))
                    changed = True
                    continue
            suggested.append(word)
        return " ".join(suggested) if changed else None

    def _closest_word(self, searcher, word: str, fieldname: str = VOCABULARY) -> str | None:
        """Fewest edits first (a swap of neighbours is one edit), then the most frequent.

        Whoosh's corrector walked the whole dictionary in Python (0.7 s for a query with
        no hits at 2,000 articles) and ranked "privcy" → "price" over "privacy".
        """
        words = self._vocabulary(searcher, fieldname)
        most = 1 if len(word) <= 4 else 2
        candidates = process.extract(
            word, words, scorer=OSA.distance, score_cutoff=most, limit=None
        )
        if not candidates:
            return None
        reader = searcher.reader()
        # A word's count of articles is its weight in the vocabulary (one posting a
        # segment); in a speaker's name, the documents naming it.
        used = reader.frequency if fieldname == VOCABULARY else reader.doc_frequency
        best = min(candidates, key=lambda hit: (hit[1], -used(fieldname, hit[0]), hit[0]))
        return best[0]

    def _vocabulary(self, searcher, fieldname: str = VOCABULARY) -> list[str]:
        """Every distinct word of a field (the archive's words, speakers' names), read once
        per index state."""
        if self._words is None:
            self._words = {}
        if fieldname not in self._words:
            lexicon = searcher.reader().lexicon(fieldname)
            self._words[fieldname] = [term.decode("utf-8") for term in lexicon]
        return self._words[fieldname]

    def count(self, params: SearchParams, *, quotes: bool = False) -> int:
        """How many articles (or quotes) match, without ranking, snippets or facets."""
        user_query = self.parse(params.q, quotes=quotes) if params.q.strip() else query.Every()
        filter_query = self._filter_query(params)
        full_query = query.And([user_query, filter_query]) if filter_query else user_query
        with self._lock:
            searcher = self._current_quote_searcher() if quotes else self._current_searcher()
            return sum(1 for _ in searcher.docs_for_query(full_query))

    def ranked_ids(self, params: SearchParams, limit: int, *, quotes: bool = False) -> list[int]:
        """Article (or quote) ids of up to `limit` hits in the search's order, for exports,
        feeds and charts."""
        user_query = self.parse(params.q, quotes=quotes) if params.q.strip() else query.Every()
        filter_query = self._filter_query(params)
        sortedby, reverse = _sorting(params)
        with self._lock:
            searcher = self._current_quote_searcher() if quotes else self._current_searcher()
            results = searcher.search(
                user_query,
                filter=filter_query,
                limit=max(1, limit),
                sortedby=sortedby,
                reverse=reverse,
                optimize=False,
            )
            return [int(hit["id"]) for hit in results]

    def highlight_passages(self, text: str, passages: list[str]) -> list[str | None]:
        """Each passage as escaped HTML with the query's matched words in <mark>, or None
        where none matched: for an article opened from a search (`?q=`).

        Matching follows the index (stemming, prefixes expanded against it); phrases are
        marked word by word.
        """
        if not text.strip():
            return [None] * len(passages)
        parsed = self.parse(text)
        with self._lock:
            reader = self._current_searcher().reader()
            schema = self.open().schema
            # Words per analysing field: English stems mark `body` and `title` matches, a
            # language's stems (found through `text_de`...) mark that language's words.
            words: dict[str, set] = {}
            # Leaf by leaf: Query.existing_terms reuses its `fieldname` argument as a loop
            # variable, so after the first leaf it skips every leaf of another field.
            for leaf in _wanted_leaves(parsed):
                if leaf.field() not in ("body", "title", *LANGUAGE_FIELDS):
                    continue
                for fieldname, word in leaf.expanded_terms(reader, phrases=True):
                    if (fieldname, word) in reader:
                        target = "body" if fieldname == "title" else fieldname
                        words.setdefault(target, set()).add(word)
        if not words:
            return [None] * len(passages)
        fragmenter = highlight.WholeFragmenter(charlimit=None)
        formatter = highlight.HtmlFormatter(tagname="mark")
        marked: list[str | None] = []
        for passage in passages:
            # One field's marks per passage: the one marking most words.
            options = [
                highlight.highlight(
                    passage, frozenset(found), schema[name].analyzer, fragmenter, formatter, top=1
                )
                for name, found in words.items()
            ]
            best = max(options, key=lambda html: html.count("<mark"), default="")
            marked.append(best or None)
        return marked

    def more_like_this(self, article_id: int, text: str, limit: int = 5) -> list[int]:
        """Ids of articles most like this one, by the distinctive words of its text."""
        with self._lock:
            searcher = self._current_searcher()
            key = ("related", article_id, limit)
            if key not in self._remembered:  # the answer only changes with the index
                self._remember(key, self._related(searcher, article_id, text, limit))
            return self._remembered[key]

    def _related(self, searcher, article_id: int, text: str, limit: int) -> list[int]:
        own = searcher.document_number(id=str(article_id))
        if own is None:
            return []
        keywords = self._distinctive_terms(searcher, text)
        if not keywords:
            return []
        best = best_documents(searcher, "body", keywords, limit + 1)
        found = [docnum for docnum, _ in best if docnum != own][:limit]
        return [int(searcher.stored_fields(docnum)["id"]) for docnum in found]

    def _distinctive_terms(self, searcher, text: str, count: int = 12) -> list[tuple[str, float]]:
        """The article's words weighted by tf-idf, from its most frequent words only.

        Whoosh's key_terms_from_text scores every term of the text against the index
        (140 ms for a long article at 10,000 articles); frequent terms carry the topic.
        Words are counted as written (in C) and only the most frequent are stemmed: the
        analyser over the whole text was two thirds of an article page's first view.
        """
        analyzer = searcher.schema["body"].analyzer
        frequencies: Counter[str] = Counter()
        for word, tf in Counter(_WORD.findall(text.lower())).most_common(count * 20):
            stems = self._stems.get(word)
            if stems is None:
                if len(self._stems) >= HELD_BY_WORDS:
                    self._stems.clear()
                stems = self._stems[word] = tuple(
                    token.text for token in analyzer(word) if len(token.text) > 2
                )
            for stem in stems:
                frequencies[stem] += tf
        # Words in more than a twentieth of the archive say little about the topic, and
        # their long posting lists are what makes the related-articles query slow.
        common = max(10, searcher.doc_count() // 20)
        readers = None
        weighted = []
        for word, tf in frequencies.most_common(count * 6):
            held_by = self._held_by.get(word)
            if held_by is None:
                if len(self._held_by) >= HELD_BY_WORDS:
                    self._held_by.clear()
                readers = readers or largest_segments_first(searcher)
                # Exact up to `common`, which stays the same until the searcher changes
                # (and `_held_by` is forgotten with it).
                held_by = self._held_by[word] = held_by_up_to(readers, "body", word, common)
            if 0 < held_by <= common:  # an exact count, so no need to count it again
                idf = idf_of_counted(searcher, "body", word, held_by)
                weighted.append((word, tf * idf, held_by))
        weighted.sort(key=lambda item: -item[1])
        # The best words whose postings fit the budget: the query reads every posting.
        chosen, budget = [], RELATED_POSTINGS
        for word, weight, held_by in weighted:
            if held_by <= budget:
                chosen.append((word, weight))
                budget -= held_by
                if len(chosen) == count:
                    break
        return chosen

    def generation(self) -> int:
        """Changes whenever a writer commits: a key for anything derived from the archive."""
        with self._lock:
            return self._current_searcher().reader().generation()


@dataclass
class _Collected:
    """What a search found in the index, before texts are read from the database."""

    params: SearchParams
    started: float
    results: searching.Results
    page_hits: list
    ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    partial: bool

    def finish(self, hits: list) -> SearchResults:
        return SearchResults(
            params=self.params,
            total=self.total,
            hits=hits,
            facets=self.facets,
            suggestion=self.suggestion,
            took_ms=(time.perf_counter() - self.started) * 1000,
            partial=self.partial,
        )


def _configure_parser(parser: qparser.QueryParser) -> qparser.QueryParser:
    parser.phraseclass = AdjacentWords
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(CappedPrefixPlugin())
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    # Ranges over words ("[a TO z]") expand to most of the vocabulary and mean little to
    # readers; dates have their own filters.
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


def _values_per_document(
    searcher, fieldnames: Iterable[str], by_segment: dict[str, dict]
) -> dict[str, list[tuple[str, ...]]]:
    """For each field, the tuple of its values for every document number, put together
    from each segment's (kept in `by_segment`, which is left holding the current
    segments' only)."""
    fieldnames = list(fieldnames)
    current: dict[str, dict] = {}
    for reader, _ in searcher.reader().leaf_readers():  # in document-number order
        segment = reader.segment()  # None for an empty index's reader
        segment_id = segment.segment_id() if segment is not None else "empty"
        found = by_segment.get(segment_id) if segment is not None else None
        current[segment_id] = found or _segment_values(reader, fieldnames)
    by_segment.clear()
    by_segment.update(current)
    return {
        name: list(chain.from_iterable(values[name] for values in current.values()))
        for name in fieldnames
    }


def _segment_values(reader, fieldnames: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """`_values_per_document` for one segment.

    Documents share their tuples: a quote index of 900,000 documents holds a few thousand
    distinct combinations per field, and a tuple per document was 400 MB at 100,000
    articles (docs/benchmarks.md).
    """
    size = reader.doc_count_all()
    values: dict[str, list[tuple[str, ...]]] = {}
    for fieldname in fieldnames:
        shared: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        per_doc: list[tuple[str, ...]] = [()] * size
        for term in reader.lexicon(fieldname):
            text = (term.decode("utf-8"),)
            for docnum in reader.postings(fieldname, term).all_ids():
                grown = per_doc[docnum] + text
                per_doc[docnum] = shared.setdefault(grown, grown)
        values[fieldname] = per_doc
    return values


def _best_paragraph(results, docnum: int, text: str, snippet: str) -> int | None:
    """The paragraph with the most distinct matched words, from the character positions
    loaded under the lock (paragraphs are separated by blank lines). Among equals, the one
    the snippet shows first, so the link lands on the passage the reader just saw."""
    positions = results._char_cache.get("body", {}).get(docnum)
    if not positions or not text:
        return None
    breaks = [match.start() for match in re.finditer("\n\n", text)]
    words_in: dict[int, set[str]] = {}
    for word, spans in positions.items():
        for _, startchar, _ in spans:
            paragraph = bisect.bisect_right(breaks, startchar) + 1
            words_in.setdefault(paragraph, set()).add(word)
    most = max(len(words) for words in words_in.values())
    best = sorted(number for number, words in words_in.items() if len(words) == most)
    for fragment in snippet.split(" … "):
        start = text.find(_unmarked(fragment))
        if start < 0 or "<mark" not in fragment:
            continue
        first_mark = start + len(_unmarked(fragment[: fragment.index("<mark")]))
        if (shown := bisect.bisect_right(breaks, first_mark) + 1) in best:
            return shown
    return best[0]


def _rounded(score: float) -> float:
    return float(f"{score:.{SCORE_DIGITS}g}")


def _break_ties(results: searching.Results, searcher, start: int, end: int) -> None:
    """Order the hits from `start` to `end` (and those tied with its first and last) by
    rounded score, then article id, so that every build of the index shows the same page."""
    top_n = results.top_n
    if start >= end:
        return
    low, high = start, end
    first, last = _rounded(top_n[start][0]), _rounded(top_n[end - 1][0])
    while low > max(0, start - TIE_REACH) and _rounded(top_n[low - 1][0]) == first:
        low -= 1
    while high < min(len(top_n), end + TIE_REACH) and _rounded(top_n[high][0]) == last:
        high += 1
    window = top_n[low:high]
    ids = {docnum: int(searcher.stored_fields(docnum)["id"]) for _, docnum in window}
    window.sort(key=lambda item: (-_rounded(item[0]), ids[item[1]]))
    top_n[low:high] = window


def _unmarked(fragment: str) -> str:
    return html.unescape(re.sub(r"</?mark[^>]*>", "", fragment))


def _wanted_leaves(parsed: query.Query) -> Iterable[query.Query]:
    """The query's words and phrases, without those it excludes (`NOT pilot`)."""
    if isinstance(parsed, query.Not):
        return
    if parsed.is_leaf():
        yield parsed
        return
    for child in parsed.children():
        yield from _wanted_leaves(child)


def _close_toc_file(error: BaseException) -> None:
    """Whoosh's TOC.read leaves the table of contents open when its schema cannot be
    unpickled; the file is the `stream` of one of the failed call's frames."""
    traceback = error.__traceback__
    while traceback is not None:
        stream = traceback.tb_frame.f_locals.get("stream")
        if stream is not None and hasattr(stream, "close"):
            stream.close()
        traceback = traceback.tb_next


def lopsided(segments: list) -> bool:
    """Whether an index's segments besides its largest hold as many documents as it."""
    sizes = sorted(segment.doc_count_all() for segment in segments)
    return len(sizes) > 1 and sum(sizes[:-1]) >= sizes[-1]


def _storage(folder: Path) -> FileStorage:
    # mmap keeps a whole segment's postings resident; reading keeps memory small.
    return FileStorage(str(folder), supports_mmap=False)


# Whoosh stores "no date" in a sortable column as the largest value, so a plain sort by
# date puts undated articles first when newest first.
_NO_DATE = 2**64 - 1


def _sorting(params: SearchParams) -> tuple[sorting.FacetType | None, bool]:
    """Whoosh's sortedby and reverse for the search's sort (an empty query: newest first);
    undated articles come last both ways."""
    if params.sort == "newest" or (params.sort == "relevance" and not params.q.strip()):
        sign = -1
    elif params.sort == "oldest":
        sign = 1
    else:
        return None, False
    dates: dict[int, object] = {}  # each segment's dates, found once per search

    def key(searcher, docnum: int) -> tuple[int, int]:
        values = dates.get(id(searcher))
        if values is None:
            values = dates[id(searcher)] = column_values(searcher.reader(), "published")
        value = values[docnum]
        return (1, 0) if value == _NO_DATE else (0, sign * value)

    return sorting.FunctionFacet(key), False


def _mark_matched_words(results, searcher, parsed: query.Query, docnums: list[int]) -> None:
    """Record in `results` which of the query's words (not those it excludes) each shown
    document holds, as Whoosh's collector does for every match with `terms=True`: the
    highlighter marks those words."""
    reader = searcher.reader()
    words = {
        term
        for leaf in _wanted_leaves(parsed)
        for term in leaf.existing_terms(reader, phrases=True, expand=True)
    }
    docterms: dict[int, list] = {docnum: [] for docnum in docnums}
    termdocs: dict[tuple, set[int]] = {}
    in_order = sorted(docnums)
    for term in sorted(words):
        postings = reader.postings(*term)
        for docnum in in_order:
            if not postings.is_active():
                break
            postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                docterms[docnum].append(term)
                termdocs.setdefault(term, set()).add(docnum)
    results.docterms, results.termdocs = docterms, termdocs


def _load_highlight_positions(results, fieldname: str) -> None:
    """Read the matched words' character positions for the hits in top_n, into the
    results' cache, so highlighting later needs no index reads (and no index lock)."""
    field = results.searcher.schema[fieldname]
    if not results.has_matched_terms() or not field.supports("characters"):
        return
    words = frozenset(
        field.from_bytes(text) for name, text in results.matched_terms() if name == fieldname
    )
    highlight.Highlighter._load_chars(results, fieldname, words, field.to_bytes)


def _count_facet(
    values_per_doc: list[tuple[str, ...]], matched: list[int]
) -> list[tuple[str, int]]:
    if not matched:
        return []
    # One C-level pass, not a Python call per matched document.
    picked = (
        itemgetter(*matched)(values_per_doc) if len(matched) > 1 else [values_per_doc[matched[0]]]
    )
    counts = Counter(chain.from_iterable(picked))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _quote_fields(doc: IndexDocument, quote: QuoteDocument) -> dict:
    fields = {
        "id": str(quote.quote_id),
        "article": str(doc.article_id),
        "body": quote.text,
        "title": doc.title,
        "speaker": " ".join(quote.speaker_names),
        "theme": " ".join(doc.theme_names),
        "publisher": doc.publisher or "",
        "author": doc.author or "",
        "speakers": quote.speaker_slug or "",
        "themes": ",".join(doc.theme_slugs),
        "source": doc.source_slug or "",
        "kind": quote.kind,
        **_language_of(doc, quote.text),
    }
    if doc.published is not None:
        published = doc.published.astimezone(UTC).replace(tzinfo=None)
        fields["published"] = published
        fields["year"] = str(published.year)
    return fields


def _count_key(params: SearchParams) -> tuple:
    """What a search's total and facet counts depend on (not the sort or the page)."""
    return (
        params.q.strip(),
        tuple(sorted(params.speakers)),
        tuple(sorted(params.themes)),
        tuple(sorted(params.sources)),
        tuple(sorted(params.years)),
        tuple(sorted(params.languages)),
        tuple(sorted(params.kinds)),
        params.date_from,
        params.date_to,
    )


def _leading_words(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_WORD = re.compile(r"[^\W\d_]{3,}")


def _distinct_words(*texts: str) -> list[str]:
    """Sorted: the same text gives the same field in every process (`prepare`)."""
    return sorted({word for text in texts for word in _WORD.findall(text.lower())})


def _fields_of(doc: IndexDocument) -> dict:
    fields = {
        "id": str(doc.article_id),
        "title": doc.title,
        "body": doc.body,
        "body_pairs": doc.body,
        "speaker": " ".join(doc.speaker_names),
        "theme": " ".join(doc.theme_names),
        "publisher": doc.publisher or "",
        "author": doc.author or "",
        "speakers": ",".join(doc.speaker_slugs),
        "themes": ",".join(doc.theme_slugs),
        "source": doc.source_slug or "",
        VOCABULARY: " ".join(_distinct_words(doc.title, doc.body)),
        **_language_of(doc, f"{doc.title}\n\n{doc.body}"),
    }
    if doc.published is not None:
        published = doc.published.astimezone(UTC).replace(tzinfo=None)
        fields["published"] = published
        fields["year"] = str(published.year)
    return fields


# An article's own texts, which an extraction worker can analyse before it is stored.
_OWN_TEXTS = ("title", "body", VOCABULARY, *LANGUAGE_FIELDS)  # and body_pairs, with body
# Fields that many documents of a batch repeat: analysed once per batch.
_REPEATED = ("title", "speaker", "theme", "publisher", "author", "speakers", "themes")
_REPEATED += ("source", "year", "language", "kind")
_schemas: tuple[Schema, Schema] | None = None


def prepare(doc: IndexDocument) -> bytes:
    """The postings of an article's own texts and of its quotes' texts, worked out
    ahead of the writer (in an extraction worker); `index_articles` takes them."""
    global _schemas
    if _schemas is None:
        _schemas = build_schema(), build_quote_schema()
    articles, quotes = _schemas
    quote_postings: Postings = {}
    for quote in doc.quotes:
        quote_postings.update(analyse(quotes, _quote_fields(doc, quote), _OWN_TEXTS))
    return pack(analyse(articles, _fields_of(doc), _OWN_TEXTS), quote_postings)


class _Reuse:
    """Adds documents to both writers with the postings known for them."""

    def __init__(self, schema: Schema, quote_schema: Schema):
        self.articles = PostingsReuse(schema, _REPEATED)
        self.quotes = PostingsReuse(quote_schema, _REPEATED)
        self.vocabulary = BatchVocabulary(schema)

    @property
    def prepared(self) -> int:
        return self.articles.prepared + self.quotes.prepared

    def add(self, writer, quote_writer, doc: IndexDocument, prepared: bytes | None = None):
        article, quotes = unpack(prepared) if prepared else ({}, {})
        fields = self.articles.fields(_fields_of(doc), article)
        writer.add_document(**self.vocabulary.take(fields, writer.docnum))
        for quote in doc.quotes:
            quote_writer.add_document(**self.quotes.fields(_quote_fields(doc, quote), quotes))

    def finish(self, writer) -> None:
        """Before the commit: the batch's words (`vocabulary`)."""
        self.vocabulary.write(writer)


@contextmanager
def _cancelled_on_error(*writers) -> Iterator[None]:
    """Cancel every writer (nothing of theirs is committed) if the block raises."""
    try:
        yield
    except BaseException:
        for writer in writers:
            writer.cancel()
        raise


def _write_documents(
    writer, quote_writer, docs: Iterable[IndexDocument], prepared: Mapping[int, bytes]
) -> tuple[int, int]:
    """Add articles and their quotes to two writers; returns how many articles, and how
    many texts had postings prepared by a worker."""
    reuse = _Reuse(writer.schema, quote_writer.schema)
    count = 0
    for doc in docs:
        reuse.add(writer, quote_writer, doc, prepared.get(doc.article_id))
        count += 1
    reuse.finish(writer)
    return count, reuse.prepared


@dataclass
class _Batch:
    """A batch being written in the background, kept for its commit."""

    docs: list[IndexDocument]
    replace: list[int]
    prepared: Mapping[int, bytes]
    schema: Schema


def _build_segments(folder: str, schema: Schema, docs: list[IndexDocument], prepared) -> tuple:
    """In the builder's process: a batch's article and quote segments, written but not
    committed, and how many texts had prepared postings."""
    storage = _storage(Path(folder))
    writer = SegmentWriter(storage.open_index(), _lk=False)
    writer.schema = schema  # with the pair words chosen for the batch
    writer = with_term_pool(writer, ARTICLE_POOL_MB)
    quote_writer = SegmentWriter(storage.open_index(QUOTE_INDEX), _lk=False)
    quote_writer = with_term_pool(quote_writer, QUOTE_POOL_MB)
    with _cancelled_on_error(writer, quote_writer):
        prepared_texts = _write_documents(writer, quote_writer, docs, prepared)[1]
        segments = (writer._finalize_segment(), quote_writer._finalize_segment())
    writer._finish()
    quote_writer._finish()
    return (*segments, prepared_texts)


def _segments_to_merge(ix: index.Index) -> int:
    """How many segments `optimize` would merge into one (0: one without deletions)."""
    segments = ix._segments()
    if len(segments) < 2 and not any(segment.has_deletions() for segment in segments):
        return 0
    return len(segments)


def _merge_everything(ix: index.Index) -> int:
    """Merge an index's segments into one; returns how many it merged."""
    count = _segments_to_merge(ix)
    if count:
        ix.writer().commit(mergetype=merge_everything)
    return count


def _merge_everything_in(folder: str, indexname: str) -> int:
    """In the builder's process: `_merge_everything` for one index of the folder."""
    return _merge_everything(_storage(Path(folder)).open_index(indexname))


def _choose_pair_words(schema: Schema, docs: list[IndexDocument], prepared) -> None:
    """Choose the frequent words whose pairs the index holds, from the first documents
    written to it (`pairs`); the writer's commit keeps them in the schema."""
    found = pairs_of(schema, "body")
    if found is None or found[1].words is not None or not docs:
        return
    name, field = found

    def sequences():
        for doc in docs:
            packed = prepared.get(doc.article_id)
            sequence = unpack(packed)[0].get((name, doc.body)) if packed else None
            yield sequence if sequence is not None else word_sequence(field.analyzer, doc.body)

    field.words = frequent_words(sequences())


def _language_of(doc: IndexDocument, text: str) -> dict[str, str]:
    """The language facet, and the text again in its language's field when Whoosh can
    stem that language (English is `body` itself)."""
    code = (doc.language or "").strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return {}
    fields = {"language": code}
    if code in STEMMED_LANGUAGES:
        fields[f"text_{code}"] = text
    return fields
