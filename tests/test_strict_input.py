"""Values that would fit only by coercion into nonsense are refused with their field named:
Pydantic's lax mode stored ``"at": 0`` as a note written on 1 January 1970, ``true`` as a demand
level and ``5e-324`` as weekly hours (found by Schemathesis)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.employers.schemas import NoteCreate
from features.schemas.employer import EmployerNeed, Task
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
