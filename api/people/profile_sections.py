"""The profile edited a section at a time (issue #30 item 8): one section per group of the
vocabulary's characteristics, then the person's availability, their skills and languages,
their licences and consent, their interests. A section's save stores that section and leaves
the rest of the profile as it is stored; the whole profile is the same save with every section.

One use case, :func:`save_profile_sections`: the stored profile with the sections sent laid
over it, checked as the API's replacement is (every problem at once) and stored by
:func:`api.people.service.replace_person` — audited and versioned there, and a save that
changes nothing writes no new version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from api.core.context import Context
from api.people import service as people
from api.people.schemas import JobseekerPublic
from features.catalogue import CHARACTERISTICS
from features.catalogue.characteristics import GROUP_NAMES, Group
from features.errors import InvalidInputError
from features.i18n import N_
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError
from features.schemas.jobseeker import CapacityRating, CapacitySource

__all__ = ["SECTIONS", "Section", "save_profile_sections"]


@dataclass(frozen=True)
class Section:
    """A part of the profile saved on its own: ``title`` (a msgid), the characteristics it
    rates (a group's) or the profile's fields it holds."""

    id: str
    title: str
    characteristics: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


def _group(group: Group) -> Section:
    rated = tuple(cid for cid, c in CHARACTERISTICS.items() if c.group is group)
    return Section(group.value, GROUP_NAMES[group], characteristics=rated)


SECTIONS: Mapping[str, Section] = MappingProxyType({
    s.id: s
    for s in (
        *(_group(g) for g in Group),
        Section("availability", N_("Availability"), fields=("goals", "availability")),
        Section("skills_languages", N_("Skills, languages and support"),
                fields=("skills", "education_level", "languages", "support")),
        Section("licences", N_("Licences and consent"), fields=("licences", "consent")),
        Section("interests", N_("Interests"), fields=("interest_sectors", "interest_task_kinds")),
    )
})  # fmt: skip
"""The editor's sections, in the page's order: the characteristic groups in the vocabulary's
order, then the rest of the profile."""

_AVAILABILITY = ("weekly_hours_min", "weekly_hours_max", "schedule")
"""What the editor sets of the availability (the earliest start is kept as stored)."""


def _consent(
    stored: dict[str, Any] | None, ticked: list[str], now: datetime
) -> dict[str, Any] | None:
    """The consent after the editor's scopes, each ticked only when the person agrees to it:
    none ticked, withdrawn now (when in force); the scopes in force ticked, as stored (its date
    never moves on a mere save); other scopes ticked, given now with exactly those — never
    narrowed or widened by the editor on its own."""
    in_force = stored is not None and not stored.get("withdrawn_at")
    if not ticked:
        if stored is not None and in_force:
            return {**stored, "withdrawn_at": now.isoformat()}
        return stored
    if stored is not None and in_force and set(ticked) == set(stored["scope"]):
        return stored
    return {"given_at": now.isoformat(), "scope": sorted(set(ticked))}


_ASSESSMENT = ("level", "source", "hard_limit", "recommended", "kilograms")
"""What a rating says; its date and reference say when and where it was said."""


def _dated(sent: Any, stored: Any, now: datetime) -> Any:
    """A rating whose assessment changed while its date was left as stored is a new assessment
    made now: dated today (in Finland), not on the day of the one it replaces. A date changed
    too is kept (an assessment recorded afterwards). A physician's statement is never redated:
    its date is the statement's, and a change to it corrects what was copied from it."""
    if not isinstance(sent, dict) or not isinstance(stored, dict):
        return sent
    try:  # as the form sends them ("3", "12.5") and as stored (3, 12.5): compared as read
        new, old = CapacityRating.model_validate(sent), CapacityRating.model_validate(stored)
    except ValidationError:
        return sent  # said by the profile's own check, with every other problem
    if new.source is CapacitySource.PHYSICIAN:
        return sent
    changed = any(getattr(new, key) != getattr(old, key) for key in _ASSESSMENT)
    if changed and new.assessed_on == old.assessed_on:
        return {**sent, "assessed_on": today_in_finland(now).isoformat()}
    return sent


def _laid_over(
    data: dict[str, Any], section: Section, part: Mapping[str, Any], now: datetime
) -> None:
    """``data`` (a stored profile, as JSON) with ``section`` as the editor sent it."""
    if section.characteristics:
        stored = data["capacities"]
        sent = {k: _dated(v, stored.get(k), now) for k, v in part.get("capacities", {}).items()}
        kept = {k: v for k, v in stored.items() if k not in section.characteristics}
        data["capacities"] = kept | {k: v for k, v in sent.items() if k in section.characteristics}
    for name in section.fields:
        if name not in part:
            continue
        if name == "consent":
            data["consent"] = _consent(data.get("consent"), list(part["consent"]), now)
        elif name == "availability":
            data["availability"] |= {k: v for k, v in part[name].items() if k in _AVAILABILITY}
        else:
            data[name] = part[name]


def save_profile_sections(
    ctx: Context,
    jobseeker_id: int,
    sent: Mapping[str, Mapping[str, Any]],
    *,
    now: datetime | None = None,
) -> JobseekerPublic:
    """Store the sections of the profile in ``sent`` (by section id, each shaped as the
    profile's JSON: a group's ``capacities`` — a characteristic it leaves out is not assessed
    —, the section's fields, the consent as the list of scopes ticked); every other part as
    stored. Refused (:class:`InvalidInputError`) with every problem at once, nothing stored."""
    unknown = sorted(set(sent) - set(SECTIONS))
    if unknown:
        raise InvalidInputError([FieldError("section", f"no such section: {unknown[0]}")])
    _row, stored = people.profile_for_editing(ctx, jobseeker_id)
    data = stored.model_dump(mode="json")
    moment = now or datetime.now(UTC)
    for section_id, part in sent.items():
        _laid_over(data, SECTIONS[section_id], part, moment)
    edited = people.checked_profile(ctx, jobseeker_id, data)
    return people.replace_person(ctx, jobseeker_id, edited)
