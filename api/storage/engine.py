"""Database engine and transactions.

SQLite (a file in the data directory, WAL mode, foreign keys on) by default; any SQLAlchemy URL
via ``DATABASE_URL``. Every write goes through :func:`transaction`: one transaction, committed
whole or rolled back whole.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Engine, Result, create_engine, event, update
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "data_dir",
    "database_url",
    "make_engine",
    "rows_affected",
    "transaction",
    "update_once",
]


def data_dir() -> Path:
    return Path(os.environ.get("TASMA_DATA_DIR", "data")).resolve()


def database_url() -> str:
    """``DATABASE_URL`` if set, else a SQLite file ``tasma.db`` in the data directory."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Plain postgresql:// would pick psycopg2, which is not a dependency.
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{data_dir() / 'tasma.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL keeps every acknowledged commit through a crash of the process
    # (it is in the WAL before the commit returns); FULL also survives power loss, at an
    # fsync per commit. TASMA_SQLITE_SYNCHRONOUS=FULL chooses that.
    mode = os.environ.get("TASMA_SQLITE_SYNCHRONOUS", "NORMAL").upper()
    cursor.execute(f"PRAGMA synchronous={'FULL' if mode == 'FULL' else 'NORMAL'}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left in free pages: an erased person is gone from
    # the file itself.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


_WRITES = ("insert", "update", "delete", "replace")


class _WriteLock:
    """A thread lock, and for a database file also an exclusive ``flock`` on a file beside it,
    so that writers of every process (service workers, the CLI) queue in order."""

    def __init__(self, path: str | None) -> None:
        self.threads = threading.Lock()
        self.fd = os.open(f"{path}.writelock", os.O_RDWR | os.O_CREAT, 0o600) if path else None

    def acquire(self) -> None:
        self.threads.acquire()
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_EX)  # blocks without the GIL; wakes at release

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()


def _serialise_writes(engine: Engine, path: str | None) -> None:
    """One write transaction at a time. SQLite has a single writer; writers that collide on
    its lock wait in its busy handler, which sleeps in growing steps — under load, a queue of
    sleepers makes the latency tail, and with several worker processes throughput collapses.
    A lock taken before the first write statement and given back at commit or rollback makes
    them queue in order instead: across threads, and across processes by a file lock."""
    lock = _WriteLock(path)

    def take(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if not conn.info.get("write_lock") and statement.lstrip()[:7].lower().startswith(_WRITES):
            lock.acquire()
            conn.info["write_lock"] = True

    def give(conn: Any, *_args: Any) -> None:
        if conn.info.pop("write_lock", False):
            lock.release()

    def give_on_return(dbapi_connection: Any, record: Any) -> None:
        if record.info.pop("write_lock", False):
            lock.release()

    def give_on_reset(dbapi_connection: Any, record: Any, reset_state: Any) -> None:
        give_on_return(dbapi_connection, record)

    def give_on_invalidate(dbapi_connection: Any, record: Any, exception: Any) -> None:
        give_on_return(dbapi_connection, record)

    event.listen(engine, "before_cursor_execute", take)
    event.listen(engine, "commit", give)
    event.listen(engine, "rollback", give)
    # A connection handed back without commit or rollback (the pool resets it) gives it too.
    event.listen(engine.pool, "reset", give_on_reset)
    event.listen(engine.pool, "invalidate", give_on_invalidate)


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if "///" in url and path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection per worker thread: the service runs sync routes in a thread pool.
        in_memory = "///" not in url or path in ("", ":memory:")
        pool = {} if in_memory else {"pool_size": 32, "max_overflow": 32}
        engine = create_engine(
            url, connect_args={"check_same_thread": False}, hide_parameters=True, **pool
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        _serialise_writes(engine, None if in_memory else path)
        return engine
    # hide_parameters: an error's text never carries the statement's values (names, e-mails,
    # coordinates) into a log.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (SQLAlchemy types ``Session.execute`` as a
    plain ``Result``; for these statements it is a ``CursorResult``)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def update_once(
    session: Session, row: Any, still_open: ColumnElement[bool], values: dict[str, Any]
) -> bool:
    """Write ``values`` to ``row`` (a stored row with an ``id``) only if ``still_open`` holds
    of it in the database, then read it back: whether this call wrote. Of two people closing
    the same thing at once — a referral, a plan step, a hand-off — only one does; the other
    learns it was done already (the check is in the UPDATE, not read before it)."""
    table = type(row)
    done = session.execute(
        update(table)
        .where(table.id == row.id, still_open)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return rows_affected(done) == 1


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: commit at the end, roll back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
