"""Absolute claims of the pure core's docstrings and comments, each held by a test.

Every test here quotes a claim ("never", "every", "only", "at most", "at least", "exactly", …)
that a module of ``matching/`` or ``features/`` makes, names the function that makes it, and
fails were the claim broken. Claims that other test files already hold are not repeated here.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from features.caseload import IMPORTANT_SHARE, important_characteristics
from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, CHARACTERISTICS, TASK_KINDS, Group
from features.catalogue.adjustments import applies, fits_kind
from features.catalogue.schedule import SLOT_IDS, slot_bits
from features.demo import World, WorldSize, build_world
from features.demo.truth import FitContext
from features.errors import InvalidInputError
from features.pipeline.encoders import (
    AdjustmentEncoder,
    BitSetEncoder,
    CategoryEncoder,
    LevelEncoder,
    MultiHotEncoder,
    adjustment_applicability,
    adjustment_lowering_table,
)
from features.pipeline.frames import people_frame_from_profiles, task_frame_from_tasks
from features.schemas import JobseekerProfile, Task
from matching import whynot
from matching.acceptance import CASES, _shuffled
from matching.evaluation import Verdict, adoption_verdict
from matching.explain import SHOWN, employer_summary, explain
from matching.metrics import (
    INTERVAL_LEVEL,
    bootstrap_difference,
    hit_rate_at_k,
    mean_reciprocal_rank,
    percentile_interval,
    recall_at_k,
)
from matching.ranking import (
    MAX_K,
    feasible_people,
    rank_people_for_tasks,
    rank_tasks_for_person,
)
from matching.reranker import rerank, time_split
from matching.rules import (
    RecommendationPolicy,
    RuleSet,
    default_ruleset,
    diff_rulesets,
    parse_ruleset,
    ruleset_yaml,
)
from matching.scoring import FAILURES, PairScores, score_pairs
from matching.whynot import _MAX_CANDIDATES, apply_relaxations, why_not
from tests.worlds import LAHTI, SmallWorld, all_pairs, featurize, profile, rating, small_worlds

RULES = default_ruleset()
ABLE: dict[str, dict] = {cid: rating(4) for cid in CHARACTERISTIC_IDS}
"""A capacity of 4 everywhere: nothing over-demanded, nothing unknown."""
SOFT = [
    c.id for c in CHARACTERISTICS.values() if c.group.value in ("cognition", "communication_social")
]
"""The characteristics whose unused strength the explanation may name."""


# --- small worlds -------------------------------------------------------------------------------


def _task(
    *,
    kind: str = "dishwashing",
    demands: dict[str, int] | None = None,
    base: int = 1,
    unrated: tuple[str, ...] = (),
    accepted: tuple[str, ...] = (),
    schedule: tuple[str, ...] = ("mon-morning",),
) -> Task:
    """A task demanding ``base`` on every characteristic but ``demands`` (and ``unrated``)."""
    levels = dict.fromkeys(CHARACTERISTIC_IDS, base) | (demands or {})
    return Task(
        title="Tehtävä",
        kind=kind,
        task_type="hand_over",
        hours_per_week=5.0,
        schedule=list(schedule),
        frequency="daily",
        demands={cid: level for cid, level in levels.items() if cid not in unrated},
        accepted_adjustments=list(accepted),
    )


def _world(people: list[JobseekerProfile], tasks: list[Task]) -> SmallWorld:
    """People and tasks featurized together, everyone and everything in Lahti."""
    return featurize(
        people_frame_from_profiles(people),
        task_frame_from_tasks(tasks, sector="kitchen_catering", lat=LAHTI[0], lon=LAHTI[1]),
    )


def _score(world: SmallWorld, rules: RuleSet = RULES) -> PairScores:
    """The scores of the world's first person and first task."""
    return score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), rules)


def _rules(**hard: object) -> RuleSet:
    """The default rule set with ``hard`` changed, validated as an analyst's file would be."""
    data = RULES.model_dump(mode="json")
    data["hard"].update(hard)
    return parse_ruleset(data)


def _name(cid: str, lang: str = "en") -> str:
    return CHARACTERISTICS[cid].name(lang)


# --- matching/rules.py ------------------------------------------------------------------------

LOOSEST = _rules(
    max_distance_km=1000.0,
    min_schedule_overlap=0.0,
    max_hours_over=20.0,
    require_licences=False,
    respect_kilograms=False,
    hand_over_only=False,
    over_demand_tolerance=dict.fromkeys((g.value for g in Group), 4),
    recommendation_tolerance=4,
    unknown_ratings="penalise",
    unchecked_limits="check_first",
)
"""Every hard constraint a rule set can loosen, at its loosest."""


def test_what_no_rule_set_can_configure() -> None:
    """matching.rules (module): "Two things are not configurable on purpose: a physician's
    restriction is never exceeded by the work as it will be done (no tolerance; only
    adjustments that change the exposure count), and a person without active consent to
    matching is never matched." Under the loosest rule set the schema allows, a restriction
    two levels over with only a support accepted still excludes the pair, and a person without
    consent (or paused) gets nothing either way."""
    restricted = profile("JS-LIMIT1", ABLE | {"standing": rating(1, hard=True)})
    no_consent = profile("JS-NOCONS", ABLE, consent=False)
    paused = profile("JS-PAUSED", ABLE, status="paused")
    task = _task(demands={"standing": 3}, accepted=("job_coach_first_weeks", "named_mentor"))
    world = _world([restricted, no_consent, paused], [task])
    s = score_pairs(world.people, np.arange(3), world.tasks, np.zeros(3, dtype=int), LOOSEST)
    assert not s.feasible.any()
    assert s.failures[0, FAILURES.index("hard_limit")]
    assert s.failures[1:, FAILURES.index("not_matchable")].all()
    for person_id in (1, 2, 3):
        assert len(rank_tasks_for_person(world.people, world.tasks, person_id, LOOSEST).ids) == 0
    assert len(rank_people_for_tasks(world.people, world.tasks, [1], LOOSEST).ids) == 0
    # Without the restriction the same loose rules let the over-demand through: the edge.
    world = _world([profile("JS-RATED1", ABLE | {"standing": rating(1)})], [task])
    assert _score(world, LOOSEST).feasible[0]


def test_a_rule_set_stored_before_beyond_recommendation_existed_means_and_hashes_the_same() -> None:
    """matching.rules:HardConstraints.beyond_recommendation, "Every rule set stored before the
    choice existed excluded such tasks: it still does", and RuleSet.fingerprint, "a stored
    rule set keeps its fingerprint across upgrades"."""
    old = RULES.model_dump(mode="json")
    del old["hard"]["beyond_recommendation"]
    parsed = parse_ruleset(old)
    assert parsed.hard.beyond_recommendation == "exclude"
    canonical = json.dumps(old, sort_keys=True)
    assert parsed.fingerprint() == hashlib.sha256(canonical.encode()).hexdigest()[:12]
    # The shipped default ranks such work below: a different content, a different hash.
    assert RULES.hard.beyond_recommendation == "rank_below"
    assert (
        RULES.fingerprint()
        != parsed.model_copy(
            update={
                "hard": RULES.hard.model_copy(
                    update={"beyond_recommendation": RecommendationPolicy.EXCLUDE}
                )
            }
        ).fingerprint()
    )


def test_a_rule_set_gives_exactly_the_cost_classes_and_every_group() -> None:
    """matching.rules:RuleSet._every_cost_class, "adjustment_costs: give exactly the classes",
    and HardConstraints._every_group, "over_demand_tolerance: give every group". A class
    missing or one too many, or a group missing, is refused."""
    missing = RULES.model_dump(mode="json")
    del missing["adjustment_costs"]["high"]
    extra = RULES.model_dump(mode="json")
    extra["adjustment_costs"]["extreme"] = 2.0
    for data in (missing, extra):
        with pytest.raises(InvalidInputError, match="give exactly the classes"):
            parse_ruleset(data)
    no_senses = RULES.model_dump(mode="json")
    del no_senses["hard"]["over_demand_tolerance"]["senses"]
    with pytest.raises(InvalidInputError, match=r"give every group; missing \['senses'\]"):
        parse_ruleset(no_senses)


def test_every_differing_leaf_in_path_order_and_the_same_content_one_fingerprint() -> None:
    """matching.rules:diff_rulesets, "Every leaf that differs, as (dotted path, old value, new
    value), in path order; the version itself is left out", and RuleSet.fingerprint, "two rule
    sets with the same content share it" — whatever the order their mappings were written in."""
    data = RULES.model_dump(mode="json")
    data["version"] = "other-1"
    data["weights"]["skills"] = 0.75
    data["hard"]["max_distance_km"] = 30.0
    data["adjustment_costs"]["high"] = 2.0
    other = parse_ruleset(data)
    assert diff_rulesets(RULES, other) == [
        ("adjustment_costs.high", 1.0, 2.0),
        ("hard.max_distance_km", 40.0, 30.0),
        ("weights.skills", 0.5, 0.75),
    ]
    assert diff_rulesets(RULES, RULES) == []
    # The same content, its mappings written in the opposite order: one fingerprint.
    same = RULES.model_dump(mode="json")
    reordered = {key: same[key] for key in reversed(same)}
    reordered["adjustment_costs"] = dict(reversed(same["adjustment_costs"].items()))
    reordered["hard"] = dict(reversed(same["hard"].items()))
    reordered["hard"]["over_demand_tolerance"] = dict(
        reversed(same["hard"]["over_demand_tolerance"].items())
    )
    assert parse_ruleset(reordered).fingerprint() == RULES.fingerprint()
    assert parse_ruleset(yaml.safe_load(ruleset_yaml(RULES))).fingerprint() == RULES.fingerprint()
    assert other.fingerprint() != RULES.fingerprint()


# --- matching/ranking.py ----------------------------------------------------------------------


def test_people_are_ranked_for_at_least_one_task() -> None:
    """matching.ranking:_judge_people (behind rank_people_for_tasks and feasible_people):
    "give at least one task" — an empty set of tasks is refused, not answered with everyone."""
    world = _world([profile("JS-ANYONE", ABLE)], [_task()])
    with pytest.raises(InvalidInputError, match="give at least one task"):
        rank_people_for_tasks(world.people, world.tasks, [], RULES)
    with pytest.raises(InvalidInputError, match="give at least one task"):
        feasible_people(world.people, world.tasks, [], RULES)
    assert rank_people_for_tasks(world.people, world.tasks, [1], RULES).ids.tolist() == [1]


# --- matching/explain.py ----------------------------------------------------------------------


def test_at_most_shown_characteristics_are_named_in_a_sentence() -> None:
    """matching.explain:SHOWN, "At most this many characteristics are named in one sentence;
    the rest are counted." A profile with no ratings against a task that demands all 43:
    the headline names the first SHOWN to assess and counts the other 39."""
    world = _world([profile("JS-EMPTY1", {})], [_task(base=2)])
    e = explain(world.people, world.tasks, _score(world), 0)
    assert e.feasible and len(e.to_assess) == len(CHARACTERISTIC_IDS)
    more = len(CHARACTERISTIC_IDS) - SHOWN
    for lang, counted in (("en", f" and {more} more"), ("fi", f" ja {more} muuta")):
        headline = e.sentences[lang][0]
        assert counted in headline, headline
        shown = headline.split(": ", 1)[1].split(counted)[0]
        assert shown == ", ".join(_name(c, lang) for c in e.to_assess[:SHOWN]), headline


def test_one_more_characteristic_is_counted_in_the_singular() -> None:
    """The rest counted agrees in number: "ja 1 muu", "ja 2 muuta"."""
    for extra, fi in ((1, " ja 1 muu"), (2, " ja 2 muuta")):
        unrated = CHARACTERISTIC_IDS[: SHOWN + extra]
        rated = {c: rating(3) for c in CHARACTERISTIC_IDS if c not in unrated}
        world = _world([profile("JS-MUUT01", rated)], [_task(base=2)])
        e = explain(world.people, world.tasks, _score(world), 0)
        assert len(e.to_assess) == SHOWN + extra
        assert f"{fi} (" in e.sentences["fi"][0], e.sentences["fi"][0]
        assert f" and {extra} more" in e.sentences["en"][0]


@pytest.mark.parametrize("n_unused", [2, 3])
def test_unused_strengths_are_named_only_when_there_are_at_least_three(n_unused: int) -> None:
    """matching.explain:_assemble, "Abilities the person is very strong in (4) that the task
    hardly uses (1 or less), named only when there are at least three"; "Physical reserve …
    not worth mentioning." Three soft skills at 4 that the task needs at most 1 are named (a
    physical one at 0 is not); two are not named at all."""
    unused = SOFT[:n_unused]
    demands = dict.fromkeys(unused, 1) | {"standing": 0}
    world = _world([profile("JS-STRONG", ABLE)], [_task(base=2, demands=demands)])
    e = explain(world.people, world.tasks, _score(world), 0)
    assert e.feasible
    said = [s for s in e.sentences["en"] if s.startswith("Strengths left unused")]
    if n_unused >= 3:
        assert e.unused_strengths == unused
        assert said == [f"Strengths left unused: {', '.join(_name(c) for c in unused)}."]
    else:
        assert e.unused_strengths == [] and said == []


def _employer_text(summary: dict) -> str:
    return json.dumps(summary, ensure_ascii=False)


def test_employer_facing_staff_never_learn_capacities_limits_distance_or_hours_wanted() -> None:
    """matching.explain:employer_summary, "What employer-facing staff may know of a fit …
    never capacities, physician's limits, distance or hours wanted", and _employer_fit,
    "Employer-facing staff learn that something is to be checked, never the limit itself."
    A restriction met by a stool, one checked against an unrated demand, and one the work
    exceeds: the summary has its four fields only and names no characteristic, level,
    distance or wished hours — yet the stool is marked a condition."""
    person = profile("JS-LIMIT2", ABLE | {"standing": rating(1, hard=True)}, hours=(17, 23))
    met = _task(demands={"standing": 3}, accepted=("sit_stand_stool",))
    unchecked = _task(unrated=("standing",))
    exceeded = _task(demands={"standing": 3}, accepted=("job_coach_first_weeks",))
    world = featurize(
        people_frame_from_profiles([person]),
        task_frame_from_tasks(
            [met, unchecked, exceeded], sector="kitchen_catering", lat=LAHTI[0] + 0.1, lon=LAHTI[1]
        ),
    )
    s = score_pairs(world.people, np.zeros(3, dtype=int), world.tasks, np.arange(3), RULES)
    assert s.feasible.tolist() == [True, True, False]
    assert s.unchecked[1, CHARACTERISTIC_IDS.index("standing")]
    forbidden = [_name("standing", lang) for lang in ("en", "fi")]
    levels = CHARACTERISTICS["standing"].levels
    forbidden += [levels[n].text(lang).split(" (")[0] for n in (1, 3) for lang in ("en", "fi")]
    forbidden += ["km", "17", "23", "wants", "toive", "physician", "lääkäri"]
    summaries = []
    for p in range(3):
        summary = employer_summary(explain(world.people, world.tasks, s, p))
        assert set(summary) == {"task_id", "feasible", "fit", "adjustments"}
        text = _employer_text(summary)
        assert not [word for word in forbidden if word.lower() in text.lower()], text
        summaries.append(summary)
    assert [a["id"] for a in summaries[0]["adjustments"]] == ["sit_stand_stool"]
    assert summaries[0]["adjustments"][0]["condition"]
    assert summaries[1]["fit"]["en"].startswith("To be checked before proposing")


def test_only_the_demands_no_usable_adjustment_closes_read_as_over() -> None:
    """matching.explain:_statuses, "Nothing chosen because nothing closes it all: show what the
    usable adjustments would do, so only the demands they cannot close read as 'over'."
    Standing is two levels over and the accepted stool closes it; driving is two over and
    nothing lowers it: driving reads "over", standing "adjusted", and the reasons name driving
    alone."""
    person = profile("JS-DRIVE1", ABLE | {"standing": rating(1), "driving": rating(0)})
    task = _task(demands={"standing": 3, "driving": 2}, accepted=("sit_stand_stool",))
    world = _world([person], [task])
    s = _score(world)
    assert not s.feasible[0] and not s.chosen[0].any() and not s.closable[0]
    e = explain(world.people, world.tasks, s, 0)
    status = {row.id: row.status for row in e.comparison}
    assert status["driving"] == "over" and status["standing"] == "adjusted"
    assert [row.id for row in e.comparison if row.status == "over"] == ["driving"]
    for lang in ("en", "fi"):
        assert any(_name("driving", lang) in x for x in e.sentences[lang][1:])
        assert not any(_name("standing", lang) in x for x in e.sentences[lang])


# --- features/schemas/jobseeker.py: a physician's recommendation -------------------------------


TOLERANT = _rules(recommendation_tolerance=1)
"""The default rules, tolerating one level over a physician's recommendation."""


def _recommended_world() -> SmallWorld:
    """A person whose physician recommends little sitting (2) and standing (1), against a task
    within both as it is, one whose standing the accepted stool brings within, and one a level
    over on sitting (tolerated by TOLERANT only)."""
    person = profile(
        "JS-RECOMM",
        ABLE | {"sitting": rating(2, recommended=True), "standing": rating(1, recommended=True)},
    )
    tasks = [
        _task(demands={"sitting": 2, "standing": 1}),
        _task(demands={"sitting": 0, "standing": 3}, accepted=("sit_stand_stool",)),
        _task(demands={"sitting": 3, "standing": 1}),
    ]
    return _world([person], tasks)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_worlds(max_people=3, max_tasks=4), st.sampled_from([RULES, TOLERANT]))
@example(world=_recommended_world(), rules=RULES)
@example(world=_recommended_world(), rules=TOLERANT)
def test_a_physicians_recommendation_is_always_named(world: SmallWorld, rules: RuleSet) -> None:
    """features.schemas.jobseeker:CapacityRating.recommended, "A physician's recommendation …
    always named in the explanation." (matching.explain:Explanation.limits, "Every physician's restriction and
    recommendation against a rated demand".) Wherever the task's demand is known, the
    explanation lists the recommendation; for every suggestion it is said in both languages,
    as exceeded exactly when the work as it will be done exceeds it."""
    person_rows, task_rows = all_pairs(world)
    scores = score_pairs(world.people, person_rows, world.tasks, task_rows, rules)
    words = {"en": ("recommendation", "exceeds"), "fi": ("suositu", "ylittää")}
    for p in range(len(scores)):
        i, j = person_rows[p], task_rows[p]
        named = world.people.recommended[i] & ~np.isnan(world.tasks.demand[j])
        if not named.any():
            continue
        e = explain(world.people, world.tasks, scores, p)
        notes = {n.id: n for n in e.limits if n.kind == "recommendation"}
        for c in np.flatnonzero(named):
            cid = CHARACTERISTIC_IDS[c]
            assert cid in notes, (cid, e.limits)
            if not e.feasible:
                continue
            for lang, (word, exceeds) in words.items():
                said = [x for x in e.sentences[lang] if _name(cid, lang) in x and word in x]
                assert said, (cid, e.sentences[lang])
                assert all((exceeds in x) is not notes[cid].holds for x in said), (cid, said)


# --- features/catalogue/adjustments.py --------------------------------------------------------


def test_an_adjustment_never_lowers_a_demand_below_zero() -> None:
    """features.catalogue.adjustments (module): "Each adjustment lowers the *demand* of some
    characteristics by a number of levels (never below 0)". Task rotation is chosen for
    repetitive work (−2) and also lowers standing and uninterrupted work by one, which the task
    demands at 0: the work as it will be done demands 0 there, not −1."""
    person = profile("JS-ROTATE", ABLE | {"repetitive_hand_arm": rating(1)})
    task = _task(
        demands={"repetitive_hand_arm": 3, "standing": 0, "uninterrupted_work": 0},
        accepted=("task_rotation",),
    )
    world = _world([person], [task])
    s = _score(world)
    assert s.feasible[0] and s.chosen[0, list(ADJUSTMENTS).index("task_rotation")]
    e = explain(world.people, world.tasks, s, 0)
    after = {row.id: row.demand_after for row in e.comparison}
    assert after["standing"] == 0 and after["uninterrupted_work"] == 0
    assert after["repetitive_hand_arm"] == 1
    assert all(row.demand_after is None or row.demand_after >= 0 for row in e.comparison)
    assert (s.over_after >= 0).all()


def test_an_adjustment_never_applies_to_a_kind_it_cannot() -> None:
    """features.catalogue.adjustments:Adjustment.not_kinds, "Kinds of task where it cannot
    apply (where the demand it lowers is the task itself)". For every adjustment and every
    such kind: not applicable in the catalogue or in the pipeline's table, whatever the
    shifts; accepted for such a task, it is not usable, and the scorer does not choose it."""
    every_slot = slot_bits(list(SLOT_IDS))
    table = adjustment_applicability(
        np.arange(len(TASK_KINDS)), np.full(len(TASK_KINDS), every_slot)
    )
    checked = 0
    for a, adj in enumerate(ADJUSTMENTS.values()):
        for kind in adj.not_kinds:
            assert not fits_kind(adj, kind) and not applies(adj, kind, SLOT_IDS), (adj.id, kind)
            assert not table[TASK_KINDS.index(kind), a], (adj.id, kind)
            checked += 1
    assert checked > 20
    # The customer contact of a cashier is the task itself: no back-office variant there.
    person = profile("JS-SHY001", ABLE | {"customer_contact": rating(1)})
    task = _task(
        kind="cashier_customer_service",
        demands={"customer_contact": 3},
        accepted=("back_office_variant",),
    )
    world = _world([person], [task])
    variant = list(ADJUSTMENTS).index("back_office_variant")
    assert world.tasks.accepted[0, variant] and not world.tasks.usable[0, variant]
    s = _score(world)
    assert not s.feasible[0] and not s.chosen[0].any()
    # Where it can apply (dishwashing), the same acceptance closes the same over-demand.
    world = _world(
        [person], [_task(demands={"customer_contact": 3}, accepted=("back_office_variant",))]
    )
    assert _score(world).feasible[0]


# --- matching/whynot.py -----------------------------------------------------------------------


def test_why_not_asks_only_for_the_adjustments_not_yet_accepted() -> None:
    """matching.whynot (module): "the cheapest set of adjustments that closes them together,
    preferring those the employer already accepts (only the ones not yet accepted are asked
    for)". Hearing protection (accepted) and a stool (not) are both needed: the set holds both,
    the employer is asked for the stool alone, and with it the pair fits."""
    person = profile("JS-NOISE1", ABLE | {"standing": rating(1), "noise": rating(1)})
    task = _task(demands={"standing": 3, "noise": 3}, accepted=("hearing_protection",))
    world = _world([person], [task])
    answer = why_not(world.people, world.tasks, 1, 1, RULES)
    assert answer.failures == ["over_demand"]
    (relaxation,) = answer.relaxations
    assert relaxation.change == "accept_adjustments"
    assert sorted(relaxation.details["adjustments"]) == ["hearing_protection", "sit_stand_stool"]
    assert relaxation.details["new"] == ["sit_stand_stool"]
    assert relaxation.text["en"] == "The employer accepts: Sit-stand stool."
    people, tasks = apply_relaxations(world.people_frame, world.task_frame, 1, 1, [relaxation])
    fixed = featurize(people, tasks)
    assert _score(fixed).feasible[0]


def test_why_not_gives_a_restriction_no_tolerance() -> None:
    """matching.whynot (module): "a restriction counts only adjustments that change the work
    itself, and no tolerance." With a level of posture tolerance in the rules, a restriction
    two levels over still needs both levels closed: the stool (−2), not task rotation (−1,
    free) that the tolerance would let through."""
    tolerant = _rules(
        over_demand_tolerance=dict.fromkeys((g.value for g in Group), 0)
        | {Group.POSTURE_MOBILITY.value: 1}
    )
    person = profile("JS-LIMIT3", ABLE | {"standing": rating(1, hard=True)})
    world = _world([person], [_task(demands={"standing": 3})])
    answer = why_not(world.people, world.tasks, 1, 1, tolerant)
    assert answer.failures == ["hard_limit"]
    (relaxation,) = answer.relaxations
    assert relaxation.details["new"] == ["sit_stand_stool"]
    people, tasks = apply_relaxations(world.people_frame, world.task_frame, 1, 1, [relaxation])
    assert _score(featurize(people, tasks), tolerant).feasible[0]


def test_why_not_searches_at_most_two_to_the_fourteen_subsets() -> None:
    """matching.whynot:_close_demands, "Accepted and cheap ones first; 2^14 subsets at most."
    A person at 2 everywhere against a task demanding 4 everywhere: far more than 14
    applicable adjustments would help, and the search is handed 14 of them at most."""
    person = profile("JS-LOWALL", {cid: rating(2) for cid in CHARACTERISTIC_IDS})
    task = _task(base=4, schedule=("mon-morning", "mon-afternoon"))
    world = _world([person], [task])
    # Which adjustments could help: applicable, lowering a demand some applicable one can
    # lower by the two levels needed.
    applicable = adjustment_applicability(world.tasks.kind[:1], world.tasks.schedule[:1])[0]
    lowering = adjustment_lowering_table()
    closable = (lowering * applicable[:, None]).max(axis=0) >= 2
    helping = int((applicable & (lowering[:, closable] > 0).any(axis=1)).sum())
    assert helping > 14
    widths: list[int] = []

    real = whynot.cheapest_adjustments

    def spy(need, kg_need, cap_kg, candidates, costs, hard=None):
        widths.append(candidates.shape[1])
        return real(need, kg_need, cap_kg, candidates, costs, hard)

    with patch.object(whynot, "cheapest_adjustments", spy):
        answer = why_not(world.people, world.tasks, 1, 1, RULES)
    assert answer.relaxations and widths
    assert max(widths) <= 14 and _MAX_CANDIDATES <= 14


# --- matching/reranker.py ---------------------------------------------------------------------


class _PrefersTheLast:
    """A stand-in model that predicts more the later a pair stands in the rules' order."""

    version = "stub"

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.linspace(0.1, 0.9, len(x))


def test_the_model_never_lifts_an_unassessed_pair_above_an_assessed_one() -> None:
    """matching.reranker:rerank, "Within the rules' tiers: the model never lifts an unassessed
    pair above an assessed one." Two tasks need some driving, which the person's profile does
    not rate (to be assessed); two need none. A model that prefers the unassessed pairs still
    reorders only within each tier."""
    person = profile("JS-NODRIV", {cid: r for cid, r in ABLE.items() if cid != "driving"})
    tasks = [
        _task(demands={"driving": 1}),
        _task(demands={"driving": 0}),
        _task(demands={"driving": 1}),
        _task(demands={"driving": 0}),
    ]
    world = _world([person], tasks)
    ranked = rank_tasks_for_person(world.people, world.tasks, 1, RULES, MAX_K)
    assert ranked.pairs.assessed.tolist() == [True, True, False, False]
    again, probability = rerank(ranked, world.people, world.tasks, _PrefersTheLast(), 4)
    assert again.pairs.assessed.tolist() == [True, True, False, False]
    assert again.ids.tolist() == [ranked.ids[1], ranked.ids[0], ranked.ids[3], ranked.ids[2]]
    assert probability.tolist() == pytest.approx([0.1 + 0.8 / 3, 0.1, 0.9, 0.1 + 1.6 / 3])


@pytest.mark.parametrize("n", [0, 1, 4, 7, 200, 1001])
def test_the_model_never_learns_from_the_future_it_is_judged_on(n: int) -> None:
    """matching.reranker:time_split, "Fit on the oldest share, calibrate on the next, test on
    the newest (rows are in time order): the model never learns from the future it is judged
    on." The three slices cover the rows once each, in time order."""
    fit, calibrate, test = time_split(n)
    rows = np.arange(n)
    assert np.concatenate([rows[fit], rows[calibrate], rows[test]]).tolist() == rows.tolist()
    if len(rows[fit]) and len(rows[test]):
        assert rows[fit].max() < rows[test].min()


# --- matching/evaluation.py, matching/metrics.py, matching/acceptance.py ----------------------


def _row(low: float, high: float) -> dict[str, float]:
    return {"a": 0.0, "b": 0.0, "diff": (low + high) / 2, "ci_low": low, "ci_high": high}


def test_a_model_no_better_than_the_base_rate_is_worse() -> None:
    """matching.evaluation:adoption_verdict, "worse … when a model's probabilities are no better
    than predicting the base rate for everyone (its Brier score at least the base rate's),
    whatever its ranking does." Exactly the base rate's Brier score is worse; a hair below
    lets the ranking decide."""
    better_ranking = {"hit_rate@10": _row(0.01, 0.05), "mrr": _row(0.0, 0.03)}
    assert adoption_verdict(better_ranking, 10, brier=0.22, base_rate_brier=0.22) is Verdict.WORSE
    assert (
        adoption_verdict(better_ranking, 10, brier=0.2199, base_rate_brier=0.22) is Verdict.BETTER
    )


def test_a_task_not_in_the_list_is_a_miss_at_every_cut_off() -> None:
    """matching.metrics (module): "``NaN`` means 'not in the ranked list' (a miss at every
    cut-off, zero reciprocal rank)." However large the cut-off."""
    nan = float("nan")
    for k in (1, 10, MAX_K, 10**9):
        assert hit_rate_at_k(np.array([nan, 1.0]), k) == 0.5
        assert recall_at_k(pd.DataFrame({"person_id": [1, 2], "rank": [nan, 1.0]}), k) == 0.5
    assert mean_reciprocal_rank(np.array([nan, 2.0])) == 0.25


def test_every_interval_is_at_the_one_level() -> None:
    """matching.metrics:INTERVAL_LEVEL, "The level of every interval the evaluation reports",
    and percentile_interval, "One definition for every interval reported." The default of
    both interval functions is that level, 95 %: the 2.5th and 97.5th percentiles."""
    assert INTERVAL_LEVEL == 0.95
    for function in (percentile_interval, bootstrap_difference):
        assert inspect.signature(function).parameters["level"].default == INTERVAL_LEVEL
    low, high = percentile_interval(np.arange(1001.0))
    assert (float(low), float(high)) == pytest.approx((25.0, 975.0))


def test_a_shuffled_ordering_is_the_same_on_every_replay() -> None:
    """matching.acceptance:_shuffled, "Seeded by the person: the same list on every replay, as
    a fixed ranking would give", and Case.expected, "every case here is worse than the default
    by construction"."""
    ids = np.arange(100, 130)
    first = _shuffled(ids, 42)
    assert first.tolist() == _shuffled(ids, 42).tolist()
    assert sorted(first.tolist()) == list(range(len(ids)))
    assert first.tolist() != _shuffled(ids, 43).tolist()
    assert CASES and {case.expected for case in CASES} == {"worse"}


# --- features/caseload.py, features/pipeline/encoders.py --------------------------------------


def test_a_characteristic_half_the_hand_over_tasks_demand_is_important() -> None:
    """features.caseload:IMPORTANT_SHARE, "A characteristic matters for matching when at least
    this share of hand-over tasks demand it", and important_characteristics, "demanded (level
    1 or more) by at least IMPORTANT_SHARE of the hand-over tasks". Of two hand-over tasks,
    one demanding a characteristic at level 1 is exactly half: important. A core task's
    demand, or an unrated one, does not count."""
    assert IMPORTANT_SHARE == 0.5
    nan = np.nan
    demand = np.array([[1, 0, 1], [0, nan, 1], [4, 4, 4]], dtype=float)
    hand_over = np.array([True, True, False])
    assert important_characteristics(demand, hand_over).tolist() == [True, False, True]


def test_every_encoder_names_its_columns_once_fitted_and_refuses_before() -> None:
    """features.pipeline.encoders (module), "``transform`` checks it was fitted … and
    ``get_feature_names_out`` names the columns": before ``fit`` both refuse (NotFittedError)
    where the names come from what is fitted;
    fitted, the accepted adjustments' encoder names one column per adjustment, in its
    output's order."""
    from sklearn.exceptions import NotFittedError

    # (A bit set's one column is named by its parameter alone: nothing to fit for its name.)
    for encoder in (LevelEncoder(), MultiHotEncoder(), CategoryEncoder(), AdjustmentEncoder()):
        with pytest.raises(NotFittedError):
            encoder.get_feature_names_out()
    first, second = list(ADJUSTMENTS)[:2]
    frame = pd.DataFrame({"accepted_adjustments": [[second], [], [first, second]]})
    with pytest.raises(NotFittedError):
        AdjustmentEncoder().transform(frame)
    encoder = AdjustmentEncoder().fit(frame)
    names = encoder.get_feature_names_out().tolist()
    encoded = encoder.transform(frame)
    assert names == [f"accepts_{a}" for a in ADJUSTMENTS] and encoded.shape == (3, len(names))
    assert encoded[0, names.index(f"accepts_{second}")] and not encoded[1].any()


def test_a_bit_set_holds_at_most_32_items() -> None:
    """features.pipeline.encoders:BitSetEncoder.fit, "a bit set holds at most 32 items": a
    vocabulary of 32 is encoded (its last item in the top bit), one of 33 is refused."""
    items = tuple(f"item{n}" for n in range(33))
    with patch.dict(BitSetEncoder._VOCABULARIES, {"wide": items[:32], "too_wide": items}):
        encoder = BitSetEncoder("things", "wide").fit()
        bits = encoder.transform(pd.DataFrame({"things": [[items[31], items[0]]]}))
        assert int(bits[0]) == (1 << 31) | 1
        with pytest.raises(ValueError, match="at most 32 items"):
            BitSetEncoder("things", "too_wide").fit()


# --- features/demo ----------------------------------------------------------------------------


def test_the_hidden_truth_is_never_stored(tiny_world: World) -> None:
    """features.demo.world (module): "the hidden truth (true capacities, motivation, the true
    fit of each proposal) … that is never stored"; features.demo.people: "a *true* capacity
    profile (never stored …) and a *recorded* one"; features.demo.history: "The true fit of
    every proposal is returned beside the tables (never stored)". No table holds a column of
    the truth, and the capacity table holds the recorded levels, not the true ones."""
    truth = set(tiny_world.history.truth.columns) - {"proposal_id", "km"}
    truth |= {"true_capacity", "recorded_capacity", "motivation", "group"}
    for name, table in tiny_world.tables.items():
        assert not truth & set(table.columns), (name, truth & set(table.columns))
    capacity = tiny_world.tables["capacity"]
    rows = tiny_world.tables["jobseeker"].reset_index().set_index("id")["index"]
    i = rows[capacity["jobseeker_id"]].to_numpy()
    c = capacity["characteristic_id"].map(CHARACTERISTIC_IDS.index).to_numpy()
    stored = capacity["level"].to_numpy(dtype=float)
    np.testing.assert_array_equal(stored, tiny_world.people.recorded_capacity[i, c])
    assert (stored != tiny_world.people.true_capacity[i, c]).any()


def test_a_world_needs_at_least_one_task_and_one_jobseeker() -> None:
    """features.demo.world:build_world, "a world needs at least one task and one jobseeker":
    none of either is refused; one of each is a world."""
    for size in (WorldSize(0, 1, 1), WorldSize(1, 0, 1)):
        with pytest.raises(ValueError, match="at least one task and one jobseeker"):
            build_world(size, seed=1)
    world = build_world(WorldSize(1, 1, 1), seed=1)
    assert len(world.tables["task"]) == 1 and len(world.tables["jobseeker"]) == 1


def test_the_truth_never_relaxes_a_physicians_limit() -> None:
    """features.demo.truth (module): "the over-demand left on the person's **true** capacity
    after the employer's adjustments (a physician's limit never relaxed)". Two
    characteristics demanded 3, an adjustment bringing both to 1, a true capacity of 1: under
    a physician's limit the over-demand stays 2 (and is severe); without one it is closed."""

    def context(hard: list[bool]) -> FitContext:
        one = np.empty(1, dtype=object)
        one[0] = []
        slots = np.empty(1, dtype=object)
        slots[0] = ["mon-morning"]
        return FitContext(
            demand=np.array([[3.0, 3.0]]),
            adjusted=np.array([[1.0, 1.0]]),
            true_capacity=np.array([[1.0, 1.0]]),
            hard=np.array([hard]),
            person_licences=one,
            person_slots=slots,
            home_lat=np.array([LAHTI[0]]),
            home_lon=np.array([LAHTI[1]]),
            interest_sectors=one,
            interest_kinds=one,
            hours_min=np.array([5.0]),
            hours_max=np.array([20.0]),
            motivation=np.array([0.5]),
            task_licences=one,
            task_slots=slots,
            task_hours=np.array([5.0]),
            task_lat=np.array([LAHTI[0]]),
            task_lon=np.array([LAHTI[1]]),
            task_sector=np.array(["cleaning"], dtype=object),
            task_kind=np.array(["cleaning"], dtype=object),
        )

    rows = np.array([0])
    limited = context([True, False]).pair_fit(rows, rows)
    assert limited.over.tolist() == [2.0] and limited.severe.tolist() == [True]
    assert limited.adjustments.tolist() == [1.0]
    free = context([False, False]).pair_fit(rows, rows)
    assert free.over.tolist() == [0.0] and free.severe.tolist() == [False]
    assert free.adjustments.tolist() == [2.0]
