"""Turn a pydantic ValidationError into a list of (field, problem) pairs people can read."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

__all__ = ["FieldError", "field_errors"]


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

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
        out.append(FieldError(field, message))
    return out
