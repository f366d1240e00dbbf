"""open vacancies: a role the employer is hiring for as it is, matched as a whole

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("role") as batch:
        batch.add_column(
            sa.Column("open_vacancy", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("vacancy_hours", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("role") as batch:
        batch.drop_column("vacancy_hours")
        batch.drop_column("open_vacancy")
