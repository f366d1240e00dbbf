"""Reading the audit log: an admin's question, itself audited (who looked, with which
filters — never the entries they saw)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from api.auth.schemas import AuditEntry, AuditPage
from api.core.context import Context
from api.storage.audit import record
from api.storage.tables import AuditRow

__all__ = ["AuditFilters", "read_log"]


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    object_id: str | None = None
    limit: int = 100
    offset: int = 0


def read_log(ctx: Context, filters: AuditFilters) -> AuditPage:
    query = select(AuditRow)
    if filters.actor:
        query = query.where(AuditRow.actor == filters.actor)
    if filters.action:
        query = query.where(AuditRow.action == filters.action)
    if filters.object_id:
        query = query.where(AuditRow.object_id == filters.object_id)
    count = ctx.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = ctx.session.scalars(
        query.order_by(AuditRow.id.desc()).limit(filters.limit).offset(filters.offset)
    ).all()
    data = [
        AuditEntry(
            id=r.id,
            at=r.at,
            actor=r.actor,
            role=r.role,
            action=r.action,
            object_type=r.object_type,
            object_id=r.object_id,
            purpose=r.purpose,
            ruleset_version=r.ruleset_version,
            details=r.details,
        )
        for r in rows
    ]
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_audit",
           object_type="audit", details={"filters": asdict(filters)})  # fmt: skip
    ctx.session.commit()
    return AuditPage(data=data, count=count)
