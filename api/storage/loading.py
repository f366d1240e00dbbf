"""Read the tables the matcher needs into DataFrames and build the match index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Connection, Engine, select

from api.storage.tables import Base
from matching.index import MatchIndex

__all__ = ["load_index", "on_connection", "read_tables"]

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
