"""Writing one extracted article, its snapshot, speakers, quotes and themes to the database."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, delete, insert, select

from app import queries
from app.ingest.document import ArticleIn, RawDocument
from app.ingest.speakers.extraction import Attribution, SpeakerIn
from app.ingest.speakers.names import same_person, speaker_key, surname_key
from app.ingest.themes import ThemeDef, ThemeMatch
from app.models import Article, ArticleTheme, Quote, Snapshot, Speaker, Theme
from app.search.results import IndexDocument, QuoteDocument
from app.slugs import publisher_slug, slugify


def content_hash(article: ArticleIn) -> str:
    """Identity of an article's text, blind to whitespace and page furniture already removed."""
    text = "\n".join([article.title, *(" ".join(b.text.split()) for b in article.blocks)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def raw_sha256(raw: RawDocument) -> str:
    return hashlib.sha256(raw.data).hexdigest()


def stored_body(article: ArticleIn) -> str:
    return "\n\n".join(
        f"## {block.text}" if block.kind == "h" else block.text for block in article.blocks
    )


def save_snapshot(
    session: Session, raw: RawDocument, article_id: int | None, snapshot: Snapshot | None
) -> Snapshot:
    """Keep the original (or point the stored one, `snapshot`, at its article)."""
    sha = raw_sha256(raw)
    if snapshot is None:
        snapshot = Snapshot(
            sha256=sha,
            data=zlib.compress(raw.data, 6),
            size=len(raw.data),
            media_type=raw.media_type,
            origin=raw.origin,
            url=raw.url,
            fetched_at=raw.fetched_at,
        )
    snapshot.article_id = article_id
    session.add(snapshot)
    return snapshot


def snapshot_document(snapshot: Snapshot) -> RawDocument:
    """The stored original as it was received, ready to be extracted again."""
    return RawDocument(
        data=zlib.decompress(snapshot.data),
        origin=snapshot.origin,
        media_type=snapshot.media_type,
        fetched_at=snapshot.fetched_at,
        url=snapshot.url,
    )


def article_signature(session: Session, article: Article) -> tuple:
    """Everything extraction decides about an article, to tell whether a re-run changed it."""
    quotes = session.exec(
        select(Quote.position, Quote.speaker_id, Quote.text, Quote.role, Quote.source)
        .where(Quote.article_id == article.id)
        .order_by(Quote.position)
    ).all()
    themes = session.exec(
        select(ArticleTheme.theme_id, ArticleTheme.score, ArticleTheme.evidence)
        .where(ArticleTheme.article_id == article.id)
        .order_by(ArticleTheme.theme_id)
    ).all()
    fields = (
        article.title,
        article.author,
        article.publisher,
        article.url,
        article.body,
        article.extraction_error,
    )
    return fields, article.published, tuple(quotes), tuple(themes)


def sync_themes(session: Session, taxonomy: list[ThemeDef]) -> dict[str, int]:
    """Make the theme rows match the taxonomy file; returns their ids by slug."""
    existing = {theme.slug: theme for theme in session.exec(select(Theme)).all()}
    for definition in taxonomy:
        theme = existing.get(definition.slug) or Theme(slug=definition.slug, name=definition.name)
        theme.name = definition.name
        theme.description = definition.description
        theme.keywords = json.dumps(sorted(definition.phrases))
        session.add(theme)
        existing[definition.slug] = theme
    session.flush()
    return {slug: theme.id for slug, theme in existing.items()}


def resolve_speaker(
    session: Session, found: SpeakerIn, named: list[Speaker] | None = None
) -> Speaker:
    """The archive's record for this person: one person, one speaker across articles.

    `named`: the speakers named exactly `found.name`, when the caller looked them up
    together with an article's other speakers.
    """
    key = speaker_key(found.name)
    # Speakers are flushed as they are made, so these look-ups see every one; flushing
    # the article's pending rows before each of them only split the batch's inserts.
    with session.no_autoflush:
        candidates = named
        if candidates is None:
            candidates = session.exec(select(Speaker).where(Speaker.name == found.name)).all()
        surname = surname_key(found.name)
        if not candidates and surname:
            # An indexed column: `name LIKE '% surname'` read every speaker, each time.
            candidates = session.exec(select(Speaker).where(Speaker.surname_key == surname)).all()
        matches = [
            speaker
            for speaker in candidates
            if speaker_key(speaker.name) == key
            or (" " not in found.name.strip() and same_person(speaker.name, found.name))
        ]
        if len(matches) == 1:
            speaker = matches[0]
        else:
            speaker = Speaker(
                slug=_unique_speaker_slug(session, found.name),
                name=found.name,
                surname_key=surname,
            )
    # The name as written here is another form too when it matched a different one.
    aliases = set(queries.speaker_aliases(speaker)) | {
        alias for alias in (*found.aliases, found.name) if alias != speaker.name
    }
    speaker.aliases = json.dumps(sorted(aliases))
    if found.role:
        speaker.role = found.role
    if found.affiliation:
        speaker.affiliation = found.affiliation
    session.add(speaker)
    if speaker.id is None:  # a new speaker: its id is needed for its quotes
        session.flush()
    return speaker


def _unique_speaker_slug(session: Session, name: str) -> str:
    base = slugify(name, keep_stopwords=True)
    slug, suffix = base, 2
    while queries.get_speaker_by_slug(session, slug=slug) is not None:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def save_article(
    session: Session,
    *,
    article_in: ArticleIn,
    attribution: Attribution,
    theme_matches: list[ThemeMatch],
    theme_ids: dict[str, int],
    extraction_error: str | None = None,
    digest: str,
    origin: str,
    existing: Article | None,
    now: datetime,
) -> Article:
    """Insert or update an article with its quotes and themes; the slug never changes."""
    article = existing or Article(
        slug=queries.unique_slug(
            session, queries.article_slug_base(article_in.title, article_in.published)
        ),
        ingested_at=now,
        origin=origin,
        content_hash=digest,
        title=article_in.title,
        body="",
    )
    article.title = article_in.title
    article.author = article_in.author
    article.publisher = article_in.publisher
    article.url = article_in.url
    article.published = article_in.published
    article.language = article_in.language
    article.body = stored_body(article_in)
    article.summary = article_in.summary
    article.word_count = sum(len(block.text.split()) for block in article_in.blocks)
    article.content_hash = digest
    article.source_format = article_in.source_format
    article.extraction_error = extraction_error
    article.updated_at = now
    session.add(article)
    session.flush()

    if existing is not None:
        session.exec(delete(Quote).where(Quote.article_id == article.id))
        session.exec(delete(ArticleTheme).where(ArticleTheme.article_id == article.id))
    _save_quotes(session, article.id, attribution)
    themes = [
        {
            "article_id": article.id,
            "theme_id": theme_ids[match.slug],
            "score": round(match.score, 4),
            "evidence": json.dumps(match.evidence, sort_keys=True),
        }
        for match in theme_matches
        if match.slug in theme_ids
    ]
    if themes:  # one multi-row statement, not an ORM object per row
        _insert_rows(session, ArticleTheme, themes)
    return article


def _save_quotes(session: Session, article_id: int, attribution: Attribution) -> None:
    # The article's known speakers in one look-up, not one per speaker.
    names = {found.name for found in attribution.speakers}
    named: dict[str, list[Speaker]] = {name: [] for name in names}
    if names:
        for speaker in session.exec(select(Speaker).where(Speaker.name.in_(names))):
            named[speaker.name].append(speaker)
    entries = []
    for found in attribution.speakers:
        speaker = resolve_speaker(session, found, named[found.name])
        for quote in found.quotes:
            entries.append((quote.paragraph, speaker.id, quote, None))
    for quote in attribution.unattributed:
        entries.append((quote.paragraph, None, quote, quote.source))
    entries.sort(key=lambda entry: entry[0])
    rows = [
        {
            "article_id": article_id,
            "speaker_id": speaker_id,
            "position": position,
            "paragraph": paragraph,
            "text": quote.text,
            "kind": quote.kind,
            "role": getattr(quote, "role", None),
            "affiliation": getattr(quote, "affiliation", None)
            or getattr(quote, "organisation", None),
            "source": source,
        }
        for position, (paragraph, speaker_id, quote, source) in enumerate(entries, start=1)
    ]
    if rows:
        _insert_rows(session, Quote, rows)


def _insert_rows(session: Session, model: type, rows: list[dict]) -> None:
    """One executemany on the session's connection (inside the article's savepoint).
    Through the session, an insert of dicts takes the ORM's bulk path, which flushes the
    session and maps every row first: its overhead was a third of the statements' time."""
    session.connection().execute(insert(model.__table__), rows)


def draft_index_document(article_in: ArticleIn, attribution: Attribution) -> IndexDocument:
    """The texts `index_documents` will give for this article once it is stored, as far
    as the article alone decides them, for an extraction worker to analyse early."""
    quotes = [quote for found in attribution.speakers for quote in found.quotes]
    quotes += attribution.unattributed
    return IndexDocument(
        article_id=0,
        title=article_in.title,
        body=queries.body_plain_text(stored_body(article_in)),
        speaker_names=[],
        speaker_slugs=[],
        theme_names=[],
        theme_slugs=[],
        publisher=article_in.publisher,
        source_slug=None,
        author=article_in.author,
        published=None,
        quotes=tuple(QuoteDocument(0, quote.text, quote.kind, [], None) for quote in quotes),
        language=article_in.language,
    )


def index_documents(session: Session, *, ids: list[int]) -> list[IndexDocument]:
    """What the search index needs for these articles and their quotes, in four queries.

    Plain columns, not ORM objects: a batch of 5,000 articles has some 45,000 quotes, and
    building an object for each (and its speaker) was a third of a batch's index time."""
    if not ids:
        return []
    names: dict[int, list[str]] = {}  # speaker id → name and aliases, parsed once

    def speaker_names(speaker_id: int, name: str, aliases: str | None) -> list[str]:
        if speaker_id not in names:
            names[speaker_id] = [name, *json.loads(aliases or "[]")]
        return names[speaker_id]

    speakers: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    statement = (
        select(Quote.article_id, Speaker.id, Speaker.slug, Speaker.name, Speaker.aliases)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .where(Quote.article_id.in_(ids))
        .distinct()
        .order_by(Quote.article_id, Speaker.id)
    )
    for article_id, speaker_id, slug, name, aliases in session.exec(statement):
        labels, slugs = speakers[article_id]
        if slug not in slugs:
            slugs.append(slug)
            labels.extend(speaker_names(speaker_id, name, aliases))
    themes: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    statement = (
        select(ArticleTheme.article_id, Theme.slug, Theme.name)
        .join(Theme, Theme.id == ArticleTheme.theme_id)
        .where(ArticleTheme.article_id.in_(ids))
        .order_by(ArticleTheme.article_id, ArticleTheme.theme_id)
    )
    for article_id, slug, name in session.exec(statement):
        themes[article_id][0].append(name)
        themes[article_id][1].append(slug)
    quotes: dict[int, list[QuoteDocument]] = defaultdict(list)
    statement = (
        select(
            Quote.article_id,
            Quote.id,
            Quote.text,
            Quote.kind,
            Quote.source,
            Speaker.id,
            Speaker.slug,
            Speaker.name,
            Speaker.aliases,
        )
        .join(Speaker, Speaker.id == Quote.speaker_id, isouter=True)
        .where(Quote.article_id.in_(ids))
        .order_by(Quote.article_id, Quote.position)
    )
    for article_id, quote_id, text, kind, source, speaker_id, slug, name, aliases in session.exec(
        statement
    ):
        if speaker_id is not None:
            found_by = list(speaker_names(speaker_id, name, aliases))
        else:  # unattributed quotes are found by their stated source
            found_by = [source] if source else []
        quotes[article_id].append(QuoteDocument(quote_id, text, kind, found_by, slug))
    statement = select(
        Article.id,
        Article.title,
        Article.body,
        Article.publisher,
        Article.author,
        Article.published,
        Article.language,
    ).where(Article.id.in_(ids))
    articles = {row[0]: row for row in session.exec(statement)}
    documents = []
    for article_id in ids:
        if article_id not in articles:
            continue
        _, title, body, publisher, author, published, language = articles[article_id]
        speaker_labels, speaker_slugs = speakers[article_id]
        theme_names, theme_slugs = themes[article_id]
        documents.append(
            IndexDocument(
                article_id=article_id,
                title=title,
                body=queries.body_plain_text(body),
                speaker_names=list(speaker_labels),
                speaker_slugs=list(speaker_slugs),
                theme_names=list(theme_names),
                theme_slugs=list(theme_slugs),
                publisher=publisher,
                source_slug=publisher_slug(publisher),
                author=author,
                published=published,
                quotes=tuple(quotes[article_id]),
                language=language,
            )
        )
    return documents
