"""Load test: ``wrk`` (a C load generator; Debian's ``wrk`` package) against the service on
loopback, top-20 matches with explanations, a different person on every request.

    python -m api.tools.load --spawn [--tasks 10000] [--workers 2] [--connections 2,4,8,16]
                             [--seconds 30]
    python -m api.tools.load --base http://127.0.0.1:8000 --token TOKEN [...]

With ``--spawn`` it builds a demo world of ``--tasks`` tasks (and half as many people) in a
fresh SQLite database, starts ``tasma serve --workers N`` on it, and takes the demo
coordinator's token. For each number of connections, wrk keeps that many requests in flight
(a Lua script rotates through the coordinator's matchable people) and reports requests/s and
the latency percentiles; the sustainable rate is the highest with p99 under 100 ms. Python
only sets up and reads wrk's report: it sends no load itself. Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from api.tools.serving import serve

__all__ = ["main", "parse_wrk"]

MAX_SECONDS = 600
WARM_UP_SECONDS = 20
P99_TARGET_MS = 100.0
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

LUA = """
local ids = {%(ids)s}
local n = 0
wrk.headers["Authorization"] = "Bearer %(token)s"
%(close)s
request = function()
  n = n + 1
  return wrk.format("GET", "/jobseekers/" .. ids[(n %% #ids) + 1] .. "/matches?k=20")
end
"""


def lua_script(ids: list[int], token: str, *, new_connections: bool = False) -> str:
    """wrk's request script: a top-20 match for each person in turn."""
    close = 'wrk.headers["Connection"] = "close"' if new_connections else ""
    return LUA % {"ids": ",".join(map(str, ids)), "token": token, "close": close}


def parse_wrk(report: str) -> dict[str, float]:
    """Requests/s, latency percentiles (ms) and non-2xx count from ``wrk --latency`` output."""

    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(number) * _UNITS[unit]

    out: dict[str, float] = {}
    for pct in ("50", "75", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+(\S+)", report, re.MULTILINE)
        if found:
            out[f"p{pct}_ms"] = round(ms(found.group(1)), 1)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    out["requests_per_second"] = float(rate.group(1)) if rate else 0.0
    total = re.search(r"(\d+) requests in", report)
    out["requests"] = float(total.group(1)) if total else 0.0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       report)  # fmt: skip
    out["errors"] = float(bad.group(1)) if bad else 0.0
    if errors:
        out["errors"] += sum(float(g) for g in errors.groups())
    return out


def _demo_env(tasks: int) -> dict[str, str]:
    """A fresh demo database of ``tasks`` tasks in a temporary data directory."""
    data = Path(tempfile.mkdtemp(prefix="tasma-load-"))
    env = {
        "TASMA_DATA_DIR": str(data),
        "TASMA_ENVIRONMENT": "local",
        "TASMA_RATE_LIMIT_PER_MINUTE": "10000000",  # measure the service, not the limiter
    }
    build = os.environ | env
    build.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "api.cli", "demo", "--tasks", str(tasks),
         "--jobseekers", str(max(tasks // 2, 100)), "--json"],
        env=build, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return env | {"DATABASE_URL": f"sqlite:///{data / 'tasma.db'}"}


def _people(base: str, token: str) -> list[int]:
    """The matchable people the token's coordinator may see (set-up, not load)."""
    headers = {"Authorization": f"Bearer {token}"}
    ids: list[int] = []
    offset = 0
    while True:
        params: dict[str, str | int] = {"limit": 200, "offset": offset, "status": "active"}
        page = httpx.get(f"{base}/jobseekers", headers=headers, timeout=30, params=params).json()
        ids += [row["id"] for row in page["data"] if row["consent_to_matching"]]
        offset += 200
        if offset >= page["count"]:
            break
    if not ids:
        raise SystemExit("no matchable jobseekers visible to this token")
    return ids


def _wrk(base: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    done = subprocess.run(
        ["wrk", "--latency", "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", str(script), base],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return {"connections": connections, **parse_wrk(done.stdout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.tools.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default="")
    parser.add_argument("--spawn", action="store_true", help="start a demo service to test")
    parser.add_argument("--workers", type=int, default=2, help="with --spawn")
    parser.add_argument("--tasks", type=int, default=10_000, help="with --spawn")
    parser.add_argument("--connections", default="2,4,8,16")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="a new connection per request (Connection: close), so that each request is "
        "accepted by whichever worker process is free; without it wrk's few kept-alive "
        "connections stay with the worker that accepted them first",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    if not re.match(r"^http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$", args.base):
        raise SystemExit("load tests run against loopback only")
    with contextlib.ExitStack() as stack:
        base, token = args.base, args.token
        if args.spawn:
            env = _demo_env(args.tasks)
            log = Path(env["TASMA_DATA_DIR"]) / "serve.log"
            served = stack.enter_context(
                serve(env, log, workers=args.workers, timeout_s=300, ready="demo.coordinator")
            )
            found = re.search(r"demo\.coordinator\s+(tsm_\S+)", log.read_text(encoding="utf-8"))
            base, token = served.base, found.group(1) if found else ""
        ids = _people(base, token)
        script = Path(tempfile.mkdtemp(prefix="tasma-wrk-")) / "matches.lua"
        script.write_text(lua_script(ids, token, new_connections=args.new_connections))
        seconds = min(args.seconds, MAX_SECONDS)
        _wrk(base, script, 2, WARM_UP_SECONDS)  # not reported: caches, first snapshot, JIT-free
        runs = [_wrk(base, script, int(c), seconds) for c in args.connections.split(",")]
    ok = [r for r in runs if r.get("p99_ms", 1e9) < P99_TARGET_MS and not r["errors"]]
    best = max(ok, key=lambda r: r["requests_per_second"]) if ok else None
    result = {
        "workers": args.workers,
        "new_connections": args.new_connections,
        "tasks": args.tasks,
        "people": len(ids),
        "runs": runs,
        "sustainable_requests_per_second": best["requests_per_second"] if best else 0.0,
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"top-20 matches with explanations; {len(ids)} people rotated; wrk 1 thread")
    print("connections  req/s   p50 ms  p90 ms  p99 ms  errors")
    for r in runs:
        cells = [r.get(f"p{p}_ms", 0) for p in ("50", "90", "99")]
        print(
            f"{r['connections']:>11}  {r['requests_per_second']:>6.1f}  "
            + "  ".join(f"{c:>6}" for c in cells)
            + f"  {int(r['errors']):>6}"
        )
    print(f"sustainable at p99 < {P99_TARGET_MS:g} ms: "
          f"{result['sustainable_requests_per_second']:.1f} requests/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
