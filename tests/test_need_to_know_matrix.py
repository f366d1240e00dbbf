"""The need-to-know table, checked over every operation of the API: whatever a Rekrypiste
worker (the employer-facing role) asks — reads, writes, refusals — no answer carries a field
the table keeps from them (capacities, limits, what the engine said, explanations, distance,
the person's hours, status, goals, consent, identity, internal ids), no person's name, e-mail
or phone (but the name a coordinator's yes revealed, on that request), and no code of a person
who has not agreed to be shared with employers.

The table (README, "Who sees what"): rekrypiste — candidates only, and only people whose
consent covers ``share_with_employers``: the pseudonymous code, the fit in words, the
adjustments to arrange and the supports; of proposals, those they made, without notes or a
person's decline reasons.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from api.storage.tables import IdentityRow, JobseekerRow, RoleRow, TaskRow
from features.schemas import JobseekerStatus
from tests.test_api import auth
from tests.test_consent_withdrawal import _shown

KEPT_FROM_EMPLOYER_SIDE = frozenset({
    "capacities", "capacity", "hard_limit", "hard_limits", "limits", "recommended",
    "engine_said", "override_reason", "explanations", "comparison", "distance_km",
    "person_hours", "weekly_hours_min", "weekly_hours_max", "goals", "consent",
    "identity", "demographics", "email", "phone", "jobseeker_id", "person_id", "person_ids",
    "not_matchable_reason", "not_matchable_text", "coordinates", "kilograms", "note_private",
})  # fmt: skip
"""Keys that may appear in an employer-facing answer only empty (null, "", {}, [])."""
PERSON_STATUSES = frozenset({*(s.value for s in JobseekerStatus), "below_minimum_hours"})
"""A ``status`` with one of these values is the person's (or says what hours they want)."""
EMPLOYERS_OWN = frozenset({"contact", "address", "place"})
"""Subtrees about an employer or a workplace: its own contact details and coordinates."""

WRITES_LEFT_OUT = {("DELETE", "/auth/token")}
"""Logging the worker's own token out would end the walk; it returns nothing."""


def _walk(data: Any, path: str = "") -> Any:
    """(path, key, value) of every key in a JSON document, but inside an employer's own."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path, key, value
            if key not in EMPLOYERS_OWN:
                yield from _walk(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, f"{path}[{i}]")


def _world_facts(engine, area):
    with engine.connect() as c:
        identities = c.execute(sa.select(IdentityRow.jobseeker_id, IdentityRow.name,
                                         IdentityRow.email, IdentityRow.phone)).all()  # fmt: skip
        people = c.execute(sa.select(JobseekerRow.id, JobseekerRow.code,
                                     JobseekerRow.consent_scope)).all()  # fmt: skip
        task = c.execute(
            sa.select(TaskRow.id, TaskRow.role_id).where(TaskRow.task_type == "hand_over")
        ).first()
        employer = c.scalar(sa.select(RoleRow.employer_id).where(RoleRow.id == task.role_id))
    return identities, people, task, employer


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def test_no_answer_to_the_employer_side_carries_what_the_table_keeps_from_it(service):
    client, tokens, area, mine, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    identities, people, task, employer = _world_facts(engine, area)
    by_id = {p.id: p.code for p in people}
    codes = {p.code: p.id for p in people}
    not_shared = {p.code for p in people if "share_with_employers" not in (p.consent_scope or [])}
    assert not_shared, "the world has people who do not share with employers"

    # What the worker does in a day: candidate lists, a composition, a request answered yes,
    # a proposal of their own; the area's coordinator proposes someone too.
    shown = _shown(client, tokens["rekrypiste"], {by_id[i] for i in mine})
    code, shown_task, suggestion = shown[0]
    asked = client.post("/candidate-requests", headers=rekry, json={
        "jobseeker_code": code, "task_ids": [shown_task], "suggestion_id": suggestion})  # fmt: skip
    assert asked.status_code == 201, asked.text
    answered = client.post(f"/candidate-requests/{asked.json()['id']}/answer",
                           json={"answer": "yes"}, headers=company)  # fmt: skip
    assert answered.status_code == 200
    proposed = client.post("/proposals", headers=rekry, json={
        "jobseeker_code": code, "task_ids": [shown_task], "suggestion_id": suggestion})  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    revealed = next(i.name for i in identities if i.jobseeker_id == codes[code])
    others = client.post("/proposals", headers=company, json={
        "jobseeker_code": by_id[mine[-1]], "task_ids": [int(task.id)], "reason": "x"})  # fmt: skip
    values = {
        "jobseeker_id": codes[code], "proposal_id": proposed.json()["id"],
        "suggestion_id": suggestion, "task_id": shown_task, "employer_id": employer,
        "role_id": int(task.role_id), "version": "default-2026.12", "other": "default-2026.12",
        "handoff_id": 1, "request_id": asked.json()["id"], "need_id": 1, "visit_id": 1, "referral_id": 1,
        "step_id": 1, "fmt": "csv", "run_id": 1, "event_id": 1,
        "name": "coord",
    }  # fmt: skip
    bodies = {
        "/matches/candidates": {"task_ids": [shown_task], "k": 50},
        "/employers/{employer_id}/compose": {"k": 10},
        "/jobseekers/{jobseeker_id}/compose": {},
    }
    spec = client.app.openapi()
    answered_ok, leaks = [], []
    for template, operations in spec["paths"].items():
        for method in operations:
            if (method.upper(), template) in WRITES_LEFT_OUT:
                continue
            path = _fill(template, values)
            if method == "get":
                response = client.get(path, headers=rekry)
            else:
                response = client.request(method.upper(), path, headers=rekry,
                                          json=bodies.get(template, {}))  # fmt: skip
            assert response.status_code < 500, (method, template, response.text)
            if response.status_code == 200:
                answered_ok.append(f"{method.upper()} {template}")
            if "json" not in response.headers.get("content-type", ""):
                continue
            body = response.json()
            for where, key, value in _walk(body):
                kept = key in KEPT_FROM_EMPLOYER_SIDE and value not in (None, "", {}, [], False)
                if kept or (key == "status" and value in PERSON_STATUSES):
                    leaks.append(f"{method.upper()} {template}: {where}.{key} = {value!r:.60}")
            text = response.text
            for identity in identities:
                for field in (identity.name, identity.email, identity.phone):
                    if not field or field not in text:
                        continue
                    if field == revealed and template == "/candidate-requests":
                        continue  # the coordinator said yes to this worker's request
                    leaks.append(f"{method.upper()} {template}: identity {field!r}")
            for hidden in not_shared:
                if re.search(rf"\b{re.escape(hidden)}\b", text):
                    leaks.append(f"{method.upper()} {template}: code {hidden} (not shared)")
    assert not leaks, "\n".join(leaks)
    # The walk bites: the worker's day is answered, not refused wholesale.
    for needed in ("POST /matches/candidates", "GET /proposals/{proposal_id}",
                   "GET /candidate-requests", "POST /employers/{employer_id}/compose",
                   "GET /tasks/{task_id}/what-if", "GET /employers/{employer_id}"):  # fmt: skip
        assert needed in answered_ok, (needed, answered_ok)
    assert len(answered_ok) >= 15, answered_ok
    if others.status_code == 201:  # someone else's proposal is not theirs to read
        assert client.get(f"/proposals/{others.json()['id']}", headers=rekry).status_code == 404


ANSWERED_TO_THE_PROJECT_MANAGER = frozenset({
    "GET /health", "GET /me", "GET /supports", "GET /reports/programme",
    "GET /reports/programme.{fmt}", "PUT /me/contact",
})  # fmt: skip
"""Every operation that may answer the project manager (aggregates and their own details)."""


def test_every_operation_refuses_the_project_manager_but_the_report_and_their_own(service):
    """Read-only aggregates: walked over every operation of the API, the project manager is
    answered by the report and their own details alone — every other read or write is refused
    before anything is done — and no answer carries a person's name, code or a kept field."""
    client, tokens, area, mine, engine = service
    manager = auth(tokens["project_manager"])
    identities, people, task, employer = _world_facts(engine, area)
    values = {
        "jobseeker_id": mine[0], "proposal_id": 1, "suggestion_id": "x", "task_id": int(task.id),
        "employer_id": employer, "role_id": int(task.role_id), "version": "default-2026.12",
        "other": "default-2026.12", "handoff_id": 1, "request_id": 1, "need_id": 1,
        "visit_id": 1, "referral_id": 1, "step_id": 1, "fmt": "csv", "run_id": 1, "name": "pm",
        "event_id": 1,
    }  # fmt: skip
    contact = {"display_name": "Paula Projekti"}
    answered, leaks = set(), []
    for template, operations in client.app.openapi()["paths"].items():
        for method in operations:
            if (method.upper(), template) in WRITES_LEFT_OUT:
                continue
            body = contact if template.startswith("/me/") or template.startswith("/users/") else {}
            response = client.request(method.upper(), _fill(template, values), headers=manager,
                                      json=body)  # fmt: skip
            assert response.status_code < 500, (method, template, response.text)
            if response.status_code < 300:
                answered.add(f"{method.upper()} {template}")
            text = response.text
            leaks += [f"{method.upper()} {template}: identity" for i in identities
                      if i.name and i.name in text]  # fmt: skip
            leaks += [f"{method.upper()} {template}: code {p.code}" for p in people
                      if re.search(rf"\b{re.escape(p.code)}\b", text)]  # fmt: skip
            if response.content and "json" in response.headers.get("content-type", ""):
                leaks += [f"{method.upper()} {template}: {where}.{key}"
                          for where, key, value in _walk(response.json())
                          if key in KEPT_FROM_EMPLOYER_SIDE
                          and value not in (None, "", {}, [], False)]  # fmt: skip
    assert not leaks, "\n".join(leaks)
    assert answered - {"POST /auth/token"} <= ANSWERED_TO_THE_PROJECT_MANAGER, answered
    assert {"GET /reports/programme", "GET /me"} <= answered
