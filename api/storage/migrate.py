"""Run the Alembic migrations shipped inside the package, keeping every row.

On SQLite a migration that alters a table copies it, drops the old one and renames the copy
(Alembic's batch mode, as SQLite has no ALTER COLUMN). With foreign keys on, that DROP cascades
into every child table: an upgrade once emptied tasks, proposals' tasks, outcomes, tokens and
overrides without a word. So the runner, not each migration, turns foreign keys off for the run
(SQLite ignores the pragma inside a transaction: it is set before the transaction begins), runs
every step in one transaction, and before committing checks the foreign keys and the file's
integrity; on any violation it rolls the whole run back and says which table broke.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from features.errors import TasmaError

__all__ = [
    "MigrationCheckError",
    "SqliteFindings",
    "alembic_config",
    "current_revision",
    "downgrade",
    "grant_app_role",
    "head_revision",
    "revisions",
    "set_audit_retention",
    "sqlite_findings",
    "upgrade",
]

log = logging.getLogger("tasma.migrate")

_SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


class MigrationCheckError(TasmaError):
    """A migration would leave the database inconsistent, or found it damaged; nothing of the
    run was committed."""

    code = "migration_check"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@dataclass(frozen=True)
class SqliteFindings:
    """What SQLite's own checks found wrong in a database: nothing when both are empty."""

    damage: list[str]
    """``PRAGMA integrity_check``'s complaints"""
    dangling: dict[str, int]
    """``PRAGMA foreign_key_check``: rows pointing at nothing, per table"""


def sqlite_findings(driver: sqlite3.Connection) -> SqliteFindings:
    """Run SQLite's integrity and foreign-key checks on a driver connection (in whatever
    transaction it is in): after a migration, before it commits; on a backup file."""
    damage = [str(row[0]) for row in driver.execute("PRAGMA integrity_check")]
    dangling = Counter(str(row[0]) for row in driver.execute("PRAGMA foreign_key_check"))
    return SqliteFindings([] if damage == ["ok"] else damage, dict(sorted(dangling.items())))


def _findings(connection: Connection) -> SqliteFindings:
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return sqlite_findings(driver)


def _check_before(found: SqliteFindings) -> None:
    if found.damage:
        raise MigrationCheckError(
            "the database file is damaged (SQLite's integrity check: "
            + "; ".join(found.damage[:3])
            + "); nothing was changed: restore a backup (`tasma restore`)"
        )
    if found.dangling:  # an earlier state's, not the run's: said, and kept as they are
        log.warning(
            "rows pointing at nothing before the migration (kept as they are; `PRAGMA "
            "foreign_key_check` lists them): %s",
            ", ".join(f"{table} {count}" for table, count in found.dangling.items()),
        )


def _check_after(before: SqliteFindings, after: SqliteFindings) -> None:
    """Refuse what the run itself broke; rows that pointed at nothing before it are not the
    run's doing, and refusing them would leave a database that can never be upgraded."""
    made = {
        table: count - before.dangling.get(table, 0)
        for table, count in after.dangling.items()
        if count > before.dangling.get(table, 0)
    }
    if made:
        raise MigrationCheckError(
            f"the migration would leave {sum(made.values())} rows pointing at nothing "
            f"(in {', '.join(made)}); nothing was changed"
        )
    if after.damage:
        raise MigrationCheckError(
            "the database file failed its integrity check during the migration; nothing was "
            "changed: " + "; ".join(after.damage[:5])
        )


@contextmanager
def _migrating(engine: Engine) -> Iterator[tuple[Connection, str]]:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection, connection.begin():
            yield connection, url
        return
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a live pooled connection always has one
        isolation = driver.isolation_level
        # The driver begins transactions only before DML, leaving DDL outside them: the runner
        # begins its own (BEGIN IMMEDIATE: the write lock from the start).
        driver.isolation_level = None
        try:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            with connection.begin():
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                before = _findings(connection)
                _check_before(before)
                yield connection, url
                _check_after(before, _findings(connection))
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            driver.isolation_level = isolation


def _run(engine: Engine, step: Any, revision: str) -> None:
    with _migrating(engine) as (connection, url):
        config = alembic_config(url)
        config.attributes["connection"] = connection
        step(config, revision)


def _at(engine: Engine, revision: str) -> bool:
    """The database is at ``revision`` already (a start with nothing to migrate does nothing,
    checks included)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    target = None if revision == "base" else scripts.get_revision(revision)
    return current_revision(engine) == (target.revision if target else None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction that commits only a consistent database."""
    if not _at(engine, revision):
        _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    if not _at(engine, revision):
        _run(engine, command.downgrade, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def revisions() -> list[str]:
    """Every revision, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def set_audit_retention(engine: Engine, days: int) -> None:
    """PostgreSQL: how long the audit trail is kept at least, in the table only the owner may
    write (run as the owner; ``tasma migrate`` does it). The purge function keeps rows this
    long whatever the application asks."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_settings SET value = :days WHERE name = 'retention_days'"),
            {"days": max(days, 30)},
        )


_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(engine: Engine, role: str) -> None:
    """PostgreSQL: let ``role`` (the service's login) use the data, but the audit trail only
    to read and append — no UPDATE, DELETE or TRUNCATE, and, not being the tables' owner, no
    way to disable or drop their triggers. It purges through ``tasma_audit_purge``, which
    runs as the owner. Run as the owner after every migration (``tasma migrate --app-role``)."""
    if engine.dialect.name != "postgresql":
        raise ValueError("separate database roles are a PostgreSQL feature")
    if not _ROLE.match(role):
        raise ValueError(f"not a plain role name: {role!r}")
    statements = [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_event FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_purge FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
        f'REVOKE ALL ON audit_settings FROM "{role}"',
        f'GRANT EXECUTE ON FUNCTION tasma_audit_purge(integer) TO "{role}"',
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
