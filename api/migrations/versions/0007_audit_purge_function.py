"""PostgreSQL: the audit purge as a function owned by the schema's owner (SECURITY DEFINER),
so an application role with only SELECT and INSERT on the audit tables can still purge — but
only rows older than the retention period by the database's own clock, and at least 30 days

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_UP = """
CREATE FUNCTION tasma_audit_purge(retention_days integer, purged_by text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    cutoff timestamp :=
        (now() AT TIME ZONE 'UTC') - make_interval(days => greatest(retention_days, 30));
    expired integer;
    purge_id integer;
BEGIN
    SELECT count(*) INTO expired FROM audit_event WHERE at < cutoff;
    INSERT INTO audit_purge (at, actor, before, removed)
        VALUES (now() AT TIME ZONE 'UTC', purged_by, cutoff, expired) RETURNING id INTO purge_id;
    DELETE FROM audit_event WHERE at < cutoff;
    INSERT INTO audit_event (at, actor, role, action, object_type, purpose, details)
        VALUES (now() AT TIME ZONE 'UTC', purged_by, 'admin', 'audit_purge', 'audit_event', '',
                json_build_object('before', cutoff, 'removed', expired, 'purge_id', purge_id));
    RETURN expired;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION tasma_audit_purge(integer, text)")
