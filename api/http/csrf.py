"""Cross-site request forgery: every state-changing form of the web UI, log-in included,
carries a token bound to the browser's session (HMAC of the session cookie under the
service's key; before log-in, of a random pre-session cookie), and its Origin (or Referer)
must be this site. SameSite cookies alone do not stop another origin on the same site.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy import Engine

from api.core.runtime import database_instance
from api.core.settings import Settings
from features.errors import TasmaError

__all__ = ["PRESESSION", "SESSION", "CsrfError", "check_csrf", "csrf_key", "csrf_token"]

SESSION = "tasma_session"
PRESESSION = "tasma_presession"


class CsrfError(TasmaError):
    code = "csrf"


def csrf_key(settings: Settings, engine: Engine) -> bytes:
    """The production secret, else a key derived from this database's random instance id —
    the same in every worker process of one service."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    instance = database_instance(engine)
    return hashlib.sha256(f"tasma-local-csrf:{instance}".encode()).digest()


def _sign(key: bytes, what: str) -> str:
    return hmac.new(key, what.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> tuple[str, str | None]:
    """The token for the forms of this page, and a new pre-session cookie value to set (when
    the browser has neither a session nor a pre-session yet)."""
    key: bytes = request.app.state.csrf_key
    session = request.cookies.get(SESSION)
    if session:
        return _sign(key, "session:" + session), None
    presession = request.cookies.get(PRESESSION)
    fresh = None
    if not presession:
        presession = fresh = secrets.token_urlsafe(24)
    return _sign(key, "login:" + presession), fresh


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return True  # no header to judge by (some privacy tools strip both): the token decides
    return urlsplit(source).netloc == request.headers.get("host", "")


async def check_csrf(request: Request) -> None:
    """A dependency of every state-changing web form."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not _same_origin(request):
        raise CsrfError("the form was sent from another site")
    form = await request.form()
    given = str(form.get("csrf", ""))
    key: bytes = request.app.state.csrf_key
    session = request.cookies.get(SESSION)
    presession = request.cookies.get(PRESESSION)
    expected = {_sign(key, "session:" + session)} if session else set()
    if presession:
        expected.add(_sign(key, "login:" + presession))
    if not given or not any(hmac.compare_digest(given, e) for e in expected):
        raise CsrfError("the form's security check is missing or out of date")
