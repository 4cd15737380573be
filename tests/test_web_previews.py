"""Link previews on every page kind, and passages (paragraphs, quotes) at their own URLs."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import Session

from app import queries
from app.models import SlugRedirect
from tests.conftest import FIXTURES

SITE = "http://127.0.0.1:8000"  # the settings' ARCHIVE_SITE_URL; requests come as testserver


@pytest.fixture
def room(ingest):
    report = ingest(FIXTURES / "web")
    assert report.failed == 0, report.errors
    return report


def slug_of(room, word: str) -> str:
    return next(s for s in room.slugs if word in s)


def preview(html: str) -> dict[str, str]:
    tags = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    found = {name: unescape(value) for name, value in tags}
    found["<title>"] = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    return found


def page_urls(client, room) -> list[str]:
    speaker = client.get("/api/speakers").json()["speakers"][0]["slug"]
    theme = client.get("/api/themes").json()["themes"][0]["slug"]
    return [
        "/",
        "/search?q=grid",
        "/quotes?q=grid",
        "/speakers",
        f"/speakers/{speaker}",
        "/themes",
        f"/themes/{theme}",
        f"/articles/{slug_of(room, 'hiring')}",
        "/docs",
    ]


def test_every_page_kind_has_a_title_description_and_preview_tags(client, room):
    for url in page_urls(client, room):
        page = client.get(url)
        assert page.status_code == 200, url
        tags = preview(page.text)
        for name in ("description", "og:title", "og:description", "og:url", "og:type"):
            assert tags.get(name, "").strip(), (url, name)
        assert tags["og:site_name"] == "Policy Archive"
        assert tags["twitter:card"] == "summary"
        assert tags["og:url"].startswith(SITE + "/"), (url, tags["og:url"])
        assert "testserver" not in tags["og:url"]


def test_search_preview_says_what_was_searched(client, room):
    tags = preview(client.get("/search?q=grid").text)
    assert "grid" in tags["og:description"] and "article" in tags["og:description"]
    assert tags["og:url"] == SITE + "/search?q=grid"


def test_paragraph_has_its_own_address_whose_preview_is_the_paragraph(client, room):
    slug = slug_of(room, "hiring")
    page = client.get(f"/articles/{slug}/p/2")
    assert page.status_code == 200
    tags = preview(page.text)
    assert tags["og:description"].startswith("Draft rules would require employers")
    assert "Employers face audits of hiring algorithms" in tags["og:title"]
    assert tags["og:url"] == f"{SITE}/articles/{slug}/p/2"
    assert f'<link rel="canonical" href="{SITE}/articles/{slug}/p/2">' in page.text
    assert f'href="/articles/{slug}#p2"' in page.text  # lands on the anchor
    assert 'http-equiv="refresh"' not in page.text


def test_quote_has_its_own_address_whose_preview_says_who_said_it(client, room):
    slug = slug_of(room, "hiring")
    article = client.get(f"/articles/{slug}").text
    position = re.search(
        r'<li id="q(\d+)"[^>]*>(?:(?!</li>).)*Transparency cannot stop', article, re.S
    )
    number = position.group(1)
    page = client.get(f"/articles/{slug}/q/{number}")
    assert page.status_code == 200
    tags = preview(page.text)
    assert "Transparency cannot stop at the vendor" in tags["og:description"]
    assert "Helena Marchetti" in tags["og:title"]
    assert "Employers face audits of hiring algorithms" in tags["og:title"]
    assert f'href="/articles/{slug}#q{number}"' in page.text
    # a click on the article's ¶ and # anchors copies these addresses
    assert f'data-permalink="{SITE}/articles/{slug}/q/{number}"' in article
    assert f'data-permalink="{SITE}/articles/{slug}/p/2"' in article
    assert 'href="#p2"' in article  # the old anchors still work


def test_unknown_passage_is_a_helpful_404(client, room):
    slug = slug_of(room, "hiring")
    for url in (f"/articles/{slug}/p/999", f"/articles/{slug}/q/999", f"/articles/{slug}/p/x"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert f'href="/articles/{slug}"' in page.text
        assert "has no" in page.text
    assert client.get(f"/articles/{slug}/z/1").status_code == 404
    assert client.get("/articles/no-such-article/p/1").status_code == 404


def test_passage_of_a_moved_article_redirects(client, room, engine):
    slug = slug_of(room, "hiring")
    with Session(engine) as session:
        article, _ = queries.get_article_by_slug(session, slug=slug)
        session.add(SlugRedirect(old_slug="2024-09-01-old-headline", article_id=article.id))
        session.commit()
    moved = client.get("/articles/2024-09-01-old-headline/p/2", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/articles/{slug}/p/2")
    moved = client.get("/articles/2024-09-01-old-headline/related", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/articles/{slug}/related")
