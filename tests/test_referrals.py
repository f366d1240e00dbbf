"""Referrals onwards (#27, point 7, second part): the schema, the service on SQLite and
PostgreSQL (dates, answered or cancelled once, who may, the audit trail without the note), the
person page's forms, the statement awaited beside the capacities it will assess, the caseload
step, the timeline, and the demo world's referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from api.http.csrf import SESSION
from api.storage.tables import AuditRow, ReferralRow
from features.caseload import Step, attention, next_steps
from features.demo import build_world
from features.schemas.dates import today_in_finland
from features.schemas.referral import ReferralFields
from tests.test_api import audit_rows, auth
from tests.test_caseload import _frames
from tests.test_episodes import _new_client
from tests.test_web_security import _csrf

NOTE = "Asiakas kertoi unettomuudesta."


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


# --- the schema ----------------------------------------------------------------------------


def test_a_referral_names_known_characteristics_each_once_in_the_catalogues_order():
    fields = ReferralFields.model_validate(
        {"kind": "psychologist", "assesses": ["memory", "sitting", "memory"]}
    )
    assert fields.assesses == ["sitting", "memory"]
    with pytest.raises(ValidationError, match="characteristic"):
        ReferralFields.model_validate({"kind": "psychologist", "assesses": ["flying"]})
    with pytest.raises(ValidationError):
        ReferralFields.model_validate({"kind": "shaman"})
    with pytest.raises(ValidationError, match="at most 2000"):
        ReferralFields.model_validate({"kind": "other", "note": "x" * 2001})


def test_a_referral_due_is_a_step_near_the_agreed_step_due():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    proposals, events = _frames([(1, 10, now - timedelta(days=3), [])])
    last = {10: now - timedelta(days=1)}
    late = [(10, 5, date(2026, 11, 20), "psychologist")]
    agreed = [(10, 7, date(2026, 11, 30), "Soittaa")]
    steps = next_steps(proposals, events, last, {}, now, (), agreed, late)
    assert [s.step for s in steps[10]] == [
        Step.AGREED_STEP_DUE, Step.REFERRAL_DUE, Step.WAITING_ANSWER]  # fmt: skip
    (referral,) = [s for s in steps[10] if s.step is Step.REFERRAL_DUE]
    assert (referral.about_id, referral.what) == (5, "psychologist")
    alone = next_steps(proposals, events, last, {}, now, (), (), late)
    assert attention(alone[10]) > 0


# --- the service, on both databases ------------------------------------------------------------


def _make(client, headers, jid, status=201, **body):
    answer = client.post(f"/jobseekers/{jid}/referrals", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def _close(client, headers, jid, rid, status=200, **body):
    answer = client.post(f"/jobseekers/{jid}/referrals/{rid}/close", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def test_a_referral_made_answered_and_another_cancelled_once_each(service):
    client, tokens, area, _mine, engine = service
    company, work_ability = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    started = _today() - timedelta(days=40)
    jid = _new_client(client, company, area, "JS-REF001", started_on=started.isoformat())
    due = (_today() + timedelta(days=30)).isoformat()
    made = _make(client, work_ability, jid, kind="health_check", note=NOTE, due_on=due,
                 assesses=["memory", "lifting"], on=(started + timedelta(days=3)).isoformat())  # fmt: skip
    assert made["state"] == "open" and made["made_by"] == "tyokyky"
    assert made["assesses"] == ["lifting", "memory"] and not made["overdue"]
    other = _make(client, company, jid, kind="social_services")  # today, by default
    assert other["on"] == _today().isoformat() and other["due_on"] is None
    listed = client.get(f"/jobseekers/{jid}/referrals", headers=company).json()
    assert [r["id"] for r in listed] == [other["id"], made["id"]]  # newest first

    answered = _close(client, company, jid, made["id"], outcome="answered")
    assert (answered["state"], answered["closed_on"], answered["closed_by"]) == (
        "answered", _today().isoformat(), "coord")  # fmt: skip
    _close(client, company, jid, made["id"], status=409, outcome="cancelled")
    cancelled = _close(client, work_ability, jid, other["id"], outcome="cancelled")
    assert cancelled["state"] == "cancelled"
    _close(client, company, jid, other["id"], status=409, outcome="answered")
    _close(client, company, jid, 999999, status=404, outcome="answered")

    rows = audit_rows(engine, object_type="jobseeker", object_id=str(jid))
    actions = [r.action for r in rows]
    assert actions.count("make_referral") == 2 and actions.count("close_referral") == 2
    assert "read_referrals" in actions
    (first,) = [r for r in rows if r.action == "make_referral" and r.details["kind"] ==
                "health_check"]  # fmt: skip
    assert first.details["assesses"] == 2 and first.details["via"] == "api"
    with engine.connect() as c:
        details = " ".join(str(d) for d in c.scalars(sa.select(AuditRow.details)))
    assert NOTE not in details
    export = client.get(f"/jobseekers/{jid}/export", headers=company).json()
    assert len(export["referrals"]) == 2 and NOTE in str(export["referrals"])
    # The timeline tells them in words.
    entries = client.get(f"/jobseekers/{jid}/timeline", headers=company).json()
    kinds = [e["kind"] for e in entries if e["kind"].startswith("referral_")]
    assert sorted(kinds) == ["referral_answered", "referral_cancelled", "referral_made",
                             "referral_made"]  # fmt: skip
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "tyokyky teki lähetteen: työttömien terveystarkastus" in page.text
    assert "Lähete peruttiin (tyokyky): sosiaalipalvelut" in page.text


def test_a_referrals_dates_are_checked(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=20)
    jid = _new_client(client, company, area, "JS-REF002", started_on=started.isoformat())

    def refused(**body):
        return [(e["field"], e["message"]) for e in
                _make(client, company, jid, status=422, **body)["errors"]]  # fmt: skip

    ((field, message),) = refused(kind="physician", on=(_today() + timedelta(days=1)).isoformat())
    assert field == "on" and "is in the future" in message
    ((field, message),) = refused(kind="physician", on=(started - timedelta(days=1)).isoformat())
    assert message == f"is before the start of the client's first service episode ({started})"
    ((field, message),) = refused(kind="physician",
                                  due_on=(_today() - timedelta(days=1)).isoformat())  # fmt: skip
    assert field == "due_on" and "is in the past" in message
    ((field, message),) = refused(kind="physician",
                                  due_on=(_today() + timedelta(days=400)).isoformat())  # fmt: skip
    assert field == "due_on" and "too far ahead" in message
    made_on = started + timedelta(days=5)
    made = _make(client, company, jid, kind="psychologist", on=made_on.isoformat())
    answer = _close(client, company, jid, made["id"], status=422, outcome="answered",
                    on=(made_on - timedelta(days=1)).isoformat())  # fmt: skip
    assert answer["errors"][0]["field"] == "on"
    assert "before the referral was made" in answer["errors"][0]["message"]
    answer = _close(client, company, jid, made["id"], status=422, outcome="answered",
                    on=(_today() + timedelta(days=1)).isoformat())  # fmt: skip
    assert "is in the future" in answer["errors"][0]["message"]
    _close(client, company, jid, made["id"], status=422, outcome="lost")
    _close(client, company, jid, made["id"], outcome="answered", on=made_on.isoformat())


def test_only_the_persons_own_coordinators_reach_their_referrals(service):
    client, tokens, area, _mine, engine = service
    jid = _new_client(client, auth(tokens["coordinator"]), area, "JS-REF003")
    made = _make(client, auth(tokens["coordinator"]), jid, kind="rehabilitation")
    for role in ("analyst", "rekrypiste", "admin"):
        headers = auth(tokens[role])
        assert client.get(f"/jobseekers/{jid}/referrals", headers=headers).status_code == 403
        _make(client, headers, jid, status=403, kind="other")
        _close(client, headers, jid, made["id"], status=403, outcome="answered")
    other = auth(tokens["other_area"])
    assert client.get(f"/jobseekers/{jid}/referrals", headers=other).status_code == 404
    assert _make(client, other, jid, status=404, kind="other")["message"].startswith("no jobseeker")
    _close(client, other, jid, made["id"], status=404, outcome="answered")
    assert audit_rows(engine, action="refused", object_id=str(jid))
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ReferralRow)
                        .where(ReferralRow.jobseeker_id == jid)) == 1  # fmt: skip
        assert c.scalar(sa.select(ReferralRow.outcome).where(ReferralRow.id == made["id"])) is None


def test_a_referral_due_today_shows_on_the_caseload(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-REF004",
                      started_on=(_today() - timedelta(days=60)).isoformat())  # fmt: skip
    made = _make(client, company, jid, kind="psychologist",
                 due_on=(_today() + timedelta(days=3)).isoformat())  # fmt: skip

    def steps():
        page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
        (found,) = [r for r in page["data"] if r["id"] == jid]
        return found["next_steps"]

    assert "referral_due" not in {s["step"] for s in steps()}
    with engine.begin() as c:
        c.execute(sa.update(ReferralRow).where(ReferralRow.id == made["id"])
                  .values(due_on=_today()))  # fmt: skip
    (late,) = [s for s in steps() if s["step"] == "referral_due"]
    assert (late["about_id"], late["what"]) == (made["id"], "psychologist")
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/jobseekers?scope=area&limit=200")
    assert "Lähetteen vastausta odotetaan" in page.text and "psykologi" in page.text
    _close(client, company, jid, made["id"], outcome="answered")
    assert "referral_due" not in {s["step"] for s in steps()}


# --- the person page ---------------------------------------------------------------------------


def _form(client, token, jid, path="referrals", **values):
    client.cookies.set(SESSION, token)
    page = client.get(f"/ui/jobseekers/{jid}")
    assert page.status_code == 200
    form = {"kind": "", "on": "", "due_on": "", "note": "", "csrf": _csrf(page.text)} | values
    return client.post(f"/ui/jobseekers/{jid}/{path}", data=form, follow_redirects=False)


def test_the_person_page_makes_and_closes_a_referral_and_a_refused_one_keeps_everything(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-REF005")
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "Lähetteet" in page.text and 'id="referral-kind"' in page.text
    assert "Ei avoimia lähetteitä." in page.text

    past = (_today() - timedelta(days=2)).isoformat()
    refused = _form(client, tokens["work_ability"], jid, kind="psychologist", note=NOTE,
                    due_on=past, assesses=["memory", "attention"])  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert 'id="error-summary"' in text and "Lähetettä ei kirjattu" in text
    assert 'href="#referral-due"' in text and 'aria-describedby="err-referral-due"' in text
    assert '<option value="psychologist" selected>' in text and NOTE in text
    assert f'value="{past}"' in text
    assert 'value="memory" checked' in text and 'value="attention" checked' in text
    assert "Yhteydenottoa ei kirjattu" not in text  # the other sections' summaries stay away
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ReferralRow)
                        .where(ReferralRow.jobseeker_id == jid)) == 0  # fmt: skip
    assert _form(client, tokens["work_ability"], jid).status_code == 422  # no kind

    due = _today() + timedelta(days=14)
    sent = _form(client, tokens["work_ability"], jid, kind="psychologist", note=NOTE,
                 due_on=due.isoformat(), assesses=["memory", "standing"])  # fmt: skip
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?message=referral_made#referrals")
    shown = client.get(sent.headers["location"]).text
    assert "Lähete on kirjattu." in shown and "psykologi" in shown
    # The statement awaited, beside the characteristic it will assess: "standing" is rated
    # (by _new_client), "memory" is not, and is listed all the same.
    marker = f"Lausunto odotettavissa: psykologi, {due.day}.{due.month}.{due.year}"
    capacity = shown[shown.index('id="capacity"'):shown.index("</details>",
                                                              shown.index('id="capacity"'))]  # fmt: skip
    assert capacity.count(marker) == 2
    for name in ("Seisominen", "Muisti"):
        row = capacity[capacity.index(f">{name}</th>") :]
        assert marker in row[: row.index("</tr>")], name
    editor = client.get(f"/ui/jobseekers/{jid}/edit").text
    row = editor[editor.index('for="level_memory"') :]
    assert marker in row[: row.index("</th>")]

    (rid,) = [r.id for r in _rows(engine, jid)]
    wrong = _form(client, tokens["coordinator"], jid, f"referrals/{rid}/close", outcome="answered",
                  on=(_today() + timedelta(days=1)).isoformat())  # fmt: skip
    assert wrong.status_code == 422 and f'href="#referral-close-on-{rid}"' in wrong.text
    done = _form(client, tokens["coordinator"], jid, f"referrals/{rid}/close",
                 outcome="answered", on=_today().isoformat())  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].endswith(
        "message=referral_closed#referrals"
    )
    again = _form(client, tokens["coordinator"], jid, f"referrals/{rid}/close", outcome="cancelled")
    assert again.headers["location"].endswith("message=referral_closed_already#referrals")
    after = client.get(f"/ui/jobseekers/{jid}").text
    assert "Vastatut ja perutut (1)" in after and marker not in after
    (row,) = [r for r in audit_rows(engine, action="close_referral") if r.object_id == str(jid)]
    assert row.details["via"] == "web" and row.details["outcome"] == "answered"
    client.cookies.set("lang", "en")
    english = client.get(f"/ui/jobseekers/{jid}")
    assert "Referrals" in english.text and "Answered or cancelled (1)" in english.text
    client.cookies.delete("lang")


def _rows(engine, jid):
    with engine.connect() as c:
        return c.execute(sa.select(ReferralRow).where(ReferralRow.jobseeker_id == jid)).all()


# --- the demo world -------------------------------------------------------------------------


def test_the_demo_worlds_referrals_follow_their_mix_and_keep_the_rest_of_the_world(small_world):
    from features.demo.referrals import ASSUMED, STATEMENT_KINDS, ReferralMix

    referrals = small_world.tables["client_referral"]
    people = small_world.tables["jobseeker"]
    as_of = small_world.as_of
    assert referrals["id"].is_unique and (referrals["made_on"] <= as_of).all()
    share = referrals["jobseeker_id"].nunique() / len(people)
    assert abs(share - ASSUMED.referred_share) < 0.06
    assert referrals.groupby("jobseeker_id").size().max() <= 2
    counts = referrals["kind"].value_counts()
    assert counts.index[0] == "health_check"
    outcome = referrals["outcome"].fillna("open").value_counts(normalize=True)
    assert abs(outcome["answered"] - 0.7) < 0.07 and abs(outcome["cancelled"] - 0.1) < 0.05
    closed = referrals.dropna(subset=["outcome"])
    assert (closed["closed_on"] >= closed["made_on"]).all() and (closed["closed_on"] <= as_of).all()
    still = referrals[referrals["outcome"].isna()]
    overdue = still["due_on"].notna() & (still["due_on"] < as_of)
    assert 0 < overdue.sum() < len(still)
    # Never before the current episode began.
    episodes = small_world.tables["service_episode"]
    started = episodes[episodes["ended_on"].isna()].set_index("jobseeker_id")["started_on"]
    assert (referrals["made_on"] >= started.loc[referrals["jobseeker_id"]].to_numpy()).all()
    # A statement awaited names 1-4 characteristics the person has no rating for.
    rated = small_world.tables["capacity"].groupby("jobseeker_id")["characteristic_id"].agg(set)
    named = referrals[referrals["assesses"].map(len) > 0]
    assert len(named) > 0 and named["kind"].isin({k.value for k in STATEMENT_KINDS}).all()
    for person, assesses in zip(named["jobseeker_id"], named["assesses"], strict=True):
        assert 1 <= len(assesses) <= 4 and not set(assesses) & rated.get(person, set())

    rarely = build_world("small", seed=3, referrals=ReferralMix(referred_share=0.1))
    assert len(rarely.tables["client_referral"]) < len(referrals)
    for name, frame in small_world.tables.items():
        if name != "client_referral":
            pd.testing.assert_frame_equal(rarely.tables[name], frame)


def test_a_referral_counts_as_activity_on_the_caseload(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=90)
    jid = _new_client(client, company, area, "JS-REFACT", started_on=started.isoformat())
    with engine.begin() as c:  # entered long ago, nothing recorded since
        long_ago = datetime.now(UTC) - timedelta(days=60)
        c.execute(sa.text("UPDATE jobseeker SET created_at = :t, updated_at = :t WHERE id = :j"),
                  {"t": long_ago.replace(tzinfo=None), "j": jid})  # fmt: skip

    def steps():
        page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
        (found,) = [r for r in page["data"] if r["id"] == jid]
        return [s["step"] for s in found["next_steps"]], found["last_activity"]

    assert steps()[0][-1] == "no_activity"
    week_ago = _today() - timedelta(days=7)
    _make(client, company, jid, kind="psychologist", on=week_ago.isoformat())
    found, last = steps()
    assert "no_activity" not in found and datetime.fromisoformat(last).date() == week_ago
