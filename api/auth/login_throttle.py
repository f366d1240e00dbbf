"""How long a log-in must wait after failures: per user name *and* client address, with a
delay that doubles after a few free tries, so that a stranger guessing one name is slowed
without locking its owner out (the owner logs in from another address, or from the same one
once the delay has passed); and per address, so that one address trying many names is
slowed too, except for names that have logged in from that address before (colleagues behind
one office address keep working while someone there sprays passwords).

An unknown name is throttled exactly like a known one: the answer and its timing never tell
whether a name exists. Counters live in the database (``login_attempt``), so every worker
process sees them, under a keyed hash: neither the name typed nor the address is stored.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from api.storage.tables import LoginAttemptRow

__all__ = [
    "FREE_PER_ADDRESS",
    "FREE_PER_NAME",
    "LONGEST_WAIT_SECONDS",
    "LoginThrottle",
    "wait_after",
]

FREE_PER_NAME = 3
"""Failures for one name from one address before each further one makes it wait."""
FREE_PER_ADDRESS = 30
"""Failures from one address, whatever the names, before unfamiliar names must wait there."""
LONGEST_WAIT_SECONDS = 900
FORGET_AFTER = timedelta(hours=1)
"""A count starts again when its last failure is this old."""
FAMILIAR_FOR = timedelta(days=30)
"""A name that logged in from an address this recently is not held by that address's count."""


def wait_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` in a row: none for the first ``free``, then 1, 2, 4 …
    up to 15 minutes."""
    if failures <= free:
        return 0
    return int(min(2 ** min(failures - free - 1, 20), LONGEST_WAIT_SECONDS))


@dataclass(frozen=True)
class LoginThrottle:
    key: bytes
    """Keys the hashes (derived from the service's secret, so every worker agrees)."""

    def _id(self, *parts: str) -> str:
        message = "\0".join(parts).encode("utf-8", "surrogatepass")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def _pair(self, name: str, address: str) -> str:
        return self._id("name and address", name.casefold(), address)

    def _address(self, address: str) -> str:
        return self._id("address", address)

    def waiting(self, session: Session, name: str, address: str, now: datetime) -> int:
        """Seconds before ``name`` may try from ``address`` (0: now)."""
        pair_key, address_key = self._pair(name, address), self._address(address)
        rows = {
            row.key: row
            for row in session.scalars(
                select(LoginAttemptRow).where(LoginAttemptRow.key.in_([pair_key, address_key]))
            )
        }
        wait = 0
        pair = rows.get(pair_key)
        if pair is not None and pair.blocked_until is not None:
            wait = _seconds(pair.blocked_until - now)
        held = rows.get(address_key)
        familiar = (
            pair is not None
            and pair.last_success_at is not None
            and now - pair.last_success_at < FAMILIAR_FOR
        )
        if held is not None and held.blocked_until is not None and not familiar:
            wait = max(wait, _seconds(held.blocked_until - now))
        return wait

    def failed(self, session: Session, name: str, address: str, now: datetime) -> int:
        """Count a failure; the seconds the name must now wait from this address."""
        waits = [
            self._count(session, self._pair(name, address), now, FREE_PER_NAME),
            self._count(session, self._address(address), now, FREE_PER_ADDRESS),
        ]
        # Counters whose last failure is long gone, and that no success keeps, are forgotten.
        session.execute(
            delete(LoginAttemptRow).where(
                LoginAttemptRow.last_failure_at < now - FORGET_AFTER * 24,
                or_(
                    LoginAttemptRow.last_success_at.is_(None),
                    LoginAttemptRow.last_success_at < now - FAMILIAR_FOR,
                ),
            )
        )
        return waits[0]

    def succeeded(self, session: Session, name: str, address: str, now: datetime) -> None:
        """The name's count from this address starts again, and the address knows the name."""
        key = self._pair(name, address)
        self._ensure(session, key)
        session.execute(
            update(LoginAttemptRow)
            .where(LoginAttemptRow.key == key)
            .values(failures=0, blocked_until=None, last_success_at=now)
        )

    def _count(self, session: Session, key: str, now: datetime, free: int) -> int:
        self._ensure(session, key)
        # One statement, so that two workers counting at once both count (the row is locked
        # for the update on PostgreSQL; SQLite writes one at a time).
        session.execute(
            update(LoginAttemptRow)
            .where(LoginAttemptRow.key == key)
            .values(
                failures=case(
                    (
                        or_(
                            LoginAttemptRow.last_failure_at.is_(None),
                            LoginAttemptRow.last_failure_at < now - FORGET_AFTER,
                        ),
                        1,
                    ),
                    else_=LoginAttemptRow.failures + 1,
                ),
                last_failure_at=now,
            )
        )
        failures = session.scalar(
            select(LoginAttemptRow.failures).where(LoginAttemptRow.key == key)
        )
        wait = wait_after(failures or 0, free)
        if wait:
            session.execute(
                update(LoginAttemptRow)
                .where(LoginAttemptRow.key == key)
                .values(blocked_until=now + timedelta(seconds=wait))
            )
        return wait

    @staticmethod
    def _ensure(session: Session, key: str) -> None:
        """The counter's row exists (made by whichever worker comes first)."""
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(LoginAttemptRow)
            .values(key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )


def _seconds(delta: timedelta) -> int:
    seconds = delta.total_seconds()
    return 0 if seconds <= 0 else int(seconds) + 1
