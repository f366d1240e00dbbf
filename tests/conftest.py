"""Shared fixtures: migrated SQLite and PostgreSQL databases, and small demo worlds.

PostgreSQL tests need the server at ``TASMA_TEST_POSTGRES_URL`` (default: postgres on
127.0.0.1:5432 with trust auth). They never skip: when the server is unreachable, they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.auth.setup import add_user
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from api.storage.tables import DataVersionRow, JobseekerRow
from features.demo import World, build_world

POSTGRES_ADMIN_URL = os.environ.get(
    "TASMA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_database() -> Iterator[str]:
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"tasma_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as err:
        pytest.fail(f"PostgreSQL is unreachable at {POSTGRES_ADMIN_URL}: {err.orig}")
    url = sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True, scope="session")
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Files the service writes (index snapshots, the default SQLite file) go to a temporary
    directory, never into the checkout; models are looked for in an empty one."""
    names = ("TASMA_DATA_DIR", "TASMA_MODELS_DIR")
    previous = {name: os.environ.get(name) for name in names}
    for name in names:  # and no model from the checkout's models/ is picked up unasked
        os.environ[name] = str(tmp_path_factory.mktemp(name.lower()))
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database of each kind (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tasma.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def bare_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session, copied for each test that needs one
    (migrating from the first revision took most of a small test's time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    template = make_engine(f"sqlite:///{path}")
    upgrade(template)
    with template.connect() as conn:  # everything in the file itself, nothing in a WAL
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per session, the template each test's
    database is created from."""
    for url in _postgres_database():
        template = make_engine(url)
        upgrade(template)
        template.dispose()  # CREATE DATABASE … TEMPLATE needs it unused
        yield str(sa.engine.make_url(url).database)


def _from_template(
    request: pytest.FixtureRequest, database_url: str, engine: Engine, *, loaded: bool = False
) -> None:
    """Make the (empty, unused) database at ``database_url`` a copy of the migrated template
    (``loaded``: of the one holding the API's world and its users), with an instance id of its
    own (index snapshots are named by it), then ``upgrade`` it as the service does (at head it
    does nothing)."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kind = "sqlite_api_template" if loaded else "sqlite_template"
        source = request.getfixturevalue(kind)
        shutil.copyfile(source[0] if loaded else source, str(url.database))
    else:
        kind = "postgres_api_template" if loaded else "postgres_template"
        source = request.getfixturevalue(kind)
        template = source[0] if loaded else source
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"'))
        admin.dispose()
    with transaction(engine) as session:
        session.execute(sa.update(DataVersionRow).values(instance=uuid.uuid4().hex))
    upgrade(engine)


@pytest.fixture
def engine(bare_engine: Engine, database_url: str, request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty database of each kind (a copy of the session's template) — or, in a
    test that has the ``service`` too, the service's database."""
    if "service" in request.fixturenames:
        return request.getfixturevalue("service")[4]  # type: ignore[no-any-return]
    bare_engine.dispose()
    _from_template(request, database_url, bare_engine)
    return bare_engine


@pytest.fixture
def sqlite_engine(tmp_path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'tasma.db'}"
    engine = make_engine(url)
    _from_template(request, url, engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def tiny_world() -> World:
    return build_world("tiny", seed=11)


@pytest.fixture(scope="session")
def small_world() -> World:
    return build_world("small", seed=3)


API_WORLD = build_world("tiny", seed=5)
"""The world every API test (the ``service`` fixture) serves."""


Loaded = tuple[dict[str, str], str, list[int]]
"""The API world's users' tokens by who they are, its largest area and the people of it."""


def _load_api_world(engine: Engine) -> Loaded:
    load_tables(engine, API_WORLD.tables)
    with transaction(engine) as s:
        area = s.scalar(
            sa.select(JobseekerRow.area)
            .group_by(JobseekerRow.area)
            .order_by(sa.func.count().desc())
            .limit(1)
        )
        tokens = {
            "coordinator": add_user(s, name="coord", role=Role.COMPANY_COORDINATOR, area=area),
            "work_ability": add_user(
                s, name="tyokyky", role=Role.WORK_ABILITY_COORDINATOR, area=area
            ),
            "other_area": add_user(
                s, name="coord2", role=Role.COMPANY_COORDINATOR, area="Elsewhere"
            ),
            "rekrypiste": add_user(s, name="rekry", role=Role.REKRYPISTE),
            "analyst": add_user(s, name="analyst", role=Role.ANALYST),
            "admin": add_user(s, name="admin", role=Role.ADMIN, password="correct horse 1"),
            "project_manager": add_user(s, name="pm", role=Role.PROJECT_MANAGER),
        }
        mine = s.scalars(
            sa.select(JobseekerRow.id).where(JobseekerRow.area == area).order_by(JobseekerRow.id)
        ).all()
    return tokens, area, list(mine)


@pytest.fixture(scope="session")
def sqlite_api_template(sqlite_template: Path, tmp_path_factory) -> tuple[Path, Loaded]:
    """The migrated SQLite template with the API's world and its users loaded, once per
    session: a ``service`` test's database is a copy of it (loading the world and hashing an
    administrator's password took most of a small test's set-up)."""
    path = tmp_path_factory.mktemp("api-template") / "api.db"
    shutil.copyfile(sqlite_template, path)
    template = make_engine(f"sqlite:///{path}")
    loaded = _load_api_world(template)
    with template.connect() as conn:  # everything in the file itself, nothing in a WAL
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path, loaded


@pytest.fixture(scope="session")
def postgres_api_template(postgres_template: str) -> Iterator[tuple[str, Loaded]]:
    """The PostgreSQL template with the API's world and its users loaded, once per session."""
    for url in _postgres_database():
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = str(sa.engine.make_url(url).database)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
        admin.dispose()
        template = make_engine(url)
        loaded = _load_api_world(template)
        template.dispose()  # CREATE DATABASE … TEMPLATE needs it unused
        yield name, loaded


@pytest.fixture
def service(bare_engine: Engine, database_url: str, request: pytest.FixtureRequest):
    """The API over the tiny world, with a user of each role (and one of another area):
    ``coordinator`` is the company coordinator, ``work_ability`` the work-ability coordinator
    of the same area. The database is a copy of the session's loaded template."""
    bare_engine.dispose()
    _from_template(request, database_url, bare_engine, loaded=True)
    backend = sa.engine.make_url(database_url).get_backend_name()
    kind = "sqlite_api_template" if backend == "sqlite" else "postgres_api_template"
    tokens, area, mine = request.getfixturevalue(kind)[1]
    return api_client(database_url), dict(tokens), area, list(mine), bare_engine


def api_client(database_url: str, **settings: object) -> TestClient:
    """The API on ``database_url`` with test settings (and any overrides)."""
    defaults: dict[str, object] = {"environment": Environment.TEST, "demo_on_empty": False}
    return TestClient(create_app(Settings(database_url=database_url, **(defaults | settings))))


@pytest.fixture(scope="module")
def one_dask_cluster() -> Iterator[None]:
    """One local Dask cluster (of one worker) for every batch run of a module: each run would
    otherwise start and stop a cluster of its own, seconds each. The run itself is the same
    code (:func:`api.jobs.batch.run_batch`), given this cluster's client; starting a cluster
    is tested in tests/test_batch.py."""
    from api.jobs import batch

    with batch.dask_client(None, 1) as client:

        @contextmanager
        def shared(_scheduler: str | None, _workers: int) -> Iterator[object]:
            yield client

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(batch, "dask_client", shared)
            yield


@pytest.fixture(scope="session")
def trained():
    """A re-ranker trained on a small demo world's history: (world, index, model, card)."""
    from api.jobs.training import train_with_card
    from features.demo import build_world
    from matching.index import MatchIndex
    from matching.rules import default_ruleset

    world = build_world("small", seed=7)
    index = MatchIndex.from_tables(world.tables)
    model, card = train_with_card(
        index, default_ruleset(), world.tables, version="test-model", k=10
    )
    return world, index, model, card


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The web UI's browser tests' served small world (tests/web_ui.py), one per module."""
    from tests.web_ui import served_small_world

    yield from served_small_world(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the web UI's browser tests (tests/web_ui.py), one per module."""
    from tests.web_ui import chromium

    yield from chromium()
