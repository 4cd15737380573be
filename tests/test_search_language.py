"""Accents and languages: folded accents, each article stemmed in its own language, a
language facet, and pages that say their language."""

import pytest

from app.search.results import SearchParams

GERMAN = """---
title: Neue Verordnungen für den Weinbau
language: de
published: 2025-04-02
---
Die Landesregierung hat am Dienstag zwei Verordnungen für den Weinbau beschlossen.

Der Frühburgunder und der Riesling sollen nach den neuen Regeln besser geschützt werden,
sagte die Ministerin vor dem Landtag.
"""

ENGLISH = """---
title: Council backs café licensing rules
language: en
published: 2025-04-03
---
The council approved new licensing rules for every café in the old town on Tuesday.

Members said the regulations would be reviewed after one year of trading.
"""


@pytest.fixture
def archive(tmp_path, ingest):
    (tmp_path / "wein.md").write_text(GERMAN)
    (tmp_path / "cafe.md").write_text(ENGLISH)
    report = ingest(tmp_path)
    assert report.added == 2
    return report


def titles(archive_index, words: str, **filters) -> list[int]:
    results = archive_index.search(SearchParams(q=words, **filters), lambda ids: {})
    return [hit.article_id for hit in results.hits]


def test_accents_are_folded_in_articles_and_queries(archive, archive_index):
    assert len(titles(archive_index, "fruhburgunder")) == 1
    assert titles(archive_index, "Frühburgunder") == titles(archive_index, "fruhburgunder")
    assert len(titles(archive_index, "cafe")) == 1
    assert len(titles(archive_index, "café")) == 1


def test_a_german_article_is_stemmed_as_german(archive, archive_index):
    assert len(titles(archive_index, "Verordnung")) == 1
    assert len(titles(archive_index, "Weinbaus")) == 1
    # English articles keep their English stemming.
    assert len(titles(archive_index, "regulation")) == 1
    # Each language drops its own stop words: "the" is not a German word to require.
    assert len(titles(archive_index, "the licensing rules")) == 1
    assert len(titles(archive_index, "die Verordnungen")) == 1
    assert len(titles(archive_index, "rules -licensing")) == 0


def test_language_filter_and_facet(archive, archive_index):
    everything = archive_index.search(SearchParams(), lambda ids: {})
    assert dict(everything.facets["language"]) == {"de": 1, "en": 1}
    german = archive_index.search(SearchParams(languages=["de"]), lambda ids: {})
    assert german.total == 1
    assert titles(archive_index, "Verordnung", languages=["en"]) == []


def test_pages_say_the_articles_language(archive, client):
    page = client.get("/search", params={"q": "Verordnung"})
    assert "German" in page.text  # the facet's label
    slug = archive.slugs[0] if "verordnungen" in archive.slugs[0] else archive.slugs[1]
    article = client.get(f"/articles/{slug}")
    assert '<article class="article" lang="de">' in article.text
    # Opened from the search, the German words its German stem matched are marked.
    opened = client.get(f"/articles/{slug}", params={"q": "Verordnung"}).text
    assert ">Verordnungen</mark>" in opened
    api = client.get("/api/search", params={"language": "de"}).json()
    assert api["total"] == 1
    assert api["facets"]["languages"][0]["value"] == "de"
    quotes = client.get("/api/quotes", params={"language": "en"}).json()
    assert {value["value"] for value in quotes["facets"]["languages"]} <= {"en"}
