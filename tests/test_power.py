"""Power (#28 point 3): what a comparison of this size could tell at all. The minimum
detectable effect (:func:`matching.metrics.detectable_difference`) and the sample a seen
difference would need (:func:`matching.metrics.units_needed`) are checked by simulation: at a
true difference of that size, the paired bootstrap interval of
:func:`matching.metrics.bootstrap_difference` lies wholly above zero in about 80 % of
histories — neither far more (the figure would be too cautious) nor far fewer (it would
promise what the data cannot give). The simulated figures keep their spread whatever the
difference; a hit rate's spread changes a little with the rate itself, so for it the figure is
approximate — "about", as the page says."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.metrics import POWER, bootstrap_difference, detectable_difference, units_needed

REPETITIONS = 240
RESAMPLES = 400


def _history(rng: np.random.Generator, people: int, base: float, difference: float):
    """Each person's figure under A and under B, correlated as one person's are under two rule
    sets that agree on most lists, B's shifted by ``difference`` (the spread stays the same,
    as the figure assumes: see the module's docstring)."""
    a = base + rng.normal(0.0, 0.45, people)
    b = 0.8 * (a - base) + base + rng.normal(0.0, 0.27, people) + difference
    ones = np.ones(people)
    return a, ones, b, ones


def _detection_rate(rng: np.random.Generator, people: int, difference: float) -> float:
    told = 0
    for seed in range(REPETITIONS):
        _, low, _ = bootstrap_difference(*_history(rng, people, 0.3, difference),
                                         resamples=RESAMPLES, seed=seed)  # fmt: skip
        told += low > 0
    return told / REPETITIONS


def _typical_detectable(rng: np.random.Generator, people: int) -> float:
    """The detectable difference as histories of this size state it (their median)."""
    stated = []
    for seed in range(25):
        _, low, high = bootstrap_difference(*_history(rng, people, 0.3, 0.0),
                                            resamples=RESAMPLES, seed=seed)  # fmt: skip
        stated.append(detectable_difference(low, high))
    return float(np.median(stated))


def test_a_true_difference_of_the_detectable_size_is_told_apart_about_80_in_100_times():
    rng = np.random.default_rng(28)
    detectable = _typical_detectable(rng, 400)
    assert 0.01 < detectable < 0.2
    rate = _detection_rate(rng, 400, detectable)
    # 240 histories: the binomial spread around 0.8 is about ±0.026; four of it either way.
    assert abs(rate - POWER) < 0.105, rate
    # Half the size is told apart far less often: the figure is not a constant.
    assert _detection_rate(rng, 400, detectable / 2) < 0.5


def test_the_people_a_seen_difference_would_need_give_it_that_power():
    rng = np.random.default_rng(3)
    small, difference = 150, 0.04
    detectable = _typical_detectable(rng, small)
    needed = units_needed(small, difference, detectable)
    assert needed is not None and needed > small  # 0.04 is under what 150 people can tell
    assert abs(_detection_rate(rng, needed, difference) - POWER) < 0.105


def test_what_cannot_be_said_is_none_or_nan():
    assert math.isnan(detectable_difference(math.nan, 0.1))
    assert math.isnan(detectable_difference(0.0, 0.0))  # no spread seen: nothing to say
    assert units_needed(100, 0.0, 0.05) is None
    assert units_needed(0, 0.02, 0.05) is None
    assert units_needed(100, math.nan, 0.05) is None
    # Exactly: the standard error shrinks as one over the root of the people.
    assert units_needed(100, 0.05, 0.10) == 400
    assert units_needed(100, -0.10, 0.05) == 25
    # (1.96 + 0.84) × SE, the SE read from a 95 % interval's half-width over 1.96.
    assert detectable_difference(-0.0196, 0.0196) == pytest.approx(0.028016, abs=1e-5)
