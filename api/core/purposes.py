"""Why a person's data is read: the purpose each read of a person is recorded with in the audit
trail (:func:`api.storage.audit.record`)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose"]


class Purpose(StrEnum):
    """Why a person's data is read, from a closed list: the audit trail is append-only, so a
    free-text purpose (which could name a diagnosis) could never be erased with the person."""

    UNSPECIFIED = "unspecified"
    MATCHING = "matching"
    CASE_MANAGEMENT = "case_management"
    ASSESSMENT = "assessment"
    EMPLOYER_CONTACT = "employer_contact"
    FOLLOW_UP = "follow_up"
    WEB_PERSON_PAGE = "web: person page"
    WEB_HIDDEN_JOB_SEARCH = "web: hidden-job search"
    WEB_EDIT_PROFILE = "web: edit profile"
    CLI = "cli"
