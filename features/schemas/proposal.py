"""Proposals of a person for tasks, and what happened next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from features.schemas.common import StrictModel, UtcDatetime

__all__ = ["DeclineReason", "OutcomeEvent", "OutcomeKind", "Proposal", "next_steps"]

SIX_MONTHS = timedelta(days=182)


class OutcomeKind(StrEnum):
    DECLINED_BY_PERSON = "declined_by_person"
    DECLINED_BY_EMPLOYER = "declined_by_employer"
    WORK_TRIAL_STARTED = "work_trial_started"
    WORK_TRIAL_EXTENDED = "work_trial_extended"
    HIRED = "hired"
    EMPLOYED_6_MONTHS = "employed_6_months"
    ENDED = "ended"
    # Where a proposal may lead other than a job — the service paths of the domain documents
    # count these as good outcomes too (a step towards work, or the care a person needs).
    EDUCATION_STARTED = "education_started"
    APPRENTICESHIP_STARTED = "apprenticeship_started"
    CARE_STARTED = "care_started"
    """Rehabilitation, a care contact or sick leave started."""
    OTHER_SERVICE = "other_service"


PATHS = {
    OutcomeKind.EDUCATION_STARTED,
    OutcomeKind.APPRENTICESHIP_STARTED,
    OutcomeKind.CARE_STARTED,
    OutcomeKind.OTHER_SERVICE,
}
"""Outcomes that end the proposal by leading the person elsewhere."""
TERMINAL = {
    OutcomeKind.DECLINED_BY_PERSON, OutcomeKind.DECLINED_BY_EMPLOYER, OutcomeKind.ENDED, *PATHS
}  # fmt: skip
# Allowed successors of each step; None is the state before any event.
_NEXT: dict[OutcomeKind | None, set[OutcomeKind]] = {
    None: {
        OutcomeKind.DECLINED_BY_PERSON,
        OutcomeKind.DECLINED_BY_EMPLOYER,
        OutcomeKind.WORK_TRIAL_STARTED,
        OutcomeKind.HIRED,
        *PATHS,
    },
    OutcomeKind.WORK_TRIAL_STARTED: {
        OutcomeKind.WORK_TRIAL_EXTENDED,
        OutcomeKind.HIRED,
        OutcomeKind.ENDED,
        OutcomeKind.DECLINED_BY_PERSON,
        OutcomeKind.DECLINED_BY_EMPLOYER,
        *PATHS,
    },
    OutcomeKind.WORK_TRIAL_EXTENDED: {
        OutcomeKind.HIRED,
        OutcomeKind.ENDED,
        OutcomeKind.DECLINED_BY_PERSON,
        OutcomeKind.DECLINED_BY_EMPLOYER,
        *PATHS,
    },
    OutcomeKind.HIRED: {OutcomeKind.EMPLOYED_6_MONTHS, OutcomeKind.ENDED},
    OutcomeKind.EMPLOYED_6_MONTHS: {OutcomeKind.ENDED},
}


def next_steps(recorded: Sequence[OutcomeKind]) -> list[OutcomeKind]:
    """The steps that may be recorded after the steps ``recorded`` so far (none once the
    proposal has ended), in the order of :class:`OutcomeKind`."""
    allowed = _NEXT.get(recorded[-1] if recorded else None, set())
    return [kind for kind in OutcomeKind if kind in allowed]


class DeclineReason(StrEnum):
    TASKS_DO_NOT_FIT = "tasks_do_not_fit"
    HOURS_OR_SCHEDULE = "hours_or_schedule"
    DISTANCE = "distance"
    NOT_INTERESTED = "not_interested"
    NO_CAPACITY_TO_SUPERVISE = "no_capacity_to_supervise"
    POSITION_FILLED = "position_filled"
    HEALTH = "health"
    OTHER = "other"


class OutcomeEvent(StrictModel):
    kind: OutcomeKind
    at: UtcDatetime
    reason: DeclineReason | None = None
    note: str = Field(default="", max_length=1000)
    until: date | None = Field(
        default=None,
        description="For a work trial started or extended: its planned last day (the caseload "
        "shows a trial about to end).",
    )

    @model_validator(mode="after")
    def _reason_for_declines(self) -> OutcomeEvent:
        declines = {OutcomeKind.DECLINED_BY_PERSON, OutcomeKind.DECLINED_BY_EMPLOYER}
        if self.kind in declines and self.reason is None:
            raise ValueError(f"reason is required when kind is {self.kind.value!r}")
        trials = {OutcomeKind.WORK_TRIAL_STARTED, OutcomeKind.WORK_TRIAL_EXTENDED}
        if self.until is not None and self.kind not in trials:
            raise ValueError("until: only a work trial has a planned last day")
        if self.until is not None and self.until < self.at.date():
            raise ValueError("until: the trial's last day is not before it starts")
        return self


class Proposal(StrictModel):
    """A person proposed for one task or a bundle of tasks, and the events that followed."""

    jobseeker_code: str = Field(pattern=r"^[A-Z]{2}-[0-9A-Z]{4,12}$")
    task_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        min_length=1, max_length=20
    )
    proposed_at: UtcDatetime
    proposed_by: str = Field(min_length=1, max_length=64)
    ruleset_version: str = Field(min_length=1, max_length=64)
    model_version: str | None = Field(default=None, max_length=64)
    suggestion_id: int | None = Field(default=None, ge=1)
    """The stored suggestion list it was taken from; None: made outside any list."""
    suggestion_position: int | None = Field(default=None, ge=1, le=10_000)
    """Where in that list (1 = first): what an evaluation needs to know was shown."""
    against_engine: bool = False
    """The person's own choice, proposed although the rules exclude at least one of its tasks
    for them: a human override, counted as such by the evaluation."""
    engine_said: dict[str, list[str]] = Field(default_factory=dict, max_length=20)
    """For each excluded task (its id): what failed under the rule set of the day."""
    override_reason: str | None = Field(default=None, min_length=3, max_length=2000)
    """Why the coordinator proposed it anyway (free text: the person's own coordinators')."""
    note: str = Field(default="", max_length=2000)
    """The proposer's own note, written when confirming it (free text)."""
    withdrawn_at: UtcDatetime | None = None
    """Withdrawn — made in error, or no longer wanted — at this moment; None while it stands.
    A withdrawn proposal has ended: nothing follows it, and evaluation does not count it."""
    withdrawn_by: str | None = Field(default=None, min_length=1, max_length=64)
    withdraw_reason: str | None = Field(default=None, min_length=3, max_length=2000)
    events: list[OutcomeEvent] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _events_in_order(self) -> Proposal:
        if len(set(self.task_ids)) != len(self.task_ids):
            raise ValueError("task_ids: a task may appear once")
        withdrawal = (self.withdrawn_at, self.withdrawn_by, self.withdraw_reason)
        if any(x is not None for x in withdrawal) and any(x is None for x in withdrawal):
            raise ValueError("withdrawn_at: a withdrawal says when, by whom and why")
        if self.withdrawn_at is not None and self.withdrawn_at < self.proposed_at:
            raise ValueError("withdrawn_at: is before the proposal was made")
        if self.against_engine and not self.override_reason:
            raise ValueError("override_reason: a proposal against the engine says why")
        previous: OutcomeEvent | None = None
        for i, event in enumerate(self.events):
            if event.at < (previous.at if previous else self.proposed_at):
                raise ValueError(f"events[{i}]: {event.kind.value} is dated before the step before")
            allowed = _NEXT.get(previous.kind if previous else None, set())
            if event.kind not in allowed:
                after = previous.kind.value if previous else "the proposal"
                raise ValueError(
                    f"events[{i}]: {event.kind.value} cannot follow {after}; allowed: "
                    + (", ".join(sorted(k.value for k in allowed)) or "nothing (it has ended)")
                )
            if event.kind is OutcomeKind.EMPLOYED_6_MONTHS:
                hired = next(e for e in self.events if e.kind is OutcomeKind.HIRED)
                if event.at - hired.at < SIX_MONTHS:
                    raise ValueError(
                        f"events[{i}]: employed_6_months is less than 6 months after hire"
                    )
            previous = event
        return self

    def reached(self, kind: OutcomeKind | str) -> bool:
        return any(e.kind == kind for e in self.events)
