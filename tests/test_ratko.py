"""The Ratko spreadsheet: round trips, every error at once, the shipped example."""

from pathlib import Path

import pytest

from api.spreadsheet import read_sheet, write_sheet
from api.storage import repository
from api.storage.bulk import load_tables
from api.storage.engine import transaction
from features.ratko import COLUMNS, format_rows, headings, parse_rows

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
