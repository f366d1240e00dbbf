"""Users, roles and what each role may do — enforced in one place.

Passwords are hashed with argon2 (argon2-cffi). API tokens are random 256-bit strings; only
their SHA-256 is stored (they carry full entropy, so a slow hash adds nothing), and a token
is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from features.schemas.proposal import OutcomeKind

__all__ = [
    "COORDINATOR_ROLES",
    "OUTCOMES_BY_ROLE",
    "PERMISSIONS",
    "Permission",
    "Role",
    "allowed",
    "hash_password",
    "hash_token",
    "new_token",
    "records_outcome",
    "verify_password",
]

_HASHER = PasswordHasher()


class Role(StrEnum):
    WORK_ABILITY_COORDINATOR = "work_ability_coordinator"
    """Health-care trained: owns the capacity assessment and a physician's statements, walks
    alongside the person; sees their matches."""
    COMPANY_COORDINATOR = "company_coordinator"
    """The employer network and hidden jobs: matches, proposals, employers, CRM notes; reads
    capacities, cannot write a physician's statement."""
    REKRYPISTE = "rekrypiste"
    ANALYST = "analyst"
    ADMIN = "admin"
    PROJECT_MANAGER = "project_manager"
    """Runs the programme for its funder and steering group: reads the programme report of
    every area — aggregates only, never a person, an employer's contacts or a proposal."""

    @property
    def is_coordinator(self) -> bool:
        """Works with the people of one area (and so needs an area)."""
        return self in COORDINATOR_ROLES


# Its name in the OpenAPI document (``api__security__Role``, beside the employer's job role) is
# made from the module it was defined in; integrators' generated clients are named after it, so it
# keeps the name it had before the package was laid out by domain.
Role.__module__ = "api.security"

COORDINATOR_ROLES = frozenset({Role.WORK_ABILITY_COORDINATOR, Role.COMPANY_COORDINATOR})


class Permission(StrEnum):
    READ_JOBSEEKERS = "read_jobseekers"
    """Profiles (pseudonymous) of one's own area; coordinators also see identity."""
    WRITE_JOBSEEKERS = "write_jobseekers"
    WRITE_PHYSICIAN_STATEMENTS = "write_physician_statements"
    """Record, change or remove a capacity whose source is a physician's statement."""
    READ_IDENTITY = "read_identity"
    EXPORT_PERSON = "export_person"
    ERASE_PERSON = "erase_person"
    READ_EMPLOYERS = "read_employers"
    WRITE_EMPLOYERS = "write_employers"
    MATCH_PERSON = "match_person"
    """Tasks for a person (coordinators, for their own area)."""
    MATCH_TASKS = "match_tasks"
    """Candidates for tasks, shown by code with their fit only."""
    COMPOSE = "compose"
    PROPOSE = "propose"
    READ_PROPOSALS = "read_proposals"
    """A person's proposals and what happened (coordinators: their area's people; Rekrypiste:
    the proposals they made)."""
    RECORD_OUTCOMES = "record_outcomes"
    """Record what happened next in a proposal — only the kinds of step the role owns
    (``OUTCOMES_BY_ROLE``)."""
    OVERRIDE = "override"
    READ_RULESETS = "read_rulesets"
    WRITE_RULESETS = "write_rulesets"
    """Store a new rule-set version (analysts propose; nothing changes until activated)."""
    ACTIVATE_RULESET = "activate_ruleset"
    EVALUATE = "evaluate"
    """Replay the history under rule sets: aggregate metrics and fairness, no person data."""
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"
    HAND_OFF = "hand_off"
    """Hand a person over to the other coordinator (and acknowledge one handed to you)."""
    REQUEST_CANDIDATES = "request_candidates"
    """Ask a candidate's company coordinator whether their client wants a task."""
    ANSWER_CANDIDATE_REQUESTS = "answer_candidate_requests"
    READ_CANDIDATE_REQUESTS = "read_candidate_requests"
    """One's own requests (Rekrypiste), or those about one's area's people (coordinators)."""
    FOLLOW_UP = "follow_up"
    """Plan and record the follow-up after a hire (both coordinators walk alongside)."""
    SERVICE_EPISODES = "service_episodes"
    """A person's service episodes: start one, pause, resume, record what happened to the
    person (with or without a proposal), end it with the continuation path; read them."""
    CONTACTS = "contacts"
    """A person's contacts with their coordinators (met, phoned, a video call, a message, or an
    attempt that did not happen) and the next steps agreed in them: record them, read them."""
    REFERRALS = "referrals"
    """A person's referrals onwards (a health check, a physician, a psychologist, social or
    health services, rehabilitation): make one, record it answered or cancelled, read them —
    and see which capacities an awaited statement will assess."""
    PLAN = "plan"
    """A person's client plan (asiakassuunnitelma): the steps agreed with them toward their
    goals — agree one, record it done or dropped, read the plan and print it for the client."""
    RUN_BATCH = "run_batch"
    """Start a batch run of the whole pool and list the runs (no person data)."""
    READ_MARKET = "read_market"
    """Counts over the pool for an employer's tasks: the what-if, hand-over options, new
    candidates since the last run (numbers, never who)."""
    CLEAR_MARKET = "clear_market"
    """The week's clearing suggestions for one's own area (who for which task)."""
    READ_REPORTS = "read_reports"
    """The programme report of a period and an area: aggregates only, no person data.
    Coordinators ask for their own area's only; the others for any area or every area."""
    PROGRAMME_EVENTS = "programme_events"
    """The programme's events (recruitment events, info sessions, seminars …) and who came, as
    counts only: record one, withdraw one recorded by mistake, read them — the coordinators of
    their own area's, administrators of any area's. The others read them in the report."""
    OWN_DETAILS = "own_details"
    """One's own name and work contact details as clients and employers read them (the
    printed client plan): every role keeps its own."""


_W, _C = Role.WORK_ABILITY_COORDINATOR, Role.COMPANY_COORDINATOR
_R, _A, _ADM = Role.REKRYPISTE, Role.ANALYST, Role.ADMIN
_PM = Role.PROJECT_MANAGER
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.READ_JOBSEEKERS: frozenset({_W, _C}),
    Permission.WRITE_JOBSEEKERS: frozenset({_W, _C}),
    Permission.WRITE_PHYSICIAN_STATEMENTS: frozenset({_W}),
    Permission.READ_IDENTITY: frozenset({_W, _C}),
    Permission.EXPORT_PERSON: frozenset({_W, _C}),
    Permission.ERASE_PERSON: frozenset({_W, _C, _ADM}),
    Permission.READ_EMPLOYERS: frozenset({_C, _R}),
    Permission.WRITE_EMPLOYERS: frozenset({_C, _R}),
    Permission.MATCH_PERSON: frozenset({_W, _C}),
    Permission.MATCH_TASKS: frozenset({_C, _R}),
    Permission.COMPOSE: frozenset({_C, _R}),
    Permission.PROPOSE: frozenset({_C, _R}),
    Permission.READ_PROPOSALS: frozenset({_W, _C, _R}),
    Permission.RECORD_OUTCOMES: frozenset({_W, _C, _R}),
    Permission.OVERRIDE: frozenset({_C, _R}),
    Permission.READ_RULESETS: frozenset({_A, _ADM, _W, _C, _R}),
    Permission.WRITE_RULESETS: frozenset({_A, _ADM}),
    Permission.ACTIVATE_RULESET: frozenset({_ADM}),
    Permission.EVALUATE: frozenset({_A, _ADM}),
    Permission.READ_AUDIT: frozenset({_ADM}),
    Permission.MANAGE_USERS: frozenset({_ADM}),
    Permission.HAND_OFF: frozenset({_W, _C}),
    Permission.REQUEST_CANDIDATES: frozenset({_R}),
    Permission.ANSWER_CANDIDATE_REQUESTS: frozenset({_C}),
    Permission.READ_CANDIDATE_REQUESTS: frozenset({_R, _C}),
    Permission.FOLLOW_UP: frozenset({_W, _C}),
    Permission.SERVICE_EPISODES: frozenset({_W, _C}),
    Permission.CONTACTS: frozenset({_W, _C}),
    Permission.REFERRALS: frozenset({_W, _C}),
    Permission.PLAN: frozenset({_W, _C}),
    Permission.RUN_BATCH: frozenset({_A, _ADM}),
    Permission.READ_MARKET: frozenset({_C, _R}),
    Permission.CLEAR_MARKET: frozenset({_C}),
    # Coordinators read their own area's report only (api.reports.service says which areas).
    Permission.READ_REPORTS: frozenset({_A, _ADM, _PM, _W, _C}),
    # Coordinators record their own area's events (api.events.service says which areas).
    Permission.PROGRAMME_EVENTS: frozenset({_W, _C, _ADM}),
    Permission.OWN_DETAILS: frozenset(Role),
}
"""The one role × permission table. Every route names its permission; tests walk this table."""


OUTCOMES_BY_ROLE: dict[Role, frozenset[OutcomeKind]] = {
    # The work-ability coordinator's territory: where a proposal leads to care (sick leave,
    # rehabilitation), to education or to another service. Answers, trials and hires are the
    # employer side's to record.
    _W: frozenset({OutcomeKind.CARE_STARTED, OutcomeKind.EDUCATION_STARTED,
                   OutcomeKind.OTHER_SERVICE}),
    _C: frozenset(OutcomeKind),
    _R: frozenset(OutcomeKind),
}  # fmt: skip
"""Which steps of a proposal each role with ``RECORD_OUTCOMES`` records."""


def records_outcome(role: Role, kind: OutcomeKind) -> bool:
    return allowed(role, Permission.RECORD_OUTCOMES) and kind in OUTCOMES_BY_ROLE.get(
        role, frozenset()
    )


def allowed(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]


def not_allowed(role: Role, permission: Permission) -> str:
    """What a refusal says (API 403, CLI): the role and the permission it lacks, by name."""
    return f"the role {role.value} lacks the permission {permission.value!r}"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except VerificationError:
        return False


def new_token() -> str:
    return "tsm_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
