"""The domain exception tree. The API maps it to HTTP status codes in one place.

TasmaError
├── InvalidInputError   bad input, with every field error (→ 422)
├── NotFoundError       no such record, or not visible to the caller (→ 404)
└── ConflictError       the record clashes with one that exists (→ 409)
"""

from __future__ import annotations

from features.schemas.errors import FieldError

__all__ = ["ConflictError", "InvalidInputError", "NotFoundError", "TasmaError"]


class TasmaError(Exception):
    """Base of every error the product raises on purpose."""

    code = "tasma_error"


class InvalidInputError(TasmaError):
    code = "invalid_input"

    def __init__(self, errors: list[FieldError], message: str = "invalid input") -> None:
        self.errors = errors
        super().__init__(f"{message}: " + "; ".join(str(e) for e in errors))


class NotFoundError(TasmaError):
    code = "not_found"


class ConflictError(TasmaError):
    code = "conflict"
