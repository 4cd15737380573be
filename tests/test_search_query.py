"""Our own query parser: the search syntax as a tree every backend compiles."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search.query import And, Not, Or, Phrase, Prefix, QueryError, Word, parse, positive_leaves


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("budget housing", And((Word("budget"), Word("housing")))),
        ('"public health" OR regul*', Or((Phrase(("public", "health")), Prefix("regul")))),
        ("title:grid -levy", And((Word("grid", "title"), Not(Word("levy"))))),
        ("NOT levy grid", And((Not(Word("levy")), Word("grid")))),
        ("by:Ostrander", Word("ostrander", "author")),
        (
            "speaker:(varga OR lund) theme:skills",
            And((Or((Word("varga", "speaker"), Word("lund", "speaker"))), Word("skills", "theme"))),
        ),
        ("(grid OR levy) AND councils", And((Or((Word("grid"), Word("levy"))), Word("councils")))),
        ("grid NEAR/3 levy", Phrase(("grid", "levy"), slop=3)),
        ("covid-19", Phrase(("covid", "19"))),
        ("NOT grid", Not(Word("grid"))),
    ],
)
def test_queries_parse_into_trees(text, tree):
    assert parse(text) == tree


def test_highlighting_wants_only_what_is_not_excluded():
    leaves = positive_leaves(parse('grid -levy OR "power line"'))
    assert leaves == [Word("grid"), Phrase(("power", "line"))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"open', "closing quote"),
        ("colour:blue", "Unknown field “colour:”"),
        ("*ation", "cannot start with"),
        ("a*", "at least 2 letters"),
        ("title:", "needs a word after it"),
        ("ab* bc* cd* de* ef*", "at most 4 words ending in"),
        ("x" * 501, "too long"),
        ("OR", "no words"),
        ("grid NEAR", "NEAR joins two words"),
        ("(" * 400 + "grid", "levels of brackets"),
    ],
)
def test_bad_queries_say_how_to_fix_them(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_says_why(text):
    with contextlib.suppress(QueryError):  # anything else (RecursionError…) fails
        parse(text)
