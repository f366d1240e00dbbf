"""The client cases of the seeds (003: Henna, Miikka, Nico) and two thin profiles, against a
small world of the kinds of work they met — through the HTTP API, as a coordinator would ask.

This module is the product's specification in the users' terms: read the tables. Henna's
physician limits standing, walking and squatting; she is interested in beauty work and in
driving. Miikka finds social situations with strangers hard. Nico, a trained masseur, would
like construction work. "Tyhjä" has consent and no ratings at all; "Puoli" is rated on every
other characteristic.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.auth.setup import add_user
from api.core.security import Role
from api.storage.engine import transaction
from features.catalogue import CHARACTERISTIC_IDS, SLOT_IDS
from tests import factories
from tests.conftest import api_client
from tests.test_api import auth

AREA = "PH-Lahti"


def _rating(level: int, source: str = "coordinator", hard: bool = False) -> dict[str, Any]:
    return {"level": level, "source": source, "assessed_on": "2026-10-01", "hard_limit": hard}


def _assessed(**levels: int) -> dict[str, dict[str, Any]]:
    """Every characteristic rated 3 by the coordinator (Finnish, their mother tongue: 4),
    except those given."""
    usual = {"finnish_language": 4}
    return {cid: _rating(levels.get(cid, usual.get(cid, 3))) for cid in CHARACTERISTIC_IDS}


def _physician(level: int) -> dict[str, Any]:
    return _rating(level, "physician", hard=True)


PEOPLE: dict[str, dict[str, Any]] = {
    # Physician: much standing, walking or squatting will not do ("ei käy") — restrictions;
    # much sitting is not recommended ("ei suosittele") — a recommendation, not a restriction.
    "JS-HENNA1": {
        "capacities": _assessed()
        | {
            "standing": _physician(1),
            "walking": _physician(2),
            "kneeling_squatting": _physician(1),
            "sitting": _rating(2, "physician") | {"recommended": True},
        },
        "interest_sectors": ["beauty_wellbeing", "transport"],
        "interest_task_kinds": ["beauty_care", "delivery_driving"],
        "licences": ["driving_b", "taxi_driver"],
    },
    "JS-MIIKKA": {
        "capacities": _assessed(customer_contact=1, conflict_situations=1, working_alone=4),
        "interest_sectors": ["logistics"],
        "interest_task_kinds": ["sorting_packing"],
    },
    "JS-NICO01": {
        "capacities": _assessed(lifting=4, carrying=4),
        "interest_sectors": ["construction"],
        "interest_task_kinds": ["site_assistance"],
    },
    "JS-TYHJA1": {"capacities": {}},
    "JS-PUOLI1": {"capacities": {cid: _rating(4) for cid in CHARACTERISTIC_IDS[::2]}},
}

EVERYDAY = dict.fromkeys(("standing", "walking", "kneeling_squatting", "sitting"), 1)
"""The demands every sheet below rates (a workshop rates what matters, and these matter)."""

TASKS: dict[str, dict[str, Any]] = {
    "Pyykin viikkaus": {
        "kind": "laundry_textiles", "sector": "cleaning",
        "demands": EVERYDAY | {"standing": 3, "fine_hand_use": 2},
        "accepted_adjustments": ["sit_stand_stool"],
    },
    "Hyllytys": {
        "kind": "shelf_stocking", "sector": "retail",
        "demands": EVERYDAY | {"standing": 3, "walking": 3, "kneeling_squatting": 3,
                               "lifting": 2},
        "accepted_adjustments": ["sit_stand_stool", "trolley"],
    },
    "Vastaanotto": {
        "kind": "reception", "sector": "office_support",
        "demands": EVERYDAY | {"sitting": 3, "customer_contact": 3},
        "accepted_adjustments": ["sit_stand_desk", "back_office_variant"],
    },
    "Kuljetusajo": {
        "kind": "delivery_driving", "sector": "transport",
        "demands": EVERYDAY | {"sitting": 3, "driving": 3},
        "accepted_adjustments": ["sit_stand_stool", "sit_stand_desk", "flexible_breaks"],
        "required_licences": ["driving_b"],
    },
    "Aamiaisvuoro kahvilassa": {
        "kind": "cashier_customer_service", "sector": "kitchen_catering",
        "schedule": ["mon-morning", "tue-morning", "wed-morning"],
        "demands": EVERYDAY | {"customer_contact": 4, "irregular_hours": 3},
        "accepted_adjustments": ["back_office_variant", "day_shifts_only"],
    },
    "Skannaus": {  # a workshop rated only these three
        "kind": "data_entry", "sector": "office_support",
        "demands": {"sitting": 2, "fine_hand_use": 2, "reading": 2},
        "accepted_adjustments": [],
    },
    "Kynsistudion avustaja": {
        "kind": "beauty_care", "sector": "beauty_wellbeing",
        "demands": EVERYDAY | {"sitting": 2, "fine_hand_use": 3, "customer_contact": 2},
        "accepted_adjustments": [],
    },
    "Työmaan siivous": {
        "kind": "site_assistance", "sector": "construction",
        "demands": EVERYDAY | {"standing": 3, "walking": 3, "lifting": 3, "carrying": 3},
        "accepted_adjustments": ["long_handled_tools"],
    },
}  # fmt: skip


@pytest.fixture
def seeds_world(engine, database_url):
    """The people and tasks above, entered through the API by a work-ability coordinator (the
    profiles carry physician's statements) and a Rekrypiste worker; returns (client, the
    company coordinator's headers, person ids, task ids)."""
    with transaction(engine) as s:
        coordinator = auth(add_user(s, name="koord", role=Role.COMPANY_COORDINATOR, area=AREA))
        assessor = auth(add_user(s, name="tyokyky", role=Role.WORK_ABILITY_COORDINATOR, area=AREA))
        rekrypiste = auth(add_user(s, name="rekry", role=Role.REKRYPISTE))
    client = api_client(database_url)
    employer = factories.employer(notes=[])
    employer_id = client.post("/employers", json={"employer": employer}, headers=rekrypiste)
    assert employer_id.status_code == 201, employer_id.text
    eid = employer_id.json()["id"]
    task_ids: dict[str, int] = {}
    for title, spec in TASKS.items():
        task = {"title": title, "task_type": "hand_over", "hours_per_week": 10,
                "schedule": spec.get("schedule", ["mon-morning", "tue-afternoon"]),
                "frequency": "daily"} | {k: v for k, v in spec.items() if k not in (
                    "sector", "schedule")}  # fmt: skip
        role = {"title": title, "sector": spec["sector"], "tasks": [task]}
        stored = client.post(f"/employers/{eid}/roles", json={"role": role}, headers=rekrypiste)
        assert stored.status_code == 201, stored.text
        task_ids[title] = stored.json()["task_ids"][0]
    person_ids: dict[str, int] = {}
    for code, spec in PEOPLE.items():
        profile = factories.jobseeker(
            code=code, area=AREA, coordinator="koord", skills=[],
            licences=spec.get("licences", []),
            capacities=spec["capacities"],
            interest_sectors=spec.get("interest_sectors", []),
            interest_task_kinds=spec.get("interest_task_kinds", []),
            availability={"weekly_hours_min": 5, "weekly_hours_max": 30,
                          "schedule": list(SLOT_IDS)},
        )  # fmt: skip
        created = client.post("/jobseekers", json={"profile": profile}, headers=assessor)
        assert created.status_code == 201, created.text
        person_ids[code] = created.json()["id"]
    return client, coordinator, person_ids, task_ids


def _matches(world, code: str) -> dict[str, dict[str, Any]]:
    """A person's suggestions by task title, in rank order, with their explanations."""
    client, headers, people, tasks = world
    titles = {v: k for k, v in tasks.items()}
    answer = client.get(f"/jobseekers/{people[code]}/matches?k=20", headers=headers)
    assert answer.status_code == 200, answer.text
    return {titles[i["task_id"]]: i["explanation"] for i in answer.json()["items"]}


def _why_not(world, code: str, title: str) -> dict[str, Any]:
    client, headers, people, tasks = world
    answer = client.get(f"/jobseekers/{people[code]}/why-not/{tasks[title]}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


# What a coordinator expects, person by person: (task, headline in Finnish, adjustments).
HENNA_SUGGESTED = [
    ("Kynsistudion avustaja", "Sopii.", []),
    ("Pyykin viikkaus", "Sopii mukautuksin (1).", ["sit_stand_stool"]),
    ("Vastaanotto", "Sopii mukautuksin (1).", ["sit_stand_desk"]),
    # Her success in the seed: driving. Much sitting is only not recommended, and no desk or
    # stool fits in a van — suggested, the recommendation named, after every full fit.
    ("Kuljetusajo", "Mahdollinen – tehtävä ylittää lääkärin suosituksen: Istuminen. "
     "Keskustele asiakkaan kanssa ennen ehdotusta.", []),
    ("Skannaus", "Tarkistettava ennen ehdotusta – lääkärin rajoitus: Seisominen 'harvoin', "
     "Kävely 'ajoittain', Polvillaan olo ja kyykistely 'harvoin'. Tehtävän vaatimusta ei ole "
     "arvioitu: kysy työnantajalta.", []),
]  # fmt: skip
HENNA_EXCLUDED = {
    # task: (failing constraint, what why-not may never propose)
    "Hyllytys": ("hard_limit", "sit_stand_stool"),  # a stool cannot follow her along shelves
    "Työmaan siivous": ("hard_limit", "sit_stand_stool"),
}


def test_henna_what_fits_in_which_order_and_on_what_condition(seeds_world):
    """Seed 003: Henna's physician rules out much standing, walking and squatting and does
    not recommend much sitting; she became a taxi driver. A recommendation is not a
    restriction: the driving task is suggested, with the recommendation named, after the
    tasks that fit her fully."""
    suggested = _matches(seeds_world, "JS-HENNA1")
    assert [
        (title, e["sentences"]["fi"][0], [a["id"] for a in e["adjustments"]])
        for title, e in suggested.items()
    ] == HENNA_SUGGESTED
    # The stool is why the physician's limit holds: said first, as a condition.
    laundry = suggested["Pyykin viikkaus"]["sentences"]["fi"]
    assert laundry[1] == (
        "Lääkärin rajoitus täyttyy vain mukautuksella Satulatuoli tai seisomatuki: oltava "
        "käytössä ensimmäisestä päivästä. Seisominen: raja 'harvoin' – tehtävässä 'usein', "
        "mukautuksella 'harvoin'."
    )
    # A workshop that rated only three demands: the kind's typical ones stand in, but her
    # restrictions are checked only against assessed demands — and the sheet says what is usual.
    scanning = suggested["Skannaus"]["sentences"]["fi"]
    assert scanning[1:3] == [
        "Istuminen: lääkärin suositus 'ajoittain' – tehtävässä 'ajoittain'.",
        "Tehtävälajissa tavallisesti: Seisominen 'ajoittain', Kävely 'ajoittain', Polvillaan "
        "olo ja kyykistely 'ei koskaan' (ei arvioitu tälle tehtävälle).",
    ]
    assert not any("lääkärin rajoitus '" in s for s in scanning)
    # The desk at the reception keeps her sitting within the recommendation: a condition.
    reception = suggested["Vastaanotto"]["sentences"]["fi"]
    assert any(x.startswith("Istuminen: lääkärin suositus 'ajoittain'") for x in reception)
    driving = suggested["Kuljetusajo"]["sentences"]["fi"]
    assert (
        "Istuminen: tehtävä ylittää lääkärin suosituksen 'ajoittain' – tehtävässä 'usein' "
        "mukautuksinkin (lääkäri ei suosittele enempää). Ehdotetaan vasta suositusten "
        "mukaisten tehtävien jälkeen."
    ) in driving
    # Where the work itself stays within her limits, the explanation says they were checked.
    nails = suggested["Kynsistudion avustaja"]["sentences"]["fi"]
    assert "Seisominen: lääkärin rajoitus 'harvoin' – tehtävässä 'harvoin'." in nails
    assert not any(s.startswith("Vähän vaativa") for s in nails)


@pytest.mark.parametrize(("title", "expected"), HENNA_EXCLUDED.items())
def test_henna_what_is_excluded_and_what_why_not_proposes(seeds_world, title, expected):
    failure, never = expected
    assert title not in _matches(seeds_world, "JS-HENNA1")
    answer = _why_not(seeds_world, "JS-HENNA1", title)
    assert failure in answer["failures"]
    assert never not in str(answer["relaxations"])
    assert answer["relaxations"], "something is always proposed: an adjustment or a redesign"


def test_miikka_is_not_offered_the_cafe_counter_with_a_back_office_variant(seeds_world):
    assert "Aamiaisvuoro kahvilassa" not in _matches(seeds_world, "JS-MIIKKA")
    answer = _why_not(seeds_world, "JS-MIIKKA", "Aamiaisvuoro kahvilassa")
    assert "over_demand" in answer["failures"]
    proposed = str(answer["relaxations"])
    assert "back_office_variant" not in proposed and "day_shifts_only" not in proposed
    assert {r["change"] for r in answer["relaxations"]} == {"redesign_task"}


def test_nico_finds_the_construction_site_first(seeds_world):
    suggested = _matches(seeds_world, "JS-NICO01")
    assert next(iter(suggested)) == "Työmaan siivous"
    assert suggested["Työmaan siivous"]["sentences"]["fi"][0] == "Sopii."


def test_a_task_rated_only_where_it_matters_does_not_sink(seeds_world):
    # The scanning sheet rates 3 demands, the others 7–9: for someone without limitations
    # there, the scanning task scores with the rest (typical demands stand in), not last by
    # a penalty per unrated demand.
    client, headers, people, tasks = seeds_world
    answer = client.get(f"/jobseekers/{people['JS-NICO01']}/matches?k=20", headers=headers)
    totals = {i["task_id"]: i["total"] for i in answer.json()["items"]}
    others = [v for t, v in totals.items() if t != tasks["Skannaus"]]
    assert totals[tasks["Skannaus"]] >= min(others) - 0.1
    assert _matches(seeds_world, "JS-NICO01")["Skannaus"]["sentences"]["fi"][0] == "Sopii."


@pytest.mark.parametrize("code", ["JS-TYHJA1", "JS-PUOLI1"])
def test_a_thin_profile_is_never_a_fit_and_never_ahead_of_one(seeds_world, code):
    for explanation in _matches(seeds_world, code).values():
        assert explanation["sentences"]["fi"][0].startswith(("Mahdollinen", "Tarkistettava"))
        assert not explanation["assessed"]
    client, headers, people, tasks = seeds_world
    for title in ("Pyykin viikkaus", "Vastaanotto", "Kynsistudion avustaja"):
        answer = client.post("/matches/candidates", json={"task_ids": [tasks[title]], "k": 10},
                             headers=headers)  # fmt: skip
        codes = [item["code"] for item in answer.json()["items"]]
        thin = [c for c in codes if c in ("JS-TYHJA1", "JS-PUOLI1")]
        assessed = [c for c in codes if c not in thin]
        assert assessed, title
        assert codes == assessed + thin, title
