"""The stemming analyser run in one pass (fused.py) gives Whoosh's postings byte for byte."""

from __future__ import annotations

import random

import pytest
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from app.search.whoosh_backend import fused
from app.search.whoosh_backend.archive_index import build_quote_schema, build_schema
from app.search.whoosh_backend.fused import field_postings, fused_for, postings_and_sequence
from app.search.whoosh_backend.pairs import word_sequence
from bench.corpus import generate

WRITTEN = [
    "",
    "The U.S. and the E.U. signed 3.5 deals in 2024; the 1.2.3 plan failed.",
    "Ærø, Straße, café, naïve, ﬁnance, ŒUVRE, İstanbul and DŽEMAL.",
    "a an the of to in",  # only stop words
    "x y z 1 2 b c",  # words under the shortest length
    "Müller’s policy — “quoted” text… and the minister's reply",
    "İİİ ıı ß ẞ ǅ ǈ",  # letters whose lowercase or folding changes their length
    "Housing HOUSING housing houses housed: policies, POLICY, politic.",
]


def random_texts(count: int, seed: int = 7) -> list[str]:
    alphabet = "aeioustxyzæøåßçéñüİı.,'’- \n0123456789ABCDE"
    rnd = random.Random(seed)
    return ["".join(rnd.choices(alphabet, k=rnd.randint(1, 120))) for _ in range(count)]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[str]:
    folder = generate(tmp_path_factory.mktemp("corpus"), 40)
    return [path.read_text() for path in sorted(folder.rglob("*.txt"))]


@pytest.mark.parametrize(
    ("schema", "name"),
    [(build_schema(), "title"), (build_schema(), "body"), (build_quote_schema(), "body")],
)
def test_the_fused_analyser_gives_whooshs_postings_and_word_sequence(schema, name, articles):
    field = schema[name]
    assert fused_for(field) is not None
    for text in [*WRITTEN, *random_texts(400), *articles]:
        assert field_postings(field, text) == list(field.index(text)), text[:80]
        postings, sequence = postings_and_sequence(field, text)
        assert postings == list(field.index(text))
        assert sequence == word_sequence(field.analyzer, text)


def test_a_keyword_field_gives_whooshs_postings(articles):
    field = build_schema()["words"]
    assert fused_for(field) is not None
    assert postings_and_sequence(field, "some words") is None  # no pairs from keywords
    for text in [*WRITTEN, *random_texts(400, seed=11), *articles]:
        assert field_postings(field, text) == list(field.index(text)), text[:80]
        assert field_postings(field, text.upper()) == list(field.index(text.upper()))


def test_other_analysers_are_left_to_whoosh():
    schema = build_schema()
    for name in ("speaker", "publisher", "text_de"):
        assert fused_for(schema[name]) is None
        assert postings_and_sequence(schema[name], "Anna Müller") is None
    # A stemming analyser with other filters is not taken apart either.
    other = TEXT(analyzer=StemmingAnalyzer(minsize=3))
    assert fused_for(other) is None
    assert field_postings(other, "The big housing plans") == list(
        other.index("The big housing plans")
    )


def test_the_stem_cache_starts_again_when_full(monkeypatch):
    field = build_schema()["body"]
    monkeypatch.setattr(fused, "CACHE_WORDS", 3)
    stemmer = fused_for(field)
    stemmer._stems.clear()
    text = "housing policies ministers budgets harbours"
    assert field_postings(field, text) == list(field.index(text))
    assert len(stemmer._stems) <= 3
