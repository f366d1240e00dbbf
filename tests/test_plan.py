"""The client plan (#27, point 7): its steps — what, who, by when — on SQLite and PostgreSQL
(the date rules, done or dropped once, who may, the audit trail without the text), the person
page's Suunnitelma with its refused forms, the printable plan for the client (goals and steps,
nothing of capacities), the caseload step, the timeline, and the demo world's plans."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from api.http.csrf import SESSION
from api.storage.tables import AuditRow, PlanStepRow
from features.caseload import Step, attention, next_steps
from features.catalogue import CHARACTERISTICS
from features.demo import build_world
from features.schemas.dates import today_in_finland
from tests.test_api import audit_rows, auth
from tests.test_caseload import _frames
from tests.test_episodes import _new_client
from tests.test_web_security import _csrf

WHAT = "Päivittää CV:n ja lähettää sen KOKEILU-koordinaattorille."
REASON = "Asiakas muutti KOKEILU-suunnitelmaa."
GOALS = "Haluan osa-aikatyön keittiöstä KOKEILU-tavoite."


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


def _in(days: int) -> str:
    return (_today() + timedelta(days=days)).isoformat()


def _add(client, headers, jid, status=201, **body):
    answer = client.post(f"/jobseekers/{jid}/plan/steps", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def _close(client, headers, jid, sid, status=200, **body):
    answer = client.post(f"/jobseekers/{jid}/plan/steps/{sid}/close", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    return answer.json()


def _with_goals(client, headers, jid):
    profile = client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]
    saved = client.put(f"/jobseekers/{jid}", json=profile | {"goals": GOALS}, headers=headers)
    assert saved.status_code == 200, saved.text


# --- the caseload's step (pure) --------------------------------------------------------------


def test_a_plan_step_due_is_a_step_after_a_referral_due():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    proposals, events = _frames([(1, 10, now - timedelta(days=3), [])])
    last = {10: now - timedelta(days=1)}
    late = [(10, 5, date(2026, 11, 20), "psychologist")]
    planned = [(10, 8, date(2026, 11, 25), "Päivittää CV:n")]
    steps = next_steps(proposals, events, last, {}, now, (), (), late, planned)
    assert [s.step for s in steps[10]] == [
        Step.REFERRAL_DUE, Step.PLAN_STEP_DUE, Step.WAITING_ANSWER]  # fmt: skip
    (step,) = [s for s in steps[10] if s.step is Step.PLAN_STEP_DUE]
    assert (step.about_id, step.what, step.since.date()) == (
        8,
        "Päivittää CV:n",
        date(2026, 11, 25),
    )
    alone = next_steps(proposals, events, last, {}, now, (), (), (), planned)
    assert attention(alone[10]) > attention(next_steps(proposals, events, last, {}, now)[10])


# --- the service, on both databases ------------------------------------------------------------


def test_a_plan_with_steps_done_dropped_and_open_each_ended_once(service):
    client, tokens, area, _mine, engine = service
    company, work_ability = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    started = _today() - timedelta(days=40)
    jid = _new_client(client, company, area, "JS-PLAN01", started_on=started.isoformat())
    _with_goals(client, company, jid)
    first = _add(client, work_ability, jid, what=WHAT, who="client", due_on=_in(30),
                 agreed_on=(started + timedelta(days=2)).isoformat())  # fmt: skip
    assert first["state"] == "open" and first["agreed_by"] == "tyokyky" and not first["overdue"]
    other = _add(client, company, jid, what="Arvioivat työmäärän", who="other",
                 who_else="työkykykoordinaattori + lääkäri", due_on=_in(10))  # fmt: skip
    assert other["agreed_on"] == _today().isoformat()
    assert other["who_else"] == "työkykykoordinaattori + lääkäri"
    third = _add(client, company, jid, what="Etsii työkokeilupaikan", who="company_coordinator",
                 due_on=_in(60))  # fmt: skip

    plan = client.get(f"/jobseekers/{jid}/plan", headers=company).json()
    assert plan["goals"] == GOALS and plan["coordinator"] == "coord"  # the profile's
    assert [s["id"] for s in plan["steps"]] == [other["id"], first["id"], third["id"]]  # by due

    done = _close(client, company, jid, first["id"], outcome="done")
    assert (done["state"], done["closed_on"], done["closed_by"], done["reason"]) == (
        "done", _today().isoformat(), "coord", None)  # fmt: skip
    _close(client, company, jid, first["id"], status=409, outcome="dropped", reason=REASON)
    dropped = _close(client, work_ability, jid, other["id"], outcome="dropped", reason=REASON)
    assert dropped["state"] == "dropped" and dropped["reason"] == REASON
    _close(client, company, jid, other["id"], status=409, outcome="done")
    _close(client, company, jid, 999999, status=404, outcome="done")
    # Open first, then the ended ones.
    plan = client.get(f"/jobseekers/{jid}/plan", headers=company).json()
    assert plan["steps"][0]["id"] == third["id"]
    assert {s["state"] for s in plan["steps"][1:]} == {"done", "dropped"}

    rows = audit_rows(engine, object_type="jobseeker", object_id=str(jid))
    actions = [r.action for r in rows]
    assert actions.count("plan_step_added") == 3 and actions.count("plan_step_closed") == 2
    assert "read_plan" in actions
    (closing,) = [r for r in rows if r.action == "plan_step_closed"
                  and r.details["outcome"] == "dropped"]  # fmt: skip
    assert closing.details["step_id"] == other["id"] and closing.details["via"] == "api"
    with engine.connect() as c:
        details = " ".join(str(d) for d in c.scalars(sa.select(AuditRow.details)))
    assert "KOKEILU" not in details and "lääkäri" not in details
    export = client.get(f"/jobseekers/{jid}/export", headers=company).json()
    assert len(export["plan_steps"]) == 3
    assert WHAT in str(export["plan_steps"]) and REASON in str(export["plan_steps"])
    entries = client.get(f"/jobseekers/{jid}/timeline", headers=company).json()
    kinds = sorted(e["kind"] for e in entries if e["kind"].startswith("plan_step_"))
    assert kinds == ["plan_step_added"] * 3 + ["plan_step_done", "plan_step_dropped"]
    assert "KOKEILU" not in str(entries)
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "tyokyky sopi asiakkaan kanssa suunnitelman askeleen" in page.text
    assert "Suunnitelman askeleesta luovuttiin (tyokyky)" in page.text


def test_a_plan_steps_dates_and_words_are_checked(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=20)
    jid = _new_client(client, company, area, "JS-PLAN02", started_on=started.isoformat())
    step = {"what": "Hakee kahta työpaikkaa", "who": "client", "due_on": _in(7)}

    def refused(**changes):
        errors = _add(client, company, jid, status=422, **(step | changes))["errors"]
        return [(e["field"], e["message"]) for e in errors]

    ((field, message),) = refused(agreed_on=_in(1))
    assert field == "agreed_on" and "is in the future" in message
    ((field, message),) = refused(agreed_on=(started - timedelta(days=1)).isoformat())
    assert message == f"is before the start of the client's first service episode ({started})"
    ((field, message),) = refused(due_on=_in(-1))
    assert field == "due_on" and "is in the past" in message
    ((field, message),) = refused(due_on=_in(400))
    assert field == "due_on" and "too far ahead" in message
    assert refused(what="ab")[0][0] == "what"
    assert refused(what="x" * 301)[0][0] == "what"
    assert refused(who="nobody")[0][0] == "who"
    assert refused(who="other") == [("who_else", "name who does it, when it is someone else")]
    assert refused(who_else="lääkäri")[0][0] == "who_else"  # only for someone else
    _add(client, company, jid, **(step | {"due_on": _today().isoformat()}))  # due today: fine

    agreed = started + timedelta(days=5)
    made = _add(client, company, jid, **(step | {"agreed_on": agreed.isoformat()}))
    early = _close(client, company, jid, made["id"], status=422, outcome="done",
                   on=(agreed - timedelta(days=1)).isoformat())  # fmt: skip
    assert early["errors"][0]["field"] == "on"
    assert "before the step was agreed" in early["errors"][0]["message"]
    future = _close(client, company, jid, made["id"], status=422, outcome="done", on=_in(1))
    assert "is in the future" in future["errors"][0]["message"]
    no_reason = _close(client, company, jid, made["id"], status=422, outcome="dropped")
    assert no_reason["errors"][0]["field"] == "reason"
    assert _close(client, company, jid, made["id"], status=422, outcome="done",
                  reason="turha")["errors"][0]["field"] == "reason"  # fmt: skip
    _close(client, company, jid, made["id"], status=422, outcome="lost")
    closed = _close(client, company, jid, made["id"], outcome="done", on=agreed.isoformat())
    assert closed["closed_on"] == agreed.isoformat()


def test_only_the_persons_own_coordinators_reach_their_plan(service):
    client, tokens, area, mine, engine = service
    jid = _new_client(client, auth(tokens["coordinator"]), area, "JS-PLAN03")
    made = _add(client, auth(tokens["coordinator"]), jid, what="Hakee töitä", who="client",
                due_on=_in(5))  # fmt: skip
    for role in ("analyst", "rekrypiste", "admin"):
        headers = auth(tokens[role])
        assert client.get(f"/jobseekers/{jid}/plan", headers=headers).status_code == 403
        _add(client, headers, jid, status=403, what="Hakee töitä", who="client", due_on=_in(5))
        _close(client, headers, jid, made["id"], status=403, outcome="done")
    other = auth(tokens["other_area"])
    assert client.get(f"/jobseekers/{jid}/plan", headers=other).status_code == 404
    refused = _add(client, other, jid, status=404, what="Hakee töitä", who="client", due_on=_in(5))
    assert refused["message"].startswith("no jobseeker")
    _close(client, other, jid, made["id"], status=404, outcome="done")
    # Another person's step, through this person's address: 404.
    _close(client, auth(tokens["coordinator"]), mine[0], made["id"], status=404, outcome="done")
    assert audit_rows(engine, action="refused", object_id=str(jid))
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(PlanStepRow)
                        .where(PlanStepRow.jobseeker_id == jid)) == 1  # fmt: skip
        assert c.scalar(sa.select(PlanStepRow.outcome).where(PlanStepRow.id == made["id"])) is None
    # The printable plan: no such page for a role without the plan, nor for another area.
    for role in ("rekrypiste", "other_area"):
        client.cookies.set(SESSION, tokens[role])
        page = client.get(f"/ui/jobseekers/{jid}/plan/print")
        assert page.status_code == 404 and "Hakee töitä" not in page.text
    client.cookies.set(SESSION, tokens["coordinator"])
    assert "Hakee töitä" in client.get(f"/ui/jobseekers/{jid}/plan/print").text


def test_a_plan_step_due_today_shows_on_the_caseload_and_a_step_counts_as_activity(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-PLAN04",
                      started_on=(_today() - timedelta(days=90)).isoformat())  # fmt: skip
    with engine.begin() as c:  # entered long ago, nothing recorded since
        long_ago = datetime.now(UTC) - timedelta(days=60)
        c.execute(sa.text("UPDATE jobseeker SET created_at = :t, updated_at = :t WHERE id = :j"),
                  {"t": long_ago.replace(tzinfo=None), "j": jid})  # fmt: skip

    def steps():
        page = client.get("/jobseekers/caseload?scope=area&limit=200", headers=company).json()
        (found,) = [r for r in page["data"] if r["id"] == jid]
        return found["next_steps"], found["last_activity"]

    assert steps()[0][-1]["step"] == "no_activity"
    week_ago = _today() - timedelta(days=7)
    made = _add(client, company, jid, what="Käy työkokeilupaikassa", who="client", due_on=_in(3),
                agreed_on=week_ago.isoformat())  # fmt: skip
    found, last = steps()
    assert "no_activity" not in {s["step"] for s in found}
    assert datetime.fromisoformat(last).date() == week_ago
    assert "plan_step_due" not in {s["step"] for s in found}
    with engine.begin() as c:
        c.execute(sa.update(PlanStepRow).where(PlanStepRow.id == made["id"])
                  .values(due_on=_today()))  # fmt: skip
    (late,) = [s for s in steps()[0] if s["step"] == "plan_step_due"]  # due today: due
    assert (late["about_id"], late["what"]) == (made["id"], "Käy työkokeilupaikassa")
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/jobseekers?scope=area&limit=200")
    assert "Suunnitelman askel tehtävä" in page.text and "Käy työkokeilupaikassa" in page.text
    _close(client, company, jid, made["id"], outcome="done")
    assert "plan_step_due" not in {s["step"] for s in steps()[0]}


# --- the person page and the printed plan -------------------------------------------------------


def _form(client, token, jid, path="plan/steps", **values):
    client.cookies.set(SESSION, token)
    page = client.get(f"/ui/jobseekers/{jid}")
    assert page.status_code == 200
    form = {"csrf": _csrf(page.text)} | values
    return client.post(f"/ui/jobseekers/{jid}/{path}", data=form, follow_redirects=False)


def _rows(engine, jid):
    with engine.connect() as c:
        return c.execute(sa.select(PlanStepRow).where(PlanStepRow.jobseeker_id == jid)).all()


def test_the_person_page_adds_and_ends_steps_and_a_refused_form_keeps_everything(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-PLAN05")
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get(f"/ui/jobseekers/{jid}")
    assert "Suunnitelma" in page.text and 'id="plan-what"' in page.text
    assert "Suunnitelmassa ei ole avoimia askelia." in page.text

    past = (_today() - timedelta(days=2)).isoformat()
    refused = _form(client, tokens["work_ability"], jid, what=WHAT, who="other",
                    who_else="työhönvalmentaja", due_on=past, agreed_on=_today().isoformat())  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert 'id="error-summary"' in text and "Askelta ei tallennettu" in text
    assert 'href="#plan-due"' in text and 'aria-describedby="err-plan-due"' in text
    assert '<option value="other" selected>' in text and WHAT in text
    assert 'value="työhönvalmentaja"' in text and f'value="{past}"' in text
    assert "Lähetettä ei kirjattu" not in text  # the other sections' summaries stay away
    assert _rows(engine, jid) == []
    # Someone else, unnamed: said beside the field, what was typed kept.
    unnamed = _form(client, tokens["work_ability"], jid, what=WHAT, who="other", who_else="",
                    due_on=_in(5))  # fmt: skip
    assert unnamed.status_code == 422 and 'href="#plan-who-else"' in unnamed.text
    assert WHAT in unnamed.text
    assert _form(client, tokens["work_ability"], jid, what=WHAT, due_on=_in(5)).status_code == 422
    # An empty form says every missing field at once, not one a round.
    empty = _form(client, tokens["work_ability"], jid, what="", who="", due_on="")
    assert empty.status_code == 422
    for anchor in ("plan-what", "plan-who", "plan-due"):
        assert f'href="#{anchor}"' in empty.text, anchor

    # Someone else's name typed, then the client chosen: the name is not kept with the step.
    sent = _form(client, tokens["work_ability"], jid, what=WHAT, who="client",
                 who_else="unohtunut", due_on=_in(14), agreed_on=_today().isoformat())  # fmt: skip
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"].endswith("?message=step_planned#plan")
    shown = client.get(sent.headers["location"]).text
    assert "Askel on lisätty suunnitelmaan." in shown and WHAT in shown
    (row,) = _rows(engine, jid)
    assert (row.who, row.who_else) == ("client", "")

    wrong = _form(client, tokens["coordinator"], jid, f"plan/steps/{row.id}/close",
                  outcome="dropped", on=_today().isoformat(), reason="")  # fmt: skip
    assert wrong.status_code == 422 and f'href="#plan-close-reason-{row.id}"' in wrong.text
    future = _form(client, tokens["coordinator"], jid, f"plan/steps/{row.id}/close",
                   outcome="dropped", on=_in(1), reason=REASON)  # fmt: skip
    assert future.status_code == 422 and f'href="#plan-close-on-{row.id}"' in future.text
    assert f'value="{REASON}"' in future.text and f'value="{_in(1)}"' in future.text
    done = _form(client, tokens["coordinator"], jid, f"plan/steps/{row.id}/close",
                 outcome="done", on=_today().isoformat(), reason="ei luettu")  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"].endswith("message=planned_step_closed#plan")
    again = _form(client, tokens["coordinator"], jid, f"plan/steps/{row.id}/close",
                  outcome="dropped", reason=REASON)  # fmt: skip
    assert again.headers["location"].endswith("message=planned_step_closed_already#plan")
    (row,) = _rows(engine, jid)
    assert (row.outcome, row.reason) == ("done", None)
    after = client.get(f"/ui/jobseekers/{jid}").text
    assert "Tehdyt ja luovutut (1)" in after
    (audited,) = [r for r in audit_rows(engine, action="plan_step_closed")
                  if r.object_id == str(jid)]  # fmt: skip
    assert audited.details["via"] == "web" and audited.details["outcome"] == "done"
    client.cookies.set("lang", "en")
    english = client.get(f"/ui/jobseekers/{jid}")
    assert "Client plan" in english.text and "Done or dropped (1)" in english.text
    client.cookies.delete("lang")


def _capacity_words() -> set[str]:
    words = {"Toimintakyky", "Functional capacity", "lausunto", "statement", "rajoitus",
             "restriction", "physician", "kg"}  # fmt: skip
    for c in CHARACTERISTICS.values():
        for lang in ("fi", "en"):
            words.add(c.name(lang))
            words.update(level.text(lang) for level in c.levels)
    return {w for w in words if w}


def _capacity_words_in(page: str) -> list[str]:
    visible = re.sub(r"<[^>]+>", " ", page)
    return [w for w in _capacity_words()
            if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", visible, re.IGNORECASE)]  # fmt: skip


def test_the_printed_plan_has_the_goals_and_steps_and_nothing_of_capacities(service):
    client, tokens, area, _mine, engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-PLAN06")
    _with_goals(client, company, jid)
    person = client.get(f"/jobseekers/{jid}", headers=company).json()
    assert person["profile"]["capacities"]  # they have ratings, a physician's limit among them
    planned = [
        _add(client, company, jid, what="Hakee kahta työpaikkaa viikossa", who="client",
             due_on=_in(10)),
        _add(client, company, jid, what="Etsii työkokeilupaikan", who="company_coordinator",
             due_on=_in(20)),
        _add(client, company, jid, what="Tukee ensimmäisellä viikolla", who="other",
             who_else="työhönvalmentaja", due_on=_in(30)),
        _add(client, company, jid, what="Päivittää CV:n", who="client", due_on=_in(5)),
        _add(client, company, jid, what="Soittaa Ohjaamoon", who="client", due_on=_in(5)),
    ]  # fmt: skip
    _close(client, company, jid, planned[3]["id"], outcome="done")
    _close(client, company, jid, planned[4]["id"], outcome="dropped", reason=REASON)

    client.cookies.set(SESSION, tokens["coordinator"])
    shown = client.get(f"/ui/jobseekers/{jid}")
    assert f'href="/ui/jobseekers/{jid}/plan/print"' in shown.text
    assert "Seisominen" in shown.text  # the person page does show their capacities
    page = client.get(f"/ui/jobseekers/{jid}/plan/print")
    assert page.status_code == 200
    text = page.text
    assert "Testi" in text and GOALS in text
    today = _today()
    assert f"{today.day}.{today.month}.{today.year}" in text
    for header in ("Mitä tehdään", "Kuka", "Mihin mennessä"):
        assert f'<th scope="col">{header}</th>' in text
    table = text[text.index('<table class="plan-steps">') : text.index("</table>")]
    for step in planned[:3]:
        assert step["what"] in table
    assert table.index("Hakee kahta") < table.index("Etsii") < table.index("Tukee")  # by due
    assert "Sinä" in table and "Yrityskoordinaattori" in table
    assert "coord" not in _paper(text)  # a login name is the service's own, never on paper
    assert "työhönvalmentaja" in table
    done = text[text.index("Jo tehty") :]
    assert "Päivittää CV:n" in done and "Päivittää CV:n" not in table
    assert "Soittaa Ohjaamoon" not in text and REASON not in text  # dropped: not on paper
    assert "Yhteyshenkilösi" in text
    assert "<nav" not in text and 'class="noprint"' in text  # nothing to navigate on paper
    assert _capacity_words_in(text) == []
    (row,) = [r for r in audit_rows(engine, action="print_plan") if r.object_id == str(jid)]
    assert row.details == {"steps": 5, "via": "web"}
    client.cookies.set("lang", "en")
    english = client.get(f"/ui/jobseekers/{jid}/plan/print").text
    assert "Your plan" in english and "What is to be done" in english and "By when" in english
    assert "You" in english and "Already done" in english
    assert _capacity_words_in(english) == []
    client.cookies.delete("lang")


# --- the demo world ------------------------------------------------------------------------------


def test_the_demo_worlds_plans_follow_their_mix_and_keep_the_rest_of_the_world(small_world):
    from features.demo.plan import ASSUMED, PlanMix

    steps = small_world.tables["client_plan_step"]
    people = small_world.tables["jobseeker"]
    as_of = small_world.as_of
    assert steps["id"].is_unique and (steps["agreed_on"] <= as_of).all()
    status = people.set_index("id")["status"]
    assert (status.loc[steps["jobseeker_id"]] == "active").all()  # active clients only
    active = (people["status"] == "active").sum()
    share = steps["jobseeker_id"].nunique() / active
    assert abs(share - ASSUMED.planned_share) < 0.08
    sizes = steps.groupby("jobseeker_id").size()
    assert sizes.min() >= 1 and sizes.max() <= 4
    assert ((steps["due_on"] >= steps["agreed_on"])
            & (steps["due_on"] <= steps["agreed_on"] + timedelta(days=366))).all()  # fmt: skip
    lengths = steps["what"].str.len()
    assert lengths.between(3, 300).all()
    other = steps["who"] == "other"
    assert (steps.loc[other, "who_else"] != "").all() and (
        steps.loc[~other, "who_else"] == ""
    ).all()
    outcome = steps["outcome"].fillna("open").value_counts(normalize=True)
    assert abs(outcome["done"] - 0.4) < 0.07 and abs(outcome["dropped"] - 0.1) < 0.05
    closed = steps.dropna(subset=["outcome"])
    assert (closed["closed_on"] >= closed["agreed_on"]).all() and (
        closed["closed_on"] <= as_of
    ).all()
    dropped = steps["outcome"] == "dropped"
    assert steps.loc[dropped, "reason"].notna().all() and steps.loc[~dropped, "reason"].isna().all()
    still = steps[steps["outcome"].isna()]
    assert 0 < (still["due_on"] < as_of).sum() < len(still)
    episodes = small_world.tables["service_episode"]
    started = episodes[episodes["ended_on"].isna()].set_index("jobseeker_id")["started_on"]
    assert (steps["agreed_on"] >= started.loc[steps["jobseeker_id"]].to_numpy()).all()

    rarely = build_world("small", seed=3, plan=PlanMix(planned_share=0.1))
    assert len(rarely.tables["client_plan_step"]) < len(steps)
    for name, frame in small_world.tables.items():
        if name != "client_plan_step":
            pd.testing.assert_frame_equal(rarely.tables[name], frame)


def test_the_demo_plans_are_drawn_fast_for_fifty_thousand_people(small_world):
    from features.demo.plan import generate_plan_steps

    people = small_world.tables["jobseeker"]
    episodes = small_world.tables["service_episode"]
    events = small_world.tables["episode_event"]
    many = pd.concat([people] * 50, ignore_index=True)
    many["id"] = np.arange(1, len(many) + 1)
    current = episodes[episodes["ended_on"].isna()]
    index = pd.Index(people["id"]).get_indexer(current["jobseeker_id"])
    episodes_many = pd.concat(
        [current.assign(jobseeker_id=index + 1 + k * len(people), id=current["id"] + k * 10**6)
         for k in range(50)], ignore_index=True)  # fmt: skip
    events_many = events.iloc[:0]
    began = time.perf_counter()
    steps = generate_plan_steps(np.random.default_rng(1), many, episodes_many, events_many,
                                small_world.as_of)  # fmt: skip
    assert time.perf_counter() - began < 5
    assert len(steps) > 10_000


@pytest.mark.parametrize("seed", [5, 11])
def test_plans_leave_every_other_table_of_the_world_as_it_was(seed):
    from features.demo.plan import PlanMix

    with_plans = build_world("tiny", seed=seed)
    without = build_world("tiny", seed=seed, plan=PlanMix(planned_share=0.0))
    assert len(without.tables["client_plan_step"]) == 0
    for name, frame in with_plans.tables.items():
        if name != "client_plan_step":
            pd.testing.assert_frame_equal(without.tables[name], frame)


def _paper(page: str) -> str:
    """What the printed plan puts on paper: the page without its on-screen-only paragraphs."""
    return re.sub(r'<p class="noprint">.*?</p>', "", page, flags=re.S)


def test_the_printed_plan_names_the_coordinators_as_they_set_their_names_for_clients(service):
    """Not by their login names: by the name and work contact details each set (My details,
    or ``PUT /me/contact``); until then by their role, and the staff are told who is unnamed."""
    client, tokens, area, _mine, engine = service
    company, work_ability = auth(tokens["coordinator"]), auth(tokens["work_ability"])
    jid = _new_client(client, company, area, "JS-PLAN09")
    profile = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]
    given = client.put(f"/jobseekers/{jid}", headers=company,
                       json=profile | {"work_ability_coordinator": "tyokyky"})  # fmt: skip
    assert given.status_code == 200, given.text
    _add(client, company, jid, what="Etsii työkokeilupaikan", who="company_coordinator",
         due_on=_in(20))  # fmt: skip
    client.cookies.set(SESSION, tokens["coordinator"])
    before = client.get(f"/ui/jobseekers/{jid}/plan/print").text
    assert "Yrityskoordinaattori: koordinaattorisi antaa sinulle yhteystietonsa" in _paper(before)
    warning = before[: before.index("<h1>")]
    assert "coord" in warning and "tyokyky" in warning and 'href="/ui/me"' in warning
    assert "coord" not in _paper(before) and "tyokyky" not in _paper(before)

    mine = {"display_name": "Maija  Esimerkki", "work_phone": "040 123 4567",
            "work_email": "Maija.Esimerkki@Example.fi"}  # fmt: skip
    assert client.put("/me/contact", json=mine, headers=company).status_code == 204
    theirs = {"display_name": "Ville Malli"}
    assert client.put("/me/contact", json=theirs, headers=work_ability).status_code == 204
    me = client.get("/me", headers=company).json()
    assert me["contact"] == {"display_name": "Maija Esimerkki", "work_phone": "040 123 4567",
                             "work_email": "Maija.Esimerkki@example.fi"}  # fmt: skip
    after = _paper(client.get(f"/ui/jobseekers/{jid}/plan/print").text)
    assert "Yrityskoordinaattori Maija Esimerkki" in after  # in the steps' table
    assert ("Yrityskoordinaattori: Maija Esimerkki, puh. 040 123 4567, "
            "Maija.Esimerkki@example.fi") in after  # fmt: skip
    assert "Työkykykoordinaattori: Ville Malli" in after
    assert "Ei nimetty paperilla" not in client.get(f"/ui/jobseekers/{jid}/plan/print").text
    # The audit says what changed, never the values.
    (row, _) = [r for r in audit_rows(engine, action="set_staff_contact")]
    assert row.actor == "coord"
    assert row.details == {"changed": ["display_name", "work_email", "work_phone"]}
    assert "Maija" not in str([r.details for r in audit_rows(engine)])


def test_ones_name_for_clients_is_set_on_my_details_and_checked(service):
    client, tokens, _area, _mine, engine = service
    client.cookies.set(SESSION, tokens["work_ability"])
    page = client.get("/ui/me")
    assert page.status_code == 200 and "Omat tiedot" in page.text
    assert "Ei vielä asetettu" in page.text
    csrf = _csrf(page.text)
    refused = client.post("/ui/me", data={"csrf": csrf, "display_name": "",
                                          "work_phone": "soita minulle",
                                          "work_email": "ville@"})  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert 'href="#display_name"' in text and 'href="#work_phone"' in text
    assert 'href="#work_email"' in text and 'value="soita minulle"' in text  # typed: kept
    saved = client.post("/ui/me", data={"csrf": csrf, "display_name": "Ville Malli",
                                        "work_phone": "", "work_email": ""},
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"] == "/ui/me?message=saved"
    again = client.get("/ui/me?message=saved").text
    assert 'value="Ville Malli"' in again and "Tietosi on tallennettu" in again
    # Someone else's details are the admin's to set, not a coordinator's.
    other = {"display_name": "Joku Muu"}
    company = auth(tokens["coordinator"])
    assert client.put("/users/tyokyky/contact", json=other, headers=company).status_code == 403
    admin = auth(tokens["admin"])
    assert client.put("/users/tyokyky/contact", json=other, headers=admin).status_code == 204
    assert client.get("/me", headers=auth(tokens["work_ability"])).json()["contact"] == {
        "display_name": "Joku Muu", "work_phone": None, "work_email": None}  # fmt: skip
    bad = client.put("/me/contact", json={"display_name": "X", "work_phone": "abc"},
                     headers=company)  # fmt: skip
    assert bad.status_code == 422 and "work_phone" in bad.text
    for junk in ({"display_name": "\u200b"}, {"display_name": "   "},
                 {"display_name": "Maija", "work_phone": "-----"}):  # fmt: skip
        refused = client.put("/me/contact", json=junk, headers=company)
        assert refused.status_code == 422, junk
    blank = client.post("/ui/me", data={"csrf": csrf, "display_name": "\u200b"})
    assert blank.status_code == 422 and "kirjoita nimi kirjaimin" in blank.text
