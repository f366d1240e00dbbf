"""Reading a comparison for people (``matching.evaluation_reading``): the verdict of the
evaluation's own rule, withheld when the history cannot carry one; every metric judged by its
whole interval and its direction; groups the candidate lists leave far below their share
flagged, and told apart from those A leaves there too."""

from __future__ import annotations

import pytest

from features.numbers import percent, percentage_points
from matching.evaluation import GUARDRAILS, Verdict
from matching.evaluation_reading import (
    FAIR_SHARE_FLOOR,
    METRIC_SENSE,
    MIN_SUCCESSES,
    MetricMove,
    Sense,
    read_comparison,
)


def _row(a, b, low=None, high=None):
    row = {"a": a, "b": b, "diff": b - a}
    if low is not None:
        row |= {"ci_low": low, "ci_high": high}
    return row


def _report(*, hit=(0.30, 0.35, 0.01, 0.09), mrr=(0.2, 0.21, -0.01, 0.03), successes=50,
            versions=("a-1", "b-1"), extra=None, fairness_a=None, fairness_b=None):  # fmt: skip
    comparison = {"hit_rate@10": _row(*hit), "mrr": _row(*mrr), **(extra or {})}
    side = {"k": 10, "counts": {"successes": successes}, "min_cell": 10}
    return {
        "a": side | {"ruleset_version": versions[0], "fairness": fairness_a or {}},
        "b": side | {"ruleset_version": versions[1], "fairness": fairness_b or {}},
        "comparison": comparison,
    }


def test_a_higher_hit_rate_beyond_doubt_is_better_and_said_why():
    reading = read_comparison(_report())
    assert (reading.verdict, reading.reason) == (Verdict.BETTER, "hit_rate_up")
    assert reading.hit.move is MetricMove.GAIN and reading.hit.share
    assert [m.code for m in reading.gains] == ["hit_rate@10"] and reading.losses == ()


@pytest.mark.parametrize(
    ("hit", "mrr", "reason"),
    [
        ((0.30, 0.25, -0.09, -0.01), (0.2, 0.2, -0.01, 0.01), "hit_rate_down"),
        ((0.30, 0.31, -0.01, 0.03), (0.2, 0.15, -0.08, -0.02), "mrr_down"),
    ],
)
def test_a_loss_in_hit_rate_or_mrr_is_worse(hit, mrr, reason):
    reading = read_comparison(_report(hit=hit, mrr=mrr))
    assert (reading.verdict, reading.reason) == (Verdict.WORSE, reason)
    assert reading.losses


def test_an_interval_holding_zero_cannot_tell():
    reading = read_comparison(_report(hit=(0.30, 0.32, -0.01, 0.05)))
    assert (reading.verdict, reading.reason) == (Verdict.UNCLEAR, "no_difference")
    assert reading.hit.move is MetricMove.UNCLEAR


def test_a_difference_that_cannot_be_told_says_how_many_people_would_tell_it():
    hit = _row(0.30, 0.32, -0.01, 0.05) | {"units": 400, "detectable": 0.04}
    report = _report()
    report["comparison"]["hit_rate@10"] = hit
    reading = read_comparison(report)
    assert reading.reason == "no_difference"
    assert (reading.hit.units, reading.hit.detectable) == (400, 0.04)
    assert reading.hit.needed == 1600  # (0.04 / 0.02)² × 400
    # Beyond doubt, nothing more is needed; a stored report without the figures reads as before.
    told = read_comparison(_report(hit=(0.30, 0.35, 0.01, 0.09)))
    assert told.hit.needed is None and told.hit.detectable is None
    report["comparison"]["hit_rate@10"] = _row(0.30, 0.38, 0.02, 0.14) | {
        "units": 400,
        "detectable": 0.05,
    }
    assert read_comparison(report).hit.needed is None
    # A difference next to none: no history would tell it, and no six-figure count is said.
    report["comparison"]["hit_rate@10"] = _row(0.30, 0.3001, -0.04, 0.04) | {
        "units": 400,
        "detectable": 0.05,
    }
    assert read_comparison(report).hit.needed is None
    report["comparison"]["hit_rate@10"] = _row(0.30, 0.31, -0.04, 0.04) | {
        "units": 400,
        "detectable": 0.05,
    }
    assert read_comparison(report).hit.needed == 10_000  # 25 times the people: said


def test_a_change_that_rounds_to_zero_is_written_without_a_sign():
    from api.http.pages import _num

    assert _num(-0.0001, "fi", 3, True) == "0" and _num(-0.0001, "en", 2, True) == "0"
    assert _num(0.0004, "en", 3, True) == "0"
    assert _num(-0.5, "en", 1, True) == "-0.5" and _num(0.5, "en", 1, True) == "+0.5"


def test_too_few_successes_withhold_the_verdict_even_when_the_interval_says_better():
    reading = read_comparison(_report(successes=MIN_SUCCESSES - 1))
    assert (reading.verdict, reading.reason) == (Verdict.UNCLEAR, "few_successes")
    assert read_comparison(_report(successes=MIN_SUCCESSES)).verdict is Verdict.BETTER


def test_one_rule_set_compared_with_itself_is_nothing_to_compare():
    reading = read_comparison(_report(versions=("same", "same")))
    assert (reading.verdict, reading.reason) == (Verdict.UNCLEAR, "same_rules")


def test_a_guardrail_rising_and_coverage_falling_are_losses_even_when_b_is_better():
    extra = {
        "tolerated_share": _row(0.0, 0.2, 0.15, 0.25),  # lower is better: a rise is a loss
        "coverage_people": _row(0.9, 0.8, -0.14, -0.06),  # higher is better: a fall is a loss
        "mean_adjustment_cost": _row(1.0, 0.8, -0.3, -0.1),  # lower is better: a gain
        "distinct_sectors": _row(2.0, 3.0, 0.5, 1.5),  # more variety: a gain
        "ndcg@10": _row(0.4, 0.5),  # no interval: not judged
    }
    reading = read_comparison(_report(extra=extra))
    assert reading.verdict is Verdict.BETTER
    moves = {m.code: m.move for m in reading.metrics}
    assert moves["tolerated_share"] is MetricMove.LOSS
    assert moves["coverage_people"] is MetricMove.LOSS
    assert moves["mean_adjustment_cost"] is MetricMove.GAIN
    assert moves["distinct_sectors"] is MetricMove.GAIN
    assert moves["ndcg@10"] is MetricMove.UNMEASURED
    assert {m.code for m in reading.losses} == {"tolerated_share", "coverage_people"}


def test_every_metric_and_guardrail_has_a_direction():
    assert set(GUARDRAILS) <= {k for k, v in METRIC_SENSE.items() if v is Sense.LOWER}


def _groups(*rows):
    return {"mother_tongue": [{"group": g, "exposure_ratio": r, "exposure_ratio_ci": [lo, hi]}
                              for g, r, lo, hi in rows]}  # fmt: skip


def test_groups_far_below_their_share_are_flagged_and_told_apart_from_the_incumbents():
    floor = FAIR_SHARE_FLOOR
    a = _groups(("sv", 0.5, 0.3, 0.7), ("fi", 1.0, 0.9, 1.1), ("other", 0.6, 0.4, 0.75))
    b = _groups(("sv", 0.21, 0.1, 0.4), ("fi", 0.7, 0.5, floor), ("other", 0.9, 0.7, 1.1))
    flags = read_comparison(_report(fairness_a=a, fairness_b=b)).fairness
    by = {(f.side, f.group): f for f in flags}
    # B leaves Swedish speakers far below (A did too); an interval reaching the floor is not
    # flagged; "other" is flagged under A only — B lifted it.
    assert set(by) == {("b", "sv"), ("a", "sv"), ("a", "other")}
    assert by["b", "sv"].in_both and by["a", "sv"].in_both and not by["a", "other"].in_both
    assert by["b", "sv"].ratio == 0.21


def test_shares_in_per_cent_and_their_differences_in_points_through_the_locale():
    assert percent(0.159, "fi") == "15,9\u00a0%" and percent(0.159, "en") == "15.9%"
    assert percentage_points(0.031, "fi") == "+3,1\u00a0%-yks."
    assert percentage_points(-0.02, "en") == "-2\u00a0pp"
    assert percentage_points(-0.0004, "fi") == "0\u00a0%-yks."  # never "-0"


def test_a_material_move_the_worse_way_without_an_interval_is_told_apart():
    extra = {
        "coverage_tasks": _row(0.455, 0.303),  # a share down 15 points: told
        "distinct_employers": _row(4.0, 2.25),  # variety down by 44 %: told
        "recall@10": _row(0.30, 0.296),  # down 0.4 points: under a point, not told
        "ndcg@10": _row(0.40, 0.50),  # better: not told
        "mean_adjustments": _row(1.0, 1.2),  # lower is better; up 20 %: told
    }
    reading = read_comparison(_report(extra=extra))
    told = {m.code for m in reading.unmeasured_worse}
    assert told == {"coverage_tasks", "distinct_employers", "mean_adjustments"}
    assert not set(told) & {m.code for m in reading.losses}  # never "beyond doubt"
