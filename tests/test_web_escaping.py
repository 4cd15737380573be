"""Markup inside an article is shown as text on every page, feed, export and citation."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.ingest.store import index_documents
from app.models import Speaker

ROOT = Path(__file__).resolve().parent.parent
TITLE = "<script>alert('title')</script> Levy & </script><b>bold</b> rules"
SPEAKER = "Marta <img src=x onerror=alert('speaker')> Quill"
HOSTILE = """---
title: "<script>alert('title')</script> Levy & </script><b>bold</b> rules"
publisher: "<b>Evil</b> Press"
author: "<i>Ann</i> Writer"
url: https://evil.example/levy?a=1&b=<x>
published: 2025-06-01
---
<script>alert('title')</script> Levy & </script><b>bold</b> rules

The regulator said the <img src=x onerror=alert(1)> plan on the levy would need more work,
and that transparency was not optional for the grid.

"We will not accept <script>alert('quote')</script> as an answer on the levy," said
Marta Quill, head of policy at the Open Ledger Foundation.
"""
PAYLOADS = (
    "<script>alert(",
    "<img src=x",
    "<b>Evil</b>",
    "<b>bold</b>",
    "<i>Ann</i>",
    "</script><b>",
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(tmp_path, ingest, engine, archive_index):
    (tmp_path / "hostile.md").write_text(HOSTILE)
    report = ingest(tmp_path)
    assert report.failed == 0, report.errors
    with Session(engine) as session:
        speaker = session.exec(select(Speaker).where(Speaker.name.like("%Quill%"))).first()
        if speaker is None:  # make sure a speaker exists whatever the extractor found
            from app.ingest.speakers.extraction import Attribution, QuoteIn, SpeakerIn
            from app.ingest.store import _save_quotes

            article_id = _article_id(session, report.slugs[0])
            quote = QuoteIn("<script>alert('quote')</script>", 3, "direct")
            _save_quotes(
                session,
                article_id,
                Attribution([SpeakerIn("Marta Quill", None, None, [], [quote])], []),
            )
            session.flush()
            speaker = session.exec(select(Speaker).where(Speaker.name == "Marta Quill")).one()
        speaker.name = SPEAKER  # a name carrying markup, however it got there
        session.add(speaker)
        session.commit()
        archive_index.index_articles(
            index_documents(session, ids=[_article_id(session, report.slugs[0])])
        )
        slug = speaker.slug
    return report.slugs[0], slug


def _article_id(session, slug):
    from app import queries

    return queries.get_article_by_slug(session, slug=slug)[0].id


def _assert_inert_html(text: str, where: str) -> None:
    # JSON-LD is the one place the raw characters could appear; check it apart.
    outside = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
    for payload in PAYLOADS:
        assert payload not in outside, (where, payload)


def test_every_html_page_shows_markup_as_text(client, hostile):
    article_slug, speaker_slug = hostile
    pages = {
        "home": "/",
        "search": "/search?q=levy",
        "search-empty": "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "article": f"/articles/{article_slug}",
        # Highlighted words in the text and in quotes go through the one `highlighted`.
        "article-marked": f"/articles/{article_slug}?q=accept+levy",
        "quotes": "/quotes?q=accept",
        "quotes-all": "/quotes",
        "speaker": f"/speakers/{speaker_slug}",
        "speaker-search": f"/speakers/{speaker_slug}?q=accept",
        "speakers": "/speakers",
        "themes": "/themes",
        "docs": "/docs",
    }
    themes = client.get(f"/api/articles/{article_slug}").json()["themes"]
    for theme in themes:
        pages[f"theme {theme['slug']}"] = f"/themes/{theme['slug']}"
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        _assert_inert_html(response.text, name)
    article = client.get(pages["article"]).text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in article
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in article
    assert "Marta &lt;img src=x onerror=alert(&#39;speaker&#39;)&gt; Quill" in article
    quotes = client.get(pages["quotes"]).text
    assert "<mark" in quotes and "&lt;script&gt;alert(" in quotes
    marked = client.get(pages["article-marked"]).text
    assert "<mark" in marked and "&lt;img src=x onerror=alert(1)&gt;" in marked


def test_json_ld_cannot_break_out_of_its_script(client, hostile):
    article_slug, _ = hostile
    page = client.get(f"/articles/{article_slug}").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["headline"] == TITLE
    assert data["mentions"][0]["name"] == SPEAKER
    assert page.count("<script") == 2  # the JSON-LD block and /static/app.js, nothing else


def test_feeds_carry_markup_as_escaped_text(client, hostile):
    article_slug, speaker_slug = hostile
    themes = client.get(f"/api/articles/{article_slug}").json()["themes"]
    paths = ["/search.atom?q=levy"]
    paths += [f"/themes/{t['slug']}/feed" for t in themes]
    for path in paths:
        response = client.get(path)
        assert "<script>" not in response.text and "<b>" not in response.text, path
        feed = ET.fromstring(response.content)
        titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
        assert TITLE in titles, path
    # Quote feeds: one entry per quote, the speaker and quote as its title, the article's
    # title in its summary, all as text.
    for path in (f"/speakers/{speaker_slug}/feed", "/quotes.atom?q=accept"):
        response = client.get(path)
        assert "<script>" not in response.text and "<img" not in response.text, path
        entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
        assert entries, path
        assert "<script>alert('quote')</script>" in entries[0].findtext(f"{ATOM}title"), path
        assert TITLE in entries[0].findtext(f"{ATOM}summary"), path


def test_csv_citations_and_api_keep_markup_as_data(client, hostile):
    article_slug, _ = hostile
    response = client.get("/search.csv", params={"q": "levy"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["title"] == TITLE and rows[0]["publisher"] == "<b>Evil</b> Press"
    for fmt in ("bib", "ris", "json", "txt"):
        cite = client.get(f"/articles/{article_slug}/cite.{fmt}")
        assert "html" not in cite.headers["content-type"], fmt
        assert cite.headers["x-content-type-options"] == "nosniff"
    assert json.loads(client.get(f"/articles/{article_slug}/cite.json").text)[0]["title"] == TITLE
    data = client.get("/api/search", params={"q": "levy"}).json()
    assert data["hits"][0]["title"] == TITLE
    assert "<script>" not in data["hits"][0]["snippet_html"]


def test_only_the_two_filters_mark_text_as_safe():
    """Markup() appears only in templating.py's highlighted and json_ld; no |safe anywhere."""
    offenders = []
    for path in [*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("templates").rglob("*")]:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(|markupsafe", text):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == ["app/web/templating.py"]
    source = (ROOT / "app/web/templating.py").read_text()
    assert source.count("Markup(") == 2
    assert re.findall(r"def (\w+)\(.*\) -> Markup", source) == ["highlighted", "json_ld"]
