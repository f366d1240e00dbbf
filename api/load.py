"""Load test: an open-loop async httpx client against a running service on loopback.

    python -m api.load --spawn [--rate 200] [--seconds 60] [--json]
    python -m api.load --base http://127.0.0.1:8000 --token TOKEN [...]

With ``--spawn`` it starts ``tasma serve`` on a fresh SQLite database with the default demo
world, takes the demo coordinator's token, and stops the server afterwards. Requests are sent
at a fixed rate (open loop: a slow answer does not slow the sender), half reading a
jobseeker's profile and half asking for their top-20 matches. It prints requests/s, p50/p99
per kind and the error count. Bounded in count and time; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

MAX_SECONDS = 600


async def _run(base: str, token: str, rate: float, seconds: float) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as c:
        page = (await c.get("/jobseekers", params={"limit": 200, "status": "active"})).json()
        ids = [row["id"] for row in page["data"] if row["consent_to_matching"]]
        if not ids:
            raise SystemExit("no matchable jobseekers visible to this token")
        # Warm up: the first match builds the in-memory index.
        await c.get(f"/jobseekers/{ids[0]}/matches", params={"k": 20})
        latencies: dict[str, list[float]] = {"profile": [], "match": []}
        errors: list[str] = []
        rng = np.random.default_rng(1)

        async def one(kind: str, jobseeker_id: int) -> None:
            path = f"/jobseekers/{jobseeker_id}" + ("/matches" if kind == "match" else "")
            params = {"k": 20} if kind == "match" else {}
            started = time.perf_counter()
            try:
                response = await c.get(path, params=params)
                if response.status_code != 200:
                    errors.append(f"{kind} {response.status_code}")
            except httpx.HTTPError as err:
                errors.append(f"{kind} {type(err).__name__}")
            latencies[kind].append(time.perf_counter() - started)

        tasks = []
        n = int(rate * min(seconds, MAX_SECONDS))
        t0 = time.perf_counter()
        for i in range(n):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind = "match" if i % 2 else "profile"
            tasks.append(asyncio.create_task(one(kind, int(rng.choice(ids)))))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t0

    def pct(values: list[float]) -> dict[str, float]:
        a = np.array(values) * 1000
        return {
            "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p99_ms": round(float(np.percentile(a, 99)), 1),
        }

    return {
        "requests": n,
        "seconds": round(elapsed, 1),
        "requests_per_second": round(n / elapsed, 1),
        "target_rate": rate,
        "profile": pct(latencies["profile"]),
        "match_top20": pct(latencies["match"]),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
    }


def _spawn(port: int, workers: int) -> tuple[subprocess.Popen[str], str, str]:
    data = Path(tempfile.mkdtemp(prefix="tasma-load-"))
    env = os.environ | {
        "TASMA_DATA_DIR": str(data),
        "TASMA_ENVIRONMENT": "local",
        "TASMA_RATE_LIMIT_PER_MINUTE": "10000000",
    }  # measure the service, not the limiter
    env.pop("DATABASE_URL", None)
    log = data / "serve.log"
    with log.open("w") as out:  # a file, not a pipe that could fill up and block the server
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(port),
                "--quiet",
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    token = ""
    deadline = time.time() + 180
    while time.time() < deadline and not token and server.poll() is None:
        found = re.search(r"demo\.coordinator\s+(tsm_\S+)", log.read_text(encoding="utf-8"))
        token = found.group(1) if found else ""
        time.sleep(0.2)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        with contextlib.suppress(httpx.HTTPError):  # not listening yet
            if token and httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server, base, token
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"the service did not start; see {log}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default="")
    parser.add_argument("--spawn", action="store_true", help="start a demo service to test")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="with --spawn")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not re.match(r"^http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$", args.base):
        raise SystemExit("load tests run against loopback only")
    server = None
    base, token = args.base, args.token
    if args.spawn:
        server, base, token = _spawn(args.port, args.workers)
    try:
        result = asyncio.run(_run(base, token, args.rate, args.seconds))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['requests']} requests in {result['seconds']} s: "
            f"{result['requests_per_second']} req/s (target {args.rate:g}), "
            f"{result['errors']} errors"
        )
        print(
            f"  profile read     p50 {result['profile']['p50_ms']} ms  p99 "
            f"{result['profile']['p99_ms']} ms"
        )
        print(
            f"  top-20 match     p50 {result['match_top20']['p50_ms']} ms  p99 "
            f"{result['match_top20']['p99_ms']} ms"
        )
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
