"""Reading a comparison of two rule sets for people: the verdict first, then what B pays for it.

The comparison itself (:func:`matching.evaluation.compare`) is a table of metrics with paired
bootstrap intervals. An analyst asked to approve a change needs it read: is B better, worse,
or can the history not tell; which metrics moved beyond doubt and in whose disfavour; which
groups the candidate lists leave far below their share. One reading serves the web page, the
API and the docs, so that none of them words a verdict of its own.

What it cannot tell is part of the reading (see ``docs/analysts/evaluation.md``): the history
was recorded under the rule sets active at the time, so its successes are those the active
lists offered — the replay leans towards the incumbent, and a new rule set's gain is
understated, its loss overstated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from matching.evaluation import Verdict, adoption_verdict
from matching.metrics import units_needed

__all__ = [
    "FAIR_SHARE_FLOOR",
    "MATERIAL_RATIO",
    "MATERIAL_SHARE",
    "MIN_SUCCESSES",
    "NEEDED_AT_MOST",
    "SHARE_METRICS",
    "ComparisonReading",
    "FairnessFlag",
    "MetricMove",
    "MetricReading",
    "Sense",
    "read_comparison",
    "read_metrics",
]


class Sense(StrEnum):
    """Which way of a metric is better for the people matched."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"
    """A metric the reading does not judge (one it does not know)."""


class MetricMove(StrEnum):
    """A metric's change from A to B, judged by its whole 95 % interval."""

    GAIN = "gain"
    LOSS = "loss"
    UNCLEAR = "unclear"
    """The interval holds zero: no change can be told."""
    UNMEASURED = "unmeasured"
    """No interval (a whole-sample figure, or nothing to measure on a side)."""


METRIC_SENSE: dict[str, Sense] = {
    "hit_rate": Sense.HIGHER,
    "recall": Sense.HIGHER,
    "ndcg": Sense.HIGHER,
    "mrr": Sense.HIGHER,
    "coverage_people": Sense.HIGHER,
    "coverage_tasks": Sense.HIGHER,
    "overrides_recovered": Sense.HIGHER,
    "mean_adjustments": Sense.LOWER,
    "distinct_employers": Sense.HIGHER,
    "distinct_sectors": Sense.HIGHER,
    "tolerated_share": Sense.LOWER,
    "unassessed_share": Sense.LOWER,
    "mean_adjustment_cost": Sense.LOWER,
    "failed_in_top_k": Sense.LOWER,
    "overrides_still_suggested": Sense.LOWER,
}
"""Every metric of :func:`matching.evaluation.evaluate`, by its code without ``@k``."""

SHARE_METRICS = frozenset(
    {
        "hit_rate",
        "recall",
        "coverage_people",
        "coverage_tasks",
        "overrides_recovered",
        "tolerated_share",
        "unassessed_share",
        "failed_in_top_k",
        "overrides_still_suggested",
    }
)
"""Metrics that are a share of something (shown in per cent, their differences in points);
NDCG and MRR lie between 0 and 1 too but are scores, not shares."""

MATERIAL_SHARE = 0.01
"""A share moving by at least one percentage point, or any other figure by at least 5 % of its
value (:data:`MATERIAL_RATIO`), is a move worth telling where no interval can judge it."""
MATERIAL_RATIO = 0.05

NEEDED_AT_MOST = 100
"""A seen difference that would need more than this many times the history's people to be told
apart is next to none: no number is said for it (a six-figure count of people reads as a
plan, not as "this is no difference")."""

MIN_SUCCESSES = 20
"""Fewer successful proposals than this in the history, and no verdict is given: a hit rate
over a handful of successes moves by whole tenths with one proposal."""

FAIR_SHARE_FLOOR = 0.8
"""A group whose exposure in the candidate lists is, over its whole 95 % interval, below four
fifths of its share of the people is flagged (the four-fifths rule of adverse impact)."""


@dataclass(frozen=True)
class MetricReading:
    code: str
    """As the comparison names it (``hit_rate@10``)."""
    base: str
    """Without the cut-off (``hit_rate``): the key of :data:`METRIC_SENSE`."""
    share: bool
    sense: Sense
    a: float | None
    b: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    move: MetricMove
    units: int | None = None
    """The people the interval stands on."""
    detectable: float | None = None
    """The smallest difference the comparison could tell apart with 80 % power."""
    needed: int | None = None
    """Where no change could be told but one was seen: about how many people the history
    would need to tell that one apart (:func:`~matching.metrics.units_needed`)."""


@dataclass(frozen=True)
class FairnessFlag:
    attribute: str
    group: str
    side: str
    """"a" or "b"."""
    ratio: float
    ci_high: float
    in_both: bool
    """The other side has the group flagged too: the change did not make it."""


@dataclass(frozen=True)
class ComparisonReading:
    verdict: Verdict
    reason: str
    """Why this verdict: ``hit_rate_up``, ``hit_rate_down``, ``mrr_down``, ``no_difference``,
    ``few_successes`` or ``same_rules``."""
    successes: int
    """Successful proposals in the history the replay stands on."""
    hit: MetricReading | None
    metrics: tuple[MetricReading, ...]
    losses: tuple[MetricReading, ...]
    """Metrics B is worse on beyond doubt (guardrails included), the verdict's metrics too."""
    unmeasured_worse: tuple[MetricReading, ...]
    """Metrics without an interval (whole-sample figures: task coverage, variety, recall,
    NDCG) that B moves the worse way by a material amount — told, but not as beyond doubt."""
    gains: tuple[MetricReading, ...]
    fairness: tuple[FairnessFlag, ...]
    """Flagged groups on either side; the verdict tells B's, the tables mark both."""


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _metric(code: str, row: Mapping[str, Any]) -> MetricReading:
    base = code.partition("@")[0]
    sense = METRIC_SENSE.get(base, Sense.NEITHER)
    low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
    if low is None or high is None:
        move = MetricMove.UNMEASURED
    elif sense is Sense.NEITHER or low <= 0 <= high:
        move = MetricMove.UNCLEAR
    elif (low > 0) == (sense is Sense.HIGHER):
        move = MetricMove.GAIN
    else:
        move = MetricMove.LOSS
    diff, units, detectable = _number(row.get("diff")), row.get("units"), row.get("detectable")
    needed = None
    if move is MetricMove.UNCLEAR and diff is not None and units and detectable is not None:
        needed = units_needed(int(units), diff, float(detectable))
        if needed is not None and needed > NEEDED_AT_MOST * int(units):
            needed = None  # a difference next to none: no history would tell it
    return MetricReading(
        code=code,
        base=base,
        share=base in SHARE_METRICS,
        sense=sense,
        a=_number(row.get("a")),
        b=_number(row.get("b")),
        diff=diff,
        ci_low=low,
        ci_high=high,
        move=move,
        units=None if units is None else int(units),
        detectable=None if detectable is None or detectable != detectable else float(detectable),
        needed=needed,
    )


def _fairness_flags(report: Mapping[str, Any]) -> tuple[FairnessFlag, ...]:
    flagged: dict[str, dict[tuple[str, str], tuple[float, float]]] = {"a": {}, "b": {}}
    for side in flagged:
        for attribute, rows in ((report.get(side) or {}).get("fairness") or {}).items():
            for row in rows:
                ratio, interval = row.get("exposure_ratio"), row.get("exposure_ratio_ci") or []
                high = interval[1] if len(interval) == 2 else None
                if ratio is not None and high is not None and high < FAIR_SHARE_FLOOR:
                    flagged[side][(attribute, str(row["group"]))] = (float(ratio), float(high))
    return tuple(
        FairnessFlag(attribute, group, side, ratio, high, in_both=(attribute, group) in other)
        for side, other in (("b", flagged["a"]), ("a", flagged["b"]))
        for (attribute, group), (ratio, high) in sorted(flagged[side].items())
    )


def _materially_worse(m: MetricReading) -> bool:
    if m.move is not MetricMove.UNMEASURED or m.sense is Sense.NEITHER:
        return False
    if m.a is None or m.b is None or m.diff is None:
        return False
    worse = m.diff < 0 if m.sense is Sense.HIGHER else m.diff > 0
    size = MATERIAL_SHARE if m.share else MATERIAL_RATIO * abs(m.a)
    return worse and abs(m.diff) >= size and abs(m.diff) > 0


def read_metrics(comparison: Mapping[str, Mapping[str, Any]]) -> tuple[MetricReading, ...]:
    """Each metric of a comparison (:func:`matching.evaluation.compare`'s table) judged by its
    whole interval and its direction — a rule set's, or a learned model's card's."""
    return tuple(_metric(code, row) for code, row in comparison.items())


def read_comparison(report: Mapping[str, Any]) -> ComparisonReading:
    """The reading of an evaluation report with two sides (``a``, ``b``, ``comparison``, as
    :func:`api.jobs.evaluation.run_evaluation` returns it): the adoption verdict of
    :func:`matching.evaluation.adoption_verdict` — better only when the hit rate's interval
    lies above zero and MRR's not below it — withheld when the history holds too few
    successes, or when A and B are one rule set."""
    comparison: Mapping[str, Mapping[str, Any]] = report.get("comparison") or {}
    k = int(report["a"]["k"])
    metrics = read_metrics(comparison)
    by_base = {m.base: m for m in metrics}
    successes = int(report["a"]["counts"].get("successes", 0))
    same = report["a"].get("ruleset_version") == (report.get("b") or {}).get("ruleset_version")
    usable = {code: {key: _number(v) for key, v in row.items()} for code, row in comparison.items()}
    if same:
        verdict, reason = Verdict.UNCLEAR, "same_rules"
    elif successes < MIN_SUCCESSES:
        verdict, reason = Verdict.UNCLEAR, "few_successes"
    else:
        verdict = adoption_verdict(usable, k)  # type: ignore[arg-type]
        reason = {
            Verdict.BETTER: "hit_rate_up",
            Verdict.UNCLEAR: "no_difference",
            Verdict.WORSE: "hit_rate_down"
            if by_base["hit_rate"].move is MetricMove.LOSS
            else "mrr_down",
        }[verdict]
    return ComparisonReading(
        verdict=verdict,
        reason=reason,
        successes=successes,
        hit=by_base.get("hit_rate"),
        metrics=metrics,
        losses=tuple(m for m in metrics if m.move is MetricMove.LOSS),
        unmeasured_worse=tuple(m for m in metrics if _materially_worse(m)),
        gains=tuple(m for m in metrics if m.move is MetricMove.GAIN),
        fairness=_fairness_flags(report),
    )
