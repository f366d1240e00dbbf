"""Logging in (API and web alike): a password checked in constant time whether or not the user
exists, throttled per user name and client address and per address (growing delays, never a
lock-out that a stranger can cause; see :mod:`api.auth.login_throttle`), audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.login_throttle import LoginThrottle
from api.core.runtime import TooManyRequestsError, UnauthorizedError
from api.core.security import Role, hash_password, hash_token, new_token, verify_password
from api.storage.audit import record
from api.storage.tables import TokenRow, UserRow

__all__ = ["LoginThrottledError", "issue_token", "log_in"]

_DUMMY_HASH = hash_password("no such user: compared so an unknown name takes as long")


class LoginThrottledError(TooManyRequestsError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed log-ins; try again in {retry_after} seconds", retry_after
        )


def issue_token(session: Session, user_id: int, days: int) -> str:
    """A new bearer token for a user (only its hash is stored)."""
    token = new_token()
    session.add(
        TokenRow(
            user_id=user_id,
            token_hash=hash_token(token),
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.flush()
    return token


def log_in(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    throttle: LoginThrottle,
    days: int,
    via: str,
    demo_allowed: bool,
) -> tuple[str, Role]:
    """A token and the user's role for a correct password; commits. Wrong or unknown:
    :class:`UnauthorizedError`; this name from this address (or this address) must wait:
    :class:`LoginThrottledError` — alike for names that exist and names that do not."""
    now = datetime.now(UTC)
    wait = throttle.waiting(session, username, address, now)
    if wait:
        raise LoginThrottledError(wait)
    user = session.scalar(select(UserRow).where(UserRow.name == username))
    # Always one argon2 verification, so a name that does not exist takes as long.
    ok = verify_password(user.password_hash if user and user.password_hash else _DUMMY_HASH,
                         password)  # fmt: skip
    usable = (
        user is not None
        and user.active
        and bool(user.password_hash)
        and (demo_allowed or not user.demo)
    )
    if user is None or not (ok and usable):
        held = throttle.failed(session, username, address, now)
        if held and user is not None:
            record(session, actor=user.name, role=user.role, action="login_throttled",
                   object_type="user", object_id=user.id, details={"seconds": held})  # fmt: skip
        session.commit()
        raise UnauthorizedError("wrong user name or password")
    throttle.succeeded(session, username, address, now)
    token = issue_token(session, user.id, days)
    record(session, actor=user.name, role=user.role, action=via, object_type="user",
           object_id=user.id)  # fmt: skip
    session.commit()
    return token, Role(user.role)
