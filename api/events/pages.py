"""The programme's events page (*Tapahtumat*) for the coordinators (their own area's) and
administrators: the period's events and a form to record one — the same calls as the API's
``GET /events`` and ``POST /events`` (:mod:`api.events.service`), so the same checks and
audit rows follow. A refused form is the page again, everything typed kept, its problems
summarised at the top of the form and said beside each field; an event recorded by mistake is
withdrawn from its row, with why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.schemas import PeriodQuery
from api.core.security import Permission
from api.events import service as programme_events
from api.events.schemas import EventWithdrawal, ProgrammeEventCreate
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.reports.service import AreaOutOfReachError, own_area_only
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for
from features.numbers import digits
from features.schemas.errors import FieldError, field_errors
from features.schemas.programme_event import EventKind

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

PAGE = "/ui/events"
"""The page's address (its routes are under the router's /ui)."""
Recording = Annotated[Context, page_context_for(Permission.PROGRAMME_EVENTS)]


def _fields(lang: str, *, area: str = "event-area") -> dict[str, FormField]:
    """The form's fields, by the service's names for them; ``area`` is the id of the area
    picker a problem of the area is said at (the form's, the list's, or none: a coordinator's
    page has no picker, so the problem is said in the summary only, linking nowhere)."""
    _ = gettext_for(lang)
    return {
        "held_on": FormField("event-held-on", _("Held on")),
        "area": FormField(area, _("Area"), choose=True),
        "name": FormField("event-name", _("Name of the event")),
        "kind": FormField("event-kind", _("Kind of event"), choose=True),
        "in_cooperation": FormField("event-cooperation", _("Organised in cooperation")),
        "partner": FormField("event-partner", _("Partner")),
        "clients": FormField("event-clients", _("Clients who came")),
        "employers": FormField("event-employers", _("Employers who came")),
        "others": FormField("event-others", _("Others who came")),
        "network_employers": FormField(
            "event-network", _("Employers of the network who took part")
        ),
        "from": FormField("events-from", _("From")),
        "to": FormField("events-to", _("To")),
        "reason": FormField("withdraw-reason", _("Why it is withdrawn")),
    }


def _area_anchor(ctx: Context, picker: str) -> str:
    """The id of the area picker shown to the user (an administrator's), else none."""
    return "" if own_area_only(ctx.actor) else picker


def _count(text: str) -> object:
    """A count as typed: empty is none (0); ASCII digits a number; anything else ("²", "١٢",
    "kolme") as it is, so that the schema says it is not a whole number."""
    text = text.strip()
    if not text:
        return 0
    number = digits(text)
    return text if number is None else number


def _ids(sent: dict[str, Any]) -> list[object]:
    """The network's employers chosen, as ids (anything else as it is, for the schema)."""
    return [text if (number := digits(text)) is None else number
            for text in sent["network_employers"]]  # fmt: skip


def _body(sent: dict[str, Any], now: datetime) -> ProgrammeEventCreate:
    """The form as the service's body (validated against Finland's today at ``now``: a
    refusal names each field)."""
    chosen = {"kind": sent["kind"]} if sent["kind"] else {}  # unchosen: missing, said so
    day = {"held_on": sent["held_on"]} if sent["held_on"] else {}
    return ProgrammeEventCreate.model_validate({
        **chosen, **day, "area": sent["area"] or None, "name": sent["name"],
        "in_cooperation": sent["in_cooperation"] == "on",
        "partner": sent["partner"].strip() or None, "clients": _count(sent["clients"]),
        "employers": _count(sent["employers"]), "others": _count(sent["others"]),
        "network_employers": _ids(sent),
    }, context={"now": now})  # fmt: skip


def _refused(ctx: Context, sent: dict[str, Any], err: ValidationError) -> list[FieldError]:
    """Every problem of a form the schema refused: the schema's and the service's own (the
    area, the network's employers) together, so that nothing is said only on a second try; a
    chosen employer's problem at the list (not at its place in it)."""
    problems = [replace(e, field=e.field.split("[")[0]) for e in field_errors(err)]
    counted = _count(sent["employers"])
    try:
        problems += programme_events.event_problems(
            ctx, area=sent["area"] or None,
            network_employers=[i for i in _ids(sent) if isinstance(i, int)],
            employers=counted if isinstance(counted, int) else None,
        )  # fmt: skip
    except AreaOutOfReachError as out:
        problems += out.errors
    return problems


def _day(name: str, text: str) -> date | None:
    """A picked day (empty: the default), or a 422 at its picker."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError([FieldError(name, "not a date", kind="date_parsing")]) from None


def _events_page(
    request: Request, ctx: Context, heading: str, *, start: str = "", end: str = "",
    area: str = "", sent: dict[str, Any] | None = None, errors: list[Problem] | None = None,
    status_code: int = 200, message: str = "", withdrawing: dict[str, Any] | None = None,
) -> HTMLResponse:  # fmt: skip
    """The page; ``heading`` is the refusal's summary (what was not done: shown, recorded,
    withdrawn), ``withdrawing`` the event whose withdrawal was refused and the reason typed."""
    lang = _lang(request)
    listed, list_errors = None, []
    try:
        query = PeriodQuery(_day("from", start), _day("to", end), area.strip() or None)
        listed = programme_events.events(ctx, query, via="web")
    except (InvalidInputError, AreaOutOfReachError) as err:
        # A refused area is the API's 404; on the page it is a choice said at its picker.
        fields = _fields(lang, area=_area_anchor(ctx, "event-area-pick"))
        list_errors = form_problems(InvalidInputError(err.errors), lang, fields)
        status_code = max(status_code, 422)
    kinds = [(k.value, f"event_kind_{k.value}") for k in EventKind]
    return _page(request, "events.html", ctx.actor, status_code=status_code, listed=listed,
                 errors=[*(errors or []), *list_errors], sent=sent or {}, kinds=kinds,
                 picks={"from": start, "to": end, "area": area}, message=message,
                 heading=heading, withdrawing=withdrawing or {},
                 network=programme_events.network_choices(ctx),
                 every_area=not own_area_only(ctx.actor))  # fmt: skip


def _picked(start: str, end: str, area: str) -> str:
    """The list's picks as a query string's tail (the ones made)."""
    picks = {"from": start, "to": end, "area": area}
    return "".join(f"&{k}={quote(v, safe='')}" for k, v in picks.items() if v)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    ctx: Recording,
    start: Annotated[str, Query(alias="from", max_length=32)] = "",
    end: Annotated[str, Query(alias="to", max_length=32)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
    message: Annotated[Literal["", "recorded", "withdrawn"], Query()] = "",
) -> HTMLResponse:
    """The period's events (this calendar year to date unless chosen) and the form."""
    _ = gettext_for(_lang(request))
    return _events_page(request, ctx, _("The events could not be shown:"), start=start,
                        end=end, area=area, message=message)  # fmt: skip


# The limits here are the body's guard only, well above the schema's (a name of 200
# characters, a count of 100 000): a value past the schema's is said beside its field.
@router.post("/events", response_class=HTMLResponse)
def record_event_page(
    request: Request,
    ctx: Recording,
    held_on: Annotated[str, Form(max_length=64)] = "",
    area: Annotated[str, Form(max_length=4000)] = "",
    name: Annotated[str, Form(max_length=4000)] = "",
    kind: Annotated[str, Form(max_length=4000)] = "",
    in_cooperation: Annotated[str, Form(max_length=64)] = "",
    partner: Annotated[str, Form(max_length=4000)] = "",
    clients: Annotated[str, Form(max_length=64)] = "",
    employers: Annotated[str, Form(max_length=64)] = "",
    others: Annotated[str, Form(max_length=64)] = "",
    network_employers: Annotated[list[str], Form(max_length=2000)] = [],  # noqa: B006
) -> Response:
    """Record an event: when, where, its name and kind, organised alone or with whom, and who
    came as counts."""
    lang = _lang(request)
    _ = gettext_for(lang)
    sent = {"held_on": held_on, "area": area, "name": name, "kind": kind,
            "in_cooperation": in_cooperation, "partner": partner, "clients": clients,
            "employers": employers, "others": others,
            "network_employers": [i for i in network_employers if i]}  # fmt: skip
    try:
        programme_events.record_event(ctx, _body(sent, ctx.now), via="web")
    except (ValidationError, InvalidInputError, AreaOutOfReachError) as err:
        ctx.session.rollback()
        said = _refused(ctx, sent, err) if isinstance(err, ValidationError) else err.errors
        fields = _fields(lang, area=_area_anchor(ctx, "event-area"))
        problems = form_problems(InvalidInputError(said), lang, fields)
        return _events_page(request, ctx, _("The event was not recorded:"), sent=sent,
                            errors=problems, status_code=422)  # fmt: skip
    return RedirectResponse(f"{PAGE}?message=recorded", status_code=303)


@router.post("/events/{event_id}/withdraw", response_class=HTMLResponse)
def withdraw_event_page(
    event_id: int,
    request: Request,
    ctx: Recording,
    reason: Annotated[str, Form(max_length=4000)] = "",
    start: Annotated[str, Form(alias="from", max_length=32)] = "",
    end: Annotated[str, Form(alias="to", max_length=32)] = "",
    area: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Withdraw an event recorded by mistake, with why (kept, counted nowhere). The list's
    period and area come along: a refusal shows the same list, the reason typed kept in the
    event's row, its withdrawal open; a success returns to the same list."""
    lang = _lang(request)
    _ = gettext_for(lang)
    heading = _("The event was not withdrawn:")
    try:
        programme_events.withdraw_event(ctx, event_id, EventWithdrawal(reason=reason),
                                        via="web")  # fmt: skip
    except ValidationError as err:
        # Said at this event's own reason field (each row has one).
        fields = _fields(lang) | {"reason": FormField(f"withdraw-reason-{event_id}",
                                                      _("Why it is withdrawn"))}  # fmt: skip
        problems = form_problems(err, lang, fields)
        return _events_page(request, ctx, heading, errors=problems, status_code=422,
                            withdrawing={"id": event_id, "reason": reason}, start=start,
                            end=end, area=area)  # fmt: skip
    except ConflictError:
        done = Problem(_("The event was withdrawn already."), f"event-{event_id}")
        return _events_page(request, ctx, heading, errors=[done], status_code=409, start=start,
                            end=end, area=area)  # fmt: skip
    return RedirectResponse(f"{PAGE}?message=withdrawn{_picked(start, end, area)}",
                            status_code=303)  # fmt: skip
