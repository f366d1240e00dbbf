"""The caseload: a coordinator's people at a glance, each with what needs doing next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from api.storage.tables import SuggestionRow
from features.caseload import (
    ANSWER_OVERDUE,
    QUIET,
    Step,
    attention,
    important_characteristics,
    next_steps,
)
from features.schemas.proposal import SIX_MONTHS
from tests.test_api import audit_rows, auth

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _frames(rows):
    proposals = pd.DataFrame(
        [(pid, person, at) for pid, person, at, _ in rows],
        columns=["proposal_id", "person_id", "proposed_at"],
    )
    events = pd.DataFrame(
        [(pid, kind, at) for pid, _, _, happened in rows for kind, at in happened],
        columns=["proposal_id", "kind", "at"],
    )
    return proposals, events


@pytest.mark.parametrize(
    ("kind", "due_step"),
    [("agreed", Step.AGREED_STEP_DUE), ("referral", Step.REFERRAL_DUE),
     ("plan", Step.PLAN_STEP_DUE)],
)  # fmt: skip
@pytest.mark.parametrize("hour", [0, 12, 23])
def test_every_dated_step_is_due_on_its_day_by_one_rule(kind, due_step, hour):
    """An agreed step, a referral's awaited answer and a plan step are all due from the
    morning of their day in Finland (not only after it): one rule for all three, at the edge
    (the day before: not due; the day itself, at any hour: due; the day after: due)."""
    now = datetime(2026, 12, 1, hour, tzinfo=UTC) - timedelta(hours=2)  # Finland: UTC+2
    today = date(2026, 12, 1)
    proposals, events = _frames([])
    for due, expected in ((today + timedelta(days=1), False), (today, True),
                          (today - timedelta(days=1), True)):  # fmt: skip
        item = [(10, 5, due, "x")]
        dated = {"agreed": item if kind == "agreed" else (),
                 "referral": item if kind == "referral" else (),
                 "plan": item if kind == "plan" else ()}  # fmt: skip
        steps = next_steps(proposals, events, {10: now}, {}, now, (), dated["agreed"],
                           dated["referral"], dated["plan"])  # fmt: skip
        assert (due_step in {s.step for s in steps[10]}) is expected, (due, now)
        assert (attention(steps[10]) > 0) is expected


def test_next_steps_say_what_each_person_needs_most_urgent_first():
    day = timedelta(days=1)
    hired_at = NOW - SIX_MONTHS - day
    proposals, events = _frames([
        (1, 10, NOW - ANSWER_OVERDUE - day, []),  # unanswered too long
        (2, 11, NOW - 3 * day, []),  # just sent
        (3, 12, NOW - 40 * day, [("work_trial_started", NOW - 30 * day)]),
        (4, 13, hired_at - day, [("hired", hired_at)]),  # the follow-up is due
        (5, 14, hired_at - day, [("hired", hired_at), ("employed_6_months", NOW - day)]),
        (6, 10, NOW - 2 * day, [("declined_by_employer", NOW - day)]),  # ended: nothing to do
    ])  # fmt: skip
    last = {p: NOW - day for p in (10, 11, 12, 13, 14, 15)} | {15: NOW - QUIET - day}
    steps = next_steps(proposals, events, last, {11: ["standing"], 14: []}, NOW)
    kinds = {person: [s.step for s in found] for person, found in steps.items()}
    assert kinds == {
        10: [Step.ANSWER_OVERDUE],
        11: [Step.WAITING_ANSWER, Step.ASSESS],
        12: [Step.TRIAL_RUNNING],
        13: [Step.FOLLOW_UP_DUE],
        14: [],
        15: [Step.NO_ACTIVITY],
    }
    assert steps[10][0].about_id == 1 and steps[11][1].characteristics == ("standing",)
    assert steps[13][0].since == hired_at
    urgency = {person: attention(found) for person, found in steps.items()}
    assert urgency[13] > urgency[10] > urgency[12] > urgency[11] > urgency[15] > urgency[14] == 0


def test_important_characteristics_are_those_most_hand_over_tasks_demand():
    demand = np.array([[2, np.nan, 0], [1, 1, np.nan], [3, np.nan, 0], [0, 4, 4]], dtype=float)
    hand_over = np.array([True, True, True, False])
    assert important_characteristics(demand, hand_over).tolist() == [True, False, False]
    assert not important_characteristics(demand, np.zeros(4, bool)).any()


def test_the_caseload_finds_people_by_any_part_of_name_or_code_and_shows_next_steps(service):
    client, tokens, area, mine, engine = service
    headers = auth(tokens["coordinator"])
    everyone = client.get("/jobseekers/caseload?limit=200", headers=headers).json()
    # Responsible for nobody yet: the whole area, by default.
    assert everyone["scope"] == "area" and everyone["count"] == len(mine)
    assert {r["id"] for r in everyone["data"]} == set(mine)
    assert all(r["name"] for r in everyone["data"]), "coordinators see names"
    first = client.get(f"/jobseekers/{mine[0]}", headers=headers).json()
    name, code = first["identity"]["name"], first["profile"]["code"]
    for part in (name.split()[-1][1:].upper(), code[-3:].lower()):
        found = client.get("/jobseekers/caseload", params={"text": part}, headers=headers).json()
        assert mine[0] in {r["id"] for r in found["data"]}, part
        assert all(
            part.lower() in (r["name"] or "").lower() or part.lower() in r["code"].lower()
            for r in found["data"]
        )
    # Made responsible for one person: "mine" is that one, with the proposal waiting.
    profile = first["profile"] | {"coordinator": "coord"}
    assert client.put(f"/jobseekers/{mine[0]}", json=profile, headers=headers).status_code == 200
    matches = client.get(f"/jobseekers/{mine[0]}/matches?k=1", headers=headers).json()
    if matches["items"]:
        body = {"jobseeker_code": code, "task_ids": [matches["items"][0]["task_id"]],
                "suggestion_id": matches["suggestion_id"]}  # fmt: skip
        assert client.post("/proposals", json=body, headers=headers).status_code == 201
    own = client.get("/jobseekers/caseload", headers=headers).json()
    assert own["scope"] == "mine" and [r["id"] for r in own["data"]] == [mine[0]]
    if matches["items"]:
        # (after any step agreed with the client that is due: the demo world's people have
        # contacts, and a step due is more urgent than a proposal waiting for its answer)
        steps = [s["step"] for s in own["data"][0]["next_steps"]]
        assert steps[steps[0] == "agreed_step_due" :][0] == "waiting_answer", steps
        assert own["data"][0]["open_proposals"] >= 1
    listed = [r for r in audit_rows(engine, action="list_jobseekers")
              if r.details.get("view") == "caseload"]  # fmt: skip
    assert len(listed) == 4, "every look at the caseload is audited"
    assert listed[-1].actor == "coord" and listed[-1].details["ids"] == [mine[0]]


def test_the_caseload_is_the_coordinators_own_area_only(service):
    client, tokens, *_ = service
    other = client.get("/jobseekers/caseload", headers=auth(tokens["other_area"])).json()
    assert other["count"] == 0 and other["data"] == []
    for role in ("rekrypiste", "analyst", "admin"):
        refused = client.get("/jobseekers/caseload", headers=auth(tokens[role]))
        assert refused.status_code == 403, role
    work_ability = client.get("/jobseekers/caseload", headers=auth(tokens["work_ability"]))
    assert work_ability.status_code == 200 and work_ability.json()["count"] > 0


def test_new_fitting_tasks_since_the_last_look_show_on_the_caseload(service):
    client, tokens, _, mine, engine = service
    headers = auth(tokens["coordinator"])
    for jid in mine:  # someone with fitting tasks now
        items = client.get(f"/jobseekers/{jid}/matches?k=10", headers=headers).json()["items"]
        if any(i["explanation"]["assessed"] for i in items):
            break
    else:
        raise AssertionError("nobody of the area has a fitting task")
    profile = client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]
    profile["coordinator"] = "coord"
    assert client.put(f"/jobseekers/{jid}", json=profile, headers=headers).status_code == 200

    def steps():
        page = client.get("/jobseekers/caseload", headers=headers).json()
        (row,) = [r for r in page["data"] if r["id"] == jid]
        return {s["step"]: s for s in row["next_steps"]}

    # Just looked (the matches above): nothing new.
    assert "new_matches" not in steps()
    # The last look saw nothing (as if before these tasks existed): every fit is new.
    with engine.begin() as c:
        last = c.scalar(sa.select(sa.func.max(SuggestionRow.id)).where(
            SuggestionRow.jobseeker_id == jid, SuggestionRow.kind == "person_tasks"))  # fmt: skip
        c.execute(sa.update(SuggestionRow).where(SuggestionRow.id == last)
                  .values(results={"ids": []}))  # fmt: skip
    now = client.get(f"/jobseekers/{jid}/matches?k=10", headers=auth(tokens["work_ability"]))
    fits = sum(1 for i in now.json()["items"] if i["explanation"]["assessed"])
    found = steps()["new_matches"]
    assert found["about_id"] == fits > 0
