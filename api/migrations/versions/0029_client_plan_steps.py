"""client plan steps: a step of the client plan (asiakassuunnitelma) agreed with the client —
what is to be done, who does it (the client, the company coordinator, the work-ability
coordinator, or someone else named in words), by when, the day it was agreed — and, once,
its end: done with the day it was done, or dropped with the reason

A new table only: nothing stored before is changed. AUTOINCREMENT on SQLite (its ids are in
the audit trail's details and the API's addresses, migration 0020). The downgrade drops it.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_plan_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(300), nullable=False),
        sa.Column("who", sa.String(32), nullable=False),
        sa.Column("who_else", sa.String(120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("agreed_by", sa.String(64), nullable=False),
        sa.Column("agreed_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.Column("closed_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_client_plan_step_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_plan_step")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_client_plan_step_jobseeker_id"), "client_plan_step", ["jobseeker_id"])
    op.create_index(op.f("ix_client_plan_step_due_on"), "client_plan_step", ["due_on"])


def downgrade() -> None:
    op.drop_index(op.f("ix_client_plan_step_due_on"), table_name="client_plan_step")
    op.drop_index(op.f("ix_client_plan_step_jobseeker_id"), table_name="client_plan_step")
    op.drop_table("client_plan_step")
