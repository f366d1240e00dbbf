"""A client's service episode: enrolment, status over time, what happened to the person
(with or without a proposal) and the end with its continuation path.

The vocabulary is the domain documents' (the Lahti KUNTO project's results: of 232
continuation paths 75 were employment, 74 continued job search, 27 education, 17 work trials,
16 another service, 14 sick leave, 9 rehabilitative work activity). A person has at most one
open episode; a new one may start after the last has ended.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from features.schemas.common import StrictModel
from features.schemas.jobseeker import JobseekerStatus
from features.schemas.proposal import OutcomeKind

__all__ = [
    "PATH_OF_PROPOSAL_STEP",
    "PLACING_PATHS",
    "ContinuationPath",
    "EnrolmentFields",
    "Episode",
    "EpisodeEvent",
    "EpisodeEventFields",
    "EpisodeEventKind",
    "EpisodeStatus",
    "ReferralSource",
    "person_status",
]


class ReferralSource(StrEnum):
    """Who sent the client to the service."""

    PERSONAL_COACH = "personal_coach"
    """The employment services' personal coach (omavalmentaja)."""
    OHJAAMO = "ohjaamo"
    DISABILITY_SERVICES = "disability_services"
    SOCIAL_SERVICES = "social_services"
    HEALTH_CARE = "health_care"
    SELF_REFERRAL = "self_referral"
    OTHER = "other"
    UNKNOWN = "unknown"
    """Not recorded (episodes of people entered before episodes existed)."""


class ContinuationPath(StrEnum):
    """Where the person went on from the service (or what happened to them on the way)."""

    EMPLOYED = "employed"
    """Employed on the open market."""
    WAGE_SUBSIDISED_WORK = "wage_subsidised_work"
    WORK_TRIAL = "work_trial"
    EDUCATION = "education"
    REHABILITATIVE_WORK = "rehabilitative_work"
    """Rehabilitative work activity (kuntouttava työtoiminta)."""
    SICK_LEAVE_OR_CARE = "sick_leave_or_care"
    OTHER_SERVICE = "other_service"
    JOB_SEARCH = "job_search"
    """Continues job search."""
    NOT_REACHED = "not_reached"
    STOPPED_CONTACT = "stopped_contact"


PLACING_PATHS = frozenset({ContinuationPath.EMPLOYED, ContinuationPath.WAGE_SUBSIDISED_WORK})
"""Paths that place the person in work: their status becomes placed, and so they leave
matching and candidate lists. A proposal's hire or apprenticeship is such a path
(``PATH_OF_PROPOSAL_STEP``)."""


PATH_OF_PROPOSAL_STEP: dict[OutcomeKind, ContinuationPath] = {
    OutcomeKind.WORK_TRIAL_STARTED: ContinuationPath.WORK_TRIAL,
    OutcomeKind.HIRED: ContinuationPath.EMPLOYED,
    # An apprenticeship (oppisopimus) is an employment contract with its training: employed.
    OutcomeKind.APPRENTICESHIP_STARTED: ContinuationPath.EMPLOYED,
    OutcomeKind.EDUCATION_STARTED: ContinuationPath.EDUCATION,
    OutcomeKind.CARE_STARTED: ContinuationPath.SICK_LEAVE_OR_CARE,
    OutcomeKind.OTHER_SERVICE: ContinuationPath.OTHER_SERVICE,
}
"""A proposal's step that is also where the person went: recorded as an outcome of their open
service episode too, so the episode (and what is counted from it) tells the same story as the
proposal. Answers, extensions, the six-month check and an ended job are not paths."""


class EpisodeStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    PLACED = "placed"
    ENDED = "ended"


class EpisodeEventKind(StrEnum):
    PAUSED = "paused"
    """The service pauses (the person is not matched meanwhile)."""
    RESUMED = "resumed"
    """Active again, after a pause or a job that ended."""
    OUTCOME = "outcome"
    """Something happened to the person, with or without a proposal (its path says what)."""
    ENDED = "ended"
    """The episode ends; its path is where the person continues."""


_FROM: dict[EpisodeEventKind, frozenset[EpisodeStatus]] = {
    EpisodeEventKind.PAUSED: frozenset({EpisodeStatus.ACTIVE}),
    EpisodeEventKind.RESUMED: frozenset({EpisodeStatus.PAUSED, EpisodeStatus.PLACED}),
    EpisodeEventKind.OUTCOME: frozenset(
        {EpisodeStatus.ACTIVE, EpisodeStatus.PAUSED, EpisodeStatus.PLACED}
    ),
    EpisodeEventKind.ENDED: frozenset(
        {EpisodeStatus.ACTIVE, EpisodeStatus.PAUSED, EpisodeStatus.PLACED}
    ),
}
"""The statuses each kind of event may follow."""


class EpisodeEventFields(StrictModel):
    """What happened, but when (an event as stored has its date; one being recorded may
    leave it to the service: today)."""

    kind: EpisodeEventKind
    path: ContinuationPath | None = Field(
        default=None, description="For an outcome or the end: where the person went on."
    )
    note: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _path_where_it_belongs(self) -> EpisodeEventFields:
        needs = self.kind in (EpisodeEventKind.OUTCOME, EpisodeEventKind.ENDED)
        if needs and self.path is None:
            raise ValueError(f"path is required when kind is {self.kind.value!r}")
        if not needs and self.path is not None:
            raise ValueError(f"path: a {self.kind.value!r} event has no path")
        return self


class EpisodeEvent(EpisodeEventFields):
    on: date = Field(description="When it happened (not when it was typed).")

    def status_after(self, before: EpisodeStatus) -> EpisodeStatus:
        """The episode's status once this has happened."""
        if self.kind is EpisodeEventKind.PAUSED:
            return EpisodeStatus.PAUSED
        if self.kind is EpisodeEventKind.RESUMED:
            return EpisodeStatus.ACTIVE
        if self.kind is EpisodeEventKind.ENDED:
            return EpisodeStatus.ENDED
        return EpisodeStatus.PLACED if self.path in PLACING_PATHS else before


class EnrolmentFields(StrictModel):
    """Enrolment but its date: who referred the client, and the programme."""

    referral_source: ReferralSource = ReferralSource.UNKNOWN
    programme: str = Field(
        default="", max_length=64, description="Free text or a short code, e.g. 'KUNTO'."
    )


class Episode(EnrolmentFields):
    started_on: date
    events: list[EpisodeEvent] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _events_in_order(self) -> Episode:
        status, before = EpisodeStatus.ACTIVE, self.started_on
        for i, event in enumerate(self.events):
            if event.on < before:
                raise ValueError(f"events[{i}].on: before the episode began or the step before")
            if status not in _FROM[event.kind]:
                raise ValueError(
                    f"events[{i}]: {event.kind.value} cannot follow the status {status.value}"
                )
            status, before = event.status_after(status), event.on
        return self

    def current_status(self) -> EpisodeStatus:
        status = EpisodeStatus.ACTIVE
        for event in self.events:
            status = event.status_after(status)
        return status

    def ending(self) -> EpisodeEvent | None:
        last = self.events[-1] if self.events else None
        return last if last is not None and last.kind is EpisodeEventKind.ENDED else None

    def last_day(self) -> date:
        """The date of its latest event (its start, if none): nothing after may be earlier."""
        return self.events[-1].on if self.events else self.started_on

    def allowed_next(self) -> list[EpisodeEventKind]:
        """What may be recorded next, in the order of :class:`EpisodeEventKind`."""
        status = self.current_status()
        return [kind for kind in EpisodeEventKind if status in _FROM[kind]]


def person_status(episode: Episode) -> JobseekerStatus:
    """The person's status while ``episode`` is their latest: placed once placed (or ended
    into work), ended when it ended elsewhere."""
    status = episode.current_status()
    if status is EpisodeStatus.ENDED:
        end = episode.ending()
        placed = end is not None and end.path in PLACING_PATHS
        return JobseekerStatus.PLACED if placed else JobseekerStatus.ENDED
    return JobseekerStatus(status.value)
