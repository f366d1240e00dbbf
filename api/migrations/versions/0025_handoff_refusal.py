"""a hand-off can be refused, with the reason: who refused it, when, and why

Three nullable columns on ``handoff``, added in place (``ADD COLUMN`` on both databases, no
table rebuilt): every stored hand-off keeps its rows and means what it meant (not refused).
The downgrade drops the columns; a refused hand-off then reads as one still open, and the
reason is lost with them — the upgrade harness says so for a downgrade, never for an upgrade.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("handoff", sa.Column("refused_by", sa.String(64), nullable=True))
    op.add_column(
        "handoff", sa.Column("refused_at", api.storage.tables.UtcDateTime(), nullable=True)
    )
    op.add_column("handoff", sa.Column("refusal_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite copies the table to drop a column: the copy keeps AUTOINCREMENT (migration 0020).
    with op.batch_alter_table("handoff", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("refusal_reason")
        batch.drop_column("refused_at")
        batch.drop_column("refused_by")
