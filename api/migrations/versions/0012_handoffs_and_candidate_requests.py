"""hand-offs between the two coordinators, and a Rekrypiste worker's candidate requests to a
candidate's company coordinator

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("from_user", sa.String(64), nullable=False),
        sa.Column("from_role", sa.String(32), nullable=False),
        sa.Column("to_role", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.Column("acknowledged_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_handoff_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff")),
    )
    op.create_index(op.f("ix_handoff_jobseeker_id"), "handoff", ["jobseeker_id"])
    op.create_table(
        "candidate_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("task_ids", sa.JSON(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(16), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(64), nullable=True),
        sa.Column("answered_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('yes', 'no', 'discuss')",
            name=op.f("ck_candidate_request_answer_known"),
        ),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_candidate_request_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_candidate_request_suggestion_id_suggestion"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_request")),
    )
    op.create_index(
        op.f("ix_candidate_request_jobseeker_id"), "candidate_request", ["jobseeker_id"]
    )
    op.create_index(
        op.f("ix_candidate_request_requested_by"), "candidate_request", ["requested_by"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_candidate_request_requested_by"), table_name="candidate_request")
    op.drop_index(op.f("ix_candidate_request_jobseeker_id"), table_name="candidate_request")
    op.drop_table("candidate_request")
    op.drop_index(op.f("ix_handoff_jobseeker_id"), table_name="handoff")
    op.drop_table("handoff")
