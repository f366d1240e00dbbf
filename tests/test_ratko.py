"""The Ratko spreadsheet: round trips, every error at once, the shipped example."""

from pathlib import Path

import pytest

from api.employers.spreadsheet import read_sheet, write_sheet
from api.http.problems import sheet_problems
from api.storage import repository
from api.storage.bulk import load_tables
from api.storage.engine import transaction
from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, SECTORS, TASK_KINDS
from features.errors import InvalidInputError
from features.ratko import COLUMNS, format_rows, headings, parse_rows
from features.schemas.errors import FieldError

EXAMPLES = Path(__file__).resolve().parent.parent / "features" / "examples"


@pytest.fixture(scope="module")
def world_roles(small_world):
    """All roles of the small world, as schema objects, grouped per employer."""
    from api.storage.engine import make_engine
    from api.storage.migrate import upgrade

    engine = make_engine("sqlite://")
    upgrade(engine)
    load_tables(engine, small_world.tables)
    with transaction(engine) as s:
        n = len(small_world.tables["employer"])
        return [
            [role for role, _ in repository.list_employer_tasks(s, employer_id=e)]
            for e in range(1, n + 1)
        ]


def test_headings_are_finnish_and_unique():
    assert headings()[:4] == ["Rooli", "Roolin kuvaus", "Ala", "Tehtävä"]
    assert "Seisominen" in headings() and "Nostaminen kg" in headings()
    assert len(set(headings())) == len(headings())


def test_format_then_parse_gives_the_same_roles(world_roles):
    for roles in world_roles:
        sheet = parse_rows(format_rows(roles))
        assert sheet.ok, sheet.errors[:3]
        assert sheet.roles == roles


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_file_round_trip_is_exact(world_roles, fmt):
    roles = [r for roles in world_roles[:20] for r in roles if r.title != "x"][:6]
    # Roles of several employers may share a title; keep one of each for one sheet.
    unique = list({r.title: r for r in roles}.values())
    data = write_sheet(format_rows(unique), fmt)
    rows = read_sheet(data, fmt)
    sheet = parse_rows(rows)
    assert sheet.ok, sheet.errors[:3]
    assert sheet.roles == unique
    assert write_sheet(format_rows(sheet.roles), fmt) == data or fmt == "xlsx"
    # xlsx files carry a timestamp; compare their cells instead.
    assert read_sheet(write_sheet(format_rows(sheet.roles), fmt), fmt) == rows


def test_english_aliases_and_loose_headings_are_accepted():
    rows = [
        {
            "role": "Siivooja",
            "SECTOR": "cleaning",
            "task": "Imurointi",
            "kind": "cleaning",
            "task_type": "hand-over",
            "hours_per_week": "4,5",
            "schedule": "mon-morning; ti-aamu",
            "frequency": "weekly",
            "standing": "3",
            "Lifting kg": "",
            "mentor": "yes",
            "accepted adjustments": "Sit-stand stool, flexible_breaks",
        },
    ]
    sheet = parse_rows(rows)
    assert sheet.ok, sheet.errors
    task = sheet.roles[0].tasks[0]
    assert task.hours_per_week == 4.5 and task.schedule == ["mon-morning", "tue-morning"]
    assert task.task_type.value == "hand_over" and task.mentor_available
    assert task.accepted_adjustments == ["flexible_breaks", "sit_stand_stool"]
    assert task.demands == {"standing": 3}


def test_every_bad_row_is_reported_at_once():
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    rows[0]["Seisominen"] = "7"
    rows[0]["Tehtävän laji"] = "juggling"
    rows[2]["Tunnit viikossa"] = "paljon"
    rows[4]["Vuorot"] = "ma-aamu, kuu-ilta"
    rows[5]["Ydin vai luovutettava"] = "ehkä"
    rows[6]["Hyväksytyt mukautukset"] = "magic_wand"
    rows[7]["Nostaminen kg"] = "-3"
    rows[8]["Tehtävä"] = ""
    rows[10]["Ala"] = "retail"  # the role's other rows say cleaning
    sheet = parse_rows(rows)
    assert not sheet.roles
    found = {(e.row, e.column) for e in sheet.errors}
    assert found == {
        (2, "Seisominen"),
        (2, "Tehtävän laji"),
        (4, "Tunnit viikossa"),
        (6, "Vuorot"),
        (7, "Ydin vai luovutettava"),
        (8, "Hyväksytyt mukautukset"),
        (9, "Nostaminen kg"),
        (10, "Tehtävä"),
        (12, "Ala"),
    }
    text = "\n".join(str(e) for e in sheet.errors)
    assert "row 4, column 'Tunnit viikossa': 'paljon' is not a number" in text
    assert "allowed: a number of hours" in text
    assert "unknown adjustment 'magic_wand'" in text
    assert "'kuu-ilta'" in text


def test_heading_problems_are_reported_before_rows():
    sheet = parse_rows([{"Rooli": "x", "Tehtävä": "y", "Hattu": "z"}])
    messages = {(e.column, e.message) for e in sheet.errors}
    assert ("Hattu", "unknown column") in messages
    assert ("Ala", "required column is missing") in messages
    assert ("Tunnit viikossa", "required column is missing") in messages
    assert parse_rows([]).errors[0].message == "the sheet has no task rows"


def test_blank_lines_between_roles_are_skipped():
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    blank = dict.fromkeys(rows[0], "")
    assert parse_rows([*rows[:3], blank, *rows[3:]]).roles == parse_rows(rows).roles


@pytest.mark.parametrize("name", ["ratko_example.csv", "ratko_example.xlsx"])
def test_shipped_examples_import_cleanly(name):
    fmt = name.rsplit(".", 1)[1]
    sheet = parse_rows(read_sheet((EXAMPLES / name).read_bytes(), fmt))
    assert sheet.ok, sheet.errors
    assert [r.title for r in sheet.roles] == ["Keittiöapulainen", "Toimitilasiivooja"]
    assert sum(len(r.tasks) for r in sheet.roles) == 15
    assert {c.heading for c in COLUMNS} == set(read_sheet((EXAMPLES / name).read_bytes(), fmt)[0])


def test_unreadable_files_are_a_clear_error():
    from features.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="cannot be read as xlsx"):
        read_sheet(b"not a zip file", "xlsx")


FORMULAS = ['=HYPERLINK("http://x.example","klik")', "@SUM(A1:A9)", "+1+2", "-2+3", "\tx", "=1"]


def _with_titles(titles):
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    for row, title in zip(rows, titles, strict=False):
        row["Tehtävä"] = title
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_never_leave_as_formulas_and_come_back_as_typed(fmt, tmp_path):
    import csv as csv_module
    import io

    from openpyxl import load_workbook

    rows = _with_titles(FORMULAS)
    data = write_sheet(rows, fmt)
    if fmt == "csv":
        cells = [
            cell
            for line in csv_module.reader(io.StringIO(data.decode("utf-8-sig")))
            for cell in line
        ]
        for formula in FORMULAS:
            assert formula not in cells and "'" + formula in cells, formula
    else:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        kinds = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value}
        assert "f" not in kinds, "no formula cell"
    back = read_sheet(data, fmt)
    assert [r["Tehtävä"] for r in back[: len(FORMULAS)]] == FORMULAS[: len(back)]


def test_a_csv_cell_may_hold_quotes_and_delimiters():
    rows = _with_titles(['Lattiat "kiiltäviksi", portaat ja eteinen'])
    back = read_sheet(write_sheet(rows, "csv"), "csv")
    assert back[0]["Tehtävä"] == 'Lattiat "kiiltäviksi", portaat ja eteinen'
    semicolons = write_sheet(rows, "csv").decode("utf-8-sig").replace(",", ";")
    assert read_sheet(semicolons.encode(), "csv")[0]["Rooli"] == rows[0]["Rooli"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_sheet_past_the_row_limit_is_refused_early(fmt):
    from api.employers.spreadsheet import MAX_ROWS
    from features.errors import InvalidInputError

    row = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")[0]
    data = write_sheet([row] * (MAX_ROWS + 1), fmt)
    with pytest.raises(InvalidInputError) as err:
        read_sheet(data, fmt)
    assert "more than" in err.value.errors[0].message


def test_an_open_vacancy_comes_through_the_sheet_and_bad_hours_are_named():
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    assert any(r["Avoin työpaikka"] == "ei" for r in rows)
    first = rows[0]["Rooli"]
    rows[1]["Avoin työpaikka"] = "kyllä"  # one row of the role is enough
    for r in rows:
        if r["Rooli"] == first:
            r["Työpaikan tunnit viikossa"] = "20"
    sheet = parse_rows(rows)
    assert sheet.ok, sheet.errors
    vacancy = next(r for r in sheet.roles if r.title == first)
    assert vacancy.open_vacancy and vacancy.vacancy_hours == 20
    assert not any(r.open_vacancy for r in sheet.roles if r.title != first)
    rows[2]["Työpaikan tunnit viikossa"] = "60"
    refused = parse_rows(rows)
    assert not refused.ok
    (error,) = refused.errors
    assert (error.row, error.column, error.kind) == (4, "Työpaikan tunnit viikossa",
                                                     "less_than_equal")  # fmt: skip


def _bomb(unpacked_mb: int) -> bytes:
    """A real .xlsx (the template's own) with a sheet that inflates to ``unpacked_mb`` MB of
    rows: a decompression bomb of a few hundred kilobytes."""
    import io
    import zipfile

    base = write_sheet([{h: "1" for h in headings()}], "xlsx")
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c></row>"
    rows = row * (unpacked_mb * 1_000_000 // len(row))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()  # fmt: skip


def test_a_decompression_bomb_is_refused_before_it_is_unpacked():
    """1.5 MB that inflated to 1.5 GB took 16.7 s and 2.5 GB of memory; refused from the
    archive's directory now, in a few megabytes."""
    import time
    import tracemalloc

    bomb = _bomb(300)
    assert len(bomb) < 5_000_000, "it passes the body limit"
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match="unpacks to 300 MB"):
        read_sheet(bomb, "xlsx")
    took = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"bomb of {len(bomb) / 1e6:.1f} MB (300 MB unpacked): refused in {took * 1000:.0f} ms, "
          f"peak {peak / 1e6:.1f} MB")  # fmt: skip
    assert peak < 20_000_000
    # A sheet under the limit is still read (the limit leaves room for real sheets).
    assert read_sheet(_bomb(5), "xlsx")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_sectors_and_task_kinds_are_read_by_the_names_the_ui_shows(lang):
    """A sheet written with the names the UI shows ("Kierrätys ja kiertotalous"), or with the
    Swedish ones a bilingual municipality's staff write ("Städtjänster"), in any letter case,
    reads exactly as the one written with ids; a name of no sector is refused with every
    sector's name listed in the reader's language."""
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    named = [
        {**r, "Ala": SECTORS.get(r["Ala"]).name(lang).upper(),
         "Tehtävän laji": f" {TASK_KINDS.get(r['Tehtävän laji']).name(lang)} "}
        for r in rows
    ]  # fmt: skip
    assert named[0]["Ala"] != rows[0]["Ala"]
    by_id, by_name = parse_rows(rows), parse_rows(named)
    assert by_name.ok, by_name.errors
    assert by_name.roles == by_id.roles
    named[0]["Ala"] = "Kierrätys"  # half a name is no name
    refused = parse_rows(named)
    (error,) = [e for e in refused.errors if e.column == "Ala"]
    assert error.kind == "unknown_sector"
    said = sheet_problems(
        InvalidInputError([FieldError("row", error.message, error.kind,
                                      {**error.context, "row": error.row, "column": "Ala"})]),
        "fi",
    )  # fmt: skip
    assert "Kierrätys ja kiertotalous" in said[0].text and "recycling" not in said[0].text
    assert all(sector.name("fi") in said[0].text for sector in SECTORS)


def test_a_sheet_in_swedish_reads_as_the_one_with_ids():
    """Sector, task kind, adjustments and a characteristic's heading in Swedish."""
    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    lifting = CHARACTERISTICS["lifting"]
    swedish = []
    for r in rows:
        row = {**r, "Ala": SECTORS.get(r["Ala"]).name("sv"),
               "Tehtävän laji": TASK_KINDS.get(r["Tehtävän laji"]).name("sv")}  # fmt: skip
        if row.get("Hyväksytyt mukautukset"):
            # By name where the name has no comma of its own (the cell is comma-separated).
            named = [
                ADJUSTMENTS[a.strip()].name("sv") for a in r["Hyväksytyt mukautukset"].split(",")
            ]
            row["Hyväksytyt mukautukset"] = ", ".join(
                n if "," not in n else a
                for n, a in zip(named, r["Hyväksytyt mukautukset"].split(","), strict=True)
            )
        if lifting.name_fi in row:
            row[lifting.name("sv")] = row.pop(lifting.name_fi)
        swedish.append(row)
    assert swedish[0]["Ala"] == "Kök och catering" and "Nostaminen" not in swedish[0]
    by_id, in_swedish = parse_rows(rows), parse_rows(swedish)
    assert in_swedish.ok, in_swedish.errors
    assert in_swedish.roles == by_id.roles


def test_a_formula_saved_without_its_value_is_said_as_such_not_as_empty():
    """A sheet written by a program (no cached values) whose hours are a formula: Excel would
    show 12, the reader sees nothing — said at its row and column as a formula to save again,
    never "Tunnit viikossa: tyhjä"; the same sheet with the value itself reads."""
    import io

    from openpyxl import Workbook

    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    columns = list(rows[0])
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] for c in columns])
    hours = columns.index("Tunnit viikossa") + 1
    sheet.cell(row=3, column=hours, value="=6*2")
    written = io.BytesIO()
    book.save(written)
    with pytest.raises(InvalidInputError) as refused:
        read_sheet(written.getvalue(), "xlsx")
    (error,) = refused.value.errors
    assert error.kind == "formula_without_value"
    assert (error.context["row"], error.context["column"]) == (3, "Tunnit viikossa")
    (said,) = sheet_problems(refused.value, "fi")
    assert said.text.startswith("Rivi 3, sarake ”Tunnit viikossa”: solussa on kaava")
    sheet.cell(row=3, column=hours, value=12)
    written = io.BytesIO()
    book.save(written)
    assert parse_rows(read_sheet(written.getvalue(), "xlsx")).ok
