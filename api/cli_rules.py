"""`tasma rules`: rule sets as versioned data, from the command line.

    tasma rules list | show V | diff A B | validate FILE | import FILE --note N | export V |
    activate V

The command line acts with the database's own rights (like an admin): activation is audited
with the actor ``cli``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.storage import rulesets
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from features.errors import InvalidInputError
from features.schemas.errors import FieldError
from matching.rules import RuleSet, diff_rulesets, load_ruleset, ruleset_yaml

__all__ = ["register"]

ParentOption = Annotated[
    str | None, typer.Option(help="The version it changes (default: the active one).")
]


def _file(path: Path) -> Path:
    if not path.is_file():
        raise InvalidInputError([FieldError("file", f"no such file: {path}")])
    return path


def _engine() -> Engine:
    engine = make_engine()
    upgrade(engine)
    with transaction(engine) as session:
        rulesets.ensure_default(session)
    return engine


def _resolve(session: Session, ref: str) -> RuleSet:
    """A stored version, or a YAML/JSON file when ``ref`` names one."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
        return load_ruleset(path)
    return rulesets.rules_of(rulesets.get_ruleset(session, ref))


def register(app: typer.Typer, friendly: Any) -> None:
    rules_app = typer.Typer(
        help="Rule sets: versions, differences, activation.", no_args_is_help=True
    )

    @rules_app.command("list")
    @friendly
    def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Every stored version, oldest first; * marks the active one."""
        with transaction(_engine()) as session:
            active = rulesets.active_version(session)
            rows = [
                {
                    "version": r.version,
                    "parent": r.parent,
                    "author": r.author,
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                    "active": r.version == active,
                    "note": r.note,
                }
                for r in rulesets.list_rulesets(session)
            ]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            mark = "*" if r["active"] else " "
            parent = f" <- {r['parent']}" if r["parent"] else ""
            typer.echo(
                f"{mark} {r['version']}{parent}  {r['created_at']}  {r['author']}: {r['note']}"
            )

    @rules_app.command("show")
    @friendly
    def show(version: Annotated[str, typer.Argument(help="A stored version.")]) -> None:
        """A stored version as YAML."""
        with transaction(_engine()) as session:
            typer.echo(ruleset_yaml(_resolve(session, version)), nl=False)

    @rules_app.command("export")
    @friendly
    def export(
        version: Annotated[str, typer.Argument(help="A stored version.")],
        output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    ) -> None:
        """A stored version as a YAML file for version control."""
        with transaction(_engine()) as session:
            text = ruleset_yaml(rulesets.rules_of(rulesets.get_ruleset(session, version)))
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"rule set {version} written to {output}")

    @rules_app.command("diff")
    @friendly
    def diff(
        old: Annotated[str, typer.Argument(help="A stored version or a YAML file.")],
        new: Annotated[str, typer.Argument(help="A stored version or a YAML file.")],
    ) -> None:
        """What changes from OLD to NEW, one setting a line."""
        with transaction(_engine()) as session:
            changes = diff_rulesets(_resolve(session, old), _resolve(session, new))
        if not changes:
            typer.echo("no differences")
        for path, a, b in changes:
            before, after = json.dumps(a, ensure_ascii=False), json.dumps(b, ensure_ascii=False)
            typer.echo(f"{path}: {before} -> {after}")

    @rules_app.command("validate")
    @friendly
    def validate(file: Annotated[Path, typer.Argument(help="A YAML or JSON rule set.")]) -> None:
        """Check a rule-set file; every problem is printed with its field."""
        rules = load_ruleset(_file(file))
        typer.echo(f"valid: {rules.version} (fingerprint {rules.fingerprint()})")

    @rules_app.command("import")
    @friendly
    def import_(
        file: Annotated[Path, typer.Argument(help="A YAML or JSON rule set.")],
        note: Annotated[str, typer.Option(help="What changed and why.")],
        parent: ParentOption = None,
        author: Annotated[str, typer.Option(help="Who wrote it.")] = "cli",
    ) -> None:
        """Store a rule-set file as a new version (not yet active)."""
        if not note.strip():
            raise InvalidInputError([FieldError("note", "say what changed and why")])
        rules = load_ruleset(_file(file))
        with transaction(_engine()) as session:
            base = parent or rulesets.active_version(session)
            rulesets.add_ruleset(session, rules, author=author, parent=base, note=note)
        typer.echo(f"stored {rules.version} (parent {base}); not active yet")
        typer.echo(f"activate with: tasma rules activate {rules.version}")

    @rules_app.command("activate")
    @friendly
    def activate(version: Annotated[str, typer.Argument(help="A stored version.")]) -> None:
        """Make a stored version the one every match uses (audited)."""
        with transaction(_engine()) as session:
            previous = rulesets.activate(session, version, actor="cli", role="admin")
        typer.echo(f"active rule set: {version} (was {previous})")

    app.add_typer(rules_app, name="rules")
