"""Run ``tasma serve`` as a separate process and wait until it answers — the one way the
browser tests, the crash test and the load harness start a real server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Served", "free_port", "serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    base: str
    """e.g. ``http://127.0.0.1:43117``"""
    process: subprocess.Popen[str]
    log: Path
    """Everything the server printed (a file, not a pipe that could fill up and block it)."""


@contextlib.contextmanager
def serve(
    env: Mapping[str, str],
    log: Path,
    *,
    workers: int = 1,
    timeout_s: float = 120.0,
    ready: str | None = None,
) -> Iterator[Served]:
    """Start ``tasma serve`` with ``env`` added to this process's environment; yield once
    ``/health`` answers (and, when given, ``ready`` appears in the log); stop it afterwards
    (SIGTERM, then SIGKILL). A server that does not come up raises RuntimeError naming its
    log."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--quiet",
               "--workers", str(workers)]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, env=os.environ | dict(env), stdout=out,
                                   stderr=subprocess.STDOUT, text=True)  # fmt: skip
    served = Served(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start; see {log}")
            with contextlib.suppress(httpx.HTTPError):  # not listening yet
                up = httpx.get(f"{served.base}/health", timeout=1).status_code == 200
                if up and (ready is None or ready in log.read_text(encoding="utf-8")):
                    break
            time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
