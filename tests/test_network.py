"""Hand-offs between a person's two coordinators, and a Rekrypiste worker's candidate
requests answered by the candidate's company coordinator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from api.http.csrf import SESSION
from tests.conftest import API_WORLD as WORLD
from tests.test_api import audit_rows, auth
from tests.test_web_security import _csrf


def _caseload_steps(client, token, jid):
    page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=auth(token)).json()
    (row,) = [r for r in page["data"] if r["id"] == jid]
    return [s["step"] for s in row["next_steps"]]


def _own(client, token) -> list[int]:
    """The ids in the coordinator's own caseload ("Omat asiakkaat")."""
    page = client.get("/jobseekers/caseload?scope=mine&limit=200", headers=auth(token)).json()
    return [r["id"] for r in page["data"]]


def test_a_hand_off_reaches_the_other_coordinator_who_takes_it_over(service):
    client, tokens, _, mine, engine = service
    jid = mine[0]
    assessor, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    note = "Toimintakyky arvioitu; lääkärin rajoitus seisomiselle. Valmis työnhakuun."
    own = client.post(f"/jobseekers/{jid}/handoffs",
                      json={"to_role": "work_ability_coordinator", "note": note}, headers=assessor)  # fmt: skip
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "to_role"
    created = client.post(f"/jobseekers/{jid}/handoffs",
                          json={"to_role": "company_coordinator", "note": note}, headers=assessor)  # fmt: skip
    assert created.status_code == 201, created.text
    hid = created.json()["id"]
    assert "handoff" in _caseload_steps(client, tokens["coordinator"], jid)
    assert "handoff" not in _caseload_steps(client, tokens["work_ability"], jid)
    # Only the receiving kind of coordinator, of the person's area, takes it over.
    assert client.post(f"/handoffs/{hid}/acknowledge", headers=assessor).status_code == 404
    other = client.post(f"/handoffs/{hid}/acknowledge", headers=auth(tokens["other_area"]))
    assert other.status_code == 404
    rekry = client.post(f"/handoffs/{hid}/acknowledge", headers=auth(tokens["rekrypiste"]))
    assert rekry.status_code == 403
    before = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["coordinator"]
    # Waiting, the person is on the receiver's own list (with the hand-off as the next step).
    assert before != "coord" and jid in _own(client, tokens["coordinator"])
    taken = client.post(f"/handoffs/{hid}/acknowledge", headers=company)
    assert taken.status_code == 200 and taken.json()["acknowledged_by"] == "coord"
    assert client.post(f"/handoffs/{hid}/acknowledge", headers=company).status_code == 409
    # Taking over transfers: the taker is the responsible coordinator, the person is theirs.
    assert (
        client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["coordinator"]
        == "coord"
    )
    assert jid in _own(client, tokens["coordinator"])
    (taking,) = audit_rows(engine, action="acknowledge_handoff")
    assert taking.details == {"handoff_id": hid, "responsible_before": before}
    assert "handoff" not in _caseload_steps(client, tokens["coordinator"], jid)
    listed = client.get(f"/jobseekers/{jid}/handoffs", headers=assessor).json()
    assert [(h["id"], h["note"], h["from_user"]) for h in listed] == [(hid, note, "tyokyky")]
    rows = audit_rows(engine, action="hand_off") + audit_rows(engine, action="acknowledge_handoff")
    assert len(rows) == 2 and all(note not in str(r.details) for r in rows)


def test_a_refused_hand_off_says_why_and_the_person_stays(service):
    client, tokens, _, mine, engine = service
    jid = mine[1]
    assessor, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    responsible = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    created = client.post(f"/jobseekers/{jid}/handoffs", headers=assessor,
                          json={"to_role": "company_coordinator", "note": "Valmis?"})  # fmt: skip
    hid = created.json()["id"]
    # Only the receiving kind of coordinator refuses, with a reason of some words.
    assert client.post(f"/handoffs/{hid}/refuse", json={"reason": "Ei."},
                       headers=assessor).status_code == 404  # fmt: skip
    assert client.post(f"/handoffs/{hid}/refuse", json={"reason": "x"},
                       headers=company).status_code == 422  # fmt: skip
    reason = "Lääkärin lausunto puuttuu vielä; palataan, kun se on tullut."
    refused = client.post(f"/handoffs/{hid}/refuse", json={"reason": reason}, headers=company)
    assert refused.status_code == 200, refused.text
    assert (refused.json()["refused_by"], refused.json()["refusal_reason"]) == ("coord", reason)
    # Closed either way: neither taken over nor refused again.
    assert client.post(f"/handoffs/{hid}/acknowledge", headers=company).status_code == 409
    assert client.post(f"/handoffs/{hid}/refuse", json={"reason": reason},
                       headers=company).status_code == 409  # fmt: skip
    # The person stays with their coordinators; the sender sees why, the receiver has no step.
    after = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    assert after["coordinator"] == responsible["coordinator"]
    assert "handoff_refused" in _caseload_steps(client, tokens["work_ability"], jid)
    assert "handoff" not in _caseload_steps(client, tokens["coordinator"], jid)
    assert jid not in _own(client, tokens["coordinator"])  # refused: not theirs
    listed = client.get(f"/jobseekers/{jid}/handoffs", headers=assessor).json()
    assert listed[0]["refusal_reason"] == reason
    timeline = client.get(f"/jobseekers/{jid}/timeline", headers=assessor).json()
    assert any(e["kind"] == "handoff_refused" and e["actor"] == "coord" for e in timeline)
    (row,) = audit_rows(engine, action="refuse_handoff")
    assert row.details == {"handoff_id": hid} and reason not in str(row.details)
    # A new hand-off supersedes the refusal on the sender's caseload.
    again = client.post(f"/jobseekers/{jid}/handoffs", headers=assessor,
                        json={"to_role": "company_coordinator", "note": "Lausunto tuli."})  # fmt: skip
    assert again.status_code == 201
    assert "handoff_refused" not in _caseload_steps(client, tokens["work_ability"], jid)


def test_a_hand_off_back_makes_the_taker_the_work_ability_coordinator(service):
    """The other way: the company coordinator hands the person back for a new assessment; the
    work-ability coordinator who takes it over becomes the one named, the company coordinator
    stays."""
    client, tokens, _, mine, engine = service
    jid = mine[1]
    assessor, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    person = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    assert person["work_ability_coordinator"] != "tyokyky"
    assert jid not in _own(client, tokens["work_ability"])
    created = client.post(f"/jobseekers/{jid}/handoffs", headers=company,
                          json={"to_role": "work_ability_coordinator", "note": "Uusi arvio."})  # fmt: skip
    assert created.status_code == 201, created.text
    taken = client.post(f"/handoffs/{created.json()['id']}/acknowledge", headers=assessor)
    assert taken.status_code == 200, taken.text
    after = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    assert after["work_ability_coordinator"] == "tyokyky"
    assert after["coordinator"] == person["coordinator"]
    assert jid in _own(client, tokens["work_ability"])


def _candidate(client, token, codes):
    """A code of ``codes`` the Rekrypiste worker is shown for a hand-over task, that task
    and the candidate list."""
    hand_over = WORLD.tables["task"].query("task_type == 'hand_over'")["id"]
    for task in hand_over:
        shown = client.post("/matches/candidates", json={"task_ids": [int(task)]},
                            headers=auth(token)).json()  # fmt: skip
        for item in shown["items"]:
            if item["code"] in codes:
                return item["code"], int(task), shown["suggestion_id"]
    raise AssertionError("no hand-over task has a candidate of the area")


def test_a_candidate_request_is_answered_and_only_a_yes_tells_the_name(service):
    client, tokens, _, mine, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    area = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
    code, task, suggestion = _candidate(client, tokens["rekrypiste"],
                                        {r["code"] for r in area["data"]})  # fmt: skip
    body = {"jobseeker_code": code, "task_ids": [task], "suggestion_id": suggestion,
            "note": "Työnantaja toivoo aloitusta ensi kuussa."}  # fmt: skip
    created = client.post("/candidate-requests", json=body, headers=rekry)
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    assert client.post("/candidate-requests", json=body, headers=rekry).status_code == 409
    unknown = client.post("/candidate-requests", json=body | {"jobseeker_code": "XX-NOBODY"},
                          headers=rekry)  # fmt: skip
    assert unknown.status_code == 404

    (asked,) = client.get("/candidate-requests", headers=rekry).json()
    assert asked["jobseeker_code"] == code and asked["name"] is None and asked["answer"] is None
    waiting = client.get("/candidate-requests?waiting=true", headers=company).json()
    (mine_to_answer,) = [r for r in waiting if r["id"] == rid]
    assert mine_to_answer["name"], "the coordinator knows whom it is about"
    person = next(r["id"] for r in client.get("/jobseekers/caseload?scope=area&limit=200",
                  headers=company).json()["data"] if r["code"] == code)  # fmt: skip
    assert "candidate_request" in _caseload_steps(client, tokens["coordinator"], person)

    assert client.post(f"/candidate-requests/{rid}/answer", json={"answer": "yes"},
                       headers=auth(tokens["work_ability"])).status_code == 403  # fmt: skip
    assert client.post(f"/candidate-requests/{rid}/answer", json={"answer": "yes"},
                       headers=auth(tokens["other_area"])).status_code == 404  # fmt: skip
    no_reason = client.post(f"/candidate-requests/{rid}/answer", json={"answer": "no"},
                            headers=company)  # fmt: skip
    assert no_reason.status_code == 422
    yes = client.post(f"/candidate-requests/{rid}/answer",
                      json={"answer": "yes", "note": "Soita minulle, sovitaan tapaaminen."},
                      headers=company)  # fmt: skip
    assert yes.status_code == 200 and yes.json()["answer"] == "yes"
    assert client.post(f"/candidate-requests/{rid}/answer", json={"answer": "discuss"},
                       headers=company).status_code == 409  # fmt: skip
    (answered,) = client.get("/candidate-requests", headers=rekry).json()
    assert answered["name"] == mine_to_answer["name"] and answered["answered_by"] == "coord"
    assert "candidate_request" not in _caseload_steps(client, tokens["coordinator"], person)
    (row,) = audit_rows(engine, action="answer_candidate_request")
    assert row.details == {"answer": "yes"}
    # From an old tab on the page: said at the requests (answered already), the yes stands.
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{person}")
    again = client.post(f"/ui/candidate-requests/{rid}/answer",
                        data={"csrf": _csrf(page.text), "choice": "discuss"})  # fmt: skip
    assert again.status_code == 200 and "Pyyntöön oli jo vastattu" in again.text
    assert "Vastaus kirjattu" not in again.text
    (answered,) = client.get("/candidate-requests", headers=rekry).json()
    assert answered["answer"] == "yes"


def test_a_persons_timeline_holds_everything_that_happened_newest_first(service):
    client, tokens, _, mine, _ = service
    jid = mine[3]
    assessor, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    profile = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    profile["goals"] = "Aamupäivät, lähellä kotia."
    assert client.put(f"/jobseekers/{jid}", json=profile, headers=company).status_code == 200
    body = {"to_role": "company_coordinator", "note": "Arvio valmis."}
    hid = client.post(f"/jobseekers/{jid}/handoffs", json=body, headers=assessor).json()["id"]
    assert client.post(f"/handoffs/{hid}/acknowledge", headers=company).status_code == 200
    task = int(WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])
    proposal = {"jobseeker_code": profile["code"], "task_ids": [task], "reason": "Oma valinta."}
    pid = client.post("/proposals", json=proposal, headers=company).json()["id"]
    entries = client.get(f"/jobseekers/{jid}/timeline", headers=assessor).json()
    kinds = [e["kind"] for e in entries]
    assert kinds[:4] in (
        ["proposed", "taken_over", "handed_over", "profile_changed"],
        ["proposed_against_engine", "taken_over", "handed_over", "profile_changed"],
    )
    assert entries[0]["about_id"] == pid and entries[0]["task_ids"] == [task]
    assert entries[1]["actor"] == "coord" and entries[2]["to_role"] == "company_coordinator"
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    other = client.get(f"/jobseekers/{jid}/timeline", headers=auth(tokens["other_area"]))
    assert other.status_code == 404
    assert client.get(f"/jobseekers/{jid}/timeline",
                      headers=auth(tokens["rekrypiste"])).status_code == 403  # fmt: skip


def test_a_candidate_request_names_only_a_list_that_showed_the_person(service):
    """A request's suggestion_id must be a list the asker was given that put forward this
    person and these tasks: any other (another's list, a list without them) is refused."""
    client, tokens, _, mine, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    area = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
    code, task, suggestion = _candidate(client, tokens["rekrypiste"],
                                        {r["code"] for r in area["data"]})  # fmt: skip
    other_task = next(t for t in WORLD.tables["task"]["id"].astype(int) if t != task)
    wrong_tasks = client.post("/candidate-requests", json={"jobseeker_code": code,
                              "task_ids": [other_task], "suggestion_id": suggestion},
                              headers=rekry)  # fmt: skip
    assert wrong_tasks.status_code == 422 and "suggestion_id" in wrong_tasks.text
    nobody_s = client.post("/candidate-requests", json={"jobseeker_code": code,
                           "task_ids": [task], "suggestion_id": 999_999}, headers=rekry)  # fmt: skip
    assert nobody_s.status_code == 404
    right = client.post("/candidate-requests", json={"jobseeker_code": code, "task_ids": [task],
                        "suggestion_id": suggestion}, headers=rekry)  # fmt: skip
    assert right.status_code == 201, right.text


def test_a_hand_off_is_refused_in_the_web_ui_with_the_reason_shown(service):
    from api.http.csrf import SESSION
    from tests.test_web_security import _csrf

    client, tokens, _, mine, engine = service
    jid = mine[2]
    created = client.post(f"/jobseekers/{jid}/handoffs", headers=auth(tokens["work_ability"]),
                          json={"to_role": "company_coordinator", "note": "Valmis työhön."})  # fmt: skip
    hid = created.json()["id"]
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert f'action="/ui/handoffs/{hid}/refuse"' in page.text and "Älä ota vastaan" in page.text
    form = {
        "jobseeker_id": str(jid),
        "reason": "Asiakas on sairauslomalla.",
        "csrf": _csrf(page.text),
    }
    done = client.post(f"/ui/handoffs/{hid}/refuse", data=form, follow_redirects=False)
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "Ei otettu vastaan: syy näytetään siirron tehneelle." in shown
    client.cookies.set(SESSION, tokens["work_ability"])
    theirs = client.get(f"/ui/jobseekers/{jid}").text
    assert "Asiakas on sairauslomalla." in theirs and "ei ottanut vastaan" in theirs
    caseload = client.get("/ui/jobseekers?scope=area").text
    assert "Siirtoasi ei otettu vastaan" in caseload


def test_the_way_back_from_a_hand_off_is_the_hand_offs_person_whatever_the_form_says(service):
    client, tokens, _, mine, _engine = service
    jid, other = mine[2], mine[3]
    created = client.post(f"/jobseekers/{jid}/handoffs", headers=auth(tokens["work_ability"]),
                          json={"to_role": "company_coordinator", "note": "Valmis."})  # fmt: skip
    hid = created.json()["id"]
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    form = {"csrf": _csrf(page.text), "jobseeker_id": str(other)}  # a forged person
    taken = client.post(f"/ui/handoffs/{hid}/acknowledge", data=form, follow_redirects=False)
    assert taken.headers["location"].startswith(f"/ui/jobseekers/{jid}?message=taken_over")
    again = client.post(f"/ui/handoffs/{hid}/acknowledge", data=form, follow_redirects=False)
    assert "message=handoff_closed_already" in again.headers["location"]
    shown = client.get(again.headers["location"].replace(str(other), str(jid)))
    assert "jo otettu vastaan tai siitä on kieltäydytty" in shown.text


def test_a_hand_off_refused_meanwhile_is_not_taken_over_too(service):
    """Two presses at once — one refusing, one taking over — close the hand-off once: the
    check is in the UPDATE (``update_once``), so the one that comes second writes nothing,
    is told who closed it, and the person's coordinator stays as it was."""
    from types import SimpleNamespace

    from sqlalchemy.orm import Session

    from api.people.handoffs import _close_once
    from api.storage.tables import HandoffRow, JobseekerRow
    from features.errors import ConflictError

    client, tokens, _, mine, engine = service
    jid = mine[2]
    assessor, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    created = client.post(f"/jobseekers/{jid}/handoffs", headers=assessor,
                          json={"to_role": "company_coordinator", "note": "Valmis."})  # fmt: skip
    hid = created.json()["id"]
    before = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["coordinator"]
    with Session(engine) as session:
        row = session.get_one(HandoffRow, hid)  # read open, as the second press read it
        assert row.acknowledged_at is None and row.refused_at is None
        refused = client.post(f"/handoffs/{hid}/refuse", headers=company,
                              json={"reason": "Ei tilaa nyt."})  # fmt: skip
        assert refused.status_code == 200, refused.text
        ctx = SimpleNamespace(session=session)
        with pytest.raises(ConflictError, match="refused by coord"):
            _close_once(ctx, row, {"acknowledged_by": "coord", "acknowledged_at": row.at})
    with engine.connect() as c:
        stored = c.execute(sa.select(HandoffRow.acknowledged_by, HandoffRow.refused_by)
                           .where(HandoffRow.id == hid)).one()  # fmt: skip
        coordinator = c.scalar(sa.select(JobseekerRow.coordinator).where(JobseekerRow.id == jid))
    assert tuple(stored) == (None, "coord") and coordinator == before


def test_a_second_hand_off_while_one_waits_is_refused(service):
    """A double press (or two tabs) makes one hand-off, not two that could be refused and
    taken over both: the second is 409 through the API and said on the page."""
    client, tokens, _, mine, engine = service
    jid = mine[3]
    assessor = auth(tokens["work_ability"])
    body = {"to_role": "company_coordinator", "note": "Valmis työnhakuun."}
    first = client.post(f"/jobseekers/{jid}/handoffs", json=body, headers=assessor)
    assert first.status_code == 201, first.text
    again = client.post(f"/jobseekers/{jid}/handoffs", json=body, headers=assessor)
    assert again.status_code == 409 and f"hand-off {first.json()['id']}" in again.text
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{jid}")
    pressed = client.post(f"/ui/jobseekers/{jid}/handoffs", follow_redirects=False,
                          data={"csrf": _csrf(page.text), **body})  # fmt: skip
    # Said at the hand-off's own form (its summary takes the focus), the note typed kept.
    assert pressed.status_code == 409
    summary = pressed.text[pressed.text.index('id="error-summary"') :]
    assert "siirto tälle koordinaattorille odottaa jo" in summary[:600]
    assert pressed.text.index('id="network"') < pressed.text.index('id="error-summary"')
    assert "Valmis työnhakuun.</textarea>" in pressed.text
    listed = client.get(f"/jobseekers/{jid}/handoffs", headers=assessor).json()
    assert len(listed) == 1
    # Once it is taken over, the person may be handed on again.
    taken = client.post(f"/handoffs/{first.json()['id']}/acknowledge",
                        headers=auth(tokens["coordinator"]))  # fmt: skip
    assert taken.status_code == 200
    assert client.post(f"/jobseekers/{jid}/handoffs", json=body,
                       headers=assessor).status_code == 201  # fmt: skip
