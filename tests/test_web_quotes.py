"""Quotes as results: /quotes and its twins, landing on the passage, speaker pages, exports."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"
FACET_PARAMS = {
    "speakers": "speaker",
    "themes": "theme",
    "sources": "source",
    "years": "year",
    "languages": "language",
    "kinds": "kind",
}


@pytest.fixture
def quotes_archive(ingest):
    """Two speakers, two themes, two publishers, both kinds, unnamed sources."""
    report = ingest(FIXTURES / "quotes")
    assert report.failed == 0, report.errors
    return report


def test_each_hit_is_one_quote_with_speaker_role_article_and_permalink(client, quotes_archive):
    data = client.get("/api/quotes", params={"q": "substation"}).json()
    assert data["total"] == 2
    hit = data["hits"][0]
    assert hit["speaker"] == "benedikt-amsel" and hit["kind"] == "direct"
    assert hit["role"] == "chief executive" and hit["affiliation"] == "Lowland Grid Company"
    assert hit["article"]["publisher"] in ("Lowland Energy Journal", "Northfield Education Weekly")
    assert re.search(r"/articles/[\w-]+#q\d+$", hit["permalink"])
    assert "substation</mark>" in hit["snippet_html"]


@pytest.mark.parametrize("q", ["", "grid OR skills OR teachers"])
def test_quote_facet_counts_equal_filtered_totals(client, quotes_archive, q):
    data = client.get("/api/quotes", params={"q": q}).json()
    assert data["total"] > 0
    checked = 0
    for facet, values in data["facets"].items():
        assert values, facet
        for value in values:
            filtered = client.get(
                "/api/quotes", params={"q": q, FACET_PARAMS[facet]: value["value"]}
            ).json()
            assert filtered["total"] == value["count"], (facet, value)
            checked += 1
    assert {"direct", "reported"} <= {v["value"] for v in data["facets"]["kinds"]}
    assert len(data["facets"]["speakers"]) == 2 and len(data["facets"]["themes"]) == 2
    assert checked >= 10


def test_speaker_page_facet_counts_equal_filtered_totals_and_the_chart_agrees(
    client, quotes_archive
):
    data = client.get("/api/speakers/odile-varga").json()
    assert data["total"] == 5 and "speakers" not in data["facets"]
    for facet, values in data["facets"].items():
        for value in values:
            params = {FACET_PARAMS[facet]: value["value"]}
            filtered = client.get("/api/speakers/odile-varga", params=params).json()
            assert filtered["total"] == value["count"], (facet, value)
            page = client.get("/speakers/odile-varga", params=params).text
            chart_total = re.search(r'<title id="chart-title">[^<]*: (\d+) quote', page)
            assert int(chart_total.group(1)) == value["count"], (facet, value)
            assert page.count('class="result quote-hit') == min(value["count"], 10)


def test_speaker_page_theme_filter_shows_only_that_themes_quotes(client, quotes_archive):
    everything = client.get("/speakers/odile-varga").text
    assert "Renters have paid for the grid" in everything
    page = client.get("/speakers/odile-varga", params={"theme": "education-skills"}).text
    assert "Renters have paid for the grid" not in page  # an energy-only article
    assert "Pupils who understand power bills" in page
    assert "3 quotes matching" in page
    assert re.search(r'<title id="chart-title">[^<]*: 3 quotes</title>', page)


def test_speaker_page_searches_their_quotes_and_paginates(client, quotes_archive, settings):
    page = client.get("/speakers/benedikt-amsel", params={"q": "student"}).text
    assert page.count('class="result quote-hit') == 2
    assert "student</mark>" in page
    settings.page_size = 2
    first = client.get("/speakers/benedikt-amsel").text
    assert first.count('class="result quote-hit') == 2
    assert 'href="/speakers/benedikt-amsel?page=2"' in first
    second = client.get("/speakers/benedikt-amsel", params={"page": 3}).text
    assert second.count('class="result quote-hit') == 1  # 5 quotes, 2 a page


def test_direct_and_reported_speech_look_different(client, quotes_archive):
    direct = client.get("/quotes", params={"q": "substation", "kind": "direct"}).text
    assert re.search(r'<blockquote class="speech direct">.*?<q>', direct, re.S)
    assert 'class="speech reported"' not in direct
    reported = client.get("/quotes", params={"q": "wage", "kind": "reported"}).text
    assert '<p class="speech reported">' in reported and "said that the apprenticeship" in reported
    assert "<blockquote" not in reported.split('class="results')[1]
    article = client.get("/api/quotes", params={"q": "wage"}).json()["hits"][0]
    page = client.get(article["permalink"].split("#")[0]).text
    assert re.search(r'id="q\d+" class="quote reported"><p class="speech reported">', page)


def test_an_unknown_kind_is_a_clear_400(client, quotes_archive):
    response = client.get("/api/quotes", params={"kind": "rumour"})
    assert response.status_code == 400 and "direct, reported" in response.json()["detail"]
    assert client.get("/quotes", params={"kind": "rumour"}).status_code == 400


def test_unattributed_quotes_show_their_stated_source(client, quotes_archive):
    page = client.get("/quotes", params={"q": "speaker:union"}).text
    assert "the teachers&#39; union" in page and "unnamed source" in page


def test_article_hit_links_to_its_best_passage_with_the_query(client, quotes_archive):
    data = client.get("/api/search", params={"q": "wage"}).json()
    assert data["hits"][0]["paragraph"] == 4
    page = client.get("/search", params={"q": "wage"}).text
    assert re.search(r'href="[^"]*/articles/[\w-]+\?q=wage#p4"', page)


def test_article_opened_with_q_marks_words_and_links_to_the_first_match(client, quotes_archive):
    slug = client.get("/api/search", params={"q": "wage"}).json()["hits"][0]["slug"]
    page = client.get(f"/articles/{slug}", params={"q": "wage"}).text
    assert re.search(r'<p id="p4" class="[^"]*has-match">[^<]*<mark[^>]*>wage</mark>', page)
    assert 'href="#p4">first match, ¶4</a>' in page
    assert "wage</mark> from the first day" in page.split('class="article-aside"')[1]  # quote
    assert "<mark" not in client.get(f"/articles/{slug}").text
    bad = client.get(f"/articles/{slug}", params={"q": '"unclosed'})
    assert bad.status_code == 200 and "Cannot mark" in bad.text


def test_quote_hit_links_to_the_quote_in_its_article(client, quotes_archive):
    page = client.get("/quotes", params={"q": "substation", "speaker": "benedikt-amsel"}).text
    links = re.findall(r'class="quote-permalink" href="([^"]+)"', page)
    assert len(links) == 2
    path, anchor = links[0].split("#")
    assert "?q=substation" in path
    article = client.get(path).text
    assert f'id="{anchor}"' in article and "substation</mark>" in article


def test_quotes_csv_has_a_bom_the_columns_and_a_telling_name(client, quotes_archive, settings):
    response = client.get("/quotes.csv", params={"q": "grid", "speaker": "odile-varga"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    name = re.search(r'filename="([^"]+)"', response.headers["content-disposition"]).group(1)
    assert re.fullmatch(r"policy-archive-quotes-grid-odile-varga-\d{4}-\d\d-\d\d\.csv", name)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "speaker",
        "role",
        "affiliation",
        "kind",
        "quote",
        "article",
        "publisher",
        "published",
        "permalink",
        "speaker_slug",
        "source",
    ]
    assert (
        len(rows)
        == client.get("/api/quotes", params={"q": "grid", "speaker": "odile-varga"}).json()["total"]
    )
    assert rows[0]["speaker"] == "Odile Varga" and rows[0]["role"] == "minister for energy"
    assert rows[0]["permalink"].startswith(settings.site_url) and "#q" in rows[0]["permalink"]


def test_article_csv_carries_speakers_and_themes(client, quotes_archive):
    response = client.get("/search.csv", params={"q": "apprentices"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "policy-archive-articles-apprentices-" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["title"].startswith("Grid company trains"))
    assert row["speakers"] == "Benedikt Amsel; Odile Varga"
    assert set(row["themes"].split("; ")) == {"Energy and environment", "Education and skills"}


def test_speaker_feed_lists_their_quotes_with_kind(client, quotes_archive):
    feed = ET.fromstring(client.get("/speakers/odile-varga/feed").content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    kinds = [e.find(f"{ATOM}category").get("term") for e in entries]
    assert sorted(kinds) == ["direct", "direct", "direct", "reported", "reported"]
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any(t.startswith("Odile Varga: said: “") for t in titles)
    assert any(t.startswith("Odile Varga: said that ") for t in titles)
    assert all("#q" in e.find(f"{ATOM}link").get("href") for e in entries)
    filtered = ET.fromstring(
        client.get("/speakers/odile-varga/feed", params={"kind": "reported"}).content
    )
    assert len(filtered.findall(f"{ATOM}entry")) == 2


def test_quotes_feed_follows_the_search(client, quotes_archive):
    feed = ET.fromstring(client.get("/quotes.atom", params={"q": "student"}).content)
    assert len(feed.findall(f"{ATOM}entry")) == 3  # two by Amsel, one unattributed
    page = client.get("/quotes", params={"q": "student"}).text
    assert 'type="application/atom+xml"' in page and "/quotes.atom?q=student" in page


def test_quotes_page_without_matches_offers_a_way_back(client, quotes_archive):
    page = client.get("/quotes", params={"q": "substation", "kind": "reported"})
    assert "No quotes match" in page.text
    assert "Without kind: Reported speech" in page.text
    assert 'href="/quotes?q=substation">2 quotes</a>' in page.text


def test_theme_page_shows_its_latest_quotes_with_their_kind(client, quotes_archive):
    page = client.get("/themes/education-skills").text
    assert 'id="quotes-heading"' in page
    aside = page.split('id="quotes-heading"')[1]
    assert '<blockquote class="speech direct">' in aside and '<p class="speech reported">' in aside
    total = client.get("/api/quotes", params={"theme": "education-skills"}).json()["total"]
    assert f'href="/quotes?theme=education-skills">All {total} quotes' in page


def test_speaker_page_sorts_by_date_and_exports_its_quotes(client, quotes_archive):
    newest = client.get("/speakers/odile-varga").text
    oldest = client.get("/speakers/odile-varga", params={"sort": "oldest"}).text
    school, rooftops = "Pupils who understand power bills", "Renters have paid for the grid"
    assert newest.index(school) < newest.index(rooftops)
    assert oldest.index(rooftops) < oldest.index(school)
    assert 'href="/quotes.csv?speaker=odile-varga"' in newest
    rows = client.get("/quotes.csv", params={"speaker": "odile-varga"}).content
    assert rows.decode("utf-8-sig").count("Odile Varga") == 5


def test_article_search_links_to_the_same_search_over_quotes(client, quotes_archive):
    page = client.get("/search", params={"q": "grid", "theme": "education-skills"}).text
    assert 'href="/quotes?q=grid&amp;theme=education-skills">What was said</a>' in page
