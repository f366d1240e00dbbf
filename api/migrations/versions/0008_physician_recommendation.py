"""a physician's statement on a capacity is a restriction (hard_limit) or a recommendation
(recommended), never both, and only a physician's

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capacity") as batch:
        batch.add_column(
            sa.Column("recommended", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_check_constraint(
            op.f("ck_capacity_recommended_physician"), "NOT recommended OR source = 'physician'"
        )
        batch.create_check_constraint(
            op.f("ck_capacity_restriction_or_recommendation"), "NOT (recommended AND hard_limit)"
        )


def downgrade() -> None:
    with op.batch_alter_table("capacity") as batch:
        batch.drop_constraint(op.f("ck_capacity_restriction_or_recommendation"), type_="check")
        batch.drop_constraint(op.f("ck_capacity_recommended_physician"), type_="check")
        batch.drop_column("recommended")
