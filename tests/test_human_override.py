"""Human override both ways: a coordinator may propose what the engine excludes, with a
reason; the proposal keeps what the engine said, and the evaluation counts such proposals."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from api.storage.tables import JobseekerRow, ProposalRow
from tests.conftest import API_WORLD as WORLD
from tests.test_api import audit_rows, auth


def _pair_of_each_kind(client, headers, person_ids):
    """(person id, code, an excluded hand-over task, a task the engine suggests)."""
    hand_over = [int(t) for t in WORLD.tables["task"].query("task_type == 'hand_over'")["id"]]
    for jid in person_ids:
        matches = client.get(f"/jobseekers/{jid}/matches?k=5", headers=headers).json()
        if not matches["items"]:
            continue
        suggested = {item["task_id"] for item in matches["items"]}
        for task in hand_over[:40]:
            if task in suggested:
                continue
            answer = client.get(f"/jobseekers/{jid}/why-not/{task}", headers=headers).json()
            if not answer["feasible"]:
                code = client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]["code"]
                return jid, code, task, matches["items"][0]["task_id"], answer["failures"]
    raise AssertionError("the world has no matchable person with an excluded task")


def _proposals(engine):
    with engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))


def test_a_proposal_the_rules_exclude_needs_a_reason_and_is_kept_as_an_override(service):
    client, tokens, _, mine, engine = service
    headers = auth(tokens["coordinator"])
    jid, code, excluded, suggested, failures = _pair_of_each_kind(client, headers, mine)
    before = _proposals(engine)

    refused = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [excluded]},
                          headers=headers)  # fmt: skip
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "reason" and f"task {excluded}" in error["message"]
    assert _proposals(engine) == before, "nothing stored without the reason"

    reason = "Henkilö valitsi tämän itse; työkokeilu näyttää, riittääkö seisominen."
    body = {"jobseeker_code": code, "task_ids": [excluded], "reason": reason}
    created = client.post("/proposals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    stored = client.get(f"/proposals/{created.json()['id']}", headers=headers).json()
    assert stored["against_engine"] is True and stored["override_reason"] == reason
    assert set(stored["engine_said"][str(excluded)]) == set(failures)
    assert stored["proposed_by"] == "coord"
    (row,) = audit_rows(engine, action="propose", object_id=str(created.json()["id"]))
    assert row.details["against_engine"] is True
    assert reason not in str(row.details), "free text stays out of the audit trail"

    # What the engine suggests needs no reason, and is no override.
    plain = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [suggested]},
                        headers=headers)  # fmt: skip
    assert plain.status_code == 201, plain.text
    again = client.get(f"/proposals/{plain.json()['id']}", headers=headers).json()
    assert again["against_engine"] is False and again["engine_said"] == {}


def test_the_evaluation_counts_overrides_and_what_the_rules_would_recover(service):
    client, tokens, _, mine, engine = service
    headers = auth(tokens["coordinator"])
    with engine.begin() as c:  # every person of the area lets their history be evaluated
        c.execute(
            sa.update(JobseekerRow)
            .where(JobseekerRow.id.in_(mine))
            .values(consent_scope=["matching", "evaluation", "share_with_employers"])
        )
    jid, code, excluded, _, _ = _pair_of_each_kind(client, headers, mine)
    body = {"jobseeker_code": code, "task_ids": [excluded], "reason": "Oma valinta, kokeillaan."}
    pid = client.post("/proposals", json=body, headers=headers).json()["id"]
    now = datetime.now(UTC).isoformat()  # the proposal is recorded now; steps follow it
    for kind in ("work_trial_started", "hired"):
        event = {"event": {"kind": kind, "at": now}}
        recorded = client.post(f"/proposals/{pid}/events", json=event, headers=headers)
        assert recorded.status_code in (200, 201), recorded.text
    analyst = auth(tokens["analyst"])
    report = client.post("/evaluations", json={"coverage_sample": 10, "task_sample": 10},
                         headers=analyst).json()  # fmt: skip
    counts, metrics = report["a"]["counts"], report["a"]["metrics"]
    assert counts["proposals_against_engine"] == 1
    assert counts["successes_against_engine"] == 1
    # The rules still exclude it, so they recover none of it.
    assert metrics["overrides_recovered@10"] == 0.0


def test_a_composed_tailored_job_is_one_proposal_with_every_task(service):
    client, tokens, _, mine, _ = service
    rekry = auth(tokens["rekrypiste"])
    tasks = WORLD.tables["task"].query("task_type == 'hand_over'")
    employers = tasks.merge(WORLD.tables["role"], left_on="role_id", right_on="id")["employer_id"]
    for employer_id in employers.value_counts().index[:10]:
        answer = client.post(f"/employers/{int(employer_id)}/compose?k=5", headers=rekry).json()
        bundles = [i for i in answer.get("items", []) if len(i["task_ids"]) >= 2]
        if bundles:
            break
    else:
        raise AssertionError("no employer composition with a bundle of two tasks or more")
    item, suggestion = bundles[0], answer["suggestion_id"]
    body = {"jobseeker_code": item["code"], "task_ids": item["task_ids"],
            "suggestion_id": suggestion}  # fmt: skip
    # Only what the composition put forward for that candidate.
    extra = next(int(t) for t in tasks["id"] if int(t) not in item["task_ids"])
    forged = body | {"task_ids": [*item["task_ids"], extra]}
    refused = client.post("/proposals", json=forged, headers=rekry)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "suggestion_id"
    created = client.post("/proposals", json=body, headers=rekry)
    assert created.status_code == 201, created.text
    stored = client.get(f"/proposals/{created.json()['id']}", headers=rekry).json()
    assert sorted(stored["task_ids"]) == sorted(item["task_ids"])
    assert stored["suggestion_id"] == suggestion and stored["suggestion_position"] >= 1
    assert stored["against_engine"] is False


def test_what_coordinators_left_out_with_a_reason_is_a_guardrail(service):
    """Tasks a coordinator left out of a list with a reason: the evaluation counts how many of
    them the rule set would still put in its top k (here the rules are the ones that made
    the list, on the same world, so every one of them), per person for a paired interval."""
    from api.jobs.evaluation import read_history

    client, tokens, _, mine, engine = service
    headers = auth(tokens["coordinator"])
    with engine.begin() as c:
        c.execute(
            sa.update(JobseekerRow)
            .where(JobseekerRow.id.in_(mine))
            .values(consent_scope=["matching", "evaluation", "share_with_employers"])
        )
    left_out = 0
    for jid in mine:
        matches = client.get(f"/jobseekers/{jid}/matches?k=10", headers=headers).json()
        ids = [i["task_id"] for i in matches["items"]]
        if len(ids) < 3:
            continue
        body = {"chosen": ids[:1], "reason": "Työnantaja ei ota nyt ketään."}
        made = client.post(f"/suggestions/{matches['suggestion_id']}/overrides", json=body,
                           headers=headers)  # fmt: skip
        assert made.status_code == 201, made.text
        left_out += len(ids) - 1
    assert left_out
    with engine.connect() as c:
        history = read_history(c)
    assert len(history["override_left_out"]) == left_out
    report = client.post("/evaluations", json={"coverage_sample": 10, "task_sample": 10},
                         headers=auth(tokens["analyst"])).json()  # fmt: skip
    assert report["a"]["metrics"]["overrides_still_suggested"] == 1.0
