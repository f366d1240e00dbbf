"""Tests on the edges of the matching core's promises.

Each test sits exactly on the edge of a promise the README (and the module docstrings behind
it) makes — "unknown never outranks a known fit", "only adjustments that change the work
count against a physician's restriction", "adjustments apply only where they can", a load or
the hours *equal* to the person's limit are within it, ranking never loses a pair within
reach, ties go by id ascending, erasure leaves nothing of the person, the interval is 95 % —
so that a small change to the rule on the edge (a mutant that survived the rest of the suite)
makes it fail. Each test's docstring names the mutant it kills; the numbers (1–12) are those
of the list of surviving mutants the tests were written against.
"""

from __future__ import annotations

import math
from unittest.mock import patch

import numpy as np
import pytest
import sqlalchemy as sa

from features.catalogue import ADJUSTMENT_IDS, CHARACTERISTIC_IDS, Group
from features.catalogue.characteristics import characteristic_index
from features.geo import EARTH_RADIUS_KM, haversine_km
from features.pipeline.frames import people_frame_from_profiles, task_frame_from_tasks
from features.schemas import JobseekerProfile, SupportNeeds, Task
from matching.batch import TopPairs, match_block, merge_by_task, task_pool
from matching.metrics import bootstrap_difference
from matching.ranking import (
    FIRST_PREFIX,
    best_within_bound,
    rank_people_for_tasks,
    rank_tasks_for_person,
    top_k,
)
from matching.reference import reference_score
from matching.rules import RecommendationPolicy, RuleSet, default_ruleset
from matching.scoring import (
    COMPONENTS,
    FAILURES,
    KG_COLUMNS,
    PairScores,
    adjustment_cost_vector,
    cheapest_adjustments,
    score_pairs,
)
from matching.whynot import why_not
from tests.worlds import LAHTI, SmallWorld, featurize, profile, rating

RULES = default_ruleset()
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
"""Kilometres per degree of latitude on the scorer's sphere."""
ABLE: dict[str, dict] = {cid: rating(4) for cid in CHARACTERISTIC_IDS}
"""A capacity of 4 on every characteristic: nothing is over-demanded, nothing unknown."""


# --- small worlds, built from the shared helpers in tests/worlds.py ---------------------------


def _task(
    *,
    kind: str = "cleaning",
    demands: dict[str, int] | None = None,
    unrated: tuple[str, ...] = (),
    hours: float = 5.0,
    schedule: tuple[str, ...] = ("mon-morning",),
    accepted: tuple[str, ...] = (),
    kilograms: dict[str, float] | None = None,
) -> Task:
    """A hand-over task rated 1 on every characteristic (except ``demands``, and ``unrated``
    left out)."""
    levels = dict.fromkeys(CHARACTERISTIC_IDS, 1) | (demands or {})
    return Task(
        title="Tehtävä",
        kind=kind,
        task_type="hand_over",
        hours_per_week=hours,
        schedule=list(schedule),
        frequency="daily",
        demands={cid: level for cid, level in levels.items() if cid not in unrated},
        demand_kilograms=kilograms or {},
        accepted_adjustments=list(accepted),
    )


def _world(
    people: list[JobseekerProfile],
    tasks: list[Task],
    *,
    places: list[tuple[float, float]] | None = None,
    sectors: str | list[str] = "cleaning",
    people_ids: list[int] | None = None,
    task_ids: list[int] | None = None,
) -> SmallWorld:
    """People and tasks featurized together; tasks at ``places`` (default: all in Lahti)."""
    places = places or [LAHTI] * len(tasks)
    return featurize(
        people_frame_from_profiles(people, ids=people_ids),
        task_frame_from_tasks(
            tasks,
            sector=sectors,
            lat=[p[0] for p in places],
            lon=[p[1] for p in places],
            ids=task_ids,
        ),
    )


def _north(km: float) -> tuple[float, float]:
    return (LAHTI[0] + km / KM_PER_DEGREE, LAHTI[1])


def _east(km: float) -> tuple[float, float]:
    return (LAHTI[0], LAHTI[1] + km / (KM_PER_DEGREE * math.cos(math.radians(LAHTI[0]))))


def _score(world: SmallWorld, rules: RuleSet = RULES, i: int = 0, j: int = 0) -> PairScores:
    return score_pairs(world.people, np.array([i]), world.tasks, np.array([j]), rules)


def _failures(scores: PairScores, p: int = 0) -> set[str]:
    return {FAILURES[f] for f in np.flatnonzero(scores.failures[p])}


def _chosen(scores: PairScores, p: int = 0) -> list[str]:
    return [ADJUSTMENT_IDS[a] for a in np.flatnonzero(scores.chosen[p])]


def _batch(
    world: SmallWorld, rules: RuleSet, k: int, blocks: list[list[int]] | None = None
) -> tuple[TopPairs, TopPairs]:
    """The nightly batch over ``world`` in ``blocks`` of people rows (default: one block),
    each task's lists merged across blocks: (by_person, by_task)."""
    pool = task_pool(world.tasks, rules)
    blocks = blocks or [list(range(len(world.people)))]
    parts = [
        match_block(world.people, world.tasks, pool, np.array(b, dtype=np.int64), rules, k)
        for b in blocks
    ]
    by_person = TopPairs.concat([p.by_person for p in parts])
    return by_person, merge_by_task([p.by_task for p in parts], k)


def _ids_of(pairs: TopPairs, *, person: int | None = None, task: int | None = None) -> list[int]:
    """The other side's ids of one person's (or one task's) kept pairs, in rank order."""
    if person is not None:
        mine = pairs.person_ids == person
        return [int(t) for t in pairs.task_ids[mine][np.argsort(pairs.rank[mine])]]
    theirs = pairs.task_ids == task
    return [int(p) for p in pairs.person_ids[theirs][np.argsort(pairs.rank[theirs])]]


# --- 1. the assessed tier: an unassessed pair never outranks a known fit ----------------------


def _tier_world() -> SmallWorld:
    """Person 1 (Kaarina) is fully rated, far from task 1 and interested in nothing; person 2
    (Veikko) has no rating for driving, lives next to task 1 and wants kitchen work. Task 1
    needs some driving (so Veikko's pair with it is to be assessed); task 2, next to Kaarina,
    needs none (so Veikko's pair with it is fully assessed, but 30 km away)."""
    known = profile("JS-KNOWN1", ABLE, coordinates=_north(30))
    unrated = {cid: r for cid, r in ABLE.items() if cid != "driving"}
    near = profile("JS-NEAR01", unrated, sectors=["kitchen_catering"], kinds=["dishwashing"])
    kitchen = _task(kind="dishwashing", demands={"driving": 1})
    cleaning = _task(kind="cleaning", demands={"driving": 0})
    return _world(
        [known, near],
        [kitchen, cleaning],
        places=[LAHTI, _north(30)],
        sectors=["kitchen_catering", "cleaning"],
    )


def test_an_unassessed_pair_never_outranks_a_known_fit_person_to_tasks() -> None:
    """Kills mutant 1 (the assessed tier ignored in top-k: ``top_k`` ranking by score alone,
    in the per-query ranking and in the batch). Veikko's unassessed pair with the kitchen task
    scores far higher than his assessed pair with the distant cleaning task; the cleaning task
    still comes first."""
    world = _tier_world()
    scores = score_pairs(world.people, np.array([1, 1]), world.tasks, np.array([0, 1]), RULES)
    assert scores.feasible.all()
    assert scores.assessed.tolist() == [False, True]
    assert scores.total[0] > scores.total[1] + 1  # the edge: the unknown one scores higher
    ranked = rank_tasks_for_person(world.people, world.tasks, 2, RULES, 2)
    assert ranked.ids.tolist() == [2, 1]
    assert ranked.pairs.assessed.tolist() == [True, False]
    assert rank_tasks_for_person(world.people, world.tasks, 2, RULES, 1).ids.tolist() == [2]
    # The bound-pruned path (many candidates) keeps the tiers too.
    with patch("matching.ranking.SCORE_ALL_UP_TO", 0), patch("matching.ranking.FIRST_PREFIX", 1):
        assert rank_tasks_for_person(world.people, world.tasks, 2, RULES, 1).ids.tolist() == [2]
    by_person, _ = _batch(world, RULES, 2)
    assert _ids_of(by_person, person=2) == [2, 1]


def test_an_unassessed_pair_never_outranks_a_known_fit_task_to_people() -> None:
    """Kills mutant 1 on the other side: for the kitchen task, Veikko (unassessed, near,
    interested) scores higher than Kaarina (fully rated, 30 km away); Kaarina comes first —
    per query, in one batch block and when the two are in different blocks merged."""
    world = _tier_world()
    scores = score_pairs(world.people, np.array([0, 1]), world.tasks, np.array([0, 0]), RULES)
    assert scores.feasible.all() and scores.assessed.tolist() == [True, False]
    assert scores.total[1] > scores.total[0] + 1
    assert rank_people_for_tasks(world.people, world.tasks, [1], RULES, 2).ids.tolist() == [1, 2]
    assert rank_people_for_tasks(world.people, world.tasks, [1], RULES, 1).ids.tolist() == [1]
    for blocks in ([[0, 1]], [[0], [1]], [[1], [0]]):
        _, by_task = _batch(world, RULES, 1, blocks)
        assert _ids_of(by_task, task=1) == [1], blocks


def test_top_k_puts_the_assessed_tier_first_whatever_the_scores() -> None:
    """Kills mutant 1 at its root: ``top_k`` with ``assessed`` must rank every assessed item
    before any other, however low its total."""
    total = np.array([9.0, 1.0, 8.0, 2.0])
    ids = np.array([1, 2, 3, 4])
    assessed = np.array([False, True, False, True])
    assert ids[top_k(total, ids, 4, assessed)].tolist() == [4, 2, 1, 3]
    assert ids[top_k(total, ids, 1, assessed)].tolist() == [4]


# --- 2. a physician's restriction: supports never close it ------------------------------------


def _coached_world(*, hard: bool, accepted: tuple[str, ...]) -> SmallWorld:
    """Working alone: the person manages it rarely (1) — a physician's restriction or a
    coordinator's rating — and the task needs it frequently (3): two levels over. A job coach
    (a support, no cost) lowers it by 2, and so does a work pair (changes the work, medium)."""
    person = profile("JS-ALONE1", ABLE | {"working_alone": rating(1, hard=hard)})
    # The person's own supports (a job coach, a wage subsidy) change no exposure either.
    supports = SupportNeeds(job_coach=True, wage_subsidy_eligible=True)
    person = person.model_copy(update={"support": supports})
    return _world([person], [_task(demands={"working_alone": 3}, accepted=accepted)])


def test_a_support_never_closes_a_physicians_restriction() -> None:
    """Kills mutant 2 (supports count against a hard limit — in the task matrix's
    ``reduction_exposure`` or in the scorer's choice of adjustments). A job coach on site
    lowers working alone by the two levels needed, but leaves the work as it was: under a
    physician's restriction the pair stays excluded; under a coordinator's rating it fits."""
    world = _coached_world(hard=True, accepted=("job_coach_first_weeks",))
    assert world.people.job_coach[0] and world.people.wage_subsidy[0]
    restricted = _score(world)
    assert not restricted.feasible[0]
    assert "hard_limit" in _failures(restricted)
    rated = _score(_coached_world(hard=False, accepted=("job_coach_first_weeks",)))
    assert rated.feasible[0] and _chosen(rated) == ["job_coach_first_weeks"]


def test_a_restriction_takes_the_dearer_adjustment_that_changes_the_work() -> None:
    """Kills mutant 2 in the cheapest-set search: with both a job coach (cost class none) and a
    work pair (medium) accepted, the restriction is closed only by the work pair — the cheaper
    support never stands in for it, in the scorer or in the per-pair oracle's terms."""
    world = _coached_world(hard=True, accepted=("job_coach_first_weeks", "work_pair"))
    s = _score(world)
    assert s.feasible[0] and _chosen(s) == ["work_pair"]
    assert s.over_after[0, characteristic_index("working_alone")] == 0
    # Without the restriction the free support is the cheapest that closes the same levels.
    s = _score(_coached_world(hard=False, accepted=("job_coach_first_weeks", "work_pair")))
    assert s.feasible[0] and _chosen(s) == ["job_coach_first_weeks"]


# --- 3. an unrated demand against a marked limitation is "to be assessed" ----------------------


@pytest.mark.parametrize(("capacity", "to_assess"), [(0, True), (1, True), (2, False), (4, False)])
def test_an_unrated_demand_against_a_marked_limitation_is_to_be_assessed(
    capacity: int, to_assess: bool
) -> None:
    """Kills mutant 3 (an unrated demand against a marked limitation not "to be assessed").
    Daily working time is never filled in from the kind's typical demands, so a task that does
    not rate it leaves it unknown: against a capacity at or below LIMITED (1) the pair is not
    assessed and pays the unknown penalty; against 2 or more it is assessed."""
    person = profile("JS-HOURS1", ABLE | {"daily_working_time": rating(capacity)})
    world = _world([person], [_task(unrated=("daily_working_time",))])
    column = characteristic_index("daily_working_time")
    assert np.isnan(world.tasks.demand[0, column])  # the edge: no typical demand stands in
    s = _score(world)
    assert s.feasible[0]  # the default rules penalise unknowns, they do not exclude
    assert bool(s.unknown[0, column]) is to_assess
    assert int(s.unknown[0].sum()) == int(to_assess)
    assert bool(s.assessed[0]) is not to_assess
    assert reference_score(world.people, 0, world.tasks, 0, RULES).assessed is not to_assess
    unknown_part = s.contributions[0, COMPONENTS.index("unknown")]
    assert unknown_part == pytest.approx(-RULES.unknown_penalty if to_assess else 0.0)
    excluding = RULES.model_copy(deep=True)
    excluding.hard.unknown_ratings = "exclude"
    assert bool(_score(world, excluding).feasible[0]) is not to_assess


# --- 4. "day shifts only" applies only to a task with a day shift ------------------------------


def _shift_world(schedule: tuple[str, ...]) -> SmallWorld:
    """Irregular hours: the person manages them never (0), the task constantly (3); the
    employer accepts "day shifts only" (lowers irregular hours by 3)."""
    person = profile("JS-NIGHT1", ABLE | {"irregular_hours": rating(0)})
    task = _task(demands={"irregular_hours": 3}, schedule=schedule, accepted=("day_shifts_only",))
    return _world([person], [task])


def test_day_shifts_only_never_applies_to_a_task_without_a_day_shift() -> None:
    """Kills mutant 4 (the day-shift rule dropped from the adjustments' applicability). An
    evening-and-night task has no day shift to keep: the adjustment is accepted on paper but
    unusable, never chosen, never proposed by why-not, and the over-demand stays."""
    world = _shift_world(("mon-evening", "tue-night"))
    day_shifts = ADJUSTMENT_IDS.index("day_shifts_only")
    assert world.tasks.accepted[0, day_shifts] and not world.tasks.usable[0, day_shifts]
    s = _score(world)
    assert not s.feasible[0] and "over_demand" in _failures(s) and not s.chosen[0].any()
    oracle = reference_score(world.people, 0, world.tasks, 0, RULES)  # from the catalogue's rule
    assert not oracle.feasible and "over_demand" in oracle.failures and oracle.chosen == ()
    answer = why_not(world.people, world.tasks, 1, 1, RULES)
    proposed = {a for r in answer.relaxations for a in r.details.get("adjustments", [])}
    assert "day_shifts_only" not in proposed
    assert any(r.change == "redesign_task" for r in answer.relaxations)


def test_day_shifts_only_applies_to_a_task_with_a_day_shift() -> None:
    """The other side of mutant 4's edge: one afternoon slot is a day shift to keep."""
    world = _shift_world(("mon-afternoon", "mon-evening"))
    s = _score(world)
    assert s.feasible[0] and _chosen(s) == ["day_shifts_only"]
    oracle = reference_score(world.people, 0, world.tasks, 0, RULES)
    assert oracle.feasible and oracle.chosen == ("day_shifts_only",)


# --- 5. several adjustments do not add up on one characteristic -------------------------------


def _standing_world(
    accepted: tuple[str, ...], *, kind: str, demands: dict[str, int], capacities: dict
) -> SmallWorld:
    person = profile("JS-STAND1", ABLE | capacities)
    return _world([person], [_task(kind=kind, demands=demands, accepted=accepted)])


def test_two_one_level_adjustments_do_not_close_two_levels() -> None:
    """Kills mutant 5 (lowerings summed per characteristic — in the task matrix's reduction
    and in the cheapest-set search). Standing two levels over at a data-entry desk: a sit-stand
    desk and task rotation each lower standing by one; the largest lowering counts, so one
    level stays over and the pair is excluded."""
    world = _standing_world(
        ("sit_stand_desk", "task_rotation"),
        kind="data_entry",
        demands={"standing": 3},
        capacities={"standing": rating(1)},
    )
    standing = characteristic_index("standing")
    assert world.tasks.usable[0].sum() == 2  # both can apply at a desk
    assert world.tasks.reduction[0, standing] == 1
    s = _score(world)
    assert not s.feasible[0] and "over_demand" in _failures(s)


def test_the_cheapest_set_search_takes_the_largest_lowering_not_the_sum() -> None:
    """Kills mutant 5 inside :func:`cheapest_adjustments`: asked to remove two levels of
    standing with only the desk and task rotation (one level each), no set is found."""
    need = np.zeros((1, len(CHARACTERISTIC_IDS)), dtype=np.int8)
    need[0, characteristic_index("standing")] = 2
    accepted = [ADJUSTMENT_IDS.index("sit_stand_desk"), ADJUSTMENT_IDS.index("task_rotation")]
    chosen, found = cheapest_adjustments(
        need,
        np.zeros((1, len(KG_COLUMNS)), dtype=bool),
        np.full((1, len(KG_COLUMNS)), np.nan),
        np.array([accepted], dtype=np.int16),
        adjustment_cost_vector(RULES),
    )
    assert not found[0] and not chosen[0].any()
    need[0, characteristic_index("standing")] = 1  # one level: the cheaper one alone
    chosen, found = cheapest_adjustments(
        need,
        np.zeros((1, len(KG_COLUMNS)), dtype=bool),
        np.full((1, len(KG_COLUMNS)), np.nan),
        np.array([accepted], dtype=np.int16),
        adjustment_cost_vector(RULES),
    )
    assert found[0] and [ADJUSTMENT_IDS[a] for a in np.flatnonzero(chosen[0])] == ["task_rotation"]


def test_over_demand_left_after_two_adjustments_is_the_largest_lowering_off() -> None:
    """Kills mutant 5 in the score: a stool (standing −2) and task rotation (standing −1, needed
    for repetitive work) are chosen together; with one level of posture tolerance, standing 3
    over is left 1 over (3 − max(2, 1)), not 0, and ability fit pays for that level."""
    tolerant = RULES.model_copy(deep=True)
    tolerant.hard.over_demand_tolerance[Group.POSTURE_MOBILITY] = 1
    world = _standing_world(
        ("sit_stand_stool", "task_rotation"),
        kind="dishwashing",
        demands={"standing": 4, "repetitive_hand_arm": 4},
        capacities={"standing": rating(1), "repetitive_hand_arm": rating(2)},
    )
    s = _score(world, tolerant)
    assert s.feasible[0] and _chosen(s) == ["sit_stand_stool", "task_rotation"]
    assert s.over_after[0, characteristic_index("standing")] == 1
    assert s.over_after[0].sum() == 1
    ability = s.contributions[0, COMPONENTS.index("ability_fit")]
    assert ability == pytest.approx(RULES.weights.ability_fit * (1 - 1 / (4 * 43)))


# --- 6. a load equal to the person's kilograms is within it ------------------------------------


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize(("load", "fits"), [(10.0, True), (10.5, False)])
def test_a_load_equal_to_the_persons_kilograms_is_within_it(
    hard: bool, load: float, fits: bool
) -> None:
    """Kills mutant 6 (a load equal to the person's kilograms counted as over). The person
    lifts 10 kg (a coordinator's rating, or a physician's restriction); 10 kg is within it,
    10.5 kg is not (the failure is named by the kind of rating)."""
    person = profile("JS-LIFT01", ABLE | {"lifting": rating(4, hard=hard, kg=10.0)})
    world = _world([person], [_task(demands={"lifting": 2}, kilograms={"lifting": load})])
    s = _score(world)
    assert bool(s.feasible[0]) is fits
    assert bool(s.kg_over[0, 0]) is not fits
    if not fits:
        assert ("hard_limit" if hard else "kilograms") in _failures(s)
    ranked = rank_tasks_for_person(world.people, world.tasks, 1, RULES, 5)
    assert ranked.ids.tolist() == ([1] if fits else [])


@pytest.mark.parametrize(("capacity_kg", "fits"), [(10.0, True), (9.5, False)])
def test_a_lifting_aid_leaving_exactly_the_persons_kilograms_closes_the_load(
    capacity_kg: float, fits: bool
) -> None:
    """The same edge for an aid: a lifting aid leaves at most 10 kg by hand, which is within a
    capacity of exactly 10 kg (not of 9.5 kg)."""
    person = profile("JS-LIFT02", ABLE | {"lifting": rating(4, kg=capacity_kg)})
    task = _task(demands={"lifting": 2}, kilograms={"lifting": 25.0}, accepted=("lifting_aid",))
    s = _score(_world([person], [task]))
    assert bool(s.feasible[0]) is fits
    if fits:
        assert _chosen(s) == ["lifting_aid"]


# --- 7. the distance box never loses a task within the radius ---------------------------------


@pytest.mark.parametrize(("radius", "km"), [(None, 39.5), (10.0, 9.9)])
def test_tasks_just_inside_the_radius_are_never_lost(radius: float | None, km: float) -> None:
    """Kills mutant 7 (the person → tasks latitude box 15 % too small). Tasks just inside the
    radius due north, south, east and west of the person are all ranked; one just outside is
    not — per query (person → tasks and task → people) and in the nightly batch."""
    limit = RULES.hard.max_distance_km if radius is None else radius
    places = [_north(km), _north(-km), _east(km), _east(-km), _north(limit + 0.5)]
    world = _world([profile("JS-EDGE01", ABLE)], [_task() for _ in places], places=places)
    km_to = haversine_km(LAHTI[0], LAHTI[1], world.tasks.lat, world.tasks.lon)
    assert (km_to[:4] <= limit).all() and (km_to[:4] > 0.98 * limit).all() and km_to[4] > limit
    ranked = rank_tasks_for_person(world.people, world.tasks, 1, RULES, 10, radius_km=radius)
    assert sorted(ranked.ids.tolist()) == [1, 2, 3, 4]
    if radius is None:
        by_person, by_task = _batch(world, RULES, 10)
        assert sorted(_ids_of(by_person, person=1)) == [1, 2, 3, 4]
        for task_id in (1, 2, 3, 4):
            assert _ids_of(by_task, task=task_id) == [1]
            ranked = rank_people_for_tasks(world.people, world.tasks, [task_id], RULES, 5)
            assert ranked.ids.tolist() == [1]


# --- 8. a task's hours equal to the person's maximum pass --------------------------------------


@pytest.mark.parametrize("over", [0.0, 2.0])
def test_hours_equal_to_the_persons_maximum_pass(over: float) -> None:
    """Kills mutant 8 (the pre-filter dropping a task whose hours equal the person's maximum).
    The person works at most 20 h a week (plus the rules' allowance ``over``); a task of
    exactly that many hours is ranked both ways and kept by the batch, one of 0.5 h more is
    not."""
    rules = RULES.model_copy(deep=True)
    rules.hard.max_hours_over = over
    person = profile("JS-HOURS2", ABLE, hours=(5, 20))
    tasks = [_task(hours=20 + over), _task(hours=20.5 + over)]
    world = _world([person], tasks)
    s = score_pairs(world.people, np.array([0, 0]), world.tasks, np.array([0, 1]), rules)
    assert s.feasible.tolist() == [True, False] and "hours" in _failures(s, 1)
    assert rank_tasks_for_person(world.people, world.tasks, 1, rules, 5).ids.tolist() == [1]
    assert rank_people_for_tasks(world.people, world.tasks, [1], rules, 5).ids.tolist() == [1]
    assert rank_people_for_tasks(world.people, world.tasks, [2], rules, 5).ids.tolist() == []
    by_person, by_task = _batch(world, rules, 5)
    assert _ids_of(by_person, person=1) == [1] and _ids_of(by_task, task=1) == [1]


# --- 9. the top-k bound continues on a tie ----------------------------------------------------


def _pair_scores(total: np.ndarray, assessed: np.ndarray) -> PairScores:
    """Scores of len(total) pairs with only ``total`` and ``assessed`` meaningful."""
    n = len(total)
    nothing = np.zeros((n, len(CHARACTERISTIC_IDS)), dtype=bool)
    return PairScores(
        person_rows=np.zeros(n, dtype=np.int64),
        task_rows=np.arange(n),
        feasible=np.ones(n, dtype=bool),
        failures=np.zeros((n, len(FAILURES)), dtype=bool),
        total=total,
        contributions=np.zeros((n, len(COMPONENTS))),
        chosen=np.zeros((n, len(ADJUSTMENT_IDS)), dtype=bool),
        closable=np.ones(n, dtype=bool),
        over=nothing.astype(np.float32),
        over_after=nothing.astype(np.float32),
        unknown=nothing,
        unchecked=nothing,
        assessed=assessed,
        beyond_recommendation=nothing,
        kg_over=np.zeros((n, len(KG_COLUMNS)), dtype=bool),
        km=np.zeros(n),
        overlap=np.ones(n),
    )


def test_the_bound_search_continues_when_the_next_bound_only_ties() -> None:
    """Kills mutant 9 (:func:`best_within_bound` stopping when the k-th scored total merely
    equals the next unscored pair's bound). The first FIRST_PREFIX × k pairs are scored first;
    the best of them totals 9 (id 100). The next pair's bound is 9 and it really scores 9, with
    id 1: on a tie ids go ascending, so it — not id 100 — is the top 1, and the search must go
    on to find it. (A total can equal another pair's bound only by coincidence of the
    components, so the function is held to its contract directly.)"""
    first = FIRST_PREFIX  # k = 1
    total = np.array([9.0] + [5.0] * (first - 1) + [9.0, 1.0])
    bound = np.array([10.0] * first + [9.0, 1.0])
    ids = np.array([100 + n for n in range(first)] + [1, 2])
    assessed = np.ones(len(total), dtype=bool)
    scored: list[int] = []

    def score(positions: np.ndarray) -> PairScores:
        scored.append(len(positions))
        return _pair_scores(total[positions], assessed[positions])

    def top_ids(bound: np.ndarray) -> list[int]:
        scores, best = best_within_bound(score, bound, assessed, ids, 1)
        visited = np.lexsort((-bound, ~assessed))[: len(scores)]  # the documented order
        return ids[visited][best].tolist()

    assert top_ids(bound) == [1]
    assert scored == [first, len(total)]
    # Strictly above the next bound, the search rightly stops after the first prefix.
    scored.clear()
    assert top_ids(np.where(bound == 9.0, 8.5, bound)) == [100]
    assert scored == [first]


# --- 10. ties go by id ascending ---------------------------------------------------------------


def test_ties_go_by_id_ascending_in_top_k() -> None:
    """Kills mutant 10 in :func:`top_k` (ties by id descending), also when only some of the
    tied items fit in k (the partition path)."""
    total = np.array([1.0, 2.0, 2.0, 2.0, 0.5])
    ids = np.array([4, 7, 3, 5, 1])
    assert ids[top_k(total, ids, 5)].tolist() == [3, 5, 7, 4, 1]
    assert ids[top_k(total, ids, 2)].tolist() == [3, 5]
    assert ids[top_k(total, ids, 1)].tolist() == [3]


def test_ties_go_by_id_ascending_in_ranking_and_in_the_batch_merge() -> None:
    """Kills mutant 10 (ties broken by id descending) in the per-query ranking both ways, in a
    batch block and in the batch's merge of blocks. Three identical tasks (ids 7, 3, 5, in that
    row order) and three identical people (ids 9, 4, 6) tie exactly."""
    people = [profile(f"JS-TIE{n:03d}", ABLE) for n in range(3)]
    world = _world(people, [_task() for _ in range(3)], people_ids=[9, 4, 6], task_ids=[7, 3, 5])
    person_rows, task_rows = np.repeat(np.arange(3), 3), np.tile(np.arange(3), 3)
    s = score_pairs(world.people, person_rows, world.tasks, task_rows, RULES)
    assert s.feasible.all() and s.assessed.all() and (s.total == s.total[0]).all()  # the edge
    for k, expected in ((3, [3, 5, 7]), (2, [3, 5]), (1, [3])):
        assert rank_tasks_for_person(world.people, world.tasks, 9, RULES, k).ids.tolist() == (
            expected
        )
    for k, expected in ((3, [4, 6, 9]), (1, [4])):
        ranked = rank_people_for_tasks(world.people, world.tasks, [7], RULES, k)
        assert ranked.ids.tolist() == expected
    # One block, and the blocks {9} and {4, 6} merged (each block's own list first sorted
    # within the block, the merge must sort across them).
    for blocks in ([[0, 1, 2]], [[0], [1, 2]], [[1, 2], [0]]):
        by_person, by_task = _batch(world, RULES, 2, blocks)
        assert _ids_of(by_person, person=9) == [3, 5], blocks
        for task_id in (3, 5, 7):
            assert _ids_of(by_task, task=task_id) == [4, 6], blocks


def test_the_batch_merge_breaks_ties_by_person_id_ascending() -> None:
    """Kills mutant 10 in :func:`merge_by_task` directly: two blocks' lists for one task, all
    four tied (and assessed); the merged top 3 is by person id ascending, whatever the order
    of the parts."""

    def part(person_ids: list[int]) -> TopPairs:
        n = len(person_ids)
        return TopPairs(
            person_ids=np.array(person_ids, dtype=np.int64),
            task_ids=np.full(n, 11, dtype=np.int64),
            rank=np.arange(1, n + 1, dtype=np.int16),
            total=np.full(n, 3.25),
            first_tier=np.ones(n, dtype=bool),
            contributions=np.zeros((n, len(COMPONENTS))),
            unknown=np.zeros(n, dtype=np.uint64),
        )

    for parts in ([part([8, 21]), part([5, 13])], [part([5, 13]), part([8, 21])]):
        merged = merge_by_task(parts, 3)
        assert merged.person_ids.tolist() == [5, 8, 13]
        assert merged.rank.tolist() == [1, 2, 3]


# --- 11. erasure takes the person off other people's candidate lists --------------------------


def test_an_erased_person_leaves_every_stored_candidate_list(service) -> None:
    """Kills mutant 11 (an erased person stays on the candidate lists stored for tasks). The
    API-level erasure test looks for the person's code and identity in every table, but a
    list for a task stores the candidates by internal id and score only: nothing there says
    whether the id left. Here: lists that name a person of the coordinator's area beside
    others are stored, the person is erased, and each list no longer names them — the others
    stay, in order, each with their own score."""
    from api.storage.tables import SuggestionRow
    from tests.conftest import API_WORLD
    from tests.test_api import auth

    client, tokens, _area, mine, engine = service
    hand_over = API_WORLD.tables["task"].query("task_type == 'hand_over'")["id"].astype(int)
    for task_id in hand_over.tolist()[:12]:
        answer = client.post(
            "/matches/candidates",
            json={"task_ids": [task_id], "k": 100},
            headers=auth(tokens["coordinator"]),
        )
        assert answer.status_code == 200, answer.text

    def lists() -> dict[int, dict]:
        with engine.connect() as c:
            rows = c.execute(
                sa.select(SuggestionRow.id, SuggestionRow.results).where(
                    SuggestionRow.kind == "tasks_people"
                )
            ).all()
        return {row.id: row.results for row in rows}

    before = lists()
    named = {int(x) for results in before.values() for x in results["ids"]} & set(mine)
    # The person on most lists that also name someone else.
    shared = [
        pid for pid in named if any(pid in r["ids"] and len(r["ids"]) > 1 for r in before.values())
    ]
    assert shared, "no stored candidate list names a person of the area beside another"
    erased = max(shared, key=lambda pid: sum(pid in r["ids"] for r in before.values()))
    deleted = client.delete(f"/jobseekers/{erased}", headers=auth(tokens["coordinator"]))
    assert deleted.status_code == 204, deleted.text

    after = lists()
    assert after.keys() == before.keys()  # the lists stay: others were on them
    for suggestion_id, results in before.items():
        kept = [(p, t) for p, t in zip(results["ids"], results["total"], strict=True)
                if p != erased]  # fmt: skip
        now = after[suggestion_id]
        assert erased not in now["ids"], suggestion_id
        assert list(zip(now["ids"], now["total"], strict=True)) == kept, suggestion_id


# --- 12. the bootstrap interval is a 95 % one -------------------------------------------------


@pytest.mark.parametrize(("level", "z"), [(None, 1.959964), (0.8, 1.281552)])
def test_the_bootstrap_interval_has_its_stated_level(level: float | None, z: float) -> None:
    """Kills mutant 12 (the "95 %" interval of :func:`bootstrap_difference` really 90 %: a
    changed default level or tail). B's ratio is the mean of 200 normal values, A's is 0: the
    bootstrap distribution of the difference is close to normal with the standard error
    sd/√n, so a 95 % percentile interval lies 1.96 standard errors either side of the point
    (a 90 % one 1.645). With 10 000 resamples the interval's ends are within ±0.1 standard
    error of that."""
    rng = np.random.default_rng(42)
    values = rng.normal(0.0, 1.0, 200)
    ones, zeros = np.ones(200), np.zeros(200)
    kwargs = {"resamples": 10_000, "seed": 7} | ({} if level is None else {"level": level})
    point, low, high = bootstrap_difference(zeros, ones, values, ones, **kwargs)
    error = values.std() / math.sqrt(len(values))
    assert point == pytest.approx(values.mean())
    assert (point - low) / error == pytest.approx(z, abs=0.1)
    assert (high - point) / error == pytest.approx(z, abs=0.1)


def test_the_reverse_composer_keeps_a_restriction_met_only_by_a_typical_demand():
    """A physician's restriction against a demand the task never rated (only its kind's typical
    one) is left unchecked by the scorer, so the pair fits; the reverse composer's pruning
    before scoring once treated the typical demand as assessed and lost the person (found by
    the edge-biased random worlds). Mutant: the pruning's restriction check ignoring
    ``tasks.typical``."""
    from matching.composer import _best_single_task, compose_for_employer

    typical_standing = 3  # a cleaning task's typical standing (features/typical.py)
    person = profile("JS-TYP1", ABLE | {"standing": rating(typical_standing - 2, hard=True)})
    world = _world([person], [_task(unrated=("standing",))])
    assert world.tasks.typical[0, characteristic_index("standing")]
    assert world.tasks.demand[0, characteristic_index("standing")] == typical_standing
    scores = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    assert scores.feasible[0]
    best = _best_single_task(world.people, world.tasks, np.array([0]), RULES)
    assert best[0] == scores.total[0]
    employer = int(world.tasks.employer_ids[0])
    assert [
        b.person_id for b in compose_for_employer(world.people, world.tasks, employer, RULES)
    ] == [int(world.people.ids[0])]


# --- survivors of the mutation run (python -m tests.mutation) ---------------------------------


def test_the_batch_merge_keeps_the_tiers_and_each_pairs_own_figures() -> None:
    """Kills ``matching.batch.x__ranked__mutmut_18`` (the merged list's ``assessed`` dropped)
    and its like for the other columns: a pair still to be assessed ranks below every assessed
    one whatever its score (the tier), and each kept pair carries its own assessed flag,
    total, contributions and unknown bits through the merge."""

    def part(person_ids: list[int], totals: list[float], assessed: list[bool]) -> TopPairs:
        n = len(person_ids)
        return TopPairs(
            person_ids=np.array(person_ids, dtype=np.int64),
            task_ids=np.full(n, 11, dtype=np.int64),
            rank=np.arange(1, n + 1, dtype=np.int16),
            total=np.array(totals),
            first_tier=np.array(assessed),
            contributions=np.array([[t] + [0.0] * (len(COMPONENTS) - 1) for t in totals]),
            unknown=np.array(
                [0 if a else 1 << p for p, a in zip(person_ids, assessed, strict=True)],
                dtype=np.uint64,
            ),
        )

    parts = [part([8, 21], [0.9, 0.2], [False, True]), part([5, 13], [0.4, 0.3], [True, True])]
    for ordered in (parts, parts[::-1]):
        merged = merge_by_task(ordered, 4)
        assert merged.person_ids.tolist() == [5, 13, 21, 8]  # assessed first, then by score
        assert merged.first_tier.tolist() == [True, True, True, False]
        assert merged.total.tolist() == [0.4, 0.3, 0.2, 0.9]
        assert merged.contributions[:, 0].tolist() == [0.4, 0.3, 0.2, 0.9]
        assert merged.unknown.tolist() == [0, 0, 0, 1 << 8]
        assert merged.rank.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("k", [0, 1, 50, 51])
def test_the_employers_composer_takes_k_from_1_to_50(k: int) -> None:
    """Kills ``matching.composer.x_compose_for_employer__mutmut_4`` (k = 1 refused) and the
    other end: 1 and 50 are answered, 0 and 51 refused with the field named."""
    from features.errors import InvalidInputError
    from matching.composer import compose_for_employer

    world = _world([profile("JS-K0001", ABLE)], [_task()])
    employer = int(world.tasks.employer_ids[0])
    if 1 <= k <= 50:
        bundles = compose_for_employer(world.people, world.tasks, employer, RULES, k)
        assert [b.person_id for b in bundles] == [int(world.people.ids[0])]
    else:
        with pytest.raises(InvalidInputError) as refused:
            compose_for_employer(world.people, world.tasks, employer, RULES, k)
        assert [e.field for e in refused.value.errors] == ["k"]


def test_a_rule_set_file_that_is_not_a_mapping_is_refused_by_name(tmp_path) -> None:
    """Kills ``matching.rules.x_load_ruleset__mutmut_15``: a YAML file holding a list is refused
    with the file named and no field errors (the file as a whole is wrong)."""
    from features.errors import InvalidInputError
    from matching.rules import load_ruleset

    path = tmp_path / "rules.yaml"
    path.write_text("- version: x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        load_ruleset(path)
    assert refused.value.errors == []
    assert str(refused.value) == f"{path} does not hold a rule set (a mapping): "


@pytest.mark.parametrize("changed", [False, True])
def test_a_rule_set_exported_as_yaml_loads_back_as_itself(tmp_path, changed: bool) -> None:
    """``load_ruleset`` reads back what ``ruleset_yaml`` writes, the default and a changed
    rule set alike (kills ``matching.rules.x_load_ruleset__mutmut_17``, which parses
    nothing)."""
    from matching.rules import load_ruleset, ruleset_yaml

    rules = RULES
    if changed:
        hard = RULES.hard.model_copy(update={"max_distance_km": 12.5, "max_hours_over": 2.0})
        rules = RULES.model_copy(update={"hard": hard})
    path = tmp_path / "rules.yaml"
    path.write_text(ruleset_yaml(rules), encoding="utf-8")
    loaded = load_ruleset(path)
    assert loaded == rules
    assert (loaded.hard.max_distance_km == 12.5) is changed


@pytest.mark.parametrize("kind", ["adjustment", "demand"])
@pytest.mark.parametrize("more", [1, 1234])
def test_a_what_if_sentence_names_the_change_in_the_readers_language(kind: str, more: int):
    """Kills ``matching.whatif.x_what_if_sentence__mutmut_22`` (the adjustment named in the
    default language whatever the reader's): in Finnish and English the sentence names the
    change as the catalogue names it in that language, with the count written the locale's
    way and the singular or plural form that fits it."""
    from features.catalogue import ADJUSTMENTS, CHARACTERISTICS
    from features.numbers import number
    from matching.whatif import Variant, what_if_sentence

    ident = "lifting_aid" if kind == "adjustment" else "standing"
    catalogue = ADJUSTMENTS if kind == "adjustment" else CHARACTERISTICS
    variant = Variant(kind=kind, id=ident, more=more, more_assessed=0)
    for lang in ("fi", "en"):
        sentence = what_if_sentence(variant, lang)
        assert catalogue[ident].name(lang) in sentence, (lang, sentence)
        assert number(more, lang) in sentence, (lang, sentence)
    assert catalogue[ident].name("fi") != catalogue[ident].name("en")
    en = what_if_sentence(variant, "en")
    assert ("more person could" in en) is (more == 1) and ("more people could" in en) is (more > 1)


def test_why_not_redesigns_only_what_the_accepted_adjustments_cannot_close() -> None:
    """When no one set of the cheapest candidate adjustments closes every over-demand, why-not
    falls back to redesigning — but never a demand an adjustment the employer already accepts
    closes (the answer must stay minimal: every change needed). Found by the property test
    ``test_relaxations_make_the_pair_fit_and_none_can_be_left_out`` (Finnish asked one level
    above the person's, picture instructions accepted, the task redesigned anyway). The search
    is given no candidates here, so the fallback is what answers."""
    from matching import whynot

    person = profile("JS-WHY001", ABLE | {"finnish_language": rating(0), "standing": rating(1)})
    task = _task(demands={"finnish_language": 1, "standing": 3},
                 accepted=("picture_instructions",))  # fmt: skip
    world = _world([person], [task])
    with patch.object(whynot, "_MAX_CANDIDATES", 0):
        answer = why_not(world.people, world.tasks, 1, 1, RULES)
    redesigned = {r.details.get("characteristic") for r in answer.relaxations
                  if r.change == "redesign_task"}  # fmt: skip
    assert redesigned == {"standing"}, answer.relaxations


def _oracle_agrees(world: SmallWorld) -> PairScores:
    """The per-pair oracle says of pair (0, 0) what the vectorised scorer says: feasible,
    assessed, the failures, the recommendations left exceeded, the adjustments chosen and every
    contribution. Returns the scorer's answer for the hand-counted checks."""
    s = _score(world)
    ref = reference_score(world.people, 0, world.tasks, 0, RULES)
    assert (ref.feasible, ref.assessed) == (bool(s.feasible[0]), bool(s.assessed[0]))
    assert ref.failures == _failures(s)
    beyond = {CHARACTERISTIC_IDS[c] for c in np.flatnonzero(s.beyond_recommendation[0])}
    assert ref.beyond_recommendation == beyond
    assert list(ref.chosen) == _chosen(s)
    np.testing.assert_allclose(ref.contributions, s.contributions[0], atol=1e-9)
    return s


def test_the_oracle_closes_a_restriction_only_with_what_changes_the_work() -> None:
    """The per-pair oracle ``reference_score`` on the edges of a physician's restriction, where
    the random worlds of the property tests rarely go: a work pair (changes the work) closing
    the two levels exactly, and a job coach (a support) that could close them and must not.
    Kills ``matching.reference.x_reference_score__mutmut_212`` (a subset lowering the
    restriction by exactly what it needs skipped: nothing chosen), ``…__mutmut_160`` (the
    restriction's first check over no adjustments) and ``…__mutmut_39`` (a restriction against
    an assessed demand counted as unchecked)."""
    closed = _oracle_agrees(_coached_world(hard=True, accepted=("job_coach_first_weeks",
                                                                 "work_pair")))  # fmt: skip
    assert closed.feasible[0] and closed.assessed[0] and _chosen(closed) == ["work_pair"]
    support_only = _oracle_agrees(_coached_world(hard=True, accepted=("job_coach_first_weeks",)))
    assert _failures(support_only) == {"hard_limit"}
    rated = _oracle_agrees(_coached_world(hard=False, accepted=("job_coach_first_weeks",)))
    assert rated.feasible[0] and _chosen(rated) == ["job_coach_first_weeks"]


@pytest.mark.parametrize("hard", [True, False])
@pytest.mark.parametrize(("kg", "fits"), [(3.0, False), (10.0, True), (12.0, True)])
def test_the_oracle_counts_a_lifting_aid_only_down_to_its_kilograms(
    hard: bool, kg: float, fits: bool
) -> None:
    """A lifting aid leaves loads of 10 kg: it closes 20 kg for a person who manages 10 or 12,
    never for one who manages 3 — a physician's limit (``hard_limit``) or a coordinator's
    (``kilograms``). Kills ``matching.reference.x_reference_score__mutmut_143`` (the oracle
    taking any adjustment that lowers lifting, or any that leaves few enough kilograms, as
    closing the load)."""
    person = profile("JS-KILO3", ABLE | {"lifting": rating(4, kg=kg, hard=hard)})
    task = _task(kilograms={"lifting": 20}, accepted=("lifting_aid", "work_pair"))
    s = _oracle_agrees(_world([person], [task]))
    assert bool(s.feasible[0]) is fits
    if fits:
        assert _chosen(s) == ["lifting_aid"]
    else:
        assert _failures(s) == {"hard_limit" if hard else "kilograms"}


def test_the_oracle_ranks_an_exceeded_recommendation_below_instead_of_excluding() -> None:
    """Under the default rules a physician's recommendation the work exceeds (sitting
    recommended at level 1, the task asks 2, nothing accepted lowers it) leaves the pair
    feasible, marked beyond the recommendation. Kills
    ``matching.reference.x_reference_score__mutmut_16`` (the rank-below policy read inverted:
    the oracle excludes the pair as over-demanded)."""
    from tests.test_scoring import _dishwasher_world

    assert RULES.hard.beyond_recommendation == RecommendationPolicy.RANK_BELOW
    s = _oracle_agrees(_dishwasher_world(standing_cap=3, recommended_sitting=1, accepted=()))
    assert s.feasible[0] and _failures(s) == set()
    assert s.beyond_recommendation[0, characteristic_index("sitting")]


@pytest.mark.parametrize("hard", [False, True])
def test_why_not_falls_back_to_a_redesign_under_the_constraint_it_closes(hard: bool) -> None:
    """Standing asked at 3 of a person who manages 1, nothing accepted, and the search given no
    candidates, so the fallback answers: the task is redesigned to the person's level, told
    under the failing constraint — ``over_demand`` for a coordinator's rating, ``hard_limit``
    for a physician's restriction — and made, the pair fits. Kills
    ``matching.whynot.x__close_demands__mutmut_229`` (the fallback's redesign of an
    over-demand told under a constraint that does not exist)."""
    from matching import whynot
    from tests.test_explain import _fits
    from tests.test_scoring import _dishwasher_world

    world = _dishwasher_world(accepted=(), hard=hard)
    constraint = "hard_limit" if hard else "over_demand"
    with patch.object(whynot, "_MAX_CANDIDATES", 0):
        answer = why_not(world.people, world.tasks, 1, 1, RULES)
    assert answer.failures == [constraint]
    (redesign,) = answer.relaxations
    assert (redesign.constraint, redesign.change, redesign.details) == (
        constraint,
        "redesign_task",
        {"characteristic": "standing", "to": 1},
    )
    assert _fits(world, 1, 1, answer.relaxations)
