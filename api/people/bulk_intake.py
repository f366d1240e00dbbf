"""Taking on a caseload from a spreadsheet: every row a client, taken on as the intake form
takes one (the same schema, checks, namesake question, first service episode and audit row),
all of them or none. Every row's every error is reported at once, with its row and column — a
cell that cannot be read, the schema's and the service's rules' on what can — and nothing is
stored while any remains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from api.auth.users import colleagues
from api.core.context import Context
from api.core.runtime import bump_data_version
from api.core.security import Role
from api.employers.spreadsheet import read_sheet, sheet_format
from api.people.duplicates import PossibleDuplicateError
from api.people.service import add_person, checked_intake
from api.storage.audit import record
from features.errors import ConflictError, InvalidInputError
from features.i18n import date_text
from features.intake_sheet import column_of, parse_intake_rows
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError
from features.schemas.jobseeker import new_code
from features.sheet_cells import RowError

__all__ = ["EXAMPLE", "TakenOn", "example_row", "take_on_sheet"]


@dataclass(frozen=True, slots=True)
class TakenOn:
    """A client taken on from the sheet: their id and code, and the name written there."""

    id: int
    code: str
    name: str


_COLUMN_OF_FIELD = {
    "identity.name": "name",
    "identity": "name",
    "identity.phone": "phone",
    "identity.email": "email",
    "demographics.birth_year": "birth_year",
    "profile.municipality": "municipality",
    "episode.referral_source": "referral_source",
    "episode.started_on": "started_on",
    "episode.programme": "programme",
    "profile.coordinator": "coordinator",
    "profile.work_ability_coordinator": "work_ability_coordinator",
    "profile.availability.weekly_hours_min": "hours_min",
    "profile.availability.weekly_hours_max": "hours_max",
    "profile.availability": "hours_min",
    "profile.availability.schedule": "schedule",
    "profile.goals": "goals",
    "profile.consent": "consent",
    "profile.consent.scope": "consent",
}
"""Where the schema's errors point, as the sheet's columns."""


def _body(values: dict[str, Any], area: str, now: datetime) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "code": new_code(),
        "municipality": values.get("municipality", ""),
        "availability": {
            "weekly_hours_min": values.get("hours_min"),
            "weekly_hours_max": values.get("hours_max"),
            "schedule": values.get("schedule", []),
        },
        "goals": values.get("goals", ""),
        "coordinator": values.get("coordinator", ""),
        "work_ability_coordinator": values.get("work_ability_coordinator"),
        "area": area,
    }
    if values.get("consent"):
        profile["consent"] = {"given_at": now.isoformat(), "scope": values["consent"]}
    return {
        "profile": profile,
        "identity": {
            "name": values.get("name", ""),
            "phone": values.get("phone"),
            "email": values.get("email"),
        },
        "demographics": {"birth_year": values["birth_year"]} if "birth_year" in values else None,
        "episode": {
            "referral_source": values.get("referral_source", "unknown"),
            "started_on": values.get("started_on"),
            "programme": values.get("programme", ""),
        },
        "duplicate_checked": values.get("duplicate_checked", False),
    }


def _at(number: int, errors: list[FieldError], unread: set[str]) -> list[RowError]:
    """A row's schema or service errors, each at its column; none at a column whose cell could
    not be read (that is said already)."""
    out = []
    for e in errors:
        column = column_of(_COLUMN_OF_FIELD.get(e.field, ""))
        if column is not None and column.heading in unread:
            continue
        out.append(RowError(number, column.heading if column else "", e.message, kind=e.kind,
                            context={**e.context,
                                     "column_field": column.field if column else ""}))  # fmt: skip
    return out


def _said(errors: list[RowError]) -> InvalidInputError:
    # Row by row (a row's problems together, as the coordinator corrects them), each row's in
    # the order found (its cells' first, then the service's rules).
    errors = sorted(errors, key=lambda e: e.row)
    return InvalidInputError(
        [FieldError(f"row {e.row}" + (f", column '{e.column}'" if e.column else ""),
                    e.message + (f" (allowed: {e.allowed})" if e.allowed else ""),
                    e.kind, {**e.context, "row": e.row, "column": e.column})
         for e in errors],
        f"{len(errors)} error(s) in the sheet, nothing stored",
    )  # fmt: skip


def _namesake(number: int, err: PossibleDuplicateError, row_of: dict[int, int]) -> RowError:
    """A row whose name someone has already: a client stored before (by code), or a row above
    in this very sheet (by its row: its code is made up now and found nowhere)."""
    rows = sorted(row_of[m.id] for m in err.matches if m.id in row_of)
    codes = ", ".join(m.code for m in err.matches if m.id not in row_of)
    if codes:
        return RowError(number, "Nimi", f"someone of the same name is in the area already "
                        f"({codes}); if this is another person, write 'kyllä' in 'Eri henkilö'",
                        kind="possible_duplicate", context={"codes": codes})  # fmt: skip
    above = ", ".join(str(r) for r in rows)
    return RowError(number, "Nimi", f"the same name as row {above} of this sheet; if this is "
                    "another person, write 'kyllä' in 'Eri henkilö'",
                    kind="namesake_in_sheet", context={"rows": above})  # fmt: skip


EXAMPLE = {
    "Nimi": "Esimerkki Asiakas", "Syntymävuosi": "1995", "Kunta": "Lahti",
    "Ohjaava taho": "Ohjaamo", "Hanke": "KUNTO", "Tunnit vähintään": "10",
    "Tunnit enintään": "20", "Ajat": "ma-aamu, ti-aamu, ke-aamu", "Suostumus": "täsmäytys",
}  # fmt: skip
"""The template's example row, but for its day and coordinators (:func:`example_row`)."""


def example_row(ctx: Context) -> dict[str, str]:
    """The template's example row, one the sheet would take from its downloader: enrolled
    today, the area's own coordinators (the downloader where they are one) — so that it is
    never refused as it stands."""
    area = ctx.actor.area or ""
    row = dict(EXAMPLE, **{"Tuli palveluun": date_text(today_in_finland(ctx.now), "fi")})
    for role, heading in ((Role.COMPANY_COORDINATOR, "Yrityskoordinaattori"),
                          (Role.WORK_ABILITY_COORDINATOR, "Työkykykoordinaattori")):  # fmt: skip
        names = (
            [ctx.actor.name]
            if ctx.actor.role is role
            else colleagues(ctx.session, area=area, role=role)
        )
        row[heading] = names[0] if names else ""
    return row


def take_on_sheet(ctx: Context, data: bytes, filename: str) -> list[TakenOn]:
    """Every row a new client of the actor's area, or none: them, in row order."""
    sheet = parse_intake_rows(read_sheet(data, sheet_format(Path(filename or "upload"))))
    errors = list(sheet.errors)
    if sheet.ok and not sheet.people:
        errors.append(RowError(1, "", "the sheet has no client rows", kind="no_client_rows"))
    area = ctx.actor.area or ""
    taken: list[TakenOn] = []
    row_of: dict[int, int] = {}  # a client taken on from this sheet: their row
    # Written first, inside the transaction: on SQLite its INSERT is what opens the transaction
    # (pysqlite begins one only before a write), so the savepoints below nest in it and
    # releasing one commits nothing. Rolled back with everything if the sheet is refused.
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="take_on_sheet",
           object_type="jobseeker", details={"people": len(sheet.people)})  # fmt: skip
    for number, values in sheet.people:
        # A row with a cell that cannot be read goes through the same checks on the cells that
        # can (every problem at once); what its unread cells lack is said once, by the cell.
        unread = {e.column for e in sheet.errors if e.row == number}
        try:
            body = checked_intake(ctx, _body(values, area, ctx.now))
        except InvalidInputError as err:
            errors += _at(number, err.errors, unread)
            continue
        # Each row in a savepoint: a refused row leaves nothing, and the rows before it (which
        # a later namesake in the same sheet is compared with) stay for the rest of the sheet.
        savepoint = ctx.session.begin_nested()
        try:
            new_id = add_person(ctx, body, via="sheet")
            name = body.identity.name if body.identity else ""
            taken.append(TakenOn(new_id, body.profile.code, name))
            row_of[new_id] = number
            savepoint.commit()
        except PossibleDuplicateError as err:
            savepoint.rollback()
            errors.append(_namesake(number, err, row_of))
        except InvalidInputError as err:
            savepoint.rollback()
            errors += _at(number, err.errors, unread)
        except ConflictError as err:
            savepoint.rollback()
            errors.append(RowError(number, "", str(err), kind="conflict"))
    if errors:  # a row with an unread cell among them: nothing of the sheet is stored
        ctx.session.rollback()
        raise _said(errors)
    bump_data_version(ctx.session)
    ctx.session.commit()
    return taken
