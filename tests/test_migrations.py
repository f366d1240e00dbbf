"""Every migration keeps every row: from every earlier revision, on SQLite and PostgreSQL.

For each revision r before head: a database built to r holds two rows in every table (each
parent with children); one step up keeps every row on the columns both revisions have; the
step back down keeps them again; the upgrade to head keeps them all. Built this way, the
harness failed on 0009, 0010, 0015 and 0019 as they ran before (foreign keys on during
SQLite's table copies, the copy's DROP cascading into the children):
``test_the_harness_sees_what_the_old_runner_lost`` keeps that proof.

New migrations are added with this harness: a new revision is in ``revisions()`` and so here.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from api.storage.engine import make_engine
from api.storage.migrate import (
    MigrationCheckError,
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    revisions,
    upgrade,
)
from tests.migration_harness import differences, populate, snapshot

REVISIONS = revisions()


@pytest.fixture
def blank(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_every_row_survives_every_migration(blank, revision):
    upgrade(blank, revision)
    populate(blank)
    at_revision = snapshot(blank)
    assert all(rows for rows in at_revision.values()), "every table holds rows"

    following = REVISIONS[REVISIONS.index(revision) + 1]
    upgrade(blank, following)
    assert differences(at_revision, snapshot(blank)) == [], f"upgrade {revision}→{following}"

    downgrade(blank, revision)
    assert differences(at_revision, snapshot(blank)) == [], f"downgrade {following}→{revision}"

    upgrade(blank)
    assert current_revision(blank) == head_revision()
    assert differences(at_revision, snapshot(blank)) == [], f"upgrade {revision}→head"


def test_the_harness_sees_what_the_old_runner_lost(tmp_path):
    """The runner as it was (foreign keys on through the migration) emptied the children of
    every table a migration copied; the harness reports it."""

    def old_upgrade(engine, revision):
        with engine.begin() as connection:
            config = alembic_config(str(engine.url))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    lost = {}
    for revision, following in (("0008", "0009"), ("0009", "0010"), ("0014", "0015")):
        engine = make_engine(f"sqlite:///{tmp_path / f'{following}.db'}")
        upgrade(engine, revision)
        populate(engine)
        before = snapshot(engine)
        old_upgrade(engine, following)
        lost[following] = differences(before, snapshot(engine))
        engine.dispose()
    assert "proposal_task: 2 of 2 rows lost" in lost["0009"]
    assert "outcome_event: 2 of 2 rows lost" in lost["0009"]
    assert lost["0010"] == ["api_token: 2 of 2 rows lost"]
    assert "task: 2 of 2 rows lost" in lost["0015"]


def test_a_run_that_breaks_a_reference_commits_nothing(tmp_path):
    """The SQLite runner checks the foreign keys before it commits: a run leaving a row that
    points at nothing is rolled back whole, revision and all."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine, "0018")
    populate(engine)
    with engine.connect() as conn:  # a dangling reference, as a faulty copy would leave
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql("UPDATE task SET role_id = 999999")
        conn.commit()
    before = snapshot(engine)
    with pytest.raises(MigrationCheckError, match="task"):
        upgrade(engine)
    assert current_revision(engine) == "0018"
    assert differences(before, snapshot(engine)) == []
    with engine.connect() as conn:
        explored = [c["name"] for c in sa.inspect(conn).get_columns("suggestion")]
    assert "explored" not in explored, "the failed run's DDL was rolled back"
    engine.dispose()
