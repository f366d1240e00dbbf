"""Security headers on every response, as a plain ASGI middleware.

Pages and API answers may carry personal data: nothing is cached (so Back after logging out
shows no profile), nothing may frame the pages, content types are not sniffed, no referrer
leaves the site, and pages load only their own scripts and styles. The interactive API
documentation (Swagger UI and ReDoc, served from the package's own files, never a CDN) gets a
policy that allows its inline start-up script and styles and ReDoc's worker.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SecurityHeaders"]

_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_DOCS = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = _DOCS_POLICY if path.startswith(_DOCS) else _POLICY
        # Static files (the style sheet) may be cached; nothing else may.
        cache = b"public, max-age=3600" if path.startswith("/static/") else b"no-store"

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"content-security-policy")
                ]
                headers += _COMMON
                headers += [
                    (b"content-security-policy", policy.encode()),
                    (b"cache-control", cache),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
