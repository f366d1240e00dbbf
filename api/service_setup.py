"""Preparing a database for the service: demo data and demo users on an empty local database,
and adding users with a token (``tasma users add``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.audit import record
from api.security import Role, hash_password, hash_token, new_token
from api.storage.bulk import is_empty, load_tables
from api.storage.engine import transaction
from api.storage.tables import JobseekerRow, TokenRow, UserRow
from features.demo import build_world
from features.errors import ConflictError

__all__ = ["add_user", "demo_users", "seed_demo"]


def add_user(
    session: Session,
    *,
    name: str,
    role: Role,
    area: str | None = None,
    password: str | None = None,
    days: int = 30,
    actor: str = "cli",
) -> str:
    """Create a user and return a new bearer token (shown once; only its hash is stored)."""
    if session.scalar(select(UserRow.id).where(UserRow.name == name)):
        raise ConflictError(f"a user named {name!r} exists")
    user = UserRow(
        name=name,
        role=role.value,
        area=area,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    token = new_token()
    session.add(
        TokenRow(
            user_id=user.id,
            token_hash=hash_token(token),
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    record(
        session,
        actor=actor,
        role="admin",
        action="create_user",
        object_type="user",
        object_id=user.id,
        details={"role": role.value},
    )
    session.flush()
    return token


def seed_demo(engine: Engine, size: str = "small", seed: int = 7) -> dict[str, object] | None:
    """Build the demo world into an empty database; None if it already holds data."""
    if not is_empty(engine):
        return None
    world = build_world(size, seed=seed)
    load_tables(engine, world.tables)
    return world.summary()


def demo_users(engine: Engine) -> dict[str, str]:
    """A demo user per role (the coordinator for the busiest area), each with a fresh token."""
    tokens: dict[str, str] = {}
    with transaction(engine) as session:
        areas = Counter(session.scalars(select(JobseekerRow.area)).all())
        busiest = areas.most_common(1)[0][0] if areas else None
        for role, name, area in (
            (Role.COORDINATOR, "demo.coordinator", busiest),
            (Role.REKRYPISTE, "demo.rekrypiste", None),
            (Role.ANALYST, "demo.analyst", None),
            (Role.ADMIN, "demo.admin", None),
        ):
            existing = session.scalar(select(UserRow).where(UserRow.name == name))
            if existing is None:
                tokens[name] = add_user(
                    session,
                    name=name,
                    role=role,
                    area=area,
                    password="demo-" + role.value,
                    actor="tasma serve",
                )
            else:
                token = new_token()
                session.add(
                    TokenRow(
                        user_id=existing.id,
                        token_hash=hash_token(token),
                        expires_at=datetime.now(UTC) + timedelta(days=1),
                    )
                )
                tokens[name] = token
    return tokens
