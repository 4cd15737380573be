"""The reading room over seven invented articles: search, articles, speakers, themes, feeds."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from sqlmodel import Session

from app.models import SlugRedirect
from app.web.names import surname_key
from tests.conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def room(ingest):
    report = ingest(FIXTURES / "web")
    assert report.failed == 0, report.errors
    assert report.added == 7
    return report


def slug_of(room, word: str) -> str:
    return next(s for s in room.slugs if word in s)


def speaker_slug(client, name: str) -> str:
    speakers = client.get("/api/speakers").json()["speakers"]
    return next(s["slug"] for s in speakers if s["name"] == name)


# ------------------------------------------------------------------ search


def test_stemming_finds_regulation_for_regulate(client, room):
    data = client.get("/api/search", params={"q": "regulate"}).json()
    assert data["total"] >= 3
    assert any("regulation</mark>" in hit["snippet_html"].lower() for hit in data["hits"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"grid connections"', {"data-centre", "faster-grid"}),
        ("title:facial", {"facial-recognition"}),
        ("privacy OR apprenticeship", {"benefit-claims", "data-skills", "facial-recognition"}),
        ("grid -renewable", {"data-skills"}),
        ("grid NOT renewable", {"data-skills"}),
        ("apprentice*", {"data-skills"}),
        ("speaker:keita skills", {"data-skills"}),
    ],
)
def test_query_syntax(client, room, q, expected):
    data = client.get("/api/search", params={"q": q}).json()
    found = {next((w for w in expected if w in hit["slug"]), hit["slug"]) for hit in data["hits"]}
    assert found == expected, (q, [hit["slug"] for hit in data["hits"]])


def test_help_panel_documents_the_syntax(client, room):
    page = client.get("/search").text
    help_panel = page.split('<details class="search-help">')[1].split("</details>")[0]
    for needle in ("&#34;", "OR", "NOT", "-pilot", "title:", "speaker:", "theme:", "regul*"):
        assert needle in help_panel or needle.replace("&#34;", '"') in help_panel


def test_each_hit_shows_publisher_date_speakers_and_themes(client, room):
    page = client.get("/search", params={"q": "biometric"}).text
    hit = page.split('<li class="result">')[1].split("</li>")[0]
    assert "Lantern Daily" in hit and "30 May 2025" in hit
    assert "Amadou Keita" in hit and 'class="tag theme"' in hit
    assert re.search(r"<mark[^>]*>biometric</mark>", hit)


def test_facets_count_the_result_set_and_toggle(client, room):
    data = client.get("/api/search", params={"q": "grid"}).json()
    speakers = {v["label"]: v["count"] for v in data["facets"]["speakers"]}
    assert speakers["Tomasz Wierzba"] == 3
    years = {v["value"]: v["count"] for v in data["facets"]["years"]}
    assert years == {"2024": 1, "2025": 3}
    page = client.get("/search", params={"q": "grid"}).text
    wierzba = speaker_slug(client, "Tomasz Wierzba")
    assert f'href="/search?q=grid&amp;speaker={wierzba}"' in page
    # several values at once, and a selected value links to its removal
    both = client.get("/api/search", params=[("q", "grid"), ("year", "2024"), ("year", "2025")])
    assert both.json()["total"] == 4
    selected = client.get("/search", params={"q": "grid", "year": "2024"}).text
    assert 'href="/search?q=grid" aria-current="true"' in selected


def test_every_facet_value_is_reachable_without_js(client, ingest, tmp_path):
    for n in range(11):
        (tmp_path / f"many-{n}.md").write_text(
            f"---\ntitle: Budget note {n}\npublisher: Outlet Number {n}\n"
            f"published: 2025-01-{n + 1:02d}\n---\nBudget note {n}\n\nThe budget grew again.\n"
        )
    assert ingest(tmp_path).added == 11
    page = client.get("/search", params={"q": "budget"}).text
    source = page.split('id="facet-sources"')[1].split("</section>")[0]
    assert source.count("<li") == 11
    assert '<details class="facet-more">' in source and "Show all 11" in source


def test_date_range_sort_and_pagination(client, room, settings):
    data = client.get("/api/search", params={"from": "2025-02-01", "to": "2025-04-30"}).json()
    assert data["total"] == 3
    newest = client.get("/api/search", params={"sort": "newest"}).json()
    oldest = client.get("/api/search", params={"sort": "oldest"}).json()
    assert newest["hits"][0]["slug"].startswith("2025-05-30")
    assert oldest["hits"][0]["slug"].startswith("2024-03-14")
    page = client.get("/search", params={"sort": "oldest", "page": "1"}).text
    assert 'name="from"' in page and 'name="to"' in page and 'name="sort"' in page
    assert "ms" in page and "of 7 articles" in page
    if settings.page_size < 7:
        assert 'aria-label="Pages"' in page


def test_pagination_links_keep_the_search(client, room, settings):
    settings.page_size = 2
    page = client.get("/search", params={"q": "said", "sort": "newest"}).text
    assert 'href="/search?q=said&amp;sort=newest&amp;page=2"' in page
    second = client.get("/search", params={"q": "said", "sort": "newest", "page": "2"}).text
    assert '<span aria-current="page">2</span>' in second


def test_no_results_suggests_a_spelling_from_the_index(client, room):
    page = client.get("/search", params={"q": "regulatoin"})
    assert "No articles match" in page.text
    assert "Did you mean" in page.text and "regulation" in page.text
    data = client.get("/api/search", params={"q": "electricty"}).json()
    assert data["suggestion"] == "electricity"


def test_no_results_offers_dropping_the_most_restrictive_filter(client, room):
    keita = speaker_slug(client, "Amadou Keita")
    params = {"q": "grid", "speaker": keita, "year": "2024"}
    page = client.get("/search", params=params).text
    assert "No articles match" in page
    # dropping the speaker brings back the 2024 grid article; dropping the year brings none
    assert "Without speaker: Amadou Keita" in page
    assert 'href="/search?q=grid&amp;year=2024"' in page


# ------------------------------------------------------------------ articles


def test_old_slug_redirects_permanently(client, room, engine):
    slug = slug_of(room, "hiring")
    with Session(engine) as session:
        article_id = client.get(f"/api/articles/{slug}").json()
        from app import queries

        article, _ = queries.get_article_by_slug(session, slug=slug)
        session.add(SlugRedirect(old_slug="2024-09-01-old-headline", article_id=article.id))
        session.commit()
    assert article_id
    moved = client.get("/articles/2024-09-01-old-headline", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/articles/{slug}")
    assert client.get("/articles/2024-09-01-no-such").status_code == 404


def test_article_has_paragraph_and_quote_anchors(client, room):
    page = client.get(f"/articles/{slug_of(room, 'hiring')}").text
    assert '<p id="p3"' in page and 'href="#p3"' in page
    assert 'id="q1"' in page and 'href="#q1"' in page
    assert "Link to paragraph 3" in page


def test_article_link_previews(client, room, settings):
    slug = slug_of(room, "hiring")
    page = client.get(f"/articles/{slug}").text
    permalink = f"{settings.site_url}/articles/{slug}"
    assert f'<link rel="canonical" href="{permalink}">' in page
    assert 'property="og:title"' in page and 'name="twitter:card"' in page
    raw = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle" and data["url"] == permalink
    assert data["publisher"]["name"] == "Meridian Policy Review"


def test_article_provenance_related_speakers_and_themes(client, room):
    page = client.get(f"/articles/{slug_of(room, 'grid-levy')}").text
    assert "https://harbour-gazette.example/2024/grid-levy" in page
    assert "01-grid-levy.md" in page and "text/markdown" in page or "text/plain" in page
    assert "bytes" in page and "fetched" in page
    related = client.get(f"/articles/{slug_of(room, 'grid-levy')}/related").text
    assert "grid" in related.split('class="related-found"')[1].lower()
    assert "Helena Marchetti" in page and "energy spokesperson" in page
    assert '<details class="evidence">' in page


def test_article_citations(client, room, settings):
    slug = slug_of(room, "hiring")
    permalink = f"{settings.site_url}/articles/{slug}"
    page = client.get(f"/articles/{slug}").text
    assert "Cite this" in page and "accessed" in page and permalink in page
    bib = client.get(f"/articles/{slug}/cite.bib")
    assert bib.text.startswith("@article{") and "Rosa Lindqvist" in bib.text
    assert "x-bibtex" in bib.headers["content-type"]
    ris = client.get(f"/articles/{slug}/cite.ris").text
    assert ris.startswith("TY  - NEWS") and f"UR  - {permalink}" in ris
    csl = client.get(f"/articles/{slug}/cite.json").json()
    assert csl[0]["title"].startswith("Employers face audits") and csl[0]["URL"] == permalink
    assert client.get(f"/articles/{slug}/cite.doc").status_code == 404


# ------------------------------------------------------------------ speakers and themes


def test_speakers_sortable_and_filterable(client, room):
    by_quotes = client.get("/speakers", params={"sort": "quotes"}).text
    names = re.findall(r'<a href="[^"]*/speakers/[^"]+">([^<]+)</a>', by_quotes)
    assert names[-1] == "Ingrid Solberg"  # the fewest quotes
    by_name = client.get("/speakers", params={"sort": "name"}).text
    names = re.findall(r'<a href="[^"]*/speakers/[^"]+">([^<]+)</a>', by_name)
    assert names == sorted(names, key=surname_key)  # by surname, as readers look names up
    filtered = client.get("/speakers", params={"q": "marche"}).text
    assert "Helena Marchetti" in filtered and "Tomasz Wierzba" not in filtered


def test_speaker_page_roles_quotes_themes_chart(client, room):
    slug = speaker_slug(client, "Helena Marchetti")
    page = client.get(f"/speakers/{slug}").text
    assert "Coastal Councils Network" in page
    assert "Roles and affiliations seen" in page and "2024" in page
    assert page.count("#q") >= 3  # every quote links to its place
    newest, oldest = "Regulator proposes faster grid", "Regional grid levy splits"
    assert page.index(newest) < page.index(oldest)  # quotes newest first
    assert 'id="facet-themes"' in page  # the themes of their quotes, as filters
    # The chart counts their quotes; a bar filters the page to its year.
    assert "<svg" in page and f"/speakers/{slug}?year=2024" in page
    assert f'href="/speakers/{slug}/feed"' in page
    assert 'type="application/atom+xml"' in page


def test_theme_page_articles_speakers_chart(client, room):
    page = client.get("/themes/energy-environment").text
    assert "Most quoted" in page and "Tomasz Wierzba" in page
    assert "<svg" in page and "/search?theme=energy-environment&amp;year=" in page
    assert 'href="/themes/energy-environment/feed"' in page


# ------------------------------------------------------------------ feeds, API, crawlers


def test_atom_feeds_for_search_speaker_and_theme(client, room):
    slug = speaker_slug(client, "Tomasz Wierzba")
    for path in (
        "/search.atom?q=grid",
        f"/speakers/{slug}/feed",
        "/themes/energy-environment/feed",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        entries = feed.findall(f"{ATOM}entry")
        assert entries, path
        assert all(e.find(f"{ATOM}link").get("href").startswith("http") for e in entries)
    assert 'rel="alternate" type="application/atom+xml"' in client.get("/search?q=grid").text


def test_csv_export_of_all_hits(client, room, settings):
    settings.page_size = 2
    response = client.get("/search.csv", params={"q": "said"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == client.get("/api/search", params={"q": "said"}).json()["total"] > 2
    assert rows[0]["permalink"].startswith(settings.site_url)


def test_api_docs_page_works_under_the_csp(client, room):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/api/search" in page.text and "/api/themes/{slug}" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/openapi.json").json()["paths"]["/api/search"]


def test_sitemap_and_robots(client, room, settings):
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sum("/articles/" in loc for loc in locs) == 7
    assert any("/speakers/" in loc for loc in locs) and any("/themes/" in loc for loc in locs)
    robots = client.get("/robots.txt").text
    assert "Sitemap: " in robots and "Disallow: /search" in robots
    assert client.get("/healthz").json() == {"status": "ok"}


def test_long_facets_show_the_top_values_and_link_to_all(client, ingest, tmp_path, monkeypatch):
    from app.web import results

    monkeypatch.setattr(results, "FACET_LIMIT", 4)
    for n in range(7):
        (tmp_path / f"outlet-{n}.md").write_text(
            f"---\ntitle: Water note {n}\npublisher: Outlet Number {n}\n---\n"
            f"Water note {n}\n\nThe water board met again.\n"
        )
    assert ingest(tmp_path).added == 7
    page = client.get("/search", params={"q": "water"}).text
    source = page.split('id="facet-sources"')[1].split("</section>")[0]
    assert source.count("<li") == 4
    assert "All 7 source values" in source and "facet=sources" in source
    everything = client.get("/search", params={"q": "water", "facet": "sources"}).text
    source = everything.split('id="facet-sources"')[1].split("</section>")[0]
    assert source.count("<li") == 7
    data = client.get("/api/search", params={"q": "water"}).json()
    assert data["facet_totals"]["sources"] == 7 and len(data["facets"]["sources"]) == 4


def test_facet_look_up_searches_every_value_on_the_server(client, ingest, tmp_path, monkeypatch):
    from app.web import results

    monkeypatch.setattr(results, "FACET_LIMIT", 4)
    publishers = [f"Outlet Number {n}" for n in range(12)] + ["Zürich Ledger"]
    for n, publisher in enumerate(publishers):
        (tmp_path / f"outlet-{n}.md").write_text(
            f"---\ntitle: Water note {n}\npublisher: {publisher}\n---\n"
            f"Water note {n}\n\nThe water board met again.\n"
        )
    assert ingest(tmp_path).added == 13
    page = client.get("/search", params={"q": "water"}).text
    source = page.split('id="facet-sources"')[1].split("</section>")[0]
    # The form works without JavaScript and keeps the search.
    assert 'name="facet_q"' in source and 'name="q" value="water"' in source
    assert "Zürich" not in source  # not among the values listed

    found = client.get("/search", params={"q": "water", "facet": "sources", "facet_q": "zurich"})
    source = found.text.split('id="facet-sources"')[1].split("</section>")[0]
    assert source.count("<li") == 1 and "Zürich Ledger" in source
    assert "1 of 13 match" in source
    nothing = client.get("/search", params={"q": "water", "facet": "sources", "facet_q": "xyz"})
    source = nothing.text.split('id="facet-sources"')[1].split("</section>")[0]
    assert "No source among 13 matches" in source and "Clear" in source

    data = client.get(
        "/api/search", params={"q": "water", "facet": "sources", "facet_q": "NUMBER 1"}
    ).json()
    assert {value["label"] for value in data["facets"]["sources"]} == {
        "Outlet Number 1",
        "Outlet Number 10",
        "Outlet Number 11",
    }
    assert data["facet_query"] == {"facet": "sources", "q": "NUMBER 1", "matches": 3}
    assert data["facet_totals"]["sources"] == 13
    assert all("/search?" in value["url"] for value in data["facets"]["sources"])
