"""The analysts' comparison of two rule sets as a background job: asked for, run on a thread
of the process with a session of its own, its progress written as it goes, its report kept.

A replay of both rule sets on the recorded history takes seconds on a small world and minutes
on a large one; nobody should wait on a page for it, nor pay for it again by reopening the
page. A comparison asked for again on an unchanged history (:func:`history_mark`) is the one
already kept or under way. One runs at a time per process (the rest wait their turn); a run
whose process stopped is told as interrupted once it has given no sign of life for
:data:`SILENT_FOR`, and may be run again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.core.context import Context
from api.core.runtime import BusyError
from api.rulesets import evaluation
from api.rulesets.schemas import (
    ComparisonRequest,
    ComparisonRun,
    ComparisonRunList,
    ComparisonState,
    EvaluationReport,
    EvaluationRequest,
)
from api.storage import rulesets as store
from api.storage.audit import record
from api.storage.history import history_mark
from api.storage.locks import Turn, take_turn
from api.storage.tables import ComparisonRunRow, RuleSetRow
from features.errors import InvalidInputError, NotFoundError
from features.schemas.errors import FieldError

__all__ = [
    "MAX_UNFINISHED",
    "SILENT_FOR",
    "default_pair",
    "latest",
    "progress",
    "read",
    "recent",
    "start",
]

log = logging.getLogger(__name__)

SILENT_FOR = timedelta(seconds=60)
"""A run's process writes a sign of life every :data:`_BEAT` seconds; silent this long, it
stopped (a restart, a crash) and the run is told as interrupted."""
_BEAT = 10.0
_PROGRESS_EVERY = 1.0
"""Seconds between progress writes: a pass over thousands of items writes a few rows, not
thousands."""
MAX_UNFINISHED = 3
"""Comparisons waiting or running at once (all processes); past that, asking is refused."""

_ONE_AT_A_TIME = threading.Lock()
"""A comparison holds both cores for its length: in one process they take turns."""

Sessions = Callable[[], Session]


def _state(row: ComparisonRunRow, now: datetime) -> ComparisonState:
    if row.failure is not None:
        return ComparisonState.FAILED
    if row.finished_at is not None:
        return ComparisonState.DONE
    if (row.heartbeat_at or row.requested_at) < now - SILENT_FOR:
        return ComparisonState.INTERRUPTED
    return ComparisonState.RUNNING if row.started_at is not None else ComparisonState.WAITING


def _public(row: ComparisonRunRow, mark: str, now: datetime, *, report: bool) -> ComparisonRun:
    state = _state(row, now)
    return ComparisonRun(
        id=row.id, a=row.ruleset_a, b=row.ruleset_b, k=row.k, state=state,
        requested_by=row.requested_by, requested_at=row.requested_at,
        started_at=row.started_at, finished_at=row.finished_at,
        step=row.step, stage=row.stage, done=row.done, total=row.total,
        current=row.history_mark == mark,
        report=EvaluationReport.model_validate(row.report)
        if report and state is ComparisonState.DONE and row.report is not None
        else None,
        failure=row.failure,
    )  # fmt: skip


def default_pair(session: Session) -> tuple[str | None, str | None]:
    """What a comparison compares unless told: the active version (A) against the newest
    other one (B); B is None while only one version is stored."""
    versions = store.list_rulesets(session)
    active = store.active_version(session) or (versions[-1].version if versions else None)
    others = [r.version for r in versions if r.version != active]
    return active, (others[-1] if others else None)


def start(ctx: Context, body: ComparisonRequest, sessions: Sessions) -> ComparisonRun:
    """Ask for a comparison of A (default: the active version) with B on the recorded
    history, run in the background. On an unchanged history the one already kept or under
    way for the same pair is given instead of a new run. Audited; refused when A and B are
    one version, when either is unknown, or when :data:`MAX_UNFINISHED` are already under way
    (:class:`BusyError`)."""
    session, now = ctx.session, datetime.now(UTC)
    a = body.a or default_pair(session)[0]
    problems = [
        FieldError(side, f"no rule set {version!r}", "unknown_ruleset")
        for side, version in (("a", a), ("b", body.b))
        if not version or session.get(RuleSetRow, version) is None
    ]
    if not problems and a == body.b:
        problems.append(FieldError("b", "A and B are the same version", "same_ruleset"))
    if problems:
        raise InvalidInputError(problems)
    assert a is not None
    # Looked for, counted and inserted by one request at a time (the same pair asked twice at
    # once is one run; the limit is not passed).
    take_turn(session, Turn.COMPARISON_QUEUE)
    mark = history_mark(session)
    for row in session.scalars(
        select(ComparisonRunRow)
        .where(ComparisonRunRow.ruleset_a == a, ComparisonRunRow.ruleset_b == body.b,
               ComparisonRunRow.k == body.k, ComparisonRunRow.history_mark == mark)
        .order_by(ComparisonRunRow.id.desc())
    ):  # fmt: skip
        if _state(row, now) not in (ComparisonState.FAILED, ComparisonState.INTERRUPTED):
            return _public(row, mark, now, report=True)
    unfinished = session.scalar(
        select(func.count()).where(
            ComparisonRunRow.finished_at.is_(None),
            func.coalesce(ComparisonRunRow.heartbeat_at, ComparisonRunRow.requested_at)
            >= now - SILENT_FOR,
        )
    )
    if unfinished and unfinished >= MAX_UNFINISHED:
        raise BusyError("comparisons are already waiting; retry when one has finished")
    row = ComparisonRunRow(
        ruleset_a=a, ruleset_b=body.b, k=body.k, requested_by=ctx.actor.name,
        requested_at=now, heartbeat_at=now, step=0, stage="", done=0, total=0,
        history_mark=mark,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="start_comparison",
           object_type="comparison_run", object_id=row.id, ruleset_version=a,
           details={"against": body.b, "k": body.k})  # fmt: skip
    session.commit()
    threading.Thread(
        target=_run, args=(row.id, ctx, sessions), name=f"comparison-{row.id}", daemon=True
    ).start()
    return _public(row, mark, now, report=False)


def _get(session: Session, run_id: int) -> ComparisonRunRow:
    row = session.get(ComparisonRunRow, run_id)
    if row is None:
        raise NotFoundError(f"no comparison {run_id}")
    return row


def read(ctx: Context, run_id: int) -> ComparisonRun:
    """A comparison with its report once done (aggregates only); reading a finished one is
    audited."""
    row = _get(ctx.session, run_id)
    now = datetime.now(UTC)
    run = _public(row, history_mark(ctx.session), now, report=True)
    if run.state is ComparisonState.DONE:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_comparison",
               object_type="comparison_run", object_id=run_id,
               ruleset_version=row.ruleset_a)  # fmt: skip
        ctx.session.commit()
    return run


def progress(session: Session, run_id: int) -> ComparisonRun:
    """A comparison's state and progress, without its report (what a waiting page polls)."""
    row = _get(session, run_id)
    return _public(row, history_mark(session), datetime.now(UTC), report=False)


def recent(session: Session, n: int = 10) -> ComparisonRunList:
    """The newest ``n`` comparisons, without their reports."""
    rows = session.scalars(
        select(ComparisonRunRow).order_by(ComparisonRunRow.id.desc()).limit(n)
    ).all()
    mark, now = history_mark(session), datetime.now(UTC)
    data = [_public(row, mark, now, report=False) for row in rows]
    return ComparisonRunList(data=data, count=len(data))


def latest(session: Session, a: str, b: str, k: int = 10) -> ComparisonRun | None:
    """The newest finished comparison of ``a`` with ``b`` — on the history as it is now or an
    earlier one (``current`` says which): reopened at once, a stale one offers to run again."""
    mark, now = history_mark(session), datetime.now(UTC)
    row = session.scalars(
        select(ComparisonRunRow)
        .where(ComparisonRunRow.ruleset_a == a, ComparisonRunRow.ruleset_b == b,
               ComparisonRunRow.k == k, ComparisonRunRow.finished_at.is_not(None),
               ComparisonRunRow.failure.is_(None))
        .order_by(ComparisonRunRow.id.desc())
        .limit(1)
    ).first()  # fmt: skip
    return _public(row, mark, now, report=False) if row is not None else None


def _write(sessions: Sessions, run_id: int, **values: Any) -> None:
    """Progress and signs of life in a transaction of their own, beside the replay's."""
    with sessions() as own:
        own.execute(update(ComparisonRunRow).where(ComparisonRunRow.id == run_id).values(**values))
        own.commit()


def _stage(desc: str) -> str:
    """A pass's description as the replay gives it (``replay near-1``, ``as of, near-1``,
    ``candidates``) as a code the page words: what it does and for which version."""
    for prefix, code in (("replay ", "replay"), ("as of, ", "as_of")):
        if desc.startswith(prefix):
            return f"{code}:{desc[len(prefix) :]}"[:80]
    return desc[:80]


def _progress_writer(sessions: Sessions, run_id: int) -> Callable[..., Iterable[Any]]:
    """A ``progress`` for the replay (tqdm's shape: the items, a total, a description): each
    pass is a step, its items counted and written at most every :data:`_PROGRESS_EVERY` s."""
    step, last = 0, 0.0

    def progress(
        items: Iterable[Any], total: int | None = None, desc: str = "", **_: Any
    ) -> Iterator[Any]:
        nonlocal step
        step += 1
        size = total if total is not None else len(items) if isinstance(items, Sized) else 0
        this, stage = step, _stage(desc)

        def counted() -> Iterator[Any]:
            nonlocal last
            _write(sessions, run_id, step=this, stage=stage, done=0, total=size)
            done = 0
            for item in items:
                yield item
                done += 1
                if time.monotonic() - last >= _PROGRESS_EVERY:
                    last = time.monotonic()
                    _write(sessions, run_id, done=done)
            _write(sessions, run_id, done=done)

        return counted()

    return progress


def _run(run_id: int, ctx: Context, sessions: Sessions) -> None:
    """The background thread: wait for the process's turn (alive meanwhile), replay, keep."""
    stopped = threading.Event()

    def beat() -> None:
        while not stopped.wait(_BEAT):
            _write(sessions, run_id, heartbeat_at=datetime.now(UTC))

    threading.Thread(target=beat, name=f"comparison-{run_id}-beat", daemon=True).start()
    try:
        with _ONE_AT_A_TIME, sessions() as own:
            row = _get(own, run_id)
            body = EvaluationRequest(ruleset=row.ruleset_a, against=row.ruleset_b, k=row.k)
            _write(sessions, run_id, started_at=datetime.now(UTC), heartbeat_at=datetime.now(UTC))
            try:
                report = evaluation.evaluate(
                    replace(ctx, session=own), body, via="web",
                    progress=_progress_writer(sessions, run_id),
                )  # fmt: skip
            except Exception as err:
                own.rollback()
                log.exception("comparison %s failed", run_id)
                _write(sessions, run_id, failure=type(err).__name__[:200],
                       finished_at=datetime.now(UTC))  # fmt: skip
                return
            _write(sessions, run_id, report=report.model_dump(mode="json"),
                   finished_at=datetime.now(UTC))  # fmt: skip
    finally:
        stopped.set()
