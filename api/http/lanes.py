"""Lanes for heavy work in a web process: evaluations and training, and what-ifs and hand-over
options, each run one at a time per process on a thread of its own, so that they never occupy
the threads that answer matches and ``/health``; past a short queue, 503 at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import anyio
from fastapi import Request

from api.core.runtime import BusyError

__all__ = ["HEAVY_QUEUE", "MARKET_QUEUE", "Lane", "run_heavy", "run_market"]

HEAVY_QUEUE = 2
"""Analyst jobs that may wait for the one running in a process; past that, 503."""
MARKET_QUEUE = 8
"""What-ifs and hand-over options that may wait for the one running in a process."""
T = TypeVar("T")


@dataclass
class Lane:
    """A thread of its own for one kind of heavy work, and who is in it (running or waiting):
    counted here, on the event loop, at admission — the limiter's own statistics lag behind
    requests that arrive together."""

    limiter: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(1))
    admitted: int = 0


async def run_heavy(request: Request, work: Callable[[], T]) -> T:
    """Run ``work`` on the process's analyst thread (one at a time), or answer 503 when too
    many are already waiting."""
    busy = "an evaluation is already running and others are waiting; retry later"
    return await _in_lane(request.app.state.heavy_lane, HEAVY_QUEUE, work, busy)


async def run_market(request: Request, work: Callable[[], T]) -> T:
    """Run a what-if or hand-over options (a recount over the whole pool, ~0.1–1 s) on the
    process's market thread, one at a time, or answer 503 when too many are waiting: forty of
    them at once once held every request thread, and /health took 5.6 s."""
    busy = "the pool is being recounted for others; retry in a moment"
    return await _in_lane(request.app.state.market_lane, MARKET_QUEUE, work, busy)


async def _in_lane(lane: Lane, queue: int, work: Callable[[], T], busy: str) -> T:
    if lane.admitted >= lane.limiter.total_tokens + queue:
        raise BusyError(busy)
    lane.admitted += 1
    try:
        return await anyio.to_thread.run_sync(work, limiter=lane.limiter)
    finally:
        lane.admitted -= 1
