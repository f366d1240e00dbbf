"""Request limits before any route runs: 413 for a body over the size limit, 429 for a client
over its requests a minute (sliding one-minute window, per process).

A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs every request through an
extra task and stream, which cost more than the check itself under load.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any

Scope = dict[str, Any]

__all__ = ["RateLimiter", "RequestGuard"]


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def waiting(self, client: str, now: float | None = None) -> int:
        """Seconds until ``client`` may go ahead (0: now), without counting a request."""
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._seen.get(client)
            if not window:
                return 0
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.per_minute:
                return max(1, int(60.0 - (now - window[0])) + 1)
            return 0

    def retry_after(self, client: str, now: float | None = None) -> int:
        """0 if the request may go ahead (and counts it), else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._seen.setdefault(client, deque())
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.per_minute:
                return max(1, int(60.0 - (now - window[0])) + 1)
            window.append(now)
            if len(self._seen) > 100_000:  # forget idle clients rather than grow without end
                self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < 60}
            return 0


class RequestGuard:
    def __init__(self, app: Any, *, limiter: RateLimiter, max_body_bytes: int) -> None:
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await _answer(send, 413, {"error": "too_large", "message": "request body too large"})
            return
        # Per client address here, whatever the request claims to be (a made-up token per
        # request must not buy a fresh allowance); per user once authenticated (api.deps).
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.limiter.retry_after("addr:" + client)
        if wait:
            await too_many(send, self.limiter.per_minute, wait)
            return
        await self.app(scope, receive, send)


async def too_many(send: Any, per_minute: int, wait: int) -> None:
    await _answer(
        send,
        429,
        {"error": "too_many_requests",
         "message": f"more than {per_minute} requests a minute; retry later"},
        [(b"retry-after", str(wait).encode())],
    )  # fmt: skip


async def _answer(
    send: Any, status: int, body: dict[str, str], extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": payload})
