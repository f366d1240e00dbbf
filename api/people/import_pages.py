"""Taking on a caseload from a spreadsheet in the web UI (*Tuo asiakkaat taulukosta*): what each
column holds, a template to fill, the upload, and every row's every error at once — or the
clients taken on, each linked. The same call as the API's ``POST /jobseekers/import``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.core.security import Permission
from api.employers.spreadsheet import write_sheet
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.downloads import attachment
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import sheet_problems
from api.people import bulk_intake
from features.errors import InvalidInputError
from features.i18n import N_
from features.intake_sheet import INTAKE_COLUMNS, intake_headings

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

COLUMN_HELP: dict[str, str] = {
    "name": N_("first and last name"),
    "birth_year": N_("four digits; tells namesakes apart"),
    "phone": N_("digits, for example 040 123 4567"),
    "email": N_("an e-mail address"),
    "municipality": N_(
        "where the client lives; any of Finland's municipalities, Finnish or Swedish name"
    ),
    "referral_source": N_(
        "omavalmentaja, Ohjaamo, vammaispalvelut, sosiaalipalvelut, "
        "terveydenhuolto, oma-aloitteinen or muu"
    ),
    "started_on": N_("the day they came, 7.12.2026 (empty: today)"),
    "programme": N_("for example KUNTO"),
    "coordinator": N_("the company coordinator's user name"),
    "work_ability_coordinator": N_("the work-ability coordinator's user name"),
    "hours_min": N_("hours a week, at least"),
    "hours_max": N_("hours a week, at most"),
    "schedule": N_("when they can work: ma-aamu, ti-iltapäivä, … separated by commas"),
    "goals": N_("goals and wishes, in a few words"),
    "consent": N_("what they agreed to: täsmäytys, työnantajat, arviointi (empty: nothing)"),
    "duplicate_checked": N_(
        "kyllä when someone of the same name is in the area and this is another person"
    ),
}
"""What each column holds, said on the page (in the reader's language)."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_page(request: Request, ctx: Context, **shown: object) -> HTMLResponse:
    shown.setdefault("errors", [])
    status = 422 if shown["errors"] else 200
    return _page(request, "import.html", ctx.actor, columns=INTAKE_COLUMNS, help=COLUMN_HELP,
                 status_code=status, **shown)  # fmt: skip


@router.get("/jobseekers/import", response_class=HTMLResponse)
def import_page(
    request: Request, ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)]
) -> HTMLResponse:
    return _import_page(request, ctx)


@router.get("/jobseekers/import/template.xlsx")
def import_template(
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
) -> Response:
    """An empty sheet with the headings and one example row, to fill in Excel."""
    data = write_sheet([bulk_intake.example_row(ctx)], "xlsx", intake_headings(), "Asiakkaat")
    return Response(data, media_type=XLSX, headers=attachment("asiakkaat.xlsx"))


@router.post("/jobseekers/import", response_class=HTMLResponse)
def take_on_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
    file: UploadFile,
) -> HTMLResponse:
    try:
        taken = bulk_intake.take_on_sheet(ctx, file.file.read(), file.filename or "upload")
    except InvalidInputError as err:
        ctx.session.rollback()
        return _import_page(request, ctx, errors=sheet_problems(err, _lang(request)))
    return _import_page(request, ctx, taken=taken)
