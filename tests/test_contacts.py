"""Meetings and contacts with a client, and the next step agreed in them (#27, point 7): the
schema and the due-date rule, the API on SQLite and PostgreSQL (dates, who may, the audit
trail without the note), the person page's form, the caseload and the timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from api.http.csrf import SESSION
from api.storage.tables import AuditRow, ContactRow
from features.caseload import Step, attention, next_steps
from features.schemas.contact import ContactFields, ContactKind, NextAgreedStep
from features.schemas.dates import due_problems, today_in_finland
from tests.test_api import audit_rows, auth
from tests.test_caseload import _frames
from tests.test_episodes import _new_client
from tests.test_web_security import _csrf

NOTE = "Kertoi jännittävänsä haastattelua."
STEP = "Päivittää CV:n ja lähettää sen"


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


# --- the schema and the due-date rule ------------------------------------------------------


def test_a_contact_happened_or_was_an_attempt():
    assert {k for k in ContactKind if not k.happened} == {
        ContactKind.CANCELLED, ContactKind.NO_SHOW, ContactKind.NOT_REACHED
    }  # fmt: skip
    assert ContactKind.VIDEO.happened and ContactKind.MESSAGE.happened


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ({"what": "   ", "due_on": "2026-12-10"}, "at least 1 character"),
        ({"what": "x" * 201, "due_on": "2026-12-10"}, "at most 200 characters"),
        ({"what": "Soittaa", "due_on": "huomenna"}, "valid date"),
        ({"what": "Soittaa"}, "Field required"),
    ],
)
def test_a_next_step_says_what_and_by_when(step, said):
    with pytest.raises(ValidationError, match=said):
        ContactFields.model_validate({"kind": "met", "next_step": step})
    kept = NextAgreedStep(what="  Soittaa työnantajalle ", due_on=date(2026, 12, 10))
    assert kept.what == "Soittaa työnantajalle"


LATE_EVENING_UTC = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
"""01:30 on 7 December in Helsinki."""


def test_a_step_is_due_from_finlands_today_to_a_year_ahead():
    today = date(2026, 12, 7)
    assert due_problems("d", today, LATE_EVENING_UTC, within_days=366) == []
    (past,) = due_problems("d", date(2026, 12, 6), LATE_EVENING_UTC, within_days=366)
    assert (past.field, past.kind) == ("d", "due_in_past")
    assert due_problems("d", today + timedelta(days=366), LATE_EVENING_UTC, within_days=366) == []
    (far,) = due_problems("d", today + timedelta(days=367), LATE_EVENING_UTC, within_days=366)
    assert far.kind == "due_too_far" and far.context["latest"] == today + timedelta(days=366)


def test_the_agreed_step_shows_on_the_caseload_when_due_and_an_upcoming_one_is_no_urgency():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    day = timedelta(days=1)
    proposals, events = _frames([(1, 10, now - 3 * day, [])])
    last = {p: now - day for p in (10, 11, 12)}
    agreed = [(10, 7, date(2026, 11, 30), "Soittaa"), (11, 8, date(2026, 12, 1), "CV"),
              (12, 9, date(2026, 12, 9), "Käy työpaikalla")]  # fmt: skip
    steps = next_steps(proposals, events, last, {}, now, (), agreed)
    assert [s.step for s in steps[10]] == [Step.AGREED_STEP_DUE, Step.WAITING_ANSWER]
    assert steps[10][0].what == "Soittaa" and steps[10][0].about_id == 7
    assert steps[10][0].since == datetime(2026, 11, 30, tzinfo=UTC)
    assert [s.step for s in steps[11]] == [Step.AGREED_STEP_DUE]  # due today: due
    assert [s.step for s in steps[12]] == [Step.AGREED_STEP]
    assert attention(steps[12]) == 0 < attention(steps[11])
    quiet = next_steps(proposals, events, {12: now - 40 * day}, {}, now, (), agreed[2:])
    assert attention(quiet[12]) == attention([s for s in quiet[12] if s.step is Step.NO_ACTIVITY])


# --- the API, on both databases ----------------------------------------------------------------


def _contacts(client, headers, jid):
    answer = client.get(f"/jobseekers/{jid}/contacts", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _record(client, headers, jid, status=201, **body):
    answer = client.post(f"/jobseekers/{jid}/contacts", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def test_contacts_and_the_next_agreed_step_from_agreed_to_done(service):
    client, tokens, area, _mine, engine = service
    company, work_ability = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    started = _today() - timedelta(days=30)
    jid = _new_client(client, company, area, "JS-CONT01", started_on=started.isoformat())
    assert _contacts(client, company, jid) == {"data": [], "open_step": None}

    due = (_today() + timedelta(days=7)).isoformat()
    met = _record(client, work_ability, jid, kind="met", on=(started + timedelta(days=2))
                  .isoformat(), note=NOTE, next_step={"what": STEP, "due_on": due})  # fmt: skip
    assert met["happened"] and met["step_state"] == "open" and met["recorded_by"] == "tyokyky"
    missed = _record(client, company, jid, kind="no_show")  # today, by default
    assert missed["on"] == _today().isoformat() and not missed["happened"]
    listed = _contacts(client, company, jid)
    assert [c["kind"] for c in listed["data"]] == ["no_show", "met"]  # newest first
    assert listed["open_step"] == {"what": STEP, "due_on": due, "contact_id": met["id"],
                                   "agreed_on": met["on"], "overdue": False}  # fmt: skip

    # A phone call finds the step done; nothing is open then.
    done = _record(client, company, jid, kind="phoned", step_done=True)
    assert done["closes_step_of"] == met["id"]
    listed = _contacts(client, company, jid)
    assert listed["open_step"] is None
    (first,) = [c for c in listed["data"] if c["id"] == met["id"]]
    assert (first["step_state"], first["step_done_on"]) == ("done", _today().isoformat())
    # A new step supersedes the one open; a back-dated contact's step is superseded at once.
    later = (_today() + timedelta(days=14)).isoformat()
    video = _record(client, company, jid, kind="video", next_step={"what": "A", "due_on": due})
    newer = _record(client, company, jid, kind="message", next_step={"what": "B", "due_on": later})
    old = _record(client, company, jid, kind="phoned", on=(started + timedelta(days=5)).isoformat(),
                  next_step={"what": "C", "due_on": due})  # fmt: skip
    assert old["step_state"] == "superseded"
    states = {c["id"]: c["step_state"] for c in _contacts(client, company, jid)["data"]}
    assert (states[video["id"]], states[newer["id"]], states[old["id"]]) == (
        "superseded", "open", "superseded")  # fmt: skip
    assert _contacts(client, company, jid)["open_step"]["what"] == "B"

    # Every write and read audited, with ids and kinds, never the note nor what was agreed.
    rows = audit_rows(engine, object_type="jobseeker", object_id=str(jid))
    actions = [r.action for r in rows]
    assert actions.count("record_contact") == 6 and "read_contacts" in actions
    (closing,) = [r for r in rows if r.action == "record_contact"
                  and r.details["closes_step_of"] == met["id"]]  # fmt: skip
    assert closing.details["kind"] == "phoned" and closing.details["via"] == "api"
    with engine.connect() as c:
        details = " ".join(str(d) for d in c.scalars(sa.select(AuditRow.details)))
    assert NOTE not in details and STEP not in details
    # The export holds every contact, notes and steps included.
    export = client.get(f"/jobseekers/{jid}/export", headers=company).json()
    assert len(export["contacts"]) == 6
    assert NOTE in str(export["contacts"]) and STEP in str(export["contacts"])


def test_a_contacts_dates_are_checked(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=20)
    jid = _new_client(client, company, area, "JS-CONT02", started_on=started.isoformat())

    def refused(**body):
        answer = _record(client, company, jid, status=422, **body)
        return [(e["field"], e["message"]) for e in answer["errors"]]

    tomorrow, yesterday = _today() + timedelta(days=1), _today() - timedelta(days=1)
    ((field, message),) = refused(kind="met", on=tomorrow.isoformat())
    assert field == "on" and "is in the future" in message
    before = (started - timedelta(days=1)).isoformat()
    ((field, message),) = refused(kind="phoned", on=before)
    assert message == f"is before the start of the client's first service episode ({started})"
    ((field, message),) = refused(kind="met", next_step={"what": "X", "due_on": str(yesterday)})
    assert field == "next_step.due_on" and "is in the past" in message
    far = (_today() + timedelta(days=400)).isoformat()
    ((field, message),) = refused(kind="met", next_step={"what": "X", "due_on": far})
    assert field == "next_step.due_on" and "too far ahead" in message
    ((field, message),) = refused(kind="met", step_done=True)
    assert field == "step_done" and "no agreed step is open" in message
    # A step is found done no earlier than the contact that agreed it.
    agreed_on = started + timedelta(days=10)
    _record(client, company, jid, kind="met", on=agreed_on.isoformat(),
            next_step={"what": "X", "due_on": _today().isoformat()})  # fmt: skip
    ((field, message),) = refused(kind="phoned", on=(agreed_on - timedelta(days=1)).isoformat(),
                                  step_done=True)  # fmt: skip
    assert field == "on" and "before the contact where the step was agreed" in message
    assert refused(kind="seen")[0][0] == "kind"
    assert refused(kind="met", extra=1)[0][0] == "extra"
    # A later episode does not move the bound: the first episode's start is it.
    ended = {"kind": "ended", "path": "job_search", "on": (started + timedelta(days=3))
             .isoformat()}  # fmt: skip
    assert client.post(f"/jobseekers/{jid}/episode/events", json=ended,
                       headers=company).status_code == 201  # fmt: skip
    assert client.post(f"/jobseekers/{jid}/episodes", json={}, headers=company).status_code == 201
    _record(client, company, jid, kind="not_reached", on=(started + timedelta(days=1)).isoformat())


def test_only_the_persons_own_coordinators_reach_their_contacts(service):
    client, tokens, area, _mine, engine = service
    jid = _new_client(client, auth(tokens["coordinator"]), area, "JS-CONT03")
    for role in ("analyst", "rekrypiste", "admin"):
        assert client.get(f"/jobseekers/{jid}/contacts",
                          headers=auth(tokens[role])).status_code == 403, role  # fmt: skip
        answer = client.post(f"/jobseekers/{jid}/contacts", json={"kind": "met"},
                             headers=auth(tokens[role]))  # fmt: skip
        assert answer.status_code == 403, role
    other = auth(tokens["other_area"])
    assert client.get(f"/jobseekers/{jid}/contacts", headers=other).status_code == 404
    answer = client.post(f"/jobseekers/{jid}/contacts", json={"kind": "met"}, headers=other)
    assert answer.status_code == 404 and "no jobseeker" in answer.json()["message"]
    assert client.get("/jobseekers/999999/contacts",
                      headers=auth(tokens["coordinator"])).status_code == 404  # fmt: skip
    assert audit_rows(engine, action="refused", object_id=str(jid))
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ContactRow)
                        .where(ContactRow.jobseeker_id == jid)) == 0  # fmt: skip


def test_the_caseload_shows_the_agreed_step_and_counts_a_contact_as_activity(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=90)
    jid = _new_client(client, company, area, "JS-CONT04", started_on=started.isoformat())
    with engine.begin() as c:  # entered long ago, nothing recorded since
        long_ago = datetime.now(UTC) - timedelta(days=60)
        c.execute(sa.text("UPDATE jobseeker SET created_at = :t, updated_at = :t WHERE id = :j"),
                  {"t": long_ago.replace(tzinfo=None), "j": jid})  # fmt: skip

    def row():
        page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
        (found,) = [r for r in page["data"] if r["id"] == jid]
        return found

    assert [s["step"] for s in row()["next_steps"]][-1] == "no_activity"
    # A contact a week ago: no longer quiet, and the step agreed shows with its due date.
    week_ago = _today() - timedelta(days=7)
    due = _today() + timedelta(days=10)
    contact = _record(client, company, jid, kind="phoned", on=week_ago.isoformat(),
                      next_step={"what": STEP, "due_on": due.isoformat()})  # fmt: skip
    shown = row()
    assert datetime.fromisoformat(shown["last_activity"]).date() == week_ago
    assert [s["step"] for s in shown["next_steps"] if s["step"] != "assess"] == ["agreed_step"]
    (step,) = [s for s in shown["next_steps"] if s["step"] == "agreed_step"]
    assert (step["what"], step["about_id"], step["since"][:10]) == (STEP, contact["id"],
                                                                   due.isoformat())  # fmt: skip
    # Its day past and not found done: due, ahead of the rest, and the person more urgent.
    before = shown["attention"]
    with engine.begin() as c:
        c.execute(sa.update(ContactRow).where(ContactRow.id == contact["id"])
                  .values(next_step_due=_today() - timedelta(days=3)))  # fmt: skip
    overdue = row()
    assert overdue["next_steps"][0]["step"] == "agreed_step_due"
    assert overdue["attention"] > before
    assert _contacts(client, company, jid)["open_step"]["overdue"] is True
    # Found done: off the caseload.
    _record(client, company, jid, kind="met", step_done=True)
    assert not {"agreed_step", "agreed_step_due"} & {s["step"] for s in row()["next_steps"]}


def test_the_timeline_tells_contacts_in_words(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-CONT05")
    due = _today() + timedelta(days=5)
    _record(client, company, jid, kind="cancelled")
    _record(client, company, jid, kind="video", next_step={"what": STEP, "due_on": str(due)})
    entries = client.get(f"/jobseekers/{jid}/timeline", headers=company).json()
    contacts = [e for e in entries if e["kind"] == "contact"]
    assert [e["contact"] for e in contacts] == ["video", "cancelled"]
    assert contacts[0]["due_on"] == due.isoformat() and contacts[0]["actor"] == "coord"
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "Yhteydenotto asiakkaaseen (coord): videopuhelu" in page.text
    assert "Yhteydenotto asiakkaaseen (coord): asiakas perui" in page.text


# --- the person page's form ---------------------------------------------------------------------


def _form(client, token, jid, **values):
    client.cookies.set(SESSION, token)
    page = client.get(f"/ui/jobseekers/{jid}")
    assert page.status_code == 200
    form = {"kind": "met", "on": "", "note": "", "step_what": "", "step_due": "",
            "csrf": _csrf(page.text)} | values  # fmt: skip
    return client.post(f"/ui/jobseekers/{jid}/contacts", data=form, follow_redirects=False)


def test_the_person_page_records_a_contact_and_a_refused_one_keeps_everything(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-CONT06")
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "Tapaamiset ja yhteydenotot" in page.text and 'id="contact-kind"' in page.text
    assert f'id="contact-on" name="on" type="date" required value="{_today()}"' in page.text
    assert "Seuraavaa askelta ei ole sovittu." in page.text

    past = (_today() - timedelta(days=2)).isoformat()
    refused = _form(client, tokens["work_ability"], jid, kind="video", note=NOTE,
                    step_what=STEP, step_due=past)  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert 'id="error-summary"' in text and "Yhteydenottoa ei kirjattu" in text
    assert 'href="#contact-due"' in text and 'aria-invalid="true" aria-describedby="err-' \
        'contact-due"' in text  # fmt: skip
    assert "Määräpäivä: aikaisintaan tänään" in text
    assert '<option value="video" selected>' in text and NOTE in text
    assert f'value="{STEP}"' in text and f'value="{past}"' in text
    assert "Palvelujaksoa ei kirjattu" not in text  # the other section's summary stays away
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ContactRow)
                        .where(ContactRow.jobseeker_id == jid)) == 0  # fmt: skip
    assert _form(client, tokens["work_ability"], jid, kind="").status_code == 422
    # Half a step (what, but not by when) is said to be missing its due date.
    half = _form(client, tokens["work_ability"], jid, kind="video", step_what=STEP)
    assert half.status_code == 422 and "Määräpäivä: täytä tämä kenttä." in half.text

    due = (_today() + timedelta(days=7)).isoformat()
    sent = _form(client, tokens["work_ability"], jid, kind="video", note=NOTE, step_what=STEP,
                 step_due=due)  # fmt: skip
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?message=contact_recorded#contacts")
    shown = client.get(sent.headers["location"])
    assert "Yhteydenotto on kirjattu." in shown.text and "videopuhelu" in shown.text
    assert f"Seuraava sovittu askel:</strong> {STEP}" in shown.text
    assert 'name="step_done"' in shown.text  # now there is a step to find done
    done = _form(client, tokens["coordinator"], jid, kind="phoned", step_done="on")
    assert done.status_code == 303
    (row,) = [r for r in audit_rows(engine, action="record_contact") if r.object_id == str(jid)
              and r.details["closes_step_of"]]  # fmt: skip
    assert row.details["via"] == "web" and row.actor == "coord"
    client.cookies.set("lang", "en")
    english = client.get(f"/ui/jobseekers/{jid}")
    assert "Meetings and contacts" in english.text and "the agreed step was done" in english.text
    client.cookies.delete("lang")
