"""The product's one exception tree. Every error a use case raises for its caller (bad input,
no access, not found, a clash, a refusal) is a ``TasmaError`` — a programming error such as a
bad argument to a pure function stays a ``ValueError``; the API maps the tree to HTTP status
codes in one place (``api/http/errors.py``), and a test holds this drawing to the classes as
they are (``tests/test_one_home.py``).

TasmaError                        features/errors.py
├── InvalidInputError             features/errors.py         422, every field error
│   ├── BatchUnavailableError     api/market/service.py      no batch store configured here
│   └── UnsafeSchedulerError      api/jobs/batch.py          a Dask scheduler without TLS
├── NotFoundError                 features/errors.py         404, or not visible to the caller
│   └── AreaOutOfReachError       api/reports/service.py     a report of an area not the user's
├── ConflictError                 features/errors.py         409, clashes with what exists
│   └── PossibleDuplicateError    api/people/duplicates.py   a namesake in the area: asked first
├── UnauthorizedError             api/core/runtime.py        401
├── ForbiddenError                api/core/runtime.py        403
├── TooManyRequestsError          api/core/runtime.py        429, with Retry-After
│   └── LoginThrottledError       api/auth/service.py        a name at an address must wait
├── BusyError                     api/core/runtime.py        503, heavy work queued full
├── CsrfError                     api/http/csrf.py           a form not from this site
├── LoginRequiredError            api/http/pages.py          a page asked for without a log-in
├── BackupError                   api/storage/backup.py      a backup not written, checked, restored
│   └── ServiceRunningError       api/storage/backup.py      restore while the service runs
├── MigrationCheckError           api/storage/migrate.py     a migration would lose rows
├── ModelMismatchError            api/jobs/model_store.py    a model trained for other features
└── UnsafeStartError              api/auth/setup.py          a start the settings make unsafe
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
