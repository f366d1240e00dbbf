"""The web UI's shared page plumbing: server-rendered pages (Jinja2) over the same application
services as the API, the same users, roles, consent checks and audit trail. Finnish by default,
English on request.

Here are the one Jinja environment (its words from the page's own language's catalogue, its
filters), the page a handler renders (:func:`_page`, with the form's CSRF token), the page's
context in one parameter (:func:`page_context_for`, its user from the session cookie), the
pager, and the pages for an error, a refused form and a log-in that is needed. Each domain's
pages (``api/<domain>/pages.py``) are a router of their own over these; none queries storage,
and none imports another domain's pages.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context as TemplateContext

from api.core.security import Permission, allowed
from api.core.texts import LANGUAGES, group_name, metric_name, texts
from api.http.csrf import PRESESSION, SESSION, CsrfError, csrf_token
from api.http.deps import (
    Context,
    SessionDep,
    UnauthorizedError,
    User,
    request_context,
    user_for_token,
)
from api.http.problems import Problem
from features.catalogue import INDUSTRIES, SECTORS
from features.catalogue.schedule import slot_label
from features.errors import NotFoundError, TasmaError
from features.i18n import date_text, datetime_text, pgettext_for, translations
from features.numbers import number, percent, percentage_points
from features.schemas.dates import FINLAND, today_in_finland
from features.schemas.jobseeker import MAX_WEEKLY_HOURS

__all__ = [
    "COOKIE",
    "PAGE_SIZE",
    "LoginRequiredError",
    "csrf_refused",
    "error_page",
    "login_redirect",
    "page_context_for",
    "templates",
]

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
)


@pass_context
def _gettext(context: TemplateContext, message: str) -> str:
    return translations(context["lang"]).gettext(message)


@pass_context
def _pgettext(context: TemplateContext, where: str, message: str) -> str:
    return pgettext_for(context["lang"])(where, message)


@pass_context
def _ngettext(context: TemplateContext, singular: str, plural: str, n: int) -> str:
    return translations(context["lang"]).ngettext(singular, plural, n)


# Each page's words come from its own language's catalogue (the page's ``lang``).
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True, pgettext=_pgettext
)


templates.env.filters["slots"] = lambda slots, lang: ", ".join(slot_label(s, lang) for s in slots)


def _num(value: float, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A number on a page, through the locale (``features.numbers``); one that rounds to zero
    is written without a sign (never "-0" for a change too small to show)."""
    text = number(value, lang, decimals)
    if not any(digit in text for digit in "123456789"):
        return text.replace("-", "").replace("\u2212", "")
    return ("+" + text) if signed and value > 0 else text


templates.env.filters["num"] = _num
templates.env.globals["max_weekly_hours"] = f"{MAX_WEEKLY_HOURS:g}"
"""The schema's bound, so that a form's number field never offers more than is accepted."""


templates.env.filters["metric"] = metric_name
templates.env.filters["pct"] = percent
templates.env.filters["pp"] = percentage_points


templates.env.filters["group"] = group_name


def _date(day: date | datetime | str, lang: str) -> str:
    """A date, an ISO 8601 date as files keep it (a model card's), or a moment's day in
    Finland (never UTC's: past Finnish midnight, UTC's date is still yesterday), in ``lang``."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    elif isinstance(day, datetime):
        day = today_in_finland(day)
    return date_text(day, lang)


def _moment(moment: datetime, lang: str) -> str:
    """A moment on Finland's clock, in ``lang``."""
    return datetime_text(moment, lang, FINLAND)


templates.env.filters["date"] = _date


templates.env.filters["datetime"] = _moment


templates.env.filters["sector"] = lambda code, lang: SECTORS.get(code).name(lang)


templates.env.filters["industry"] = lambda code, lang: INDUSTRIES.get(code).name(lang)


COOKIE = SESSION


class LoginRequiredError(TasmaError):
    code = "login_required"


def _lang(request: Request) -> str:
    lang = request.cookies.get("lang", "fi")
    return lang if lang in LANGUAGES else "fi"


def _page(
    request: Request, name: str, user: User | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang = _lang(request)
    csrf, presession = csrf_token(request)
    problems = [p for p in context.get("errors") or [] if isinstance(p, Problem) and p.anchor]
    context.setdefault("by_field", {p.anchor: p for p in problems})
    response = templates.TemplateResponse(
        request,
        name,
        {"t": texts(lang), "lang": lang, "user": user, "path": request.url.path,
         "csrf": csrf, "upload_mb": request.app.state.settings.max_body_bytes / 1_000_000,
         **context},
        status_code=status_code,
    )  # fmt: skip
    if presession:
        response.set_cookie(PRESESSION, presession, httponly=True, samesite="strict",
                            secure=_secure(request))  # fmt: skip
    return response


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.environment.value == "production")


ERROR_KINDS = {403: "forbidden", 404: "not_found", 405: "not_found", 409: "conflict",
               413: "too_large", 422: "invalid", 429: "busy", 431: "headers_too_large",
               503: "unavailable"}  # fmt: skip
"""What a web page says for each error status; anything else is a fault on our side."""


def error_page(request: Request, status: int, *, form_sent: bool = False) -> HTMLResponse:
    """The page for an error at a web UI address: what happened and the way on, in the user's
    language, with the status kept — never the API's JSON. ``form_sent``: the request the
    page answers sent a form, though this one does not (the guard's refusals, rendered as a
    page asked for)."""
    kind = ERROR_KINDS.get(status, "internal" if status >= 500 else "invalid")
    back = _page_before(request)
    # A form sent and refused here (a fault, a full queue, too large, gone meanwhile): back
    # in the browser's history, where the browser keeps what was typed
    # (static/back-keeps-input.js); nothing of a refused request is ever stored.
    sent_form = (request.method == "POST" or form_sent) and back is not None
    return _page(request, "error.html", None, status_code=status, kind=kind, status=status,
                 back=back, sent_form=sent_form)  # fmt: skip


def _page_before(request: Request) -> str | None:
    """The page of this UI the browser came from (a form sent too large goes back to it), or
    None: only a path of this site's UI, never another site's address, and never the page
    itself (a form sent to its own page's address goes back to it)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return None
    path = referer.path
    if not path.startswith("/ui/") or "//" in path or "\\" in path:
        return None
    if path == request.url.path and request.method == "GET":  # itself: no way on
        return None
    return path + (f"?{referer.query}" if referer.query else "")


def csrf_refused(request: Request, err: CsrfError) -> HTMLResponse:
    """A refused form: said plainly, with the way on (reload and send again)."""
    return _page(request, "refused.html", None, status_code=403)


def page_context_for(permission: Permission) -> Any:
    """A web page's services context, for a user whose role has ``permission``, in one
    parameter: ``ctx: Annotated[Context, page_context_for(Permission.PROPOSE)]``; ``ctx.actor``
    is the user of the session cookie. No cookie, or a session that has ended: the log-in
    page, which comes back here (:func:`login_redirect`); a role without the permission: no
    such page (404). Checked after a form's CSRF token (the page routers' own dependency),
    before the page's parameters and form are validated, as ``context_for`` checks an API
    route's caller."""

    # Async, as ``context_for``: the user's lookup is one primary-key read, cheaper on the
    # event loop than a hop to a worker thread.
    async def context(request: Request, session: SessionDep) -> Context:
        token = request.cookies.get(COOKIE)
        if not token:
            raise LoginRequiredError("log in first")
        try:
            user = user_for_token(session, token)
        except UnauthorizedError:
            raise LoginRequiredError("the session has ended") from None
        if not allowed(user.role, permission):
            raise NotFoundError("no such page for your role")
        return request_context(request, session, user)

    return Depends(context)


PAGE_SIZE = 50


def _pager(request: Request, page: int, count: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Page n of m, and the addresses of the pages before and after (the other query
    parameters kept)."""
    pages = max(1, -(-count // size))

    def address(n: int) -> str:
        return str(request.url.include_query_params(page=n))

    return {
        "page": min(page, pages),
        "pages": pages,
        "previous": address(page - 1) if page > 1 else None,
        "next": address(page + 1) if page < pages else None,
    }


def login_redirect(request: Request, _err: LoginRequiredError) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(here, safe='')}", status_code=303)
