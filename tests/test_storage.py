"""Storage on SQLite and PostgreSQL: round trips, transactions, migrations, bulk load."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from api.storage import repository
from api.storage.bulk import clear_all, load_tables, never_used
from api.storage.engine import transaction
from api.storage.migrate import current_revision, downgrade, head_revision, upgrade
from api.storage.tables import Base, JobseekerRow, TaskRow
from features import tables as tables_form
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas import (
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    OutcomeEvent,
    Proposal,
    Role,
    Task,
)
from tests import factories


def _seed(session):
    employer_id = repository.add_employer(session, employer=Employer(**factories.employer()))
    role = Role(
        title="Keittiöapulainen",
        sector="kitchen_catering",
        tasks=[
            Task(**factories.task()),
            Task(
                **factories.task(
                    title="Salaatit",
                    kind="food_preparation",
                    task_type="core",
                    demand_kilograms={},
                    place={
                        "street": "Hämeenkatu 1",
                        "postal_code": "15110",
                        "municipality": "lahti",
                    },
                )
            ),
        ],
    )
    role_id, task_ids = repository.add_role(session, employer_id=employer_id, role=role)
    jobseeker_id = repository.add_jobseeker(
        session,
        profile=JobseekerProfile(**factories.jobseeker()),
        identity=JobseekerIdentity(name="Henna Virtanen", email="henna@client.example"),
        demographics=Demographics(birth_year=2002, gender="female", mother_tongue="fi"),
    )
    return employer_id, role_id, task_ids, jobseeker_id, role


def test_round_trips(engine):
    with transaction(engine) as s:
        employer_id, role_id, task_ids, jobseeker_id, role = _seed(s)
    with transaction(engine) as s:
        profile = repository.get_jobseeker(s, jobseeker_id=jobseeker_id)
        expected = JobseekerProfile(**factories.jobseeker())
        # Coordinates default to the municipality centre; everything else is as given.
        assert profile.coordinates is not None and round(profile.coordinates.lat, 2) == 60.98
        assert profile.model_dump(exclude={"coordinates"}) == expected.model_dump(
            exclude={"coordinates"}
        )
        assert repository.get_identity(s, jobseeker_id=jobseeker_id).name == "Henna Virtanen"
        assert repository.get_demographics(s, jobseeker_id=jobseeker_id).birth_year == 2002
        employer = repository.get_employer(s, employer_id=employer_id)
        assert employer.model_dump(exclude={"address"}) == Employer(
            **factories.employer()
        ).model_dump(exclude={"address"})
        stored_role = repository.get_role(s, role_id=role_id)
        assert [t.title for t in stored_role.tasks] == ["Astianpesu", "Salaatit"]
        assert stored_role.tasks[0] == role.tasks[0]
        assert stored_role.tasks[1].place.municipality == "Lahti"
        assert repository.get_task(s, task_id=task_ids[0]).demand_kilograms == {"lifting": 8.0}
        proposal_id = repository.add_proposal(
            s, proposal=Proposal(**factories.proposal(task_ids=task_ids))
        )
    with transaction(engine) as s:
        stored = repository.get_proposal(s, proposal_id=proposal_id)
        assert stored == Proposal(**factories.proposal(task_ids=task_ids))
        repository.add_outcome_event(
            s,
            proposal_id=proposal_id,
            event=OutcomeEvent(kind="employed_6_months", at="2026-12-15T00:00:00Z"),
        )
    with transaction(engine) as s:
        assert repository.get_proposal(s, proposal_id=proposal_id).reached("employed_6_months")


def test_replace_jobseeker_changes_capacities(engine):
    with transaction(engine) as s:
        jobseeker_id = _seed(s)[3]
    changed = factories.jobseeker()
    changed["capacities"] = {
        "sitting": {"level": 2, "source": "coordinator", "assessed_on": "2026-05-01"}
    }
    with transaction(engine) as s:
        repository.replace_jobseeker(
            s, jobseeker_id=jobseeker_id, profile=JobseekerProfile(**changed)
        )
    with transaction(engine) as s:
        assert set(repository.get_jobseeker(s, jobseeker_id=jobseeker_id).capacities) == {"sitting"}


def test_conflicts_and_missing_records(engine):
    with transaction(engine) as s:
        employer_id, _, task_ids, _, role = _seed(s)
    with pytest.raises(ConflictError, match="JS-TEST01"), transaction(engine) as s:
        repository.add_jobseeker(s, profile=JobseekerProfile(**factories.jobseeker()))
    with pytest.raises(ConflictError, match="0112038-9"), transaction(engine) as s:
        repository.add_employer(s, employer=Employer(**factories.employer()))
    with pytest.raises(ConflictError, match="already has a role"), transaction(engine) as s:
        repository.add_role(s, employer_id=employer_id, role=role)
    with pytest.raises(NotFoundError, match="no jobseeker with id 999"), transaction(engine) as s:
        repository.get_jobseeker(s, jobseeker_id=999)
    with pytest.raises(NotFoundError, match="no task with id 12345"), transaction(engine) as s:
        repository.add_proposal(s, proposal=Proposal(**factories.proposal(task_ids=[12345])))
    with pytest.raises(InvalidInputError, match="cannot follow"), transaction(engine) as s:
        proposal_id = repository.add_proposal(
            s, proposal=Proposal(**factories.proposal(task_ids=task_ids))
        )
        repository.add_outcome_event(
            s,
            proposal_id=proposal_id,
            event=OutcomeEvent(kind="work_trial_started", at="2026-07-01T00:00:00Z"),
        )


def test_a_failed_write_leaves_nothing_behind(engine):
    """Every write is one transaction: an error halfway rolls back what came before it."""
    role = Role(title="Siivooja", sector="cleaning", tasks=[Task(**factories.task())])
    with pytest.raises(NotFoundError), transaction(engine) as s:
        employer_id = repository.add_employer(s, employer=Employer(**factories.employer()))
        repository.add_role(s, employer_id=employer_id, role=role)
        repository.add_role(s, employer_id=employer_id + 1000, role=role)
    with transaction(engine) as s:
        assert set(repository.count_rows(s).values()) == {0}


def test_database_constraints_back_the_schemas(engine):
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.insert(Base.metadata.tables["employer"]),
            [dict(tables_form.employer_columns(Employer(**factories.employer())), id=1)],
        )
        conn.execute(
            sa.insert(Base.metadata.tables["role"]),
            [{"id": 1, "employer_id": 1, "title": "x", "sector": "cleaning", "description": ""}],
        )
        conn.execute(
            sa.insert(TaskRow.__table__),
            [
                dict(
                    tables_form.task_columns(Task(**factories.task())),
                    id=1,
                    role_id=1,
                    hours_per_week=99,
                )
            ],
        )


def test_migrations_up_down_and_match_the_models(bare_engine):
    assert current_revision(bare_engine) is None
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision()
    with bare_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert set(sa.inspect(conn).get_table_names()) >= set(Base.metadata.tables)
    downgrade(bare_engine, "base")
    with bare_engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    upgrade(bare_engine)
    assert current_revision(bare_engine) == head_revision()


def test_bulk_load_of_a_world_reads_back_as_valid_canonical_records(engine, tiny_world):
    assert never_used(engine)
    written = load_tables(engine, tiny_world.tables)
    assert written["task"] == len(tiny_world.tables["task"])
    assert not never_used(engine)
    with transaction(engine) as s:
        counts = repository.count_rows(s)
        assert counts == {name: len(tiny_world.tables[name]) for name in counts}
        # Every stored record is a valid schema object, and writing it again gives the same
        # columns: the generator writes what the schemas would.
        for row in s.scalars(sa.select(JobseekerRow)):
            profile = repository.get_jobseeker(s, jobseeker_id=row.id)
            columns = tables_form.jobseeker_columns(profile)
            assert columns == {k: getattr(row, k) for k in columns}
        for row in s.scalars(sa.select(TaskRow)):
            task = repository.get_task(s, task_id=row.id)
            columns = tables_form.task_columns(task)
            assert columns == {k: getattr(row, k) for k in columns}
        for pid in tiny_world.tables["proposal"]["id"]:
            repository.get_proposal(s, proposal_id=int(pid))
        # Each person's episodes are valid episodes whose row is what the schema writes, and
        # the latest leaves the person with the status they have.
        people = s.scalars(sa.select(JobseekerRow)).all()
        assert people
        for person in people:
            found = repository.episodes_of(s, jobseeker_id=person.id)
            assert found, person.id
            for row, episode in found:
                columns = tables_form.episode_columns(episode)
                assert columns == {k: getattr(row, k) for k in columns}
            assert tables_form.episode_person_status(found[0][1]) == person.status
        # New records get ids past the loaded ones (PostgreSQL sequences were moved on).
        new_id = repository.add_employer(
            s, employer=Employer(**factories.employer(business_id="2345678-0"))
        )
        assert new_id == len(tiny_world.tables["employer"]) + 1
    clear_all(engine)
    assert never_used(engine)


def test_an_upgrade_stores_the_new_default_rule_set_beside_the_active_one(engine):
    """api.storage.rulesets.ensure_default: "An upgrade that ships a new default stores it
    beside the active one and changes nothing that matches"."""
    from api.storage import rulesets
    from matching.rules import default_ruleset

    shipped = default_ruleset()
    earlier = shipped.model_copy(update={"version": "default-2026.11"})
    with transaction(engine) as s:
        rulesets.add_ruleset(s, earlier, author="system", parent=None, note="the shipped default")
        rulesets.activate(s, earlier.version, actor="system", role="admin")
    for _ in range(2):  # every start: the second stores nothing more
        with transaction(engine) as s:
            rulesets.ensure_default(s)
    with transaction(engine) as s:
        assert rulesets.active_version(s) == "default-2026.11"
        stored = s.execute(sa.text("SELECT version FROM ruleset ORDER BY version")).scalars()
        assert stored.all() == ["default-2026.11", shipped.version]
