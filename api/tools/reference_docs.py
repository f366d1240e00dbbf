"""The docs site's reference pages, written from the code they describe, so that they cannot
drift: the settings (pydantic-settings), the command line (Typer) and the HTTP API's operations
(the OpenAPI document). ``python -m api.tools.reference_docs`` rewrites ``docs/reference/``; a
test fails when a committed page differs from what the code gives now."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

__all__ = ["api_page", "cli_page", "pages", "settings_page"]

HEADER = (
    "<!-- Written by `python -m api.tools.reference_docs` from the code: do not edit by hand. -->"
    "\n\n"
)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def settings_page() -> str:
    from pydantic_core import PydanticUndefined

    from api.core.settings import Settings

    rows = []
    for name, field in Settings.model_fields.items():
        if field.default_factory is not None:
            default = "(computed)"
        elif field.default is PydanticUndefined or field.default is None:
            default = ""
        else:
            default = f"`{getattr(field.default, 'value', field.default)}`"
        variable = "DATABASE_URL" if name == "database_url" else f"TASMA_{name.upper()}"
        rows.append(f"| `{variable}` | {default} | {_cell(field.description or '')} |")
    return (
        HEADER
        + "# Settings\n\nEvery setting is read from the environment (`TASMA_…`; the database from "
        "`DATABASE_URL`). Outside local use, unsafe defaults are refused at start.\n\n"
        + "| Variable | Default | What it does |\n|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Every command under a Typer group (Typer carries its own click: read by shape)."""
    found: list[tuple[str, Any]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found += _commands(command, path)
        else:
            found.append((path, command))
    return found


def cli_page() -> str:
    from api.cli import app

    root = typer.main.get_command(app)
    parts = [HEADER, "# Command line\n\nEvery `tasma` command, with its arguments and options.\n"]
    for path, command in _commands(root, "tasma"):
        parts.append(f"\n## `{path}`\n\n{(command.help or '').strip()}\n")
        rows = []
        for param in command.params:
            if param.param_type_name == "option":
                names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
                default = param.default if param.show_default is not False else None
                shown = "" if default in (None, False, ()) else f" (default `{default}`)"
                help_text = _cell(getattr(param, "help", "") or "")
                rows.append(f"| {names} | {help_text}{_cell(shown)} |")
            elif param.param_type_name == "argument":
                help_text = _cell(getattr(param, "help", "") or "")
                name = (param.name or "").upper()
                rows.append(f"| `{name}` | {help_text} |")
        if rows:
            parts.append("\n| Argument or option | Meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
    return "".join(parts)


def api_page() -> str:
    from api.app import create_app
    from api.core.settings import Environment, Settings

    app = create_app(
        Settings(
            database_url="sqlite://",
            environment=Environment.TEST,
            demo_on_empty=False,
            warm_index=False,
        )
    )
    spec: dict[str, Any] = app.openapi()
    rows = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            ok = next((c for c in operation.get("responses", {}) if c.startswith("2")), "")
            tags = ", ".join(operation.get("tags", []))
            rows.append(
                f"| `{method.upper()} {path}` | {_cell(operation.get('summary', ''))} | {tags} "
                f"| {ok} |"
            )
    return (
        HEADER
        + "# HTTP API operations\n\nEvery operation of the OpenAPI document (a running service "
        "serves it whole at `/openapi.json` and as an interactive page at `/docs`). Who may call "
        "each, and what it answers, is in [The HTTP API](../integrators/api.md).\n\n"
        + "| Operation | What it does | Tag | Success |\n|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def pages() -> dict[str, str]:
    """File name in ``docs/reference/`` → its content."""
    return {"settings.md": settings_page(), "cli.md": cli_page(), "api.md": api_page()}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/reference")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
