"""The programme report (#29 point 1): what a programme's results page says — enrolment by who
referred the client, where episodes ended, how long it took, proposals, work trials and hires,
the six-month check, the employer network — counted for a period from plain frames of the
record. Pure functions, no I/O: the service reads the frames (an area's people only) and the
pages show each figure beside its definition, written once here (:data:`FIGURES`).

The ESF+ common indicators (#29 point 2; Regulation (EU) 2021/1057, Annex I) count the
participants at entry by gender, age group and education level, and at exit by their situation
upon leaving (:func:`esf_figures`). They read demographics — which the service otherwise keeps
for fairness evaluation only, never as an input to scoring — under a purpose of their own: the
ESF+ regulation obliges a funded project to report these aggregates (Article 17 and Annex I).
Only aggregates leave.

Small cells (decided in #29): every breakdown of **people** — enrolled by referral source, ended
by continuation path, and the ESF+ breakdowns at entry and at exit — withholds its counts from 1
to ``SMALL - 1``, with a complementary cell where one alone would be (:func:`suppressed`). A
project manager and the steering group read small areas, where "two referred by health care"
or "one on sick leave" can point at a person (and a path such as sick leave is about their
health). A breakdown of **organisations** — the cooperating employers by industry — is shown in
full: an employer is no person, and the network is every area's. Whatever else the report
shows as a sum of a breakdown's cells is withheld alike where it would give a withheld cell
away (:func:`withheld_totals`): the ended's "not reached" and "stopped contact" are cells of the
paths, and "went through" is the sum of the other paths; the ESF+ situation upon leaving groups
the same paths. Such a sum is withheld when it holds some but not all of the withheld cells —
then it would tell one withheld cell, or a part of their sum, by subtraction — and shown when
it holds none of them or all of them (their sum is known anyway: the total less the shown
cells). So the only thing a report tells of its withheld cells is their sum, and two or more
cells summing to at least one leave each of them open (tested by brute force over every shown
figure). What suppression within one report cannot prevent: two reports differenced — a period
and the same period a day longer, or every area and every area but one — can give a small count
away; the report is for the roles that may read the record's aggregates
(``READ_REPORTS``), and its reads are audited with the period and the area.

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
from features.schemas.jobseeker import Gender
from features.schemas.programme_event import EventKind
from features.schemas.proposal import SIX_MONTHS, OutcomeKind

__all__ = [
    "ESF_EXIT",
    "FIGURES",
    "GENDER_GROUP",
    "ISCED_GROUP",
    "LONGEST_PERIOD",
    "NOT_THROUGH",
    "ORGANISERS",
    "PARTS",
    "SECTIONS",
    "SHARED",
    "SMALL",
    "UNKNOWN",
    "Figure",
    "FigureValue",
    "Period",
    "employer_figures",
    "ending_figures",
    "enrolment_figures",
    "esf_figures",
    "event_figures",
    "follow_up_figures",
    "statuses_held",
    "suppressed",
    "timing_figures",
    "withheld_totals",
    "work_figures",
]

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("enrolment", ("enrolled", "enrolled_by_source", "dropped_before_start")),
    ("ending", ("ended", "went_through", "not_reached", "stopped_contact", "still_open",
                "ended_by_path")),
    ("timing", ("days_to_first_proposal", "days_to_end")),
    ("work", ("proposals", "work_trials", "hires", "apprenticeships", "hires_wage_subsidy",
              "follow_up_visits_done", "three_month_due", "three_month_followed",
              "six_month_due", "six_month_done")),
    ("employers", ("employers_contacted", "employers_interested", "employers_cooperating",
                   "employers_hired", "cooperating_by_industry")),
    ("esf", ("esf_entered", "esf_entry_gender", "esf_entry_age", "esf_entry_education",
             "esf_entry_employment", "esf_left", "esf_exit_situation", "esf_exit_qualification")),
    ("events", ("events_held", "events_by_kind", "events_by_organiser", "event_clients",
                "event_employers", "event_others", "event_network_employers")),
)  # fmt: skip
"""The report's sections and the figures of each, in order (the page's tables, the
spreadsheet's rows)."""


LONGEST_PERIOD = timedelta(days=5 * 366)
"""A report covers at most about five years."""
SMALL = 5
"""A count under this is a small number: one person more or less changes a share a lot (and
a reader may recognise who it is) — the pages say so beside it."""
SHARED = frozenset({"enrolled_by_source", "went_through", "not_reached", "stopped_contact",
                    "ended_by_path", "six_month_done", "cooperating_by_industry",
                    "hires_wage_subsidy", "three_month_followed",
                    "esf_entry_gender", "esf_entry_age", "esf_entry_education",
                    "esf_exit_situation", "events_by_kind", "events_by_organiser"})  # fmt: skip
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
            "of all enrolled. “Not recorded” are episodes entered before the source was asked. "
            "Where a count from 1 to 4 is, every count under 5 is hidden, zeros too, and the next "
            "smallest where they alone could be worked out, so "
            "that none can be worked out from the total: in a small area a few people referred "
            "by one source can be recognised."
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
            "those not reached and those who stopped contact (as the KUNTO results count it). "
            "Hidden when some of the paths hidden below are among its paths and some are not: "
            "it would give them away by subtraction."
        ),
    ),
    "not_reached": Figure(
        N_("Not reached"),
        N_(
            "Episodes that ended in the period because the person could not be reached: the "
            "path “not reached” below, and hidden where it is hidden."
        ),
    ),
    "stopped_contact": Figure(
        N_("Stopped contact"),
        N_(
            "Episodes that ended in the period because the person stopped keeping in touch: the "
            "path “stopped contact” below, and hidden where it is hidden."
        ),
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
            "recorded at the end, not a later follow-up. Where a count from 1 to 4 is, every count "
            "under 5 is hidden, zeros too, and the next smallest where they alone could be worked "
            "out, so that none can be worked out from the "
            "total: a path such as sick leave tells of a person's health."
        ),
    ),
    "days_to_first_proposal": Figure(
        N_("Median days to the first proposal"),
        N_(
            "For episodes started in the period: days from the start to the person's first "
            "proposal to an employer made within the episode and by the period's last day. "
            "Episodes without one are left out (how many were measured is said beside it). "
            "Measured over fewer than 5, it is hidden: it would be someone's own days."
        ),
    ),
    "days_to_end": Figure(
        N_("Median days to the end"),
        N_(
            "For episodes ended in the period: days from the start to the end. Long episodes "
            "still open are not in it, so a short period makes it look shorter. Measured over "
            "fewer than 5, it is hidden: it would be someone's own days."
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
    "hires_wage_subsidy": Figure(
        N_("Hires with a wage subsidy"),
        N_(
            "Of the hires recorded in the period, those whose proposal has a wage subsidy "
            "(palkkatuki) recorded as granted; the share is of the period's hires. A subsidy "
            "granted but not recorded here is not counted."
        ),
    ),
    "follow_up_visits_done": Figure(
        N_("Follow-up visits made"),
        N_(
            "Follow-up visits after a hire (to the employee, the employer or both) recorded as "
            "made in the period, by the day they were made."
        ),
    ),
    "three_month_due": Figure(
        N_("Hires three months on"),
        N_("Hires whose first three months (91 days) were full in the period."),
    ),
    "three_month_followed": Figure(
        N_("Followed up within three months"),
        N_(
            "Of the hires three months on in the period, those with at least one follow-up "
            "visit made within their first three months; the share is of those three months "
            "on. It says a visit was made, not how the work went."
        ),
    ),
    "six_month_due": Figure(
        N_("Six-month checks due"),
        N_("Hires whose six months (182 days) were full in the period."),
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
    "esf_entered": Figure(
        N_("Participants at entry"),
        N_(
            "ESF+: the service episodes that started in the period, as “Enrolled” counts them — "
            "each a participant entering the operation. Each breakdown below adds up to it, "
            "those with nothing recorded included."
        ),
    ),
    "esf_entry_gender": Figure(
        N_("Participants at entry, by gender"),
        N_(
            "ESF+: the participants at entry by the gender among their demographics — women, "
            "men, and other or not told together; “not recorded” where no demographics were "
            "recorded. Where a count from 1 to 4 is, every count under 5 is hidden, zeros too, and "
            "the next smallest where they alone could be worked out, so that none can be worked "
            "out from the total."
        ),
    ),
    "esf_entry_age": Figure(
        N_("Participants at entry, by age group"),
        N_(
            "ESF+: the participants at entry by age group — under 30, 30–54, 55 and over. The "
            "record holds the birth year only, so the age is the one reached in the year the "
            "episode began; “not recorded” where no birth year was recorded. Where a count from 1 "
            "to 4 is, every count under 5 is hidden, zeros too, and the next smallest where they "
            "alone could be worked out, so that none can be "
            "worked out from the total."
        ),
    ),
    "esf_entry_education": Figure(
        N_("Participants at entry, by education level"),
        N_(
            "ESF+: the participants at entry by their education as ISCED 2011 levels — 0–2 (no "
            "certificate or basic education), 3–4 (general upper secondary or a vocational "
            "qualification), 5–8 (a bachelor's, master's or higher degree). The level is the "
            "profile's today, not one kept from the day of entry; “not recorded” where the "
            "profile has none. Where a count from 1 to 4 is, every count under 5 is hidden, zeros "
            "too, and the next smallest where they alone could be worked out, so that none can be "
            "worked out from the total."
        ),
    ),
    "esf_entry_employment": Figure(
        N_("Employment situation at entry"),
        N_(
            "Not in the record: whether a participant was unemployed (long-term or not), "
            "inactive or employed when they entered is not recorded, so EURA's indicators of "
            "the employment situation at entry are counted outside the product."
        ),
    ),
    "esf_left": Figure(
        N_("Participants at exit"),
        N_(
            "ESF+: the service episodes that ended in the period, as “Episodes ended” counts "
            "them — each a participant leaving the operation. Their situation upon leaving adds "
            "up to it."
        ),
    ),
    "esf_exit_situation": Figure(
        N_("Participants at exit, by situation upon leaving"),
        N_(
            "ESF+: the participants who left in the period by the continuation path recorded at "
            "the end — in employment, including self-employment (employed on the open market, "
            "an apprenticeship included, or in wage-subsidised work); in education or training; "
            "job searching (continues job search); in another situation (a work trial, "
            "rehabilitative work activity, sick leave or care, another service); not known (not "
            "reached, or stopped contact). The paths hidden in “Where they continued” stay "
            "hidden here: a situation is hidden when it holds some of them but not all, so that "
            "none can be worked out by subtracting one table from the other."
        ),
    ),
    "esf_exit_qualification": Figure(
        N_("Gained a qualification upon leaving"),
        N_(
            "Not in the record: a qualification gained during the service is not recorded, so "
            "this ESF+ result indicator is counted outside the product."
        ),
    ),
    "events_held": Figure(
        N_("Events held"),
        N_(
            "The programme's events held in the period (by the day held, not the day recorded), "
            "its own and those organised in cooperation, in the area's record; an event "
            "withdrawn as recorded by mistake is not counted. Only the events someone recorded "
            "are here."
        ),
    ),
    "events_by_kind": Figure(
        N_("Events, by kind"),
        N_(
            "The events held in the period by kind, each with its share of all events held. "
            "These count events, not people, so no small number is hidden."
        ),
    ),
    "events_by_organiser": Figure(
        N_("Events, own or in cooperation"),
        N_(
            "The events held in the period organised by the programme alone, and with a "
            "partner, each with its share of all events held (events, not people: nothing is "
            "hidden)."
        ),
    ),
    "event_clients": Figure(
        N_("Clients who came to events"),
        N_(
            "The clients (job seekers) who came to the period's events, added up as each "
            "organiser counted them — not people: the same person at two events counts twice, "
            "and who came is not recorded, so it cannot tell how many different people came "
            "or whether they were the programme's clients."
        ),
    ),
    "event_employers": Figure(
        N_("Employers who came to events"),
        N_(
            "The employers who came to the period's events, added up as each organiser counted "
            "them: an employer at two events counts twice."
        ),
    ),
    "event_others": Figure(
        N_("Others who came to events"),
        N_(
            "Everyone else who came to the period's events (partners' staff, students, the "
            "public), added up as each organiser counted them."
        ),
    ),
    "event_network_employers": Figure(
        N_("Network employers who took part in events"),
        N_(
            "The employers of the network named as having taken part in at least one of the "
            "period's events, each counted once. An employer who came but was not named is "
            "not here."
        ),
    ),
}
"""Every figure of the programme report: its label and definition, written once."""

ORGANISERS = ("own", "cooperation")
"""The parts of ``events_by_organiser``: by the programme alone, or with a partner."""

UNKNOWN = "unknown"
"""A breakdown's part for those with nothing recorded: counted, never dropped."""

PARTS: dict[str, dict[str, str]] = {
    "esf_entry_gender": {
        "female": N_("women"),
        "male": N_("men"),
        "other_or_undisclosed": N_("other or not told"),
        UNKNOWN: N_("not recorded"),
    },
    "esf_entry_age": {
        "under_30": N_("under 30"),
        "30_to_54": N_("30–54"),
        "55_and_over": N_("55 and over"),
        UNKNOWN: N_("not recorded"),
    },
    "esf_entry_education": {
        "isced_0_2": N_("ISCED 0–2: basic education at most"),
        "isced_3_4": N_("ISCED 3–4: upper secondary or vocational"),
        "isced_5_8": N_("ISCED 5–8: higher education"),
        UNKNOWN: N_("not recorded"),
    },
    "esf_exit_situation": {
        "employment": N_("in employment, including self-employment"),
        "education": N_("in education or training"),
        "job_searching": N_("job searching"),
        "other": N_("in another situation"),
        UNKNOWN: N_("not known"),
    },
}
"""The ESF+ breakdowns' parts, in order, with their words (English msgids): every part is
counted, zeros included, and the parts of each add up to its total."""

GENDER_GROUP: dict[str, str] = {
    Gender.FEMALE.value: "female",
    Gender.MALE.value: "male",
    Gender.OTHER.value: "other_or_undisclosed",
    Gender.UNDISCLOSED.value: "other_or_undisclosed",
}
"""The gender recorded → its ESF+ part (no demographics recorded: :data:`UNKNOWN`)."""

ISCED_GROUP: dict[str, str] = {
    "none": "isced_0_2",
    "basic": "isced_0_2",
    "upper_secondary_general": "isced_3_4",
    "vocational": "isced_3_4",
    "bachelor": "isced_5_8",
    "master": "isced_5_8",
}
"""The catalogue's education levels (:data:`features.catalogue.EDUCATION_LEVELS`) as ESF+'s
ISCED 2011 groups: no certificate (ISCED 0–1) and basic education (2); general upper secondary
and a vocational qualification (3, a specialist one 4); bachelor's (6), master's or higher
(7–8)."""

ESF_EXIT: dict[ContinuationPath, str] = {
    ContinuationPath.EMPLOYED: "employment",
    ContinuationPath.WAGE_SUBSIDISED_WORK: "employment",
    ContinuationPath.EDUCATION: "education",
    ContinuationPath.JOB_SEARCH: "job_searching",
    ContinuationPath.WORK_TRIAL: "other",
    ContinuationPath.REHABILITATIVE_WORK: "other",
    ContinuationPath.SICK_LEAVE_OR_CARE: "other",
    ContinuationPath.OTHER_SERVICE: "other",
    ContinuationPath.NOT_REACHED: UNKNOWN,
    ContinuationPath.STOPPED_CONTACT: UNKNOWN,
}
"""A continuation path → the ESF+ situation upon leaving. A work trial is not employment (it
has no employment contract), and the record does not say whether someone in one of the
"other" paths is registered as a jobseeker, so they are not counted as job searching."""


@dataclass(frozen=True)
class FigureValue:
    """One line of the report: a figure (and, for a breakdown, which part of it), its value,
    its share of the whole it is part of, and how many it was measured on (a median's)."""

    figure: str
    value: float | None
    key: str | None = None
    share: float | None = None
    of: int | None = None
    suppressed: bool = False
    """A small cell (or its complement) withheld: no value and no share (:func:`suppressed`)."""

    def __post_init__(self) -> None:
        if self.figure not in FIGURES:
            raise ValueError(f"no figure {self.figure!r} is defined")
        if self.suppressed and (self.value is not None or self.share is not None):
            raise ValueError("a suppressed cell has neither a value nor a share")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(days: pd.Series) -> float | None:
    return float(np.median(days.to_numpy())) if len(days) else None


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.days


def enrolment_figures(
    episodes: pd.DataFrame, period: Period, small: int = SMALL
) -> list[FigureValue]:
    """Enrolled in the period, and by referral source (every source, zeros included; its small
    cells suppressed). ``episodes``: ``started_on``, ``referral_source``."""
    started = episodes[period.holds(episodes["started_on"])]
    n = len(started)
    counts = started["referral_source"].value_counts()
    by_source = {source.value: int(counts.get(source.value, 0)) for source in ReferralSource}
    return [
        FigureValue("enrolled", n),
        *_lines("enrolled_by_source", by_source, n, suppressed(by_source, small)),
        FigureValue("dropped_before_start", None),
    ]


ENDED_TOTALS: dict[str, frozenset[str]] = {
    "went_through": frozenset(p.value for p in ContinuationPath if p not in NOT_THROUGH),
    "not_reached": frozenset({ContinuationPath.NOT_REACHED.value}),
    "stopped_contact": frozenset({ContinuationPath.STOPPED_CONTACT.value}),
}
"""The ending section's counts above the paths, as the paths they add up."""


def _path_cells(paths: pd.Series) -> dict[str, int]:
    counts = paths.value_counts()
    return {p.value: int(counts.get(p.value, 0)) for p in ContinuationPath}


def ending_figures(episodes: pd.DataFrame, period: Period, small: int = SMALL) -> list[FigureValue]:
    """Ended in the period, went through, not reached, stopped contact, still open at the
    period's end, and the ended by continuation path (every path, summing to the ended): the
    paths' small cells suppressed, and the counts above them withheld where they would give one
    away (:func:`withheld_totals`). ``episodes``: ``started_on``, ``ended_on`` (missing while
    open), ``continuation_path``."""
    ended = episodes[period.holds(episodes["ended_on"])]
    n = len(ended)
    by_path = _path_cells(ended["continuation_path"])
    hidden = suppressed(by_path, small)
    begun = pd.to_datetime(episodes["started_on"]) <= pd.Timestamp(period.end)
    ends = pd.to_datetime(episodes["ended_on"])
    open_at_end = begun & (ends.isna() | (ends > pd.Timestamp(period.end)))
    held = withheld_totals(hidden, ENDED_TOTALS)
    above = {total: sum(by_path[p] for p in paths) for total, paths in ENDED_TOTALS.items()}
    return [
        FigureValue("ended", n),
        *(FigureValue(total, None, suppressed=True) if total in held
          else FigureValue(total, k, share=_share(k, n)) for total, k in above.items()),
        FigureValue("still_open", int(open_at_end.sum())),
        *_lines("ended_by_path", by_path, n, hidden),
    ]  # fmt: skip


def timing_figures(
    episodes: pd.DataFrame, proposals: pd.DataFrame, period: Period, small: int = SMALL
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
    return [_median_of("days_to_first_proposal", to_proposal, small),
            _median_of("days_to_end", to_end, small)]  # fmt: skip


def _median_of(figure: str, days: pd.Series, small: int = SMALL) -> FigureValue:
    """A median of days and how many it was measured over — withheld when they are 1 to
    ``small - 1``: the median of one episode is that person's own days (of three, one of
    theirs)."""
    if 0 < len(days) < small:
        return FigureValue(figure, None, of=len(days), suppressed=True)
    return FigureValue(figure, _median(days), of=len(days))


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


THREE_MONTHS = timedelta(days=91)
"""A hire's first three months: the follow-up the programme's seeds plan for them."""


def follow_up_figures(
    outcomes: pd.DataFrame, visits: pd.DataFrame, supports: pd.DataFrame, period: Period
) -> list[FigureValue]:
    """Hires with a wage subsidy, follow-up visits made, and the hires three months on with
    a visit made within those months. ``outcomes``: ``proposal_id``, ``kind``, ``on``;
    ``visits``: ``proposal_id``, ``done_on`` (missing: planned only); ``supports``:
    ``proposal_id``, ``support``, ``status`` — of the same proposals."""
    hires = outcomes[outcomes["kind"] == OutcomeKind.HIRED.value]
    hired_now = hires[period.holds(hires["on"])]
    granted = supports[(supports["support"] == "wage_subsidy")
                       & (supports["status"] == "granted")]["proposal_id"]  # fmt: skip
    subsidised = int(hired_now["proposal_id"].isin(granted).sum())
    made = visits[visits["done_on"].notna()]
    hired_on = pd.to_datetime(hires["on"])
    due = hires[period.holds(hired_on + pd.Timedelta(THREE_MONTHS))]
    within = made.merge(due[["proposal_id", "on"]], on="proposal_id")
    done_on, hire_on = pd.to_datetime(within["done_on"]), pd.to_datetime(within["on"])
    soon = within[(done_on >= hire_on) & (done_on <= hire_on + pd.Timedelta(THREE_MONTHS))]
    followed = int(due["proposal_id"].isin(soon["proposal_id"]).sum())
    return [
        FigureValue("hires_wage_subsidy", subsidised, share=_share(subsidised, len(hired_now))),
        FigureValue("follow_up_visits_done", int(period.holds(made["done_on"]).sum())),
        FigureValue("three_month_due", len(due)),
        FigureValue("three_month_followed", followed, share=_share(followed, len(due))),
    ]


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


def suppressed(
    cells: Mapping[str, int], small: int = SMALL, forced: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The parts of a breakdown to withhold when its total is shown. When a count from 1 to
    ``small - 1`` is there, **every** count under ``small`` is withheld, zeros included: were
    the zeros shown, a reader would know each withheld count is at least one, and four withheld
    parts of a total of four would each be one. Then ``forced`` parts (withheld for a reason of
    their own: a sum of another breakdown's withheld cells) join them. What is withheld may
    still be worked out from the total less the shown parts — one part alone, or parts that
    are all at the most a small count can be (``small - 1`` each) — and then the next smallest
    part is withheld too, with every part as small as it, until neither holds or nothing is
    left.
    Two or more withheld parts then leave each of them open: a reader knows only their sum —
    but for one case no withholding within a breakdown can help: every part withheld and each
    at ``small - 1`` (the total is that many times the parts; say, four of each gender)."""
    person = any(0 < v < small for v in cells.values())
    hidden = {k for k, v in cells.items() if v < small} if person else set()
    hidden |= set(forced)

    def pinned() -> bool:
        return len(hidden) == 1 or all(cells[k] == small - 1 for k in hidden)

    while hidden and pinned():
        rest = [(v, k) for k, v in cells.items() if k not in hidden]
        if not rest:
            break  # a breakdown of one part is its total: nothing to hide it by
        # The next smallest, and every part as small: a shown part equal to it would bound it
        # from above (the one hidden is never larger than those shown), and so pin it.
        least = min(v for v, _ in rest)
        hidden |= {k for v, k in rest if v == least}
    return frozenset(hidden)


def withheld_totals(hidden: frozenset[str], totals: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Of the sums shown beside a breakdown (each ``totals[name]``: the cells it adds up), those
    to withhold when the cells ``hidden`` are: a sum holding some of the hidden cells but not all
    would give one of them — or a part of their sum — away by subtraction. A sum holding none of
    them tells nothing of them, and one holding all of them tells only their sum, which the
    breakdown's total less its shown cells tells anyway."""
    return frozenset(name for name, cells in totals.items() if cells & hidden and hidden - cells)


def _lines(
    figure: str, cells: Mapping[str, int], whole: int, hidden: frozenset[str]
) -> list[FigureValue]:
    """A breakdown's lines in the cells' order, the ``hidden`` ones suppressed; each share is
    of ``whole``."""
    return [FigureValue(figure, None, key=key, suppressed=True) if key in hidden
            else FigureValue(figure, k, key=key, share=_share(k, whole))
            for key, k in cells.items()]  # fmt: skip


def _breakdown(
    figure: str, parts: pd.Series, small: int, hidden: frozenset[str] | None = None
) -> list[FigureValue]:
    """A breakdown's lines over :data:`PARTS`' parts in order (zeros included), its small cells
    suppressed (or the ``hidden`` parts, when given); each share is of the breakdown's total."""
    counts = parts.value_counts()
    cells = {key: int(counts.get(key, 0)) for key in PARTS[figure]}
    if sum(cells.values()) != len(parts):  # a part the words do not know: never dropped
        raise ValueError(f"{figure}: parts {sorted(set(parts) - set(cells))} have no words")
    return _lines(figure, cells, len(parts), suppressed(cells, small) if hidden is None else hidden)


def _age_group(started_on: pd.Series, birth_year: pd.Series) -> pd.Series:
    """The age reached in the year of entry, grouped (no birth year: :data:`UNKNOWN`)."""
    age = pd.to_datetime(started_on).dt.year - pd.to_numeric(birth_year, errors="coerce")
    groups = np.select([age < 30, age < 55, age >= 55], ["under_30", "30_to_54", "55_and_over"],
                       default=UNKNOWN)  # fmt: skip
    return pd.Series(groups, index=started_on.index, dtype=object)


def esf_figures(
    participants: pd.DataFrame, period: Period, small: int = SMALL
) -> list[FigureValue]:
    """The ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) of the period:
    participants at entry (episodes started in it) by gender, age group and ISCED education
    group, and at exit (episodes ended in it) by situation upon leaving; the employment
    situation at entry and a qualification gained are not in the record (``None``). Every
    breakdown counts its unknowns as a part; those at entry are suppressed by
    :func:`suppressed`, the one at exit — the continuation paths grouped — as
    :func:`ending_figures` suppresses the paths (the groups holding some of the hidden paths but
    not all withheld, :func:`withheld_totals`); the totals are shown. ``participants``: one
    row an episode — ``started_on``, ``ended_on``, ``continuation_path``, and its person's
    ``gender`` and ``birth_year`` (missing without demographics) and ``education_level``
    (missing when not recorded).

    The demographics are read here under the ESF+ regulation's obligation to report these
    aggregates, not under the fairness evaluation's purpose; no row of ``participants`` leaves
    this function, only the counts."""
    entered = participants[period.holds(participants["started_on"])]
    left = participants[period.holds(participants["ended_on"])]
    gender = entered["gender"].map(GENDER_GROUP).fillna(UNKNOWN)
    education = entered["education_level"].map(ISCED_GROUP).fillna(UNKNOWN)
    paths = {p.value: part for p, part in ESF_EXIT.items()}
    situation = left["continuation_path"].map(paths).fillna(UNKNOWN)
    grouped = {part: frozenset(p for p, its in paths.items() if its == part)
               for part in PARTS["esf_exit_situation"]}  # fmt: skip
    hidden_paths = suppressed(_path_cells(left["continuation_path"]), small)
    exit_counts = situation.value_counts()
    exit_cells = {key: int(exit_counts.get(key, 0)) for key in PARTS["esf_exit_situation"]}
    return [
        FigureValue("esf_entered", len(entered)),
        *_breakdown("esf_entry_gender", gender, small),
        *_breakdown("esf_entry_age", _age_group(entered["started_on"], entered["birth_year"]),
                    small),
        *_breakdown("esf_entry_education", education, small),
        FigureValue("esf_entry_employment", None),
        FigureValue("esf_left", len(left)),
        # The paths grouped: hidden as the paths are, or a subtraction between this table and
        # the paths' would give a hidden path away.
        *_breakdown("esf_exit_situation", situation, small,
                    suppressed(exit_cells, small, withheld_totals(hidden_paths, grouped))),
        FigureValue("esf_exit_qualification", None),
    ]  # fmt: skip


def event_figures(
    events: pd.DataFrame, taking_part: pd.DataFrame, period: Period
) -> list[FigureValue]:
    """The programme's events held in the period: how many, by kind and by who organised them
    (every kind and both organisers, zeros included; no small cell hidden — these are events,
    not people), the clients, employers and others who came (sums of the organisers' counts)
    and the network's employers who took part (each once). ``events``: the standing events
    only — ``id``, ``held_on``, ``kind``, ``in_cooperation``, ``clients``, ``employers``,
    ``others``; ``taking_part``: ``event_id``, ``employer_id``."""
    held = events[period.holds(events["held_on"])]
    n = len(held)
    kinds = held["kind"].value_counts()
    together = int(held["in_cooperation"].astype(bool).sum())
    by_organiser = {"own": n - together, "cooperation": together}
    named = taking_part[taking_part["event_id"].isin(held["id"])]["employer_id"].nunique()
    out = [FigureValue("events_held", n)]
    out += [FigureValue("events_by_kind", int(kinds.get(k.value, 0)), key=k.value,
                        share=_share(int(kinds.get(k.value, 0)), n))
            for k in EventKind]  # fmt: skip
    out += [FigureValue("events_by_organiser", by_organiser[o], key=o,
                        share=_share(by_organiser[o], n))
            for o in ORGANISERS]  # fmt: skip
    out += [
        FigureValue("event_clients", int(pd.to_numeric(held["clients"]).sum())),
        FigureValue("event_employers", int(pd.to_numeric(held["employers"]).sum())),
        FigureValue("event_others", int(pd.to_numeric(held["others"]).sum())),
        FigureValue("event_network_employers", int(named)),
    ]  # fmt: skip
    return out
