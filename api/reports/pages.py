"""The programme report's page (*Ohjelman raportti*) for analysts, administrators, the project
manager and — of their own area — the coordinators: period and area pickers (this calendar
year to date and every area, unless chosen; a coordinator's picker offers their area alone) and
the figures in tables, each with its definition beside it, and a bar chart of every breakdown
beside the tables (:mod:`api.reports.charts`) — the same call as
``GET /reports/programme`` (:func:`api.reports.service.programme_report`), so the same checks
and audit row follow. A refused choice (another area than a coordinator's own included) is the
page again, its problems said beside the pickers in the page's language, and no figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.core.schemas import PeriodQuery
from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.downloads import attachment
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, form_problems
from api.reports import service as reports
from api.reports.charts import report_charts
from api.reports.export import MEDIA_TYPES, part_name, report_file
from features.errors import InvalidInputError
from features.i18n import gettext_for
from features.reports import FIGURES, SECTIONS, SHARED
from features.schemas.errors import FieldError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


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


@dataclass(frozen=True)
class Picks:
    """The page's period and area pickers as typed: text, so that a day that is not one is
    said beside its picker (and the pickers keep what was typed)."""

    start: str = ""
    end: str = ""
    area: str = ""

    def query(self) -> PeriodQuery:
        """The report asked for (a day that is not one: 422 at its field)."""
        first, problems = _day("from", self.start.strip())
        last, more = _day("to", self.end.strip())
        if problems or more:
            raise InvalidInputError(problems + more)
        return PeriodQuery(first, last, self.area.strip() or None)


def picks(
    start: Annotated[str, Query(alias="from", max_length=32)] = "",
    end: Annotated[str, Query(alias="to", max_length=32)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
) -> Picks:
    """The pickers of every report page, in one place."""
    return Picks(start, end, area)


Picked = Annotated[Picks, Depends(picks)]


@router.get("/reports/programme", response_class=HTMLResponse)
def programme_report_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_REPORTS)],
    picked: Picked,
) -> HTMLResponse:
    """The programme report of the chosen period and area, figure by figure with each
    definition."""
    return _report_page(request, ctx, picked, via="web")


@router.get("/reports/programme.{fmt}", response_class=Response)
def programme_report_file(
    fmt: Literal["xlsx", "csv"],
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_REPORTS)],
    picked: Picked,
) -> Response:
    """The report of the page's period and area as an .xlsx or CSV file, in the page's
    language (:mod:`api.reports.export`); a refused choice is the page with its problems."""
    lang = _lang(request)
    try:
        report = reports.programme_report(ctx, picked.query(), via=f"web-{fmt}")
    except REFUSED_CHOICES as err:
        return _report_page(request, ctx, picked, via=f"web-{fmt}", refused=err)
    body, name = report_file(report, lang, fmt)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=attachment(name))


REFUSED_CHOICES = (InvalidInputError, reports.AreaOutOfReachError)
"""What the service refuses of the pickers: said beside them, the page again."""


def _report_page(
    request: Request,
    ctx: Context,
    picked: Picks,
    *,
    via: str,
    refused: InvalidInputError | reports.AreaOutOfReachError | None = None,
) -> HTMLResponse:
    """The page of the picked report, or — ``refused`` by the service already (a download
    asked for), which is not asked again (one call, one audit row) — its problems."""
    lang = _lang(request)
    report, errors, status = None, [], 200
    if refused is None:
        try:
            report = reports.programme_report(ctx, picked.query(), via=via)
        except REFUSED_CHOICES as err:
            refused = err
    if refused is not None:
        # A refused area is the API's 404; on the page it is a choice said at its picker.
        said = InvalidInputError(refused.errors)
        errors, status = form_problems(said, lang, _fields(lang)), 422
    default = reports.default_period(ctx)
    chosen = picked.area or (report.area or "" if report is not None else "")
    values = {"from": picked.start or default.start.isoformat(),
              "to": picked.end or default.end.isoformat(), "area": chosen}  # fmt: skip
    sections: list[tuple[str, list[tuple[str, list[Any]]]]] = []
    if report is not None:
        by_figure: dict[str, list[Any]] = {}
        for f in report.figures:
            by_figure.setdefault(f.figure, []).append(f)
        sections = [(name, [(fid, by_figure.get(fid, [])) for fid in ids])
                    for name, ids in SECTIONS]  # fmt: skip
    charts = report_charts(report.figures, lang) if report is not None else {}
    return _page(request, "report.html", ctx.actor, status_code=status, report=report,
                 sections=sections, charts=charts, figures=FIGURES, shared=SHARED,
                 part_name=part_name, errors=errors,
                 values=values, every_area=not reports.own_area_only(ctx.actor),
                 areas=report.areas if report is not None else reports.areas(ctx))  # fmt: skip
