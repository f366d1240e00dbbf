"""The acceptance suite's pieces (matching/acceptance.py) on the tiny demo world: what
``tasma rules acceptance`` runs on small worlds, checked here in a fraction of a second so that
the mutation run reaches them."""

from __future__ import annotations

import numpy as np
import pytest

from features.demo import AS_OF, World, build_world
from features.demo.truth import FitContext, true_success
from matching.acceptance import (
    CASES,
    Truth,
    off_policy_cases,
    reranker_validation,
    simulated_exploration,
)
from matching.evaluation import target_positions
from matching.index import MatchIndex
from matching.offpolicy import estimate
from matching.rankers import RuleRanker
from matching.rules import default_ruleset

RULES = default_ruleset()


@pytest.fixture(scope="module")
def world() -> tuple[World, MatchIndex, Truth]:
    world = build_world("tiny", seed=11)
    context = FitContext.of(world.employers, world.people)

    def truth(people: np.ndarray, tasks: np.ndarray) -> np.ndarray:
        return true_success(context, people, tasks)

    return world, MatchIndex.from_tables(world.tables), truth


def test_a_reranker_without_enough_outcomes_is_not_trained(world) -> None:
    """The tiny world has no graded proposal to learn from: nothing is trained, and it says so
    (kills ``matching.acceptance.x_reranker_validation__mutmut_27``, the held-out fit called
    without its version)."""
    demo, index, truth = world
    assert reranker_validation(index, demo.tables, RULES, AS_OF, truth, k=3) == {
        "trained": False,
        "rows": 0,
    }


def test_off_policy_cases_report_the_estimate_and_the_truth_of_each_first_choice(world) -> None:
    """Each case's support and effective sample size are the estimator's on the log, and the
    truth of the rules' first choices is the mean true chance of each logged person's first
    task (kills ``matching.acceptance.x_off_policy_cases__mutmut_39`` and ``…__mutmut_71``)."""
    demo, index, truth = world
    log = simulated_exploration(index, RULES, truth, days=2)
    assert len(log) > 0
    case = CASES[0]
    (out,) = off_policy_cases(index, RULES, truth, log, (case,))
    people = log.drop_duplicates("person_id")["person_id"].to_numpy()
    rules_first = [
        int(RuleRanker(RULES).tasks_for_person(index.people, index.tasks, int(p), 1).ids[0])
        for p in people
    ]
    assert out["truth_first"]["a"] == pytest.approx(
        float(truth(people, np.array(rules_first)).mean())
    )
    columns = (
        log["reward"].to_numpy(float),
        log["propensity"].to_numpy(float),
        log["logged_position"].to_numpy(np.int64),
    )
    positions = target_positions(index, case.ranker(RULES), log)
    judged = estimate(*columns, positions, log["among"].to_numpy(np.int64))
    assert (out["name"], out["expected"]) == (case.name, case.expected)
    assert out["support"] == judged["support"]
    assert out["effective_sample_size"] == judged["effective_sample_size"]


def test_better_is_caught_only_when_the_whole_interval_is_above_zero() -> None:
    """An interval that touches zero cannot tell better from equal (matching.acceptance)."""
    from matching.acceptance import _caught_by

    touching = {"hit_rate@10": {"ci_low": 0.0, "ci_high": 0.1}, "mrr": {"ci_low": 0.01}}
    assert _caught_by(touching, 10, "better") == ["mrr"]
    below = {"hit_rate@10": {"ci_low": -0.1, "ci_high": 0.0}, "mrr": {"ci_high": -0.01}}
    assert _caught_by(below, 10, "worse")[:1] == ["mrr"]
