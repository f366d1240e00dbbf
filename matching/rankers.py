"""One interface over the two ways of ordering a person's hand-over tasks.

:class:`RuleRanker` is the rule set alone; :class:`LearnedRanker` lets the learned re-ranker
reorder the pairs the rules find feasible (the rules decide *what* may be suggested, the model
only *in which order*). The service, the replay of the analysts' evaluation and the contract
tests (``tests/test_rankers.py``, written once for every implementation) use them through
:class:`TaskRanker` only, so the cut-off rule — the model sees the rules' ``MAX_K`` best, then
cuts to ``k`` — lives here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from matching.index import PeopleMatrix, TaskMatrix
from matching.ranking import MAX_K, Ranked, rank_tasks_for_person
from matching.reranker import Reranker, rerank
from matching.rules import RuleSet

__all__ = ["LearnedRanker", "RuleRanker", "TaskFilters", "TaskRanker", "task_ranker"]


@dataclass(frozen=True)
class TaskFilters:
    """What the asking user narrowed the search to (None: no narrowing)."""

    sectors: Sequence[str] | None = None
    municipalities: Sequence[str] | None = None
    employer_ids: Sequence[int] | None = None
    radius_km: float | None = None


class TaskRanker(Protocol):
    @property
    def rules(self) -> RuleSet:
        """The rule set that decides what is feasible."""
        ...

    @property
    def model_version(self) -> str | None:
        """The learned model's version, None for the rules alone (stamped on suggestions)."""
        ...

    def tasks_for_person(
        self,
        people: PeopleMatrix,
        tasks: TaskMatrix,
        person_id: int,
        k: int,
        filters: TaskFilters = TaskFilters(),
    ) -> Ranked:
        """At most ``k`` tasks, each feasible under ``rules``, best first."""
        ...


@dataclass(frozen=True)
class RuleRanker:
    rules: RuleSet

    @property
    def model_version(self) -> str | None:
        return None

    def tasks_for_person(
        self,
        people: PeopleMatrix,
        tasks: TaskMatrix,
        person_id: int,
        k: int,
        filters: TaskFilters = TaskFilters(),
    ) -> Ranked:
        return rank_tasks_for_person(
            people,
            tasks,
            person_id,
            self.rules,
            k,
            sectors=filters.sectors,
            municipalities=filters.municipalities,
            employer_ids=filters.employer_ids,
            radius_km=filters.radius_km,
        )


@dataclass(frozen=True)
class LearnedRanker:
    rules: RuleSet
    model: Reranker
    pool: int = MAX_K
    """How many of the rules' best feasible tasks the model reorders before the cut to k."""

    @property
    def model_version(self) -> str | None:
        return self.model.version

    def tasks_for_person(
        self,
        people: PeopleMatrix,
        tasks: TaskMatrix,
        person_id: int,
        k: int,
        filters: TaskFilters = TaskFilters(),
    ) -> Ranked:
        pool = RuleRanker(self.rules).tasks_for_person(
            people, tasks, person_id, max(k, self.pool), filters
        )
        return rerank(pool, people, tasks, self.model, k)[0]


def task_ranker(rules: RuleSet, model: Reranker | None) -> TaskRanker:
    """The ranker the service uses: the learned one when a model is active."""
    return RuleRanker(rules) if model is None else LearnedRanker(rules, model)
