"""Rule sets: the validated, versioned data object analysts tune.

A rule set says which hard constraints apply with which parameters, how the soft components
are weighted, and what adjustments cost. Two things are not configurable on purpose: a
physician's restriction is never exceeded by the work as it will be done (no tolerance; only
adjustments that change the exposure count), and a person without active consent to matching
is never matched.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from features.catalogue.adjustments import CostClass
from features.catalogue.characteristics import Group
from features.errors import InvalidInputError
from features.schemas.common import StrictModel
from features.schemas.errors import field_errors
from features.schemas.proposal import OutcomeKind
from matching.outcomes import GRADES

__all__ = [
    "HardConstraints",
    "RecommendationPolicy",
    "RuleSet",
    "UncheckedLimitPolicy",
    "UnknownPolicy",
    "Weights",
    "default_ruleset",
    "diff_rulesets",
    "load_ruleset",
    "parse_ruleset",
    "ruleset_yaml",
]


class UnknownPolicy(StrEnum):
    EXCLUDE = "exclude"
    """A pair with any rating to be assessed is not suggested."""
    PENALISE = "penalise"
    """It is suggested with ``unknown_penalty`` off its score per rating to be assessed."""


class UncheckedLimitPolicy(StrEnum):
    CHECK_FIRST = "check_first"
    """Suggested only under "check before proposing", naming the limit to check with the
    employer, and ranked after every pair that is fully assessed."""
    EXCLUDE = "exclude"
    """Not suggested until the task's demand is rated."""


class RecommendationPolicy(StrEnum):
    RANK_BELOW = "rank_below"
    """A task beyond a physician's recommendation (after every usable adjustment) is still
    suggested, with the recommendation named, and ranked after every pair that fits fully."""
    EXCLUDE = "exclude"
    """Not suggested: the recommendation is a limit like a restriction, less its tolerance."""


class HardConstraints(StrictModel):
    max_distance_km: float = Field(default=40.0, gt=0, le=1000)
    min_schedule_overlap: float = Field(
        default=1.0, ge=0, le=1, description="Share of a task's slots the person must be free for."
    )
    max_hours_over: float = Field(
        default=0.0, ge=0, le=20, description="Hours a task may exceed the person's weekly maximum."
    )
    require_licences: bool = True
    respect_kilograms: bool = True
    hand_over_only: bool = True
    over_demand_tolerance: dict[Group, int] = Field(
        default_factory=lambda: dict.fromkeys(Group, 0),
        description="Levels of over-demand tolerated per group, after adjustments.",
    )
    recommendation_tolerance: int = Field(
        default=0,
        ge=0,
        le=4,
        description="Levels by which the work, after adjustments, may exceed a physician's "
        "recommendation (a restriction: never).",
    )
    beyond_recommendation: RecommendationPolicy = Field(
        # Every rule set stored before the choice existed excluded such tasks: it still does.
        default=RecommendationPolicy.EXCLUDE,
        description="A task the work exceeds a physician's recommendation in by more than "
        "`recommendation_tolerance`, however adjusted: suggested below every full fit with "
        "the recommendation named, or excluded.",
    )
    unknown_ratings: UnknownPolicy = UnknownPolicy.PENALISE
    unchecked_limits: UncheckedLimitPolicy = Field(
        default=UncheckedLimitPolicy.CHECK_FIRST,
        description="A physician's restriction against a task demand that is not rated.",
    )

    @model_validator(mode="after")
    def _every_group(self) -> HardConstraints:
        missing = [g.value for g in Group if g not in self.over_demand_tolerance]
        if missing:
            raise ValueError(f"over_demand_tolerance: give every group; missing {missing}")
        if any(not 0 <= v <= 4 for v in self.over_demand_tolerance.values()):
            raise ValueError("over_demand_tolerance: each value is 0–4 levels")
        return self


class Weights(StrictModel):
    ability_fit: float = Field(default=2.0, ge=0, le=100)
    adjustments: float = Field(default=1.0, ge=0, le=100)
    skills: float = Field(default=0.5, ge=0, le=100)
    interests: float = Field(default=1.5, ge=0, le=100)
    hours_fit: float = Field(default=1.0, ge=0, le=100)
    schedule_fit: float = Field(default=0.5, ge=0, le=100)
    distance: float = Field(default=1.0, ge=0, le=100)


class Exploration(StrictModel):
    """A small, seeded randomisation of which task a person's list shows first, so that the
    logged outcomes can tell what another ordering would have done (off-policy estimates).
    Off by default."""

    share: float = Field(
        default=0.0,
        ge=0.0,
        le=0.5,
        description="The share of lists whose first place goes to a task drawn at random from "
        "the rules' top `among` (0: never).",
    )
    among: int = Field(
        default=5,
        ge=2,
        le=20,
        description="How many of the rules' best (of the first one's tier: an unassessed pair "
        "is never moved above an assessed one) may be shown first.",
    )


class RuleSet(StrictModel):
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    description: str = Field(default="", max_length=2000)
    hard: HardConstraints = Field(default_factory=HardConstraints)
    weights: Weights = Field(default_factory=Weights)
    under_demand_penalty: float = Field(
        default=0.5,
        ge=0,
        le=100,
        description="Off the score per level of unused capacity, averaged over characteristics.",
    )
    unknown_penalty: float = Field(default=0.25, ge=0, le=100)
    open_vacancies: bool = Field(
        default=True,
        description="Suggest employers' open vacancies too: a role matched as a whole, each of "
        "its tasks judged by these rules (hand-over or not) and their hours together.",
    )
    adjustment_costs: dict[str, float] = Field(
        default_factory=lambda: {"none": 0.1, "low": 0.25, "medium": 0.5, "high": 1.0}
    )
    exploration: Exploration = Field(default_factory=Exploration)
    fairness_min_cell: int = Field(
        default=10,
        ge=1,
        le=10_000,
        description="The fairness report withholds (and marks) a group with fewer people in "
        "the sample than this, and its hit rate with fewer successes: a rate of one or two "
        "people is noise, and may point at a person.",
    )
    outcome_grades: dict[OutcomeKind, int] = Field(
        default_factory=lambda: {OutcomeKind(k): v for k, v in GRADES.items()},
        description="How far a proposal got, as a relevance grade 0–3 per outcome; 2 or more "
        "is a success in evaluation and training. Outcomes not named grade 0.",
    )

    @model_validator(mode="after")
    def _every_cost_class(self) -> RuleSet:
        names = {c.name.lower() for c in CostClass}
        if set(self.adjustment_costs) != names:
            raise ValueError(f"adjustment_costs: give exactly the classes {sorted(names)}")
        if any(v < 0 for v in self.adjustment_costs.values()):
            raise ValueError("adjustment_costs: costs are not negative")
        if any(not 0 <= v <= 3 for v in self.outcome_grades.values()):
            raise ValueError("outcome_grades: each grade is 0–3")
        return self

    def grades(self) -> dict[str, int]:
        """``outcome_grades`` by the outcome's code, as the history's tables write it."""
        return {kind.value: grade for kind, grade in self.outcome_grades.items()}

    def cost_of(self, cost_class: CostClass) -> float:
        return self.adjustment_costs[cost_class.name.lower()]

    def fingerprint(self) -> str:
        """Short hash of the content: two rule sets with the same content share it. A field
        added later counts only where it differs from what rule sets written before it meant,
        so a stored rule set keeps its fingerprint across upgrades."""
        content = self.model_dump(mode="json")
        for part, name, meant in _ADDED_LATER:
            if content[part][name] == meant:
                del content[part][name]
        canonical = json.dumps(content, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


_ADDED_LATER: tuple[tuple[str, str, str], ...] = (
    ("hard", "beyond_recommendation", RecommendationPolicy.EXCLUDE.value),
)
"""(part, field, what a rule set without it means) for each field added after rule sets
were first stored."""


def parse_ruleset(data: dict[str, Any]) -> RuleSet:
    try:
        return RuleSet.model_validate(data)
    except ValidationError as err:
        raise InvalidInputError(field_errors(err), "invalid rule set") from None


def load_ruleset(path: str | Path) -> RuleSet:
    """Read a rule set from a YAML or JSON file."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InvalidInputError([], f"{path} is not YAML or JSON: {err}") from None
    if not isinstance(data, dict):
        raise InvalidInputError([], f"{path} does not hold a rule set (a mapping)")
    return parse_ruleset(data)


def default_ruleset() -> RuleSet:
    """The shipped, documented default (``matching/rulesets/default.yaml``)."""
    text = resources.files("matching").joinpath("rulesets/default.yaml").read_text("utf-8")
    return parse_ruleset(yaml.safe_load(text))


def diff_rulesets(old: RuleSet, new: RuleSet) -> list[tuple[str, Any, Any]]:
    """Every leaf that differs, as (dotted path, old value, new value), in path order; the
    version itself is left out."""
    a, b = _leaves(old.model_dump(mode="json")), _leaves(new.model_dump(mode="json"))
    return [
        (path, a.get(path), b.get(path))
        for path in sorted(set(a) | set(b))
        if path != "version" and a.get(path) != b.get(path)
    ]


def _leaves(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_leaves(value, path + "."))
        else:
            out[path] = value
    return out


def ruleset_yaml(rules: RuleSet) -> str:
    """The rule set as YAML, in the shape ``load_ruleset`` reads (for version control)."""
    return yaml.safe_dump(rules.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
