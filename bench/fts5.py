"""The SQLite FTS5 baseline: the same corpus and the same pages, searched by FTS5 instead of Whoosh.

``python -m bench.fts5 build CORPUS DB [--labels ARCHIVE_DB]`` reads the corpus files into an
FTS5 database (porter tokenizer, bm25 ranking); with ``--labels`` it copies slugs, speakers,
quotes and themes from an ingested archive database, matched by file path, so that filters,
facets and URLs are the same as the archive's. ``python -m bench.fts5 serve DB --port P``
serves ``/``, ``/search``, ``/quotes``, ``/articles/{slug}``, ``/speakers/{slug}`` and
``/themes/{slug}`` through FastAPI and uvicorn, as the archive does. Quotes have their own
FTS5 table (their words, and the speaker's name or an unnamed source's description), so
quote search is measured against the same kind of index as article search.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup

SCHEMA = """
CREATE TABLE article(
    id INTEGER PRIMARY KEY, slug TEXT UNIQUE, origin TEXT UNIQUE, title TEXT, author TEXT,
    publisher TEXT, source TEXT, url TEXT, published TEXT, year TEXT, body TEXT,
    speaker_names TEXT DEFAULT '', theme_names TEXT DEFAULT ''
);
CREATE INDEX article_published ON article(published);
CREATE INDEX article_source ON article(source);
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, body, author, publisher, speaker_names, theme_names,
    content='article', content_rowid='id', tokenize='porter unicode61'
);
CREATE TABLE speaker(id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT, role TEXT,
                     affiliation TEXT);
CREATE TABLE quote(id INTEGER PRIMARY KEY, article_id INTEGER, speaker_id INTEGER,
                   position INTEGER, text TEXT, role TEXT, affiliation TEXT,
                   kind TEXT DEFAULT 'direct', source TEXT, speaker_slug TEXT,
                   speaker_name TEXT DEFAULT '');
CREATE INDEX quote_speaker_slug ON quote(speaker_slug);
CREATE VIRTUAL TABLE quote_fts USING fts5(
    text, speaker_name, content='quote', content_rowid='id', tokenize='porter unicode61'
);
CREATE INDEX quote_article ON quote(article_id);
CREATE INDEX quote_speaker ON quote(speaker_id);
CREATE TABLE article_speaker(article_id INTEGER, speaker_slug TEXT,
                             PRIMARY KEY(article_id, speaker_slug)) WITHOUT ROWID;
CREATE INDEX article_speaker_slug ON article_speaker(speaker_slug, article_id);
CREATE TABLE theme(id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT);
CREATE TABLE article_theme(article_id INTEGER, theme_slug TEXT, score REAL,
                           PRIMARY KEY(article_id, theme_slug)) WITHOUT ROWID;
CREATE INDEX article_theme_slug ON article_theme(theme_slug, article_id);
"""
# Title counts twice, as in the archive's Whoosh schema (field_boost=2.0).
BM25 = "bm25(article_fts, 2.0, 1.0, 1.0, 1.0, 1.5, 1.0)"
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_file(path: Path) -> dict:
    """Read one corpus file (front matter, title, byline, date line, paragraphs)."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    if match := _FRONT.match(text):
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        text = text[match.end() :]
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    title = blocks.pop(0)
    author = blocks.pop(0)[3:] if blocks and blocks[0].startswith("By ") else None
    published = None
    if blocks:
        try:
            published = datetime.strptime(blocks[0], "%B %d, %Y")
            blocks.pop(0)
        except ValueError:
            pass
    publisher = meta.get("publisher")
    return {
        "origin": str(path.resolve()),
        "title": title,
        "author": author,
        "publisher": publisher,
        "source": _slugify(publisher) if publisher else None,
        "url": meta.get("url"),
        "published": published.isoformat() if published else None,
        "year": str(published.year) if published else None,
        "body": "\n\n".join(blocks),
    }


def build(corpus: Path, db_path: Path, labels: Path | None = None) -> dict[str, float]:
    """Build the FTS5 database; returns seconds per phase and the article count."""
    db_path = Path(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + SCHEMA)
    files = sorted(p for p in Path(corpus).rglob("*.txt") if not p.name.startswith("."))
    rows = (parse_file(path) for path in files)
    with conn:
        conn.executemany(
            "INSERT INTO article(slug, origin, title, author, publisher, source, url, published,"
            " year, body) VALUES (NULL, :origin, :title, :author, :publisher, :source, :url,"
            " :published, :year, :body)",
            rows,
        )
        conn.execute("UPDATE article SET slug = 'a' || id")
    timings["parse_insert_seconds"] = time.perf_counter() - started
    if labels is not None:
        mark = time.perf_counter()
        copy_labels(conn, Path(labels))
        timings["labels_seconds"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with conn:
        conn.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
        conn.execute("INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO quote_fts(quote_fts) VALUES ('optimize')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["fts_index_seconds"] = time.perf_counter() - mark
    timings["articles"] = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    conn.close()
    timings["files_to_searchable_seconds"] = (
        timings["parse_insert_seconds"] + timings["fts_index_seconds"]
    )
    return timings


def copy_labels(conn: sqlite3.Connection, archive_db: Path) -> None:
    """Slugs, speakers, quotes and themes from the archive database, matched by file path."""
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{archive_db}?mode=ro",))
    with conn:
        conn.executescript(
            """
            CREATE TEMP TABLE idmap AS
                SELECT a.id AS id, s.id AS src_id, s.slug AS slug
                FROM article a JOIN src.article s ON s.origin = a.origin;
            CREATE INDEX temp.idmap_src ON idmap(src_id);
            UPDATE article SET slug = (SELECT slug FROM idmap WHERE idmap.id = article.id)
                WHERE id IN (SELECT id FROM idmap);
            INSERT INTO speaker(id, slug, name, role, affiliation)
                SELECT id, slug, name, role, affiliation FROM src.speaker;
            INSERT INTO quote(article_id, speaker_id, position, text, role, affiliation,
                              kind, source, speaker_slug, speaker_name)
                SELECT m.id, q.speaker_id, q.position, q.text, q.role, q.affiliation,
                       q.kind, q.source, s.slug, coalesce(s.name, q.source, '')
                FROM src.quote q JOIN idmap m ON m.src_id = q.article_id
                LEFT JOIN src.speaker s ON s.id = q.speaker_id;
            INSERT OR IGNORE INTO article_speaker(article_id, speaker_slug)
                SELECT q.article_id, s.slug FROM quote q JOIN speaker s ON s.id = q.speaker_id;
            INSERT INTO theme(id, slug, name) SELECT id, slug, name FROM src.theme;
            INSERT INTO article_theme(article_id, theme_slug, score)
                SELECT m.id, t.slug, at.score
                FROM src.articletheme at JOIN idmap m ON m.src_id = at.article_id
                JOIN src.theme t ON t.id = at.theme_id;
            UPDATE article SET
                speaker_names = coalesce((SELECT group_concat(s.name, ' ')
                    FROM article_speaker x JOIN speaker s ON s.slug = x.speaker_slug
                    WHERE x.article_id = article.id), ''),
                theme_names = coalesce((SELECT group_concat(t.name, ' ')
                    FROM article_theme x JOIN theme t ON t.slug = x.theme_slug
                    WHERE x.article_id = article.id), '');
            """
        )
    conn.execute("DETACH DATABASE src")


# ------------------------------------------------------------------------------ searching
# Facet values shown per facet, as the archive's pages show them (app/web/results.py).
FACET_LIMIT = 50
_TOKEN = re.compile(r'(-?)("[^"]*"|\S+)')


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: bare words and "phrases", -word for NOT, AND between."""
    positive: list[str] = []
    negative: list[str] = []
    for minus, token in _TOKEN.findall(text):
        words = re.findall(r"\w+", token)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if token.endswith("*") and len(words) == 1:
            term += "*"
        (negative if minus else positive).append(term)
    if not positive:
        raise ValueError("The query has no words to search for.")
    query = " AND ".join(positive)
    for term in negative:
        query = f"({query}) NOT {term}"
    return query


def search(
    conn: sqlite3.Connection,
    *,
    q: str,
    speakers: list[str] = (),
    themes: list[str] = (),
    sources: list[str] = (),
    years: list[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 10,
) -> dict:
    """One statement: matches (materialised once), the page of hits, the total and facets."""
    started = time.perf_counter()
    where: list[str] = []
    args: list = []
    if q.strip():
        match_sql = (
            f"SELECT a.id AS id, {BM25} AS score, a.published AS published "
            "FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid"
        )
        where.append("article_fts MATCH ?")
        args.append(fts_query(q))
    else:
        match_sql = "SELECT a.id AS id, 0.0 AS score, a.published AS published FROM article a"
    for slug in speakers:
        where.append("a.id IN (SELECT article_id FROM article_speaker WHERE speaker_slug = ?)")
        args.append(slug)
    for slug in themes:
        where.append("a.id IN (SELECT article_id FROM article_theme WHERE theme_slug = ?)")
        args.append(slug)
    for slug in sources:
        where.append("a.source = ?")
        args.append(slug)
    if years:
        where.append(f"a.year IN ({','.join('?' * len(years))})")
        args.extend(years)
    if date_from:
        where.append("a.published >= ?")
        args.append(date_from)
    if date_to:
        where.append("a.published <= ?")
        args.append(date_to + "T23:59:59")
    if where:
        match_sql += " WHERE " + " AND ".join(where)
    if sort == "newest" or (sort == "relevance" and not q.strip()):
        order = "published DESC, id DESC"
    elif sort == "oldest":
        order = "published ASC, id ASC"
    else:
        order = "score ASC, id ASC"
    sql = f"""
        WITH m AS MATERIALIZED ({match_sql})
        SELECT * FROM (SELECT 'hit', id, score FROM m ORDER BY {order} LIMIT ? OFFSET ?)
        UNION ALL SELECT 'total', NULL, count(*) FROM m
        UNION ALL SELECT 'speakers', s.speaker_slug, count(*)
            FROM m JOIN article_speaker s ON s.article_id = m.id GROUP BY s.speaker_slug
        UNION ALL SELECT 'themes', t.theme_slug, count(*)
            FROM m JOIN article_theme t ON t.article_id = m.id GROUP BY t.theme_slug
        UNION ALL SELECT 'source', a.source, count(*)
            FROM m JOIN article a ON a.id = m.id GROUP BY a.source
        UNION ALL SELECT 'year', a.year, count(*)
            FROM m JOIN article a ON a.id = m.id GROUP BY a.year
    """
    args.extend([page_size, (page - 1) * page_size])
    hits: list[int] = []
    total = 0
    facets: dict[str, list[tuple[str, int]]] = {
        "speakers": [],
        "themes": [],
        "source": [],
        "year": [],
    }
    for kind, value, count in conn.execute(sql, args):
        if kind == "hit":
            hits.append(value)
        elif kind == "total":
            total = count
        elif value is not None:
            facets[kind].append((value, count))
    for values in facets.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    snippets: dict[int, str] = {}
    if q.strip() and hits:
        fts = fts_query(q)
        for article_id in hits:
            row = conn.execute(
                "SELECT snippet(article_fts, 1, '<mark>', '</mark>', ' … ', 40) FROM article_fts"
                " WHERE article_fts MATCH ? AND rowid = ?",
                (fts, article_id),
            ).fetchone()
            snippets[article_id] = row[0] if row else ""
    return {
        "hits": hits,
        "snippets": snippets,
        "total": total,
        "facets": facets,
        "took_ms": (time.perf_counter() - started) * 1000,
    }


def search_quotes(
    conn: sqlite3.Connection,
    *,
    q: str,
    speakers: list[str] = (),
    themes: list[str] = (),
    sources: list[str] = (),
    years: list[str] = (),
    kinds: list[str] = (),
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 10,
) -> dict:
    """Quote search in one statement, as `search`: hits, total and facets (with kind)."""
    started = time.perf_counter()
    where: list[str] = []
    args: list = []
    if q.strip():
        match_sql = (
            "SELECT q.id AS id, q.article_id AS article_id, q.speaker_slug AS speaker_slug,"
            " q.kind AS kind, bm25(quote_fts, 1.0, 1.5) AS score, a.published AS published"
            " FROM quote_fts CROSS JOIN quote q ON q.id = quote_fts.rowid"
            " JOIN article a ON a.id = q.article_id"
        )
        where.append("quote_fts MATCH ?")
        args.append(fts_query(q))
    else:
        match_sql = (
            "SELECT q.id AS id, q.article_id AS article_id, q.speaker_slug AS speaker_slug,"
            " q.kind AS kind, 0.0 AS score, a.published AS published"
            " FROM quote q JOIN article a ON a.id = q.article_id"
        )
    if speakers:
        where.append(f"q.speaker_slug IN ({','.join('?' * len(speakers))})")
        args.extend(speakers)
    for slug in themes:
        where.append("q.article_id IN (SELECT article_id FROM article_theme WHERE theme_slug = ?)")
        args.append(slug)
    for slug in sources:
        where.append("a.source = ?")
        args.append(slug)
    if years:
        where.append(f"a.year IN ({','.join('?' * len(years))})")
        args.extend(years)
    if kinds:
        where.append(f"q.kind IN ({','.join('?' * len(kinds))})")
        args.extend(kinds)
    if where:
        match_sql += " WHERE " + " AND ".join(where)
    if sort == "newest" or (sort == "relevance" and not q.strip()):
        order = "published DESC, id DESC"
    elif sort == "oldest":
        order = "published ASC, id ASC"
    else:
        order = "score ASC, id ASC"
    sql = f"""
        WITH m AS MATERIALIZED ({match_sql})
        SELECT * FROM (SELECT 'hit', id, score FROM m ORDER BY {order} LIMIT ? OFFSET ?)
        UNION ALL SELECT 'total', NULL, count(*) FROM m
        UNION ALL SELECT 'speakers', speaker_slug, count(*) FROM m
            WHERE speaker_slug IS NOT NULL GROUP BY speaker_slug
        UNION ALL SELECT 'themes', t.theme_slug, count(*)
            FROM m JOIN article_theme t ON t.article_id = m.article_id GROUP BY t.theme_slug
        UNION ALL SELECT 'source', a.source, count(*)
            FROM m JOIN article a ON a.id = m.article_id GROUP BY a.source
        UNION ALL SELECT 'year', a.year, count(*)
            FROM m JOIN article a ON a.id = m.article_id GROUP BY a.year
        UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
    """
    args.extend([page_size, (page - 1) * page_size])
    hits: list[int] = []
    total = 0
    facets: dict[str, list[tuple[str, int]]] = {
        "speakers": [],
        "themes": [],
        "source": [],
        "year": [],
        "kind": [],
    }
    for kind, value, count in conn.execute(sql, args):
        if kind == "hit":
            hits.append(value)
        elif kind == "total":
            total = count
        elif value is not None:
            facets[kind].append((value, count))
    for values in facets.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    snippets: dict[int, str] = {}
    if q.strip() and hits:
        fts = fts_query(q)
        for quote_id in hits:
            row = conn.execute(
                "SELECT highlight(quote_fts, 0, '<mark>', '</mark>') FROM quote_fts"
                " WHERE quote_fts MATCH ? AND rowid = ?",
                (fts, quote_id),
            ).fetchone()
            snippets[quote_id] = row[0] if row else ""
    return {
        "hits": hits,
        "snippets": snippets,
        "total": total,
        "facets": facets,
        "took_ms": (time.perf_counter() - started) * 1000,
    }


# ------------------------------------------------------------------------------ web app
TEMPLATES = {
    "base.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{% block title %}{% endblock %} · FTS5 baseline</title></head><body>
<header><a href="/">Policy Archive (FTS5)</a><form action="/search"><input name="q"></form></header>
<main>{% block content %}{% endblock %}</main></body></html>""",
    "home.html": """{% extends "base.html" %}{% block title %}Home{% endblock %}
{% block content %}<p>{{ total }} articles</p><ul>{% for a in latest %}
<li><a href="/articles/{{ a.slug }}">{{ a.title }}</a> {{ a.publisher }} {{ a.published }}</li>
{% endfor %}</ul><ul>{% for s in speakers %}<li><a href="/speakers/{{ s.slug }}">{{ s.name }}</a>
{{ s.quotes }}</li>{% endfor %}</ul><ul>{% for t in themes %}
<li><a href="/themes/{{ t.slug }}">{{ t.name }}</a> {{ t.count }}</li>{% endfor %}</ul>
{% endblock %}""",
    "search.html": """{% extends "base.html" %}{% block title %}{{ q }} · Search{% endblock %}
{% block content %}{% if error %}<p role="alert">{{ error }}</p>{% else %}
<p>{{ total }} articles · {{ "%.0f" | format(took_ms) }} ms</p>
<aside>{% for name, values in facets.items() if values %}<section><h2>{{ name }}</h2><ul>
{% for v in values %}<li><a href="{{ v.url }}">{{ v.label }}</a> <span>{{ v.count }}</span></li>
{% endfor %}</ul></section>{% endfor %}</aside>
<ol>{% for r in rows %}<li><h2><a href="/articles/{{ r.slug }}">{{ r.title }}</a></h2>
<div>{{ r.publisher }} · {{ r.published }}</div><p>{{ r.snippet }}</p>
<div>{% for s in r.speakers %}<a href="/speakers/{{ s.slug }}">{{ s.name }}</a>{% endfor %}
{% for t in r.themes %}<a href="/themes/{{ t.slug }}">{{ t.name }}</a>{% endfor %}</div></li>
{% endfor %}</ol><nav>{% for n, url in pages %}<a href="{{ url }}">{{ n }}</a>{% endfor %}</nav>
{% endif %}{% endblock %}""",
    "quotes.html": """{% extends "base.html" %}{% block title %}{{ q }} · Quotes{% endblock %}
{% block content %}{% if error %}<p role="alert">{{ error }}</p>{% else %}
<p>{{ total }} quotes · {{ "%.0f" | format(took_ms) }} ms</p>
<aside>{% for name, values in facets.items() if values %}<section><h2>{{ name }}</h2><ul>
{% for v in values %}<li><a href="{{ v.url }}">{{ v.label }}</a> <span>{{ v.count }}</span></li>
{% endfor %}</ul></section>{% endfor %}</aside>
<ol>{% for r in rows %}<li class="{{ r.kind }}"><p>{% if r.slug_speaker %}
<a href="/speakers/{{ r.slug_speaker }}">{{ r.name }}</a>{% else %}{{ r.source }}{% endif %}
{{ r.role }} {{ r.affiliation }}</p>{% if r.kind == "direct" %}<blockquote>“{{ r.snippet }}”
</blockquote>{% else %}<p>said that {{ r.snippet }}</p>{% endif %}
<p><a href="/articles/{{ r.slug }}#q{{ r.position }}">{{ r.title }}</a> · {{ r.publisher }} ·
{{ r.published }}</p></li>{% endfor %}</ol>
<nav>{% for n, url in pages %}<a href="{{ url }}">{{ n }}</a>{% endfor %}</nav>
{% endif %}{% endblock %}""",
    "article.html": """{% extends "base.html" %}{% block title %}{{ a.title }}{% endblock %}
{% block content %}<h1>{{ a.title }}</h1><p>{{ a.author }} · {{ a.publisher }} ·
{{ a.published }}</p>{% for p in paragraphs %}<p id="p{{ loop.index }}">{{ p }}</p>{% endfor %}
<h2>Speakers</h2>{% for q in quotes %}<blockquote id="q{{ q.position }}">{{ q.text }}
<a href="/speakers/{{ q.slug }}">{{ q.name }}</a> {{ q.role }} {{ q.affiliation }}</blockquote>
{% endfor %}<h2>Themes</h2>{% for t in themes %}<a href="/themes/{{ t.slug }}">{{ t.name }}</a>
{{ t.score }}{% endfor %}{% endblock %}""",
    "speaker.html": """{% extends "base.html" %}{% block title %}{{ s.name }}{% endblock %}
{% block content %}<h1>{{ s.name }}</h1><p>{{ s.role }} {{ s.affiliation }}</p>
{% for q in quotes %}<blockquote>{{ q.text }} — <a href="/articles/{{ q.slug }}">{{ q.title }}</a>
{{ q.published }}</blockquote>{% endfor %}{% endblock %}""",
    "theme.html": """{% extends "base.html" %}{% block title %}{{ t.name }}{% endblock %}
{% block content %}<h1>{{ t.name }}</h1><ul>{% for a in articles %}
<li><a href="/articles/{{ a.slug }}">{{ a.title }}</a> {{ a.published }}</li>{% endfor %}</ul>
{% endblock %}""",
}


def create_app(db_path: Path):
    """A FastAPI app with the archive's routes, reading one FTS5 database."""
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    local = threading.local()
    uri = f"file:{Path(db_path).resolve()}?mode=ro"

    def connection() -> sqlite3.Connection:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            # A page cache per thread (the threadpool has 40): keep each small.
            conn.execute("PRAGMA cache_size = -4000")
            local.conn = conn
        return conn

    def html(template: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(**context), status_code=status)

    app = FastAPI(title="FTS5 baseline")

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse)
    def home_page() -> HTMLResponse:
        conn = connection()
        latest = conn.execute(
            "SELECT slug, title, publisher, published FROM article "
            "ORDER BY published DESC, id DESC LIMIT 10"
        ).fetchall()
        speakers = conn.execute(
            "SELECT s.slug, s.name, count(DISTINCT q.article_id) AS articles, count(*) AS quotes"
            " FROM speaker s JOIN quote q ON q.speaker_id = s.id GROUP BY s.id"
            " ORDER BY quotes DESC LIMIT 12"
        ).fetchall()
        themes = conn.execute(
            "SELECT t.slug, t.name, count(x.article_id) AS count FROM theme t"
            " LEFT JOIN article_theme x ON x.theme_slug = t.slug GROUP BY t.id ORDER BY t.name"
        ).fetchall()
        total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        return html("home.html", latest=latest, speakers=speakers, themes=themes, total=total)

    def run_search(request: Request) -> dict:
        params = request.query_params
        page_text = params.get("page") or "1"
        if not page_text.isdigit() or not 1 <= int(page_text) <= 1000:
            raise ValueError("Page must be a whole number between 1 and 1000.")
        chosen = {
            "speaker": [v for v in params.getlist("speaker") if v],
            "theme": [v for v in params.getlist("theme") if v],
            "source": [v for v in params.getlist("source") if v],
            "year": [v for v in params.getlist("year") if v],
        }
        q = (params.get("q") or "").strip()
        sort = params.get("sort") or "relevance"
        conn = connection()
        found = search(
            conn,
            q=q,
            speakers=chosen["speaker"],
            themes=chosen["theme"],
            sources=chosen["source"],
            years=chosen["year"],
            date_from=params.get("from"),
            date_to=params.get("to"),
            sort=sort,
            page=int(page_text),
        )
        ids = found["hits"]
        marks = ",".join("?" * len(ids))
        articles = {
            row["id"]: row
            for row in conn.execute(
                f"SELECT id, slug, title, publisher, published, body FROM article"
                f" WHERE id IN ({marks})",
                ids,
            )
        }
        speakers_of: dict[int, list] = {i: [] for i in ids}
        for row in conn.execute(
            f"SELECT DISTINCT x.article_id, s.slug, s.name FROM article_speaker x"
            f" JOIN speaker s ON s.slug = x.speaker_slug WHERE x.article_id IN ({marks})",
            ids,
        ):
            speakers_of[row[0]].append(row)
        themes_of: dict[int, list] = {i: [] for i in ids}
        for row in conn.execute(
            f"SELECT x.article_id, t.slug, t.name FROM article_theme x"
            f" JOIN theme t ON t.slug = x.theme_slug WHERE x.article_id IN ({marks})"
            " ORDER BY x.score DESC",
            ids,
        ):
            themes_of[row[0]].append(row)
        rows = []
        for article_id in ids:
            article = articles[article_id]
            snippet = found["snippets"].get(article_id) or article["body"][:240]
            rows.append(
                {
                    "id": article_id,
                    "slug": article["slug"],
                    "title": article["title"],
                    "publisher": article["publisher"],
                    "published": article["published"],
                    "snippet": Markup(_safe_snippet(snippet)),
                    "speakers": speakers_of[article_id],
                    "themes": themes_of[article_id],
                }
            )
        found["facets"] = _shown_facets(found["facets"], chosen)
        labels = {
            "speakers": dict(
                conn.execute(
                    f"SELECT slug, name FROM speaker WHERE slug IN"
                    f" ({','.join('?' * len(found['facets']['speakers']))})",
                    [v for v, _ in found["facets"]["speakers"]],
                ).fetchall()
            ),
            "themes": dict(conn.execute("SELECT slug, name FROM theme").fetchall()),
            "source": {
                s: p for s, p in conn.execute("SELECT DISTINCT source, publisher FROM article") if s
            },
            "year": {},
        }
        base = [(k, v) for k, v in params.multi_items() if k != "page"]
        facet_param = {"speakers": "speaker", "themes": "theme", "source": "source", "year": "year"}
        facets = {}
        for name, counts in found["facets"].items():
            param = facet_param[name]
            facets[name] = [
                {
                    "label": labels[name].get(value, value),
                    "count": count,
                    "url": "/search?"
                    + urlencode(
                        [p for p in base if p != (param, value)]
                        if value in chosen[param]
                        else [*base, (param, value)]
                    ),
                }
                for value, count in counts
            ]
        pages_count = max(1, -(-found["total"] // 10))
        current = int(page_text)
        pages = [
            (n, "/search?" + urlencode([*base, ("page", str(n))]))
            for n in range(max(1, current - 4), min(pages_count, current + 4) + 1)
        ]
        return {
            "q": q,
            "total": found["total"],
            "took_ms": found["took_ms"],
            "rows": rows,
            "facets": facets,
            "pages": pages,
            "error": None,
        }

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request) -> HTMLResponse:
        try:
            context = run_search(request)
        except (ValueError, sqlite3.OperationalError) as error:
            return html("search.html", 400, error=str(error), q=request.query_params.get("q"))
        return html("search.html", **context)

    @app.get("/api/search")
    def search_api(request: Request) -> JSONResponse:
        try:
            context = run_search(request)
        except (ValueError, sqlite3.OperationalError) as error:
            return JSONResponse({"detail": str(error)}, status_code=400)
        return JSONResponse(
            {
                "total": context["total"],
                "hits": [
                    {"slug": r["slug"], "title": r["title"], "snippet": str(r["snippet"])}
                    for r in context["rows"]
                ],
                "facets": context["facets"],
            }
        )

    def run_quote_search(request: Request) -> dict:
        params = request.query_params
        page_text = params.get("page") or "1"
        if not page_text.isdigit() or not 1 <= int(page_text) <= 1000:
            raise ValueError("Page must be a whole number between 1 and 1000.")
        chosen = {
            name: [v for v in params.getlist(name) if v]
            for name in ("speaker", "theme", "source", "year", "kind")
        }
        q = (params.get("q") or "").strip()
        conn = connection()
        found = search_quotes(
            conn,
            q=q,
            speakers=chosen["speaker"],
            themes=chosen["theme"],
            sources=chosen["source"],
            years=chosen["year"],
            kinds=chosen["kind"],
            sort=params.get("sort") or "relevance",
            page=int(page_text),
        )
        ids = found["hits"]
        marks = ",".join("?" * len(ids))
        quotes = {
            row["id"]: row
            for row in conn.execute(
                "SELECT q.id, q.position, q.text, q.kind, q.role, q.affiliation, q.source,"
                " q.speaker_slug, s.name, a.slug, a.title, a.publisher, a.published"
                " FROM quote q JOIN article a ON a.id = q.article_id"
                f" LEFT JOIN speaker s ON s.id = q.speaker_id WHERE q.id IN ({marks})",
                ids,
            )
        }
        rows = []
        for quote_id in ids:
            quote = quotes[quote_id]
            snippet = found["snippets"].get(quote_id) or quote["text"]
            rows.append(
                {
                    **dict(quote),
                    "slug_speaker": quote["speaker_slug"],
                    "snippet": Markup(_safe_snippet(snippet)),
                }
            )
        found["facets"] = _shown_facets(found["facets"], chosen)
        speaker_slugs = [v for v, _ in found["facets"]["speakers"]]
        labels = {
            "speakers": dict(
                conn.execute(
                    f"SELECT slug, name FROM speaker WHERE slug IN"
                    f" ({','.join('?' * len(speaker_slugs))})",
                    speaker_slugs,
                ).fetchall()
            ),
            "themes": dict(conn.execute("SELECT slug, name FROM theme").fetchall()),
            "source": {
                s: p for s, p in conn.execute("SELECT DISTINCT source, publisher FROM article") if s
            },
            "year": {},
            "kind": {"direct": "Direct quote", "reported": "Reported speech"},
        }
        base = [(k, v) for k, v in params.multi_items() if k != "page"]
        facet_param = {
            "speakers": "speaker",
            "themes": "theme",
            "source": "source",
            "year": "year",
            "kind": "kind",
        }
        facets = {}
        for name, counts in found["facets"].items():
            param = facet_param[name]
            facets[name] = [
                {
                    "label": labels[name].get(value, value),
                    "count": count,
                    "url": "/quotes?"
                    + urlencode(
                        [p for p in base if p != (param, value)]
                        if value in chosen[param]
                        else [*base, (param, value)]
                    ),
                }
                for value, count in counts
            ]
        pages_count = max(1, -(-found["total"] // 10))
        current = int(page_text)
        pages = [
            (n, "/quotes?" + urlencode([*base, ("page", str(n))]))
            for n in range(max(1, current - 4), min(pages_count, current + 4) + 1)
        ]
        return {
            "q": q,
            "total": found["total"],
            "took_ms": found["took_ms"],
            "rows": rows,
            "facets": facets,
            "pages": pages,
            "error": None,
        }

    @app.get("/quotes", response_class=HTMLResponse)
    def quotes_page(request: Request) -> HTMLResponse:
        try:
            context = run_quote_search(request)
        except (ValueError, sqlite3.OperationalError) as error:
            return html("quotes.html", 400, error=str(error), q=request.query_params.get("q"))
        return html("quotes.html", **context)

    @app.get("/articles/{slug}", response_class=HTMLResponse)
    def article_page(slug: str) -> HTMLResponse:
        conn = connection()
        article = conn.execute("SELECT * FROM article WHERE slug = ?", (slug,)).fetchone()
        if article is None:
            return html("base.html", 404)
        quotes = conn.execute(
            "SELECT q.position, q.text, q.role, q.affiliation, s.slug, s.name FROM quote q"
            " LEFT JOIN speaker s ON s.id = q.speaker_id WHERE q.article_id = ?"
            " ORDER BY q.position",
            (article["id"],),
        ).fetchall()
        themes = conn.execute(
            "SELECT t.slug, t.name, x.score FROM article_theme x JOIN theme t"
            " ON t.slug = x.theme_slug WHERE x.article_id = ? ORDER BY x.score DESC",
            (article["id"],),
        ).fetchall()
        return html(
            "article.html",
            a=article,
            paragraphs=article["body"].split("\n\n"),
            quotes=quotes,
            themes=themes,
        )

    @app.get("/speakers/{slug}", response_class=HTMLResponse)
    def speaker_page(slug: str) -> HTMLResponse:
        conn = connection()
        speaker = conn.execute("SELECT * FROM speaker WHERE slug = ?", (slug,)).fetchone()
        if speaker is None:
            return html("base.html", 404)
        quotes = conn.execute(
            "SELECT q.text, a.slug, a.title, a.published FROM quote q JOIN article a"
            " ON a.id = q.article_id WHERE q.speaker_id = ?"
            " ORDER BY a.published DESC, q.position",
            (speaker["id"],),
        ).fetchall()
        return html("speaker.html", s=speaker, quotes=quotes)

    @app.get("/themes/{slug}", response_class=HTMLResponse)
    def theme_page(slug: str) -> HTMLResponse:
        conn = connection()
        theme = conn.execute("SELECT * FROM theme WHERE slug = ?", (slug,)).fetchone()
        if theme is None:
            return html("base.html", 404)
        articles = conn.execute(
            "SELECT a.slug, a.title, a.published FROM article_theme x JOIN article a"
            " ON a.id = x.article_id WHERE x.theme_slug = ?"
            " ORDER BY a.published DESC LIMIT 50",
            (slug,),
        ).fetchall()
        return html("theme.html", t=theme, articles=articles)

    return app


FACET_PARAMS = {"speakers": "speaker", "themes": "theme", "source": "source", "year": "year"}


def _shown_facets(
    facets: dict[str, list[tuple[str, int]]], chosen: dict[str, list[str]]
) -> dict[str, list[tuple[str, int]]]:
    """The archive's rule (app/web/results.py): the FACET_LIMIT most frequent values of
    each facet plus every chosen one, so both servers render the same page work."""
    shown = {}
    for name, counts in facets.items():
        head = counts[:FACET_LIMIT]
        picked = set(chosen.get(FACET_PARAMS.get(name, name), ())) - {v for v, _ in head}
        shown[name] = head + [(value, count) for value, count in counts if value in picked]
    return shown


def _safe_snippet(snippet: str) -> str:
    """Escape the article text but keep the <mark> tags FTS5 put in."""
    from html import escape

    parts = re.split(r"(</?mark>)", snippet)
    return "".join(p if p in ("<mark>", "</mark>") else escape(p, quote=False) for p in parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="Build the FTS5 database from corpus files.")
    build_cmd.add_argument("corpus", type=Path)
    build_cmd.add_argument("db", type=Path)
    build_cmd.add_argument("--labels", type=Path, help="An ingested archive database.")
    serve_cmd = commands.add_parser("serve", help="Serve the baseline over HTTP.")
    serve_cmd.add_argument("db", type=Path)
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(build(args.corpus, args.db, args.labels)))
    else:
        import uvicorn

        uvicorn.run(create_app(args.db), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
