"""Whether a person may be matched at all, and why not: one definition for the feature
pipeline (a whole frame at once), the profile schema (one person), the API, the UI and the CLI.

A person is matched only with consent that covers matching, not withdrawn, while their status
is active. The first reason that applies, in the order below, is the one given.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from features.i18n import N_, gettext_for

__all__ = ["NotMatchable", "not_matchable_reasons", "reason_text"]


class NotMatchable(StrEnum):
    """Why a person is not matched; the empty string means they are."""

    NO_CONSENT = "no_consent"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_SCOPE = "consent_scope"
    NOT_ACTIVE = "not_active"


_TEXT: dict[NotMatchable, str] = {
    NotMatchable.NO_CONSENT: N_("No consent to matching."),
    NotMatchable.CONSENT_WITHDRAWN: N_("Consent has been withdrawn."),
    NotMatchable.CONSENT_SCOPE: N_("The consent does not cover matching."),
    NotMatchable.NOT_ACTIVE: N_("The person is not active (paused, placed or ended)."),
}


def not_matchable_reasons(
    consent_given: np.ndarray,
    consent_withdrawn: np.ndarray,
    scope_covers_matching: np.ndarray,
    active: np.ndarray,
) -> np.ndarray:
    """object (n,): '' where the person may be matched, else the :class:`NotMatchable` value
    that applies first. Every argument is bool (n,)."""
    conditions = [~consent_given, consent_withdrawn, ~scope_covers_matching, ~active]
    choices = [
        NotMatchable.NO_CONSENT.value,
        NotMatchable.CONSENT_WITHDRAWN.value,
        NotMatchable.CONSENT_SCOPE.value,
        NotMatchable.NOT_ACTIVE.value,
    ]
    return np.select(conditions, choices, default="").astype(object)


def reason_text(reason: str, lang: str) -> str:
    """The reason in words a coordinator can repeat ('' for a matchable person)."""
    if not reason:
        return ""
    return gettext_for(lang)(_TEXT[NotMatchable(reason)])
