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

import datetime as dt

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
from api.storage.tables import IDS_NEVER_REUSED
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
    # 0019 copied suggestion: the DROP cascaded into override (deleted) and proposal (set
    # null, which the proposal's own check refuses): the old runner fails outright here.
    engine = make_engine(f"sqlite:///{tmp_path / '0019.db'}")
    upgrade(engine, "0018")
    populate(engine)
    with pytest.raises(sa.exc.IntegrityError, match="ck_proposal_position_with_its_list"):
        old_upgrade(engine, "0019")
    engine.dispose()


def test_a_run_that_breaks_a_reference_commits_nothing(tmp_path):
    """The SQLite runner checks the foreign keys before it commits: a run that leaves rows
    pointing at nothing (as a table copy with foreign keys on once did) is rolled back whole,
    revision and all."""
    from api.storage.migrate import _migrating

    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine, "0018")
    populate(engine)
    before = snapshot(engine)
    refused = pytest.raises(MigrationCheckError, match=r"2 rows pointing at nothing \(in task\)")
    with refused, _migrating(engine) as (connection, _url):
        connection.exec_driver_sql("ALTER TABLE suggestion ADD COLUMN scratch INTEGER")
        connection.exec_driver_sql("DELETE FROM role")  # as a cascading copy would
    assert differences(before, snapshot(engine)) == []
    with engine.connect() as conn:
        columns = [c["name"] for c in sa.inspect(conn).get_columns("suggestion")]
    assert "scratch" not in columns, "the failed run's DDL was rolled back"
    engine.dispose()


def test_rows_that_pointed_at_nothing_before_do_not_stop_an_upgrade_or_a_start(tmp_path, caplog):
    """A row left dangling earlier (the sqlite3 shell has foreign keys off) is not the run's
    doing: the upgrade keeps it and says so; a start with nothing to migrate checks nothing."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine, "0005")
    populate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql("UPDATE crm_note SET employer_id = 4242")
        conn.commit()
    before = snapshot(engine)
    with caplog.at_level("WARNING", logger="tasma.migrate"):
        upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert differences(before, snapshot(engine)) == []
    assert "crm_note 2" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="tasma.migrate"):
        upgrade(engine)  # at head: nothing to run, nothing checked, nothing said
    assert caplog.text == ""
    engine.dispose()


def test_a_damaged_file_is_not_migrated(tmp_path):
    path = tmp_path / "tasma.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0018")
    populate(engine)
    engine.dispose()
    with sa.create_engine(f"sqlite:///{path}").connect() as conn:  # an index that lies
        conn.exec_driver_sql("PRAGMA writable_schema=ON")
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, '(role_id)', '(title)') "
            "WHERE name = 'ix_task_role_id'"
        )
        conn.commit()
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(MigrationCheckError, match="damaged"):
        upgrade(engine)
    assert current_revision(engine) == "0018"
    engine.dispose()


def test_ids_are_never_given_twice_on_sqlite(tmp_path):
    """At head every table whose ids others refer to is AUTOINCREMENT on SQLite, and a
    database upgraded from before keeps its counter past the highest id the audit named."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine, "0019")
    populate(engine)
    with engine.begin() as conn:  # person 500 was made and erased: only the trail names them
        conn.exec_driver_sql(
            "INSERT INTO audit_event (at, actor, role, action, object_type, object_id, purpose, "
            "details) "
            "SELECT at, actor, role, 'erase', 'jobseeker', '500', purpose, details FROM audit_event "
            "LIMIT 1"
        )
    upgrade(engine)
    with engine.connect() as conn:
        schema = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
        counters = dict(conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all())
    autoincrement = {name for name, sql in schema.items() if sql and "AUTOINCREMENT" in sql}
    assert autoincrement == set(IDS_NEVER_REUSED)
    assert counters["jobseeker"] == 500
    assert counters["task"] == max(snapshot(engine)["task"])[0]
    engine.dispose()


@pytest.mark.parametrize("sign", ["demo user", "made-up people", "neither"])
def test_an_old_demo_database_stays_a_demo(database_url, sign):
    """A database built by the demo before demos were marked (0005) is recognised on upgrade:
    a production start then refuses it, and its published demo log-ins are demo users."""
    from api.auth.setup import UnsafeStartError, check_start, is_demo
    from api.core.security import hash_password

    engine = make_engine(database_url)
    upgrade(engine, "0005")
    populate(engine)
    with engine.begin() as conn:
        if sign == "demo user":
            conn.execute(
                sa.text("UPDATE app_user SET name = 'demo.admin', role = 'admin', "
                        "password_hash = :hash WHERE id = (SELECT MIN(id) FROM app_user)"),
                {"hash": hash_password("demo-admin")},
            )  # fmt: skip
        if sign == "made-up people":
            conn.execute(sa.text("UPDATE jobseeker_identity SET email = 'a.b.1@client.example'"))
        # a real user whose password is not the published one is never taken for a demo user
        conn.execute(
            sa.text("UPDATE app_user SET name = 'demo.analyst', password_hash = :hash "
                    "WHERE id = (SELECT MAX(id) FROM app_user)"),
            {"hash": hash_password("a real secret")},
        )  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        marked = dict(conn.execute(sa.text("SELECT name, demo FROM app_user")).all())
    assert is_demo(engine) is (sign != "neither")
    assert marked["demo.analyst"] in (False, 0)
    if sign == "demo user":
        assert marked["demo.admin"] in (True, 1)
    if sign != "neither":
        with pytest.raises(UnsafeStartError, match="tasma demo"):
            check_start(engine, production=True, secret_set=True, host="127.0.0.1")
    engine.dispose()


def test_everyone_stored_before_episodes_gets_one(database_url):
    """0024: each person already stored gets an episode started the day they were entered,
    the referral source unknown, their status as it was; the downgrade drops only episodes."""
    engine = make_engine(database_url)
    upgrade(engine, "0023")
    populate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE jobseeker SET status = 'placed' WHERE id = "
                             "(SELECT MAX(id) FROM jobseeker)"))  # fmt: skip
        people = conn.execute(sa.text("SELECT id, created_at, status FROM jobseeker")).all()
    upgrade(engine, "0024")
    with engine.connect() as conn:
        episodes = conn.execute(sa.text(
            "SELECT jobseeker_id, started_on, referral_source, status FROM service_episode"
        )).all()  # fmt: skip
    assert len(people) == 2
    by_person = {row[0]: row[1:] for row in episodes}
    for person_id, created_at, status in people:
        started_on, source, episode_status = by_person[person_id]
        created = created_at if not isinstance(created_at, str) else dt.datetime.fromisoformat(
            created_at)  # fmt: skip
        assert str(started_on)[:10] == created.date().isoformat()
        assert (source, episode_status) == ("unknown", status if status == "placed" else "active")
    engine.dispose()
