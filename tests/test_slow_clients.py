"""No denial of service without a log-in: a crowd of idle, half-sent and never-ending
connections holds no place a real request needs. Before, uvicorn's ``limit_concurrency`` (64)
counted open connections: 64 idle sockets made every request, /health included, answer 503."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from api.auth.setup import add_user
from api.core.security import Role
from api.http.pages import COOKIE
from api.http.ratelimit import RateLimiter, RequestGuard
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from api.tools.serving import serve
from features.demo import build_world
from tests.conftest import API_WORLD

IDLE, HALF_SENT, NEVER_ENDING = 400, 300, 300


def _started(tmp_path, **settings):
    url = f"sqlite:///{tmp_path / 'slow.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, build_world("tiny", seed=3).tables)
    with transaction(engine) as s:
        token = add_user(s, name="coord", role=Role.COMPANY_COORDINATOR, area="x")
        add_user(s, name="operator", role=Role.ADMIN)  # a real database needs an admin
    engine.dispose()
    env = {"DATABASE_URL": url, "TASMA_DEMO_ON_EMPTY": "false", "TASMA_ENVIRONMENT": "test",
           "TASMA_DATA_DIR": str(tmp_path), **settings}  # fmt: skip
    return env, token


def test_idle_half_sent_and_endless_connections_take_no_place(tmp_path):
    env, token = _started(tmp_path)
    with serve(env, tmp_path / "serve.log", workers=2) as server:
        port = int(server.base.rsplit(":", 1)[1])
        held: list[socket.socket] = []
        try:
            for n in range(IDLE + HALF_SENT + NEVER_ENDING):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                held.append(s)
                if n >= IDLE + HALF_SENT:  # a chunked body that goes on and on
                    s.sendall(b"POST /auth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                              b"chunked\r\nContent-Type: application/json\r\n\r\n1\r\n{\r\n")  # fmt: skip
                elif n >= IDLE:  # headers begun, never finished
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            with httpx.Client(base_url=server.base, timeout=10) as client:
                started = time.monotonic()
                health = client.get("/health")
                matches = client.get("/jobseekers/1/matches?k=5",
                                     headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                took = time.monotonic() - started
            assert health.status_code == 200, health.text
            # another area's person: the route ran (and said so), nothing was shed
            assert matches.status_code in (200, 404), matches.text
            print(f"{len(held)} connections held: /health and a match in {took:.2f} s")
            assert took < 5
        finally:
            for s in held:
                s.close()


def test_a_body_that_does_not_arrive_in_time_is_refused(tmp_path):
    env, _ = _started(tmp_path, TASMA_BODY_SECONDS="1.5")
    with serve(env, tmp_path / "serve.log") as server:
        port = int(server.base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                      b"Content-Type: application/json\r\n\r\n{")  # fmt: skip
            started = time.monotonic()
            answer = s.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408"), answer
            assert 1.0 < time.monotonic() - started < 8


def test_requests_past_the_limit_in_progress_are_shed_at_once():
    """Two requests in progress with room for one: the second is answered 503 at once, with
    Retry-After, and the first completes."""
    release = asyncio.Event()

    async def slow_app(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = RequestGuard(slow_app, limiter=RateLimiter(1000), max_body_bytes=1000,
                         max_in_flight=1)  # fmt: skip

    async def call(client):
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "headers": [], "client": (client, 1)}
        await guard(scope, receive, send)
        return sent[0]["status"], dict(sent[0]["headers"])

    async def both():
        first = asyncio.create_task(call("a"))
        await asyncio.sleep(0.05)
        second = await asyncio.wait_for(call("b"), 1)
        release.set()
        return await first, second

    (first, _), (second, headers) = asyncio.run(both())
    assert (first, second) == (200, 503)
    assert headers[b"retry-after"] == b"1"
    assert guard.in_flight == 0


@pytest.mark.parametrize("via", ["api", "web"])
def test_what_ifs_wait_in_their_own_lane_and_health_never_waits(service, database_url,
                                                                 monkeypatch, via):  # fmt: skip
    """Forty what-ifs at once held every request thread (/health took 5.6 s): they run one
    at a time on a thread of their own, a queue past MARKET_QUEUE is answered 503 at once,
    and /health answers meanwhile — asked through the API or the web page alike."""
    import threading

    from api.app import create_app
    from api.core.settings import Environment, Settings
    from api.http.lanes import MARKET_QUEUE
    from api.market import service as market
    from tests.test_api import auth

    _, tokens, *_ = service
    running, most = [0], [0]
    lock = threading.Lock()
    real = market.task_what_if

    def slow(ctx, task_id, lang):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return real(ctx, task_id, lang)

    monkeypatch.setattr(market, "task_what_if", slow)
    app = create_app(Settings(database_url=database_url, environment=Environment.TEST,
                              demo_on_empty=False, warm_index=False))  # fmt: skip
    n = MARKET_QUEUE + 4
    headers = auth(tokens["rekrypiste"])
    path = "/tasks/1/what-if"
    if via == "web":
        role = int(API_WORLD.tables["task"].set_index("id").loc[1, "role_id"])
        employer = int(API_WORLD.tables["role"].set_index("id").loc[role, "employer_id"])
        path = f"/ui/employers/{employer}/tasks/1/what-if"
        headers = {"Cookie": f"{COOKIE}={tokens['rekrypiste']}"}

    async def crowd():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            asks = [asyncio.create_task(client.get(path, headers=headers))
                    for _ in range(n)]  # fmt: skip
            await asyncio.sleep(0.1)
            started = time.monotonic()
            health = await client.get("/health")
            health_took = time.monotonic() - started
            answers = await asyncio.gather(*asks)
        return health, health_took, [a.status_code for a in answers]

    health, health_took, codes = asyncio.run(crowd())
    assert health.status_code == 200 and health_took < 0.3, health_took
    assert most[0] == 1, "one at a time per process"
    assert codes.count(503) >= n - MARKET_QUEUE - 1 and set(codes) <= {200, 503}, codes


def _statuses_with_made_up_forwarded_addresses(server) -> list[int]:
    with httpx.Client(base_url=server.base, timeout=10) as client:
        return [
            client.get("/health", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
            for i in range(14)
        ]


def test_forwarded_addresses_are_believed_only_from_configured_proxies(tmp_path):
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default: any local process (or a
    request relayed through one) could name a fresh address per request and escape the
    per-address limit."""
    env, _ = _started(tmp_path, TASMA_RATE_LIMIT_PER_MINUTE="10")
    with serve(env, tmp_path / "serve.log") as server:
        statuses = _statuses_with_made_up_forwarded_addresses(server)
    assert statuses[:9] == [200] * 9 and statuses[-1] == 429, statuses
    with serve(env | {"TASMA_TRUSTED_PROXIES": "127.0.0.1"}, tmp_path / "proxied.log") as server:
        statuses = _statuses_with_made_up_forwarded_addresses(server)
    assert statuses == [200] * 14, "behind a configured proxy, each client is counted apart"
