"""Bodies of the whole-pool answers: batch runs, what changed, the employer's what-if,
hand-over options and the week's clearing."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from matching.clearing import ClearingObjective

__all__ = [
    "BatchRunList",
    "BatchRunPublic",
    "BatchStarted",
    "ClearingPublic",
    "ClearingSuggestion",
    "HandOverOptionPublic",
    "HandOverOptions",
    "MatchNews",
    "NewsTask",
    "TaskNews",
    "TaskNewsList",
    "VariantPublic",
    "WhatIfPublic",
]


class BatchRunPublic(BaseModel):
    run_id: str
    created_at: datetime
    ruleset_version: str
    ruleset_fingerprint: str
    code_fingerprint: str
    data_version: int
    k: int = Field(description="Top k kept per person and per task.")
    workers: int
    scheduler: str = Field(description='"local" or the Dask scheduler\'s address.')
    people: int
    tasks: int
    pairs_before_pruning: int
    pairs_scored: int
    pairs_feasible: int
    seconds: float
    peak_worker_mb: float = Field(description="The largest worker's peak resident memory.")


class BatchRunList(BaseModel):
    data: list[BatchRunPublic] = Field(description="Newest first.")
    count: int
    running: bool = Field(description="A run started here is under way.")


class BatchStarted(BaseModel):
    started: bool
    message: str


class NewsTask(BaseModel):
    task_id: int
    title: str
    employer_id: int
    municipality: str


class MatchNews(BaseModel):
    """A person's good matches (fully assessed fits in the top k) gained and lost from the run
    before the latest to the latest."""

    since: datetime | None = Field(description="The earlier run; null: only one run so far.")
    latest: datetime | None = Field(description="The latest run; null: none yet.")
    new: list[NewsTask]
    lost: list[NewsTask]
    summary: str = Field(description="One sentence in the asked language.")


class TaskNews(BaseModel):
    task_id: int
    title: str
    candidates: int = Field(description="Good candidates (fully assessed fits) in the latest run.")
    new: int
    lost: int


class TaskNewsList(BaseModel):
    since: datetime | None
    latest: datetime | None
    data: list[TaskNews]
    count: int


class VariantPublic(BaseModel):
    kind: Literal["adjustment", "demand"]
    id: str = Field(description="The adjustment's or the characteristic's catalogue id.")
    name: str
    more: int = Field(description="People who would fit with this change and do not now.")
    more_assessed: int = Field(description="Of them, those with nothing left to check.")
    sentence: str


class WhatIfPublic(BaseModel):
    task_id: int
    title: str
    fit_now: int
    in_reach: int = Field(description="Matchable people within reach who pass the cheap limits.")
    variants: list[VariantPublic] = Field(description="Most people gained first.")


class HandOverOptionPublic(BaseModel):
    task_id: int
    title: str
    people: int = Field(description="Could do it, were it handed over.")
    assessed: int = Field(description="Of them, those with nothing left to check.")


class HandOverOptions(BaseModel):
    role_id: int
    data: list[HandOverOptionPublic] = Field(description="The role's core tasks, most first.")
    count: int


class ClearingSuggestion(BaseModel):
    person_id: int
    code: str
    employer_id: int
    task_ids: list[int]
    titles: list[str]
    hours: float
    total: float


class ClearingPublic(BaseModel):
    """A suggestion list for the coordinators, never a decision."""

    area: str
    objective: ClearingObjective
    optimal: bool = Field(description="Proved best; false: the solver's time ran out first.")
    people: int
    tasks: int
    total: float
    greedy_people: int = Field(description="Each client in turn taking their best free task.")
    greedy_total: float
    candidates: int = Field(description="Pairs considered: each person's top k.")
    seconds: float
    data: list[ClearingSuggestion]
    count: int
