"""Request and response bodies about users, tokens, health and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from api.core.security import Role as UserRole
from features.schemas.common import EmailAddress, PersonName, PhoneNumber, StrictModel

__all__ = [
    "USER_NAME",
    "AuditEntry",
    "AuditPage",
    "Health",
    "Me",
    "RoleChange",
    "StaffContact",
    "TokenPublic",
    "TokenRequest",
    "UserCreate",
    "UserCreated",
]


USER_NAME = r"^[a-z0-9][a-z0-9._-]{1,63}$"
"""A login name: lower-case letters, digits, dots, dashes and underscores (2–64)."""


class UserCreate(StrictModel):
    name: str = Field(pattern=USER_NAME)
    role: UserRole
    area: str | None = Field(default=None, max_length=64)
    password: str | None = Field(default=None, min_length=10, max_length=200)


class RoleChange(StrictModel):
    role: UserRole
    area: str | None = Field(
        default=None, max_length=64, description="Needed by the coordinators; others have none."
    )


class TokenRequest(StrictModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class Health(BaseModel):
    status: str = Field(description="ok")


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"


class StaffContact(StrictModel):
    """How a client or an employer reaches a member of staff: the name they read (on the
    printed client plan, for one) and a work phone and e-mail. The login name is the
    service's own and never printed."""

    display_name: PersonName = Field(description="e.g. 'Maija Meikäläinen'")
    work_phone: PhoneNumber | None = None
    work_email: EmailAddress | None = None


class Me(BaseModel):
    name: str
    role: str
    area: str | None = None
    contact: StaffContact | None = Field(
        default=None, description="One's name and work contact details for clients, once set."
    )


class UserCreated(BaseModel):
    id: int
    token: str = Field(description="Shown once; only its hash is stored.")


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    object_type: str
    object_id: str | None = None
    purpose: str = ""
    ruleset_version: str | None = None
    details: dict[str, Any]


class AuditPage(BaseModel):
    """The newest entries first; ``count`` is how many match in all."""

    data: list[AuditEntry]
    count: int
