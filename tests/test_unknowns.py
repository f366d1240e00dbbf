"""Unknown is never fit: what is not known about a person (or a task) never outranks a
known fit, never reads "Sopii", and learning more about a person never lowers their score —
properties over random worlds, each with an unassessed and a half-assessed profile added."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.catalogue import CHARACTERISTIC_IDS
from features.pipeline.frames import people_frame_from_profiles
from matching.explain import explain
from matching.ranking import MAX_K, rank_people_for_tasks
from matching.rules import default_ruleset
from matching.scoring import score_pairs
from tests.worlds import SmallWorld, featurize, profile, rating, small_worlds

RULES = default_ruleset()
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EMPTY, HALF = "JS-EMPTY0", "JS-HALF00"


def _with_thin_profiles(world: SmallWorld) -> SmallWorld:
    """The world plus a profile with consent and no ratings, and one rated on every other
    characteristic (all at the top)."""
    half = {cid: rating(4) for cid in CHARACTERISTIC_IDS[::2]}
    extra = people_frame_from_profiles([profile(EMPTY, {}), profile(HALF, half)])
    people = pd.concat([world.people_frame, extra], ignore_index=True)
    people["id"] = np.arange(1, len(people) + 1)
    return featurize(people, world.task_frame)


@SLOW
@given(small_worlds(max_people=5, max_tasks=4))
def test_an_unassessed_or_half_assessed_profile_never_outranks_an_assessed_fit(world):
    world = _with_thin_profiles(world)
    people, tasks = world.people, world.tasks
    thin = {int(people.ids[people.codes == c][0]) for c in (EMPTY, HALF)}
    for task_id in tasks.ids:
        ranked = rank_people_for_tasks(people, tasks, [int(task_id)], RULES, MAX_K)
        assessed = ranked.pairs.assessed.tolist()
        # Once the list reaches people with something to assess, no assessed one follows.
        assert assessed == sorted(assessed, reverse=True)
        for position, person_id in enumerate(ranked.ids):
            if int(person_id) in thin:
                assert not assessed[position]
                e = explain(people, tasks, ranked.pairs, position)
                assert not e.sentences["fi"][0].startswith("Sopii")
                assert not e.sentences["en"][0].startswith("Fits")


@SLOW
@given(small_worlds(max_people=3, max_tasks=4), st.data())
def test_rating_a_capacity_the_task_needs_never_lowers_the_score(world, data):
    people, tasks = world.people, world.tasks
    n, m = len(people), len(tasks)
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, m - 1))
    open_ = np.flatnonzero(np.isnan(people.capacity[i]) & (tasks.demand[j] > 0))
    if not len(open_):
        return
    cid = CHARACTERISTIC_IDS[int(data.draw(st.sampled_from(open_.tolist())))]
    before = score_pairs(people, np.array([i]), tasks, np.array([j]), RULES)
    frame = world.people_frame.copy()
    frame.loc[i, f"cap:{cid}"] = 4.0
    after_world = featurize(frame, world.task_frame)
    after = score_pairs(after_world.people, np.array([i]), after_world.tasks, np.array([j]), RULES)
    assert after.unknown[0].sum() == before.unknown[0].sum() - 1
    assert after.assessed[0] >= before.assessed[0]
    if before.feasible[0]:
        assert after.feasible[0] and after.total[0] > before.total[0]
