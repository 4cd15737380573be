"""Undated articles lose the ingest date their slugs claimed; the old slugs redirect

Revision ID: 0003_undated_slugs
Revises: 0002_extraction_error

A slug used to start with the ingest date when the article had none, as if published that
day (and BibTeX keys followed). Each such slug becomes its title part; the old one stays as
a redirect, so every permalink ever given still resolves.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_undated_slugs"
down_revision: str | None = "0002_extraction_error"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+)$")


def upgrade() -> None:
    connection = op.get_bind()
    taken = {row[0] for row in connection.execute(sa.text("SELECT slug FROM article"))}
    taken |= {row[0] for row in connection.execute(sa.text("SELECT old_slug FROM slugredirect"))}
    undated = connection.execute(
        sa.text("SELECT id, slug FROM article WHERE published IS NULL ORDER BY id")
    ).all()
    for article_id, slug in undated:
        match = _DATED.match(slug)
        if not match:
            continue
        base, suffix = match.group(1), 2
        new_slug = base
        while new_slug in taken:
            new_slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(new_slug)
        connection.execute(
            sa.text("UPDATE article SET slug = :new WHERE id = :id"),
            {"new": new_slug, "id": article_id},
        )
        connection.execute(
            sa.text("INSERT INTO slugredirect (old_slug, article_id) VALUES (:old, :id)"),
            {"old": slug, "id": article_id},
        )


def downgrade() -> None:
    """Nothing to undo: the new slugs stay valid and the old ones keep redirecting."""
