"""after the hire: the follow-up plan (contract, its end, the job coach's fading support), the
follow-up visits and the support applications

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _proposal_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["proposal_id"],
        ["proposal.id"],
        name=op.f(f"fk_{table}_proposal_id_proposal"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "follow_up_plan",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("contract_type", sa.String(24), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("coach_hours", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", api.storage.tables.UtcDateTime(), nullable=False),
        _proposal_fk("follow_up_plan"),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_follow_up_plan")),
    )
    op.create_index(op.f("ix_follow_up_plan_contract_end"), "follow_up_plan", ["contract_end"])
    op.create_table(
        "follow_up_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("with_whom", sa.String(16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        _proposal_fk("follow_up_visit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_visit")),
    )
    op.create_index(op.f("ix_follow_up_visit_proposal_id"), "follow_up_visit", ["proposal_id"])
    op.create_index(op.f("ix_follow_up_visit_planned_on"), "follow_up_visit", ["planned_on"])
    op.create_table(
        "support_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("support", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", api.storage.tables.UtcDateTime(), nullable=False),
        _proposal_fk("support_application"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_application")),
    )
    op.create_index(
        op.f("ix_support_application_proposal_id"), "support_application", ["proposal_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_support_application_proposal_id"), table_name="support_application")
    op.drop_table("support_application")
    op.drop_index(op.f("ix_follow_up_visit_planned_on"), table_name="follow_up_visit")
    op.drop_index(op.f("ix_follow_up_visit_proposal_id"), table_name="follow_up_visit")
    op.drop_table("follow_up_visit")
    op.drop_index(op.f("ix_follow_up_plan_contract_end"), table_name="follow_up_plan")
    op.drop_table("follow_up_plan")
