"""The scorer: hand-computed cases, known answers, and properties against the oracle."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.catalogue import ADJUSTMENT_IDS, ADJUSTMENTS, CHARACTERISTIC_IDS, Group
from features.catalogue.characteristics import characteristic_index
from features.pipeline.frames import people_frame_from_profiles, task_frame_from_tasks
from features.schemas import Task
from matching.explain import employer_summary, explain
from matching.ranking import rank_people_for_tasks, rank_tasks_for_person
from matching.reference import reference_score
from matching.rules import RecommendationPolicy, default_ruleset
from matching.scoring import COMPONENTS, FAILURES, REWARDS, best_total, score_pairs
from tests.worlds import LAHTI, all_pairs, checkerboard, featurize, profile, rating, small_worlds

RULES = default_ruleset()
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _dishwasher_world(
    *,
    standing_cap=1,
    hard=False,
    accepted=("sit_stand_stool",),
    kind_override=None,
    unrated=(),
    recommended_sitting=None,
    demand_changes=None,
    **task_kw,
):
    person = profile(
        "JS-HENNA1",
        {cid: rating(4) for cid in CHARACTERISTIC_IDS}
        | {"standing": rating(standing_cap, hard=hard)}
        | (
            {"sitting": rating(recommended_sitting, recommended=True)}
            if recommended_sitting is not None
            else {}
        ),
        hours=(10, 20),
        sectors=["kitchen_catering"],
        kinds=["dishwashing"],
        skills=["astianpesu"],
    )
    demands = dict.fromkeys(CHARACTERISTIC_IDS, 2) | {"standing": 3}
    demands = {cid: level for cid, level in demands.items() if cid not in unrated}
    demands |= demand_changes or {}
    task = Task(
        title="Astianpesu",
        kind=kind_override or "dishwashing",
        task_type="hand_over",
        hours_per_week=5,
        schedule=["mon-morning", "tue-morning"],
        frequency="daily",
        demands=demands,
        accepted_adjustments=list(accepted),
        required_skills=["astianpesu"],
        **task_kw,
    )
    return featurize(
        people_frame_from_profiles([person]),
        task_frame_from_tasks([task], sector="kitchen_catering", lat=LAHTI[0], lon=LAHTI[1]),
    )


def test_hand_computed_pair():
    world = _dishwasher_world()
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    assert s.feasible[0]
    # Standing: demand 3, capacity 1 → 2 levels over; the sit-stand stool lowers it by 2.
    assert s.over[0, characteristic_index("standing")] == 2
    assert s.over_after[0].sum() == 0
    assert s.chosen[0].sum() == 1
    c = dict(zip(COMPONENTS, s.contributions[0], strict=True))
    assert c["ability_fit"] == pytest.approx(2.0)  # nothing left over: 2.0 × 1
    assert c["adjustments"] == pytest.approx(-0.25)  # one low-cost adjustment
    assert c["skills"] == pytest.approx(0.5)  # the one required skill is held
    assert c["interests"] == pytest.approx(1.5)  # sector and kind both of interest
    assert c["hours_fit"] == pytest.approx(0.5)  # 5 h of a 10 h minimum
    assert c["schedule_fit"] == pytest.approx(0.5)
    assert c["distance"] == pytest.approx(1.0)  # same point
    # Unused capacity: 42 characteristics at 4 vs demand 2 → 84 levels; /(4 × 43) × 0.5.
    assert c["under_demand"] == pytest.approx(-0.5 * 84 / (4 * 43))
    assert c["unknown"] == 0
    assert s.total[0] == pytest.approx(sum(c.values()))


def test_no_adjustment_accepted_means_infeasible():
    world = _dishwasher_world(accepted=())
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    assert not s.feasible[0] and s.failures[0, FAILURES.index("over_demand")]


def test_a_physicians_restriction_is_met_by_the_stool_that_changes_the_work():
    # A physician limits standing to "rarely" (1); the work needs it frequently (3). With the
    # sit-stand stool the employer accepts, the work as it will be done needs standing 1.
    world = _dishwasher_world(hard=True)
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    standing = characteristic_index("standing")
    assert s.feasible[0] and s.over_after[0, standing] == 0
    from features.catalogue import ADJUSTMENT_IDS

    assert [ADJUSTMENT_IDS[a] for a in np.flatnonzero(s.chosen[0])] == ["sit_stand_stool"]


def test_a_restriction_is_never_met_by_support_or_tolerance():
    # Task rotation lowers standing by only 1 (the limit would still be exceeded); a job coach
    # supports but does not change how much standing the work needs; a tolerance of 2 levels
    # on postures does not apply to a restriction.
    loose = RULES.model_copy(deep=True)
    loose.hard.over_demand_tolerance[Group.POSTURE_MOBILITY] = 2
    for accepted in ((), ("task_rotation",), ("job_coach_first_weeks", "named_mentor")):
        world = _dishwasher_world(hard=True, accepted=accepted)
        for rules in (RULES, loose):
            s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), rules)
            assert not s.feasible[0] and s.failures[0, FAILURES.index("hard_limit")], accepted
            assert not s.failures[0, FAILURES.index("over_demand")]
    # Without the restriction, the same tolerance lets the pair through.
    world = _dishwasher_world(hard=False, accepted=())
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), loose)
    assert s.feasible[0]


def test_an_adjustment_that_cannot_apply_to_the_task_is_never_chosen():
    # A sit-stand stool for a delivery driver: accepted on paper, impossible in the van.
    world = _dishwasher_world(kind_override="delivery_driving")
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    assert not s.feasible[0] and not s.chosen[0].any()
    assert world.tasks.accepted[0].any() and not world.tasks.usable[0].any()


def test_a_restriction_against_an_unrated_demand_is_checked_first():
    world = _dishwasher_world(hard=True, unrated=("standing",))
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    standing = characteristic_index("standing")
    assert s.feasible[0] and not s.assessed[0] and s.unchecked[0, standing]
    strict = RULES.model_copy(deep=True)
    strict.hard.unchecked_limits = "exclude"
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), strict)
    assert not s.feasible[0] and s.failures[0, FAILURES.index("limit_unchecked")]


def test_a_physicians_recommendation_has_its_own_tolerance():
    # Sitting "occasionally" recommended; the reception desk needs it frequently, no adjustment.
    # Under a rule set that excludes work beyond a recommendation (every one stored before the
    # choice existed), the recommendation is a limit less its own tolerance.
    world = _dishwasher_world(standing_cap=4, recommended_sitting=2, accepted=(),
                              demand_changes={"sitting": 3})  # fmt: skip
    pair = (world.people, np.array([0]), world.tasks, np.array([0]))
    assert not score_pairs(*pair, _tolerant(0, 0, "exclude")).feasible[0]
    # A looser posture tolerance does not loosen the recommendation …
    assert not score_pairs(*pair, _tolerant(1, 0, "exclude")).feasible[0]
    # … its own tolerance does, and the explanation names it; within the tolerance the pair
    # is not "beyond" and ranks with the full fits.
    s = score_pairs(*pair, _tolerant(0, 1, "exclude"))
    assert s.feasible[0] and s.first_tier[0] and not s.beyond_recommendation.any()
    e = explain(world.people, world.tasks, s, 0)
    assert any("ylittää lääkärin suosituksen 'ajoittain'" in x for x in e.sentences["fi"])


def test_work_beyond_a_recommendation_is_suggested_named_and_after_every_full_fit():
    # The default rule set: a recommendation is not a restriction. The same pair is feasible
    # and assessed, but not a full fit — the headline says why, in both languages.
    world = _dishwasher_world(standing_cap=4, recommended_sitting=2, accepted=(),
                              demand_changes={"sitting": 3})  # fmt: skip
    pair = (world.people, np.array([0]), world.tasks, np.array([0]))
    s = score_pairs(*pair, RULES)
    sitting = CHARACTERISTIC_IDS.index("sitting")
    assert s.feasible[0] and s.assessed[0] and not s.first_tier[0]
    assert np.flatnonzero(s.beyond_recommendation[0]).tolist() == [sitting]
    e = explain(world.people, world.tasks, s, 0)
    assert e.sentences["fi"][0] == (
        "Mahdollinen – tehtävä ylittää lääkärin suosituksen: Istuminen. Keskustele asiakkaan "
        "kanssa ennen ehdotusta."
    )
    assert e.sentences["en"][0].startswith("Possible – the work exceeds the physician's recomm")
    assert (
        "Istuminen: tehtävä ylittää lääkärin suosituksen 'ajoittain' – tehtävässä 'usein' "
        "mukautuksinkin (lääkäri ei suosittele enempää)."
    ) in " ".join(e.sentences["fi"])
    # Employer-facing staff learn that the coordinator checks it first, not why.
    told = employer_summary(e)["fit"]
    assert told["en"].startswith("To be checked before proposing")
    assert "recommend" not in told["en"] and "suosit" not in told["fi"]
    # An adjustment that brings the work within the recommendation is chosen for it: then the
    # pair fits fully, with the adjustment as its condition.
    world = _dishwasher_world(standing_cap=4, recommended_sitting=2, accepted=("sit_stand_desk",),
                              demand_changes={"sitting": 3}, kind_override="data_entry")  # fmt: skip
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    assert s.first_tier[0] and not s.beyond_recommendation.any()
    assert [ADJUSTMENT_IDS[a] for a in np.flatnonzero(s.chosen[0])] == ["sit_stand_desk"]


def test_tolerance_lets_small_over_demand_through_at_a_price():
    rules = RULES.model_copy(deep=True)
    rules.hard.over_demand_tolerance[Group.POSTURE_MOBILITY] = 2
    world = _dishwasher_world(accepted=())
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), rules)
    assert s.feasible[0]
    assert s.contributions[0, 0] == pytest.approx(2.0 * (1 - 2 / (4 * 43)))


def test_cheapest_set_is_chosen():
    # Both the stool (low) and the sit-stand desk (medium) help; only the stool lowers standing
    # by 2, and a work pair (medium) is irrelevant: the stool alone is cheapest.
    world = _dishwasher_world(accepted=("sit_stand_desk", "sit_stand_stool", "work_pair"))
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    from features.catalogue import ADJUSTMENT_IDS

    assert [ADJUSTMENT_IDS[a] for a in np.flatnonzero(s.chosen[0])] == ["sit_stand_stool"]


def test_unknown_is_not_a_perfect_fit():
    full = profile("JS-FULL01", {cid: rating(4) for cid in CHARACTERISTIC_IDS})
    empty = profile("JS-EMPTY1", {})
    task = Task(
        title="t",
        kind="cleaning",
        task_type="hand_over",
        hours_per_week=4,
        schedule=["mon-morning"],
        frequency="weekly",
        demands=dict.fromkeys(CHARACTERISTIC_IDS, 2),
    )
    world = featurize(
        people_frame_from_profiles([full, empty]),
        task_frame_from_tasks([task], sector="cleaning", lat=LAHTI[0], lon=LAHTI[1]),
    )
    s = score_pairs(world.people, np.array([0, 1]), world.tasks, np.array([0, 0]), RULES)
    assert s.unknown[1].all() and not s.unknown[0].any()
    assert s.total[1] < s.total[0] - 5  # 43 ratings to be assessed cost 0.25 each
    excluding = RULES.model_copy(deep=True)
    excluding.hard.unknown_ratings = "exclude"
    s = score_pairs(world.people, np.array([0, 1]), world.tasks, np.array([0, 0]), excluding)
    assert s.feasible.tolist() == [True, False]
    assert s.failures[1, FAILURES.index("unknown")]


def test_checkerboard_known_answers():
    world = checkerboard(5)
    for i in range(5):
        ranked = rank_tasks_for_person(
            world.people, world.tasks, int(world.people.ids[i]), RULES, 5
        )
        assert ranked.ids.tolist() == [world.tasks.ids[i]]
        ranked = rank_people_for_tasks(
            world.people, world.tasks, [int(world.tasks.ids[i])], RULES, 5
        )
        assert ranked.ids.tolist() == [world.people.ids[i]]


def _tolerant(groups: int, recommendations: int, beyond: str = "rank_below"):
    rules = RULES.model_copy(deep=True)
    for group in rules.hard.over_demand_tolerance:
        rules.hard.over_demand_tolerance[group] = groups
    rules.hard.recommendation_tolerance = recommendations
    rules.hard.beyond_recommendation = RecommendationPolicy(beyond)
    return rules


def _excluding_unknowns():
    rules = RULES.model_copy(deep=True)
    rules.hard.unknown_ratings = "exclude"
    return rules


@SLOW
@given(
    small_worlds(),
    st.sampled_from([
        RULES, _tolerant(1, 0), _tolerant(0, 2), _tolerant(0, 0, "exclude"),
        _tolerant(0, 1, "exclude"), _excluding_unknowns(),
    ]),
)  # fmt: skip
def test_vectorised_equals_reference(world, rules):
    pr, tr = all_pairs(world)
    s = score_pairs(world.people, pr, world.tasks, tr, rules)
    assert np.array_equal(s.total, s.contributions.sum(axis=1))
    for p in range(len(pr)):
        ref = reference_score(world.people, pr[p], world.tasks, tr[p], rules)
        assert bool(s.feasible[p]) == ref.feasible
        assert bool(s.assessed[p]) == ref.assessed
        beyond = {CHARACTERISTIC_IDS[c] for c in np.flatnonzero(s.beyond_recommendation[p])}
        assert beyond == ref.beyond_recommendation
        assert {FAILURES[f] for f in np.flatnonzero(s.failures[p])} == ref.failures
        np.testing.assert_allclose(s.contributions[p], ref.contributions, atol=1e-9)
        if ref.feasible:
            from features.catalogue import ADJUSTMENT_IDS

            assert tuple(ADJUSTMENT_IDS[a] for a in np.flatnonzero(s.chosen[p])) == ref.chosen


@SLOW
@given(small_worlds(), st.integers(0, 10_000))
def test_ranked_pairs_are_feasible_and_respect_hard_limits(world, seed):
    person_id = int(world.people.ids[seed % len(world.people)])
    ranked = rank_tasks_for_person(world.people, world.tasks, person_id, RULES, 20)
    i = world.people.row_of[person_id]
    assert ranked.pairs.feasible.all()
    for position, task_id in enumerate(ranked.ids):
        j = world.tasks.row_of[int(task_id)]
        hard = world.people.hard[i]
        # A physician's limit holds against the demand as the work will be done: lowered only
        # by the chosen adjustments that change the work itself (never by a support).
        demand = np.nan_to_num(world.tasks.demand[j].astype(float))
        for a in np.flatnonzero(ranked.pairs.chosen[position]):
            adjustment = ADJUSTMENTS[ADJUSTMENT_IDS[a]]
            if adjustment.changes_exposure:
                for cid, levels in adjustment.lowers.items():
                    demand[characteristic_index(cid)] -= levels
        # Only against a demand the workshop rated: a typical one leaves the limit unchecked
        # (feasible, said so, never "Sopii"; the rule set may exclude such pairs instead).
        checked = hard & ~world.tasks.typical[j] & ~np.isnan(world.tasks.demand[j])
        capacity = world.people.capacity[i]
        assert (np.maximum(demand[checked], 0) <= capacity[checked]).all()
        assert world.people.matchable[i]
    # Every fully assessed pair first, then by score.
    tiers = [(not a, -t) for a, t in zip(ranked.pairs.assessed, ranked.total, strict=True)]
    assert tiers == sorted(tiers)
    again = rank_tasks_for_person(world.people, world.tasks, person_id, RULES, 20)
    assert np.array_equal(ranked.ids, again.ids)


def _ranking_score(scores):
    """What ranking sees: the score without the under-demand penalty (the one component that
    rewards using a person's capacities, and so moves the other way), and -inf for a pair that
    is never suggested."""
    total = scores.total - scores.contributions[:, COMPONENTS.index("under_demand")]
    return np.where(scores.feasible, total, -np.inf)


@SLOW
@given(small_worlds(), st.integers(0, 10_000), st.sampled_from(CHARACTERISTIC_IDS))
def test_more_demand_never_helps(world, seed, cid):
    """Raising a task's demand never raises a score, nor makes an infeasible pair feasible."""
    pr, tr = all_pairs(world)
    before = score_pairs(world.people, pr, world.tasks, tr, RULES)
    j = seed % len(world.tasks)
    c = characteristic_index(cid)
    if np.isnan(world.tasks.demand[j, c]) or world.tasks.demand[j, c] >= 4:
        return
    world.tasks.demand[j, c] += 1
    after = score_pairs(world.people, pr, world.tasks, tr, RULES)
    mask = tr == j
    assert (_ranking_score(after)[mask] <= _ranking_score(before)[mask] + 1e-9).all()
    assert not (after.feasible[mask] & ~before.feasible[mask]).any()


@SLOW
@given(small_worlds(), st.integers(0, 10_000), st.sampled_from(CHARACTERISTIC_IDS))
def test_more_capacity_never_hurts(world, seed, cid):
    pr, tr = all_pairs(world)
    before = score_pairs(world.people, pr, world.tasks, tr, RULES)
    i = seed % len(world.people)
    c = characteristic_index(cid)
    if np.isnan(world.people.capacity[i, c]) or world.people.capacity[i, c] >= 4:
        return
    world.people.capacity[i, c] += 1
    after = score_pairs(world.people, pr, world.tasks, tr, RULES)
    mask = pr == i
    assert (_ranking_score(after)[mask] >= _ranking_score(before)[mask] - 1e-9).all()
    assert not (before.feasible[mask] & ~after.feasible[mask]).any()


def test_k_and_ids_are_checked():
    from features.errors import InvalidInputError, NotFoundError

    world = checkerboard(2)
    with pytest.raises(InvalidInputError, match="k: must be 1–200"):
        rank_tasks_for_person(world.people, world.tasks, 1, RULES, 0)
    with pytest.raises(NotFoundError, match="no jobseeker with id 99"):
        rank_tasks_for_person(world.people, world.tasks, 99, RULES, 5)
    with pytest.raises(NotFoundError, match="no task with id 42"):
        rank_people_for_tasks(world.people, world.tasks, [42], RULES, 5)


@SLOW
@given(
    st.lists(st.sampled_from(list(range(27))), min_size=0, max_size=5, unique=True),
    st.dictionaries(st.sampled_from(CHARACTERISTIC_IDS[:25]), st.integers(1, 3), max_size=3),
)
def test_cheapest_adjustments_equal_brute_force(accepted, need_by_id):
    from features.catalogue import ADJUSTMENTS
    from matching.scoring import adjustment_cost_vector, cheapest_adjustments

    adjustments = list(ADJUSTMENTS.values())
    accepted = sorted(accepted)
    need = np.zeros((1, len(CHARACTERISTIC_IDS)), dtype=np.int8)
    for cid, levels in need_by_id.items():
        need[0, characteristic_index(cid)] = levels
    index = np.array([accepted + [-1] * (5 - len(accepted))], dtype=np.int16)
    costs = adjustment_cost_vector(RULES)
    chosen, found = cheapest_adjustments(
        need, np.zeros((1, 2), bool), np.full((1, 2), np.nan), index, costs
    )
    best = None
    for bits in range(1 << len(accepted)):
        subset = [accepted[b] for b in range(len(accepted)) if bits >> b & 1]
        if all(
            max((adjustments[a].lowers.get(cid, 0) for a in subset), default=0) >= lv
            for cid, lv in need_by_id.items()
        ):
            cost = sum(costs[a] for a in subset)
            if best is None or cost < best[0]:
                best = (cost, subset)
    assert bool(found[0]) == (best is not None)
    if best is not None:
        assert sorted(np.flatnonzero(chosen[0]).tolist()) == best[1]


def test_nobody_in_reach_gives_an_empty_ranking():
    world = checkerboard(2)
    far = world.tasks.lat.copy()
    far[:] = 65.0  # Oulu
    import dataclasses

    remote = dataclasses.replace(world.tasks, lat=far)
    ranked = rank_people_for_tasks(world.people, remote, [1], RULES, 5)
    assert len(ranked.ids) == 0 and ranked.n_candidates == 0
    ranked = rank_tasks_for_person(world.people, remote, 1, RULES, 5)
    assert len(ranked.ids) == 0 and ranked.n_candidates == 0


def test_the_hand_computed_pair_is_on_the_scale_of_the_best_total():
    # Every rewarding component at its full weight: 2 + 0.5 + 1.5 + 1 + 0.5 + 1 under the default.
    assert best_total(RULES) == pytest.approx(6.5)
    heavier = RULES.model_copy(update={"weights": RULES.weights.model_copy(update={"skills": 2.0})})
    assert best_total(heavier) == pytest.approx(8.0)
    world = _dishwasher_world()
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    rewards = [COMPONENTS.index(name) for name in REWARDS]
    assert s.contributions[0, rewards].sum() <= best_total(RULES)


@SLOW
@given(small_worlds())
def test_no_score_is_above_the_best_total(world):
    """The scale the pages state with every score ("Sopivuus 4,99 / 6,5") holds: every pair."""
    pr, tr = all_pairs(world)
    scores = score_pairs(world.people, pr, world.tasks, tr, RULES)
    assert (scores.total <= best_total(RULES) + 1e-9).all()
    others = [i for i, name in enumerate(COMPONENTS) if name not in REWARDS]
    assert (scores.contributions[:, others] <= 1e-12).all()  # the others only take off
