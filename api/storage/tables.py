"""SQLAlchemy 2.0 tables. The Alembic migrations in ``api/migrations`` create exactly these.

Identity (name, contact) and demographics live in their own tables, apart from the profile the
matcher reads; capacities and demands are one row per characteristic so that analysts can
query them and erasure can remove them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapped,
    mapped_column,
    relationship,
)

__all__ = [
    "IDS_NEVER_REUSED",
    "AuditPurgeRow",
    "AuditSettingRow",
    "Base",
    "CapacityRow",
    "ComparisonRunRow",
    "ContactRow",
    "CrmNoteRow",
    "DemographicsRow",
    "EmployerRow",
    "EpisodeEventRow",
    "EpisodeRow",
    "IdentityRow",
    "JobseekerHistoryRow",
    "JobseekerRow",
    "LoginAttemptRow",
    "OutcomeEventRow",
    "PlanStepRow",
    "ProgrammeEventEmployerRow",
    "ProgrammeEventRow",
    "ProposalRow",
    "ProposalTaskRow",
    "ReferralRow",
    "RoleRow",
    "RuleSetRow",
    "TaskDemandRow",
    "TaskHistoryRow",
    "TaskRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite has none) and always returns an aware UTC time."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to storage; use an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime}


class JobseekerRow(Base):
    __tablename__ = "jobseeker"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    municipality: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    weekly_hours_min: Mapped[float] = mapped_column(Float)
    weekly_hours_max: Mapped[float] = mapped_column(Float)
    schedule: Mapped[list[str]] = mapped_column(JSON)
    earliest_start: Mapped[date | None] = mapped_column(Date)
    skills: Mapped[list[str]] = mapped_column(JSON)
    licences: Mapped[list[str]] = mapped_column(JSON)
    languages: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    education_level: Mapped[str | None] = mapped_column(String(32))
    interest_sectors: Mapped[list[str]] = mapped_column(JSON)
    interest_task_kinds: Mapped[list[str]] = mapped_column(JSON)
    goals: Mapped[str] = mapped_column(Text, default="")
    job_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    wage_subsidy_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    consent_scope: Mapped[list[str] | None] = mapped_column(JSON)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    coordinator: Mapped[str] = mapped_column(String(64), index=True)
    """The responsible company coordinator."""
    work_ability_coordinator: Mapped[str | None] = mapped_column(String(64), index=True)
    area: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now, onupdate=_now)

    capacities: Mapped[list[CapacityRow]] = relationship(
        back_populates="jobseeker", cascade="all, delete-orphan", passive_deletes=True
    )

    RESPONSIBLE_BY_ROLE: ClassVar[dict[str, str]] = {
        "company_coordinator": "coordinator",
        "work_ability_coordinator": "work_ability_coordinator",
    }
    """Which column names the person's responsible coordinator of each kind (by role value)."""

    @classmethod
    def responsible(cls, role: str) -> InstrumentedAttribute[Any]:
        """The column naming the person's responsible coordinator of ``role``'s kind."""
        return getattr(cls, cls.RESPONSIBLE_BY_ROLE[role])  # type: ignore[no-any-return]


class IdentityRow(Base):
    __tablename__ = "jobseeker_identity"

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))


class DemographicsRow(Base):
    __tablename__ = "jobseeker_demographics"

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), primary_key=True
    )
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    gender: Mapped[str] = mapped_column(String(16))
    mother_tongue: Mapped[str | None] = mapped_column(String(3))


class CapacityRow(Base):
    __tablename__ = "capacity"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 4", name="level_range"),
        # A hard limit is a physician's restriction; the schema says so, the database holds to it.
        CheckConstraint("NOT hard_limit OR source = 'physician'", name="hard_limit_physician"),
        CheckConstraint("NOT recommended OR source = 'physician'", name="recommended_physician"),
        CheckConstraint("NOT (recommended AND hard_limit)", name="restriction_or_recommendation"),
        CheckConstraint("reference IS NULL OR source = 'physician'", name="reference_physician"),
    )

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), primary_key=True
    )
    characteristic_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(24))
    assessed_on: Mapped[date] = mapped_column(Date)
    hard_limit: Mapped[bool] = mapped_column(Boolean, default=False)
    recommended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    kilograms: Mapped[float | None] = mapped_column(Float)
    reference: Mapped[str | None] = mapped_column(String(120))
    """Which physician's statement (document and date), never a diagnosis."""

    jobseeker: Mapped[JobseekerRow] = relationship(back_populates="capacities")


class EmployerRow(Base):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    business_id: Mapped[str] = mapped_column(String(9), unique=True)
    industry: Mapped[str] = mapped_column(String(2), index=True)
    street: Mapped[str] = mapped_column(String(120))
    postal_code: Mapped[str] = mapped_column(String(5))
    municipality: Mapped[str] = mapped_column(String(64), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_title: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    network_status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)


class CrmNoteRow(Base):
    __tablename__ = "crm_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    needs: Mapped[list[str]] = mapped_column(JSON)


class EmployerStatusChangeRow(Base):
    """Each change of an employer's status in the network: the funnel counts how far an
    employer ever got, not only where it is now."""

    __tablename__ = "employer_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    before: Mapped[str] = mapped_column(String(16))
    after: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str] = mapped_column(String(64))


class EmployerNeedRow(Base):
    """A need taken down during an employer's call, with whom it belongs to and when to
    contact them next."""

    __tablename__ = "employer_need"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(64), index=True)
    work: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    start: Mapped[date | None] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(16))
    contact_back: Mapped[str | None] = mapped_column(String(120))
    next_contact: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open, filled or closed"""


class RoleRow(Base):
    __tablename__ = "role"
    # A spreadsheet names a role by its title, so an employer has each title once.
    __table_args__ = (UniqueConstraint("employer_id", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    open_vacancy: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The employer is hiring for the role as it is: matched as a whole, all its tasks."""
    vacancy_hours: Mapped[float | None] = mapped_column(Float)
    """The open position's weekly hours (else its tasks' hours together)."""


class TaskRow(Base):
    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 40", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32))
    task_type: Mapped[str] = mapped_column(String(16), index=True)
    hours_per_week: Mapped[float] = mapped_column(Float)
    schedule: Mapped[list[str]] = mapped_column(JSON)
    frequency: Mapped[str] = mapped_column(String(24))
    accepted_adjustments: Mapped[list[str]] = mapped_column(JSON)
    required_licences: Mapped[list[str]] = mapped_column(JSON)
    required_skills: Mapped[list[str]] = mapped_column(JSON)
    place_street: Mapped[str | None] = mapped_column(String(120))
    place_postal_code: Mapped[str | None] = mapped_column(String(5))
    place_municipality: Mapped[str | None] = mapped_column(String(64))
    place_lat: Mapped[float | None] = mapped_column(Float)
    place_lon: Mapped[float | None] = mapped_column(Float)
    mentor_available: Mapped[bool] = mapped_column(Boolean, default=False)
    season_start: Mapped[date | None] = mapped_column(Date)
    season_end: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now, onupdate=_now)

    demands: Mapped[list[TaskDemandRow]] = relationship(
        back_populates="task", cascade="all, delete-orphan", passive_deletes=True
    )


class TaskDemandRow(Base):
    __tablename__ = "task_demand"
    __table_args__ = (CheckConstraint("level BETWEEN 0 AND 4", name="level_range"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )
    characteristic_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    kilograms: Mapped[float | None] = mapped_column(Float)

    task: Mapped[TaskRow] = relationship(back_populates="demands")


class ProposalRow(Base):
    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="SET NULL"), index=True
    )
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    proposed_by: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64))
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion.id", ondelete="SET NULL")
    )
    """The stored suggestion list it was taken from (null: made outside any list)."""
    suggestion_position: Mapped[int | None] = mapped_column(Integer)
    """Its best-placed task's position in that list (1 = first), or the person's in a
    candidate list."""
    against_engine: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Proposed although the rules excluded a task of it for the person (a human override)."""
    engine_said: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    """Excluded task id → what failed, under the rule set of the day."""
    override_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The proposer's own note, written when confirming it (free text: erased with the person)."""
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Withdrawn (made in error, or no longer wanted): when; null while it stands."""
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    """Why it was withdrawn (free text: erased with the person)."""

    __table_args__ = (
        CheckConstraint(
            "suggestion_position IS NULL OR (suggestion_id IS NOT NULL AND "
            "suggestion_position >= 1)",
            name="position_with_its_list",
        ),
        CheckConstraint(
            "NOT against_engine OR override_reason IS NOT NULL", name="override_has_a_reason"
        ),
    )


class ProposalTaskRow(Base):
    __tablename__ = "proposal_task"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OutcomeEventRow(Base):
    __tablename__ = "outcome_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    until: Mapped[date | None] = mapped_column(Date)
    """A work trial's planned last day."""


# --- the service: users, tokens, audit, stored suggestions, overrides --------------------------


class UserRow(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Made by ``tasma serve`` on a demo database; never allowed to log in anywhere else."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Wrong passwords since the last successful log-in (lock-out after a few)."""
    display_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    """The name clients and employers read (the printed plan), e.g. "Maija Meikäläinen";
    empty until filled in. The login ``name`` is the service's own."""
    work_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    work_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Unused since revision 0023 (a lock per name let anyone lock anyone out); kept so that
    no upgrade drops data. Log-ins are throttled per name and address (LoginAttemptRow)."""


class LoginAttemptRow(Base):
    """Failed log-ins counted per user name and client address, and per address, shared by
    every worker process. Keyed by a keyed hash: neither the name typed (which may be a
    password typed in the wrong field) nor the address is stored."""

    __tablename__ = "login_attempt"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TokenRow(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """Append-only: database triggers refuse UPDATE, and DELETE except of rows older than a
    recorded retention purge (:class:`AuditPurgeRow`)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    # SQLite keeps the first migration's declared lengths (it enforces none; altering the
    # table would copy it and drop its append-only triggers).
    role: Mapped[str] = mapped_column(String(32).with_variant(String(16), "sqlite"))
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(
        String(255).with_variant(String(64), "sqlite"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(200), default="")
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditPurgeRow(Base):
    """A retention purge: audit rows before ``before`` were deleted (the triggers let a row go
    only once such a record covers it). Append-only itself."""

    __tablename__ = "audit_purge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    before: Mapped[datetime] = mapped_column(UtcDateTime)
    removed: Mapped[int] = mapped_column(Integer)


class AuditSettingRow(Base):
    """The audit trail's settings that only the schema's owner may write (PostgreSQL: the
    application role has no right on this table): ``retention_days``."""

    __tablename__ = "audit_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class SuggestionRow(Base):
    """A match run: what was asked, by whom, under which rules, and what came back."""

    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    jobseeker_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="SET NULL"), index=True
    )
    ruleset_version: Mapped[str] = mapped_column(String(64))
    ruleset_fingerprint: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[str | None] = mapped_column(String(64))
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    explored: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    """The rule set's exploration drew which task this list shows first (``results`` holds
    which and with what probability): the lists off-policy estimates are read from."""


class OverrideRow(Base):
    __tablename__ = "override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    original: Mapped[list[int]] = mapped_column(JSON)
    chosen: Mapped[list[int]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class FollowUpPlanRow(Base):
    """After a hire: the contract, and the job coach's support fading over the first weeks."""

    __tablename__ = "follow_up_plan"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True
    )
    contract_type: Mapped[str] = mapped_column(String(24))
    starts_on: Mapped[date] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date, index=True)
    coach_hours: Mapped[list[float]] = mapped_column(JSON)
    """The job coach's hours in each week from the start (fading)."""
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)


class FollowUpVisitRow(Base):
    __tablename__ = "follow_up_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    with_whom: Mapped[str] = mapped_column(String(16))
    """employee, employer or both"""
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))


class SupportApplicationRow(Base):
    __tablename__ = "support_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    support: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    """planned, applied, granted or declined"""
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)


class HandoffRow(Base):
    """A person handed from one coordinator to the other (work-ability ↔ company), with a
    note, until the receiving side takes it over — or refuses it, saying why."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    from_user: Mapped[str] = mapped_column(String(64))
    from_role: Mapped[str] = mapped_column(String(32))
    to_role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refused_by: Mapped[str | None] = mapped_column(String(64))
    refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    """Why the receiving coordinator did not take the person over (their own free text: never
    in the audit trail)."""


class EpisodeRow(Base):
    """A client's service episode: enrolment (when, who referred them, the programme), its
    status now and, once ended, its end and continuation path. What happened on the way is
    its events; the status and the end are theirs, written with them (one definition:
    ``features.schemas.episode``)."""

    __tablename__ = "service_episode"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    started_on: Mapped[date] = mapped_column(Date, index=True)
    referral_source: Mapped[str] = mapped_column(String(32))
    programme: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    continuation_path: Mapped[str | None] = mapped_column(String(32))
    started_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)

    events: Mapped[list[EpisodeEventRow]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(EpisodeEventRow.happened_on, EpisodeEventRow.id)",
    )


class EpisodeEventRow(Base):
    """One dated thing in an episode: a pause, a resumption, an outcome for the person (with
    or without a proposal), the end."""

    __tablename__ = "episode_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("service_episode.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)
    path: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    proposal_id: Mapped[int | None] = mapped_column(Integer)
    """The proposal whose step this outcome is (``PATH_OF_PROPOSAL_STEP``): undone there."""


class UndoneStepRow(Base):
    """A step recorded by mistake and undone: kept whole (nothing is lost), out of the
    history every reader reads — a proposal's step or a service episode's event."""

    __tablename__ = "undone_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    """``proposal_step`` or ``episode_event``."""
    about_id: Mapped[int] = mapped_column(Integer)
    """The proposal, or the service episode."""
    step: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The row as it was (its columns, dates as ISO text)."""
    undone_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    undone_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class ContactRow(Base):
    """A coordinator's contact with a client (or an attempt that did not happen), dated when
    it happened, with the next step agreed in it, if any. Never changed once recorded: a
    later contact that finds the step done names it (``closes_step_of``), and a newer step
    supersedes it (``features.schemas.contact``)."""

    __tablename__ = "client_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    happened_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str | None] = mapped_column(String(200))
    next_step_due: Mapped[date | None] = mapped_column(Date)
    closes_step_of: Mapped[int | None] = mapped_column(
        ForeignKey("client_contact.id", ondelete="SET NULL"), index=True
    )
    """The earlier contact whose agreed step this one found done."""
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)


class ReferralRow(Base):
    """A coordinator's referral of a client onwards (``features.schemas.referral``), dated
    when it was made, with the day its answer is awaited by and the characteristics the
    awaited statement will assess. Closed once — answered or cancelled, with its date — and
    never changed after."""

    __tablename__ = "client_referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    made_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    assesses: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Characteristic ids, in the catalogue's order."""
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    outcome: Mapped[str | None] = mapped_column(String(16))
    """``answered`` or ``cancelled``; none while open."""
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PlanStepRow(Base):
    """A step of a client's plan (``features.schemas.plan``): what is to be done, who does it
    and by when, dated when it was agreed. Ended once — done (with the day it was done) or
    dropped (with the reason) — and never changed after."""

    __tablename__ = "client_plan_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(32))
    """``client``, ``company_coordinator``, ``work_ability_coordinator`` or ``other``."""
    who_else: Mapped[str] = mapped_column(String(120), default="")
    """Who, in words, when ``who`` is ``other``."""
    due_on: Mapped[date] = mapped_column(Date, index=True)
    agreed_on: Mapped[date] = mapped_column(Date)
    agreed_by: Mapped[str] = mapped_column(String(64))
    agreed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    outcome: Mapped[str | None] = mapped_column(String(16))
    """``done`` or ``dropped``; none while open."""
    closed_on: Mapped[date | None] = mapped_column(Date)
    """The day it was done, or dropped."""
    reason: Mapped[str | None] = mapped_column(String(300))
    """Why it was dropped (free text: never audited)."""
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProgrammeEventRow(Base):
    """An event of the programme (a recruitment event, an info session, a seminar …), dated
    the day it was held, in an area, with who came as counts only — never who
    (``features.schemas.programme_event``). Never changed once recorded: one recorded by
    mistake is withdrawn (kept whole, with who withdrew it, when and why) and out of every
    count; the right one is recorded anew."""

    __tablename__ = "programme_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    area: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    in_cooperation: Mapped[bool] = mapped_column(Boolean, default=False)
    partner: Mapped[str | None] = mapped_column(String(200))
    clients: Mapped[int] = mapped_column(Integer, default=0)
    employers: Mapped[int] = mapped_column(Integer, default=0)
    others: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Withdrawn (recorded by mistake): when; null while it stands."""
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("clients >= 0 AND employers >= 0 AND others >= 0",
                        name="counts_not_negative"),
    )  # fmt: skip


class ProgrammeEventEmployerRow(Base):
    """An employer of the network that took part in an event (an organisation, not a person)."""

    __tablename__ = "programme_event_employer"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("programme_event.id", ondelete="CASCADE"), primary_key=True
    )
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id"), primary_key=True, index=True
    )


class CandidateRequestRow(Base):
    """A Rekrypiste worker asks a candidate's company coordinator: would your client want
    this? No identity crosses to the asker until the coordinator says yes."""

    __tablename__ = "candidate_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    task_ids: Mapped[list[int]] = mapped_column(JSON)
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion.id", ondelete="SET NULL")
    )
    requested_by: Mapped[str] = mapped_column(String(64), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str | None] = mapped_column(String(16))
    """None (waiting), yes, no or discuss."""
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint(
            "answer IS NULL OR answer IN ('yes', 'no', 'discuss')", name="answer_known"
        ),
    )


class JobseekerHistoryRow(Base):
    """What the matcher read of a person from ``valid_from`` until ``valid_to`` (null: still
    so): the ``jobseeker`` row and the person's capacities, as the storage functions that
    write the current rows wrote them. The offline evaluation replays each proposal on the
    profile as it was then. Erasing the person erases this too."""

    __tablename__ = "jobseeker_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    capacity: Mapped[list[list[Any]]] = mapped_column(JSON)
    """One list per characteristic, in the order of ``history.CAPACITY_COLUMNS``."""


class TaskHistoryRow(Base):
    """What the matcher read of a task from ``valid_from`` until ``valid_to``: the ``task``
    row with its role's, and its demands. Kept when the task is deleted (the version is closed
    then), because it was there to be suggested before."""

    __tablename__ = "task_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, index=True)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    role: Mapped[dict[str, Any]] = mapped_column(JSON)
    demand: Mapped[list[list[Any]]] = mapped_column(JSON)
    """One list per characteristic, in the order of ``history.DEMAND_COLUMNS``."""


class DataVersionRow(Base):
    """One counter, bumped in every transaction that changes people or tasks: each service
    process rebuilds its in-memory match index when the counter has moved."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    instance: Mapped[str | None] = mapped_column(String(32))
    """Random, set once: tells this database's index snapshots from another's."""
    active_ruleset: Mapped[str | None] = mapped_column(String(64))
    """The rule set every match uses (one at a time; activation is an audited admin action)."""
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Built by ``tasma demo`` (made-up people): only here may demo users exist."""


class RuleSetRow(Base):
    """A rule set version: immutable once stored; a change is a new version with a parent."""

    __tablename__ = "ruleset"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent: Mapped[str | None] = mapped_column(ForeignKey("ruleset.version"))
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class ComparisonRunRow(Base):
    """An analyst's comparison of two rule sets on the recorded history, run in the background:
    asked for, started, its progress, and its report (aggregates only, no person in it) kept so
    that reopening it costs nothing. Its state is read from its times: waiting until
    ``started_at``, running until ``finished_at``, then done — or failed, with ``failure``."""

    __tablename__ = "comparison_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ruleset_a: Mapped[str] = mapped_column(ForeignKey("ruleset.version"))
    ruleset_b: Mapped[str] = mapped_column(ForeignKey("ruleset.version"))
    k: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Last sign of life of the process running it: long silent, it is told as interrupted."""
    step: Mapped[int] = mapped_column(Integer, default=0)
    """Which pass of the replay is under way (1, 2, …)."""
    stage: Mapped[str] = mapped_column(String(80), default="")
    """What that pass does (``replay:VERSION``, ``as_of:VERSION``, ``candidates``)."""
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    history_mark: Mapped[str] = mapped_column(String(200))
    """What the recorded history held when it was asked for: a later change makes it stale."""
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    failure: Mapped[str | None] = mapped_column(String(200))
    """Why it did not finish (an error's kind, never its parameters)."""


IDS_NEVER_REUSED = (
    "app_user",
    "api_token",
    "employer",
    "crm_note",
    "employer_need",
    "employer_status_change",
    "role",
    "task",
    "task_history",
    "jobseeker",
    "jobseeker_history",
    "handoff",
    "suggestion",
    "override",
    "candidate_request",
    "proposal",
    "outcome_event",
    "follow_up_visit",
    "support_application",
    "service_episode",
    "episode_event",
    "undone_step",
    "client_contact",
    "client_referral",
    "client_plan_step",
    "comparison_run",
    "programme_event",
)
"""Tables whose ids the audit trail, exports, stored runs or addresses refer to: SQLite gives
them AUTOINCREMENT (migration 0020), so that an id, once deleted, is never a new row's
(PostgreSQL's sequences never repeat)."""

for _name in IDS_NEVER_REUSED:
    Base.metadata.tables[_name].dialect_options["sqlite"]["autoincrement"] = True
