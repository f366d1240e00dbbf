"""Rule sets as versioned data: list, read, compare, store, ask for and make active.

The API, the web UI and ``tasma rules`` call these. Reads take a session (rule sets hold no
personal data; who may read them is the caller's permission check); each write takes the
acting user's context and is attributed and audited here, once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.context import Context
from api.rulesets.schemas import (
    Activation,
    RuleSetChange,
    RuleSetDetail,
    RuleSetDiff,
    RuleSetList,
    RuleSetSummary,
)
from api.storage import rulesets as store
from api.storage.audit import record
from api.storage.tables import AuditRow, RuleSetRow
from features.errors import ConflictError, InvalidInputError
from features.schemas.errors import FieldError
from matching.rules import RuleSet, diff_rulesets

__all__ = [
    "activate",
    "create",
    "decline_activation",
    "diff",
    "list_rulesets",
    "pending_requests",
    "read",
    "recent",
    "request_activation",
    "rules",
]


def _summary(row: RuleSetRow, active: str | None) -> RuleSetSummary:
    return RuleSetSummary(
        version=row.version,
        parent=row.parent,
        author=row.author,
        created_at=row.created_at,
        note=row.note,
        fingerprint=row.fingerprint,
        active=row.version == active,
    )


def list_rulesets(session: Session) -> RuleSetList:
    """Every stored version, oldest first, the active one marked."""
    active = store.active_version(session)
    data = [_summary(row, active) for row in store.list_rulesets(session)]
    return RuleSetList(data=data, count=len(data))


def rules(session: Session, version: str) -> RuleSet:
    """A stored version's rules (404 when there is none)."""
    return store.rules_of(store.get_ruleset(session, version))


def read(session: Session, version: str) -> RuleSetDetail:
    row = store.get_ruleset(session, version)
    summary = _summary(row, store.active_version(session))
    return RuleSetDetail(**summary.model_dump(), rules=row.content)


def diff(session: Session, old: str | RuleSet, new: str | RuleSet) -> RuleSetDiff:
    """What changes from ``old`` to ``new`` (each a stored version or rules being tried)."""
    a, b = (r if isinstance(r, RuleSet) else rules(session, r) for r in (old, new))
    changes = [RuleSetChange(path=p, before=x, after=y) for p, x, y in diff_rulesets(a, b)]
    return RuleSetDiff(source=a.version, target=b.version, changes=changes)


def create(ctx: Context, ruleset: RuleSet, *, note: str, parent: str | None) -> RuleSetSummary:
    """Store a new version (not active yet), its author the acting user; audited."""
    base = parent or store.active_version(ctx.session)
    row = store.add_ruleset(ctx.session, ruleset, author=ctx.actor.name, parent=base, note=note)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="create_ruleset",
           object_type="ruleset", object_id=row.version, ruleset_version=row.version,
           details={"parent": base, "fingerprint": row.fingerprint})  # fmt: skip
    ctx.session.commit()
    return _summary(row, store.active_version(ctx.session))


def _why(note: str) -> str:
    """A request or a decision says why: three letters at least."""
    if len(note.strip()) < 3:
        raise InvalidInputError([FieldError("note", "write why (3 characters at least)",
                                            "string_too_short", {"min_length": 3})])  # fmt: skip
    return note.strip()


def request_activation(ctx: Context, version: str, note: str) -> None:
    """An analyst asks an admin to activate a version, saying why: an audited request, no
    change yet. It stays pending until the version is activated or the request declined."""
    store.get_ruleset(ctx.session, version)
    if version == store.active_version(ctx.session):
        raise ConflictError(f"rule set {version!r} is already in use")
    if any(r.object_id == version and r.actor == ctx.actor.name
           for r in pending_requests(ctx.session)):  # fmt: skip
        raise ConflictError(f"you have already asked for {version!r}; it waits for a decision")
    note = _why(note)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="request_activation",
           object_type="ruleset", object_id=version, details={"note": note})  # fmt: skip
    ctx.session.commit()


def activate(ctx: Context, version: str, note: str = "") -> Activation:
    """Make ``version`` the one every match uses (audited in the storage's one place, with
    the activator's note)."""
    previous = store.activate(
        ctx.session, version, actor=ctx.actor.name, role=ctx.actor.role, note=note.strip()
    )
    ctx.session.commit()
    return Activation(active=version, previous=previous)


def decline_activation(ctx: Context, version: str, note: str) -> None:
    """An admin declines the pending requests to activate ``version``, saying why (audited);
    they leave the pending list."""
    store.get_ruleset(ctx.session, version)
    note = _why(note)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="decline_activation",
           object_type="ruleset", object_id=version, details={"note": note})  # fmt: skip
    ctx.session.commit()


def pending_requests(session: Session, n: int = 20) -> list[AuditRow]:
    """Requests to activate a version not yet decided: neither activated nor declined since
    they were made (and the version not the active one), newest first."""
    decided = select(AuditRow.object_id, AuditRow.id).where(
        AuditRow.action.in_(("activate_ruleset", "decline_activation"))
    )
    latest: dict[str | None, int] = {}
    for version, row_id in session.execute(decided):
        latest[version] = max(latest.get(version, 0), row_id)
    active = store.active_version(session)
    asked = session.scalars(
        select(AuditRow).where(AuditRow.action == "request_activation").order_by(AuditRow.id.desc())
    )
    return [
        row for row in asked
        if row.object_id != active and row.id > latest.get(row.object_id, 0)
    ][:n]  # fmt: skip


def recent(session: Session, action: str, n: int = 10) -> list[AuditRow]:
    """The newest ``n`` audit rows of an action on rule sets (activation requests, activations):
    who asked or approved, and why."""
    return list(
        session.scalars(
            select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id.desc()).limit(n)
        ).all()
    )
