"""The RUM text index: relevance pages without reading every match's tsvector.

With a GIN index, PostgreSQL finds the matches in the index but ranks them with
`ts_rank`, which reads each match's tsvector from the table (about 5 KB, compressed out
of line): at 100,000 articles a word in every article costs about a second before the
first hit. A RUM index (the `rum` extension, Debian `postgresql-15-rum`) also keeps
each word's positions and weights, so it finds, checks phrases and fields, and orders
matches by `doc <=> query` from the index alone; the page then reads its ten rows.

The archive uses RUM on the `doc` tsvector of both search tables when the extension is
there (or can be created), else GIN; `ARCHIVE_POSTGRES_TEXT_INDEX` can force either.
Which one an archive has is read from the index itself, so an archive built before
stays valid, and `policy-archive reindex` moves it to the other.

A relevance page through RUM comes in two parts, both exact:
- the *ranked* part: matches whose `doc` holds the query (`Order.ranked`), in the
  index's order;
- then the matches that hold it only in publisher or author (the `meta` tsvector, which
  RUM does not rank), by id, as `ts_rank` gives them no score under GIN either.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

TEXT_INDEXES = ("auto", "gin", "rum")


class TextIndexUnavailable(RuntimeError):
    """RUM was asked for and this database cannot have it; the message says why."""


def choose(connection: Connection, wanted: str) -> str:
    """The text index new search tables get: RUM when asked for or, with "auto", when
    the extension is installed in this database or can be (it is not a trusted
    extension: creating it needs a superuser, or a DBA who ran CREATE EXTENSION rum)."""
    wanted = (wanted or "auto").strip().lower()
    if wanted not in TEXT_INDEXES:
        raise ValueError(f"ARCHIVE_POSTGRES_TEXT_INDEX must be one of {', '.join(TEXT_INDEXES)}")
    if wanted == "gin":
        return "gin"
    installed = connection.execute(sql("SELECT 1 FROM pg_extension WHERE extname = 'rum'"))
    if installed.first() is not None:
        return "rum"
    available = connection.execute(
        sql("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    ).first()
    problem = "the rum extension is not installed on the server (Debian: postgresql-15-rum)"
    if available is not None:
        savepoint = connection.begin_nested()
        try:
            connection.execute(sql("CREATE EXTENSION IF NOT EXISTS rum"))
            savepoint.commit()
            return "rum"
        except Exception as error:  # no privilege: a DBA must create it
            savepoint.rollback()
            problem = f"CREATE EXTENSION rum failed: {str(error).splitlines()[0]}"
    if wanted == "rum":
        raise TextIndexUnavailable(f"ARCHIVE_POSTGRES_TEXT_INDEX=rum, but {problem}")
    return "gin"


def index_definition(method: str) -> str:
    """The USING clause of a `doc` tsvector index."""
    return "USING rum (doc rum_tsvector_ops)" if method == "rum" else "USING gin (doc)"


def in_use(connection: Connection) -> str:
    """ "rum" or "gin": the access method of the archive's `doc` index."""
    method = connection.execute(
        sql(
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relname = 'search_article_doc'"
        )
    ).scalar()
    return "rum" if method == "rum" else "gin"


@dataclass(frozen=True)
class Order:
    """A relevance search's two parts (see the module's docstring), as tsquery texts."""

    ranked: str | None  # over `doc`: the matches RUM ranks (None: the query needs `meta`)
    meta: str | None  # over `meta`: what any other match holds (None: there is none)
    recheck: bool  # the ranked part must also pass the whole condition (the query has NOT)
    # What the ranked part is ordered by: `ranked` itself, but a phrase's words instead of
    # the phrase. RUM scores a phrase by checking it again in every match: at 100,000
    # articles "public policy" (45,342 matches) took 2.5 s to order by the phrase and
    # 0.48 s by its words.
    by: str | None = None


def ordered_page(
    connection: Connection,
    *,
    table: str,
    columns: str,
    condition: str,
    filters: str,
    values: dict,
    order: Order,
    limit: int,
    offset: int,
    total: int | None = None,
) -> list:
    """Rows (`columns` then the score) of a relevance page: `limit` from `offset`.

    `condition` is the whole WHERE clause, `filters` its part without the words; `total`,
    the number of matches, is needed only for a page past the ranked part."""
    rows: list = []
    if order.ranked is not None:
        statement = sql(
            f"SELECT {columns}, doc <=> CAST(:rum_by AS tsquery) FROM {table} "
            "WHERE doc @@ CAST(:rum_q AS tsquery) "
            f"AND {condition if order.recheck else filters} "
            "ORDER BY doc <=> CAST(:rum_by AS tsquery) LIMIT :fetch"
        )
        wanted = {**values, "rum_q": order.ranked, "rum_by": order.by or order.ranked}
        rows = _ranked_rows(connection, statement, wanted, offset + limit)
        rows = [(*row[:-1], 1.0 / row[-1] if row[-1] else 0.0) for row in rows[offset:]]
    if len(rows) == limit or order.meta is None:
        return rows
    # The rest of the page: matches by publisher or author only, found through `meta`.
    others = f"meta @@ CAST(:rum_meta AS tsquery) AND {condition}"
    if order.ranked is not None:
        others += " AND NOT doc @@ CAST(:rum_q AS tsquery)"
    values = {**values, "rum_q": order.ranked, "rum_meta": order.meta}
    if rows or offset == 0 or order.ranked is None:
        ranked_count = offset + len(rows) if order.ranked is not None else 0
    else:  # a page past the ranked part: how many the ranked part holds
        if total is None:
            raise ValueError("a page past the ranked matches needs the total")
        others_count = connection.execute(
            sql(f"SELECT count(*) FROM {table} WHERE {others}"), values
        ).scalar_one()
        ranked_count = total - others_count
    rows += connection.execute(
        sql(
            f"SELECT {columns}, 0.0 FROM {table} WHERE {others} "
            f"ORDER BY {columns.split(',')[0]} LIMIT :limit OFFSET :offset"
        ),
        {**values, "limit": limit - len(rows), "offset": max(0, offset - ranked_count)},
    ).all()
    return rows


# Rows beyond the page fetched at first, to see where a tie with the page's last row ends.
_TIE_MARGIN = 20


def _ranked_rows(connection: Connection, statement, values: dict, wanted: int) -> list:
    """The first `wanted` rows of the RUM order (distance last in each row), ties broken
    by id. The index returns equal distances in no fixed order, so without this a match
    could be on two pages or on none: rows are fetched past the `wanted`th until its
    distance is exceeded, and sorted by (distance, id)."""
    fetch = wanted + _TIE_MARGIN
    while True:
        rows = connection.execute(statement, {**values, "fetch": fetch}).all()
        if len(rows) < fetch or rows[-1][-1] > rows[wanted - 1][-1]:
            break
        fetch *= 4  # a tie runs past what was fetched: take more
    rows.sort(key=lambda row: (row[-1], row[0]))
    return rows[:wanted]
