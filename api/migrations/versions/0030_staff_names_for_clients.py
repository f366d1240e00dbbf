"""staff names for clients: a user's name as clients and employers read it, and their work
phone and e-mail — what the printed client plan says of the coordinators (their login names
are the service's own, not for paper)

Three columns on ``app_user``, added in place (``ADD COLUMN`` on both databases, no table
rebuilt), empty for every stored user: each fills in their own (*Omat tiedot*) or an
administrator does (``tasma users set-contact``). The downgrade drops them, and what was
filled in is lost with them — the upgrade harness says so for a downgrade, never an upgrade.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "app_user", sa.Column("display_name", sa.String(120), nullable=False, server_default="")
    )
    op.add_column(
        "app_user", sa.Column("work_phone", sa.String(40), nullable=False, server_default="")
    )
    op.add_column(
        "app_user", sa.Column("work_email", sa.String(254), nullable=False, server_default="")
    )


def downgrade() -> None:
    # SQLite copies the table to drop a column: the copy keeps AUTOINCREMENT (migration 0020).
    with op.batch_alter_table("app_user", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("work_email")
        batch.drop_column("work_phone")
        batch.drop_column("display_name")
