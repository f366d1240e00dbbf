"""A per-client request limit (sliding one-minute window, per process): 429 past it."""

from __future__ import annotations

import threading
import time
from collections import deque

__all__ = ["RateLimiter"]


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

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
