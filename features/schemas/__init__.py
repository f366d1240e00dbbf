"""Domain schemas (pydantic v2): validated at every boundary, naming the field and the fix."""

from features.schemas.employer import (
    Address,
    ContactPerson,
    CrmNote,
    Employer,
    Frequency,
    NetworkStatus,
    Role,
    Task,
    TaskType,
)
from features.schemas.jobseeker import (
    Availability,
    CapacityRating,
    CapacitySource,
    Consent,
    ConsentScope,
    Demographics,
    JobseekerIdentity,
    JobseekerProfile,
    JobseekerStatus,
    LanguageSkill,
    SupportNeeds,
)
from features.schemas.proposal import DeclineReason, OutcomeEvent, OutcomeKind, Proposal

__all__ = [
    "Address",
    "Availability",
    "CapacityRating",
    "CapacitySource",
    "Consent",
    "ConsentScope",
    "ContactPerson",
    "CrmNote",
    "DeclineReason",
    "Demographics",
    "Employer",
    "Frequency",
    "JobseekerIdentity",
    "JobseekerProfile",
    "JobseekerStatus",
    "LanguageSkill",
    "NetworkStatus",
    "OutcomeEvent",
    "OutcomeKind",
    "Proposal",
    "Role",
    "SupportNeeds",
    "Task",
    "TaskType",
]
