"""The ``tasma`` command (Typer): the operator commands in :mod:`api.cli.commands`, the
``--as`` use cases in :mod:`api.cli.matching`, :mod:`api.cli.rules` and :mod:`api.cli.market`,
and how a command acts as a named user in :mod:`api.cli.context`.

``api.cli:main`` is the console script (pyproject.toml); ``python -m api.cli`` runs it too.
"""

from api.cli.commands import app, main

__all__ = ["app", "main"]
