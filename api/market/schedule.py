"""When the service runs the batch by itself: every night at ``TASMA_BATCH_NIGHTLY_AT``, and
after bulk changes (a Ratko upload or an import that adds or removes many people or tasks).

One thread per service process wakes every few minutes. It starts a run when the night's time
has come and no run was made since, or when the pool has grown or shrunk by
:data:`BULK_CHANGE` since the latest run. Several processes may wake together: the run itself
takes a file lock in the batch folder, and a process that finds a fresh run does nothing.
Runs are audited as the user ``system:batch``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from api.core.context import Context
from api.core.runtime import IndexHolder, User
from api.core.security import Role
from api.core.settings import Settings
from api.jobs.run_store import BatchRuns
from api.market import service as market
from features.errors import ConflictError
from matching.batch import task_pool

__all__ = ["BULK_CHANGE", "SYSTEM", "BatchSchedule", "due"]

log = logging.getLogger("tasma.batch")

SYSTEM = User(id=0, name="system:batch", role=Role.ADMIN, area=None)
BULK_CHANGE = 0.02
"""A share of the pool (people plus tasks) added or removed since the latest run that counts
as a bulk change."""
WAKE_SECONDS = 300.0


def due(
    now: datetime,
    nightly_at: time,
    latest: datetime | None,
    pool_now: int,
    pool_then: int | None,
) -> bool:
    """Whether to run now: tonight's time has passed since the latest run (or there is
    none), or the pool changed by :data:`BULK_CHANGE` or more since it."""
    if latest is None or pool_then is None:
        return True
    tonight = datetime.combine(now.date(), nightly_at, tzinfo=now.tzinfo)
    if tonight > now:
        tonight -= timedelta(days=1)
    if latest < tonight:
        return True
    return abs(pool_now - pool_then) >= BULK_CHANGE * max(pool_then, 1)


class BatchSchedule:
    """The nightly and bulk-change runs of one service process."""

    def __init__(
        self,
        settings: Settings,
        sessions: Callable[[], Session],
        index: IndexHolder,
        runs: BatchRuns,
    ) -> None:
        if settings.batch_nightly_at is None:
            raise ValueError("no nightly time set")
        hours, minutes = map(int, settings.batch_nightly_at.split(":"))
        self.at = time(hours, minutes)
        self.settings, self.sessions, self.index, self.runs = settings, sessions, index, runs
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="batch-schedule", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(WAKE_SECONDS):
            try:
                self.tick(datetime.now().astimezone())
            except Exception:
                log.exception("batch schedule: the check failed")

    def tick(self, now: datetime) -> bool:
        """Run if due; True when a run was made by this call."""
        runs = self.runs.runs()
        latest = runs[0] if runs else None
        with self.sessions() as session:
            index = self.index.get(session)
            pool_now = int(index.people.matchable.sum()) + len(
                task_pool(index.tasks, self.index.rules).rows
            )
            then = None if latest is None else latest.people + latest.tasks
            when = None if latest is None else datetime.fromisoformat(latest.created_at)
            if not due(now, self.at, when, pool_now, then):
                return False
            ctx = Context(session=session, actor=SYSTEM, index=self.index, batch=self.runs)
            try:
                market.run_now(ctx, self.settings)
            except ConflictError:
                return False  # another process is running it
        return True
