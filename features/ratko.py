"""The Ratko spreadsheet: a workshop's output, one row per task, and back.

Column headings are Finnish; each column also answers to English aliases (its field name and,
for characteristics, the English name — and the Swedish one), in any case and with spaces or
underscores. A sector, task kind or adjustment is read from its id or its name in Finnish,
Swedish or English (``CodeList.find``). Rows with
the same role title form one role. :func:`parse_rows` validates every row and returns **all**
errors (row, column, what is wrong, what is allowed); :func:`format_rows` writes tasks back in
the same layout, so that format → parse gives the same roles.

Pure: rows in (a list of mappings of heading → cell text), roles or errors out. Reading and
writing CSV / .xlsx files is the service layer's job (``api/employers/spreadsheet.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, LICENCES, SECTORS, TASK_KINDS
from features.catalogue.codes import CodeList
from features.catalogue.schedule import slot_label_fi
from features.i18n import N_, NAME_LANGUAGES, gettext_for
from features.schemas import Role, Task
from features.schemas.employer import Frequency, TaskType
from features.schemas.errors import field_errors
from features.schemas.jobseeker import MAX_WEEKLY_HOURS
from features.sheet_cells import CellError as _CellError
from features.sheet_cells import RowError
from features.sheet_cells import date_cell as _date
from features.sheet_cells import heading_key as _key
from features.sheet_cells import number_cell as _number
from features.sheet_cells import slots_cell as _slots
from features.sheet_cells import split_cell as _split
from features.sheet_cells import whole_number_cell as _level
from features.sheet_cells import yes_no_cell as _bool

__all__ = [
    "COLUMNS",
    "Column",
    "ParsedSheet",
    "RowError",
    "format_rows",
    "headings",
    "parse_rows",
]

FIRST_DATA_ROW = 2
"""Spreadsheet row number of the first task (row 1 holds the headings)."""


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    """The Finnish heading written on export."""
    field: str
    """Where the value goes: a Task field, ``role``/``sector``, ``demand:<id>``, ``kg:<id>``."""
    aliases: tuple[str, ...]
    allowed: str
    """What a cell may hold, as a catalogue message (English msgid, ``%(values)s`` for
    ``values``): said in the reader's language by :meth:`allowed_in`."""
    required: bool = False
    values: str = ""
    """The ids allowed, where the column takes ids."""
    codes: CodeList | None = None
    """Where the column takes a code by its id or its name: the codes, listed by name."""

    def allowed_in(self, lang: str) -> str:
        text = gettext_for(lang)(self.allowed)
        values = ", ".join(c.name(lang) for c in self.codes) if self.codes else self.values
        return text % {"values": values} if "%(values)s" in self.allowed else text


_TASK_TYPE_FI = {"ydin": TaskType.CORE, "luovutettava": TaskType.HAND_OVER}
_FREQUENCY_FI = {
    "päivittäin": Frequency.DAILY,
    "useasti viikossa": Frequency.SEVERAL_PER_WEEK,
    "viikoittain": Frequency.WEEKLY,
    "kuukausittain": Frequency.MONTHLY,
    "satunnaisesti": Frequency.OCCASIONAL,
}


def _fixed_columns() -> list[Column]:
    return [
        Column("Rooli", "role", ("role",), N_("the role (job) the task belongs to"), True),
        Column(
            "Roolin kuvaus",
            "role_description",
            ("role description",),
            N_("free text, one per role"),
        ),
        Column(
            "Ala",
            "sector",
            ("sector",),
            N_("a sector, by its name or id: %(values)s"),
            True,
            codes=SECTORS,
        ),
        Column("Tehtävä", "title", ("task", "title"), N_("1–120 characters"), True),
        Column("Kuvaus", "description", ("description",), N_("free text, up to 2000 characters")),
        Column(
            "Tehtävän laji",
            "kind",
            ("kind", "task kind"),
            N_("a task kind, by its name or id: %(values)s"),
            True,
            codes=TASK_KINDS,
        ),
        Column(
            "Ydin vai luovutettava",
            "task_type",
            ("task type", "core or hand-over"),
            N_("core / hand_over (ydin / luovutettava)"),
            True,
        ),
        Column(
            "Tunnit viikossa",
            "hours_per_week",
            ("hours per week", "hours"),
            N_("a number of hours, at least 0.25 and at most 40"),
            True,
        ),
        Column(
            "Vuorot",
            "schedule",
            ("schedule", "slots"),
            N_(
                "comma-separated day-part slots such as 'mon-morning, tue-afternoon' (or "
                "'ma-aamu, ti-iltapäivä')"
            ),
            True,
        ),
        Column(
            "Toistuvuus",
            "frequency",
            ("frequency",),
            N_("one of: %(values)s"),
            True,
            " / ".join(_FREQUENCY_FI),
        ),
    ]


def _demand_columns() -> list[Column]:
    out = []
    for c in CHARACTERISTICS.values():
        out.append(
            Column(
                c.name_fi,
                f"demand:{c.id}",
                (c.id, c.name_en, c.name("sv")),
                N_("a level 0–4, empty if not assessed"),
            )
        )
        if c.has_kilograms:
            out.append(
                Column(
                    f"{c.name_fi} kg",
                    f"kg:{c.id}",
                    (f"{c.id} kg", f"{c.name_en} kg", f"{c.name('sv')} kg"),
                    N_("the heaviest load in kilograms (more than 0, at most 100)"),
                )
            )
    return out


def _tail_columns() -> list[Column]:
    return [
        Column(
            "Hyväksytyt mukautukset",
            "accepted_adjustments",
            ("accepted adjustments",),
            N_("comma-separated adjustment ids: %(values)s"),
            False,
            ", ".join(ADJUSTMENTS),
        ),
        Column(
            "Vaaditut luvat ja kortit",
            "required_licences",
            ("required licences",),
            N_("comma-separated licence ids: %(values)s"),
            False,
            ", ".join(LICENCES.ids),
        ),
        Column(
            "Vaaditut taidot", "required_skills", ("required skills",), N_("comma-separated skills")
        ),
        Column(
            "Työpaikan katuosoite",
            "place_street",
            ("place street",),
            N_("street address if not the employer's"),
        ),
        Column(
            "Työpaikan postinumero", "place_postal_code", ("place postal code",), N_("five digits")
        ),
        Column(
            "Työpaikan kunta", "place_municipality", ("place municipality",), N_("a municipality")
        ),
        Column(
            "Työpaikan leveysaste",
            "place_lat",
            ("place latitude", "place lat"),
            N_("latitude in decimal degrees, e.g. 60.98"),
        ),
        Column(
            "Työpaikan pituusaste",
            "place_lon",
            ("place longitude", "place lon"),
            N_("longitude in decimal degrees, e.g. 25.66"),
        ),
        Column(
            "Mentori saatavilla",
            "mentor_available",
            ("mentor available", "mentor"),
            N_("yes / no (kyllä / ei)"),
        ),
        Column(
            "Kausi alkaa", "season_start", ("season start",), N_("a date, 2026-05-15 or 15.5.2026")
        ),
        Column(
            "Kausi päättyy", "season_end", ("season end",), N_("a date, 2026-09-15 or 15.9.2026")
        ),
        Column(
            "Avoin työpaikka",
            "open_vacancy",
            ("open vacancy",),
            N_("yes / no (kyllä / ei): the employer is hiring for the role as it is"),
        ),
        Column(
            "Työpaikan tunnit viikossa",
            "vacancy_hours",
            ("vacancy hours",),
            N_("the open position's hours a week, 0.5–40"),
        ),
    ]


COLUMNS: tuple[Column, ...] = (*_fixed_columns(), *_demand_columns(), *_tail_columns())


def headings() -> list[str]:
    """The Finnish headings, in template order."""
    return [c.heading for c in COLUMNS]


_BY_KEY: dict[str, Column] = {}
for _c in COLUMNS:
    for _name in (_c.heading, _c.field, *_c.aliases):
        _BY_KEY.setdefault(_key(_name), _c)
_BY_FIELD = {c.field: c for c in COLUMNS}


@dataclass
class ParsedSheet:
    roles: list[Role] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _task_type(text: str) -> str:
    key = text.casefold().replace("-", "_").replace(" ", "_")
    if key in _TASK_TYPE_FI:
        return _TASK_TYPE_FI[key].value
    if key in {t.value for t in TaskType}:
        return key
    raise _CellError("not_task_type", text, f"{text!r} is neither core nor hand-over")


def _frequency(text: str) -> str:
    key = text.casefold()
    if key in _FREQUENCY_FI:
        return _FREQUENCY_FI[key].value
    if key.replace(" ", "_") in {f.value for f in Frequency}:
        return key.replace(" ", "_")
    raise _CellError("not_frequency", text, f"{text!r} is not a known frequency")


def _adjustments(text: str) -> list[str]:
    # By id or by name in Finnish, Swedish or English, as the code lists' cells are read.
    by_name = {
        a.name(lang).casefold(): a.id for lang in NAME_LANGUAGES for a in ADJUSTMENTS.values()
    }
    return [by_name.get(p.casefold(), p) for p in _split(text)]


def _code_of(codes: CodeList) -> Callable[[str], str]:
    """A cell naming a code by its id or by its name in Finnish or English (what the UI shows)
    or in Swedish (what a bilingual municipality's staff may write); a text naming none is kept
    as written, for the check that says what is allowed."""
    return lambda text: codes.find(text) or text


_PARSERS: dict[str, Callable[[str], object]] = {
    "sector": _code_of(SECTORS),
    "kind": _code_of(TASK_KINDS),
    "hours_per_week": _number,
    "place_lat": _number,
    "place_lon": _number,
    "schedule": _slots,
    "task_type": _task_type,
    "frequency": _frequency,
    "accepted_adjustments": _adjustments,
    "required_licences": _split,
    "required_skills": _split,
    "mentor_available": _bool,
    "open_vacancy": _bool,
    "vacancy_hours": _number,
    "season_start": _date,
    "season_end": _date,
}


def _allowed(column: Column) -> str:
    return column.allowed_in("en")


def column_by_field(field_id: str) -> Column | None:
    """The column a value goes to (``hours_per_week``, ``demand:standing``, …)."""
    return _BY_FIELD.get(field_id)


def _column_for(field_path: str) -> Column | None:
    """The column a pydantic error location points at."""
    head = field_path.split("[")[0]
    parts = head.split(".")
    if parts[0] == "demands" and len(parts) > 1:
        return _BY_FIELD.get(f"demand:{parts[1]}")
    if parts[0] == "demand_kilograms" and len(parts) > 1:
        return _BY_FIELD.get(f"kg:{parts[1]}")
    if parts[0] == "place":
        if len(parts) > 2 and parts[1] == "coordinates":
            return _BY_FIELD.get(f"place_{parts[2]}")
        if len(parts) > 1 and parts[1] == "coordinates":
            return _BY_FIELD.get("place_lat")
        return _BY_FIELD.get(f"place_{parts[1]}" if len(parts) > 1 else "place_street")
    return _BY_FIELD.get(parts[0])


def parse_rows(rows: Iterable[Mapping[str, object]]) -> ParsedSheet:
    """Validate every row; return the roles, or every error if any row is bad."""
    rows = list(rows)
    sheet = ParsedSheet()
    if not rows:
        sheet.errors.append(RowError(1, "", "the sheet has no task rows", kind="no_rows"))
        return sheet
    header_map: dict[str, Column] = {}
    for heading in rows[0]:
        column = _BY_KEY.get(_key(str(heading)))
        if column is None:
            sheet.errors.append(
                RowError(
                    1,
                    str(heading),
                    "unknown column",
                    "the headings of the template",
                    kind="unknown_column",
                )
            )
        elif column.field in {c.field for c in header_map.values()}:
            sheet.errors.append(
                RowError(
                    1,
                    str(heading),
                    f"duplicates column '{column.heading}'",
                    kind="duplicate_column",
                    context={"other": column.heading},
                )
            )
        else:
            header_map[str(heading)] = column
    present = {c.field for c in header_map.values()}
    for column in COLUMNS:
        if column.required and column.field not in present:
            sheet.errors.append(
                RowError(1, column.heading, "required column is missing", kind="missing_column")
            )
    if sheet.errors:
        return sheet

    roles: dict[str, dict[str, Any]] = {}
    for offset, row in enumerate(rows):
        number = FIRST_DATA_ROW + offset
        cells = {
            header_map[str(h)].field: ("" if v is None else str(v).strip())
            for h, v in row.items()
            if str(h) in header_map
        }
        if not any(cells.values()):
            continue  # a blank line between roles
        task, role_key = _task_from_cells(number, cells, sheet.errors)
        if task is None or role_key is None:
            continue
        role_title, sector, description, open_vacancy, vacancy_hours = role_key
        role = roles.setdefault(
            role_title,
            {
                "title": role_title,
                "sector": sector,
                "description": description,
                "open_vacancy": False,
                "vacancy_hours": None,
                "tasks": [],
                "row": number,
            },
        )
        if description and not role["description"]:
            role["description"] = description
        # A role is an open vacancy when any of its rows says so (one row is enough).
        role["open_vacancy"] = role["open_vacancy"] or open_vacancy
        if vacancy_hours is not None and role["vacancy_hours"] is None:
            role["vacancy_hours"] = vacancy_hours
        if role["sector"] != sector:
            sheet.errors.append(
                RowError(
                    number,
                    "Ala",
                    f"role '{role_title}' has sector {role['sector']!r} "
                    f"on row {role['row']} but {sector!r} here",
                    "one sector per role",
                    kind="sector_mismatch",
                    context={
                        "role": role_title,
                        "first": role["sector"],
                        "first_row": role["row"],
                        "value": sector,
                    },
                )
            )
            continue
        role["tasks"].append(task)
    if sheet.errors:
        return sheet
    for role in roles.values():
        sheet.roles.append(
            Role(
                title=role["title"],
                sector=role["sector"],
                description=role["description"],
                open_vacancy=role["open_vacancy"],
                vacancy_hours=role["vacancy_hours"],
                tasks=role["tasks"],
            )
        )
    return sheet


RoleKey = tuple[str, str, str, bool, object]
"""A row's role: title, sector, description, open vacancy, the position's hours."""


def _task_from_cells(
    number: int, cells: dict[str, str], errors: list[RowError]
) -> tuple[Task | None, RoleKey | None]:
    data: dict[str, object] = {"demands": {}, "demand_kilograms": {}}
    failed = False
    for column in COLUMNS:
        text = cells.get(column.field, "")
        if not text:
            if column.required:
                errors.append(
                    RowError(
                        number,
                        column.heading,
                        "is empty",
                        _allowed(column),
                        kind="empty",
                        context={"column_field": column.field},
                    )
                )
                failed = True
            continue
        try:
            if column.field.startswith("demand:"):
                data["demands"][column.field[7:]] = _level(text)  # type: ignore[index]
            elif column.field.startswith("kg:"):
                data["demand_kilograms"][column.field[3:]] = _number(text)  # type: ignore[index]
            else:
                data[column.field] = _PARSERS.get(column.field, str)(text)
        except _CellError as err:
            errors.append(
                RowError(
                    number,
                    column.heading,
                    str(err),
                    _allowed(column),
                    kind=err.kind,
                    context={"value": err.value, "column_field": column.field},
                )
            )
            failed = True
    role = data.pop("role", None)
    sector = data.pop("sector", None)
    role_description = str(data.pop("role_description", ""))
    vacancy = (bool(data.pop("open_vacancy", False)), data.pop("vacancy_hours", None))
    hours = vacancy[1]
    if isinstance(hours, float) and not 0 < hours <= MAX_WEEKLY_HOURS:
        column = _BY_FIELD["vacancy_hours"]
        kind, bound = ("greater_than", {"gt": 0}) if hours <= 0 else (
            "less_than_equal", {"le": MAX_WEEKLY_HOURS})  # fmt: skip
        errors.append(RowError(number, column.heading, f"{hours} is out of range",
                               _allowed(column), kind=kind,
                               context={**bound, "column_field": column.field}))  # fmt: skip
        failed = True
    if sector is not None and sector not in SECTORS:
        errors.append(
            RowError(
                number,
                "Ala",
                f"unknown sector {sector!r}",
                _allowed(_BY_FIELD["sector"]),
                kind="unknown_sector",
                context={"value": sector, "column_field": "sector"},
            )
        )
        failed = True
    place = {
        k: data.pop(f"place_{k}")
        for k in ("street", "postal_code", "municipality")
        if f"place_{k}" in data
    }
    point = {k: data.pop(f"place_{k}") for k in ("lat", "lon") if f"place_{k}" in data}
    if point:
        place["coordinates"] = point
    if place:
        data["place"] = place
    if failed:
        return None, None
    try:
        task = Task.model_validate(data)
    except ValidationError as err:
        for fe in field_errors(err):
            path = fe.field
            if not path:  # a check across fields names its field first: "demand_kilograms.x: …"
                path = fe.message.split(":", 1)[0]
            found = _column_for(path)
            errors.append(
                RowError(
                    number,
                    found.heading if found else fe.field,
                    fe.message,
                    _allowed(found) if found else "",
                    kind=fe.kind,
                    context={**fe.context, "column_field": found.field if found else ""},
                )
            )
        return None, None
    return task, (str(role), str(sector), role_description, *vacancy)


def _fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _coordinate(task: Task, axis: str) -> str:
    if task.place is None or task.place.coordinates is None:
        return ""
    return repr(getattr(task.place.coordinates, axis))


def format_rows(roles: Iterable[Role]) -> list[dict[str, str]]:
    """One row per task under the Finnish headings, in the template's column order."""
    task_type_fi = {v: k for k, v in _TASK_TYPE_FI.items()}
    frequency_fi = {v: k for k, v in _FREQUENCY_FI.items()}
    out = []
    for role in roles:
        for task in role.tasks:
            values: dict[str, str] = {
                "role": role.title,
                "role_description": role.description,
                "sector": role.sector,
                "title": task.title,
                "description": task.description,
                "kind": task.kind,
                "task_type": task_type_fi[task.task_type],
                "hours_per_week": _fmt_number(task.hours_per_week),
                "schedule": ", ".join(slot_label_fi(s) for s in task.schedule),
                "frequency": frequency_fi[task.frequency],
                "accepted_adjustments": ", ".join(task.accepted_adjustments),
                "required_licences": ", ".join(task.required_licences),
                "required_skills": ", ".join(task.required_skills),
                "place_street": task.place.street if task.place else "",
                "place_postal_code": task.place.postal_code if task.place else "",
                "place_municipality": task.place.municipality if task.place else "",
                "place_lat": _coordinate(task, "lat"),
                "place_lon": _coordinate(task, "lon"),
                "mentor_available": "kyllä" if task.mentor_available else "ei",
                "season_start": task.season_start.isoformat() if task.season_start else "",
                "season_end": task.season_end.isoformat() if task.season_end else "",
                "open_vacancy": "kyllä" if role.open_vacancy else "ei",
                "vacancy_hours": _fmt_number(role.vacancy_hours) if role.vacancy_hours else "",
            }
            for cid, level in task.demands.items():
                values[f"demand:{cid}"] = str(level)
            for cid, kg in task.demand_kilograms.items():
                values[f"kg:{cid}"] = _fmt_number(kg)
            out.append({c.heading: values.get(c.field, "") for c in COLUMNS})
    return out
