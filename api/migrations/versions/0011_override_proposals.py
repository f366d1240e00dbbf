"""human override both ways: a proposal the rules exclude, recorded with what the engine said
and the coordinator's reason

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.add_column(
            sa.Column("against_engine", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("engine_said", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("override_reason", sa.Text(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_proposal_override_has_a_reason"),
            "NOT against_engine OR override_reason IS NOT NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.drop_constraint(op.f("ck_proposal_override_has_a_reason"), type_="check")
        batch.drop_column("override_reason")
        batch.drop_column("engine_said")
        batch.drop_column("against_engine")
