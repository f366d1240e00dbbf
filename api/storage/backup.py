"""Backups that restore: a consistent copy of the database, checked before it is trusted, and
put back whole.

The database is the record: people, tasks, proposals, outcomes, users, rule sets and the audit
trail are all in it, so a backup is the database and nothing else. What lives beside it is
either rebuilt from it (the match-index snapshots, the batch runs) or is the operator's to keep
with the data folder and the configuration (trained models, the settings): see
:data:`NOT_IN_BACKUP`, which the command line prints with every backup.

A backup is checked as it is written and again before a restore (:func:`verify`): a copy that
was never read back is a hope, not a backup. A restore is refused while the service runs on
the database (:func:`serving` marks that), replaces the database in one step, migrates an older
backup to this version's schema, and gives the restored database a new instance id and a
data version past every one it had, so that no match index or snapshot built before the
restore is ever served after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from api.storage.audit import record
from api.storage.engine import transaction
from api.storage.migrate import (
    current_revision,
    grant_app_role,
    head_revision,
    revisions,
    sqlite_findings,
    upgrade,
)
from api.storage.tables import DataVersionRow
from features.errors import TasmaError

__all__ = [
    "NOT_IN_BACKUP",
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "ServiceRunningError",
    "backup",
    "restore",
    "serving",
    "verify",
]

log = logging.getLogger("tasma.backup")

NOT_IN_BACKUP: dict[str, str] = {
    "match-index snapshots": "a cache of the database, rebuilt when the service starts",
    "batch runs": "results of past runs (Parquet in the data folder), made again by the nightly "
    "run or `tasma batch`",
    "trained models": "files in TASMA_MODELS_DIR (default models/): back that folder up "
    "with the data folder",
    "settings": "TASMA_SECRET_KEY, DATABASE_URL and the rest of the environment: keep them "
    "with the deployment's configuration",
}
"""What a backup leaves out, and why nothing is lost by that (or where it is kept instead)."""

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_SQLITE_HEADER = b"SQLite format 3\x00"
_PGDUMP_HEADER = b"PGDMP"
_SERVING_LOCK = 7_154_311_223_906_471_001
"""PostgreSQL advisory-lock key of "a service runs on this database" (the lock is per
database): held shared by every service process, asked for exclusively by a restore."""
_RUNNING = "the service is running on this database: stop it first (every worker process)"
_TOOLS = (
    "install the PostgreSQL client tools (apt-get install postgresql-client), of the server's "
    "major version or newer"
)


class BackupError(TasmaError):
    """A backup cannot be written, checked or restored; the message says why and what to do."""

    code = "backup_error"


class ServiceRunningError(BackupError):
    """A restore was refused: a service process holds the database's running marker."""

    code = "service_running"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup file holds, and what was checked to say so."""

    path: Path
    kind: str
    """"sqlite" or "postgresql" (a custom-format dump)"""
    bytes: int
    sha256: str
    """the file's digest: the audit rows of a backup and of a restore name the same file"""
    revision: str
    """the schema revision (Alembic) the backup is at"""
    head: str
    """this version's newest revision: a backup at an older one is migrated when restored"""
    rows: dict[str, int]
    """rows per table (the Alembic bookkeeping table left out)"""
    checked: tuple[str, ...]
    not_checked: tuple[str, ...] = ()
    not_included: dict[str, str] = field(default_factory=lambda: dict(NOT_IN_BACKUP))
    audited: bool = False
    """:func:`backup` wrote its audit row (not to a database at an older schema revision,
    whose audit table lacks columns: the service upgrades it at its next start)"""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def older(self) -> bool:
        """The backup is at an older schema revision than this version's."""
        return self.revision != self.head


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore put in place."""

    backup: BackupSummary
    revision: str
    """the database's revision now (the head: an older backup was migrated)"""
    migrated_from: str | None
    """the backup's revision when it was older than the head, else None"""
    rows: dict[str, int]
    """rows per table now, as read back from the restored database"""
    snapshots_removed: int
    """match-index snapshot files deleted (the service rebuilds its index from the database)"""
    set_aside: Path | None = None
    """SQLite: an unreadable database file moved aside rather than deleted (delete it once it
    is no longer needed: it may hold personal data)"""


# --- the running marker -----------------------------------------------------------------


def _sqlite_file(engine: Engine) -> Path | None:
    """The SQLite database file, None for an in-memory database."""
    name = engine.url.database
    return None if not name or name == ":memory:" else Path(name)


def _marker_file(live: Path) -> Path:
    return live.with_name(live.name + ".serving")


@contextlib.contextmanager
def serving(engine: Engine) -> Iterator[None]:
    """Mark the database as served for as long as the block runs: every service process holds
    the mark (shared), and :func:`restore` is refused while any does.

    SQLite: a shared ``flock`` on ``<database file>.serving``; PostgreSQL: a shared advisory
    lock on a connection of its own. Both end with the process, however it ends, so a killed
    service never leaves a stale mark. A service that starts while a restore runs waits for
    it to finish."""
    if engine.dialect.name == SQLITE:
        live = _sqlite_file(engine)
        if live is None:
            yield
            return
        fd = os.open(_marker_file(live), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("a restore of this database is under way; waiting for it to end")
                fcntl.flock(fd, fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # the lock goes with the descriptor
        return
    if engine.dialect.name != POSTGRESQL:
        yield
        return
    marker = create_engine(engine.url, poolclass=NullPool)  # not a connection of the pool
    try:
        with marker.connect() as conn:
            key = {"key": _SERVING_LOCK}
            if not conn.scalar(text("SELECT pg_try_advisory_lock_shared(:key)"), key):
                log.warning("a restore of this database is under way; waiting for it to end")
                conn.execute(text("SELECT pg_advisory_lock_shared(:key)"), key)
            conn.commit()  # the lock is the session's; no transaction is held open
            yield
    finally:
        marker.dispose()


@contextlib.contextmanager
def _nobody_serving(engine: Engine) -> Iterator[None]:
    """Hold the running marker exclusively for the block, or refuse at once: a service that
    starts meanwhile waits until the block ends."""
    if engine.dialect.name == SQLITE:
        live = _sqlite_file(engine)
        if live is None:
            raise BackupError("an in-memory database cannot be restored into")
        live.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_marker_file(live), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ServiceRunningError(_RUNNING) from None
            yield
        finally:
            os.close(fd)
        return
    marker = create_engine(engine.url, poolclass=NullPool)
    try:
        with marker.connect() as conn:
            taken = conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _SERVING_LOCK})
            conn.commit()
            if not taken:
                raise ServiceRunningError(_RUNNING)
            yield
    finally:
        marker.dispose()


def _supported(engine: Engine) -> str:
    if engine.dialect.name not in (SQLITE, POSTGRESQL):
        raise BackupError(f"backups are made of SQLite and PostgreSQL, not {engine.dialect.name}")
    return engine.dialect.name


# --- files --------------------------------------------------------------------------------


def _private_partial(path: Path) -> tuple[Path, int]:
    """A new, empty file beside ``path``, readable and writable by its owner only (mode 0600
    whatever the umask, before any data is in it), and its descriptor."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name for the backup")
    if not path.parent.is_dir():
        raise BackupError(f"no such folder: {path.parent}")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()  # left by a run of this process id that was killed
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return partial, fd


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _kind_of(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as handle:
        start = handle.read(len(_SQLITE_HEADER))
    if start == _SQLITE_HEADER:
        return SQLITE
    if start.startswith(_PGDUMP_HEADER):
        return POSTGRESQL
    if not start:
        raise BackupError(f"{path} is empty: not a backup")
    raise BackupError(
        f"{path} is not a Täsmä backup: neither a SQLite database nor a PostgreSQL "
        "custom-format dump"
    )


def _known_revision(path: Path, found: list[str]) -> str:
    """The backup's one schema revision, if this version of Täsmä knows it."""
    if len(found) != 1:
        raise BackupError(
            f"{path} holds {len(found)} schema revisions, not one: not a backup Täsmä made"
        )
    revision = found[0]
    if revision not in revisions():
        raise BackupError(
            f"{path} is at schema revision {revision}, which this version of Täsmä does not "
            f"know (its newest is {head_revision()}): it was made by a newer version; restore "
            "it with that version, or upgrade Täsmä first"
        )
    return revision


# --- verify -------------------------------------------------------------------------------


def _read_only_uri(path: Path) -> str:
    """Read-only and immutable: checking or restoring from a backup never writes beside it
    (no journal, no WAL, no lock file) and never changes it."""
    return f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"


def _verify_sqlite(path: Path) -> tuple[list[str], dict[str, int], tuple[str, ...]]:
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            checks = sqlite_findings(conn)
            if checks.damage:
                raise BackupError(
                    f"{path} is damaged (integrity check: {'; '.join(checks.damage[:3])}): use "
                    "another backup"
                )
            tables = [
                str(row[0])
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            if "alembic_version" not in tables:
                raise BackupError(
                    f"{path} holds no schema revision: not a Täsmä database, or one never "
                    "migrated (`tasma migrate`)"
                )
            found = [str(row[0]) for row in conn.execute("SELECT version_num FROM alembic_version")]
            rows = {
                table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                for table in tables
                if table != "alembic_version"
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(
            f"{path} is not a readable SQLite database ({err}): use another backup"
        ) from None
    # Rows that point at nothing are the database's as it was (the sqlite3 shell has foreign
    # keys off): a backup keeps them as they are and says so, rather than refuse to be made.
    references = (
        f"foreign keys: {sum(checks.dangling.values())} rows point at nothing, as in the "
        f"database backed up (in {', '.join(checks.dangling)}; `PRAGMA foreign_key_check` "
        "lists them)"
        if checks.dangling
        else "foreign keys: every reference points at a row"
    )
    checked = (
        "the file opens read-only as a SQLite database",
        "SQLite's integrity check: ok",
        references,
    )
    return found, rows, checked


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: {_TOOLS}")
    return found


def _first_error(stream: IO[bytes]) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream.read().decode(errors="replace").splitlines()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return errors[0] if errors else "no message"


def _unreadable_dump(path: Path, message: str) -> str:
    return (
        f"{path} is damaged, or was made by a newer pg_dump than this pg_restore ({message}): "
        "use another backup, or client tools as new as the pg_dump that made it"
    )


_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ", re.MULTILINE)
_COPY = re.compile(rb"^COPY public\.(\S+) (?:\(.*\) )?FROM stdin;$")


def _verify_pgdump(path: Path) -> tuple[list[str], dict[str, int], tuple[str, ...]]:
    """``pg_restore`` reads the table of contents, then every table's data (as the COPY text a
    restore would send), which is counted row by row: a damaged or truncated archive fails
    here, not on the day it is needed."""
    tool = _tool("pg_restore")
    listed = subprocess.run([tool, "--list", str(path)], capture_output=True, check=False)
    if listed.returncode != 0:
        message = listed.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise BackupError(_unreadable_dump(path, message[0]))
    rows = dict.fromkeys((name.strip('"') for name in _TABLE.findall(listed.stdout.decode())), 0)
    found: list[str] = []
    with tempfile.TemporaryFile() as errors:
        reader = subprocess.Popen(
            [tool, "--data-only", "--file=-", str(path)], stdout=subprocess.PIPE, stderr=errors
        )
        assert reader.stdout is not None
        table: str | None = None
        for line in reader.stdout:
            if table is None:
                match = _COPY.match(line.rstrip(b"\n"))
                if match:
                    table = match.group(1).decode().strip('"')
                    rows.setdefault(table, 0)
            elif line == b"\\.\n":
                table = None
            else:
                rows[table] += 1
                if table == "alembic_version":
                    found.append(line.decode().strip())
        if reader.wait() != 0:
            raise BackupError(_unreadable_dump(path, _first_error(errors)))
    if "alembic_version" not in rows:
        raise BackupError(
            f"{path} holds no schema revision: not a Täsmä database, or one never migrated"
        )
    rows.pop("alembic_version")
    checked = (
        "pg_restore reads the archive's table of contents",
        "pg_restore reads every table's data back, row by row",
    )
    return found, rows, checked


_PG_NOT_CHECKED = (
    "constraints and foreign keys: a dump can be checked against them only by restoring it; "
    "restore it into a scratch database to be sure (createdb, then DATABASE_URL=<that "
    "database> tasma restore FILE --yes)",
)


def verify(path: Path) -> BackupSummary:
    """Check a backup file without touching any database: it reads back whole, and its schema
    revision is one this version knows (an older one is migrated when restored; a newer or
    unknown one is refused). SQLite: opened read-only, SQLite's integrity and foreign-key
    checks, rows counted. A PostgreSQL dump: ``pg_restore`` reads its table of contents and
    every row of data; its constraints can only be checked by a restore (the summary says so).
    Raises :class:`BackupError` with a message for the operator."""
    kind = _kind_of(path)
    if kind == SQLITE:
        found, rows, checked = _verify_sqlite(path)
        not_checked: tuple[str, ...] = ()
    else:
        found, rows, checked = _verify_pgdump(path)
        not_checked = _PG_NOT_CHECKED
    revision = _known_revision(path, found)
    head = head_revision() or revision
    state = "this version's newest" if revision == head else f"older than this version's {head}"
    return BackupSummary(
        path=path,
        kind=kind,
        bytes=path.stat().st_size,
        sha256=_sha256(path),
        revision=revision,
        head=head,
        rows=dict(sorted(rows.items())),
        checked=(*checked, f"schema revision {revision}: known ({state})"),
        not_checked=not_checked,
    )


# --- backup -------------------------------------------------------------------------------


def _libpq(engine: Engine, purpose: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the client tools, and their environment: the password
    goes in ``PGPASSWORD``, never on a command line that ``ps`` shows."""
    url = engine.url
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    options = " ".join(
        filter(None, [os.environ.get("PGOPTIONS"), "-c client_min_messages=warning"])
    )
    env = dict(os.environ, PGAPPNAME=purpose, PGOPTIONS=options)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain, env


def _counts(conn: Connection) -> dict[str, int]:
    names = inspect(conn).get_table_names()
    return {
        name: int(conn.scalar(select(func.count()).select_from(text(f'"{name}"'))) or 0)
        for name in sorted(names)
        if name != "alembic_version"
    }


def _dump_postgres(engine: Engine, fd: int) -> dict[str, int]:
    """``pg_dump --format=custom`` on a snapshot this function exported, counting every table's
    rows on the same snapshot: the counts are exactly the dump's, to be compared with what the
    file reads back."""
    tool = _tool("pg_dump")
    dsn, env = _libpq(engine, "tasma backup")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            counts = _counts(conn)
            with tempfile.TemporaryFile() as errors:
                done = subprocess.run(
                    [tool, "--format=custom", f"--snapshot={snapshot}", "--dbname", dsn],
                    stdout=fd,
                    stderr=errors,
                    env=env,
                    check=False,
                )
                if done.returncode != 0:
                    raise BackupError(f"pg_dump failed: {_first_error(errors)}")
    os.fsync(fd)
    return counts


def _copy_sqlite(engine: Engine, partial: Path) -> None:
    """SQLite's online backup: one consistent copy, the WAL's committed pages included, while
    the service keeps writing (in WAL mode a reader does not stop writers). The copy is made a
    plain single file (rollback journal), so it needs nothing beside it."""
    live = _sqlite_file(engine)
    if live is None:
        raise BackupError("an in-memory database cannot be backed up")
    if not live.is_file():
        raise BackupError(f"no database file at {live}")
    try:
        source = sqlite3.connect(live, timeout=30)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # all pages in one step: one snapshot
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as err:
        raise BackupError(f"cannot read the database file {live}: {err}") from None


def backup(engine: Engine, path: Path, *, actor: str = "cli") -> BackupSummary:
    """Write a backup of the database to ``path`` (mode 0600), read it back with
    :func:`verify`, and only then put it in place (an existing file at ``path`` is replaced
    only by a complete, checked backup); audited. Works while the service runs.

    SQLite: the online backup API. PostgreSQL: ``pg_dump --format=custom``, which must be on
    the PATH (the PostgreSQL client tools); its row counts must equal the database's on the
    same snapshot."""
    path = Path(path).absolute()
    _supported(engine)
    live = _sqlite_file(engine) if engine.dialect.name == SQLITE else None
    if live is not None and live.exists() and live.resolve() == path.resolve():
        raise BackupError(f"{path} is the database itself: choose another file for the backup")
    partial, fd = _private_partial(path)
    try:
        if engine.dialect.name == POSTGRESQL:
            try:
                counts = _dump_postgres(engine, fd)
            finally:
                os.close(fd)
        else:
            os.close(fd)
            counts = None
            _copy_sqlite(engine, partial)
        summary = verify(partial)
        if counts is not None and counts != summary.rows:
            differ = sorted(t for t in counts.keys() | summary.rows.keys()
                            if counts.get(t) != summary.rows.get(t))  # fmt: skip
            raise BackupError(
                "the dump does not hold what the database held (rows differ in "
                f"{', '.join(differ[:5])}); nothing was written"
            )
        os.replace(partial, path)
        _sync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    summary = dataclasses.replace(summary, path=path)
    return dataclasses.replace(summary, audited=_audit(engine, actor, "backup_database", summary))


def _audit(engine: Engine, actor: str, action: str, summary: BackupSummary, **more: object) -> bool:
    """The audit row of a backup or restore: kind, revision, digest and row total — no names,
    no paths. Written only to a database at this version's schema (whose audit table has
    every column); False when it was not."""
    if current_revision(engine) != head_revision():
        return False
    with transaction(engine) as session:
        record(
            session,
            actor=actor,
            role="admin",
            action=action,
            object_type="database",
            details={
                "kind": summary.kind,
                "revision": summary.revision,
                "sha256": summary.sha256,
                "bytes": summary.bytes,
                "rows": summary.total_rows,
                **more,
            },
        )
    return True


# --- restore ------------------------------------------------------------------------------


def _data_version(engine: Engine) -> int:
    """The database's data version before a restore; 0 when it cannot be read (a damaged or
    empty database)."""
    live = _sqlite_file(engine) if engine.dialect.name == SQLITE else None
    if live is not None and not live.exists():
        return 0  # connecting would create the file
    try:
        with engine.connect() as conn:
            found = conn.scalar(select(DataVersionRow.version).where(DataVersionRow.id == 1))
    except (SQLAlchemyError, sqlite3.Error):
        return 0
    finally:
        engine.dispose()
    return int(found or 0)


def _set_aside(live: Path) -> Path | None:
    """Move an unreadable database file aside (kept, not deleted: it is the operator's to
    judge), and drop its WAL and shared-memory files, which belong to it and would otherwise
    be replayed into the restored file."""
    kept = None
    if live.exists():
        kept = live.with_name(f"{live.name}.unreadable-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        os.replace(live, kept)
    for extra in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            live.with_name(live.name + extra).unlink()
    return kept


def _sqlite_into(backup_file: Path, live: Path) -> None:
    source = sqlite3.connect(_read_only_uri(backup_file), uri=True)
    try:
        if not live.exists():
            os.close(os.open(live, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        target = sqlite3.connect(live, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _restore_sqlite(engine: Engine, backup_file: Path) -> Path | None:
    """SQLite's backup API from the backup into the live file, page by page inside SQLite's
    own locking (a file copy under a live WAL would be corrupted by it). A live file SQLite
    cannot read at all is set aside first, and the backup restored into a new file."""
    live = _sqlite_file(engine)
    assert live is not None  # _nobody_serving refused an in-memory database
    engine.dispose()
    if not live.exists():
        _set_aside(live)  # a WAL without its database is not to be replayed into the new one
    try:
        _sqlite_into(backup_file, live)
        return None
    except sqlite3.Error as err:
        unreadable = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
        if getattr(err, "sqlite_errorcode", None) not in unreadable:
            raise BackupError(f"cannot write the database file {live}: {err}") from None
    kept = _set_aside(live)
    try:
        _sqlite_into(backup_file, live)
    except sqlite3.Error as err:
        raise BackupError(f"cannot write the database file {live}: {err}") from None
    return kept


_CLEAR_PUBLIC = """
SET lock_timeout = '60s';
DO $$
DECLARE
    kind record;
    names text;
BEGIN
    FOR kind IN SELECT * FROM (VALUES ('r', 'TABLE'), ('p', 'TABLE'), ('v', 'VIEW'),
            ('m', 'MATERIALIZED VIEW'), ('f', 'FOREIGN TABLE'), ('S', 'SEQUENCE')) AS k(rel, word)
    LOOP
        SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') INTO names
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = kind.rel::"char"
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e');
        IF names IS NOT NULL THEN
            EXECUTE format('DROP %s IF EXISTS %s CASCADE', kind.word, names);
        END IF;
    END LOOP;
    SELECT string_agg(format('%I.%I(%s)', n.nspname, p.proname,
                             pg_get_function_identity_arguments(p.oid)), ', ') INTO names
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p', 'w')
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e');
    IF names IS NOT NULL THEN
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', names);
    END IF;
    FOR kind IN SELECT * FROM (VALUES ('e', 'TYPE'), ('d', 'DOMAIN')) AS k(rel, word) LOOP
        SELECT string_agg(format('%I.%I', n.nspname, t.typname), ', ') INTO names
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = kind.rel::"char"
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e');
        IF names IS NOT NULL THEN
            EXECUTE format('DROP %s IF EXISTS %s CASCADE', kind.word, names);
        END IF;
    END LOOP;
END
$$;
"""
"""Empty the public schema (tables, views, sequences, functions, types; not what an extension
owns), in the restore's own transaction: a table or function a newer migration made would
otherwise stay beside the restored ones and break their migration (``pg_restore --clean``
drops only what the dump names, and cannot drop a table another one references)."""


def _restore_postgres(engine: Engine, backup_file: Path) -> None:
    """The dump replaces the database's public schema (Täsmä's, the only one it uses) in one
    transaction, committed whole or not at all: ``pg_restore --schema=public --no-owner
    --no-acl`` writes the restore as SQL, which ``psql --single-transaction`` runs after
    emptying the schema. Other schemas are left alone. Ownership and grants are the restoring
    role's: grants to the service's own role are given again by ``app_role`` (as by ``tasma
    migrate --app-role``)."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    dsn, env = _libpq(engine, "tasma restore")
    engine.dispose()
    with tempfile.TemporaryFile() as read_errors, tempfile.TemporaryFile() as run_errors:
        reader = subprocess.Popen(
            [pg_restore, "--schema=public", "--no-owner", "--no-acl", "--file=-", str(backup_file)],
            stdout=subprocess.PIPE,
            stderr=read_errors,
            env=env,
        )
        runner = subprocess.Popen(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
             "-c", _CLEAR_PUBLIC, "-f", "-", "--dbname", dsn],
            stdin=reader.stdout,
            stdout=subprocess.DEVNULL,
            stderr=run_errors,
            env=env,
        )  # fmt: skip
        assert reader.stdout is not None
        reader.stdout.close()  # psql holds the pipe; pg_restore sees it close if psql stops
        ran, read = runner.wait(), reader.wait()
        if ran != 0:
            raise BackupError(
                "the restore was rolled back, the database is as it was: "
                + _first_error(run_errors)
            )
        if read != 0:
            raise BackupError(
                f"pg_restore failed, the database may be partly restored: "
                f"{_first_error(read_errors)}"
            )


def _discard_snapshots(folder: Path | None) -> int:
    if folder is None or not folder.is_dir():
        return 0
    removed = 0
    for old in folder.glob("index-*"):
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
            removed += 1
    return removed


def restore(
    engine: Engine,
    path: Path,
    *,
    snapshots: Path | None = None,
    app_role: str | None = None,
    confirm: Callable[[BackupSummary], bool] | None = None,
    actor: str = "cli",
) -> RestoreSummary:
    """Replace the database with the backup at ``path``.

    Refused while the service runs on the database (:func:`serving`); the backup is checked
    first (:func:`verify`: a newer or unknown revision is refused) and must be of the
    database's kind; ``confirm`` sees what the backup holds and may still say no. Then the
    database is replaced whole, an older backup migrated to this version's schema, given a new
    instance id and a data version past every one it had before (index snapshots are named by
    both, so none made before the restore — here, on another host, or of a copy of the same
    database — can match it again), the snapshot files in ``snapshots`` deleted (a cache:
    the service rebuilds them), and the restore audited in the restored database. Everything
    in the database returns to the backup's moment, the audit trail included: what was
    recorded after it is gone."""
    path = Path(path).absolute()
    kind = _supported(engine)
    if app_role and kind != POSTGRESQL:
        raise BackupError("--app-role is for PostgreSQL: SQLite has no database roles")
    with _nobody_serving(engine):
        summary = verify(path)
        if summary.kind != kind:
            raise BackupError(
                f"{path} is a {summary.kind} backup and the database is {kind}: a backup "
                "restores into a database of its own kind"
            )
        live = _sqlite_file(engine) if kind == SQLITE else None
        if live is not None and live.exists() and live.resolve() == path.resolve():
            raise BackupError(f"{path} is the database itself, not a backup of it")
        if confirm is not None and not confirm(summary):
            raise BackupError("restore cancelled: nothing was changed")
        version_before = _data_version(engine)
        set_aside = None
        if kind == SQLITE:
            set_aside = _restore_sqlite(engine, path)
        else:
            _restore_postgres(engine, path)
        engine.dispose()  # no pooled connection remembers the replaced database
        migrated_from = None
        if summary.older:
            upgrade(engine)
            migrated_from = summary.revision
        with transaction(engine) as session:
            restored = session.scalar(select(DataVersionRow.version).where(DataVersionRow.id == 1))
            session.execute(
                update(DataVersionRow)
                .where(DataVersionRow.id == 1)
                .values(
                    version=max(version_before, int(restored or 0)) + 1,
                    instance=uuid.uuid4().hex,
                )
            )
        removed = _discard_snapshots(snapshots)
        with engine.connect() as conn:
            rows = _counts(conn)  # what was restored, before the restore's own audit row
        if app_role:
            try:
                grant_app_role(engine, app_role)
            except ValueError as err:
                raise BackupError(f"restored, but the role was not granted: {err}") from None
        _audit(engine, actor, "restore_database", summary,
               migrated_from=migrated_from, snapshots_removed=removed)  # fmt: skip
    return RestoreSummary(
        backup=summary,
        revision=current_revision(engine) or "",
        migrated_from=migrated_from,
        rows=rows,
        snapshots_removed=removed,
        set_aside=set_aside,
    )
