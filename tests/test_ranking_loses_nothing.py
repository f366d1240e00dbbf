"""Ranking may prune cheaply, but it must never lose a feasible pair: against a brute-force
scan that scores every pair with the scorer (itself held equal to the per-pair oracle), the
ranking returns exactly the feasible tasks within reach, in score order — both directions,
with and without a radius, with the default rules and with looser ones."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.geo import haversine_km
from matching.ranking import MAX_K, rank_people_for_tasks, rank_tasks_for_person
from matching.rules import default_ruleset
from matching.scoring import score_pairs
from tests.worlds import small_worlds

DEFAULT = default_ruleset()
FAR = DEFAULT.model_copy(update={"hard": DEFAULT.hard.model_copy(update={"max_distance_km": 80.0})})
LOOSE = DEFAULT.model_copy(
    update={
        "hard": DEFAULT.hard.model_copy(
            update={"max_distance_km": 45.0, "max_hours_over": 5.0, "min_schedule_overlap": 0.5}
        )
    }
)
SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _expected_order(ids: np.ndarray, total: np.ndarray, assessed: np.ndarray) -> list[int]:
    # Every fully assessed pair first, then by score, ties by id.
    order = np.lexsort((ids, -total, ~assessed))
    return [int(ids[o]) for o in order]


@SLOW
@given(
    small_worlds(max_people=3, max_tasks=12),
    st.integers(0, 10_000),
    st.sampled_from([DEFAULT, FAR, LOOSE]),
    st.one_of(st.none(), st.floats(5, 60)),
)
def test_every_feasible_task_within_reach_is_ranked(world, seed, rules, radius):
    people, tasks = world.people, world.tasks
    i = seed % len(people)
    person_id = int(people.ids[i])
    every = np.arange(len(tasks))
    scores = score_pairs(people, np.full(len(tasks), i), tasks, every, rules)
    within = np.ones(len(tasks), dtype=bool)
    if radius is not None:
        within = haversine_km(people.lat[i], people.lon[i], tasks.lat, tasks.lon) <= radius
    keep = scores.feasible & within
    expected = _expected_order(tasks.ids[keep], scores.total[keep], scores.assessed[keep])
    ranked = rank_tasks_for_person(people, tasks, person_id, rules, MAX_K, radius_km=radius)
    assert [int(t) for t in ranked.ids] == expected
    np.testing.assert_allclose(np.sort(ranked.total), np.sort(scores.total[keep]))


@SLOW
@given(
    small_worlds(max_people=8, max_tasks=4),
    st.integers(0, 10_000),
    st.sampled_from([DEFAULT, FAR, LOOSE]),
)
def test_every_feasible_person_is_a_candidate(world, seed, rules):
    people, tasks = world.people, world.tasks
    j = seed % len(tasks)
    task_id = int(tasks.ids[j])
    everyone = np.arange(len(people))
    scores = score_pairs(people, everyone, tasks, np.full(len(people), j), rules)
    ok = scores.feasible
    expected = _expected_order(people.ids[ok], scores.total[ok], scores.assessed[ok])
    ranked = rank_people_for_tasks(people, tasks, [task_id], rules, MAX_K)
    assert [int(p) for p in ranked.ids] == expected
