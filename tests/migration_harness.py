"""The upgrade harness: fill a database at any revision with rows in every table (each parent
with children), snapshot every row, and compare snapshots across migrations.

Rows are made from the schema as reflected at that revision, not from today's code, so the
harness needs nothing of a past release but its migration: every table gets two rows, every
column a value (nullable ones too, so that a lost value shows), every foreign key a parent row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]

ROWS_PER_TABLE = 2
_SKIP = {"alembic_version"}
# Values the schema's CHECK constraints ask for (the rest are made from the column's type).
_CHOSEN = {
    "source": "physician",  # a physician's restriction may carry a reference and a hard limit
    "answer": "yes",
}


def _value(column: sa.Column[Any], i: int) -> Any:
    if column.name in _CHOSEN:
        return _CHOSEN[column.name]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return column.name == "active"  # false satisfies every "NOT flag OR …" check
    if isinstance(kind, sa.Integer):
        return 1 + i
    if isinstance(kind, sa.Float | sa.Numeric):
        return 2.0 + i
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2020, 1, 2 + i, 8, 30)
    if isinstance(kind, sa.Date):
        return dt.date(2020, 1, 2 + i)
    if isinstance(kind, sa.JSON):
        return {"harness": i}
    if isinstance(kind, sa.LargeBinary):
        return b"harness" + bytes([i])
    if isinstance(kind, sa.String):  # Text included
        length = getattr(kind, "length", None) or 40
        return f"{column.name[: max(1, length - 2)]}{i}"[:length]
    raise TypeError(f"the harness has no value for {column.table.name}.{column.name}: {kind!r}")


def populate(engine: Engine) -> None:
    """Two rows in every table of the database as it is now."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if table.name in _SKIP:
                continue
            _fill(conn, table)


def _fill(conn: Connection, table: sa.Table) -> None:
    key = [c.name for c in table.primary_key.columns]
    start = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    parents = {
        fk.parent.name: fk.column for fk in table.foreign_keys if fk.column.table is not table
    }
    for i in range(ROWS_PER_TABLE):
        row: dict[str, Any] = {}
        for column in table.columns:
            if column.name in parents:
                target = parents[column.name]
                ids = (
                    conn.execute(sa.select(target).order_by(target).limit(ROWS_PER_TABLE))
                    .scalars()
                    .all()
                )
                row[column.name] = ids[i % len(ids)] if ids else None
            elif column.foreign_keys:  # a reference to its own table: left empty
                row[column.name] = None
            elif len(key) == 1 and column.name == key[0] and isinstance(column.type, sa.Integer):
                row[column.name] = start + 100 + i  # ids past any row a migration made
            else:
                row[column.name] = _value(column, start + i)
        conn.execute(table.insert().values(row))


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table, keyed by its primary key (or the whole row, lacking one)."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    out: Snapshot = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in _SKIP:
                continue
            key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            rows = conn.execute(sa.select(table)).mappings().all()
            out[table.name] = {tuple(r[k] for k in key): dict(r) for r in rows}
    return out


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """What ``after`` lost or changed of ``before``, on the tables and columns both have."""
    found = []
    for name, rows in before.items():
        if name not in after:
            continue
        kept = after[name]
        lost = [k for k in rows if k not in kept]
        if lost:
            found.append(f"{name}: {len(lost)} of {len(rows)} rows lost")
        for k, row in rows.items():
            if k not in kept:
                continue
            changed = sorted(
                c for c in row.keys() & kept[k].keys() if _norm(row[c]) != _norm(kept[k][c])
            )
            if changed:
                found.append(f"{name} {k}: {', '.join(changed)} changed")
    return found


def _norm(value: Any) -> Any:
    # A datetime read back through a column whose type a migration changed may gain or lose
    # its zone; the instant is what must be kept.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value
