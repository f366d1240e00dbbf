"""a proposal records the suggestion list it was taken from and the position there (null:
made outside any list), so that evaluation can know what was shown

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.add_column(sa.Column("suggestion_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("suggestion_position", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_proposal_suggestion_id_suggestion"),
            "suggestion",
            ["suggestion_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_check_constraint(
            op.f("ck_proposal_position_with_its_list"),
            "suggestion_position IS NULL OR (suggestion_id IS NOT NULL AND "
            "suggestion_position >= 1)",
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.drop_constraint(op.f("ck_proposal_position_with_its_list"), type_="check")
        batch.drop_constraint(op.f("fk_proposal_suggestion_id_suggestion"), type_="foreignkey")
        batch.drop_column("suggestion_position")
        batch.drop_column("suggestion_id")
