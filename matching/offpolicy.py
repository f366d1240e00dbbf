"""Off-policy evaluation on logged exploration: what another ordering would have achieved,
estimated from the lists that were shown.

**The logging.** With a rule set's ``exploration.share`` > 0, a person's list shows first,
with that probability, a task drawn uniformly from the rules' ``among`` best (of the first
one's tier), and otherwise the rules' own first: the task at the rules' position j (0-based)
is shown first with probability ``(1 − share)·[j = 0] + share / m``. The draw is seeded by the
rule set, the person and the day (the same list all day), and the list stores which position
went first and with what probability.

**The estimate.** One list is one round of a contextual bandit: the context is the person of
that day, the action the task shown first, the reward 1 when a proposal taken from the list
included that task and succeeded. A target ordering shows first the task it ranks best among
the list's ``m``; its weight on a list is ``[target's first = the task shown first] /
propensity``. Inverse propensity scoring (IPS) averages weight × reward; self-normalised IPS
(SNIPS) divides by the sum of the weights instead of the count, trading a little bias for much
less variance; doubly robust (DR) adds a reward model (here: the success rate of each logged
position) and corrects it with the weighted residual — unbiased when either the propensities
or the model are right. The **effective sample size** (Σw)² / Σw² says how many lists the
estimate really rests on; below :data:`MIN_ESS` it is not to be trusted.

The Open Bandit Pipeline implements these estimators, but it has had no release since 2022 and
pulls in PyTorch (gigabytes) for three formulas; they are written here with tests on cases
worked by hand. Pure: numpy arrays in, numbers out.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from matching.metrics import percentile_interval

__all__ = [
    "MIN_ESS",
    "FirstPlace",
    "doubly_robust",
    "effective_sample_size",
    "estimate",
    "first_place",
    "first_place_propensity",
    "ips",
    "snips",
    "snips_difference",
]

MIN_ESS = 100.0
"""Fewer effective lists than this: the estimate is reported, and said not to be trusted."""

RESAMPLES = 500


@dataclass(frozen=True)
class FirstPlace:
    """Which of the rules' positions (0-based) a list shows first, and how likely that was."""

    position: int
    propensity: float
    among: int

    def order(self, n: int) -> np.ndarray:
        """The shown order of the rules' n positions: the chosen one first, the rest as the
        rules had them."""
        rest = [i for i in range(n) if i != self.position]
        return np.array([self.position, *rest], dtype=np.int64)


def first_place_propensity(position: np.ndarray, among: int, share: float) -> np.ndarray:
    """The probability that the task at the rules' ``position`` (0-based) is shown first."""
    position = np.asarray(position)
    return np.where(position < among, share / among, 0.0) + np.where(
        position == 0, 1.0 - share, 0.0
    )


def first_place(
    first_tier: np.ndarray, share: float, among: int, seed: tuple[int, int, date]
) -> FirstPlace:
    """Draw which of a ranked list's positions goes first. ``first_tier`` is the ranked
    pairs' tier (``PairScores.first_tier``: every full fit before every other): only pairs of
    the first one's tier may be drawn, so exploration never puts an unassessed pair, or work
    beyond a recommendation, above a full fit. ``seed`` is (rule set, person, day): the same
    person sees the same list all day."""
    tier = np.asarray(first_tier, dtype=bool)
    same = int(np.argmin(tier == tier[0])) if not (tier == tier[0]).all() else len(tier)
    m = min(among, same)
    if share <= 0 or m < 2:
        return FirstPlace(0, 1.0, 1)
    ruleset, person, day = seed
    rng = np.random.default_rng([ruleset, person, day.toordinal()])
    position = int(rng.integers(m)) if rng.random() < share else 0
    return FirstPlace(position, float(first_place_propensity(np.array([position]), m, share)[0]), m)


def ips(reward: np.ndarray, weight: np.ndarray) -> float:
    """Inverse propensity scoring: the mean of weight × reward."""
    return float(np.mean(weight * reward)) if len(reward) else math.nan


def snips(reward: np.ndarray, weight: np.ndarray) -> float:
    """Self-normalised IPS: Σ weight × reward / Σ weight."""
    total = float(np.sum(weight))
    return float(np.sum(weight * reward)) / total if total > 0 else math.nan


def doubly_robust(
    reward: np.ndarray, weight: np.ndarray, q_logged: np.ndarray, q_target: np.ndarray
) -> float:
    """The reward model's value of the target's action, corrected by the weighted residual of
    the logged one: mean(q_target + weight × (reward − q_logged))."""
    if not len(reward):
        return math.nan
    return float(np.mean(q_target + weight * (reward - q_logged)))


def effective_sample_size(weight: np.ndarray) -> float:
    """(Σw)² / Σw²: how many lists the weighted estimate really rests on."""
    squares = float(np.sum(np.square(weight)))
    return float(np.sum(weight)) ** 2 / squares if squares > 0 else 0.0


def estimate(
    reward: np.ndarray,
    propensity: np.ndarray,
    logged_position: np.ndarray,
    target_position: np.ndarray,
    among: np.ndarray,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """Every estimator for one target ordering, with 95 % bootstrap intervals over the lists.

    Per logged list: ``reward`` (0/1), the ``propensity`` of the task shown first, the rules'
    position it had (``logged_position``), the position in the rules' order of the task the
    target would show first (``target_position``; −1: outside the list's first ``among``, where
    the logging never showed anything first — no support)."""
    reward = np.asarray(reward, dtype=float)
    n = len(reward)
    weight = _weights(propensity, logged_position, target_position)
    # The reward model: the success rate of each position when it was shown first.
    width = int(max(np.max(among, initial=1), np.max(logged_position, initial=0) + 1))
    shown = np.bincount(logged_position, minlength=width)
    wins = np.bincount(logged_position, weights=reward, minlength=width)
    overall = float(reward.mean()) if n else 0.0
    rate = np.where(shown > 0, wins / np.maximum(shown, 1), overall)
    q_logged = rate[logged_position] if n else np.zeros(0)
    q_target = np.where(target_position >= 0, rate[np.maximum(target_position, 0)], overall)

    def all_three(rows: np.ndarray) -> np.ndarray:
        r, w = reward[rows], weight[rows]
        return np.array(
            [ips(r, w), snips(r, w), doubly_robust(r, w, q_logged[rows], q_target[rows])]
        )

    point = all_three(np.arange(n))
    if n:
        rng = np.random.default_rng(seed)
        draws = np.array([all_three(rng.integers(0, n, n)) for _ in range(RESAMPLES)])
        with warnings.catch_warnings():  # no weight in any resample: no interval, no warning
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = percentile_interval(draws, axis=0)
    else:
        low = high = np.full(3, np.nan)
    ess = effective_sample_size(weight)
    names = ("ips", "snips", "dr")
    return {
        "lists": n,
        "support": float((target_position >= 0).mean()) if n else math.nan,
        "effective_sample_size": ess,
        "trusted": ess >= MIN_ESS,
        "logged_value": overall if n else math.nan,
        **{
            name: {"value": float(point[i]), "ci_low": float(low[i]), "ci_high": float(high[i])}
            for i, name in enumerate(names)
        },
    }


def _weights(propensity: np.ndarray, logged: np.ndarray, target: np.ndarray) -> np.ndarray:
    match = (target == logged) & (target >= 0)
    return np.where(match, 1.0 / np.maximum(propensity, 1e-12), 0.0)


def snips_difference(
    reward: np.ndarray,
    propensity: np.ndarray,
    logged_position: np.ndarray,
    target_a: np.ndarray,
    target_b: np.ndarray,
    *,
    seed: int = 0,
) -> dict[str, float]:
    """SNIPS of B minus SNIPS of A on the same lists, with a paired 95 % bootstrap interval
    (the same resample of lists for both)."""
    reward = np.asarray(reward, dtype=float)
    w_a = _weights(propensity, logged_position, target_a)
    w_b = _weights(propensity, logged_position, target_b)
    n = len(reward)
    point = snips(reward, w_b) - snips(reward, w_a)
    if not n:
        return {"diff": math.nan, "ci_low": math.nan, "ci_high": math.nan}
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(RESAMPLES):
        rows = rng.integers(0, n, n)
        draws.append(snips(reward[rows], w_b[rows]) - snips(reward[rows], w_a[rows]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = percentile_interval(np.array(draws))
    return {"diff": float(point), "ci_low": float(low), "ci_high": float(high)}
