"""Small bodies and field types every domain's schemas share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

__all__ = [
    "MAX_ID",
    "BodyId",
    "Created",
    "Envelope",
    "PeriodQuery",
    "RadiusKm",
    "Recorded",
    "each_task_once",
]


MAX_ID = 2_147_483_647


BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]


def each_task_once(task_ids: list[int]) -> list[int]:
    """A proposal's or a request's tasks name each task once (a forged ``12,12,13`` would
    store a task twice and slip past the check for the same request waiting)."""
    if len(set(task_ids)) != len(task_ids):
        raise ValueError("each task once")
    return task_ids


RadiusKm = Annotated[float, Field(ge=0.1, le=200, description="Kilometres from home, 0.1–200.")]
"""A search radius: one definition for the query parameter and the body field."""


class Created(BaseModel):
    id: int


class Envelope(BaseModel):
    """What every stored suggestion answers with: its id and the versions that made it."""

    suggestion_id: int
    ruleset_version: str
    model_version: str | None = None


class Recorded(BaseModel):
    status: str = "recorded"


@dataclass(frozen=True)
class PeriodQuery:
    """The period and the area the programme's aggregates (the report, the events) are asked
    for, as given: a missing first day is 1 January this year, a missing last day today (in
    Finland; the service fills them in), a missing area every area the user may see. The API's
    routes, the web pages and the CLI each build one and hand it to their one service
    function."""

    start: date | None = None
    end: date | None = None
    area: str | None = None
