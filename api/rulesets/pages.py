"""The web UI's rule-set pages: the versions, a new version edited as YAML, the comparison on
the recorded history, and asking for and approving an activation."""

from __future__ import annotations

from typing import Annotated

import anyio
import yaml
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.core.security import Permission, allowed
from api.employers import network as employer_network
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.lanes import run_heavy
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.rulesets import evaluation
from api.rulesets import service as ruleset_service
from api.rulesets.schemas import EvaluationRequest
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for
from matching.rules import parse_ruleset, ruleset_yaml

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/rulesets", response_class=HTMLResponse)
def rulesets_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_RULESETS)],
    message: str = "",
) -> HTMLResponse:
    return _rulesets(request, ctx, message=message)


def _rulesets(
    request: Request,
    ctx: Context,
    *,
    message: str = "",
    activation_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The rule sets, the activation requests (who asked, why) and the activations (who
    approved, why)."""
    session, user = ctx.session, ctx.actor
    listed = ruleset_service.list_rulesets(session)
    funnel = employer_network.funnel(ctx) if allowed(user.role, Permission.EVALUATE) else None
    return _page(request, "rulesets.html", user, rows=listed.data, funnel=funnel,
                 active=next((r.version for r in listed.data if r.active), None),
                 requests=ruleset_service.recent(session, "request_activation"),
                 activations=ruleset_service.recent(session, "activate_ruleset"),
                 message=message if message in ("requested", "activated", "created") else "",
                 can_write=allowed(user.role, Permission.WRITE_RULESETS),
                 activation_error=activation_error, status_code=status_code,
                 can_evaluate=allowed(user.role, Permission.EVALUATE),
                 can_activate=allowed(user.role, Permission.ACTIVATE_RULESET))  # fmt: skip


@router.get("/rulesets/new", response_class=HTMLResponse)
def new_ruleset_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_RULESETS)],
    base: Annotated[str, Query(alias="from", max_length=64)] = "",
) -> HTMLResponse:
    """A new rule-set version, edited from an existing one (the active one by default) as the
    same YAML the CLI and version control use."""
    listed = ruleset_service.list_rulesets(ctx.session)
    active = next((r.version for r in listed.data if r.active), listed.data[0].version)
    base = base if any(r.version == base for r in listed.data) else active
    text = ruleset_yaml(ruleset_service.rules(ctx.session, base))
    return _page(request, "ruleset_form.html", ctx.actor, base=base, versions=listed.data,
                 values={"version": "", "note": "", "rules": text})  # fmt: skip


@router.post("/rulesets/new", response_class=HTMLResponse)
def create_ruleset_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_RULESETS)],
    base: Annotated[str, Form(max_length=64)],
    version: Annotated[str, Form(max_length=64)],
    note: Annotated[str, Form(max_length=500)],
    rules: Annotated[str, Form(max_length=100_000)],
) -> Response:
    lang = _lang(request)
    _ = gettext_for(lang)
    values = {"version": version, "note": note, "rules": rules}
    problems = _ruleset_problems(base, version, note, rules, lang)
    if not problems:
        try:
            ruleset = parse_ruleset({**yaml.safe_load(rules), "version": version.strip()})
            ruleset_service.create(ctx, ruleset, note=note.strip(), parent=base)
        except InvalidInputError as err:
            ctx.session.rollback()
            fields = {e.field: FormField("version" if e.field == "version" else "rules", e.field)
                      for e in err.errors}  # fmt: skip
            problems = form_problems(err, lang, fields)
        except ConflictError:
            ctx.session.rollback()
            problems = [Problem(_("Version: a rule set of this version exists; give the change a "
                                  "new version."), "version")]  # fmt: skip
    if problems:
        listed = ruleset_service.list_rulesets(ctx.session)
        return _page(request, "ruleset_form.html", ctx.actor, base=base, versions=listed.data,
                     values=values, errors=problems, status_code=422)  # fmt: skip
    return RedirectResponse("/ui/rulesets?message=created", status_code=303)


def _ruleset_problems(base: str, version: str, note: str, text: str, lang: str) -> list[Problem]:
    """What the form's own fields get wrong before the rule set itself is read."""
    _ = gettext_for(lang)
    out = []
    if not version.strip():
        out.append(Problem(_("Version: fill this in (for example 2026.12-near)."), "version"))
    if len(note.strip()) < 3:
        out.append(Problem(_("Change note: write what changes and why."), "note"))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        out.append(Problem(_("Rule set: the text is not valid YAML (line %(line)s); check the "
                             "indentation and the colons.") % {"line": line}, "rules"))  # fmt: skip
        return out
    if not isinstance(data, dict):
        out.append(Problem(_("Rule set: the text does not hold a rule set."), "rules"))
    return out


@router.get("/rulesets/compare", response_class=HTMLResponse)
async def compare_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
    a: Annotated[str, Query(max_length=64)],
    b: Annotated[str, Query(max_length=64)],
) -> HTMLResponse:
    """Side by side on the recorded history, with the fairness charts: the same samples and
    so the same figures as the CLI's and the API's; on the analysts' thread, one at a time."""
    body = EvaluationRequest(ruleset=a, against=b)
    report = await run_heavy(request, lambda: evaluation.evaluate(ctx, body, via="web"))
    changes = await anyio.to_thread.run_sync(
        lambda: ruleset_service.diff(ctx.session, a, b).changes
    )
    return _page(
        request, "compare.html", ctx.actor, report=report, a=a, b=b, changes=changes,
        min_cell=report.a.min_cell,
    )  # fmt: skip


@router.post("/rulesets/{version}/request")
def request_activation(
    version: str,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_RULESETS)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """An analyst asks an admin to activate a version: an audited request, no change yet."""
    ruleset_service.request_activation(ctx, version, note)
    return RedirectResponse("/ui/rulesets?message=requested", status_code=303)


@router.post("/rulesets/{version}/activate", response_model=None)
def activate_page(
    version: str,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.ACTIVATE_RULESET)],
    note: Annotated[str, Form(max_length=500)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> RedirectResponse | HTMLResponse:
    """Activation changes every match from now on: it needs the admin's confirmation and a
    note of why, both recorded; without them the page says so at the form."""
    if confirm != "on" or len(note.strip()) < 3:
        return _rulesets(request, ctx, activation_error=version, status_code=422)
    ruleset_service.activate(ctx, version, note)
    return RedirectResponse("/ui/rulesets?message=activated", status_code=303)
