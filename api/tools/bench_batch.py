"""``python -m api.tools.bench batch``: the whole pool on a local Dask cluster, measured.

Builds the demo world in memory and runs, on this machine: the batch of every matchable person
× every hand-over task with ``--workers`` workers (wall time, pairs scored per second, peak
memory per worker); the same on a sample of people with 1 worker and with ``--workers``, for
the scaling; a sample of people and tasks checked against the per-query ranking in the same
run; the employer's what-if for random hand-over tasks (p50/p99); and market clearing for an
area of ``--area-people`` people and ``--area-tasks`` tasks.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from api.jobs.batch import run_batch
from api.jobs.run_store import RunInfo
from features.demo import build_world
from matching.clearing import ClearingObjective, area_candidates, clear, greedy
from matching.index import MatchIndex
from matching.ranking import rank_people_for_tasks, rank_tasks_for_person
from matching.rules import RuleSet, default_ruleset
from matching.whatif import what_if

__all__ = ["TARGETS", "bench_batch"]

TARGETS = {"batch_seconds": 600.0, "whatif_p99_ms": 200.0, "clearing_seconds": 30.0}


def _identical(index: MatchIndex, rules: RuleSet, run: Path, sample: int, seed: int) -> bool:
    """A sample of people and of tasks: the stored rows equal the per-query ranking."""
    rng = np.random.default_rng(seed)
    people = pq.read_table(run / "by_person.parquet").to_pandas()
    tasks = pq.read_table(run / "by_task.parquet").to_pandas()
    matchable = index.people.ids[index.people.matchable]
    for pid in rng.choice(matchable, size=min(sample, len(matchable)), replace=False):
        ranked = rank_tasks_for_person(index.people, index.tasks, int(pid), rules, 20)
        stored = people[people["person_id"] == pid]
        if stored["task_id"].tolist() != ranked.ids.tolist():
            return False
        if not np.array_equal(stored["total"].to_numpy(), ranked.total):
            return False
    pool = index.tasks.ids[index.tasks.hand_over]
    for tid in rng.choice(pool, size=min(sample, len(pool)), replace=False):
        ranked = rank_people_for_tasks(index.people, index.tasks, [int(tid)], rules, 20)
        stored = tasks[tasks["task_id"] == tid]
        if stored["person_id"].tolist() != ranked.ids.tolist():
            return False
        if not np.array_equal(stored["total"].to_numpy(), ranked.total):
            return False
    return True


def _run(index: MatchIndex, rules: RuleSet, folder: Path, workers: int,
         rows: np.ndarray | None = None) -> RunInfo:  # fmt: skip
    return run_batch(index, rules, folder, code_fingerprint="bench", data_version=0,
                     workers=workers, person_rows=rows)  # fmt: skip


def _clearing(index: MatchIndex, rules: RuleSet, n_people: int, n_tasks: int) -> dict[str, object]:
    """Clearing for the largest area's first ``n_people`` matchable people and the
    ``n_tasks`` hand-over tasks nearest to them."""
    people, tasks = index.people, index.tasks
    areas, counts = np.unique(people.area[people.matchable], return_counts=True)
    area = str(areas[np.argmax(counts)])
    rows = np.flatnonzero(people.matchable & (people.area == area))[:n_people]
    lat, lon = people.lat[rows].mean(), people.lon[rows].mean()
    pool = np.flatnonzero(tasks.hand_over)
    near = pool[np.argsort((tasks.lat[pool] - lat) ** 2 + (tasks.lon[pool] - lon) ** 2)][:n_tasks]
    started = time.perf_counter()
    pairs = area_candidates(people, tasks, rows, rules, 20, near)
    candidates_seconds = time.perf_counter() - started
    out: dict[str, object] = {"area": area, "people": len(rows), "tasks": len(near),
                              "candidate_pairs": len(pairs),
                              "candidates_seconds": round(candidates_seconds, 2)}  # fmt: skip
    baseline = greedy(pairs, np.sort(people.ids[rows]))
    out["greedy"] = {"people": baseline.people, "total": round(baseline.total, 1)}
    for objective in ClearingObjective:
        started = time.perf_counter()
        answer = clear(pairs, objective)
        out[f"objective_{objective.value}"] = {
            "people": answer.people, "tasks": answer.tasks, "total": round(answer.total, 1),
            "optimal": answer.optimal, "solve_seconds": round(time.perf_counter() - started, 2),
        }  # fmt: skip
    return out


def bench_batch(
    size: str = "large",
    workers: int = 2,
    scaling_people: int = 4000,
    sample: int = 100,
    whatif_tasks: int = 100,
    area_people: int = 2000,
    area_tasks: int = 1000,
    seed: int = 7,
) -> dict[str, object]:
    world = build_world(size, seed=seed)
    index = MatchIndex.from_tables(world.tables)
    rules = default_ruleset()
    result: dict[str, object] = {"benchmark": "batch", "size": size}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        info = _run(index, rules, folder / "full", workers)
        result.update(
            batch_seconds=info.seconds,
            workers=info.workers,
            people=info.people,
            tasks=info.tasks,
            pairs_before_pruning=info.pairs_before_pruning,
            pairs_scored=info.pairs_scored,
            pairs_feasible=info.pairs_feasible,
            pairs_scored_per_second=round(info.pairs_scored / info.seconds),
            peak_worker_mb=info.peak_worker_mb,
        )
        result["identical_to_per_query"] = _identical(
            index, rules, folder / "full" / info.run_id, sample, seed
        )
        # The scaling: the same sample of people on 1 worker and on ``workers``.
        rng = np.random.default_rng(seed)
        matchable = np.flatnonzero(index.people.matchable)
        rows = np.sort(
            rng.choice(matchable, size=min(scaling_people, len(matchable)), replace=False)
        )
        one = _run(index, rules, folder / "one", 1, rows)
        many = _run(index, rules, folder / "many", workers, rows)
        result["scaling"] = {"people": len(rows), "seconds_1_worker": one.seconds,
                             f"seconds_{workers}_workers": many.seconds,
                             "speedup": round(one.seconds / many.seconds, 2)}  # fmt: skip
    hand_over = index.tasks.ids[index.tasks.hand_over]
    times = []
    for tid in np.random.default_rng(seed).choice(
        hand_over, size=min(whatif_tasks, len(hand_over)), replace=False
    ):
        started = time.perf_counter()
        what_if(index, int(tid), rules)
        times.append((time.perf_counter() - started) * 1000)
    result["whatif_p50_ms"] = round(statistics.median(times), 1)
    result["whatif_p99_ms"] = round(float(np.percentile(times, 99)), 1)
    clearing = _clearing(index, rules, area_people, area_tasks)
    result["clearing"] = clearing
    result["clearing_seconds"] = max(
        clearing[f"objective_{o.value}"]["solve_seconds"]  # type: ignore[index]
        for o in ClearingObjective
    )
    result["targets"] = TARGETS
    return result
