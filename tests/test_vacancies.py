"""Open vacancies through the API: roles the employers are hiring for as they are, matched as
a whole, included or left out by the rule set, proposed with every task of the role."""

from __future__ import annotations

import sqlalchemy as sa

from api.storage.tables import RoleRow, TaskRow
from tests.test_api import auth


def test_an_open_vacancy_is_matched_as_a_whole_and_proposed_with_every_task(service):
    client, tokens, _, mine, engine = service
    company, rekry = auth(tokens["coordinator"]), auth(tokens["rekrypiste"])
    with engine.connect() as c:
        employer_of = dict(c.execute(sa.select(TaskRow.id, RoleRow.employer_id)
                                     .join(RoleRow, RoleRow.id == TaskRow.role_id)).all())  # fmt: skip
    # A person with two fitting tasks at one employer; a new open vacancy of copies of them.
    pair: list[int] = []
    for jid in mine:
        items = client.get(f"/jobseekers/{jid}/matches?k=20", headers=company).json()["items"]
        by_employer: dict[int, list[int]] = {}
        for item in items:
            if item["explanation"]["assessed"]:
                by_employer.setdefault(employer_of[item["task_id"]], []).append(item["task_id"])
        pair = next((v[:2] for v in by_employer.values() if len(v) >= 2), [])
        if pair:
            break
    assert pair, "no person of the area has two fitting tasks at one employer"
    employer = employer_of[pair[0]]
    listed = client.get(f"/employers/{employer}/roles", headers=rekry).json()["data"]
    task_json = {tid: t for r in listed for tid, t in zip(r["task_ids"], r["role"]["tasks"],
                                                          strict=True)}  # fmt: skip
    copied = [task_json[t] | {"title": task_json[t]["title"] + " (avoin)"} for t in pair]
    hours = sum(t["hours_per_week"] for t in copied)
    role = {"title": "Avoin työpaikka", "sector": listed[0]["role"]["sector"],
            "open_vacancy": True, "vacancy_hours": hours, "tasks": copied}  # fmt: skip
    stored = client.post(f"/employers/{employer}/roles", json={"role": role}, headers=rekry)
    assert stored.status_code == 201, stored.text
    new_tasks = sorted(stored.json()["task_ids"])

    answer = client.get(f"/jobseekers/{jid}/vacancies", headers=company).json()
    assert answer["included"] is True
    vacancy = next(v for v in answer["items"] if v["task_ids"] == new_tasks)
    assert vacancy["title"] == "Avoin työpaikka" and vacancy["hours"] == hours
    totals = [v["total"] for v in answer["items"]]
    assert totals == sorted(totals, reverse=True)

    code = client.get(f"/jobseekers/{jid}", headers=company).json()["profile"]["code"]
    body = {"jobseeker_code": code, "task_ids": new_tasks,
            "suggestion_id": answer["suggestion_id"]}  # fmt: skip
    created = client.post("/proposals", json=body, headers=company)
    assert created.status_code == 201, created.text  # no reason: the engine suggested it
    proposal = client.get(f"/proposals/{created.json()['id']}", headers=company).json()
    assert sorted(proposal["task_ids"]) == new_tasks and proposal["against_engine"] is False

    assert client.get(f"/jobseekers/{jid}/vacancies", headers=rekry).status_code == 403
    assert client.get(f"/jobseekers/{jid}/vacancies",
                      headers=auth(tokens["other_area"])).status_code == 404  # fmt: skip
