"""The programme report's page (*Ohjelman raportti*) for analysts and administrators: period
and area pickers (this calendar year to date and every area, unless chosen) and the figures in
tables, each with its definition beside it — the same call as ``GET /reports/programme``
(:func:`api.reports.service.programme_report`), so the same checks and audit row follow. A
refused choice is the page again, its problems said beside the pickers in the page's
language, and no figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, form_problems
from api.reports import service as reports
from features.errors import InvalidInputError
from features.i18n import gettext_for
from features.reports import FIGURES, SHARED
from features.schemas.errors import FieldError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

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
"""The page's tables and the figures of each, in order."""


def _fields(lang: str) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "from": FormField("report-from", _("From")),
        "to": FormField("report-to", _("To")),
        "area": FormField("report-area", _("Area")),
    }


def _day(name: str, text: str) -> tuple[date | None, list[FieldError]]:
    if not text:
        return None, []
    try:
        return date.fromisoformat(text), []
    except ValueError:
        return None, [FieldError(name, "not a date", kind="date_parsing")]


@router.get("/reports/programme", response_class=HTMLResponse)
def programme_report_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_REPORTS)],
    start: Annotated[str, Query(alias="from", max_length=32)] = "",
    end: Annotated[str, Query(alias="to", max_length=32)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """The programme report of the chosen period and area, figure by figure with each
    definition."""
    lang = _lang(request)
    first, problems = _day("from", start.strip())
    last, more = _day("to", end.strip())
    report, errors, status = None, [], 200
    try:
        if problems or more:
            raise InvalidInputError(problems + more)
        report = reports.programme_report(ctx, reports.period_of(first, last, ctx),
                                          area.strip() or None, via="web")  # fmt: skip
    except InvalidInputError as err:
        errors, status = form_problems(err, lang, _fields(lang)), 422
    default = reports.default_period(ctx)
    values = {"from": start or default.start.isoformat(), "to": end or default.end.isoformat(),
              "area": area}  # fmt: skip
    sections: list[tuple[str, list[tuple[str, list[Any]]]]] = []
    if report is not None:
        by_figure: dict[str, list[Any]] = {}
        for f in report.figures:
            by_figure.setdefault(f.figure, []).append(f)
        sections = [(name, [(fid, by_figure.get(fid, [])) for fid in ids])
                    for name, ids in SECTIONS]  # fmt: skip
    return _page(request, "report.html", ctx.actor, status_code=status, report=report,
                 sections=sections, figures=FIGURES, shared=SHARED, errors=errors, values=values,
                 areas=report.areas if report is not None else reports.areas(ctx))  # fmt: skip
