"""The employer network around the call: needs taken down during a call (what, how many
hours, from when, how urgent, whom to contact back and when, whose), the employer's status in
the network, and the analysts' funnel (contacted → interested → cooperating → hired through
us). Audited; the funnel is aggregates only."""

from __future__ import annotations

from sqlalchemy import func, select

from api.core.context import Context
from api.employers.schemas import Funnel, NeedCreate, NeedPublic
from api.storage.audit import record
from api.storage.tables import (
    EmployerNeedRow,
    EmployerRow,
    EmployerStatusChangeRow,
    OutcomeEventRow,
    ProposalTaskRow,
    RoleRow,
    TaskRow,
)
from features.errors import NotFoundError
from features.schemas.employer import NetworkStatus
from features.schemas.proposal import OutcomeKind

__all__ = [
    "FUNNEL",
    "HIRED_THROUGH_US",
    "funnel",
    "funnel_stages",
    "list_needs",
    "record_need",
    "set_need_status",
    "set_status",
]

FUNNEL: dict[str, frozenset[NetworkStatus]] = {  # a stage reached by holding any of these
    "contacted": frozenset({NetworkStatus.CONTACTED, NetworkStatus.INTERESTED,
                            NetworkStatus.PARTNER, NetworkStatus.PAUSED}),
    "interested": frozenset({NetworkStatus.INTERESTED, NetworkStatus.PARTNER,
                             NetworkStatus.PAUSED}),
    "cooperating": frozenset({NetworkStatus.PARTNER, NetworkStatus.PAUSED}),
}  # fmt: skip
"""Which statuses mean an employer got at least as far as each stage (a paused partner was
one); an employer counts if it holds or ever held one (its status history)."""


HIRED_THROUGH_US = "hired_through_us"
"""The last stage: a person was hired into one of the employer's tasks through us."""


def funnel_stages(held: list[set[str]]) -> tuple[dict[str, int], dict[str, int]]:
    """How many employers reached at least each stage, given the statuses each held (and
    :data:`HIRED_THROUGH_US` for one that hired): monotone by definition, for an employer
    that reached a stage reached every stage before it. Beside it, how many of each stage's
    count got there only by a later stage — their status was never recorded at it (an
    employer that hired while still marked "contacted")."""
    order = [*FUNNEL, HIRED_THROUGH_US]
    reaches = {**{stage: {s.value for s in statuses} for stage, statuses in FUNNEL.items()},
               HIRED_THROUGH_US: {HIRED_THROUGH_US}}  # fmt: skip
    stages = dict.fromkeys(order, 0)
    implied = dict.fromkeys(order, 0)
    for statuses_held in held:
        reached = [i for i, stage in enumerate(order) if statuses_held & reaches[stage]]
        if not reached:
            continue
        furthest = max(reached)
        for i in range(furthest + 1):
            stages[order[i]] += 1
            if i not in reached:
                implied[order[i]] += 1
    return stages, implied


def _employer(ctx: Context, employer_id: int) -> EmployerRow:
    row = ctx.session.get(EmployerRow, employer_id)
    if row is None:
        raise NotFoundError(f"no employer with id {employer_id}")
    return row


def _public(row: EmployerNeedRow) -> NeedPublic:
    return NeedPublic(
        id=row.id, employer_id=row.employer_id, recorded_at=row.recorded_at,
        recorded_by=row.recorded_by, owner=row.owner, status=row.status, work=row.work,
        kind=row.kind, hours_per_week=row.hours_per_week, start=row.start, urgency=row.urgency,
        contact_back=row.contact_back, next_contact=row.next_contact,
    )  # fmt: skip


def record_need(ctx: Context, employer_id: int, body: NeedCreate) -> int:
    """Take down a need during the call; a contacted-at-most employer becomes interested."""
    employer = _employer(ctx, employer_id)
    row = EmployerNeedRow(
        employer_id=employer_id,
        recorded_at=ctx.now,
        recorded_by=ctx.actor.name,
        owner=body.owner or ctx.actor.name,
        work=body.work,
        kind=body.kind.value,
        hours_per_week=body.hours_per_week,
        start=body.start,
        urgency=body.urgency.value,
        contact_back=body.contact_back,
        next_contact=body.next_contact,
        status="open",
    )
    ctx.session.add(row)
    if employer.network_status in (NetworkStatus.PROSPECT.value, NetworkStatus.CONTACTED.value):
        _change_status(ctx, employer, NetworkStatus.INTERESTED)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="record_need",
           object_type="employer", object_id=employer_id,
           details={"need_id": row.id, "kind": row.kind, "urgency": row.urgency})  # fmt: skip
    ctx.session.commit()
    return row.id


def list_needs(ctx: Context, employer_id: int) -> list[NeedPublic]:
    """The employer's needs: open first, then by the next contact date, newest first."""
    _employer(ctx, employer_id)
    rows = ctx.session.scalars(
        select(EmployerNeedRow)
        .where(EmployerNeedRow.employer_id == employer_id)
        .order_by(EmployerNeedRow.status != "open", EmployerNeedRow.next_contact.is_(None),
                  EmployerNeedRow.next_contact, EmployerNeedRow.id.desc())
    ).all()  # fmt: skip
    return [_public(r) for r in rows]


def set_need_status(ctx: Context, employer_id: int, need_id: int, status: str) -> NeedPublic:
    row = ctx.session.get(EmployerNeedRow, need_id)
    if row is None or row.employer_id != employer_id:
        raise NotFoundError(f"no need {need_id} for employer {employer_id}")
    before, row.status = row.status, status
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="set_need_status",
           object_type="employer", object_id=employer_id,
           details={"need_id": need_id, "before": before, "after": status})  # fmt: skip
    result = _public(row)
    ctx.session.commit()
    return result


def _change_status(ctx: Context, employer: EmployerRow, status: NetworkStatus) -> None:
    """Change the status, kept in the employer's status history and the audit trail."""
    before = employer.network_status
    if before == status.value:
        return
    employer.network_status = status.value
    change = EmployerStatusChangeRow(
        employer_id=employer.id,
        at=ctx.now,
        before=before,
        after=status.value,
        changed_by=ctx.actor.name,
    )
    ctx.session.add(change)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="set_network_status",
           object_type="employer", object_id=employer.id,
           details={"before": before, "after": status.value})  # fmt: skip


def set_status(ctx: Context, employer_id: int, status: NetworkStatus) -> None:
    """The employer's status in the network, with its history and an audit row."""
    _change_status(ctx, _employer(ctx, employer_id), status)
    ctx.session.commit()


def funnel(ctx: Context) -> Funnel:
    """How far the network's employers have got, and how many hired through us."""
    session = ctx.session
    by_status = dict(
        session.execute(
            select(EmployerRow.network_status, func.count()).group_by(EmployerRow.network_status)
        ).all()
    )
    # Every status each employer has held: now, and before and after each recorded change.
    held: dict[int, set[str]] = {}
    for employer_id, status in session.execute(select(EmployerRow.id, EmployerRow.network_status)):
        held.setdefault(employer_id, set()).add(status)
    for employer_id, before, after in session.execute(
        select(EmployerStatusChangeRow.employer_id, EmployerStatusChangeRow.before,
               EmployerStatusChangeRow.after)
    ):  # fmt: skip
        held.setdefault(employer_id, set()).update((before, after))
    hired = session.scalars(
        select(RoleRow.employer_id)
        .distinct()
        .select_from(OutcomeEventRow)
        .join(ProposalTaskRow, ProposalTaskRow.proposal_id == OutcomeEventRow.proposal_id)
        .join(TaskRow, TaskRow.id == ProposalTaskRow.task_id)
        .join(RoleRow, RoleRow.id == TaskRow.role_id)
        .where(OutcomeEventRow.kind == OutcomeKind.HIRED.value)
    )
    for employer_id in hired:
        held.setdefault(employer_id, set()).add(HIRED_THROUGH_US)
    stages, implied = funnel_stages(list(held.values()))
    needs = dict(
        session.execute(
            select(EmployerNeedRow.kind, func.count())
            .where(EmployerNeedRow.status == "open")
            .group_by(EmployerNeedRow.kind)
        ).all()
    )
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="read_funnel",
           object_type="employer")  # fmt: skip
    session.commit()
    return Funnel(
        stages=stages,
        implied=implied,
        by_status={s.value: int(by_status.get(s.value, 0)) for s in NetworkStatus},
        open_needs={k: int(v) for k, v in needs.items()},
    )
