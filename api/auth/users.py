"""Switching users off and ending their tokens (API and CLI alike), audited."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.auth.schemas import StaffContact
from api.core.runtime import ForbiddenError
from api.core.security import Role
from api.storage.audit import record
from api.storage.engine import rows_affected
from api.storage.tables import TokenRow, UserRow
from features.errors import InvalidInputError, NotFoundError
from features.schemas.errors import FieldError

__all__ = [
    "change_role",
    "colleagues",
    "contact_of",
    "create_user",
    "deactivate",
    "deactivate_user",
    "end_all_tokens",
    "end_tokens",
    "log_out",
    "revoke_all",
    "revoke_token",
    "set_contact",
    "set_role",
    "staff_contacts",
    "user_by_name",
]


def user_by_name(session: Session, name: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise NotFoundError(f"no user named {name!r}")
    return row


def colleagues(session: Session, *, area: str, role: Role) -> list[str]:
    """The names of the area's active users of ``role``, in order (whom a person can be given
    to as their responsible coordinator)."""
    return list(
        session.scalars(
            select(UserRow.name)
            .where(UserRow.area == area, UserRow.role == role.value, UserRow.active)
            .order_by(UserRow.name)
        )
    )


def contact_of(row: UserRow) -> StaffContact | None:
    """The user's name and work contact details for clients, or none before they are set."""
    if not row.display_name:
        return None
    return StaffContact.model_construct(display_name=row.display_name,  # as stored
                                        work_phone=row.work_phone or None,
                                        work_email=row.work_email or None)  # fmt: skip


def staff_contacts(session: Session, names: list[str]) -> dict[str, StaffContact]:
    """The name and work contact details of each of ``names`` (login names) that has set
    them; the others are not in it."""
    rows = session.scalars(select(UserRow).where(UserRow.name.in_(names)))
    return {row.name: found for row in rows if (found := contact_of(row)) is not None}


def end_tokens(session: Session, user_id: int) -> int:
    """End every live token of a user now; how many there were."""
    now = datetime.now(UTC)
    return rows_affected(
        session.execute(
            update(TokenRow)
            .where(TokenRow.user_id == user_id, TokenRow.expires_at > now)
            .values(expires_at=now)
        )
    )


def deactivate_user(session: Session, row: UserRow, *, actor: str, role: str, why: str) -> int:
    """Switch a user off (they can no longer log in) and end their tokens; commits by the
    caller. Returns how many tokens were ended."""
    row.active = False
    ended = end_tokens(session, row.id)
    record(session, actor=actor, role=role, action="deactivate_user", object_type="user",
           object_id=row.id, details={"why": why, "tokens_ended": ended})  # fmt: skip
    return ended


def revoke_all(session: Session, row: UserRow, *, actor: str, role: str) -> int:
    """End every token of a user (a lost laptop), audited; how many were live."""
    ended = end_tokens(session, row.id)
    record(session, actor=actor, role=role, action="revoke_tokens", object_type="user",
           object_id=row.id, details={"tokens_ended": ended})  # fmt: skip
    return ended


def revoke_token(session: Session, token_hash: str, *, actor: str, role: str) -> None:
    """End one token (logging out of the API)."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash))
    if row is None:
        raise NotFoundError("no such token")
    row.expires_at = min(row.expires_at, datetime.now(UTC))
    record(session, actor=actor, role=role, action="revoke_token", object_type="user",
           object_id=row.user_id)  # fmt: skip


def set_role(
    session: Session, row: UserRow, role: Role, area: str | None, *, actor: str, actor_role: str
) -> None:
    """Give a user another role (and area), audited; commits by the caller. A coordinator of
    either kind needs an area; other roles have none. Takes effect on their next request.

    Nobody changes their own role: an admin who could make itself a coordinator of any area
    would read health data in one unwitnessed call. Another admin must do it (or the operator
    at the server, ``tasma users set-role``)."""
    if row.name == actor:
        raise ForbiddenError("you cannot change your own role; another admin must")
    if role.is_coordinator and not area:
        raise InvalidInputError(
            [FieldError("area", "a coordinator needs an area (the team whose people they see)")]
        )
    before = {"role": row.role, "area": row.area}
    row.role, row.area = role.value, area if role.is_coordinator else None
    after = {"role": row.role, "area": row.area}
    record(session, actor=actor, role=actor_role, action="set_role", object_type="user",
           object_id=row.id, details={"before": before, "after": after})  # fmt: skip


# --- the use cases: each looks the user up, acts, audits and commits --------------------------


def deactivate(session: Session, name: str, *, actor: str, role: str, why: str) -> int:
    """Switch the named user off and end their tokens; how many tokens ended. Commits."""
    ended = deactivate_user(session, user_by_name(session, name), actor=actor, role=role, why=why)
    session.commit()
    return ended


def change_role(
    session: Session, name: str, role: Role, area: str | None, *, actor: str, actor_role: str
) -> None:
    """Give the named user another role and area (see :func:`set_role`). Commits."""
    set_role(session, user_by_name(session, name), role, area, actor=actor, actor_role=actor_role)
    session.commit()


def set_contact(
    session: Session, name: str, contact: StaffContact, *, actor: str, role: str
) -> None:
    """Set the named user's name and work contact details for clients (one's own, or an
    admin's for anyone). Audited by which fields changed, never their values. Commits."""
    row = user_by_name(session, name)
    after = {"display_name": contact.display_name, "work_phone": contact.work_phone or "",
             "work_email": contact.work_email or ""}  # fmt: skip
    changed = sorted(field for field, value in after.items() if getattr(row, field) != value)
    for field, value in after.items():
        setattr(row, field, value)
    record(session, actor=actor, role=role, action="set_staff_contact", object_type="user",
           object_id=row.id, details={"changed": changed})  # fmt: skip
    session.commit()


def end_all_tokens(session: Session, name: str, *, actor: str, role: str) -> int:
    """End every token of the named user (a lost laptop); how many were live. Commits."""
    ended = revoke_all(session, user_by_name(session, name), actor=actor, role=role)
    session.commit()
    return ended


def log_out(session: Session, token_hash: str) -> None:
    """End the token now (API and web alike), audited as its user. An unknown token is no
    error: there is nothing left to end. Commits."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash))
    if row is None:
        return
    user = session.get(UserRow, row.user_id)
    revoke_token(session, token_hash, actor=user.name if user else "?",
                 role=user.role if user else "?")  # fmt: skip
    session.commit()


def create_user(
    session: Session,
    *,
    name: str,
    role: Role,
    area: str | None,
    password: str | None,
    days: int,
    actor: str,
) -> tuple[int, str]:
    """A new user and their first token (shown once): (id, token). Audited. Commits."""
    from api.auth.setup import add_user

    token = add_user(session, name=name, role=role, area=area, password=password, days=days,
                     actor=actor)  # fmt: skip
    user_id = session.scalar(select(UserRow.id).where(UserRow.name == name))
    session.commit()
    return int(user_id or 0), token
