"""What the engine says of pairs a person chose: which of the tasks the rules exclude for
them, and why — the record a human override is judged against."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.rules import RuleSet
from matching.scoring import FAILURES, score_pairs

__all__ = ["NOT_IN_INDEX", "engine_exclusions"]

NOT_IN_INDEX = "not_in_index"
"""A person or task the match index does not hold (nothing the engine could have judged)."""


def engine_exclusions(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    rules: RuleSet,
    person_id: int,
    task_ids: Sequence[int],
) -> dict[str, list[str]]:
    """Each of ``task_ids`` the rules exclude for the person (its id as text, for JSON) → the
    failures that exclude it, in :data:`~matching.scoring.FAILURES` order; empty when the
    engine would suggest every one of them."""
    person_row = people.row_of.get(int(person_id))
    if person_row is None:
        return {str(t): [NOT_IN_INDEX] for t in sorted(task_ids)}
    known = [int(t) for t in task_ids if int(t) in tasks.row_of]
    out = {str(t): [NOT_IN_INDEX] for t in task_ids if int(t) not in tasks.row_of}
    if known:
        task_rows = np.array([tasks.row_of[t] for t in known], dtype=np.int64)
        people_rows = np.full(len(known), person_row, dtype=np.int64)
        scores = score_pairs(people, people_rows, tasks, task_rows, rules)
        for p, task_id in enumerate(known):
            if not scores.feasible[p]:
                out[str(task_id)] = [FAILURES[f] for f in np.flatnonzero(scores.failures[p])]
    return dict(sorted(out.items(), key=lambda kv: int(kv[0])))
