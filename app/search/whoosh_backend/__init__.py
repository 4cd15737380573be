"""The embedded search backend: a Whoosh index in local folders (`archive_index`), with
the pieces that make it fast at 100,000 articles."""
