"""Backups that restore: `tasma backup`, `tasma backup --verify` and `tasma restore` on SQLite
and PostgreSQL — the same matches come back, damaged or foreign files are refused, an older
backup is migrated, and nothing is replaced while the service runs."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.core.settings import Environment, Settings
from api.storage.backup import (
    NOT_IN_BACKUP,
    BackupError,
    ServiceRunningError,
    backup,
    restore,
    serving,
    verify,
)
from api.storage.bulk import clear_all, load_tables
from api.storage.engine import make_engine
from api.storage.loading import load_index
from api.storage.migrate import current_revision, head_revision, upgrade
from api.storage.tables import AuditRow, DataVersionRow
from matching.ranking import rank_tasks_for_person
from matching.rules import default_ruleset
from tests.conftest import API_WORLD as WORLD
from tests.conftest import _postgres_database
from tests.migration_harness import populate

runner = CliRunner()
FUTURE = "9999_future"


def table_counts(engine):
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {
            name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in sorted(names)
            if name != "alembic_version"
        }


def top_matches(engine):
    """Every person's top 10 tasks, in order, with their scores."""
    index = load_index(engine)
    rules = default_ruleset()
    found = {}
    for pid in index.people.ids:
        ranked = rank_tasks_for_person(index.people, index.tasks, int(pid), rules, 10)
        found[int(pid)] = (ranked.ids.tolist(), ranked.total.tolist())
    return found


def data_version(engine):
    with engine.connect() as conn:
        return conn.scalar(sa.select(DataVersionRow.version).where(DataVersionRow.id == 1))


def instance(engine):
    with engine.connect() as conn:
        return conn.scalar(sa.select(DataVersionRow.instance).where(DataVersionRow.id == 1))


def audit_rows(engine, action):
    with engine.connect() as conn:
        found = sa.select(AuditRow.actor, AuditRow.role, AuditRow.details)
        return conn.execute(found.where(AuditRow.action == action)).all()


def libpq_url(engine):
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgres_engine():
    for url in _postgres_database():
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


def test_a_restore_brings_back_the_same_matches_and_every_row(engine, tmp_path):
    load_tables(engine, WORLD.tables)
    before, counts = top_matches(engine), table_counts(engine)
    assert sum(len(ids) for ids, _ in before.values()) > 20  # a world with matches to lose
    file = tmp_path / "tasma.backup"

    made = backup(engine, file)
    assert made.path == file and made.bytes == file.stat().st_size > 0
    assert made.kind == engine.dialect.name and made.revision == head_revision()
    assert not made.older and made.audited
    assert made.rows == counts and made.total_rows == sum(counts.values())
    assert set(made.not_included) == set(NOT_IN_BACKUP)
    (row,) = audit_rows(engine, "backup_database")
    assert (row.actor, row.role) == ("cli", "admin")
    assert row.details["sha256"] == made.sha256
    assert str(tmp_path) not in str(row.details)  # no paths, no names

    # Lost: every person and task, and a snapshot of the index left on disk for each state.
    clear_all(engine)
    assert top_matches(engine) == {}
    version_broken, instance_before = data_version(engine), instance(engine)
    snapshots = tmp_path / "index-cache"
    snapshots.mkdir()
    for version in (version_broken, version_broken + 1, version_broken + 2):
        (snapshots / f"index-abc-{version}-123456789abc.joblib").write_bytes(b"old index")

    restored = restore(engine, file, snapshots=snapshots)

    assert top_matches(engine) == before
    assert restored.rows == made.rows == counts  # as read back, before the restore's audit row
    assert table_counts(engine) == counts | {"audit_event": counts["audit_event"] + 1}
    assert restored.revision == head_revision() and restored.migrated_from is None
    assert restored.snapshots_removed == 3 and not list(snapshots.iterdir())
    # A new instance, its version past every one the replaced database had: no index or
    # snapshot built before the restore can match it.
    assert data_version(engine) > version_broken
    assert len(instance(engine)) == 32 and instance(engine) != instance_before
    # The audit trail is the backup's, and the restore's own row names the file by its digest
    # (the backup's row was written after the copy was made: it is not in it).
    assert not audit_rows(engine, "backup_database")
    (row,) = audit_rows(engine, "restore_database")
    assert row.details["sha256"] == made.sha256
    assert row.details["revision"] == head_revision()


def test_a_sqlite_file_overwritten_with_garbage_is_set_aside_and_restored(sqlite_engine, tmp_path):
    load_tables(sqlite_engine, WORLD.tables)
    before = top_matches(sqlite_engine)
    (tmp_path / "backups").mkdir()
    made = backup(sqlite_engine, tmp_path / "backups" / "b.db")
    live = Path(sqlite_engine.url.database)
    sqlite_engine.dispose()
    live.write_bytes(b"not a database at all " * 4096)
    with pytest.raises(sa.exc.DatabaseError):
        top_matches(sqlite_engine)
    sqlite_engine.dispose()

    restored = restore(sqlite_engine, made.path)

    assert top_matches(sqlite_engine) == before
    assert restored.set_aside is not None
    assert restored.set_aside.read_bytes().startswith(b"not a database")
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_backup_file_is_the_owners_only_whatever_the_umask(engine, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    file = folder / "tasma.backup"
    file.write_bytes(b"an older backup")
    file.chmod(0o644)
    previous = os.umask(0)
    try:
        backup(engine, file)
    finally:
        os.umask(previous)
    assert file.stat().st_mode & 0o777 == 0o600
    assert verify(file).revision == head_revision()
    assert sorted(p.name for p in folder.iterdir()) == ["tasma.backup"]  # no partial left


def test_verify_refuses_damaged_and_foreign_files(engine, tmp_path):
    load_tables(engine, WORLD.tables)
    good = backup(engine, tmp_path / "good").path
    data = good.read_bytes()
    truncated = tmp_path / "truncated"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match=r"truncated is (damaged|not a readable)"):
        verify(truncated)
    garbage = tmp_path / "garbage"
    garbage.write_bytes(os.urandom(50_000))
    with pytest.raises(BackupError, match="is not a Täsmä backup: neither a SQLite database"):
        verify(garbage)
    empty = tmp_path / "empty"
    empty.touch()
    with pytest.raises(BackupError, match="is empty"):
        verify(empty)
    with pytest.raises(BackupError, match="no such file"):
        verify(tmp_path / "missing")
    # A restore checks first: the database is untouched.
    before = table_counts(engine)
    with pytest.raises(BackupError, match=r"damaged|not a readable"):
        restore(engine, truncated)
    assert table_counts(engine) == before


def test_rows_that_point_at_nothing_are_backed_up_as_they_are_and_said(sqlite_engine, tmp_path):
    """A row left dangling in the database (the sqlite3 shell has foreign keys off) does not
    stop a backup: the backup keeps it, and says how many and where."""
    load_tables(sqlite_engine, WORLD.tables)
    with sqlite_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql(
            "UPDATE task SET role_id = 999999 WHERE id = (SELECT min(id) FROM task)"
        )
        conn.commit()
    summary = backup(sqlite_engine, tmp_path / "b.db")
    assert summary.rows["task"] == len(WORLD.tables["task"])
    said = [item for item in verify(summary.path).checked if item.startswith("foreign keys")]
    assert said and "1 rows point at nothing" in said[0] and "task" in said[0]


def test_a_backup_at_a_newer_or_unknown_revision_is_refused(engine, tmp_path):
    load_tables(engine, WORLD.tables)
    file = tmp_path / "future.backup"
    if engine.dialect.name == "sqlite":
        backup(engine, file)
        with sqlite3.connect(file) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
        # backup() itself will not write what it could not restore...
        with pytest.raises(BackupError, match="does not know"):
            backup(engine, file)
        assert not list(tmp_path.iterdir())
        # ...so the newer version's dump is made by hand.
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(file), "--dbname", libpq_url(engine)],
            check=True,
        )
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()}
            )
    with pytest.raises(BackupError, match=f"revision {FUTURE}, which this version of Täsmä"):
        verify(file)
    before = table_counts(engine)
    with pytest.raises(BackupError, match="made by a newer version"):
        restore(engine, file)
    assert table_counts(engine) == before and current_revision(engine) == head_revision()


def test_an_older_backup_is_migrated_to_this_version_when_restored(bare_engine, tmp_path):
    upgrade(bare_engine, "0015")
    populate(bare_engine)
    old = backup(bare_engine, tmp_path / "old.backup")
    assert old.revision == "0015" and old.older and old.total_rows > 0
    assert not old.audited  # the audit table of 0015 is not this version's
    assert "older than this version's" in verify(old.path).checked[-1]
    upgrade(bare_engine)  # the newer tables now exist beside the old ones
    clear_all(bare_engine)

    restored = restore(bare_engine, old.path)

    assert restored.migrated_from == "0015"
    assert restored.revision == current_revision(bare_engine) == head_revision()
    for table, count in old.rows.items():
        assert restored.rows[table] == count, table
    assert table_counts(bare_engine)["audit_event"] == old.rows["audit_event"] + 1
    assert audit_rows(bare_engine, "restore_database")


def test_a_backup_restores_only_into_a_database_of_its_kind(
    sqlite_engine, postgres_engine, tmp_path
):
    lite = backup(sqlite_engine, tmp_path / "lite.db").path
    dump = backup(postgres_engine, tmp_path / "pg.dump").path
    with pytest.raises(BackupError, match="is a sqlite backup and the database is postgresql"):
        restore(postgres_engine, lite)
    with pytest.raises(BackupError, match="is a postgresql backup and the database is sqlite"):
        restore(sqlite_engine, dump)


def test_no_restore_while_the_service_runs_on_the_database(engine, database_url, tmp_path):
    load_tables(engine, WORLD.tables)
    file = backup(engine, tmp_path / "tasma.backup").path
    settings = Settings(database_url=database_url, environment=Environment.TEST,
                        demo_on_empty=False, warm_index=False)  # fmt: skip
    with TestClient(create_app(settings)):  # the lifespan: a served database
        before = table_counts(engine)
        with pytest.raises(ServiceRunningError, match="the service is running on this database"):
            restore(engine, file)
        # A second worker process of the same service:
        with serving(engine), pytest.raises(ServiceRunningError, match="stop it first"):
            restore(engine, file)
    assert table_counts(engine) == before
    assert restore(engine, file).rows["task"] == before["task"]  # stopped: restored


def test_a_postgres_restore_that_fails_midway_changes_nothing(
    postgres_engine, tmp_path, monkeypatch
):
    """The schema is emptied and the dump run in one transaction: when a statement of the dump
    fails (here: a table already made under its name), nothing of either is left."""
    import api.storage.backup as backups

    load_tables(postgres_engine, WORLD.tables)
    file = backup(postgres_engine, tmp_path / "pg.dump").path
    clear_all(postgres_engine)
    before, version = table_counts(postgres_engine), data_version(postgres_engine)
    in_the_way = backups._CLEAR_PUBLIC + "CREATE TABLE public.task (id integer);"
    monkeypatch.setattr(backups, "_CLEAR_PUBLIC", in_the_way)
    with pytest.raises(BackupError, match=r"rolled back, the database is as it was: .*task"):
        restore(postgres_engine, file)
    assert table_counts(postgres_engine) == before and data_version(postgres_engine) == version
    assert current_revision(postgres_engine) == head_revision()


def test_a_postgres_restore_gives_the_service_role_its_rights_again(postgres_engine, tmp_path):
    """Grants are not restored (the role may not exist where the dump is restored); the
    service's own role gets them back with ``app_role``, as from ``tasma migrate --app-role``."""
    import uuid

    from tests.conftest import POSTGRES_ADMIN_URL

    role = f"tasma_app_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
    as_role = make_engine(postgres_engine.url.set(username=role).render_as_string(False))
    try:
        load_tables(postgres_engine, WORLD.tables)
        file = backup(postgres_engine, tmp_path / "pg.dump").path
        with pytest.raises(BackupError, match="for PostgreSQL"):
            restore(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), file, app_role=role)
        restore(postgres_engine, file)
        with (
            pytest.raises(sa.exc.ProgrammingError, match="permission denied"),
            as_role.connect() as conn,
        ):
            conn.scalar(sa.text("SELECT count(*) FROM task"))
        restore(postgres_engine, file, app_role=role)
        with as_role.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM task")) == len(WORLD.tables["task"])
        with pytest.raises(sa.exc.ProgrammingError), as_role.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_event"))  # the audit trail: append only
    finally:
        as_role.dispose()
        with postgres_engine.begin() as conn:  # its grants are in the test's database
            conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_a_restore_can_be_cancelled_when_shown_what_the_backup_holds(engine, tmp_path):
    load_tables(engine, WORLD.tables)
    file = backup(engine, tmp_path / "tasma.backup").path
    clear_all(engine)
    shown = []

    def no(summary):
        shown.append(summary)
        return False

    with pytest.raises(BackupError, match="cancelled: nothing was changed"):
        restore(engine, file, confirm=no)
    assert shown[0].rows["task"] == len(WORLD.tables["task"])
    assert table_counts(engine)["task"] == 0


def test_the_commands_back_up_verify_and_restore(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert runner.invoke(cli, ["demo", "--size", "tiny"]).exit_code == 0
    engine = make_engine(database_url)
    before = top_matches(engine)
    file = tmp_path / "nightly.backup"

    made = runner.invoke(cli, ["backup", str(file)])
    assert made.exit_code == 0, made.output
    assert f"wrote {file}, a backup of" in made.output
    assert f"schema revision {head_revision()} (this version's newest)" in made.output
    assert "rows in" in made.output and "not in the backup:" in made.output
    assert "trained models: files in TASMA_MODELS_DIR" in made.output
    assert "batch runs:" in made.output and "match-index snapshots:" in made.output

    checked = runner.invoke(cli, ["backup", "--verify", str(file)])
    assert checked.exit_code == 0, checked.output
    assert f"{file} is a good backup:" in checked.output and "checked:" in checked.output

    clear_all(engine)
    engine.dispose()
    refused = runner.invoke(cli, ["restore", str(file)], input="n\n")
    assert refused.exit_code == 1 and "Replace everything in" in refused.output
    assert "restore cancelled: nothing was changed" in refused.output
    assert top_matches(engine) == {}

    done = runner.invoke(cli, ["restore", str(file), "--yes"])
    assert done.exit_code == 0, done.output
    assert "restored" in done.output and "what it held before is replaced" in done.output
    assert "rebuilds its match index from the restored database" in done.output
    assert top_matches(engine) == before
    engine.dispose()

    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"\x00" * 100)
    bad = runner.invoke(cli, ["backup", "--verify", str(garbage)])
    assert bad.exit_code == 1 and "is not a Täsmä backup" in bad.output
    for usage in (["backup"], ["backup", str(file), "--verify", str(file)]):
        wrong = runner.invoke(cli, usage)
        assert wrong.exit_code == 2 and "tasma backup --verify PATH" in wrong.output
    assert "Traceback" not in made.output + checked.output + done.output + bad.output


def test_help_of_the_commands():
    for command in ("backup", "restore"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_postgres_backups_need_the_client_tools(postgres_engine, tmp_path, monkeypatch):
    assert shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump is not installed: .*apt-get install"):
        backup(postgres_engine, tmp_path / "x.dump")
    assert not list(tmp_path.iterdir())
