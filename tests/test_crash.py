"""Crash safety: kill the server (SIGKILL) during a stream of writes; every write it
acknowledged is still there afterwards."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import sqlalchemy as sa

from api.auth.setup import add_user
from api.core.security import Role
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from api.tools.serving import serve
from features.demo import build_world


def test_acknowledged_writes_survive_sigkill(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, build_world("tiny", seed=2).tables)
    with transaction(engine) as session:
        token = add_user(session, name="rekry", role=Role.REKRYPISTE)
        add_user(session, name="operator", role=Role.ADMIN)  # a real database needs an admin
    engine.dispose()
    env = {"DATABASE_URL": url, "TASMA_DEMO_ON_EMPTY": "false", "TASMA_ENVIRONMENT": "test",
           "TASMA_DATA_DIR": str(tmp_path)}  # fmt: skip
    acknowledged: list[int] = []
    stop = threading.Event()
    with serve(env, tmp_path / "serve.log") as server:

        def write() -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=server.base, headers=headers, timeout=5) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    note = {
                        "at": "2026-11-20T10:00:00Z",
                        "channel": "phone",
                        "text": f"Muistiinpano {n}",
                    }
                    try:
                        response = client.post("/employers/1/notes", json=note)
                    except httpx.HTTPError:
                        return  # the server is gone
                    if response.status_code == 201:
                        acknowledged.append(response.json()["id"])

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(acknowledged) < 40:
                time.sleep(0.01)
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
        finally:
            stop.set()
            writer.join(timeout=10)
    assert len(acknowledged) >= 40
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = set(conn.scalars(sa.text("SELECT id FROM crm_note")).all())
    assert set(acknowledged) <= stored
