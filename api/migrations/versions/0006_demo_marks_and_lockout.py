"""a database built by ``tasma demo`` is marked as a demo, and so are its demo users; log-in
failures and lock-outs per user; a purge record can only cover rows older than 30 days by the
database's own clock, and the audit log cannot be truncated

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import api.storage.tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The application's own clock cannot be trusted to date a purge: the database's is used, and a
# purge record may only cover what is at least 30 days old by it (the shortest retention).
_SQLITE_UP = (
    "CREATE TRIGGER audit_purge_not_recent BEFORE INSERT ON audit_purge "
    "WHEN NEW.before > strftime('%Y-%m-%d %H:%M:%f', 'now', '-30 days') "
    "OR NEW.at > strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 minute') "
    "BEGIN SELECT RAISE(ABORT, 'a purge may only cover rows older than 30 days'); END",
)
_SQLITE_DOWN = ("DROP TRIGGER audit_purge_not_recent",)
_PG_UP = (
    "CREATE FUNCTION audit_purge_not_recent() RETURNS trigger AS $$ "
    "BEGIN "
    "IF NEW.before > (now() AT TIME ZONE 'UTC') - interval '30 days' "
    "OR NEW.at > (now() AT TIME ZONE 'UTC') + interval '1 minute' THEN "
    "RAISE EXCEPTION 'a purge may only cover rows older than 30 days'; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_purge_not_recent BEFORE INSERT ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_not_recent()",
    "CREATE FUNCTION audit_no_truncate() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate()",
    "CREATE TRIGGER audit_purge_no_truncate BEFORE TRUNCATE ON audit_purge "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate()",
)
_PG_DOWN = (
    "DROP TRIGGER audit_purge_no_truncate ON audit_purge",
    "DROP TRIGGER audit_event_no_truncate ON audit_event",
    "DROP FUNCTION audit_no_truncate()",
    "DROP TRIGGER audit_purge_not_recent ON audit_purge",
    "DROP FUNCTION audit_purge_not_recent()",
)


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: copying app_user would cascade-delete its tokens,
    # copying audit_event would drop its append-only triggers.
    op.add_column(
        "data_version", sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "app_user", sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "app_user",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "app_user", sa.Column("locked_until", api.storage.tables.UtcDateTime(), nullable=True)
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:  # SQLite does not enforce a VARCHAR's length
        op.alter_column(
            "audit_event",
            "object_id",
            existing_type=sa.String(length=64),
            type_=sa.String(length=255),
        )
    for statement in _PG_UP if postgres else _SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_DOWN if postgres else _SQLITE_DOWN:
        op.execute(statement)
    if postgres:
        op.alter_column(
            "audit_event",
            "object_id",
            existing_type=sa.String(length=255),
            type_=sa.String(length=64),
        )
    for table, column in (
        ("app_user", "locked_until"),
        ("app_user", "failed_logins"),
        ("app_user", "demo"),
        ("data_version", "demo"),
    ):
        op.drop_column(table, column)
