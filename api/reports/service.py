"""The programme report (#29 point 1): read the record's frames for a period and an area —
service episodes, proposals and their steps, the employer network's statuses and hires — and
count them with :mod:`features.reports`; the employer funnel is counted by
:func:`api.employers.network.funnel_stages`, the one way it is counted. Analysts,
administrators and the project manager (``Permission.READ_REPORTS``) ask for every area or
one; a coordinator reads their own area's report only (:func:`areas`), and another area asked
for is answered as one that does not exist (404, the refused attempt audited), as a person out
of reach is. The read is audited as ``read_programme_report`` with the period and area only —
the report holds no person data.

The ESF+ common indicators (#29 point 2) read the period's participants' gender, birth year and
education level. Demographics are otherwise kept for the fairness evaluation only (never an
input to scoring, and there only with the person's consent to evaluation); this read has a
legal basis of its own — Regulation (EU) 2021/1057 (ESF+), Article 17 and Annex I, obliges a
funded project to report these indicators — so it does not ask for that consent. Only the
counts leave this module, each breakdown's small cells suppressed
(:func:`features.reports.suppressed`): no row, no person's demographics, in the answer, the
files or the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import or_, select, union

from api.auth.policy import refuse
from api.core.context import Context
from api.core.runtime import ForbiddenError, User
from api.core.schemas import PeriodQuery
from api.core.security import Permission, allowed, not_allowed
from api.employers.network import funnel_stages
from api.reports.schemas import ProgrammeReport, ReportFigure
from api.storage.audit import record
from api.storage.tables import (
    DemographicsRow,
    EmployerRow,
    EmployerStatusChangeRow,
    EpisodeRow,
    FollowUpVisitRow,
    JobseekerRow,
    OutcomeEventRow,
    ProgrammeEventEmployerRow,
    ProgrammeEventRow,
    ProposalRow,
    ProposalTaskRow,
    RoleRow,
    SupportApplicationRow,
    TaskRow,
    UserRow,
)
from features.errors import InvalidInputError, NotFoundError
from features.reports import (
    FIGURES,
    LONGEST_PERIOD,
    SMALL,
    FigureValue,
    Period,
    employer_figures,
    ending_figures,
    enrolment_figures,
    esf_figures,
    event_figures,
    follow_up_figures,
    statuses_held,
    timing_figures,
    work_figures,
)
from features.schemas.dates import FINLAND, today_in_finland
from features.schemas.errors import FieldError
from features.schemas.proposal import OutcomeKind

__all__ = [
    "AreaOutOfReachError",
    "area_in_reach",
    "areas",
    "default_period",
    "figures_of",
    "own_area_only",
    "period_of",
    "programme_report",
]


class AreaOutOfReachError(NotFoundError):
    """A report asked for of an area the user may not see (a coordinator: any but their own):
    a 404, as if no such area existed, so that areas cannot be probed. ``errors`` names the
    field and the rule, for a form to say beside its picker."""

    def __init__(self, problem: FieldError) -> None:
        self.errors = [problem]
        super().__init__(problem.message)


def default_period(ctx: Context) -> Period:
    """This calendar year to date (Finland's today)."""
    today = today_in_finland(ctx.now)
    return Period(date(today.year, 1, 1), today)


def own_area_only(actor: User) -> bool:
    """Whether the user reads their own area's report only (the coordinators, who work with
    one area's people), never another area's or every area's together."""
    return actor.role.is_coordinator


def areas(ctx: Context) -> list[str]:
    """The areas the user may ask a report for: a coordinator's own area (none without one);
    for the others every area of a person or a user, in order."""
    if own_area_only(ctx.actor):
        return [ctx.actor.area] if ctx.actor.area else []
    query: Any = union(
        select(JobseekerRow.area).distinct(),
        select(UserRow.area).where(UserRow.area.is_not(None)).distinct(),
    )
    return sorted(a for a in ctx.session.scalars(query) if a)


def _problems(ctx: Context, period: Period, area: str | None, known: list[str]) -> None:
    today = today_in_finland(ctx.now)
    problems = []
    if period.start > today:
        problems.append(FieldError("from", f"is in the future ({period.start.isoformat()}); a "
                                   f"period starts today ({today.isoformat()}) or earlier",
                                   kind="period_in_future", context={"today": today}))  # fmt: skip
    elif period.end < period.start:
        problems.append(FieldError("to", f"the period ends ({period.end.isoformat()}) before it "
                                   f"starts ({period.start.isoformat()})", kind="period_reversed",
                                   context={"start": period.start}))  # fmt: skip
    elif period.end - period.start > LONGEST_PERIOD:
        problems.append(FieldError("to", "a period is five years at most", kind="period_too_long"))
    if area is not None and area not in known:
        problems.append(FieldError("area", f"no area is called {area!r}", kind="unknown_area",
                                   context={"value": area}))  # fmt: skip
    if problems:
        raise InvalidInputError(problems)


def area_in_reach(
    ctx: Context,
    asked: str | None,
    *,
    what: Literal["report", "events"] = "report",
    object_type: str = "programme_report",
) -> str | None:
    """The area asked for (None: every area), but a coordinator's own area always — asking
    for another, known or not, is refused alike (:class:`AreaOutOfReachError`) and the refused
    attempt audited as ``object_type``. One rule for the programme's aggregates: the report
    and the events (``what`` names them in the refusal and its kind: ``area_out_of_reach``,
    ``events_area_out_of_reach``)."""
    if not own_area_only(ctx.actor):
        return asked
    own = ctx.actor.area
    if own is not None and asked in (None, own):
        return own
    # The kinds name what was asked (a page says "the report", "the events" from them).
    prefix = "" if what == "report" else f"{what}_"
    if own is None:  # never made so (a coordinator is given an area), but never every area
        problem = FieldError("area", f"your user has no area, so no area's {what} is yours",
                             kind=f"{prefix}no_own_area")  # fmt: skip
    else:
        problem = FieldError("area", f"no {what} of the area {asked!r} for you: a coordinator "
                             f"works with their own area's ({own!r})",
                             kind=f"{prefix}area_out_of_reach",
                             context={"value": asked, "own": own})  # fmt: skip
    refuse(ctx, object_type, asked or "", problem.message)
    raise AreaOutOfReachError(problem)


def _frame(ctx: Context, query: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(ctx.session.execute(query).all(), columns=columns)


def _finnish_day(moments: pd.Series) -> pd.Series:
    """UTC moments as the day they were in Finland."""
    if moments.empty:
        return moments.astype(object)
    return pd.to_datetime(moments, utc=True).dt.tz_convert(FINLAND).dt.date


def _people(query: Any, area: str | None) -> Any:
    if area is None:
        return query
    return query.join(JobseekerRow, JobseekerRow.id == EpisodeRow.jobseeker_id).where(
        JobseekerRow.area == area
    )


def _frames(ctx: Context, area: str | None) -> dict[str, pd.DataFrame]:
    """The record's frames the report is counted from (an area's people only, when named)."""
    episodes = _frame(ctx, _people(select(EpisodeRow.id, EpisodeRow.jobseeker_id,
                                          EpisodeRow.started_on, EpisodeRow.referral_source,
                                          EpisodeRow.ended_on, EpisodeRow.continuation_path),
                                   area),
                      ["id", "jobseeker_id", "started_on", "referral_source", "ended_on",
                       "continuation_path"])  # fmt: skip
    proposal_query = select(ProposalRow.id, ProposalRow.jobseeker_id, ProposalRow.proposed_at)
    if area is not None:
        proposal_query = proposal_query.join(
            JobseekerRow, JobseekerRow.id == ProposalRow.jobseeker_id
        ).where(JobseekerRow.area == area)
    proposals = _frame(ctx, proposal_query, ["id", "jobseeker_id", "proposed_at"])
    proposals["proposed_on"] = _finnish_day(proposals["proposed_at"])
    outcome_query = select(OutcomeEventRow.proposal_id, OutcomeEventRow.kind, OutcomeEventRow.at)
    if area is not None:
        outcome_query = outcome_query.where(OutcomeEventRow.proposal_id.in_(
            select(ProposalRow.id).join(JobseekerRow, JobseekerRow.id == ProposalRow.jobseeker_id)
            .where(JobseekerRow.area == area)))  # fmt: skip
    outcomes = _frame(ctx, outcome_query, ["proposal_id", "kind", "at"])
    outcomes["on"] = _finnish_day(outcomes["at"])
    visit_query = select(FollowUpVisitRow.proposal_id, FollowUpVisitRow.done_on)
    support_query = select(SupportApplicationRow.proposal_id, SupportApplicationRow.support,
                           SupportApplicationRow.status)  # fmt: skip
    if area is not None:
        of_area = (select(ProposalRow.id).join(JobseekerRow, JobseekerRow.id ==
                   ProposalRow.jobseeker_id).where(JobseekerRow.area == area))  # fmt: skip
        visit_query = visit_query.where(FollowUpVisitRow.proposal_id.in_(of_area))
        support_query = support_query.where(SupportApplicationRow.proposal_id.in_(of_area))
    visits = _frame(ctx, visit_query, ["proposal_id", "done_on"])
    supports = _frame(ctx, support_query, ["proposal_id", "support", "status"])
    employers = _frame(ctx, select(EmployerRow.id, EmployerRow.network_status,
                                   EmployerRow.industry),
                       ["id", "network_status", "industry"])  # fmt: skip
    changes = _frame(ctx, select(EmployerStatusChangeRow.employer_id, EmployerStatusChangeRow.at,
                                 EmployerStatusChangeRow.before, EmployerStatusChangeRow.after),
                     ["employer_id", "at", "before", "after"])  # fmt: skip
    changes["on"] = _finnish_day(changes["at"])
    hires = _frame(ctx, select(RoleRow.employer_id, OutcomeEventRow.at)
                   .select_from(OutcomeEventRow)
                   .join(ProposalTaskRow,
                         ProposalTaskRow.proposal_id == OutcomeEventRow.proposal_id)
                   .join(TaskRow, TaskRow.id == ProposalTaskRow.task_id)
                   .join(RoleRow, RoleRow.id == TaskRow.role_id)
                   .where(OutcomeEventRow.kind == OutcomeKind.HIRED.value),
                   ["employer_id", "at"])  # fmt: skip
    hires["on"] = _finnish_day(hires["at"])
    # The programme's events of the area (every area's, when none is named); one withdrawn as
    # recorded by mistake is counted nowhere.
    standing = ProgrammeEventRow.withdrawn_at.is_(None)
    event_query = select(ProgrammeEventRow.id, ProgrammeEventRow.held_on, ProgrammeEventRow.kind,
                         ProgrammeEventRow.in_cooperation, ProgrammeEventRow.clients,
                         ProgrammeEventRow.employers,
                         ProgrammeEventRow.others).where(standing)  # fmt: skip
    if area is not None:
        event_query = event_query.where(ProgrammeEventRow.area == area)
    events = _frame(ctx, event_query, ["id", "held_on", "kind", "in_cooperation", "clients",
                                       "employers", "others"])  # fmt: skip
    taking_part = _frame(ctx, select(ProgrammeEventEmployerRow.event_id,
                                     ProgrammeEventEmployerRow.employer_id),
                         ["event_id", "employer_id"])  # fmt: skip
    return {"episodes": episodes, "proposals": proposals, "outcomes": outcomes,
            "visits": visits, "supports": supports,
            "employers": employers, "changes": changes, "hires": hires, "events": events,
            "taking_part": taking_part}  # fmt: skip


def _participants(ctx: Context, period: Period, area: str | None) -> pd.DataFrame:
    """The ESF+ participants' frame: the episodes that began or ended in the period (no others
    are read), each with its person's gender, birth year and education level — no id, no name.
    Read for :func:`features.reports.esf_figures` alone, which returns only counts."""
    query = (
        select(EpisodeRow.started_on, EpisodeRow.ended_on, EpisodeRow.continuation_path,
               DemographicsRow.gender, DemographicsRow.birth_year, JobseekerRow.education_level)
        .join(JobseekerRow, JobseekerRow.id == EpisodeRow.jobseeker_id)
        .outerjoin(DemographicsRow, DemographicsRow.jobseeker_id == EpisodeRow.jobseeker_id)
        .where(or_(EpisodeRow.started_on.between(period.start, period.end),
                   EpisodeRow.ended_on.between(period.start, period.end)))
    )  # fmt: skip
    if area is not None:
        query = query.where(JobseekerRow.area == area)
    return _frame(ctx, query, ["started_on", "ended_on", "continuation_path", "gender",
                               "birth_year", "education_level"])  # fmt: skip


def figures_of(frames: dict[str, pd.DataFrame], period: Period) -> list[FigureValue]:
    """Every figure of the report, from the record's frames."""
    episodes, proposals = frames["episodes"], frames["proposals"]
    employers = frames["employers"]
    held = statuses_held(employers, frames["changes"], frames["hires"], period)
    industry = {int(i): str(c) for i, c in zip(employers["id"], employers["industry"], strict=True)}
    return [
        *enrolment_figures(episodes, period),
        *ending_figures(episodes, period),
        *timing_figures(episodes, proposals, period),
        *work_figures(proposals, frames["outcomes"], period),
        *follow_up_figures(frames["outcomes"], frames["visits"], frames["supports"], period),
        *employer_figures(held, industry, funnel_stages),
        *esf_figures(frames["participants"], period),
        *event_figures(frames["events"], frames["taking_part"], period),
    ]


def _public(f: FigureValue) -> ReportFigure:
    base = f.of if f.of is not None else f.value
    small = base is not None and 0 < base < SMALL
    return ReportFigure(figure=f.figure, key=f.key, value=f.value, share=f.share, of=f.of,
                        small=small, suppressed=f.suppressed, label=FIGURES[f.figure].label,
                        definition=FIGURES[f.figure].definition)  # fmt: skip


_ACTIVITY_FIGURES = ("enrolled", "ended", "proposals", "work_trials", "hires",
                     "apprenticeships", "six_month_due", "events_held")  # fmt: skip
"""Figures of people's journeys and the events held: all zero, the period is empty (the
network aside)."""


def programme_report(ctx: Context, query: PeriodQuery, *, via: str = "api") -> ProgrammeReport:
    """The programme report of the period and area asked for (``query``: a missing first day
    is 1 January this year, a missing last day today, a missing area every area — a
    coordinator's own area): refused without ``READ_REPORTS``; a coordinator asking for another
    area is a 404 (:class:`AreaOutOfReachError`, audited as refused); a period ending before it
    starts, starting in the future or longer than five years, or an unknown area, is a 422
    naming the field. Audited (the period and area, never a person). The ESF+ indicators in it
    are aggregates with their small cells suppressed (see the module's docstring for their legal
    basis)."""
    if not allowed(ctx.actor.role, Permission.READ_REPORTS):
        raise ForbiddenError(not_allowed(ctx.actor.role, Permission.READ_REPORTS))
    area = area_in_reach(ctx, query.area or None)
    period = period_of(query.start, query.end, ctx)
    known = areas(ctx)
    _problems(ctx, period, area, known)
    frames = _frames(ctx, area) | {"participants": _participants(ctx, period, area)}
    values = figures_of(frames, period)
    empty = all(not f.value for f in values if f.figure in _ACTIVITY_FIGURES)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_programme_report",
           object_type="report",
           details={"from": period.start.isoformat(), "to": period.end.isoformat(),
                    "area": area, "via": via})  # fmt: skip
    ctx.session.commit()
    return ProgrammeReport(period_from=period.start, period_to=period.end, area=area,
                           areas=known, empty=empty,
                           figures=[_public(f) for f in values])  # fmt: skip


def period_of(start: date | None, end: date | None, ctx: Context) -> Period:
    """The period asked for: a missing day is this calendar year's first day, or today."""
    default = default_period(ctx)
    return Period(start or default.start, end or default.end)
