"""The person page's form for a contact with the client ("Tapaamiset ja yhteydenotot"): the
same call as the API's ``POST /jobseekers/{id}/contacts``
(:func:`api.people.contacts.record_contact`), so the same checks and audit row follow. A
refused form is the person page again, everything typed kept, its problems summarised at the
top of the section and said beside each field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import page_context_for
from api.http.problems import FormField
from api.people import contacts
from api.people.person_pages import refused_on_person_page
from api.people.schemas import ContactCreate
from features.errors import InvalidInputError
from features.i18n import gettext_for

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


def _fields(lang: str) -> dict[str, FormField]:
    """The contact form's fields, by the service's names for them."""
    _ = gettext_for(lang)
    step = FormField("contact-step", _("What was agreed"))
    return {
        "kind": FormField("contact-kind", _("Kind of contact"), choose=True),
        "on": FormField("contact-on", _("Date")),
        "note": FormField("contact-note", _("Note")),
        "next_step": step,
        "next_step.what": step,
        "next_step.due_on": FormField("contact-due", _("Due date")),
        "step_done": FormField("contact-done", _("The agreed step is done")),
    }


def _body(sent: dict[str, str]) -> ContactCreate:
    """The form as the service's body (validated: a refusal names the field)."""
    # The kind left unchosen is missing, said with the form's other problems.
    chosen = {"kind": sent["kind"]} if sent["kind"] else {}
    what = sent["step_what"].strip()
    # A half-filled step leaves the other half out, so that it is said to be missing.
    half = {"what": what} | ({"due_on": sent["step_due"]} if sent["step_due"] else {})
    step = half if what or sent["step_due"] else None
    return ContactCreate.model_validate({**chosen, "on": sent["on"] or None,
                                         "note": sent["note"].strip(), "next_step": step,
                                         "step_done": sent["step_done"] == "on"})  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/contacts")
def record_contact_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.CONTACTS)],
    kind: Annotated[str, Form(max_length=16)] = "",
    on: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    step_what: Annotated[str, Form(max_length=400)] = "",
    step_due: Annotated[str, Form(max_length=32)] = "",
    step_done: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Record a contact: its kind, when, a note, the next step agreed and its due date, and
    whether the step open until now was done."""
    sent = {"kind": kind, "on": on, "note": note, "step_what": step_what, "step_due": step_due,
            "step_done": step_done}  # fmt: skip
    try:
        contacts.record_contact(ctx, jobseeker_id, _body(sent), via="web")
    except (ValidationError, InvalidInputError) as err:
        return refused_on_person_page(request, ctx, jobseeker_id, err, _fields, contact_sent=sent)
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=contact_recorded#contacts", status_code=303
    )
