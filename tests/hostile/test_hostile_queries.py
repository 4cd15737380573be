"""Hostile queries: whatever the parameters, a 200 or a 4xx with a message, never a 5xx."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES

EXAMPLES = 600 if os.environ.get("HOSTILE_FULL") else 120
PIECES = [
    "policy",
    "budget",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "-",
    "+",
    "*",
    "?",
    "^5",
    '"',
    "'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    " TO ",
    "~",
    "~5",
    ":",
    "title:",
    "speaker:",
    "by:",
    "x:",
    "\\",
    "/",
    "\x00",
    "\x1f",
    "²",
    "①",
    "٣",
    "\u202e",
    "é",
    "𝔭",
    " ",
    "  ",
]
query_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=25).map("".join)
numbers = st.sampled_from(["1", "0", "-1", "²", "①", "1e9", "99999999999999999999", "", "x"])
days = st.sampled_from(["2024-02-30", "2024-13-45", "0000-00-00", "9999-12-31", "x", "", "²"])


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from tests.hostile.archive import build, client_for

    root = tmp_path_factory.mktemp("queries")
    (root / "in").mkdir()
    (root / "in" / "wire.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    settings_, report = build(root, [root / "in"])
    assert report.failed == 0
    with client_for(settings_) as client:
        yield client


def assert_answered(response) -> None:
    assert response.status_code < 500, response.text[:200]
    if response.status_code >= 400 and response.headers["content-type"].startswith("text/html"):
        assert 'role="alert"' in response.text or "There is no page" in response.text
    if response.status_code == 400 and "json" in response.headers["content-type"]:
        assert response.json()["detail"]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(q=query_text, page=numbers, date_from=days, date_to=days, sort=query_text)
def test_any_search_is_answered(client, q, page, date_from, date_to, sort):
    params = {"q": q, "page": page, "from": date_from, "to": date_to, "sort": sort}
    for route in (
        "/search",
        "/api/search",
        "/search.atom",
        "/search.csv",
        "/quotes",
        "/api/quotes",
    ):
        assert_answered(client.get(route, params=params))


@pytest.mark.parametrize(
    "q",
    [
        " OR ".join(["policy"] * 2_000),
        "(" * 500 + "policy" + ")" * 500,
        "policy " * 2_000,
        "x" * 10_000,
        '"' * 501,
        "\x00policy\x00",
        "*policy",
        "?olicy",
        "p* q* r* s* t* u*",
        "+ safety^5 NOT ANDNOT || OR",
        "ANDMAYBE ANDNOT ^ OR",
    ],
)
def test_extreme_queries_are_answered(client, q):
    assert_answered(client.get("/search", params={"q": q}))
    assert_answered(client.get("/api/search", params={"q": q}))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit", "-1"),
        ("limit", "10000000000"),
        ("offset", "-5"),
        ("offset", "9777798855623137280"),
        ("limit", "²"),
        ("offset", "x"),
    ],
)
def test_api_numbers_are_answered(client, name, value):
    assert_answered(client.get("/api/articles", params={name: value}))


def test_out_of_range_paging_is_refused_with_a_reason(client):
    for params in ({"limit": "-1"}, {"limit": "101"}, {"offset": "9777798855623137280"}):
        response = client.get("/api/articles", params=params)
        assert response.status_code == 422 and response.json()["detail"]
