"""an employer's needs, taken down during their call (what work, how many hours, from when,
how urgent, a vacancy, a seasonal one or tasks to hand over, whom to contact back and when,
and whose it is)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employer_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("work", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("contact_back", sa.String(120), nullable=True),
        sa.Column("next_contact", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employer.id"],
            name=op.f("fk_employer_need_employer_id_employer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_need")),
    )
    for column in ("employer_id", "owner", "next_contact"):
        op.create_index(op.f(f"ix_employer_need_{column}"), "employer_need", [column])


def downgrade() -> None:
    for column in ("next_contact", "owner", "employer_id"):
        op.drop_index(op.f(f"ix_employer_need_{column}"), table_name="employer_need")
    op.drop_table("employer_need")
