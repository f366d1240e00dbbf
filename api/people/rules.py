"""The rules a client's profile is held to beyond its schema, one definition each for the API,
the web UI's forms and a caseload sheet alike: it is of the writer's own area; its responsible
coordinators are the area's active users in that role; a physician's statement is the
work-ability coordinator's to record; its assessments and its consent are dated when they
happened.

Each rule returns its problems and never raises, so that a refusal names them all at once
(#27); and each judges only what is written anew — a value kept as it was is not judged again.
A form or a sheet's row that its schema refused is judged too, on the parts of it that parse
on their own (:func:`parts_as_typed`): whoever fixes it learns everything in one round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from api.auth.users import colleagues
from api.core.context import Context
from api.core.security import Permission, Role, allowed
from features.catalogue import CHARACTERISTICS
from features.schemas import CapacityRating, CapacitySource, JobseekerProfile
from features.schemas.dates import (
    EARLIEST_CONSENT,
    GDPR_APPLIED,
    assessment_date_problems,
    happened_problems,
    today_in_finland,
)
from features.schemas.errors import FieldError
from features.schemas.jobseeker import Availability, Consent, hours_reversed

__all__ = [
    "Judged",
    "Rated",
    "RatingAsTyped",
    "Refused",
    "TypedParts",
    "area_problems",
    "assessment_problems",
    "consent_problems",
    "coordinator_problems",
    "hours_problems",
    "parts_as_typed",
    "physician_statement_problems",
    "profile_rule_problems",
]


class Rated(Protocol):
    """What the rules read of a capacity rating: a whole :class:`CapacityRating`, or a
    :class:`RatingAsTyped` its schema refused."""

    @property
    def source(self) -> CapacitySource | None: ...
    @property
    def assessed_on(self) -> date | None: ...


class Judged(Protocol):
    """What the rules read of a profile: a whole :class:`JobseekerProfile`, or the
    :class:`TypedParts` of one its schema refused."""

    @property
    def area(self) -> str | None: ...
    @property
    def coordinator(self) -> str | None: ...
    @property
    def work_ability_coordinator(self) -> str | None: ...
    @property
    def capacities(self) -> Mapping[str, Rated]: ...
    @property
    def consent(self) -> Consent | None: ...


@dataclass(frozen=True, slots=True)
class TypedParts:
    """The parts the rules read of a profile its schema refused, as typed where each is right
    alone; None (or a rating left out) where it is not: the schema says that, and no rule
    judges it again."""

    area: str | None
    coordinator: str | None
    work_ability_coordinator: str | None
    capacities: Mapping[str, Rated]
    consent: Consent | None


def area_problems(ctx: Context, after: Judged, field: str) -> list[FieldError]:
    """The profile is of the writer's own area."""
    if after.area is not None and after.area != ctx.actor.area:
        return [FieldError(field, f"must be your area {ctx.actor.area!r}")]
    return []


_RESPONSIBLE_ROLES = (
    ("coordinator", Role.COMPANY_COORDINATOR),
    ("work_ability_coordinator", Role.WORK_ABILITY_COORDINATOR),
)
"""Who may be named as the person's responsible coordinator of each kind."""


def coordinator_problems(
    ctx: Context, before: Judged | None, after: Judged, prefix: str = ""
) -> list[FieldError]:
    """The responsible coordinators named now are active users of the person's area in that
    role, so that the person is on someone's own list; a name kept as it was is not judged
    again (a coordinator who has left keeps their people until they are handed on). Judged in
    the writer's own area only: another area's users are not listed to them."""
    if after.area is None or after.area != ctx.actor.area:
        return []
    problems = []
    for field, role in _RESPONSIBLE_ROLES:
        name = getattr(after, field)
        if name is None or (before is not None and getattr(before, field) == name):
            continue
        names = colleagues(ctx.session, area=after.area, role=role)
        if name not in names:
            offered = f"; choose one of {', '.join(names)}" if names else ""
            problems.append(FieldError(
                f"{prefix}{field}",
                f"{name!r} is not an active {role.value} of the area {after.area!r}{offered}",
                kind="unknown_coordinator", context={"value": name, "names": names},
            ))  # fmt: skip
    return problems


def physician_statement_problems(
    ctx: Context, before: Judged | None, after: Judged, prefix: str = ""
) -> list[FieldError]:
    """Only a work-ability coordinator records, changes or removes a capacity whose source is
    a physician's statement; anyone else may save the profile with those left as they were."""
    if allowed(ctx.actor.role, Permission.WRITE_PHYSICIAN_STATEMENTS):
        return []
    old = before.capacities if before is not None else {}

    def statement(ratings: Mapping[str, Rated], cid: str) -> Rated | None:
        rating = ratings.get(cid)
        return rating if rating is not None and rating.source is CapacitySource.PHYSICIAN else None

    changed = sorted(
        cid for cid in old.keys() | after.capacities.keys()
        if statement(old, cid) != statement(after.capacities, cid)
    )  # fmt: skip
    return [
        FieldError(f"{prefix}capacities.{cid}", "a physician's statement is recorded by the "
                   "work-ability coordinator", kind="physician_statement")
        for cid in changed
    ]  # fmt: skip


def consent_problems(
    ctx: Context, before: Judged | None, after: Judged, prefix: str = ""
) -> list[FieldError]:
    """A consent given or withdrawn now is dated when it happened: not in the future, not
    before the GDPR applied (a withdrawal before the consent is the schema's to refuse); one
    kept as it was is not judged again."""
    consent = after.consent
    if consent is None or (before is not None and before.consent == consent):
        return []
    given = today_in_finland(consent.given_at)
    problems = happened_problems(f"{prefix}consent.given_at", given, ctx.now,
                                 not_before=EARLIEST_CONSENT, what=GDPR_APPLIED)  # fmt: skip
    if consent.withdrawn_at is not None:
        problems += happened_problems(f"{prefix}consent.withdrawn_at",
                                      today_in_finland(consent.withdrawn_at), ctx.now)  # fmt: skip
    return problems


def assessment_problems(
    ctx: Context,
    before: Judged | None,
    after: Judged,
    birth_year: int | None,
    prefix: str = "",
) -> list[FieldError]:
    """The capacity assessments and physician's statements recorded or changed now are dated
    plausibly (``features.schemas.dates``: not in the future, not before 1990 or the person's
    birth year); one kept as it was is not judged again."""
    old = before.capacities if before is not None else {}
    changed = {
        f"{prefix}capacities.{cid}.assessed_on": rating.assessed_on
        for cid, rating in after.capacities.items()
        if old.get(cid) != rating and rating.assessed_on is not None
    }
    return assessment_date_problems(changed, ctx.now, birth_year=birth_year)


def profile_rule_problems(
    ctx: Context, before: Judged | None, after: Judged, *, birth_year: int | None, prefix: str = ""
) -> list[FieldError]:
    """Every rule's problems with ``after``, the profile to be stored (``before``: as it is
    stored, None for a new client), each field named under ``prefix``."""
    return [
        *area_problems(ctx, after, f"{prefix}area"),
        *coordinator_problems(ctx, before, after, prefix),
        *physician_statement_problems(ctx, before, after, prefix),
        *assessment_problems(ctx, before, after, birth_year, prefix),
        *consent_problems(ctx, before, after, prefix),
    ]


Model = TypeVar("Model", bound=BaseModel)


def _parsed(model: type[Model], raw: object) -> Model | None:
    """``raw`` as ``model`` takes it, or None where the model refuses it."""
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def _mapping(raw: object) -> Mapping[str, Any]:
    return raw if isinstance(raw, Mapping) else {}


@cache
def _field_type(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """Field ``name`` of ``model`` as a type of its own: its type, constraints and validators,
    read as the model reads text (stripped)."""
    info = model.model_fields[name]
    typed: Any = Annotated[info.annotation, info]  # a type made at run time
    return TypeAdapter(typed, config=model.model_config)


@dataclass(frozen=True, slots=True)
class Refused:
    """What a schema said of a body it refused: the fields it named."""

    fields: frozenset[str]

    @classmethod
    def of(cls, errors: Iterable[FieldError]) -> Refused:
        return cls(frozenset(e.field for e in errors))

    def alone(self, model: type[BaseModel], name: str, part: object, prefix: str = "") -> Any:
        """Field ``name`` of ``part`` (a part of the body, at ``prefix``) as ``model`` takes
        it, judged alone; None where the schema said it is wrong (or none was sent): the
        schema's problem is said, and no rule judges the value again."""
        if f"{prefix}{name}" in self.fields:
            return None
        try:
            return _field_type(model, name).validate_python(_mapping(part).get(name))
        except ValidationError:
            return None


@dataclass(frozen=True, slots=True)
class RatingAsTyped:
    """A capacity rating its schema refused, as far as the rules read it: its source and its
    date, each where it is right alone (None where not)."""

    source: CapacitySource | None
    assessed_on: date | None


def hours_problems(sent: object, refused: Refused, prefix: str = "") -> list[FieldError]:
    """Least weekly hours above the most, in a profile ``sent`` whose schema ``refused``
    something else of its availability (an empty or unreadable schedule: the schema's own
    check of the hours is then not reached); each hour judged alone."""
    availability = _mapping(sent).get("availability")
    at = f"{prefix}availability."
    if f"{prefix}availability" in refused.fields:
        return []
    low = refused.alone(Availability, "weekly_hours_min", availability, at)
    high = refused.alone(Availability, "weekly_hours_max", availability, at)
    if low is None or high is None or (error := hours_reversed(low, high)) is None:
        return []
    return [FieldError(f"{prefix}availability", error.message(), kind=error.type,
                       context=dict(error.context or {}))]  # fmt: skip


def parts_as_typed(sent: object, refused: Refused, prefix: str = "") -> TypedParts:
    """What the rules read of ``sent``, a profile as a form or a sheet's row filled it which
    its schema ``refused`` (its fields named under ``prefix``): each part where it is right
    alone — a capacity rating or the consent whole by its own schema, else a rating's source
    and date; a coordinator's name; the area."""
    data = _mapping(sent)
    ratings: dict[str, Rated] = {}
    for cid, raw in _mapping(data.get("capacities")).items():
        if cid not in CHARACTERISTICS:
            continue  # the schema's to say
        at = f"{prefix}capacities.{cid}."
        ratings[cid] = _parsed(CapacityRating, raw) or RatingAsTyped(
            source=refused.alone(CapacityRating, "source", raw, at),
            assessed_on=refused.alone(CapacityRating, "assessed_on", raw, at),
        )
    return TypedParts(
        area=refused.alone(JobseekerProfile, "area", data, prefix),
        coordinator=refused.alone(JobseekerProfile, "coordinator", data, prefix),
        work_ability_coordinator=refused.alone(
            JobseekerProfile, "work_ability_coordinator", data, prefix
        ),
        capacities=ratings,
        consent=_parsed(Consent, data.get("consent")),
    )
