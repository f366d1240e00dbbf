"""A coordinator's contacts with a client — met, phoned, a video call, a message, or an
attempt that did not happen — each dated when it happened, and the next step agreed in it.

The next agreed step is what the client and the coordinator agreed to do next (short text)
and by when. It stays open until a later contact finds it done (``step_done``), or a newer
contact agrees another step, which supersedes it: at most one step is open at a time, the
one of the newest contact (by its date, then the order recorded) that agreed one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from features.schemas.common import StrictModel

__all__ = [
    "DID_NOT_HAPPEN",
    "STEP_DUE_WITHIN",
    "Contact",
    "ContactFields",
    "ContactKind",
    "NextAgreedStep",
    "StepState",
]

STEP_DUE_WITHIN = 366
"""Days ahead (from today) a next step may be due at most: about a year."""


class ContactKind(StrEnum):
    MET = "met"
    """Met in person."""
    PHONED = "phoned"
    VIDEO = "video"
    """A video call."""
    MESSAGE = "message"
    """A message (text, e-mail, the service's own channel) that reached the client."""
    CANCELLED = "cancelled"
    """Did not happen: the client cancelled."""
    NO_SHOW = "no_show"
    """Did not happen: the client did not show up."""
    NOT_REACHED = "not_reached"
    """Did not happen: the client could not be reached."""

    @property
    def happened(self) -> bool:
        return self not in DID_NOT_HAPPEN


DID_NOT_HAPPEN = frozenset({ContactKind.CANCELLED, ContactKind.NO_SHOW, ContactKind.NOT_REACHED})
"""Attempts: they count as the coordinator's activity, not as having met the client."""


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    """A later contact found it done."""
    SUPERSEDED = "superseded"
    """A newer contact agreed another step before this one was found done."""


class NextAgreedStep(StrictModel):
    what: str = Field(min_length=1, max_length=200, description="What was agreed, in short.")
    due_on: date = Field(description="By when: today or later, at most a year ahead.")


class ContactFields(StrictModel):
    """A contact but its date (a contact as stored has its date; one being recorded may leave
    it to the service: today)."""

    kind: ContactKind
    note: str = Field(
        default="", max_length=2000, description="The coordinator's own note; never audited."
    )
    next_step: NextAgreedStep | None = Field(
        default=None, description="The next step agreed; it supersedes any step still open."
    )
    step_done: bool = Field(
        default=False,
        description="The open agreed step (of an earlier contact) was found done in this one.",
    )


class Contact(ContactFields):
    on: date = Field(description="When it happened (not when it was typed).")
