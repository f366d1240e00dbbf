"""Read the tables the matcher needs into DataFrames and build the match index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, select
from sqlalchemy.pool import NullPool

from api.storage.tables import Base
from matching.index import MatchIndex

__all__ = ["load_index", "on_connection", "read_tables", "reader_engine", "snapshot_read"]

MATCH_TABLES = ("jobseeker", "capacity", "task", "task_demand", "role", "employer")
# The long tables hold millions of plain numbers: read them without per-value type processing.
_LONG = {
    "capacity": (
        "jobseeker_id",
        "characteristic_id",
        "level",
        "hard_limit",
        "recommended",
        "kilograms",
    ),
    "task_demand": ("task_id", "characteristic_id", "level", "kilograms"),
}


@contextmanager
def on_connection(bind: Engine | Connection) -> Iterator[Connection]:
    """The connection given, or a new one from the engine for the block."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


def reader_engine(engine: Engine) -> Engine:
    """An engine for :func:`snapshot_read` outside ``engine``'s pool: the reading connection is
    opened for the read and closed after it, so a rebuild of the index never waits for a
    pooled connection that the requests queued behind it hold. An in-memory SQLite database
    exists only on its own connection: there, ``engine`` itself."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return engine
    return create_engine(url, poolclass=NullPool, hide_parameters=True)


@contextmanager
def snapshot_read(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database, for reads that span
    tables (the match index: people, capacities, tasks, demands, roles, employers). Without it
    each statement sees its own moment: a role replaced between two reads leaves tasks whose
    demands are gone. PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: one read
    transaction (the driver begins none for a SELECT, so every SELECT would be its own)."""
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None  # a live pooled connection always has one
        if engine.dialect.name == "sqlite" and not driver.in_transaction:
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def read_tables(
    bind: Engine | Connection, names: tuple[str, ...] = MATCH_TABLES
) -> dict[str, pd.DataFrame]:
    """The tables as DataFrames, read on ``bind``: a request passes its own connection, so a
    request never holds two pooled connections at once (that can exhaust the pool)."""
    out = {}
    with on_connection(bind) as conn:
        for name in names:
            if name in _LONG:
                columns = _LONG[name]
                # The driver's own cursor: no per-row objects (20 s less for 4 million rows).
                driver = conn.connection.driver_connection
                assert driver is not None  # a live pooled connection always has one
                cursor = driver.cursor()
                try:
                    cursor.execute(f"SELECT {', '.join(columns)} FROM {name}")
                    rows = cursor.fetchall()
                finally:
                    cursor.close()
                out[name] = pd.DataFrame.from_records(rows, columns=list(columns))
                for flag in ("hard_limit", "recommended"):
                    if flag in columns:
                        out[name][flag] = out[name][flag].astype(bool)
                continue
            table = Base.metadata.tables[name]
            result = conn.execute(select(table).order_by(*table.primary_key.columns))
            out[name] = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return out


def load_index(bind: Engine | Connection) -> MatchIndex:
    return MatchIndex.from_tables(read_tables(bind))
