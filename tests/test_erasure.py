"""Erasure that erases: after DELETE /jobseekers/{id}, no table, no file the service writes
(the SQLite database and its write-ahead log, the match-index snapshots) holds anything of
the person; the export before it held everything."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from api.storage.tables import Base
from tests import factories
from tests.conftest import API_WORLD as WORLD
from tests.test_api import auth

MARKERS = ("JS-MARK01", "Marketta Merkki", "marketta.merkki@example.fi", "+358 40 5550199",
           "MERKKI-tavoite", "MERKKI-muistiinpano", "MERKKI-ohitus", "MERKKI-perustelu",
           "MERKKI-seurantakäynti", "MERKKI-luovutus", "MERKKI-pyyntö",
           "MERKKI-vastaus", "MERKKI-OHJ", "MERKKI-jakso", "MERKKI-tapaaminen",
           "MERKKI-sovittu", "MERKKI-lähete", "MERKKI-askel", "MERKKI-muu-tekijä",
           "MERKKI-luovuttu")  # fmt: skip
HAND_OVER = WORLD.tables["task"].query("task_type == 'hand_over'")["id"].astype(int).tolist()


def _rows_text(engine) -> str:
    with engine.connect() as c:
        return "\n".join(
            repr(row) for table in Base.metadata.sorted_tables for row in c.execute(table.select())
        )


def _text_stored_about(engine, person_id: int) -> dict[str, set[str]]:
    """Every text value in every row that refers to the person — directly (a foreign key to
    the person), or through their proposals or the suggestions made for them — by table and
    column. Found from the schema, so a table added later is covered without a word here."""
    tables = Base.metadata.tables
    text_values: dict[str, set[str]] = {}
    with engine.connect() as c:
        owners = {
            "jobseeker": {person_id},
            "proposal": set(c.scalars(sa.select(tables["proposal"].c.id).where(
                tables["proposal"].c.jobseeker_id == person_id))),
            "suggestion": set(c.scalars(sa.select(tables["suggestion"].c.id).where(
                tables["suggestion"].c.jobseeker_id == person_id))),
            "service_episode": set(c.scalars(sa.select(tables["service_episode"].c.id).where(
                tables["service_episode"].c.jobseeker_id == person_id))),
        }  # fmt: skip
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_event":
                continue  # the export lists accesses; the trail itself is the audit's
            for fk in table.foreign_keys:
                owner = fk.column.table.name
                ids = owners.get(owner, set()) | ({person_id} if table.name == owner else set())
                if owner not in owners or not ids:
                    continue
                for row in c.execute(table.select().where(fk.parent.in_(ids))).mappings():
                    for column, value in row.items():
                        for leaf in _texts(value):
                            text_values.setdefault(f"{table.name}.{column}", set()).add(leaf)
            if table.name in owners:
                key = tables[table.name].c.id
                for row in c.execute(table.select().where(key.in_(owners[table.name]))).mappings():
                    for column, value in row.items():
                        for leaf in _texts(value):
                            text_values.setdefault(f"{table.name}.{column}", set()).add(leaf)
    for where in NOT_ABOUT_THE_PERSON:
        text_values.pop(where, None)
    return text_values


TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
NOT_ABOUT_THE_PERSON = {"suggestion.ruleset_fingerprint"}
"""The rule set's own fingerprint (its version is in the export): nothing of the person."""


def _texts(value) -> list[str]:
    """The text in a column's value, JSON documents included (a history row, a result list)."""
    if isinstance(value, str):
        # Timestamps inside JSON are written by another serialiser than the export's (+00:00
        # against Z): what is compared is text someone could read something into.
        return [value] if len(value) >= 3 and not TIMESTAMP.match(value) else []
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def _files_text(paths) -> bytes:
    return b"".join(p.read_bytes() for p in paths if p.is_file())


def test_erasure_leaves_nothing_of_the_person(service, database_url):
    client, tokens, area, mine, engine = service
    coordinator = auth(tokens["coordinator"])
    employer = WORLD.tables["employer"].iloc[0]
    profile = factories.jobseeker(
        area=area, code=MARKERS[0], goals=MARKERS[4], municipality=employer["municipality"],
        capacities={}, consent={"given_at": "2026-11-01T00:00:00Z",
                                "scope": ["matching", "share_with_employers"]},
    )  # fmt: skip
    identity = {"name": MARKERS[1], "email": MARKERS[2], "phone": MARKERS[3]}
    created = client.post(
        "/jobseekers",
        json={"profile": profile, "identity": identity, "episode": {"programme": MARKERS[12]}},
        headers=coordinator,
    )
    assert created.status_code == 201, created.text
    jid = created.json()["id"]
    outcome = {"kind": "outcome", "path": "sick_leave_or_care", "note": MARKERS[13]}
    recorded = client.post(f"/jobseekers/{jid}/episode/events", json=outcome, headers=coordinator)
    assert recorded.status_code == 201, recorded.text
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    for contact in ({"kind": "met", "note": MARKERS[14],
                     "next_step": {"what": MARKERS[15], "due_on": due}},
                    {"kind": "phoned", "step_done": True}):  # fmt: skip
        met = client.post(f"/jobseekers/{jid}/contacts", json=contact, headers=coordinator)
        assert met.status_code == 201, met.text
    referred = client.post(f"/jobseekers/{jid}/referrals", headers=coordinator,
                           json={"kind": "psychologist", "note": MARKERS[16], "due_on": due,
                                 "assesses": ["memory"]})  # fmt: skip
    assert referred.status_code == 201, referred.text
    closed = client.post(f"/jobseekers/{jid}/referrals/{referred.json()['id']}/close",
                         json={"outcome": "answered"}, headers=coordinator)  # fmt: skip
    assert closed.status_code == 200, closed.text
    planned = client.post(f"/jobseekers/{jid}/plan/steps", headers=coordinator,
                          json={"what": MARKERS[17], "who": "other", "who_else": MARKERS[18],
                                "due_on": due})  # fmt: skip
    assert planned.status_code == 201, planned.text
    dropped = client.post(f"/jobseekers/{jid}/plan/steps/{planned.json()['id']}/close",
                          json={"outcome": "dropped", "reason": MARKERS[19]},
                          headers=coordinator)  # fmt: skip
    assert dropped.status_code == 200, dropped.text
    earlier = client.get(f"/jobseekers/{jid}", headers=coordinator).json()["profile"]
    assert client.put(f"/jobseekers/{jid}", json=earlier | {"goals": "MERKKI-uusi-tavoite"},
                      headers=coordinator).status_code == 200  # fmt: skip
    matches = client.get(f"/jobseekers/{jid}/matches?k=5", headers=coordinator).json()
    task = matches["items"][0]["task_id"] if matches["items"] else HAND_OVER[0]
    proposal = client.post(
        "/proposals", json={"jobseeker_code": MARKERS[0], "task_ids": [task]}, headers=coordinator
    ).json()["id"]
    event = {"event": {"kind": "declined_by_person", "at": datetime.now(UTC).isoformat(),
                       "reason": "health", "note": MARKERS[5]}}  # fmt: skip
    recorded = client.post(f"/proposals/{proposal}/events", json=event, headers=coordinator)
    assert recorded.status_code == 201, recorded.text
    client.post(
        f"/suggestions/{matches['suggestion_id']}/overrides",
        json={"chosen": [], "reason": MARKERS[6]},
        headers=coordinator,
    )
    handoff = client.post(f"/jobseekers/{jid}/handoffs", headers=coordinator,
                          json={"to_role": "work_ability_coordinator", "note": MARKERS[9]})  # fmt: skip
    assert handoff.status_code == 201, handoff.text
    asked = client.post("/candidate-requests", headers=auth(tokens["rekrypiste"]), json={
        "jobseeker_code": MARKERS[0], "task_ids": [HAND_OVER[2]], "note": MARKERS[10]})  # fmt: skip
    assert asked.status_code == 201, asked.text
    no = client.post(f"/candidate-requests/{asked.json()['id']}/answer", headers=coordinator,
                     json={"answer": "no", "note": MARKERS[11]})  # fmt: skip
    assert no.status_code == 200, no.text
    for t in HAND_OVER[:30]:  # candidate lists that may name the person
        client.post("/matches/candidates", json={"task_ids": [t], "k": 100},
                    headers=auth(tokens["rekrypiste"]))  # fmt: skip
    # A second proposal, with a coordinator's reason, hired and followed up with a visit (last:
    # a hire places the person, who then leaves candidate lists and the Rekrypiste's reach).
    second = client.post("/proposals", json={"jobseeker_code": MARKERS[0], "task_ids":
                         [HAND_OVER[1]], "reason": MARKERS[7]}, headers=coordinator)  # fmt: skip
    assert second.status_code == 201, second.text
    for kind in ("work_trial_started", "hired"):
        step = {"event": {"kind": kind, "at": datetime.now(UTC).isoformat()}}
        assert client.post(f"/proposals/{second.json()['id']}/events", json=step,
                           headers=coordinator).status_code == 201  # fmt: skip
    follow = f"/proposals/{second.json()['id']}/follow-up/visits"
    today = datetime.now(UTC).date().isoformat()
    visit = client.post(follow, json={"planned_on": today, "with_whom": "both"},
                        headers=coordinator)  # fmt: skip
    assert visit.status_code == 201, visit.text
    done = client.put(f"{follow}/{visit.json()['id']}", json={"done_on": today,
                      "note": MARKERS[8]}, headers=coordinator)  # fmt: skip
    assert done.status_code == 200, done.text
    export = client.get(f"/jobseekers/{jid}/export", headers=coordinator)
    assert export.status_code == 200
    text = export.text
    for marker in MARKERS:
        assert marker in text, f"the export holds {marker}"
    assert export.json()["overrides"] and "candidate_lists" in export.json()
    # Art. 15: the export holds every text stored about the person, in every table that refers
    # to them (found from the schema).
    missing = {
        where: sorted(v for v in values if v not in text)
        for where, values in _text_stored_about(engine, jid).items()
    }
    missing = {where: values for where, values in missing.items() if values}
    assert not missing, missing
    assert {"override", "read_proposals", "outcome"} & {
        a["action"] for a in export.json()["accesses"]
    }

    assert client.delete(f"/jobseekers/{jid}", headers=coordinator).status_code == 204

    stored = _rows_text(engine)
    for marker in MARKERS:
        assert marker not in stored, f"{marker} is still in a table"
    files = []
    if database_url.startswith("sqlite"):
        db = Path(database_url.removeprefix("sqlite:///"))
        files += [db, Path(f"{db}-wal"), Path(f"{db}-journal")]
    data_dir = Path(os.environ["TASMA_DATA_DIR"])
    files += list(data_dir.rglob("*"))
    blob = _files_text(files)
    for marker in MARKERS:
        assert marker.encode() not in blob, f"{marker} is still in a file"
    # The index no longer knows the person, and the next match answers 404.
    assert client.get(f"/jobseekers/{jid}/matches", headers=coordinator).status_code == 404

    # The next person is never given the erased person's id (it was the highest): they would
    # inherit the erased person's audit trail, timeline and export.
    profile["code"] = "JS-MARK02"
    again = client.post(
        "/jobseekers", json={"profile": profile, "identity": identity}, headers=coordinator
    )
    assert again.status_code == 201, again.text
    assert again.json()["id"] > jid
    accesses = client.get(f"/jobseekers/{again.json()['id']}/export", headers=coordinator)
    actions = {a["action"] for a in accesses.json()["accesses"]}
    assert "create_jobseeker" in actions
    assert actions.isdisjoint({"override", "read_proposals", "outcome"}), actions
