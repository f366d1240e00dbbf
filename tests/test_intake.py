"""Taking on a new client: the web UI's intake form and the API's possible-duplicate check,
on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import sqlalchemy as sa

from api.http.csrf import SESSION
from api.people.duplicates import _folded
from api.people.intake_pages import new_code
from api.storage.tables import AuditRow, EpisodeRow, IdentityRow, JobseekerRow
from features.schemas.jobseeker import CODE_PATTERN
from tests import factories
from tests.test_api import auth
from tests.test_web_security import _csrf


def _person(area: str, code: str, name: str, born: int | None = None, **body: object) -> dict:
    return {
        "profile": factories.jobseeker(code=code, area=area, coordinator="coord", capacities={}),
        "identity": {"name": name},
        "demographics": {"birth_year": born} if born else None,
        **body,
    }


def test_a_namesake_in_the_area_is_asked_about_not_stored_twice(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    first = client.post("/jobseekers", json=_person(area, "JS-DUP001", "Elina Laine", 1980),
                        headers=headers)  # fmt: skip
    assert first.status_code == 201
    again = client.post("/jobseekers", json=_person(area, "JS-DUP002", " elina   LAINE ", 1980),
                        headers=headers)  # fmt: skip
    assert again.status_code == 409, again.text
    assert again.json()["error"] == "possible_duplicate"
    assert str(first.json()["id"]) in again.json()["message"]
    # A birth year unknown on one side does not tell them apart; a different one does.
    unknown = client.post("/jobseekers", json=_person(area, "JS-DUP003", "Elina Laine"),
                          headers=headers)  # fmt: skip
    assert unknown.status_code == 409
    other_year = client.post("/jobseekers", json=_person(area, "JS-DUP004", "Elina Laine", 1991),
                             headers=headers)  # fmt: skip
    assert other_year.status_code == 201
    checked = client.post(
        "/jobseekers",
        json=_person(area, "JS-DUP005", "Elina Laine", 1980, duplicate_checked=True),
        headers=headers,
    )
    assert checked.status_code == 201
    # Another area's namesake is none of this area's business (nor a hint that they exist).
    elsewhere = client.post(
        "/jobseekers",
        json=_person("Elsewhere", "JS-DUP006", "Elina Laine", 1980),
        headers=auth(tokens["other_area"]),
    )
    assert elsewhere.status_code == 201
    with engine.connect() as c:
        names = c.scalars(sa.select(IdentityRow.name).where(IdentityRow.name.like("%aine%")))
        assert sum(_folded(n) == "elina laine" for n in names) == 4


def test_names_compare_as_people_read_them():
    assert _folded("  Äijälä   Åsa ") == _folded("äIJÄLÄ åsa")
    assert _folded("Elina Laine") != _folded("Elina Lainé")


def test_a_new_code_is_a_valid_pseudonymous_code():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(CODE_PATTERN, c) for c in codes)


def _intake(client, token: str, **values: object):
    client.cookies.set(SESSION, token)
    page = client.get("/ui/jobseekers/new")
    assert page.status_code == 200
    form: dict[str, object] = {
        "name": "Miikka Testinen",
        "birth_year": "1994",
        "phone": "040 123 4567",
        "email": "",
        "municipality": "Hollola",
        "referral_source": "ohjaamo",
        "started_on": "",
        "programme": "KUNTO",
        "coordinator": "coord",
        "work_ability_coordinator": "tyokyky",
        "hours_min": "10",
        "hours_max": "20",
        "goals": "Töitä ulkona, ei asiakaspalvelua.",
        "scope": ["matching", "share_with_employers"],
        "slot": ["mon-morning", "tue-morning"],
        "csrf": _csrf(page.text),
    }
    form.update(values)
    return client.post("/ui/jobseekers/new", data=form, follow_redirects=False)


def test_the_work_ability_coordinator_takes_on_a_client_in_the_web_ui(service):
    client, tokens, area, mine, engine = service
    client.cookies.set(SESSION, tokens["work_ability"])
    caseload = client.get("/ui/jobseekers")
    assert 'href="/ui/jobseekers/new"' in caseload.text
    page = client.get("/ui/jobseekers/new")
    assert "coord" in page.text and "tyokyky" in page.text  # the area's coordinators offered
    assert "Ohjaamo" in page.text and 'list="municipalities"' in page.text
    saved = _intake(client, tokens["work_ability"])
    assert saved.status_code == 303, saved.text
    new_id = int(saved.headers["location"].split("/")[-1].split("?")[0])
    shown = client.get(saved.headers["location"])
    assert shown.status_code == 200 and "Miikka Testinen" in shown.text
    with engine.connect() as c:
        person = c.execute(sa.select(JobseekerRow).where(JobseekerRow.id == new_id)).one()
        assert re.fullmatch(CODE_PATTERN, person.code)
        assert (person.area, person.municipality) == (area, "Hollola")
        assert (person.coordinator, person.work_ability_coordinator) == ("coord", "tyokyky")
        episode = c.execute(sa.select(EpisodeRow).where(EpisodeRow.jobseeker_id == new_id)).one()
        assert (episode.referral_source, episode.programme) == ("ohjaamo", "KUNTO")
        assert sorted(person.consent_scope) == ["matching", "share_with_employers"]
        audit = c.scalars(sa.select(AuditRow.action).where(AuditRow.object_id == str(new_id))).all()
        assert "create_jobseeker" in audit and "start_episode" in audit


def test_a_refused_intake_names_each_field_and_keeps_what_was_typed(service):
    client, tokens, area, mine, engine = service
    with engine.connect() as c:
        before = c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow))
    refused = _intake(client, tokens["coordinator"], municipality="Hollolla", hours_min="30",
                      hours_max="", referral_source="", started_on="2031-01-01", slot=[])  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert 'id="error-summary"' in text
    for anchor in ("slots", "municipality", "hours_max", "referral_source"):
        assert f'href="#{anchor}"' in text, anchor
    assert "Tarkoititko: Hollola?" in text
    assert 'value="Miikka Testinen"' in text and "ei asiakaspalvelua" in text
    assert "Traceback" not in text and '"error"' not in text
    # The dates are checked once the form is otherwise whole: a start in the future is refused.
    future = _intake(client, tokens["coordinator"], started_on="2031-01-01")
    assert future.status_code == 422 and 'href="#started_on"' in future.text
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow)) == before


def test_a_namesake_is_shown_and_the_coordinator_decides(service):
    client, tokens, area, mine, engine = service
    assert _intake(client, tokens["coordinator"]).status_code == 303
    asked = _intake(client, tokens["coordinator"])
    assert asked.status_code == 409
    assert 'name="duplicate_checked"' in asked.text
    with engine.connect() as c:
        first = c.scalar(sa.select(IdentityRow.jobseeker_id)
                         .where(IdentityRow.name == "Miikka Testinen"))  # fmt: skip
    assert f'href="/ui/jobseekers/{first}"' in asked.text
    assert _intake(client, tokens["coordinator"], duplicate_checked="on").status_code == 303


def test_only_the_coordinators_take_on_clients(service):
    client, tokens, area, mine, engine = service
    for role in ("rekrypiste", "analyst"):
        client.cookies.set(SESSION, tokens[role])
        assert client.get("/ui/jobseekers/new").status_code == 404
        caseload = client.get("/ui/jobseekers")
        assert 'href="/ui/jobseekers/new"' not in caseload.text


def test_a_coordinator_corrects_the_name_and_contact_details(service):
    client, tokens, area, mine, engine = service
    person = mine[0]
    # Through the API (GDPR Art. 16): audited without the values.
    fixed = client.put(f"/jobseekers/{person}/identity", headers=auth(tokens["coordinator"]),
                       json={"name": "Elina Laine-Korhonen", "phone": "+358 40 765 4321"})  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["identity"]["name"] == "Elina Laine-Korhonen"
    elsewhere = client.put(f"/jobseekers/{person}/identity", headers=auth(tokens["other_area"]),
                           json={"name": "X"})  # fmt: skip
    assert elsewhere.status_code == 404
    refused = client.put(f"/jobseekers/{person}/identity", headers=auth(tokens["rekrypiste"]),
                         json={"name": "X"})  # fmt: skip
    assert refused.status_code == 403
    with engine.connect() as c:
        row = c.execute(sa.select(AuditRow).where(AuditRow.action == "update_identity")).one()
        assert "Korhonen" not in str(row.details) and "765" not in str(row.details)
    # In the web UI: a refused correction keeps what was typed and names the field.
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{person}/identity")
    assert page.status_code == 200 and 'value="Elina Laine-Korhonen"' in page.text
    form = {"name": "", "phone": "soita minulle", "email": "", "csrf": _csrf(page.text)}
    bad = client.post(f"/ui/jobseekers/{person}/identity", data=form, follow_redirects=False)
    assert bad.status_code == 422
    assert 'href="#name"' in bad.text and 'href="#phone"' in bad.text
    assert 'value="soita minulle"' in bad.text
    form |= {"name": "Elina Korhonen", "phone": "040 765 4321"}
    good = client.post(f"/ui/jobseekers/{person}/identity", data=form, follow_redirects=False)
    assert good.status_code == 303
    shown = client.get(good.headers["location"])
    assert "Elina Korhonen" in shown.text and "Nimi ja yhteystiedot tallennettu." in shown.text
    assert 'href="tel:0407654321"' in shown.text
