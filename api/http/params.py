"""Path parameters of the HTTP API: one definition of a record id and a rule-set version in
an address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.core.schemas import MAX_ID

__all__ = [
    "IdPath",
    "RulesetVersion",
]


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record id in a path: positive and within the database's integer range."""


RulesetVersion = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
