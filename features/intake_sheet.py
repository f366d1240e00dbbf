"""A caseload taken on at once: a spreadsheet with one client a row (an area starting to use
the service, or a programme's list of new clients).

Headings are Finnish (each also answers to its English field name); cells are read as the web
UI's intake form would take them. :func:`parse_intake_rows` reads every row and returns **all**
the cell errors with their row and column; what the cells mean together (the municipality, the
hours, the dates) is checked by the service through the same schema as one client's intake.

Pure: rows in (mappings of heading → cell text), values or errors out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from features.schemas.episode import ReferralSource
from features.schemas.jobseeker import ConsentScope
from features.sheet_cells import (
    CellError,
    RowError,
    date_cell,
    heading_key,
    number_cell,
    slots_cell,
    split_cell,
    whole_number_cell,
    yes_no_cell,
)

__all__ = [
    "INTAKE_COLUMNS",
    "IntakeColumn",
    "IntakeSheet",
    "column_of",
    "intake_headings",
    "parse_intake_rows",
]

FIRST_DATA_ROW = 2


@dataclass(frozen=True, slots=True)
class IntakeColumn:
    heading: str
    field: str
    required: bool = False


INTAKE_COLUMNS: tuple[IntakeColumn, ...] = (
    IntakeColumn("Nimi", "name", True),
    IntakeColumn("Syntymävuosi", "birth_year"),
    IntakeColumn("Puhelin", "phone"),
    IntakeColumn("Sähköposti", "email"),
    IntakeColumn("Kunta", "municipality", True),
    IntakeColumn("Ohjaava taho", "referral_source", True),
    IntakeColumn("Tuli palveluun", "started_on"),
    IntakeColumn("Hanke", "programme"),
    IntakeColumn("Yrityskoordinaattori", "coordinator", True),
    IntakeColumn("Työkykykoordinaattori", "work_ability_coordinator"),
    IntakeColumn("Tunnit vähintään", "hours_min", True),
    IntakeColumn("Tunnit enintään", "hours_max", True),
    IntakeColumn("Ajat", "schedule", True),
    IntakeColumn("Tavoitteet", "goals"),
    IntakeColumn("Suostumus", "consent"),
    IntakeColumn("Eri henkilö", "duplicate_checked"),
)
"""The sheet's columns, in the template's order."""

_BY_KEY = {heading_key(n): c for c in INTAKE_COLUMNS for n in (c.heading, c.field)}
_BY_FIELD = {c.field: c for c in INTAKE_COLUMNS}

_REFERRAL_FI = {
    "omavalmentaja": ReferralSource.PERSONAL_COACH,
    "ohjaamo": ReferralSource.OHJAAMO,
    "vammaispalvelut": ReferralSource.DISABILITY_SERVICES,
    "sosiaalipalvelut": ReferralSource.SOCIAL_SERVICES,
    "terveydenhuolto": ReferralSource.HEALTH_CARE,
    "oma-aloitteinen": ReferralSource.SELF_REFERRAL,
    "itse": ReferralSource.SELF_REFERRAL,
    "hakeutui itse": ReferralSource.SELF_REFERRAL,
    "muu": ReferralSource.OTHER,
    "ei tiedossa": ReferralSource.UNKNOWN,
    "ei kirjattu": ReferralSource.UNKNOWN,
}
"""The template's words, and the names the web UI shows for each source (a sheet written
from the screen is read; tests/test_bulk_intake.py holds them to the catalogue)."""
_CONSENT_FI = {
    "täsmäytys": ConsentScope.MATCHING,
    "työnantajat": ConsentScope.SHARE_WITH_EMPLOYERS,
    "arviointi": ConsentScope.EVALUATION,
}


def intake_headings() -> list[str]:
    """The Finnish headings, in the template's order."""
    return [c.heading for c in INTAKE_COLUMNS]


def column_of(field_name: str) -> IntakeColumn | None:
    """The column a value comes from, by its field name."""
    return _BY_FIELD.get(field_name)


def _referral(text: str) -> str:
    key = text.strip().casefold()
    if key in _REFERRAL_FI:
        return _REFERRAL_FI[key].value
    if key.replace(" ", "_") in {r.value for r in ReferralSource}:
        return key.replace(" ", "_")
    raise CellError("not_referral_source", text, f"{text!r} is not a known referral source")


def _consent(text: str) -> list[str]:
    scopes = []
    for part in split_cell(text):
        key = part.casefold()
        if key in _CONSENT_FI:
            scopes.append(_CONSENT_FI[key].value)
        elif key in {s.value for s in ConsentScope}:
            scopes.append(key)
        else:
            raise CellError("not_consent_scope", text, f"{part!r} is not a consent scope")
    return scopes


_PARSERS: dict[str, Callable[[str], Any]] = {
    "birth_year": whole_number_cell,
    "referral_source": _referral,
    "started_on": date_cell,
    "hours_min": number_cell,
    "hours_max": number_cell,
    "schedule": slots_cell,
    "consent": _consent,
    "duplicate_checked": yes_no_cell,
}


@dataclass
class IntakeSheet:
    people: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(row number, the row's values by field) for every row of data: of a row with a cell that
    could not be read (an error below), the values of the cells that could, so that the rest of
    the row is still checked."""
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_intake_rows(rows: Iterable[Mapping[str, object]]) -> IntakeSheet:
    """Read every row; the people, and every error of every row."""
    rows = list(rows)
    sheet = IntakeSheet()
    if not rows:
        sheet.errors.append(RowError(1, "", "the sheet has no client rows", kind="no_client_rows"))
        return sheet
    header: dict[str, IntakeColumn] = {}
    for heading in rows[0]:
        column = _BY_KEY.get(heading_key(str(heading)))
        if column is None:
            known = ", ".join(intake_headings())
            error = RowError(1, str(heading), "unknown column", known, kind="unknown_column")
            sheet.errors.append(error)
        else:
            header[str(heading)] = column
    present = {c.field for c in header.values()}
    for column in INTAKE_COLUMNS:
        if column.required and column.field not in present:
            sheet.errors.append(
                RowError(1, column.heading, "required column is missing", kind="missing_column")
            )
    if sheet.errors:
        return sheet
    for offset, row in enumerate(rows):
        number = FIRST_DATA_ROW + offset
        cells = {header[str(h)]: ("" if v is None else str(v).strip())
                 for h, v in row.items() if str(h) in header}  # fmt: skip
        if not any(cells.values()):
            continue  # a blank line
        values: dict[str, Any] = {}
        for column, text in cells.items():
            if text == "":
                if column.required:
                    where = {"column_field": column.field}
                    sheet.errors.append(
                        RowError(number, column.heading, "empty", kind="empty", context=where)
                    )
                continue
            try:
                values[column.field] = _PARSERS.get(column.field, str)(text)
            except CellError as err:
                sheet.errors.append(RowError(number, column.heading, str(err), kind=err.kind,
                                             context={"value": err.value,
                                                      "column_field": column.field}))  # fmt: skip
        sheet.people.append((number, values))
    return sheet
