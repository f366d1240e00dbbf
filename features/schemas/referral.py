"""A coordinator's referral of a client onwards — to a health check for the unemployed, an
occupational physician (a B statement), a psychologist, social services, health or mental
health services, rehabilitation (Kela), or elsewhere — dated when it was made, with the date
its answer is awaited by and, where it is to produce a statement about work ability, the
characteristics that statement will assess.

A referral is open until a coordinator records it **answered** (the statement received, the
visit done) or **cancelled**, each with its date, once.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from features.catalogue import CHARACTERISTIC_IDS
from features.schemas.common import CharacteristicId, StrictModel

__all__ = [
    "ANSWER_DUE_WITHIN",
    "AWAITS_AT_MOST",
    "Referral",
    "ReferralFields",
    "ReferralKind",
    "ReferralOutcome",
]

ANSWER_DUE_WITHIN = 366
"""Days ahead (from today) a referral's answer may be awaited by at most: about a year."""
AWAITS_AT_MOST = len(CHARACTERISTIC_IDS)


class ReferralKind(StrEnum):
    HEALTH_CHECK = "health_check"
    """A health check for the unemployed (työttömien terveystarkastus)."""
    PHYSICIAN = "physician"
    """An occupational physician, or a physician's statement (B-lausunto)."""
    PSYCHOLOGIST = "psychologist"
    """A psychologist, e.g. a careers psychologist (ammatinvalintapsykologi)."""
    SOCIAL_SERVICES = "social_services"
    HEALTH_CARE = "health_care"
    """Health care or mental health services."""
    REHABILITATION = "rehabilitation"
    """Rehabilitation (Kela's or other)."""
    OTHER = "other"


class ReferralOutcome(StrEnum):
    ANSWERED = "answered"
    """The statement was received, or the visit done."""
    CANCELLED = "cancelled"


def _catalogue_order(ids: list[str]) -> list[str]:
    # Each once, in the catalogue's order: the order the capacity view reads them in.
    return sorted(set(ids), key=CHARACTERISTIC_IDS.index)


class ReferralFields(StrictModel):
    """A referral but its date (one being made may leave it to the service: today)."""

    kind: ReferralKind
    note: str = Field(
        default="", max_length=2000, description="The coordinator's own note; never audited."
    )
    due_on: date | None = Field(
        default=None,
        description="The answer is awaited by this day: today or later, at most a year ahead.",
    )
    assesses: Annotated[list[CharacteristicId], AfterValidator(_catalogue_order)] = Field(
        default_factory=list,
        max_length=AWAITS_AT_MOST,
        description="The characteristics (catalogue ids) the awaited statement will assess.",
    )


class Referral(ReferralFields):
    on: date = Field(description="When the referral was made (not when it was typed).")
