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
]


MAX_ID = 2_147_483_647


BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]


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
