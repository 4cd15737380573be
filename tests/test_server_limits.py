"""The server under load and odd requests: no deadlock, shed load, trusted hosts, bounded work."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from app.search.query import QueryError
from app.search.results import MAX_FILTER_VALUES, SearchParams
from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend.archive_index import ArchiveIndex
from app.web.admission import AdmissionMiddleware
from app.web.security import HEADERS
from tests.conftest import FIXTURES


@pytest.fixture
def archive(tmp_path, ingest):
    for path in sorted((FIXTURES / "articles").glob("*.txt")):
        (tmp_path / path.name).write_text(path.read_text())
    report = ingest(tmp_path)
    assert report.failed == 0, report.errors
    return report


# -- 1. lock ordering and load shedding ------------------------------------------------


def test_search_reads_the_database_without_holding_the_index_lock(archive, settings):
    """A page holding a database connection waits for the index lock (related articles);
    a search holding that lock must never wait for a database connection."""
    archive_index = ArchiveIndex(settings.index_dir)
    lock_free_during_load = []

    def load_texts(ids):
        other = threading.Thread(target=archive_index.document_count)
        other.start()
        other.join(timeout=5)
        lock_free_during_load.append(not other.is_alive())
        other.join()
        return {}

    results = archive_index.search(SearchParams(q="consultation"), load_texts)
    archive_index.close()
    assert results.total > 0
    assert lock_free_during_load == [True]


def test_snippets_are_highlighted_from_positions_read_under_the_lock(client, archive):
    data = client.get("/api/search", params={"q": "consultation"}).json()
    assert data["total"] > 0
    assert "consultation</mark>" in data["hits"][0]["snippet_html"]


def run_in_own_loop(scenario):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests) keeps
    an event loop running in the main thread for the whole session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=60)


def _slow_app(release: asyncio.Event):
    async def app(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    return app


def test_requests_beyond_the_queue_get_503_at_once_and_health_stays_quick():
    async def scenario():
        release = asyncio.Event()
        app = AdmissionMiddleware(_slow_app(release), limit=2, queue=2, wait_seconds=30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            held = [asyncio.create_task(client.get("/search")) for _ in range(4)]
            await asyncio.sleep(0.05)  # two at work, two waiting
            refused = await asyncio.wait_for(client.get("/search"), timeout=1)
            health = asyncio.create_task(client.get("/healthz"))
            await asyncio.sleep(0.05)
            release.set()
            answers = await asyncio.gather(*held)
            return refused, await health, answers

    refused, health, answers = run_in_own_loop(scenario)
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert health.status_code == 200  # exempt: never queued
    assert [answer.status_code for answer in answers] == [200] * 4


def test_a_request_that_waits_too_long_for_a_turn_gets_503():
    async def scenario():
        release = asyncio.Event()
        app = AdmissionMiddleware(_slow_app(release), limit=1, queue=5, wait_seconds=0.1)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(client.get("/a"))
            await asyncio.sleep(0.02)
            second = await client.get("/b")
            release.set()
            return second, await first

    second, first = run_in_own_loop(scenario)
    assert second.status_code == 503 and first.status_code == 200


def test_health_check_is_answered_on_the_event_loop(client):
    route = next(r for r in client.app.routes if getattr(r, "path", "") == "/healthz")
    assert asyncio.iscoroutinefunction(route.endpoint)


# -- 5. the Host header ----------------------------------------------------------------


def test_a_forged_host_header_is_refused(client):
    for path in ("/", "/search/", "/static/style.css"):
        response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert response.status_code == 400, path
        assert "evil.example" not in response.text
        assert "evil.example" not in response.headers.get("location", "")


def test_redirects_are_relative(client, archive):
    response = client.get("/search/", params={"q": "x"}, follow_redirects=False)
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"].startswith("/search")


def test_allowed_hosts_are_configurable(settings):
    from app.main import create_app

    settings.allowed_hosts = "archive.example.org"
    with TestClient(create_app(settings), base_url="http://archive.example.org") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 400


def test_default_hosts_follow_site_url_and_serve_host(settings):
    settings.allowed_hosts = ""
    settings.site_url = "https://policy.example.net/"
    settings.serve_host = "10.1.2.3"
    assert settings.trusted_hosts() == ["127.0.0.1", "localhost", "policy.example.net", "10.1.2.3"]
    settings.serve_host = "0.0.0.0"
    assert "0.0.0.0" not in settings.trusted_hosts()


# -- 6. queries that cost too much or crashed ------------------------------------------


@pytest.mark.parametrize(
    "q", ["NOT OR -", "- ANDNOT ANDNOT -", "a* b*", "a*", "w1* w2* w3* w4* w5*"]
)
def test_troublesome_queries_get_a_helpful_400(client, archive, q):
    page = client.get("/search", params={"q": q})
    assert page.status_code == 400
    assert 'role="alert"' in page.text
    api = client.get("/api/search", params={"q": q})
    assert api.status_code == 400 and api.json()["detail"]


@pytest.mark.parametrize("page", ["²", "①", "٣", "1.5", "-1"])
def test_odd_page_numbers_get_400_not_500(client, archive, page):
    assert client.get("/search", params={"q": "rules", "page": page}).status_code == 400
    assert client.get("/api/search", params={"q": "rules", "page": page}).status_code == 400


def test_word_ranges_are_plain_words_not_vocabulary_scans(archive, settings):
    archive_index = ArchiveIndex(settings.index_dir)
    parsed = archive_index.parse("[alpha TO zeta] {alpha TO}")
    archive_index.close()
    assert "TermRange" not in repr(parsed)


def test_prefix_expands_to_its_most_frequent_completions(archive, settings, monkeypatch):
    monkeypatch.setattr(search, "PREFIX_EXPANSIONS", 2)
    archive_index = ArchiveIndex(settings.index_dir)
    reader = archive_index._current_searcher().reader()
    every = list(reader.expand_prefix("body", "co"))
    capped = search.CappedPrefix("body", "co")._btexts(reader)
    frequency = sorted((reader.doc_frequency("body", t) for t in every), reverse=True)
    kept = sorted((reader.doc_frequency("body", t) for t in capped), reverse=True)
    archive_index.close()
    assert len(every) > 2 and len(capped) == 2
    assert kept == frequency[:2]


def test_repeated_filter_values_are_deduplicated_and_capped(client, archive):
    same = [("speaker", "someone")] * 1000
    data = client.get("/api/search", params=[("q", "rules"), *same]).json()
    assert [v["value"] for v in data["facets"]["speakers"] if v["selected"]] == ["someone"]
    many = [("theme", f"t{number}") for number in range(MAX_FILTER_VALUES + 1)]
    refused = client.get("/api/search", params=many)
    assert refused.status_code == 400 and "at most" in refused.json()["detail"]


def test_a_search_out_of_time_answers_with_what_it_has(client, archive, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_SECONDS", 0.0)
    data = client.get("/api/search", params={"q": "rules"}).json()
    assert data["partial"] is True
    page = client.get("/search", params={"q": "rules"})
    assert page.status_code == 200 and "took too long" in page.text
    monkeypatch.setattr(search, "SEARCH_SECONDS", 3.0)
    assert client.get("/api/search", params={"q": "rules"}).json()["partial"] is False


def test_parser_errors_become_query_errors(settings):
    archive_index = ArchiveIndex(settings.index_dir)
    with pytest.raises(QueryError):
        archive_index.parse("NOT OR -")
    archive_index.close()


# -- 6, 7. every response is whole: 500s, HEAD, 405 ------------------------------------


def test_an_unexpected_error_gives_a_500_page_with_security_headers(settings, monkeypatch):
    from app.main import create_app
    from app.web import pages

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages.queries, "list_latest_articles", broken)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "a bug" not in response.text
    for name in HEADERS:
        assert name in response.headers


def test_head_answers_like_get_without_a_body(client, archive):
    for path in ("/healthz", "/", "/search?q=rules", "/api/articles"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
        assert response.headers["content-type"] == client.get(path).headers["content-type"]


def test_method_not_allowed_says_what_is(client):
    response = client.post("/search")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert client.post("/api/search").headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("location", "relative"),
    [
        ("http://evil.example/search?q=a", "/search?q=a"),
        ("//evil.example/x", "/x"),
        ("/\\evil.example", "/evil.example"),
        ("http://testserver//evil.example/a#p3", "/evil.example/a#p3"),
        ("/articles/x?q=1#q2", "/articles/x?q=1#q2"),
    ],
)
def test_redirect_locations_never_leave_the_site(location, relative):
    from app.web.security import relative_location

    assert relative_location(location) == relative


# -- saying why instead of answering nothing (issue 11, item 3) --------------------------


def test_a_page_past_the_end_says_so_and_links_the_last_page(client, archive):
    page = client.get("/search", params={"q": "consultation", "page": "999"})
    assert page.status_code == 200
    assert "Page 999 is past the end" in page.text
    assert 'href="/search?q=consultation">Go to the last page (1)' in page.text
    assert "–" not in page.text.split('class="result-count"')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"q": "title:"}, "needs a word after it"),
        ({"q": "rules by:"}, "needs a word after it"),
        ({"q": "rules", "from": "2025-05-01", "to": "2024-01-01"}, "is later than"),
    ],
)
def test_searches_that_cannot_match_say_why(client, archive, params, reason):
    for route in ("/search", "/api/search"):
        response = client.get(route, params=params)
        assert response.status_code == 400 and reason in response.text


def test_near_finds_words_close_together(client, archive):
    near = client.get("/api/search", params={"q": "consultation NEAR employers"}).json()
    far = client.get("/api/search", params={"q": "consultation NEAR/1 regulator"}).json()
    assert near["total"] == 1
    assert far["total"] == 0
