"""Feed sniffing, parsing, and turning full-text entries into pages the HTML extractor reads."""

from datetime import UTC, datetime

import pytest

from app.ingest.document import InputError, RawDocument
from app.ingest.extract.html import extract_html_article
from app.ingest.sources.feeds import FeedEntry, entry_document, looks_like_feed, parse_feed

FETCHED = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
LONG_BODY = "".join(
    f"<p>Paragraph {i}: the minister said the carbon levy would rise every year until 2030, "
    f"and that revenue would be returned to households as a flat dividend.</p>"
    for i in range(8)
)

FULL_RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Policy Daily</title><link>https://policy.example/</link>
<description>News</description>
<item>
  <title>Carbon levy to rise &amp; be returned</title>
  <link>https://policy.example/2024/carbon-levy</link>
  <dc:creator>Ana Ruiz</dc:creator>
  <pubDate>Tue, 30 Apr 2024 09:15:00 +0200</pubDate>
  <description>The levy rises yearly.</description>
  <content:encoded><![CDATA[{LONG_BODY}]]></content:encoded>
</item>
<item>
  <title>Short item</title>
  <link>/2024/short</link>
  <description>Only a teaser.</description>
  <content:encoded><![CDATA[<p>Too short to be an article.</p>]]></content:encoded>
</item>
</channel></rss>"""

SUMMARY_RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Teasers</title><link>https://teasers.example/</link>
<item><title>One</title><link>https://teasers.example/one</link>
<description>&lt;p&gt;First &lt;b&gt;teaser&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>Two</title><link>https://teasers.example/two</link>
<description>Second teaser</description><pubDate>not a date</pubDate></item>
<item><title>No link</title><description>Nothing to fetch</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- generated -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Policy</title><author><name>Desk</name></author>
  <updated>2024-04-02T10:00:00Z</updated><id>urn:x</id>
  <entry><title type="html">Grid &lt;em&gt;upgrade&lt;/em&gt;</title>
    <link rel="alternate" href="https://atom.example/grid"/>
    <id>https://atom.example/grid</id>
    <updated>2024-04-02T10:00:00Z</updated><published>2024-04-01T06:30:00Z</published>
    <summary>Grid summary</summary>
    <content type="html">{LONG_BODY.replace("<", "&lt;").replace(">", "&gt;")}</content>
  </entry>
</feed>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel>
<item rdf:about="https://rdf.example/a"><title>A</title><link>https://rdf.example/a</link></item>
</rdf:RDF>"""


def feed_raw(text: str, url: str = "https://policy.example/feed.xml") -> RawDocument:
    return RawDocument(
        data=text.encode("utf-8"),
        origin=url,
        media_type="application/rss+xml",
        fetched_at=FETCHED,
        url=url,
    )


@pytest.mark.parametrize("text", [FULL_RSS, SUMMARY_RSS, ATOM, RDF])
def test_feeds_are_recognised(text):
    assert looks_like_feed(text.encode("utf-8"))
    assert looks_like_feed(b"\xef\xbb\xbf" + text.encode("utf-8"))


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><head><title>rss</title></head></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"%PDF-1.7 <rss>",
        b"",
        b"just <feed> text",
    ],
)
def test_other_documents_are_not_feeds(data):
    assert not looks_like_feed(data)


def test_full_content_rss_entry_carries_its_html_and_metadata():
    full, short = parse_feed(feed_raw(FULL_RSS))
    assert full == FeedEntry(
        url="https://policy.example/2024/carbon-levy",
        title="Carbon levy to rise & be returned",
        published=datetime(2024, 4, 30, 7, 15, tzinfo=UTC),
        author="Ana Ruiz",
        content_html=full.content_html,
        summary="The levy rises yearly.",
        publisher="Policy Daily",
    )
    assert full.content_html is not None and "Paragraph 7" in full.content_html
    # Too little text to stand for the article: the caller fetches the link instead.
    assert short.content_html is None
    assert short.url == "https://policy.example/2024/short"  # resolved against the feed URL


def test_summary_only_entries_have_no_content_and_plain_summaries():
    entries = parse_feed(feed_raw(SUMMARY_RSS, "https://teasers.example/rss"))
    assert [e.url for e in entries] == [
        "https://teasers.example/one",
        "https://teasers.example/two",
    ]
    assert all(e.content_html is None for e in entries)
    assert entries[0].summary == "First teaser"
    assert entries[1].published is None


def test_atom_entry_with_full_content():
    [entry] = parse_feed(feed_raw(ATOM, "https://atom.example/atom.xml"))
    assert entry.url == "https://atom.example/grid"
    assert entry.title == "Grid upgrade"
    assert entry.published == datetime(2024, 4, 1, 6, 30, tzinfo=UTC)
    assert entry.author == "Desk"
    assert entry.content_html is not None and "Paragraph 0" in entry.content_html


def test_rdf_feed_entries_are_read():
    [entry] = parse_feed(feed_raw(RDF))
    assert entry.url == "https://rdf.example/a"
    assert entry.content_html is None


@pytest.mark.parametrize("data", ["<html><body><p>Not a feed</p></body></html>", "", "plain words"])
def test_non_feed_is_an_input_error(data):
    with pytest.raises(InputError, match="not a feed"):
        parse_feed(feed_raw(data))


def test_full_text_entry_becomes_a_page_the_html_extractor_reads():
    entry = parse_feed(feed_raw(FULL_RSS))[0]
    raw = entry_document(entry, feed_raw(FULL_RSS))
    assert raw is not None
    assert raw.url == entry.url
    assert raw.media_type == "text/html"
    assert raw.fetched_at == FETCHED
    assert raw.origin == f"https://policy.example/feed.xml#{entry.url}"

    article = extract_html_article(raw)
    assert article.title == "Carbon levy to rise & be returned"
    assert article.author == "Ana Ruiz"
    assert (
        article.published is not None and article.published.date() == datetime(2024, 4, 30).date()
    )
    assert article.url == entry.url
    assert article.publisher == "Policy Daily"
    assert len(article.paragraphs) == 8
    assert article.paragraphs[0].startswith("Paragraph 0: the minister said")


def test_entry_without_full_text_gives_no_document():
    entry = parse_feed(feed_raw(SUMMARY_RSS))[0]
    assert entry_document(entry, feed_raw(SUMMARY_RSS)) is None


def test_markup_in_entry_metadata_is_escaped_in_the_page():
    entry = FeedEntry(
        url="https://x.example/a?b=1&c=2",
        title='<script>alert("x")</script>',
        published=None,
        author='A "quoted" author',
        content_html=LONG_BODY,
        summary="",
    )
    raw = entry_document(entry, feed_raw(FULL_RSS))
    assert raw is not None
    assert b"<script>" not in raw.data
    assert b"&amp;c=2" in raw.data
