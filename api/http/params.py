"""Parameters of the HTTP API: one definition of a record id and a rule-set version in an
address, and of the period and area the programme's aggregates are asked for."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query

from api.core.schemas import MAX_ID, PeriodQuery

__all__ = [
    "IdPath",
    "PeriodAsked",
    "RulesetVersion",
]


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record id in a path: positive and within the database's integer range."""


RulesetVersion = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


def period_query(
    start: Annotated[
        date | None,
        Query(alias="from", description="The period's first day (default: 1 January this year)."),
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="The period's last day (default: today).")
    ] = None,
    area: Annotated[
        str | None,
        Query(
            max_length=64,
            description="One area (default: every area the user may see). A coordinator works "
            "with their own area's only (the default for them); another area is a 404.",
        ),
    ] = None,
) -> PeriodQuery:
    """The period and area pickers of the report's and the events' routes, in one place."""
    return PeriodQuery(start, end, area or None)


PeriodAsked = Annotated[PeriodQuery, Depends(period_query)]
"""A route's period and area, from its query string."""
