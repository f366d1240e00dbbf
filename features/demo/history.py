"""A recorded history of proposals and outcomes, simulated so that evaluation has real signal.

The process, for each proposal:

1. **Who.** A person with consent to matching, at a moment between their consent and the
   world's ``as_of`` date (or the withdrawal of consent).
2. **What.** A coordinator looks at ``CANDIDATES`` hand-over tasks within ``REACH_KM`` of the
   person's home and picks the one that *looks* best from the **recorded** profile (unknown
   ratings taken optimistically as 3), interests and distance, with Gumbel noise for judgement.
   One proposal in five bundles one or two more hand-over tasks of the same role.
3. **What happened** depends on the **true** fit, which the coordinator never sees: the
   over-demand left after the employer's accepted adjustments (never relaxing a physician's
   hard limit), how many adjustments are needed, missing licences, hours and schedule fit,
   distance, interest, the person's motivation and noise. In turn, with logistic models
   (coefficients in ``OUTCOME_MODEL``): the person accepts or declines; the employer accepts
   or declines; a work trial starts (three in four) or the person is hired directly; the trial
   leads to a hire or ends; a hire lasts six months or ends. Events after ``as_of`` have not
   happened yet, so recent proposals are censored, as real ones are.
4. **One placement at a time.** A person is on one work trial, or in one job, at a time, and is
   not proposed while in work (until the job ends); a proposal made while on a trial is fine.
   Person by person, in the order they were made, the proposals that would break this are made
   again on a day drawn outside the person's trials and jobs, with what happened after drawn
   again (the same decisions, other delays), from a random stream of their own
   (:data:`PLACEMENT_STREAM`); one with no room on twenty such days is declined by the person
   (``other``) when its trial or hire would have begun. Every other proposal, and every table
   drawn after the history, is as it was before the rule (issue #27).

The true fit of every proposal is returned beside the tables (never stored), so tests can show
that outcomes follow fit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

import numpy as np
import pandas as pd

from features.catalogue import CHARACTERISTIC_IDS, MUNICIPALITIES
from features.demo.employers import MUNICIPALITY_WEIGHTS, EmployerWorld
from features.demo.people import PeopleWorld
from features.demo.truth import (
    OUTCOME_MODEL,
    FitContext,
    hours_gap,
    linear,
    predictors,
    sigmoid,
)
from features.geo import haversine_km
from features.schemas.proposal import TERMINAL, OutcomeKind

__all__ = [
    "CANDIDATES",
    "OUTCOME_MODEL",
    "PLACEMENT_STREAM",
    "REACH_KM",
    "HistoryWorld",
    "generate_history",
]

CANDIDATES = 30
REACH_KM = 40.0
BUNDLE_SHARE = 0.2
TRIAL_SHARE = 0.75
_N = len(CHARACTERISTIC_IDS)
PLACEMENT_STREAM = 27
"""Proposals that would put a person in two placements at once are drawn again from a random
stream of their own, ``default_rng([seed, PLACEMENT_STREAM])`` (27: the issue that found two
work trials at once), not from the world's shared ones: every other proposal, and every table
drawn after the history, stays as it was."""
PLACEMENT_TRIES = 20
"""How many other days a proposal with no room is tried on before the person declines it."""

Event = tuple[str, datetime, str | None]
"""What happened after a proposal: its kind, when, and why (a decline's or an end's reason)."""
Story = Callable[[int, datetime, Callable[[int, int], int]], list[Event]]
"""Draws what happened after proposal ``p`` made at a moment, its delays from a ``randint``."""
_PLACING = {OutcomeKind.WORK_TRIAL_STARTED.value, OutcomeKind.HIRED.value}
"""The events that take a person out of job search: into a work trial, or into work."""


@dataclass(frozen=True)
class HistoryWorld:
    proposal: pd.DataFrame
    proposal_task: pd.DataFrame
    outcome_event: pd.DataFrame
    truth: pd.DataFrame
    """Per proposal: true over-demand, adjustments needed, severe, interest, distance, … ."""


def generate_history(
    rng: np.random.Generator,
    py: random.Random,
    employers: EmployerWorld,
    people: PeopleWorld,
    n_proposals: int,
    as_of: date,
    placements: np.random.Generator,
) -> HistoryWorld:
    """The proposals, their tasks and outcome events, and their true fit; ``placements`` is
    the stream of its own (:data:`PLACEMENT_STREAM`) that proposals with no room for what
    happened to them are drawn again from."""
    if n_proposals == 0:  # a world without a history yet: every table empty, columns kept
        return HistoryWorld(
            pd.DataFrame(columns=["id", "jobseeker_id", "proposed_at", "proposed_by",
                                  "ruleset_version", "model_version"]),
            pd.DataFrame(columns=["proposal_id", "task_id"]),
            pd.DataFrame(columns=["id", "proposal_id", "kind", "at", "reason", "note"]),
            pd.DataFrame(columns=["proposal_id", "over_demand", "adjustments_needed", "severe",
                                  "missing_licence", "schedule_miss", "hours_gap", "km",
                                  "interest", "motivation", "group"]),
        )  # fmt: skip
    task, person = employers.task, people.jobseeker
    as_of_dt = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    truth_context = FitContext.of(employers, people)
    adjusted = truth_context.adjusted
    t_lat, t_lon = truth_context.task_lat, truth_context.task_lon
    hand_over = np.flatnonzero(task["task_type"].to_numpy() == "hand_over")

    # --- who, and when --------------------------------------------------------------------
    consented = np.array([c is not None for c in people.consent_given_at])
    eligible = np.flatnonzero(consented)
    who = rng.choice(eligible, size=n_proposals)
    given = people.consent_given_at[who]
    withdrawn = person["consent_withdrawn_at"].to_numpy()[who]
    cutoff = as_of_dt - timedelta(days=7)
    last = np.array(
        [
            cutoff
            if pd.isna(w)
            else min(w.to_pydatetime() if hasattr(w, "to_pydatetime") else w, cutoff)
            for w in withdrawn
        ],
        dtype=object,
    )
    when = np.array(
        [g + (lst - g) * py.random() if lst > g else g for g, lst in zip(given, last, strict=True)],
        dtype=object,
    )

    # --- what: the coordinator's pick among nearby hand-over tasks ----------------------------
    home_lat = person["lat"].to_numpy()[who]
    home_lon = person["lon"].to_numpy()[who]
    pools: dict[str, np.ndarray] = {}
    for name in MUNICIPALITY_WEIGHTS:  # the world's own municipalities, in their order
        m = MUNICIPALITIES[name]
        near = haversine_km(m.lat, m.lon, t_lat[hand_over], t_lon[hand_over]) <= REACH_KM
        pools[name] = hand_over[near] if near.any() else hand_over
    muni = person["municipality"].to_numpy()[who]
    recorded = np.nan_to_num(people.recorded_capacity, nan=3.0)
    sector = employers.task_sector
    kinds = task["kind"].to_numpy()
    interests_sector = person["interest_sectors"].to_numpy()
    interests_kind = person["interest_task_kinds"].to_numpy()

    chosen = np.empty(n_proposals, dtype=np.int64)
    for name, pool in pools.items():
        rows = np.flatnonzero(muni == name)
        for start in range(0, len(rows), 2000):
            r = rows[start : start + 2000]
            cand = pool[rng.integers(0, len(pool), size=(len(r), CANDIDATES))]
            over = np.maximum(adjusted[cand] - recorded[who[r]][:, None, :], 0).sum(axis=2)
            interest = np.array(
                [
                    [
                        sector[c] in interests_sector[who[i]] or kinds[c] in interests_kind[who[i]]
                        for c in row
                    ]
                    for i, row in zip(r, cand, strict=True)
                ],
                dtype=float,
            )
            km = haversine_km(home_lat[r, None], home_lon[r, None], t_lat[cand], t_lon[cand])
            score = -1.0 * over + 1.0 * interest - 0.02 * km + rng.gumbel(0, 0.7, over.shape)
            chosen[r] = cand[np.arange(len(r)), score.argmax(axis=1)]

    role_of = task["role_id"].to_numpy()
    by_role: dict[int, list[int]] = {}
    for j in hand_over:
        by_role.setdefault(int(role_of[j]), []).append(int(j))
    bundles: list[list[int]] = []
    for j in chosen:
        bundle = [int(j)]
        others = [k for k in by_role[int(role_of[j])] if k != j]
        if others and py.random() < BUNDLE_SHARE:
            bundle += py.sample(others, min(len(others), py.randint(1, 2)))
        bundles.append(sorted(bundle))

    # --- the true fit of each proposal (worst task of a bundle) -------------------------------
    # One definition of the true fit (features.demo.truth), per (proposal, task) pair, then
    # per proposal: its worst task's over-demand, every adjustment, any severe gap or missing
    # licence, the slots of all its tasks, their hours together and the farthest place.
    pair_of = np.repeat(np.arange(n_proposals), [len(b) for b in bundles])
    fit = truth_context.pair_fit(who[pair_of], np.concatenate([np.asarray(b) for b in bundles]))
    starts = np.concatenate([[0], np.cumsum([len(b) for b in bundles])[:-1]])
    over_total = np.maximum.reduceat(fit.over, starts)
    n_adjust = np.add.reduceat(fit.adjustments, starts)
    severe = np.logical_or.reduceat(fit.severe, starts)
    missing_licence = np.logical_or.reduceat(fit.missing_licence, starts)
    schedule_miss = 1 - np.add.reduceat(fit.slots_free, starts) / np.add.reduceat(fit.slots, starts)
    hours = np.add.reduceat(fit.hours, starts)
    km = np.maximum.reduceat(fit.km, starts)
    interest = np.logical_or.reduceat(fit.interest, starts)
    gap = hours_gap(hours, person["weekly_hours_min"].to_numpy()[who],
                    person["weekly_hours_max"].to_numpy()[who])  # fmt: skip
    inputs = predictors(over_total, n_adjust, severe, missing_licence, schedule_miss, gap, km,
                        interest, people.motivation[who])  # fmt: skip

    def logit(model: str) -> np.ndarray:
        z = linear(model, inputs[model], n_proposals)
        if "noise_sd" in OUTCOME_MODEL[model]:
            z = z + rng.normal(0, OUTCOME_MODEL[model]["noise_sd"], n_proposals)
        return sigmoid(z)

    p_person = logit("person_accepts")
    p_employer = logit("employer_accepts")
    p_hired = logit("hired")
    p_kept = logit("retained_6_months")
    u = rng.random((n_proposals, 5))

    def story(p: int, start: datetime, randint: Callable[[int, int], int]) -> list[Event]:
        """What happened after proposal ``p`` made at ``start``, its delays drawn by
        ``randint`` (two draws an event, the last one's even if it falls after ``as_of``)."""
        t = start
        events: list[Event] = []

        def add(kind: str, days: tuple[int, int], reason: str | None = None) -> bool:
            nonlocal t
            t = t + timedelta(days=randint(*days), hours=randint(0, 8))
            if t > as_of_dt:
                return False
            events.append((kind, t, reason))
            return True

        if u[p, 0] > p_person[p]:
            reason = (
                "not_interested"
                if not interest[p]
                else "distance"
                if km[p] > 30
                else "hours_or_schedule"
                if schedule_miss[p] > 0 or gap[p] > 0
                else "other"
            )
            add("declined_by_person", (2, 14), reason)
            return events
        if u[p, 1] > p_employer[p]:
            reason = (
                "tasks_do_not_fit"
                if over_total[p] > 0 or severe[p]
                else "no_capacity_to_supervise"
                if n_adjust[p] > 1
                else "position_filled"
            )
            add("declined_by_employer", (3, 21), reason)
            return events
        if u[p, 2] < TRIAL_SHARE:
            if not add("work_trial_started", (7, 30)):
                return events
            if u[p, 3] > p_hired[p]:
                add("ended", (14, 90), "tasks_do_not_fit" if over_total[p] > 0 else "other")
                return events
            if not add("hired", (30, 90)):
                return events
        else:
            if u[p, 3] > p_hired[p]:
                add("declined_by_employer", (7, 30), "tasks_do_not_fit")
                return events
            if not add("hired", (7, 30)):
                return events
        if u[p, 4] < p_kept[p]:
            add("employed_6_months", (182, 200))
        else:
            add("ended", (20, 170), "other")
        return events

    # Every story drawn as it always was, in proposal order from ``py`` ...
    stories = [story(p, when[p], py.randint) for p in range(n_proposals)]
    # ... then, person by person, the proposals that would put someone in two placements at
    # once (or be made while they are in work) drawn again from a stream of their own, so that
    # every other proposal, and every table drawn after the history, stays as it was.
    _one_placement_at_a_time(who, when, stories, given, last, as_of, story, placements)
    events = [
        {"proposal_id": p + 1, "kind": kind, "at": at, "reason": reason, "note": ""}
        for p, happened in enumerate(stories)
        for kind, at, reason in happened
    ]

    proposal = pd.DataFrame(
        {
            "id": np.arange(1, n_proposals + 1),
            "jobseeker_id": who + 1,
            "proposed_at": when,
            "proposed_by": person["coordinator"].to_numpy()[who],
            "ruleset_version": "manual",
            "model_version": None,
        }
    )
    proposal_task = pd.DataFrame(
        [(p + 1, j + 1) for p, bundle in enumerate(bundles) for j in bundle],
        columns=["proposal_id", "task_id"],
    )
    outcome_event = pd.DataFrame(events, columns=["proposal_id", "kind", "at", "reason", "note"])
    outcome_event.insert(0, "id", np.arange(1, len(outcome_event) + 1))
    truth = pd.DataFrame(
        {
            "proposal_id": proposal["id"],
            "over_demand": over_total,
            "adjustments_needed": n_adjust,
            "severe": severe,
            "missing_licence": missing_licence,
            "schedule_miss": schedule_miss,
            "hours_gap": gap,
            "km": km,
            "interest": interest,
            "motivation": people.motivation[who],
            "group": people.group[who],
        }
    )
    return HistoryWorld(proposal, proposal_task, outcome_event, truth)


@dataclass(frozen=True, slots=True)
class _Spans:
    """A proposal's days (both ends included; ``None``: none) as the one-placement rule sees
    them."""

    day: date
    """The day it was made."""
    placed: tuple[date, date] | None
    """From its work trial or hire to the event that ended it (the end of the job it led to),
    or the world's day."""
    job: tuple[date, date] | None
    """From the hire to the end of the job, or the world's day: nobody is proposed then."""


def _spans(start: datetime, events: list[Event], as_of: date) -> _Spans:
    kinds = [kind for kind, _, _ in events]
    placed = job = None
    first = next((i for i, kind in enumerate(kinds) if kind in _PLACING), None)
    if first is not None:
        end = next((at for kind, at, _ in events[first + 1 :] if kind in TERMINAL), None)
        placed = (events[first][1].date(), end.date() if end is not None else as_of)
    if OutcomeKind.HIRED.value in kinds:
        hired = kinds.index(OutcomeKind.HIRED.value)
        ended = next((at for kind, at, _ in events[hired + 1 :]
                      if kind == OutcomeKind.ENDED.value), None)  # fmt: skip
        job = (events[hired][1].date(), ended.date() if ended is not None else as_of)
    return _Spans(start.date(), placed, job)


def _fits(new: _Spans, kept: list[_Spans]) -> bool:
    """Whether a person can live ``new`` beside the proposals ``kept``: no day in two
    placements, no proposal made while in a job."""
    for old in kept:
        if new.placed and old.placed and _overlap(new.placed, old.placed):
            return False
        if old.job and old.job[0] <= new.day <= old.job[1]:
            return False
        if new.job and new.job[0] <= old.day <= new.job[1]:
            return False
    return True


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _free(first: datetime, last: datetime, kept: list[_Spans]) -> list[tuple[datetime, datetime]]:
    """The stretches of ``first`` … ``last`` outside every placement of ``kept``."""
    free = [(first, last)] if last > first else []
    for old in kept:
        if old.placed is None:
            continue
        begins = datetime.combine(old.placed[0], time(), tzinfo=UTC)
        ends = datetime.combine(old.placed[1] + timedelta(days=1), time(), tzinfo=UTC)
        free = [(lo, hi) for a, b in free for lo, hi in ((a, min(b, begins)), (max(a, ends), b))
                if hi > lo]  # fmt: skip
    return free


def _one_placement_at_a_time(
    who: np.ndarray,
    when: np.ndarray,
    stories: list[list[Event]],
    given: np.ndarray,
    last: np.ndarray,
    as_of: date,
    story: Story,
    placements: np.random.Generator,
) -> None:
    """Make each person's proposals livable, in place: on no day in two work trials, or a
    trial and a job, and never proposed while in work (until the job ends).

    Person by person, the proposals are kept in the order they were made while they fit
    beside those kept; each that does not is made again on a day drawn (from ``placements``)
    outside the person's placements, between their consent and the last day they could be
    proposed, with what happened after it drawn again too (the same decisions, other delays),
    until it fits — or, after :data:`PLACEMENT_TRIES` days, the person declines it (``other``)
    when its trial or hire would have begun, busy elsewhere."""

    def randint(low: int, high: int) -> int:
        return int(placements.integers(low, high + 1))

    in_order = sorted(range(len(who)), key=lambda p: (who[p], when[p], p))
    for _, proposals in groupby(in_order, key=lambda p: who[p]):
        kept: list[_Spans] = []
        again: list[int] = []
        for p in proposals:
            spans = _spans(when[p], stories[p], as_of)
            if _fits(spans, kept):
                kept.append(spans)
            else:
                again.append(p)
        for p in again:
            free = _free(given[p], last[p], kept)
            for _ in range(PLACEMENT_TRIES):
                start = _moment(free, placements, given[p])
                happened = story(p, start, randint)
                spans = _spans(start, happened, as_of)
                if _fits(spans, kept):
                    break
            else:
                # No room for it: the day is free (outside every placement, so outside every
                # job), and without a trial or a hire it takes no day from anyone.
                placing = next(i for i, (kind, _, _) in enumerate(happened) if kind in _PLACING)
                happened = [*happened[:placing], (OutcomeKind.DECLINED_BY_PERSON.value,
                                                  happened[placing][1], "other")]  # fmt: skip
                spans = _spans(start, happened, as_of)
            when[p], stories[p] = start, happened
            kept.append(spans)


def _moment(free: list[tuple[datetime, datetime]], rng: np.random.Generator,
            otherwise: datetime) -> datetime:  # fmt: skip
    """A moment drawn evenly over the stretches ``free``; ``otherwise`` when they are empty
    (consent given the last day a proposal could be made: its moment is the only one)."""
    lengths = np.array([(hi - lo).total_seconds() for lo, hi in free])
    ends = np.cumsum(lengths)
    if not len(free) or ends[-1] <= 0:
        return otherwise
    x = rng.random() * ends[-1]
    i = min(int(np.searchsorted(ends, x, side="right")), len(free) - 1)
    return free[i][0] + timedelta(seconds=float(x - (ends[i] - lengths[i])))
