"""a proposal's note and its withdrawal: the proposer's note written when confirming it, and
who withdrew a proposal made in error or no longer wanted, when and why

Four columns on ``proposal``, added in place (``ADD COLUMN`` on both databases, no table
rebuilt): every stored proposal keeps its values, with an empty note and not withdrawn. The
downgrade drops them; notes and withdrawals are then lost with them (a withdrawn proposal reads
as one that stands).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("proposal", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "proposal", sa.Column("withdrawn_at", api.storage.tables.UtcDateTime(), nullable=True)
    )
    op.add_column("proposal", sa.Column("withdrawn_by", sa.String(64), nullable=True))
    op.add_column("proposal", sa.Column("withdraw_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite copies the table to drop a column: the copy keeps AUTOINCREMENT (migration 0020).
    with op.batch_alter_table("proposal", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("withdraw_reason")
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
        batch.drop_column("note")
