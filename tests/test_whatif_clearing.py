"""The employer's what-if and hand-over suggestions equal a recount by the scorer over every
person; market clearing keeps every constraint, equals brute force on small instances and is
never worse than coordinator-by-coordinator greedy."""

from __future__ import annotations

import itertools
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.demo import build_world
from matching import clearing
from matching.clearing import (
    CandidatePairs,
    ClearingObjective,
    area_candidates,
    clear,
    greedy,
    satisfies,
)
from matching.index import MatchIndex
from matching.rules import default_ruleset
from matching.scoring import demand_screen, demand_screen_grid, score_pairs
from matching.whatif import hand_over_options, what_if
from tests.worlds import all_pairs, small_worlds

DEFAULT = default_ruleset()
TOLERANT = DEFAULT.model_copy(
    update={
        "hard": DEFAULT.hard.model_copy(
            update={
                "recommendation_tolerance": 1,
                "over_demand_tolerance": dict.fromkeys(DEFAULT.hard.over_demand_tolerance, 1),
            }
        )
    }
)


def _recount(index: MatchIndex, frame_rows: list, rules, among=None) -> np.ndarray:
    """bool (tasks described by ``frame_rows`` × every person): who is feasible for each task as
    its row describes it (and, when ``among`` is given, one of them). The rows are featurized
    together, each on its own, as the index would featurize them."""
    frame = pd.concat([r.to_frame().T for r in frame_rows]).reset_index(drop=True)
    tasks = index.featurizer.tasks(frame)
    n = len(index.people)
    people = np.tile(np.arange(n), len(frame_rows))
    task_rows = np.repeat(np.arange(len(frame_rows)), n)
    feasible = score_pairs(index.people, people, tasks, task_rows, rules).feasible
    feasible = feasible.reshape(len(frame_rows), n)
    return feasible if among is None else feasible & among


def _check_what_if(index: MatchIndex, task_id: int, among=None) -> None:
    answer = what_if(index, task_id, DEFAULT, among=among)
    row = index.task_frame.iloc[index.tasks.row_of[task_id]]
    changed_rows = []
    for variant in answer.variants:
        changed = row.copy()
        if variant.kind == "adjustment":
            assert variant.id not in (row["accepted_adjustments"] or [])
            changed["accepted_adjustments"] = [*(row["accepted_adjustments"] or []), variant.id]
        else:
            changed[f"dem:{variant.id}"] = row[f"dem:{variant.id}"] - 1
        changed_rows.append(changed)
    counts = _recount(index, [row, *changed_rows], DEFAULT, among)
    now = counts[0]
    assert answer.fit_now == int(now.sum())
    for variant, recounted in zip(answer.variants, counts[1:], strict=True):
        gained = recounted & ~now
        assert variant.more == int(gained.sum()), variant


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=small_worlds(max_people=8, max_tasks=4), data=st.data())
def test_what_if_counts_equal_a_recount_on_random_worlds(world, data) -> None:
    index = MatchIndex.from_frames(world.people_frame, world.task_frame)
    among = np.array(data.draw(st.lists(st.booleans(), min_size=len(index.people),
                                        max_size=len(index.people))), dtype=bool)  # fmt: skip
    for task_id in index.tasks.ids:
        _check_what_if(index, int(task_id))
        _check_what_if(index, int(task_id), among)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=small_worlds(max_people=8, max_tasks=8))
def test_the_screen_grid_equals_the_pairwise_screen(world) -> None:
    people, tasks = world.people, world.tasks
    pr, tr = all_pairs(world)
    for rules in (DEFAULT, TOLERANT):
        grid = demand_screen_grid(
            people, np.arange(len(people)), tasks, np.arange(len(tasks)), rules
        )
        pairwise = demand_screen(people, pr, tasks, tr, rules).reshape(len(people), len(tasks))
        np.testing.assert_array_equal(grid, pairwise)


@pytest.fixture(scope="module")
def small_index() -> MatchIndex:
    return MatchIndex.from_tables(build_world("small", seed=11).tables)


def test_what_if_on_the_demo_world(small_index: MatchIndex) -> None:
    tasks = small_index.tasks
    hand_over = tasks.ids[tasks.hand_over][:6]
    gained = 0
    for task_id in hand_over:
        _check_what_if(small_index, int(task_id))
        gained += sum(v.more for v in what_if(small_index, int(task_id), DEFAULT).variants)
    assert gained > 0  # some change helps somebody somewhere


def test_hand_over_options_equal_a_recount(small_index: MatchIndex) -> None:
    tasks = small_index.tasks
    role = int(tasks.role_ids[np.flatnonzero(~tasks.hand_over)[0]])
    options = hand_over_options(small_index, role, DEFAULT)
    core = {int(t) for t in tasks.ids[(tasks.role_ids == role) & ~tasks.hand_over]}
    assert {o.task_id for o in options} == core
    as_if = DEFAULT.model_copy(
        update={"hard": DEFAULT.hard.model_copy(update={"hand_over_only": False})}
    )
    everyone = np.arange(len(small_index.people))
    for option in options:
        row = tasks.row_of[option.task_id]
        scores = score_pairs(
            small_index.people, everyone, tasks, np.full(len(everyone), row), as_if
        )
        assert option.people == int(scores.feasible.sum())
        assert option.assessed == int((scores.feasible & scores.assessed).sum())
    assert [o.people for o in options] == sorted((o.people for o in options), reverse=True)


@st.composite
def instances(draw: st.DrawFn) -> CandidatePairs:
    n_people = draw(st.integers(1, 4))
    n_tasks = draw(st.integers(1, 5))
    employer = [draw(st.integers(1, 2)) for _ in range(n_tasks)]
    hours = [float(draw(st.integers(4, 12))) for _ in range(n_tasks)]
    slots = [draw(st.integers(1, 15)) for _ in range(n_tasks)]
    max_hours = [float(draw(st.integers(8, 24))) for _ in range(n_people)]
    # Candidate pairs are feasible on their own: the task's hours are within the person's.
    pairs = [
        (p, t)
        for p in range(n_people)
        for t in range(n_tasks)
        if hours[t] <= max_hours[p] and draw(st.booleans())
    ][:11]
    totals = [draw(st.floats(-0.5, 6.0, allow_nan=False).map(lambda x: round(x, 2))) for _ in pairs]
    p = np.array([a for a, _ in pairs], dtype=np.int64)
    t = np.array([b for _, b in pairs], dtype=np.int64)
    return CandidatePairs(
        person_ids=p + 100,
        task_ids=t + 500,
        total=np.array(totals, dtype=float),
        employer_ids=np.array(employer, dtype=np.int64)[t] if len(t) else np.zeros(0, np.int64),
        hours=np.array(hours)[t] if len(t) else np.zeros(0),
        slots=np.array(slots, dtype=np.int64)[t] if len(t) else np.zeros(0, np.int64),
        max_hours=np.array(max_hours)[p] if len(p) else np.zeros(0),
    )


def _brute_force(pairs: CandidatePairs, objective: ClearingObjective) -> tuple[int, float]:
    best = (0, 0.0)
    best_key: tuple[float, ...] = (0, 0.0) if objective is ClearingObjective.PEOPLE else (0.0,)
    for chosen_bits in itertools.product((False, True), repeat=len(pairs)):
        chosen = np.array(chosen_bits, dtype=bool)
        if not satisfies(pairs, chosen) or (pairs.total[chosen] <= 0).any():
            continue
        people, total = len(np.unique(pairs.person_ids[chosen])), float(pairs.total[chosen].sum())
        key = (people, total) if objective is ClearingObjective.PEOPLE else (total,)
        if key > best_key:
            best_key, best = key, (people, total)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=instances())
def test_clearing_equals_brute_force_and_keeps_every_constraint(pairs: CandidatePairs) -> None:
    order = np.unique(pairs.person_ids)
    baseline = greedy(pairs, order)
    assert satisfies(pairs, baseline.chosen)
    for objective in ClearingObjective:
        answer = clear(pairs, objective)
        assert answer.optimal
        assert satisfies(pairs, answer.chosen)
        people, total = _brute_force(pairs, objective)
        if objective is ClearingObjective.PEOPLE:
            assert answer.people == people
        assert answer.total == pytest.approx(total, abs=1e-6)
        if objective is ClearingObjective.SCORE:
            assert answer.total >= baseline.total - 1e-9
        else:
            assert answer.people >= baseline.people


def test_clearing_on_a_demo_area_places_at_least_as_many_as_greedy(
    small_index: MatchIndex,
) -> None:
    people = small_index.people
    rows = np.flatnonzero(people.matchable & (people.area == "PH-Lahti"))[:150]
    pairs = area_candidates(people, small_index.tasks, rows, DEFAULT, 20)
    assert len(pairs) > 300
    baseline = greedy(pairs, np.unique(pairs.person_ids))
    for objective in ClearingObjective:
        answer = clear(pairs, objective)
        assert answer.optimal and satisfies(pairs, answer.chosen)
        if objective is ClearingObjective.PEOPLE:
            assert answer.people >= baseline.people
        else:
            assert answer.total >= baseline.total - 1e-9


def _hand_counted_pairs() -> CandidatePairs:
    """Person 1: tasks 10, 11 at employer 1, 12 at employer 2; person 2: tasks 10, 12, 13."""
    return CandidatePairs(
        person_ids=np.array([1, 1, 1, 2, 2, 2]),
        task_ids=np.array([10, 11, 12, 10, 12, 13]),
        total=np.array([3.0, 2.0, 2.5, 5.0, 1.0, -1.0]),
        employer_ids=np.array([1, 1, 2, 1, 2, 3]),
        hours=np.array([4.0, 4.0, 2.0, 4.0, 2.0, 1.0]),
        slots=np.array([0b001, 0b010, 0b100, 0b001, 0b100, 0b1000]),
        max_hours=np.full(6, 10.0),
    )


def test_clearing_asks_the_solver_for_no_gap_within_its_time_limit() -> None:
    """Kills ``matching.clearing.x_clear__mutmut_197`` (the solver's options dropped: HiGHS then
    runs with no time limit and its default 0.01 % gap). With no time at all the solver proves
    nothing and says so (``optimal`` False, nothing proposed); given its time it proves the
    hand-counted best (7.5: person 2 takes task 10, person 1 task 12). And HiGHS is asked for a
    gap of exactly 0, as the docstring's "proved best" needs: the default gap never showed on
    400 random instances, so it is checked where it is asked."""
    pairs = _hand_counted_pairs()
    out_of_time = clear(pairs, time_limit=0.0)
    assert not out_of_time.optimal
    assert out_of_time.tasks == 0
    asked: list[dict] = []
    real = clearing.milp

    def spy(*args, **kwargs):
        asked.append(kwargs.get("options"))
        return real(*args, **kwargs)

    with patch.object(clearing, "milp", spy):
        best = clear(pairs, time_limit=30.0)
    assert best.optimal and best.total == 7.5
    assert best.chosen.tolist() == [False, False, True, True, False, False]
    assert asked == [{"time_limit": 30.0, "mip_rel_gap": 0.0}]


def test_greedy_picks_what_a_hand_count_says() -> None:
    """Coordinator by coordinator, in the order given: each client takes their best free task
    and more from the same employer within their hours and free slots (kills
    ``matching.clearing.x_greedy__mutmut_52``, which marks nothing chosen)."""
    pairs = _hand_counted_pairs()
    first = greedy(pairs, np.array([1, 2]))
    assert first.chosen.tolist() == [True, True, False, False, True, False]
    assert (first.total, first.people, first.tasks, first.optimal) == (6.0, 2, 3, False)
    second = greedy(pairs, np.array([2, 1]))
    assert second.chosen.tolist() == [False, False, True, True, False, False]
    assert (second.total, second.people, second.tasks) == (7.5, 2, 2)
