"""Taking on a caseload from a spreadsheet: the sheet's cells read (pure), and the service —
all rows or none, every row's every error at its column — through the API and the web UI, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from api.core.texts import texts
from api.employers.spreadsheet import write_sheet
from api.http.csrf import SESSION
from api.storage.tables import AuditRow, EpisodeRow, IdentityRow, JobseekerRow
from features.intake_sheet import intake_headings, parse_intake_rows
from features.schemas.dates import FINLAND
from features.schemas.episode import ReferralSource
from tests.test_api import auth
from tests.test_web_security import _csrf

ROW = {
    "Nimi": "Aino Esimerkki", "Syntymävuosi": "2002", "Puhelin": "040 111 2222",
    "Kunta": "Hollola", "Ohjaava taho": "Ohjaamo", "Tuli palveluun": "1.11.2026",
    "Hanke": "KUNTO", "Yrityskoordinaattori": "coord", "Työkykykoordinaattori": "tyokyky",
    "Tunnit vähintään": "10", "Tunnit enintään": "20", "Ajat": "ma-aamu, ti-aamu",
    "Tavoitteet": "Kesätöitä ja kouluun.", "Suostumus": "täsmäytys, työnantajat",
}  # fmt: skip


def _sheet(*rows: dict[str, str], fmt: str = "xlsx") -> bytes:
    return write_sheet(list(rows), fmt, intake_headings(), "Asiakkaat")


def test_the_cells_are_read_as_the_form_reads_them():
    sheet = parse_intake_rows([ROW, ROW | {"Nimi": "Nico", "Ohjaava taho": "oma-aloitteinen",
                                           "Suostumus": ""}])  # fmt: skip
    assert sheet.ok
    (row2, first), (row3, second) = sheet.people
    assert (row2, row3) == (2, 3)
    assert first["referral_source"] == "ohjaamo" and second["referral_source"] == "self_referral"
    assert first["schedule"] == ["mon-morning", "tue-morning"]
    assert first["consent"] == ["matching", "share_with_employers"]
    assert first["started_on"].isoformat() == "2026-11-01" and first["birth_year"] == 2002


def test_a_sheet_written_from_the_screen_is_read():
    """Every referral source as the web UI names it in Finnish is read as that source."""
    shown = texts("fi")
    for source in ReferralSource:
        label = shown[f"referral_{source.value}"]
        sheet = parse_intake_rows([ROW | {"Ohjaava taho": label.upper()}])
        assert sheet.ok, (label, sheet.errors)
        assert sheet.people[0][1]["referral_source"] == source.value, label


def test_every_cell_error_is_named_with_its_row_and_column():
    bad = ROW | {"Ohjaava taho": "naapuri", "Tunnit vähintään": "paljon", "Ajat": "joskus",
                 "Suostumus": "kaikki", "Nimi": ""}  # fmt: skip
    sheet = parse_intake_rows([ROW, bad])
    found = {(e.row, e.column, e.kind) for e in sheet.errors}
    assert found == {(3, "Ohjaava taho", "not_referral_source"),
                     (3, "Tunnit vähintään", "not_number"), (3, "Ajat", "not_slot"),
                     (3, "Suostumus", "not_consent_scope"), (3, "Nimi", "empty")}  # fmt: skip
    unknown = parse_intake_rows([{"Nimi": "x", "Lempiruoka": "puuro"}])
    kinds = {e.kind for e in unknown.errors}
    assert "unknown_column" in kinds and "missing_column" in kinds


def test_a_caseload_is_taken_on_all_at_once(service):
    client, tokens, area, _mine, engine = service
    headers = auth(tokens["work_ability"])
    second = ROW | {"Nimi": "Niilo Esimerkki", "Syntymävuosi": "1998", "Kunta": "Helsingfors",
                    "Ohjaava taho": "omavalmentaja"}  # fmt: skip
    files = {"file": ("asiakkaat.xlsx", _sheet(ROW, second))}
    taken = client.post("/jobseekers/import", files=files, headers=headers)
    assert taken.status_code == 201, taken.text
    ids = taken.json()["ids"]
    assert len(ids) == 2
    with engine.connect() as c:
        people = c.execute(sa.select(JobseekerRow.municipality, JobseekerRow.area,
                                     JobseekerRow.consent_scope)
                           .where(JobseekerRow.id.in_(ids)).order_by(JobseekerRow.id)).all()  # fmt: skip
        assert [p.municipality for p in people] == ["Hollola", "Helsinki"]  # Swedish name read
        assert {p.area for p in people} == {area}
        sources = c.scalars(sa.select(EpisodeRow.referral_source)
                            .where(EpisodeRow.jobseeker_id.in_(ids))
                            .order_by(EpisodeRow.jobseeker_id)).all()  # fmt: skip
        assert sources == ["ohjaamo", "personal_coach"]
        created = c.scalars(sa.select(AuditRow.action).where(AuditRow.object_id.in_(
            [str(i) for i in ids]))).all()  # fmt: skip
        assert created.count("create_jobseeker") == 2 and created.count("start_episode") == 2


def test_one_bad_row_stores_nothing_and_every_error_is_said(service):
    client, tokens, area, _mine, engine = service
    headers = auth(tokens["coordinator"])
    with engine.connect() as c:
        before = c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow))
    bad_place = ROW | {"Nimi": "Toinen", "Kunta": "Hollolla"}
    future = ROW | {"Nimi": "Kolmas", "Tuli palveluun": "1.1.2031"}
    twice = ROW  # the first row again: a namesake, born the same year, in the same sheet
    stranger = ROW | {"Nimi": "Neljäs", "Yrityskoordinaattori": "koord.muualla"}
    files = {"file": ("a.csv", _sheet(ROW, bad_place, future, twice, stranger, fmt="csv"))}
    refused = client.post("/jobseekers/import", files=files, headers=headers)
    assert refused.status_code == 422, refused.text
    errors = {(e["field"], e["message"].split(";")[0][:40]) for e in refused.json()["errors"]}
    fields = {f for f, _ in errors}
    assert "row 3, column 'Kunta'" in fields
    assert "row 4, column 'Tuli palveluun'" in fields
    assert "row 5, column 'Nimi'" in fields  # asked about, as the form asks
    (namesake,) = [e for e in refused.json()["errors"] if e["field"] == "row 5, column 'Nimi'"]
    assert "the same name as row 2 of this sheet" in namesake["message"]  # not a made-up code
    assert "row 6, column 'Yrityskoordinaattori'" in fields  # not a user of the area
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow)) == before
        assert c.scalar(sa.select(sa.func.count()).select_from(IdentityRow)
                        .where(IdentityRow.name == "Aino Esimerkki")) == 0  # fmt: skip
    # Said to be another person, the namesake row is taken on.
    checked = twice | {"Eri henkilö": "kyllä"}
    ok = client.post("/jobseekers/import", headers=headers,
                     files={"file": ("a.csv", _sheet(ROW, checked, fmt="csv"))})  # fmt: skip
    assert ok.status_code == 201, ok.text
    # The same sheet again: each row is said to be a namesake, by name and code, once.
    again = client.post("/jobseekers/import", headers=headers,
                        files={"file": ("a.csv", _sheet(ROW, fmt="csv"))})  # fmt: skip
    assert again.status_code == 422
    (said,) = again.json()["errors"]
    assert said["field"] == "row 2, column 'Nimi'" and "Eri henkilö" in said["message"]


def test_the_web_page_takes_on_a_sheet_and_lists_the_clients(service):
    client, tokens, _area, _mine, _engine = service
    client.cookies.set(SESSION, tokens["coordinator"])
    caseload = client.get("/ui/jobseekers")
    assert 'href="/ui/jobseekers/import"' in caseload.text
    page = client.get("/ui/jobseekers/import")
    assert page.status_code == 200 and "Ohjaava taho" in page.text
    template = client.get("/ui/jobseekers/import/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    # Its example row is one the sheet takes as it stands: today, the area's coordinators.
    as_is = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                        files={"file": ("pohja.xlsx", template.content)})  # fmt: skip
    assert as_is.status_code == 200, as_is.text
    assert "Tuotu: 1 asiakas" in as_is.text and "Esimerkki Asiakas" in as_is.text
    bad = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                      files={"file": ("a.xlsx", _sheet(ROW | {"Kunta": "Lahtti"}))})  # fmt: skip
    assert bad.status_code == 422
    assert 'id="error-summary"' in bad.text and "Rivi 2" in bad.text and "Lahti" in bad.text
    twice = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                        files={"file": ("a.xlsx", _sheet(ROW | {"Nimi": ""}))})  # fmt: skip
    assert twice.text.count("Rivi 2, sarake ”Nimi”") == 1  # one message for one empty cell
    empty = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                        files={"file": ("a.xlsx", _sheet())})  # fmt: skip
    assert "asiakasrivejä" in empty.text and "tehtävärivejä" not in empty.text
    garbage = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                          files={"file": ("asiakkaat.xlsx", b"not a spreadsheet")})  # fmt: skip
    assert garbage.status_code == 422 and "Tiedostoa ei voi lukea taulukkona" in garbage.text
    good = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                       files={"file": ("a.xlsx", _sheet(ROW))})  # fmt: skip
    assert good.status_code == 200 and "Tuotu: 1 asiakas" in good.text
    assert "Aino Esimerkki" in good.text
    client.cookies.set(SESSION, tokens["rekrypiste"])
    assert client.get("/ui/jobseekers/import").status_code == 404


def test_a_caseload_taken_on_counts_from_when_each_client_enrolled_not_the_import(service):
    """Taken on today, a client who enrolled two months ago and has had nothing recorded since
    is 'nothing since' their enrolment on the caseload — not quiet since today; a change to
    their profile afterwards is activity from when it was made."""
    client, tokens, _area, _mine, _engine = service
    headers = auth(tokens["work_ability"])
    today = datetime.now(FINLAND).date()
    enrolled = today - timedelta(days=60)
    row = ROW | {"Nimi": "Kaarina Vanhaasiakas", "Tuli palveluun": f"{enrolled:%d.%m.%Y}"}
    taken = client.post("/jobseekers/import", headers=headers,
                        files={"file": ("asiakkaat.xlsx", _sheet(row))})  # fmt: skip
    assert taken.status_code == 201, taken.text
    (jid,) = taken.json()["ids"]

    def shown() -> tuple[date, set[str]]:
        page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=headers).json()
        (found,) = [r for r in page["data"] if r["id"] == jid]
        last = datetime.fromisoformat(found["last_activity"]).astimezone(FINLAND).date()
        return last, {s["step"] for s in found["next_steps"]}

    last, steps = shown()
    assert last == enrolled and "no_activity" in steps
    profile = client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]
    unchanged = client.put(f"/jobseekers/{jid}", headers=headers, json=profile)
    assert unchanged.status_code == 200, unchanged.text
    assert shown() == (enrolled, steps)  # Save pressed on an unchanged form: nothing happened
    edited = client.put(f"/jobseekers/{jid}", headers=headers,
                        json=profile | {"goals": "Kesätöitä ja sitten kouluun."})  # fmt: skip
    assert edited.status_code == 200, edited.text
    last, steps = shown()
    assert last == today and "no_activity" not in steps


def test_a_row_is_told_every_problem_at_once(service):
    """A row the schema refuses is still judged by the service's rules on what was typed (#27):
    a coordinator who is not one of the area's, a start date before the client was born or in
    the future, beside the hours the schema refused or a cell that cannot be read — every one
    at its column in the first answer, and nothing stored."""
    client, tokens, _area, _mine, engine = service
    headers = auth(tokens["coordinator"])
    with engine.connect() as c:
        before = c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow))
    refused = ROW | {"Nimi": "Kaikki Kerralla", "Tunnit enintään": "99",
                     "Yrityskoordinaattori": "koord.muualla", "Tuli palveluun": "1.1.1985"}  # fmt: skip
    unread = ROW | {"Nimi": "Lukematon Solu", "Tunnit vähintään": "paljon",
                    "Työkykykoordinaattori": "coord", "Tuli palveluun": "1.1.2031"}  # fmt: skip
    files = {"file": ("a.csv", _sheet(refused, unread, fmt="csv"))}
    answer = client.post("/jobseekers/import", files=files, headers=headers)
    assert answer.status_code == 422, answer.text
    said = sorted((e["field"], e["message"]) for e in answer.json()["errors"])
    assert [f for f, _ in said] == sorted([
        "row 2, column 'Tunnit enintään'", "row 2, column 'Yrityskoordinaattori'",
        "row 2, column 'Tuli palveluun'",
        "row 3, column 'Tunnit vähintään'",  # said once, by the cell
        "row 3, column 'Työkykykoordinaattori'", "row 3, column 'Tuli palveluun'",
    ]), said  # fmt: skip
    messages = " | ".join(m for _, m in said)
    for words in ("less than or equal to 40", "'koord.muualla' is not an active company_coordinator",
                  "is before the year the client was born (2002-01-01)", "'paljon' is not a number",
                  "'coord' is not an active work_ability_coordinator",
                  "is in the future (2031-01-01)"):  # fmt: skip
        assert words in messages, words
    # The web page says the same, in Finnish and in English, each at its row and column.
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/jobseekers/import")
    shown = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                        files={"file": ("a.xlsx", _sheet(refused, unread))})  # fmt: skip
    assert shown.status_code == 422
    for said in ("Rivi 2, sarake ”Tunnit enintään”: enintään 40",
                 "Rivi 2, sarake ”Yrityskoordinaattori”: ”koord.muualla” ei ole alueesi",
                 "Rivi 2, sarake ”Tuli palveluun”: ei voi olla ennen asiakkaan syntymävuotta",
                 "Rivi 3, sarake ”Työkykykoordinaattori”: ”coord” ei ole alueesi",
                 "Rivi 3, sarake ”Tuli palveluun”: tapahtunut asia päivätään"):  # fmt: skip
        assert said in shown.text, said
    assert shown.text.count("Rivi 3, sarake ”Tunnit vähintään”") == 1
    client.cookies.set("lang", "en")
    english = client.post("/ui/jobseekers/import", data={"csrf": _csrf(page.text)},
                          files={"file": ("a.xlsx", _sheet(refused, unread))})  # fmt: skip
    for said in ("Row 2, column “Yrityskoordinaattori”: “koord.muualla” is not one of",
                 "Row 2, column “Tuli palveluun”: not before the year the client was born",
                 "Row 3, column “Tuli palveluun”: what happened is dated today"):  # fmt: skip
        assert said in english.text, said
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow)) == before


def test_a_sheets_problems_are_said_row_by_row():
    """A row's problems together, the rows in order — as the coordinator corrects them —
    whichever check found them first (the cells', then the service's rules)."""
    from api.people.bulk_intake import _said
    from features.sheet_cells import RowError

    found = [RowError(2, "Tunnit", "a", kind="x"), RowError(5, "Nimi", "b", kind="x"),
             RowError(2, "Yrityskoordinaattori", "c", kind="y"), RowError(3, "", "d", kind="z")]  # fmt: skip
    said = _said(found).errors
    assert [(e.context["row"], e.message) for e in said] == [(2, "a"), (2, "c"), (3, "d"),
                                                             (5, "b")]  # fmt: skip
