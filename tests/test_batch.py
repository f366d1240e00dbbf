"""Batch matching answers exactly what the per-query ranking answers, for every person and
every task; on a Dask cluster of 1 worker or 4 the stored run is the same; two runs give
each person's new and lost good matches."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest
from distributed import Client
from hypothesis import HealthCheck, given, settings

from api.jobs.batch import UnsafeSchedulerError, dask_client, external_security, run_batch
from api.jobs.run_store import BatchRuns
from features.demo import build_world
from matching.batch import (
    TopPairs,
    characteristics_of,
    match_block,
    merge_by_task,
    task_pool,
    unknown_bits,
)
from matching.index import MatchIndex
from matching.ranking import rank_people_for_tasks, rank_tasks_for_person
from matching.rules import default_ruleset
from tests.worlds import small_worlds

DEFAULT = default_ruleset()
LOOSE = DEFAULT.model_copy(
    update={
        "hard": DEFAULT.hard.model_copy(
            update={"hand_over_only": False, "max_hours_over": 5.0, "min_schedule_overlap": 0.5}
        )
    }
)


def _assert_same_as_per_query(people, tasks, rules, by_person: TopPairs, by_task: TopPairs, k):
    for pid in people.ids:
        ranked = rank_tasks_for_person(people, tasks, int(pid), rules, k)
        mine = by_person.person_ids == pid
        assert by_person.task_ids[mine].tolist() == ranked.ids.tolist()
        assert by_person.rank[mine].tolist() == list(range(1, len(ranked.ids) + 1))
        np.testing.assert_array_equal(by_person.total[mine], ranked.total)
        np.testing.assert_array_equal(by_person.contributions[mine], ranked.contributions)
        np.testing.assert_array_equal(by_person.first_tier[mine], ranked.pairs.first_tier)
        np.testing.assert_array_equal(by_person.unknown[mine], unknown_bits(ranked.pairs.unknown))
    for tid in tasks.ids:
        ranked = rank_people_for_tasks(people, tasks, [int(tid)], rules, k)
        theirs = by_task.task_ids == tid
        assert by_task.person_ids[theirs].tolist() == ranked.ids.tolist()
        np.testing.assert_array_equal(by_task.total[theirs], ranked.total)
        np.testing.assert_array_equal(by_task.contributions[theirs], ranked.contributions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=small_worlds(max_people=8, max_tasks=10))
def test_blocks_equal_per_query_ranking_on_random_worlds(world) -> None:
    for rules in (DEFAULT, LOOSE):
        pool = task_pool(world.tasks, rules)
        every = np.arange(len(world.people))
        # Two blocks, merged: the same as one block and as every single query.
        halves = [every[: len(every) // 2], every[len(every) // 2 :]]
        parts = [match_block(world.people, world.tasks, pool, h, rules, 3) for h in halves]
        by_person = TopPairs.concat([p.by_person for p in parts])
        by_task = merge_by_task([p.by_task for p in parts], 3)
        _assert_same_as_per_query(world.people, world.tasks, rules, by_person, by_task, 3)


@pytest.fixture(scope="module")
def small_index() -> MatchIndex:
    return MatchIndex.from_tables(build_world("small", seed=3).tables)


def test_one_block_of_the_demo_world_equals_per_query_ranking(small_index: MatchIndex) -> None:
    people, tasks = small_index.people, small_index.tasks
    result = match_block(
        people, tasks, task_pool(tasks, DEFAULT), np.arange(len(people)), DEFAULT, 20
    )
    assert result.pairs_scored < result.pairs_before_pruning / 10  # pruned before scoring
    _assert_same_as_per_query(people, tasks, DEFAULT, result.by_person, result.by_task, 20)


def test_unknown_bits_name_the_columns() -> None:
    unknown = np.zeros((2, 43), dtype=bool)
    unknown[0, [0, 5, 42]] = True
    bits = unknown_bits(unknown)
    assert characteristics_of(int(bits[0])) == [0, 5, 42]
    assert characteristics_of(int(bits[1])) == []


def _table(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def test_a_dask_run_is_the_same_with_one_worker_or_four(
    small_index: MatchIndex, tmp_path: Path
) -> None:
    runs = {}
    for workers in (1, 4):
        info = run_batch(small_index, DEFAULT, tmp_path / str(workers), code_fingerprint="test",
                         data_version=1, workers=workers, block_people=60)  # fmt: skip
        assert info.workers == workers
        runs[workers] = tmp_path / str(workers) / info.run_id
    for name in ("by_person.parquet", "by_task.parquet"):
        one, four = _table(runs[1] / name), _table(runs[4] / name)
        assert len(one) > 1000
        pd.testing.assert_frame_equal(one, four)
    # ... and the same as one block of everyone in this process.
    people, tasks = small_index.people, small_index.tasks
    rows = np.flatnonzero(people.matchable)
    whole = match_block(people, tasks, task_pool(tasks, DEFAULT), rows, DEFAULT, 20)
    stored = _table(runs[4] / "by_task.parquet")
    assert stored["task_id"].tolist() == whole.by_task.task_ids.tolist()
    assert stored["person_id"].tolist() == whole.by_task.person_ids.tolist()
    np.testing.assert_array_equal(stored["total"].to_numpy(), whole.by_task.total)


def test_two_runs_give_new_and_lost_good_matches(tmp_path: Path) -> None:
    world = build_world("tiny", seed=5)
    before = MatchIndex.from_tables(world.tables)
    run_batch(before, DEFAULT, tmp_path, code_fingerprint="t", data_version=1, workers=1)
    tables = dict(world.tables)
    # Between the runs one hand-over task becomes core (not suggested) and another task
    # becomes a hand-over task.
    task = tables["task"].copy()
    every = np.arange(len(before.people))
    now = match_block(before.people, before.tasks, task_pool(before.tasks, DEFAULT), every,
                      DEFAULT, 20).by_person  # fmt: skip
    gone = int(now.task_ids[now.first_tier][0])  # somebody's good match
    any_task = DEFAULT.model_copy(
        update={"hard": DEFAULT.hard.model_copy(update={"hand_over_only": False})}
    )
    wider = match_block(before.people, before.tasks, task_pool(before.tasks, any_task), every,
                        any_task, 20).by_person  # fmt: skip
    core = ~before.tasks.hand_over[[before.tasks.row_of[int(t)] for t in wider.task_ids]]
    came = int(wider.task_ids[wider.first_tier & core][0])  # would be somebody's good match
    task.loc[task["id"] == gone, "task_type"] = "core"
    task.loc[task["id"] == came, "task_type"] = "hand_over"
    tables["task"] = task
    after = MatchIndex.from_tables(tables)
    run_batch(after, DEFAULT, tmp_path, code_fingerprint="t", data_version=2, workers=1)

    store = BatchRuns(tmp_path)
    latest, previous = store.latest_two()
    assert latest is not None and previous is not None and latest.data_version == 2
    people = sorted({int(p) for p in after.people.ids[after.people.matchable]})
    changes = store.changes("person_id", people)
    assert changes.since == previous
    lost_gone = [p for p, tasks in changes.lost.items() if gone in tasks]
    new_came = [p for p, tasks in changes.new.items() if came in tasks]
    # Brute force: who had the lost task as a good match before, who has the new one now.
    had = {
        p for p in people
        if any(t == gone and ok for t, ok in _good(before, p))
    }  # fmt: skip
    has = {p for p in people if any(t == came and ok for t, ok in _good(after, p))}
    assert set(lost_gone) == had
    assert set(new_came) == has
    assert had and has
    by_task = store.changes("task_id", [gone, came])
    assert set(by_task.lost.get(gone, [])) == _good_people(before, gone)
    assert set(by_task.new.get(came, [])) == _good_people(after, came)
    assert gone not in by_task.new and came not in by_task.lost


def _good(index: MatchIndex, person: int) -> list[tuple[int, bool]]:
    ranked = rank_tasks_for_person(index.people, index.tasks, person, DEFAULT, 20)
    return [(int(t), bool(a)) for t, a in zip(ranked.ids, ranked.pairs.first_tier, strict=True)]


def _good_people(index: MatchIndex, task: int) -> set[int]:
    ranked = rank_people_for_tasks(index.people, index.tasks, [task], DEFAULT, 20)
    return {int(p) for p, a in zip(ranked.ids, ranked.pairs.first_tier, strict=True) if a}


def test_a_run_without_the_assessment_bits_is_read_without_them(tmp_path: Path) -> None:
    """A run folder written before runs kept what is to be assessed still reads: the caseload
    falls back to what most hand-over tasks demand instead of failing."""
    import pyarrow as pa

    from api.core.context import Context
    from api.market import service as market

    world = build_world("tiny", seed=5)
    index = MatchIndex.from_tables(world.tables)
    info = run_batch(index, DEFAULT, tmp_path, code_fingerprint="t", data_version=1, workers=1)
    path = tmp_path / info.run_id / "by_person.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["to_assess"]), path)
    assert "to_assess" not in pa.parquet.read_schema(path).names

    class Holder:
        def get(self, _session: object) -> MatchIndex:
            return index

    ctx = Context(session=None, actor=None, index=Holder(), batch=BatchRuns(tmp_path))  # type: ignore[arg-type]
    people = [int(p) for p in index.people.ids[index.people.matchable]]
    assert market.capacity_gaps(ctx, people) is None


def _listening(process) -> set[int]:
    ports = set()
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            ports |= {c.laddr.port for c in p.net_connections() if c.status == psutil.CONN_LISTEN}
    return ports


def _one(x: int) -> int:
    return x + 1


def test_the_local_cluster_refuses_a_process_without_its_certificates() -> None:
    """Whoever reaches a Dask scheduler runs code in the service's process and its workers
    (which hold the match index): the batch's local cluster speaks TLS with certificates made
    for the run alone, serves no dashboard, and leaves nothing listening when it ends."""
    me = psutil.Process()
    before = _listening(me)
    with dask_client(None, 1) as client:
        assert client.submit(_one, 1).result() == 2
        address = client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        assert 8787 not in _listening(me)
        for stranger in (address, address.replace("tls://", "tcp://")):
            refused = pytest.raises(Exception)  # any refusal will do
            with refused, Client(stranger, timeout=3) as intruder:
                intruder.submit(os.getpid).result(timeout=3)
        for port in _listening(me) - before:  # the HTTP servers Dask always starts serve nothing
            with contextlib.suppress(httpx.TransportError):
                page = httpx.get(f"http://127.0.0.1:{port}/status", timeout=3)
                assert page.status_code == 404, port
    assert _listening(me) - before == set()


def test_an_external_scheduler_needs_tls_and_certificates() -> None:
    for address in ("tcp://10.0.0.5:8786", "tls://10.0.0.5:8786"):
        with pytest.raises(UnsafeSchedulerError, match="TLS"):
            external_security(address)
