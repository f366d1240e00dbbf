"""a mistaken step can be undone, and is kept: the table ``undone_step`` holds each undone
proposal step or episode event whole, with who undid it, when and why; ``episode_event``
names the proposal an outcome came from (so that it is undone there, with it)

A new table and one nullable column added in place: every stored row keeps its values. Episode
events recorded from a proposal before this revision have no ``proposal_id``: undone directly,
they are undone alone. The downgrade drops both; undone steps are then lost with the table.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undone_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("about_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.JSON(), nullable=False),
        sa.Column("undone_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("undone_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_undone_step_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undone_step")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_undone_step_jobseeker_id"), "undone_step", ["jobseeker_id"])
    op.add_column("episode_event", sa.Column("proposal_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite copies the table to drop a column: the copy keeps AUTOINCREMENT (migration 0020).
    with op.batch_alter_table(
        "episode_event", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("proposal_id")
    op.drop_index(op.f("ix_undone_step_jobseeker_id"), table_name="undone_step")
    op.drop_table("undone_step")
