"""Is a new client perhaps someone the area knows already? The same name (letters and spaces as
typed aside: case, accents kept) and a birth year that does not tell them apart.

Two "Elina Laine"s in one area are real, so a match is a question to the coordinator, not a
refusal: intake asks, and goes on once they say it is another person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.tables import DemographicsRow, IdentityRow, JobseekerRow
from features.errors import ConflictError

__all__ = ["PossibleDuplicateError", "SamePerson", "same_name_in_area"]


@dataclass(frozen=True, slots=True)
class SamePerson:
    """A person already in the area whom a new client may be."""

    id: int
    code: str
    birth_year: int | None


class PossibleDuplicateError(ConflictError):
    code = "possible_duplicate"

    def __init__(self, matches: list[SamePerson]) -> None:
        self.matches = matches
        ids = ", ".join(str(m.id) for m in matches)
        super().__init__(
            f"someone of the same name is in the area already (jobseeker {ids}); if this is "
            "another person, send duplicate_checked: true"
        )


def _folded(name: str) -> str:
    """A name as compared: Unicode-normalised, case-folded, runs of spaces as one (SQLite's
    ``lower`` knows only ASCII, so the comparison is made here)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def same_name_in_area(
    session: Session, *, area: str, name: str, birth_year: int | None
) -> list[SamePerson]:
    """People of ``area`` with the same name whose birth year is the same or unknown on either
    side, oldest record first."""
    wanted = _folded(name)
    rows = session.execute(
        select(JobseekerRow.id, JobseekerRow.code, IdentityRow.name, DemographicsRow.birth_year)
        .join(IdentityRow, IdentityRow.jobseeker_id == JobseekerRow.id)
        .outerjoin(DemographicsRow, DemographicsRow.jobseeker_id == JobseekerRow.id)
        .where(JobseekerRow.area == area)
        .order_by(JobseekerRow.id)
    ).all()
    return [
        SamePerson(id=pid, code=code, birth_year=born)
        for pid, code, other, born in rows
        if _folded(other) == wanted and (birth_year is None or born is None or born == birth_year)
    ]
