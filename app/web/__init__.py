"""The read-only web face of the archive: HTML pages, JSON API and feeds."""
