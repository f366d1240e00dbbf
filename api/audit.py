"""The audit trail: one append-only row per access or action, in the caller's transaction.

Written with a flush inside the same transaction as the action it records, so a failed audit
write fails the action, and an action that is rolled back leaves no audit row behind. Details
hold ids and versions, never names or health data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.storage.tables import AuditRow

__all__ = ["record"]


def record(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    purpose: str = "",
    ruleset_version: str | None = None,
    model_version: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditRow(
            actor=actor,
            role=role,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            purpose=purpose[:200],
            ruleset_version=ruleset_version,
            model_version=model_version,
            details=details or {},
        )
    )
    session.flush()
