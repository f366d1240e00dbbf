"""Ranking, coverage and fairness metrics: pure functions over arrays and DataFrames.

Ranks are 1-based; ``NaN`` means "not in the ranked list" (a miss at every cut-off, zero
reciprocal rank). Each metric is tested on small hand-computed cases.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

__all__ = [
    "INTERVAL_LEVEL",
    "POWER",
    "bootstrap_difference",
    "detectable_difference",
    "hit_rate_at_k",
    "mean_reciprocal_rank",
    "ndcg_at_k",
    "ndkl",
    "percentile_interval",
    "recall_at_k",
    "skew_at_k",
    "units_needed",
]


INTERVAL_LEVEL = 0.95
"""The level of every interval the evaluation reports."""


POWER = 0.8
"""The chance of telling a true difference apart that the evaluation's power figures assume
(the customary 80 %)."""


def detectable_difference(
    ci_low: float, ci_high: float, *, level: float = INTERVAL_LEVEL, power: float = POWER
) -> float:
    """The smallest true difference a comparison of this size would tell apart from none with
    chance ``power`` — its minimum detectable effect: ``(z₁₋α/₂ + z_power) × SE``, the standard
    error read from the width of its ``level`` interval (as for a normal sampling
    distribution; a percentile bootstrap interval of a mean-like difference is close to one).
    NaN when the interval is unknown or has no width (every unit's difference alike, as with
    a handful of people: the data say nothing of the spread, so nothing of what could be told)."""
    if not (math.isfinite(ci_low) and math.isfinite(ci_high)) or ci_high <= ci_low:
        return math.nan
    z_level = float(norm.ppf(1 - (1 - level) / 2))
    standard_error = (ci_high - ci_low) / (2 * z_level)
    return (z_level + float(norm.ppf(power))) * standard_error


def units_needed(units: int, difference: float, detectable: float) -> int | None:
    """About how many units (people) a comparison that saw ``difference`` with ``units``,
    and could detect ``detectable``, would need to tell that difference apart with the same
    power: the standard error shrinks as one over the square root of the units, so
    ``units × (detectable / |difference|)²``, rounded up. None when it cannot be said (no
    difference seen, nothing measured)."""
    if units <= 0 or not (math.isfinite(difference) and math.isfinite(detectable)):
        return None
    if difference == 0:
        return None
    return math.ceil(units * (detectable / abs(difference)) ** 2)


def percentile_interval(
    draws: np.ndarray, level: float = INTERVAL_LEVEL, axis: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The central ``level`` percentile interval of bootstrap draws (NaN draws left out):
    its low and high ends along ``axis``. One definition for every interval reported."""
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(draws, [tail, 100 - tail], axis=axis)
    return low, high


def hit_rate_at_k(ranks: np.ndarray, k: int) -> float:
    """Share of the given items ranked within the top k."""
    ranks = np.asarray(ranks, dtype=float)
    if not len(ranks):
        return math.nan
    return float(np.mean(np.nan_to_num(ranks, nan=np.inf) <= k))


def mean_reciprocal_rank(ranks: np.ndarray) -> float:
    ranks = np.asarray(ranks, dtype=float)
    if not len(ranks):
        return math.nan
    return float(np.mean(np.where(np.isnan(ranks), 0.0, 1.0 / np.where(np.isnan(ranks), 1, ranks))))


def recall_at_k(items: pd.DataFrame, k: int) -> float:
    """Per person, the share of their relevant items ranked within the top k; averaged over
    people with at least one. ``items``: person_id, rank (one row per relevant item)."""
    if items.empty:
        return math.nan
    hit = np.nan_to_num(items["rank"].to_numpy(dtype=float), nan=np.inf) <= k
    return float(pd.Series(hit).groupby(items["person_id"].to_numpy()).mean().mean())


def ndcg_at_k(suggested: pd.DataFrame, graded: pd.DataFrame, k: int) -> float:
    """Mean NDCG@k over people with at least one positive grade.

    suggested: person_id, position (1-based), task_id — each person's ranked list.
    graded: person_id, task_id, grade (>= 0) — what is known about pairs (recorded outcomes).
    Gain ``2**grade - 1``, discount ``log2(position + 1)``.
    """
    positive = graded[graded["grade"] > 0]
    if positive.empty:
        return math.nan
    best = positive.groupby(["person_id", "task_id"], as_index=False)["grade"].max()
    top = suggested[suggested["position"] <= k]
    hits = top.merge(best, on=["person_id", "task_id"], how="inner")
    dcg = (
        ((2.0 ** hits["grade"] - 1) / np.log2(hits["position"] + 1))
        .groupby(hits["person_id"])
        .sum()
    )
    ideal_order = best.sort_values(["person_id", "grade"], ascending=[True, False])
    ideal_order = ideal_order.assign(position=ideal_order.groupby("person_id").cumcount() + 1)
    ideal_order = ideal_order[ideal_order["position"] <= k]
    idcg = (
        ((2.0 ** ideal_order["grade"] - 1) / np.log2(ideal_order["position"] + 1))
        .groupby(ideal_order["person_id"])
        .sum()
    )
    return float((dcg.reindex(idcg.index, fill_value=0.0) / idcg).mean())


def skew_at_k(top_groups: np.ndarray, population_share: float, group: object, k: int) -> float:
    """Skew@k (Geyik et al. 2019): ``ln(share of group in the top k / its share in the
    population)``; 0 is parity, negative under-representation. Smoothed so that an absent
    group gives a finite value."""
    top = np.asarray(top_groups, dtype=object)[:k]
    eps = 1e-3
    share = (np.sum(top == group) + eps) / (len(top) + eps)
    return float(np.log(share / max(population_share, eps)))


def ndkl(ranked_groups: np.ndarray, population: pd.Series) -> float:
    """Normalised discounted KL divergence (Geyik et al. 2019) of a ranked list's group mix
    from the population's, over every prefix; 0 when every prefix matches the population."""
    groups = np.asarray(ranked_groups, dtype=object)
    if not len(groups):
        return math.nan
    names = list(population.index)
    q = population.to_numpy(dtype=float)
    q = q / q.sum()
    onehot = (groups[:, None] == np.array(names, dtype=object)[None, :]).astype(float)
    prefix = np.cumsum(onehot, axis=0) / np.arange(1, len(groups) + 1)[:, None]
    eps = 1e-12
    kl = np.sum(np.where(prefix > 0, prefix * np.log((prefix + eps) / (q + eps)), 0.0), axis=1)
    discount = 1.0 / np.log2(np.arange(2, len(groups) + 2))
    return float(np.sum(discount * kl) / np.sum(discount))


def bootstrap_difference(
    numerator_a: np.ndarray,
    denominator_a: np.ndarray,
    numerator_b: np.ndarray,
    denominator_b: np.ndarray,
    *,
    resamples: int = 1000,
    seed: int = 0,
    level: float = INTERVAL_LEVEL,
) -> tuple[float, float, float]:
    """Difference B − A of a ratio metric (sum of numerators / sum of denominators over
    units, e.g. people) with a percentile bootstrap interval, resampling units with
    replacement — the same resample for both, so the interval is of the paired difference."""
    units = len(numerator_a)
    if units == 0:
        return (math.nan,) * 3
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(units, np.full(units, 1.0 / units), size=resamples).astype(float)

    def ratio(num: np.ndarray, den: np.ndarray, w: np.ndarray) -> np.ndarray:
        total = w @ np.asarray(den, dtype=float)
        return np.divide(w @ np.asarray(num, dtype=float), total, where=total > 0,
                         out=np.full(w.shape[0], np.nan))  # fmt: skip

    one = np.ones((1, units))
    point = float(
        ratio(numerator_b, denominator_b, one)[0] - ratio(numerator_a, denominator_a, one)[0]
    )
    diffs = ratio(numerator_b, denominator_b, weights) - ratio(numerator_a, denominator_a, weights)
    low, high = percentile_interval(diffs, level)
    return point, float(low), float(high)
