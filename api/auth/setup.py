"""Preparing a database for the service: demo data and demo users only on a database that
``tasma demo`` built and marked as a demo; on any other database, an admin made by ``tasma users
add`` is required and leftover demo users are switched off; adding users with a token."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from api.auth.users import deactivate_user
from api.core.security import Role, hash_password, hash_token, new_token
from api.storage.audit import record
from api.storage.bulk import load_tables, never_used
from api.storage.engine import transaction
from api.storage.tables import DataVersionRow, JobseekerRow, TokenRow, UserRow
from features.demo import build_world
from features.errors import ConflictError, InvalidInputError, TasmaError
from features.schemas.errors import FieldError

__all__ = [
    "DEMO_USERS",
    "RESERVED_NAMES",
    "UnsafeStartError",
    "add_user",
    "demo_users",
    "is_demo",
    "mark_demo",
    "retire_demo_users",
    "seed_demo",
]

DEMO_USERS = {
    "demo.coordinator": Role.COMPANY_COORDINATOR,
    "demo.workability": Role.WORK_ABILITY_COORDINATOR,
    "demo.rekrypiste": Role.REKRYPISTE,
    "demo.analyst": Role.ANALYST,
    "demo.admin": Role.ADMIN,
    "demo.projectmanager": Role.PROJECT_MANAGER,
}
"""A demo user per role; the two coordinators share the busiest area. Password: ``demo-``
and the part after the dot."""
DEMO_CONTACTS = {
    "demo.coordinator": ("Maija Esimerkki", "040 123 4567", "maija.esimerkki@example.fi"),
    "demo.workability": ("Ville Malli", "040 765 4321", "ville.malli@example.fi"),
}
"""The demo coordinators' made-up names and work contact details for clients (the printed
plan names them); the other demo users have not set theirs, as a new user has not."""
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class UnsafeStartError(TasmaError):
    """The service must not start this way; the message says what to do instead."""


RESERVED_NAMES = frozenset({"system", "cli"})
"""Who acts when no user does (the shipped rule set stored and activated, a command run on
the server): never a user's name, so that nothing a user does reads as the service's."""


def add_user(
    session: Session,
    *,
    name: str,
    role: Role,
    area: str | None = None,
    password: str | None = None,
    days: int = 30,
    actor: str = "cli",
    demo: bool = False,
) -> str:
    """Create a user and return a new bearer token (shown once; only its hash is stored).

    A coordinator without an area would see every area's people: refused, whoever asks."""
    if role.is_coordinator and not area:
        raise InvalidInputError(
            [FieldError("area", "a coordinator needs an area (the team whose people they see)")]
        )
    if name in RESERVED_NAMES:
        raise InvalidInputError([FieldError(
            "name", f"{name!r} names the service itself in the audit trail; choose another name",
            "reserved_name")])  # fmt: skip
    if session.scalar(select(UserRow.id).where(UserRow.name == name)):
        raise ConflictError(f"a user named {name!r} exists")
    user = UserRow(
        name=name,
        role=role.value,
        area=area,
        password_hash=hash_password(password) if password else None,
        demo=demo,
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
    """Build the demo world into a database nobody has used and mark it a demo; None if it
    holds anything (a user, an audit row, data)."""
    if not never_used(engine):
        return None
    world = build_world(size, seed=seed)
    load_tables(engine, world.tables)
    mark_demo(engine)
    return world.summary()


def mark_demo(engine: Engine) -> None:
    """Mark the database as built from made-up people (``tasma demo``)."""
    with transaction(engine) as session:
        session.execute(update(DataVersionRow).where(DataVersionRow.id == 1).values(demo=True))


def is_demo(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.scalar(select(DataVersionRow.demo).where(DataVersionRow.id == 1)))


def retire_demo_users(engine: Engine) -> list[str]:
    """Switch off demo users on a database that is not a demo (and end their tokens), audited;
    the names switched off."""
    with transaction(engine) as session:
        rows = session.scalars(
            select(UserRow).where(UserRow.demo.is_(True), UserRow.active.is_(True))
        ).all()
        for row in rows:
            deactivate_user(session, row, actor="tasma serve", role="admin", why="demo user")
        return [row.name for row in rows]


def check_start(engine: Engine, *, production: bool, secret_set: bool, host: str) -> None:
    """Refuse a start that would expose people's data: a demo in production, a listener
    beyond this machine without production settings, a real database without an admin."""
    demo = is_demo(engine)
    if production and demo:
        raise UnsafeStartError(
            "this database was built by `tasma demo` (made-up people): not for production"
        )
    if host not in LOOPBACK and not (production and secret_set):
        raise UnsafeStartError(
            f"--host {host} would serve beyond this machine: set TASMA_ENVIRONMENT=production "
            "and TASMA_SECRET_KEY first (or listen on 127.0.0.1)"
        )
    if not demo:
        with engine.connect() as conn:
            admin = conn.scalar(
                select(UserRow.id).where(
                    UserRow.role == Role.ADMIN.value,
                    UserRow.active.is_(True),
                    UserRow.demo.is_(False),
                )
            )
        if admin is None:
            raise UnsafeStartError(
                "this database is not a demo and has no admin: create one first with "
                "`tasma users add NAME --role admin --password` (or build a demo with "
                "`tasma demo` on an empty database)"
            )


DEMO_CASELOAD = {Role.COMPANY_COORDINATOR: 25, Role.WORK_ABILITY_COORDINATOR: 40}
"""How many of the area's people a demo coordinator is responsible for (a company coordinator
knows 20–25 clients; a work-ability coordinator walks alongside more)."""


def _give_caseload(session: Session, name: str, role: Role, area: str) -> None:
    """Make the demo coordinator the responsible one of the first people of the area, so that
    their caseload ("Omat asiakkaat") has people in it."""
    ids = session.scalars(
        select(JobseekerRow.id)
        .where(JobseekerRow.area == area)
        .order_by(JobseekerRow.id)
        .limit(DEMO_CASELOAD[role])
    ).all()
    column = JobseekerRow.responsible(role.value)
    session.execute(update(JobseekerRow).where(JobseekerRow.id.in_(ids)).values({column: name}))


def demo_users(engine: Engine) -> dict[str, str]:
    """On a demo database, a demo user per role (the coordinator for the busiest area), each
    with a fresh day-long token."""
    if not is_demo(engine):
        raise UnsafeStartError("demo users exist only on a database built by `tasma demo`")
    tokens: dict[str, str] = {}
    with transaction(engine) as session:
        areas = Counter(session.scalars(select(JobseekerRow.area)).all())
        busiest = areas.most_common(1)[0][0] if areas else None
        for name, role in DEMO_USERS.items():
            area = busiest if role.is_coordinator else None
            existing = session.scalar(select(UserRow).where(UserRow.name == name))
            if existing is None:
                if role.is_coordinator and busiest is not None:
                    _give_caseload(session, name, role, busiest)
                tokens[name] = add_user(
                    session,
                    name=name,
                    role=role,
                    area=area,
                    password="demo-" + name.split(".")[1],
                    actor="tasma serve",
                    days=1,
                    demo=True,
                )
                if name in DEMO_CONTACTS:
                    added = session.scalars(select(UserRow).where(UserRow.name == name)).one()
                    added.display_name, added.work_phone, added.work_email = DEMO_CONTACTS[name]
            elif existing.demo:
                existing.active = True
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
