"""Typical demand profiles: what each kind of task usually demands, written once.

A Ratko workshop rates the demands that matter for a task, not all 43. Where it leaves one
unrated, the demand is taken as *typical* for the task's kind — the median over the role
templates of that kind (:mod:`features.demo.templates`, where each task was thought through
the way a workshop would) — and flagged as typical, so the score can treat it as known while
explanations say "arvio tehtävätyypin perusteella" and a physician's restriction checked only
against a typical demand is still shown as "check before proposing".

Daily working time is never typical: it follows from the task's own hours.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from features.catalogue import CHARACTERISTIC_IDS, TASK_KINDS

__all__ = ["NOT_TYPICAL", "typical_demands"]

NOT_TYPICAL = frozenset({"daily_working_time"})
"""Characteristics that depend on the task itself, never on its kind."""


@cache
def typical_demands() -> np.ndarray:
    """float32 (n_task_kinds, n_characteristics): the median demand of the templates of each
    kind (rounded half up), NaN where no template has that kind or for :data:`NOT_TYPICAL`."""
    # Imported here: the demo package builds worlds with the pipeline, which reads this table.
    from features.demo.templates import ROLE_TEMPLATES

    out = np.full((len(TASK_KINDS), len(CHARACTERISTIC_IDS)), np.nan, dtype=np.float32)
    by_kind: dict[str, list[list[int]]] = {}
    for role in ROLE_TEMPLATES:
        for task in role.tasks:
            by_kind.setdefault(task.kind, []).append([task.demands[c] for c in CHARACTERISTIC_IDS])
    for kind, rows in by_kind.items():
        median = np.median(np.array(rows, dtype=np.float64), axis=0)
        out[TASK_KINDS.index(kind)] = np.floor(median + 0.5)
    for cid in NOT_TYPICAL:
        out[:, CHARACTERISTIC_IDS.index(cid)] = np.nan
    return out
