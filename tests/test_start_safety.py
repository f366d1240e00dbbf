"""Demo accounts only on a demo database; no listening beyond this machine without production
settings; a real database needs an admin — and the purge record cannot be forged."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth.setup import (
    DEMO_USERS,
    UnsafeStartError,
    add_user,
    check_start,
    demo_users,
    is_demo,
    mark_demo,
    retire_demo_users,
    seed_demo,
)
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.storage.bulk import load_tables
from api.storage.engine import transaction
from api.storage.tables import AuditPurgeRow, AuditRow, UserRow
from features.demo import build_world


def test_demo_users_exist_only_on_a_database_marked_as_a_demo(engine):
    load_tables(engine, build_world("tiny", seed=4).tables)  # real-looking data, no mark
    assert not is_demo(engine)
    with pytest.raises(UnsafeStartError, match="tasma demo"):
        demo_users(engine)
    with pytest.raises(UnsafeStartError, match="no admin"):
        check_start(engine, production=False, secret_set=False, host="127.0.0.1")
    with transaction(engine) as s:
        add_user(s, name="operator", role=Role.ADMIN)
    check_start(engine, production=False, secret_set=False, host="127.0.0.1")
    with engine.connect() as c:
        assert not c.scalar(sa.select(sa.func.count()).select_from(UserRow).where(UserRow.demo))


def test_serving_beyond_loopback_needs_production_settings(engine):
    assert seed_demo(engine, "tiny") is not None and is_demo(engine)
    check_start(engine, production=False, secret_set=False, host="127.0.0.1")
    with pytest.raises(UnsafeStartError, match="TASMA_SECRET_KEY"):
        check_start(engine, production=False, secret_set=False, host="0.0.0.0")
    with pytest.raises(UnsafeStartError, match="not for production"):
        check_start(engine, production=True, secret_set=True, host="0.0.0.0")


def test_demo_users_are_switched_off_when_the_database_is_not_a_demo(engine):
    assert seed_demo(engine, "tiny") is not None
    tokens = demo_users(engine)
    assert set(tokens) == set(DEMO_USERS) == {
        "demo.coordinator", "demo.workability", "demo.rekrypiste", "demo.analyst", "demo.admin",
        "demo.projectmanager",
    }  # fmt: skip
    assert {DEMO_USERS[name] for name in tokens} == set(Role), "a demo user per role"
    with engine.begin() as c:  # the same database, now holding real data, unmarked
        c.execute(sa.text("UPDATE data_version SET demo = :no").bindparams(no=False))
    assert sorted(retire_demo_users(engine)) == sorted(tokens)
    app = create_app(
        Settings(
            database_url=str(engine.url.render_as_string(False)),
            environment=Environment.TEST,
            demo_on_empty=False,
            warm_index=False,
        )
    )
    client = TestClient(app)
    for token in tokens.values():
        assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    login = client.post("/auth/token", json={"username": "demo.admin", "password": "demo-admin"})
    assert login.status_code == 401
    mark_demo(engine)  # and back: demo users come back only on a demo
    assert demo_users(engine)


def test_production_needs_a_secret_key():
    with pytest.raises(ValueError, match="TASMA_SECRET_KEY"):
        Settings(
            environment=Environment.PRODUCTION,
            demo_on_empty=False,
            database_url="postgresql://x@127.0.0.1/db",
        )
    Settings(
        environment=Environment.PRODUCTION,
        demo_on_empty=False,
        database_url="postgresql://x@127.0.0.1/db",
        secret_key="k" * 32,
    )


def test_serve_refuses_a_real_database_without_an_admin(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.db'}"
    env = os.environ | {
        "DATABASE_URL": url,
        "TASMA_DEMO_ON_EMPTY": "false",
        "TASMA_ENVIRONMENT": "test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--port", "65000"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "refusing to start" in done.stderr + done.stdout
    assert "tasma users add" in done.stderr + done.stdout
    assert "tsm_" not in done.stdout, "no token printed"


def test_serve_on_a_taken_port_says_so_before_building_anything(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = os.environ | {"TASMA_DATA_DIR": str(tmp_path / "data"), "TASMA_DEMO_SIZE": "tiny",
                            "TASMA_ENVIRONMENT": "test"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 2
    said = done.stderr + done.stdout
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in said
    assert "--port" in said and "{" not in said  # one plain line, no JSON record
    assert "demo world built" not in said and not list(tmp_path.glob("data/*.db"))


def test_a_purge_record_cannot_unlock_recent_audit_rows(engine):
    """The application's own database user inserts a purge dated in the future, then deletes:
    the database refuses the record, so the rows stay."""
    with transaction(engine) as s:
        s.add(AuditRow(actor="x", role="admin", action="login", object_type="user", details={}))
    future = datetime.now(UTC) + timedelta(days=365)
    for forged in (
        {"at": future, "before": future},
        {"at": datetime.now(UTC), "before": datetime.now(UTC) - timedelta(days=1)},
    ):
        with pytest.raises(sa.exc.DBAPIError), transaction(engine) as s:
            s.add(AuditPurgeRow(actor="attacker", removed=0, **forged))
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as c:
        c.execute(sa.delete(AuditRow))
    if engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as c:
            c.execute(sa.text("TRUNCATE audit_event"))
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as c:
            c.execute(sa.text("TRUNCATE audit_purge CASCADE"))
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(AuditRow)) >= 1


def test_the_application_role_cannot_empty_the_audit_log_on_postgresql(tmp_path):
    """The service logs in as a role that may read and append the audit trail and nothing
    more: every way the review tried (DELETE after a forged purge record, TRUNCATE, disabling
    or dropping the trigger) is refused; the retention purge still works through the owner's
    function, and only for rows past the retention period."""
    import uuid

    from api.storage.audit import purge_expired, record
    from api.storage.engine import make_engine
    from api.storage.migrate import grant_app_role, set_audit_retention, upgrade
    from tests.conftest import POSTGRES_ADMIN_URL, _postgres_database

    role = f"tasma_app_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
    databases = _postgres_database()
    url = next(databases)
    try:
        owner = make_engine(url)
        upgrade(owner)
        grant_app_role(owner, role)
        app = make_engine(sa.engine.make_url(url).set(username=role).render_as_string(False))
        old = datetime.now(UTC) - timedelta(days=400)
        with owner.begin() as c:
            c.execute(sa.insert(AuditRow).values(at=old, actor="x", role="admin", action="old",
                                                 object_type="t", purpose="", details={}))  # fmt: skip
        with transaction(app) as s:  # the service appends as usual
            record(s, actor="anna", role="coordinator", action="recent", object_type="t")
            s.add(UserRow(name="new.user", role="analyst"))
        attacks = [
            "INSERT INTO audit_purge (at, actor, before, removed) VALUES "
            "(now() + interval '1 day', 'x', now() + interval '1 day', 0)",
            "DELETE FROM audit_event",
            "UPDATE audit_event SET actor = 'someone else'",
            "TRUNCATE audit_event",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
            "DROP TRIGGER audit_event_append_only ON audit_event",
            "DROP TABLE audit_event",
        ]
        for attack in attacks:
            with pytest.raises(sa.exc.DBAPIError), app.begin() as c:
                c.execute(sa.text(attack))
        attacks_on_the_purge = [
            # the retention is the owner's: not the app's to shorten
            "UPDATE audit_settings SET value = 30",
            # the old function took the retention and the purger's name from its caller
            "SELECT tasma_audit_purge(30, 'demo.admin')",
        ]
        for attack in attacks_on_the_purge:
            with pytest.raises(sa.exc.DBAPIError), app.begin() as c:
                c.execute(sa.text(attack))
        with transaction(app) as s:  # asking for 30 days keeps what the owner set (3650)
            assert purge_expired(s, retention_days=30, actor="ops") == 0
        # a temporary table named audit_purge captures nothing; a backdated row is dated now
        with app.begin() as c:
            c.execute(sa.text("CREATE TEMP TABLE audit_purge (LIKE public.audit_purge)"))
            c.execute(sa.insert(AuditRow).values(at=old, actor="x", role="admin",
                      action="backdated", object_type="t", purpose="", details={}))  # fmt: skip
            c.execute(sa.text("SELECT tasma_audit_purge(30)"))
            assert c.scalar(sa.text("SELECT count(*) FROM pg_temp.audit_purge")) == 0
        with owner.connect() as c:
            stamped = c.scalar(sa.select(AuditRow.at).where(AuditRow.action == "backdated"))
            assert stamped > datetime.now(UTC) - timedelta(minutes=5)
        set_audit_retention(owner, 365)  # the owner shortens it
        with transaction(app) as s:
            assert purge_expired(s, retention_days=30, actor="ops") == 1
        with owner.connect() as c:
            purgers = set(c.scalars(sa.select(AuditPurgeRow.actor)))
        assert purgers == {role}, "the purger is the database login, not a name passed in"
        service = TestClient(create_app(Settings(
            database_url=str(app.url.render_as_string(False)), environment=Environment.TEST,
            demo_on_empty=False, warm_index=False,
        )))  # fmt: skip
        assert service.get("/health").status_code == 200, "the service runs as this role"
        with owner.connect() as c:
            actions = set(c.scalars(sa.select(AuditRow.action)))
        assert "old" not in actions and {"recent", "audit_purge"} <= actions
        app.dispose()
        owner.dispose()
    finally:
        with contextlib.suppress(StopIteration):
            next(databases)
        with admin.connect() as c:
            c.execute(sa.text(f'DROP OWNED BY "{role}"'))
            c.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_a_new_deployment_with_an_admin_is_never_seeded_with_the_demo(engine):
    """``tasma migrate``, ``tasma users add … --role admin``, ``tasma serve``: the database
    holds no people yet, but someone made it theirs — no demo world, no demo mark."""
    with transaction(engine) as s:
        add_user(s, name="operator", role=Role.ADMIN)
    assert seed_demo(engine, "tiny") is None
    assert not is_demo(engine)
    check_start(engine, production=True, secret_set=True, host="0.0.0.0")
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(AuditRow)) >= 1
        assert not c.execute(sa.text("SELECT 1 FROM jobseeker")).first()


def test_only_a_database_nobody_has_used_becomes_a_demo(engine):
    """An audit row alone (a user since removed) is use enough."""
    with transaction(engine) as s:
        s.add(AuditRow(actor="cli", role="admin", action="create_user", object_type="user",
                       object_id="1", purpose="", details={}))  # fmt: skip
    assert seed_demo(engine, "tiny") is None
    assert not is_demo(engine)
