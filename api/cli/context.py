"""The acting user of a CLI command: the same :class:`Context` a web request gets.

Every command that reads people or changes anything names the user it acts as (``--as`` or
``TASMA_USER``); their role and area apply and the audit names them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import sessionmaker

from api.auth.users import user_by_name
from api.core.context import Context
from api.core.runtime import ForbiddenError, IndexHolder, User
from api.core.security import Permission, Role, allowed, not_allowed
from api.core.settings import Settings
from api.jobs.model_store import load_active_reranker
from api.jobs.run_store import BatchRuns
from api.storage import rulesets
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from features.errors import InvalidInputError
from features.schemas.errors import FieldError
from matching.rules import default_ruleset, load_ruleset

__all__ = ["AsOption", "acting"]

AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        envvar="TASMA_USER",
        help="The user acting (their role and area apply, and the audit names them).",
    ),
]


@contextmanager
def acting(
    user_name: str, permission: Permission, rules_path: Path | None = None
) -> Iterator[Context]:
    """The context of ``user_name`` if their role allows ``permission``: the session, the
    index (the active rule set, or a file being tried) and the active re-ranker (not with a
    file)."""
    rules = None
    if rules_path is not None:
        if not rules_path.is_file():
            raise InvalidInputError([FieldError("rules", f"no such file: {rules_path}")])
        rules = load_ruleset(rules_path)
    settings = Settings()  # read now: a command is one process, its environment is current
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with transaction(engine) as session:
        rulesets.ensure_default(session)
    with sessionmaker(engine, expire_on_commit=False)() as session:
        row = user_by_name(session, user_name)
        if not row.active:
            raise ForbiddenError(f"user {user_name} is switched off")
        user = User(row.id, row.name, Role(row.role), row.area)
        if not allowed(user.role, permission):
            raise ForbiddenError(not_allowed(user.role, permission))
        holder = IndexHolder(
            engine,
            rules or default_ruleset(),
            settings.index_snapshots(),
            follow_active=rules is None,
        )
        reranker = load_active_reranker(settings.models_dir) if rules is None else None
        batch = BatchRuns(settings.batch_folder())
        yield Context(session=session, actor=user, index=holder, reranker=reranker, batch=batch)
    engine.dispose()
