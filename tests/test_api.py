"""The HTTP API: roles, consent, audit, erasure, errors — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from api.core.security import PERMISSIONS, Permission, Role
from api.storage.tables import AuditRow, JobseekerRow, ProposalRow
from matching.rules import default_ruleset
from tests import factories
from tests.conftest import API_WORLD as WORLD
from tests.conftest import api_client


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def audit_rows(engine, **where):
    with engine.connect() as c:
        q = sa.select(AuditRow)
        for k, v in where.items():
            q = q.where(getattr(AuditRow, k) == v)
        return c.execute(q).fetchall()


def test_health_and_authentication(service):
    client, tokens, *_ = service
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/me").status_code == 401
    assert client.get("/me", headers=auth("tsm_nope")).status_code == 401
    assert client.get("/me", headers=auth(tokens["rekrypiste"])).json()["role"] == "rekrypiste"
    login = client.post("/auth/token", json={"username": "admin", "password": "correct horse 1"})
    assert login.status_code == 200
    assert client.get("/me", headers=auth(login.json()["access_token"])).json()["name"] == "admin"
    assert (
        client.post("/auth/token", json={"username": "admin", "password": "wrong"}).status_code
        == 401
    )


def _routes(mine, task_id):
    jid = mine[0]
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    step = {"what": "Hakee töitä", "who": "client", "due_on": due}
    return [
        ("get", "/jobseekers", None, Permission.READ_JOBSEEKERS),
        ("get", f"/jobseekers/{jid}", None, Permission.READ_JOBSEEKERS),
        ("get", f"/jobseekers/{jid}/export", None, Permission.EXPORT_PERSON),
        ("get", f"/jobseekers/{jid}/matches", None, Permission.MATCH_PERSON),
        ("get", f"/jobseekers/{jid}/why-not/{task_id}", None, Permission.MATCH_PERSON),
        ("post", "/matches/candidates", {"task_ids": [task_id]}, Permission.MATCH_TASKS),
        ("get", "/employers", None, Permission.READ_EMPLOYERS),
        ("get", "/employers/1", None, Permission.READ_EMPLOYERS),
        (
            "post",
            "/employers/1/notes",
            {"at": "2026-11-01T10:00:00Z", "channel": "phone", "text": "Soitettu."},
            Permission.WRITE_EMPLOYERS,
        ),
        ("get", "/rulesets", None, Permission.READ_RULESETS),
        ("get", "/rulesets/default-2026.12", None, Permission.READ_RULESETS),
        ("post", "/rulesets", _ruleset_body("matrix"), Permission.WRITE_RULESETS),
        ("post", "/rulesets/default-2026.12/activate", None, Permission.ACTIVATE_RULESET),
        ("post", "/evaluations", {"coverage_sample": 10, "task_sample": 10}, Permission.EVALUATE),
        ("get", "/evaluations/comparisons", None, Permission.EVALUATE),
        ("get", "/audit", None, Permission.READ_AUDIT),
        ("get", f"/jobseekers/{jid}/handoffs", None, Permission.HAND_OFF),
        ("get", f"/jobseekers/{jid}/episodes", None, Permission.SERVICE_EPISODES),
        ("get", f"/jobseekers/{jid}/contacts", None, Permission.CONTACTS),
        ("post", f"/jobseekers/{jid}/contacts", {"kind": "phoned"}, Permission.CONTACTS),
        ("get", f"/jobseekers/{jid}/referrals", None, Permission.REFERRALS),
        ("post", f"/jobseekers/{jid}/referrals", {"kind": "health_check"}, Permission.REFERRALS),
        ("get", f"/jobseekers/{jid}/plan", None, Permission.PLAN),
        ("post", f"/jobseekers/{jid}/plan/steps", step, Permission.PLAN),
        ("get", "/candidate-requests", None, Permission.READ_CANDIDATE_REQUESTS),
        ("get", "/jobseekers/caseload", None, Permission.READ_JOBSEEKERS),
        ("post", "/users", {"name": "newbie", "role": "analyst"}, Permission.MANAGE_USERS),
        ("get", "/reports/programme", None, Permission.READ_REPORTS),
        ("get", "/events", None, Permission.PROGRAMME_EVENTS),
    ]


def _ruleset_body(version, **weights):
    rules = default_ruleset().model_copy(update={"version": version}).model_dump(mode="json")
    rules["weights"].update(weights)
    return {"rules": rules, "note": f"test {version}"}


ROLE_OF_TOKEN = {
    "coordinator": Role.COMPANY_COORDINATOR,
    "work_ability": Role.WORK_ABILITY_COORDINATOR,
    "rekrypiste": Role.REKRYPISTE,
    "analyst": Role.ANALYST,
    "admin": Role.ADMIN,
    "project_manager": Role.PROJECT_MANAGER,
}
"""The ``service`` fixture's tokens: one of each role."""


def test_every_role_has_a_token_in_the_matrix():
    assert set(ROLE_OF_TOKEN.values()) == set(Role)


def test_role_by_endpoint_matrix(service):
    client, tokens, area, mine, _ = service
    task_id = int(WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])
    for method, path, body, permission in _routes(mine, task_id):
        assert client.request(method, path, json=body).status_code == 401, path
        for user, role in ROLE_OF_TOKEN.items():
            response = client.request(method, path, json=body, headers=auth(tokens[user]))
            if role in PERMISSIONS[permission]:
                if response.status_code == 409:  # a second role storing the same version
                    assert method == "post" and path == "/rulesets", path
                    continue
                assert response.status_code in (200, 201), (role, path, response.text)
            else:
                assert response.status_code == 403, (role, path, response.status_code)
                assert response.json()["error"] == "forbidden"


def test_a_coordinator_sees_only_their_own_area(service):
    client, tokens, area, mine, _ = service
    other = client.get(f"/jobseekers/{mine[0]}", headers=auth(tokens["other_area"]))
    assert other.status_code == 404 and "no jobseeker" in other.json()["message"]
    assert client.get("/jobseekers", headers=auth(tokens["other_area"])).json()["count"] == 0
    mine_page = client.get("/jobseekers?limit=200", headers=auth(tokens["coordinator"])).json()
    assert {row["id"] for row in mine_page["data"]} == set(mine)


def test_identity_only_for_coordinators_and_never_to_rekrypiste(service):
    client, tokens, area, mine, _ = service
    person = client.get(f"/jobseekers/{mine[0]}", headers=auth(tokens["coordinator"])).json()
    assert person["identity"]["name"]
    hand_over = WORLD.tables["task"].query("task_type == 'hand_over'")["id"].tolist()
    names = set(WORLD.tables["jobseeker_identity"]["name"])
    for task_id in hand_over[:10]:
        body = client.post(
            "/matches/candidates", json={"task_ids": [task_id]}, headers=auth(tokens["rekrypiste"])
        ).text
        assert not any(name in body for name in names)
        assert '"identity"' not in body and "email" not in body


def test_unknown_or_privileged_fields_are_rejected(service):
    client, tokens, area, mine, engine = service
    data = {"profile": factories.jobseeker(area=area), "is_admin": True}
    response = client.post("/jobseekers", json=data, headers=auth(tokens["coordinator"]))
    assert response.status_code == 422
    assert {"field": "is_admin", "message": "Extra inputs are not permitted"} in response.json()[
        "errors"
    ]
    bad = {"profile": factories.jobseeker(area=area, capacities={"stnding": {"level": 9}})}
    errors = client.post("/jobseekers", json=bad, headers=auth(tokens["coordinator"])).json()[
        "errors"
    ]
    assert any(e["field"].startswith("profile.capacities.stnding") for e in errors)
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(JobseekerRow)) == len(
            WORLD.tables["jobseeker"]
        )


def test_created_profile_is_matched_only_with_consent_and_every_access_is_audited(service):
    client, tokens, area, mine, engine = service
    # The work-ability coordinator: the profile carries a physician's statement.
    headers = auth(tokens["work_ability"])
    data = {
        "profile": factories.jobseeker(area=area, consent=None),
        "identity": {"name": "Testi Henkilö"},
    }
    created = client.post("/jobseekers", json=data, headers=headers)
    assert created.status_code == 201
    jid = created.json()["id"]
    matches = client.get(f"/jobseekers/{jid}/matches", headers=headers).json()
    assert matches["items"] == [] and matches["not_matchable_reason"] == "no_consent"
    assert matches["not_matchable_text"]["fi"] == "Ei suostumusta yhteensovittamiseen."
    assert matches["suggestion_id"] and matches["ruleset_version"] == "default-2026.12"
    for _ in range(3):
        assert client.get(f"/jobseekers/{jid}", headers=headers).status_code == 200
    assert len(audit_rows(engine, action="read_jobseeker", object_id=str(jid))) == 3
    assert len(audit_rows(engine, action="create_jobseeker", object_id=str(jid))) == 1
    assert len(audit_rows(engine, action="match_person_tasks", object_id=str(jid))) == 1
    # Consent given: the edit is visible to the very next match.
    profile = client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]
    profile["consent"] = {"given_at": "2026-11-01T00:00:00Z", "scope": ["matching"]}
    assert client.put(f"/jobseekers/{jid}", json=profile, headers=headers).status_code == 200
    again = client.get(f"/jobseekers/{jid}/matches", headers=headers).json()
    assert again["not_matchable_reason"] == ""


def test_audit_log_is_append_only(service):
    client, tokens, area, mine, engine = service
    client.get(f"/jobseekers/{mine[0]}", headers=auth(tokens["coordinator"]))
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as c:
        c.execute(sa.update(AuditRow).values(actor="someone else"))
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as c:
        c.execute(sa.delete(AuditRow))
    log = client.get("/audit?action=read_jobseeker", headers=auth(tokens["admin"])).json()
    assert log["count"] >= len(log["data"]) >= 1 and log["data"][0]["actor"] == "coord"
    # Reading the log is itself on the log, with its filters.
    (looked,) = audit_rows(engine, action="read_audit")
    assert looked.actor == "admin" and looked.details["filters"]["action"] == "read_jobseeker"


def test_erasure_removes_the_person_and_keeps_anonymous_outcomes(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    with engine.connect() as c:
        proposals = c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))
    target = mine[0]
    client.get(f"/jobseekers/{target}/matches", headers=headers)
    export = client.get(f"/jobseekers/{target}/export", headers=headers).json()
    assert export["jobseeker"]["id"] == target and export["suggestions"]
    assert client.delete(f"/jobseekers/{target}", headers=headers).status_code == 204
    assert client.get(f"/jobseekers/{target}", headers=headers).status_code == 404
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ProposalRow)) == proposals
        for table in ("capacity", "jobseeker_identity", "jobseeker_demographics"):
            t = sa.table(table, sa.column("jobseeker_id"))
            assert (
                c.scalar(
                    sa.select(sa.func.count()).select_from(t).where(t.c.jobseeker_id == target)
                )
                == 0
            )
        subjects = c.execute(
            sa.text("SELECT subject FROM suggestion WHERE jobseeker_id IS NULL")
        ).fetchall()
        assert subjects


def test_ratko_upload_reports_every_row_and_stores_nothing(service):
    client, tokens, *_, engine = service
    from api.employers.spreadsheet import read_sheet, write_sheet
    from tests.test_ratko import EXAMPLES

    rows = read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv")
    rows[0]["Seisominen"] = "9"
    rows[3]["Vuorot"] = "someday"
    data = write_sheet(rows, "csv")
    headers = auth(tokens["rekrypiste"])
    with engine.connect() as c:
        before = c.scalar(sa.text("SELECT COUNT(*) FROM task"))
    response = client.post(
        "/employers/1/ratko", files={"file": ("t.csv", io.BytesIO(data))}, headers=headers
    )
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["row 2, column 'Seisominen'", "row 5, column 'Vuorot'"]
    with engine.connect() as c:
        assert c.scalar(sa.text("SELECT COUNT(*) FROM task")) == before
    good = write_sheet(read_sheet((EXAMPLES / "ratko_example.csv").read_bytes(), "csv"), "csv")
    with engine.connect() as c:
        proposed = c.scalar(sa.text(
            "SELECT count(*) FROM proposal_task pt JOIN task t ON t.id = pt.task_id "
            "JOIN role r ON r.id = t.role_id WHERE r.employer_id = 1"))  # fmt: skip
        free = c.scalar(sa.text(
            "SELECT e.id FROM employer e WHERE NOT EXISTS (SELECT 1 FROM proposal_task pt "
            "JOIN task t ON t.id = pt.task_id JOIN role r ON r.id = t.role_id "
            "WHERE r.employer_id = e.id) ORDER BY e.id LIMIT 1"))  # fmt: skip
    assert proposed > 0, "the test needs an employer whose tasks are proposed"
    refused = client.post(
        "/employers/1/ratko?replace=true",
        files={"file": ("t.csv", io.BytesIO(good))},
        headers=headers,
    )
    assert refused.status_code == 409  # a proposal never loses its tasks
    with engine.connect() as c:
        assert c.scalar(sa.text("SELECT COUNT(*) FROM task")) == before
    ok = client.post(
        f"/employers/{free}/ratko?replace=true",
        files={"file": ("t.csv", io.BytesIO(good))},
        headers=headers,
    )
    assert ok.status_code == 201 and len(ok.json()["roles"]) == 2
    roles = client.get(f"/employers/{free}/roles", headers=headers).json()
    assert roles["count"] == len(roles["data"]) == 2
    assert all(r["task_ids"] for r in roles["data"])
    assert client.get("/employers/999999/roles", headers=headers).status_code == 404
    employers = client.get("/employers?limit=2", headers=headers).json()
    names = [e["name"] for e in employers["data"]]
    assert len(names) == 2 and names == sorted(names) and employers["count"] >= 2


def test_override_records_original_and_chosen(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    matches = client.get(f"/jobseekers/{mine[0]}/matches?k=5", headers=headers).json()
    original = [i["task_id"] for i in matches["items"]]
    chosen = list(reversed(original))
    response = client.post(
        f"/suggestions/{matches['suggestion_id']}/overrides",
        json={"chosen": chosen, "reason": "Henkilö toivoo aamuvuoroja."},
        headers=headers,
    )
    assert response.status_code == 201
    (row,) = audit_rows(engine, action="override")
    assert row.details["original"] == original and row.details["chosen"] == chosen


def test_limits_and_errors_are_declared(service):
    client, tokens, *_ = service
    headers = auth(tokens["coordinator"])
    assert client.get("/jobseekers?limit=100000", headers=headers).status_code == 422
    big = client.post(
        "/jobseekers",
        content=b"x" * 6_000_000,
        headers=headers | {"content-type": "application/json"},
    )
    assert big.status_code == 413
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/jobseekers/{jobseeker_id}"]["get"]["responses"]
    assert {"401", "403", "404", "422"} <= set(responses)


def test_rate_limit_answers_429_with_retry_after(engine, database_url):
    from api.http.ratelimit import RateLimiter

    client = api_client(database_url, rate_limit_per_minute=10)
    statuses = [client.get("/health").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]
    limited = client.get("/health")
    assert (
        limited.json()["error"] == "too_many_requests" and int(limited.headers["Retry-After"]) >= 1
    )
    # A browser over the limit is shown the UI's page, in Finnish, with the wait, never JSON.
    pages = [client.get("/ui/login") for _ in range(3)][-1]
    assert pages.status_code == 429 and int(pages.headers["Retry-After"]) >= 1
    assert pages.headers["content-type"].startswith("text/html") and "pyyntöjä" in pages.text
    limiter = RateLimiter(2)
    assert [limiter.retry_after("a", t) for t in (0, 1, 2)][:2] == [0, 0]
    assert limiter.retry_after("a", 61) == 0  # the window slid past the first request


def test_rule_set_versions_are_proposed_compared_and_activated_with_an_audit_trail(service):
    client, tokens, area, mine, engine = service
    analyst, admin, coord = (
        auth(tokens["analyst"]),
        auth(tokens["admin"]),
        auth(tokens["coordinator"]),
    )
    listed = client.get("/rulesets", headers=analyst).json()
    assert listed["count"] == len(listed["data"]) == 1
    assert [(r["version"], r["active"], r["author"]) for r in listed["data"]] == [
        ("default-2026.12", True, "system")
    ]
    created = client.post(
        "/rulesets", json=_ruleset_body("near-2026.12", distance=3.0), headers=analyst
    )
    assert created.status_code == 201, created.text
    assert created.json()["parent"] == "default-2026.12" and not created.json()["active"]
    assert (
        client.post("/rulesets", json=_ruleset_body("near-2026.12"), headers=analyst).status_code
        == 409
    )
    bad_parent = client.post(
        "/rulesets", json={**_ruleset_body("x1"), "parent": "nope"}, headers=analyst
    )
    assert bad_parent.status_code == 422 and bad_parent.json()["errors"][0]["field"] == "parent"
    changes = client.get("/rulesets/default-2026.12/diff/near-2026.12", headers=analyst).json()
    assert changes["changes"] == [{"path": "weights.distance", "from": 1.0, "to": 3.0}]

    before = client.get(f"/jobseekers/{mine[0]}/matches", headers=coord).json()
    assert before["ruleset_version"] == "default-2026.12"
    assert client.post("/rulesets/near-2026.12/activate", headers=analyst).status_code == 403
    assert client.post("/rulesets/missing/activate", headers=admin).status_code == 404
    activated = client.post("/rulesets/near-2026.12/activate", headers=admin)
    assert activated.json() == {"active": "near-2026.12", "previous": "default-2026.12"}
    after = client.get(f"/jobseekers/{mine[0]}/matches", headers=coord).json()
    assert after["ruleset_version"] == "near-2026.12"
    (event,) = audit_rows(engine, action="activate_ruleset", actor="admin")
    assert event.object_id == "near-2026.12" and event.details == {"previous": "default-2026.12"}
    (created_row,) = audit_rows(engine, action="create_ruleset")
    assert created_row.actor == "analyst" and created_row.object_id == "near-2026.12"


def test_an_analyst_evaluates_and_compares_rule_sets_in_aggregate_only(service):
    client, tokens, area, mine, engine = service
    analyst = auth(tokens["analyst"])
    assert (
        client.post(
            "/rulesets", json=_ruleset_body("near-2", distance=4.0), headers=analyst
        ).status_code
        == 201
    )
    response = client.post(
        "/evaluations",
        json={"against": "near-2", "k": 5, "coverage_sample": 20, "task_sample": 10},
        headers=analyst,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["a"]["ruleset_version"] == "default-2026.12"
    assert report["b"]["ruleset_version"] == "near-2"
    assert {"hit_rate@5", "ndcg@10", "mrr", "coverage_people"} <= set(report["comparison"])
    assert set(report["a"]["fairness"]) == {"age_band", "gender", "mother_tongue"}
    people = WORLD.tables["jobseeker"].set_index("id")
    consented = {
        i for i, r in people.iterrows()
        if r["consent_given_at"] is not None and not pd.notna(r["consent_withdrawn_at"])
        and r["consent_scope"] and "evaluation" in r["consent_scope"]
    }  # fmt: skip
    outside = int((~WORLD.tables["proposal"]["jobseeker_id"].isin(consented)).sum())
    counts = report["a"]["counts"]
    assert counts["proposals_left_out_without_evaluation_consent"] == outside > 0
    assert counts["proposals"] + outside == len(WORLD.tables["proposal"])
    text = response.text
    codes = [r.code for r in WORLD.tables["jobseeker"].itertuples()]
    assert not any(code in text for code in codes), "an evaluation names no person"
    assert len(audit_rows(engine, action="evaluate", actor="analyst")) == 1
    unknown = client.post("/evaluations", json={"against": "nope"}, headers=analyst)
    assert unknown.status_code == 404
    bad = client.post("/evaluations", json={"k": 0}, headers=analyst)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "k"


def test_proposals_and_suggestions_of_another_area_are_not_found(service):
    client, tokens, area, mine, engine = service
    with engine.connect() as c:
        proposal_id = c.scalar(
            sa.select(ProposalRow.id).where(ProposalRow.jobseeker_id.in_(mine)).limit(1)
        )
    assert proposal_id is not None
    event = {
        "event": {"kind": "declined_by_person", "at": "2026-11-20T10:00:00Z", "reason": "distance"}
    }
    assert (
        client.get(f"/proposals/{proposal_id}", headers=auth(tokens["other_area"])).status_code
        == 404
    )
    assert (
        client.post(
            f"/proposals/{proposal_id}/events", json=event, headers=auth(tokens["other_area"])
        ).status_code
        == 404
    )
    assert (
        client.get(f"/proposals/{proposal_id}", headers=auth(tokens["coordinator"])).status_code
        == 200
    )
    suggestion = client.get(
        f"/jobseekers/{mine[0]}/matches", headers=auth(tokens["coordinator"])
    ).json()["suggestion_id"]
    body = {"chosen": [], "reason": "ei sovi"}
    assert (
        client.post(
            f"/suggestions/{suggestion}/overrides", json=body, headers=auth(tokens["other_area"])
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/suggestions/{suggestion}/overrides", json=body, headers=auth(tokens["coordinator"])
        ).status_code
        == 201
    )


def test_a_role_of_the_same_title_is_replaced_only_when_asked_and_never_under_a_proposal(service):
    client, tokens, *_, engine = service
    headers = auth(tokens["rekrypiste"])
    with engine.connect() as c:
        proposed, unproposed = (
            c.execute(sa.text(
                "SELECT r.employer_id, r.title FROM role r WHERE "
                f"{'' if named else 'NOT '}EXISTS (SELECT 1 FROM task t JOIN proposal_task pt "
                "ON pt.task_id = t.id WHERE t.role_id = r.id) ORDER BY r.id LIMIT 1"
            )).one()
            for named in (True, False)
        )  # fmt: skip

    def role(title):
        from features.demo.templates import ROLE_TEMPLATES, role_from_template

        return {"role": {**role_from_template(ROLE_TEMPLATES[0]).model_dump(mode="json"),
                         "title": title}}  # fmt: skip

    eid, title = unproposed
    taken = client.post(f"/employers/{eid}/roles", json=role(title), headers=headers)
    assert taken.status_code == 409
    replaced = client.post(f"/employers/{eid}/roles?replace=true", json=role(title),
                           headers=headers)  # fmt: skip
    assert replaced.status_code == 201, replaced.text
    with engine.connect() as c:
        assert c.scalar(sa.text("SELECT count(*) FROM role WHERE employer_id = :e AND title = :t"),
                        {"e": eid, "t": title}) == 1  # fmt: skip
    eid, title = proposed
    refused = client.post(f"/employers/{eid}/roles?replace=true", json=role(title),
                          headers=headers)  # fmt: skip
    assert refused.status_code == 409 and "proposal" in refused.json()["message"]
    with engine.connect() as c:  # the proposed role and its tasks are all still there
        still = c.scalar(sa.text(
            "SELECT count(*) FROM task t JOIN role r ON r.id = t.role_id "
            "WHERE r.employer_id = :e AND r.title = :t"), {"e": eid, "t": title})  # fmt: skip
        assert still > 0


def test_a_task_left_out_can_be_put_back_and_the_history_keeps_both(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    for person in mine:
        matches = client.get(f"/jobseekers/{person}/matches?k=5", headers=headers).json()
        original = [i["task_id"] for i in matches["items"]]
        if len(original) >= 2:
            break
    assert len(original) >= 2, "the test needs a person with two suggestions"
    gone = original[0]
    same = client.post(f"/suggestions/{matches['suggestion_id']}/overrides",
                       json={"chosen": original, "reason": "ei muutosta"}, headers=headers)  # fmt: skip
    assert same.status_code == 422  # an override that changes nothing is refused
    left = client.post(f"/suggestions/{matches['suggestion_id']}/overrides",
                       json={"chosen": original[1:], "reason": "Ei halua."}, headers=headers)  # fmt: skip
    assert left.status_code == 201
    listed = client.get(f"/jobseekers/{person}/left-out", headers=headers).json()
    assert [x["task_id"] for x in listed] == [gone] and listed[0]["reason"] == "Ei halua."
    path = f"/jobseekers/{person}/left-out/{gone}/restore"
    assert client.post(path, headers=auth(tokens["analyst"])).status_code == 403
    for outsider in ("rekrypiste", "other_area"):  # a person they may not see: no such thing
        assert client.post(path, headers=auth(tokens[outsider])).status_code == 404
    assert client.post(path, headers=headers).status_code == 201
    assert client.get(f"/jobseekers/{person}/left-out", headers=headers).json() == []
    assert client.post(path, headers=headers).status_code == 404  # not left out any more
    (row,) = audit_rows(engine, action="restore_suggestion")
    assert row.details["task_id"] == gone
    with engine.connect() as c:  # leaving out is still in the history
        assert c.scalar(sa.text("SELECT count(*) FROM override WHERE reason = 'Ei halua.'")) == 1


def test_a_persons_proposals_page_through_newest_first_and_none_is_lost(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    person = mine[2]
    code = client.get(f"/jobseekers/{person}", headers=headers).json()["profile"]["code"]
    tasks = [int(t) for t in WORLD.tables["task"].query("task_type == 'hand_over'")["id"][:12]]
    # Any tasks: the ones the rules exclude for the person are proposed with a reason.
    body = {"jobseeker_code": code, "reason": "Henkilön oma valinta."}
    made = [client.post("/proposals", json=body | {"task_ids": [t]}, headers=headers).json()["id"]
            for t in tasks]  # fmt: skip
    first = client.get(f"/jobseekers/{person}/proposals?limit=5", headers=headers).json()
    total = first["count"]
    assert total >= 12
    seen = []
    for offset in range(0, total, 5):
        page = client.get(f"/jobseekers/{person}/proposals?limit=5&offset={offset}",
                          headers=headers).json()  # fmt: skip
        assert page["count"] == total and len(page["data"]) <= 5
        seen += page["data"]
    ids = [p["id"] for p in seen]
    assert len(ids) == len(set(ids)) == total and set(made) <= set(ids)
    order = [(p["proposed_at"], p["id"]) for p in seen]
    assert order == sorted(order, reverse=True)
    other = client.get(f"/jobseekers/{person}/proposals", headers=auth(tokens["other_area"]))
    assert other.status_code == 404


def test_a_proposal_records_the_list_and_the_position_it_was_taken_from(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    for person in mine:
        matches = client.get(f"/jobseekers/{person}/matches?k=5", headers=headers).json()
        if len(matches["items"]) >= 3:
            break
    code = client.get(f"/jobseekers/{person}", headers=headers).json()["profile"]["code"]
    third = matches["items"][2]["task_id"]
    taken = client.post(
        "/proposals",
        headers=headers,
        json={
            "jobseeker_code": code,
            "task_ids": [third],
            "suggestion_id": matches["suggestion_id"],
        },
    )
    stored = client.get(f"/proposals/{taken.json()['id']}", headers=headers).json()
    assert (stored["suggestion_id"], stored["suggestion_position"]) == (matches["suggestion_id"], 3)
    outside = client.post(
        "/proposals",
        headers=headers,
        json={"jobseeker_code": code, "task_ids": [matches["items"][1]["task_id"]]},
    )
    stored = client.get(f"/proposals/{outside.json()['id']}", headers=headers).json()
    assert (stored["suggestion_id"], stored["suggestion_position"]) == (None, None)
    # A client cannot set the position: the service records it.
    forged = client.post(
        "/proposals",
        headers=headers,
        json={
            "jobseeker_code": code,
            "task_ids": [matches["items"][0]["task_id"]],
            "suggestion_position": 1,
        },
    )
    assert forged.status_code == 422
    with engine.connect() as c, pytest.raises(sa.exc.IntegrityError), c.begin():
        # a position needs its list
        c.execute(sa.text("UPDATE proposal SET suggestion_id = NULL, suggestion_position = 2 "
                          "WHERE id = :i"), {"i": taken.json()["id"]})  # fmt: skip


def test_what_schemathesis_found_is_a_clear_422(service):
    """A task twice in a proposal and a NUL in a filter were 500s (and their tracebacks wrote
    part of the request into the log); they are a 422 naming the field."""
    client, tokens, area, mine, engine = service
    company = auth(tokens["coordinator"])
    code = client.get(f"/jobseekers/{mine[0]}", headers=company).json()["profile"]["code"]
    twice = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [5, 5]},
                        headers=company)  # fmt: skip
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "task_ids"
    for query in ("sector=kitchen%00catering", "municipality=Lahti%00"):
        nul = client.get(f"/jobseekers/{mine[0]}/matches?{query}", headers=company)
        assert nul.status_code == 422, (query, nul.text)


def test_the_services_own_address_leads_to_the_web_ui(service):
    client, *_ = service
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/ui/"
    assert client.get("/").url.path == "/ui/login"  # and on to the log-in, no JSON
