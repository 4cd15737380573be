"""Cleaning rules for scraped article text: each removes one kind of page debris.

Every rule is general: it describes a kind of junk seen across news sites and
SEO copy, never a particular site or phrase.
"""

import re
from collections.abc import Callable

from app.ingest.document import Block

# A line of site chrome shown before the headline: notices, banners, buttons.
# Strong words mark chrome wherever they appear; weak ones only in a full sentence,
# since a headline may well mention customers or a platform.
_STRONG_NOTICE_WORDS = re.compile(
    r"\b(subscribe|subscription|sign (?:in|up)|log ?in|cookies?|javascript|your browser|"
    r"advertisement|skip to (?:main )?content)\b",
    re.IGNORECASE,
)
_WEAK_NOTICE_WORDS = re.compile(
    r"\b(platform|customers?|account manager|customer services?|newsletter|menu|migrated|"
    r"free trial|please contact)\b",
    re.IGNORECASE,
)
_BUTTON_LINE = re.compile(
    r"^(dismiss|close|ok|accept( all)?|got it|continue|x|×|menu|share|print)$", re.IGNORECASE
)

_CLOSING_BUTTON = re.compile(r"^(dismiss|close|ok|accept( all)?|got it|continue|x|×)$", re.I)

# Call-to-action sentences spliced onto the end of a paragraph by SEO tools:
# "... well-being.. Read more about some keyword phrase."
_LINK_BAIT_TAIL = re.compile(
    r"(?:(?<=[.!?”\"’])\.?\s*|\s+)"
    r"(?:(?:find|read|learn|discover|see|check|click)(?: out)? (?:more|here|also|this)\b"
    r"|related reading\b|recommended\b|you may also like\b)"
    r"[^.!?]*[.!?]?\s*$",
    re.IGNORECASE,
)
# Leftover link text inside a sentence: "(see here)", "[read more]".
_LINK_REMNANT = re.compile(r"\s*[\(\[](?:see|read|click|more) here[\)\]]", re.IGNORECASE)

_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_CONTACT_TRAILER = re.compile(
    r"\b(e-?mail|contact|write to|send (?:us|your)|tips?|corrections?)\b", re.IGNORECASE
)
# "Tags: a, b" or, scraped without a space, "TagsSome Topic".
_TAG_TRAILER = re.compile(
    r"^(?i:tags|topics|filed under|related topics|keywords|categories)(?:\b|(?=[A-Z]))"
)

# A heading drawn with decorations: "— Section —", "== Section ==", "## Section".
_DECORATED_HEADING = re.compile(r"^(?:#{1,6}\s+(.+?)|[—–=*~-]{1,3}\s*(.+?)\s*[—–=*~-]{1,3})$")
_SENTENCE_END = re.compile(r"[.!?:;,…\"”’)]$")


def is_notice_line(line: str) -> bool:
    """A short line of site chrome (a banner, a cookie notice, a button)."""
    stripped = line.strip()
    if _BUTTON_LINE.match(stripped):
        return True
    if len(stripped.split()) > 40:
        return False
    if _STRONG_NOTICE_WORDS.search(stripped):
        return True
    return bool(_WEAK_NOTICE_WORDS.search(stripped)) and stripped[-1:] in ".!"


def drop_leading_notices(
    lines: list[str], is_header_line: Callable[[str], bool] = lambda line: False
) -> list[str]:
    """Remove the run of notice lines (and the buttons closing them) before the headline.

    A line followed by a byline or dateline is the headline, whatever words it uses.
    """
    last_notice = -1
    for position, line in enumerate(lines[:12]):
        following = lines[position + 1] if position + 1 < len(lines) else ""
        if is_header_line(following) or not is_notice_line(line):
            break
        last_notice = position
    # A closing button ("Dismiss") can follow notices that did not match a word; a
    # "Share" or "Print" button is page furniture, and nothing past the headline is a notice.
    for position, line in enumerate(lines[:12]):
        following = lines[position + 1] if position + 1 < len(lines) else ""
        if is_header_line(following):
            break
        if _CLOSING_BUTTON.match(line.strip()):
            last_notice = max(last_notice, position)
    return lines[last_notice + 1 :]


def strip_link_bait(paragraph: str) -> str:
    """Cut a call-to-action sentence spliced onto the end of a paragraph."""
    cleaned = _LINK_REMNANT.sub("", paragraph) if "here" in paragraph else paragraph
    # The bait is the last sentence: searching only the tail keeps long paragraphs cheap.
    offset = max(0, len(cleaned) - 300)
    match = _LINK_BAIT_TAIL.search(cleaned, offset)
    if match and match.start() > 0:
        cleaned = cleaned[: match.start()].rstrip()
        # The splice often leaves a doubled full stop: "well-being.."
        cleaned = re.sub(r"\.\.$", ".", cleaned)
    return cleaned


def contact_domain(paragraph: str) -> str | None:
    """The e-mail domain of an editorial contact trailer, or None if this is not one."""
    match = _EMAIL.search(paragraph) if "@" in paragraph else None
    if match and _CONTACT_TRAILER.search(paragraph) and len(paragraph.split()) <= 60:
        return match.group(1).lower()
    return None


def is_tag_trailer(paragraph: str) -> bool:
    return bool(_TAG_TRAILER.match(paragraph)) and len(paragraph.split()) <= 30


def heading_text(line: str) -> str | None:
    """The text of a decorated heading line, or None."""
    match = _DECORATED_HEADING.match(line.strip())
    if not match:
        return None
    text = (match.group(1) or match.group(2) or "").strip()
    return text if text and len(text.split()) <= 15 else None


def looks_like_heading(line: str, next_line: str | None) -> bool:
    """An undecorated heading: a short unpunctuated line introducing a longer paragraph."""
    words = line.split()
    if not 1 <= len(words) <= 15 or _SENTENCE_END.search(line.strip()):
        return False
    if not line[:1].isupper() or line[:1] in "\"“‘'":
        return False
    return next_line is not None and len(next_line.split()) > len(words) * 2


# A sentence ends at . ! ? (and any closing quote) before a capital; not after an initial
# or a short title ("J.", "Dr.", "U.S.").
_SENTENCE_BREAK = re.compile(
    r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z]\.[A-Z])"
    r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])"
)
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s[—–]|\s-)\s")  # noqa: RUF001 -- dashes are intended
TITLE_MAX_CHARS = 110


def derive_title(paragraph: str, max_chars: int = TITLE_MAX_CHARS) -> str:
    """A title for an article without a headline: its first sentence, shortened to its
    first clause or a word boundary when long. The paragraph itself stays in the body."""
    text = " ".join(paragraph.split())
    match = _SENTENCE_BREAK.search(text)
    sentence = text[: match.start() + 1] if match else text
    if len(sentence) <= max_chars:
        return sentence
    clauses = [m.start() for m in _CLAUSE_BREAK.finditer(sentence) if m.start() <= max_chars]
    if clauses and clauses[-1] >= max_chars // 3:
        return sentence[: clauses[-1]] + "…"
    cut = sentence.rfind(" ", 0, max_chars)
    return sentence[: cut if cut > 0 else max_chars].rstrip(",;:—– ") + "…"


def normalise_for_comparison(text: str) -> str:
    return " ".join(text.split()).casefold()


def dedupe_paragraphs(blocks: list[Block]) -> list[Block]:
    """Drop paragraphs repeated verbatim (a lead printed twice); headings may repeat."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        key = normalise_for_comparison(block.text)
        if block.kind == "p" and len(key) > 40:
            if key in seen:
                continue
            seen.add(key)
        kept.append(block)
    return kept
