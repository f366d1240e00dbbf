"""`tasma train`: fit the re-ranker on the recorded history, test it against the rules on
the newest slice, and write its card."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from api.jobs.evaluation import finite
from api.jobs.model_store import library_versions
from matching.evaluation import Verdict, judge_reranker
from matching.index import MatchIndex
from matching.reranker import (
    FEATURES,
    MATURE_DAYS,
    MONOTONE,
    Reranker,
    fit_held_out,
    time_split,
    training_data,
)
from matching.rules import RuleSet

__all__ = ["refusal", "train_with_card"]


def _day(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _verdict_text(verdict: Verdict, comparison: dict[str, Any], k: int, brier: float,
                  base_brier: float) -> str:  # fmt: skip
    hit, mrr = comparison[f"hit_rate@{k}"], comparison["mrr"]
    figures = f"hit rate@{k} {hit['a']:.3f} → {hit['b']:.3f}, MRR {mrr['a']:.3f} → {mrr['b']:.3f}"
    if verdict is Verdict.WORSE and brier >= base_brier:
        return (f"worse than predicting the base rate (Brier {brier:.4f} ≥ {base_brier:.4f}; "
                f"{figures}); do not activate")  # fmt: skip
    if verdict is Verdict.WORSE:
        return f"worse than the rules on held-out history ({figures}); do not activate"
    if verdict is Verdict.BETTER:
        return f"beats the rules on held-out history ({figures}; intervals above zero)"
    return f"no clear difference from the rules on held-out history ({figures})"


def refusal(metrics: dict[str, Any]) -> str | None:
    """Why a trained model must not be saved, or None: probabilities no better than saying the
    base rate to everyone (its test Brier score at least the base rate's) can only mislead a
    ranking that trusts them, whatever its hit rate happened to be."""
    brier, base = metrics["test_brier"], metrics["base_rate_brier"]
    if brier >= base:
        return (f"not saved: its probabilities are no better than the base rate's "
                f"(Brier {brier:.4f} ≥ {base:.4f})")  # fmt: skip
    return None


def train_with_card(
    index: MatchIndex,
    rules: RuleSet,
    tables: dict[str, pd.DataFrame],
    *,
    version: str,
    k: int = 10,
    progress: Callable[..., Iterable[Any]] | None = None,
) -> tuple[Reranker, dict[str, Any]]:
    people, tasks = index.people, index.tasks
    data = training_data(
        people, tasks, rules, tables["proposal"], tables["proposal_task"], tables["outcome_event"]
    )
    held = fit_held_out(data, version=version)
    if held is None:
        from features.errors import InvalidInputError

        raise InvalidInputError(
            [], f"too little mature history to train on ({len(data.y)} pairs the rules allow)"
        )
    model, test = held.model, held.test
    rules_total = data.x[test][:, : len([f for f in FEATURES if f.startswith("component:")])].sum(
        axis=1
    )
    options: dict[str, Any] = {"k": k, "coverage_sample": 200, "task_sample": 50}
    if progress is not None:
        options["progress"] = progress
    today = datetime.now(UTC).date()
    judged = judge_reranker(index, rules, tables, held, today, **options)
    comparison, verdict = judged.comparison, judged.verdict
    brier, base_brier = held.brier, held.base_rate_brier
    fit, calibrate, _ = time_split(len(data.y))
    predicted = held.predicted
    digest = hashlib.sha256(np.ascontiguousarray(data.x).tobytes() + data.y.tobytes())
    card = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "summary": "Predicts the probability that a proposed (person, task) pair leads to a "
        "hire or to employment still going after six months, and reorders the pairs the rule "
        "set found feasible. It never makes an infeasible pair feasible.",
        "intended_use": "Ordering suggestions for coordinators, who decide. Not for judging "
        "people: it scores pairs, and it was trained on the outcomes of past proposals only.",
        "model": "HistGradientBoostingClassifier with monotonic constraints, isotonic calibration",
        "features": list(FEATURES),
        "monotone": {name: MONOTONE.get(name, 0) for name in FEATURES},
        "training": {
            "rows": len(data.y),
            "positives": int(data.y.sum()),
            "left_out_not_allowed_by_rules": data.not_allowed,
            "mature_days": MATURE_DAYS,
            "fit": [_day(data.proposed_at[fit][0]), _day(data.proposed_at[fit][-1])],
            "calibrate": [
                _day(data.proposed_at[calibrate][0]),
                _day(data.proposed_at[calibrate][-1]),
            ],
            "test": [_day(data.proposed_at[test][0]), _day(data.proposed_at[test][-1])],
            "ruleset": rules.version,
            "data_sha256": digest.hexdigest(),
        },
        "libraries": library_versions(),
        "metrics": {
            "test_auc": float(roc_auc_score(data.y[test], predicted)),
            "rules_auc": float(roc_auc_score(data.y[test], rules_total)),
            "test_brier": brier,
            "base_rate_brier": base_brier,
            "comparison": comparison,
        },
        "verdict": _verdict_text(verdict, comparison, k, brier, base_brier),
        "verdict_code": verdict.value,
        "fairness": judged.evaluation.to_dict()["fairness"],
    }
    return model, finite(card)
