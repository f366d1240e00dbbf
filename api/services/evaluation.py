"""Replaying the recorded history under rule sets (analysts): aggregates only, audited, and
run one at a time per process on a thread of its own, so heavy analyst work never occupies
the threads that answer matches and ``/health``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import Request

from api.audit import record
from api.errors import BusyError
from api.evaluation import run_evaluation
from api.models import EvaluationRequest
from api.services.context import Context
from api.storage import rulesets

__all__ = ["HEAVY_QUEUE", "evaluate", "run_heavy"]

HEAVY_QUEUE = 2
"""Analyst jobs that may wait for the one running in a process; past that, 503."""
T = TypeVar("T")


async def run_heavy(request: Request, work: Callable[[], T]) -> T:
    """Run ``work`` on the process's analyst thread (one at a time), or answer 503 when too
    many are already waiting."""
    limiter: anyio.CapacityLimiter = request.app.state.heavy_limiter
    if limiter.statistics().tasks_waiting >= HEAVY_QUEUE:
        raise BusyError("an evaluation is already running and others are waiting; retry later")
    return await anyio.to_thread.run_sync(work, limiter=limiter)


def evaluate(ctx: Context, body: EvaluationRequest, *, via: str = "api") -> dict[str, Any]:
    """The report for a rule set (default: the active one) and, with ``against``, both side
    by side with bootstrap intervals of the differences."""
    session = ctx.session
    index = ctx.index.get(session)
    first = (
        rulesets.rules_of(rulesets.get_ruleset(session, body.ruleset))
        if body.ruleset
        else rulesets.active_ruleset(session)
    )
    second = (
        rulesets.rules_of(rulesets.get_ruleset(session, body.against)) if body.against else None
    )
    report = run_evaluation(
        session.connection(), index, first, second, k=body.k,
        coverage_sample=body.coverage_sample, task_sample=body.task_sample,
    )  # fmt: skip
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="evaluate",
           object_type="ruleset", object_id=first.version, ruleset_version=first.version,
           details={"against": body.against, "k": body.k, "via": via})  # fmt: skip
    session.commit()
    return report
