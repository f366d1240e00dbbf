"""versions of people and tasks (valid from, valid to), so that the offline evaluation replays
each proposal on the world as it was; one open version for every existing row, valid since
history began

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables
from api.storage.history import HISTORY_BEGINS, write_versions
from api.storage.loading import MATCH_TABLES, read_tables

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _times() -> list[sa.Column[object]]:
    return [
        sa.Column("valid_from", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("valid_to", api.storage.tables.UtcDateTime(), nullable=True),
        sa.Column("row", sa.JSON(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "jobseeker_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        *_times(),
        sa.Column("capacity", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_jobseeker_history_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobseeker_history")),
    )
    op.create_table(
        "task_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        *_times(),
        sa.Column("role", sa.JSON(), nullable=False),
        sa.Column("demand", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_history")),
    )
    for table, key in (("jobseeker_history", "jobseeker_id"), ("task_history", "task_id")):
        for column in (key, "valid_from", "valid_to"):
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    # What exists now is the best knowledge of every earlier day.
    conn = op.get_bind()
    write_versions(conn, read_tables(conn, MATCH_TABLES), since=HISTORY_BEGINS)


def downgrade() -> None:
    for table, key in (("jobseeker_history", "jobseeker_id"), ("task_history", "task_id")):
        for column in (key, "valid_from", "valid_to"):
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_table("task_history")
    op.drop_table("jobseeker_history")
