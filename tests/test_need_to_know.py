"""Need to know, attribution and reach — each finding of the security review as a test, on
SQLite and PostgreSQL, through the application services the API and the UI share."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from typer.testing import CliRunner

from api.auth.policy import PERSON_VIEW, PersonView
from api.cli import app
from api.core.security import PERMISSIONS, Permission, Role
from api.http.csrf import SESSION
from api.storage.tables import JobseekerRow, ProposalRow, RoleRow
from features.schemas.dates import today_in_finland
from tests import factories
from tests.conftest import API_WORLD as WORLD
from tests.test_api import audit_rows, auth
from tests.test_network import _candidate

HAND_OVER = WORLD.tables["task"].query("task_type == 'hand_over'")["id"].astype(int).tolist()
HEALTH_KEYS = ("comparison", "capacity", "hard_limit", "distance_km", "person_hours", "status")


def _walk_keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _walk_keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_keys(value)


def _new_person(client, token, area, scope, **extra):
    profile = factories.jobseeker(
        area=area,
        code="JS-NEW001",
        consent={"given_at": "2026-11-01T00:00:00Z", "scope": scope},
        **extra,
    )
    created = client.post("/jobseekers", json={"profile": profile}, headers=auth(token))
    assert created.status_code == 201, created.text
    return created.json()["id"], profile["code"]


def test_the_person_view_table_covers_every_role():
    assert set(PERSON_VIEW) == set(Role)
    assert PERSON_VIEW[Role.REKRYPISTE] is PersonView.CANDIDATE
    assert PERSON_VIEW[Role.ANALYST] is PERSON_VIEW[Role.ADMIN] is PersonView.NONE
    assert PERSON_VIEW[Role.PROJECT_MANAGER] is PersonView.NONE


def test_the_project_manager_may_read_the_report_and_their_own_details_only():
    """Read-only aggregates: nothing that reads a person, an employer, a proposal or a
    request, nothing that writes."""
    held = {p for p, roles in PERMISSIONS.items() if Role.PROJECT_MANAGER in roles}
    assert held == {Permission.READ_REPORTS, Permission.OWN_DETAILS}


def test_the_project_manager_reaches_the_report_and_no_person_employer_or_proposal(service):
    client, tokens, area, mine, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    area_codes = {r["code"] for r in client.get("/jobseekers/caseload?scope=area&limit=200",
                                                headers=company).json()["data"]}  # fmt: skip
    code, task, suggestion = _candidate(client, tokens["rekrypiste"], area_codes)
    asked = {"jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion}
    request = client.post("/candidate-requests", json=asked, headers=rekry)
    proposal = client.post("/proposals", json=asked, headers=rekry)
    assert request.status_code == proposal.status_code == 201, (request.text, proposal.text)
    with engine.connect() as c:
        employer = c.scalar(sa.select(RoleRow.employer_id).limit(1))
    manager = auth(tokens["project_manager"])

    report = client.get("/reports/programme", headers=manager)
    assert report.status_code == 200, report.text
    assert report.json()["area"] is None and {area, "Elsewhere"} <= set(report.json()["areas"])
    one_area = client.get("/reports/programme", params={"area": "Elsewhere"}, headers=manager)
    assert one_area.status_code == 200 and one_area.json()["area"] == "Elsewhere"
    pid, rid = proposal.json()["id"], request.json()["id"]
    for path in (f"/jobseekers/{mine[0]}", "/jobseekers", "/jobseekers/caseload",
                 f"/jobseekers/{mine[0]}/matches", f"/jobseekers/{mine[0]}/episodes",
                 f"/employers/{employer}", "/employers", f"/proposals/{pid}",
                 f"/jobseekers/{mine[0]}/proposals", "/candidate-requests"):  # fmt: skip
        refused = client.get(path, headers=manager)
        assert refused.status_code in (403, 404), (path, refused.status_code)
        assert code not in refused.text, path
    answer = client.post(f"/candidate-requests/{rid}/answer", json={"answer": "yes"},
                         headers=manager)  # fmt: skip
    assert answer.status_code == 403

    # The web UI: home is the report, the menu leads there and nowhere near a person.
    client.cookies.set(SESSION, tokens["project_manager"])
    home = client.get("/ui/", follow_redirects=False)
    assert (home.status_code, home.headers["location"]) == (303, "/ui/reports/programme")
    page = client.get("/ui/reports/programme")
    assert page.status_code == 200, page.text
    assert 'href="/ui/reports/programme"' in page.text and "(projektipäällikkö)" in page.text
    assert 'href="/ui/jobseekers"' not in page.text and 'href="/ui/employers"' not in page.text
    assert 'id="figure-enrolled"' in page.text and '<option value="">' in page.text  # every area
    for path in (f"/ui/jobseekers/{mine[0]}", "/ui/jobseekers", f"/ui/employers/{employer}",
                 "/ui/requests", "/ui/tasks", "/ui/rulesets", "/ui/clearing"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert [r.actor for r in audit_rows(engine, action="read_programme_report")] == ["pm"] * 3


def test_the_cli_and_the_admin_add_a_project_manager(service, database_url, tmp_path, monkeypatch):
    client, tokens, *_ = service
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TASMA_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert "project_manager" in runner.invoke(app, ["users", "add", "--help"]).output
    added = runner.invoke(app, ["users", "add", "paula", "--role", "project_manager",
                                "--password"], input="salasana-123\nsalasana-123\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "user paula (project_manager) added" in added.output
    page = client.get("/ui/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    login = client.post("/ui/login", data={"username": "paula", "password": "salasana-123",
                                           "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert (login.status_code, login.headers["location"]) == (303, "/ui/reports/programme")
    token = added.output.strip().splitlines()[-1]
    me = client.get("/me", headers=auth(token)).json()
    assert (me["role"], me["area"]) == ("project_manager", None)
    # The administrator's user management takes the role as well.
    admin = auth(tokens["admin"])
    made = client.post("/users", json={"name": "pekka", "role": "project_manager"}, headers=admin)
    assert made.status_code == 201, made.text
    assert client.get("/reports/programme", headers=auth(made.json()["token"])).status_code == 200
    moved = client.put("/users/rekry/role", json={"role": "project_manager"}, headers=admin)
    assert moved.status_code == 204, moved.text
    rekry = auth(tokens["rekrypiste"])
    assert client.get("/reports/programme", headers=rekry).status_code == 200
    assert client.get("/employers", headers=rekry).status_code == 403


def test_a_rekrypiste_sees_candidates_without_health_data_or_ids(service):
    client, tokens, area, mine, engine = service
    seen = 0
    for task_id in HAND_OVER[:15]:
        body = client.post(
            "/matches/candidates", json={"task_ids": [task_id]}, headers=auth(tokens["rekrypiste"])
        ).json()
        for item in body["items"]:
            seen += 1
            assert item["explanations"] is None
            keys = set(_walk_keys(item))
            assert not keys & set(HEALTH_KEYS), keys & set(HEALTH_KEYS)
            assert "person_id" not in keys
            assert set(item["tasks"][0]) == {"task_id", "feasible", "fit", "adjustments"}
            assert " km" not in json.dumps(item["tasks"])
    assert seen, "some candidates were shown"
    coordinator = client.post(
        "/matches/candidates", json={"task_ids": HAND_OVER[:1]}, headers=auth(tokens["coordinator"])
    ).json()
    assert all(i["explanations"] for i in coordinator["items"])


def test_only_people_who_share_with_employers_reach_a_rekrypiste(service):
    client, tokens, area, mine, engine = service
    # Half of the area's people consent to matching only (not to being shown to employers).
    private = set(mine[::2])
    with engine.begin() as c:
        c.execute(
            sa.update(JobseekerRow)
            .where(JobseekerRow.id.in_(private))
            .values(consent_scope=["matching"])
        )
        c.execute(sa.text("UPDATE data_version SET version = version + 1"))
        private_codes = set(
            c.scalars(sa.select(JobseekerRow.code).where(JobseekerRow.id.in_(private)))
        )

    def codes(token):
        seen = set()
        for t in HAND_OVER:
            body = client.post(
                "/matches/candidates", json={"task_ids": [t], "k": 100}, headers=auth(token)
            ).json()
            seen |= {i["code"] for i in body["items"]}
        return seen

    by_coordinator = codes(tokens["coordinator"])
    by_rekrypiste = codes(tokens["rekrypiste"])
    assert by_coordinator & private_codes, "the filter has something to filter"
    assert not by_rekrypiste & private_codes
    assert (by_coordinator - private_codes) <= by_rekrypiste
    # A proposal by code for a private person is refused to a Rekrypiste like an unknown one.
    hidden = sorted(by_coordinator & private_codes)[0]
    task = HAND_OVER[0]
    unknown = client.post(
        "/proposals",
        json={"jobseeker_code": "JS-ZZZZZZ", "task_ids": [task]},
        headers=auth(tokens["rekrypiste"]),
    )
    refused = client.post(
        "/proposals",
        json={"jobseeker_code": hidden, "task_ids": [task]},
        headers=auth(tokens["rekrypiste"]),
    )
    assert unknown.status_code == refused.status_code == 404
    assert audit_rows(engine, action="refused", actor="rekry")


def test_proposals_for_another_areas_person_are_refused_and_cannot_probe_codes(service):
    client, tokens, area, mine, engine = service
    with engine.connect() as c:
        code = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.id == mine[0]))
        before = c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))
    other = auth(tokens["other_area"])
    theirs = client.post(
        "/proposals", json={"jobseeker_code": code, "task_ids": HAND_OVER[:1]}, headers=other
    )
    nobody = client.post(
        "/proposals", json={"jobseeker_code": "JS-ZZZZZZ", "task_ids": HAND_OVER[:1]}, headers=other
    )
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json()["message"].replace(code, "X") == nobody.json()["message"].replace(
        "JS-ZZZZZZ", "X"
    )
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ProposalRow)) == before
    (refused,) = audit_rows(engine, action="refused", actor="coord2")
    assert refused.object_id == str(mine[0])


def test_attribution_comes_from_the_service_not_the_client(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    matches = client.get(f"/jobseekers/{mine[0]}/matches?k=5", headers=headers).json()
    if not matches["items"]:
        return
    with engine.connect() as c:
        code = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.id == mine[0]))
    task_id = matches["items"][0]["task_id"]
    forged = {
        "jobseeker_code": code,
        "task_ids": [task_id],
        "proposed_by": "someone.else",
        "ruleset_version": "made-up",
        "events": [{"kind": "hired", "at": "2026-11-01T00:00:00Z"}],
    }
    refused = client.post("/proposals", json=forged, headers=headers)
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"proposed_by", "ruleset_version", "events"} <= fields
    body = {
        "jobseeker_code": code,
        "task_ids": [task_id],
        "suggestion_id": matches["suggestion_id"],
    }
    created = client.post("/proposals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    proposal = client.get(f"/proposals/{created.json()['id']}", headers=headers).json()
    assert proposal["proposed_by"] == "coord"
    assert proposal["ruleset_version"] == matches["ruleset_version"]
    assert proposal["events"] == []
    again = client.post("/proposals", json=body, headers=headers)
    assert again.status_code == 409, "the same open proposal is not recorded twice"
    not_suggested = [t for t in HAND_OVER if t not in {i["task_id"] for i in matches["items"]}]
    wrong = dict(body, task_ids=not_suggested[:1])
    assert client.post("/proposals", json=wrong, headers=headers).status_code == 422
    assert len(audit_rows(engine, action="read_proposal", actor="coord")) == 1


def test_outcome_notes_are_for_the_persons_own_coordinators_only(service):
    client, tokens, area, mine, engine = service
    company = auth(tokens["coordinator"])
    area_codes = {r["code"] for r in client.get("/jobseekers/caseload?scope=area&limit=200",
                                                headers=company).json()["data"]}  # fmt: skip
    code, task, suggestion = _candidate(client, tokens["rekrypiste"], area_codes)
    created = client.post(
        "/proposals",
        json={"jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion},
        headers=auth(tokens["rekrypiste"]),
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    event = {
        "event": {
            "kind": "declined_by_person",
            "at": datetime.now(UTC).isoformat(),
            "reason": "health",
            "note": "MARKER-masennus pahentunut",
        }
    }
    assert (
        client.post(
            f"/proposals/{pid}/events", json=event, headers=auth(tokens["coordinator"])
        ).status_code
        == 201
    )
    own = client.get(f"/proposals/{pid}", headers=auth(tokens["coordinator"])).json()
    assert own["events"][0]["note"].startswith("MARKER") and own["events"][0]["reason"] == "health"
    seen = client.get(f"/proposals/{pid}", headers=auth(tokens["rekrypiste"]))
    assert seen.status_code == 200
    assert "MARKER" not in seen.text and "health" not in seen.text
    assert client.get(f"/proposals/{pid}", headers=auth(tokens["other_area"])).status_code == 404
    future = {"event": {"kind": "hired", "at": "2099-01-01T00:00:00Z"}}
    response = client.post(
        f"/proposals/{pid}/events", json=future, headers=auth(tokens["coordinator"])
    )
    assert response.status_code == 422


def test_the_work_ability_coordinator_reads_proposals_and_records_the_steps_that_are_theirs(
    service,
):
    """Issue #27, point 8: a proposal is read by both of the person's coordinators; the
    work-ability coordinator records where it leads to care, education or another service,
    and is refused — with why — the employer side's steps (a hire, a trial, an answer)."""
    client, tokens, area, mine, engine = service
    company, assessor = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    area_codes = {r["code"] for r in client.get("/jobseekers/caseload?scope=area&limit=200",
                                                headers=company).json()["data"]}  # fmt: skip
    code, task, suggestion = _candidate(client, tokens["rekrypiste"], area_codes)
    created = client.post(
        "/proposals",
        json={"jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion},
        headers=auth(tokens["rekrypiste"]),
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    person = client.get(f"/proposals/{pid}", headers=assessor)
    assert person.status_code == 200, person.text
    with engine.connect() as c:
        person_id = c.execute(
            sa.select(JobseekerRow.id).where(JobseekerRow.code == code)
        ).scalar_one()
    listed = client.get(f"/jobseekers/{person_id}/proposals", headers=assessor)
    assert pid in {p["id"] for p in listed.json()["data"]}
    now = datetime.now(UTC).isoformat()
    for kind in ("hired", "work_trial_started"):
        refused = client.post(f"/proposals/{pid}/events", headers=assessor,
                              json={"event": {"kind": kind, "at": now}})  # fmt: skip
        assert refused.status_code == 403, refused.text
        assert "work-ability coordinator records care" in refused.json()["message"]
    sick_leave = {"event": {"kind": "care_started", "at": now, "note": "sairausloma"}}
    recorded = client.post(f"/proposals/{pid}/events", json=sick_leave, headers=assessor)
    assert recorded.status_code == 201, recorded.text
    events = client.get(f"/proposals/{pid}", headers=company).json()["events"]
    assert [e["kind"] for e in events] == ["care_started"]
    with engine.connect() as c:
        actions = c.execute(
            sa.text("SELECT role, action FROM audit_event WHERE object_type = 'proposal' "
                    "AND object_id = :pid ORDER BY id"), {"pid": str(pid)}
        ).all()  # fmt: skip
    assert ("work_ability_coordinator", "outcome") in [tuple(a) for a in actions]
    # Another area's work-ability coordinator: as if there were no such proposal.
    assert client.get(f"/proposals/{pid}", headers=auth(tokens["other_area"])).status_code == 404


def test_employer_compose_shows_only_people_in_reach(service):
    client, tokens, area, mine, engine = service
    with engine.connect() as c:
        areas = dict(c.execute(sa.select(JobseekerRow.code, JobseekerRow.area)).all())
    employers = WORLD.tables["employer"]["id"].astype(int).tolist()
    shown = 0
    for employer_id in employers[:6]:
        mine_view = client.post(
            f"/employers/{employer_id}/compose?k=20", headers=auth(tokens["coordinator"])
        )
        if mine_view.status_code == 404:
            continue
        assert {areas[i["code"]] for i in mine_view.json()["items"]} <= {area}
        other = client.post(
            f"/employers/{employer_id}/compose?k=20", headers=auth(tokens["other_area"])
        ).json()
        assert other["items"] == [], "a coordinator of an area with nobody sees nobody"
        rekry = client.post(
            f"/employers/{employer_id}/compose?k=20", headers=auth(tokens["rekrypiste"])
        ).json()
        for item in rekry["items"]:
            assert {"person_id", "scores", "objective"}.isdisjoint(item)
            # the hours a person wants are theirs and their coordinators' to know
            assert "wants" not in json.dumps(item) and "toive" not in json.dumps(item)
            shown += " h a week in all" in json.dumps(item)  # the bundle is described
    assert shown, "some employer's composition had candidates"


def test_overrides_choose_only_among_what_was_suggested(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    matches = client.get(f"/jobseekers/{mine[0]}/matches?k=3", headers=headers).json()
    url = f"/suggestions/{matches['suggestion_id']}/overrides"
    bad = client.post(url, json={"chosen": [2_000_000], "reason": "muu syy"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "chosen"
    ok = client.post(url, json={"chosen": [], "reason": "MARKER terveys"}, headers=headers)
    assert ok.status_code == 201
    (row,) = audit_rows(engine, action="override")
    assert "MARKER" not in json.dumps(row.details), "free text stays out of the audit trail"


def test_a_coordinator_needs_an_area_whoever_creates_them(service):
    client, tokens, *_ = service
    for role in ("company_coordinator", "work_ability_coordinator"):
        response = client.post(
            "/users", json={"name": "noarea", "role": role}, headers=auth(tokens["admin"])
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "area"


def test_nobody_is_made_a_user_under_the_services_own_names(service):
    """The shipped rule set is stored by "system" and server commands act as "cli": a user of
    either name would make what they do read as the service's (the rule-set list names the
    shipped default by its author)."""
    client, tokens, *_ = service
    for name in ("system", "cli"):
        response = client.post(
            "/users", json={"name": name, "role": "analyst"}, headers=auth(tokens["admin"])
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "name"
    assert client.post("/users", json={"name": "systems", "role": "analyst"},
                       headers=auth(tokens["admin"])).status_code == 201  # fmt: skip


def test_matchability_is_one_definition_everywhere(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    jid, _ = _new_person(client, tokens["work_ability"], area, ["matching"], status="paused")
    person = client.get(f"/jobseekers/{jid}", headers=headers).json()
    matches = client.get(f"/jobseekers/{jid}/matches", headers=headers).json()
    assert person["matchable"] is False
    assert person["not_matchable_reason"] == matches["not_matchable_reason"] == "not_active"
    assert person["not_matchable_text"] == matches["not_matchable_text"]
    assert matches["items"] == []


def test_the_comparison_is_audited_as_a_comparison(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    response = client.get(f"/jobseekers/{mine[0]}/comparison/{HAND_OVER[0]}", headers=headers)
    assert response.status_code == 200 and response.json()["comparison"]
    assert len(audit_rows(engine, action="compare")) == 1
    assert not audit_rows(engine, action="match_why_not")


def test_candidates_for_many_tasks_are_audited_on_both_databases(service):
    client, tokens, *_ = service
    many = HAND_OVER[:20]
    response = client.post(
        "/matches/candidates", json={"task_ids": many}, headers=auth(tokens["rekrypiste"])
    )
    assert response.status_code == 200, response.text


def test_a_crm_note_is_signed_by_whoever_writes_it(service):
    client, tokens, *_ = service
    headers = auth(tokens["rekrypiste"])
    forged = {"author": "someone.else", "channel": "phone", "text": "Soitettu."}
    refused = client.post("/employers/1/notes", json=forged, headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "author"
    future = {"at": "2099-01-01T00:00:00Z", "channel": "phone", "text": "Soitettu."}
    assert client.post("/employers/1/notes", json=future, headers=headers).status_code == 422
    ok = client.post(
        "/employers/1/notes", json={"channel": "phone", "text": "Soitettu."}, headers=headers
    )
    assert ok.status_code == 201
    notes = client.get("/employers/1", headers=headers).json()["notes"]
    assert notes[-1]["author"] == "rekry"
    employer = client.get("/employers/1", headers=headers).json()
    employer.update(name="Uusi Oy", business_id="0112038-9")
    inline = client.post("/employers", json={"employer": employer}, headers=headers)
    assert inline.status_code == 422
    assert inline.json()["errors"][0]["field"] == "employer.notes"


def test_a_nul_character_is_refused_alike_on_both_databases(service):
    client, tokens, area, *_ = service
    profile = factories.jobseeker(area=area, code="JS-NUL001", goals="kahvila\x00työ")
    response = client.post(
        "/jobseekers", json={"profile": profile}, headers=auth(tokens["coordinator"])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "profile.goals"
    note = {"channel": "phone", "text": "Soitettu\x00"}
    answer = client.post("/employers/1/notes", json=note, headers=auth(tokens["rekrypiste"]))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "text"


def test_only_outcomes_consented_for_evaluation_are_evaluated(service):
    client, tokens, area, mine, engine = service
    analyst = auth(tokens["analyst"])
    body = {"coverage_sample": 10, "task_sample": 10}
    before = client.post("/evaluations", json=body, headers=analyst).json()["a"]["counts"]
    with engine.begin() as c:  # half of the people never agreed to evaluation
        ids = c.scalars(sa.select(JobseekerRow.id).order_by(JobseekerRow.id)).all()
        c.execute(
            sa.update(JobseekerRow)
            .where(JobseekerRow.id.in_(ids[::2]))
            .values(consent_scope=["matching"])
        )
        expected = c.scalar(
            sa.select(sa.func.count())
            .select_from(ProposalRow)
            .join(JobseekerRow, JobseekerRow.id == ProposalRow.jobseeker_id)
            .where(JobseekerRow.consent_scope.is_not(None))
            .where(JobseekerRow.id.not_in(ids[::2]))
            .where(JobseekerRow.consent_withdrawn_at.is_(None))
        )
    after = client.post("/evaluations", json=body, headers=analyst).json()["a"]["counts"]
    assert after["proposals"] < before["proposals"]
    assert after["proposals"] <= expected


def test_analyst_work_waits_its_turn_or_is_refused(service):
    import threading

    import anyio
    import pytest

    from api.http.errors import BusyError
    from api.http.lanes import HEAVY_QUEUE, Lane, run_heavy

    client, *_ = service

    class FakeRequest:
        app = client.app

    async def scenario():
        client.app.state.heavy_lane = Lane()
        release = threading.Event()
        async with anyio.create_task_group() as group:
            for _ in range(1 + HEAVY_QUEUE):  # one running, the rest waiting
                group.start_soon(run_heavy, FakeRequest(), release.wait)
            await anyio.sleep(0.05)
            with pytest.raises(BusyError):
                await run_heavy(FakeRequest(), lambda: 1)
            release.set()
        assert client.app.state.heavy_lane.admitted == 0

    anyio.run(scenario)


def test_the_web_ui_and_the_cli_call_services_never_route_functions():
    """One home per use case: pages and commands go through the domains' services, so FastAPI's
    validation, access and audit cannot be skipped by calling a route as a function."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "api"
    domains = ("people", "proposals", "employers", "suggestions", "market", "rulesets", "auth",
               "reports")  # fmt: skip
    pages = [*root.glob("*/pages.py"), *root.glob("*/*_pages.py"), root / "http" / "pages.py"]
    for module in (*pages, root / "cli" / "matching.py"):
        imported = {
            node.module
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        imported |= {
            f"{node.module}.{alias.name}"
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        routes = {m for m in imported if m.split(".")[-1].endswith("routes")}
        assert not routes, (module, routes)
        if module.parent.name != "http":  # the shared page plumbing calls no service
            assert any(m.split(".")[1:2] in ([d] for d in domains) for m in imported), module
    assert len(pages) >= 8, pages


FAILURE_WORDS = ("hard_limit", "over_demand", "kilograms", "hours", "schedule", "distance",
                 "not_in_index", "recommended")  # fmt: skip


def test_a_rekrypiste_cannot_probe_why_the_engine_excludes_a_person(service):
    """Employer-facing staff propose only whom they were shown or whom the coordinator agreed
    to, and never learn what fails: one answer, no reasons, no ``engine_said``."""
    client, tokens, area, mine, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    with engine.connect() as c:
        before = c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))
    area_codes = {r["code"]: r["id"] for r in client.get(
        "/jobseekers/caseload?scope=area&limit=200", headers=company).json()["data"]}  # fmt: skip
    # A free choice of person and task: refused, whatever the engine would say.
    for code in list(area_codes)[:5]:
        free = client.post("/proposals", json={"jobseeker_code": code, "task_ids": HAND_OVER[:1]},
                           headers=rekry)  # fmt: skip
        assert free.status_code in (404, 422), free.text
        assert not any(word in free.text for word in FAILURE_WORDS), free.text
    # A pair the engine excludes, agreed to by the coordinator: still no reasons.
    excluded = next(
        (code, task)
        for code, pid in list(area_codes.items())[:10]
        for task in HAND_OVER[:40]
        if not client.get(f"/jobseekers/{pid}/why-not/{task}", headers=company).json()["feasible"]
    )
    code, task = excluded
    asked = client.post("/candidate-requests", json={"jobseeker_code": code, "task_ids": [task]},
                        headers=rekry)  # fmt: skip
    assert asked.status_code == 201, asked.text
    answered = client.post(f"/candidate-requests/{asked.json()['id']}/answer",
                           json={"answer": "yes"}, headers=company)  # fmt: skip
    assert answered.status_code == 200, answered.text
    agreed = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [task]},
                         headers=rekry)  # fmt: skip
    assert agreed.status_code == 422
    assert "ask the person's coordinator" in agreed.text
    assert not any(word in agreed.text for word in FAILURE_WORDS), agreed.text
    with_reason = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [task],
                              "reason": "työnantaja haluaa"}, headers=rekry)  # fmt: skip
    assert with_reason.status_code == 422, "no override by employer-facing staff"
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ProposalRow)) == before
    # A candidate they were shown: proposed; what the engine said is not theirs to read.
    code, task, suggestion = _candidate(client, tokens["rekrypiste"], set(area_codes))
    shown = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [task],
                        "suggestion_id": suggestion}, headers=rekry)  # fmt: skip
    assert shown.status_code == 201, shown.text
    seen = client.get(f"/proposals/{shown.json()['id']}", headers=rekry).json()
    assert seen["engine_said"] == {} and seen["override_reason"] is None


def test_every_read_of_free_text_about_a_person_is_audited(service):
    """Hand-off notes, the reasons tasks were left out, follow-up visit notes: each read is
    audited, and a read's purpose comes from a closed list (the trail is append-only: a
    free-text purpose naming a diagnosis could never be erased with the person)."""
    client, tokens, area, mine, engine = service
    company = auth(tokens["coordinator"])
    jid = mine[2]
    code = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["code"]
    task = HAND_OVER[1]
    pid = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [task],
                      "reason": "Oma valinta."}, headers=company).json()["id"]  # fmt: skip
    for kind in ("work_trial_started", "hired"):
        step = {"event": {"kind": kind, "at": datetime.now(UTC).isoformat()}}
        assert client.post(f"/proposals/{pid}/events", json=step,
                           headers=company).status_code == 201  # fmt: skip
    reads = {
        "read_handoffs": f"/jobseekers/{jid}/handoffs",
        "read_left_out": f"/jobseekers/{jid}/left-out",
        "read_follow_up": f"/proposals/{pid}/follow-up",
    }
    for action, path in reads.items():
        assert client.get(path, headers=company).status_code == 200, path
        (row,) = audit_rows(engine, action=action, actor="coord")
        assert row.object_id in (str(jid), str(pid))
    diagnosis = client.get(f"/jobseekers/{jid}?purpose=masennuksen%20hoito", headers=company)
    assert diagnosis.status_code == 422 and "purpose" in diagnosis.text
    assert client.get(f"/jobseekers/{jid}?purpose=case_management", headers=company).json()
    assert audit_rows(engine, action="read_jobseeker", purpose="case_management")


def test_a_code_in_use_is_refused_alike_in_reach_or_not_and_the_try_is_audited(service):
    """Before, another area's code answered "exists" by name: codes could be probed."""
    client, tokens, area, mine, engine = service
    mine_code, _ = _new_person(client, tokens["work_ability"], area, ["matching"])
    with engine.connect() as c:
        own = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.id == mine_code))
        elsewhere = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.area != area))
    answers = []
    for code in (own, elsewhere):
        profile = factories.jobseeker(area=area, code=code)
        taken = client.post("/jobseekers", json={"profile": profile},
                            headers=auth(tokens["work_ability"]))  # fmt: skip
        body = taken.json()
        answers.append((taken.status_code, body["error"], body["message"].replace(code, "…")))
    assert answers[0] == answers[1] and answers[0][0] == 409
    assert "exists" not in answers[0][2]
    assert len(audit_rows(engine, action="code_taken")) == 2


def test_the_work_ability_coordinators_page_offers_only_their_steps_and_records_one(service):
    """Issue #27, point 8, in the web UI: on the person's page the work-ability coordinator is
    offered the steps that are theirs (never a hire) and the form records one, dated."""
    from api.http.pages import COOKIE
    from tests.test_web_security import _csrf

    client, tokens, area, mine, engine = service
    area_codes = {r["code"] for r in client.get("/jobseekers/caseload?scope=area&limit=200",
                                                headers=auth(tokens["coordinator"])).json()["data"]}  # fmt: skip
    code, task, suggestion = _candidate(client, tokens["rekrypiste"], area_codes)
    created = client.post(
        "/proposals",
        json={"jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion},
        headers=auth(tokens["rekrypiste"]),
    )
    pid = created.json()["id"]
    with engine.connect() as c:
        person = c.execute(sa.select(JobseekerRow.id).where(JobseekerRow.code == code)).scalar_one()
    client.cookies.set(COOKIE, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{person}")
    assert page.status_code == 200
    form = page.text[page.text.index(f'action="/ui/jobseekers/{person}/proposals/{pid}/events"') :]
    offered = set(re.findall(r'<option value="([a-z_0-9]+)"', form[: form.index("</select>")]))
    assert offered == {"care_started", "education_started", "other_service"}
    # Dated before the proposal was made: refused at the step's own form, said in Finnish.
    early = (today_in_finland(datetime.now(UTC)) - timedelta(days=2)).isoformat()
    refused = client.post(f"/ui/jobseekers/{person}/proposals/{pid}/events",
                          data={"kind": "care_started", "on": early, "csrf": _csrf(page.text)})  # fmt: skip
    assert refused.status_code == 422
    assert "Milloin: ei voi olla ennen ehdotuksen tekemistä" in refused.text
    day = today_in_finland(datetime.now(UTC)).isoformat()  # the service's day, not UTC's
    sent = client.post(f"/ui/jobseekers/{person}/proposals/{pid}/events", follow_redirects=False,
                       data={"kind": "care_started", "on": day, "csrf": _csrf(page.text)})  # fmt: skip
    assert sent.status_code == 303, sent.text
    events = client.get(f"/proposals/{pid}", headers=auth(tokens["coordinator"])).json()["events"]
    # A day is stored as its moment (midnight in Finland, in UTC): read back as Finland's day.
    assert [(e["kind"], today_in_finland(datetime.fromisoformat(e["at"])).isoformat())
            for e in events] == [("care_started", day)]  # fmt: skip
