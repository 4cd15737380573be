"""From a document to an article: the extractor for its media type (`article`), HTML and
plain-text readers, cleaning, dates, language, and the limits an article must meet."""
