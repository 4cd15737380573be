"""The shapes that flow through ingestion: what was read, and the article made from it."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


@dataclass(frozen=True)
class RawDocument:
    """Bytes as received, with where and when they came from."""

    data: bytes
    origin: str  # a file path, "-" for standard input, or a URL
    media_type: str  # e.g. "text/plain", "text/html", "application/warc"
    fetched_at: datetime
    url: str | None = None  # the address the bytes were captured from, when known
    encoding: str | None = None  # charset declared by the transport, when known


@dataclass(frozen=True)
class Block:
    """One paragraph or heading of an article's cleaned text."""

    text: str
    kind: Literal["p", "h"] = "p"


@dataclass
class ArticleIn:
    """What extraction makes of a document, before speakers and themes."""

    title: str
    blocks: list[Block]
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: datetime | None = None
    language: str | None = None
    summary: str = ""
    source_format: str = "text"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """Texts of all blocks, headings included: index i is paragraph number i + 1."""
        return [block.text for block in self.blocks]


class InputError(Exception):
    """A document that cannot be ingested; the message is the one-line reason."""
