from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from features.schemas import Employer, JobseekerProfile, Proposal, Role, Task
from features.schemas.common import business_id_check_digit
from features.schemas.errors import field_errors
from tests import factories


def errors_of(model, data):
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return {e.field: e.message for e in field_errors(info.value)}


def test_valid_records_are_accepted_and_normalised():
    person = JobseekerProfile.model_validate(factories.jobseeker())
    assert person.availability.schedule == ["mon-morning", "tue-morning"]  # ti-aamu → tue
    assert person.skills == ["astianpesu", "siivous"]
    assert person.consent.given_at == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert person.can_be_matched()
    assert Task.model_validate(factories.task()).demands["standing"] == 4
    assert Employer.model_validate(factories.employer()).address.municipality == "Lahti"
    assert Proposal.model_validate(factories.proposal()).events[-1].kind.value == "hired"


def test_out_of_range_level_names_the_characteristic():
    errors = errors_of(Task, factories.task(demands={"standing": 5}))
    assert "demands.standing" in errors and "less than or equal to 4" in errors["demands.standing"]
    capacities = factories.jobseeker()["capacities"]
    capacities["lifting"]["level"] = -1
    errors = errors_of(JobseekerProfile, factories.jobseeker(capacities=capacities))
    assert "capacities.lifting.level" in errors


def test_unknown_characteristic_id_is_named_with_the_known_ones():
    errors = errors_of(Task, factories.task(demands={"stnding": 2}))
    assert "unknown characteristic 'stnding'" in errors["demands.stnding"]
    assert "standing" in errors["demands.stnding"]


def test_bad_business_ids():
    assert (
        "wrong check digit"
        in errors_of(Employer, factories.employer(business_id="0112038-8"))["business_id"]
    )
    assert (
        "seven digits"
        in errors_of(Employer, factories.employer(business_id="12345"))["business_id"]
    )
    # Eight digits without the hyphen are accepted and written the usual way.
    assert Employer.model_validate(factories.employer(business_id="01120389")).business_id == (
        "0112038-9"
    )


@given(st.integers(min_value=0, max_value=9_999_999))
def test_business_id_check_digit_property(body):
    digits = f"{body:07d}"
    check = business_id_check_digit(digits)
    data = factories.employer(business_id=f"{digits}-{check if check is not None else 0}")
    if check is None:
        with pytest.raises(ValidationError):
            Employer.model_validate(data)
    else:
        assert Employer.model_validate(data).business_id == f"{digits}-{check}"
        wrong = (check + 1) % 10
        with pytest.raises(ValidationError):
            Employer.model_validate(factories.employer(business_id=f"{digits}-{wrong}"))


def test_min_hours_above_max_hours():
    data = factories.jobseeker(
        availability={"weekly_hours_min": 30, "weekly_hours_max": 20, "schedule": ["mon-morning"]}
    )
    errors = errors_of(JobseekerProfile, data)
    assert (
        "weekly_hours_min (30.0) is greater than weekly_hours_max (20.0)" in errors["availability"]
    )


def test_hard_limit_only_from_a_physician():
    capacities = factories.jobseeker()["capacities"]
    capacities["standing"]["source"] = "self_assessment"
    errors = errors_of(JobseekerProfile, factories.jobseeker(capacities=capacities))
    assert "hard_limit may only be set when source is 'physician'" in errors["capacities.standing"]


def test_a_physicians_statement_is_a_restriction_or_a_recommendation():
    capacities = factories.jobseeker()["capacities"]
    capacities["standing"]["recommended"] = True  # and hard_limit, as the factory has it
    errors = errors_of(JobseekerProfile, factories.jobseeker(capacities=capacities))
    assert "a restriction (hard_limit) or a recommendation" in errors["capacities.standing"]
    capacities = factories.jobseeker()["capacities"]
    capacities["customer_contact"]["recommended"] = True  # a self-assessment
    errors = errors_of(JobseekerProfile, factories.jobseeker(capacities=capacities))
    assert (
        "recommended may only be set when source is 'physician'"
        in errors["capacities.customer_contact"]
    )
    capacities = factories.jobseeker()["capacities"]
    capacities["standing"] |= {"hard_limit": False, "recommended": True}
    assert (
        JobseekerProfile(**factories.jobseeker(capacities=capacities))
        .capacities["standing"]
        .recommended
    )


def test_kilograms_only_for_lifting_and_carrying():
    capacities = factories.jobseeker()["capacities"]
    capacities["customer_contact"]["kilograms"] = 5
    errors = errors_of(JobseekerProfile, factories.jobseeker(capacities=capacities))
    assert any("only lifting, carrying carry kilograms" in m for m in errors.values())
    errors = errors_of(Task, factories.task(demand_kilograms={"standing": 5}))
    assert any("only lifting and carrying" in m for m in errors.values())
    errors = errors_of(
        Task, factories.task(demands={"standing": 4}, demand_kilograms={"lifting": 8})
    )
    assert any("demand level of lifting is 0 or missing" in m for m in errors.values())


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"municipality": "Atlantis"}, "municipality", "unknown municipality 'Atlantis'"),
        ({"coordinates": {"lat": 48.85, "lon": 2.35}}, "coordinates", "outside Finland"),
        ({"code": "bob"}, "code", "should match pattern"),
        ({"licences": ["pilot"]}, "licences[0]", "unknown licence 'pilot'"),
        ({"interest_sectors": ["mining"]}, "interest_sectors[0]", "unknown sector 'mining'"),
        ({"diagnosis": "F41.1"}, "diagnosis", "Extra inputs are not permitted"),
        (
            {"languages": [{"language": "Finnish", "level": "B1"}]},
            "languages[0].language",
            "ISO 639",
        ),
    ],
)
def test_jobseeker_field_errors(changes, field, text):
    errors = errors_of(JobseekerProfile, factories.jobseeker(**changes))
    assert field in errors, errors
    assert text in errors[field]


def test_unknown_schedule_slot_explains_the_format():
    data = factories.jobseeker(
        availability={"weekly_hours_min": 1, "weekly_hours_max": 2, "schedule": ["monday"]}
    )
    errors = errors_of(JobseekerProfile, data)
    assert "unknown schedule slot 'monday'" in errors["availability.schedule[0]"]
    assert "ma-aamu" in errors["availability.schedule[0]"]


def test_consent_withdrawn_before_given():
    data = factories.jobseeker(
        consent={
            "given_at": "2026-02-01T00:00:00Z",
            "scope": ["matching"],
            "withdrawn_at": "2026-01-01T00:00:00Z",
        }
    )
    assert "withdrawn_at is earlier than given_at" in errors_of(JobseekerProfile, data)["consent"]


def test_withdrawn_or_missing_consent_cannot_be_matched():
    withdrawn = factories.jobseeker(
        consent={
            "given_at": "2026-01-01T00:00:00Z",
            "scope": ["matching"],
            "withdrawn_at": "2026-02-01T00:00:00Z",
        }
    )
    assert not JobseekerProfile.model_validate(withdrawn).can_be_matched()
    assert not JobseekerProfile.model_validate(factories.jobseeker(consent=None)).can_be_matched()
    other_scope = factories.jobseeker(
        consent={"given_at": "2026-01-01T00:00:00Z", "scope": ["evaluation"]}
    )
    assert not JobseekerProfile.model_validate(other_scope).can_be_matched()


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"hours_per_week": 0}, "hours_per_week", "greater than or equal to 0.25"),
        ({"hours_per_week": 41}, "hours_per_week", "less than or equal to 40"),
        ({"task_type": "maybe"}, "task_type", "'core' or 'hand_over'"),
        ({"kind": "juggling"}, "kind", "unknown task kind 'juggling'"),
        (
            {"accepted_adjustments": ["magic_wand"]},
            "accepted_adjustments[0]",
            "unknown adjustment 'magic_wand'",
        ),
        ({"schedule": []}, "schedule", "at least 1 item"),
        (
            {"season_start": "2026-09-01", "season_end": "2026-05-01"},
            "",
            "season_start: later than season_end",
        ),
        ({"season_start": "2026-09-01"}, "", "give both or neither"),
    ],
)
def test_task_field_errors(changes, field, text):
    errors = errors_of(Task, factories.task(**changes))
    assert field in errors, errors
    assert text in errors[field]


def test_employer_field_errors():
    errors = errors_of(Employer, factories.employer(industry="00"))
    assert "unknown TOL 2008 division '00'" in errors["industry"]
    errors = errors_of(
        Employer,
        factories.employer(address={"street": "x", "postal_code": "1510", "municipality": "Lahti"}),
    )
    assert "address.postal_code" in errors
    assert "sector" in errors_of(Role, {"title": "Kokki", "sector": "space", "tasks": []})


@pytest.mark.parametrize(
    ("events", "text"),
    [
        ([{"kind": "hired", "at": "2026-03-01T00:00:00Z"}], "dated before"),
        (
            [{"kind": "employed_6_months", "at": "2026-12-01T00:00:00Z"}],
            "cannot follow the proposal",
        ),
        (
            [
                {"kind": "hired", "at": "2026-05-01T00:00:00Z"},
                {"kind": "employed_6_months", "at": "2026-06-01T00:00:00Z"},
            ],
            "less than 6 months",
        ),
        ([{"kind": "declined_by_person", "at": "2026-05-01T00:00:00Z"}], "reason is required"),
        (
            [
                {"kind": "declined_by_person", "at": "2026-05-01T00:00:00Z", "reason": "distance"},
                {"kind": "hired", "at": "2026-06-01T00:00:00Z"},
            ],
            "nothing (it has ended)",
        ),
    ],
)
def test_outcome_histories_must_make_sense(events, text):
    errors = errors_of(Proposal, factories.proposal(events=events))
    assert any(text in m for m in errors.values()), errors


def test_proposal_needs_tasks_once_each():
    assert "task_ids" in errors_of(Proposal, factories.proposal(task_ids=[]))
    errors = errors_of(Proposal, factories.proposal(task_ids=[3, 3]))
    assert any("a task may appear once" in m for m in errors.values())


def test_only_the_steps_allowed_now_are_offered():
    from features.schemas.proposal import OutcomeKind as K
    from features.schemas.proposal import next_steps

    paths = [K.EDUCATION_STARTED, K.APPRENTICESHIP_STARTED, K.CARE_STARTED, K.OTHER_SERVICE]
    assert next_steps([]) == [K.DECLINED_BY_PERSON, K.DECLINED_BY_EMPLOYER,
                              K.WORK_TRIAL_STARTED, K.HIRED, *paths]  # fmt: skip
    assert next_steps([K.WORK_TRIAL_STARTED]) == [
        K.DECLINED_BY_PERSON, K.DECLINED_BY_EMPLOYER, K.WORK_TRIAL_EXTENDED, K.HIRED, K.ENDED,
        *paths]  # fmt: skip
    assert K.WORK_TRIAL_EXTENDED not in next_steps([])  # only a trial can be extended
    assert next_steps([K.HIRED]) == [K.EMPLOYED_6_MONTHS, K.ENDED]
    assert next_steps([K.WORK_TRIAL_STARTED, K.HIRED, K.EMPLOYED_6_MONTHS]) == [K.ENDED]
    for ended in (K.DECLINED_BY_PERSON, K.DECLINED_BY_EMPLOYER, K.ENDED, *paths):
        assert next_steps([ended]) == []  # another path ends the proposal
