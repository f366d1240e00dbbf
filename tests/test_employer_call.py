"""The employer's call: a need taken down with whom to contact back and when, the employer's
status in the network, and the analysts' funnel — counted against the tables by hand."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.employers.network import FUNNEL, HIRED_THROUGH_US, funnel_stages
from features.schemas.employer import NetworkStatus
from tests.conftest import API_WORLD as WORLD
from tests.test_api import audit_rows, auth

NEED = {
    "work": "Pakkaamon apulainen aamuisin, hyllytystä ja pakkausta",
    "kind": "hand_over",
    "hours_per_week": 15,
    "start": "2027-01-07",
    "urgency": "urgent",
    "contact_back": "Tuotantopäällikkö Laine, 040 123 4567",
    "next_contact": "2026-12-15",
}


def test_a_need_is_taken_down_during_the_call_and_the_employer_becomes_interested(service):
    client, tokens, _, _, engine = service
    rekry, company = auth(tokens["rekrypiste"]), auth(tokens["coordinator"])
    employers = WORLD.tables["employer"]
    eid = int(employers.loc[employers["network_status"].isin(["prospect", "contacted"]), "id"]
              .iloc[0])  # fmt: skip
    created = client.post(f"/employers/{eid}/needs", json=NEED, headers=rekry)
    assert created.status_code == 201, created.text
    bad = NEED | {"work": "x", "hours_per_week": 0, "kind": "anything"}
    refused = client.post(f"/employers/{eid}/needs", json=bad, headers=rekry)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"work", "hours_per_week", "kind"}
    assert client.post("/employers/999999/needs", json=NEED, headers=rekry).status_code == 404
    assert client.post(f"/employers/{eid}/needs", json=NEED,
                       headers=auth(tokens["analyst"])).status_code == 403  # fmt: skip
    later = NEED | {"urgency": "low", "next_contact": "2027-02-01", "owner": "rekry"}
    assert client.post(f"/employers/{eid}/needs", json=later, headers=company).status_code == 201

    needs = client.get(f"/employers/{eid}/needs", headers=company).json()
    assert [n["next_contact"] for n in needs] == ["2026-12-15", "2027-02-01"]
    assert [(n["owner"], n["recorded_by"]) for n in needs] == [("rekry", "rekry"),
                                                               ("rekry", "coord")]  # fmt: skip
    employer = client.get(f"/employers/{eid}", headers=rekry).json()
    assert employer["network_status"] == "interested"
    filled = client.put(f"/employers/{eid}/needs/{needs[0]['id']}/status",
                        json={"status": "filled"}, headers=rekry)  # fmt: skip
    assert filled.status_code == 200 and filled.json()["status"] == "filled"
    assert [n["status"] for n in client.get(f"/employers/{eid}/needs", headers=rekry).json()] == [
        "open", "filled"
    ]  # fmt: skip
    (row,) = audit_rows(engine, action="set_need_status")
    assert row.details == {"need_id": needs[0]["id"], "before": "open", "after": "filled"}


def test_the_network_status_changes_are_audited_and_the_funnel_counts_right(service):
    client, tokens, _, _, engine = service
    rekry, analyst = auth(tokens["rekrypiste"]), auth(tokens["analyst"])
    eid = int(WORLD.tables["employer"]["id"].iloc[0])
    assert client.put(f"/employers/{eid}/status", json={"status": "partner"},
                      headers=rekry).status_code == 204  # fmt: skip
    assert client.put(f"/employers/{eid}/status", json={"status": "best"},
                      headers=rekry).status_code == 422  # fmt: skip
    row = audit_rows(engine, action="set_network_status")[0]
    assert row.details["after"] == "partner"

    # An employer that was a partner and is now dormant (paused) still counts as having got
    # that far; so does one that was interested and then declined.
    other = int(WORLD.tables["employer"]["id"].iloc[1])
    for status in ("interested", "declined"):
        assert client.put(f"/employers/{other}/status", json={"status": status},
                          headers=rekry).status_code == 204  # fmt: skip
    funnel = client.get("/network/funnel", headers=analyst).json()
    assert client.get("/network/funnel", headers=auth(tokens["coordinator"])).status_code == 403
    statuses = WORLD.tables["employer"].set_index("id")["network_status"].copy()
    held = {e: {s} for e, s in statuses.items()}
    held[eid].add("partner")
    held[other] |= {"interested", "declined"}
    statuses[eid], statuses[other] = "partner", "declined"
    counts = statuses.value_counts()
    assert funnel["by_status"] == {s: int(counts.get(s, 0)) for s in funnel["by_status"]}
    stages = funnel["stages"]
    # Hired through us: employers with a hire on one of their tasks, counted from the tables;
    # a hire means the employer got through every stage before it.
    tables = WORLD.tables
    hired = tables["outcome_event"].query("kind == 'hired'")["proposal_id"]
    tasks = tables["proposal_task"][tables["proposal_task"]["proposal_id"].isin(hired)]
    roles = tables["task"].set_index("id").loc[tasks["task_id"], "role_id"]
    employers = set(tables["role"].set_index("id").loc[roles, "employer_id"])
    assert stages["hired_through_us"] == len(employers) > 0
    reached = {"contacted", "interested", "partner", "paused"}
    assert stages["contacted"] == sum(1 for e, h in held.items() if h & reached or e in employers)
    assert stages["interested"] == sum(1 for e, h in held.items()
                                       if h & {"interested", "partner", "paused"}
                                       or e in employers)  # fmt: skip
    cooperating = sum(1 for e, h in held.items() if h & {"partner", "paused"} or e in employers)
    assert stages["cooperating"] == cooperating
    assert funnel["implied"]["cooperating"] == sum(
        1 for e, h in held.items() if e in employers and not h & {"partner", "paused"}
    )
    order = ["contacted", "interested", "cooperating", "hired_through_us"]
    assert [stages[s] for s in order] == sorted((stages[s] for s in order), reverse=True)


STATUSES = [s.value for s in NetworkStatus]


@given(st.lists(st.sets(st.sampled_from([*STATUSES, HIRED_THROUGH_US])), max_size=40))
def test_the_funnel_never_widens_and_says_what_was_skipped(held):
    """Against brute force: a stage counts whoever reached it or any stage after it; what was
    counted only through a later stage is said."""
    stages, implied = funnel_stages(held)
    order = [*FUNNEL, HIRED_THROUGH_US]
    values = {**{k: {s.value for s in v} for k, v in FUNNEL.items()},
              HIRED_THROUGH_US: {HIRED_THROUGH_US}}  # fmt: skip
    for i, stage in enumerate(order):
        later = [values[s] for s in order[i:]]
        assert stages[stage] == sum(1 for h in held if any(h & v for v in later))
        assert implied[stage] == sum(1 for h in held
                                     if not h & values[stage] and any(h & v for v in later))  # fmt: skip
    counts = [stages[s] for s in order]
    assert counts == sorted(counts, reverse=True)
