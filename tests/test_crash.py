"""Crash safety: kill the server (SIGKILL) during a stream of writes; every write it
acknowledged is still there afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import sqlalchemy as sa

from api.security import Role
from api.service_setup import add_user
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from features.demo import build_world


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_acknowledged_writes_survive_sigkill(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, build_world("tiny", seed=2).tables)
    with transaction(engine) as session:
        token = add_user(session, name="rekry", role=Role.REKRYPISTE)
        add_user(session, name="operator", role=Role.ADMIN)  # a real database needs an admin
    engine.dispose()
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "TASMA_DEMO_ON_EMPTY": "false",
        "TASMA_ENVIRONMENT": "test",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[int] = []
    stop = threading.Event()
    try:
        for _ in range(200):  # wait up to 20 s for the server
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")

        def write() -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
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
        while len(acknowledged) < 40:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        writer.join(timeout=10)
    finally:
        stop.set()
        if server.poll() is None:
            server.kill()
    assert len(acknowledged) >= 40
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = set(conn.scalars(sa.text("SELECT id FROM crm_note")).all())
    assert set(acknowledged) <= stored
