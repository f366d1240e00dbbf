"""Proposing with a note and a confirmation, withdrawing a proposal made in error (who, when and
why kept, audited; twice is a conflict; another area's is refused), and a task left out of a
person's list making room for the next one — through the API and the web UI's forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from api.http.csrf import SESSION
from api.storage.tables import ProposalRow
from tests.test_api import audit_rows, auth
from tests.test_undo import _hire, _task
from tests.test_web_security import _csrf

WHY = {"reason": "Tehty väärälle asiakkaalle."}


def _proposal(client, headers, code: str, **extra) -> int:
    made = client.post("/proposals", headers=headers, json={
        "jobseeker_code": code, "task_ids": [_task()], "reason": "oma valinta", **extra,
    })  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _code(client, headers, jid: int) -> str:
    return client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]["code"]


def _count(engine) -> int:
    with engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))


def test_a_proposal_is_withdrawn_with_who_when_and_why_once(service):
    client, tokens, _area, mine, engine = service
    company = auth(tokens["coordinator"])
    code = _code(client, company, mine[0])
    pid = _proposal(client, company, code, note="Soitettu työnantajalle, odottaa vastausta.")
    shown = client.get(f"/proposals/{pid}", headers=company).json()
    assert shown["note"] == "Soitettu työnantajalle, odottaa vastausta."
    assert shown["withdrawn_at"] is None
    url = f"/proposals/{pid}/withdraw"
    assert client.post(url, json={"reason": "x"}, headers=company).status_code == 422
    # Another area's coordinator does not reach it; a Rekrypiste worker did not make it.
    assert client.post(url, json=WHY, headers=auth(tokens["other_area"])).status_code == 404
    assert client.post(url, json=WHY, headers=auth(tokens["rekrypiste"])).status_code in (403, 404)
    assert client.post(url, json=WHY, headers=auth(tokens["analyst"])).status_code == 403
    before = datetime.now(UTC)
    done = client.post(url, json=WHY, headers=company)
    assert done.status_code == 200 and done.json() == {"status": "withdrawn"}, done.text
    shown = client.get(f"/proposals/{pid}", headers=company).json()
    at = datetime.fromisoformat(shown["withdrawn_at"])
    assert shown["withdrawn_by"] == "coord" and shown["withdraw_reason"] == WHY["reason"]
    assert before.replace(microsecond=0) <= at.replace(microsecond=0) <= datetime.now(UTC)
    assert at >= datetime.fromisoformat(shown["proposed_at"])
    # Audited, without the free text.
    (row,) = audit_rows(engine, action="withdraw_proposal", object_id=str(pid))
    assert row.actor == "coord" and WHY["reason"] not in str(row.details)
    # Twice: a conflict, nothing changed; nothing follows a withdrawn proposal.
    again = client.post(url, json={"reason": "Uudestaan."}, headers=company)
    assert again.status_code == 409 and "withdrawn already" in again.text
    after = client.get(f"/proposals/{pid}", headers=company).json()
    assert after["withdraw_reason"] == WHY["reason"]
    step = {"event": {"kind": "hired", "at": datetime.now(UTC).isoformat()}}
    assert client.post(f"/proposals/{pid}/events", json=step, headers=company).status_code == 409
    # It no longer stands: the same tasks can be proposed again.
    assert _proposal(client, company, code) != pid


def test_a_proposal_with_a_step_is_not_withdrawn_but_ended_by_its_steps(service):
    client, tokens, _area, mine, _engine = service
    company = auth(tokens["coordinator"])
    pid = _hire(client, company, _code(client, company, mine[1]))
    refused = client.post(f"/proposals/{pid}/withdraw", json=WHY, headers=company)
    assert refused.status_code == 409 and "steps recorded" in refused.text
    assert client.get(f"/proposals/{pid}", headers=company).json()["withdrawn_at"] is None


def test_the_note_and_the_withdrawal_reason_are_not_shown_to_others(service):
    client, tokens, _area, mine, _engine = service
    company, rekry = auth(tokens["coordinator"]), auth(tokens["rekrypiste"])
    pid = _proposal(client, company, _code(client, company, mine[2]), note="Terveydestä jotain.")
    assert client.get(f"/proposals/{pid}", headers=rekry).status_code in (403, 404)
    assert client.get(f"/proposals/{pid}", headers=auth(tokens["work_ability"])).json()["note"]


def _web(client, tokens, who="coordinator"):
    client.cookies.set(SESSION, tokens[who])


def test_the_confirmation_names_person_tasks_and_employer_and_stores_nothing(service):
    client, tokens, _area, mine, engine = service
    company = auth(tokens["coordinator"])
    jid = next(j for j in mine
               if client.get(f"/jobseekers/{j}/matches?k=5", headers=company).json()["items"])  # fmt: skip
    matches = client.get(f"/jobseekers/{jid}/matches?k=5", headers=company).json()
    task = matches["items"][0]["task_id"]
    _web(client, tokens)
    before = _count(engine)
    page = client.get(f"/ui/jobseekers/{jid}/propose",
                      params={"suggestion_id": matches["suggestion_id"], "task_id": task})  # fmt: skip
    assert page.status_code == 200, page.text
    assert "Tarkista ehdotus ennen kuin se kirjataan" in page.text
    assert "Testi" in page.text or _code(client, company, jid) in page.text
    assert f"Tehtävän numero {task}" in page.text and "Työnantaja" in page.text
    assert _count(engine) == before  # shown, not stored
    form = {"csrf": _csrf(page.text), "suggestion_id": str(matches["suggestion_id"]),
            "task_id": str(task), "note": "Sovittu haastattelu ensi viikolle."}  # fmt: skip
    done = client.post(f"/ui/jobseekers/{jid}/propose", data=form, follow_redirects=False)
    assert done.status_code == 303 and "message=proposed" in done.headers["location"]
    assert _count(engine) == before + 1
    shown = client.get(done.headers["location"]).text
    assert "Ehdotus kirjattu." in shown and "Sovittu haastattelu ensi viikolle." in shown
    # The task stays on the list, marked proposed with its number (not offered as new).
    item = shown[shown.index(f'href="/ui/jobseekers/{jid}/tasks/{task}"') :]
    item = item[: item.index("</li>")]
    assert "Ehdotettu jo (ehdotus nro" in item
    number = re.search(r"ehdotus nro (\d+)", item).group(1)
    assert f'href="#proposal-{number}"' in item and f'id="proposal-{number}"' in shown
    assert "Kirjaaminen ei lähetä mitään työnantajalle eikä henkilölle" in page.text
    # Confirmed twice (the back button): the first stands, said so; a second note is not lost
    # without a word — shown to copy, nothing stored.
    twice = client.post(f"/ui/jobseekers/{jid}/propose", data=form, follow_redirects=False)
    assert twice.status_code == 200 and "Muistiinpanoasi ei tallennettu" in twice.text
    assert "Sovittu haastattelu ensi viikolle." in twice.text and "Ehdotettu jo" in twice.text
    bare = client.post(f"/ui/jobseekers/{jid}/propose", data=form | {"note": ""},
                       follow_redirects=False)  # fmt: skip
    assert "message=already_proposed" in bare.headers["location"]
    assert _count(engine) == before + 1
    # A list that did not put the task forward: no confirmation to show.
    other = client.get(f"/ui/jobseekers/{jid}/propose",
                       params={"suggestion_id": matches["suggestion_id"], "task_id": 999_999})  # fmt: skip
    assert other.status_code == 404


def test_withdrawing_in_the_web_ui_is_said_at_the_form(service):
    client, tokens, _area, mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = mine[3]
    pid = _proposal(client, company, _code(client, company, jid))
    _web(client, tokens)
    page = client.get(f"/ui/jobseekers/{jid}")
    assert f'action="/ui/proposals/{pid}/withdraw"' in page.text
    url = f"/ui/proposals/{pid}/withdraw"
    short = client.post(url, data={"csrf": _csrf(page.text), "reason": ""})
    assert short.status_code == 422
    summary = short.text.index('id="error-summary"')
    assert summary < short.text.index(f'id="withdraw-p{pid}"')  # above its own form
    assert 'aria-invalid="true"' in short.text[summary:]
    done = client.post(url, data={"csrf": _csrf(page.text), "reason": "Väärä henkilö."},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "Ehdotus on peruttu" in shown and "Perunut coord" in shown and "Väärä henkilö." in shown
    assert "ei vaiheita ennen peruutusta" in shown
    assert f'action="/ui/proposals/{pid}/withdraw"' not in shown
    twice = client.post(url, data={"csrf": _csrf(shown), "reason": "Uudelleen."})
    assert twice.status_code == 409 and "Ehdotus oli jo peruttu" in twice.text
    other = auth(tokens["other_area"])
    assert client.post(f"/proposals/{pid}/withdraw", json=WHY, headers=other).status_code == 404


def _listed(html: str) -> list[int]:
    """The task numbers of the person page's hidden-job matches (fits, then to check), in order."""
    found = re.findall(r'<li class="match">\s*<h3><a href="/ui/jobseekers/\d+/tasks/(\d+)"', html)
    return [int(t) for t in found]


def test_a_task_left_out_makes_room_for_the_next_one(service):
    client, tokens, _area, mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = next(j for j in mine
               if len(client.get(f"/jobseekers/{j}/matches?k=11", headers=company).json()["items"]) == 11)  # fmt: skip
    eleven = [i["task_id"] for i in
              client.get(f"/jobseekers/{jid}/matches?k=11", headers=company).json()["items"]]  # fmt: skip
    _web(client, tokens)
    page = client.get(f"/ui/jobseekers/{jid}").text
    shown = _listed(page)
    assert len(shown) == 10
    suggestion = re.search(r'name="suggestion_id" value="(\d+)"', page).group(1)
    gone = shown[0]
    left = client.post(f"/ui/jobseekers/{jid}/overrides", follow_redirects=False, data={
        "csrf": _csrf(page), "suggestion_id": suggestion, "task_id": str(gone),
        "reason": "Työnantaja ei ota nyt ketään.",
    })  # fmt: skip
    assert left.status_code == 303, left.text
    after = client.get(f"/ui/jobseekers/{jid}").text
    again = _listed(after)
    assert len(again) == 10 and gone not in again
    assert sorted(again) == sorted(t for t in eleven if t != gone)  # the eleventh moved up


def test_every_status_of_the_comparison_has_its_words():
    """The comparison's status column names each row's status — a physician's restriction
    too (it was an empty cell)."""
    from api.core.texts import TEXTS, texts
    from matching.explain import _STATUSES

    assert set(_STATUSES) <= set(TEXTS)
    assert texts("fi")["hard_limit"] == "ylittää lääkärin rajoituksen"


def test_a_short_list_says_it_holds_every_task_that_fits(service):
    client, tokens, _area, mine, _engine = service
    company = auth(tokens["coordinator"])
    counts = {j: len(client.get(f"/jobseekers/{j}/matches?k=10", headers=company).json()["items"])
              for j in mine}  # fmt: skip
    short = next(j for j, n in counts.items() if 0 < n < 10)
    full = next(j for j, n in counts.items() if n == 10)
    _web(client, tokens)
    said = client.get(f"/ui/jobseekers/{short}").text
    n = counts[short]
    words = "tehtävä: se näkyy alla" if n == 1 else "tehtävää: kaikki näkyvät alla"
    assert f"Näillä ehdoilla sopii tai voisi sopia vain {n} {words}" in said
    assert (
        "Näillä ehdoilla sopii tai voisi sopia vain"
        not in client.get(f"/ui/jobseekers/{full}").text
    )
    assert "sopivuus voi olla myös alle nollan" in said
