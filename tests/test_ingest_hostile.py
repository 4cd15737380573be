"""Hostile and broken inputs: nothing outside the input is read, every input gets a line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import cli
from app.ingest.document import ArticleIn, Block, InputError
from app.ingest.extract.limits import check_substance, split_long_blocks
from app.ingest.sources.readers import iter_documents
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (FIXTURES / "articles" / "wire-report.txt").read_text()


def lines_of(documents) -> tuple[list, list[str]]:
    found, errors = [], []
    for item in documents:
        if isinstance(item, InputError):
            errors.append(f"{item.origin}: {item}")
        else:
            found.append(item)
    return found, errors


# -- feeds never open what their bytes name ---------------------------------------------


def test_a_feed_file_naming_another_file_does_not_read_it(tmp_path, ingest, engine):
    from sqlmodel import Session, select

    from app.models import Article

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "secret.xml"
    secret.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hidden</title><item>'
        "<title>Private entry</title><link>https://example.org/private</link>"
        f"<description>{'private words ' * 60}</description></item></channel></rss>"
    )
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "pointer.xml").write_text(str(secret))
    (inbox / "passwd.xml").write_text("/etc/passwd")
    report = ingest(inbox)
    assert report.added == 0 and report.failed == 2
    assert all("not a feed" in line for line in report.errors)
    with Session(engine) as session:
        assert session.exec(select(Article)).all() == []


def test_a_feed_file_naming_dev_zero_fails_fast(tmp_path):
    (tmp_path / "zero.xml").write_text("/dev/zero")
    found, errors = lines_of(iter_documents([str(tmp_path)], max_bytes=10**6))
    assert found == [] and len(errors) == 1 and "not a feed" in errors[0]


def test_feed_external_entities_are_not_expanded(tmp_path):
    (tmp_path / "entity.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/hostname">]>'
        '<rss version="2.0"><channel><title>T</title><item><title>&leak;</title>'
        f"<link>https://example.org/a</link><description>{'words ' * 120}</description>"
        "</item></channel></rss>"
    )
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    found, _ = lines_of(iter_documents([str(tmp_path)], max_bytes=10**6))
    for document in found:
        assert not hostname or hostname.encode() not in document.data


# -- symbolic links and special files ---------------------------------------------------


def test_a_link_out_of_the_folder_is_refused_unless_allowed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(ARTICLE)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "x.txt").symlink_to(outside)
    (inbox / "passwd.txt").symlink_to("/etc/passwd")
    found, errors = lines_of(iter_documents([str(inbox)], max_bytes=10**6))
    assert found == [] and len(errors) == 2
    assert all("symbolic link to outside the folder" in line for line in errors)
    allowed, _ = lines_of(iter_documents([str(inbox)], max_bytes=10**6, follow_links=True))
    assert {Path(doc.origin).name for doc in allowed} == {"outside.txt", "passwd"}


def test_a_linked_folder_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.txt").write_text(ARTICLE)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "more").symlink_to(tmp_path / "outside")
    found, errors = lines_of(iter_documents([str(inbox)], max_bytes=10**6))
    assert found == [] and errors == [
        f"{inbox / 'more'}: symbolic link to outside the folder (use --follow-links to allow)"
    ]


def test_links_inside_the_folder_are_read(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ARTICLE)
    (inbox / "b.txt").symlink_to(inbox / "a.txt")
    found, errors = lines_of(iter_documents([str(inbox)], max_bytes=10**6))
    assert errors == [] and len(found) == 2


def test_broken_links_loops_and_special_files_each_get_a_line(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    os.mkfifo(inbox / "fifo.txt")
    (inbox / "empty.warc").write_bytes(b"")
    (inbox / "good.txt").write_text(ARTICLE)
    found, errors = lines_of(iter_documents([str(inbox)], max_bytes=10**6))
    assert [Path(doc.origin).name for doc in found] == ["good.txt"]
    reasons = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in errors}
    assert reasons == {
        "dangling.txt": "broken symbolic link",
        "empty.warc": "no WARC records (empty or not a WARC file)",
        "fifo.txt": "not a regular file (named pipe)",
        "loop.txt": "symbolic link loop",
    }


def test_devices_and_pipes_named_on_the_command_line_are_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "fifo.txt")
    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "ingest", "-q", "/dev/zero", str(tmp_path / "fifo.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "/dev/zero: not a regular file (device)" in output
    assert "fifo.txt: not a regular file (named pipe)" in output
    assert "failed 2" in output


def test_an_unreadable_folder_gets_a_line(tmp_path, monkeypatch):
    inbox = tmp_path / "in"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "good.txt").write_text(ARTICLE)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, errors = lines_of(iter_documents([str(inbox)], max_bytes=10**6))
    assert len(found) == 1
    assert errors == [f"{inbox / 'locked'}: unreadable folder: permission denied"]


# -- one bad input never ends the batch -------------------------------------------------


def test_a_feed_entry_with_an_invalid_link_gets_a_line_and_the_batch_goes_on(
    runner, settings, tmp_path
):
    (tmp_path / "a-feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>Bad</title><link>http://[bad/</link><description>short</description>"
        "</item></channel></rss>"
    )
    (tmp_path / "b-good.txt").write_text(ARTICLE)
    result = runner.invoke(cli, ["ingest", "-q", str(tmp_path)])
    assert result.exit_code == 1
    assert "no full text and no valid link" in result.output
    assert "Done: added 1, updated 0, unchanged 0, failed 1." in result.output


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("date: 2024-13-45", "malformed front matter: invalid date"),
        ("date: 2024-02-30", "malformed front matter: invalid date"),
    ],
)
def test_invalid_front_matter_dates_get_a_reason(tmp_path, ingest, front_matter, reason):
    (tmp_path / "a.md").write_text(f"---\n{front_matter}\n---\n{ARTICLE}")
    report = ingest(tmp_path)
    assert report.failed == 1 and reason in report.errors[0]
    assert "could not be processed" not in report.errors[0]


def test_an_invalid_url_in_front_matter_is_dropped_not_fatal(tmp_path, ingest, engine):
    from sqlmodel import Session, select

    from app.models import Article

    (tmp_path / "a.md").write_text(f"---\nurl: 'http://[::1'\n---\n{ARTICLE}")
    report = ingest(tmp_path)
    assert report.failed == 0 and report.added == 1
    with Session(engine) as session:
        assert session.exec(select(Article.url)).one() is None


# -- size and substance -----------------------------------------------------------------


def test_a_body_without_words_is_refused(tmp_path, ingest):
    (tmp_path / "bang.txt").write_text("A headline for nothing\n\n!!!\n")
    (tmp_path / "dashes.html").write_text(
        "<html><head><title>T</title></head><body><p>— — — ? !</p></body></html>"
    )
    report = ingest(tmp_path)
    assert report.added == 0 and report.failed == 2
    assert all("no article text" in line for line in report.errors)


def test_a_short_real_body_is_kept():
    article = ArticleIn(title="T", blocks=[Block("Parliament passed the bill.")])
    check_substance(article)  # does not raise


def test_a_huge_single_line_becomes_bounded_paragraphs(tmp_path, ingest, engine):
    from sqlmodel import Session, select

    from app import queries
    from app.models import Article

    sentence = "The committee discussed the budget again at length. "
    (tmp_path / "long.txt").write_text("A very long record\n\n" + sentence * 2_000 + "\n")
    report = ingest(tmp_path)
    assert report.failed == 0, report.errors
    with Session(engine) as session:
        body = session.exec(select(Article.body)).one()
    paragraphs = queries.body_paragraphs(body)
    assert len(paragraphs) > 10
    assert (
        max(len(block.text if hasattr(block, "text") else str(block)) for block in paragraphs)
        <= 5_000
    )


def test_text_beyond_the_article_limit_is_refused(tmp_path, settings, engine, archive_index):
    from app.ingest.pipeline import IngestReport, Pipeline

    settings.max_article_chars = 10_000
    (tmp_path / "big.txt").write_text("Heading\n\n" + "word " * 5_000)
    report = Pipeline(settings, engine, archive_index).ingest(
        iter_documents([str(tmp_path)], max_bytes=10**7), IngestReport()
    )
    assert report.failed == 1 and "too long for one article" in report.errors[0]


def test_long_paragraphs_are_cut_at_sentence_ends():
    text = "First sentence here. " * 400
    pieces = split_long_blocks([Block(text)], max_chars=1_000)
    assert all(len(piece.text) <= 1_000 for piece in pieces)
    assert all(piece.text.endswith("here.") for piece in pieces)
    assert " ".join(piece.text for piece in pieces) == text.strip()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "vbscript:x"]
)
def test_an_original_url_is_only_ever_http(tmp_path, ingest, engine, client, url):
    from sqlmodel import Session, select

    from app.models import Article

    (tmp_path / "a.md").write_text(f"---\nurl: '{url}'\n---\n{ARTICLE}")
    report = ingest(tmp_path)
    assert report.added == 1
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
    assert article.url is None
    page = client.get(f"/articles/{article.slug}")
    assert "alert(1)" not in page.text and "script:" not in page.text.lower()


def test_a_pdf_is_refused_by_its_signature_not_stored_as_text(tmp_path, ingest):
    pdf = b"%PDF-1.4\n1 0 obj << /Title (Budget) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    (tmp_path / "report.txt").write_bytes(pdf * 20)
    report = ingest(tmp_path)
    assert report.added == 0 and report.failed == 1
    assert "a PDF document" in report.errors[0]


def test_a_warc_record_with_a_wrong_length_is_one_line_not_a_warning_block(tmp_path, capfd):
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>x</p></body></html>"
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        "WARC-Date: 2025-01-01T00:00:00Z\r\nWARC-Target-URI: https://example.org/a\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(body) - 9}"
        "\r\n\r\n"
    ).encode()
    (tmp_path / "short.warc").write_bytes(head + body + b"\r\n\r\n")
    found, errors = lines_of(iter_documents([str(tmp_path)], max_bytes=10**6))
    assert capfd.readouterr().err == ""
    assert errors and all("\n" not in line for line in errors)
