"""Read and write Ratko spreadsheets (CSV or .xlsx) as rows of heading → cell text.

Cells that a spreadsheet program would run as a formula (starting with ``= + - @``, a tab or
a carriage return) never leave as one: in CSV they get a leading apostrophe (read back
without it), in .xlsx they are stored as text. A sheet longer than :data:`MAX_ROWS` is refused
as soon as the reader passes that row, before the rest is parsed. An .xlsx file is a zip
archive: one that would unpack to more than :data:`MAX_UNPACKED_BYTES` (a decompression bomb:
1.5 MB that inflates to 1.5 GB) is refused from its directory, before anything is unpacked;
Python's zip reader never inflates an entry past its declared size.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path

from openpyxl import Workbook, load_workbook

from features.errors import InvalidInputError
from features.ratko import headings
from features.schemas.errors import FieldError

__all__ = ["FORMATS", "MAX_ROWS", "read_sheet", "sheet_format", "write_sheet"]

FORMATS = ("csv", "xlsx")
MAX_ROWS = 2000
"""Task rows in one sheet: a workshop's decomposition of an employer's roles is far fewer."""
MAX_UNPACKED_BYTES = 40_000_000
"""What an .xlsx may unpack to: a sheet of :data:`MAX_ROWS` rows is a few megabytes."""
MAX_COLUMNS = 200
"""Cells read per row: the template has about 60 columns."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def escape_cell(text: str) -> str:
    """A cell as CSV text that no spreadsheet program runs as a formula."""
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The cell as it was before :func:`escape_cell`."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _too_long() -> InvalidInputError:
    return InvalidInputError(
        [FieldError("file", f"more than {MAX_ROWS} rows; split the sheet by role")],
        "spreadsheet too long",
    )


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
    # The delimiter is the one the heading line uses most; quoting is standard CSV (a cell
    # may hold both quotes and delimiters), which guessing from the heading gets wrong.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows: list[dict[str, str]] = []
    for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
        if len(rows) == MAX_ROWS:
            raise _too_long()
        rows.append({k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return rows


def _check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose entries would unpack to more than the limit, from the sizes its
    directory declares (the reader stops at a declared size, so they cannot lie upward)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInputError(
            [FieldError("file", f"unpacks to {unpacked // 1_000_000} MB, more than "
                        f"{MAX_UNPACKED_BYTES // 1_000_000} MB; a Ratko sheet is far smaller: "
                        "save it again without extra sheets or images, or split it by role")],
            "spreadsheet too large",
        )  # fmt: skip


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    _check_archive(data)
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    # Streamed: reading stops one row past the limit, however long the sheet claims to be,
    # and at MAX_COLUMNS cells a row, however wide.
    streamed = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    values = list(islice(streamed, MAX_ROWS + 2))
    if not values:
        return []
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    while header and not header[-1]:  # max_col pads every row to its width
        header.pop()
    rows: list[dict[str, str]] = []
    for line in values[1:]:
        if len(rows) == MAX_ROWS:
            raise _too_long()
        cells = ["" if v is None else _cell_text(v) for v in line]
        rows.append(dict(zip(header, cells, strict=False)))
    _refuse_formulas_without_values(data, values, header)
    return rows


def _refuse_formulas_without_values(
    data: bytes, values: list[tuple[object, ...]], header: list[str]
) -> None:
    """A formula whose value was never saved with the file (a sheet written by a program, not
    saved again in Excel) reads as an empty cell; say so at its row and column rather than
    call it empty ("Tunnit viikossa: tyhjä" while Excel shows 12)."""
    empty = {(r, c) for r, line in enumerate(values) for c, v in enumerate(line) if v is None}
    if not empty:
        return
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    streamed = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    found = [
        FieldError(f"row {r + 1}, column '{header[c]}'", "holds a formula whose value was not "
                   "saved with the file", "formula_without_value",
                   {"row": r + 1, "column": header[c]})
        for r, line in enumerate(islice(streamed, len(values)))
        for c, v in enumerate(line)
        if (r, c) in empty and c < len(header) and isinstance(v, str) and v.startswith("=")
    ]  # fmt: skip
    if found:
        raise InvalidInputError(found, "formulas without their values")


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
    except InvalidInputError:
        raise
    except Exception as err:
        raise InvalidInputError(
            [
                FieldError(
                    "file",
                    f"cannot be read as {fmt}: {err}",
                    kind="unreadable_sheet",
                    context={"format": fmt},
                )
            ],
            "unreadable spreadsheet",
        ) from None


def write_sheet(
    rows: Sequence[Mapping[str, object]],
    fmt: str,
    columns: list[str] | None = None,
    title: str = "Ratko",
    *,
    finnish_csv: bool = False,
) -> bytes:
    """The rows as a CSV or .xlsx file under ``columns`` (the Ratko sheet's by default); a
    cell that would start a formula is written as text. Numbers stay numbers in .xlsx (CSV
    writes them with a decimal point — or, ``finnish_csv``, separated by semicolons with a
    decimal comma, as Excel in Finnish opens it); a missing cell or ``None`` is empty."""
    columns = columns or headings()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n",
                                delimiter=";" if finnish_csv else ",")  # fmt: skip

        def text(value: object) -> str:
            if isinstance(value, float) and finnish_csv:
                return str(value).replace(".", ",")
            return "" if value is None else str(value)

        writer.writeheader()
        writer.writerows({k: escape_cell(text(v)) for k, v in row.items()} for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(columns)
    sheet.freeze_panes = "A2"  # the headings stay in sight while the rows scroll
    for r, row in enumerate(rows, start=2):
        values = [row.get(c, "") for c in columns]
        sheet.append(values)
        # Only the cells that would start a formula are touched (``sheet[r]`` reads the whole
        # sheet's rows each time: quadratic in the rows).
        for c, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                sheet.cell(row=r, column=c).data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
