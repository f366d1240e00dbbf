"""When things happened: the one set of rules every dated record is held to.

A coordinator records what happened on the day it happened, which may be days before it is
typed; the date defaults to today and can be changed. Today is Finland's (the service's users
are there): at 01:00 in Helsinki it is already tomorrow in UTC's eyes and still today in
theirs.

The rules (each a :class:`FieldError` kind, said in the user's language by the web UI):

- ``date_in_future``: what happened is not in the future (planned things — a work trial's
  last day, a visit to come — are not "what happened" and are not held to it);
- ``date_before_start``: nothing of an episode or a proposal is dated before it began, nor
  before the step before it;
- ``due_in_past``, ``due_too_far``: something agreed for later (a contact's next step, a
  referral's answer, a step of the client plan) is due today or later, and at most
  :data:`~features.schemas.contact.STEP_DUE_WITHIN` days ahead;
- ``date_too_old``: a physician's statement or a capacity assessment is not dated before
  1 January 1990 (:data:`EARLIEST_ASSESSMENT`: no statement older than that is a basis for
  today's work ability, and 1.1.1900 is a slip of the keyboard) nor before the year the
  person was born, when their birth year is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from features.i18n import N_
from features.schemas.errors import FieldError

__all__ = [
    "BIRTH_YEAR",
    "EARLIEST_ASSESSMENT",
    "EARLIEST_CONSENT",
    "EARLIEST_SERVICE",
    "EPISODE_LATEST",
    "EPISODE_START",
    "FINLAND",
    "FIRST_EPISODE_START",
    "GDPR_APPLIED",
    "PLAN_STEP_AGREED",
    "PREVIOUS_EPISODE_END",
    "PROPOSAL_MADE",
    "RECORD_BEGINS",
    "REFERRAL_MADE",
    "STEP_AGREED",
    "STEP_BEFORE",
    "assessment_date_problems",
    "before_start",
    "due_problems",
    "happened_problems",
    "is_due",
    "is_overdue",
    "moment_of",
    "plausible_start_problems",
    "today_in_finland",
]

FINLAND = ZoneInfo("Europe/Helsinki")
EARLIEST_ASSESSMENT = date(1990, 1, 1)
"""No capacity assessment or physician's statement is dated before this."""
EARLIEST_SERVICE = date(1990, 1, 1)
"""No service episode begins before this (nor, so, anything recorded in one)."""
EARLIEST_CONSENT = date(2018, 5, 25)
"""No consent is dated before the GDPR applied: one given to this service is given under it."""

# What a date may not be before (``date_before_start``'s ``what``), in words a page translates.
EPISODE_START = N_("the start of the episode")
EPISODE_LATEST = N_("the episode's latest step")
PREVIOUS_EPISODE_END = N_("the end of the previous episode")
PROPOSAL_MADE = N_("the proposal was made")
STEP_BEFORE = N_("the step before")
FIRST_EPISODE_START = N_("the start of the client's first service episode")
STEP_AGREED = N_("the contact where the step was agreed")
REFERRAL_MADE = N_("the referral was made")
GDPR_APPLIED = N_("the day the GDPR began to apply")
RECORD_BEGINS = N_("the earliest date the record takes")
BIRTH_YEAR = N_("the year the client was born")
PLAN_STEP_AGREED = N_("the step was agreed")


def today_in_finland(now: datetime) -> date:
    """The date in Finland at the moment ``now`` (a naive one is UTC, as the database keeps
    moments; at the calendar's very end, where Finland's clock would run past year 9999, the
    UTC date)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        return now.astimezone(FINLAND).date()
    except OverflowError:
        return now.date()


def is_due(due_on: date, today: date) -> bool:
    """Whatever was agreed or awaited by ``due_on`` — a client's next step, a plan step, a
    referral's answer — is due on that very day: it is on the caseload from the morning of it
    (one rule for all three, so that a coordinator sees what falls on today)."""
    return due_on <= today


def is_overdue(due_on: date, today: date) -> bool:
    """Still open after its day: marked overdue on the person's page."""
    return due_on < today


def moment_of(day: date, now: datetime) -> datetime:
    """The moment a step recorded for ``day`` is stored at: now, when ``day`` is today (so
    that steps recorded one after another stay in order), else the last minute of that day in
    Finland — after anything else of the day it was recorded for."""
    if day == today_in_finland(now):
        return now
    end = datetime.combine(day, time(23, 59), tzinfo=FINLAND)
    return end.astimezone(now.tzinfo)


def happened_problems(
    field: str, day: date, now: datetime, *, not_before: date | None = None, what: str = ""
) -> list[FieldError]:
    """What is wrong with ``day`` as the date something happened: in the future (Finland's
    today), or before ``not_before`` (the start of what it belongs to: ``what`` names it)."""
    today = today_in_finland(now)
    if day > today:
        return [FieldError(field, f"is in the future ({day.isoformat()}); what happened is "
                           f"dated today ({today.isoformat()}) or earlier",
                           kind="date_in_future", context={"today": today})]  # fmt: skip
    if not_before is not None and day < not_before:
        return [before_start(field, not_before, what)]
    return []


def due_problems(field: str, day: date, now: datetime, *, within_days: int) -> list[FieldError]:
    """What is wrong with ``day`` as the day something agreed now is due: before Finland's
    today, or more than ``within_days`` ahead of it."""
    today = today_in_finland(now)
    ahead = timedelta(days=within_days)
    latest = today + ahead if today <= date.max - ahead else date.max
    if day < today:
        return [FieldError(field, f"is in the past ({day.isoformat()}); a due date is today "
                           f"({today.isoformat()}) or later",
                           kind="due_in_past", context={"today": today})]  # fmt: skip
    if day > latest:
        return [FieldError(field, f"is too far ahead ({day.isoformat()}); a due date is "
                           f"{latest.isoformat()} at the latest",
                           kind="due_too_far", context={"latest": latest})]  # fmt: skip
    return []


def before_start(field: str, start: date, what: str) -> FieldError:
    """``field`` is dated before ``what`` (on ``start``)."""
    return FieldError(field, f"is before {what or 'the start'} ({start.isoformat()})",
                      kind="date_before_start", context={"start": start, "what": what})  # fmt: skip


def plausible_start_problems(field: str, day: date, birth_year: int | None) -> list[FieldError]:
    """What is wrong with ``day`` as the start of a client's service episode beside the rules
    of :func:`happened_problems`: before the year they were born, or before
    :data:`EARLIEST_SERVICE` (a mistyped year, 1900 for 2000)."""
    if birth_year is not None and day < date(birth_year, 1, 1):
        return [before_start(field, date(birth_year, 1, 1), BIRTH_YEAR)]
    if day < EARLIEST_SERVICE:
        return [before_start(field, EARLIEST_SERVICE, RECORD_BEGINS)]
    return []


def assessment_date_problems(
    assessed: Mapping[str, date], now: datetime, *, birth_year: int | None = None
) -> list[FieldError]:
    """What is wrong with capacity assessments' dates (field → date): in the future, before
    :data:`EARLIEST_ASSESSMENT`, or before the person's birth year."""
    today = today_in_finland(now)
    earliest = max(EARLIEST_ASSESSMENT, date(birth_year, 1, 1) if birth_year else date.min)
    out = []
    for field, day in assessed.items():
        if day > today:
            out.extend(happened_problems(field, day, now))
        elif day < earliest:
            out.append(FieldError(field, f"is implausibly old ({day.isoformat()}); an "
                                  f"assessment is dated {earliest.isoformat()} or later",
                                  kind="date_too_old", context={"earliest": earliest}))  # fmt: skip
    return out
