"""extract_html_article on invented news pages (tests/fixtures/html), small hand-made ones,
and (marked real_pages) real saved pages in ../shared/testdata."""

from datetime import datetime

import pytest

from app.ingest.document import InputError, RawDocument
from app.ingest.extract.html import decode_html, extract_html_article
from tests.conftest import FIXTURES, REAL_PAGES

HTML_DIR = REAL_PAGES / "html"
INVENTED = FIXTURES / "html"

FETCHED = datetime(2024, 1, 1, 12, 0)


def make_raw(data: bytes, *, url: str | None = None, encoding: str | None = None) -> RawDocument:
    return RawDocument(
        data=data,
        origin=url or "test.html",
        media_type="text/html",
        fetched_at=FETCHED,
        url=url,
        encoding=encoding,
    )


def read_page(name: str):
    return extract_html_article(make_raw((HTML_DIR / name).read_bytes()))


def read_invented(name: str):
    return extract_html_article(make_raw((INVENTED / name).read_bytes()))


def body_text(article) -> str:
    return "\n".join(article.paragraphs)


# (file, title, author, publisher, published date, canonical url, first words of the text)
PAGES = [
    (
        "nature.com.telescope.html",
        "Gigantic Chinese telescope opens to astronomers worldwide",
        "Elizabeth Gibney",
        "Nature",
        datetime(2019, 9, 24),
        "https://www.nature.com/articles/d41586-019-02790-3",
        "The world’s largest single-dish radio observatory",
    ),
    (
        "theverge.com.ios13.html",
        "iOS 13 will fix the FaceTime eye contact problem",
        "Jon Porter",
        "The Verge",
        datetime(2019, 7, 3),
        "https://www.theverge.com/2019/7/3/20680681/ios-13-beta-3-facetime-attention-correction-eye-contact",
        "iOS 13’s third developer beta includes a new feature",
    ),
    (
        "phys.org.tool.html",
        "Flint flake tool partially covered by birch tar adds to evidence of Neanderthal "
        "complex thinking",
        "Bob Yirka",
        "Phys.org",
        datetime(2019, 10, 22),
        "https://phys.org/news/2019-10-flint-flake-tool-partially-birch.html",
        "A team of researchers affiliated with several institutions",
    ),
    (
        "salon.com.emissions.html",
        "Despite everything, U.S. emissions dipped in 2019",
        "Nathanael Johnson",
        "Salon.com",
        datetime(2020, 1, 10),
        "https://www.salon.com/2020/01/10/despite-everything-u-s-emissions-dipped-in-2019_partner/",
        "Just a week into the new year",
    ),
    (
        "dw.com.colonial.html",
        "Berlin confronts Germany's colonial past with new initiative",
        "Deutsche Welle",
        "DW.COM",
        datetime(2020, 1, 19),
        "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881",
        "The German capital has launched a five-year project",
    ),
    (
        "kulu-media.com.meta-outage.html",
        "Meta Outage Hits Facebook, Instagram and Messenger",
        "Kulu Media News Desk",
        "Kulu Media",
        datetime(2026, 6, 12),
        "https://kulu-media.com/meta-outage-hits-facebook-instagram-and-messenger/",
        "A major Meta outage disrupted access",
    ),
    (
        "mercurynews.com.2023.01.16.letters-1119.html",
        "Letters: Coddling criminals | Undermining road | Tax dollars | Recount cost "
        "| Predicting climate",
        "Letters",
        "The Mercury News",
        datetime(2023, 1, 16),
        "https://www.mercurynews.com/2023/01/16/letters-1119",
        "Submit your letter to the editor",
    ),
]


@pytest.mark.real_pages
@pytest.mark.parametrize(
    ("name", "title", "author", "publisher", "published", "url", "opening"),
    PAGES,
    ids=[page[0] for page in PAGES],
)
def test_real_page_gives_its_metadata_and_text(
    name, title, author, publisher, published, url, opening
):
    article = read_page(name)
    assert article.title == title
    assert article.author == author
    assert article.publisher == publisher
    assert article.published == published
    assert article.url == url
    assert article.source_format == "html"
    assert article.blocks[0].text.startswith(opening)
    assert all(block.text == block.text.strip() and block.text for block in article.blocks)


@pytest.mark.real_pages
def test_site_name_and_date_suffixes_are_cut_from_titles():
    # og:title is "Uncork the mystery of Germany's Frühburgunder | DW | 10.06.2013"
    assert read_page("dw.com.uncork.html").title == "Uncork the mystery of Germany's Frühburgunder"


@pytest.mark.real_pages
def test_language_and_summary_come_from_page_metadata():
    article = read_page("nature.com.telescope.html")
    assert article.language == "en"
    assert article.summary.startswith("FAST has superior sensitivity")
    assert read_page("kulu-media.com.meta-outage.html").language == "en"  # lang="en-US"


@pytest.mark.real_pages
def test_headings_are_kept_as_heading_blocks():
    kulu = read_page("kulu-media.com.meta-outage.html")
    headings = [block.text for block in kulu.blocks if block.kind == "h"]
    assert headings == [
        "Meta Outage Causes Login and Loading Problems",
        "Meta Outage Sparks Surge in Downdetector Reports",
        "Meta Yet to Explain Meta Outage",
        "Users Urged to Remain Cautious During Meta Outage",
    ]
    assert "Eye in the sky" in [
        b.text for b in read_page("nature.com.telescope.html").blocks if b.kind == "h"
    ]


@pytest.mark.real_pages
def test_bold_only_paragraphs_become_headings():
    # DW marks sub-heads up as <p><strong>...</strong></p>.
    dw = read_page("dw.com.colonial.html")
    headings = [block.text for block in dw.blocks if block.kind == "h"]
    assert headings == ["Freedom fighters replace colonial leaders", "Right-wing resistance"]


@pytest.mark.real_pages
def test_headline_repeated_in_body_is_not_a_block():
    phys = read_page("phys.org.tool.html")
    assert not phys.blocks[0].text.startswith("Flint flake tool")


@pytest.mark.real_pages
def test_line_breaks_inside_a_paragraph_separate_words():
    letters = body_text(read_page("mercurynews.com.2023.01.16.letters-1119.html"))
    assert "Ninfa Wood Walnut Creek" in letters
    assert "Alameda County DA is coddling criminals" in letters


@pytest.mark.real_pages
@pytest.mark.parametrize(
    ("name", "furniture"),
    [
        (
            "dw.com.colonial.html",
            ["We use cookies", "Read more:", "Related content", "Share", "Privacy Policy"],
        ),
        ("dw.com.uncork.html", ["We use cookies", "Related content", "Newsletters & Co."]),
        (
            "theverge.com.ios13.html",
            ["We use cookies", "Share this story", "Sign up for the newsletter", "I Accept"],
        ),
        (
            "nature.com.telescope.html",
            ["Use of cookies", "Related Articles", "Share on Twitter", "Nature Briefing"],
        ),
        (
            "phys.org.tool.html",
            ["This site uses cookies", "Related Stories", "share this!", "© 2019"],
        ),
        (
            "salon.com.emissions.html",
            [
                "Related Articles",
                "Trending Articles",
                "Advertisement:",
                "Sign up for our free newsletter",
            ],
        ),
        (
            "mercurynews.com.2023.01.16.letters-1119.html",
            ["Cookie Policy", "Most Popular", "Share this:", "Subscribe Now", "Trending"],
        ),
        (
            "kulu-media.com.meta-outage.html",
            ["Cookie Policy", "Related Topics", "Trending", "Advertisement", "Up Next"],
        ),
    ],
)
def test_page_furniture_stays_out_of_the_text(name, furniture):
    text = body_text(read_page(name))
    for phrase in furniture:
        assert phrase not in text, phrase


def test_raw_url_is_the_fallback_when_the_page_has_no_canonical_link():
    html = b"""<html><head><title>Ministers agree fisheries deal</title></head><body>
    <nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Ministers agree fisheries deal</h1>
    <p>Fisheries ministers agreed on Tuesday to cut quotas for cod in the North Sea by a fifth,
    after scientists warned that stocks had fallen to their lowest level in two decades.</p>
    <p>"This is painful but necessary," the chair of the council said after the late-night talks
    ended, adding that the cuts would be reviewed next year in the light of new survey data.</p>
    </article></body></html>"""
    article = extract_html_article(make_raw(html, url="https://example.org/fish"))
    assert article.url == "https://example.org/fish"
    assert article.title == "Ministers agree fisheries deal"
    assert article.published is None
    assert article.paragraphs[0].startswith("Fisheries ministers agreed")
    assert "Home" not in body_text(article)


NON_UTF8_PAGE = """<html><head><meta charset="windows-1252"><title>Café policy</title></head>
<body><article><p>Le ministre a déclaré que la réforme des retraites «ne sera pas retirée»,
malgré les grèves qui paralysent les transports depuis trois semaines à Paris et en province.</p>
<p>Les syndicats répondent qu’ils poursuivront le mouvement jusqu’à ce que le gouvernement
renonce à l’âge pivot, une mesure qu’ils jugent injuste pour les carrières longues.</p>
</article></body></html>"""


def test_meta_charset_is_honoured():
    article = extract_html_article(make_raw(NON_UTF8_PAGE.encode("cp1252")))
    assert "déclaré" in article.paragraphs[0]
    assert "«ne sera pas retirée»" in article.paragraphs[0]


def test_transport_charset_wins_over_meta_charset():
    page = NON_UTF8_PAGE.replace("windows-1252", "utf-8")
    article = extract_html_article(make_raw(page.encode("cp1252"), encoding="ISO-8859-1"))
    assert "déclaré" in article.paragraphs[0]


def test_undeclared_encoding_is_detected():
    page = NON_UTF8_PAGE.replace('<meta charset="windows-1252">', "")
    assert "déclaré" in decode_html(make_raw(page.encode("cp1252")))


def test_wrong_declared_charset_falls_back_to_one_that_decodes():
    page = NON_UTF8_PAGE.replace("windows-1252", "utf-8")
    assert "«ne sera pas retirée»" in decode_html(
        make_raw(page.encode("utf-8"), encoding="bogus-1")
    )


def test_xml_declaration_does_not_break_decoding():
    page = '<?xml version="1.0" encoding="utf-8"?>' + NON_UTF8_PAGE.replace("windows-1252", "utf-8")
    article = extract_html_article(make_raw(page.encode("utf-8")))
    assert "déclaré" in article.paragraphs[0]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><head><title>Nothing</title></head><body><nav>Home | About</nav></body></html>",
        b"\x00\x01\x02 binary junk",
    ],
    ids=["empty", "no-article", "binary"],
)
def test_page_without_article_text_is_an_input_error(data):
    with pytest.raises(InputError):
        extract_html_article(make_raw(data))


def test_page_without_a_title_takes_the_first_sentence_cut_at_a_word():
    lead = (
        "The regional water authority will publish its drought plan next week, according "
        "to the chair of its scrutiny panel, after a summer in which two reservoirs fell low. "
        "A second sentence follows."
    )
    page = (
        f"<html><body><article><p>{lead}</p><p>Second paragraph of the article is here and "
        "it is long enough to count as text.</p></article></body></html>"
    )
    article = extract_html_article(make_raw(page.encode()))
    assert article.title == "The regional water authority will publish its drought plan next week…"
    assert article.paragraphs[0] == lead


# ------------------------------------------------ the same behaviours on invented pages


@pytest.mark.parametrize(
    ("name", "title", "author", "publisher", "published", "url", "opening"),
    [
        (
            "harbour-ledger.tidal-levy.html",
            "Tidal levy divides harbour towns",
            "Ines Carvalho",
            "Harbour Ledger",
            datetime(2024, 5, 14),
            "https://harbour-ledger.example/2024/05/14/tidal-levy",
            "A proposed levy on tidal energy schemes",
        ),
        (
            "fen-courier.drainage-board.html",
            "Drainage board asks farmers to share flood costs",
            "Priya Anand",
            "Fen Courier",
            datetime(2023, 11, 2),
            "https://fen-courier.example/news/drainage-board-flood-costs",
            "The internal drainage board has asked",
        ),
    ],
)
def test_invented_page_gives_its_metadata_and_text(
    name, title, author, publisher, published, url, opening
):
    article = read_invented(name)
    assert (article.title, article.author, article.publisher) == (title, author, publisher)
    assert article.published == published
    assert article.url == url
    assert article.source_format == "html"
    assert article.blocks[0].text.startswith(opening)  # the repeated <h1> headline is gone
    assert all(block.text == block.text.strip() and block.text for block in article.blocks)


def test_site_and_date_suffixes_are_cut_from_an_invented_title():
    # og:title is "Tidal levy divides harbour towns | Harbour Ledger | 14.05.2024"
    assert read_invented("harbour-ledger.tidal-levy.html").title == (
        "Tidal levy divides harbour towns"
    )


def test_invented_page_gives_language_and_summary():
    article = read_invented("harbour-ledger.tidal-levy.html")
    assert article.language == "en"  # lang="en-GB"
    assert article.summary.startswith("A proposed levy on tidal energy schemes")


def test_headings_and_bold_only_paragraphs_are_heading_blocks():
    article = read_invented("harbour-ledger.tidal-levy.html")
    headings = [block.text for block in article.blocks if block.kind == "h"]
    assert headings == ["Councils split along the water", "What developers say"]


def test_line_breaks_in_an_invented_paragraph_separate_words():
    assert "Letters from readers Tomas Reyes Southport" in body_text(
        read_invented("harbour-ledger.tidal-levy.html")
    )


def test_furniture_of_an_invented_page_stays_out_of_the_text():
    text = body_text(read_invented("harbour-ledger.tidal-levy.html"))
    for phrase in [
        "We use cookies",
        "I Accept",
        "Related content",
        "Ferry fares",
        "Share",
        "Privacy Policy",
        "Sign up for the newsletter",
        "© 2024",
        "Sport",
    ]:
        assert phrase not in text, phrase
