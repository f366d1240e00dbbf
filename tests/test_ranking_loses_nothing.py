"""Ranking may prune cheaply, but it must never lose a feasible pair: against a brute-force
scan that scores every pair with the scorer (itself held equal to the per-pair oracle), the
ranking returns exactly the feasible tasks within reach, in score order — both directions,
with and without a radius, with the default rules and with looser ones."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.demo import build_world
from features.geo import haversine_km
from matching.index import MatchIndex
from matching.ranking import MAX_K, rank_people_for_tasks, rank_tasks_for_person
from matching.reference import reference_score
from matching.rules import default_ruleset
from matching.scoring import FAILURES, bound_pairs, demand_screen, score_pairs
from matching.vacancies import rank_vacancies
from matching.verdict import NOT_IN_INDEX, engine_exclusions
from tests.worlds import all_pairs, small_worlds

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
    expected = _expected_order(tasks.ids[keep], scores.total[keep], scores.first_tier[keep])
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
    expected = _expected_order(people.ids[ok], scores.total[ok], scores.first_tier[ok])
    ranked = rank_people_for_tasks(people, tasks, [task_id], rules, MAX_K)
    assert [int(p) for p in ranked.ids] == expected


@SLOW
@given(small_worlds(max_people=5, max_tasks=8), st.sampled_from([DEFAULT, FAR, LOOSE]))
def test_demand_screen_sets_aside_exactly_the_over_demand_failures(world, rules):
    # The screen lets ranking skip scoring; it must agree with the scorer pair for pair —
    # for all pairs at once, for one person against every task and one task against everyone.
    people, tasks = world.people, world.tasks
    person_rows, task_rows = all_pairs(world)
    scores = score_pairs(people, person_rows, tasks, task_rows, rules)
    over_demand = scores.failures[:, FAILURES.index("over_demand")]
    screened = demand_screen(people, person_rows, tasks, task_rows, rules)
    np.testing.assert_array_equal(screened, ~over_demand)
    for i in range(len(people)):
        mine = person_rows == i
        one = demand_screen(people, np.full(mine.sum(), i), tasks, task_rows[mine], rules)
        np.testing.assert_array_equal(one, ~over_demand[mine])
    for j in range(len(tasks)):
        theirs = task_rows == j
        one = demand_screen(people, person_rows[theirs], tasks, np.full(theirs.sum(), j), rules)
        np.testing.assert_array_equal(one, ~over_demand[theirs])


@SLOW
@given(
    small_worlds(max_people=3, max_tasks=12),
    st.integers(0, 10_000),
    st.sampled_from([DEFAULT, FAR, LOOSE]),
    st.integers(1, 5),
)
def test_scoring_only_what_can_reach_the_top_loses_nothing(world, seed, rules, k):
    # Beyond SCORE_ALL_UP_TO candidates ranking scores in full only the pairs whose bound can
    # still reach the top k; with the threshold at 0 every ranking goes that way and must give
    # the brute-force top k, with every feasible task counted.
    people, tasks = world.people, world.tasks
    i = seed % len(people)
    every = np.arange(len(tasks))
    scores = score_pairs(people, np.full(len(tasks), i), tasks, every, rules)
    bounded = bound_pairs(people, np.full(len(tasks), i), tasks, every, rules)
    np.testing.assert_array_equal(bounded.feasible, scores.feasible)
    np.testing.assert_array_equal(bounded.first_tier, scores.first_tier)
    assert (scores.total <= bounded.bound).all()
    ok = scores.feasible
    expected = _expected_order(tasks.ids[ok], scores.total[ok], scores.first_tier[ok])[:k]
    with patch("matching.ranking.SCORE_ALL_UP_TO", 0), patch("matching.ranking.FIRST_PREFIX", 1):
        ranked = rank_tasks_for_person(people, tasks, int(people.ids[i]), rules, k)
    assert [int(t) for t in ranked.ids] == expected
    assert ranked.n_feasible == int(ok.sum())


def test_scoring_only_what_can_reach_the_top_agrees_on_the_demo_world():
    # The random small worlds rarely have more than a few feasible tasks; the demo world has
    # hundreds per person, with every tier and many near-ties, where a wrong stop would show.
    index = MatchIndex.from_tables(build_world("small", seed=3).tables)
    people, tasks = index.people, index.tasks
    askers = np.flatnonzero(people.matchable)[:40]
    for rules in (DEFAULT, LOOSE):
        for i in askers:
            person_id = int(people.ids[i])
            every = rank_tasks_for_person(people, tasks, person_id, rules, MAX_K)
            with (
                patch("matching.ranking.SCORE_ALL_UP_TO", 0),
                patch("matching.ranking.FIRST_PREFIX", 1),
            ):
                pruned = rank_tasks_for_person(people, tasks, person_id, rules, 10)
            assert [int(t) for t in pruned.ids] == [int(t) for t in every.ids[:10]]
            np.testing.assert_array_equal(pruned.total, every.total[:10])
            assert pruned.n_feasible == every.n_feasible


@SLOW
@given(
    small_worlds(max_people=3, max_tasks=8),
    st.integers(0, 10_000),
    st.sampled_from([DEFAULT, LOOSE]),
)
def test_an_override_is_recorded_exactly_where_the_rules_exclude(world, seed, rules):
    """What a proposal records as the engine's judgement agrees with the per-pair oracle:
    a task is named excluded, with the oracle's failures, exactly when the pair is infeasible."""
    people, tasks = world.people, world.tasks
    i = seed % len(people)
    said = engine_exclusions(people, tasks, rules, int(people.ids[i]), [int(t) for t in tasks.ids])
    for j, task_id in enumerate(tasks.ids):
        oracle = reference_score(people, i, tasks, j, rules)
        if oracle.feasible:
            assert str(task_id) not in said
        else:
            assert set(said[str(task_id)]) == set(oracle.failures)
    unknown = int(tasks.ids.max()) + 1
    assert engine_exclusions(people, tasks, rules, int(people.ids[i]), [unknown]) == {
        str(unknown): [NOT_IN_INDEX]
    }


@SLOW
@given(
    small_worlds(max_people=2, max_tasks=9),
    st.integers(0, 10_000),
    st.sampled_from([DEFAULT, LOOSE]),
)
def test_open_vacancies_fit_exactly_when_every_task_of_the_role_does(world, seed, rules):
    """An open vacancy (a role, its tasks together) is suggested exactly when the per-pair
    oracle finds each of its tasks feasible but for hours, hand-over or not, and the hours
    together are within the person's maximum; ranked by the mean score."""
    people = world.people
    tasks = replace(world.tasks, role_ids=1 + np.arange(len(world.tasks)) // 2)  # pairs of tasks
    i = seed % len(people)
    roles = np.unique(tasks.role_ids)
    judging = rules.model_copy(update={"hard": rules.hard.model_copy(
        update={"hand_over_only": False})})  # fmt: skip
    expected = []
    for role in roles:
        rows = np.flatnonzero(tasks.role_ids == role)
        oracle = [reference_score(people, i, tasks, int(j), judging) for j in rows]
        hours = float(tasks.hours[rows].sum())
        if all(o.failures <= {"hours"} for o in oracle) and (
            hours <= people.hours_max[i] + rules.hard.max_hours_over
        ):
            expected.append((-float(np.mean([o.total for o in oracle])), int(role)))
    got = rank_vacancies(people, tasks, int(people.ids[i]), rules, roles, k=len(roles))
    assert [v.role_id for v in got] == [role for _, role in sorted(expected)]
    for v, (neg, _) in zip(got, sorted(expected), strict=True):
        assert v.total == pytest.approx(-neg, abs=1e-6)
    closed = rules.model_copy(update={"open_vacancies": False})
    assert rank_vacancies(people, tasks, int(people.ids[i]), closed, roles) == []
