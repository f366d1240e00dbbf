"""Validated building blocks shared by every schema.

Each annotated type checks one thing against the catalogue and says what is allowed, so a
bad value is reported with its field and the fix ("unknown characteristic 'stnding'; known
ids: …").
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from features.catalogue import (
    ADJUSTMENTS,
    CHARACTERISTICS,
    EDUCATION_LEVELS,
    INDUSTRIES,
    LICENCES,
    MAX_LEVEL,
    MIN_LEVEL,
    MUNICIPALITIES,
    SECTORS,
    TASK_KINDS,
    municipality,
)
from features.catalogue.codes import CodeList
from features.catalogue.places import FINLAND_BOUNDS, close_municipality_names
from features.catalogue.schedule import SLOT_IDS, parse_slot

__all__ = [
    "AdjustmentId",
    "BusinessId",
    "CharacteristicId",
    "Coordinates",
    "EducationLevelId",
    "EmailAddress",
    "IndustryCode",
    "Level",
    "LicenceId",
    "MunicipalityName",
    "PersonName",
    "PhoneNumber",
    "Schedule",
    "SectorId",
    "SlotId",
    "StrictModel",
    "TaskKindId",
    "UtcDatetime",
    "business_id_check_digit",
]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    return False


@functools.cache
def _leaf_kinds(annotation: Any) -> frozenset[type]:
    """The scalar types a field's annotation admits, through Optional, unions, lists, dicts,
    Annotated and Literal; a nested model is its own business (it checks its own fields)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return frozenset()
    if typing.get_origin(annotation) is typing.Literal:
        return frozenset(type(a) for a in typing.get_args(annotation))
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        return _leaf_kinds(args[0])
    if args:
        return frozenset().union(*(_leaf_kinds(a) for a in args))
    return frozenset({annotation}) if isinstance(annotation, type) else frozenset()


def _scalars(value: object) -> Iterable[object]:
    if isinstance(value, list | tuple | set):
        for v in value:
            yield from _scalars(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _scalars(v)
    else:
        yield value


def _coercion_refused(kinds: frozenset[type], value: object) -> str | None:
    """Why ``value`` must not be coerced into a field of ``kinds``, or None. Pydantic's lax
    mode would store nonsense: ``0`` as a date (1 January 1970), ``true`` as a demand level."""
    dates = bool(kinds & {date, datetime})
    numbers = bool(kinds & {int, float}) and bool not in kinds
    for scalar in _scalars(value):
        if isinstance(scalar, bool) and (numbers or dates) and bool not in kinds:
            return "expects a number or a date, not true/false"
        is_number = isinstance(scalar, int | float) and not isinstance(scalar, bool)
        if is_number and dates and not (kinds & {int, float}):
            return "expects a date as text (YYYY-MM-DD, or with a time and time zone)"
    return None


class StrictModel(BaseModel):
    """Unknown fields are an error, never silently dropped or stored; so is a NUL character
    in text, which PostgreSQL cannot store and SQLite would — both refuse it alike; so is a
    value that would only fit by coercion into nonsense (a number as a date, a boolean as a
    number)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value: object, info: ValidationInfo) -> object:
        if _has_nul(value):
            raise PydanticCustomError(
                "nul_character", "contains a NUL character (\\x00), which cannot be stored"
            )
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and not isinstance(value, str | date | datetime | type(None)):
            refused = _coercion_refused(_leaf_kinds(field.annotation), value)  # type: ignore[arg-type]
            if refused:
                raise PydanticCustomError("no_coercion", refused)
        return value


def _in_mapping(name: str, known: Mapping[str, object]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in known:
            raise PydanticCustomError(
                "unknown_code",
                "{message}",
                {"message": f"unknown {name} {value!r}; known ids: {', '.join(known)}"},
            )
        return value

    return AfterValidator(check)


def _in_codes(codes: CodeList) -> AfterValidator:
    def check(value: str) -> str:
        if value not in codes:
            raise PydanticCustomError(
                "unknown_code", "{message}", {"message": codes.unknown_message(value)}
            )
        return value

    return AfterValidator(check)


def _one_of(values: Iterable[str]) -> Any:
    # The allowed values as an enum in the JSON schema (and so in the OpenAPI document), for
    # client generators and Schemathesis; the validator stays the one that explains a mistake.
    return Field(json_schema_extra={"enum": list(values)})


Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL, description="0–4 on the shared scale")]
CharacteristicId = Annotated[
    str, _in_mapping("characteristic", CHARACTERISTICS), _one_of(CHARACTERISTICS)
]
AdjustmentId = Annotated[str, _in_mapping("adjustment", ADJUSTMENTS), _one_of(ADJUSTMENTS)]
LicenceId = Annotated[str, _in_codes(LICENCES), _one_of(LICENCES.ids)]
SectorId = Annotated[str, _in_codes(SECTORS), _one_of(SECTORS.ids)]
TaskKindId = Annotated[str, _in_codes(TASK_KINDS), _one_of(TASK_KINDS.ids)]
EducationLevelId = Annotated[str, _in_codes(EDUCATION_LEVELS), _one_of(EDUCATION_LEVELS.ids)]
IndustryCode = Annotated[str, _in_codes(INDUSTRIES), _one_of(INDUSTRIES.ids)]
SlotId = Annotated[str, AfterValidator(parse_slot), _one_of(SLOT_IDS)]


def _week_order(slots: list[str]) -> list[str]:
    # Monday morning first, Sunday night last: the order a person reads a week in.
    return sorted(set(slots), key=SLOT_IDS.index)


Schedule = Annotated[list[SlotId], AfterValidator(_week_order)]


def _utc(value: datetime) -> datetime:
    # A time without a zone is taken as UTC; every stored time is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


def _municipality(value: str) -> str:
    # The Finnish name is stored, whichever name (or the code) was given.
    if not value.strip():
        raise PydanticCustomError("missing", "give the municipality")
    try:
        return municipality(value).name
    except KeyError as err:
        raise PydanticCustomError("unknown_municipality", "{message}", {
            "message": err.args[0],
            "value": value,
            "suggestions": close_municipality_names(value),
        }) from None  # fmt: skip


def _email(value: str) -> str:
    # email-validator (pydantic's own for EmailStr), with an error kind a form can say plainly.
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as err:
        raise PydanticCustomError(
            "email_form", "not an e-mail address: {reason}", {"reason": str(err)}
        ) from None


EmailAddress = Annotated[
    str,
    AfterValidator(_email),
    Field(max_length=254, json_schema_extra={"format": "email"}),
]
"""An e-mail address, stored as email-validator normalises it (no delivery check)."""


def _single_spaced(name: str) -> str:
    # A name as people write it: words one space apart ("Pekka  Turunen " is Pekka Turunen),
    # and in letters (a zero-width space or "-----" is nobody's name).
    spaced = " ".join(name.split())
    if not any(c.isalpha() for c in spaced):
        raise PydanticCustomError("not_a_name", "a name is written in letters")
    return spaced


PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_single_spaced),
]
"""A person's name as people write it, stored one space apart (blank: missing)."""

PHONE_PATTERN = r"^\+?[0-9 ()-]{5,20}$"


def _dialable(phone: str) -> str:
    if sum(c.isdigit() for c in phone) < 5:  # "-----" matches the pattern, dials nobody
        raise PydanticCustomError("string_pattern_mismatch", "a phone number has 5 digits or "
                                  "more", {"pattern": PHONE_PATTERN})  # fmt: skip
    return phone


PhoneNumber = Annotated[str, Field(pattern=PHONE_PATTERN), AfterValidator(_dialable)]
"""A phone number as people write it: digits (five or more), spaces, brackets and dashes, a
leading + for an international one (5–20 characters)."""


MunicipalityName = Annotated[
    str,
    AfterValidator(_municipality),
    _one_of(MUNICIPALITIES),
    Field(
        description="A municipality's Finnish or Swedish name (any case) or its three-digit "
        "code; stored as the Finnish name."
    ),
]

_BUSINESS_ID = re.compile(r"^([0-9]{7})-([0-9])$")  # ASCII: \d is any script's digit
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(first_seven: str) -> int | None:
    """The Y-tunnus check digit for seven digits, or None where no valid one exists."""
    remainder = sum(int(d) * w for d, w in zip(first_seven, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def _business_id(value: str) -> str:
    value = value.strip()
    if len(value) == 8 and value.isascii() and value.isdigit():
        value = f"{value[:7]}-{value[7]}"
    match = _BUSINESS_ID.match(value)
    if not match:
        raise PydanticCustomError("business_id_form", "{message}", {
            "message": f"business ID {value!r} must be seven digits, a hyphen and a check digit"
        })  # fmt: skip
    expected = business_id_check_digit(match.group(1))
    if expected is None or expected != int(match.group(2)):
        raise PydanticCustomError("business_id_check_digit", "{message}", {
            "message": f"business ID {value!r} has a wrong check digit"
        })  # fmt: skip
    return value


BusinessId = Annotated[str, AfterValidator(_business_id), Field(examples=["0112038-9"])]


class Coordinates(StrictModel):
    """A point in Finland (WGS84)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _in_finland(self) -> Coordinates:
        (lat0, lat1), (lon0, lon1) = FINLAND_BOUNDS["lat"], FINLAND_BOUNDS["lon"]
        if not (lat0 <= self.lat <= lat1 and lon0 <= self.lon <= lon1):
            raise ValueError(
                f"coordinates ({self.lat}, {self.lon}) are outside Finland "
                f"(latitude {lat0}–{lat1}, longitude {lon0}–{lon1})"
            )
        return self
