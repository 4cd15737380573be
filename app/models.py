"""SQLModel tables of the archive and the shapes the API returns. No logic lives here."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    title: str
    author: str | None = None
    publisher: str | None = Field(default=None, index=True)
    url: str | None = Field(default=None, index=True)
    published: datetime | None = Field(default=None, index=True)
    language: str | None = None
    # Paragraphs separated by blank lines; a heading starts with "## ".
    body: str
    summary: str = ""
    word_count: int = 0
    content_hash: str = Field(unique=True, index=True)
    # Where the article was first read from: a file path or a URL. A changed
    # file at the same origin updates its article instead of adding a new one.
    origin: str = Field(index=True)
    source_format: str = "text"
    # Set when speaker or theme extraction raised: the article is kept without those parts
    # and `policy-archive reextract --failed` tries again once the extractor is fixed.
    extraction_error: str | None = Field(default=None, index=True)
    ingested_at: datetime
    updated_at: datetime


class SlugRedirect(SQLModel, table=True):
    """An old slug that still resolves: permalinks never break."""

    old_slug: str = Field(primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", index=True)


class Snapshot(SQLModel, table=True):
    """The raw bytes as received, so extraction can be re-run without the source."""

    id: int | None = Field(default=None, primary_key=True)
    article_id: int | None = Field(
        default=None, foreign_key="article.id", ondelete="CASCADE", index=True
    )
    sha256: str = Field(unique=True, index=True)
    data: bytes  # zlib-compressed
    size: int
    media_type: str
    origin: str
    url: str | None = None
    fetched_at: datetime


class Speaker(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str = Field(index=True)
    # `surname_key(name)`: where other forms of the name are looked for, by index.
    surname_key: str = Field(default="", index=True)
    aliases: str = "[]"  # JSON list of other names seen
    role: str | None = None
    affiliation: str | None = None


class Quote(SQLModel, table=True):
    # Who is quoted in which articles, read from the indexes alone (migration 0005).
    __table_args__ = (
        Index("ix_quote_article_speaker", "article_id", "speaker_id"),
        Index("ix_quote_speaker_article", "speaker_id", "article_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    # None for unattributed quotes ("a spokesperson said").
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id", ondelete="SET NULL")
    position: int  # 1-based order in the article: the #q anchor
    paragraph: int  # 1-based paragraph number: the #p anchor
    text: str
    kind: str = "direct"  # direct | reported
    role: str | None = None
    affiliation: str | None = None
    source: str | None = None  # how an unnamed source was described


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    keywords: str = "[]"  # JSON list of key phrases


class ArticleTheme(SQLModel, table=True):
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE", primary_key=True)
    score: float
    evidence: str = "{}"  # JSON: phrase -> count
