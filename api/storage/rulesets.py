"""Rule sets as versioned data: stored immutably with author, time, parent and note; one is
active (the choice lives beside the data version, so every worker sees a change at its next
query)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.storage.audit import record
from api.storage.tables import DataVersionRow, RuleSetRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.errors import FieldError
from matching.rules import RuleSet, default_ruleset, parse_ruleset

__all__ = [
    "activate",
    "active_ruleset",
    "active_version",
    "add_ruleset",
    "ensure_default",
    "get_ruleset",
    "list_rulesets",
    "rules_of",
]


def rules_of(row: RuleSetRow) -> RuleSet:
    return parse_ruleset(row.content)


def add_ruleset(
    session: Session, rules: RuleSet, *, author: str, parent: str | None, note: str
) -> RuleSetRow:
    """Store a new version (never replaces one: a change is a new version)."""
    if session.get(RuleSetRow, rules.version) is not None:
        raise ConflictError(f"rule set {rules.version!r} exists; give the change a new version")
    if parent is not None and session.get(RuleSetRow, parent) is None:
        raise InvalidInputError([FieldError("parent", f"no rule set {parent!r}")])
    row = RuleSetRow(
        version=rules.version,
        parent=parent,
        author=author,
        note=note,
        fingerprint=rules.fingerprint(),
        content=rules.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    return row


def get_ruleset(session: Session, version: str) -> RuleSetRow:
    row = session.get(RuleSetRow, version)
    if row is None:
        raise NotFoundError(f"no rule set {version!r}")
    return row


def list_rulesets(session: Session) -> list[RuleSetRow]:
    return list(session.scalars(select(RuleSetRow).order_by(RuleSetRow.created_at)))


def active_version(session: Session) -> str | None:
    return session.scalar(select(DataVersionRow.active_ruleset).where(DataVersionRow.id == 1))


def active_ruleset(session: Session) -> RuleSet:
    """The active rule set; the shipped default while none is stored."""
    version = active_version(session)
    return rules_of(get_ruleset(session, version)) if version else default_ruleset()


def activate(
    session: Session, version: str, *, actor: str, role: str, note: str = ""
) -> str | None:
    """Make ``version`` the active rule set (audited, with the activator's note); returns
    the one it replaces."""
    get_ruleset(session, version)
    previous = active_version(session)
    session.execute(
        update(DataVersionRow).where(DataVersionRow.id == 1).values(active_ruleset=version)
    )
    record(
        session,
        actor=actor,
        role=role,
        action="activate_ruleset",
        object_type="ruleset",
        object_id=version,
        ruleset_version=version,
        details={"previous": previous, **({"note": note} if note else {})},
    )
    return previous


def ensure_default(session: Session) -> None:
    """Store the shipped default when this version of it is not stored yet, and activate it
    when no rule set is active. An upgrade that ships a new default stores it beside the
    active one and changes nothing that matches: analysts compare it and activate it."""
    rules = default_ruleset()
    stored = session.scalar(select(RuleSetRow.version).where(RuleSetRow.version == rules.version))
    if stored is None:
        add_ruleset(session, rules, author="system", parent=None, note="the shipped default")
    if active_version(session) is None:
        activate(session, rules.version, actor="system", role="admin")
