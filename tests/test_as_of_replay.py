"""As-of replay: every proposal is ranked on the world as it was when it was made, rebuilt
from the versions the storage functions write beside the current rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from api.jobs.evaluation import read_history, run_evaluation, stored_history
from api.storage import repository
from api.storage.bulk import load_tables
from api.storage.engine import transaction
from api.storage.history import tables_as_of
from api.storage.loading import load_index
from features.demo import build_world
from features.schemas import Role
from features.schemas.jobseeker import JobseekerStatus
from matching.evaluation import replay
from matching.index import MatchIndex
from matching.rules import default_ruleset
from tests import factories

WORLD = build_world("tiny", seed=11)
OPTIONS = {"k": 10, "coverage_sample": 100, "task_sample": 20}


def _ranks(engine: Engine, *, as_of: bool) -> pd.Series:
    with engine.connect() as conn:
        index = load_index(conn)
        history = stored_history(conn, index) if as_of else None
        result = replay(index, default_ruleset(), read_history(conn), history=history, **OPTIONS)
    return result.proposals.set_index("proposal_id")["rank"]


def _same_matrices(a: MatchIndex, b: MatchIndex) -> None:
    for side in ("people", "tasks"):
        left, right = getattr(a, side), getattr(b, side)
        assert np.array_equal(left.ids, right.ids)
        for name, value in vars(left).items():
            if isinstance(value, np.ndarray):
                nan_equal = value.dtype.kind == "f"
                assert np.array_equal(value, getattr(right, name), equal_nan=nan_equal), (
                    side,
                    name,
                )


def test_the_world_as_of_now_is_the_world_as_it_is(engine):
    """One definition: the tables rebuilt from the versions valid now give the same matrices
    as the current tables, after bulk loading and after edits through the storage functions."""
    load_tables(engine, WORLD.tables)
    with transaction(engine) as s:
        first = int(WORLD.tables["jobseeker"]["id"].iloc[0])
        profile = repository.get_jobseeker(s, jobseeker_id=first)
        repository.replace_jobseeker(
            s, jobseeker_id=first, profile=profile.model_copy(update={"goals": "puutarhatyö"})
        )
        employer = int(WORLD.tables["employer"]["id"].iloc[0])
        repository.add_role(
            s, employer_id=employer,
            role=Role.model_validate({"title": "Uusi rooli", "sector": "logistics",
                                      "tasks": [factories.task()]}),
        )  # fmt: skip
    with engine.connect() as conn:
        now = load_index(conn)
        rebuilt = MatchIndex.from_tables(tables_as_of(conn, datetime.now(UTC)))
    _same_matrices(now, rebuilt)


def test_an_edit_after_the_outcome_cannot_change_its_replayed_rank(engine, small_world):
    load_tables(engine, small_world.tables)
    before = _ranks(engine, as_of=True)
    proposal = small_world.tables["proposal"].set_index("id")
    # After the outcomes: 40 of the people with ranked proposals are placed or paused (as a
    # live register marks them), and new tasks appear that suit many.
    people = proposal.loc[before.dropna().index, "jobseeker_id"].unique()[:40]
    edited = proposal.index[proposal["jobseeker_id"].isin(people)].intersection(before.index)
    with transaction(engine) as s:
        for n, person_id in enumerate(people.tolist()):
            profile = repository.get_jobseeker(s, jobseeker_id=person_id)
            status = JobseekerStatus.PLACED if n % 2 else JobseekerStatus.PAUSED
            repository.replace_jobseeker(
                s, jobseeker_id=person_id, profile=profile.model_copy(update={"status": status})
            )
        for employer in small_world.tables["employer"]["id"].head(5).tolist():
            repository.add_role(
                s, employer_id=int(employer),
                role=Role.model_validate({"title": "Helppo", "sector": "logistics",
                                          "tasks": [factories.task(hours_per_week=4)]}),
            )  # fmt: skip
    after = _ranks(engine, as_of=True)
    pd.testing.assert_series_equal(before, after)
    # The same edits do move the ranks of a replay on the world as it is now.
    now = _ranks(engine, as_of=False)
    assert before.loc[edited].notna().sum() >= 40
    assert now.loc[edited].isna().all()


def test_a_profile_is_replayed_as_it_was_on_the_day(engine):
    """A capacity lowered after a proposal: the replay at the proposal's time reads the level
    of that day, the current one the new level."""
    load_tables(engine, WORLD.tables)
    person_id = int(WORLD.tables["jobseeker"]["id"].iloc[3])
    before = datetime.now(UTC)
    with transaction(engine) as s:
        profile = repository.get_jobseeker(s, jobseeker_id=person_id)
        lowered = {
            cid: c.model_copy(update={"level": 0}) if c.level > 0 else c
            for cid, c in profile.capacities.items()
        }
        repository.replace_jobseeker(
            s, jobseeker_id=person_id, profile=profile.model_copy(update={"capacities": lowered})
        )
    with engine.connect() as conn:
        then = tables_as_of(conn, before - timedelta(seconds=1))["capacity"]
        now = tables_as_of(conn, datetime.now(UTC))["capacity"]
    old = WORLD.tables["capacity"].query(f"jobseeker_id == {person_id}")
    assert (then.query(f"jobseeker_id == {person_id}")["level"].to_numpy() > 0).any()
    assert sorted(then.query(f"jobseeker_id == {person_id}")["level"]) == sorted(old["level"])
    assert (now.query(f"jobseeker_id == {person_id}")["level"] == 0).all()


@pytest.mark.parametrize("as_of", [True, False])
def test_the_report_says_how_it_replayed(sqlite_engine, as_of):
    load_tables(sqlite_engine, WORLD.tables)
    with sqlite_engine.connect() as conn:
        report = run_evaluation(conn, load_index(conn), default_ruleset(), as_of=as_of, **OPTIONS)
    assert report["replayed_as_of"] is as_of
    assert report["a"]["counts"]["worlds_replayed"] == 1  # nobody edited since
