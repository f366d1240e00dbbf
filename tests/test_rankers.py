"""The contract every task ranker keeps, written once and run for each implementation (the
rules alone, and the rules with the learned re-ranker): at most k tasks, every one feasible
under the rules and among the rules' feasible set, the asking user's filters respected,
nothing for a person who may not be matched, the same answer twice."""

from __future__ import annotations

import numpy as np
import pytest

from matching.rankers import LearnedRanker, RuleRanker, TaskFilters, TaskRanker, task_ranker
from matching.ranking import MAX_K
from matching.rules import default_ruleset
from matching.scoring import score_pairs

RULES = default_ruleset()


@pytest.fixture(params=["rules", "learned"])
def ranker(request, trained) -> TaskRanker:
    _, _, model, _ = trained
    return RuleRanker(RULES) if request.param == "rules" else LearnedRanker(RULES, model)


def _people(index, n: int = 25) -> list[int]:
    return [int(p) for p in index.people.ids[index.people.matchable][:n]]


def test_at_most_k_tasks_each_feasible_under_the_rules(ranker, trained):
    _, index, _, _ = trained
    people, tasks = index.people, index.tasks
    for person_id in _people(index):
        everything = RuleRanker(RULES).tasks_for_person(people, tasks, person_id, MAX_K)
        for k in (1, 5, 20):
            ranked = ranker.tasks_for_person(people, tasks, person_id, k)
            assert len(ranked.ids) == min(k, len(everything.ids))
            assert set(ranked.ids.tolist()) <= set(everything.ids.tolist())
            rows = np.array([tasks.row_of[int(t)] for t in ranked.ids], dtype=np.int64)
            person_rows = np.full(len(rows), people.row_of[person_id])
            assert score_pairs(people, person_rows, tasks, rows, RULES).feasible.all()
            assert len(set(ranked.ids.tolist())) == len(ranked.ids)


def test_filters_are_respected(ranker, trained):
    _, index, _, _ = trained
    people, tasks = index.people, index.tasks
    for person_id in _people(index, 10):
        broad = ranker.tasks_for_person(people, tasks, person_id, 20)
        if not len(broad.ids):
            continue
        employer = int(tasks.employer_ids[tasks.row_of[int(broad.ids[-1])]])
        narrow = ranker.tasks_for_person(
            people, tasks, person_id, 20, TaskFilters(employer_ids=[employer])
        )
        assert len(narrow.ids) >= 1
        assert {int(tasks.employer_ids[tasks.row_of[int(t)]]) for t in narrow.ids} == {employer}


def test_nobody_who_may_not_be_matched_gets_tasks(ranker, trained):
    _, index, _, _ = trained
    people = index.people
    for person_id in people.ids[~people.matchable][:10]:
        assert len(ranker.tasks_for_person(people, index.tasks, int(person_id), 20).ids) == 0


def test_the_same_question_gets_the_same_answer(ranker, trained):
    _, index, _, _ = trained
    for person_id in _people(index, 10):
        a = ranker.tasks_for_person(index.people, index.tasks, person_id, 10)
        b = ranker.tasks_for_person(index.people, index.tasks, person_id, 10)
        assert a.ids.tolist() == b.ids.tolist()


def test_the_service_uses_the_learned_ranker_only_when_a_model_is_active(trained):
    _, _, model, _ = trained
    assert task_ranker(RULES, None).model_version is None
    assert task_ranker(RULES, model).model_version == model.version


def test_the_learned_ranker_reorders_rather_than_repeats_the_rules(trained):
    _, index, model, _ = trained
    learned, rules = LearnedRanker(RULES, model), RuleRanker(RULES)
    differs = [
        learned.tasks_for_person(index.people, index.tasks, p, 10).ids.tolist()
        != rules.tasks_for_person(index.people, index.tasks, p, 10).ids.tolist()
        for p in _people(index)
    ]
    assert any(differs)
