"""two coordinator roles as the service paths have them: the work-ability coordinator (the
capacity assessment, a physician's statements) and the company coordinator (employers and the
match); a person's responsible work-ability coordinator; a physician's statement's reference

Existing coordinators become company coordinators: they keep every match, proposal and
person they had, and lose only the writing of a physician's statements, which an admin gives
back by making them work-ability coordinators (``tasma users set-role``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_users = sa.table("app_user", sa.column("role", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column("role", type_=sa.String(32), existing_type=sa.String(16))
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce a VARCHAR's length
        # Widening rewrites no row, so the audit trail's append-only triggers do not object.
        op.alter_column("audit_event", "role", existing_type=sa.String(16), type_=sa.String(32))
    op.execute(
        _users.update().where(_users.c.role == "coordinator").values(role="company_coordinator")
    )
    with op.batch_alter_table("jobseeker") as batch:
        batch.add_column(sa.Column("work_ability_coordinator", sa.String(64), nullable=True))
        batch.create_index(
            batch.f("ix_jobseeker_work_ability_coordinator"), ["work_ability_coordinator"]
        )
    with op.batch_alter_table("capacity") as batch:
        batch.add_column(sa.Column("reference", sa.String(120), nullable=True))
        batch.create_check_constraint(
            op.f("ck_capacity_reference_physician"),
            "reference IS NULL OR source = 'physician'",
        )


def downgrade() -> None:
    with op.batch_alter_table("capacity") as batch:
        batch.drop_constraint(op.f("ck_capacity_reference_physician"), type_="check")
        batch.drop_column("reference")
    with op.batch_alter_table("jobseeker") as batch:
        batch.drop_index(batch.f("ix_jobseeker_work_ability_coordinator"))
        batch.drop_column("work_ability_coordinator")
    op.execute(
        _users.update()
        .where(_users.c.role.in_(["company_coordinator", "work_ability_coordinator"]))
        .values(role="coordinator")
    )
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column("role", type_=sa.String(16), existing_type=sa.String(32))
    # audit_event.role stays wide: the trail is history, its rows cannot be rewritten, and it
    # may name the new roles.
