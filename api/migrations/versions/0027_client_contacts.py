"""client contacts: each meeting, call, video call or message with a client (or an attempt that
did not happen), dated when it happened, with the next step agreed in it and, on a later
contact, the earlier step it found done

A new table only: nothing stored before is changed. AUTOINCREMENT on SQLite (its ids are in
the audit trail's details and the API's answers, migration 0020). The downgrade drops it.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_step", sa.String(200), nullable=True),
        sa.Column("next_step_due", sa.Date(), nullable=True),
        sa.Column("closes_step_of", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_client_contact_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["closes_step_of"],
            ["client_contact.id"],
            name=op.f("fk_client_contact_closes_step_of_client_contact"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_contact")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_client_contact_jobseeker_id"), "client_contact", ["jobseeker_id"])
    op.create_index(op.f("ix_client_contact_happened_on"), "client_contact", ["happened_on"])
    op.create_index(op.f("ix_client_contact_closes_step_of"), "client_contact", ["closes_step_of"])


def downgrade() -> None:
    op.drop_index(op.f("ix_client_contact_closes_step_of"), table_name="client_contact")
    op.drop_index(op.f("ix_client_contact_happened_on"), table_name="client_contact")
    op.drop_index(op.f("ix_client_contact_jobseeker_id"), table_name="client_contact")
    op.drop_table("client_contact")
