"""Evaluation runs for the CLI and the API: read the history, replay, report, compare."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from api.storage.loading import read_tables
from matching.evaluation import compare, evaluate, replay
from matching.index import MatchIndex
from matching.rules import RuleSet

__all__ = ["HISTORY_TABLES", "finite", "run_evaluation"]

HISTORY_TABLES = ("proposal", "proposal_task", "outcome_event", "jobseeker_demographics")


def run_evaluation(
    bind: Engine | Connection,
    index: MatchIndex,
    rules: RuleSet,
    against: RuleSet | None = None,
    *,
    k: int = 10,
    coverage_sample: int = 2000,
    task_sample: int = 300,
    progress: Callable[..., Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """The report for ``rules`` and, with ``against``, both side by side with bootstrap
    intervals of the differences (``against`` − ``rules``)."""
    tables = read_tables(bind, HISTORY_TABLES)
    options: dict[str, Any] = {
        "k": k,
        "coverage_sample": coverage_sample,
        "task_sample": task_sample,
    }
    if progress is not None:
        options["progress"] = progress
    demographics = tables["jobseeker_demographics"]
    as_of = datetime.now(UTC).date()  # ages for the age bands
    first = evaluate(replay(index, rules, tables, **options), demographics, as_of)
    report: dict[str, Any] = {"a": first.to_dict()}
    if against is not None:
        second = evaluate(replay(index, against, tables, **options), demographics, as_of)
        report["b"] = second.to_dict()
        report["comparison"] = compare(first, second)
    return finite(report)


def finite(value: Any) -> Any:
    """JSON has no NaN: a metric with nothing to measure is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value
