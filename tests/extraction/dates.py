"""How often the plain-text reader finds an article's date when the text shows one.

Run: .venv/bin/python -m tests.extraction.dates PATH [PATH ...]
(files or folders; `.txt`/`.md` are read as they are, `.html` pages are first turned into
the text a reader gets by copying the page from its headline down).

The expected date of a page is the one its markup declares (trafilatura's metadata:
meta tags, JSON-LD, <time>); a page counts as "has a visible date" only when that date
is also printed near the headline (a short line among the first ones holding its year,
day and month). For plain-text files the expected date is unknown, so a file counts when
a short line near the top holds a year, a day and a month, and "found" means any date.
The check is deliberately independent of the parser under test: it spells dates out
from the expected value instead of parsing them.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.ingest.document import InputError, RawDocument  # noqa: E402
from app.ingest.extract.text import extract_text_article  # noqa: E402

HEADER_LINES = 12  # the zone under a headline where bylines and datelines sit
_MONTH_NAMES = [
    ("jan", "janv", "januar", "janvier", "jänner"),
    ("feb", "febr", "februar", "février", "févr"),
    ("mar", "märz", "mars"),
    ("apr", "april", "avril", "avr"),
    ("may", "mai"),
    ("jun", "juni", "juin"),
    ("jul", "juli", "juil", "juillet"),
    ("aug", "august", "août"),
    ("sep", "sept", "september", "septembre"),
    ("oct", "okt", "oktober", "octobre"),
    ("nov", "november", "novembre"),
    ("dec", "dez", "dezember", "décembre", "déc"),
]
_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "li", "ul",
    "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table", "figure",
    "figcaption", "blockquote", "dd", "dt", "dl", "form", "address", "hr", "pre",
}  # fmt: skip


def page_as_copied_text(html: bytes) -> tuple[str | None, date | None]:
    """The page's visible text from its headline down, and the date its markup declares."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None, None
    metadata = trafilatura.extract_metadata(tree)
    declared = _to_date(metadata.date) if metadata and metadata.date else None
    headline = (
        " ".join("".join(tree.xpath("//h1")[0].itertext()).split())
        if tree.xpath("//h1")
        else (metadata.title if metadata else None)
    )
    for junk in tree.xpath("//script|//style|//noscript|//template|//svg|//head"):
        junk.getparent().remove(junk)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in "".join(tree.itertext()).split("\n")]
    lines = [line for line in lines if line]
    if not headline:
        return None, declared
    start = next((i for i, line in enumerate(lines) if line == headline), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if headline in line), None)
    if start is None:
        return None, declared
    return "\n".join(lines[start:]), declared


def _to_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def shows_date(lines: list[str], expected: date | None) -> bool:
    """A short line near the top prints the expected date (or, without one, some full date)."""
    for line in lines[:HEADER_LINES]:
        if len(line.split()) > 20:
            continue
        low = line.casefold()
        if expected is None:
            if re.search(r"\b(19|20)\d\d\b", low) and _has_month(low) and re.search(r"\d", low):
                return True
            continue
        if str(expected.year) not in low and f"/{expected.year % 100:02d}" not in low:
            continue
        numbers = {int(n) for n in re.findall(r"\d+", low)}
        names = _MONTH_NAMES[expected.month - 1]
        month_named = any(re.search(rf"\b{name}", low) for name in names)
        if expected.day in numbers and (month_named or expected.month in numbers):
            return True
    return False


def _has_month(low: str) -> bool:
    return any(re.search(rf"\b{name}", low) for names in _MONTH_NAMES for name in names) or bool(
        re.search(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b", low)
    )


def measure(paths: list[Path]) -> tuple[int, int, int, list[str]]:
    """(documents read, documents showing a date, dates found, lines about the misses)."""
    read = showing = found = 0
    misses: list[str] = []
    for path in paths:
        if path.suffix == ".html":
            text, expected = page_as_copied_text(path.read_bytes())
            if text is None or expected is None:
                continue
        elif path.suffix in {".txt", ".md"}:
            text, expected = path.read_text(encoding="utf-8", errors="replace"), None
        else:
            continue
        read += 1
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not shows_date(lines, expected):
            continue
        showing += 1
        raw = RawDocument(text.encode("utf-8"), path.name, "text/plain", datetime.now(UTC))
        try:
            published = extract_text_article(raw).published
        except InputError:
            published = None
        close = published is not None and (
            expected is None or abs(published.date() - expected) <= timedelta(days=1)
        )
        if close:
            found += 1
        else:
            shown = next((x for x in lines[:HEADER_LINES] if shows_date([x], expected)), "")
            misses.append(f"  {path.name}: expected {expected}, got {published}; {shown[:70]!r}")
    return read, showing, found, misses


def main(arguments: list[str]) -> None:
    paths: list[Path] = []
    for argument in (a for a in arguments if not a.startswith("-")):
        path = Path(argument)
        paths.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    read, showing, found, misses = measure(paths)
    print(f"{read} documents read, {showing} show a date near the headline, {found} found")
    if "-v" in arguments or "--verbose" in arguments:
        print("\n".join(misses))


if __name__ == "__main__":
    main(sys.argv[1:])
