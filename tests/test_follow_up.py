"""After the hire: the follow-up plan, visits, support applications — and the supports' terms
as dated data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from features.errors import InvalidInputError
from features.schemas.dates import today_in_finland
from features.supports import load_supports, parse_supports
from tests.conftest import API_WORLD as WORLD
from tests.test_api import audit_rows, auth


def _hired_proposal(client, headers, code):
    task = int(WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[1])
    body = {"jobseeker_code": code, "task_ids": [task], "reason": "Oma valinta."}
    pid = client.post("/proposals", json=body, headers=headers).json()["id"]
    return pid


def _step(client, headers, pid, kind):
    event = {"event": {"kind": kind, "at": datetime.now(UTC).isoformat()}}
    response = client.post(f"/proposals/{pid}/events", json=event, headers=headers)
    assert response.status_code in (200, 201), response.text


def _steps_of(client, headers, jid):
    page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=headers).json()
    (row,) = [r for r in page["data"] if r["id"] == jid]
    return {s["step"] for s in row["next_steps"]}


def test_a_hire_gets_its_follow_up_plan_visits_and_supports(service):
    client, tokens, _, mine, _ = service
    company, assessor = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    jid = mine[4]
    code = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["code"]
    pid = _hired_proposal(client, company, code)
    today = today_in_finland(datetime.now(UTC))  # the service's day, not UTC's
    plan = {"contract_type": "fixed_term", "starts_on": today.isoformat(),
            "contract_end": (today + timedelta(days=10)).isoformat(),
            "coach_hours": [10, 8, 6, 4, 2]}  # fmt: skip
    early = client.put(f"/proposals/{pid}/follow-up/plan", json=plan, headers=company)
    assert early.status_code == 409, "follow-up comes after a hire"
    _step(client, company, pid, "work_trial_started")
    _step(client, company, pid, "hired")

    for bad, field in ((plan | {"contract_end": None}, "contract_end"),
                       (plan | {"coach_hours": [4, 6]}, "coach_hours")):  # fmt: skip
        refused = client.put(f"/proposals/{pid}/follow-up/plan", json=bad, headers=company)
        assert refused.status_code == 422 and field in refused.text
    saved = client.put(f"/proposals/{pid}/follow-up/plan", json=plan, headers=assessor)
    assert saved.status_code == 200 and saved.json()["updated_by"] == "tyokyky"
    assert "contract_ending" in _steps_of(client, company, jid)

    visit = {"planned_on": (today - timedelta(days=2)).isoformat(), "with_whom": "both"}
    vid = client.post(f"/proposals/{pid}/follow-up/visits", json=visit, headers=company).json()[
        "id"
    ]
    assert "visit_due" in _steps_of(client, company, jid)
    future = {"done_on": (today + timedelta(days=1)).isoformat(), "note": "x"}
    assert client.put(f"/proposals/{pid}/follow-up/visits/{vid}", json=future,
                      headers=company).status_code == 422  # fmt: skip
    done = {"done_on": today.isoformat(), "note": "Sujuu hyvin, valmentaja vähentää käyntejä."}
    made = client.put(f"/proposals/{pid}/follow-up/visits/{vid}", json=done, headers=company)
    assert made.status_code == 200 and made.json()["done_on"] == today.isoformat()
    assert "visit_due" not in _steps_of(client, company, jid)

    for status in ("applied", "granted"):
        body = {"support": "wage_subsidy", "status": status}
        assert client.put(f"/proposals/{pid}/follow-up/supports", json=body,
                          headers=company).status_code == 200  # fmt: skip
    got = client.get(f"/proposals/{pid}/follow-up", headers=company).json()
    assert got["plan"]["coach_hours"] == [10, 8, 6, 4, 2]
    assert [(s["support"], s["status"]) for s in got["supports"]] == [("wage_subsidy", "granted")]
    assert [v["note"] for v in got["visits"]] == [done["note"]]

    # Counted in the programme report from the record: the hire with its wage subsidy, the
    # visit made today.
    def report_of_today():
        params = {"from": today.isoformat(), "to": today.isoformat()}
        figures = client.get("/reports/programme", params=params,
                             headers=auth(tokens["analyst"])).json()["figures"]  # fmt: skip
        return {f["figure"]: f["value"] for f in figures if f["key"] is None}

    counted = report_of_today()
    assert counted["hires"] >= 1 and counted["hires_wage_subsidy"] >= 1
    assert counted["follow_up_visits_done"] >= 1
    body = {"support": "wage_subsidy", "status": "declined"}
    assert client.put(f"/proposals/{pid}/follow-up/supports", json=body,
                      headers=company).status_code == 200  # fmt: skip
    assert report_of_today()["hires_wage_subsidy"] == counted["hires_wage_subsidy"] - 1

    assert client.get(f"/proposals/{pid}/follow-up",
                      headers=auth(tokens["other_area"])).status_code == 404  # fmt: skip
    assert client.get(f"/proposals/{pid}/follow-up",
                      headers=auth(tokens["rekrypiste"])).status_code == 403  # fmt: skip
    terms = client.get("/supports", headers=auth(tokens["rekrypiste"])).json()
    assert terms["wage_subsidy"]["name"]["fi"] == "Palkkatuki"


def test_the_supports_are_dated_data_and_the_newest_valid_version_is_used():
    terms = parse_supports({"versions": [
        {"valid_from": "2025-01-01", "supports": {"wage_subsidy": {
            "name": {"fi": "Palkkatuki", "en": "Wage subsidy"},
            "amount": {"fi": "50 %", "en": "50 %"}, "conditions": {"fi": "-", "en": "-"}}}},
        {"valid_from": "2026-01-01", "supports": {"wage_subsidy": {
            "name": {"fi": "Palkkatuki", "en": "Wage subsidy"},
            "amount": {"fi": "70 %", "en": "70 %"}, "conditions": {"fi": "-", "en": "-"}}}},
    ]})  # fmt: skip
    assert terms.on(date(2025, 6, 1))["wage_subsidy"].amount.fi == "50 %"
    assert terms.on(date(2026, 1, 1))["wage_subsidy"].amount.fi == "70 %"
    assert terms.on(date(2024, 12, 31)) == {}
    with pytest.raises(InvalidInputError, match="unknown lottery"):
        parse_supports({"versions": [{"valid_from": "2025-01-01", "supports": {"lottery": {
            "name": {"fi": "x", "en": "x"}, "amount": {"fi": "x", "en": "x"},
            "conditions": {"fi": "x", "en": "x"}}}}]})  # fmt: skip
    assert set(load_supports().on(date(2026, 12, 1))) == {
        "wage_subsidy",
        "workplace_adjustment_subsidy",
        "job_coach",
    }


def test_a_work_trial_has_its_last_day_and_the_caseload_says_when_it_is_near(service):
    client, tokens, _, mine, _ = service
    company = auth(tokens["coordinator"])
    jid = mine[5]
    code = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["code"]
    pid = _hired_proposal(client, company, code)
    now = datetime.now(UTC)
    bad = {"event": {"kind": "work_trial_started", "at": now.isoformat(),
                     "until": (now - timedelta(days=1)).date().isoformat()}}  # fmt: skip
    refused = client.post(f"/proposals/{pid}/events", json=bad, headers=company)
    assert refused.status_code == 422 and "until" in refused.text
    ends = (now + timedelta(days=3)).date()
    good = {"event": {"kind": "work_trial_started", "at": now.isoformat(),
                      "until": ends.isoformat()}}  # fmt: skip
    assert client.post(f"/proposals/{pid}/events", json=good, headers=company).status_code in (
        200, 201)  # fmt: skip
    stored = client.get(f"/proposals/{pid}", headers=company).json()
    assert stored["events"][-1]["until"] == ends.isoformat()
    assert "trial_ending" in _steps_of(client, company, jid)
    assert "trial_running" not in _steps_of(client, company, jid)


def test_a_hire_places_the_person_who_then_leaves_matching_and_candidate_lists(service):
    """Placed means placed: a hire sets the person's status, so they are no longer matched nor
    on any task's candidate list; a work trial before it does not. The status change is a
    version of the profile and an audit row of its own."""
    client, tokens, _, mine, engine = service
    company = auth(tokens["coordinator"])
    hand_over = [int(t) for t in WORLD.tables["task"].query("task_type == 'hand_over'")["id"]]

    def candidates(task: int) -> set[str]:
        shown = client.post("/matches/candidates", json={"task_ids": [task], "k": 50},
                            headers=company).json()  # fmt: skip
        return {item["code"] for item in shown["items"]}

    codes = {jid: client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["code"]
             for jid in mine[5:]}  # fmt: skip
    jid, task = next((j, t) for t in hand_over for j in codes if codes[j] in candidates(t))
    code = codes[jid]
    pid = _hired_proposal(client, company, code)
    _step(client, company, pid, "work_trial_started")
    assert client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["status"] == (
        "active"
    )
    assert client.get(f"/jobseekers/{jid}/matches?k=5", headers=company).json()["items"]
    assert code in candidates(task)

    _step(client, company, pid, "hired")
    assert client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["status"] == (
        "placed"
    )
    matches = client.get(f"/jobseekers/{jid}/matches?k=5", headers=company)
    assert matches.status_code == 200 and matches.json()["items"] == [], matches.text
    assert code not in candidates(task)
    (placed,) = audit_rows(engine, action="status")
    assert placed.object_id == str(jid)
    assert placed.details == {"status": "placed", "before": "active", "because": "hired"}
