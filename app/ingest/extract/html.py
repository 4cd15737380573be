"""HTML extraction: a web page's bytes become an ArticleIn (main text, headings, metadata)."""

import codecs
import re
from datetime import datetime

import trafilatura
from charset_normalizer import from_bytes
from lxml.etree import _Element
from trafilatura.utils import load_html

from app.ingest.document import ArticleIn, Block, InputError, RawDocument
from app.ingest.extract import clean

# Headers a page can lie about are only looked for near the top, as browsers do.
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# WHATWG: these labels mean windows-1252 on the web; strict latin-1 would mangle quotes.
_WEB_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Paragraphs that point elsewhere rather than say something: related-story teasers, credits.
_FURNITURE = re.compile(
    r"^(read more|read also|also read|related|see also|more on this|©|copyright\b)", re.I
)
_FURNITURE_MAX_CHARS = 200
# A paragraph that is only bold text this short reads as a sub-heading (DW, many CMSes).
_BOLD_HEADING_MAX_CHARS = 120
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+")  # noqa: RUF001 -- en/em dashes are intended
_DATE_LIKE = re.compile(r"^[\d./-]{6,10}$")


def extract_html_article(raw: RawDocument) -> ArticleIn:
    """Extract the main article of a web page: text blocks plus title, author, date and more."""
    text = decode_html(raw)
    tree = load_html(text)
    if tree is None:
        raise InputError("not an HTML document")
    language = _find_language(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=raw.url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_formatting=True,
            favor_precision=True,
            output_format="python",
        )
    except (ValueError, TypeError) as exc:
        raise InputError(f"HTML extraction failed: {exc}") from exc
    if doc is None or doc.body is None:
        raise InputError("no article text found in HTML")

    title = _clean_title(doc.title or "", doc.sitename)
    blocks = _blocks_from_body(doc.body, title)
    if not any(block.kind == "p" for block in blocks):
        raise InputError("no article text found in HTML")
    if not title:
        title = clean.derive_title(blocks[0].text)

    return ArticleIn(
        title=title,
        blocks=blocks,
        author=doc.author or None,
        publisher=doc.sitename or None,
        url=doc.url or raw.url,
        published=_parse_date(doc.date),
        language=language,
        summary=doc.description or "",
        source_format="html",
    )


def decode_html(raw: RawDocument) -> str:
    """Decode page bytes: BOM, then transport charset, then <meta charset>, then detection."""
    data = raw.data
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = [raw.encoding]
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if match:
        candidates.append(match.group(1).decode("ascii", errors="ignore"))
    candidates.append("utf-8")
    for label in candidates:
        if not label:
            continue
        encoding = _WEB_ALIASES.get(label.strip().lower(), label.strip())
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        return _XML_DECLARATION.sub("", text, count=1)
    best = from_bytes(data).best()
    text = str(best) if best is not None else data.decode("utf-8", errors="replace")
    return _XML_DECLARATION.sub("", text, count=1)


def _blocks_from_body(body: _Element, title: str) -> list[Block]:
    # Line breaks inside a paragraph (signatures, addresses) separate words.
    for line_break in body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    blocks: list[Block] = []
    for element in body:
        for block in _blocks_from_element(element):
            if block.kind == "p" and _is_furniture(block.text):
                continue
            blocks.append(block)
    # Some pages repeat their headline as the first heading of the body.
    if blocks and blocks[0].kind == "h" and _same_text(blocks[0].text, title):
        blocks.pop(0)
    return blocks


def _blocks_from_element(element: _Element) -> list[Block]:
    tag = element.tag
    if tag == "head":
        return _block(_text_of(element), "h")
    if tag == "list":
        return [b for item in element.iter("item") for b in _block(_text_of(item))]
    if tag == "table":
        rows = (
            " | ".join(t for cell in row if (t := _text_of(cell))) for row in element.iter("row")
        )
        return [b for row in rows for b in _block(row)]
    if tag == "p" and _is_bold_heading(element):
        return _block(_text_of(element), "h")
    return _block(_text_of(element))


def _block(text: str, kind: str = "p") -> list[Block]:
    return [Block(text=text, kind=kind)] if text else []  # type: ignore[arg-type]


def _text_of(element: _Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_bold_heading(paragraph: _Element) -> bool:
    text = _text_of(paragraph)
    if not text or len(text) > _BOLD_HEADING_MAX_CHARS or text[-1] in '.:;,?!"”':
        return False
    children = list(paragraph)
    return (
        len(children) == 1
        and children[0].tag == "hi"
        and children[0].get("rend") == "#b"
        and not (paragraph.text or "").strip()
        and not (children[0].tail or "").strip()
    )


def _is_furniture(text: str) -> bool:
    return len(text) <= _FURNITURE_MAX_CHARS and bool(_FURNITURE.match(text))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _clean_title(title: str, sitename: str | None) -> str:
    """Drop trailing " | Site" and " | date" segments that sites append to headlines."""
    title = " ".join(title.split())
    names = set()
    if sitename:
        name = sitename.casefold()
        names = {name, name.split(".")[0], name.removeprefix("the ")}
    while separators := list(_TITLE_SEPARATORS.finditer(title)):
        last = separators[-1]
        tail = title[last.end() :].casefold()
        if tail not in names and not _DATE_LIKE.match(tail):
            break
        title = title[: last.start()]
    return title


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _find_language(tree: _Element) -> str | None:
    """The page's declared language as a lowercase primary subtag ("en-US" gives "en")."""
    candidates = tree.xpath("/html/@lang") + tree.xpath(
        "//meta[@http-equiv='content-language' or @http-equiv='Content-Language'"
        " or @name='language' or @name='dc.language' or @property='og:locale']/@content"
    )
    for value in candidates:
        primary = re.split(r"[-_]", str(value).strip())[0].lower()
        if primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    return None
