"""The programme report through the API. Validate, call one service function, format."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.core.security import Permission
from api.http.deps import Context, context_for
from api.reports import service as reports
from api.reports.schemas import ProgrammeReport

__all__ = ["router"]

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/programme",
    summary="The programme report of a period and an area (aggregates)",
)
def programme_report(
    ctx: Annotated[Context, context_for(Permission.READ_REPORTS)],
    start: Annotated[
        date | None,
        Query(alias="from", description="The period's first day (default: 1 January this year)."),
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="The period's last day (default: today).")
    ] = None,
    area: Annotated[
        str | None,
        Query(max_length=64, description="One area (default: every area)."),
    ] = None,
) -> ProgrammeReport:
    """Enrolment by referral source, where the episodes ended (by continuation path, with
    shares), the median days to the first proposal and to the end, proposals, work trials,
    hires and six-month checks, and the employer network's funnel and cooperating employers
    by industry — each figure with its definition. 422 names the field: ``to`` before
    ``from``, ``from`` in the future, a period over five years, an unknown ``area``."""
    return reports.programme_report(ctx, reports.period_of(start, end, ctx), area or None)
