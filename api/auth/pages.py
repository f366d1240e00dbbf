"""The web UI's log-in, log-out, language and home: a web session is an ordinary token of the
user's, kept in an HttpOnly, SameSite=Strict cookie; every form carries a CSRF token
(:mod:`api.http.csrf`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.auth import users
from api.auth.schemas import StaffContact
from api.auth.service import LoginThrottledError, log_in
from api.core.context import Context
from api.core.security import Permission, Role, hash_token
from api.core.texts import LANGUAGES
from api.http.csrf import check_csrf
from api.http.deps import SessionDep, UnauthorizedError, user_for_token
from api.http.pages import COOKIE, _lang, _page, error_page, page_context_for
from api.http.problems import FormField, form_problems
from api.http.ratelimit import BROWSER_REFUSAL, BROWSER_REFUSALS
from features.errors import InvalidInputError
from features.i18n import gettext_for

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


HOME = {
    Role.WORK_ABILITY_COORDINATOR: "/ui/jobseekers",
    Role.COMPANY_COORDINATOR: "/ui/jobseekers",
    Role.REKRYPISTE: "/ui/employers",
    Role.ANALYST: "/ui/rulesets",
    Role.ADMIN: "/ui/rulesets",
    Role.PROJECT_MANAGER: "/ui/reports/programme",
}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _page(request, "login.html", None, next=same_site_next(request.query_params.get("next")))


def same_site_next(target: str | None) -> str | None:
    """Where to go after logging in: a page of this UI, or nowhere in particular. Anything
    else — another site (``//evil.example``, ``https://…``), a backslash trick, the log-in
    page itself — is ignored, so a link cannot send a user off-site after a real log-in."""
    if not target or not target.startswith("/ui/") or target.startswith("/ui/login"):
        return None
    if "\\" in target or "//" in target or any(c in target for c in "\r\n\t"):
        return None
    return target


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    settings = request.app.state.settings
    target = same_site_next(next)
    try:
        token, role = log_in(
            session,
            username=username,
            password=password,
            address=request.client.host if request.client else "unknown",
            throttle=request.app.state.login_throttle,
            days=1,
            via="login_web",
            demo_allowed=settings.environment.value != "production",
        )
    except LoginThrottledError as err:
        return _page(request, "login.html", None, status_code=429,
                     wait_seconds=err.retry_after, next=target)  # fmt: skip
    except UnauthorizedError:
        return _page(request, "login.html", None, status_code=401, failed=True, next=target)
    response = RedirectResponse(target or HOME[role], status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", max_age=86_400,
        secure=settings.environment.value == "production",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if token:  # the token stops working at once, not when the cookie expires
        users.log_out(session, hash_token(token))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/me", response_class=HTMLResponse)
def my_details_page(
    request: Request, ctx: Annotated[Context, page_context_for(Permission.OWN_DETAILS)]
) -> HTMLResponse:
    """One's own name and work contact details for clients (*Omat tiedot*)."""
    found = users.contact_of(users.user_by_name(ctx.session, ctx.actor.name))
    values = {k: v or "" for k, v in found.model_dump().items()} if found else {}
    return _page(request, "me.html", ctx.actor, values=values, errors=[],
                 saved=request.query_params.get("message") == "saved")  # fmt: skip


@router.post("/me", response_class=HTMLResponse)
def save_my_details_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.OWN_DETAILS)],
    # Past the schema's own limits, so that too long a value is said at its field, kept.
    display_name: Annotated[str, Form(max_length=2000)] = "",
    work_phone: Annotated[str, Form(max_length=2000)] = "",
    work_email: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    display_name = display_name.strip()
    values = {"display_name": display_name, "work_phone": work_phone.strip(),
              "work_email": work_email.strip()}  # fmt: skip
    try:
        # An empty optional field is none; an empty name is a name missing (said so).
        sent = {k: v or None for k, v in values.items()} | {"display_name": display_name}
        contact = StaffContact.model_validate(sent)
        users.set_contact(ctx.session, ctx.actor.name, contact, actor=ctx.actor.name,
                          role=ctx.actor.role)  # fmt: skip
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        lang = _lang(request)
        _ = gettext_for(lang)
        fields = {
            "display_name": FormField("display_name", _("Your name for clients")),
            "work_phone": FormField("work_phone", _("Work phone"),
                                    _("digits, for example 040 123 4567.")),
            "work_email": FormField("work_email", _("Work e-mail")),
        }  # fmt: skip
        return _page(request, "me.html", ctx.actor, values=values,
                     errors=form_problems(err, lang, fields), status_code=422)  # fmt: skip
    return RedirectResponse("/ui/me?message=saved", status_code=303)


@router.get(BROWSER_REFUSAL.removeprefix("/ui"), response_class=HTMLResponse)
def refused(request: Request, status: int = 404, sent: int = 0) -> HTMLResponse:
    """The page for a request the guard refused before any route (too large, too many): the
    status kept, said in the user's language (api.http.ratelimit); ``sent``: it sent a form."""
    if status not in BROWSER_REFUSALS:
        return error_page(request, 404)
    return error_page(request, status, form_sent=sent == 1)


@router.get("/lang/{lang}")
def switch_language(lang: str, next: str = "/ui/") -> RedirectResponse:
    target = next if next.startswith("/ui/") else "/ui/"  # never off-site
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("lang", lang if lang in LANGUAGES else "fi", samesite="lax")
    return response


@router.get("/")
def home(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if not token:
        return RedirectResponse("/ui/login", status_code=303)
    try:
        user = user_for_token(session, token)
    except UnauthorizedError:
        return RedirectResponse("/ui/login", status_code=303)
    return RedirectResponse(HOME[user.role], status_code=303)
