"""Offline evaluation: replay the recorded proposals under a rule set and measure what it
would have suggested — against the outcomes, for coverage and variety, and for fairness.

Pure: takes the match index and the history tables (``proposal``, ``proposal_task``,
``outcome_event``, ``demographics``) as DataFrames, from storage or from a demo world.
Demographics are joined **after** ranking, for the report only; nothing here passes them to
the scorer (and the index has no such columns: a test holds it).

Given the stored history of profiles and tasks (:class:`History`), each proposal is ranked on
the world as it was when it was made; without it, on the world as it is now. A proposal is a
hit at k when one of its tasks is within the person's top k.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from features.catalogue import ADJUSTMENTS
from features.catalogue.work import SECTORS
from matching import offpolicy
from matching.index import MatchIndex, PeopleMatrix, TaskMatrix
from matching.metrics import (
    bootstrap_difference,
    detectable_difference,
    hit_rate_at_k,
    mean_reciprocal_rank,
    ndcg_at_k,
    ndkl,
    percentile_interval,
    recall_at_k,
    skew_at_k,
)
from matching.outcomes import SUCCESS_GRADE, outcome_grades
from matching.rankers import TaskRanker, task_ranker
from matching.ranking import MAX_K, Ranked, feasible_people, rank_people_for_tasks
from matching.reranker import HeldOut, Reranker
from matching.rules import RuleSet

__all__ = [
    "GUARDRAILS",
    "Evaluation",
    "History",
    "compare",
    "evaluate",
    "guardrail_findings",
    "judge_reranker",
    "off_policy_report",
    "replay",
    "target_positions",
]

FAIRNESS_ATTRIBUTES = ("age_band", "gender", "mother_tongue")

T = TypeVar("T")


def _no_progress(items: Iterable[T], **_kwargs: Any) -> Iterable[T]:
    return items


CandidateRanker = Callable[[PeopleMatrix, TaskMatrix, Sequence[int], RuleSet, int], Ranked]
"""Who a task's top-k candidates are (:func:`matching.ranking.rank_people_for_tasks`; the
acceptance suite and its tests pass others, e.g. one with a hidden penalty on a group)."""

_COST_CLASS = np.array([int(a.cost_class) for a in ADJUSTMENTS.values()], dtype=np.int64)
"""Each adjustment's cost class (0 none … 3 high), in the scorer's adjustment order."""

SUGGESTION_GUARDRAILS = {
    "tolerated_share": "tolerated",
    "unassessed_share": "unassessed",
    "mean_adjustment_cost": "adjustment_cost",
}
GUARDRAILS = {
    **SUGGESTION_GUARDRAILS,
    "failed_in_top_k": "failed",
    "overrides_still_suggested": "overridden",
}
"""What a rule set's top-k suggestions rely on, per suggestion: over-demand it tolerates
(left after the adjustments), ratings still to assess, and the cost classes of the adjustments
it needs. Hit rates count only logged successes, so a rule set that relaxes its constraints
can look better by them; these say what it pays for that — and ``failed_in_top_k``, the share
of proposals that failed (declined, or ended before a hire) that it ranks within the top k, is
the negative signal the hit rate lacks; ``overrides_still_suggested``, the share of the tasks
coordinators left out of a list with a reason that it would still put in the top k, is the
other. A rise in any of them with an interval above zero is reported as a finding beside the
comparison."""


@dataclass
class Replay:
    """What a rule set would have suggested, as tables (one row per item)."""

    ruleset_version: str
    k: int
    proposals: pd.DataFrame
    """proposal_id, person_id, grade, rank (NaN: not among the person's top MAX_K)"""
    pairs: pd.DataFrame
    """proposal_id, person_id, task_id — the recorded proposals, one row per task"""
    suggested: pd.DataFrame
    """person_id, position, task_id, employer_id, sector, adjustments"""
    people: pd.DataFrame
    """person_id, n_feasible — every active, consenting person in the coverage sample"""
    candidates: pd.DataFrame
    """task_id, position, person_id — the top k people for each task in the task sample"""
    tasks_covered: pd.DataFrame
    """task_id, n_feasible — hand-over tasks in the task sample"""
    left_out: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["person_id", "task_id", "rank"])
    )
    """person_id, task_id, rank — tasks coordinators left out of a list with a reason, and
    where this rule set ranks them for the person (NaN: not in the top ``MAX_K``)"""
    feasible_candidates: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["task_id", "person_id"])
    )
    """task_id, person_id — every person the rules allow for each task in the task sample
    (the pool the candidate lists are taken from)"""
    as_of: bool = False
    """Each proposal ranked on the world of its day (else on the world as it is now)."""
    min_cell: int = 10
    """The rule set's ``fairness_min_cell``: smaller groups are suppressed in the report."""
    worlds: int = 1
    """How many different states of the world the proposals were ranked on."""


@dataclass(frozen=True)
class History:
    """The matcher's world as it was: it changed at ``changes`` (ascending, aware UTC), and
    ``index_at(t)`` gives the match index as it stood at ``t`` (from stored versions;
    ``api.storage.history``). Between two changes it stood still, so the proposals made
    between them share one index."""

    changes: Sequence[datetime]
    index_at: Callable[[datetime], MatchIndex | None]
    """None: nothing was recorded yet at that time (those proposals stay unranked)."""

    def epochs(self, times: pd.Series) -> np.ndarray:
        """The number of the still period each time falls in (0: before the first change)."""
        changes = pd.to_datetime(pd.Series(list(self.changes), dtype=object), utc=True)
        stamps = pd.to_datetime(times, utc=True)
        return np.searchsorted(
            changes.dt.tz_convert(None).to_numpy(), stamps.dt.tz_convert(None).to_numpy(), "right"
        )


def _aware(value: Any) -> datetime:
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()


_SuggestedRow = tuple[int, int, int, int, str, int, bool, bool, int]


def _rank_each(
    ranker: TaskRanker, index: MatchIndex, person_ids: Iterable[int], k: int
) -> tuple[dict[tuple[int, int], int], list[_SuggestedRow], dict[int, int]]:
    """Each person's ranked tasks on ``index``: (person, task) → rank, the top k as
    suggestion rows, and each person's number of feasible tasks."""
    people, tasks = index.people, index.tasks
    sector_names = np.array(SECTORS.ids, dtype=object)
    rank_of: dict[tuple[int, int], int] = {}
    suggested: list[_SuggestedRow] = []
    feasible_counts: dict[int, int] = {}
    for person_id in person_ids:
        if person_id not in people.row_of:  # not on the register at that time
            continue
        ranked = ranker.tasks_for_person(people, tasks, person_id, MAX_K)
        feasible_counts[person_id] = ranked.n_feasible
        for position, task_id in enumerate(ranked.ids, start=1):
            rank_of[(person_id, int(task_id))] = position
        rows = np.array([tasks.row_of[int(t)] for t in ranked.ids[:k]], dtype=np.int64)
        top = ranked.pairs
        suggested.extend(
            zip(
                [person_id] * len(rows),
                range(1, len(rows) + 1),
                tasks.ids[rows].tolist(),
                tasks.employer_ids[rows].tolist(),
                sector_names[tasks.sector[rows]].tolist(),
                top.chosen[:k].sum(axis=1).tolist(),
                (top.over_after[:k].max(axis=1, initial=0) > 0).tolist(),
                (~top.assessed[:k]).tolist(),
                (top.chosen[:k].astype(np.int64) @ _COST_CLASS).tolist(),
                strict=True,
            )
        )
    return rank_of, suggested, feasible_counts


def _worlds_of(
    index: MatchIndex, history: History | None, times: pd.Series
) -> Iterator[tuple[np.ndarray, MatchIndex]]:
    """The positions of ``times`` grouped by the still period they fall in, each with the
    world of that period (``index`` for all of them without a history); periods before
    anything was recorded are skipped."""
    if history is None:
        yield np.arange(len(times)), index
        return
    epochs = history.epochs(times)
    for epoch in np.unique(epochs):
        rows = np.flatnonzero(epochs == epoch)
        world = history.index_at(_aware(times.iloc[rows[0]]))
        if world is not None:
            yield rows, world


def _rank_left_out(
    ranker: TaskRanker,
    index: MatchIndex,
    left_out: pd.DataFrame | None,
    history: History | None,
) -> pd.DataFrame:
    """Where the ranker puts each task a coordinator left out (``person_id``, ``task_id``,
    ``at``) for that person — on the world of the day it was left out, given a history."""
    if left_out is None or not len(left_out):
        return pd.DataFrame(columns=["person_id", "task_id", "rank"])
    ranks = np.full(len(left_out), np.nan)
    for rows, world in _worlds_of(index, history, left_out["at"]):
        people = left_out["person_id"].iloc[rows].unique().tolist()
        rank_of, _, _ = _rank_each(ranker, world, [int(p) for p in people], 1)
        for row in rows:
            key = int(left_out["person_id"].iloc[row]), int(left_out["task_id"].iloc[row])
            ranks[row] = rank_of.get(key, np.nan)
    return left_out[["person_id", "task_id"]].assign(rank=ranks).reset_index(drop=True)


def replay(
    index: MatchIndex,
    rules: RuleSet,
    tables: dict[str, pd.DataFrame],
    *,
    k: int = 10,
    coverage_sample: int = 2000,
    task_sample: int = 300,
    seed: int = 0,
    progress: Callable[..., Iterable[Any]] = _no_progress,
    reranker: Reranker | None = None,
    ranker: TaskRanker | None = None,
    candidates_for: CandidateRanker = rank_people_for_tasks,
    history: History | None = None,
) -> Replay:
    """Rank every proposed person's tasks (top ``MAX_K``, enough for every cut-off and for
    reciprocal ranks) and a sample of tasks' candidates, under ``rules`` — and, with a
    ``reranker``, each person's feasible tasks reordered by it.

    With a ``history``, each proposal is ranked on the world **as it was when it was made**
    (the person's profile and the tasks of that day), so that nothing learnt or edited later
    can leak into its rank; coverage and the candidate lists are of the world as it is now
    (``index``)."""
    people, tasks = index.people, index.tasks
    graded = outcome_grades(tables["proposal"], tables["outcome_event"], rules.grades())
    proposal_tasks = tables["proposal_task"].groupby("proposal_id")["task_id"].apply(list)
    rng = np.random.default_rng(seed)
    matchable_ids = people.ids[people.matchable]
    sample = rng.choice(matchable_ids, min(coverage_sample, len(matchable_ids)), replace=False)
    proposed_ids = graded["person_id"].unique()
    ranker = ranker or task_ranker(rules, reranker)

    # Which world each proposal is ranked on: one per still period of the history, or now.
    graded["epoch"] = history.epochs(graded["proposed_at"]) if history is not None else 0
    rank_of: dict[tuple[int, int, int], int] = {}
    suggested: list[_SuggestedRow] = []
    now_ids = np.union1d(proposed_ids, sample) if history is None else sample
    ranks, rows, feasible_counts = _rank_each(
        ranker, index, (int(p) for p in progress(now_ids, desc=f"replay {rules.version}")), k
    )
    if history is None:
        rank_of.update({(0, p, t): r for (p, t), r in ranks.items()})
        suggested.extend(rows)
    else:
        proposed = set(proposed_ids.tolist())
        suggested.extend(r for r in rows if r[0] not in proposed)
        # A person proposed in several periods: the suggestions of the latest one.
        latest: dict[int, list[_SuggestedRow]] = {}
        periods = graded.groupby("epoch")
        for epoch, group in progress(periods, desc=f"as of, {rules.version}", unit="period"):
            then = history.index_at(_aware(group["proposed_at"].iloc[0]))
            if then is None:
                continue
            ranks, rows, _ = _rank_each(ranker, then, group["person_id"].unique().tolist(), k)
            rank_of.update({(int(epoch), p, t): r for (p, t), r in ranks.items()})
            for person_id, own in itertools.groupby(rows, key=lambda r: r[0]):
                latest[person_id] = list(own)
        suggested.extend(r for own in latest.values() for r in own)

    def best_rank(row: pd.Series) -> float:
        key = int(row["epoch"]), int(row["person_id"])
        ranks = [
            r
            for t in proposal_tasks.get(row["proposal_id"], [])
            if (r := rank_of.get((*key, t))) is not None
        ]
        return float(min(ranks)) if ranks else math.nan

    graded["rank"] = graded.apply(best_rank, axis=1) if len(graded) else []
    left_out = _rank_left_out(ranker, index, tables.get("override_left_out"), history)
    worlds = int(graded["epoch"].nunique()) if history is not None and len(graded) else 1
    graded = graded.drop(columns="epoch")

    hand_over = tasks.ids[tasks.hand_over]
    task_ids = rng.choice(hand_over, min(task_sample, len(hand_over)), replace=False)
    candidates: list[tuple[int, int, int]] = []
    covered: list[tuple[int, int]] = []
    pools: list[pd.DataFrame] = []
    for task_id in progress(task_ids, desc="candidates", unit="task"):
        ranked = candidates_for(people, tasks, [int(task_id)], rules, k)
        covered.append((int(task_id), ranked.n_feasible))
        candidates.extend(
            (int(task_id), position, int(pid)) for position, pid in enumerate(ranked.ids, start=1)
        )
        pool = feasible_people(people, tasks, [int(task_id)], rules)
        pools.append(pd.DataFrame({"task_id": int(task_id), "person_id": pool}))
    sampled = set(sample.tolist())
    pairs = graded[["proposal_id", "person_id"]].merge(
        tables["proposal_task"][["proposal_id", "task_id"]], on="proposal_id"
    )
    return Replay(
        ruleset_version=rules.version + (f"+{reranker.version}" if reranker else ""),
        k=k,
        proposals=graded,
        pairs=pairs,
        suggested=pd.DataFrame(
            suggested,
            columns=[
                "person_id",
                "position",
                "task_id",
                "employer_id",
                "sector",
                "adjustments",
                "tolerated",
                "unassessed",
                "adjustment_cost",
            ],
        ),
        people=pd.DataFrame(
            [(p, n) for p, n in feasible_counts.items() if p in sampled],
            columns=["person_id", "n_feasible"],
        ),
        candidates=pd.DataFrame(candidates, columns=["task_id", "position", "person_id"]),
        tasks_covered=pd.DataFrame(covered, columns=["task_id", "n_feasible"]),
        feasible_candidates=pd.concat(pools, ignore_index=True)
        if pools
        else pd.DataFrame(columns=["task_id", "person_id"]),
        left_out=left_out,
        as_of=history is not None,
        worlds=worlds,
        min_cell=rules.fairness_min_cell,
    )


def target_positions(
    index: MatchIndex,
    ranker: TaskRanker,
    logged: pd.DataFrame,
    history: History | None = None,
) -> np.ndarray:
    """For each logged list (``person_id``, ``at``, ``band``: the task ids the logging could
    have shown first, in its own order): the position in ``band`` of the task ``ranker`` would
    show first, on the world of the list's day — −1 when it would show one outside the band,
    which the logging never showed first (no support)."""
    out = np.full(len(logged), -1, dtype=np.int64)
    if not len(logged):
        return out
    for rows, world in _worlds_of(index, history, logged["at"]):
        first_of: dict[int, int | None] = {}  # a person's lists of one period share a world
        for row in rows:
            person_id = int(logged["person_id"].iloc[row])
            if person_id not in world.people.row_of:
                continue
            if person_id not in first_of:
                ranked = ranker.tasks_for_person(world.people, world.tasks, person_id, 1)
                first_of[person_id] = int(ranked.ids[0]) if len(ranked.ids) else None
            first = first_of[person_id]
            band = list(logged["band"].iloc[row])
            if first is not None and first in band:
                out[row] = band.index(first)
    return out


def off_policy_report(
    logged: pd.DataFrame, a: np.ndarray, b: np.ndarray | None = None
) -> dict[str, Any]:
    """IPS, SNIPS and DR (with intervals and the effective sample size) of the orderings whose
    first choices are ``a`` (and ``b``) on the logged lists, and B − A by SNIPS, paired."""
    columns = (logged["reward"].to_numpy(float), logged["propensity"].to_numpy(float),
               logged["logged_position"].to_numpy(np.int64))  # fmt: skip
    among = logged["among"].to_numpy(np.int64)
    report: dict[str, Any] = {"a": offpolicy.estimate(*columns, a, among)}
    if b is not None:
        report["b"] = offpolicy.estimate(*columns, b, among)
        report["snips_difference"] = offpolicy.snips_difference(*columns, a, b)
    report["trusted"] = all(report[side]["trusted"] for side in ("a", "b") if side in report)
    return report


def _age_band(birth_year: pd.Series, as_of: date) -> pd.Series:
    age = as_of.year - birth_year
    bands = pd.cut(age, [0, 25, 35, 50, 200], right=False, labels=["<25", "25-34", "35-49", "50+"])
    return bands.astype(object).where(birth_year.notna(), "unknown")


def groups_of(demographics: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """person_id and the fairness attributes (age band, gender, mother tongue: fi, sv or
    other), for reporting only."""
    tongue = demographics["mother_tongue"].where(
        demographics["mother_tongue"].isin(["fi", "sv"]), "other"
    )
    return pd.DataFrame(
        {
            "person_id": demographics["jobseeker_id"].to_numpy(np.int64),
            "age_band": _age_band(demographics["birth_year"], as_of).to_numpy(),
            "gender": demographics["gender"].to_numpy(),
            "mother_tongue": tongue.to_numpy(),
        }
    )


@dataclass
class Evaluation:
    ruleset_version: str
    k: int
    metrics: dict[str, float]
    counts: dict[str, int]
    fairness: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    units: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    min_cell: int = 10
    """Groups smaller than this are suppressed in ``fairness``."""
    """Per-person numerators and denominators, for bootstrap comparisons."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset_version": self.ruleset_version,
            "k": self.k,
            "metrics": self.metrics,
            "counts": self.counts,
            "fairness": self.fairness,
            "min_cell": self.min_cell,
        }


def evaluate(result: Replay, demographics: pd.DataFrame, as_of: date) -> Evaluation:
    """The report for one replay."""
    k = result.k
    props = result.proposals
    success = props[props["grade"] >= SUCCESS_GRADE]
    failed = props[props["failed"]]
    failed_top = np.nan_to_num(failed["rank"].to_numpy(float), nan=np.inf) <= k
    left = result.left_out
    left_top = np.nan_to_num(left["rank"].to_numpy(float), nan=np.inf) <= k
    overridden_hits = success[success["against_engine"]]
    graded_pairs = props.merge(result.pairs, on=["proposal_id", "person_id"], how="inner")
    suggested = result.suggested
    per_person = suggested.groupby("person_id")
    metrics = {
        f"hit_rate@{k}": hit_rate_at_k(success["rank"].to_numpy(), k),
        f"recall@{k}": recall_at_k(success[["person_id", "rank"]], k),
        "ndcg@10": ndcg_at_k(suggested, graded_pairs[["person_id", "task_id", "grade"]], 10),
        "mrr": mean_reciprocal_rank(success["rank"].to_numpy()),
        "coverage_people": float((result.people["n_feasible"] > 0).mean())
        if len(result.people)
        else math.nan,
        "coverage_tasks": float((result.tasks_covered["n_feasible"] > 0).mean())
        if len(result.tasks_covered)
        else math.nan,
        "mean_adjustments": float(suggested["adjustments"].mean()) if len(suggested) else 0.0,
        "distinct_employers": float(per_person["employer_id"].nunique().mean())
        if len(suggested)
        else 0.0,
        "distinct_sectors": float(per_person["sector"].nunique().mean()) if len(suggested) else 0.0,
        **{
            name: float(suggested[column].mean()) if len(suggested) else 0.0
            for name, column in SUGGESTION_GUARDRAILS.items()
        },
        "failed_in_top_k": float(failed_top.mean()) if len(failed_top) else math.nan,
        "overrides_still_suggested": float(left_top.mean()) if len(left_top) else math.nan,
        # The coordinators' successful overrides this rule set would now suggest itself: a
        # rule set that learns from them recovers more.
        f"overrides_recovered@{k}": hit_rate_at_k(overridden_hits["rank"].to_numpy(), k)
        if len(overridden_hits)
        else math.nan,
    }
    counts = {
        "proposals": len(props),
        "successes": len(success),
        "people_ranked": int(suggested["person_id"].nunique()) if len(suggested) else 0,
        "coverage_sample": len(result.people),
        "task_sample": len(result.tasks_covered),
        "proposals_against_engine": int(props["against_engine"].sum()),
        "successes_against_engine": len(overridden_hits),
        "worlds_replayed": result.worlds,
    }
    groups = groups_of(demographics, as_of)
    hits = success.assign(hit=np.nan_to_num(success["rank"].to_numpy(float), nan=np.inf) <= k)
    units = {
        "hit": hits.groupby("person_id").agg(num=("hit", "sum"), den=("hit", "size")).reset_index(),
        "rr": success.assign(
            rr=np.where(success["rank"].isna(), 0.0, 1.0 / success["rank"].fillna(1.0))
        )
        .groupby("person_id")
        .agg(num=("rr", "sum"), den=("rr", "size"))
        .reset_index(),
        "coverage": result.people.assign(
            num=(result.people["n_feasible"] > 0).astype(float), den=1.0
        )[["person_id", "num", "den"]],
        "adjustments": per_person["adjustments"].agg(num="sum", den="size").reset_index()
        if len(suggested)
        else pd.DataFrame(columns=["person_id", "num", "den"]),
        **{
            column: per_person[column].agg(num="sum", den="size").reset_index()
            if len(suggested)
            else pd.DataFrame(columns=["person_id", "num", "den"])
            for column in SUGGESTION_GUARDRAILS.values()
        },
        "failed": failed.assign(top=failed_top)
        .groupby("person_id")
        .agg(num=("top", "sum"), den=("top", "size"))
        .reset_index(),
        "overridden": left.assign(top=left_top)
        .groupby("person_id")
        .agg(num=("top", "sum"), den=("top", "size"))
        .reset_index(),
    }
    fairness = {
        attribute: _fairness(attribute, hits, result, groups, k)
        for attribute in FAIRNESS_ATTRIBUTES
    }
    return Evaluation(
        result.ruleset_version, k, metrics, counts, fairness, units, min_cell=result.min_cell
    )


FAIRNESS_RESAMPLES = 500
"""Bootstrap resamples behind each fairness ratio's 95 % interval."""


def _bootstrap_ratio_to_best(
    person_hits: pd.DataFrame, rng: np.random.Generator
) -> dict[str, tuple[float, float]]:
    """Per group, the 95 % interval of its hit rate's ratio to the best group's, people
    resampled (each person's successes and hits together)."""
    if person_hits.empty:
        return {}
    groups = sorted(person_hits["group"].unique(), key=str)
    member = person_hits["group"].to_numpy()[:, None] == np.array(groups, dtype=object)[None, :]
    weights = rng.multinomial(len(person_hits), np.full(len(person_hits), 1 / len(person_hits)),
                              size=FAIRNESS_RESAMPLES)  # fmt: skip
    hits = weights @ (member * person_hits["hits"].to_numpy()[:, None])
    tries = weights @ (member * person_hits["tries"].to_numpy()[:, None])
    # A resample without any of a group's people has no rate for it: NaN, without a warning.
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rate = hits / tries
        ratio = rate / np.nanmax(rate, axis=1, keepdims=True)
        low, high = percentile_interval(ratio, axis=0)
    return {g: (float(low[i]), float(high[i])) for i, g in enumerate(groups)}


def _bootstrap_exposure(
    slots: pd.DataFrame, pool: pd.DataFrame, population: pd.Series, rng: np.random.Generator
) -> dict[str, dict[str, tuple[float, float]]]:
    """Per group, the 95 % intervals of its exposure ratio and of its two factors — the
    feasibility ratio (its share of the rules' feasible pairs against its share of the
    people) and the ranking ratio (its share of the top-k slots against its share of the
    feasible pairs) — the sampled tasks resampled, the same resample for all three."""
    if slots.empty:
        return {}
    groups = sorted(set(slots["group"]) | set(pool["group"]), key=str)
    table = pd.crosstab(slots["task_id"], slots["group"]).reindex(columns=groups, fill_value=0)
    feasible = pd.crosstab(pool["task_id"], pool["group"]).reindex(
        index=table.index, columns=groups, fill_value=0
    )
    weights = rng.multinomial(len(table), np.full(len(table), 1 / len(table)),
                              size=FAIRNESS_RESAMPLES)  # fmt: skip
    counts, pairs = weights @ table.to_numpy(), weights @ feasible.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / counts.sum(axis=1, keepdims=True)
        feasible_share = pairs / pairs.sum(axis=1, keepdims=True)
        base = population.reindex(groups).to_numpy()[None, :]
        ratios = {
            "exposure": share / base,
            "feasibility": feasible_share / base,
            "ranking": share / feasible_share,
        }
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, ratio in ratios.items():
        # A group absent from the people sample has no ratio at all: NaN, without a warning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = percentile_interval(ratio, axis=0)
        out[name] = {g: (float(low[i]), float(high[i])) for i, g in enumerate(groups)}
    return out


def _fairness(
    attribute: str, hits: pd.DataFrame, result: Replay, groups: pd.DataFrame, k: int
) -> list[dict[str, Any]]:
    """Per group: hit rate (and its ratio to the best group's, with a 95 % interval over
    people), coverage (the share of the group's sampled people with a fitting task), exposure —
    the share of top-k candidate slots over the sampled tasks — against the group's share of
    the people who could be candidates (with a 95 % interval over tasks), Skew@k; and NDKL over
    all groups (the same on every row). A group under the rule set's ``fairness_min_cell``
    (people in the sample, or successes for its hit rate) is suppressed: its figures withheld
    and marked."""
    min_cell = result.min_cell
    rng = np.random.default_rng(0)
    of = groups.set_index("person_id")[attribute]
    eligible = result.people.assign(group=result.people["person_id"].map(of)).dropna(
        subset=["group"]
    )
    population = eligible["group"].value_counts(normalize=True)
    people_in = eligible["group"].value_counts()
    coverage = (eligible["n_feasible"] > 0).groupby(eligible["group"]).mean()
    grouped_hits = hits.assign(group=hits["person_id"].map(of)).dropna(subset=["group"])
    by_group = grouped_hits.groupby("group")["hit"]
    hit_rate, successes = by_group.mean(), by_group.size()
    slots = result.candidates.assign(group=result.candidates["person_id"].map(of))
    exposure = slots["group"].value_counts(normalize=True)
    pool = result.feasible_candidates.assign(
        group=result.feasible_candidates["person_id"].map(of)
    ).dropna(subset=["group"])
    feasible_share = pool["group"].value_counts(normalize=True)
    person_hits = (
        grouped_hits.groupby(["person_id", "group"])["hit"].agg(hits="sum", tries="size")
        .reset_index()
    )  # fmt: skip
    ratio_interval = _bootstrap_ratio_to_best(person_hits, rng)
    intervals = _bootstrap_exposure(slots.dropna(subset=["group"]), pool, population, rng)
    # Skew@k over every sampled task's top-k slots together (one list per task is too short
    # to say much on its own); NDKL per task's list, averaged.
    all_slots = slots["group"].to_numpy(dtype=object)
    skews = {g: skew_at_k(all_slots, population[g], g, len(all_slots)) for g in population.index}
    divergence = (
        float(
            np.mean(
                [
                    ndkl(frame.sort_values("position")["group"].to_numpy(), population)
                    for _, frame in slots.groupby("task_id")
                ]
            )
        )
        if len(slots)
        else math.nan
    )
    # The best-off group among those with enough successes to say (a small group's rate is
    # noise, and would make every other ratio look low).
    reported = hit_rate[successes.reindex(hit_rate.index).fillna(0) >= min_cell]
    best = reported.max() if len(reported) else math.nan
    nan = math.nan
    rows = []
    # Age bands read youngest first: "<25" before "25-34", whose digits sort before "<".
    for g in sorted(population.index, key=lambda g: (not str(g).startswith("<"), str(g))):
        rate = float(hit_rate.get(g, nan))
        few_people = int(people_in[g]) < min_cell
        few_successes = int(successes.get(g, 0)) < min_cell
        low, high = ratio_interval.get(g, (nan, nan))
        e_low, e_high = intervals.get("exposure", {}).get(g, (nan, nan))
        exposure_ratio = float(exposure.get(g, 0.0) / population[g])
        feasible = float(feasible_share.get(g, 0.0))
        feasibility_ratio = feasible / float(population[g])
        ranking_ratio = float(exposure.get(g, 0.0)) / feasible if feasible else nan
        rows.append(
            {
                "group": str(g),
                "people": int(people_in[g]),
                "population_share": float(population[g]),
                "coverage": nan if few_people else float(coverage.get(g, nan)),
                "exposure_share": nan if few_people else float(exposure.get(g, 0.0)),
                "exposure_ratio": nan if few_people else exposure_ratio,
                "exposure_ratio_ci": [nan, nan] if few_people else [e_low, e_high],
                "feasibility_ratio": nan if few_people else feasibility_ratio,
                "feasibility_ratio_ci": [nan, nan]
                if few_people
                else list(intervals.get("feasibility", {}).get(g, (nan, nan))),
                "ranking_ratio": nan if few_people else ranking_ratio,
                "ranking_ratio_ci": [nan, nan]
                if few_people
                else list(intervals.get("ranking", {}).get(g, (nan, nan))),
                "successes": int(successes.get(g, 0)),
                f"hit_rate@{k}": nan if few_successes else rate,
                "hit_rate_ratio_to_best": nan if few_successes or not best or best <= 0
                else rate / best,
                "hit_rate_ratio_ci": [nan, nan] if few_successes else [low, high],
                f"skew@{k}": nan if few_people else skews[g],
                "ndkl": divergence,
                "suppressed": [name for name, few in (("exposure", few_people),
                                                      ("hit_rate", few_successes)) if few],
            }
        )  # fmt: skip
    return rows


def compare(
    a: Evaluation, b: Evaluation, *, resamples: int = 1000, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Each metric side by side; for the per-person ones, the difference B − A with a 95 %
    paired bootstrap interval (people resampled), the people it stands on (``units``) and the
    smallest difference it could tell apart with 80 % power (``detectable``,
    :func:`~matching.metrics.detectable_difference`)."""
    out: dict[str, dict[str, float]] = {}
    for name, value in a.metrics.items():
        out[name] = {
            "a": value,
            "b": b.metrics.get(name, math.nan),
            "diff": b.metrics.get(name, math.nan) - value,
        }
    keyed = {
        f"hit_rate@{a.k}": "hit",
        "mrr": "rr",
        "coverage_people": "coverage",
        "mean_adjustments": "adjustments",
        **GUARDRAILS,
    }
    for name, unit in keyed.items():
        left, right = a.units.get(unit), b.units.get(unit)
        if left is None or right is None or name not in out or (left.empty and right.empty):
            continue  # nothing to measure on either side (no overrides recorded, say)
        both = left.merge(right, on="person_id", how="outer", suffixes=("_a", "_b")).fillna(0.0)
        point, low, high = bootstrap_difference(
            both["num_a"].to_numpy(), both["den_a"].to_numpy(),
            both["num_b"].to_numpy(), both["den_b"].to_numpy(),
            resamples=resamples, seed=seed,
        )  # fmt: skip
        out[name].update({"diff": point, "ci_low": low, "ci_high": high,
                          "units": float(len(both)),
                          "detectable": detectable_difference(low, high)})  # fmt: skip
    return out


class Verdict(StrEnum):
    """What held-out history says about adopting B (a model, a rule set) over A."""

    BETTER = "better"
    WORSE = "worse"
    UNCLEAR = "unclear"


def adoption_verdict(
    comparison: dict[str, dict[str, float]],
    k: int,
    *,
    brier: float | None = None,
    base_rate_brier: float | None = None,
) -> Verdict:
    """Better only when the hit rate's interval is above zero and MRR's is not below it;
    worse when either interval is below zero — or when a model's probabilities are no better
    than predicting the base rate for everyone (its Brier score at least the base rate's),
    whatever its ranking does."""

    def above(row: dict[str, float]) -> bool:
        return row.get("ci_low") is not None and row["ci_low"] > 0

    def below(row: dict[str, float]) -> bool:
        return row.get("ci_high") is not None and row["ci_high"] < 0

    hit, mrr = comparison[f"hit_rate@{k}"], comparison["mrr"]
    if brier is not None and base_rate_brier is not None and brier >= base_rate_brier:
        return Verdict.WORSE
    if below(hit) or below(mrr):
        return Verdict.WORSE
    if above(hit):
        return Verdict.BETTER
    return Verdict.UNCLEAR


@dataclass(frozen=True)
class ModelJudgement:
    """A re-ranker against the rules on its held-out proposals."""

    by_rules: Replay
    by_model: Replay
    evaluation: Evaluation
    """The rules + model side, for its card's fairness report."""
    comparison: dict[str, dict[str, float]]
    verdict: Verdict


def judge_reranker(
    index: MatchIndex,
    rules: RuleSet,
    tables: dict[str, pd.DataFrame],
    held: HeldOut,
    as_of: date,
    **options: Any,
) -> ModelJudgement:
    """Replay the held-out proposals (the newest, never trained on) by the rules and by the
    rules + model, compare, and give the adoption verdict, Brier score included."""
    k = options.setdefault("k", 10)
    history = {**tables, "proposal": tables["proposal"][
        tables["proposal"]["id"].isin(held.held_out_proposals)]}  # fmt: skip
    demographics = tables["jobseeker_demographics"]
    by_rules = replay(index, rules, history, **options)
    by_model = replay(index, rules, history, reranker=held.model, **options)
    model_side = evaluate(by_model, demographics, as_of)
    comparison = compare(evaluate(by_rules, demographics, as_of), model_side)
    verdict = adoption_verdict(
        comparison, k, brier=held.brier, base_rate_brier=held.base_rate_brier
    )
    return ModelJudgement(by_rules, by_model, model_side, comparison, verdict)


def guardrail_findings(comparison: dict[str, dict[str, float]]) -> list[dict[str, float | str]]:
    """The guardrails B is worse on than A beyond doubt (the 95 % interval of B − A above
    zero): a change that relaxes constraints is never a free win."""
    return [
        {"metric": name, "a": row["a"], "b": row["b"], "diff": row["diff"],
         "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
        for name in GUARDRAILS
        if (row := comparison.get(name)) is not None
        and row.get("ci_low") is not None and row["ci_low"] > 0
    ]  # fmt: skip
