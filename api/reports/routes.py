"""The programme report through the API. Validate, call one service function, format."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.core.security import Permission
from api.http.deps import Context, context_for
from api.http.downloads import attachment
from api.http.params import PeriodAsked
from api.reports import service as reports
from api.reports.export import MEDIA_TYPES, report_file
from api.reports.schemas import ProgrammeReport

__all__ = ["router"]

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/programme",
    summary="The programme report of a period and an area (aggregates)",
)
def programme_report(
    ctx: Annotated[Context, context_for(Permission.READ_REPORTS)], query: PeriodAsked
) -> ProgrammeReport:
    """Enrolment by referral source, where the episodes ended (by continuation path, with
    shares), the median days to the first proposal and to the end, proposals, work trials,
    hires and six-month checks, the employer network's funnel and cooperating employers
    by industry, the ESF+ common indicators at entry and exit (small cells suppressed:
    `value` null, `suppressed` true), and the programme's events by kind and organiser with
    who came (counts) — each figure with its definition. 422 names the field:
    ``to`` before ``from``, ``from`` in the future, a period over five years, an unknown
    ``area``. A coordinator reads their own area's report only: another ``area`` is a 404,
    as an area that does not exist."""
    return reports.programme_report(ctx, query)


@router.get(
    "/reports/programme.{fmt}",
    summary="The programme report as a spreadsheet (.xlsx or CSV)",
    response_class=Response,
    responses={200: {"description": "The report, a row a figure or a breakdown's part.",
                     "content": {media.split(";")[0]: {"schema": {"type": "string",
                                                                  "format": "binary"}}
                                 for media in MEDIA_TYPES.values()}}},
)  # fmt: skip
def programme_report_file(
    fmt: Literal["xlsx", "csv"],
    ctx: Annotated[Context, context_for(Permission.READ_REPORTS)],
    query: PeriodAsked,
    lang: Annotated[Literal["fi", "en"], Query(description="The headings' language.")] = "fi",
) -> Response:
    """The same report as ``GET /reports/programme``, for the steering group and EURA: the
    period and the area on every row, each figure's definition beside it, counts as numbers
    and shares as percentages, a suppressed cell as a word; no cell runs as a formula. The
    same checks (422) and audit."""
    report = reports.programme_report(ctx, query, via=f"api-{fmt}")
    body, name = report_file(report, lang, fmt)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=attachment(name))
