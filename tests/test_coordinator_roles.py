"""The two coordinator roles of the service paths: the work-ability coordinator owns the
capacity assessment and a physician's statements; the company coordinator the employers and
the match. Existing coordinators become company coordinators on migration."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from api.storage.migrate import downgrade, upgrade
from api.storage.tables import AuditRow, UserRow
from tests.test_api import auth

STATEMENT = {
    "level": 1,
    "source": "physician",
    "assessed_on": "2026-11-20",
    "hard_limit": True,
    "reference": "B-lausunto, Lahden terveyskeskus",
}


def _profile(client, token, jid):
    response = client.get(f"/jobseekers/{jid}", headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()["profile"]


def _without_physician(profile, characteristic):
    ratings = profile["capacities"]
    assert ratings.get(characteristic, {}).get("source") != "physician"
    return profile


def test_only_the_work_ability_coordinator_records_a_physicians_statement(service):
    client, tokens, _, mine, _ = service
    jid = mine[0]
    profile = _without_physician(_profile(client, tokens["coordinator"], jid), "lifting")
    profile["capacities"]["lifting"] = STATEMENT | {"kilograms": 5}

    refused = client.put(f"/jobseekers/{jid}", json=profile, headers=auth(tokens["coordinator"]))
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["capacities.lifting"]
    assert "work-ability coordinator" in errors[0]["message"]
    stored = _profile(client, tokens["coordinator"], jid)["capacities"].get("lifting", {})
    assert stored.get("source") != "physician", "nothing of the refused profile is stored"

    done = client.put(f"/jobseekers/{jid}", json=profile, headers=auth(tokens["work_ability"]))
    assert done.status_code == 200, done.text
    lifting = _profile(client, tokens["coordinator"], jid)["capacities"]["lifting"]
    assert lifting["hard_limit"] and lifting["reference"] == STATEMENT["reference"]

    # The company coordinator saves the rest of the profile with the statement as it was …
    profile["goals"] = "Kevyttä työtä aamuisin."
    kept = client.put(f"/jobseekers/{jid}", json=profile, headers=auth(tokens["coordinator"]))
    assert kept.status_code == 200, kept.text
    # … but can neither change it nor take it away.
    lowered = profile | {"capacities": profile["capacities"] | {"lifting": STATEMENT}}
    removed = profile | {
        "capacities": {k: v for k, v in profile["capacities"].items() if k != "lifting"}
    }
    for attempt in (lowered, removed):
        response = client.put(
            f"/jobseekers/{jid}", json=attempt, headers=auth(tokens["coordinator"])
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["capacities.lifting"]


def test_a_statements_reference_is_never_a_diagnosis(service):
    client, tokens, _, mine, _ = service
    jid = mine[1]
    profile = _profile(client, tokens["work_ability"], jid)
    for reference in ("B-lausunto, dg M54.5", "F32", "lausunto (G35)"):
        profile["capacities"]["lifting"] = STATEMENT | {"reference": reference}
        response = client.put(
            f"/jobseekers/{jid}", json=profile, headers=auth(tokens["work_ability"])
        )
        assert response.status_code == 422, reference
        assert "never a diagnosis" in response.json()["errors"][0]["message"]
    profile["capacities"]["lifting"] = STATEMENT | {"reference": "SV B, Päijät-Hämeen TK 2026"}
    ok = client.put(f"/jobseekers/{jid}", json=profile, headers=auth(tokens["work_ability"]))
    assert ok.status_code == 200, ok.text
    own = STATEMENT | {"source": "coordinator", "hard_limit": False}
    profile["capacities"]["lifting"] = own
    response = client.put(f"/jobseekers/{jid}", json=profile, headers=auth(tokens["work_ability"]))
    assert response.status_code == 422  # a reference belongs to a physician's statement


def test_each_coordinator_does_their_part_of_the_work(service):
    client, tokens, _, mine, _ = service
    jid = mine[0]
    work_ability, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    assert client.get(f"/jobseekers/{jid}/matches", headers=work_ability).status_code == 200
    assert client.get("/employers", headers=work_ability).status_code == 403
    assert client.post("/proposals", json={}, headers=work_ability).status_code == 403
    note = {"at": "2026-11-01T10:00:00Z", "channel": "phone", "text": "Soitettu."}
    written = client.post("/employers/1/notes", json=note, headers=company)
    assert written.status_code == 201, written.text


def test_an_admin_changes_a_role_and_it_holds_at_once(service, engine):
    client, tokens, area, mine, _ = service
    admin = auth(tokens["admin"])
    assert client.get("/employers", headers=auth(tokens["work_ability"])).status_code == 403
    no_area = client.put("/users/tyokyky/role", json={"role": "company_coordinator"},
                         headers=admin)  # fmt: skip
    assert no_area.status_code == 422 and no_area.json()["errors"][0]["field"] == "area"
    body = {"role": "company_coordinator", "area": area}
    assert client.put("/users/tyokyky/role", json=body, headers=admin).status_code == 204
    assert client.get("/employers", headers=auth(tokens["work_ability"])).status_code == 200
    forged = client.put(
        "/users/tyokyky/role", json={"role": "admin"}, headers=auth(tokens["work_ability"])
    )
    assert forged.status_code == 403
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(AuditRow.details).where(AuditRow.action == "set_role")
        ).scalar_one()
    assert row["before"]["role"] == "work_ability_coordinator"
    assert row["after"] == {"role": "company_coordinator", "area": area}


def test_existing_coordinators_become_company_coordinators_and_back(bare_engine):
    upgrade(bare_engine, "0009")
    users = sa.table("app_user", sa.column("name"), sa.column("role"), sa.column("area"),
                     sa.column("active"), sa.column("demo"), sa.column("failed_logins"),
                     sa.column("created_at"))  # fmt: skip
    rows = [("anna", "coordinator", "Lahti"), ("rita", "rekrypiste", None)]
    with bare_engine.begin() as conn:
        conn.execute(users.insert(), [
            {"name": n, "role": r, "area": a, "active": True, "demo": False, "failed_logins": 0,
             "created_at": datetime(2026, 1, 1)}
            for n, r, a in rows
        ])  # fmt: skip
    upgrade(bare_engine)
    with bare_engine.connect() as conn:
        roles = dict(conn.execute(sa.select(UserRow.name, UserRow.role)).all())
    assert roles == {"anna": "company_coordinator", "rita": "rekrypiste"}
    downgrade(bare_engine, "0009")
    with bare_engine.connect() as conn:
        roles = dict(conn.execute(sa.select(users.c.name, users.c.role)).all())
    assert roles == {"anna": "coordinator", "rita": "rekrypiste"}


def test_nobody_changes_their_own_role(service, engine):
    """An admin that could make itself a coordinator of any area would read health data in one
    unwitnessed call."""
    client, tokens, area, mine, _ = service
    admin = auth(tokens["admin"])
    promoted = client.put("/users/admin/role", json={"role": "company_coordinator", "area": area},
                          headers=admin)  # fmt: skip
    assert promoted.status_code == 403 and "another admin" in promoted.json()["message"]
    assert client.get(f"/jobseekers/{mine[0]}", headers=admin).status_code == 403
    with engine.connect() as conn:
        assert conn.scalar(sa.select(UserRow.role).where(UserRow.name == "admin")) == "admin"
        assert not conn.scalars(sa.select(AuditRow.id).where(AuditRow.action == "set_role")).all()
