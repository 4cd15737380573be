"""Pick the extractor for a document by its media type."""

from app.ingest.document import ArticleIn, InputError, RawDocument

# Documents that decode as text but are not: stored as text they became "articles" of
# PDF syntax. Refused by signature until such formats are supported.
_UNSUPPORTED_SIGNATURES = {
    b"%PDF-": "a PDF document (not supported yet: convert it to text or HTML first)",
    b"PK\x03\x04": "a ZIP or office document (not supported: convert it to text first)",
    b"{\\rtf": "an RTF document (not supported: convert it to text first)",
}


def extract_article(raw: RawDocument) -> ArticleIn:
    head = raw.data[:1024].lstrip()
    for signature, reason in _UNSUPPORTED_SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(reason)
    if raw.media_type in ("text/html", "application/xhtml+xml"):
        from app.ingest.extract.html import extract_html_article

        return extract_html_article(raw)
    from app.ingest.extract.text import extract_text_article

    return extract_text_article(raw)
