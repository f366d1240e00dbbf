"""Structured logs: one JSON object per line (time, level, logger, message and fields), for
the service's own events, uvicorn's, and one access line per request.

Logs carry paths, status codes and timings — never request bodies, names or health data.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

__all__ = ["AccessLog", "NoExceptionText", "log_config"]

access = logging.getLogger("tasma.access")


def log_config(*, json_lines: bool = True, level: str = "INFO") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for the service and uvicorn."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json_lines
        else {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "stream": "ext://sys.stderr",
        "filters": ["no_exception_text"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"no_exception_text": {"()": NoExceptionText}},
        "handlers": {"default": handler},
        "loggers": {
            "tasma": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            # Replaced by tasma.access, which has the timing as a field.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class NoExceptionText(logging.Filter):
    """A logged exception keeps its class and where it happened, never its text: a message
    may quote what the request carried (a driver's error quoted part of a body, "…severe knee
    arthritis", when uvicorn logged the traceback of an unexpected error). Exceptions chained
    to it are reduced alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _without_text(record.exc_info[1])
            record.exc_info = None
        return True


def _without_text(exc: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{name} (text withheld)")
        current = current.__cause__ or current.__context__
    # The first cause first, as Python prints a chain.
    return "\n\nwhich led to:\n".join(reversed(parts))


class AccessLog:
    """ASGI middleware: one ``tasma.access`` line per request with method, route path, status
    and duration in milliseconds."""

    def __init__(self, app: Any, *, enabled: bool = True) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # if the app fails before answering

        async def send_and_note(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            access.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
