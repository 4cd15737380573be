"""Prototypes of changes to app/search.py, measured against the original in the same run."""
