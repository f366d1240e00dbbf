"""Values that would fit only by coercion into nonsense are refused with their field named:
Pydantic's lax mode stored ``"at": 0`` as a note written on 1 January 1970, ``true`` as a demand
level and ``5e-324`` as weekly hours (found by Schemathesis)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.employers.schemas import NoteCreate
from api.http.problems import FormField, Problem, form_problems
from features.schemas.employer import Employer, EmployerNeed, Task
from features.schemas.jobseeker import JobseekerProfile
from tests import factories
from tests.test_api import auth


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (NoteCreate, {"channel": "phone", "text": "Soitettu.", "at": 0}, "at"),
        (NoteCreate, {"channel": "phone", "text": "Soitettu.", "at": 1.7e9}, "at"),
        (EmployerNeed, {"work": "Siivous", "kind": "hand_over", "next_contact": 0}, "next_contact"),
        (EmployerNeed, {"work": "Siivous", "kind": "hand_over", "start": True}, "start"),
        (
            EmployerNeed,
            {"work": "Siivous", "kind": "hand_over", "hours_per_week": True},
            "hours_per_week",
        ),
        (
            EmployerNeed,
            {"work": "Siivous", "kind": "hand_over", "hours_per_week": 5e-324},
            "hours_per_week",
        ),
        (Task, factories.task(demands={"lifting": True}), "demands"),
        (Task, factories.task(hours_per_week=False), "hours_per_week"),
    ],
)
def test_coercion_into_nonsense_is_refused_at_the_field(model, body, field) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    assert [e["loc"][0] for e in refused.value.errors()] == [field]


def test_the_values_people_send_still_pass() -> None:
    note = NoteCreate.model_validate({"channel": "phone", "text": "x", "at": "2026-11-01T10:00Z"})
    assert note.at is not None and note.at.year == 2026
    need = EmployerNeed.model_validate(
        {
            "work": "Siivous",
            "kind": "hand_over",
            "hours_per_week": 0.5,
            "next_contact": "2026-12-10",
        }
    )
    assert need.hours_per_week == 0.5 and need.next_contact is not None
    assert Task.model_validate(factories.task(demands={"lifting": 2})).demands["lifting"] == 2
    profile = JobseekerProfile.model_validate(factories.jobseeker())
    assert profile.availability.weekly_hours_max > 0


def test_the_api_names_the_field(service) -> None:
    client, tokens, *_ = service
    note = {"channel": "phone", "text": "Soitettu.", "at": 0}
    refused = client.post("/employers/1/notes", json=note, headers=auth(tokens["coordinator"]))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["at"]
    assert "date" in refused.json()["errors"][0]["message"]


def test_a_radius_is_one_definition_in_the_query_and_the_body(service) -> None:
    """Schemathesis found a 500: the query parameter allowed 0.05 km, the filter model built
    from it did not (two bounds that drifted apart)."""
    client, tokens, area, mine, _ = service
    headers = auth(tokens["coordinator"])
    for radius in ("0.05", "0"):
        refused = client.get(f"/jobseekers/{mine[0]}/matches?radius_km={radius}", headers=headers)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["radius_km"]
    assert client.get(f"/jobseekers/{mine[0]}/matches?radius_km=0.1",
                      headers=headers).status_code == 200  # fmt: skip


def test_a_model_refused_inside_a_route_is_a_422_naming_the_field(database_url) -> None:
    """However a route comes to build a model that fails, the caller gets 422, never a 500."""
    from starlette.testclient import TestClient

    from tests.conftest import api_client

    app = api_client(database_url, warm_index=False).app

    @app.get("/test-only/model")
    def build() -> None:
        NoteCreate.model_validate({"channel": "phone", "text": "x", "at": 0})

    refused = TestClient(app).get("/test-only/model")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["at"]


def test_every_municipality_is_accepted_by_any_name_and_stored_by_its_finnish_one() -> None:
    for given, stored in (("Kerava", "Kerava"), ("helsingfors", "Helsinki"), ("245", "Kerava")):
        profile = JobseekerProfile.model_validate(factories.jobseeker(municipality=given))
        assert profile.municipality == stored
    address = factories.employer()["address"] | {"municipality": "Lojo"}
    employer = Employer.model_validate(factories.employer(address=address))
    assert employer.address.municipality == "Lohja"


def test_a_misspelt_municipality_is_refused_with_the_nearest_names_in_each_language() -> None:
    with pytest.raises(ValidationError) as refused:
        JobseekerProfile.model_validate(factories.jobseeker(municipality="Hollolla"))
    fields = {"municipality": FormField("municipality", "Kunta")}
    (fi,) = form_problems(refused.value, "fi", fields)
    assert fi == Problem("Kunta: kuntaa ”Hollolla” ei löydy. Tarkoititko: Hollola?", "municipality")
    fields = {"municipality": FormField("municipality", "Municipality")}
    (en,) = form_problems(refused.value, "en", fields)
    assert en.text == "Municipality: no municipality is called “Hollolla”. Did you mean Hollola?"
    with pytest.raises(ValidationError) as nothing_near:
        JobseekerProfile.model_validate(factories.jobseeker(municipality="Atlantis"))
    (fi,) = form_problems(nothing_near.value, "fi", fields)
    assert "”Atlantis” ei löydy; kirjoita kunnan suomen- tai ruotsinkielinen nimi" in fi.text


def test_the_api_takes_a_newly_known_municipality_and_names_the_nearest_for_a_misspelt_one(
    service,
) -> None:
    client, tokens, area, *_ = service
    headers = auth(tokens["work_ability"])  # the profile carries a physician's statement
    profile = factories.jobseeker(area=area, code="JS-KERAVA", municipality="Kervo")
    created = client.post("/jobseekers", json={"profile": profile}, headers=headers)
    assert created.status_code == 201, created.text
    stored = client.get(f"/jobseekers/{created.json()['id']}", headers=headers).json()
    assert stored["profile"]["municipality"] == "Kerava"
    profile = factories.jobseeker(area=area, code="JS-KERAVB", municipality="Keravaa")
    refused = client.post("/jobseekers", json={"profile": profile}, headers=headers)
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error == {
        "field": "profile.municipality",
        "message": "unknown municipality 'Keravaa'; did you mean Kerava?",
    }
    rekrypiste = auth(tokens["rekrypiste"])
    employer = factories.employer(
        address=factories.employer()["address"] | {"municipality": "Lohja"}
    )
    employer.pop("notes")
    created = client.post("/employers", json={"employer": employer}, headers=rekrypiste)
    assert created.status_code == 201, created.text
    employer["address"]["municipality"] = "Lohjaa"
    refused = client.post("/employers", json={"employer": employer}, headers=rekrypiste)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{
        "field": "employer.address.municipality",
        "message": "unknown municipality 'Lohjaa'; did you mean Lohja?",
    }]  # fmt: skip


def test_a_text_too_short_says_how_long_and_an_empty_one_says_fill_it_in() -> None:
    from api.people.schemas import PlanStepCreate

    fields = {"what": FormField("step-what", "Mitä tehdään")}
    for typed, said in (("ab", "Mitä tehdään: vähintään 3 merkkiä; kerro hieman enemmän."),
                        ("   ", "Mitä tehdään: täytä tämä kenttä.")):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            PlanStepCreate.model_validate({"what": typed, "who": "client",
                                           "due_on": "2027-01-01"})  # fmt: skip
        problems = [p.text for p in form_problems(refused.value, "fi", fields)]
        assert said in problems, problems


def test_a_years_bound_is_written_as_a_year() -> None:
    from features.schemas.jobseeker import Demographics

    with pytest.raises(ValidationError) as refused:
        Demographics.model_validate({"birth_year": 1800})
    fields = {"birth_year": FormField("birth_year", "Syntymävuosi")}
    (said,) = form_problems(refused.value, "fi", fields)
    assert "1940" in said.text and "1 940" not in said.text and "1\xa0940" not in said.text


def test_a_name_is_stored_with_its_words_one_space_apart() -> None:
    from features.schemas.jobseeker import JobseekerIdentity

    assert JobseekerIdentity(name="  Pekka   Turunen ").name == "Pekka Turunen"
    with pytest.raises(ValidationError):
        JobseekerIdentity(name="   ")


def test_a_choice_not_offered_asks_for_one_that_is() -> None:
    from api.people.schemas import EpisodeCreate

    with pytest.raises(ValidationError) as refused:
        EpisodeCreate.model_validate({"referral_source": "naapuri"})
    fields = {"referral_source": FormField("referral_source", "Ohjaava taho")}
    (said,) = form_problems(refused.value, "fi", fields)
    assert said.text == "Ohjaava taho: valitse jokin tarjolla olevista arvoista.", said.text
