"""Replaying the recorded history under rule sets (analysts): aggregates only, audited. The
HTTP layer runs it in a lane of its own (:mod:`api.http.lanes`), one at a time per process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from api.core.context import Context
from api.jobs.evaluation import read_history, run_evaluation
from api.rulesets import service as ruleset_service
from api.rulesets.schemas import EvaluationReport, EvaluationRequest, ModelCard
from api.storage import rulesets
from api.storage.audit import record
from features.errors import ConflictError
from matching.rules import RuleSet

__all__ = ["evaluate", "models", "train"]


def evaluate(
    ctx: Context,
    body: EvaluationRequest,
    *,
    via: str = "api",
    first: RuleSet | None = None,
    second: RuleSet | None = None,
    progress: Callable[..., Iterable[Any]] | None = None,
) -> EvaluationReport:
    """The report for a rule set (default: the active one) and, with ``against``, both side
    by side with bootstrap intervals of the differences. ``first``/``second`` are rules being
    tried from a file (the CLI), used instead of the stored versions ``body`` names."""
    session = ctx.session
    index = ctx.index.get(session)
    if first is None:
        first = (
            ruleset_service.rules(session, body.ruleset)
            if body.ruleset
            else rulesets.active_ruleset(session)
        )
    if second is None and body.against:
        second = ruleset_service.rules(session, body.against)
    report = run_evaluation(
        session.connection(), index, first, second, k=body.k,
        coverage_sample=body.coverage_sample, task_sample=body.task_sample, progress=progress,
        as_of=body.as_of,
    )  # fmt: skip
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="evaluate",
           object_type="ruleset", object_id=first.version, ruleset_version=first.version,
           details={"against": second.version if second else None, "k": body.k,
                    "as_of": body.as_of, "via": via})  # fmt: skip
    session.commit()
    return EvaluationReport.model_validate(report)


def train(
    ctx: Context,
    *,
    version: str,
    k: int,
    models_dir: Path,
    activate: bool,
    progress: Callable[..., Iterable[Any]] | None = None,
) -> tuple[Path | None, dict[str, Any]]:
    """Train the re-ranker on the consented history under the active rule set, save it with
    its card (and make it the active model when asked); audited with its verdict. A model no
    better than the base rate is not saved (``None``, the card says why)."""
    from api.jobs.model_store import activate_model, save_reranker
    from api.jobs.training import refusal, train_with_card

    if (models_dir / version).exists():  # a model's files are never replaced, the active one least
        raise ConflictError(f"a model {version!r} exists; give the new one another name")
    session = ctx.session
    rules = rulesets.active_ruleset(session)
    tables = read_history(session.connection())
    model, card = train_with_card(
        ctx.index.get(session), rules, tables, version=version, k=k, progress=progress
    )
    refused = refusal(card["metrics"])
    card["saved"] = refused is None
    target = None if refused else save_reranker(models_dir, model, card)
    if activate and target is not None:
        activate_model(models_dir, version)
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="train_model",
           object_type="model", object_id=version, ruleset_version=rules.version,
           model_version=version,
           details={"verdict": card.get("verdict_code"), "saved": target is not None,
                    "activated": activate and target is not None})  # fmt: skip
    session.commit()
    if refused:
        card["refused"] = refused
    return target, card


def models(models_dir: Path) -> list[ModelCard]:
    """The learned re-rankers saved in ``models_dir`` with their cards, newest first, the one
    in use marked (aggregates only: a card names no person)."""
    from api.jobs.model_store import model_cards

    return [ModelCard.model_validate(card) for card in model_cards(models_dir)]
