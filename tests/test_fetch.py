"""Fetcher against a local HTTP server: redirects, errors, limits, charsets and feeds."""

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from app.ingest.document import InputError
from app.ingest.extract.html import extract_html_article
from app.ingest.sources.feeds import looks_like_feed, parse_feed
from app.ingest.sources.fetch import USER_AGENT, Fetcher

ARTICLE = (
    "<html><head><title>Budget vote</title></head><body><article>"
    + "<p>The parliament approved the budget after a long night of debate in the chamber.</p>" * 5
    + "</article></body></html>"
)
LATIN_PAGE = (
    "<html><head><title>Réforme</title></head><body><article>"
    + "<p>Le ministre a déclaré que la réforme «ne sera pas retirée» malgré les grèves.</p>" * 5
    + "</article></body></html>"
)
BODY = "".join(
    f"<p>Paragraph {i} of a long article about water policy and drought.</p>" for i in range(30)
)
FULL_FEED = f"""<?xml version="1.0"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Local</title>
<item><title>Full</title><link>/articles/full</link><content:encoded><![CDATA[{BODY}]]></content:encoded></item>
</channel></rss>"""
SUMMARY_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>Teaser</title><link>/page</link><description>Short teaser.</description></item>
</channel></rss>"""
BIG = 50_000


class Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def do_GET(self):
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/page": lambda: self.send_body(ARTICLE.encode(), "text/html; charset=utf-8"),
            "/robots.txt": self.send_robots,
            "/private/page": lambda: self.send_body(ARTICLE.encode(), "text/html"),
            "/latin": lambda: self.send_body(
                LATIN_PAGE.encode("cp1252"), "text/html; charset=windows-1252"
            ),
            "/redirect": lambda: self.redirect("/hop"),
            "/hop": lambda: self.redirect("/page"),
            "/loop-a": lambda: self.redirect("/loop-b"),
            "/loop-b": lambda: self.redirect("/loop-a"),
            "/to-ftp": lambda: self.redirect("ftp://127.0.0.1/x"),
            "/big": lambda: self.send_body(b"<html>" + b"x" * BIG + b"</html>", "text/html"),
            "/big-unlabelled": self.send_big_without_length,
            "/bomb": self.send_gzip_bomb,
            "/slow": self.send_slowly,
            "/pdf": lambda: self.send_body(b"%PDF-1.7", "application/pdf"),
            "/feed-full.xml": lambda: self.send_body(FULL_FEED.encode(), "application/rss+xml"),
            "/feed-summary.xml": lambda: self.send_body(
                SUMMARY_FEED.encode(), "application/octet-stream"
            ),
            "/error": lambda: self.send_body(b"oops", "text/plain", status=500),
        }
        route = routes.get(self.path)
        if route is None:
            self.send_body(b"<html>not found</html>", "text/html", status=404)
        else:
            route()

    robots_requests = 0

    def send_robots(self):
        Handler.robots_requests += 1
        # Our own group wins over "*", which would forbid everything.
        rules = b"User-agent: *\nDisallow: /\n\nUser-agent: PolicyArchive\nDisallow: /private/\n"
        self.send_body(rules, "text/plain")

    def send_body(self, body: bytes, content_type: str, status: int = 200, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_big_without_length(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(BIG // 1000 + 1):
            self.wfile.write(b"y" * 1000)
        self.close_connection = True

    def send_gzip_bomb(self):
        self.send_body(
            gzip.compress(b" " * (BIG * 20)), "text/html", extra=[("Content-Encoding", "gzip")]
        )

    def send_slowly(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.write(b"<html>")
        self.wfile.flush()
        time.sleep(1.5)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the limit tests hang up mid-response on purpose; the server need not complain


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(max_bytes=20_000, read_timeout=0.5, connect_timeout=2) as client:
        yield client


def test_html_page_is_fetched_with_type_charset_and_user_agent(server, fetcher):
    raw = fetcher.fetch(f"{server}/page")
    assert raw.data == ARTICLE.encode()
    assert raw.media_type == "text/html"
    assert raw.encoding == "utf-8"
    assert raw.url == raw.origin == f"{server}/page"
    assert raw.fetched_at.tzinfo is not None
    assert (
        Handler.seen_agents[-1]
        == USER_AGENT
        == "PolicyArchive/0.1 (+https://github.com/policy-archive)"
    )


def test_redirects_are_followed_and_the_final_url_kept(server, fetcher):
    raw = fetcher.fetch(f"{server}/redirect")
    assert raw.url == f"{server}/page"
    assert raw.origin == f"{server}/redirect"


def test_non_utf8_charset_page_decodes_through_the_html_extractor(server, fetcher):
    raw = fetcher.fetch(f"{server}/latin")
    assert raw.encoding == "windows-1252"
    article = extract_html_article(raw)
    assert "«ne sera pas retirée»" in article.paragraphs[0]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/loop-a", "too many redirects"),
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/big", "too large"),
        ("/big-unlabelled", "too large"),
        ("/bomb", "too large"),
        ("/slow", "timeout"),
        ("/pdf", "not HTML or a feed (application/pdf)"),
        ("/to-ftp", "unsupported URL scheme"),
    ],
)
def test_failures_are_one_line_input_errors(server, fetcher, path, reason):
    with pytest.raises(InputError) as caught:
        fetcher.fetch(f"{server}{path}")
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message
    assert path in message


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "file:///etc/passwd", "example.com/a", "javascript:alert(1)"]
)
def test_only_http_and_https_are_accepted(fetcher, url):
    with pytest.raises(InputError, match="unsupported URL scheme"):
        fetcher.fetch(url)


def test_connection_refused_is_an_input_error(fetcher):
    with pytest.raises(InputError, match="connection failed"):
        fetcher.fetch("http://127.0.0.1:9/")  # discard port: nothing listens


def test_dns_failure_is_named():
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with (
        Fetcher(transport=httpx.MockTransport(fail)) as client,
        pytest.raises(InputError) as caught,
    ):
        client.fetch("https://no-such-host.invalid/story")
    assert (
        str(caught.value)
        == "DNS failure for no-such-host.invalid: https://no-such-host.invalid/story"
    )


def test_full_content_feed_is_fetched_and_parsed(server, fetcher):
    raw = fetcher.fetch(f"{server}/feed-full.xml")
    assert raw.media_type == "application/rss+xml"
    assert looks_like_feed(raw.data)
    [entry] = parse_feed(raw)
    assert entry.url == f"{server}/articles/full"
    assert entry.content_html is not None and "Paragraph 29" in entry.content_html


def test_summary_only_feed_served_as_octet_stream_is_sniffed(server, fetcher):
    raw = fetcher.fetch(f"{server}/feed-summary.xml")
    assert raw.media_type == "application/xml"
    [entry] = parse_feed(raw)
    assert entry.content_html is None
    assert entry.url == f"{server}/page"
    assert fetcher.fetch(entry.url).data == ARTICLE.encode()


def test_fetch_many_answers_every_url_in_order(server, fetcher):
    urls = [
        f"{server}/page",
        f"{server}/missing",
        f"{server}/latin",
        "ftp://x/",
        f"{server}/redirect",
    ] * 3
    results = list(fetcher.fetch_many(urls))
    assert [url for url, _ in results] == urls
    kinds = [type(result).__name__ for _, result in results]
    assert kinds == ["RawDocument", "InputError", "RawDocument", "InputError", "RawDocument"] * 3


def test_fetch_many_keeps_to_the_per_host_limit():
    active = 0
    peak = 0
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<html></html>")

    with Fetcher(transport=httpx.MockTransport(handle), workers=4, per_host=2) as client:
        results = list(client.fetch_many([f"https://one.example/{i}" for i in range(8)]))
    assert len(results) == 8
    assert peak <= 2


def test_robots_txt_is_obeyed_and_read_once_per_site(server):
    Handler.robots_requests = 0
    with Fetcher() as client:
        with pytest.raises(InputError, match="disallowed by the site's robots.txt"):
            client.fetch(f"{server}/private/page")
        assert client.fetch(f"{server}/page").media_type == "text/html"
    assert Handler.robots_requests == 1


def test_robots_txt_can_be_overridden(server):
    with Fetcher(obey_robots=False) as client:
        assert client.fetch(f"{server}/private/page").media_type == "text/html"


def test_a_failing_robots_txt_means_not_now_and_a_missing_one_means_yes():
    def handle(status):
        def respond(request):
            if request.url.path == "/robots.txt":
                return httpx.Response(status, text="")
            return httpx.Response(200, html=ARTICLE)

        return respond

    with (
        Fetcher(transport=httpx.MockTransport(handle(503))) as client,
        pytest.raises(InputError, match="robots.txt"),
    ):
        client.fetch("https://down.example/page")
    with Fetcher(transport=httpx.MockTransport(handle(404))) as client:
        assert client.fetch("https://open.example/page").media_type == "text/html"
