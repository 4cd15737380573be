"""Prototypes of changes to the Whoosh index (app/search/whoosh_backend/archive_index.py),
measured against the original in the same run."""
