"""The whole pool through the API: batch runs (analysts start them, coordinators read what
changed for their people, Rekrypiste the counts for an employer's tasks), the what-if, hand-over
options and the week's clearing — each with its role, its area and its audit row."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from api.http.deps import bump_data_version
from api.jobs.run_store import BatchRuns
from api.storage.loading import load_index
from api.storage.tables import JobseekerRow, TaskRow
from features.catalogue import CHARACTERISTIC_IDS
from matching.ranking import rank_tasks_for_person
from matching.rules import default_ruleset
from tests.conftest import api_client
from tests.test_api import audit_rows, auth

pytestmark = pytest.mark.usefixtures("one_dask_cluster")  # one cluster for the module's runs


def _run(client, token: str, runs_before: int) -> None:
    started = client.post("/batch/runs", headers=auth(token))
    assert started.status_code == 202, started.text
    for _ in range(240):
        listed = client.get("/batch/runs", headers=auth(token)).json()
        if listed["count"] > runs_before and not listed["running"]:
            return
        time.sleep(0.5)
    raise AssertionError("the batch run did not finish in two minutes")


@pytest.fixture
def pool(service, database_url: str, tmp_path: Path):
    """The service with its own batch folder, one run made, then a change, then a second
    run: (client, tokens, area, mine, engine, gone task id, batch folder)."""
    _, tokens, area, mine, engine = service
    client = api_client(database_url, batch_dir=tmp_path / "batch", batch_workers=1)
    _run(client, tokens["analyst"], 0)
    store = BatchRuns(tmp_path / "batch")
    (first,) = store.runs()
    rows = store.rows(first, "person_id", list(mine))
    good = rows[rows["assessed"]]
    gone = int(good["task_id"].value_counts().index[0])  # the area's most common good match
    with Session(engine) as session, session.begin():
        session.execute(sa.update(TaskRow).where(TaskRow.id == gone).values(task_type="core"))
        bump_data_version(session)
    _run(client, tokens["analyst"], 1)
    return client, tokens, area, mine, engine, gone, tmp_path / "batch"


def test_only_analysts_and_admins_run_batches(service, database_url, tmp_path) -> None:
    _, tokens, *_ = service
    client = api_client(database_url, batch_dir=tmp_path / "b")
    for role in ("coordinator", "work_ability", "rekrypiste"):
        assert client.post("/batch/runs", headers=auth(tokens[role])).status_code == 403
        assert client.get("/batch/runs", headers=auth(tokens[role])).status_code == 403
    assert client.get("/batch/runs", headers=auth(tokens["admin"])).json()["count"] == 0


def test_what_changed_reaches_the_persons_coordinators_and_the_caseload(pool) -> None:
    client, tokens, _area, mine, engine, gone, folder = pool
    store = BatchRuns(folder)
    latest, previous = store.latest_two()
    before = store.rows(previous, "person_id", list(mine))
    had = sorted(
        {int(p) for p in before[before["assessed"] & (before["task_id"] == gone)]["person_id"]}
    )
    assert had
    person = had[0]
    news = client.get(f"/jobseekers/{person}/news?lang=fi", headers=auth(tokens["coordinator"]))
    assert news.status_code == 200
    body = news.json()
    assert gone in [t["task_id"] for t in body["lost"]]
    assert body["since"] is not None and "ajon jälkeen" in body["summary"]
    # Brute force over the two stored runs: new = good now and not before.
    after = store.rows(latest, "person_id", [person])
    was = set(before[(before["person_id"] == person) & before["assessed"]]["task_id"])
    now = set(after[after["assessed"]]["task_id"])
    assert {t["task_id"] for t in body["new"]} == {int(t) for t in now - was}
    # Other areas' coordinators and employer-facing staff do not read a person's news.
    assert (
        client.get(f"/jobseekers/{person}/news", headers=auth(tokens["other_area"])).status_code
        == 404
    )
    assert (
        client.get(f"/jobseekers/{person}/news", headers=auth(tokens["rekrypiste"])).status_code
        == 403
    )
    assert audit_rows(engine, action="read_match_news")
    # The caseload shows the new ones as a next step.
    with Session(engine) as session, session.begin():
        session.execute(
            sa.update(JobseekerRow).where(JobseekerRow.id.in_(mine)).values(coordinator="coord")
        )
    page = client.get("/jobseekers/caseload?limit=200", headers=auth(tokens["coordinator"])).json()
    counts = {
        r["id"]: s["about_id"]
        for r in page["data"]
        for s in r["next_steps"]
        if s["step"] == "new_since_run"
    }
    for pid, n in counts.items():
        got = client.get(f"/jobseekers/{pid}/news", headers=auth(tokens["coordinator"])).json()
        assert n == len(got["new"]) > 0


def test_an_employers_task_counts_name_nobody(pool) -> None:
    client, tokens, _area, _mine, engine, gone, _folder = pool
    with Session(engine) as session:
        employer = session.scalar(sa.select(TaskRow.role_id).where(TaskRow.id == gone))
        from api.storage.tables import RoleRow

        employer = session.scalar(sa.select(RoleRow.employer_id).where(RoleRow.id == employer))
    answer = client.get(f"/employers/{employer}/task-news", headers=auth(tokens["rekrypiste"]))
    assert answer.status_code == 200
    rows = {r["task_id"]: r for r in answer.json()["data"]}
    assert rows[gone]["lost"] > 0 and rows[gone]["candidates"] == 0
    # Counted by hand from the stored run: fully assessed, and people a Rekrypiste may be shown.
    index = load_index(engine)
    shown = set(index.people.ids[index.people.shareable].tolist())
    store = BatchRuns(_folder)
    latest, _ = store.latest_two()
    stored = store.rows(latest, "task_id", list(rows))
    for task_id, row in rows.items():
        mine = stored[(stored["task_id"] == task_id) & stored["assessed"]]
        assert row["candidates"] == int(mine["person_id"].isin(shown).sum())
    assert "person_id" not in answer.text and "JS-" not in answer.text
    assert (
        client.get(
            f"/employers/{employer}/task-news", headers=auth(tokens["work_ability"])
        ).status_code
        == 403
    )
    assert (
        client.get("/employers/999999/task-news", headers=auth(tokens["rekrypiste"])).status_code
        == 404
    )


def _a_hand_over_task_and_a_core_role(engine) -> tuple[int, int]:
    """The first hand-over task, and the role of the first core task."""
    with Session(engine) as session:
        task = session.scalar(
            sa.select(TaskRow.id).where(TaskRow.task_type == "hand_over").order_by(TaskRow.id)
        )
        role = session.scalar(
            sa.select(TaskRow.role_id).where(TaskRow.task_type == "core").order_by(TaskRow.id)
        )
    return int(task or 0), int(role or 0)


def test_what_if_and_hand_over_options_for_employer_facing_staff(service) -> None:
    client, tokens, _area, _mine, engine = service
    task, role = _a_hand_over_task_and_a_core_role(engine)
    for role_name in ("rekrypiste", "coordinator"):
        answer = client.get(f"/tasks/{task}/what-if?lang=en", headers=auth(tokens[role_name]))
        assert answer.status_code == 200
        body = answer.json()
        assert body["fit_now"] <= body["in_reach"]
        assert all(v["sentence"] for v in body["variants"])
        assert [v["more"] for v in body["variants"]] == sorted(
            (v["more"] for v in body["variants"]), reverse=True
        )
    with Session(engine) as session:
        task_role = session.scalar(sa.select(TaskRow.role_id).where(TaskRow.id == task))
    by_role = client.get(f"/roles/{task_role}/what-if", headers=auth(tokens["rekrypiste"]))
    assert by_role.status_code == 200 and task in [a["task_id"] for a in by_role.json()]
    options = client.get(f"/roles/{role}/hand-over-options", headers=auth(tokens["rekrypiste"]))
    assert options.status_code == 200 and options.json()["count"] >= 1
    for path in (f"/tasks/{task}/what-if", f"/roles/{role}/hand-over-options"):
        assert client.get(path, headers=auth(tokens["work_ability"])).status_code == 403
        assert client.get(path, headers=auth(tokens["analyst"])).status_code == 403
    assert (
        client.get("/tasks/999999/what-if", headers=auth(tokens["rekrypiste"])).status_code == 404
    )
    assert (
        client.get(
            "/roles/999999/hand-over-options", headers=auth(tokens["rekrypiste"])
        ).status_code
        == 404
    )
    assert audit_rows(engine, action="what_if") and audit_rows(engine, action="hand_over_options")


def test_clearing_suggests_within_the_area_and_keeps_every_constraint(service) -> None:
    client, tokens, area, mine, engine = service
    for objective in ("score", "people"):
        answer = client.get(f"/clearing?objective={objective}", headers=auth(tokens["coordinator"]))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["area"] == area and body["optimal"]
        if objective == "people":
            assert body["people"] >= body["greedy_people"]
        else:
            assert body["total"] >= body["greedy_total"] - 1e-6
        people = [s["person_id"] for s in body["data"]]
        assert set(people) <= set(mine) and len(people) == len(set(people)) == body["people"]
        tasks = [t for s in body["data"] for t in s["task_ids"]]
        assert len(tasks) == len(set(tasks)) == body["tasks"]
        with Session(engine) as session:
            for s in body["data"]:
                rows = session.execute(sa.select(TaskRow.hours_per_week, TaskRow.schedule)
                                       .where(TaskRow.id.in_(s["task_ids"]))).all()  # fmt: skip
                assert np.isclose(sum(h for h, _ in rows), s["hours"])
                slots = [slot for _, schedule in rows for slot in schedule]
                assert len(slots) == len(set(slots))  # no slot twice
    for role_name in ("rekrypiste", "analyst", "work_ability"):
        assert client.get("/clearing", headers=auth(tokens[role_name])).status_code == 403
    assert (
        client.get("/clearing?objective=most", headers=auth(tokens["coordinator"])).status_code
        == 422
    )
    assert audit_rows(engine, action="clearing")


def test_assessments_missing_for_the_best_matches_come_from_the_latest_run(pool) -> None:
    client, tokens, _area, mine, engine, _gone, _folder = pool
    with Session(engine) as session, session.begin():
        session.execute(
            sa.update(JobseekerRow).where(JobseekerRow.id.in_(mine)).values(coordinator="coord")
        )
    page = client.get("/jobseekers/caseload?limit=200", headers=auth(tokens["coordinator"])).json()
    index = load_index(engine)
    rules = default_ruleset()
    checked = 0
    for row in page["data"]:
        i = index.people.row_of[row["id"]]
        if not index.people.matchable[i]:
            continue
        # Brute force: what is to be assessed in the person's top 20, where their own
        # capacity is not rated.
        ranked = rank_tasks_for_person(index.people, index.tasks, row["id"], rules, 20)
        columns = np.flatnonzero(
            ranked.pairs.unknown.any(axis=0) & np.isnan(index.people.capacity[i])
        )
        expected = [CHARACTERISTIC_IDS[c] for c in columns]
        steps = {s["step"]: s for s in row["next_steps"]}
        got = steps["assess"]["characteristics"] if "assess" in steps else []
        assert got == expected, row["code"]
        checked += bool(expected)
    assert checked > 0


def test_an_erasure_reaches_every_stored_run(pool) -> None:
    client, tokens, _area, mine, _engine, _gone, folder = pool
    store = BatchRuns(folder)
    latest, _ = store.latest_two()
    rows = store.rows(latest, "person_id", list(mine))
    person = int(rows["person_id"].iloc[0])
    tasks = store.rows(latest, "task_id", [int(t) for t in rows["task_id"]])
    assert person in set(tasks["person_id"])  # in some task's list too (the brute-force check)
    erased = client.delete(f"/jobseekers/{person}", headers=auth(tokens["coordinator"]))
    assert erased.status_code in (200, 204), erased.text
    for path in folder.glob("*/by_*.parquet"):
        assert person not in set(
            pq.read_table(path, columns=["person_id"])["person_id"].to_pylist()
        )


def test_only_the_newest_runs_are_kept(tmp_path: Path) -> None:
    store = BatchRuns(tmp_path)
    for n in range(5):
        run = tmp_path / f"run{n}"
        run.mkdir()
        info = {**_RUN, "run_id": f"run{n}", "created_at": f"2026-12-0{n + 1}T02:30:00+00:00"}
        (run / "run.json").write_text(json.dumps(info), encoding="utf-8")
    assert store.prune(3) == ["run1", "run0"]
    assert [r.run_id for r in store.runs()] == ["run4", "run3", "run2"]


_RUN = {
    "ruleset_version": "v", "ruleset_fingerprint": "f", "code_fingerprint": "c",
    "data_version": 1, "k": 20, "workers": 1, "scheduler": "local", "people": 1, "tasks": 1,
    "pairs_before_pruning": 1, "pairs_scored": 1, "pairs_feasible": 1, "seconds": 1.0,
}  # fmt: skip


def test_what_if_and_hand_over_counts_leave_out_people_who_do_not_share(service) -> None:
    """The figures are told to employers: someone who has not agreed to be shared with
    employers is not among them (before, every matchable person was counted)."""
    client, tokens, _area, _mine, engine = service
    task, role = _a_hand_over_task_and_a_core_role(engine)
    headers = auth(tokens["coordinator"])
    before = client.get(f"/tasks/{task}/what-if", headers=headers).json()
    options = client.get(f"/roles/{role}/hand-over-options", headers=headers).json()["data"]
    assert before["in_reach"] > 0 and any(o["people"] for o in options)
    with Session(engine) as session:
        session.execute(sa.update(JobseekerRow).values(consent_scope=["matching"]))
        bump_data_version(session)
        session.commit()
    after = client.get(f"/tasks/{task}/what-if", headers=headers).json()
    assert after["in_reach"] == after["fit_now"] == 0
    assert all(v["more"] == 0 for v in after["variants"])
    options = client.get(f"/roles/{role}/hand-over-options", headers=headers).json()["data"]
    assert all(o["people"] == 0 for o in options)
