"""Request and response bodies about rule sets, their evaluation and the trained models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from features.schemas.common import StrictModel
from matching.rules import RuleSet

__all__ = [
    "Activation",
    "ActivationCreate",
    "ComparisonRequest",
    "ComparisonRun",
    "ComparisonRunList",
    "ComparisonState",
    "DraftValid",
    "Estimate",
    "EvaluationReport",
    "EvaluationRequest",
    "EvaluationSide",
    "GuardrailFinding",
    "MetricComparison",
    "ModelCard",
    "OffPolicyEstimate",
    "OffPolicyReport",
    "RuleSetChange",
    "RuleSetCreate",
    "RuleSetDetail",
    "RuleSetDiff",
    "RuleSetList",
    "RuleSetSummary",
    "SnipsDifference",
    "TrainingRequest",
]


class ActivationCreate(StrictModel):
    note: str = Field(default="", max_length=500, description="Why it is activated (audited).")


class RuleSetCreate(StrictModel):
    rules: RuleSet
    parent: str | None = Field(
        default=None,
        max_length=64,
        description="The version it changes (default: the active one).",
    )
    note: str = Field(min_length=1, max_length=2000, description="What changed and why.")


class RuleSetSummary(BaseModel):
    version: str
    parent: str | None
    author: str
    created_at: datetime
    note: str
    fingerprint: str
    active: bool


class RuleSetList(BaseModel):
    data: list[RuleSetSummary]
    count: int


class RuleSetDetail(RuleSetSummary):
    rules: dict[str, Any] = Field(description="The rule set as stored (see the RuleSet schema).")


class RuleSetChange(BaseModel):
    path: str = Field(description="The setting, e.g. groups.physical.over_demand_tolerance")
    before: Any = Field(alias="from")
    after: Any = Field(alias="to")

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class RuleSetDiff(BaseModel):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    changes: list[RuleSetChange]

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class Activation(BaseModel):
    active: str
    previous: str | None


class DraftValid(BaseModel):
    valid: bool
    version: str
    fingerprint: str


class MetricComparison(BaseModel):
    """A metric under A and B; for per-person metrics the difference B − A with a 95 %
    paired bootstrap interval (people resampled). None: nothing to measure."""

    a: float | None
    b: float | None
    diff: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    units: int | None = None
    """The people the interval resamples."""
    detectable: float | None = None
    """The smallest true difference this comparison would tell apart from none with 80 %
    power (its minimum detectable effect, in the metric's units): a smaller one can hide
    inside the interval."""


class EvaluationSide(BaseModel):
    ruleset_version: str
    k: int
    metrics: dict[str, float | None] = Field(
        description="hit_rate@k, recall@k, ndcg@10, mrr, coverage_people, coverage_tasks, "
        "mean_adjustments, distinct_employers, …"
    )
    counts: dict[str, float | None]
    fairness: dict[str, Any] = Field(
        description="Per protected attribute: each group's exposure, hit rate and the ratios."
    )
    min_cell: int = Field(
        default=10,
        description="The rule set's fairness_min_cell: a group with fewer people (or, for its "
        "hit rate, fewer successes) is suppressed, its figures withheld and marked.",
    )


class GuardrailFinding(BaseModel):
    """A guardrail B is worse on than A, beyond doubt (the interval of B − A above zero)."""

    metric: str = Field(
        description="tolerated_share, unassessed_share, mean_adjustment_cost, failed_in_top_k "
        "or overrides_still_suggested"
    )
    a: float
    b: float
    diff: float
    ci_low: float
    ci_high: float


class Estimate(BaseModel):
    value: float | None
    ci_low: float | None = Field(description="95 % bootstrap interval over the logged lists.")
    ci_high: float | None


class OffPolicyEstimate(BaseModel):
    """What an ordering's first choices would have achieved on the logged exploration."""

    lists: int = Field(description="Logged lists whose first place was drawn, outcomes known.")
    support: float | None = Field(
        description="Share of those lists where this ordering's first choice could have been "
        "shown first by the logging (else it says nothing about them)."
    )
    effective_sample_size: float = Field(description="(Σw)² / Σw²: how many lists it rests on.")
    trusted: bool = Field(description="Effective sample size at least 100.")
    logged_value: float | None = Field(description="The success rate of what was shown.")
    ips: Estimate
    snips: Estimate
    dr: Estimate


class SnipsDifference(BaseModel):
    diff: float | None
    ci_low: float | None
    ci_high: float | None


class OffPolicyReport(BaseModel):
    """Off-policy estimates on the lists whose first place the rule set's exploration drew
    (IPS, self-normalised IPS, doubly robust), for A and B, and B − A by SNIPS."""

    a: OffPolicyEstimate
    b: OffPolicyEstimate | None = None
    snips_difference: SnipsDifference | None = None
    trusted: bool = Field(
        description="False: too few effective lists (under 100) for the estimates to be trusted."
    )


class EvaluationReport(BaseModel):
    """Aggregates only: no person appears in it."""

    replayed_as_of: bool = Field(
        default=True,
        description="Each proposal ranked on the world as it was when it was made (its "
        "person's profile and the tasks of that day, from the stored history); false: on the "
        "world as it is now.",
    )
    a: EvaluationSide
    b: EvaluationSide | None = None
    comparison: dict[str, MetricComparison] | None = None
    off_policy: OffPolicyReport | None = None
    guardrails: list[GuardrailFinding] | None = Field(
        default=None,
        description="What B relies on more than A: tolerated over-demand, ratings to assess, "
        "costlier adjustments. Hit rates count only logged successes; a rule set that relaxes "
        "its constraints can look better by them, and this says what it pays for that.",
    )


class EvaluationRequest(StrictModel):
    ruleset: str | None = Field(
        default=None, max_length=64, description="A stored version (default: the active one)."
    )
    against: str | None = Field(default=None, max_length=64, description="Compare with this one.")
    k: int = Field(default=10, ge=1, le=100)
    coverage_sample: int = Field(default=2000, ge=10, le=20_000)
    task_sample: int = Field(default=300, ge=10, le=2000)
    as_of: bool = Field(
        default=True,
        description="Replay each proposal on the world as it was when it was made (false: on "
        "the world as it is now, to see how much later edits move the figures).",
    )


class TrainingRequest(StrictModel):
    version: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="The new model's name."
    )
    k: int = Field(default=10, ge=1, le=100, description="Cut-off for the held-out hit rate.")


class ModelCard(BaseModel):
    """A trained re-ranker's card: what it predicts, on what it was trained, how it compares
    with the rules on held-out history, and whether it was saved."""

    version: str
    created_at: str | None = Field(default=None, description="When it was trained (ISO 8601).")
    active: bool = Field(default=False, description="The service re-ranks with this model.")
    saved: bool = Field(description="False: no better than the base rate, so not saved.")
    refused: str | None = Field(default=None, description="Why it was not saved.")
    verdict: str
    verdict_code: str = Field(description="better, worse or unclear")
    features: list[str]
    training: dict[str, Any] = Field(
        description="Rows (pairs the rules allow), successes, pairs left out, the time split."
    )
    metrics: dict[str, Any] = Field(
        description="Held-out AUC and Brier score (and the base rate's), the comparison with "
        "the rules with paired intervals."
    )


class ComparisonRequest(StrictModel):
    a: str | None = Field(
        default=None, max_length=64, description="A stored version (default: the active one)."
    )
    b: str = Field(max_length=64, description="The version compared with A.")
    k: int = Field(default=10, ge=1, le=100)


class ComparisonState(StrEnum):
    WAITING = "waiting"
    """Asked for; another comparison of this process runs first."""
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """Its process stopped before it finished (no sign of life for minutes): run it again."""


class ComparisonRun(BaseModel):
    """A comparison run in the background: its state and progress, and once done its report
    (aggregates only), kept so that reopening it costs nothing."""

    id: int
    a: str
    b: str
    k: int
    state: ComparisonState
    requested_by: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    step: int = Field(description="Which pass of the replay is under way (1, 2, …).")
    stage: str = Field(
        default="",
        description="What the pass does: ``replay:VERSION`` (a sample of people ranked), "
        "``as_of:VERSION`` (the proposals ranked on the world of their day), ``candidates`` "
        "(the tasks' candidate lists); empty before the first.",
    )
    done: int = Field(description="Items of the pass done so far.")
    total: int = Field(description="Items in the pass (0: not known yet).")
    current: bool = Field(
        description="The recorded history is as it was when the comparison was asked for; "
        "false: proposals, outcomes, people or tasks have changed since — run it again."
    )
    report: EvaluationReport | None = None
    failure: str | None = None


class ComparisonRunList(BaseModel):
    data: list[ComparisonRun]
    count: int
