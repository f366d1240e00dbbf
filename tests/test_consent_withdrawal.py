"""A withdrawal of consent reaches everything an employer-facing worker was given and every
stored run: before, a Rekrypiste worker still saw the name an answered request had revealed
and the coordinator's "no" reason, could record events on its proposals of the person, and
the stored batch runs kept the person's scores."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from api.jobs.run_store import BatchRuns
from tests.conftest import API_WORLD as WORLD
from tests.conftest import api_client
from tests.test_api import auth
from tests.test_market_api import _run

pytestmark = pytest.mark.usefixtures("one_dask_cluster")  # one cluster for the module's runs


def _shown(client, token, codes) -> list[tuple[str, int, int]]:
    """(code, task, suggestion id) for every candidate of ``codes`` a Rekrypiste worker is
    shown for a hand-over task."""
    found = []
    for task in WORLD.tables["task"].query("task_type == 'hand_over'")["id"]:
        shown = client.post("/matches/candidates", json={"task_ids": [int(task)]},
                            headers=auth(token)).json()  # fmt: skip
        found += [(i["code"], int(task), shown["suggestion_id"]) for i in shown["items"]
                  if i["code"] in codes]  # fmt: skip
    return found


def test_a_withdrawal_hides_what_answers_revealed_and_stops_employer_side_events(
    service, database_url, tmp_path: Path
):
    _, tokens, area, mine, engine = service
    client = api_client(database_url, batch_dir=tmp_path / "batch", batch_workers=1)
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    caseload = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
    ids = {r["code"]: r["id"] for r in caseload["data"]}
    shown = _shown(client, tokens["rekrypiste"], set(ids))
    (yes_code, yes_task, yes_list) = shown[0]
    (no_code, no_task, no_list) = next(s for s in shown if s[0] != yes_code)
    answers = {}
    for code, task, suggestion, answer in ((yes_code, yes_task, yes_list, {"answer": "yes"}),
                                           (no_code, no_task, no_list, {"answer": "no", "note":
                                            "MARKER ei jaksa nyt"})):  # fmt: skip
        asked = client.post("/candidate-requests", headers=rekry, json={
            "jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion})  # fmt: skip
        assert asked.status_code == 201, asked.text
        answered = client.post(f"/candidate-requests/{asked.json()['id']}/answer", json=answer,
                               headers=company)  # fmt: skip
        assert answered.status_code == 200, answered.text
        answers[code] = asked.json()["id"]
    proposed = client.post("/proposals", headers=rekry, json={
        "jobseeker_code": yes_code, "task_ids": [yes_task], "suggestion_id": yes_list})  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    seen = {r["jobseeker_code"]: r for r in client.get("/candidate-requests", headers=rekry).json()}
    assert seen[yes_code]["name"] and seen[no_code]["answer_note"] == "MARKER ei jaksa nyt"
    _run(client, tokens["analyst"], 0)
    store = BatchRuns(tmp_path / "batch")
    (run,) = store.runs()
    people = [ids[yes_code], ids[no_code]]
    assert len(store.rows(run, "person_id", people)) > 0

    now = datetime.now(UTC).isoformat()
    for code in (yes_code, no_code):
        profile = client.get(f"/jobseekers/{ids[code]}", headers=company).json()["profile"]
        profile["consent"]["withdrawn_at"] = now
        changed = client.put(f"/jobseekers/{ids[code]}", json=profile, headers=company)
        assert changed.status_code == 200, changed.text

    seen = {r["jobseeker_code"]: r for r in client.get("/candidate-requests", headers=rekry).json()}
    assert seen[yes_code]["name"] is None, "the name an answer revealed is hidden again"
    assert seen[no_code]["answer_note"] == "", "the coordinator's reason is hidden"
    step = {"event": {"kind": "work_trial_started", "at": now}}
    refused = client.post(f"/proposals/{proposed.json()['id']}/events", json=step, headers=rekry)
    assert refused.status_code == 403 and "coordinator" in refused.json()["message"]
    own = client.post(f"/proposals/{proposed.json()['id']}/events", json=step, headers=company)
    assert own.status_code == 201, "the person's own coordinator still records what happens"
    assert len(store.rows(run, "person_id", people)) == 0, "the runs forgot the person's scores"
    mine_view = {r["jobseeker_code"]: r for r in client.get("/candidate-requests",
                                                             headers=company).json()}  # fmt: skip
    assert mine_view[yes_code]["name"], "the person's own coordinator still sees whom it is about"
