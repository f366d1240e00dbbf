"""Reading a spreadsheet's cells, for every sheet the product takes (the Ratko task list, a
caseload taken on at once): headings matched loosely, cells read as numbers, dates, lists and
week slots, and each problem kept with its row and column, so that a sheet's every error can be
said at once, in its reader's language.

Pure: text in, values or :class:`CellError` out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from features.catalogue.schedule import parse_slot

__all__ = [
    "CellError",
    "RowError",
    "date_cell",
    "heading_key",
    "number_cell",
    "slots_cell",
    "split_cell",
    "whole_number_cell",
    "yes_no_cell",
]


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    """Spreadsheet row number (headings are row 1); 1 for a problem with the headings."""
    column: str
    message: str
    """For developers and API clients (English)."""
    allowed: str = ""
    kind: str = "invalid"
    """What was wrong as a code (``empty``, ``not_number``, … or pydantic's error type), so that
    a page can say it in its reader's language."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """The values the kind's message names (``value``, …) and ``column_field``."""

    def __str__(self) -> str:
        where = f"row {self.row}, column '{self.column}'" if self.column else f"row {self.row}"
        named = "allowed:" in self.message or "known" in self.message
        hint = f" (allowed: {self.allowed})" if self.allowed and not named else ""
        return f"{where}: {self.message}{hint}"


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""

    def __init__(self, kind: str, value: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.value = kind, value


def heading_key(text: str) -> str:
    """A heading as compared: case, spaces and underscores aside."""
    return re.sub(r"[\s_]+", " ", text.strip().casefold())


def split_cell(text: str) -> list[str]:
    """A list in one cell: separated by commas, semicolons or line breaks."""
    return [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]


def number_cell(text: str) -> float:
    """A number written the Finnish way too (``12,5``, a space between thousands)."""
    try:
        return float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        raise CellError("not_number", text, f"{text!r} is not a number") from None


def whole_number_cell(text: str) -> int:
    """A whole number (a level, a year)."""
    value = number_cell(text)
    if value != int(value):
        raise CellError("not_whole_number", text, f"{text!r} is not a whole number")
    return int(value)


_YES = {"kyllä", "k", "yes", "y", "true", "1", "x"}
_NO = {"ei", "e", "no", "n", "false", "0", ""}


def yes_no_cell(text: str) -> bool:
    """``kyllä``/``ei`` (or yes/no, x, 1/0; empty is no)."""
    key = text.strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError("not_yes_no", text, f"{text!r} is not yes or no")


def date_cell(text: str) -> date:
    """``2026-12-07`` or ``7.12.2026``."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("not_date", text, f"{text!r} is not a date")


def slots_cell(text: str) -> list[str]:
    """Week slots (``ma-aamu, ti-aamu`` or ``mon-morning``)."""
    try:
        return [parse_slot(p) for p in split_cell(text)]
    except ValueError as err:
        raise CellError("not_slot", text, str(err)) from None
