"""Run the Alembic migrations shipped inside the package."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade",
    "grant_app_role",
    "head_revision",
    "upgrade",
]

_SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(engine: Engine, role: str) -> None:
    """PostgreSQL: let ``role`` (the service's login) use the data, but the audit trail only
    to read and append — no UPDATE, DELETE or TRUNCATE, and, not being the tables' owner, no
    way to disable or drop their triggers. It purges through ``tasma_audit_purge``, which
    runs as the owner. Run as the owner after every migration (``tasma migrate --app-role``)."""
    if engine.dialect.name != "postgresql":
        raise ValueError("separate database roles are a PostgreSQL feature")
    if not _ROLE.match(role):
        raise ValueError(f"not a plain role name: {role!r}")
    statements = [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_event FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_purge FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
        f'GRANT EXECUTE ON FUNCTION tasma_audit_purge(integer, text) TO "{role}"',
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
