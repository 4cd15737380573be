"""iter_warc_records on archives of invented news pages written here, and (marked
real_pages) on warcio's sample archives in ../shared/testdata."""

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.ingest.document import InputError, RawDocument
from app.ingest.sources.warc import WarcStats, iter_warc_records
from tests.conftest import FIXTURES, REAL_PAGES

WARC_DIR = REAL_PAGES / "warc"  # warcio's sample archives: third-party, marked real_pages
HTML_DIR = FIXTURES / "html"  # invented pages: the archives written here always run
CAP = 5_000_000
PAGES = [
    "harbour-ledger.tidal-levy.html",
    "fen-courier.drainage-board.html",
    "moor-gazette.bus-routes.html",
]


def read_all(path: Path, max_record_bytes: int = CAP):
    stats = WarcStats()
    results = list(iter_warc_records(path, max_record_bytes=max_record_bytes, stats=stats))
    docs = [r for r in results if isinstance(r, RawDocument)]
    errors = [r for r in results if isinstance(r, InputError)]
    return results, docs, errors, stats


def write_warc(path: Path, *, gzip: bool, extra=()) -> list[str]:
    """Write one response per test page (plus request records and `extra`); return the URLs."""
    urls = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for i, name in enumerate(PAGES):
            url = f"https://news.example/{i}/{name}"
            urls.append(url)
            request = writer.create_warc_record(
                url,
                "request",
                http_headers=StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True
                ),
            )
            writer.write_record(request)
            writer.write_record(
                make_response(
                    writer, url, (HTML_DIR / name).read_bytes(), "text/html; charset=utf-8"
                )
            )
        for record in extra:
            writer.write_record(record(writer))
    return urls


def make_response(writer, url, body, content_type, status="200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),  # known length: warcio then needs no temporary file
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2024-03-01T10:20:30Z"},
    )


@pytest.mark.real_pages
@pytest.mark.parametrize(
    ("name", "url", "encoding", "skipped"),
    [
        (
            "example.warc.gz",
            "http://example.com/",
            None,
            {"warcinfo record": 2, "request record": 2, "revisit record": 1},
        ),
        (
            "example-iana.org-chunked.warc",
            "http://www.iana.org/",
            "UTF-8",
            {"warcinfo record": 1, "request record": 1},
        ),
        ("example-resource.warc.gz", "http://example.com/", "utf-8", {"warcinfo record": 2}),
    ],
)
def test_well_formed_sample_archives_give_their_html_page(name, url, encoding, skipped):
    path = WARC_DIR / name
    _, docs, errors, stats = read_all(path)
    assert errors == []
    [doc] = docs
    assert doc.url == url
    assert doc.media_type == "text/html"
    assert doc.encoding == encoding
    assert doc.origin.startswith(f"{path}#")
    assert doc.fetched_at.tzinfo is not None
    assert b"Example Domain" in doc.data or b"IANA" in doc.data
    assert stats.documents == 1
    assert dict(stats.skipped) == skipped
    assert stats.records == 1 + sum(skipped.values())


@pytest.mark.real_pages
def test_chunked_response_is_dechunked():
    _, [doc], _, _ = read_all(WARC_DIR / "example-iana.org-chunked.warc")
    assert doc.data.lstrip().startswith(b"<!doctype html>")
    assert doc.data.rstrip().endswith(b"</html>")


@pytest.mark.real_pages
def test_truncated_sample_archive_reports_the_bad_record_and_reads_on():
    path = WARC_DIR / "example-trunc.warc"
    _, docs, [error], stats = read_all(path)
    assert docs == []
    message = str(error)
    assert str(path) in message and "offset 1197" in message and "truncated" in message
    assert stats.skipped["request record"] == 1  # the record after the bad one was still read


@pytest.mark.real_pages
@pytest.mark.parametrize(
    "name", ["example-wrong-chunks.warc.gz", "example-bad-non-chunked.warc.gz"]
)
def test_broken_sample_archives_give_clear_errors(name):
    path = WARC_DIR / name
    results, docs, errors, stats = read_all(path)
    assert docs == []
    assert errors
    assert all(str(path) in str(e) and "offset" in str(e) for e in errors)
    assert stats.errors == len(errors)


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_written_archive_gives_every_page(tmp_path, gzip):
    path = tmp_path / ("pages.warc.gz" if gzip else "pages.warc")
    urls = write_warc(path, gzip=gzip)
    _, docs, errors, stats = read_all(path)
    assert errors == []
    assert [d.url for d in docs] == urls
    assert [d.data for d in docs] == [(HTML_DIR / n).read_bytes() for n in PAGES]
    assert all(d.encoding == "utf-8" and d.media_type == "text/html" for d in docs)
    assert docs[0].fetched_at == datetime(2024, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert len({d.origin for d in docs}) == len(docs)
    assert stats.skipped == {"warcinfo record": 1, "request record": len(PAGES)}


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_archive_cut_in_the_middle_of_the_last_record_keeps_the_pages_before(tmp_path, gzip):
    whole = tmp_path / "whole.warc"
    urls = write_warc(whole, gzip=gzip)
    data = whole.read_bytes()
    last_start = max(i for i in (data.rfind(b"\x1f\x8b\x08"), data.rfind(b"WARC/1")) if i >= 0)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: last_start + (len(data) - last_start) // 2])

    results, docs, errors, _ = read_all(cut)
    assert [d.url for d in docs] == urls[:-1]
    assert len(errors) == 1
    assert isinstance(results[-1], InputError)
    message = str(errors[0])
    assert str(cut) in message and "offset" in message
    assert urls[-1] in message or "broken" in message


def test_garbage_between_records_is_reported_and_reading_resumes(tmp_path):
    first, second = tmp_path / "a.warc", tmp_path / "b.warc"
    urls = write_warc(first, gzip=False)
    write_warc(second, gzip=False)
    joined = tmp_path / "joined.warc"
    joined.write_bytes(
        first.read_bytes() + b"this is not a WARC record\r\n\r\n" + second.read_bytes()
    )
    _, docs, errors, _ = read_all(joined)
    assert len(errors) == 1 and "broken WARC record" in str(errors[0])
    assert [d.url for d in docs] == urls + urls


def test_non_html_non_200_and_oversized_records(tmp_path):
    path = tmp_path / "mixed.warc.gz"
    big = b"<html><body>" + b"<p>policy</p>" * 2000 + b"</body></html>"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for record in [
            make_response(writer, "https://a.example/img.png", b"\x89PNG....", "image/png"),
            make_response(
                writer, "https://a.example/gone", b"<html>gone</html>", "text/html", "404 Not Found"
            ),
            make_response(writer, "https://a.example/big", big, "text/html"),
            make_response(
                writer,
                "https://a.example/ok",
                b"<html><p>ok</p></html>",
                "text/html; charset=ISO-8859-1",
            ),
            writer.create_warc_record(
                "https://a.example/res",
                "resource",
                payload=BytesIO(b"<html><p>resource</p></html>"),
                length=len(b"<html><p>resource</p></html>"),
                warc_content_type="text/html",
            ),
        ]:
            writer.write_record(record)
    _, docs, errors, stats = read_all(path, max_record_bytes=10_000)
    assert [d.url for d in docs] == ["https://a.example/ok", "https://a.example/res"]
    assert docs[0].encoding == "ISO-8859-1"
    [error] = errors
    assert "https://a.example/big" in str(error) and "larger than 10000 bytes" in str(error)
    assert stats.skipped == {"not HTML": 1, "HTTP status 404": 1}


def test_stats_argument_is_optional(tmp_path):
    path = tmp_path / "one.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(make_response(writer, "https://a.example/", b"<p>x</p>", "text/html"))
    assert [d.url for d in iter_warc_records(path, max_record_bytes=100)] == ["https://a.example/"]
