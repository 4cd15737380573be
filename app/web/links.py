"""Absolute links on the public site (permalinks, feeds, citations, sitemap)."""

from __future__ import annotations

from app.config import Settings


def site_link(settings: Settings, path: str) -> str:
    """The public address of a path, from ARCHIVE_SITE_URL, not from the request's host."""
    return settings.site_url.rstrip("/") + "/" + path.lstrip("/")


def article_link(settings: Settings, slug: str, anchor: str = "") -> str:
    return site_link(settings, f"/articles/{slug}") + (f"#{anchor}" if anchor else "")
