"""The programme's events through the API. Validate, call one service function, format."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from api.core.security import Permission
from api.events import service as programme_events
from api.events.schemas import (
    EventWithdrawal,
    ProgrammeEventCreate,
    ProgrammeEventPublic,
    ProgrammeEventsPublic,
)
from api.http.deps import Context, context_for
from api.http.params import IdPath, PeriodAsked

__all__ = ["router"]

router = APIRouter(prefix="/events", tags=["events"])

Recording = Annotated[Context, context_for(Permission.PROGRAMME_EVENTS)]


@router.get("", summary="The programme's events of a period and an area, newest first")
def list_events(ctx: Recording, query: PeriodAsked) -> ProgrammeEventsPublic:
    """Each event with the day it was held, its kind, whether organised in cooperation (and
    with whom), who came as counts (clients, employers, others) and the network's employers
    who took part; withdrawn ones marked. 422 at ``to`` when the period ends before it
    starts, at ``area`` for an unknown area (an administrator)."""
    return programme_events.events(ctx, query)


@router.post(
    "", status_code=201, summary="Record an event of the programme and who came (counts only)"
)
def record_event(body: ProgrammeEventCreate, ctx: Recording) -> ProgrammeEventPublic:
    """Dated the day it was held (``held_on``): not in the future in Finland, not before
    2000. ``kind``: recruitment, job_search, info_session, wellbeing, employer_event, other.
    ``partner`` only with ``in_cooperation``. Who came as counts — never who: participants
    are people with health-related needs. ``network_employers``: ids of the network's
    employers who took part (each counted among ``employers``). A coordinator records their
    own area's (another ``area``: 404); an administrator names the area. Nothing is stored
    when anything is refused (422 naming each field)."""
    return programme_events.record_event(ctx, body)


@router.get("/{event_id}", summary="One programme event")
def get_event(event_id: IdPath, ctx: Recording) -> ProgrammeEventPublic:
    """Another area's event is a 404 for a coordinator, as one that does not exist."""
    return programme_events.event(ctx, event_id)


@router.post("/{event_id}/withdraw", summary="Withdraw an event recorded by mistake, with why")
def withdraw_event(event_id: IdPath, body: EventWithdrawal, ctx: Recording) -> ProgrammeEventPublic:
    """The event is kept whole with who withdrew it, when and why, and counted nowhere from
    then on; record the right one anew. 409 when withdrawn already."""
    return programme_events.withdraw_event(ctx, event_id, body)
