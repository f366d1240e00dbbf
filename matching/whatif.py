"""The employer's what-if: how many more people could do a task with one more adjustment, or
with one demand a level lower; and which of a role's core tasks the pool could take over.

A task's variants (itself; with each applicable adjustment the employer has not accepted; with
each assessed demand one level lower) are built from its row of the task frame by the same
featurizer as the index, so a variant is exactly the task the employer would get by saying yes.
Every person within reach is scored against every variant in one call of the scorer (people ×
variants pairs); the counts are column sums of the feasibility matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, CHARACTERISTICS
from features.geo import haversine_km
from features.i18n import ngettext_for
from features.numbers import number
from features.pipeline.encoders import adjustment_applicability
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.index import MatchIndex
from matching.ranking import prefilter
from matching.rules import RuleSet
from matching.scoring import demand_screen, demand_screen_grid, score_pairs

__all__ = [
    "HandOverOption",
    "Variant",
    "WhatIf",
    "hand_over_options",
    "what_if",
    "what_if_sentence",
]

_ADJUSTMENT_IDS = tuple(ADJUSTMENTS)


@dataclass(frozen=True)
class Variant:
    """One change the employer could make, and what it would do."""

    kind: str
    """"adjustment" (accept it) or "demand" (one level lower)"""
    id: str
    """the adjustment's or the characteristic's catalogue id"""
    more: int
    """people who would fit with the change and do not fit now"""
    more_assessed: int
    """of them, those whose fit would be fully assessed (nothing to check first)"""


@dataclass(frozen=True)
class WhatIf:
    task_id: int
    fit_now: int
    """people who fit the task as it is (within reach, matchable)"""
    in_reach: int
    """matchable people within the rule set's distance who pass its one-dimensional limits"""
    variants: tuple[Variant, ...]
    """most people gained first"""


def _variants(
    frame_row: pd.Series, kind: int, schedule: int
) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The task's row, one row per change, and a last row with every change at once; and what
    each change is."""
    applicable = adjustment_applicability(np.array([kind]), np.array([schedule]))[0]
    accepted = set(frame_row["accepted_adjustments"] or [])
    rows = [frame_row]
    changes: list[tuple[str, str]] = []
    for a, adjustment_id in enumerate(_ADJUSTMENT_IDS):
        if applicable[a] and adjustment_id not in accepted:
            row = frame_row.copy()
            row["accepted_adjustments"] = [*accepted, adjustment_id]
            rows.append(row)
            changes.append(("adjustment", adjustment_id))
    for cid in CHARACTERISTIC_IDS:
        level = frame_row[f"dem:{cid}"]
        if pd.notna(level) and level > 0:
            row = frame_row.copy()
            row[f"dem:{cid}"] = level - 1
            rows.append(row)
            changes.append(("demand", cid))
    # Last, every change at once: no single change can make fit anyone this leaves out.
    union = frame_row.copy()
    union["accepted_adjustments"] = [
        a for i, a in enumerate(_ADJUSTMENT_IDS) if applicable[i] or a in accepted
    ]
    for cid in CHARACTERISTIC_IDS:
        level = union[f"dem:{cid}"]
        if pd.notna(level) and level > 0:
            union[f"dem:{cid}"] = level - 1
    rows.append(union)
    return pd.DataFrame(rows).reset_index(drop=True), changes


def _in_reach(
    people: PeopleMatrix, tasks: TaskMatrix, row: int, rules: RuleSet, among: np.ndarray | None
) -> np.ndarray:
    """People rows (of ``among``, a bool mask; None: everyone) within the rule set's distance
    of the task that pass its cheap limits."""
    limit = rules.hard.max_distance_km
    close = np.abs(people.lat - tasks.lat[row]) <= limit / 111.0
    near = np.flatnonzero(close if among is None else close & among)
    km = haversine_km(tasks.lat[row], tasks.lon[row], people.lat[near], people.lon[near])
    near = near[km <= limit]
    ok = prefilter(people, near, tasks, np.array([row]), rules)[:, 0]
    return near[ok]


def _gains(
    index: MatchIndex, people_rows: np.ndarray, variants: TaskMatrix, rules: RuleSet
) -> tuple[np.ndarray, np.ndarray]:
    """int (n_variants,) twice: how many of ``people_rows`` each variant makes feasible, and
    feasible and assessed. Every (person, variant) pair is first put through the demand
    screen (one comparison per cell); only the pairs that pass are scored, in one call."""
    n_variants = len(variants)
    passed = demand_screen_grid(index.people, people_rows, variants, np.arange(n_variants), rules)
    who, pairs_tasks = np.nonzero(passed)
    pairs_people = people_rows[who]
    scores = score_pairs(index.people, pairs_people, variants, pairs_tasks, rules)
    feasible = np.bincount(pairs_tasks[scores.feasible], minlength=n_variants)
    sure = np.bincount(pairs_tasks[scores.feasible & scores.assessed], minlength=n_variants)
    return feasible, sure


def what_if(
    index: MatchIndex, task_id: int, rules: RuleSet, among: np.ndarray | None = None
) -> WhatIf:
    """For one task: who fits now, and how many more would with each single change — of
    ``among`` (bool per person row; None: everyone)."""
    row = index.tasks.row_of[task_id]
    frame, changes = _variants(
        index.task_frame.iloc[row], int(index.tasks.kind[row]), int(index.tasks.schedule[row])
    )
    reach = _in_reach(index.people, index.tasks, row, rules, among)
    # Who fits now: only who passes the demand screen can (the rest are not scored).
    now = np.zeros(len(reach), dtype=bool)
    this = np.full(len(reach), row)
    screened_now = np.flatnonzero(demand_screen(index.people, reach, index.tasks, this, rules))
    now[screened_now] = score_pairs(
        index.people, reach[screened_now], index.tasks, this[screened_now], rules
    ).feasible
    if not changes:  # everything applicable accepted, no demand above 0: nothing to change
        return WhatIf(task_id, int(now.sum()), len(reach), ())
    changed = index.featurizer.tasks(frame.iloc[1:-1])
    every_change = index.featurizer.tasks(frame.iloc[[-1]])
    # Only who does not fit now and passes the demand screen with every change at once can
    # gain from one change.
    anyone = np.zeros(len(reach), dtype=int)
    maybe = reach[~now & demand_screen(index.people, reach, every_change, anyone, rules)]
    gained, gained_assessed = _gains(index, maybe, changed, rules)
    found = [
        Variant(kind, change_id, int(more), int(sure))
        for (kind, change_id), more, sure in zip(changes, gained, gained_assessed, strict=True)
    ]
    found.sort(key=lambda v: (-v.more, -v.more_assessed, v.kind, v.id))
    return WhatIf(task_id, int(now.sum()), len(reach), tuple(found))


@dataclass(frozen=True)
class HandOverOption:
    """A core task the pool could take over if it were handed over."""

    task_id: int
    people: int
    """matchable people within reach who could do it as it is"""
    assessed: int
    """of them, those whose fit is fully assessed"""


def hand_over_options(
    index: MatchIndex, role_id: int, rules: RuleSet, among: np.ndarray | None = None
) -> list[HandOverOption]:
    """Each core task of the role with how many people in the pool (of ``among``; None:
    everyone) could do it were it handed over (the rules' hand-over-only limit lifted, nothing
    else); most people first."""
    tasks = index.tasks
    rows = np.flatnonzero((tasks.role_ids == role_id) & ~tasks.hand_over)
    as_if = rules.model_copy(
        update={"hard": rules.hard.model_copy(update={"hand_over_only": False})}
    )
    options = []
    for row in rows:  # a role has a handful of tasks; each task's pool is one scorer call
        reach = _in_reach(index.people, tasks, int(row), as_if, among)
        scores = score_pairs(index.people, reach, tasks, np.full(len(reach), row), as_if)
        options.append(
            HandOverOption(
                task_id=int(tasks.ids[row]),
                people=int(scores.feasible.sum()),
                assessed=int((scores.feasible & scores.assessed).sum()),
            )
        )
    options.sort(key=lambda o: (-o.people, -o.assessed, o.task_id))
    return options


def what_if_sentence(variant: Variant, lang: str) -> str:
    """The variant as a coordinator would say it to the employer."""
    n, ngettext = variant.more, ngettext_for(lang)
    if variant.kind == "adjustment":
        text = ngettext(
            "With “%(change)s” accepted, %(num)s more person could do this.",
            "With “%(change)s” accepted, %(num)s more people could do this.",
            n,
        )
        return text % {"change": ADJUSTMENTS[variant.id].name(lang), "num": number(n, lang)}
    text = ngettext(
        "If “%(change)s” were one level lighter, %(num)s more person could do this.",
        "If “%(change)s” were one level lighter, %(num)s more people could do this.",
        n,
    )
    return text % {"change": CHARACTERISTICS[variant.id].name(lang), "num": number(n, lang)}
