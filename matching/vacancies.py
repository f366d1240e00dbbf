"""Open vacancies matched as a whole: a role the employer is hiring for as it is fits a person
when every one of its tasks does — each judged by the rule set's constraints, hand-over or
not — and the role's hours together are within the person's weekly maximum. Vectorised over
all the open roles' tasks at once; ranked by the mean of the tasks' scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.rules import RuleSet
from matching.scoring import FAILURES, score_pairs

__all__ = ["VacancyFit", "rank_vacancies"]

_HOURS = FAILURES.index("hours")


@dataclass(frozen=True)
class VacancyFit:
    role_id: int
    employer_id: int
    task_ids: list[int]
    hours: float
    total: float
    """The mean of the role's tasks' scores."""
    adjustments: int
    """How many adjustments its tasks need, all told."""


def rank_vacancies(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    person_id: int,
    rules: RuleSet,
    open_roles: np.ndarray,
    k: int = 10,
    role_hours: np.ndarray | None = None,
) -> list[VacancyFit]:
    """The best ``k`` open vacancies (``open_roles``: their role ids; ``role_hours``: each
    position's weekly hours, NaN where its tasks' hours together count) that fit the person as
    a whole, best first (ties by role id); none when the rule set leaves them out."""
    if not rules.open_vacancies or len(open_roles) == 0:
        return []
    i = people.row_of[int(person_id)]
    rows = np.flatnonzero(np.isin(tasks.role_ids, open_roles))
    if len(rows) == 0:
        return []
    # A vacancy's tasks are judged as tasks of a job, hand-over or not; their hours together.
    judging = rules.model_copy(update={"hard": rules.hard.model_copy(
        update={"hand_over_only": False})})  # fmt: skip
    scores = score_pairs(people, np.full(len(rows), i), tasks, rows, judging)
    others = np.ones(len(FAILURES), dtype=bool)
    others[_HOURS] = False
    task_ok = ~scores.failures[:, others].any(axis=1)
    roles, group = np.unique(tasks.role_ids[rows], return_inverse=True)
    n_tasks = np.bincount(group, minlength=len(roles))
    all_ok = np.bincount(group, weights=task_ok, minlength=len(roles)) == n_tasks
    hours = np.bincount(group, weights=tasks.hours[rows], minlength=len(roles))
    if role_hours is not None:
        stated = dict(zip(np.asarray(open_roles).tolist(), np.asarray(role_hours).tolist(),
                          strict=True))  # fmt: skip
        position = np.array([stated.get(int(r), np.nan) for r in roles], dtype=np.float64)
        hours = np.where(np.isnan(position), hours, position)
    within = hours <= people.hours_max[i] + rules.hard.max_hours_over
    fits = np.flatnonzero(all_ok & within)
    if len(fits) == 0:
        return []
    mean = np.bincount(group, weights=scores.total, minlength=len(roles)) / n_tasks
    adjustments = np.bincount(group, weights=scores.chosen.sum(axis=1), minlength=len(roles))
    order = fits[np.lexsort((roles[fits], -mean[fits]))][:k]
    employer_of = dict(zip(tasks.role_ids[rows].tolist(), tasks.employer_ids[rows].tolist(),
                           strict=True))  # fmt: skip
    return [
        VacancyFit(
            role_id=int(roles[r]),
            employer_id=int(employer_of[int(roles[r])]),
            task_ids=sorted(int(t) for t in tasks.ids[rows[group == r]]),
            hours=float(hours[r]),
            total=float(mean[r]),
            adjustments=int(adjustments[r]),
        )
        for r in order
    ]
