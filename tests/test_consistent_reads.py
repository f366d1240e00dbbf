"""The match index is read in one snapshot of the database: a bulk change in progress (a role
and its tasks replaced) never makes a match answer 500, on SQLite or PostgreSQL. Before, the
six tables were read at different moments: on PostgreSQL 33 of 46 matches failed while a role
was being replaced."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from tests.conftest import api_client
from tests.test_api import auth


def _role(title):
    from features.demo.templates import ROLE_TEMPLATES, role_from_template

    role = role_from_template(ROLE_TEMPLATES[0]).model_dump(mode="json")
    return {"role": {**role, "title": title}}


def test_matching_while_roles_are_replaced_never_fails(service, database_url):
    _, tokens, _, mine, engine = service
    with engine.connect() as c:
        eid, title = c.execute(sa.text(
            "SELECT r.employer_id, r.title FROM role r WHERE NOT EXISTS (SELECT 1 FROM task t "
            "JOIN proposal_task pt ON pt.task_id = t.id WHERE t.role_id = r.id) "
            "ORDER BY r.id LIMIT 1")).one()  # fmt: skip
    writer, reader = api_client(database_url), api_client(database_url)  # two workers
    done = threading.Event()
    replaced: list[int] = []
    answers: list[int] = []

    def replace_roles():
        try:
            while len(replaced) < 25:
                answer = writer.post(f"/employers/{eid}/roles?replace=true", json=_role(title),
                                     headers=auth(tokens["rekrypiste"]))  # fmt: skip
                replaced.append(answer.status_code)
        finally:
            done.set()

    thread = threading.Thread(target=replace_roles)
    thread.start()
    while not done.is_set() or len(answers) < 10:
        answer = reader.get(f"/jobseekers/{mine[0]}/matches?k=5",
                            headers=auth(tokens["coordinator"]))  # fmt: skip
        answers.append(answer.status_code)
    thread.join()
    assert set(replaced) == {201}
    assert set(answers) == {200}, f"{answers.count(500)} of {len(answers)} matches failed"
