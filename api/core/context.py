"""Who is acting, on which data: what every application service is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from api.core.runtime import IndexHolder, User

if TYPE_CHECKING:
    from api.jobs.run_store import BatchRuns
    from matching.reranker import Reranker

__all__ = ["Context"]


@dataclass
class Context:
    """One use case's world: the session it commits, the acting user (attribution comes only
    from here), the process's match index and the active learned re-ranker (None: the rules
    alone)."""

    session: Session
    actor: User
    index: IndexHolder
    reranker: Reranker | None = None
    batch: BatchRuns | None = None
    """The stored batch runs (None: batch answers are not available here)."""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
