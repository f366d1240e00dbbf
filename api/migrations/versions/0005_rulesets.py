"""rule sets as versioned data; the active one beside the data version

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ruleset",
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"], ["ruleset.version"], name=op.f("fk_ruleset_parent_ruleset")
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_ruleset")),
    )
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.add_column(sa.Column("active_ruleset", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.drop_column("active_ruleset")
    op.drop_table("ruleset")
