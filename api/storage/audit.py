"""The audit trail: one append-only row per access or action, in the caller's transaction.

Written with a flush inside the same transaction as the action it records, so a failed audit
write fails the action, and an action that is rolled back leaves no audit row behind. Details
hold ids and versions, never names or health data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from api.storage.engine import rows_affected
from api.storage.tables import AuditPurgeRow, AuditRow

__all__ = ["purge_expired", "record"]


MIN_RETENTION_DAYS = 30


def record(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    purpose: str | None = None,
    ruleset_version: str | None = None,
    model_version: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """One audit row; ``purpose``: why a person's data is read, one of
    :class:`api.core.purposes.Purpose` (a closed list)."""
    session.add(
        AuditRow(
            actor=actor,
            role=role,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            purpose=str(purpose) if purpose else "",
            ruleset_version=ruleset_version,
            model_version=model_version,
            details=details or {},
        )
    )
    session.flush()


def purge_expired(session: Session, *, retention_days: int, actor: str) -> int:
    """Delete audit rows older than the retention period, in the caller's transaction; how
    many went.

    The cut-off is recorded first (the append-only triggers let a row go only once a purge
    record covers it, and refuse a record less than 30 days old by the database's clock),
    then the rows go, then the purge itself is audited. On PostgreSQL all of it is one
    function owned by the schema's owner, so the application's role needs no DELETE right on
    the audit tables at all.
    """
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"audit retention must be at least {MIN_RETENTION_DAYS} days")
    if session.get_bind().dialect.name == "postgresql":
        # The function keeps rows at least as long as the owner set (audit_settings) and
        # records the database login as the purger: the caller can ask to keep more, never
        # to delete more, and cannot name someone else.
        removed = session.scalar(text("SELECT tasma_audit_purge(:days)"), {"days": retention_days})
        return int(removed or 0)
    now = datetime.now(UTC)
    before = now - timedelta(days=retention_days)
    expired = AuditRow.at < before
    count = session.scalar(select(func.count()).select_from(AuditRow).where(expired)) or 0
    purge = AuditPurgeRow(at=now, actor=actor, before=before, removed=count)
    session.add(purge)
    session.flush()
    removed = rows_affected(session.execute(delete(AuditRow).where(expired)))
    record(
        session,
        actor=actor,
        role="admin",
        action="audit_purge",
        object_type="audit_event",
        details={"before": before.isoformat(), "removed": removed, "purge_id": purge.id},
    )
    return removed
