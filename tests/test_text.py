"""Plain-text extraction: each cleaning rule and each metadata field, on articles we wrote."""

from datetime import UTC, datetime

import pytest

from app.ingest.document import InputError, RawDocument
from app.ingest.text import extract_text_article
from tests.conftest import FIXTURES


def read(text: str | bytes, origin: str = "article.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return extract_text_article(RawDocument(data, origin, "text/plain", datetime.now(UTC)))


@pytest.fixture
def wire():
    return read((FIXTURES / "articles" / "wire-report.txt").read_bytes())


def body(article) -> str:
    return "\n".join(article.paragraphs)


def test_platform_notice_before_headline_is_dropped(wire):
    assert wire.title == "Ministers weigh new rules for automated hiring tools"
    assert "account manager" not in body(wire)
    assert "Close" not in wire.paragraphs


def test_byline_and_dateline_become_metadata(wire):
    assert wire.author == "Dana Whitlock"
    assert wire.published == datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
    assert not any(p.startswith(("By ", "March 3")) for p in wire.paragraphs)


def test_lead_paragraph_repeated_verbatim_is_kept_once(wire):
    assert body(wire).count("Ministers are weighing new rules") == 1


def test_link_bait_spliced_onto_paragraph_end_is_cut(wire):
    paragraph = next(p for p in wire.paragraphs if "second consultation" in p)
    assert paragraph.endswith("by the end of the year.")
    assert "explained" not in body(wire)


def test_contact_and_tag_trailers_are_dropped(wire):
    assert "newsdesk@" not in body(wire)
    assert not any(p.startswith("Tags") for p in wire.paragraphs)


def test_decorated_section_heading_is_kept_as_heading(wire):
    assert ("h", "What comes next") in [(b.kind, b.text) for b in wire.blocks]


def test_publisher_comes_from_platform_notice(wire):
    assert wire.publisher == "Northwind News"


def test_publisher_falls_back_to_editorial_email_domain():
    article = read(
        "Council approves budget\n\nThe council approved its budget on Tuesday after a long "
        "debate about spending on schools and roads.\n\nSend tips to desk@harbourpost.example "
        "or contact the newsroom. The Harbourpost team reads every message.\n"
    )
    assert article.publisher == "Harbourpost"


def test_undecorated_short_line_before_long_paragraph_is_a_heading():
    article = read(
        "A headline for the piece\n\nWhy the Rules Matter Now\n"
        "The rules matter now because the deadline for compliance falls next spring and "
        "most firms have not yet begun to prepare for the new obligations they face.\n"
    )
    assert article.blocks[0].kind == "h"
    assert article.blocks[0].text == "Why the Rules Matter Now"


def test_front_matter_overrides_extraction():
    article = read(
        "---\ntitle: The real title\nauthor: Sam Okoro\npublisher: Ledger Weekly\n"
        "published: 2024-05-06\nurl: https://ledger.example/a\n---\n"
        "A misleading first line\n\nBy Someone Else\n\nThe body of the article is here and "
        "it is long enough to be a paragraph of text.\n"
    )
    assert article.title == "The real title"
    assert article.author == "Sam Okoro"
    assert article.publisher == "Ledger Weekly"
    assert article.published == datetime(2024, 5, 6, tzinfo=UTC)
    assert article.url == "https://ledger.example/a"


def test_malformed_front_matter_is_an_input_error():
    with pytest.raises(InputError, match="front matter"):
        read("---\ntitle: [unclosed\n---\nBody text here.\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12 February 2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("Feb. 12, 2025 8:05 pm ET", datetime(2025, 2, 13, 1, 5, tzinfo=UTC)),
        ("Published 2025-02-12T10:00:00Z", datetime(2025, 2, 12, 10, tzinfo=UTC)),
        ("Wednesday 12th February 2025 at 10.15 BST", datetime(2025, 2, 12, 9, 15, tzinfo=UTC)),
    ],
)
def test_dateline_formats(line, expected):
    article = read(
        f"Title of the piece\n\n{line}\n\nA first paragraph of body text that is long.\n"
    )
    assert article.published == expected


def test_language_is_detected():
    article = read(
        "Le gouvernement et la régulation\n\nLe gouvernement a présenté un projet de loi sur "
        "la régulation des systèmes qui sont utilisés dans les services publics.\n"
    )
    assert article.language == "fr"


def test_headline_mentioning_customers_is_not_taken_for_a_notice():
    article = read(
        "Start-up apologises after chatbot leaks customer data\nBy Lena Park\nMay 5, 2025\n\n"
        "The start-up apologised on Friday after its chatbot exposed customer records.\n"
    )
    assert article.title == "Start-up apologises after chatbot leaks customer data"
    assert article.author == "Lena Park"
