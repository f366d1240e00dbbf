"""The web UI's rule-set pages: the versions, a new version edited as YAML, the comparison on
the recorded history, and asking for and approving an activation."""

from __future__ import annotations

from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.runtime import BusyError
from api.core.security import Permission, allowed
from api.employers import network as employer_network
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.lanes import run_heavy
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.rulesets import comparisons, evaluation
from api.rulesets import service as ruleset_service
from api.rulesets.schemas import ComparisonRequest, ModelCard, TrainingRequest
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.i18n import N_, gettext_for
from matching.evaluation_reading import MIN_SUCCESSES, read_comparison, read_metrics
from matching.rules import parse_ruleset, ruleset_yaml

__all__ = ["router"]

RULESET_MESSAGES = ("requested", "activated", "created", "declined")
"""What the rule sets' page may say after a step (``?message=``)."""

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
    request_error: str | None = None,
    decline_error: str | None = None,
    typed_note: str = "",
    request_conflict: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    """The rule sets, the activation requests (who asked, why) and the activations (who
    approved, why)."""
    session, user = ctx.session, ctx.actor
    listed = ruleset_service.list_rulesets(session)
    funnel = employer_network.funnel(ctx) if allowed(user.role, Permission.EVALUATE) else None
    pair = comparisons.default_pair(session)
    return _page(request, "rulesets.html", user, rows=listed.data, funnel=funnel, pair=pair,
                 active=next((r.version for r in listed.data if r.active), None),
                 requests=ruleset_service.pending_requests(session),
                 activations=ruleset_service.recent(session, "activate_ruleset"),
                 declines=ruleset_service.recent(session, "decline_activation", 5),
                 message=message if message in RULESET_MESSAGES else "",
                 can_write=allowed(user.role, Permission.WRITE_RULESETS),
                 activation_error=activation_error, request_error=request_error,
                 decline_error=decline_error, typed_note=typed_note,
                 request_conflict=request_conflict, status_code=status_code,
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
                 version_form=VERSION_FORM,
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
            fields = {e.field: FormField("rules", e.field) for e in err.errors}
            fields["version"] = FormField("version", _("Version"), hint=_(VERSION_FORM))
            problems = form_problems(err, lang, fields)
        except ConflictError:
            ctx.session.rollback()
            problems = [Problem(_("Version: a rule set of this version exists; give the change a "
                                  "new version."), "version")]  # fmt: skip
    if problems:
        listed = ruleset_service.list_rulesets(ctx.session)
        return _page(request, "ruleset_form.html", ctx.actor, base=base, versions=listed.data,
                     version_form=VERSION_FORM,
                     values=values, errors=problems, status_code=422)  # fmt: skip
    return RedirectResponse("/ui/rulesets?message=created", status_code=303)


VERSION_FORM = N_(
    "letters a–z (no å, ä or ö), digits, dots, hyphens and underscores, starting with a letter "
    "or a digit, at most 64 characters (for example 2026.12-near)."
)
"""A version name's form (``matching.rules.RuleSet.version``), said beside the field and when
a name is refused."""


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


def _compare_start(
    request: Request,
    ctx: Context,
    a: str | None,
    b: str | None,
    *,
    errors: list[Problem] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The comparison's form (A and B, the active version against the newest other one by
    default) and the comparisons asked for lately."""
    session = ctx.session
    versions = ruleset_service.list_rulesets(session).data
    default_a, default_b = comparisons.default_pair(session)
    return _page(request, "compare_start.html", ctx.actor, versions=versions,
                 a=a or default_a, b=b or default_b, runs=comparisons.recent(session).data,
                 errors=errors or [], status_code=status_code)  # fmt: skip


@router.get("/rulesets/compare", response_class=HTMLResponse, response_model=None)
def compare_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
    a: Annotated[str, Query(max_length=64)] = "",
    b: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse | RedirectResponse:
    """A pair already compared on the history as it is now opens at once; otherwise the form
    to start one, with the pair filled in."""
    kept = comparisons.latest(ctx.session, a, b) if a and b else None
    if kept is not None:
        return RedirectResponse(f"/ui/rulesets/compare/{kept.id}", status_code=303)
    return _compare_start(request, ctx, a or None, b or None)


@router.post("/rulesets/compare", response_class=HTMLResponse, response_model=None)
def start_comparison(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
    a: Annotated[str, Form(max_length=64)] = "",
    b: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse | RedirectResponse:
    """Start the comparison in the background and open its page, which follows its progress
    (the same pair on an unchanged history: the one kept or under way)."""
    _ = gettext_for(_lang(request))
    try:
        run = comparisons.start(
            ctx, ComparisonRequest(a=a or None, b=b), request.app.state.sessions
        )
    except InvalidInputError as err:
        ctx.session.rollback()
        said = {"unknown_ruleset": _("choose one of the stored versions."),
                "same_ruleset": _("choose a version other than A.")}  # fmt: skip
        problems = [Problem(f"{e.field.upper()}: {said.get(e.kind, said['unknown_ruleset'])}",
                            f"compare-{e.field}") for e in err.errors]  # fmt: skip
        return _compare_start(request, ctx, a, b, errors=problems, status_code=422)
    except BusyError:
        ctx.session.rollback()
        busy = _("Other comparisons are already running: start this one when one of them has "
                 "finished.")  # fmt: skip
        return _compare_start(request, ctx, a, b, errors=[Problem(busy)], status_code=503)
    return RedirectResponse(f"/ui/rulesets/compare/{run.id}", status_code=303)


@router.get("/rulesets/compare/{run_id}", response_class=HTMLResponse)
def comparison_page(
    request: Request,
    run_id: int,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
) -> HTMLResponse:
    """A comparison: its progress while it runs, its report once done — the verdict first,
    then what B pays for it, the metrics side by side and the fairness charts."""
    run = comparisons.read(ctx, run_id)
    if run.report is None:
        return _page(request, "compare_wait.html", ctx.actor, run=run)
    changes = ruleset_service.diff(ctx.session, run.a, run.b).changes
    return _page(request, "compare.html", ctx.actor, run=run, report=run.report,
                 reading=read_comparison(run.report.model_dump()), a=run.a, b=run.b,
                 changes=changes, min_cell=run.report.a.min_cell,
                 min_successes=MIN_SUCCESSES)  # fmt: skip


@router.get("/rulesets/compare/{run_id}/progress", response_class=JSONResponse)
def comparison_progress(
    run_id: int,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
) -> JSONResponse:
    """What the waiting page polls: the state and the pass under way."""
    run = comparisons.progress(ctx.session, run_id)
    return JSONResponse({"state": run.state.value, "step": run.step, "stage": run.stage,
                         "done": run.done,
                         "total": run.total})  # fmt: skip


@router.post("/rulesets/{version}/request", response_model=None)
def request_activation(
    version: str,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_RULESETS)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse | HTMLResponse:
    """An analyst asks an admin to activate a version, saying why: an audited request, no
    change yet; without a reason the page says so at the form."""
    try:
        ruleset_service.request_activation(ctx, version, note)
    except InvalidInputError:
        ctx.session.rollback()
        return _rulesets(request, ctx, request_error=version, typed_note=note, status_code=422)
    except ConflictError:
        ctx.session.rollback()
        return _rulesets(request, ctx, request_error=version, typed_note=note,
                         request_conflict=True, status_code=409)  # fmt: skip
    return RedirectResponse("/ui/rulesets?message=requested", status_code=303)


@router.post("/rulesets/{version}/decline", response_model=None)
def decline_activation(
    version: str,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.ACTIVATE_RULESET)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse | HTMLResponse:
    """An admin declines the pending requests for a version, saying why (audited)."""
    try:
        ruleset_service.decline_activation(ctx, version, note)
    except InvalidInputError:
        ctx.session.rollback()
        return _rulesets(request, ctx, decline_error=version, typed_note=note, status_code=422)
    return RedirectResponse("/ui/rulesets?message=declined", status_code=303)


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
        return _rulesets(request, ctx, activation_error=version, typed_note=note, status_code=422)
    ruleset_service.activate(ctx, version, note)
    return RedirectResponse("/ui/rulesets?message=activated", status_code=303)


def _models(
    request: Request,
    ctx: Context,
    *,
    version: str = "",
    errors: list[Problem] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The learned re-rankers with their verdicts, and the form to train a new one."""
    cards = evaluation.models(request.app.state.settings.models_dir)
    return _page(request, "models.html", ctx.actor, cards=cards, version=version,
                 errors=errors or [], status_code=status_code)  # fmt: skip


@router.get("/models", response_class=HTMLResponse)
def models_page(
    request: Request, ctx: Annotated[Context, page_context_for(Permission.EVALUATE)]
) -> HTMLResponse:
    return _models(request, ctx)


@router.post("/models", response_class=HTMLResponse, response_model=None)
async def train_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
    version: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse | RedirectResponse:
    """Train a re-ranker on the history as ``tasma train`` does (on the analysts' thread, one
    heavy job at a time); a saved model's card opens, a refused one is shown with why."""
    _ = gettext_for(_lang(request))
    name = version.strip()
    try:
        TrainingRequest(version=name)
    except ValidationError:
        said = _("Name: use letters, digits, dots, hyphens or underscores, starting with a "
                 "letter or a digit (64 characters at most).")  # fmt: skip
        return _models(request, ctx, version=version, errors=[Problem(said, "model-version")],
                       status_code=422)  # fmt: skip
    models_dir = request.app.state.settings.models_dir
    try:
        _target, card = await run_heavy(
            request,
            lambda: evaluation.train(
                ctx, version=name, k=10, models_dir=models_dir, activate=False
            ),
        )
    except ConflictError:
        ctx.session.rollback()
        said = _("Name: a model of this name exists; give the new one another name.")
        return _models(request, ctx, version=version, errors=[Problem(said, "model-version")],
                       status_code=409)  # fmt: skip
    except InvalidInputError:
        ctx.session.rollback()
        said = _("The history holds too few proposals whose outcome is known to train a model "
                 "on yet.")  # fmt: skip
        return _models(request, ctx, version=version, errors=[Problem(said)], status_code=422)
    except BusyError:
        said = _("Another heavy job is running and others are waiting: try again in a moment.")
        return _models(request, ctx, version=version, errors=[Problem(said)], status_code=503)
    if card.get("refused"):
        return _page(request, "model.html", ctx.actor, card=ModelCard.model_validate(card),
                     metrics=read_metrics(card["metrics"]["comparison"]))  # fmt: skip
    return RedirectResponse(f"/ui/models/{name}?message=trained", status_code=303)


@router.get("/models/{version}", response_class=HTMLResponse)
def model_page(
    request: Request,
    version: str,
    ctx: Annotated[Context, page_context_for(Permission.EVALUATE)],
    message: str = "",
) -> HTMLResponse:
    """A model's card in the reader's language: what it predicts, on what it was trained, how
    it compares with the rules on held-out history, and for whom."""
    cards = evaluation.models(request.app.state.settings.models_dir)
    card = next((c for c in cards if c.version == version), None)
    if card is None:
        raise NotFoundError(f"no model {version!r}")
    return _page(request, "model.html", ctx.actor, card=card,
                 metrics=read_metrics(card.metrics["comparison"]),
                 message="trained" if message == "trained" else "")  # fmt: skip
