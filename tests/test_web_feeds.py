"""Served Atom feeds: an HTML page for a browser that opens one, plain Atom for feed readers."""

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape

from app.web.security import HEADERS
from tests.conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "<script>alert('feed')</script> Grid levy & <b>bold</b> rules"
HOSTILE = """---
title: "<script>alert('feed')</script> Grid levy & <b>bold</b> rules"
author: "<i>Ann</i> Writer"
publisher: Harbour Press
url: https://evil.example/levy
published: 2025-06-01
---
<script>alert('feed')</script> Grid levy & <b>bold</b> rules

The regulator said the <img src=x onerror=alert(1)> plan for the grid levy would need more
work, and that transparency was not optional.
"""
# What Chromium sends when a person opens the address in a tab.
NAVIGATION = {
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "sec-fetch-dest": "document",
    "sec-fetch-mode": "navigate",
    "sec-fetch-site": "none",
    "sec-fetch-user": "?1",
}
FEED_READER = {"accept": "application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1"}


@pytest.fixture
def archive(tmp_path, ingest):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "hostile.md").write_text(HOSTILE)
    report = ingest(FIXTURES / "web", folder)
    assert report.failed == 0, report.errors
    return report


def feed_paths(client) -> list[str]:
    speakers = client.get("/api/speakers").json()["speakers"]
    speaker = max(speakers, key=lambda s: (s["quotes"], s["slug"]))["slug"]
    themes = client.get("/api/themes").json()["themes"]
    theme = max(themes, key=lambda t: (t["articles"], t["slug"]))["slug"]
    return [
        "/search.atom?q=grid",
        "/quotes.atom?q=grid",
        f"/speakers/{speaker}/feed",
        f"/themes/{theme}/feed",
    ]


def test_a_browser_opening_a_feed_gets_a_page_with_the_entries_escaped(client, archive, settings):
    response = client.get("/search.atom?q=levy", headers=NAVIGATION)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "Accept, Sec-Fetch-Dest"
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    page = response.text
    assert "This is an Atom feed." in page and "feed reader" in page
    # The title is text: escaped once, never markup.
    assert str(escape(TITLE)) in page
    assert "alert('feed')" not in page and "<b>" not in page and "<i>Ann" not in page
    assert "&lt;i&gt;Ann&lt;/i&gt; Writer" in page
    # No inline script or style for the CSP to block: scripts come from /static only.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="http://testserver/static/feed.js" defer>',
        '<script src="http://testserver/static/app.js" defer>',
    ]
    assert " style=" not in page and not re.search(r"\son[a-z]+=", page)
    # The address to copy is this feed's, on the public site; the search it follows is linked.
    assert f'value="{settings.site_url}/search.atom?q=levy"' in page
    assert f'href="{settings.site_url}/search?q=levy' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_the_page_lists_the_same_entries_as_the_atom_document(client, archive):
    for path in feed_paths(client):
        feed = ET.fromstring(client.get(path, headers=FEED_READER).content)
        page = client.get(path, headers=NAVIGATION).text
        entries = feed.findall(f"{ATOM}entry")
        assert entries, path
        assert f"The newest {len(entries)} entr" in page, path
        assert str(escape(feed.findtext(f"{ATOM}title").split(" · ")[0])) in page, path
        for entry in entries:
            link = entry.find(f"{ATOM}link").get("href")
            title = str(escape(entry.findtext(f"{ATOM}title")))
            assert f'<h2><a href="{link}">{title}</a></h2>' in page, (path, link)
            assert str(escape(entry.findtext(f"{ATOM}summary"))) in page, (path, link)
    assert "Direct quote" in client.get("/quotes.atom?q=grid", headers=NAVIGATION).text
    empty = client.get("/search.atom?q=zzyzzx", headers=NAVIGATION).text
    assert "Nothing in this feed yet" in empty


@pytest.mark.parametrize(
    ("headers", "media_type"),
    [
        (FEED_READER, "application/atom+xml"),
        ({"accept": "*/*"}, "application/atom+xml"),
        # a script's fetch() from a page: a browser, but not a navigation
        (
            {"accept": "*/*", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors"},
            "application/atom+xml",
        ),
        # a browser too old to send Sec-Fetch-*: XML it styles with static/feed.css
        ({"accept": NAVIGATION["accept"]}, "application/xml"),
    ],
)
def test_everything_but_a_navigation_gets_atom_without_xslt(client, archive, headers, media_type):
    for path in feed_paths(client):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(media_type), path
        assert response.headers["vary"] == "Accept, Sec-Fetch-Dest"
        assert b"text/xsl" not in response.content and b"feed.xsl" not in response.content
        assert b'<?xml-stylesheet type="text/css" href="/static/feed.css"?>' in response.content
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
    feed = ET.fromstring(client.get("/search.atom?q=levy", headers=headers).content)
    assert TITLE in [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]


def test_the_xslt_stylesheet_is_gone_and_the_css_fallback_stays(client):
    assert client.get("/static/feed.xsl").status_code == 404
    assert client.get("/static/feed.css").status_code == 200
    assert client.get("/static/feed.js").status_code == 200
