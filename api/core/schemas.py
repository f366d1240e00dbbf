"""Small bodies and field types every domain's schemas share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

__all__ = [
    "MAX_ID",
    "BodyId",
    "Created",
    "Envelope",
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
