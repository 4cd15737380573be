"""The PostgreSQL search backend: full text in the archive's own database, no local files.

Two derived tables, `search_article` and `search_quote`, hold what the index needs (from
the same IndexDocuments the Whoosh index gets) with stored generated tsvectors and GIN
indexes; `search_word` holds the vocabulary for "did you mean" (pg_trgm); `search_state`
holds the schema version and the generation counter that every web node reads, so a
commit on one node invalidates the caches of all. Queries are parsed by
`app.search.query` and compiled here: a field is a tsvector weight (A title, B body,
C speaker, D theme; publisher and author in a second vector), so `title:grid` is
`'grid':A`. Needs the `unaccent` and `pg_trgm` extensions (trusted: a database owner may
create them).
"""

from __future__ import annotations

import bisect
import html
import math
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

from app.search.postgres_backend import rum
from app.search.query import (
    And,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryError,
    Word,
    parse,
    positive_leaves,
)
from app.search.results import (
    Hit,
    IndexDocument,
    QuoteDocument,
    QuoteHit,
    SearchParams,
    SearchResults,
)

SCHEMA_VERSION = 1
CONFIG = "archive_english"  # English stemming with accents folded
FACETS = ("speakers", "themes", "source", "year", "language")
QUOTE_FACETS = (*FACETS, "kind")
# Field → (tsvector column, weight).
_FIELDS = {
    "title": ("doc", "A"),
    "body": ("doc", "B"),
    "speaker": ("doc", "C"),
    "theme": ("doc", "D"),
    "publisher": ("meta", "A"),
    "author": ("meta", "B"),
}
# ts_rank weights {D, C, B, A}: title counts most, then speakers, as Whoosh's field boosts.
_RANK_WEIGHTS = "{0.5, 0.75, 0.5, 1.0}"
# Highlight markers no article contains (private use): escaped text gets <mark> around them.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"[^\W\d_]{3,}")

# The indexes over the text, by name: a load into an empty archive builds them once at
# the end (`begin_bulk_load`), which is quicker than updating them row by row.
_TEXT_INDEXES = {
    f"search_{kind}_{column}": f"CREATE INDEX search_{kind}_{column} ON search_{kind} "
    + ("{doc_index}" if column == "doc" else "USING gin (meta)")
    for kind in ("article", "quote")
    for column in ("doc", "meta")
}
# Memory for building them: more makes fewer passes over the sorted entries.
_BUILD_MEMORY = "256MB"

_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END $$""",
    """CREATE TABLE search_state (
        id int PRIMARY KEY CHECK (id = 1),
        schema_version int NOT NULL,
        generation bigint NOT NULL)""",
    *(
        f"""CREATE TABLE search_{kind} (
        {key} int PRIMARY KEY,
        {"article_id int NOT NULL," if kind == "quote" else ""}
        {"kind text NOT NULL," if kind == "quote" else ""}
        title text NOT NULL, body text NOT NULL, speaker text NOT NULL, theme text NOT NULL,
        publisher text NOT NULL, author text NOT NULL,
        speakers text[] NOT NULL, themes text[] NOT NULL,
        source text, year text, language text, published timestamptz,
        doc tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}', title), 'A')
            || setweight(to_tsvector('{CONFIG}', body), 'B')
            || setweight(to_tsvector('{CONFIG}', speaker), 'C')
            || setweight(to_tsvector('{CONFIG}', theme), 'D')) STORED,
        meta tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}', publisher), 'A')
            || setweight(to_tsvector('{CONFIG}', author), 'B')) STORED)"""
        for kind, key in (("article", "article_id"), ("quote", "quote_id"))
    ),
    *(_TEXT_INDEXES[name] for name in ("search_article_doc", "search_article_meta")),
    "CREATE INDEX search_article_published ON search_article (published)",
    *(_TEXT_INDEXES[name] for name in ("search_quote_doc", "search_quote_meta")),
    "CREATE INDEX search_quote_article ON search_quote (article_id)",
    """CREATE TABLE search_word (
        field text NOT NULL, word text NOT NULL, docs int NOT NULL,
        PRIMARY KEY (field, word))""",
    "CREATE INDEX search_word_trigrams ON search_word USING gin (word gin_trgm_ops)",
    f"INSERT INTO search_state VALUES (1, {SCHEMA_VERSION}, 1)",
]
_TABLES = ("search_word", "search_quote", "search_article", "search_state")


class PostgresIndex:
    """The search backend over PostgreSQL full text (see the module's docstring)."""

    def __init__(self, database_url: str, read_url: str | None = None, text_index: str = "auto"):
        self._text_index = text_index  # for new tables: auto, gin or rum (rum)
        self._method = "gin"  # the `doc` index the tables have, read by _ensure
        self._engine = create_engine(database_url, pool_pre_ping=True)
        # Searches and the generation read a hot standby when there is one: both from
        # the same copy, so a cache is never keyed by a generation its rows lack.
        self._read = create_engine(read_url, pool_pre_ping=True) if read_url else self._engine
        self._lock = threading.Lock()
        self._ready = False
        self._related: dict[tuple, list[int]] = {}
        self._related_generation: int | None = None
        self._word_counts = _WordCounts()  # for related articles, per index generation

    # -- schema --------------------------------------------------------------------------
    def _version(self, connection: Connection) -> int | None:
        if connection.execute(sql("SELECT to_regclass('search_state')")).scalar() is None:
            return None
        return connection.execute(
            sql("SELECT schema_version FROM search_state WHERE id = 1")
        ).scalar()

    def _create(self, connection: Connection) -> None:
        # The generation goes on from the old tables': a node's cache keyed by an old
        # number must never match the new tables' state.
        previous = 0
        if self._version(connection) is not None:
            previous = connection.execute(sql("SELECT generation FROM search_state")).scalar()
        method = rum.choose(connection, self._text_index)
        for table in _TABLES:
            connection.execute(sql(f"DROP TABLE IF EXISTS {table}"))
        doc_index = rum.index_definition(method)
        for statement in _SCHEMA:
            connection.execute(sql(statement.replace("{doc_index}", doc_index)))
        self._method = method
        connection.execute(
            sql("UPDATE search_state SET generation = generation + :previous"),
            {"previous": previous or 0},
        )

    def _ensure(self) -> None:
        """Create the tables of a new archive (they are then current, like a new Whoosh
        index); an older version is left for `rebuild`."""
        if self._ready:
            return
        with self._lock, self._engine.begin() as connection:
            _check_character_classes(connection)
            connection.execute(sql("SELECT pg_advisory_xact_lock(hashtext('search_schema'))"))
            if self._version(connection) is None:
                self._create(connection)
            self._method = rum.in_use(connection)
            self._ready = True

    def text_index(self) -> str:
        """ "rum" or "gin": the index on the tables' text (rum.py)."""
        self._ensure()
        return self._method

    def schema_is_current(self) -> bool:
        self._ensure()
        with self._engine.connect() as connection:
            return self._version(connection) == SCHEMA_VERSION

    def clean_leftovers(self) -> list[Path]:
        """A transaction that dies leaves nothing behind; a bulk load that dies leaves
        its text indexes unbuilt, so they are built now."""
        self.end_bulk_load()
        return []

    def warm(self) -> None:
        pass  # facet counts and everything else are computed by the database per search

    def close(self) -> None:
        self._engine.dispose()
        if self._read is not self._engine:
            self._read.dispose()

    # -- writing -------------------------------------------------------------------------
    def index_articles(
        self,
        docs: Iterable[IndexDocument],
        replace: Iterable[int] = (),
        prepared: Mapping[int, bytes] | None = None,  # nothing to prepare: the server analyses
        *,
        background: bool = False,  # the server's work: nothing to do in another process
    ) -> int:
        self._ensure()
        docs = list(docs)
        with self._engine.begin() as connection:
            ids = sorted({*replace, *(doc.article_id for doc in docs)})
            if ids:
                for table in ("search_article", "search_quote"):
                    connection.execute(
                        sql(f"DELETE FROM {table} WHERE article_id = ANY(:ids)"), {"ids": ids}
                    )
            _insert(connection, docs)
            _bump(connection)
        return len(docs)

    def preparer(self) -> None:
        """Nothing for a worker to prepare: PostgreSQL computes the tsvectors itself."""
        return None

    def begin_bulk_load(self) -> bool:
        """When the index is empty: drop the text indexes, which `end_bulk_load` builds
        once over everything loaded. Updating a RUM index row by row cost about 6 ms an
        article at 100,000; building it, 0.4 ms. Searches meanwhile read the tables
        without them: correct, slower, and over an archive that is only now filling."""
        self._ensure()
        with self._engine.begin() as connection:
            if connection.execute(sql("SELECT EXISTS (SELECT 1 FROM search_article)")).scalar():
                return False
            for name in _TEXT_INDEXES:
                connection.execute(sql(f"DROP INDEX IF EXISTS {name}"))
        return True

    def wait_for_writes(self) -> None:
        """Every write is committed before `index_articles` returns."""

    def end_bulk_load(self) -> None:
        """Build the text indexes that are missing (after `begin_bulk_load`, or a load
        that was killed before it ended), as a new archive's tables would have them."""
        self._ensure()
        with self._engine.begin() as connection:
            present = set(
                connection.execute(
                    sql(
                        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND tablename IN ('search_article', 'search_quote')"
                    )
                ).scalars()
            )
            missing = [name for name in _TEXT_INDEXES if name not in present]
            if not missing:
                return
            doc_index = rum.index_definition(rum.choose(connection, self._text_index))
            connection.execute(sql(f"SET LOCAL maintenance_work_mem = '{_BUILD_MEMORY}'"))
            for name in missing:
                connection.execute(sql(_TEXT_INDEXES[name].replace("{doc_index}", doc_index)))
            self._method = rum.in_use(connection)

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Everything again in one transaction: searches read the old rows until it
        commits (a schema upgrade, or a change of text index, makes them wait for it)."""
        count = 0
        with self._engine.begin() as connection:
            current = self._version(connection) == SCHEMA_VERSION
            if not current or rum.choose(connection, self._text_index) != rum.in_use(connection):
                self._create(connection)  # a new schema, or the other text index
            else:
                connection.execute(sql("DELETE FROM search_article"))
                connection.execute(sql("DELETE FROM search_quote"))
                connection.execute(sql("DELETE FROM search_word"))
            batch: list[IndexDocument] = []
            for doc in docs:
                batch.append(doc)
                count += 1
                if len(batch) >= 500:
                    _insert(connection, batch)
                    batch = []
            _insert(connection, batch)
            _bump(connection)
        self._ready = True
        return count

    def optimize(self) -> int:
        """Refresh the column statistics the planner and related articles read
        (autovacuum does it too, later); there are no segments to merge."""
        self._ensure()
        with self._engine.begin() as connection:
            for table in _TABLES:
                connection.execute(sql(f"ANALYZE {table}"))
        return 0

    def merge_after_load(self) -> int:
        """Nothing to merge: a text index in PostgreSQL is one structure, kept whole."""
        return 0

    # -- reading -------------------------------------------------------------------------
    def generation(self) -> int:
        self._ensure()
        with self._read.connect() as connection:
            return connection.execute(
                sql("SELECT generation FROM search_state WHERE id = 1")
            ).scalar_one()

    def stored_ids(self) -> set[int]:
        self._ensure()
        with self._read.connect() as connection:
            return set(connection.execute(sql("SELECT article_id FROM search_article")).scalars())

    def document_count(self) -> int:
        self._ensure()
        with self._read.connect() as connection:
            return connection.execute(sql("SELECT count(*) FROM search_article")).scalar_one()

    def search(
        self, params: SearchParams, load_texts: Callable[[list[int]], dict[int, str]]
    ) -> SearchResults:
        started = time.perf_counter()
        with self._read.connect() as connection:  # one connection for the whole search
            found = self._collect(params, connection, quotes=False)
            texts = load_texts(found.ids) if found.ids else {}
            page_texts = [texts.get(i, "") for i in found.ids]
            snippets = self._headlines(page_texts, found.marks, connection, whole=False)
        hits = []
        for (article_id, score), snippet in zip(found.rows, snippets, strict=True):
            body = texts.get(article_id, "")
            hits.append(
                Hit(
                    article_id=article_id,
                    score=score,
                    snippet=snippet or html.escape(_leading_words(body), quote=False),
                    paragraph=_paragraph_of(body, snippet) if snippet else None,
                )
            )
        return found.finish(hits, started)

    def search_quotes(
        self, params: SearchParams, load_texts: Callable[[list[int]], dict[int, str]]
    ) -> SearchResults:
        started = time.perf_counter()
        with self._read.connect() as connection:
            found = self._collect(params, connection, quotes=True)
            texts = load_texts(found.ids) if found.ids else {}
            page_texts = [texts.get(i, "") for i in found.ids]
            snippets = self._headlines(page_texts, found.marks, connection, whole=True)
        hits = [
            QuoteHit(
                quote_id=quote_id,
                article_id=found.articles[quote_id],
                score=score,
                snippet=snippet or html.escape(texts.get(quote_id, ""), quote=False),
            )
            for (quote_id, score), snippet in zip(found.rows, snippets, strict=True)
        ]
        return found.finish(hits, started)

    def count(self, params: SearchParams, *, quotes: bool = False) -> int:
        with self._read.connect() as connection:
            found = self._where(params, connection, quotes=quotes)
            return connection.execute(
                sql(f"SELECT count(*) FROM {_table(quotes)} WHERE {found.where}"), found.values
            ).scalar_one()

    def ranked_ids(self, params: SearchParams, limit: int, *, quotes: bool = False) -> list[int]:
        with self._read.connect() as connection:
            condition = self._where(params, connection, quotes=quotes)
            rows = self._page(connection, params, condition, max(1, limit), 0, quotes=quotes)
            return [row[0] for row in rows]

    def highlight_passages(self, text: str, passages: list[str]) -> list[str | None]:
        if not text.strip():
            return [None] * len(passages)
        self._ensure()
        with self._read.connect() as connection:
            marks = _marks_query(connection, parse(text))
            if marks is None:
                return [None] * len(passages)
            marked = self._headlines(passages, marks, connection, whole=True)
        return [html_ if _START_TAG in html_ else None for html_ in marked]

    def more_like_this(self, article_id: int, text: str, limit: int = 5) -> list[int]:
        """Articles sharing this one's most frequent distinctive words (its own tsvector)."""
        generation = self.generation()
        with self._lock:
            if generation != self._related_generation:
                self._related, self._related_generation = {}, generation
                self._word_counts = _WordCounts()
            key = (article_id, limit)
            if key in self._related:
                return self._related[key]
            counts = self._word_counts
        with self._read.connect() as connection:
            related = _related(connection, article_id, limit, counts)
        with self._lock:
            self._related[key] = related
        return related

    # -- the parts of a search -------------------------------------------------------------
    def _where(self, params: SearchParams, connection: Connection, *, quotes: bool) -> _Condition:
        """The WHERE clause with its values, and how to rank what it finds."""
        self._ensure()
        values: dict[str, object] = {}
        clauses: list[str] = []
        words = rank = order = None
        if params.q.strip():
            tree = parse(params.q)
            compiler = _Compiler(connection, quotes=quotes, values=values)
            words = compiler.compile(tree)
            marks = _marks_query(connection, tree)
            if words is None:
                raise QueryError("The query has no words to search for.")
            _prefer_indexes(connection)
            if marks is not None:
                values["rank_q"] = marks
                rank = f"ts_rank('{_RANK_WEIGHTS}', doc, CAST(:rank_q AS tsquery))"
                if self._method == "rum":
                    order = compiler.rum_order(tree)
        for column, chosen in (("speakers", params.speakers), ("themes", params.themes)):
            for n, value in enumerate(chosen):
                values[f"{column}{n}"] = [value]
                clauses.append(f"{column} @> CAST(:{column}{n} AS text[])")
        for n, value in enumerate(params.sources):
            values[f"source{n}"] = value
            clauses.append(f"source = :source{n}")
        for column, chosen in (
            ("year", params.years),
            ("language", params.languages),
            ("kind", params.kinds if quotes else []),
        ):
            if chosen:
                values[column] = list(chosen)
                clauses.append(f"{column} = ANY(:{column})")
        if params.date_from:
            values["date_from"] = _aware(params.date_from)
            clauses.append("published >= :date_from")
        if params.date_to:
            values["date_to"] = _aware(params.date_to)
            clauses.append("published <= :date_to")
        return _Condition(words, clauses, values, rank, order)

    def _page(
        self,
        connection: Connection,
        params: SearchParams,
        condition: _Condition,
        limit: int,
        offset: int,
        *,
        quotes: bool,
        total: int | None = None,
    ) -> list:
        """Rows of (id, [article id,] score) in the search's order."""
        table, key = _table(quotes), _key(quotes)
        columns = f"{key}, article_id" if quotes else key
        if condition.order is not None and params.sort not in ("newest", "oldest"):
            return rum.ordered_page(
                connection,
                table=table,
                columns=columns,
                condition=condition.where,
                filters=condition.filters,
                values=condition.values,
                order=condition.order,
                limit=limit,
                offset=offset,
                total=total,
            )
        return connection.execute(
            sql(
                f"SELECT {columns}, {condition.rank or '0.0'} FROM {table} "
                f"WHERE {condition.where} "
                f"ORDER BY {_order(params, condition.rank, quotes)} LIMIT :limit OFFSET :offset"
            ),
            {**condition.values, "limit": limit, "offset": offset},
        ).all()

    def _collect(self, params: SearchParams, connection: Connection, *, quotes: bool) -> _Found:
        condition = self._where(params, connection, quotes=quotes)
        facets, total = _facets(
            connection, _table(quotes), condition.where, condition.values, quotes
        )
        offset = (max(1, params.page) - 1) * params.page_size
        rows = []
        if offset < total:
            rows = self._page(
                connection, params, condition, params.page_size, offset, quotes=quotes, total=total
            )
        suggestion = None
        if not total and params.q.strip():
            suggestion = _suggest(connection, params.q)
        return _Found(
            params=params,
            rows=[(row[0], float(row[-1])) for row in rows],
            articles={row[0]: row[1] for row in rows} if quotes else {},
            total=total,
            facets=facets,
            suggestion=suggestion,
            marks=condition.values.get("rank_q"),
        )

    def _headlines(
        self, texts: list[str], marks: str | None, connection: Connection, *, whole: bool
    ) -> list[str]:
        """Escaped HTML with the matched words in <mark>, for this page's texts only."""
        if not texts or marks is None:
            return [""] * len(texts)
        options = (
            f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"
            if whole
            else f"StartSel={_START}, StopSel={_STOP}, MaxFragments=2, MaxWords=35, "
            f'MinWords=15, FragmentDelimiter=" … "'
        )
        # ts_headline drops what its parser takes for tags and entities ("<b>", "&amp;"):
        # <, > and & go in as separator characters (never part of a word) and come out escaped.
        cleaned = [_shield(t) for t in texts]
        marked = connection.execute(
            sql(
                f"SELECT ts_headline('{CONFIG}', t, CAST(:q AS tsquery), :options) "
                "FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS u(t, n) ORDER BY n"
            ),
            {"q": marks, "texts": cleaned, "options": options},
        ).scalars()
        marked = list(marked)
        return [_unshield(m) if _START in m else "" for m in marked]


_START_TAG = "<mark>"
_SHIELD = {"<": "\x1c", ">": "\x1d", "&": "\x1e"}
_UNSHIELD = {
    _START: "<mark>",
    _STOP: "</mark>",
    "\x1c": "&lt;",
    "\x1d": "&gt;",
    "\x1e": "&amp;",
}


def _shield(text: str) -> str:
    text = "".join(char for char in text if char not in _UNSHIELD)
    return text.translate(str.maketrans(_SHIELD))


def _unshield(marked: str) -> str:
    """ts_headline's output as HTML: only our stand-ins become markup or entities."""
    return html.escape(marked, quote=False).translate(str.maketrans(_UNSHIELD))


class WrongLocale(RuntimeError):
    """The database's LC_CTYPE makes full-text search glue punctuation to words."""


def _check_character_classes(connection: Connection) -> None:
    """Under LC_CTYPE=C, PostgreSQL's text parser counts every non-ASCII character as a
    letter: “Climate” becomes one word and a search for climate misses it. Refuse to run
    on such a database rather than answer wrongly."""
    words = connection.execute(sql("SELECT to_tsvector('simple', '“a’ b”')::text")).scalar()
    if words != "'a':1 'b':2":
        ctype = connection.execute(sql("SHOW lc_ctype")).scalar()
        raise WrongLocale(
            f"the database's LC_CTYPE is {ctype}, under which full-text search takes "
            "typographic quotes for letters. Create the database with a UTF-8 LC_CTYPE "
            "(createdb --encoding=UTF8 --lc-collate=C --lc-ctype=C.UTF-8 "
            "--template=template0 …), or set ARCHIVE_SEARCH_BACKEND=whoosh."
        )


@dataclass
class _Condition:
    """A search's WHERE clause in two parts, its values, and how to rank the matches."""

    words: str | None  # the condition on the query's words (None: no query)
    clauses: list[str]  # the filters: speaker, theme, source, year, dates, ...
    values: dict
    rank: str | None  # ts_rank of every match (None: no words to rank by)
    order: rum.Order | None  # the RUM index's order, when the tables have one

    @property
    def filters(self) -> str:
        return " AND ".join(f"({c})" for c in self.clauses) or "TRUE"

    @property
    def where(self) -> str:
        return " AND ".join(f"({c})" for c in [self.words, *self.clauses] if c) or "TRUE"


class _Found:
    def __init__(self, *, params, rows, articles, total, facets, suggestion, marks):
        self.params, self.rows, self.articles = params, rows, articles
        self.total, self.facets, self.suggestion, self.marks = total, facets, suggestion, marks
        self.ids = [row[0] for row in rows]

    def finish(self, hits: list, started: float) -> SearchResults:
        return SearchResults(
            params=self.params,
            total=self.total,
            hits=hits,
            facets=self.facets,
            suggestion=self.suggestion,
            took_ms=(time.perf_counter() - started) * 1000,
        )


class _Compiler:
    """The query tree as an SQL condition over the tsvector columns."""

    def __init__(self, connection: Connection, *, quotes: bool, values: dict):
        self.connection, self.quotes, self.values = connection, quotes, values

    def compile(self, node: Node) -> str | None:
        if isinstance(node, And | Or):
            parts = [part for child in node.children if (part := self.compile(child))]
            if not parts:
                return None
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(parts) + ")"
        if isinstance(node, Not):
            inner = self.compile(node.child)
            return f"NOT {inner}" if inner else None
        return self._leaf(node)

    def _leaf(self, node: Word | Prefix | Phrase) -> str | None:
        if node.field is not None:
            column, weight = _FIELDS[node.field]
            places = [(column, weight)]
        elif self.quotes:  # a bare word in quotes: what was said, and who said it
            places = [("doc", "BC")]
        else:
            places = [("doc", ""), ("meta", "")]
        conditions = []
        for column, weight in places:
            query = _leaf_query(self.connection, node, weight, column)
            if query is None:
                return None  # a stop word: dropped, as Whoosh drops it
            name = f"q{len(self.values)}"
            self.values[name] = query
            conditions.append(f"{column} @@ CAST(:{name} AS tsquery)")
        return "(" + " OR ".join(conditions) + ")"

    def rum_order(self, tree: Node) -> rum.Order | None:
        """The two parts of a relevance page through RUM (rum.py), or None when
        the `doc` side of the query cannot be one tsquery (it would match every article)."""
        ranked = self._over_doc(tree)
        if ranked is None or ranked is _ALWAYS:
            return None
        signed = list(_signed_leaves(tree))
        leaves = [leaf for leaf, positive in signed if positive]
        meta = [query for leaf in leaves if (query := self._over_meta(leaf))]
        by = None
        if any(isinstance(leaf, Phrase) for leaf in leaves):
            words = [
                _lexeme(lexeme)
                for leaf in leaves
                if isinstance(leaf, Phrase)
                for _, lexeme in _analysed(self.connection, " ".join(leaf.words))
            ]
            words += [
                query
                for leaf in leaves
                if not isinstance(leaf, Phrase)
                and (query := _one_weight(self.connection, leaf, ""))
            ]
            by = " | ".join(words) or None
        return rum.Order(
            ranked=None if ranked is _NEVER else ranked,
            meta=" | ".join(f"({query})" for query in meta) or None,
            recheck=len(leaves) < len(signed),  # the query has a NOT
            by=by,
        )

    def _over_doc(self, node: Node):
        """The query as one tsquery over `doc`, matching every match of the whole
        condition that no positive word matches in `meta` (publisher, author). A
        publisher or author leaf is _NEVER there; stop words drop out, as in compile."""
        if isinstance(node, Not):
            inner = self._over_doc(node.child)
            if inner is None or inner in (_ALWAYS, _NEVER):
                return {None: None, _ALWAYS: _NEVER, _NEVER: _ALWAYS}[inner]
            return f"!({inner})"
        if isinstance(node, And | Or):
            parts = [part for child in node.children if (part := self._over_doc(child))]
            absorbing, neutral = (_NEVER, _ALWAYS) if isinstance(node, And) else (_ALWAYS, _NEVER)
            if absorbing in parts:
                return absorbing
            queries = [part for part in parts if part is not neutral]
            if not queries:
                return neutral if parts else None
            joiner = " & " if isinstance(node, And) else " | "
            return "(" + joiner.join(f"({query})" for query in queries) + ")"
        if node.field in ("publisher", "author"):
            return _NEVER
        weight = _FIELDS[node.field][1] if node.field else ("BC" if self.quotes else "")
        return _leaf_query(self.connection, node, weight, "doc")

    def _over_meta(self, leaf: Word | Prefix | Phrase) -> str | None:
        """The leaf as a tsquery over `meta`, or None when it cannot match there."""
        if leaf.field in ("publisher", "author"):
            return _leaf_query(self.connection, leaf, _FIELDS[leaf.field][1], "meta")
        if leaf.field is None and not self.quotes:
            return _leaf_query(self.connection, leaf, "", "meta")
        return None


class _Sentinel:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


_ALWAYS, _NEVER = _Sentinel("_ALWAYS"), _Sentinel("_NEVER")  # a query part's constant value


def _signed_leaves(node: Node, positive: bool = True):
    """Each word, prefix and phrase with whether a match may hold it (under an even
    number of NOTs) or must not."""
    if isinstance(node, Not):
        yield from _signed_leaves(node.child, not positive)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _signed_leaves(child, positive)
    else:
        yield node, positive


def _prefer_indexes(connection: Connection) -> None:
    """For the rest of this search's transaction, find matches through the text indexes.

    For a word in most articles the planner prefers reading the whole table, not counting
    that `@@` on each row then reads the row's tsvector from out-of-line storage (about 5 KB
    compressed): at 100,000 articles that was 630 ms of the 985 ms of one search's facet
    counts, which took 427 ms through the index (docs/benchmarks.md). A query without an
    indexable condition still gets its sequential scan."""
    connection.execute(sql("SET LOCAL enable_seqscan = off"))


def _leaf_query(
    connection: Connection, node: Word | Prefix | Phrase, weights: str, column: str = "doc"
) -> str | None:
    """tsquery text for one word, prefix or phrase, limited to some weights ('' = any).

    A phrase is matched within one field at a time: the fields of a tsvector follow each
    other, so the title's last word would otherwise be next to the body's first."""
    if isinstance(node, Phrase):
        each = weights or ("ABCD" if column == "doc" else "AB")
        parts = [_one_weight(connection, node, weight) for weight in each]
        if not any(parts):
            return None
        return " | ".join(f"({part})" for part in parts) if len(parts) > 1 else parts[0]
    return _one_weight(connection, node, weights)


def _one_weight(connection: Connection, node: Word | Prefix | Phrase, weight: str) -> str | None:
    suffix = f":{weight}" if weight else ""
    if isinstance(node, Prefix):
        folded = _fold(node.text)
        return f"{_lexeme(folded)}:*{weight}"
    words = node.words if isinstance(node, Phrase) else (node.text,)
    positions = _analysed(connection, " ".join(words))
    if not positions:
        return None
    if isinstance(node, Phrase) and node.slop and len(positions) == 2:
        # a NEAR/n b: b follows a within n words (tsquery's <k> is exactly k apart).
        first, second = (f"{_lexeme(lexeme)}{suffix}" for _, lexeme in positions)
        spans = range(1, node.slop + 1)
        return "(" + " | ".join(f"{first} <{k}> {second}" for k in spans) + ")"
    parts = [f"{_lexeme(positions[0][1])}{suffix}"]
    for (before, _), (position, lexeme) in zip(positions, positions[1:], strict=False):
        parts.append(f"<{position - before}> {_lexeme(lexeme)}{suffix}")
    return " ".join(parts) if len(parts) > 1 else parts[0]


_ANALYSED: dict[str, list[tuple[int, str]]] = {}  # the text search config never changes


def _analysed(connection: Connection, words: str) -> list[tuple[int, str]]:
    """(position, lexeme) of the words as the index stems them, stop words left out."""
    if words not in _ANALYSED:
        rows = connection.execute(
            sql(f"SELECT lexeme, positions FROM unnest(to_tsvector('{CONFIG}', :w))"),
            {"w": words},
        ).all()
        if len(_ANALYSED) > 10_000:
            _ANALYSED.clear()
        _ANALYSED[words] = sorted(
            (position, lexeme) for lexeme, positions in rows for position in positions
        )
    return _ANALYSED[words]


def _marks_query(connection: Connection, tree: Node) -> str | None:
    """What highlighting and ranking look for: every wanted word, phrase or prefix, ORed."""
    parts = []
    for leaf in positive_leaves(tree):
        query = _one_weight(connection, leaf, "")
        if query is not None:
            parts.append(f"({query})")
    return " | ".join(parts) or None


def _facets(
    connection: Connection, table: str, where: str, values: dict, quotes: bool
) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """Counts of every facet value over the whole result set, and the total, in one query."""
    parts = ["SELECT 'total', '', count(*) FROM matched"]
    for name in QUOTE_FACETS if quotes else FACETS:
        if name in ("speakers", "themes"):
            parts.append(
                f"SELECT '{name}', v, count(*) FROM matched, unnest(matched.{name}) v "
                "WHERE v <> '' GROUP BY v"
            )
        else:
            parts.append(
                f"SELECT '{name}', {name}, count(*) FROM matched "
                f"WHERE {name} IS NOT NULL AND {name} <> '' GROUP BY {name}"
            )
    columns = "speakers, themes, source, year, language" + (", kind" if quotes else "")
    statement = (
        f"WITH matched AS MATERIALIZED (SELECT {columns} FROM {table} WHERE {where}) "
        + " UNION ALL ".join(parts)
    )
    facets: dict[str, list[tuple[str, int]]] = {
        name: [] for name in (QUOTE_FACETS if quotes else FACETS)
    }
    total = 0
    for name, value, count in connection.execute(sql(statement), values):
        if name == "total":
            total = count
        else:
            facets[name].append((value, count))
    for name in facets:
        facets[name].sort(key=lambda item: (-item[1], item[0]))
    return facets, total


def _tracked_frequencies(connection: Connection, size: int) -> dict[str, int]:
    """How many articles hold each of the archive's most frequent words, as PostgreSQL's
    column statistics estimate it (ANALYZE keeps the most common lexemes of a tsvector
    column and the share of rows holding each); empty before the first ANALYZE."""
    row = connection.execute(
        sql(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'search_article' AND attname = 'doc'"
        )
    ).first()
    if row is None or row[0] is None:
        return {}
    words, shares = row[0], row[1][: len(row[0])]  # then come three summary figures
    return {word: max(1, round(share * size)) for word, share in zip(words, shares, strict=True)}


@dataclass
class _WordCounts:
    """How many articles hold a word, for one index generation of one node."""

    size: int | None = None  # articles in the archive; None: nothing read yet
    known: dict[str, int] = field(default_factory=dict)  # from statistics, or counted (capped)
    untracked: int = 0  # for a word the statistics leave out (0: there are none)


def _related(connection: Connection, article_id: int, limit: int, counts: _WordCounts) -> list[int]:
    """Like the Whoosh index: the body's frequent words, weighted by tf-idf, leaving out
    words in more than a twentieth of the archive (they say little about the topic and
    their long posting lists make the query slow); then the articles ranking best on them.

    At 100,000 articles the first form took 6.6 s per article page, mostly counting how
    many articles hold each of 72 words (a common word reads `common` rows). Now the
    counts come from PostgreSQL's statistics where it tracks the word (an estimate, enough
    to weigh a word), and a word it does not track is rarer than those; only without
    statistics are words counted. `counts` keeps them per index generation (the
    caller's), so each node reads or counts a word once. Counts and candidates use bare words:
    a word restricted to a weight (`:B`) makes PostgreSQL re-read every matching tsvector.
    Only articles sharing two of the six best words are ranked, unless too few do.
    """
    if counts.size is None:
        counts.size = connection.execute(sql("SELECT count(*) FROM search_article")).scalar_one()
        # The frequent words' counts, the costly ones to count; any other word is rarer.
        counts.known.update(_tracked_frequencies(connection, counts.size))
        counts.untracked = min(counts.known.values(), default=0)
    size = counts.size
    common = max(10, size // 20)
    candidates = connection.execute(
        sql(
            "SELECT lexeme, (SELECT count(*) FROM unnest(weights) w WHERE w = 'B') AS tf "
            "FROM search_article, unnest(doc) "
            "WHERE article_id = :id AND length(lexeme) > 2 AND 'B' = ANY(weights) "
            "ORDER BY tf DESC, lexeme LIMIT 72"
        ),
        {"id": article_id},
    ).all()
    weighted = []
    for lexeme, tf in candidates:
        # Counted up to `common` only: enough to tell a common word.
        df = counts.known.get(lexeme)
        if df is None and 0 < counts.untracked <= common:
            df = counts.untracked  # rarer than every tracked word, so distinctive
        if df is None:
            df = counts.known[lexeme] = connection.execute(
                sql(
                    "SELECT count(*) FROM (SELECT 1 FROM search_article "
                    "WHERE doc @@ CAST(:q AS tsquery) LIMIT :cap) capped"
                ),
                {"q": _lexeme(lexeme), "cap": common + 1},
            ).scalar_one()
        if 0 < df <= common:
            weighted.append((tf * (1 + math.log(size / df)), lexeme))
    weighted.sort(key=lambda item: (-item[0], item[1]))
    best = [lexeme for _, lexeme in weighted[:12]]
    if not best:
        return []
    rank_q = " | ".join(f"{_lexeme(lexeme)}:B" for lexeme in best)
    pairs = " | ".join(f"({_lexeme(a)} & {_lexeme(b)})" for a, b in combinations(best[:6], 2))
    found: list[int] = []
    for wanted in (pairs, " | ".join(_lexeme(lexeme) for lexeme in best)):
        if not wanted:
            continue
        found = list(
            connection.execute(
                sql(
                    "SELECT article_id FROM search_article "
                    "WHERE doc @@ CAST(:q AS tsquery) AND article_id <> :id "
                    f"ORDER BY ts_rank('{_RANK_WEIGHTS}', doc, CAST(:rank AS tsquery)) DESC, "
                    "article_id LIMIT :limit"
                ),
                {"q": wanted, "rank": rank_q, "id": article_id, "limit": limit},
            ).scalars()
        )
        if len(found) >= limit:
            break
    return found


def _suggest(connection: Connection, text: str) -> str | None:
    """The query with each unknown word replaced by the closest archive word (after
    `speaker:`, the closest word of a speaker's name): fewest edits, then most frequent."""
    suggested, changed = [], False
    for word in text.split():
        fieldname, _, value = word.rpartition(":")
        field = "speaker" if fieldname.lower() == "speaker" else "words"
        bare = _fold(value.strip("\"'()").lower())
        if bare.isalpha() and len(bare) > 2 and (field == "speaker" or ":" not in word):
            known = connection.execute(
                sql("SELECT 1 FROM search_word WHERE field = :f AND word = :w"),
                {"f": field, "w": bare},
            ).first()
            if known is None:
                # Short words share few trigrams with their misspellings ("gird" and
                # "grid" one in nine): a low threshold, then edit distance decides.
                connection.execute(sql("SET LOCAL pg_trgm.similarity_threshold = 0.1"))
                rows = connection.execute(
                    sql(
                        "SELECT word, docs FROM search_word WHERE field = :f AND word % :w "
                        "ORDER BY similarity(word, :w) DESC LIMIT 100"
                    ),
                    {"f": field, "w": bare},
                ).all()
                docs = dict(rows)
                most = 1 if len(bare) <= 4 else 2
                close = process.extract(
                    bare, list(docs), scorer=OSA.distance, score_cutoff=most, limit=None
                )
                if close:
                    best = min(close, key=lambda hit: (hit[1], -docs[hit[0]], hit[0]))[0]
                    suggested.append(word.lower().replace(bare, best))
                    changed = True
                    continue
        suggested.append(word)
    return " ".join(suggested) if changed else None


def _insert(connection: Connection, docs: list[IndexDocument]) -> None:
    if not docs:
        return
    connection.execute(
        sql(
            "INSERT INTO search_article (article_id, title, body, speaker, theme, publisher, "
            "author, speakers, themes, source, year, language, published) VALUES (:id, :title, "
            ":body, :speaker, :theme, :publisher, :author, :speakers, :themes, :source, :year, "
            ":language, :published)"
        ),
        [{"id": doc.article_id, **_fields(doc, doc.body)} for doc in docs],
    )
    quotes = [
        {
            "id": quote.quote_id,
            "article_id": doc.article_id,
            "kind": quote.kind,
            **_fields(doc, quote.text, quote),
        }
        for doc in docs
        for quote in doc.quotes
    ]
    if quotes:
        connection.execute(
            sql(
                "INSERT INTO search_quote (quote_id, article_id, kind, title, body, speaker, "
                "theme, publisher, author, speakers, themes, source, year, language, published) "
                "VALUES (:id, :article_id, :kind, :title, :body, :speaker, :theme, :publisher, "
                ":author, :speakers, :themes, :source, :year, :language, :published)"
            ),
            quotes,
        )
    words: dict[tuple[str, str], int] = {}
    for doc in docs:
        for word in {_fold(w) for w in _WORD.findall(f"{doc.title} {doc.body}".lower())}:
            words[("words", word)] = words.get(("words", word), 0) + 1
        for word in {_fold(w) for w in _WORD.findall(" ".join(doc.speaker_names).lower())}:
            words[("speaker", word)] = words.get(("speaker", word), 0) + 1
    connection.execute(
        sql(
            "INSERT INTO search_word (field, word, docs) VALUES (:f, :w, :n) "
            "ON CONFLICT (field, word) DO UPDATE SET docs = search_word.docs + excluded.docs"
        ),
        [{"f": f, "w": w, "n": n} for (f, w), n in sorted(words.items())],
    )


def _fields(doc: IndexDocument, body: str, quote: QuoteDocument | None = None) -> dict:
    published = doc.published.astimezone(UTC) if doc.published else None
    code = (doc.language or "").strip().lower()
    if quote is not None:
        speaker_names, speakers = quote.speaker_names, [quote.speaker_slug or ""]
    else:
        speaker_names, speakers = doc.speaker_names, doc.speaker_slugs
    return {
        "title": doc.title,
        "body": body,
        "speaker": " ".join(speaker_names),
        "theme": " ".join(doc.theme_names),
        "publisher": doc.publisher or "",
        "author": doc.author or "",
        "speakers": [s for s in speakers if s],
        "themes": list(doc.theme_slugs),
        "source": doc.source_slug or None,
        "year": str(published.year) if published else None,
        "language": code if re.fullmatch(r"[a-z]{2,3}", code) else None,
        "published": published,
    }


def _bump(connection: Connection) -> None:
    connection.execute(sql("UPDATE search_state SET generation = generation + 1 WHERE id = 1"))


def _table(quotes: bool) -> str:
    return "search_quote" if quotes else "search_article"


def _key(quotes: bool) -> str:
    return "quote_id" if quotes else "article_id"


def _order(params: SearchParams, rank: str | None, quotes: bool) -> str:
    """Relevance (rank, then id, so every run shows the same page), else by date with
    undated articles last both ways; an empty query is newest first."""
    key = _key(quotes)
    if params.sort == "oldest":
        return f"published ASC NULLS LAST, {key}"
    if params.sort == "newest" or rank is None:
        return f"published DESC NULLS LAST, {key}"
    return f"{rank} DESC, {key}"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _leading_words(body: str, limit: int = 240) -> str:
    body = " ".join(body.split())
    return body if len(body) <= limit else body[:limit].rsplit(" ", 1)[0] + " …"


def _paragraph_of(body: str, snippet: str) -> int | None:
    """The paragraph (1-based) with the most distinct words the snippet marks; among
    equals, the one the snippet shows first, so the link lands on what the reader saw."""
    marked = {html.unescape(word).lower() for word in re.findall(r"<mark>(.*?)</mark>", snippet)}
    paragraphs = body.split("\n\n")
    counts = [
        sum(1 for word in marked if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", p.lower()))
        for p in paragraphs
    ]
    if not counts or max(counts) == 0:
        return None
    best = [n for n, count in enumerate(counts, start=1) if count == max(counts)]
    breaks = [match.start() for match in re.finditer("\n\n", body)]
    for fragment in snippet.split(" … "):
        if "<mark>" in fragment:
            plain = html.unescape(re.sub(r"</?mark>", "", fragment)).strip()
            start = body.find(plain[:80])
            if start >= 0 and (shown := bisect.bisect_right(breaks, start) + 1) in best:
                return shown
    return best[0]
