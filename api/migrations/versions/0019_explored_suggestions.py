"""a suggestion list says whether the rule set's exploration drew its first task, so that the
off-policy estimates read those lists alone

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion") as batch:
        batch.add_column(
            sa.Column("explored", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_index(op.f("ix_suggestion_explored"), ["explored"])


def downgrade() -> None:
    with op.batch_alter_table("suggestion") as batch:
        batch.drop_index(op.f("ix_suggestion_explored"))
        batch.drop_column("explored")
