"""The evaluator's own acceptance test: orderings that are worse by construction must be
reported worse.

An evaluation that can call a worse rule set better cannot be trusted with a decision. Each
case below changes the default in a way that, in the demo world whose outcomes follow the true
fit, can only hurt: constraints relaxed, a signal the outcomes depend on ignored, the rules'
order reversed or shuffled. The suite replays each against the default on the same history and
says which metrics caught it — a hit rate or MRR whose paired interval lies below zero, or a
guardrail finding (:func:`matching.evaluation.guardrail_findings`) — and, over several demo
seeds, each metric's power: on how many (case, seed) runs it caught the worse ordering.

Pure computation over a world's tables and its match index; building the worlds is the
caller's (``tasma evaluate --acceptance``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from matching.evaluation import (
    GUARDRAILS,
    Replay,
    Verdict,
    compare,
    evaluate,
    guardrail_findings,
    judge_reranker,
    replay,
    target_positions,
)
from matching.index import MatchIndex, PeopleMatrix, TaskMatrix
from matching.offpolicy import estimate, first_place, snips_difference
from matching.rankers import RuleRanker, TaskFilters, TaskRanker
from matching.ranking import MAX_K, Ranked, reordered
from matching.reranker import fit_held_out, training_data
from matching.rules import RuleSet

__all__ = [
    "CASES",
    "Case",
    "ReorderedRanker",
    "Truth",
    "acceptance_run",
    "off_policy_cases",
    "oracle_case",
    "power",
    "reranker_validation",
    "simulated_exploration",
]

_ANYWHERE = TaskFilters()


@dataclass(frozen=True)
class ReorderedRanker:
    """The rules decide what is feasible; ``order`` reorders their ``MAX_K`` best (a
    permutation of their positions, given the task ids and the person's id) before the cut
    to k."""

    rules: RuleSet
    order: Callable[[np.ndarray, int], np.ndarray]
    name: str

    @property
    def model_version(self) -> str | None:
        return self.name

    def tasks_for_person(
        self,
        people: PeopleMatrix,
        tasks: TaskMatrix,
        person_id: int,
        k: int,
        filters: TaskFilters = _ANYWHERE,
    ) -> Ranked:
        pool = RuleRanker(self.rules).tasks_for_person(people, tasks, person_id, MAX_K, filters)
        return reordered(pool, self.order(pool.ids, person_id)[:k])


def _reversed(task_ids: np.ndarray, _person_id: int) -> np.ndarray:
    return np.arange(len(task_ids))[::-1]


def _shuffled(task_ids: np.ndarray, person_id: int) -> np.ndarray:
    # Seeded by the person: the same list on every replay, as a fixed ranking would give.
    return np.random.default_rng([7, person_id]).permutation(len(task_ids))


Truth = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""A world's true chance of success of (person ids, task ids) pairs
(:func:`features.demo.truth.true_success`)."""


def oracle_case(truth: Truth) -> Case:
    """Better by construction: the feasible tasks in the order of their true chance of success
    (the rules' order among equals) — what an evaluation must be able to call better."""

    def by_truth(task_ids: np.ndarray, person_id: int) -> np.ndarray:
        chance = truth(np.full(len(task_ids), person_id), task_ids)
        return np.lexsort((np.arange(len(task_ids)), -chance))

    return Case("ordered_by_the_truth", "better",
                lambda r: ReorderedRanker(r, by_truth, "oracle"))  # fmt: skip


def _relaxed(rules: RuleSet) -> RuleSet:
    tolerance = dict.fromkeys(rules.hard.over_demand_tolerance, 2)
    return rules.model_copy(update={
        "version": "acceptance-relaxed",
        "hard": rules.hard.model_copy(update={"over_demand_tolerance": tolerance}),
    })  # fmt: skip


def _weights(rules: RuleSet, **weights: float) -> RuleSet:
    return rules.model_copy(update={
        "version": "acceptance-" + "-".join(weights),
        "weights": rules.weights.model_copy(update=weights),
    })  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    expected: str
    """"worse": every case here is worse than the default by construction."""
    ranker: Callable[[RuleSet], TaskRanker]
    rules: Callable[[RuleSet], RuleSet] = lambda rules: rules


CASES: tuple[Case, ...] = (
    Case("tolerances_relaxed", "worse", lambda r: RuleRanker(_relaxed(r)), _relaxed),
    Case("interests_ignored", "worse", lambda r: RuleRanker(_weights(r, interests=0.0)),
         lambda r: _weights(r, interests=0.0)),
    Case("distance_ignored", "worse", lambda r: RuleRanker(_weights(r, distance=0.0)),
         lambda r: _weights(r, distance=0.0)),
    Case("order_reversed", "worse", lambda r: ReorderedRanker(r, _reversed, "reversed")),
    Case("random_order", "worse", lambda r: ReorderedRanker(r, _shuffled, "shuffled")),
)  # fmt: skip


def _caught_by(comparison: dict[str, dict[str, float]], k: int, expected: str) -> list[str]:
    """The metrics that say B differs from A in the ``expected`` direction beyond doubt."""
    if expected == "better":
        return [
            name for name in (f"hit_rate@{k}", "mrr")
            if (row := comparison.get(name)) and row.get("ci_low") is not None and row["ci_low"] > 0
        ]  # fmt: skip
    ranking = [
        name for name in (f"hit_rate@{k}", "mrr")
        if (row := comparison.get(name)) and row.get("ci_high") is not None and row["ci_high"] < 0
    ]  # fmt: skip
    return ranking + [str(f["metric"]) for f in guardrail_findings(comparison)]


def _true_chance(result: Replay, truth: Truth) -> dict[str, float]:
    """The mean true chance of success of the first suggestion, and of all the top k."""
    top = result.suggested
    chance = truth(top["person_id"].to_numpy(), top["task_id"].to_numpy())
    first = top["position"].to_numpy() == 1
    return {"first": float(chance[first].mean()), "top_k": float(chance.mean())}


def acceptance_run(
    index: MatchIndex,
    tables: dict[str, pd.DataFrame],
    rules: RuleSet,
    as_of: date,
    *,
    k: int = 10,
    coverage_sample: int = 300,
    task_sample: int = 30,
    cases: tuple[Case, ...] = CASES,
    truth: Truth | None = None,
) -> list[dict[str, Any]]:
    """Every case against ``rules`` on one world: which metrics caught it, with each metric's
    difference B − A and its interval — and, given the world's ``truth``, the true mean chance
    of success of each side's suggestions, the referee no recorded history can be."""
    options: dict[str, Any] = {"k": k, "coverage_sample": coverage_sample,
                               "task_sample": task_sample}  # fmt: skip
    demographics = tables["jobseeker_demographics"]
    base_result = replay(index, rules, tables, **options)
    base = evaluate(base_result, demographics, as_of)
    out = []
    for case in cases:
        variant = case.rules(rules)
        result = replay(index, variant, tables, ranker=case.ranker(rules), **options)
        comparison = compare(base, evaluate(result, demographics, as_of))
        shown = (f"hit_rate@{k}", "mrr", *GUARDRAILS)
        caught_by = _caught_by(comparison, k, case.expected)
        true = (
            {"a": _true_chance(base_result, truth), "b": _true_chance(result, truth)}
            if truth is not None else None
        )  # fmt: skip
        out.append({
            "truth": true,
            "name": case.name,
            "expected": case.expected,
            "caught": bool(caught_by),
            "caught_by": caught_by,
            "metrics": {name: {key: comparison[name].get(key)
                               for key in ("a", "b", "diff", "ci_low", "ci_high")}
                        for name in shown if name in comparison},
        })  # fmt: skip
    return out


def power(runs: list[list[dict[str, Any]]], k: int = 10) -> dict[str, float]:
    """Per metric, the share of (case, seed) runs in which it caught the worse ordering."""
    flat = [case for run in runs for case in run]
    names = (f"hit_rate@{k}", "mrr", *GUARDRAILS)
    return {
        name: sum(name in c["caught_by"] for c in flat) / len(flat) if flat else 0.0
        for name in names
    }


def reranker_validation(
    index: MatchIndex,
    tables: dict[str, pd.DataFrame],
    rules: RuleSet,
    as_of: date,
    truth: Truth,
    *,
    k: int = 10,
    coverage_sample: int = 300,
    task_sample: int = 30,
) -> dict[str, Any]:
    """The re-ranker as ``tasma train`` would make it, judged twice on its held-out
    proposals: by the evaluator (its verdict, Brier score included) and by the world's truth
    (the mean true chance of success of its top k against the rules'). ``agrees`` says whether
    the evaluator's verdict points the way the truth does (None when it says "no clear
    difference", which is no claim either way)."""
    data = training_data(
        index.people, index.tasks, rules,
        tables["proposal"], tables["proposal_task"], tables["outcome_event"],
    )  # fmt: skip
    held = fit_held_out(data, version="acceptance")
    if held is None:
        return {"trained": False, "rows": len(data.y)}
    judged = judge_reranker(index, rules, tables, held, as_of, k=k,
                            coverage_sample=coverage_sample, task_sample=task_sample)  # fmt: skip
    a, b = _true_chance(judged.by_rules, truth), _true_chance(judged.by_model, truth)
    truly = Verdict.BETTER if b["top_k"] > a["top_k"] else Verdict.WORSE
    return {
        "trained": True,
        "rows": len(data.y),
        "left_out_not_allowed_by_rules": data.not_allowed,
        "brier": held.brier,
        "base_rate_brier": held.base_rate_brier,
        "verdict": judged.verdict.value,
        "truth": {"a": a, "b": b},
        "truly": truly.value,
        "agrees": None if judged.verdict is Verdict.UNCLEAR else judged.verdict is truly,
    }


def simulated_exploration(
    index: MatchIndex,
    rules: RuleSet,
    truth: Truth,
    *,
    share: float = 0.3,
    among: int = 5,
    days: int = 4,
    seed: int = 0,
) -> pd.DataFrame:
    """Lists logged as the service would log them with ``exploration`` on — every matchable
    person's list on ``days`` days, its first place drawn — and, as the reward, whether
    proposing the task shown first would have succeeded, drawn from the world's truth: the
    log a real exploration would leave, in the columns of
    ``api.jobs.evaluation.read_logged_lists``."""
    people, tasks = index.people, index.tasks
    ranker = RuleRanker(rules)
    rng = np.random.default_rng(seed)
    fingerprint = int(rules.fingerprint(), 16) % 2**32
    rows: list[tuple[Any, ...]] = []
    for person_id in people.ids[people.matchable]:
        ranked = ranker.tasks_for_person(people, tasks, int(person_id), among)
        if len(ranked.ids) < 2:
            continue
        for day in range(days):
            day_seed = (fingerprint, int(person_id), date.fromordinal(730_000 + day))
            shown = first_place(ranked.pairs.first_tier, share, among, day_seed)
            band = [int(t) for t in ranked.ids[: shown.among]]
            task = band[shown.position]
            chance = float(truth(np.array([person_id]), np.array([task]))[0])
            rows.append((len(rows) + 1, int(person_id), None, band, shown.position,
                         shown.propensity, shown.among, int(rng.random() < chance)))  # fmt: skip
    return pd.DataFrame(rows, columns=["list_id", "person_id", "at", "band", "logged_position",
                                       "propensity", "among", "reward"])  # fmt: skip


def off_policy_cases(
    index: MatchIndex,
    rules: RuleSet,
    truth: Truth,
    logged: pd.DataFrame,
    cases: tuple[Case, ...],
) -> list[dict[str, Any]]:
    """Each case's ordering judged on the simulated log against the rules' own (SNIPS, B − A
    with a paired interval), beside the truth: the mean true chance of success of each one's
    first choice over the logged people."""
    columns = (logged["reward"].to_numpy(float), logged["propensity"].to_numpy(float),
               logged["logged_position"].to_numpy(np.int64))  # fmt: skip
    base = target_positions(index, RuleRanker(rules), logged)
    people = logged.drop_duplicates("person_id")["person_id"].to_numpy()

    def true_first(ranker: TaskRanker) -> float:
        firsts = []
        for person_id in people:
            ranked = ranker.tasks_for_person(index.people, index.tasks, int(person_id), 1)
            if len(ranked.ids):
                firsts.append((int(person_id), int(ranked.ids[0])))
        if not firsts:
            return math.nan
        who, what = np.array(firsts).T
        return float(truth(who, what).mean())

    truth_a = true_first(RuleRanker(rules))
    out = []
    for case in cases:
        ranker = case.ranker(rules)
        positions = target_positions(index, ranker, logged)
        difference = snips_difference(*columns, base, positions)
        judged = estimate(*columns, positions, logged["among"].to_numpy(np.int64))
        expected_sign = 1 if case.expected == "better" else -1
        bound = difference["ci_low"] if expected_sign > 0 else -difference["ci_high"]
        out.append({
            "name": case.name, "expected": case.expected,
            "caught": bool(bound > 0),
            "snips_difference": difference,
            "support": judged["support"],
            "effective_sample_size": judged["effective_sample_size"],
            "truth_first": {"a": truth_a, "b": true_first(ranker)},
        })  # fmt: skip
    return out
