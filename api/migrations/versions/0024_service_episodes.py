"""service episodes: a client's enrolment (date, referral source, programme), status over time,
what happened to the person with or without a proposal, and the end with its continuation path

Every person already stored gets one episode, started on the day they were entered
(``jobseeker.created_at``), the referral source unknown, its status theirs (active, paused or
placed): nothing of their journey so far is lost, and every person has an episode. Both tables
are AUTOINCREMENT on SQLite (their ids are in the audit trail's details and the API's
answers, migration 0020). The downgrade drops the tables: ``jobseeker.status`` keeps any
``ended`` written meanwhile (a string column; the code before reads it as not active).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_STATUSES = ("active", "paused", "placed")


def upgrade() -> None:
    op.create_table(
        "service_episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("referral_source", sa.String(32), nullable=False),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("continuation_path", sa.String(32), nullable=True),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("created_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jobseeker_id"],
            ["jobseeker.id"],
            name=op.f("fk_service_episode_jobseeker_id_jobseeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_episode")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_service_episode_jobseeker_id"), "service_episode", ["jobseeker_id"])
    op.create_index(op.f("ix_service_episode_started_on"), "service_episode", ["started_on"])
    op.create_index(op.f("ix_service_episode_status"), "service_episode", ["status"])
    op.create_table(
        "episode_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("path", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["service_episode.id"],
            name=op.f("fk_episode_event_episode_id_service_episode"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_event")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_episode_event_episode_id"), "episode_event", ["episode_id"])
    _an_episode_for_everyone()


def _an_episode_for_everyone() -> None:
    bind = op.get_bind()
    people = sa.table(
        "jobseeker",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("created_at", api.storage.tables.UtcDateTime()),
    )
    episodes = sa.table(
        "service_episode",
        sa.column("jobseeker_id", sa.Integer()),
        sa.column("started_on", sa.Date()),
        sa.column("referral_source", sa.String()),
        sa.column("programme", sa.String()),
        sa.column("status", sa.String()),
        sa.column("started_by", sa.String()),
        sa.column("created_at", api.storage.tables.UtcDateTime()),
    )
    rows = bind.execute(sa.select(people.c.id, people.c.status, people.c.created_at)).all()
    batch = [
        {
            "jobseeker_id": person_id,
            "started_on": created_at.date(),
            "referral_source": "unknown",
            "programme": "",
            "status": status if status in _STATUSES else "active",
            "started_by": "migration 0024",
            "created_at": created_at,
        }
        for person_id, status, created_at in rows
    ]
    for start in range(0, len(batch), 5000):
        op.bulk_insert(episodes, batch[start : start + 5000])


def downgrade() -> None:
    op.drop_index(op.f("ix_episode_event_episode_id"), table_name="episode_event")
    op.drop_table("episode_event")
    op.drop_index(op.f("ix_service_episode_status"), table_name="service_episode")
    op.drop_index(op.f("ix_service_episode_started_on"), table_name="service_episode")
    op.drop_index(op.f("ix_service_episode_jobseeker_id"), table_name="service_episode")
    op.drop_table("service_episode")
