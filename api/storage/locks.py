"""Transaction-long locks for a count-then-insert that must not run twice at once.

A limit counted in one transaction and a row inserted after it can be passed by two requests
at the same moment: each counts before the other has inserted. On PostgreSQL (READ COMMITTED)
neither sees the other's row, so the limit is silently exceeded; a transaction-level advisory
lock makes them take turns and is released by the commit or the rollback, whatever happens.
SQLite lets one writer at a time: the second of two such transactions cannot write on a
snapshot older than the first's commit and is refused (``OperationalError``, which the service
answers as busy, retry), so nothing is exceeded there either and no lock is taken."""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["Turn", "take_turn"]


class Turn(IntEnum):
    """The advisory-lock keys of the service's count-then-insert sections (one per section;
    keys are shared by every database on a server, so they are large and unlikely numbers)."""

    COMPARISON_QUEUE = 7_154_311_223_906_472_001
    """Starting an analysts' comparison: :data:`api.rulesets.comparisons.MAX_UNFINISHED`."""


def take_turn(session: Session, turn: Turn) -> None:
    """Wait until no other transaction holds ``turn``, then hold it to the end of this
    session's transaction (PostgreSQL; a no-op on SQLite, see the module's docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(turn)})
