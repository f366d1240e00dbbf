"""PostgreSQL: the application role can no longer shorten the audit trail's retention, name
the purger, capture the purge record with a temporary table, or backdate an audit row

- the retention lives in ``audit_settings``, which only the schema's owner may write (``tasma
  migrate`` sets it from ``TASMA_AUDIT_RETENTION_DAYS``); the purge function keeps rows at
  least that long whatever its caller asks (a caller may only ask to keep them longer);
- the purger is the database login (``session_user``), never an argument;
- every object the function names is schema-qualified and its search_path ends in pg_temp, so
  a temporary table named ``audit_purge`` shadows nothing;
- an audit row inserted by anyone but the owner is dated by the database's clock;
- the append-only triggers' functions resolve their tables in public before pg_temp.

SQLite has no roles: the table exists there too (the schema is one), unused.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

DEFAULT_RETENTION_DAYS = 3650

_PG_UP = (
    "DROP FUNCTION tasma_audit_purge(integer, text)",
    """
CREATE FUNCTION public.tasma_audit_purge(retention_days integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    configured integer := (SELECT value FROM public.audit_settings WHERE name = 'retention_days');
    kept integer := greatest(retention_days, coalesce(configured, 3650), 30);
    cutoff timestamp := (now() AT TIME ZONE 'UTC') - make_interval(days => kept);
    purger text := session_user;
    expired integer;
    purge_id integer;
BEGIN
    SELECT count(*) INTO expired FROM public.audit_event WHERE at < cutoff;
    INSERT INTO public.audit_purge (at, actor, before, removed)
        VALUES (now() AT TIME ZONE 'UTC', purger, cutoff, expired) RETURNING id INTO purge_id;
    DELETE FROM public.audit_event WHERE at < cutoff;
    INSERT INTO public.audit_event (at, actor, role, action, object_type, purpose, details)
        VALUES (now() AT TIME ZONE 'UTC', purger, 'admin', 'audit_purge', 'audit_event', '',
                json_build_object('before', cutoff, 'removed', expired, 'purge_id', purge_id,
                                  'kept_days', kept));
    RETURN expired;
END $$
""",
    """
CREATE FUNCTION public.audit_event_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF current_user <> (SELECT tableowner FROM pg_catalog.pg_tables
                        WHERE schemaname = 'public' AND tablename = 'audit_event') THEN
        NEW.at := now() AT TIME ZONE 'UTC';
    END IF;
    RETURN NEW;
END $$
""",
    "CREATE TRIGGER audit_event_stamp BEFORE INSERT ON public.audit_event "
    "FOR EACH ROW EXECUTE FUNCTION public.audit_event_stamp()",
    # The append-only triggers' functions name audit_purge unqualified: with the caller's
    # search_path a temporary table of that name would answer for it.
    *(
        f"ALTER FUNCTION public.{name}() SET search_path = public, pg_temp"
        for name in (
            "audit_event_append_only",
            "audit_purge_append_only",
            "audit_purge_not_recent",
            "audit_no_truncate",
        )
    ),
)
_PG_DOWN = (
    *(
        f"ALTER FUNCTION public.{name}() RESET search_path"
        for name in (
            "audit_event_append_only",
            "audit_purge_append_only",
            "audit_purge_not_recent",
            "audit_no_truncate",
        )
    ),
    "DROP TRIGGER audit_event_stamp ON public.audit_event",
    "DROP FUNCTION public.audit_event_stamp()",
    "DROP FUNCTION public.tasma_audit_purge(integer)",
    # 0007's function, as it was
    """
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
""",
)


def upgrade() -> None:
    table = op.create_table(
        "audit_settings",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_audit_settings")),
    )
    op.bulk_insert(table, [{"name": "retention_days", "value": DEFAULT_RETENTION_DAYS}])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_DOWN:
            op.execute(statement)
    op.drop_table("audit_settings")
