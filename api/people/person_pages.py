"""The person's page as every form on it answers: the page itself, and the page again with a
refused form kept where it was. Forms of other domains (proposals, candidate requests,
hand-offs, why-not) are on the person's page too, so they answer with it — this module is the
one piece of the people's web layer other domains import (the domains' ``routes`` and ``pages``
modules stay their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.http.deps import Context
from api.http.pages import _lang, _page, _pager
from api.http.problems import FormField, Problem, form_problems
from api.people import flows
from features.errors import InvalidInputError, TasmaError
from features.schemas.errors import FieldError

__all__ = [
    "person_page_response",
    "refused_form_page",
    "refused_on_person_page",
    "short_text_problem",
]


def person_page_response(
    request: Request,
    ctx: Context,
    jobseeker_id: int,
    *,
    status_code: int = 200,
    page: int = 1,
    **shown: Any,
) -> HTMLResponse:
    """The person's page (:func:`api.people.flows.person_page`); ``shown``: the notice, or a
    refused step or plan kept at its form."""
    view = flows.person_page(ctx, jobseeker_id, lang=_lang(request),
                             supports=request.app.state.supports, page=page,
                             **shown)  # fmt: skip
    pager = _pager(request, page, view["n_proposals"], flows.PROPOSALS_PER_PAGE)
    return _page(request, "jobseeker.html", ctx.actor, pager=pager, status_code=status_code, **view)


def refused_on_person_page(
    request: Request,
    ctx: Context,
    jobseeker_id: int,
    err: ValidationError | TasmaError,
    fields: Callable[[str], dict[str, FormField]],
    **sent: Any,
) -> HTMLResponse:
    """The person's page again with a refused form of one of its sections (episodes,
    contacts, referrals, the plan): nothing of it stored, the form kept as it was sent
    (``sent``: e.g. ``contact_sent=…``), its problems in the page's language at the top of the
    section and beside each field (``fields(lang)`` names them)."""
    ctx.session.rollback()
    lang = _lang(request)
    return person_page_response(request, ctx, jobseeker_id, status_code=422,
                                errors=form_problems(err, lang, fields(lang)), **sent)  # fmt: skip


def refused_form_page(
    request: Request,
    ctx: Context,
    jobseeker_id: int,
    refused: flows.RefusedForm,
    problems: list[Problem],
    *,
    status_code: int = 422,
) -> HTMLResponse:
    """The person's page again with one of its forms refused (a :class:`flows.RefusedForm`):
    nothing of it stored, what was typed kept in the form, its problems summarised right above
    it — the summary takes the focus, so the page opens at the form, not at its top."""
    ctx.session.rollback()
    return person_page_response(request, ctx, jobseeker_id, status_code=status_code,
                                errors=problems, refused=refused)  # fmt: skip


def short_text_problem(text: str, field: FormField, lang: str, least: int = 3) -> list[Problem]:
    """A reason or a note a form asks for, empty or shorter than ``least``, said at its field
    the way the schema's checks say it (empty: fill this in; short: say a little more)."""
    kind = "missing" if not text.strip() else "string_too_short"
    error = FieldError("text", f"at least {least} characters", kind, {"min_length": least})
    return form_problems(InvalidInputError([error]), lang, {"text": field})
