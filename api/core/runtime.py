"""What the application services need at run time, and own: the acting user, the process's
match index with the data version it follows, and the errors a use case raises for access and
load. No web framework here: routes, pages and the CLI hand these to the services, never the
other way round."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.orm import Session

from api.core.index_cache import IndexSnapshots
from api.core.security import Role
from api.storage.loading import load_index, reader_engine, snapshot_read
from api.storage.rulesets import get_ruleset, rules_of
from api.storage.tables import DataVersionRow
from features.errors import TasmaError
from matching.index import MatchIndex
from matching.rules import RuleSet

__all__ = [
    "BusyError",
    "ForbiddenError",
    "IndexHolder",
    "ServiceState",
    "TooManyRequestsError",
    "UnauthorizedError",
    "User",
    "bump_data_version",
    "data_version",
    "database_instance",
]


class BusyError(TasmaError):
    """The heavy work this asks for is already queued as far as it may be: retry later."""

    code = "busy"


class UnauthorizedError(TasmaError):
    code = "unauthorized"


class ForbiddenError(TasmaError):
    code = "forbidden"


class TooManyRequestsError(TasmaError):
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    area: str | None


def bump_data_version(session: Session) -> None:
    """Mark people or tasks changed, in the caller's transaction (see :class:`IndexHolder`)."""
    session.execute(
        update(DataVersionRow)
        .where(DataVersionRow.id == 1)
        .values(version=DataVersionRow.version + 1)
    )


class ServiceState(NamedTuple):
    version: int
    instance: str | None
    active_ruleset: str | None


def data_version(session: Session | Connection) -> ServiceState:
    """The data version, the database's instance id and the active rule set: one lookup."""
    row = session.execute(
        select(
            DataVersionRow.version, DataVersionRow.instance, DataVersionRow.active_ruleset
        ).where(DataVersionRow.id == 1)
    ).one_or_none()
    return ServiceState(*row) if row else ServiceState(0, None, None)


def database_instance(engine: Engine) -> str | None:
    """The database's random instance id (the same for every worker process of one service)."""
    with engine.connect() as conn:
        return conn.scalar(select(DataVersionRow.instance).where(DataVersionRow.id == 1))


def _settle() -> None:
    """Move everything alive now — the new index's frames and id maps, hundreds of thousands of
    objects — out of the cyclic garbage collector's sight. They live as long as the index and
    are freed by reference counting when it is replaced; left in view, every full collection
    walked them all: a 150-ms pause of the worker every few seconds under load, which was
    the whole 99th percentile of match latency. What an earlier call froze is first given
    back, so that a replaced index's cycles are collected, not kept."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class IndexHolder:
    """The in-memory match index of this process. Every write that changes people or tasks
    bumps a counter in the database in its own transaction; before each query the holder
    reads the counter (one primary-key lookup) and rebuilds the index when it has moved — so
    an edit is visible to the next match in every worker process. The same lookup names the
    active rule set, so an activation reaches every worker at its next query too.

    With ``snapshots``, a fresh process first looks for a snapshot of exactly this version on
    disk (seconds instead of a full read for 100 000 tasks), and each rebuilt index is saved
    in the background for the next start."""

    def __init__(
        self,
        engine: Engine,
        rules: RuleSet,
        snapshots: IndexSnapshots | None = None,
        *,
        follow_active: bool = True,
    ) -> None:
        self.engine = engine
        self.reader = reader_engine(engine)
        self.rules = rules
        self.follow_active = follow_active
        """False: keep ``rules`` (a rule-set file tried from the CLI), whatever is active."""
        self.snapshots = snapshots
        self._index: MatchIndex | None = None
        self._version: int | None = None
        self._rules_version: str | None = rules.version
        self._lock = threading.Lock()
        self._saving = threading.Lock()

    def get(self, session: Session) -> MatchIndex:
        """The index as of the session's view of the data, read on the session's own
        connection (a second pooled connection per request could exhaust the pool)."""
        with self._lock:
            version, instance, active = data_version(session)
            if self.follow_active and active is not None and active != self._rules_version:
                self.rules = rules_of(get_ruleset(session, active))
                self._rules_version = active
            if self._index is None or version != self._version:
                index = None
                if self.snapshots is not None and instance:
                    index = self.snapshots.load(instance, version)
                if index is None:
                    # One snapshot: the version and the six tables as of one moment, whatever
                    # is being written meanwhile; on a connection of its own, not the pool's.
                    with snapshot_read(self.reader) as conn:
                        version = data_version(conn).version
                        index = load_index(conn)
                    self._save_later(instance, version, index)
                self._index, self._version = index, version
                _settle()
            return self._index

    def forget_snapshots(self, session: Session) -> None:
        """After an erasure: drop every snapshot on disk, rebuild this process's index from the
        tables now and save it (other processes rebuild at their next query)."""
        version, instance, _ = data_version(session)
        with self._lock:
            if self.snapshots is not None and instance:
                self.snapshots.discard(instance)
            index = load_index(session.connection())
            self._index, self._version = index, version
            _settle()
        session.rollback()
        if self.snapshots is not None and instance:
            self.snapshots.save(instance, version, index)

    def _save_later(self, instance: str | None, version: int, index: MatchIndex) -> None:
        snapshots = self.snapshots
        if snapshots is None or not instance or not self._saving.acquire(blocking=False):
            return  # no cache, or a save is under way: the next rebuild saves again

        def save() -> None:
            try:
                snapshots.save(instance, version, index)
            except OSError as err:
                logging.getLogger("tasma.index").warning("index snapshot not saved: %s", err)
            finally:
                self._saving.release()

        threading.Thread(target=save, name="index-snapshot", daemon=True).start()
