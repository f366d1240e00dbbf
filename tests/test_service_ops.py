"""Operations: structured logs, request limits across workers, and connection use under load."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from api.app import create_app
from api.auth.setup import add_user
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.http.deps import IndexHolder
from api.http.listeners import balanced_by_kernel
from api.http.logs import log_config
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from api.storage.tables import AuditRow, DataVersionRow, JobseekerRow
from api.tools.serving import serve
from features.demo import build_world

WORLD = build_world("tiny", seed=5)


def _service(tmp_path, reuse=None, **overrides):
    url = f"sqlite:///{tmp_path / 'tasma.db'}"
    engine = reuse or make_engine(url)
    if reuse is None:
        upgrade(engine)
        load_tables(engine, WORLD.tables)
    with transaction(engine) as s:
        person, area = s.execute(
            sa.select(JobseekerRow.id, JobseekerRow.area)
            .where(JobseekerRow.consent_given_at.is_not(None))
            .where(JobseekerRow.consent_withdrawn_at.is_(None))
            .where(JobseekerRow.status == "active")
            .limit(1)
        ).one()
        token = add_user(
            s, name=f"coord{2 if reuse else 1}", role=Role.COMPANY_COORDINATOR, area=area
        )
    settings = Settings(
        database_url=url, environment=Environment.TEST, demo_on_empty=False, **overrides
    )
    return TestClient(create_app(settings)), {"Authorization": f"Bearer {token}"}, person, engine


def test_logs_are_json_lines_with_an_access_line_per_request(tmp_path):
    stream = io.StringIO()
    config = log_config(json_lines=True)
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        client, headers, person, _ = _service(tmp_path)
        assert client.get(f"/jobseekers/{person}", headers=headers).status_code == 200
        assert client.get("/jobseekers/999999", headers=headers).status_code == 404
    finally:
        logging.config.dictConfig(log_config(json_lines=False))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "tasma.access"]
    assert [(a["method"], a["path"], a["status"]) for a in access[-2:]] == [
        ("GET", f"/jobseekers/{person}", 200),
        ("GET", "/jobseekers/999999", 404),
    ]
    assert all(a["duration_ms"] > 0 and a["level"] == "INFO" and a["time"] for a in access)
    assert "Authorization" not in stream.getvalue() and "tsm_" not in stream.getvalue()


def test_a_logged_traceback_keeps_where_and_what_kind_but_never_the_text():
    """uvicorn logs an unexpected error's traceback on ``uvicorn.error``; Schemathesis found a
    driver's message there quoting part of the request body ("…severe knee arthritis")."""
    stream = io.StringIO()
    config = log_config(json_lines=True)
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)

    def store(text: str) -> None:
        try:
            int(text)
        except ValueError as err:
            raise RuntimeError(f"could not store {text!r}") from err

    body_text = "MARKER severe knee arthritis"  # what a request carried
    try:
        try:
            store(body_text)
        except RuntimeError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    finally:
        logging.config.dictConfig(log_config(json_lines=False))
    logged = stream.getvalue()
    assert "MARKER" not in logged and "arthritis" not in logged
    line = json.loads(logged.splitlines()[-1])
    assert line["message"] == "Exception in ASGI application"
    assert "builtins.ValueError (text withheld)" in line["exc_info"]
    assert "builtins.RuntimeError (text withheld)" in line["exc_info"]
    assert "in store" in line["exc_info"], "where it happened is kept"


def test_each_worker_enforces_its_share_of_the_rate_limit(tmp_path):
    client, headers, person, _ = _service(tmp_path, rate_limit_per_minute=12, workers=3)
    statuses = [client.get(f"/jobseekers/{person}", headers=headers).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_a_match_needs_one_pooled_connection_only(tmp_path):
    """With a pool of one connection, a match (which also reads the index version and may
    load the index) still answers: no request holds two pooled connections at once (the
    index is read in one snapshot on a connection outside the pool)."""
    client, headers, person, engine = _service(tmp_path)
    client.app.state.engine.dispose()
    small = create_engine(engine.url, pool_size=1, max_overflow=0, pool_timeout=3)
    client.app.state.sessions = sessionmaker(small, expire_on_commit=False)
    client.app.state.index = IndexHolder(small, client.app.state.index.rules)
    response = client.get(f"/jobseekers/{person}/matches", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["items"]


def test_sqlite_write_lock_is_given_back_on_commit_rollback_and_return(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine)
    row = {"actor": "t", "role": "admin", "action": "x", "object_type": "y", "details": {}}
    insert = sa.insert(AuditRow).values(**row)
    with engine.connect() as conn:  # committed
        conn.execute(insert)
        conn.commit()
    with engine.connect() as conn:  # rolled back
        conn.execute(insert)
        conn.rollback()
    conn = engine.connect()  # handed back to the pool without either
    conn.execute(insert)
    conn.close()

    done = threading.Event()

    def write() -> None:
        with engine.begin() as c:
            c.execute(insert)
        done.set()

    worker = threading.Thread(target=write, daemon=True)
    worker.start()
    assert done.wait(10), "a writer waited for a lock nobody holds"
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(AuditRow)) == 2


def test_concurrent_sqlite_writers_all_succeed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tasma.db'}")
    upgrade(engine)
    seen: list[str] = []
    event.listen(engine, "handle_error", lambda ctx: seen.append(str(ctx.original_exception)))
    row = {"actor": "t", "role": "admin", "action": "x", "object_type": "y", "details": {}}

    def write() -> None:
        for _ in range(40):
            with engine.begin() as c:
                c.execute(sa.insert(AuditRow).values(**row))
                c.execute(sa.select(sa.func.count()).select_from(AuditRow)).scalar()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not seen
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(AuditRow)) == 240


def test_audit_retention_purges_only_expired_rows_and_is_itself_audited(engine):
    from datetime import UTC, datetime, timedelta

    from api.storage.audit import purge_expired, record
    from api.storage.migrate import set_audit_retention
    from api.storage.tables import AuditPurgeRow

    now = datetime.now(UTC)
    with transaction(engine) as s:
        for days_ago in (400, 200, 10):
            s.add(
                AuditRow(
                    at=now - timedelta(days=days_ago),
                    actor="a",
                    role="admin",
                    action=f"old_{days_ago}",
                    object_type="t",
                    details={},
                )
            )
        record(s, actor="a", role="admin", action="recent", object_type="t")
    # Without a purge record covering them, even old rows cannot be deleted.
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), transaction(engine) as s:
        s.execute(sa.delete(AuditRow).where(AuditRow.action == "old_400"))
    # PostgreSQL keeps rows as long as the owner set (a caller may only ask for longer)
    set_audit_retention(engine, 365)
    with transaction(engine) as s:
        assert purge_expired(s, retention_days=365, actor="ops") == 1
    with engine.connect() as c:
        actions = set(c.scalars(sa.select(AuditRow.action)))
        purge = c.execute(sa.select(AuditPurgeRow)).one()
    assert actions == {"old_200", "old_10", "recent", "audit_purge"}
    # the purger: the CLI's user on SQLite; on PostgreSQL the database login, never a name
    # passed in
    purger = "ops" if engine.dialect.name == "sqlite" else engine.url.username
    assert purge.removed == 1 and purge.actor == purger
    # Rows inside the retention period stay protected after a purge.
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), transaction(engine) as s:
        s.execute(sa.delete(AuditRow).where(AuditRow.action == "old_10"))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), transaction(engine) as s:
        s.execute(sa.delete(AuditPurgeRow))
    with pytest.raises(ValueError, match="at least 30"), transaction(engine) as s:
        purge_expired(s, retention_days=7, actor="ops")


def test_a_restarted_service_loads_the_index_snapshot_of_exactly_this_version(
    tmp_path, monkeypatch
):
    import api.core.runtime
    from api.core.index_cache import IndexSnapshots

    client, headers, person, engine = _service(tmp_path, data_dir=tmp_path)
    with client:  # start-up warms the index and saves a snapshot in the background
        first = client.get(f"/jobseekers/{person}/matches", headers=headers).json()
    saving = client.app.state.index._saving
    assert saving.acquire(timeout=60)  # the background save has finished
    saving.release()
    snapshots = list((tmp_path / "index-cache").glob("index-*.joblib"))
    assert len(snapshots) == 1

    # A restart reads the snapshot, not the tables ...
    reads: list[int] = []
    real_load = api.core.runtime.load_index

    def counted(bind):
        reads.append(1)
        return real_load(bind)

    monkeypatch.setattr(api.core.runtime, "load_index", counted)
    again, headers2, _, _ = _service(tmp_path, data_dir=tmp_path, reuse=engine)
    with again:
        second = again.get(f"/jobseekers/{person}/matches", headers=headers2).json()
        assert reads == []
        assert [i["task_id"] for i in second["items"]] == [i["task_id"] for i in first["items"]]
        # ... and once a write has moved the version, the next query reads the tables.
        with transaction(engine) as s:
            s.execute(sa.update(DataVersionRow).values(version=DataVersionRow.version + 1))
        assert again.get(f"/jobseekers/{person}/matches", headers=headers2).status_code == 200
        assert reads == [1]
    assert IndexSnapshots(tmp_path / "index-cache", b"key").load("someone-else", 1) is None


WRK_REPORT = """Running 30s test @ http://127.0.0.1:8765
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    25.01ms   12.21ms 210.50ms   80.00%
    Req/Sec   158.20     20.11   200.00     70.00%
  Latency Distribution
     50%   23.80ms
     75%   30.12ms
     90%   45.10ms
     99%  173.40ms
  4746 requests in 30.00s, 40.11MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:    158.20
Transfer/sec:      1.34MB
"""


def test_the_load_script_reads_wrks_report():
    from api.tools.load import parse_wrk

    figures = parse_wrk(WRK_REPORT)
    assert figures["p50_ms"] == 23.8 and figures["p99_ms"] == 173.4
    assert figures["requests_per_second"] == 158.2 and figures["requests"] == 4746
    assert figures["errors"] == 8  # 5 non-2xx, 3 socket errors
    assert parse_wrk(WRK_REPORT.replace("173.40ms", "1.20s"))["p99_ms"] == 1200.0


def test_the_load_script_rotates_people_and_can_ask_for_a_connection_per_request():
    from api.tools.load import lua_script

    kept = lua_script([3, 5], "tsm_x")
    assert "local ids = {3,5}" in kept and "Bearer tsm_x" in kept and "close" not in kept
    assert 'wrk.headers["Connection"] = "close"' in lua_script([3], "t", new_connections=True)


def _server_sockets(pids: set[int], port: int, status: str) -> dict[int, int]:
    """How many TCP sockets on ``port`` in ``status`` each of ``pids`` holds."""
    held: dict[int, int] = {}
    for pid in pids:
        try:
            conns = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.NoSuchProcess:  # a short-lived child (not a worker) gone meanwhile
            continue
        for conn in conns:
            if conn.laddr and conn.laddr.port == port and conn.status == status:
                held[pid] = held.get(pid, 0) + 1
    return held


def _listening_sockets(port: int) -> int:
    """Listening TCP sockets on ``port`` in the whole system, each counted once however many
    processes hold it (the kernel's own table, /proc/net/tcp: state 0A is LISTEN)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    fields = [row.split() for row in rows]
    return sum(1 for f in fields if int(f[1].split(":")[1], 16) == port and f[3] == "0A")


def test_worker_processes_each_listen_and_share_kept_alive_connections(tmp_path):
    """`tasma serve --workers 2`: each worker has a listening socket of its own, so clients
    that keep a few connections open are served by both workers, not by whichever woke first;
    a second service on the same address is refused with one clear line."""
    if not balanced_by_kernel():
        pytest.fail("these tests run on Linux, where the kernel balances SO_REUSEPORT sockets")
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, WORLD.tables)
    with transaction(engine) as s:
        add_user(s, name="operator", role=Role.ADMIN)  # a real database needs an admin
    engine.dispose()
    env = {"DATABASE_URL": url, "TASMA_DEMO_ON_EMPTY": "false", "TASMA_ENVIRONMENT": "test",
           "TASMA_DATA_DIR": str(tmp_path)}  # fmt: skip
    with serve(env, tmp_path / "serve.log", workers=2) as server:
        port = int(server.base.rsplit(":", 1)[1])
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline:  # the second may still start
            children = {child.pid for child in psutil.Process(server.process.pid).children()}
            workers = set(_server_sockets(children, port, psutil.CONN_LISTEN))
            time.sleep(0.2)
        assert len(workers) == 2, "both worker processes listen"
        assert _listening_sockets(port) == 2, "each worker listens with a socket of its own"
        clients = [httpx.Client(base_url=server.base, timeout=10) for _ in range(16)]
        try:
            assert all(c.get("/health").status_code == 200 for c in clients)
            established = _server_sockets(workers, port, psutil.CONN_ESTABLISHED)
            assert sum(established.values()) == 16
            assert set(established) == workers, f"one worker idles: {established}"
        finally:
            for c in clients:
                c.close()
        second = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
            env=os.environ | env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert second.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in second.stderr
        assert "Traceback" not in second.stderr


def test_a_live_index_is_kept_out_of_the_garbage_collectors_sight_and_a_replaced_one_freed(
    sqlite_engine,
):
    """The index's objects are frozen (a full collection no longer walks them: it paused a
    worker for 150 ms every few seconds); replaced, the old one is freed, not kept frozen."""
    import gc
    import weakref

    from matching.rules import default_ruleset

    load_tables(sqlite_engine, WORLD.tables)
    holder = IndexHolder(sqlite_engine, default_ruleset())
    factory = sessionmaker(sqlite_engine)
    with factory() as session:
        first = holder.get(session)
    assert gc.get_freeze_count() > 0
    gone = weakref.ref(first)
    del first
    with transaction(sqlite_engine) as s:
        s.execute(sa.update(DataVersionRow).values(version=DataVersionRow.version + 1))
    with factory() as session:
        second = holder.get(session)
    assert gone() is None and second is not None
    gc.unfreeze()  # leave the test process as it was


def test_the_console_reads_plain_lines_and_json_is_for_production_or_when_asked():
    # Issue #30 item 11: a person starting `tasma serve` reads lines, not JSON records; a
    # production deployment's log collector gets JSON lines unless told otherwise.
    from api.core.settings import Environment

    production = {"environment": Environment.PRODUCTION, "demo_on_empty": False,
                  "database_url": "postgresql://x@127.0.0.1/db", "secret_key": "k" * 32}  # fmt: skip
    assert Settings(environment=Environment.LOCAL).json_logs() is False
    assert Settings(environment=Environment.LOCAL, log_json=True).json_logs() is True
    assert Settings(**production).json_logs() is True
    assert Settings(**production, log_json=False).json_logs() is False
    stream = io.StringIO()
    config = log_config(json_lines=False)
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        logging.getLogger("tasma.access").info("%s %s %s", "GET", "/ui/", 200)
    finally:
        logging.config.dictConfig(log_config(json_lines=False))
    line = stream.getvalue().strip()
    assert line.endswith("INFO    tasma.access: GET /ui/ 200") and not line.startswith("{")
