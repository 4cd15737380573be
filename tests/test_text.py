"""Plain-text extraction: each cleaning rule and each metadata field, on articles we wrote."""

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.document import InputError, RawDocument
from app.ingest.extract import clean
from app.ingest.extract.dates import find_date
from app.ingest.extract.text import extract_text_article
from app.ingest.speakers.extraction import extract_speakers
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


# --- Headlines, bylines and datelines in plain text as people paste it ---------------------


def fixture(name: str):
    return read((FIXTURES / "articles" / name).read_bytes())


def test_first_paragraph_without_headline_stays_in_body_and_lends_a_title():
    article = fixture("no-headline.txt")
    assert article.paragraphs[0].startswith("Orla Brennigan, the harbour board's finance director")
    assert article.title == "Orla Brennigan, the harbour board's finance director…"


def test_speaker_named_only_in_the_first_paragraph_is_found():
    article = fixture("no-headline.txt")
    attribution = extract_speakers(article.paragraphs, title=article.title, byline=article.author)
    assert "Orla Brennigan" in [speaker.name for speaker in attribution.speakers]


def test_long_first_paragraph_before_a_blank_line_is_not_a_headline():
    article = fixture("no-headline-spaced.txt")
    assert article.paragraphs[0].startswith("The regional water authority will publish")
    assert article.title.startswith("The regional water authority will publish its drought plan")
    assert article.title.endswith("…") and len(article.title) <= 111


def test_short_line_above_a_blank_line_is_the_headline():
    article = read("A short headline\n\nThe body says something.\nAnd then something more.\n")
    assert article.title == "A short headline"
    assert article.paragraphs[0] == "The body says something."


def test_name_and_date_on_one_line_become_author_and_date():
    article = fixture("name-date-byline.txt")
    assert article.author == "Tamsin Achterberg"
    assert article.published == datetime(2025, 1, 23, tzinfo=UTC)
    assert not any("/" in p for p in article.paragraphs)


def test_name_under_headline_is_a_byline_and_updated_is_a_dateline():
    article = fixture("bare-name-byline.txt")
    assert article.author == "Ignatius Volkova"
    assert article.published == datetime(2025, 2, 14, tzinfo=UTC)
    assert article.paragraphs[0].startswith("Branch libraries")


def test_byline_and_dateline_found_below_standfirst_and_buttons():
    article = fixture("copied-page.txt")
    assert article.title == "Ferry operators asked to publish delay figures"
    assert article.author == "Benedikt Farrow"
    assert article.published == datetime(2025, 3, 3, 10, 14, tzinfo=UTC)
    assert article.paragraphs[0] == "Regulator wants monthly punctuality tables for every route"


@pytest.mark.parametrize(
    "line",
    ["Updated 4 March 2025", "Jane Doe | Updated 4 March 2025", "By Jane Doe Updated 4 March 2025"],
)
def test_updated_is_never_an_author(line):
    article = read(f"A headline here\n{line}\n\nThe body of the article is a sentence.\n")
    assert article.author in (None, "Jane Doe")
    assert article.published == datetime(2025, 3, 4, tzinfo=UTC)


def test_numeric_dateline_is_day_first_unless_the_text_writes_dates_month_first():
    us = fixture("us-dateline.txt")
    assert us.published == datetime(2024, 4, 5, tzinfo=UTC)
    british = read(
        "Transit fares frozen\n04/05/2024\n\nThe fares stay as they are until 20 May 2024.\n"
    )
    assert british.published == datetime(2024, 5, 4, tzinfo=UTC)


def test_date_that_parses_only_month_first_is_read_that_way():
    article = read("Holiday timetable\n12/25/2025\n\nServices run hourly on the day.\n")
    assert article.published == datetime(2025, 12, 25, tzinfo=UTC)


def test_share_button_under_the_headline_is_not_a_notice_closing_button():
    article = read(
        "Port expansion approved\nShare\nBy Lio Marsh\n\nThe port will add two berths.\n"
    )
    assert article.title == "Port expansion approved"
    assert article.author == "Lio Marsh"


# --- No text lost: every sentence ends up in the title or the body ------------------------

_SENTENCES = re.compile(r"(?<=[.!?”\"])\s+")


def _is_named_furniture_or_metadata(line: str, article) -> bool:
    """Lines that extraction may remove: notices, trailers, and the byline and dateline
    lines whose content became the article's author or date."""
    if clean.is_notice_line(line) or clean.is_tag_trailer(line) or clean.contact_domain(line):
        return True
    if article.author and article.author.split()[-1] in line:
        return True
    return article.published is not None and find_date(line) is not None


def assert_no_text_lost(source: str, article) -> None:
    kept = clean.normalise_for_comparison(" ".join([article.title, *article.paragraphs]))
    for line in source.splitlines():
        line = line.strip()
        if not line or _is_named_furniture_or_metadata(line, article):
            continue
        line = clean.heading_text(line) or line  # "## Heading" keeps its words, not its marks
        for sentence in _SENTENCES.split(clean.strip_link_bait(line)):
            assert clean.normalise_for_comparison(sentence) in kept, sentence


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (FIXTURES / "articles").glob("*.txt"))
)
def test_every_sentence_of_a_fixture_ends_up_in_title_or_body(name):
    source = (FIXTURES / "articles" / name).read_text(encoding="utf-8")
    assert_no_text_lost(source, read(source))


_WORDS = st.sampled_from(
    [
        "council",
        "harbour",
        "budget",
        "water",
        "quay",
        "board",
        "plan",
        "review",
        "members",
        "tariff",
        "berths",
        "repair",
        "spring",
        "summer",
        "crews",
        "clubs",
        "farmers",
        "panel",
        "scrutiny",
        "reservoir",
        "leak",
        "hours",
        "volunteers",
    ]
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=25).map(lambda w: " ".join(w).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=5),
    separator=st.sampled_from(["\n", "\n\n", "\r\n"]),
)
def test_no_sentence_of_headline_free_text_is_lost(paragraphs, separator):
    source = separator.join(paragraphs) + "\n"
    assert_no_text_lost(source, read(source))


@pytest.mark.parametrize("line", ["Contact Us", "Ein Beispiel", "Updated Today"])
def test_short_capitalised_line_with_a_pronoun_article_or_dateline_word_is_no_byline(line):
    article = read(f"A headline here\n{line}\n\nThe body of the article is a sentence.\n")
    assert article.author is None


@pytest.mark.parametrize(
    ("line", "author"),
    [("Von Jana Kellerhals", "Jana Kellerhals"), ("Par Élodie Vasseur", "Élodie Vasseur")],
)
def test_german_and_french_bylines(line, author):
    article = read(f"Ein Titel hier\n{line}\n\nDer Text des Artikels ist ein Satz.\n")
    assert article.author == author


_PIECES = st.sampled_from(
    ["By", "by Ana Roe", "Ana Roe", "Updated", "3 March 2025", "03/04/2025", "/", "|", "—",
     "\n", "\n\n", " ", "Share", "Dismiss", "# ", "---", "Tags: a", "tips@desk.example",
     "One sentence.", "(", ")", "“", "Author:", "12/25/2025 10:00 GMT", "\r", "\t", "..."]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=30), st.booleans())
def test_any_text_becomes_an_article_or_an_input_error(parts, spaced):
    text = (" " if spaced else "").join(parts)
    try:
        article = read(text.encode("utf-8", "replace"))
    except InputError:
        return
    assert article.title and any(block.kind == "p" for block in article.blocks)


def test_byline_under_a_dateline_keeps_its_label_out_of_the_name():
    article = read("Ein Titel hier\n3. März 2025\nVon Jana Kellerhals\n\nDer Text ist ein Satz.\n")
    assert article.author == "Jana Kellerhals"
    assert article.published == datetime(2025, 3, 3, tzinfo=UTC)
