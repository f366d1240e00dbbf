"""audit retention: rows older than a recorded purge cut-off may be deleted, nothing else;
a random instance id beside the data version (names match-index snapshots of this database)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import uuid

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_UP = (
    "DROP TRIGGER audit_event_no_delete",
    # A row may go only once a purge has recorded a cut-off after it.
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "WHEN OLD.at >= (SELECT COALESCE(MAX(before), '') FROM audit_purge) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_purge_no_update BEFORE UPDATE ON audit_purge "
    "BEGIN SELECT RAISE(ABORT, 'the purge record is append-only'); END",
    "CREATE TRIGGER audit_purge_no_delete BEFORE DELETE ON audit_purge "
    "BEGIN SELECT RAISE(ABORT, 'the purge record is append-only'); END",
)
_SQLITE_DOWN = (
    "DROP TRIGGER audit_purge_no_update",
    "DROP TRIGGER audit_purge_no_delete",
    "DROP TRIGGER audit_event_no_delete",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)
_PG_UP = (
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN "
    "IF TG_OP = 'DELETE' AND OLD.at < (SELECT max(before) FROM audit_purge) THEN "
    "RETURN OLD; END IF; "
    "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE FUNCTION audit_purge_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the purge record is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_purge_append_only BEFORE UPDATE OR DELETE ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_append_only()",
)
_PG_DOWN = (
    "DROP TRIGGER audit_purge_append_only ON audit_purge",
    "DROP FUNCTION audit_purge_append_only()",
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql",
)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "audit_purge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("before", api.storage.tables.UtcDateTime(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_purge")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    _run(_PG_UP if postgres else _SQLITE_UP)
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.add_column(sa.Column("instance", sa.String(length=32), nullable=True))
    op.execute(
        sa.text("UPDATE data_version SET instance = :instance").bindparams(
            instance=uuid.uuid4().hex
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.drop_column("instance")
    postgres = op.get_bind().dialect.name == "postgresql"
    _run(_PG_DOWN if postgres else _SQLITE_DOWN)
    op.drop_table("audit_purge")
