"""The whole pool's answers: batch runs, what changed since the last run, the employer's
what-if, hand-over options for a role and the week's clearing for an area.

Counts about an employer's tasks name nobody (Rekrypiste and company coordinators); a
person's news and the clearing's suggestions are for the coordinators of the person's area.
Every answer is audited here, once."""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from api.auth.policy import eligible_people, reachable_person
from api.core.context import Context
from api.core.index_cache import code_fingerprint
from api.core.settings import Settings
from api.jobs.run_store import BatchRuns, RunInfo
from api.market.schemas import (
    BatchRunList,
    BatchRunPublic,
    ClearingPublic,
    ClearingSuggestion,
    HandOverOptionPublic,
    HandOverOptions,
    MatchNews,
    NewsTask,
    TaskNews,
    TaskNewsList,
    VariantPublic,
    WhatIfPublic,
)
from api.storage.audit import record
from api.storage.tables import EmployerRow, RoleRow
from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, CHARACTERISTICS
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.i18n import date_text, ngettext_for
from features.numbers import number
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError
from matching.batch import characteristics_of, task_pool
from matching.clearing import ClearingObjective, area_candidates, clear, greedy
from matching.index import MatchIndex
from matching.whatif import hand_over_options, what_if, what_if_sentence

__all__ = [
    "BatchUnavailableError",
    "capacity_gaps",
    "clearing",
    "employer_news",
    "news_counts",
    "person_news",
    "role_hand_over_options",
    "role_what_if",
    "run_now",
    "runs",
    "start_in_background",
    "task_what_if",
]

log = logging.getLogger("tasma.batch")

CLEARING_K = 20
"""Candidates per person for clearing: the top of the list their coordinator sees."""

_RUNNING = threading.Lock()
"""One batch run at a time in this process (a second start is refused, not queued)."""


class BatchUnavailableError(InvalidInputError):
    """No batch store in this context (a misconfiguration, not the user's input)."""


def _store(ctx: Context) -> BatchRuns:
    if ctx.batch is None:
        raise BatchUnavailableError([FieldError("batch", "batch runs are not set up here")])
    return ctx.batch


def _audited(ctx: Context, action: str, object_type: str, **what: Any) -> None:
    """The audit row of one use (the acting user, the action, what it was about), committed."""
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action=action,
           object_type=object_type, **what)  # fmt: skip
    ctx.session.commit()


def _public(run: RunInfo) -> BatchRunPublic:
    return BatchRunPublic.model_validate(asdict(run))


def running(folder: Path | None = None) -> bool:
    """A run is under way in this process, or in any process holding ``folder``'s lock."""
    if _RUNNING.locked():
        return True
    if folder is None or not (folder / ".run.lock").exists():
        return False
    try:
        with _folder_lock(folder):
            return False
    except ConflictError:
        return True


def runs(ctx: Context) -> BatchRunList:
    found = _store(ctx).runs()
    _audited(ctx, "list_batch_runs", "batch_run")
    busy = running(_store(ctx).directory)
    return BatchRunList(data=[_public(r) for r in found], count=len(found), running=busy)


def run_now(
    ctx: Context,
    settings: Settings,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    output: Path | None = None,
    progress: bool = False,
) -> BatchRunPublic:
    """Match the whole pool under the active rule set and store the run (minutes on a large
    pool) in the batch folder, or in ``output``. Refused while another run is under way (in
    this process, or in any holding the folder's lock)."""
    from api.core.runtime import data_version
    from api.jobs.batch import run_batch  # Dask is imported only by what runs a batch

    if not _RUNNING.acquire(blocking=False):
        raise ConflictError("a batch run is already under way; wait for it to finish")
    try:
        folder = output or _store(ctx).directory
        folder.mkdir(parents=True, exist_ok=True)
        with _folder_lock(folder):
            index = ctx.index.get(ctx.session)
            version = data_version(ctx.session).version
            rules = ctx.index.rules
            ctx.session.rollback()  # no transaction held open for minutes
            info = run_batch(
                index,
                rules,
                folder,
                code_fingerprint=code_fingerprint(),
                data_version=version,
                k=20,
                scheduler=scheduler or settings.dask_scheduler,
                workers=workers or settings.batch_workers,
                progress=progress,
            )
            removed = BatchRuns(folder).prune(settings.batch_keep_runs)
    finally:
        _RUNNING.release()
    _audited(
        ctx,
        "run_batch",
        "batch_run",
        object_id=info.run_id,
        ruleset_version=info.ruleset_version,
        details={
            "people": info.people,
            "tasks": info.tasks,
            "seconds": info.seconds,
            "workers": info.workers,
            "removed": removed,
        },
    )
    return _public(info)


def start_in_background(ctx: Context, sessions: Callable[[], Session], settings: Settings) -> bool:
    """Start :func:`run_now` on a thread of its own, with a session of its own; False when a
    run is already under way (then nothing starts)."""
    if running(_store(ctx).directory):
        return False

    def work() -> None:
        with sessions() as own:
            background = replace(ctx, session=own)
            try:
                run_now(background, settings)
            except ConflictError:
                log.info("batch run not started: another one won the race")
            except Exception:
                log.exception("batch run failed")

    threading.Thread(target=work, name="batch-run", daemon=True).start()
    return True


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """The batch folder's run lock, across the service's processes (and a CLI run)."""
    with open(folder / ".run.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConflictError("a batch run is already under way; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _task(index: MatchIndex, task_id: int) -> NewsTask | None:
    row = index.tasks.row_of.get(task_id)
    if row is None:
        return None  # removed since the run
    return NewsTask(
        task_id=task_id,
        title=str(index.tasks.titles[row]),
        employer_id=int(index.tasks.employer_ids[row]),
        municipality=str(index.tasks.municipality[row]),
    )


def _when(run: RunInfo | None) -> datetime | None:
    return datetime.fromisoformat(run.created_at) if run is not None else None


def person_news(ctx: Context, person_id: int, lang: str) -> MatchNews:
    """The person's good matches gained and lost between the last two runs."""
    reachable_person(ctx, person_id)
    store = _store(ctx)
    latest, _ = store.latest_two()
    found = store.changes("person_id", [person_id])
    index = ctx.index.get(ctx.session)
    new = [t for t in (_task(index, i) for i in found.new.get(person_id, [])) if t]
    lost = [t for t in (_task(index, i) for i in found.lost.get(person_id, [])) if t]
    _audited(
        ctx,
        "read_match_news",
        "jobseeker",
        object_id=person_id,
    )
    since = _when(found.since)
    return MatchNews(
        since=since,
        latest=_when(latest),
        new=new,
        lost=lost,
        summary=news_sentence(len(new), since, lang),
    )


def news_sentence(n: int, since: datetime | None, lang: str) -> str:
    """ "3 new good matches since the run of 1 December" in ``lang``."""
    ngettext = ngettext_for(lang)
    if since is None:
        text = ngettext(
            "%(num)s good match in the latest run.", "%(num)s good matches in the latest run.", n
        )
        return text % {"num": number(n, lang)}
    text = ngettext(
        "%(num)s new good match since the run of %(date)s.",
        "%(num)s new good matches since the run of %(date)s.",
        n,
    )
    return text % {"num": number(n, lang), "date": date_text(today_in_finland(since), lang)}


def news_counts(ctx: Context, ids: list[int]) -> tuple[dict[int, int], datetime | None]:
    """How many new good matches each of ``ids`` has since the run before the latest (for the
    caseload, which audits the list itself); empty when there are fewer than two runs."""
    if ctx.batch is None or not ids:
        return {}, None
    found = ctx.batch.changes("person_id", ids)
    if found.since is None:
        return {}, None
    return {p: len(t) for p, t in found.new.items()}, _when(found.since)


def capacity_gaps(ctx: Context, ids: list[int]) -> dict[int, list[str]] | None:
    """Each person's capacities not assessed that stand between them and their best matches
    in the latest run (the characteristics to be assessed in their top k, where their own
    rating is missing); None when there is no run."""
    if ctx.batch is None:
        return None
    latest, _ = ctx.batch.latest_two()
    if latest is None:
        return None
    rows = ctx.batch.rows(latest, "person_id", ids)
    if len(rows) and "to_assess" not in rows.columns:
        return None  # a run written before runs kept what is to be assessed
    index = ctx.index.get(ctx.session)
    gaps: dict[int, list[str]] = {}
    for person, group in rows.groupby("person_id"):
        i = index.people.row_of.get(int(person))
        if i is None:
            continue
        bits = 0
        for value in group["to_assess"].to_numpy(dtype=np.uint64):
            bits |= int(value)
        missing = np.isnan(index.people.capacity[i])
        gaps[int(person)] = [CHARACTERISTIC_IDS[c] for c in characteristics_of(bits) if missing[c]]
    return gaps


def employer_news(ctx: Context, employer_id: int) -> TaskNewsList:
    """For each of the employer's tasks in the latest run: good candidates, and how many were
    gained and lost since the run before — counts only, and only of the people the actor could
    be shown as candidates (the counts match the candidate lists)."""
    if ctx.session.get(EmployerRow, employer_id) is None:
        raise NotFoundError(f"no employer with id {employer_id}")
    store = _store(ctx)
    latest, _ = store.latest_two()
    index = ctx.index.get(ctx.session)
    rows = np.flatnonzero(index.tasks.employer_ids == employer_id)
    ids = [int(t) for t in index.tasks.ids[rows]]
    data: list[TaskNews] = []
    since = None
    if latest is not None:
        found = store.changes("task_id", ids)
        since = found.since
        shown = set(index.people.ids[eligible_people(ctx, index.people)].tolist())
        now = store.rows(latest, "task_id", ids)
        now = now[now["assessed"].astype(bool) & now["person_id"].isin(shown)]
        good = now.groupby("task_id").size()

        def count(people: list[int]) -> int:
            return sum(1 for p in people if p in shown)

        for row, task_id in zip(rows, ids, strict=True):
            data.append(
                TaskNews(
                    task_id=task_id,
                    title=str(index.tasks.titles[row]),
                    candidates=int(good.get(task_id, 0)),
                    new=count(found.new.get(task_id, [])),
                    lost=count(found.lost.get(task_id, [])),
                )
            )
    _audited(
        ctx,
        "read_task_news",
        "employer",
        object_id=employer_id,
    )
    return TaskNewsList(since=_when(since), latest=_when(latest), data=data, count=len(data))


def _variant_name(kind: str, variant_id: str, lang: str) -> str:
    catalogue = ADJUSTMENTS if kind == "adjustment" else CHARACTERISTICS
    return catalogue[variant_id].name(lang)


def task_what_if(ctx: Context, task_id: int, lang: str) -> WhatIfPublic:
    """How many more people could do the task with each adjustment the employer has not
    accepted, or with each demand a level lighter — counting only people who agreed to be
    shared with employers."""
    index = ctx.index.get(ctx.session)
    if task_id not in index.tasks.row_of:
        raise NotFoundError(f"no task with id {task_id}")
    # Counted only of people who could be put forward to an employer: the figures are told to
    # employers, and someone who has not agreed to be shared with employers is not in them.
    answer = what_if(index, task_id, ctx.index.rules, among=index.people.shareable)
    variants = [
        VariantPublic(
            kind=v.kind,
            id=v.id,
            name=_variant_name(v.kind, v.id, lang),
            more=v.more,
            more_assessed=v.more_assessed,
            sentence=what_if_sentence(v, lang),
        )
        for v in answer.variants
    ]
    _audited(
        ctx,
        "what_if",
        "task",
        object_id=task_id,
        ruleset_version=ctx.index.rules.version,
    )
    row = index.tasks.row_of[task_id]
    return WhatIfPublic(
        task_id=task_id,
        title=str(index.tasks.titles[row]),
        fit_now=answer.fit_now,
        in_reach=answer.in_reach,
        variants=variants,
    )


def role_what_if(ctx: Context, role_id: int, lang: str) -> list[WhatIfPublic]:
    """The what-if of each of the role's tasks that the rules let anyone be matched to (its
    hand-over tasks, under rules that suggest only those)."""
    if ctx.session.get(RoleRow, role_id) is None:
        raise NotFoundError(f"no role with id {role_id}")
    index = ctx.index.get(ctx.session)
    rows = task_pool(index.tasks, ctx.index.rules, np.flatnonzero(index.tasks.role_ids == role_id))
    return [task_what_if(ctx, int(t), lang) for t in sorted(index.tasks.ids[rows.rows])]


def role_hand_over_options(ctx: Context, role_id: int) -> HandOverOptions:
    """The role's core tasks, each with how many in the pool could do it were it handed
    over."""
    if ctx.session.get(RoleRow, role_id) is None:
        raise NotFoundError(f"no role with id {role_id}")
    index = ctx.index.get(ctx.session)
    options = hand_over_options(index, role_id, ctx.index.rules, among=index.people.shareable)
    data = [
        HandOverOptionPublic(
            task_id=o.task_id,
            people=o.people,
            assessed=o.assessed,
            title=str(index.tasks.titles[index.tasks.row_of[o.task_id]]),
        )
        for o in options
    ]
    _audited(
        ctx,
        "hand_over_options",
        "role",
        object_id=role_id,
        ruleset_version=ctx.index.rules.version,
    )
    return HandOverOptions(role_id=role_id, data=data, count=len(data))


def clearing(ctx: Context, objective: ClearingObjective) -> ClearingPublic:
    """This week's suggestions for the actor's area: everyone's top k, cleared together, and
    what each client in turn taking their best free task would have given."""
    area = ctx.actor.area
    if area is None:
        raise InvalidInputError([FieldError("area", "your user has no area")])
    started = time.perf_counter()
    index = ctx.index.get(ctx.session)
    people, tasks = index.people, index.tasks
    rows = np.flatnonzero(people.matchable & (people.area == area))
    pairs = area_candidates(people, tasks, rows, ctx.index.rules, CLEARING_K)
    answer = clear(pairs, objective)
    baseline = greedy(pairs, np.sort(people.ids[rows]))
    suggestions = []
    chosen = np.flatnonzero(answer.chosen)
    for person in np.unique(pairs.person_ids[chosen]):
        mine = chosen[pairs.person_ids[chosen] == person]
        task_ids = [int(t) for t in pairs.task_ids[mine]]
        suggestions.append(
            ClearingSuggestion(
                person_id=int(person),
                code=str(people.codes[people.row_of[int(person)]]),
                employer_id=int(pairs.employer_ids[mine[0]]),
                task_ids=task_ids,
                titles=[str(tasks.titles[tasks.row_of[t]]) for t in task_ids],
                hours=float(pairs.hours[mine].sum()),
                total=float(pairs.total[mine].sum()),
            )
        )
    suggestions.sort(key=lambda s: (-s.total, s.code))
    _audited(
        ctx,
        "clearing",
        "area",
        object_id=area,
        ruleset_version=ctx.index.rules.version,
        details={"objective": objective.value, "ids": [s.person_id for s in suggestions]},
    )
    return ClearingPublic(
        area=area,
        objective=objective,
        optimal=answer.optimal,
        people=answer.people,
        tasks=answer.tasks,
        total=round(answer.total, 3),
        greedy_people=baseline.people,
        greedy_total=round(baseline.total, 3),
        candidates=len(pairs),
        seconds=round(time.perf_counter() - started, 2),
        data=suggestions,
        count=len(suggestions),
    )
