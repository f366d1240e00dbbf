"""Stored batch runs: the run folders :func:`api.jobs.batch.run_batch` writes, read back.

Runs are listed from their ``run.json`` (newest first); a person's or a task's rows are read
from Parquet with a filter on the sorted key column, so a lookup reads a few row groups, not
the run.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["BatchRuns", "Changes", "RunInfo", "changes"]


@dataclass(frozen=True)
class RunInfo:
    """What ``run.json`` says about a batch run."""

    run_id: str
    created_at: str
    """ISO 8601, UTC"""
    ruleset_version: str
    ruleset_fingerprint: str
    code_fingerprint: str
    data_version: int
    k: int
    workers: int
    scheduler: str
    """"local" or the cluster's address"""
    people: int
    """matchable people matched"""
    tasks: int
    """tasks in the pool (hand-over tasks when the rules ask)"""
    pairs_before_pruning: int
    pairs_scored: int
    pairs_feasible: int
    seconds: float
    peak_worker_mb: float = 0.0
    """the largest peak resident memory of a worker process (MB)"""


@dataclass(frozen=True)
class Changes:
    """Good matches (fully assessed fits in the top k) gained and lost between two runs, per
    key (person or task)."""

    since: RunInfo | None
    """the earlier run; None when there are fewer than two (and nothing changed)"""
    new: dict[int, list[int]]
    lost: dict[int, list[int]]


class BatchRuns:
    """The run folders under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def runs(self) -> list[RunInfo]:
        """Every complete run, newest first."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in self.directory.glob("*/run.json"):
            try:
                found.append(RunInfo(**json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, TypeError):
                continue  # not a run this version wrote
        return sorted(found, key=lambda r: r.created_at, reverse=True)

    def latest_two(self) -> tuple[RunInfo | None, RunInfo | None]:
        runs = self.runs()
        return (runs[0] if runs else None, runs[1] if len(runs) > 1 else None)

    def rows(self, run: RunInfo, by: str, keys: list[int]) -> pd.DataFrame:
        """The run's kept pairs whose ``by`` (person_id or task_id) is in ``keys``, in rank
        order within each key."""
        name = "by_person" if by == "person_id" else "by_task"
        path = self.directory / run.run_id / f"{name}.parquet"
        if not keys or not path.exists():
            return pd.DataFrame(columns=["person_id", "task_id", "rank", "total", "assessed"])
        table = pq.read_table(path, filters=[(by, "in", [int(k) for k in keys])])
        return table.to_pandas()

    def counts(self, run: RunInfo, by: str) -> pd.Series:
        """How many good matches each key has in the run (keys with none are absent)."""
        name = "by_person" if by == "person_id" else "by_task"
        table = pq.read_table(
            self.directory / run.run_id / f"{name}.parquet", columns=[by, "assessed"]
        )
        frame = table.to_pandas()
        return frame[frame["assessed"]].groupby(by).size()

    def changes(self, by: str, keys: list[int]) -> Changes:
        """New and lost good matches of ``keys`` from the run before the latest to the latest."""
        latest, previous = self.latest_two()
        if latest is None:
            return Changes(None, {}, {})
        if previous is None:
            return Changes(None, {}, {})  # one run: nothing to compare with yet
        return changes(self.rows(previous, by, keys), self.rows(latest, by, keys), by, previous)

    def forget_person(self, person_id: int) -> int:
        """Rewrite every run without the person's rows (an erasure reaches the runs too);
        how many files changed. Each file is replaced atomically."""
        changed = 0
        for path in sorted(self.directory.glob("*/by_*.parquet")):
            table = pq.read_table(path)
            keep = pc.not_equal(table["person_id"], pa.scalar(person_id, pa.int64()))
            if pc.all(keep).as_py():
                continue
            partial = path.with_suffix(f".{os.getpid()}.partial")
            pq.write_table(table.filter(keep), partial)
            os.replace(partial, path)
            changed += 1
        return changed

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest ``keep`` runs (they hold scores about people: kept no
        longer than needed to say what changed); the ids deleted."""
        gone = [run.run_id for run in self.runs()[keep:]]
        for run_id in gone:
            shutil.rmtree(self.directory / run_id, ignore_errors=True)
        return gone

    def created(self, run: RunInfo) -> datetime:
        return datetime.fromisoformat(run.created_at)


def changes(before: pd.DataFrame, after: pd.DataFrame, by: str, since: RunInfo | None) -> Changes:
    """Good matches in ``after`` and not in ``before`` (new) and the reverse (lost), per key."""
    other = "task_id" if by == "person_id" else "person_id"

    def good(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["assessed"].astype(bool), [by, other]]

    a, b = good(after), good(before)
    merged = a.merge(b, how="outer", on=[by, other], indicator=True)
    new: dict[int, list[int]] = {}
    lost: dict[int, list[int]] = {}
    for side, target in (("left_only", new), ("right_only", lost)):
        part = merged[merged["_merge"] == side]
        for key, group in part.groupby(by):
            target[int(key)] = sorted(np.asarray(group[other], dtype=np.int64).tolist())
    return Changes(since, new, lost)
