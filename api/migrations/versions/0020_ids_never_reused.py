"""ids are never given again on SQLite: AUTOINCREMENT on every table whose ids the audit trail,
exports, stored runs or addresses refer to (without it SQLite hands the highest id, once its row
is deleted, to the next row: a new person inherited an erased person's audit trail)

Each table is copied with AUTOINCREMENT and its counter starts past the highest id it holds or
that the audit trail has named, so an erased person's id is not given to the next one either.
PostgreSQL's sequences never give an id twice: nothing changes there.

A later migration that copies one of these tables (``batch_alter_table`` with a change SQLite
cannot make in place) must pass ``table_kwargs={"sqlite_autoincrement": True}``, or the copy
loses AUTOINCREMENT; ``tests/test_migrations.py`` checks the schema at head.

The audit trail's own tables keep plain ids: copying them would drop their append-only
triggers, nothing refers to their ids, and rows leave them only by the oldest-first purge.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TABLES = (
    "app_user",
    "api_token",
    "employer",
    "crm_note",
    "employer_need",
    "employer_status_change",
    "role",
    "task",
    "task_history",
    "jobseeker",
    "jobseeker_history",
    "handoff",
    "suggestion",
    "override",
    "candidate_request",
    "proposal",
    "outcome_event",
    "follow_up_visit",
    "support_application",
)
# The audit trail names these tables' rows by id under these object types.
_AUDITED = {
    "app_user": "user",
    "employer": "employer",
    "jobseeker": "jobseeker",
    "suggestion": "suggestion",
    "candidate_request": "candidate_request",
    "proposal": "proposal",
}


def _copy(autoincrement: bool) -> None:
    for name in TABLES:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ) as batch:
            # no column changes: the copy itself is the change (the table's AUTOINCREMENT)
            del batch


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    _copy(autoincrement=True)
    for name in TABLES:
        highest = bind.scalar(sa.text(f"SELECT MAX(id) FROM {name}")) or 0
        kind = _AUDITED.get(name)
        if kind:
            named = bind.scalar(
                sa.text(
                    "SELECT MAX(CAST(object_id AS INTEGER)) FROM audit_event "
                    "WHERE object_type = :kind AND object_id GLOB '[0-9]*' "
                    "AND object_id NOT GLOB '*[^0-9]*'"
                ),
                {"kind": kind},
            )
            highest = max(highest, named or 0)
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": name})
        if highest:
            bind.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                {"name": name, "seq": highest},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _copy(autoincrement=False)
