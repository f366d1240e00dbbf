"""Load whole tables (the demo world) in one transaction, fast, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from api.storage import history
from api.storage.tables import Base, DataVersionRow

__all__ = ["clear_all", "load_tables", "never_used", "rows_held"]

CHUNK = 20_000


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    # NaN / NaT become NULL; numpy scalars become Python values the drivers accept.
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def _bump(conn: Connection) -> None:
    conn.execute(
        update(DataVersionRow)
        .where(DataVersionRow.id == 1)
        .values(version=DataVersionRow.version + 1)
    )


def rows_held(engine: Engine) -> dict[str, int]:
    """How many rows each table holds, for the tables that hold any, leaving out the
    service's own state (``data_version``, ``audit_settings``), which every migrated database
    has."""
    held = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in SERVICE_STATE:
                continue
            count = conn.scalar(select(func.count()).select_from(table)) or 0
            if count:
                held[table.name] = int(count)
    return held


def never_used(engine: Engine) -> bool:
    """Nobody has used this database: no user, no audit row, no data of any kind. Only such a
    database may become a demo — one with a real admin, or anything an operator made, never is."""
    return not rows_held(engine)


SERVICE_STATE = frozenset({"data_version", "audit_settings"})
"""Rows every migrated database has: the service's state, not anyone's use of it."""

KEPT = frozenset({"audit_event", "audit_purge", "ruleset", "app_user", "api_token"} | SERVICE_STATE)
"""What replacing the data leaves alone: the append-only audit trail, the service's state,
rule-set versions and the users."""


def clear_all(engine: Engine) -> None:
    """Delete every row of every table (children first), in one transaction — except the
    tables in :data:`KEPT`: the audit log outlives the data it describes, and rule sets and
    users are the service's configuration, not its data."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEPT:
                conn.execute(delete(table))
        _bump(conn)


def _history_begins(tables: Mapping[str, pd.DataFrame]) -> datetime:
    """When the loaded people and tasks became as they are: the first recorded proposal's
    time (a demo world's history is made on today's profiles), else now."""
    proposal = tables.get("proposal")
    if proposal is not None and len(proposal):
        first = pd.Timestamp(proposal["proposed_at"].min())
        return (first.tz_localize(UTC) if first.tzinfo is None else first).to_pydatetime()
    return datetime.now(UTC)


def load_tables(engine: Engine, tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Insert ``tables`` (name → frame with the table's columns) in foreign-key order, all in
    one transaction, with a version of each person and task in their history (valid from
    the first proposal's time); return the rows written per table."""
    known = Base.metadata.tables
    unknown = set(tables) - set(known)
    if unknown:
        raise ValueError(f"no such tables: {sorted(unknown)}")
    written: dict[str, int] = {}
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            frame = tables.get(table.name)
            if frame is None:
                continue
            extra = set(frame.columns) - set(table.columns.keys())
            if extra:
                raise ValueError(f"table {table.name} has no columns {sorted(extra)}")
            for start in range(0, len(frame), CHUNK):
                conn.execute(insert(table), _records(frame.iloc[start : start + CHUNK]))
            written[table.name] = len(frame)
        history.write_versions(conn, tables, since=_history_begins(tables))
        _bump(conn)
        if conn.dialect.name == "postgresql":
            # Rows came with their ids; move each id sequence past them.
            for table in Base.metadata.sorted_tables:
                if "id" in table.columns and table.name in written:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return written
