"""comparison runs: an analyst's comparison of two rule sets, run in the background and kept

A new table, ``comparison_run``: who asked for which two versions, when it started and
finished, its progress and its report (aggregates only). Nothing stored before is touched.
The downgrade drops the table, and the kept reports with it (each can be run again).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = api.storage.tables.UtcDateTime
    op.create_table(
        "comparison_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ruleset_a", sa.String(64), nullable=False),
        sa.Column("ruleset_b", sa.String(64), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", when(), nullable=False),
        sa.Column("started_at", when(), nullable=True),
        sa.Column("finished_at", when(), nullable=True),
        sa.Column("heartbeat_at", when(), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(80), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("history_mark", sa.String(200), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("failure", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["ruleset_a"], ["ruleset.version"], name=op.f("fk_comparison_run_ruleset_a_ruleset")
        ),
        sa.ForeignKeyConstraint(
            ["ruleset_b"], ["ruleset.version"], name=op.f("fk_comparison_run_ruleset_b_ruleset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison_run")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("comparison_run")
