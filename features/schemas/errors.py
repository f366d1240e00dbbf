"""Turn a pydantic ValidationError into a list of (field, problem) pairs people can read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from pydantic import ValidationError

__all__ = ["FieldError", "field_errors"]


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    """For developers and API clients (English)."""
    kind: str = "invalid"
    """What was wrong, as a code (pydantic's error type, or one of ours such as
    ``business_id_check_digit``): pages say it in the user's language from this."""
    context: Mapping[str, Any] = default(default_factory=dict)
    """The values the kind's message needs (``max_length``, ``ge``, …)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def field_errors(error: ValidationError, *, prefix: str = "") -> list[FieldError]:
    """One FieldError per problem, with the dotted field path and pydantic's message cleaned."""
    out = []
    for item in error.errors(include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        field = _location(tuple(item["loc"]))
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        kind = str(item["type"])
        if kind == "string_too_short" and not str(item.get("input") or "").strip():
            kind = "missing"  # nothing written is missing, not short: "fill this in"
        elif kind.endswith("_type") and item.get("input", "") is None:
            kind = "missing"  # a required value sent as nothing (a form's empty date) is missing
        out.append(FieldError(field, message, kind, dict(item.get("ctx") or {})))
    return out
