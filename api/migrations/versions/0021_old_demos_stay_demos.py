"""a demo database built before demos were marked (revision 0006) is recognised and marked, so
that its published demo passwords cannot become real log-ins after an upgrade

Recognised by either sign the demo leaves: a user named ``demo.<part>`` whose password is the
published ``demo-<part>`` (that user is marked a demo user, whom ``tasma serve`` switches off on
a database that is not a demo), or people who are all the demo world's made-up ones (every
e-mail at ``client.example``, a domain reserved for examples). Either marks the database a demo,
which a production start refuses. Nothing is unmarked. The downgrade changes nothing: the marks
are data, and 0006's downgrade drops them with their columns.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_DEMO_MAIL = "%@client.example"


def _published_password(name: str, stored: str) -> bool:
    try:
        return PasswordHasher().verify(stored, "demo-" + name.split(".", 1)[1])
    except (VerificationError, InvalidHashError):
        return False


def upgrade() -> None:
    bind = op.get_bind()
    users = bind.execute(
        sa.text(
            "SELECT id, name, password_hash FROM app_user "
            "WHERE name LIKE 'demo.%' AND password_hash IS NOT NULL AND NOT demo"
        )
    ).all()
    demo_users = [uid for uid, name, stored in users if _published_password(name, stored)]
    for uid in demo_users:
        bind.execute(
            sa.text("UPDATE app_user SET demo = :yes WHERE id = :id"), {"yes": True, "id": uid}
        )
    people, made_up = bind.execute(
        sa.text(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN email LIKE :mail THEN 1 ELSE 0 END), 0) "
            "FROM jobseeker_identity"
        ),
        {"mail": _DEMO_MAIL},
    ).one()
    if demo_users or (people and made_up == people):
        bind.execute(sa.text("UPDATE data_version SET demo = :yes"), {"yes": True})


def downgrade() -> None:
    """Nothing to undo: the marks are data, and 0006's downgrade drops them with their
    columns."""
