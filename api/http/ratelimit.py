"""Request limits before any route runs: 431 for oversized headers, 413 for a body over the
size limit (declared or streamed), 408 for a body not sent in time, 429 for a client over its
requests a minute (sliding one-minute window, per process), 503 past the requests a process
works on at once.

What is counted is requests being worked on, never connections: a connection that sends
nothing, half a request or a body that never ends costs a socket and a coroutine, and holds no
place that a real request needs (uvicorn's ``limit_concurrency`` counted open connections, so
64 idle sockets answered every request 503). A body is read whole, against a deadline, before
the request counts.

A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs every request through an
extra task and stream, which cost more than the check itself under load.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from typing import Any

import anyio

Scope = dict[str, Any]

__all__ = ["BROWSER_REFUSAL", "BROWSER_REFUSALS", "RateLimiter", "RequestGuard"]

BROWSER_REFUSAL = "/ui/refused"
"""The web UI's page for a request refused here (``?status=413``): a browser is shown the UI's
own error page in the user's language, never the API's JSON."""
BROWSER_REFUSALS = frozenset({413, 429, 431})
"""What a web UI address is refused with as a page; the rest stay as cheap as can be."""


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


MAX_HEADER_BYTES = 32_768
"""All request headers together; a browser's are a few kilobytes."""


class RequestGuard:
    def __init__(
        self,
        app: Any,
        *,
        limiter: RateLimiter,
        max_body_bytes: int,
        max_in_flight: int = 64,
        body_seconds: float = 30.0,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.max_in_flight = max_in_flight
        self.body_seconds = body_seconds
        self.in_flight = 0
        """requests past their body, being worked on (one event loop: no lock needed)"""

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("headers") or []
        if sum(len(k) + len(v) for k, v in raw) > MAX_HEADER_BYTES:
            too_large = {"error": "headers_too_large", "message": "request headers too large"}
            await self._refuse(scope, send, 431, too_large)
            return
        headers = dict(raw)
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await self._refuse(scope, send, 413, {"error": "too_large",
                                                  "message": "request body too large"})  # fmt: skip
            return
        # The body is read here, counting, against a deadline: a 50 MB stream is refused after
        # 5 MB, and one that trickles or never ends after ``body_seconds``, before any route
        # (or authentication) reads it.
        try:
            with anyio.fail_after(self.body_seconds):
                body = await _bounded_body(receive, self.max_body_bytes)
        except TimeoutError:
            await _answer(send, 408, {"error": "request_timeout",
                                      "message": "the request's body did not arrive in time"},
                          [(b"connection", b"close")])  # fmt: skip
            return
        if body is None:
            await self._refuse(scope, send, 413, {"error": "too_large",
                                                  "message": "request body too large"})  # fmt: skip
            return
        receive = _replay(body, receive)
        # Per client address here, whatever the request claims to be (a made-up token per
        # request must not buy a fresh allowance); per user once authenticated (api.http.deps).
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.limiter.retry_after("addr:" + client)
        if wait:
            if _from_browser(scope):
                await self._refuse(scope, send, 429, {}, [(b"retry-after", str(wait).encode())])
            else:
                await too_many(send, self.limiter.per_minute, wait)
            return
        if self.in_flight >= self.max_in_flight:
            # Shed at once: a burst beyond what the process can work on is refused rather
            # than queued until every request is late.
            await _answer(send, 503, {"error": "busy",
                                      "message": "the service is busy; retry in a moment"},
                          [(b"retry-after", b"1")])  # fmt: skip
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _refuse(
        self,
        scope: Scope,
        send: Any,
        status: int,
        body: dict[str, str],
        extra: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Refuse with ``status``: JSON for the API; for a web UI address, the UI's page for
        it (rendered by the app at :data:`BROWSER_REFUSAL`, no body read, nothing saved)."""
        if not (_from_browser(scope) and status in BROWSER_REFUSALS):
            await _answer(send, status, body, extra)
            return
        # A form sent (not a page asked for) is said as one: the page offers the way back to
        # it, where the browser keeps what was typed.
        sent = "&sent=1" if scope.get("method") not in ("GET", "HEAD") else ""
        page = dict(scope, method="GET", path=BROWSER_REFUSAL, raw_path=BROWSER_REFUSAL.encode(),
                    query_string=f"status={status}{sent}".encode())  # fmt: skip
        if status == 431:
            page["headers"] = _page_headers(scope.get("headers") or [])

        async def nothing() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def with_extra(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and extra:
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        await self.app(page, nothing, with_extra)


_KEPT_FOR_THE_PAGE = (b"host", b"accept-language", b"referer")
_LANGUAGE_COOKIE = re.compile(rb"(?:^|;\s*)lang=([a-z]{2})(?:;|$)")


def _page_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Of headers too large to work on, what the page needs: the host, the language (the
    header and the ``lang`` cookie) and where the browser came from, each if small. Nothing
    else — no session, no token — is read: the page names no user."""
    kept = [(k, v) for k, v in raw if k.lower() in _KEPT_FOR_THE_PAGE and len(v) <= 1024]
    for key, value in raw:
        chosen = _LANGUAGE_COOKIE.search(value) if key.lower() == b"cookie" else None
        if chosen:
            kept.append((b"cookie", b"lang=" + chosen.group(1)))
            break
    return kept


def _from_browser(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/ui/")


async def _bounded_body(receive: Any, limit: int) -> bytes | None:
    """The whole body, or None once it passes ``limit`` bytes (or the client left)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    """A ``receive`` that hands the app the body read already, then the real channel."""
    sent = False

    async def replayed() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # type: ignore[no-any-return]

    return replayed


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
