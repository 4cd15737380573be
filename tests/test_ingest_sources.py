"""Web inputs through the whole pipeline: HTML files, WARC archives, feeds and URLs,
one record per article however it arrives, and re-extraction that keeps permalinks."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from sqlmodel import Session, select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.ingest.pipeline import IngestReport
from app.ingest.sources.readers import Reader
from app.models import Article, Snapshot
from tests.conftest import FIXTURES

HTML_DIR = FIXTURES / "html"  # invented news pages
PAGES = [
    "harbour-ledger.tidal-levy.html",
    "fen-courier.drainage-board.html",
    "moor-gazette.bus-routes.html",
]


def titles(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(Article.title)).all())


def run(pipeline, sources: list[str], **reader_options) -> IngestReport:
    reader = Reader(max_bytes=pipeline.settings.max_input_bytes, **reader_options)
    try:
        return pipeline.ingest(reader.read(sources), IngestReport())
    finally:
        reader.close()


def write_warc(path: Path, pages: list[str]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for i, name in enumerate(pages):
            body = (HTML_DIR / name).read_bytes()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://capture.example/{i}",
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-01T10:20:30Z"},
            )
            writer.write_record(record)


def test_html_pages_are_ingested_with_metadata(tmp_path, pipeline, engine):
    for name in PAGES:
        (tmp_path / name).write_bytes((HTML_DIR / name).read_bytes())
    report = run(pipeline, [str(tmp_path)])
    assert (report.added, report.failed) == (3, 0), report.errors
    with Session(engine) as session:
        articles = session.exec(select(Article)).all()
    assert all(article.source_format == "html" for article in articles)
    assert all(article.published is not None for article in articles)
    assert all(article.publisher for article in articles)


def test_warc_and_its_truncated_copy_keep_every_good_record(tmp_path, pipeline, engine):
    archive = tmp_path / "crawl.warc"
    write_warc(archive, PAGES)
    data = archive.read_bytes()
    truncated = tmp_path / "cut" / "crawl-cut.warc"
    truncated.parent.mkdir()
    last = data.rfind(b"WARC/1")
    truncated.write_bytes(data[: last + (len(data) - last) // 2])  # cut inside the last record

    report = run(pipeline, [str(truncated)])
    assert report.added == 2 and report.failed == 1
    assert "crawl-cut.warc" in report.errors[0]
    with Session(engine) as session:
        origins = session.exec(select(Snapshot.origin)).all()
        fetched = session.exec(select(Snapshot.fetched_at)).all()
    assert all("crawl-cut.warc#" in origin for origin in origins)
    assert all(moment.year == 2024 for moment in fetched)

    full = run(pipeline, [str(archive)])
    assert (full.added, full.unchanged, full.failed) == (1, 2, 0), full.errors
    assert len(titles(engine)) == 3


def test_same_page_as_file_and_warc_record_is_stored_once(tmp_path, pipeline, engine):
    name = PAGES[0]
    (tmp_path / name).write_bytes((HTML_DIR / name).read_bytes())
    write_warc(tmp_path / "one.warc.gz", [name])
    report = run(pipeline, [str(tmp_path)])
    assert report.added == 1 and report.unchanged == 1, report
    assert len(titles(engine)) == 1


ARTICLE_PAGE = """<html><head><title>{title}</title>
<link rel="canonical" href="{base}/story/{n}">
<meta name="author" content="Ines Carvalho"><meta property="og:site_name" content="Harbour Ledger">
<meta property="article:published_time" content="2024-0{n}-10T08:00:00Z"></head>
<body><nav>Home | World | Sign in</nav><article><h1>{title}</h1>
{paragraphs}</article><footer>Cookie settings</footer></body></html>"""


def page(base: str, n: int, title: str) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {i} explains how the port authority plans to cut emissions from "
        f"shipping and what regulators expect next, in detail number {i}.</p>"
        for i in range(12)
    )
    return ARTICLE_PAGE.format(base=base, n=n, title=title, paragraphs=paragraphs)


class Site(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        content_type, body = Site.pages.get(path, ("text/html", b"<p>missing</p>"))
        status = 200 if path in Site.pages else 404
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def publish(base: str, titles_by_path: dict[str, str]) -> None:
    Site.pages = {
        path: ("text/html; charset=utf-8", page(base, n, title).encode())
        for n, (path, title) in enumerate(titles_by_path.items(), start=1)
    }


def test_urls_are_fetched_and_failures_reported_per_url(site, pipeline, engine, tmp_path):
    publish(site, {"/story/1": "Port cuts shipping emissions"})
    report = run(pipeline, [f"{site}/story/1", f"{site}/gone"])
    assert (report.added, report.failed) == (1, 1)
    assert "404" in report.errors[0] and "/gone" in report.errors[0]
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
    assert article.url == f"{site}/story/1"
    assert article.author == "Ines Carvalho"
    assert "Sign in" not in article.body and "Cookie" not in article.body


def test_changed_page_at_same_url_updates_article_and_keeps_slug(site, pipeline, engine):
    publish(site, {"/story/1": "Port cuts shipping emissions"})
    slug = run(pipeline, [f"{site}/story/1"]).slugs[0]
    publish(site, {"/story/1": "Port cuts shipping emissions by half"})
    report = run(pipeline, [f"{site}/story/1?utm_source=newsletter"])
    assert (report.updated, report.added) == (1, 0), report.errors
    assert report.slugs == [slug]
    assert titles(engine) == ["Port cuts shipping emissions by half"]


def test_feed_entries_are_ingested_and_archived_ones_skipped(site, pipeline, engine):
    publish(site, {"/story/1": "Port cuts shipping emissions", "/story/2": "Ferries go electric"})
    full_text = "".join(f"<p>Full text paragraph {i} about the harbour.</p>" for i in range(30))
    feed = f"""<?xml version="1.0"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour Ledger</title>
<item><title>Port cuts shipping emissions</title><link>{site}/story/1</link>
<description>Teaser only.</description></item>
<item><title>Harbour dredging approved</title><link>{site}/story/3</link>
<pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[{full_text}]]></content:encoded></item>
</channel></rss>"""
    Site.pages["/feed.xml"] = ("application/rss+xml", feed.encode())

    def archived(url: str) -> bool:
        with Session(engine) as session:
            return session.exec(select(Article).where(Article.url == url)).first() is not None

    first = run(pipeline, [f"{site}/feed.xml"], is_archived=archived)
    assert (first.added, first.failed) == (2, 0), first.errors
    assert "Harbour dredging approved" in titles(engine)
    reader = Reader(max_bytes=10_000_000, is_archived=archived)
    documents = list(reader.read([f"{site}/feed.xml"]))
    reader.close()
    assert documents == []
    assert reader.stats.skipped == {"feed entries already archived": 2}


def test_reextract_after_extractor_change_updates_and_keeps_permalinks(
    tmp_path, pipeline, engine, monkeypatch, client
):
    from app.ingest import pipeline as pipeline_module

    source = tmp_path / "a.txt"
    source.write_text(
        "Water board raises tariffs\n\nBy Ola Berg\n\nMay 2, 2024\n\n"
        "The water board raised tariffs on Tuesday to pay for new pipes.\n"
    )
    slug = run(pipeline, [str(tmp_path)]).slugs[0]
    source.unlink()  # re-extraction must not need the source file

    improved = pipeline_module.extract_article

    def retitling_extractor(raw):
        article = improved(raw)
        article.title = article.title + " (corrected)"
        return article

    monkeypatch.setattr(pipeline_module, "extract_article", retitling_extractor)
    report = pipeline.reextract(IngestReport())
    assert (report.updated, report.failed) == (1, 0)
    assert report.slugs == [slug]
    assert titles(engine) == ["Water board raises tariffs (corrected)"]
    assert client.get(f"/articles/{slug}").status_code == 200

    again = pipeline.reextract(IngestReport())
    assert (again.updated, again.unchanged) == (0, 1)
