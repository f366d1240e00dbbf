"""The programme report (#29 point 1): what a programme's results page says — enrolment by who
referred the client, where episodes ended, how long it took, proposals, work trials and hires,
the six-month check, the employer network — counted for a period from plain frames of the
record. Pure functions, no I/O: the service reads the frames (an area's people only) and the
pages show each figure beside its definition, written once here (:data:`FIGURES`).

A period is a pair of days, both included (``start <= day <= end``). A share is ``None`` when
there is nothing to share (never a division by zero); a median is ``None`` when nothing was
measured. The employer network's stages are counted by the one funnel function of the
service (passed in as ``funnel``), never a second way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from features.i18n import N_
from features.schemas.episode import ContinuationPath, ReferralSource
from features.schemas.proposal import SIX_MONTHS, OutcomeKind

__all__ = [
    "FIGURES",
    "LONGEST_PERIOD",
    "NOT_THROUGH",
    "SECTIONS",
    "SHARED",
    "SMALL",
    "Figure",
    "FigureValue",
    "Period",
    "employer_figures",
    "ending_figures",
    "enrolment_figures",
    "statuses_held",
    "timing_figures",
    "work_figures",
]

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("enrolment", ("enrolled", "enrolled_by_source", "dropped_before_start")),
    ("ending", ("ended", "went_through", "not_reached", "stopped_contact", "still_open",
                "ended_by_path")),
    ("timing", ("days_to_first_proposal", "days_to_end")),
    ("work", ("proposals", "work_trials", "hires", "apprenticeships", "six_month_due",
              "six_month_done")),
    ("employers", ("employers_contacted", "employers_interested", "employers_cooperating",
                   "employers_hired", "cooperating_by_industry")),
)  # fmt: skip
"""The report's sections and the figures of each, in order (the page's tables, the
spreadsheet's rows)."""


LONGEST_PERIOD = timedelta(days=5 * 366)
"""A report covers at most about five years."""
SMALL = 5
"""A count under this is a small number: one person more or less changes a share a lot (and
a reader may recognise who it is) — the pages say so beside it."""
SHARED = frozenset({"enrolled_by_source", "went_through", "not_reached", "stopped_contact",
                    "ended_by_path", "six_month_done", "cooperating_by_industry"})  # fmt: skip
"""Figures with a share of a whole; the others have none (not an empty one)."""
NOT_THROUGH = frozenset({ContinuationPath.NOT_REACHED, ContinuationPath.STOPPED_CONTACT})
"""Ends that are not "went through the service" (KUNTO counts them apart)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def holds(self, days: pd.Series) -> pd.Series:
        """Which of ``days`` (dates or missing) fall within the period."""
        as_days = pd.to_datetime(days)
        return (as_days >= pd.Timestamp(self.start)) & (as_days <= pd.Timestamp(self.end))


@dataclass(frozen=True)
class Figure:
    """A figure's label and its definition — what it counts and what it cannot tell — as
    English msgids the catalogue translates."""

    label: str
    definition: str


FIGURES: dict[str, Figure] = {
    "enrolled": Figure(
        N_("Enrolled"),
        N_(
            "Service episodes that started in the period (a person who started twice counts "
            "twice). Counted from the day the episode began, not the day it was typed."
        ),
    ),
    "enrolled_by_source": Figure(
        N_("Enrolled, by who referred them"),
        N_(
            "The episodes started in the period by their referral source, with each one's share "
            "of all enrolled. “Not recorded” are episodes entered before the source was asked."
        ),
    ),
    "dropped_before_start": Figure(
        N_("Dropped out before the start"),
        N_(
            "Not in the record: an enrolment is recorded when the service starts, so someone "
            "who cancelled before it is not counted anywhere."
        ),
    ),
    "ended": Figure(
        N_("Episodes ended"),
        N_(
            "Service episodes that ended in the period, whatever the path; an episode still "
            "open on the period's last day is not here (see “Still open”)."
        ),
    ),
    "went_through": Figure(
        N_("Went through the service"),
        N_(
            "Episodes that ended in the period with a continuation path — all ended ones but "
            "those not reached and those who stopped contact (as the KUNTO results count it)."
        ),
    ),
    "not_reached": Figure(
        N_("Not reached"),
        N_("Episodes that ended in the period because the person could not be reached."),
    ),
    "stopped_contact": Figure(
        N_("Stopped contact"),
        N_("Episodes that ended in the period because the person stopped keeping in touch."),
    ),
    "still_open": Figure(
        N_("Still open"),
        N_(
            "Episodes begun by the period's last day and not ended by it (active, paused or "
            "placed): where they lead is not known yet, so they are in no path."
        ),
    ),
    "ended_by_path": Figure(
        N_("Where they continued"),
        N_(
            "The episodes ended in the period by continuation path, each with its share of all "
            "ended; the counts add up to “Episodes ended”. A path is what the coordinator "
            "recorded at the end, not a later follow-up."
        ),
    ),
    "days_to_first_proposal": Figure(
        N_("Median days to the first proposal"),
        N_(
            "For episodes started in the period: days from the start to the person's first "
            "proposal to an employer made within the episode and by the period's last day. "
            "Episodes without one are left out (how many were measured is said beside it)."
        ),
    ),
    "days_to_end": Figure(
        N_("Median days to the end"),
        N_(
            "For episodes ended in the period: days from the start to the end. Long episodes "
            "still open are not in it, so a short period makes it look shorter."
        ),
    ),
    "proposals": Figure(
        N_("Proposals"),
        N_(
            "Proposals of a person to an employer made in the period. A proposal of a person "
            "since erased is counted only in the report of all areas."
        ),
    ),
    "work_trials": Figure(
        N_("Work trials started"),
        N_(
            "Work trials recorded as started in the period in a proposal (an extension is not a "
            "new trial)."
        ),
    ),
    "hires": Figure(
        N_("Hires"),
        N_("Hires recorded in the period in a proposal (an apprenticeship is counted apart)."),
    ),
    "apprenticeships": Figure(
        N_("Apprenticeships"),
        N_("Apprenticeships (oppisopimus) recorded as started in the period in a proposal."),
    ),
    "six_month_due": Figure(
        N_("Six-month checks due"),
        N_(
            "Hires whose six months (182 days) were full in the period. The record has no "
            "three-month check, so none is counted."
        ),
    ),
    "six_month_done": Figure(
        N_("Six-month checks recorded"),
        N_(
            "Of the checks due in the period, those with the answer recorded — still employed at "
            "six months, or the job ended — whenever it was recorded; the share is of those due."
        ),
    ),
    "employers_contacted": Figure(
        N_("Employers contacted"),
        N_(
            "Employers at least contacted at some time in the period: their status then (the "
            "status history) or a hire through us in it. The employer network is not divided "
            "by area: every area's report shows the same network."
        ),
    ),
    "employers_interested": Figure(
        N_("Employers interested"),
        N_(
            "Employers at least interested at some time in the period, as the funnel counts "
            "them (one that got further counts here too)."
        ),
    ),
    "employers_cooperating": Figure(
        N_("Employers cooperating"),
        N_(
            "Employers that were partners (or paused partners) at some time in the period, or "
            "hired through us in it."
        ),
    ),
    "employers_hired": Figure(
        N_("Employers that hired through us"),
        N_("Employers with a hire recorded in the period into one of their tasks."),
    ),
    "cooperating_by_industry": Figure(
        N_("Cooperating employers by industry"),
        N_(
            "The cooperating employers by their industry (TOL 2008 division), each with its "
            "share of all cooperating."
        ),
    ),
}
"""Every figure of the programme report: its label and definition, written once."""


@dataclass(frozen=True)
class FigureValue:
    """One line of the report: a figure (and, for a breakdown, which part of it), its value,
    its share of the whole it is part of, and how many it was measured on (a median's)."""

    figure: str
    value: float | None
    key: str | None = None
    share: float | None = None
    of: int | None = None

    def __post_init__(self) -> None:
        if self.figure not in FIGURES:
            raise ValueError(f"no figure {self.figure!r} is defined")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(days: pd.Series) -> float | None:
    return float(np.median(days.to_numpy())) if len(days) else None


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.days


def enrolment_figures(episodes: pd.DataFrame, period: Period) -> list[FigureValue]:
    """Enrolled in the period, and by referral source (every source, zeros included).
    ``episodes``: ``started_on``, ``referral_source``."""
    started = episodes[period.holds(episodes["started_on"])]
    n = len(started)
    counts = started["referral_source"].value_counts()
    out = [FigureValue("enrolled", n)]
    for source in ReferralSource:
        k = int(counts.get(source.value, 0))
        out.append(FigureValue("enrolled_by_source", k, key=source.value, share=_share(k, n)))
    out.append(FigureValue("dropped_before_start", None))
    return out


def ending_figures(episodes: pd.DataFrame, period: Period) -> list[FigureValue]:
    """Ended in the period, went through, not reached, stopped contact, still open at the
    period's end, and the ended by continuation path (every path, summing to the ended).
    ``episodes``: ``started_on``, ``ended_on`` (missing while open), ``continuation_path``."""
    ended = episodes[period.holds(episodes["ended_on"])]
    n = len(ended)
    counts = ended["continuation_path"].value_counts()
    by_path = {p: int(counts.get(p.value, 0)) for p in ContinuationPath}
    not_through = sum(by_path[p] for p in NOT_THROUGH)
    begun = pd.to_datetime(episodes["started_on"]) <= pd.Timestamp(period.end)
    ends = pd.to_datetime(episodes["ended_on"])
    open_at_end = begun & (ends.isna() | (ends > pd.Timestamp(period.end)))
    out = [
        FigureValue("ended", n),
        FigureValue("went_through", n - not_through, share=_share(n - not_through, n)),
        FigureValue("not_reached", by_path[ContinuationPath.NOT_REACHED],
                    share=_share(by_path[ContinuationPath.NOT_REACHED], n)),
        FigureValue("stopped_contact", by_path[ContinuationPath.STOPPED_CONTACT],
                    share=_share(by_path[ContinuationPath.STOPPED_CONTACT], n)),
        FigureValue("still_open", int(open_at_end.sum())),
    ]  # fmt: skip
    out += [FigureValue("ended_by_path", k, key=p.value, share=_share(k, n))
            for p, k in by_path.items()]  # fmt: skip
    return out


def timing_figures(
    episodes: pd.DataFrame, proposals: pd.DataFrame, period: Period
) -> list[FigureValue]:
    """Median days from the start to the first proposal (episodes started in the period) and
    to the end (episodes ended in it). ``episodes``: ``id``, ``jobseeker_id``, ``started_on``,
    ``ended_on``; ``proposals``: ``jobseeker_id``, ``proposed_on``."""
    started = episodes[period.holds(episodes["started_on"])][["id", "jobseeker_id", "started_on",
                                                              "ended_on"]]  # fmt: skip
    pairs = started.merge(proposals[["jobseeker_id", "proposed_on"]], on="jobseeker_id")
    on = pd.to_datetime(pairs["proposed_on"])
    within = (
        (on >= pd.to_datetime(pairs["started_on"]))
        & (pairs["ended_on"].isna() | (on <= pd.to_datetime(pairs["ended_on"])))
        & (on <= pd.Timestamp(period.end))
    )
    first = pairs[within].groupby("id").agg(started_on=("started_on", "first"),
                                            proposed_on=("proposed_on", "min"))  # fmt: skip
    to_proposal = _days(first["proposed_on"], first["started_on"])
    ended = episodes[period.holds(episodes["ended_on"])]
    to_end = _days(ended["ended_on"], ended["started_on"])
    return [
        FigureValue("days_to_first_proposal", _median(to_proposal), of=len(to_proposal)),
        FigureValue("days_to_end", _median(to_end), of=len(to_end)),
    ]


def work_figures(
    proposals: pd.DataFrame, outcomes: pd.DataFrame, period: Period
) -> list[FigureValue]:
    """Proposals, work trials, hires and apprenticeships in the period, and the six-month
    checks due in it and recorded. ``proposals``: ``id``, ``proposed_on``; ``outcomes``:
    ``proposal_id``, ``kind``, ``on`` — of those proposals only."""
    in_period = outcomes[period.holds(outcomes["on"])]
    kinds = in_period["kind"].value_counts()
    hires = outcomes[outcomes["kind"] == OutcomeKind.HIRED.value]
    full = pd.to_datetime(hires["on"]) + pd.Timedelta(SIX_MONTHS)
    due = hires[period.holds(full)]
    answered = outcomes[outcomes["kind"].isin([OutcomeKind.EMPLOYED_6_MONTHS.value,
                                               OutcomeKind.ENDED.value])]  # fmt: skip
    done = int(due["proposal_id"].isin(answered["proposal_id"]).sum())
    return [
        FigureValue("proposals", int(period.holds(proposals["proposed_on"]).sum())),
        FigureValue("work_trials", int(kinds.get(OutcomeKind.WORK_TRIAL_STARTED.value, 0))),
        FigureValue("hires", int(kinds.get(OutcomeKind.HIRED.value, 0))),
        FigureValue("apprenticeships",
                    int(kinds.get(OutcomeKind.APPRENTICESHIP_STARTED.value, 0))),
        FigureValue("six_month_due", len(due)),
        FigureValue("six_month_done", done, share=_share(done, len(due))),
    ]  # fmt: skip


def statuses_held(
    employers: pd.DataFrame, changes: pd.DataFrame, hires: pd.DataFrame, period: Period
) -> dict[int, set[str]]:
    """The network statuses each employer held at some time in the period — its status on the
    first day (the status before its first change after that day, or its status now when
    nothing changed since) and every status it changed to within the period — and
    ``"hired_through_us"`` for one with a hire in the period (the funnel's last stage).
    ``employers``: ``id``, ``network_status``; ``changes``: ``employer_id``, ``on``,
    ``before``, ``after``; ``hires``: ``employer_id``, ``on``."""
    statuses = zip(employers["id"], employers["network_status"], strict=True)
    held: dict[int, set[str]] = {int(i): {str(s)} for i, s in statuses}
    ordered = changes.assign(on=pd.to_datetime(changes["on"])).sort_values("on", kind="stable")
    after_start = ordered[ordered["on"] >= pd.Timestamp(period.start)]
    for employer_id, before in after_start.groupby("employer_id")["before"].first().items():
        held[int(employer_id)] = {str(before)}  # its status on the first day
    within = ordered[period.holds(ordered["on"])]
    for employer_id, after in zip(within["employer_id"], within["after"], strict=True):
        held.setdefault(int(employer_id), set()).add(str(after))
    for employer_id in hires[period.holds(hires["on"])]["employer_id"].unique():
        held.setdefault(int(employer_id), set()).add("hired_through_us")
    return held


Funnel = Callable[[list[set[str]]], tuple[dict[str, int], dict[str, int]]]


def employer_figures(
    held: Mapping[int, set[str]], industry: Mapping[int, str], funnel: Funnel
) -> list[FigureValue]:
    """The funnel's stages over the statuses held in the period (:func:`statuses_held`), and
    the cooperating employers by industry — each industry's cooperating counted by the same
    ``funnel``, so that the parts add up to the whole."""
    stages, _ = funnel(list(held.values()))
    out = [
        FigureValue("employers_contacted", stages["contacted"]),
        FigureValue("employers_interested", stages["interested"]),
        FigureValue("employers_cooperating", stages["cooperating"]),
        FigureValue("employers_hired", stages["hired_through_us"]),
    ]
    groups: dict[str, list[set[str]]] = {}
    for employer_id, statuses in held.items():
        groups.setdefault(industry.get(employer_id, ""), []).append(statuses)
    whole = stages["cooperating"]
    by_industry = {code: funnel(group)[0]["cooperating"] for code, group in groups.items()}
    for code, k in sorted(by_industry.items(), key=lambda kv: (-kv[1], kv[0])):
        if k:
            out.append(FigureValue("cooperating_by_industry", k, key=code,
                                   share=_share(k, whole)))  # fmt: skip
    return out
