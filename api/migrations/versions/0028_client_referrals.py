"""client referrals: a client referred onwards (a health check, an occupational physician, a
psychologist, social services, health or mental health services, rehabilitation, other),
dated when it was made, the day its answer is awaited by, the characteristics the awaited
statement will assess, and — once — its answer or cancellation with its date

A new table only: nothing stored before is changed. AUTOINCREMENT on SQLite (its ids are in
the audit trail's details and the API's addresses, migration 0020). The downgrade drops it.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assesses", sa.JSON(), nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.Column("closed_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_client_referral_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_referral")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_client_referral_jobseeker_id"), "client_referral", ["jobseeker_id"])
    op.create_index(op.f("ix_client_referral_due_on"), "client_referral", ["due_on"])


def downgrade() -> None:
    op.drop_index(op.f("ix_client_referral_due_on"), table_name="client_referral")
    op.drop_index(op.f("ix_client_referral_jobseeker_id"), table_name="client_referral")
    op.drop_table("client_referral")
