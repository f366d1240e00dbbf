"""One home per use case: the API, the web UI and the CLI are thin callers of the same
application service, so the same question by the same user gets the same answer and writes
the same audit row — whichever way it was asked. Each use case is asked all three ways here,
on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from api.auth.setup import add_user
from api.cli import app
from api.core.security import Role
from api.storage.engine import transaction
from api.storage.tables import AuditRow, JobseekerRow
from tests.test_api import auth
from tests.test_cli import EXAMPLES

runner = CliRunner()
PASSWORD = "yksi koti 1"
SHAPE = ("actor", "role", "action", "object_type", "object_id", "ruleset_version", "model_version")


@pytest.fixture
def three_ways(service, database_url, tmp_path, monkeypatch):
    """The service, with one user of each role that also has a password (web) and a name
    the CLI acts as; the CLI uses the same database."""
    client, tokens, area, mine, engine = service
    with transaction(engine) as s:
        tokens = {
            "coordinator": add_user(
                s, name="koord", role=Role.COMPANY_COORDINATOR, area=area, password=PASSWORD
            ),
            "rekrypiste": add_user(s, name="rekr", role=Role.REKRYPISTE, password=PASSWORD),
            "admin": add_user(s, name="ylla", role=Role.ADMIN, password=PASSWORD),
        }
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TASMA_DATA_DIR", str(tmp_path))
    return client, tokens, mine, engine


def _web_login(client, name: str) -> None:
    client.cookies.clear()
    page = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    answer = client.post("/ui/login", data={"username": name, "password": PASSWORD,
                         "csrf": token}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303


def _csrf(client, path: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(path).text).group(1)


def _rows(engine, action: str) -> list[AuditRow]:
    with engine.connect() as c:
        return list(c.execute(sa.select(AuditRow).where(AuditRow.action == action)
                              .order_by(AuditRow.id)).all())  # fmt: skip


def _shape(row) -> tuple:
    return tuple(getattr(row, name) for name in SHAPE)


def test_a_persons_matches_api_web_and_cli_alike(three_ways):
    client, tokens, mine, engine = three_ways
    person = mine[0]
    with engine.connect() as c:
        code = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.id == person))
    api = client.get(f"/jobseekers/{person}/matches?k=10", headers=auth(tokens["coordinator"]))
    assert api.status_code == 200
    _web_login(client, "koord")
    assert client.get(f"/ui/jobseekers/{person}").status_code == 200
    cli = runner.invoke(app, ["match", "person", code, "--k", "10", "--json", "--as", "koord"])
    assert cli.exit_code == 0, cli.output

    rows = _rows(engine, "match_person_tasks")[-3:]
    assert len({_shape(r) for r in rows}) == 1, [_shape(r) for r in rows]
    assert _shape(rows[0])[:2] == ("koord", "company_coordinator")
    results = [r.details["result_ids"] for r in rows]
    assert results[0] == results[1] == results[2] == [i["task_id"] for i in api.json()["items"]]


def test_activating_a_rule_set_api_web_and_cli_alike(three_ways):
    client, tokens, _, engine = three_ways
    admin = auth(tokens["admin"])
    version = client.get("/rulesets", headers=admin).json()["data"][0]["version"]
    why = "parempi kattavuus"
    api = client.post(f"/rulesets/{version}/activate", headers=admin, json={"note": why})
    assert api.status_code == 200
    _web_login(client, "ylla")
    web = client.post(f"/ui/rulesets/{version}/activate",
                      data={"csrf": _csrf(client, "/ui/rulesets"), "note": why, "confirm": "on"},
                      follow_redirects=False)  # fmt: skip
    assert web.status_code == 303
    cli = runner.invoke(app, ["rules", "activate", version, "--as", "ylla", "--note", why])
    assert cli.exit_code == 0, cli.output

    rows = _rows(engine, "activate_ruleset")[-3:]
    assert len(rows) == 3 and len({_shape(r) for r in rows}) == 1
    assert [r.details for r in rows] == [{"previous": version, "note": why}] * 3
    # Without a body the API activates as before (the note is optional there).
    assert client.post(f"/rulesets/{version}/activate", headers=admin).status_code == 200


def test_uploading_a_ratko_sheet_api_web_and_cli_alike(three_ways):
    client, tokens, _, engine = three_ways
    with engine.connect() as c:  # replacing roles is refused while a proposal names a task
        employer = c.scalar(sa.text(
            "SELECT e.id FROM employer e WHERE NOT EXISTS (SELECT 1 FROM proposal_task pt "
            "JOIN task t ON t.id = pt.task_id JOIN role r ON r.id = t.role_id "
            "WHERE r.employer_id = e.id) ORDER BY e.id LIMIT 1"))  # fmt: skip
    sheet = EXAMPLES / "ratko_example.csv"
    api = client.post(
        f"/employers/{employer}/ratko?replace=true",
        files={"file": ("tyopaja.csv", io.BytesIO(sheet.read_bytes()))},
        headers=auth(tokens["rekrypiste"]),
    )
    assert api.status_code == 201, api.text
    _web_login(client, "rekr")
    web = client.post(
        f"/ui/employers/{employer}/ratko",
        data={"csrf": _csrf(client, f"/ui/employers/{employer}"), "replace": "true"},
        files={"file": ("tyopaja.csv", io.BytesIO(sheet.read_bytes()))},
        follow_redirects=False,
    )
    assert web.status_code == 303, web.text
    cli = runner.invoke(app, ["import-tasks", str(sheet), "--employer", str(employer),
                              "--replace", "--as", "rekr"])  # fmt: skip
    assert cli.exit_code == 0, cli.output

    rows = _rows(engine, "upload_ratko")[-3:]
    assert len(rows) == 3 and len({_shape(r) for r in rows}) == 1
    assert rows[0].actor == "rekr" and rows[0].details == rows[1].details == rows[2].details


WEB_LAYER = ("fastapi", "starlette", "api.http", "api.app")
DOMAINS = (
    "people",
    "proposals",
    "employers",
    "suggestions",
    "market",
    "rulesets",
    "auth",
    "reports",
    "events",
)


def _web(module: str) -> bool:
    """A route or page module (``api.people.routes``, ``api.employers.network_routes``)."""
    leaf = module.split(".")[-1]
    return module.startswith("api.") and leaf.endswith(("routes", "pages"))


def test_the_services_never_import_the_web_layer():
    """The application services are called by routes, pages and the CLI alike, so they must not
    reach back up into any of them: the user, the index holder, the data version and the errors
    a use case raises live in ``api.core.runtime``. Every module of the domains (but their routes
    and pages), of ``api.core``, ``api.storage`` and ``api.jobs`` is read, every import at module
    level and inside functions. (import-linter checks the same and more, transitively:
    ``test_the_layers_hold``.)"""
    import ast
    from pathlib import Path

    api = Path(__file__).resolve().parent.parent / "api"
    services = [
        module
        for folder in (*DOMAINS, "core", "storage", "jobs")
        for module in sorted((api / folder).glob("*.py"))
        if not _web(f"api.{folder}.{module.stem}")
    ]
    upward = []
    for module in services:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            upward += [f"{module.parent.name}/{module.name}: {n}" for n in names
                       if _web(n) or any(n == w or n.startswith(w + ".") for w in WEB_LAYER)]  # fmt: skip
    assert not upward, upward
    assert len(services) >= 40, "the services were found"


def test_the_layers_hold():
    """import-linter's contracts (``[tool.importlinter]`` in pyproject.toml) hold, transitively:
    matching and features never import api; the services (every module of a domain but its
    routes and pages, and api.core, api.storage, api.jobs) never import FastAPI, Starlette,
    api.http, api.app, a route or a page; no route or page imports api.storage; only the CLI's
    serve (and the reference pages' writer) import api.app; no domain imports another's routes
    or pages; and the layers — cli and tools, app, the domains, http, core, jobs, storage —
    import only downwards."""
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    lint = Path(sys.executable).parent / "lint-imports"
    answer = subprocess.run([str(lint), "--no-cache"], cwd=root, capture_output=True, text=True)
    assert answer.returncode == 0, answer.stdout + answer.stderr

    # The services' contract names its modules one by one: it names every one there is.
    contracts = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]
    named = {
        m
        for c in contracts["contracts"]
        if c["name"].startswith("Services never import the web layer")
        for m in c["source_modules"]
    }
    modules = {
        f"api.{folder}.{module.stem}"
        for folder in DOMAINS
        for module in (root / "api" / folder).glob("*.py")
        if module.stem != "__init__" and not _web(f"api.{folder}.{module.stem}")
    }
    assert modules | {"api.core", "api.storage", "api.jobs"} == named


def test_the_exception_tree_is_drawn_as_it_is():
    """``features/errors.py`` draws the one exception tree with where each class lives; every
    error the product raises on purpose is in it, under the parent drawn, in the module drawn."""
    import importlib
    import pkgutil

    import api
    import features
    import matching
    from features import errors

    for package in (api, features, matching):  # every class defined anywhere is loaded
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations." not in info.name:
                importlib.import_module(info.name)
    drawn: dict[str, tuple[str | None, str]] = {}
    parents: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^((?:│   |    )*)(?:[├└]── )?(\w+Error)\s+(\S+\.py)", line)
        if not found:
            continue
        depth = len(found.group(1)) // 4 + (1 if "── " in line else 0)
        parents[depth:] = [found.group(2)]
        drawn[found.group(2)] = (parents[depth - 1] if depth else None, found.group(3))

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    actual = {
        c.__name__: (c.__bases__[0].__name__, c.__module__.replace(".", "/") + ".py")
        for c in subclasses(errors.TasmaError)
    }
    actual["TasmaError"] = (None, "features/errors.py")
    assert drawn == actual


def test_every_success_response_is_typed_in_the_openapi_document():
    """An integrator reads every 2xx answer's shape from the OpenAPI document: each has a schema
    with fields (or a reference to one), an array or a map of them; 204 has no body."""
    from api.app import create_app
    from api.core.settings import Environment, Settings

    settings = Settings(environment=Environment.TEST, database_url="sqlite://", demo_on_empty=False)
    document = create_app(settings).openapi()
    untyped = []
    n = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                if not code.startswith("2"):
                    continue
                n += 1
                content = response.get("content", {})
                if code == "204":
                    assert not content, (method, path)
                    continue
                for schema in (c.get("schema", {}) for c in content.values()):
                    described = (
                        "$ref" in schema
                        or schema.get("properties")
                        or schema.get("items")
                        or isinstance(schema.get("additionalProperties"), dict)
                        or schema.get("anyOf")
                        or schema.get("type") in {"string", "integer", "number", "boolean"}
                    )
                    if not described:
                        untyped.append((method, path, code, schema))
                if not content:
                    untyped.append((method, path, code, "no body described"))
    assert n > 60 and not untyped, untyped
