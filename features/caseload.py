"""The coordinator's caseload at a glance: for each person, what needs doing next — worked out
from their proposals and what followed, the last thing recorded about them, and the
assessments their matching would need. Plain functions over frames; no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd

from features.schemas.dates import is_due, today_in_finland
from features.schemas.proposal import SIX_MONTHS, OutcomeKind

__all__ = [
    "ANSWER_OVERDUE",
    "CONTRACT_ENDING",
    "QUIET",
    "REFUSAL_SHOWN",
    "TRIAL_ENDING",
    "NextStep",
    "Step",
    "attention",
    "important_characteristics",
    "next_steps",
]

ANSWER_OVERDUE = timedelta(days=14)
"""A proposal unanswered this long is chased."""
TRIAL_ENDING = timedelta(days=7)
"""A work trial ending this soon (or already past its last day) is on the caseload."""
CONTRACT_ENDING = timedelta(days=30)
"""A contract ending this soon is on the caseload."""
REFUSAL_SHOWN = timedelta(days=14)
"""A refused hand-off stays on its sender's caseload this long."""
QUIET = timedelta(weeks=4)
"""Nothing recorded about a person for this long: time to get in touch."""
IMPORTANT_SHARE = 0.5
"""A characteristic matters for matching when at least this share of hand-over tasks demand
it: a person without its assessment cannot be judged for most of them."""


class Step(StrEnum):
    """What needs doing, most urgent first."""

    FOLLOW_UP_DUE = "follow_up_due"
    """Hired six months ago or more, and the six-month follow-up is not recorded."""
    VISIT_DUE = "visit_due"
    """A follow-up visit after a hire was planned for a day now past, and is not recorded."""
    CONTRACT_ENDING = "contract_ending"
    """A fixed-term contract ends within :data:`CONTRACT_ENDING`: what next?"""
    TRIAL_ENDING = "trial_ending"
    """A work trial's planned last day is within :data:`TRIAL_ENDING` (or past): hire or not?"""
    CANDIDATE_REQUEST = "candidate_request"
    """A Rekrypiste worker asks whether the person would want a task: not answered yet."""
    HANDOFF = "handoff"
    """The other coordinator handed the person over: not taken over yet."""
    HANDOFF_REFUSED = "handoff_refused"
    """The other coordinator did not take over the person handed to them, saying why (shown
    for :data:`REFUSAL_SHOWN`, while it is the person's latest hand-off)."""
    AGREED_STEP_DUE = "agreed_step_due"
    """The next step agreed with the client is due (today or earlier: ``is_due``), and no
    contact has found it done."""
    REFERRAL_DUE = "referral_due"
    """A referral onwards still open (no statement received, no visit done, not cancelled)
    on or after the day its answer was awaited by (``is_due``)."""
    PLAN_STEP_DUE = "plan_step_due"
    """A step of the client plan still open (neither done nor dropped) on or after its due
    date (``is_due``)."""
    NEW_MATCHES = "new_matches"
    """Fitting tasks that were not among the person's suggestions at the coordinator's last
    look at their page."""
    NEW_SINCE_RUN = "new_since_run"
    """Good matches (fully assessed fits in the top k) in the latest batch run that were not
    in the run before."""
    ANSWER_OVERDUE = "answer_overdue"
    """A proposal has waited for an answer longer than :data:`ANSWER_OVERDUE`."""
    WAITING_ANSWER = "waiting_answer"
    TRIAL_RUNNING = "trial_running"
    AGREED_STEP = "agreed_step"
    """The next step agreed with the client, due later (for information: no urgency)."""
    ASSESS = "assess"
    """Capacities not assessed that stand between the person and their best matches (the
    latest batch run's), or — before any run — that most hand-over tasks demand."""
    NO_ACTIVITY = "no_activity"


_URGENCY = {step: len(Step) - i for i, step in enumerate(Step)}
_NOT_URGENT = frozenset({Step.WAITING_ANSWER, Step.AGREED_STEP})
"""Shown for information; they make nobody more urgent."""
_TRIAL = {OutcomeKind.WORK_TRIAL_STARTED.value, OutcomeKind.WORK_TRIAL_EXTENDED.value}
_FOLLOWED_UP = {OutcomeKind.EMPLOYED_6_MONTHS.value, OutcomeKind.ENDED.value}


@dataclass(frozen=True)
class NextStep:
    step: Step
    since: datetime | None = None
    """When it began: the proposal, the trial, the hire, the request, the last thing recorded."""
    about_id: int | None = None
    """The proposal, candidate request, hand-off or contact (that agreed the step) it is
    about; for new matches, how many."""
    characteristics: tuple[str, ...] = field(default=())
    what: str = ""
    """For an agreed step or an overdue plan step: what was agreed; for an overdue referral:
    its kind."""


def important_characteristics(demand: np.ndarray, hand_over: np.ndarray) -> np.ndarray:
    """bool (n_characteristics,): demanded (level 1 or more) by at least
    :data:`IMPORTANT_SHARE` of the hand-over tasks. ``demand``: float (m, n), NaN unknown."""
    rows = demand[hand_over]
    if len(rows) == 0:
        return np.zeros(demand.shape[1], dtype=bool)
    demanded = np.nan_to_num(rows, nan=0.0) >= 1
    return demanded.mean(axis=0) >= IMPORTANT_SHARE


def next_steps(
    proposals: pd.DataFrame,
    events: pd.DataFrame,
    last_activity: Mapping[int, datetime],
    unassessed: Mapping[int, Iterable[str]],
    now: datetime,
    waiting_for_me: Iterable[tuple[Step, int, int, datetime]] = (),
    agreed: Iterable[tuple[int, int, date, str]] = (),
    referrals_awaited: Iterable[tuple[int, int, date, str]] = (),
    plan_steps_open: Iterable[tuple[int, int, date, str]] = (),
) -> dict[int, list[NextStep]]:
    """Each person's next steps, most urgent first.

    ``proposals``: proposal_id, person_id, proposed_at. ``events``: proposal_id, kind, at and,
    optionally, until (a work trial's planned last day).
    ``last_activity``: person → the last thing recorded about them (every person of the
    caseload is a key). ``unassessed``: person → the important characteristics they lack.
    ``waiting_for_me``: (step, person, id, since) of what others ask of this coordinator —
    candidate requests to answer, hand-offs to take over. ``agreed``: (person, contact, due
    date, what) of each person's open agreed step. ``referrals_awaited``: (person, referral,
    due date, kind) of each open referral whose answer is awaited by a day.
    ``plan_steps_open``: (person, step, due date, what) of each open step of the client plan.
    All three are due by one rule (:func:`~features.schemas.dates.is_due`: from their day in
    Finland on); an agreed step not due yet is shown for information, the others not."""
    steps: dict[int, list[NextStep]] = {person: [] for person in last_activity}
    by_proposal = {
        pid: group.sort_values("at") for pid, group in events.groupby("proposal_id", sort=False)
    }
    for row in proposals.itertuples(index=False):
        person, pid = int(row.person_id), int(row.proposal_id)
        if person not in steps:
            continue
        happened = by_proposal.get(pid)
        if happened is None or happened.empty:
            late = now - row.proposed_at >= ANSWER_OVERDUE
            step = Step.ANSWER_OVERDUE if late else Step.WAITING_ANSWER
            steps[person].append(NextStep(step, row.proposed_at, pid))
            continue
        last = happened.iloc[-1]
        kinds = set(happened["kind"])
        if last["kind"] in _TRIAL:
            until = last.get("until")
            ending = until is not None and not pd.isna(until)
            if ending and datetime.combine(until, time(), tzinfo=UTC) - now <= TRIAL_ENDING:
                at = datetime.combine(until, time(), tzinfo=UTC)
                steps[person].append(NextStep(Step.TRIAL_ENDING, at, pid))
            else:
                steps[person].append(NextStep(Step.TRIAL_RUNNING, last["at"], pid))
        hired = happened[happened["kind"] == OutcomeKind.HIRED.value]
        if len(hired) and not kinds & _FOLLOWED_UP and now - hired["at"].iloc[0] >= SIX_MONTHS:
            steps[person].append(NextStep(Step.FOLLOW_UP_DUE, hired["at"].iloc[0], pid))
    for step, person, about, since in waiting_for_me:
        if person in steps:
            steps[person].append(NextStep(step, since, about))
    today = today_in_finland(now)
    dated: tuple[tuple[Iterable[tuple[int, int, date, str]], Step, Step | None], ...] = (
        (agreed, Step.AGREED_STEP_DUE, Step.AGREED_STEP),
        (referrals_awaited, Step.REFERRAL_DUE, None),
        (plan_steps_open, Step.PLAN_STEP_DUE, None),
    )
    for items, when_due, before_due in dated:
        for person, about, due, what in items:
            shown = when_due if is_due(due, today) else before_due
            if person in steps and shown is not None:
                at = datetime.combine(due, time(), tzinfo=UTC)
                steps[person].append(NextStep(shown, at, about, what=what))
    for person, names in unassessed.items():
        if person in steps and (names := tuple(names)):
            steps[person].append(NextStep(Step.ASSESS, characteristics=names))
    for person, at in last_activity.items():
        if now - at >= QUIET:
            steps[person].append(NextStep(Step.NO_ACTIVITY, at))
    for found in steps.values():
        # Most urgent first; of the same kind, the longest waiting first.
        found.sort(key=lambda s: (-_URGENCY[s.step], s.since or now))
    return steps


def attention(steps: list[NextStep]) -> int:
    """How urgent the person's most urgent step is (0: nothing to do): a caseload sorts by it."""
    return max((_URGENCY[s.step] for s in steps if s.step not in _NOT_URGENT), default=0)
