"""Every SQL read and write of the archive, as keyword-only functions over a session."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from app.models import Article, ArticleTheme, Quote, SlugRedirect, Snapshot, Speaker, Theme
from app.slugs import slugify

# ---------------------------------------------------------------- articles


def unique_slug(session: Session, base: str) -> str:
    slug, suffix = base, 2
    while slug_taken(session, slug):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def slug_taken(session: Session, slug: str) -> bool:
    """Whether an article or an old permalink holds this slug (one round trip)."""
    statement = union_all(
        select(Article.id).where(Article.slug == slug),
        select(SlugRedirect.article_id).where(SlugRedirect.old_slug == slug),
    ).limit(1)
    return session.exec(statement).first() is not None


def article_slug_base(title: str, published: datetime | None) -> str:
    """The date (when the article has one) and the title's words: a slug never claims a
    date the article does not have."""
    if published is None:
        return slugify(title)
    return f"{published:%Y-%m-%d}-{slugify(title)}"


def find_article(
    session: Session, *, url: str | None, content_hash: str, origin: str | None
) -> Article | None:
    """The stored article this input is a version of: same URL, same text, or same file."""
    if origin == "-" or (origin or "").startswith(("http://", "https://")):
        origin = None  # standard input, or a page fetched from its URL: not a file
    # The three look-ups in one round trip; each is an indexed column's lowest id.
    conditions = [Article.url == url] if url else []
    conditions.append(Article.content_hash == content_hash)
    if origin:
        conditions.append(Article.origin == origin)
    lowest = [select(func.min(Article.id)).where(c).scalar_subquery() for c in conditions]
    # SQLAlchemy's select: a row even when there is one column (SQLModel's gives a scalar).
    row = session.exec(sa_select(*lowest)).one()
    found = next((i for i in row if i is not None), None)
    return session.get(Article, found) if found is not None else None


def article_with_url(session: Session, *, url: str) -> Article | None:
    return session.exec(select(Article).where(Article.url == url)).first()


def get_article(session: Session, *, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def get_article_by_slug(session: Session, *, slug: str) -> tuple[Article | None, bool]:
    """The article for a slug, and whether the slug is an old one that should redirect."""
    article = session.exec(select(Article).where(Article.slug == slug)).first()
    if article:
        return article, False
    redirect = session.get(SlugRedirect, slug)
    if redirect:
        return session.get(Article, redirect.article_id), True
    return None, False


def list_articles_by_ids(session: Session, *, ids: list[int]) -> dict[int, Article]:
    if not ids:
        return {}
    rows = session.exec(select(Article).where(Article.id.in_(ids))).all()
    return {row.id: row for row in rows}


def load_bodies(session: Session, *, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Article.id, Article.body).where(Article.id.in_(ids))).all()
    return {article_id: body_plain_text(body) for article_id, body in rows}


def list_latest_articles(session: Session, *, limit: int = 10, offset: int = 0) -> list[Article]:
    statement = (
        select(Article)
        .order_by(Article.published.desc().nulls_last(), Article.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(statement).all())


def count_articles(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Article)).one()


def iter_article_ids(session: Session) -> list[int]:
    return list(session.exec(select(Article.id).order_by(Article.id)).all())


def body_paragraphs(body: str) -> list[tuple[str, str]]:
    """(kind, text) for each stored paragraph; headings are stored with a "## " prefix."""
    blocks = []
    for chunk in body.split("\n\n"):
        if chunk.startswith("## "):
            blocks.append(("h", chunk[3:]))
        elif chunk:
            blocks.append(("p", chunk))
    return blocks


def body_plain_text(body: str) -> str:
    return "\n\n".join(text for _, text in body_paragraphs(body))


# ---------------------------------------------------------------- snapshots


def snapshot_for(session: Session, *, sha256: str) -> Snapshot | None:
    return session.exec(select(Snapshot).where(Snapshot.sha256 == sha256)).first()


def list_latest_snapshot_ids(session: Session, *, failed_only: bool = False) -> list[int]:
    """For each article (or each whose extraction failed), its most recently received original."""
    statement = select(func.max(Snapshot.id)).where(Snapshot.article_id.is_not(None))
    if failed_only:
        statement = statement.join(Article, Article.id == Snapshot.article_id).where(
            Article.extraction_error.is_not(None)
        )
    statement = statement.group_by(Snapshot.article_id).order_by(Snapshot.article_id)
    return list(session.exec(statement).all())


def list_snapshots(session: Session, *, article_id: int) -> list[Snapshot]:
    """An article's originals, without their bytes (reading `data` raises): the article
    page only lists them, and a web page's original can be a few hundred kilobytes."""
    statement = (
        select(Snapshot)
        .options(defer(Snapshot.data, raiseload=True))
        .where(Snapshot.article_id == article_id)
        .order_by(Snapshot.fetched_at)
    )
    return list(session.exec(statement).all())


# ---------------------------------------------------------------- speakers


def list_speakers(session: Session) -> list[tuple[Speaker, int, int]]:
    """Every speaker with article and quote counts."""
    statement = (
        select(Speaker, func.count(func.distinct(Quote.article_id)), func.count(Quote.id))
        .join(Quote, Quote.speaker_id == Speaker.id)
        .group_by(Speaker.id)
    )
    return [(speaker, articles, quotes) for speaker, articles, quotes in session.exec(statement)]


def get_speaker_by_slug(session: Session, *, slug: str) -> Speaker | None:
    return session.exec(select(Speaker).where(Speaker.slug == slug)).first()


def list_speaker_quotes(session: Session, *, speaker_id: int) -> list[tuple[Quote, Article]]:
    statement = (
        select(Quote, Article)
        .join(Article, Article.id == Quote.article_id)
        .where(Quote.speaker_id == speaker_id)
        .order_by(Article.published.desc().nulls_last(), Quote.position)
    )
    return list(session.exec(statement).all())


def count_speaker_quotes(session: Session, *, speaker_id: int) -> tuple[int, int]:
    """How many quotes a speaker has, and in how many articles."""
    statement = select(func.count(Quote.id), func.count(func.distinct(Quote.article_id))).where(
        Quote.speaker_id == speaker_id
    )
    quotes, articles = session.exec(statement).one()
    return quotes, articles


def list_article_quotes(session: Session, *, article_id: int) -> list[tuple[Quote, Speaker | None]]:
    statement = (
        select(Quote, Speaker)
        .join(Speaker, Speaker.id == Quote.speaker_id, isouter=True)
        .where(Quote.article_id == article_id)
        .order_by(Quote.position)
    )
    return list(session.exec(statement).all())


def list_quotes_by_ids(
    session: Session, *, ids: list[int]
) -> dict[int, tuple[Quote, Speaker | None, Article]]:
    """Quotes with their speaker (None when unattributed) and article, by quote id."""
    if not ids:
        return {}
    statement = (
        select(Quote, Speaker, Article)
        .join(Article, Article.id == Quote.article_id)
        .join(Speaker, Speaker.id == Quote.speaker_id, isouter=True)
        .where(Quote.id.in_(ids))
    )
    return {
        quote.id: (quote, speaker, article) for quote, speaker, article in session.exec(statement)
    }


def load_quote_texts(session: Session, *, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(Quote.id, Quote.text).where(Quote.id.in_(ids))).all())


def list_quote_dates(session: Session, *, ids: list[int]) -> list[datetime]:
    """The article dates of these quotes, one per quote (undated articles left out)."""
    dates: list[datetime] = []
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one query
        statement = (
            select(Article.published)
            .join(Quote, Quote.article_id == Article.id)
            .where(Quote.id.in_(ids[start : start + 500]))
            .where(Article.published.is_not(None))
        )
        dates.extend(session.exec(statement).all())
    return dates


def list_speaker_names_by_article(session: Session, *, ids: list[int]) -> dict[int, list[str]]:
    """The named speakers of several articles, in order of first quote."""
    names: dict[int, list[str]] = {article_id: [] for article_id in ids}
    for start in range(0, len(ids), 500):
        statement = (
            select(Quote.article_id, Speaker.name)
            .join(Speaker, Speaker.id == Quote.speaker_id)
            .where(Quote.article_id.in_(ids[start : start + 500]))
            .order_by(Quote.article_id, Quote.position)
        )
        for article_id, name in session.exec(statement):
            if name not in names[article_id]:
                names[article_id].append(name)
    return names


def speaker_aliases(speaker: Speaker) -> list[str]:
    return json.loads(speaker.aliases or "[]")


# ---------------------------------------------------------------- themes


def list_themes(session: Session) -> list[tuple[Theme, int]]:
    statement = (
        select(Theme, func.count(ArticleTheme.article_id))
        .join(ArticleTheme, ArticleTheme.theme_id == Theme.id, isouter=True)
        .group_by(Theme.id)
        .order_by(Theme.name)
    )
    return list(session.exec(statement).all())


def get_theme_by_slug(session: Session, *, slug: str) -> Theme | None:
    return session.exec(select(Theme).where(Theme.slug == slug)).first()


def list_themes_by_article(session: Session, *, ids: list[int]) -> dict[int, list[Theme]]:
    """The themes of several articles in one query, strongest first."""
    themes: dict[int, list[Theme]] = {article_id: [] for article_id in ids}
    if ids:
        statement = (
            select(ArticleTheme.article_id, Theme)
            .join(Theme, Theme.id == ArticleTheme.theme_id)
            .where(ArticleTheme.article_id.in_(ids))
            .order_by(ArticleTheme.article_id, ArticleTheme.score.desc())
        )
        for article_id, theme in session.exec(statement):
            themes[article_id].append(theme)
    return themes


def list_article_themes(session: Session, *, article_id: int) -> list[tuple[ArticleTheme, Theme]]:
    statement = (
        select(ArticleTheme, Theme)
        .join(Theme, Theme.id == ArticleTheme.theme_id)
        .where(ArticleTheme.article_id == article_id)
        .order_by(ArticleTheme.score.desc())
    )
    return list(session.exec(statement).all())


def list_theme_articles(session: Session, *, theme_id: int, limit: int = 50) -> list[Article]:
    statement = (
        select(Article)
        .where(_in_theme(theme_id, session.get_bind().dialect.name))
        .order_by(Article.published.desc().nulls_last(), Article.id.desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


# ---------------------------------------------------------------- reading room


def list_speaker_roles(
    session: Session, *, speaker_id: int
) -> list[tuple[str | None, str | None, datetime | None, datetime | None, int]]:
    """Each (role, affiliation) a speaker was given, with first and last article dates."""
    statement = (
        select(
            Quote.role,
            Quote.affiliation,
            func.min(Article.published),
            func.max(Article.published),
            func.count(func.distinct(Quote.article_id)),
        )
        .join(Article, Article.id == Quote.article_id)
        .where(Quote.speaker_id == speaker_id)
        .where((Quote.role.is_not(None)) | (Quote.affiliation.is_not(None)))
        .group_by(Quote.role, Quote.affiliation)
        .order_by(func.max(Article.published).desc())
    )
    return [tuple(row) for row in session.exec(statement).all()]


def list_speaker_themes(session: Session, *, speaker_id: int) -> list[tuple[Theme, int]]:
    """Themes of the articles quoting a speaker, with how many of those articles have each."""
    quoted = select(Quote.article_id).where(Quote.speaker_id == speaker_id).distinct()
    statement = (
        select(Theme, func.count(func.distinct(ArticleTheme.article_id)))
        .join(ArticleTheme, ArticleTheme.theme_id == Theme.id)
        .where(ArticleTheme.article_id.in_(quoted))
        .group_by(Theme.id)
        .order_by(func.count(func.distinct(ArticleTheme.article_id)).desc(), Theme.name)
    )
    return list(session.exec(statement).all())


def list_speaker_articles(session: Session, *, speaker_id: int) -> list[Article]:
    """Articles quoting a speaker, newest first."""
    quoted = select(Quote.article_id).where(Quote.speaker_id == speaker_id).distinct()
    statement = (
        select(Article)
        .where(Article.id.in_(quoted))
        .order_by(Article.published.desc().nulls_last(), Article.id.desc())
    )
    return list(session.exec(statement).all())


def list_theme_speakers(
    session: Session, *, theme_id: int, limit: int = 10
) -> list[tuple[Speaker, int]]:
    """Speakers most quoted in a theme's articles, with their quote counts."""
    in_theme = select(ArticleTheme.article_id).where(ArticleTheme.theme_id == theme_id)
    statement = (
        select(Speaker, func.count(Quote.id))
        .join(Quote, Quote.speaker_id == Speaker.id)
        .where(Quote.article_id.in_(in_theme))
        .group_by(Speaker.id)
        .order_by(func.count(Quote.id).desc(), Speaker.name)
        .limit(limit)
    )
    return list(session.exec(statement).all())


def list_theme_article_dates(session: Session, *, theme_id: int) -> list[datetime]:
    statement = (
        select(Article.published)
        .where(Article.published.is_not(None))
        .where(_in_theme(theme_id, session.get_bind().dialect.name))
    )
    return list(session.exec(statement).all())


def _in_theme(theme_id: int, dialect: str):
    """The condition "the article is in this theme", for statements that read articles
    in the order of their dates.

    Given `article.id IN (…)`, SQLite reads each of the theme's articles by its id: a
    random read of the article table each, 2.2 s for a theme of 77,000 articles at
    100,000 from a cold page cache. With the id inside an expression it walks the index
    on `published` instead, which holds each article's id (0.3 s; a newest-first page of
    50 stops after 50 of the theme's articles: 0.1-0.2 s against 2.2-2.6). PostgreSQL
    plans the plain form well."""
    in_theme = select(ArticleTheme.article_id).where(ArticleTheme.theme_id == theme_id)
    article_id = Article.id
    if dialect == "sqlite":
        article_id = Article.id + 0
    return article_id.in_(in_theme)


def count_theme_articles(session: Session, *, theme_id: int) -> int:
    statement = (
        select(func.count()).select_from(ArticleTheme).where(ArticleTheme.theme_id == theme_id)
    )
    return session.exec(statement).one()


def list_sitemap_entries(session: Session) -> dict[str, list[tuple[str, datetime | None]]]:
    """Slugs (with last change where known) of every article, speaker and theme."""
    return {
        "articles": list(session.exec(select(Article.slug, Article.updated_at)).all()),
        "speakers": [(slug, None) for slug in session.exec(select(Speaker.slug)).all()],
        "themes": [(slug, None) for slug in session.exec(select(Theme.slug)).all()],
    }
