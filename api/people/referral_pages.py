"""The person page's forms for referrals ("Lähetteet"): make one, and record an open one
answered or cancelled — the same calls as the API's ``POST /jobseekers/{id}/referrals`` and
``…/referrals/{referral_id}/close`` (:mod:`api.people.referrals`), so the same checks and
audit rows follow. A refused form is the person page again, everything typed kept, its
problems summarised at the top of the section and said beside each field."""

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
from api.people import referrals
from api.people.person_pages import refused_on_person_page
from api.people.schemas import ReferralClose, ReferralCreate
from features.catalogue import CHARACTERISTIC_IDS
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


def _fields(lang: str) -> dict[str, FormField]:
    """The referral form's fields, by the service's names for them."""
    _ = gettext_for(lang)
    assesses = FormField("referral-assesses", _("What the statement will assess"))
    return {
        "kind": FormField("referral-kind", _("Referred to"), choose=True),
        "on": FormField("referral-on", _("Date")),
        "due_on": FormField("referral-due", _("Answer awaited by")),
        "note": FormField("referral-note", _("Note")),
        "assesses": assesses,
        **{f"assesses.{i}": assesses for i in range(len(CHARACTERISTIC_IDS))},
    }


def _close_fields(lang: str, referral_id: int) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "on": FormField(f"referral-close-on-{referral_id}", _("Date")),
        "outcome": FormField(f"referral-close-on-{referral_id}", _("Answered or cancelled")),
    }


@router.post("/jobseekers/{jobseeker_id}/referrals")
def make_referral_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.REFERRALS)],
    kind: Annotated[str, Form(max_length=32)] = "",
    on: Annotated[str, Form(max_length=32)] = "",
    due_on: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    assesses: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Refer the client onwards: to whom, when, the day the answer is awaited by, a note, and
    the characteristics the awaited statement will assess."""
    chosen = [c[:64] for c in (assesses or [])[: len(CHARACTERISTIC_IDS)]]
    sent = {"form": "make", "kind": kind, "on": on, "due_on": due_on, "note": note,
            "assesses": chosen}  # fmt: skip
    try:
        where = {"kind": kind} if kind else {}  # unchosen: missing, said with the rest
        body = ReferralCreate.model_validate({**where, "on": on or None,
                                              "due_on": due_on or None, "note": note.strip(),
                                              "assesses": chosen})  # fmt: skip
        referrals.make_referral(ctx, jobseeker_id, body, via="web")
    except (ValidationError, InvalidInputError) as err:
        return refused_on_person_page(request, ctx, jobseeker_id, err, _fields,
                                      referral_sent=sent)  # fmt: skip
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=referral_made#referrals", status_code=303
    )


@router.post("/jobseekers/{jobseeker_id}/referrals/{referral_id}/close")
def close_referral_page(
    jobseeker_id: int,
    referral_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.REFERRALS)],
    outcome: Annotated[str, Form(max_length=16)] = "",
    on: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Record the referral answered (the statement received, the visit done) or cancelled,
    with its date (the button pressed says which)."""
    sent = {"form": "close", "referral_id": referral_id, "on": on}
    try:
        body = ReferralClose.model_validate({"outcome": outcome, "on": on or None})
        referrals.close_referral(ctx, jobseeker_id, referral_id, body, via="web")
    except ConflictError:
        ctx.session.rollback()
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}?message=referral_closed_already#referrals",
            status_code=303,
        )
    except (ValidationError, InvalidInputError) as err:
        return refused_on_person_page(request, ctx, jobseeker_id, err,
                                      lambda lang: _close_fields(lang, referral_id),
                                      referral_sent=sent)  # fmt: skip
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=referral_closed#referrals", status_code=303
    )
