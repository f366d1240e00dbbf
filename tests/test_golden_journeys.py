"""The seeds' client journeys end to end (seed 003, "Työkykykoordinaattori": Henna, Miikka,
Aino, Niilo, Nico), through the HTTP API as their coordinators would record them: taken on
with who referred them, handed between the two coordinators, proposed, placed or gone on
elsewhere, and the service episode ended with the continuation path the seed names.

What each seed says happened, and what the record must then show:
- Henna (sent by her personal coach to a health check): the work-ability coordinator hands her
  to the company coordinator, who finds her the driving work she wanted; she starts at a taxi
  firm — placed, off every candidate list, the episode ends in employment.
- Miikka: starts a new vocational qualification — the episode ends in education.
- Aino: gets help for her mental health, then summer work and school — care recorded on the
  way, the episode ends in education.
- Niilo: starts sick leave and a care contact — the episode ends there.
- Nico: an apprenticeship in construction — placed; the episode ends in employment.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from api.auth.setup import add_user
from api.core.security import Role
from api.storage.engine import transaction
from features.catalogue import SLOT_IDS
from tests import factories
from tests.test_api import auth
from tests.test_golden_cases import AREA, PEOPLE, seeds_world  # noqa: F401 (a fixture)

STARTED = "2026-09-01"
"""When each of them came to the service (before anything below happened)."""


@pytest.fixture
def journeys(seeds_world):  # noqa: F811 (the imported fixture)
    client, coordinator, _people, tasks = seeds_world
    with transaction(client.app.state.engine) as s:
        assessor = auth(add_user(s, name="tk.kunto", role=Role.WORK_ABILITY_COORDINATOR,
                                 area=AREA))  # fmt: skip
    return client, coordinator, assessor, tasks


def _take_on(
    client, headers, code: str, name: str, referral: str, like: str = "JS-MIIKKA", **profile: Any
) -> int:
    """The work-ability coordinator takes the client on: who they are, who sent them, when;
    their abilities as those of ``like`` in the matching cases."""
    spec = PEOPLE[like]
    body = {
        "profile": factories.jobseeker(
            code=code, area=AREA, skills=[], coordinator="koord",
            work_ability_coordinator="tk.kunto", capacities=spec["capacities"],
            licences=spec.get("licences", []),
            interest_sectors=spec.get("interest_sectors", []),
            interest_task_kinds=spec.get("interest_task_kinds", []),
            availability={"weekly_hours_min": 5, "weekly_hours_max": 30,
                          "schedule": list(SLOT_IDS)},
            **profile,
        ),
        "identity": {"name": name},
        "episode": {"referral_source": referral, "started_on": STARTED, "programme": "KUNTO"},
    }  # fmt: skip
    created = client.post("/jobseekers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _episode(client, headers, person: int) -> dict[str, Any]:
    answer = client.get(f"/jobseekers/{person}/episodes", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()[0]


def _record(client, headers, person: int, kind: str, path: str, note: str = "") -> None:
    done = client.post(f"/jobseekers/{person}/episode/events",
                       json={"kind": kind, "path": path, "note": note}, headers=headers)  # fmt: skip
    assert done.status_code in (200, 201), done.text


def _status(client, headers, person: int) -> str:
    return str(client.get(f"/jobseekers/{person}", headers=headers).json()["profile"]["status"])


def _propose_and(client, headers, code: str, task: int, step: str) -> None:
    proposed = client.post("/proposals", json={"jobseeker_code": code, "task_ids": [task]},
                           headers=headers)  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    event = {"event": {"kind": step, "at": datetime.now(UTC).isoformat()}}
    stepped = client.post(f"/proposals/{proposed.json()['id']}/events", json=event,
                          headers=headers)  # fmt: skip
    assert stepped.status_code == 201, stepped.text


def _candidates(client, headers, task: int) -> set[str]:
    answer = client.post("/matches/candidates", json={"task_ids": [task], "k": 50},
                         headers=headers)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return {c["code"] for c in answer.json()["items"]}


def test_henna_is_handed_over_proposed_driving_work_and_placed(journeys):
    client, coordinator, assessor, tasks = journeys
    henna = _take_on(client, assessor, "JS-HENNA2", "Henna", "personal_coach", "JS-HENNA1")
    # The physician's statement has come: the work-ability coordinator hands her over.
    handed = client.post(f"/jobseekers/{henna}/handoffs", headers=assessor,
                         json={"to_role": "company_coordinator",
                               "note": "Lausunto tullut; kiinnostaa kuljetusala."})  # fmt: skip
    assert handed.status_code == 201, handed.text
    taken = client.post(f"/handoffs/{handed.json()['id']}/acknowledge", headers=coordinator)
    assert taken.status_code == 200, taken.text
    mine = client.get("/jobseekers/caseload", headers=coordinator).json()
    assert henna in {row["id"] for row in mine["data"]}  # now in the taker's own list
    # Driving is suggested, the physician's recommendation named (a recommendation only).
    matches = client.get(f"/jobseekers/{henna}/matches?k=20", headers=coordinator).json()
    driving = next(i for i in matches["items"] if i["task_id"] == tasks["Kuljetusajo"])
    assert "lääkärin suosituksen" in driving["explanation"]["sentences"]["fi"][0]
    assert "JS-HENNA2" in _candidates(client, coordinator, tasks["Kuljetusajo"])
    _propose_and(client, coordinator, "JS-HENNA2", tasks["Kuljetusajo"], "hired")
    # Placed means placed: the episode says so with the proposal, and she is offered no more.
    assert _status(client, coordinator, henna) == "placed"
    episode = _episode(client, coordinator, henna)
    assert episode["status"] == "placed"
    assert [(e["kind"], e["path"]) for e in episode["events"]] == [("outcome", "employed")]
    assert "JS-HENNA2" not in _candidates(client, coordinator, tasks["Kuljetusajo"])
    _record(client, coordinator, henna, "ended", "employed", "Taksiyrityksessä töissä.")
    ended = _episode(client, coordinator, henna)
    assert (ended["status"], ended["continuation_path"]) == ("ended", "employed")
    assert (ended["referral_source"], ended["started_on"]) == ("personal_coach", STARTED)
    assert _status(client, coordinator, henna) == "placed"


def test_the_seeds_journeys_end_where_the_seed_says(journeys):
    client, coordinator, assessor, tasks = journeys
    henna = _take_on(client, assessor, "JS-HENNA2", "Henna", "personal_coach", "JS-HENNA1")
    miikka = _take_on(client, assessor, "JS-MIIKK2", "Miikka", "ohjaamo")
    aino = _take_on(client, assessor, "JS-AINO01", "Aino", "ohjaamo")
    niilo = _take_on(client, assessor, "JS-NIILO1", "Niilo", "personal_coach")
    nico = _take_on(client, assessor, "JS-NICO02", "Nico", "ohjaamo", "JS-NICO01")
    _propose_and(client, coordinator, "JS-HENNA2", tasks["Kuljetusajo"], "hired")
    _record(client, coordinator, henna, "ended", "employed")
    _record(client, assessor, miikka, "ended", "education", "Uusi ammattitutkinto.")
    # Aino: care first (the service goes on), then summer work and school.
    _record(client, assessor, aino, "outcome", "sick_leave_or_care", "Hoitokontakti.")
    assert _status(client, assessor, aino) == "active"
    _record(client, assessor, aino, "ended", "education")
    _record(client, assessor, niilo, "ended", "sick_leave_or_care")
    _propose_and(client, coordinator, "JS-NICO02", tasks["Työmaan siivous"],
                 "apprenticeship_started")  # fmt: skip
    assert _status(client, coordinator, nico) == "placed"
    assert _episode(client, coordinator, nico)["events"][0]["path"] == "employed"
    _record(client, coordinator, nico, "ended", "employed", "Oppisopimus rakennusalalle.")
    people = {"Henna": henna, "Miikka": miikka, "Aino": aino, "Niilo": niilo, "Nico": nico}
    paths = {name: _episode(client, assessor, pid)["continuation_path"]
             for name, pid in people.items()}  # fmt: skip
    assert paths == {"Henna": "employed", "Miikka": "education", "Aino": "education",
                     "Niilo": "sick_leave_or_care", "Nico": "employed"}  # fmt: skip
    assert Counter(paths.values()) == {"employed": 2, "education": 2, "sick_leave_or_care": 1}
    statuses = {name: _status(client, assessor, pid) for name, pid in people.items()}
    assert statuses == {"Henna": "placed", "Miikka": "ended", "Aino": "ended",
                        "Niilo": "ended", "Nico": "placed"}  # fmt: skip
    # Nobody whose journey ended is matched any more, nor offered to an employer.
    for name, pid in people.items():
        answer = client.get(f"/jobseekers/{pid}/matches", headers=coordinator).json()
        assert answer["items"] == [] and answer["not_matchable_reason"] == "not_active", name
    offered = set().union(*(_candidates(client, coordinator, t) for t in tasks.values()))
    assert offered.isdisjoint({"JS-HENNA2", "JS-MIIKK2", "JS-AINO01", "JS-NIILO1", "JS-NICO02"})
