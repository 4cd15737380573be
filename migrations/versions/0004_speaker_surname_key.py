"""speaker.surname_key: other forms of a name are looked up by index, not by a scan

Revision ID: 0004_speaker_surname_key
Revises: 0003_undated_slugs

A new name was compared with every stored speaker whose name ended with its last word,
found with `name LIKE '% word'`, which reads the whole speaker table each time (1.4 ms at
11,000 speakers, for half of the speakers of every article stored). The column holds the
last word of the name's key (`app.ingest.speakers.names.surname_key`), indexed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.ingest.speakers.names import surname_key

revision: str = "0004_speaker_surname_key"
down_revision: str | None = "0003_undated_slugs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "surname_key",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            )
        )
    connection = op.get_bind()
    speakers = connection.execute(sa.text("SELECT id, name FROM speaker")).all()
    keys = [{"id": speaker_id, "key": surname_key(name)} for speaker_id, name in speakers]
    if keys:
        connection.execute(sa.text("UPDATE speaker SET surname_key = :key WHERE id = :id"), keys)
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speaker_surname_key"), ["surname_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speaker_surname_key"))
        batch_op.drop_column("surname_key")
