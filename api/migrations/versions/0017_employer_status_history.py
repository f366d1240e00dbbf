"""each change of an employer's status in the network, so that the funnel counts how far an
employer ever got

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employer_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("before", sa.String(16), nullable=False),
        sa.Column("after", sa.String(16), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employer.id"],
            name=op.f("fk_employer_status_change_employer_id_employer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_status_change")),
    )
    op.create_index(
        op.f("ix_employer_status_change_employer_id"), "employer_status_change", ["employer_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_employer_status_change_employer_id"), table_name="employer_status_change"
    )
    op.drop_table("employer_status_change")
