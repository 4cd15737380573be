"""Pick the extractor for a document by its media type."""

from app.ingest.document import ArticleIn, RawDocument


def extract_article(raw: RawDocument) -> ArticleIn:
    if raw.media_type in ("text/html", "application/xhtml+xml"):
        from app.ingest.html import extract_html_article

        return extract_html_article(raw)
    from app.ingest.text import extract_text_article

    return extract_text_article(raw)
