"""Readable, stable slugs: lower-case ASCII words joined by hyphens."""

import re
import unicodedata

_STOP = frozenset(
    ["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "at", "by"]
    + ["from", "as", "is", "are", "its"]
)


def slugify(text: str, *, max_words: int = 8, keep_stopwords: bool = False) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not keep_stopwords:
        words = [word for word in words if word not in _STOP] or words
    return "-".join(words[:max_words]) or "untitled"


def publisher_slug(publisher: str | None) -> str | None:
    """The key a publisher is filtered and faceted by."""
    return slugify(publisher, keep_stopwords=True) if publisher else None
