"""programme events: each event of the programme (a recruitment event, job-search help, an info
session, a wellbeing event, an employer event or seminar), dated the day it was held, in an
area, organised alone or in cooperation, with who came as counts only; and the network's
employers who took part

Two new tables only: nothing stored before is changed. AUTOINCREMENT on SQLite for the events
(their ids are in the audit trail's details and the API's answers, migration 0020). The
downgrade drops them.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("area", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("in_cooperation", sa.Boolean(), nullable=False),
        sa.Column("partner", sa.String(200), nullable=True),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("employers", sa.Integer(), nullable=False),
        sa.Column("others", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("withdrawn_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(64), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "clients >= 0 AND employers >= 0 AND others >= 0",
            name=op.f("ck_programme_event_counts_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_event")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_programme_event_held_on"), "programme_event", ["held_on"])
    op.create_index(op.f("ix_programme_event_area"), "programme_event", ["area"])
    op.create_table(
        "programme_event_employer",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["programme_event.id"],
            name=op.f("fk_programme_event_employer_event_id_programme_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employer.id"],
            name=op.f("fk_programme_event_employer_employer_id_employer"),
        ),
        sa.PrimaryKeyConstraint(
            "event_id", "employer_id", name=op.f("pk_programme_event_employer")
        ),
    )
    op.create_index(
        op.f("ix_programme_event_employer_employer_id"), "programme_event_employer", ["employer_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_programme_event_employer_employer_id"), table_name="programme_event_employer"
    )
    op.drop_table("programme_event_employer")
    op.drop_index(op.f("ix_programme_event_area"), table_name="programme_event")
    op.drop_index(op.f("ix_programme_event_held_on"), table_name="programme_event")
    op.drop_table("programme_event")
