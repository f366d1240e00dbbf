"""Empty and tiny worlds work: a new deployment registers people before its first Ratko
workshop, or tasks before its first client. Every route a user reaches answers sensibly —
never 500 — with no tasks, no people, or one of each; and so do the web pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.auth.setup import add_user
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.storage.engine import transaction
from features.demo import build_world
from matching.composer import compose_for_person
from matching.index import MatchIndex
from matching.ranking import rank_people_for_tasks, rank_tasks_for_person
from matching.rules import default_ruleset
from matching.whatif import what_if
from tests import factories
from tests.test_api import auth

AREA = "PH-Lahti"
PASSWORD = "correct horse 1"
WORLDS = ("nothing", "people only", "tasks only", "one of each")


def _build(client, tokens, world):
    """The world through the API, as users would make it: ids of what was made."""
    made = {"jobseeker": 1, "employer": 1, "role": 1, "task": 1}
    coordinator, rekry = auth(tokens["coordinator"]), auth(tokens["rekrypiste"])
    if world in ("people only", "one of each"):
        consent = {"given_at": "2026-11-01T00:00:00Z", "scope": ["matching",
                   "share_with_employers"]}  # fmt: skip
        profile = factories.jobseeker(area=AREA, coordinator="coord", consent=consent)
        profile["capacities"]["standing"] = {"level": 1, "source": "coordinator",
                                             "assessed_on": "2026-03-01"}  # fmt: skip
        created = client.post("/jobseekers", json={"profile": profile}, headers=coordinator)
        assert created.status_code == 201, created.text
        made["jobseeker"] = created.json()["id"]
    if world in ("tasks only", "one of each"):
        employer = factories.employer()
        employer.pop("notes")
        created = client.post("/employers", json={"employer": employer}, headers=rekry)
        assert created.status_code == 201, created.text
        made["employer"] = created.json()["id"]
        role = {"title": "Keittiöapulainen", "sector": "kitchen_catering",
                "tasks": [factories.task()]}  # fmt: skip
        created = client.post(
            f"/employers/{made['employer']}/roles", json={"role": role}, headers=rekry
        )
        assert created.status_code == 201, created.text
        made["role"] = created.json()["role_id"]
        made["task"] = created.json()["task_ids"][0]
    return made


def _calls(made):
    j, e, r, t = made["jobseeker"], made["employer"], made["role"], made["task"]
    return [
        ("coordinator", "GET", f"/jobseekers/{j}/matches?k=5", None),
        ("coordinator", "GET", f"/jobseekers/{j}/why-not/{t}", None),
        ("coordinator", "GET", f"/jobseekers/{j}/comparison/{t}", None),
        ("coordinator", "POST", f"/jobseekers/{j}/compose", {"radius_km": 50}),
        ("coordinator", "GET", f"/jobseekers/{j}/vacancies", None),
        ("coordinator", "GET", f"/jobseekers/{j}/news", None),
        ("coordinator", "GET", f"/jobseekers/{j}/timeline", None),
        ("coordinator", "GET", f"/jobseekers/{j}/proposals", None),
        ("coordinator", "GET", f"/jobseekers/{j}/left-out", None),
        ("coordinator", "GET", "/jobseekers/caseload", None),
        ("coordinator", "GET", "/jobseekers", None),
        ("coordinator", "POST", "/proposals", {"jobseeker_code": "JS-TEST01", "task_ids": [t]}),
        ("rekrypiste", "POST", "/matches/candidates", {"task_ids": [t], "k": 5}),
        ("rekrypiste", "POST", f"/employers/{e}/compose", None),
        ("rekrypiste", "GET", f"/employers/{e}/task-news", None),
        ("rekrypiste", "GET", f"/tasks/{t}/what-if", None),
        ("rekrypiste", "GET", f"/roles/{r}/what-if", None),
        ("rekrypiste", "GET", f"/roles/{r}/hand-over-options", None),
        ("rekrypiste", "GET", "/tasks", None),
        ("rekrypiste", "GET", "/employers", None),
        ("rekrypiste", "GET", "/candidate-requests", None),
        ("coordinator", "GET", "/clearing", None),
        ("analyst", "GET", "/network/funnel", None),
        ("analyst", "GET", "/batch/runs", None),
        ("analyst", "POST", "/evaluations", {}),
        ("analyst", "GET", "/rulesets", None),
        ("admin", "GET", "/audit", None),
        ("admin", "GET", "/supports", None),
    ]


@pytest.fixture
def bare_service(engine, database_url):
    with transaction(engine) as s:
        tokens = {
            "coordinator": add_user(
                s, name="coord", role=Role.COMPANY_COORDINATOR, area=AREA, password=PASSWORD
            ),
            "rekrypiste": add_user(s, name="rekry", role=Role.REKRYPISTE, password=PASSWORD),
            "analyst": add_user(s, name="analyst", role=Role.ANALYST, password=PASSWORD),
            "admin": add_user(s, name="admin", role=Role.ADMIN, password="correct horse 1"),
        }
    settings = Settings(database_url=database_url, environment=Environment.TEST,
                        demo_on_empty=False)  # fmt: skip
    app = create_app(settings)
    return TestClient(app, raise_server_exceptions=False), tokens, app


@pytest.mark.parametrize("world", WORLDS)
def test_every_route_answers_sensibly_in_an_empty_or_tiny_world(bare_service, world):
    client, tokens, app = bare_service
    made = _build(client, tokens, world)
    failures = []
    for who, method, path, body in _calls(made):
        answer = client.request(method, path, json=body, headers=auth(tokens[who]))
        if answer.status_code >= 500:
            failures.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code >= 400:
            # a refusal names what is missing, in words, never a bare code
            assert answer.json().get("detail") or answer.json().get("message"), (path, answer.text)
    assert failures == [], "\n".join(failures)


_WORLD = build_world("tiny", seed=21)
_RULES = default_ruleset()


def _sub_world(people: list[int], tasks: list[int]) -> MatchIndex:
    t = _WORLD.tables
    return MatchIndex.from_tables(
        {
            "jobseeker": t["jobseeker"][t["jobseeker"]["id"].isin(people)],
            "capacity": t["capacity"][t["capacity"]["jobseeker_id"].isin(people)],
            "task": t["task"][t["task"]["id"].isin(tasks)],
            "task_demand": t["task_demand"][t["task_demand"]["task_id"].isin(tasks)],
            "role": t["role"],
            "employer": t["employer"],
        }
    )


@settings(max_examples=40, deadline=None)
@given(
    people=st.lists(st.sampled_from(_WORLD.tables["jobseeker"]["id"].tolist()[:40]),
                    max_size=3, unique=True),
    tasks=st.lists(st.sampled_from(_WORLD.tables["task"]["id"].tolist()[:60]),
                   max_size=3, unique=True),
)  # fmt: skip
def test_the_matcher_works_on_any_tiny_world(people, tasks):
    """0–3 people × 0–3 tasks: every direction answers, and answers only with what exists."""
    index = _sub_world(people, tasks)
    for person in people:
        ranked = rank_tasks_for_person(index.people, index.tasks, person, _RULES, k=5)
        assert set(ranked.ids.tolist()) <= set(tasks)
        bundle = compose_for_person(index.people, index.tasks, person, _RULES, radius_km=50)
        assert set(bundle.task_ids) <= set(tasks)
    for task in tasks:
        ranked = rank_people_for_tasks(index.people, index.tasks, [task], _RULES, k=5)
        assert set(ranked.ids.tolist()) <= set(people)
        change = what_if(index, task, _RULES)
        assert change.fit_now <= len(people)


def _pages(made):
    j, e, t = made["jobseeker"], made["employer"], made["task"]
    return {
        "coord": ["/ui/", "/ui/jobseekers", f"/ui/jobseekers/{j}", f"/ui/jobseekers/{j}/compose",
                  f"/ui/jobseekers/{j}/why-not?task_id={t}", f"/ui/jobseekers/{j}/tasks/{t}",
                  "/ui/clearing", "/ui/requests"],
        "rekry": ["/ui/", "/ui/employers", "/ui/tasks", f"/ui/employers/{e}",
                  f"/ui/employers/{e}/tasks/{t}/candidates", f"/ui/employers/{e}/compose",
                  f"/ui/employers/{e}/tasks/{t}/what-if", f"/ui/employers/{e}/proposal"],
        "analyst": ["/ui/", "/ui/rulesets", "/ui/rulesets/compare", "/ui/batch"],
    }  # fmt: skip


@pytest.mark.parametrize("world", WORLDS)
def test_every_web_page_answers_in_an_empty_or_tiny_world(bare_service, world):
    client, tokens, app = bare_service
    made = _build(client, tokens, world)
    failures = []
    for name, pages in _pages(made).items():
        browser = TestClient(app, raise_server_exceptions=False)
        login = browser.get("/ui/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', login.text).group(1)
        signed_in = browser.post("/ui/login", data={"username": name, "password": PASSWORD,
                                 "csrf": csrf}, follow_redirects=False)  # fmt: skip
        assert signed_in.status_code == 303, signed_in.text
        for page in pages:
            answer = browser.get(page)
            if answer.status_code >= 500 or "text/html" not in answer.headers["content-type"]:
                failures.append(f"{name} {page}: {answer.status_code}")
    assert failures == [], "\n".join(failures)
