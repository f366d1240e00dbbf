"""Explanations and why-not: what they say, and that the relaxations are minimal and work."""

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.catalogue import CHARACTERISTIC_IDS
from features.catalogue.characteristics import characteristic_index
from matching.explain import explain, explain_all
from matching.rules import UncheckedLimitPolicy, default_ruleset
from matching.scoring import score_pairs
from matching.whynot import apply_relaxations, why_not
from tests.test_edges import ABLE, _task, _world
from tests.test_scoring import _dishwasher_world
from tests.worlds import all_pairs, featurize, profile, rating, small_worlds

RULES = default_ruleset()


def _explained(world):
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), RULES)
    return explain(world.people, world.tasks, s, 0)


def test_explanation_of_a_fitting_pair_names_the_adjustment_in_both_languages():
    e = _explained(_dishwasher_world())
    assert e.feasible and [a.id for a in e.adjustments] == ["sit_stand_stool"]
    assert e.adjustments[0].closes == ["standing"] and e.adjustments[0].provider == "employer"
    en, fi = " ".join(e.sentences["en"]), " ".join(e.sentences["fi"])
    assert "Fits with 1 adjustment." in en
    assert "Standing is limited: the task needs frequently" in en
    assert "Sit-stand stool (employer, low cost) makes it fit." in en
    assert "Seisominen: tehtävässä usein" in fi and "Satulatuoli tai seisomatuki (työnantaja" in fi
    assert "Matches interests: sector Kitchen and catering, kind of task Dishwashing." in en
    assert "Has the skills: astianpesu." in en
    standing = next(r for r in e.comparison if r.id == "standing")
    assert (standing.capacity, standing.demand, standing.demand_after) == (1.0, 3.0, 1.0)
    assert standing.status == "adjusted"
    assert len(e.comparison) == 43
    assert sum(e.contributions.values()) == e.total


def test_a_restriction_met_by_the_stool_is_said_first_as_a_condition():
    e = _explained(_dishwasher_world(hard=True))
    assert e.feasible and e.assessed and [a.id for a in e.adjustments] == ["sit_stand_stool"]
    (limit,) = e.limits
    assert (limit.id, limit.limit, limit.demand, limit.demand_after) == ("standing", 1, 3, 1)
    assert limit.by == ["sit_stand_stool"] and limit.holds
    fi, en = e.sentences["fi"], e.sentences["en"]
    assert fi[0] == "Sopii mukautuksin (1)."
    assert fi[1].startswith(
        "Lääkärin rajoitus täyttyy vain mukautuksella Satulatuoli tai seisomatuki: oltava "
        "käytössä ensimmäisestä päivästä. Seisominen: raja 'harvoin' – tehtävässä 'usein', "
        "mukautuksella 'harvoin'."
    )
    assert en[1].startswith("The physician's restriction is met only with Sit-stand stool")


def test_a_restriction_support_cannot_meet_is_explained_and_why_not_asks_for_the_stool():
    world = _dishwasher_world(hard=True, accepted=("job_coach_first_weeks",))
    e = _explained(world)
    assert not e.feasible and e.failures == ["hard_limit"]
    assert any("Physician's restriction (Standing)" in s for s in e.sentences["en"])
    assert any("Lääkärin rajoitus, Seisominen" in s for s in e.sentences["fi"])
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    (r,) = w.relaxations
    assert (r.constraint, r.change, r.details["new"]) == (
        "hard_limit",
        "accept_adjustments",
        ["sit_stand_stool"],
    )


def test_where_nothing_applies_why_not_asks_for_a_redesign_and_says_why():
    # A delivery driver whose physician limits standing: no stool or desk can go in the van.
    world = _dishwasher_world(hard=True, accepted=(), kind_override="delivery_driving")
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    assert [(r.constraint, r.change) for r in w.relaxations] == [("hard_limit", "redesign_task")]
    assert w.relaxations[0].details == {"characteristic": "standing", "to": 1}
    assert "mikään tähän tehtävään soveltuva mukautus ei riitä" in w.relaxations[0].text["fi"]
    assert "sit_stand" not in str(w.relaxations)


def test_a_positive_explanation_names_checked_limits_and_not_every_unused_capacity():
    e = _explained(_dishwasher_world(hard=True, standing_cap=3))
    assert e.feasible and not e.adjustments
    assert e.sentences["fi"][:2] == [
        "Sopii.",
        "Seisominen: lääkärin rajoitus 'usein' – tehtävässä 'usein'.",
    ]
    assert not any("Vähän vaativa" in s for s in e.sentences["fi"])


def test_why_not_asks_the_employer_for_the_cheapest_missing_adjustment():
    world = _dishwasher_world(accepted=("work_pair",))  # does not help standing
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    assert w.failures == ["over_demand"]
    (r,) = w.relaxations
    assert r.change == "accept_adjustments" and r.details["new"] == ["sit_stand_stool"]
    assert r.text["en"] == "The employer accepts: Sit-stand stool."
    people, tasks = apply_relaxations(world.people_frame, world.task_frame, 1, 1, w.relaxations)
    fixed = featurize(people, tasks)
    assert score_pairs(fixed.people, np.array([0]), fixed.tasks, np.array([0]), RULES).feasible[0]


def _fits(world, person_id, task_id, relaxations):
    people, tasks = apply_relaxations(
        world.people_frame, world.task_frame, person_id, task_id, relaxations
    )
    again = featurize(people, tasks)
    i, j = again.people.row_of[person_id], again.tasks.row_of[task_id]
    scores = score_pairs(again.people, np.array([i]), again.tasks, np.array([j]), RULES)
    return bool(scores.feasible[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_worlds(max_people=3, max_tasks=4))
def test_relaxations_make_the_pair_fit_and_none_can_be_left_out(world):
    pr, tr = all_pairs(world)
    scores = score_pairs(world.people, pr, world.tasks, tr, RULES)
    for p in np.flatnonzero(~scores.feasible)[:4]:
        person_id, task_id = int(world.people.ids[pr[p]]), int(world.tasks.ids[tr[p]])
        w = why_not(world.people, world.tasks, person_id, task_id, RULES)
        assert w.failures and w.relaxations
        covered = {c for r in w.relaxations for c in r.details.get("constraints", [r.constraint])}
        assert covered >= set(w.failures)
        for r in w.relaxations:
            assert r.text["fi"] and r.text["en"]

        assert _fits(world, person_id, task_id, w.relaxations), (w.failures, w.relaxations)
        for k in range(len(w.relaxations)):
            assert not _fits(world, person_id, task_id, w.relaxations[:k] + w.relaxations[k + 1 :])


def test_numbers_for_people_go_through_the_locale():
    from features.numbers import number

    assert number(42.5, "fi") == "42,5" and number(42.5, "en") == "42.5"
    assert number(12.0, "fi") == "12" and number(3.25, "fi", 2) == "3,25"
    assert number(1234.5, "fi") == "1\xa0234,5"


@given(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        # Halfway and near-halfway values, where the rounding rule shows.
        st.integers(-20_000, 20_000).map(lambda n: n / 1000 + 0.05),
        st.integers(-20_000, 20_000).map(lambda n: n / 100 + 0.005),
    ),
    st.sampled_from(["fi", "en"]),
    st.integers(0, 3),
)
def test_cached_numbers_read_exactly_as_babel_formats_them(value, lang, decimals):
    # number() rounds before its cache; the text must be what Babel gives for the raw value.
    from babel.numbers import format_decimal

    from features.numbers import number

    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    locale = "fi_FI" if lang == "fi" else "en_GB"
    assert number(value, lang, decimals) == format_decimal(value, pattern, locale=locale)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_worlds(max_people=4, max_tasks=6), st.sampled_from(["default", "tolerant"]))
def test_explaining_a_batch_says_for_each_pair_what_explaining_it_alone_says(world, which):
    # A ranked list is explained in one batch; rows of the batch must never mix.
    rules = default_ruleset()
    if which == "tolerant":
        hard = rules.hard.model_copy(update={"over_demand_tolerance": dict.fromkeys(
            rules.hard.over_demand_tolerance, 2)})  # fmt: skip
        rules = rules.model_copy(update={"hard": hard})
    person_rows, task_rows = all_pairs(world)
    scores = score_pairs(world.people, person_rows, world.tasks, task_rows, rules)
    order = np.random.default_rng(len(scores)).permutation(len(scores))
    batch = explain_all(world.people, world.tasks, scores, order)
    alone = [explain(world.people, world.tasks, scores, int(p)) for p in order]
    assert [e.to_dict() for e in batch] == [e.to_dict() for e in alone]
    assert [(e.person_id, e.task_id) for e in batch] == [
        (int(world.people.ids[person_rows[p]]), int(world.tasks.ids[task_rows[p]])) for p in order
    ]


# --- promises the mutation run found unguarded (tests/mutation.py) ---------------------------


def test_explanation_data_is_plain_json_with_every_field():
    """``to_dict`` is what ``dataclasses.asdict`` would give, as JSON reads it back: the
    adjustments, the limits and the person's hours under their own keys (kills
    ``matching.explain.xǁExplanationǁto_dict__mutmut_9`` and ``…__mutmut_18``)."""
    e = _explained(_dishwasher_world(hard=True))
    assert e.adjustments and e.limits  # both lists are exercised
    plain = json.loads(json.dumps(dataclasses.asdict(e)))
    assert e.to_dict() == plain
    del plain["comparison"]
    assert e.to_dict(with_comparison=False) == plain


def test_a_pair_that_does_not_fit_still_says_what_to_assess():
    """An infeasible pair (too many hours) with a demanded characteristic unrated for the person
    names it to assess; only a *feasible* pair's headline says it instead (kills
    ``matching.explain.x__sentences__mutmut_130``)."""
    world = _dishwasher_world()
    world.people.hours_max[0] = 2
    world.people.capacity[0, characteristic_index("walking")] = np.nan
    e = _explained(world)
    assert e.failures == ["hours"] and e.to_assess == ["walking"] and not e.assessed
    assert "To be assessed: Walking" in e.sentences["en"]
    assert "Arvioitava: Kävely" in e.sentences["fi"]


def test_slots_the_person_is_not_free_for_are_written_in_the_readers_language():
    """Kills ``matching.explain.x__failure_sentences__mutmut_158`` (slots in no language)."""
    world = _dishwasher_world()
    world.people.schedule[0] = 0  # free for no slot
    e = _explained(world)
    assert e.failures == ["schedule"]
    assert e.sentences["fi"][1] == "Henkilö ei ole käytettävissä: ma-aamu, ti-aamu."
    assert e.sentences["en"][1] == "The person is not free for: mon-morning, tue-morning."


def test_a_restriction_against_an_unrated_demand_is_said_when_the_rules_exclude_it():
    """Kills ``matching.explain.x__failure_sentences__mutmut_209`` (limit_unchecked unsaid)."""
    world = _dishwasher_world(hard=True, unrated=("standing",))
    hard = RULES.hard.model_copy(update={"unchecked_limits": UncheckedLimitPolicy.EXCLUDE})
    rules = RULES.model_copy(update={"hard": hard})
    s = score_pairs(world.people, np.array([0]), world.tasks, np.array([0]), rules)
    e = explain(world.people, world.tasks, s, 0)
    assert e.failures == ["limit_unchecked"]
    assert e.sentences["en"][:2] == [
        "Does not fit:",
        "Physician's restriction (Standing): the task's demand is not rated.",
    ]
    assert (
        e.sentences["fi"][1]
        == "Lääkärin rajoitus (Seisominen): tehtävän vaatimusta ei ole arvioitu."
    )


def test_why_not_a_far_workplace_gives_the_distance_and_the_limit():
    """Kills ``matching.whynot.x__relax__mutmut_293`` (the limit's key)."""
    near = _dishwasher_world()
    north = near.people_frame.assign(lat=near.people_frame["lat"] + 1.0)  # about 111 km
    world = featurize(north, near.task_frame)
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    assert w.failures == ["distance"]
    (r,) = w.relaxations
    km = w.explanation.distance_km
    assert km > 100
    assert (r.change, r.who, r.details) == (
        "closer_workplace",
        "employer",
        {"km": km, "max_km": 40.0},
    )


def test_why_not_relaxations_name_who_and_what_in_each_language():
    """The employer is asked to accept the stool; a redesign names the characteristic in English
    as in Finnish (kills ``matching.whynot.x__accept__mutmut_3`` and
    ``matching.whynot.x__name__mutmut_1``)."""
    world = _dishwasher_world(hard=True, accepted=("job_coach_first_weeks",))
    (accept,) = why_not(world.people, world.tasks, 1, 1, RULES).relaxations
    assert (accept.change, accept.who) == ("accept_adjustments", "employer")
    van = _dishwasher_world(hard=True, accepted=(), kind_override="delivery_driving")
    (redesign,) = why_not(van.people, van.tasks, 1, 1, RULES).relaxations
    assert redesign.text["en"].startswith("The task redesigned: Standing at most rarely")
    assert redesign.text["fi"].startswith("Tehtävä muotoillaan uudelleen: Seisominen enintään")


def test_a_load_over_a_coordinators_kilogram_limit_is_lightened_under_kilograms():
    """A person at level 0 everywhere (lifting and carrying aside) against a task demanding 1
    everywhere and 20 kg lifting: more cheap adjustments help than why-not tries at once (14),
    the lifting aid is left out and no set closes it all, so the load is lightened — under the
    constraint ``kilograms``, the person's limit being no physician's (kills
    ``matching.whynot.x__close_demands__mutmut_228``, in that fallback)."""
    capacities = {cid: rating(0) for cid in CHARACTERISTIC_IDS}
    capacities |= {"lifting": rating(4, kg=12), "carrying": rating(4)}
    world = _world([profile("JS-KILO1", capacities)], [_task(kilograms={"lifting": 20})])
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    (lighter,) = [r for r in w.relaxations if r.change == "lighter_loads"]
    assert (lighter.constraint, lighter.who, lighter.details) == (
        "kilograms",
        "employer",
        {"characteristic": "lifting", "to": 12.0},
    )
    assert lighter.text["en"] == "Lighter loads: Lifting at most 12 kg."


def test_a_demand_over_the_persons_level_is_told_in_the_readers_language():
    """Kills ``matching.explain.x__failure_sentences__mutmut_53`` (the task's level written in
    no language, whatever the page's): an over-demand and a physician's restriction the
    accepted adjustments do not close say what the task needs, and what the person manages, in
    the page's language — both levels."""
    over = _explained(_dishwasher_world(accepted=()))
    assert over.failures == ["over_demand"]
    assert over.sentences["en"][1] == (
        "Standing is limited: the task needs frequently (a third to two thirds of the shift); "
        "the person manages rarely (under 5 per cent of the shift); the adjustments the "
        "employer accepts do not close it."
    )
    assert over.sentences["fi"][1] == (
        "Seisominen: tehtävässä usein (kolmanneksesta kahteen kolmannekseen työajasta), "
        "henkilölle sopii harvoin (alle 5 % työajasta); työnantajan hyväksymät mukautukset "
        "eivät riitä."
    )
    restricted = _explained(_dishwasher_world(accepted=(), hard=True))
    assert restricted.failures == ["hard_limit"]
    assert restricted.sentences["en"][1] == (
        "Physician's restriction (Standing): the task needs frequently (a third to two thirds "
        "of the shift), the limit is rarely (under 5 per cent of the shift); the adjustments "
        "the employer accepts that change the work do not bring it within."
    )
    assert restricted.sentences["fi"][1] == (
        "Lääkärin rajoitus, Seisominen: tehtävässä usein (kolmanneksesta kahteen kolmannekseen "
        "työajasta), raja harvoin (alle 5 % työajasta); työnantajan hyväksymät, työtä "
        "muuttavat mukautukset eivät riitä."
    )


@pytest.mark.parametrize("hard", [True, False])
def test_a_load_over_the_persons_kilograms_is_told_in_kilograms(hard: bool):
    """A load of 20 kg against a person who manages 12 (no lifting aid accepted) is told in
    kilograms, whether the limit is a physician's (``hard_limit``) or a coordinator's
    (``kilograms``). Kills ``matching.explain.x__failure_sentences__mutmut_86`` (under a
    physician's restriction the kilogram sentence left out: the page then says only "Does not
    fit:")."""
    person = profile("JS-KILO4", ABLE | {"lifting": rating(4, kg=12, hard=hard)})
    e = _explained(_world([person], [_task(kilograms={"lifting": 20})]))
    assert e.failures == ["hard_limit" if hard else "kilograms"]
    assert e.sentences["en"][:2] == [
        "Does not fit:",
        "Lifting: loads of 20 kg; the person manages 12 kg.",
    ]
    assert e.sentences["fi"][:2] == [
        "Ei sovi:",
        "Nostaminen: kuormat 20 kg, henkilölle sopii 12 kg.",
    ]


def test_why_not_moves_the_slots_and_says_which_accepted_adjustment_then_applies():
    """An evening-and-night task whose irregular hours the person never manages (0 against 3),
    the employer accepting "day shifts only" — which cannot apply without a day shift — and a
    person free only in the afternoons: one change closes both failures. The slots move to the
    afternoons, and that move is said to make the accepted adjustment apply (it closes the
    over-demand too); made, the pair fits. Kills ``matching.whynot.x__schedule_after__mutmut_4``
    (the task's shifts after the move not worked out), the ``_enables`` sentence and details
    (the move's ``constraints`` and ``enables``, the adjustment named in the page's language)
    and ``matching.whynot.x_apply_relaxations__mutmut_130`` (the move not made)."""
    person = profile("JS-NIGHT2", ABLE | {"irregular_hours": rating(0)},
                     schedule=["mon-afternoon", "tue-afternoon"])  # fmt: skip
    task = _task(demands={"irregular_hours": 3}, schedule=("mon-evening", "tue-night"),
                 accepted=("day_shifts_only",))  # fmt: skip
    world = _world([person], [task])
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    assert w.failures == ["over_demand", "schedule"]
    (move,) = w.relaxations
    assert (move.constraint, move.change, move.who) == ("schedule", "move_slots", "employer")
    assert move.details == {
        "from": ["mon-evening", "tue-night"],
        "to_any_of": ["mon-afternoon", "tue-afternoon"],
        "constraints": ["schedule", "over_demand"],
        "enables": ["day_shifts_only"],
    }
    assert move.text["en"] == (
        "Slots mon-evening, tue-night moved to times the person is free: mon-afternoon, "
        "tue-afternoon. Then an adjustment the employer already accepts applies: Day shifts only."
    )
    assert move.text["fi"] == (
        "Vuorot ma-ilta, ti-yö siirretään aikaan, jolloin henkilö on käytettävissä: "
        "ma-iltapäivä, ti-iltapäivä. Silloin työnantajan jo hyväksymä mukautus soveltuu: Vain "
        "päivävuorot."
    )
    assert _fits(world, 1, 1, w.relaxations)


def test_why_not_answers_for_the_task_asked_about_among_several():
    """Two tasks, 5 and 16 hours a week, for a person who works at most 10: why-not for the
    second cuts *its* hours (now 16). Kills ``matching.whynot.x_why_not__mutmut_35`` (the
    failures other than demands relaxed for no task in particular, which a one-task world
    cannot tell from the task asked about)."""
    world = _world([profile("JS-HOURS1", ABLE, hours=(5, 10))],
                   [_task(hours=5.0), _task(hours=16.0)])  # fmt: skip
    w = why_not(world.people, world.tasks, 1, 2, RULES)
    assert (w.task_id, w.failures) == (2, ["hours"])
    (cut,) = w.relaxations
    assert (cut.change, cut.who, cut.details) == ("fewer_hours", "employer", {"to": 10.0})
    assert cut.text["en"] == "The task cut to at most 10 hours a week (now 16 h)."
    assert cut.text["fi"] == "Tehtävä enintään 10 tuntiin viikossa (nyt 16 h)."
    assert _fits(world, 1, 2, w.relaxations)


def test_why_not_asks_the_employer_to_rate_a_restricted_demand_in_the_readers_language():
    """A physician's restriction on standing against a task whose standing is not rated, under
    rules that exclude such a pair: the employer is asked to rate it, the characteristic named
    in each page's language. Kills ``matching.whynot.x__relax__mutmut_350`` (named in no
    language)."""
    person = profile("JS-UNCHK1", ABLE | {"standing": rating(1, hard=True)})
    world = _world([person], [_task(unrated=("standing",))])
    hard = RULES.hard.model_copy(update={"unchecked_limits": UncheckedLimitPolicy.EXCLUDE})
    w = why_not(world.people, world.tasks, 1, 1, RULES.model_copy(update={"hard": hard}))
    assert w.failures == ["limit_unchecked"]
    (rate,) = w.relaxations
    assert (rate.change, rate.who, rate.details) == (
        "rate_demand",
        "employer",
        {"characteristics": ["standing"]},
    )
    assert (
        rate.text["en"]
        == "The employer rates the task's demand: Standing (a physician's restriction)."
    )
    assert (
        rate.text["fi"] == "Työnantaja arvioi tehtävän vaatimuksen: Seisominen (lääkärin rajoitus)."
    )


@pytest.mark.parametrize("hard", [True, False])
def test_why_not_lightens_a_load_no_aid_can_bring_within_under_its_own_constraint(hard: bool):
    """20 kg against a person who manages 3: the lifting aid the employer accepts still leaves
    10 kg, so no adjustment can close it and the loads are lightened to 3 kg — under the
    physician's restriction (``hard_limit``) when the limit is a physician's, under
    ``kilograms`` when it is a coordinator's. Kills ``matching.whynot.x__close_demands__mutmut_129``
    (the lightening tied to no constraint)."""
    person = profile("JS-KILO5", ABLE | {"lifting": rating(4, kg=3, hard=hard)})
    world = _world([person], [_task(kilograms={"lifting": 20}, accepted=("lifting_aid",))])
    w = why_not(world.people, world.tasks, 1, 1, RULES)
    constraint = "hard_limit" if hard else "kilograms"
    assert w.failures == [constraint]
    (lighter,) = w.relaxations
    assert (lighter.constraint, lighter.change, lighter.details) == (
        constraint,
        "lighter_loads",
        {"characteristic": "lifting", "to": 3.0},
    )
    assert lighter.text["en"] == "Lighter loads: Lifting at most 3 kg."
    assert lighter.text["fi"] == "Kevyemmät kuormat: Nostaminen enintään 3 kg."
    assert _fits(world, 1, 1, w.relaxations)
