"""Employers and their CRM notes. A note's author and time are the service's to record: the
acting user, and now (or an earlier moment of the call being written down, never later)."""

from __future__ import annotations

from api.audit import record
from api.models import NoteCreate
from api.services.context import Context
from api.storage import repository
from features.errors import InvalidInputError
from features.schemas import CrmNote, Employer
from features.schemas.errors import FieldError

__all__ = ["add_note", "create_employer"]


def create_employer(ctx: Context, employer: Employer) -> int:
    if employer.notes:
        raise InvalidInputError([FieldError(
            "employer.notes", "add notes one by one after creating the employer (POST "
            "/employers/{id}/notes): their author and time are recorded by the service"
        )])  # fmt: skip
    new_id = repository.add_employer(ctx.session, employer=employer)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="create_employer",
           object_type="employer", object_id=new_id)  # fmt: skip
    ctx.session.commit()
    return new_id


def add_note(ctx: Context, employer_id: int, body: NoteCreate) -> int:
    at = body.at or ctx.now
    if at > ctx.now:
        raise InvalidInputError([FieldError("at", "is in the future")])
    note = CrmNote(at=at, author=ctx.actor.name, channel=body.channel, text=body.text,
                   needs=body.needs)  # fmt: skip
    new_id = repository.add_note(ctx.session, employer_id=employer_id, note=note)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="add_note",
           object_type="employer", object_id=employer_id)  # fmt: skip
    ctx.session.commit()
    return new_id
