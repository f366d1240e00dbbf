"""log-ins throttled per user name and client address, not locked per name: a table of failed
attempts keyed by a keyed hash of the name and address (and of the address alone)

Before, five wrong passwords locked a user name for 15 minutes, whoever typed them: anyone could
lock anyone out, and a locked name answered at once while an unknown one answered after the hash
check, so names could be told apart. ``app_user.failed_logins`` and ``locked_until`` stay (no
upgrade drops data) but are no longer read. The downgrade drops the new table: its rows are
counters that expire within the hour.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", api.storage.tables.UtcDateTime(), nullable=True),
        sa.Column("blocked_until", api.storage.tables.UtcDateTime(), nullable=True),
        sa.Column("last_success_at", api.storage.tables.UtcDateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_attempt")
