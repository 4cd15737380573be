"""Stored XSS: payloads in every field a source can fill, then every page kind is parsed.

No payload may survive as a tag, an event handler, a URL scheme other than http(s), or an
evaluated template, on any page, feed, export, citation, sitemap or API answer.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hostile.archive import build, client_for
from tests.hostile.markup import response_problems
from tests.hostile.payloads import text_payloads, url_payloads

BODY = (
    "The ministry set out new rules on data protection and privacy for public agencies, "
    "after a long consultation on surveillance and the budget for digital services."
)


def text_article(number: int, payload: str, url: str) -> str:
    meta = {"title": f"{payload} report {number}", "author": payload, "publisher": payload}
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
    return (
        f"---\n{front}\nurl: {json.dumps(url)}\n---\n"
        f"Headline {number} {payload}\n\n{BODY}\n\n"
        f"“{payload} We will act on privacy,” said Maria Okonkwo-Lind, director of {payload}.\n\n"
        f"{payload} said the plan would cut waste, according to officials.\n"
    )


def html_page(number: int, payload: str, url: str) -> str:
    return (
        f"<html><head><title>{payload} page {number}</title>"
        f'<meta name="author" content="{payload}">'
        f'<meta property="og:site_name" content="{payload}">'
        f'<meta name="description" content="{payload}">'
        f'<link rel="canonical" href="{url}"></head><body><article>'
        f"<h1>{payload} page {number}</h1><p>{BODY}</p><p>{payload} {BODY}</p><p>{BODY}</p>"
        f"<p>Critics said the plan left {payload} out, and asked for a review. {BODY}</p>"
        f"<p>“We will act,” said Tomas Eriksen-Vale, head of {payload}.</p>"
        "</article></body></html>"
    )


def feed(payloads: list[str], urls: list[str]) -> str:
    items = []
    for number, payload in enumerate(payloads):
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        link = urls[number % len(urls)].replace("&", "&amp;").replace("<", "&lt;")
        items.append(
            f"<item><title>{escaped} entry {number}</title><link>{link}</link>"
            f"<author>{escaped}</author><description>{escaped} {BODY * 4}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
        + "".join(items)
        + "</channel></rss>"
    )


def warc(path: Path, payloads: list[str]) -> None:
    """Response records written by hand (warcio's writer leaks temporary files)."""
    with path.open("wb") as handle:
        for number, payload in enumerate(payloads):
            uri = f"https://news.example/{number}/{quote(payload, safe='')}"
            body = html_page(1000 + number, payload, uri).encode()
            block = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            headers = (
                "WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
                "WARC-Date: 2025-03-01T10:20:30Z\r\n"
                f"WARC-Target-URI: {uri}\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n"
            )
            handle.write(headers.encode() + block + b"\r\n\r\n")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    inbox = root / "in"
    inbox.mkdir()
    texts, urls = text_payloads(), url_payloads()
    for number, payload in enumerate(texts):
        url = urls[number % len(urls)] if number % 2 else f"https://example.org/{number}"
        (inbox / f"a{number:03}.md").write_text(text_article(number, payload, url))
    for number, payload in enumerate(texts[::3]):
        (inbox / f"p{number:03}.html").write_text(
            html_page(number, payload, urls[number % len(urls)])
        )
    (inbox / "feed.xml").write_text(feed(texts[1::3], urls))
    warc(inbox / "crawl.warc", texts[2::6])
    settings, report = build(root, [inbox])
    # Refusals with a reason are fine (a feed entry whose only link is javascript:);
    # a crash is not.
    crashes = [line for line in report.errors if "could not be processed" in line]
    assert not crashes, crashes[:3]
    with client_for(settings) as client:
        yield client, report


def every_path(client) -> list[str]:
    paths = ["/", "/speakers", "/themes", "/docs", "/sitemap.xml", "/robots.txt"]
    paths += ["/api/speakers", "/api/themes", "/api/articles?limit=100&offset=0"]
    for q in ("xssprobe", "script", "report", "1213"):
        paths += [f"/search?q={q}", f"/search?q={q}&page=2", f"/api/search?q={q}"]
        paths += [f"/search.atom?q={q}", f"/search.csv?q={q}"]
        paths += [f"/quotes?q={q}", f"/api/quotes?q={q}", f"/quotes.atom?q={q}"]
        paths += [f"/quotes.csv?q={q}"]
    articles, offset = [], 0
    while batch := client.get(f"/api/articles?limit=100&offset={offset}").json()["articles"]:
        articles += batch
        offset += len(batch)
    for article in articles:
        slug = article["slug"]
        paths += [f"/articles/{slug}", f"/api/articles/{slug}", f"/articles/{slug}?q=xssprobe"]
        paths += [f"/articles/{slug}/cite.{fmt}" for fmt in ("bib", "ris", "json", "txt")]
    for speaker in client.get("/api/speakers").json()["speakers"]:
        slug = speaker["slug"]
        paths += [f"/speakers/{slug}", f"/api/speakers/{slug}", f"/speakers/{slug}/feed"]
        paths += [f"/speakers/{slug}?q=xssprobe"]
    for theme in client.get("/api/themes").json()["themes"]:
        slug = theme["slug"]
        paths += [f"/themes/{slug}", f"/api/themes/{slug}", f"/themes/{slug}/feed"]
    return paths


def test_no_stored_payload_survives_on_any_page(archive):
    client, report = archive
    assert report.added >= 120
    problems = {}
    paths = every_path(client)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if found := response_problems(response):
            problems[path] = found[:3]
    print(f"stored XSS: {report.added} articles, {len(paths)} answers parsed")
    assert not problems, json.dumps(dict(list(problems.items())[:10]), indent=1)


def test_citations_are_never_served_as_html(archive):
    client, _ = archive
    slug = client.get("/api/articles?limit=1").json()["articles"][0]["slug"]
    for fmt in ("bib", "ris", "json", "txt"):
        response = client.get(f"/articles/{slug}/cite.{fmt}")
        assert "html" not in response.headers["content-type"]
        assert response.headers["x-content-type-options"] == "nosniff"
