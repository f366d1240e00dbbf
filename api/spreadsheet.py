"""Read and write Ratko spreadsheets (CSV or .xlsx) as rows of heading → cell text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from features.errors import InvalidInputError
from features.ratko import headings
from features.schemas.errors import FieldError

__all__ = ["FORMATS", "read_sheet", "sheet_format", "write_sheet"]

FORMATS = ("csv", "xlsx")


def sheet_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInputError(
            [FieldError("file", f"'{path.name}' is neither .csv nor .xlsx")], "unsupported file"
        )
    return suffix


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # Excel's "CSV" on Finnish Windows
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return []
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    rows = []
    for line in values[1:]:
        cells = ["" if v is None else _cell_text(v) for v in line]
        rows.append(dict(zip(header, cells, strict=False)))
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):  # a datetime from Excel
        return value.date().isoformat()  # type: ignore[union-attr]
    return str(value)


def read_sheet(data: bytes, fmt: str) -> list[dict[str, str]]:
    """Rows of a CSV or .xlsx file; a file that is not one becomes an InvalidInputError."""
    try:
        return _csv_rows(data) if fmt == "csv" else _xlsx_rows(data)
    except Exception as err:
        raise InvalidInputError(
            [FieldError("file", f"cannot be read as {fmt}: {err}")], "unreadable spreadsheet"
        ) from None


def write_sheet(rows: list[dict[str, str]], fmt: str) -> bytes:
    columns = headings()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    sheet.title = "Ratko"
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
