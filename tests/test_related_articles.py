"""Related articles on the Whoosh index: chosen by the article's distinctive words, with the
postings the query may read bounded so that a first view does not grow with the archive."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import search
from app.search import ArchiveIndex
from tests.test_index_generations import doc

FILLER = "council budget report"


def body(number: int) -> str:
    # ferry is in 5 articles, tariff in 15, harbour in 19: all rarer than a twentieth of
    # the 400 articles, so all distinctive.
    words = [FILLER]
    for word, held_by in (("ferry", 5), ("tariff", 15), ("harbour", 19)):
        if number <= held_by:
            words.append(word)
    return " ".join(words) + f" filler{number}"


@pytest.fixture
def archive(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles(
        [replace(doc(number, "x"), body=body(number)) for number in range(1, 401)]
    )
    yield archive_index
    archive_index.close()


TEXT = "ferry ferry ferry ferry tariff tariff tariff harbour harbour " + FILLER


def chosen(archive_index: ArchiveIndex) -> dict[str, int]:
    searcher = archive_index._current_searcher()
    return {
        word: searcher.doc_frequency("body", word)
        for word, _ in archive_index._distinctive_terms(searcher, TEXT)
    }


def test_distinctive_words_are_stemmed_rare_words_of_the_text(archive):
    assert chosen(archive) == {"ferri": 5, "tariff": 15, "harbour": 19}


def test_the_words_postings_stay_within_the_budget(archive, monkeypatch):
    monkeypatch.setattr(search, "RELATED_POSTINGS", 21)
    words = chosen(archive)
    # The two best words fit (5 + 15); harbour's 19 postings would not.
    assert words == {"ferri": 5, "tariff": 15}
    assert sum(words.values()) <= 21
    related = archive.more_like_this(1, TEXT, limit=3)
    assert related and 1 not in related and set(related) <= set(range(2, 16))
