"""The tabular form of the domain: schema objects as the column values of table rows.

Storage writes these rows, the demo world generates DataFrames with the same columns, and the
feature pipeline reads them; pure functions, no database. (Rebuilding schemas from stored rows
is the storage layer's job: ``api/storage/records.py``.)
"""

from __future__ import annotations

from typing import Any

from features.catalogue import municipality
from features.schemas import (
    CrmNote,
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    OutcomeEvent,
    Proposal,
    Role,
    Task,
)
from features.schemas.common import Coordinates
from features.schemas.contact import Contact
from features.schemas.episode import Episode, EpisodeEvent, person_status
from features.schemas.plan import PlanStep
from features.schemas.referral import Referral

Columns = dict[str, Any]


def _point(place: str, coordinates: Coordinates | None) -> tuple[float, float]:
    if coordinates is not None:
        return coordinates.lat, coordinates.lon
    m = municipality(place)
    return m.lat, m.lon


def jobseeker_columns(profile: JobseekerProfile) -> Columns:
    lat, lon = _point(profile.municipality, profile.coordinates)
    consent = profile.consent
    return {
        "code": profile.code,
        "municipality": profile.municipality,
        "lat": lat,
        "lon": lon,
        "weekly_hours_min": profile.availability.weekly_hours_min,
        "weekly_hours_max": profile.availability.weekly_hours_max,
        "schedule": list(profile.availability.schedule),
        "earliest_start": profile.availability.earliest_start,
        "skills": list(profile.skills),
        "licences": list(profile.licences),
        "languages": [s.model_dump(mode="json") for s in profile.languages],
        "education_level": profile.education_level,
        "interest_sectors": list(profile.interest_sectors),
        "interest_task_kinds": list(profile.interest_task_kinds),
        "goals": profile.goals,
        "job_coach": profile.support.job_coach,
        "wage_subsidy_eligible": profile.support.wage_subsidy_eligible,
        "consent_given_at": consent.given_at if consent else None,
        "consent_scope": [s.value for s in consent.scope] if consent else None,
        "consent_withdrawn_at": consent.withdrawn_at if consent else None,
        "coordinator": profile.coordinator,
        "work_ability_coordinator": profile.work_ability_coordinator,
        "area": profile.area,
        "status": profile.status.value,
    }


def capacity_columns(profile: JobseekerProfile) -> list[Columns]:
    return [
        {
            "characteristic_id": cid,
            "level": r.level,
            "source": r.source.value,
            "assessed_on": r.assessed_on,
            "hard_limit": r.hard_limit,
            "recommended": r.recommended,
            "kilograms": r.kilograms,
            "reference": r.reference,
        }
        for cid, r in profile.capacities.items()
    ]


def identity_columns(identity: JobseekerIdentity) -> Columns:
    return {"name": identity.name, "email": identity.email, "phone": identity.phone}


def demographics_columns(demographics: Demographics) -> Columns:
    return {
        "birth_year": demographics.birth_year,
        "gender": demographics.gender.value,
        "mother_tongue": demographics.mother_tongue,
    }


def employer_columns(employer: Employer) -> Columns:
    lat, lon = _point(employer.address.municipality, employer.address.coordinates)
    contact = employer.contact
    return {
        "name": employer.name,
        "business_id": employer.business_id,
        "industry": employer.industry,
        "street": employer.address.street,
        "postal_code": employer.address.postal_code,
        "municipality": employer.address.municipality,
        "lat": lat,
        "lon": lon,
        "contact_name": contact.name if contact else None,
        "contact_title": contact.title if contact else None,
        "contact_phone": contact.phone if contact else None,
        "contact_email": contact.email if contact else None,
        "network_status": employer.network_status.value,
    }


def note_columns(note: CrmNote) -> Columns:
    return {
        "at": note.at,
        "author": note.author,
        "channel": note.channel.value,
        "text": note.text,
        "needs": list(note.needs),
    }


def role_columns(role: Role) -> Columns:
    return {
        "title": role.title,
        "sector": role.sector,
        "description": role.description,
        "open_vacancy": role.open_vacancy,
        "vacancy_hours": role.vacancy_hours,
    }


def task_columns(task: Task) -> Columns:
    place = task.place
    lat = lon = None
    if place is not None:
        lat, lon = _point(place.municipality, place.coordinates)
    return {
        "title": task.title,
        "description": task.description,
        "kind": task.kind,
        "task_type": task.task_type.value,
        "hours_per_week": task.hours_per_week,
        "schedule": list(task.schedule),
        "frequency": task.frequency.value,
        "accepted_adjustments": list(task.accepted_adjustments),
        "required_licences": list(task.required_licences),
        "required_skills": list(task.required_skills),
        "place_street": place.street if place else None,
        "place_postal_code": place.postal_code if place else None,
        "place_municipality": place.municipality if place else None,
        "place_lat": lat,
        "place_lon": lon,
        "mentor_available": task.mentor_available,
        "season_start": task.season_start,
        "season_end": task.season_end,
    }


def demand_columns(task: Task) -> list[Columns]:
    return [
        {"characteristic_id": cid, "level": level, "kilograms": task.demand_kilograms.get(cid)}
        for cid, level in task.demands.items()
    ]


def proposal_columns(proposal: Proposal) -> Columns:
    return {
        "proposed_at": proposal.proposed_at,
        "proposed_by": proposal.proposed_by,
        "ruleset_version": proposal.ruleset_version,
        "model_version": proposal.model_version,
        "suggestion_id": proposal.suggestion_id,
        "suggestion_position": proposal.suggestion_position,
        "against_engine": proposal.against_engine,
        "engine_said": dict(proposal.engine_said) or None,
        "override_reason": proposal.override_reason,
        "note": proposal.note,
        "withdrawn_at": proposal.withdrawn_at,
        "withdrawn_by": proposal.withdrawn_by,
        "withdraw_reason": proposal.withdraw_reason,
    }


def event_columns(event: OutcomeEvent) -> Columns:
    return {
        "kind": event.kind.value,
        "at": event.at,
        "reason": event.reason.value if event.reason else None,
        "note": event.note,
        "until": event.until,
    }


def episode_columns(episode: Episode) -> Columns:
    """A service episode's row: enrolment, and the status and end its events make."""
    end = episode.ending()
    return {
        "started_on": episode.started_on,
        "referral_source": episode.referral_source.value,
        "programme": episode.programme,
        "status": episode.current_status().value,
        "ended_on": end.on if end else None,
        "continuation_path": end.path.value if end and end.path else None,
    }


def episode_event_columns(event: EpisodeEvent) -> Columns:
    return {
        "kind": event.kind.value,
        "happened_on": event.on,
        "path": event.path.value if event.path else None,
        "note": event.note,
    }


def episode_person_status(episode: Episode) -> str:
    """The ``jobseeker.status`` an episode leaves its person with."""
    return person_status(episode).value


def contact_columns(contact: Contact) -> Columns:
    """A contact's row but whose step it closes (an id, the storage's to find)."""
    step = contact.next_step
    return {
        "happened_on": contact.on,
        "kind": contact.kind.value,
        "note": contact.note,
        "next_step": step.what if step else None,
        "next_step_due": step.due_on if step else None,
    }


def referral_columns(referral: Referral) -> Columns:
    """A referral's row as it is made (open: no outcome yet)."""
    return {
        "made_on": referral.on,
        "kind": referral.kind.value,
        "note": referral.note,
        "due_on": referral.due_on,
        "assesses": list(referral.assesses),
    }


def plan_step_columns(step: PlanStep) -> Columns:
    """A plan step's row as it is agreed (open: no outcome yet)."""
    return {
        "what": step.what,
        "who": step.who.value,
        "who_else": step.who_else,
        "due_on": step.due_on,
        "agreed_on": step.agreed_on,
    }
