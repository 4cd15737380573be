"""Plain-text and Markdown articles: front matter, headline, byline, dateline, body."""

import re
from dataclasses import dataclass, field
from datetime import datetime

import yaml

from app.ingest.document import ArticleIn, Block, InputError, RawDocument
from app.ingest.extract import clean
from app.ingest.extract.dates import find_date, is_date_line, parse_date_value, prefers_month_first
from app.ingest.extract.language import detect_language
from app.ingest.sources.decode import decode_text
from app.ingest.speakers.names import PARTICLES, STOP_CAPS, is_nameish

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
# "By" in the languages whose dates we read too: German "Von", French "Par".
_BYLINE = re.compile(r"^(?:by|written by|words by|authors?:|von|par)\s+(.+?)\s*$", re.IGNORECASE)
# A byline label alone on its line, the name on the next: "By" / "Author:".
_BYLINE_LABEL = re.compile(r"^(?:by|written by|words by|authors?|von|par)\s*:?$", re.IGNORECASE)
# "Jane Roe / 3 March 2025", "Jane Roe | Updated 4 March 2025".
_NAME_DATE_SEPARATOR = re.compile(r"\s+[/|•·–—-]\s+")  # noqa: RUF001 -- dashes are intended
# Words of a dateline that are capitalised like a name but never one.
_DATELINE_WORDS = frozenset({"updated", "published", "posted", "modified", "last", "first"})
# Pronouns and articles are never part of a name ("Follow Us", "Ein Beispiel").
_FUNCTION_WORDS = frozenset(
    {"us", "me", "him", "them", "one", "ein", "eine", "einen", "un", "une", "les", "ce", "cette"}
)
_INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
# How far under the headline bylines and datelines are looked for, and what ends the search.
_HEADER_LINES = 8
_HEADLINE_MAX_WORDS = 25
_UPPER = "A-ZÀ-ÖØ-ÞĆČĐŁŃŘŚŠŹŻŽ"  # capitals of the Latin scripts names are written in
_BYLINE_NAME = re.compile(
    rf"^[{_UPPER}][\w.'’-]*(?:\s+(?:[{_UPPER}][\w.'’-]*|de|van|von|der|da|di|le|la))*"
)
# "This is the new Acme platform", "Welcome to the Acme app": a platform naming itself.
_PLATFORM_NAME = re.compile(
    r"\b(?:the|to)\s+(?:[a-z]+\s+)?([A-Z][\w&’'.-]*(?:\s+[A-Z][\w&’'.-]*){0,2})\s+"
    r"(?:platform|website|site|app|service)\b"
)
_FRONT_MATTER_KEYS = {"title", "author", "publisher", "url", "published", "date", "language"}


def split_front_matter(text: str) -> tuple[dict, str]:
    """The YAML front matter (if any) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise InputError(f"malformed front matter: {problem}") from error
    except ValueError as error:  # YAML reads 2024-13-45 as a date, then datetime refuses it
        raise InputError(f"malformed front matter: invalid date ({error})") from error
    if not isinstance(meta, dict):
        raise InputError("malformed front matter: expected key: value pairs")
    return {k: v for k, v in meta.items() if k in _FRONT_MATTER_KEYS}, text[match.end() :]


def _byline_author(line: str) -> str | None:
    match = _BYLINE.match(line.strip())
    if not match or len(line.split()) > 12:
        return None
    names = re.split(r"\s*(?:,|\band\b|&|\|)\s*", match.group(1))
    authors = [
        name for part in names if (m := _BYLINE_NAME.match(part)) and (name := _name_part(m[0]))
    ]
    # A trailing organisation after the comma ("By Jane Roe, Reuters") is not an author.
    if len(authors) > 1 and "and" not in match.group(1) and "&" not in match.group(1):
        authors = authors[:1]
    return ", ".join(authors) or None


def _name_part(words: str) -> str | None:
    """The name at the start of a run of capitalised words, cut before a dateline word:
    "Jane Roe Updated March 3" gives "Jane Roe"; "Updated" alone gives nothing."""
    kept = []
    for word in words.split():
        low = word.lower().rstrip(".")
        if low in _DATELINE_WORDS or (low in STOP_CAPS and low not in PARTICLES):
            break
        kept.append(word)
    return " ".join(kept) or None


def _person_name_line(line: str) -> str | None:
    """A line that is only a person's name (2-4 words): a byline written without "By"."""
    words = line.split()
    if not 2 <= len(words) <= 4 or not words[0][:1].isupper():
        return None
    for word in words:
        low = word.lower()
        if low in _DATELINE_WORDS or low in _FUNCTION_WORDS:
            return None
        particle = low in PARTICLES and word != words[0]
        if not (is_nameish(word) or _INITIAL.match(word) or particle):
            return None
    return line


def _split_lines(body: str) -> tuple[list[str], list[bool]]:
    """The non-blank lines, and for each whether a blank line follows it."""
    raw = [line.strip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines: list[str] = []
    blank_after: list[bool] = []
    for position, line in enumerate(raw):
        if line:
            lines.append(line)
            # The end of the text is not a blank line before a paragraph.
            after = raw[position + 1 :]
            blank_after.append(bool(after) and not after[0] and any(after))
    return lines, blank_after


def _publisher_signals(notices: list[str], domains: list[str], text: str) -> str | None:
    for notice in notices:
        match = _PLATFORM_NAME.search(notice)
        if match:
            return match.group(1)
    for domain in domains:
        label = domain.split(".")[-2] if domain.count(".") >= 1 else domain
        # Prefer the way the text itself spells the name ("Acme News" for acmenews.com).
        spaced = r"\s?".join(re.escape(char) for char in label)
        for spelled in re.finditer(rf"\b({spaced})\b", text, re.IGNORECASE):
            if not spelled.group(1).islower():
                return spelled.group(1)
        return domain
    return None


@dataclass
class _Header:
    """What the lines above the body say: headline, byline, dateline."""

    title: str
    author: str | None = None
    published: datetime | None = None
    used: set[int] = field(default_factory=set)  # lines turned into metadata, not body


def _read_header(lines: list[str], blank_after: list[bool], title: str, day_first: bool) -> _Header:
    """Headline, byline and dateline from the first lines; `used` are the lines they took.

    The first line is the headline only when it is shaped like one and something marks
    it (a blank line, a byline or dateline under it, a longer paragraph after it).
    Otherwise it is the first paragraph: it stays in the body and lends the title its
    first sentence, so neither its text nor a speaker named in it is lost.
    """
    header = _Header(title=title)
    zone_start = 0 if title else 1
    zone = range(zone_start, min(zone_start + _HEADER_LINES, len(lines)))
    long_lines = 0
    for position in zone:
        line = lines[position]
        if len(line.split()) >= 12 and line[-1:] in '.!?"”':
            long_lines += 1
        if long_lines >= 2 or len(line.split()) > 40:
            break  # into the body: a date further down is something the text mentions
        _read_header_line(lines, position, header, day_first, zone_start)
    if title:
        return header
    first = lines[0]
    headline = clean.heading_text(first)
    next_line = lines[1] if len(lines) > 1 else None
    marked = (
        blank_after[0]
        or header.used
        or clean.looks_like_heading(first, next_line)
        or (next_line is not None and _person_name_line(next_line) and first[-1:] not in ".!")
    )
    # A lone paragraph is the article, not a headline over nothing.
    if headline is None and len(first.split()) <= _HEADLINE_MAX_WORDS and marked and lines[1:]:
        headline = first
    if headline is None:
        header.title = clean.derive_title(first)
        return header
    header.title = headline
    header.used.add(0)
    # A short line of a person's name right under the headline is a byline without "By".
    under = _person_name_line(next_line) if next_line and 1 not in header.used else None
    if header.author is None and under:
        header.author = under
        header.used.add(1)
    return header


def _read_header_line(
    lines: list[str], position: int, header: _Header, day_first: bool, zone_start: int
) -> None:
    line = lines[position]
    following = lines[position + 1] if position + 1 < len(lines) else ""
    if header.author is None and (author := _byline_author(line)):
        header.author = author
        header.used.add(position)
        # "By Jane Roe on 3 March 2025": the dateline can share the byline's line.
        if header.published is None:
            header.published = find_date(line, day_first=day_first)
        return
    if header.author is None and _BYLINE_LABEL.match(line) and _person_name_line(following):
        header.author = following
        header.used.update({position, position + 1})
        return
    if position in header.used:
        return
    parts = _NAME_DATE_SEPARATOR.split(line, maxsplit=1)
    name = _person_name_line(parts[0]) if len(parts) == 2 and header.author is None else None
    moment = find_date(parts[1], day_first=day_first) if name else None
    if name and moment is not None:
        header.author = name
        header.published = header.published or moment
        header.used.add(position)
        return
    if header.published is None and is_date_line(line, day_first=day_first):
        header.published = find_date(line, day_first=day_first)
        header.used.add(position)
        # A name line just above or below a dateline is its byline.
        for neighbour in (position - 1, position + 1):
            if header.author is not None or neighbour in header.used:
                continue
            if zone_start <= neighbour < len(lines) and (
                name := _byline_author(lines[neighbour]) or _person_name_line(lines[neighbour])
            ):
                header.author = name
                header.used.add(neighbour)


def extract_text_article(raw: RawDocument) -> ArticleIn:
    """Read a plain-text or Markdown article into an ArticleIn."""
    text = decode_text(raw.data, raw.encoding)
    meta, body = split_front_matter(text)
    lines, blank_after = _split_lines(body)
    kept = clean.drop_leading_notices(
        lines, lambda line: _byline_author(line) is not None or is_date_line(line)
    )
    notices = lines[: len(lines) - len(kept)]
    blank_after = blank_after[len(notices) :]
    if not kept:
        raise InputError("no article text")

    day_first = not prefers_month_first(body)
    header = _read_header(kept, blank_after, str(meta.get("title") or "").strip(), day_first)
    title, author, published = header.title, header.author, header.published

    blocks: list[Block] = []
    domains: list[str] = []
    rest = [line for position, line in enumerate(kept) if position not in header.used]
    for position, line in enumerate(rest):
        following = rest[position + 1] if position + 1 < len(rest) else None
        if (domain := clean.contact_domain(line)) and position >= len(rest) - 3:
            domains.append(domain)
            continue
        if clean.is_tag_trailer(line) and position >= len(rest) - 3:
            continue
        if heading := clean.heading_text(line):
            blocks.append(Block(heading, "h"))
        elif clean.looks_like_heading(line, following):
            blocks.append(Block(line, "h"))
        else:
            paragraph = clean.strip_link_bait(line)
            if paragraph:
                blocks.append(Block(paragraph))
    blocks = clean.dedupe_paragraphs(blocks)
    if not any(block.kind == "p" for block in blocks):
        raise InputError("no article text")

    body_text = "\n".join(block.text for block in blocks)
    first_paragraph = next(block.text for block in blocks if block.kind == "p")
    return ArticleIn(
        title=title[:500],
        blocks=blocks,
        author=str(meta["author"]) if meta.get("author") else author,
        publisher=str(meta["publisher"])
        if meta.get("publisher")
        else _publisher_signals(notices, domains, body),
        url=str(meta["url"]) if meta.get("url") else raw.url,
        published=parse_date_value(meta.get("published") or meta.get("date")) or published,
        language=str(meta["language"]) if meta.get("language") else detect_language(body_text),
        summary=first_paragraph[:300],
        source_format="markdown" if raw.origin.endswith(".md") else "text",
    )
