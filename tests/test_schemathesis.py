"""Schemathesis over the whole OpenAPI document, authenticated as a coordinator and as an
admin, on SQLite and PostgreSQL:
every operation with positive and negative data, then the stateful phase (chains of calls
linked through the ids the responses return). Zero failures allowed.

Examples are derandomized (a fixed seed), so CI replays the same fuzzing every run.

Not checked: that every schema-valid request is accepted — business rules the schema cannot
express (consent withdrawn before it was given, events out of order, an area that is not the
caller's) rightly reject some of them with 422/404.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from api.app import create_app
from api.auth.setup import add_user
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.storage.bulk import load_tables
from api.storage.engine import transaction
from features.demo import build_world

WORLD = build_world("tiny", seed=9)
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture
def api(engine, database_url):
    # Everyone in one area, and the fuzzing coordinator in it: the widest surface to fuzz.
    tables = dict(WORLD.tables)
    tables["jobseeker"] = tables["jobseeker"].assign(area="Fuzz")
    load_tables(engine, tables)
    with transaction(engine) as session:
        tokens = {
            "coordinator": add_user(
                session, name="fuzzer", role=Role.COMPANY_COORDINATOR, area="Fuzz"
            ),
            "admin": add_user(session, name="fuzzadmin", role=Role.ADMIN),
        }
    app = create_app(
        Settings(database_url=database_url, environment=Environment.TEST, demo_on_empty=False)
    )
    return app, tokens


@pytest.fixture
def api_schema(api):
    app, _ = api
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("who", ["coordinator", "admin"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation(api, api_schema, mode, who):
    _, tokens = api
    headers = {"Authorization": f"Bearer {tokens[who]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=12,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        try:
            run()
        except Unsatisfiable:
            # Negative data needs an input to break: only operations without any may end here.
            definition = operation.definition.raw
            assert mode is GenerationMode.NEGATIVE, operation.label
            assert not definition.get("parameters") and "requestBody" not in definition, (
                operation.label
            )


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_stateful(api, api_schema, who):
    _, tokens = api
    machine = api_schema.as_state_machine()

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {tokens[who]}"}}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED)

    Machine.run(
        settings=settings(
            max_examples=12,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
