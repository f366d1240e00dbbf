"""The batch run: all matchable people × every task the rules allow, on a Dask cluster.

A local cluster (one single-threaded worker process per core) is the default; a scheduler
address (``TASMA_DASK_SCHEDULER`` or ``--scheduler``) sends the work to a real cluster. The
match index is scattered to every worker once; each Dask task is one block of people
(:func:`matching.batch.match_block`); the blocks' per-task lists are merged on the workers in
a tree, so the client only ever holds the final answer. The result is written as Parquet into
a new run folder (``by_person.parquet``, ``by_task.parquet``, ``run.json``), atomically: a
run folder either is complete or does not exist.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import dask
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster, as_completed
from distributed.security import Security
from tqdm import tqdm

from api.jobs.run_store import RunInfo
from features.errors import InvalidInputError
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from features.schemas.errors import FieldError
from matching.batch import BlockResult, TaskPool, TopPairs, match_block, merge_by_task, task_pool
from matching.index import MatchIndex
from matching.rules import RuleSet
from matching.scoring import COMPONENTS

__all__ = [
    "BLOCK_PEOPLE",
    "UnsafeSchedulerError",
    "dask_client",
    "external_security",
    "pairs_table",
    "run_batch",
]

BLOCK_PEOPLE = 500
"""People per Dask task: enough work (a few seconds) to dwarf the scheduling cost, small
enough that a block's feasible pairs (a few million keys) stay well within a worker's memory
and that many blocks keep every worker busy."""


_NO_HTTP: dict[str, list[str]] = {
    "distributed.scheduler.http.routes": [],
    "distributed.worker.http.routes": [],
}
"""Dask's scheduler and workers always start an HTTP server; with no routes it serves nothing
(no dashboard, no endpoints)."""


class UnsafeSchedulerError(InvalidInputError):
    """A scheduler the service would reach without TLS and certificates."""


def external_security(scheduler: str) -> Security:
    """The security to reach an external scheduler with: TLS (``tls://``) and this machine's
    certificates from Dask's configuration, or a refusal. Whoever can reach a scheduler can
    run code on its workers, which are given the match index (people's capacities)."""
    security = Security()  # reads distributed.comm.tls.* from Dask's configuration
    # Security sets its tls_* attributes from the configuration at run time (mypy sees none)
    configured = getattr(security, "tls_ca_file", None) and getattr(
        security, "tls_client_cert", None
    )
    if not scheduler.startswith("tls://") or not configured:
        raise UnsafeSchedulerError(
            [FieldError("scheduler", "an external Dask scheduler must be reached over TLS "
                        "(a tls:// address) with certificates set in Dask's configuration "
                        "(distributed.comm.tls.ca-file, .client.cert, .client.key); without "
                        "a scheduler, the batch runs on a local cluster of its own")]
        )  # fmt: skip
    return security


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers``
    single-threaded processes (numpy releases the GIL little in the scorer's many small
    operations, so processes, not threads, use the cores).

    No listener without authentication: the local cluster speaks TLS with certificates made
    for this run alone (mutual: a process without them is refused), on 127.0.0.1, with no
    dashboard; an external scheduler only over TLS with configured certificates."""
    if scheduler:
        with Client(scheduler, security=external_security(scheduler)) as client:
            yield client
        return
    with (
        dask.config.set(_NO_HTTP),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            protocol="tls",
            security=Security.temporary(),
            dashboard_address="127.0.0.1:0",
            worker_dashboard_address="127.0.0.1:0",
            scheduler_kwargs={"dashboard": False},
            memory_limit=0,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _blocks(people: PeopleMatrix, size: int, rows: np.ndarray | None) -> list[np.ndarray]:
    """Matchable people rows in blocks, ordered by latitude: neighbours share a block, so a
    block's people compete for the same tasks and its per-task lists are short."""
    everyone = np.arange(len(people)) if rows is None else np.asarray(rows, dtype=np.int64)
    rows = everyone[people.matchable[everyone]]
    rows = rows[np.argsort(people.lat[rows], kind="stable")]
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _block(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    pool: TaskPool,
    rows: np.ndarray,
    rules: RuleSet,
    k: int,
) -> BlockResult:
    return match_block(people, tasks, pool, rows, rules, k)


def _by_task(result: BlockResult) -> TopPairs:
    return result.by_task


def _merge(parts: list[TopPairs], k: int) -> TopPairs:
    return merge_by_task(parts, k)


def run_batch(
    index: MatchIndex,
    rules: RuleSet,
    output_dir: Path,
    *,
    code_fingerprint: str,
    data_version: int,
    k: int = 20,
    scheduler: str | None = None,
    workers: int = 2,
    block_people: int = BLOCK_PEOPLE,
    progress: bool = False,
    person_rows: np.ndarray | None = None,
) -> RunInfo:
    """Match everyone (or the matchable of ``person_rows``), write a run folder under
    ``output_dir`` and return its description."""
    started = time.perf_counter()
    created = datetime.now(UTC)
    pool = task_pool(index.tasks, rules)
    blocks = _blocks(index.people, block_people, person_rows)
    with dask_client(scheduler, workers) as client:
        n_workers = len(client.scheduler_info(n_workers=-1)["workers"])
        people_f, tasks_f, pool_f, rules_f = client.scatter(
            [index.people, index.tasks, pool, rules], broadcast=True
        )
        summaries, task_parts = [], []
        for rows in blocks:
            block = client.submit(_block, people_f, tasks_f, pool_f, rows, rules_f, k, pure=False)
            # The people's lists are small and come back; the tasks' lists stay on the workers.
            summaries.append(client.submit(_summary, block, pure=False))
            task_parts.append(client.submit(_by_task, block, pure=False))
            del block  # released once both have read it
        # The per-task lists merged on the workers, eight at a time, as a tree laid out now, so
        # that each merge runs (and frees its inputs) as soon as its blocks are done.
        merged = task_parts
        while len(merged) > 1:
            merged = [
                client.submit(_merge, merged[i : i + 8], k, pure=False)
                for i in range(0, len(merged), 8)
            ]
        del task_parts
        by_person: list[TopPairs] = []
        before = scored = feasible = 0
        with tqdm(
            total=len(summaries), desc="batch", unit="block", disable=not progress, file=sys.stderr
        ) as bar:
            for done in as_completed(summaries):
                part, n_before, n_scored, n_feasible = done.result()
                by_person.append(part)
                before, scored, feasible = (
                    before + n_before,
                    scored + n_scored,
                    feasible + n_feasible,
                )
                bar.update(1)
        by_task = merged[0].result() if merged else TopPairs.empty()
        peaks = client.run(_peak_rss_mb)
    person_pairs = TopPairs.concat(by_person)
    info = RunInfo(
        run_id=created.strftime("%Y%m%dT%H%M%S%fZ"),
        created_at=created.isoformat(),
        ruleset_version=rules.version,
        ruleset_fingerprint=rules.fingerprint(),
        code_fingerprint=code_fingerprint,
        data_version=data_version,
        k=k,
        workers=n_workers,
        scheduler=scheduler or "local",
        people=int(sum(len(b) for b in blocks)),
        tasks=len(pool.rows),
        pairs_before_pruning=before,
        pairs_scored=scored,
        pairs_feasible=feasible,
        seconds=round(time.perf_counter() - started, 2),
        peak_worker_mb=round(max(peaks.values(), default=0.0), 1),
    )
    _write_run(output_dir, info, person_pairs, by_task)
    return info


def _peak_rss_mb() -> float:
    """This process's peak resident memory (run on each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _summary(result: BlockResult) -> tuple[TopPairs, int, int, int]:
    return (
        result.by_person,
        result.pairs_before_pruning,
        result.pairs_scored,
        result.pairs_feasible,
    )


def pairs_table(pairs: TopPairs, by: str) -> pa.Table:
    """The kept pairs as an Arrow table sorted by ``by`` (person_id or task_id), then rank."""
    key = pairs.person_ids if by == "person_id" else pairs.task_ids
    order = np.lexsort((pairs.rank, key))
    columns: dict[str, np.ndarray] = {
        "person_id": pairs.person_ids[order],
        "task_id": pairs.task_ids[order],
        "rank": pairs.rank[order],
        "total": pairs.total[order],
        # The pair fits fully (the ranking's first tier); the column keeps the name it had
        # before recommendations could be exceeded, so that runs stored earlier still read.
        "assessed": pairs.first_tier[order],
        "to_assess": pairs.unknown[order],  # bits; "unknown" is the score's component
    }
    for c, name in enumerate(COMPONENTS):
        columns[name] = pairs.contributions[order, c]
    return pa.table(columns)


def _write_run(output_dir: Path, info: RunInfo, by_person: TopPairs, by_task: TopPairs) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    partial = output_dir / f".{info.run_id}.{os.getpid()}.partial"
    partial.mkdir()
    try:
        metadata = {b"tasma_run": json.dumps(asdict(info)).encode()}
        for name, pairs, by in (
            ("by_person", by_person, "person_id"),
            ("by_task", by_task, "task_id"),
        ):
            table = pairs_table(pairs, by)
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
            pq.write_table(table, partial / f"{name}.parquet")
        (partial / "run.json").write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
        os.replace(partial, output_dir / info.run_id)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
