"""Related articles on the Whoosh index: chosen by the article's distinctive words, with the
postings the query may read bounded so that a first view does not grow with the archive."""

from __future__ import annotations

from dataclasses import replace

import pytest
from whoosh import query

from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend.archive_index import ArchiveIndex
from app.search.whoosh_backend.related import best_documents
from tests.test_index_generations import doc
from tests.test_search_phrases import large_archive  # noqa: F401 (a fixture)

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


WEIGHTED = [
    [("harbour", 3.5), ("ferri", 1.25), ("levi", 0.5)],
    [("tariff", 2.0)],
    [("council", 1.0), ("port", 1.0), ("budget", 4.0), ("nowher", 9.0)],
]


@pytest.mark.parametrize("words", WEIGHTED)
def test_best_documents_are_whooshs_union_of_the_words(large_archive, words):  # noqa: F811
    """Read from the postings, summed per document: the documents, scores and order of
    Whoosh's own search, over several segments with deleted documents."""
    archive_index, _ = large_archive
    searcher = archive_index._current_searcher()
    assert len(searcher.subsearchers) > 1 and searcher.reader().has_deletions()
    whooshs = searcher.search(
        query.PreloadedOr([query.Term("body", text, boost=boost) for text, boost in words]),
        limit=40,
    )
    expected = [(hit.docnum, hit.score) for hit in whooshs]
    assert len(expected) == 40
    assert best_documents(searcher, "body", words, 40) == expected


def test_related_articles_leave_out_the_article_itself(archive):
    searcher = archive._current_searcher()
    own = searcher.document_number(id="1")
    best = [docnum for docnum, _ in best_documents(searcher, "body", [("ferri", 1.0)], 6)]
    assert own in best
    related = archive.more_like_this(1, TEXT, limit=5)
    assert len(related) == 5 and 1 not in related
    # Articles holding the rarest, most repeated word come first.
    assert set(related[:4]) == {2, 3, 4, 5}


def test_best_documents_look_each_word_up_once_per_segment(large_archive, monkeypatch):  # noqa: F811
    from whoosh.codec.whoosh3 import W3TermsReader

    archive_index, _ = large_archive
    searcher = archive_index._current_searcher()
    words = WEIGHTED[2]
    for text, _ in words:
        searcher.idf("body", text)  # as related articles have, when choosing the words
    lookups = []
    looked_up = W3TermsReader.term_info
    monkeypatch.setattr(
        W3TermsReader,
        "term_info",
        lambda self, *key: lookups.append(key) or looked_up(self, *key),
    )
    monkeypatch.setattr(
        W3TermsReader, "__contains__", lambda self, key: pytest.fail("a second look-up")
    )
    best_documents(searcher, "body", words, 10)
    assert len(lookups) == len(words) * len(searcher.subsearchers)


def test_related_words_are_analysed_once(archive, monkeypatch):
    searcher = archive._current_searcher()
    first = archive._distinctive_terms(searcher, TEXT)
    analyzer = searcher.schema["body"].analyzer
    monkeypatch.setattr(
        type(analyzer), "__call__", lambda *args, **kwargs: pytest.fail("analysed again")
    )
    assert archive._distinctive_terms(searcher, TEXT) == first


@pytest.fixture
def segmented(tmp_path):
    """The same 400 articles as `archive`, written as four segments of 100."""
    archive_index = ArchiveIndex(tmp_path / "index")
    for first in range(1, 401, 100):
        archive_index.index_articles(
            [replace(doc(n, "x"), body=body(n)) for n in range(first, first + 100)]
        )
    yield archive_index
    archive_index.close()


def record_counts(monkeypatch) -> list[bytes]:
    """The words whose document count is asked of a segment, one entry per segment."""
    from whoosh.codec.whoosh3 import W3TermsReader

    counted: list[bytes] = []
    count = W3TermsReader.doc_frequency
    monkeypatch.setattr(
        W3TermsReader,
        "doc_frequency",
        lambda self, fieldname, text: counted.append(text) or count(self, fieldname, text),
    )
    return counted


def test_common_words_are_counted_only_until_they_are_too_common(segmented, monkeypatch):
    searcher = segmented._current_searcher()
    assert len(searcher.subsearchers) == 4
    counted = record_counts(monkeypatch)
    words = segmented._distinctive_terms(searcher, TEXT)
    council = counted.count(b"council")
    # The same words as counting everywhere gives (see the unsegmented archive above)...
    assert {word: searcher.doc_frequency("body", word) for word, _ in words} == {
        "ferri": 5,
        "tariff": 15,
        "harbour": 19,
    }
    # ...but "council", in all 400 articles, is left out after its first segment's 100.
    assert council == 1


def test_a_count_is_exact_up_to_its_limit(segmented):
    from app.search.whoosh_backend.related import held_by_up_to, largest_segments_first

    readers = largest_segments_first(segmented._current_searcher())
    assert held_by_up_to(readers, "body", "harbour", 19) == 19
    assert held_by_up_to(readers, "body", "council", 400) == 400
    assert 150 < held_by_up_to(readers, "body", "council", 150) < 400
    assert held_by_up_to(readers, "body", "absent", 10) == 0


def test_a_chosen_words_count_is_not_counted_again_for_its_idf(segmented, monkeypatch):
    from whoosh.scoring import BM25F

    searcher = segmented._current_searcher()
    expected = {
        word: BM25F().idf(searcher, "body", word) for word in ("ferri", "tariff", "harbour")
    }
    counted = record_counts(monkeypatch)
    words = dict(segmented._distinctive_terms(searcher, TEXT))
    best_documents(searcher, "body", list(words.items()), 5)
    # Counted once in each of the four segments, for its limit; not again for its idf.
    assert counted.count(b"ferri") == 4
    assert {word: searcher.idf("body", word) for word in words} == expected
    assert words["ferri"] == pytest.approx(4 * expected["ferri"])  # tf 4 times its idf
