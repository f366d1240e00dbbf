"""The programme's events (#29: the KUNTO results page's "25 events, own and co-organised"):
record one, list a period's, read one, withdraw one recorded by mistake.

Who: the coordinators record and read their own area's events (another area's event is
answered as one that does not exist, 404, the refused attempt audited, as a person out of
reach is); administrators any area's. Analysts and the project manager see the events in the
programme report only, as its figures (``Permission.PROGRAMME_EVENTS``).

An event names no participant: who came is counts only (participants are people with
health-related needs), and the employers of the network who took part are organisations.
A record is never changed: one recorded by mistake is withdrawn — kept whole with who
withdrew it, when and why, out of every count — and the right one recorded anew; nothing is
lost. Every write and read is audited with ids, kinds and the period, never the reason.
"""

from __future__ import annotations

from sqlalchemy import select

from api.auth.policy import refuse
from api.core.context import Context
from api.core.runtime import ForbiddenError
from api.core.schemas import PeriodQuery
from api.core.security import Permission, allowed, not_allowed
from api.events.schemas import (
    EventWithdrawal,
    NetworkEmployer,
    ProgrammeEventCreate,
    ProgrammeEventPublic,
    ProgrammeEventsPublic,
)
from api.reports.service import (
    area_in_reach,
    areas,
    default_period,
    own_area_only,
)
from api.storage.audit import record
from api.storage.engine import update_once
from api.storage.tables import EmployerRow, ProgrammeEventEmployerRow, ProgrammeEventRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.reports import Period
from features.schemas.employer import NetworkStatus
from features.schemas.errors import FieldError
from features.schemas.programme_event import EventKind

__all__ = [
    "NETWORK_CHOICES",
    "event",
    "event_problems",
    "events",
    "network_choices",
    "period_of",
    "record_event",
    "withdraw_event",
]

NETWORK_CHOICES = (NetworkStatus.INTERESTED, NetworkStatus.PARTNER, NetworkStatus.PAUSED)
"""The network's employers a form offers as having taken part: those interested or
cooperating (an event is often where a contact turns into cooperation)."""


def _may(ctx: Context) -> None:
    if not allowed(ctx.actor.role, Permission.PROGRAMME_EVENTS):
        raise ForbiddenError(not_allowed(ctx.actor.role, Permission.PROGRAMME_EVENTS))


def _area_of(ctx: Context, asked: str | None, *, writing: bool) -> str | None:
    """The area an event is recorded in, or events are listed of: a coordinator's own always
    (another, known or not, is refused alike as a 404, the attempt audited); an
    administrator's choice among the known areas (required to record one)."""
    if own_area_only(ctx.actor):
        return area_in_reach(ctx, asked, what="events", object_type="programme_event_area")
    if asked is None:
        if writing:
            raise InvalidInputError([FieldError("area", "name the event's area", kind="missing")])
        return None
    if asked not in areas(ctx):
        unknown = FieldError("area", f"no area is called {asked!r}", kind="unknown_area",
                             context={"value": asked})  # fmt: skip
        raise InvalidInputError([unknown])
    return asked


def _public(row: ProgrammeEventRow, employers: list[NetworkEmployer]) -> ProgrammeEventPublic:
    return ProgrammeEventPublic(
        id=row.id, held_on=row.held_on, area=row.area, name=row.name, kind=EventKind(row.kind),
        in_cooperation=row.in_cooperation, partner=row.partner, clients=row.clients,
        employers=row.employers, others=row.others, network_employers=employers,
        recorded_by=row.recorded_by, recorded_at=row.recorded_at, withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by, withdraw_reason=row.withdraw_reason,
    )  # fmt: skip


def _network_of(ctx: Context, event_ids: list[int]) -> dict[int, list[NetworkEmployer]]:
    """The network's employers who took part in each of ``event_ids``, by name."""
    if not event_ids:
        return {}
    rows = ctx.session.execute(
        select(ProgrammeEventEmployerRow.event_id, EmployerRow.id, EmployerRow.name)
        .join(EmployerRow, EmployerRow.id == ProgrammeEventEmployerRow.employer_id)
        .where(ProgrammeEventEmployerRow.event_id.in_(event_ids))
        .order_by(EmployerRow.name, EmployerRow.id)
    ).all()
    out: dict[int, list[NetworkEmployer]] = {}
    for event_id, employer_id, name in rows:
        out.setdefault(event_id, []).append(NetworkEmployer(id=employer_id, name=name))
    return out


def _network_problems(ctx: Context, named: list[int], employers: int | None) -> list[FieldError]:
    """The network's employers named: each one the form offers (:data:`NETWORK_CHOICES`: an
    unknown id, or a prospect's or a declined one's, is refused), and counted among the
    ``employers`` who came (when that count is known)."""
    named = sorted(set(named))
    if not named:
        return []
    rows = ctx.session.execute(
        select(EmployerRow.id, EmployerRow.network_status).where(EmployerRow.id.in_(named))
    ).all()
    statuses = {employer_id: status for employer_id, status in rows}
    unknown = [i for i in named if i not in statuses]
    if unknown:
        return [FieldError("network_employers", f"no employer has the id {unknown[0]}",
                           kind="unknown_employer", context={"value": unknown[0]})]  # fmt: skip
    offered = {s.value for s in NETWORK_CHOICES}
    not_offered = [i for i in named if statuses[i] not in offered]
    if not_offered:
        first = not_offered[0]
        return [FieldError("network_employers", f"employer {first} is {statuses[first]}, not "
                           f"interested, cooperating or paused: not among those offered",
                           kind="not_offered_employer", context={"value": first})]  # fmt: skip
    if employers is not None and len(named) > employers:
        return [FieldError("employers", f"{len(named)} employers of the network took part, so "
                           f"at least as many employers came", kind="fewer_than_network",
                           context={"ge": len(named)})]  # fmt: skip
    return []


def _gathered(
    ctx: Context, area: str | None, named: list[int], employers: int | None
) -> tuple[str | None, list[FieldError]]:
    """The area an event is recorded in and what the service refuses of it: an
    administrator's area (none named, an unknown one) and the network's employers, together.
    A coordinator's other area is raised at once (:class:`AreaOutOfReachError`: a 404)."""
    try:
        chosen, problems = _area_of(ctx, area, writing=True), []
    except InvalidInputError as err:
        chosen, problems = None, list(err.errors)
    return chosen, problems + _network_problems(ctx, named, employers)


def event_problems(
    ctx: Context, *, area: str | None, network_employers: list[int], employers: int | None
) -> list[FieldError]:
    """What :func:`record_event` would refuse of a form beside its schema (the area, the
    network's employers), for a form whose schema refused something too, so that every
    problem is said at once (``employers``: None when not a number)."""
    _may(ctx)
    return _gathered(ctx, area, network_employers, employers)[1]


def record_event(
    ctx: Context, body: ProgrammeEventCreate, *, via: str = "api"
) -> ProgrammeEventPublic:
    """Record an event held in an area (a coordinator's own; an administrator names a known
    one), dated the day it was held: not in the future (Finland's today), not before 2000, and
    a partner named only for an event organised in cooperation (both the schema's checks); the
    network's employers named must be among those the form offers and are counted among the
    employers who came. Nothing is stored when anything is refused (422 naming each field;
    another area: 404)."""
    _may(ctx)
    area, problems = _gathered(ctx, body.area, body.network_employers, body.employers)
    if problems:
        raise InvalidInputError(problems)
    assert area is not None  # a write always has its area (_area_of refuses none)
    row = ProgrammeEventRow(
        held_on=body.held_on, area=area, name=body.name, kind=body.kind.value,
        in_cooperation=body.in_cooperation, partner=(body.partner or None) if body.in_cooperation
        else None, clients=body.clients, employers=body.employers, others=body.others,
        recorded_by=ctx.actor.name, recorded_at=ctx.now,
    )  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    for employer_id in sorted(set(body.network_employers)):
        ctx.session.add(ProgrammeEventEmployerRow(event_id=row.id, employer_id=employer_id))
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role,
           action="record_programme_event", object_type="programme_event", object_id=row.id,
           details={"area": area, "kind": row.kind, "held_on": row.held_on.isoformat(),
                    "network_employers": len(set(body.network_employers)), "via": via})  # fmt: skip
    result = _public(row, _network_of(ctx, [row.id]).get(row.id, []))
    ctx.session.commit()
    return result


def _reachable_event(ctx: Context, event_id: int) -> ProgrammeEventRow:
    """The event, if in the actor's reach (a coordinator: their own area's); else 404, as if
    no such id."""
    message = f"no programme event with id {event_id}"
    row = ctx.session.get(ProgrammeEventRow, event_id)
    if row is None:
        raise NotFoundError(message)
    if own_area_only(ctx.actor) and (ctx.actor.area is None or row.area != ctx.actor.area):
        raise refuse(ctx, "programme_event", event_id, message)
    return row


def event(ctx: Context, event_id: int, *, via: str = "api") -> ProgrammeEventPublic:
    """One event (a withdrawn one too, marked); another area's is a 404 for a coordinator."""
    _may(ctx)
    row = _reachable_event(ctx, event_id)
    result = _public(row, _network_of(ctx, [row.id]).get(row.id, []))
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_programme_event",
           object_type="programme_event", object_id=event_id, details={"via": via})  # fmt: skip
    ctx.session.commit()
    return result


def period_of(ctx: Context, query: PeriodQuery) -> Period:
    """The period asked for (missing days: this calendar year to date); a last day before
    the first is a 422 at ``to``."""
    default = default_period(ctx)
    period = Period(query.start or default.start, query.end or default.end)
    if period.end < period.start:
        raise InvalidInputError([FieldError("to", f"the period ends ({period.end.isoformat()}) "
                                            f"before it starts ({period.start.isoformat()})",
                                            kind="period_reversed",
                                            context={"start": period.start})])  # fmt: skip
    return period


def events(ctx: Context, query: PeriodQuery, *, via: str = "api") -> ProgrammeEventsPublic:
    """The events held in the period (both days included) in the area asked for (a
    coordinator: their own; an administrator: one, or every area), newest first, the
    withdrawn ones marked. Audited with the period and the area."""
    _may(ctx)
    area = _area_of(ctx, query.area or None, writing=False)
    period = period_of(ctx, query)
    select_events = (
        select(ProgrammeEventRow)
        .where(ProgrammeEventRow.held_on.between(period.start, period.end))
        .order_by(ProgrammeEventRow.held_on.desc(), ProgrammeEventRow.id.desc())
    )
    if area is not None:
        select_events = select_events.where(ProgrammeEventRow.area == area)
    rows = list(ctx.session.scalars(select_events))
    network = _network_of(ctx, [r.id for r in rows])
    data = [_public(r, network.get(r.id, [])) for r in rows]
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_programme_events",
           object_type="programme_event",
           details={"from": period.start.isoformat(), "to": period.end.isoformat(),
                    "area": area, "via": via})  # fmt: skip
    ctx.session.commit()
    return ProgrammeEventsPublic(period_from=period.start, period_to=period.end, area=area,
                                 areas=areas(ctx), data=data)  # fmt: skip


def withdraw_event(
    ctx: Context, event_id: int, body: EventWithdrawal, *, via: str = "api"
) -> ProgrammeEventPublic:
    """Withdraw an event recorded by mistake (twice, the wrong day, the wrong counts): it is
    kept whole, with who withdrew it, when and why (free text: in the row, never in the audit
    trail), and out of every count from then on; the right one is recorded anew. Withdrawn
    twice: a conflict (409)."""
    _may(ctx)
    row = _reachable_event(ctx, event_id)
    done = update_once(ctx.session, row, ProgrammeEventRow.withdrawn_at.is_(None),
                       {"withdrawn_at": ctx.now, "withdrawn_by": ctx.actor.name,
                        "withdraw_reason": body.reason.strip()})  # fmt: skip
    if not done:
        ctx.session.rollback()
        raise ConflictError(f"programme event {event_id} was withdrawn already")
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role,
           action="withdraw_programme_event", object_type="programme_event", object_id=event_id,
           details={"area": row.area, "via": via})  # fmt: skip
    result = _public(row, _network_of(ctx, [row.id]).get(row.id, []))
    ctx.session.commit()
    return result


def network_choices(ctx: Context) -> list[NetworkEmployer]:
    """The employers the event form offers (:data:`NETWORK_CHOICES`), by name: organisations,
    not people, and only their names."""
    _may(ctx)
    rows = ctx.session.execute(
        select(EmployerRow.id, EmployerRow.name)
        .where(EmployerRow.network_status.in_([s.value for s in NETWORK_CHOICES]))
        .order_by(EmployerRow.name, EmployerRow.id)
    ).all()
    return [NetworkEmployer(id=i, name=n) for i, n in rows]
