"""Reflected XSS and open redirects: payloads in every parameter, path segment and header."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from tests.conftest import FIXTURES
from tests.hostile.markup import response_problems, url_problem
from tests.hostile.payloads import text_payloads, url_payloads

# The fast run takes each shape once; `make soak` (HOSTILE_FULL=1) takes every spelling.
PAYLOADS = text_payloads() if os.environ.get("HOSTILE_FULL") else text_payloads()[::3]
PAYLOADS += url_payloads()
PARAMETERS = ["q", "speaker", "theme", "source", "year", "from", "to", "sort", "page", "facet"]
PARAMETERS += ["kind"]
SEARCH_ROUTES = ["/search", "/api/search", "/search.atom", "/search.csv"]
SEARCH_ROUTES += ["/quotes", "/api/quotes", "/quotes.atom", "/quotes.csv"]
PATH_ROUTES = [
    "/articles/{}",
    "/api/articles/{}",
    "/speakers/{}",
    "/api/speakers/{}",
    "/speakers/{}/feed",
    "/themes/{}",
    "/themes/{}/feed",
    "/articles/{}/cite.bib",
    "/static/{}",
]
HEADERS = ["Referer", "User-Agent", "Accept-Language", "Accept", "X-Forwarded-Host"]
REDIRECT_TRIES = [
    "//evil.example/",
    "/\\evil.example/",
    "/%2F%2Fevil.example/",
    "/%5Cevil.example/",
    "//evil.example/search/",
    "/search/?q=//evil.example",
    "/articles/%2F%2Fevil.example",
    "/static//evil.example/",
    "/speakers/%2F%2Fevil.example/",
]


@pytest.fixture
def archive(tmp_path, ingest):
    (tmp_path / "wire.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    assert ingest(tmp_path).failed == 0


def check(response, where: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: status {response.status_code}")
    location = response.headers.get("location")
    if location and (url_problem(location) or "evil.example" in location.split("?")[0]):
        problems.append(f"{where}: redirects to {location}")
    problems += [f"{where}: {p}" for p in response_problems(response)]
    return problems


def test_no_parameter_reflects_a_payload(client, archive):
    problems, tried = [], 0
    for route in SEARCH_ROUTES:
        for name in PARAMETERS:
            for payload in PAYLOADS:
                tried += 1
                response = client.get(route, params={name: payload, "q": payload})
                problems += check(response, f"{route}?{name}={payload!r}")
    print(f"reflected (parameters): {tried} requests")
    assert not problems, problems[:10]


def test_no_path_segment_reflects_a_payload(client, archive):
    problems = []
    for route in PATH_ROUTES:
        for payload in PAYLOADS:
            path = route.format(quote(payload, safe=""))
            problems += check(client.get(path, follow_redirects=False), path)
    assert not problems, problems[:10]


def test_no_header_reflects_a_payload(client, archive):
    problems = []
    for header in HEADERS:
        for payload in PAYLOADS:
            value = payload.encode("utf-8")
            for path in ("/", "/search?q=budget", "/articles/missing", "/api/search?q=%22"):
                response = client.get(path, headers={header: value})
                problems += check(response, f"{path} {header}: {payload!r}")
    assert not problems, problems[:10]


def test_no_route_redirects_off_site(client, archive):
    problems = []
    for path in REDIRECT_TRIES:
        for method in (client.get, client.head):
            response = method(path, follow_redirects=False)
            problems += check(response, f"{method.__name__.upper()} {path}")
    assert not problems, problems
