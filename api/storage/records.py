"""Rebuild domain schemas from stored rows: the reverse of ``features.tables``.

``features.tables`` turns a schema into the column values of its rows; the bulk loader and the
demo world use the same column names, so a world generated as DataFrames lands in the same
tables as one record written through the API.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.storage.tables import (
    CapacityRow,
    CrmNoteRow,
    DemographicsRow,
    EmployerRow,
    EpisodeRow,
    IdentityRow,
    JobseekerRow,
    OutcomeEventRow,
    ProposalRow,
    RoleRow,
    TaskDemandRow,
    TaskRow,
)
from features.schemas import (
    Address,
    Availability,
    CapacityRating,
    Consent,
    ContactPerson,
    CrmNote,
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    LanguageSkill,
    OutcomeEvent,
    Proposal,
    Role,
    SupportNeeds,
    Task,
)
from features.schemas.common import Coordinates
from features.schemas.episode import Episode, EpisodeEvent

# --- jobseekers ----------------------------------------------------------------------------


def profile_from_rows(row: JobseekerRow, capacities: Iterable[CapacityRow]) -> JobseekerProfile:
    consent = None
    if row.consent_given_at is not None:
        consent = Consent(
            given_at=row.consent_given_at,
            scope=row.consent_scope or [],
            withdrawn_at=row.consent_withdrawn_at,
        )
    return JobseekerProfile(
        code=row.code,
        municipality=row.municipality,
        coordinates=Coordinates(lat=row.lat, lon=row.lon),
        availability=Availability(
            weekly_hours_min=row.weekly_hours_min,
            weekly_hours_max=row.weekly_hours_max,
            schedule=row.schedule,
            earliest_start=row.earliest_start,
        ),
        capacities={
            c.characteristic_id: CapacityRating(
                level=c.level,
                source=c.source,
                assessed_on=c.assessed_on,
                hard_limit=c.hard_limit,
                recommended=c.recommended,
                kilograms=c.kilograms,
                reference=c.reference,
            )
            for c in sorted(capacities, key=lambda c: c.characteristic_id)
        },
        skills=row.skills,
        licences=row.licences,
        languages=[LanguageSkill(**s) for s in row.languages],
        education_level=row.education_level,
        interest_sectors=row.interest_sectors,
        interest_task_kinds=row.interest_task_kinds,
        goals=row.goals,
        support=SupportNeeds(
            job_coach=row.job_coach, wage_subsidy_eligible=row.wage_subsidy_eligible
        ),
        consent=consent,
        coordinator=row.coordinator,
        work_ability_coordinator=row.work_ability_coordinator,
        area=row.area,
        status=row.status,
    )


def identity_from_row(row: IdentityRow) -> JobseekerIdentity:
    # As stored, not judged again: a name or number taken under an earlier, looser rule
    # (before names needed a letter, numbers five digits) is still read — never lost.
    return JobseekerIdentity.model_construct(name=row.name, email=row.email, phone=row.phone)


def demographics_from_row(row: DemographicsRow) -> Demographics:
    return Demographics(
        birth_year=row.birth_year, gender=row.gender, mother_tongue=row.mother_tongue
    )


# --- employers, roles, tasks ------------------------------------------------------------------


def employer_from_rows(row: EmployerRow, notes: Iterable[CrmNoteRow]) -> Employer:
    contact = None
    if row.contact_name is not None:
        contact = ContactPerson(
            name=row.contact_name,
            title=row.contact_title,
            phone=row.contact_phone,
            email=row.contact_email,
        )
    return Employer(
        name=row.name,
        business_id=row.business_id,
        industry=row.industry,
        address=Address(
            street=row.street,
            postal_code=row.postal_code,
            municipality=row.municipality,
            coordinates=Coordinates(lat=row.lat, lon=row.lon),
        ),
        contact=contact,
        network_status=row.network_status,
        notes=[
            CrmNote(at=n.at, author=n.author, channel=n.channel, text=n.text, needs=n.needs)
            for n in sorted(notes, key=lambda n: (n.at, n.id))
        ],
    )


def task_from_rows(row: TaskRow, demands: Iterable[TaskDemandRow]) -> Task:
    demands = sorted(demands, key=lambda d: d.characteristic_id)
    place = None
    if row.place_street is not None:
        place = Address(
            street=row.place_street,
            postal_code=row.place_postal_code or "",
            municipality=row.place_municipality or "",
            coordinates=Coordinates(lat=row.place_lat, lon=row.place_lon)
            if row.place_lat is not None and row.place_lon is not None
            else None,
        )
    return Task(
        title=row.title,
        description=row.description,
        kind=row.kind,
        task_type=row.task_type,
        hours_per_week=row.hours_per_week,
        schedule=row.schedule,
        frequency=row.frequency,
        demands={d.characteristic_id: d.level for d in demands},
        demand_kilograms={
            d.characteristic_id: d.kilograms for d in demands if d.kilograms is not None
        },
        accepted_adjustments=row.accepted_adjustments,
        required_licences=row.required_licences,
        required_skills=row.required_skills,
        place=place,
        mentor_available=row.mentor_available,
        season_start=row.season_start,
        season_end=row.season_end,
    )


def role_from_rows(row: RoleRow, tasks: list[Task]) -> Role:
    return Role(title=row.title, sector=row.sector, description=row.description,
                open_vacancy=row.open_vacancy, vacancy_hours=row.vacancy_hours,
                tasks=tasks)  # fmt: skip


# --- proposals ------------------------------------------------------------------------------


def proposal_from_rows(
    row: ProposalRow, jobseeker_code: str, task_ids: list[int], events: Iterable[OutcomeEventRow]
) -> Proposal:
    return Proposal(
        jobseeker_code=jobseeker_code,
        task_ids=sorted(task_ids),
        proposed_at=row.proposed_at,
        proposed_by=row.proposed_by,
        ruleset_version=row.ruleset_version,
        model_version=row.model_version,
        suggestion_id=row.suggestion_id,
        suggestion_position=row.suggestion_position,
        against_engine=row.against_engine,
        engine_said=row.engine_said or {},
        override_reason=row.override_reason,
        note=row.note or "",
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        withdraw_reason=row.withdraw_reason,
        events=[
            OutcomeEvent(kind=e.kind, at=e.at, reason=e.reason, note=e.note, until=e.until)
            for e in sorted(events, key=lambda e: (e.at, e.id))
        ],
    )


# --- service episodes -----------------------------------------------------------------------


def episode_from_rows(row: EpisodeRow) -> Episode:
    return Episode(
        started_on=row.started_on,
        referral_source=row.referral_source,
        programme=row.programme,
        events=[
            EpisodeEvent(kind=e.kind, on=e.happened_on, path=e.path, note=e.note)
            for e in sorted(row.events, key=lambda e: (e.happened_on, e.id))
        ],
    )
