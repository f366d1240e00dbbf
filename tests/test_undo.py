"""Undoing a step recorded by mistake: a service episode's latest event, or a proposal's latest
step (and the episode outcome it made) — kept whole among the undone steps, the status back to
what it was, audited without the reason; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import API_WORLD
from tests.test_api import audit_rows, auth
from tests.test_episodes import _new_client, _status

WHY = {"reason": "Kirjattu väärälle asiakkaalle."}


def _task() -> int:
    return int(API_WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])


def _hire(client, headers, code: str) -> int:
    proposal = client.post("/proposals", headers=headers,
                           json={"jobseeker_code": code, "task_ids": [_task()],
                                 "reason": "oma valinta"})  # fmt: skip
    assert proposal.status_code == 201, proposal.text
    pid = int(proposal.json()["id"])
    hired = client.post(f"/proposals/{pid}/events", headers=headers,
                        json={"event": {"kind": "hired", "at": datetime.now(UTC).isoformat()}})  # fmt: skip
    assert hired.status_code == 201, hired.text
    return pid


def _episode(client, headers, jid):
    return client.get(f"/jobseekers/{jid}/episodes", headers=headers).json()[0]


def test_a_mistaken_episode_step_is_undone_and_kept(service):
    client, tokens, area, _mine, engine = service
    assessor = auth(tokens["work_ability"])
    jid = _new_client(client, assessor, area, "JS-UNDO01")
    ended = client.post(f"/jobseekers/{jid}/episode/events", headers=assessor,
                        json={"kind": "ended", "path": "education", "note": "Väärä henkilö"})  # fmt: skip
    assert ended.status_code == 201 and _status(client, assessor, jid) == "ended"
    undo = f"/jobseekers/{jid}/episode/events/undo"
    assert client.post(undo, json={"reason": "x"}, headers=assessor).status_code == 422
    assert client.post(undo, json=WHY, headers=auth(tokens["other_area"])).status_code == 404
    assert client.post(undo, json=WHY, headers=auth(tokens["rekrypiste"])).status_code == 403
    done = client.post(undo, json=WHY, headers=assessor)
    assert done.status_code == 200, done.text
    episode = _episode(client, assessor, jid)
    assert (episode["status"], episode["events"], episode["ended_on"]) == ("active", [], None)
    assert _status(client, assessor, jid) == "active"
    assert client.post(undo, json=WHY, headers=assessor).status_code == 409  # nothing left
    # Nothing is lost: the step as it was, in the person's export, with who, when and why.
    export = client.get(f"/jobseekers/{jid}/export", headers=assessor).json()
    (kept,) = export["undone_steps"]
    assert kept["kind"] == "episode_event" and kept["reason"] == WHY["reason"]
    assert (kept["step"]["kind"], kept["step"]["path"], kept["step"]["note"]) == (
        "ended", "education", "Väärä henkilö"
    )  # fmt: skip
    (row,) = audit_rows(engine, action="undo_step")
    assert row.details["kind"] == "ended" and WHY["reason"] not in str(row.details)
    timeline = client.get(f"/jobseekers/{jid}/timeline", headers=assessor).json()
    assert any(e["kind"] == "undone" and e["actor"] == "tyokyky" for e in timeline)


def test_a_mistaken_hire_is_undone_at_the_proposal_with_its_episode_outcome(service):
    client, tokens, area, _mine, _engine = service
    company, assessor = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    jid = _new_client(client, company, area, "JS-UNDO02")
    pid = _hire(client, company, "JS-UNDO02")
    assert _status(client, company, jid) == "placed"
    assert [e["path"] for e in _episode(client, company, jid)["events"]] == ["employed"]
    # The episode's outcome came from the proposal: it is undone there, with it.
    direct = client.post(f"/jobseekers/{jid}/episode/events/undo", json=WHY, headers=company)
    assert direct.status_code == 409 and f"proposal {pid}" in direct.text
    # A hire is the company coordinator's step: the work-ability coordinator does not undo it.
    undo = f"/proposals/{pid}/events/undo"
    assert client.post(undo, json=WHY, headers=assessor).status_code == 403
    assert client.post(undo, json=WHY, headers=company).status_code == 200
    assert _status(client, company, jid) == "active"
    assert _episode(client, company, jid)["events"] == []
    assert client.get(f"/proposals/{pid}", headers=company).json()["events"] == []
    export = client.get(f"/jobseekers/{jid}/export", headers=company).json()
    assert sorted(u["kind"] for u in export["undone_steps"]) == ["episode_event", "proposal_step"]
    # Matched again, as before the mistake.
    answer = client.get(f"/jobseekers/{jid}/matches", headers=company).json()
    assert answer["not_matchable_reason"] != "not_active"


def test_a_step_with_later_episode_steps_is_not_undone_alone(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-UNDO03")
    pid = _hire(client, company, "JS-UNDO03")
    ended = client.post(f"/jobseekers/{jid}/episode/events", headers=company,
                        json={"kind": "ended", "path": "employed"})  # fmt: skip
    assert ended.status_code == 201
    refused = client.post(f"/proposals/{pid}/events/undo", json=WHY, headers=company)
    assert refused.status_code == 409 and "undo those first" in refused.text
    assert _status(client, company, jid) == "placed"  # nothing changed
    # Undone in order — the end, then the hire — it works.
    assert client.post(f"/jobseekers/{jid}/episode/events/undo", json=WHY,
                       headers=company).status_code == 200  # fmt: skip
    assert (
        client.post(f"/proposals/{pid}/events/undo", json=WHY, headers=company).status_code == 200
    )
    assert _status(client, company, jid) == "active"


def test_undo_in_the_web_ui_keeps_the_step_and_says_so(service):
    from api.http.csrf import SESSION
    from tests.test_web_security import _csrf

    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-UNDO04")
    pid = _hire(client, company, "JS-UNDO04")
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert f'action="/ui/proposals/{pid}/undo"' in page.text and "Peru: palkattu" in page.text
    assert (
        f"Viimeisin kirjaus tuli ehdotuksesta nro {pid}" in page.text
    )  # not undone in the episode
    form = {"jobseeker_id": str(jid), "reason": "Väärä henkilö.", "csrf": _csrf(page.text)}
    done = client.post(f"/ui/proposals/{pid}/undo", data=form, follow_redirects=False)
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "Kirjaus on peruttu." in shown
    assert "perui virheellisen kirjauksen: palkattu" in shown  # the timeline tells it
    assert _status(client, company, jid) == "active"
