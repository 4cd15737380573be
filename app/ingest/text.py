"""Plain-text and Markdown articles: front matter, headline, byline, dateline, body."""

import re

import yaml

from app.ingest import clean
from app.ingest.dates import find_date, is_date_line, parse_date_value
from app.ingest.decode import decode_text
from app.ingest.document import ArticleIn, Block, InputError, RawDocument
from app.ingest.language import detect_language

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+(.+?)\s*$", re.IGNORECASE)
_BYLINE_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|le|la))*")
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
    authors = [m.group(0) for name in names if (m := _BYLINE_NAME.match(name))]
    # A trailing organisation after the comma ("By Jane Roe, Reuters") is not an author.
    if len(authors) > 1 and "and" not in match.group(1) and "&" not in match.group(1):
        authors = authors[:1]
    return ", ".join(authors) or None


def _split_lines(body: str) -> list[str]:
    lines = [line.strip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return [line for line in lines if line]


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


def extract_text_article(raw: RawDocument) -> ArticleIn:
    """Read a plain-text or Markdown article into an ArticleIn."""
    text = decode_text(raw.data, raw.encoding)
    meta, body = split_front_matter(text)
    lines = _split_lines(body)
    kept = clean.drop_leading_notices(
        lines, lambda line: _byline_author(line) is not None or is_date_line(line)
    )
    notices = lines[: len(lines) - len(kept)]
    if not kept:
        raise InputError("no article text")

    title = str(meta.get("title") or "").strip()
    author = published = None
    start = 0
    if not title:
        first = kept[0]
        title = clean.heading_text(first) or first
        start = 1
    # Byline and dateline sit just under the headline, in either order.
    for position in range(start, min(start + 3, len(kept))):
        line = kept[position]
        if author is None and (found := _byline_author(line)):
            author, start = found, position + 1
        elif published is None and is_date_line(line):
            published, start = find_date(line), position + 1
        else:
            break

    blocks: list[Block] = []
    domains: list[str] = []
    rest = kept[start:]
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
