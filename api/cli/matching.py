"""``tasma match``, ``tasma why-not``, ``tasma compose`` and ``tasma bench``.

Load the index from the configured database, delegate to :mod:`matching`, format the answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from pydantic import BaseModel

from api.cli.context import AsOption, acting
from api.core.purposes import Purpose
from api.core.security import Permission
from api.suggestions import service as matching
from api.suggestions.schemas import MatchFilters
from features.errors import InvalidInputError, NotFoundError
from features.i18n import LANGUAGES, gettext_for
from features.numbers import digits
from features.schemas.errors import FieldError
from matching.index import MatchIndex

__all__ = ["register"]

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="Try a rule-set file (YAML/JSON) instead of the active one; the suggestion is "
        "stored with its version and fingerprint.",
    ),
]
LangOption = Annotated[str, typer.Option(help="Language of the explanations: fi or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")]


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInputError([FieldError("lang", f"must be one of {', '.join(LANGUAGES)}")])
    return lang


def _person_id(index: MatchIndex, person: str) -> int:
    """A jobseeker's id, given the id or the pseudonymous code."""
    number = digits(person)
    if number is not None:
        return number
    found = np.flatnonzero(index.people.codes == person.strip().upper())
    if not len(found):
        raise NotFoundError(f"no jobseeker with code {person!r}")
    return int(index.people.ids[found[0]])


def _json(answer: BaseModel | dict[str, Any]) -> None:
    data = answer.model_dump(mode="json") if isinstance(answer, BaseModel) else answer
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _task_label(index: MatchIndex, task_id: int) -> str:
    row = index.tasks.row_of[task_id]
    where = f"employer {index.tasks.employer_ids[row]}, {index.tasks.municipality[row]}"
    return f"task {task_id}: {index.tasks.titles[row]} — {where}"


def _print_bundle(bundle: dict[str, Any], index: MatchIndex, lang: str, who: str) -> None:
    typer.echo(f"{bundle['status']}: {who}")
    for task_id in bundle["task_ids"]:
        row = index.tasks.row_of[task_id]
        hours, where = float(index.tasks.hours[row]), index.tasks.employer_ids[row]
        typer.echo(f"  task {task_id}: {index.tasks.titles[row]}, {hours:g} h, employer {where}")
    for sentence in bundle["sentences"][lang]:
        typer.echo(f"  {sentence}")


def register(app: typer.Typer, friendly: Any) -> None:
    """Add the matching commands to ``app``, wrapped by the CLI's error handler. Each calls the
    same application service as the API and the web UI: the acting user's role and area
    apply, the suggestion is stored and the run audited."""
    match_app = typer.Typer(
        help="Ranked matches with explanations, in either direction.", no_args_is_help=True
    )

    @match_app.command("person")
    @friendly
    def match_person(
        person: Annotated[str, typer.Argument(help="The jobseeker's id or code (JS-…).")],
        user: AsOption,
        k: Annotated[int, typer.Option(help="How many tasks (1–100).")] = 10,
        sector: Annotated[list[str] | None, typer.Option(help="Only these sectors.")] = None,
        municipality: Annotated[list[str] | None, typer.Option(help="Only here.")] = None,
        employer: Annotated[list[int] | None, typer.Option(help="Only these employers.")] = None,
        radius: Annotated[float | None, typer.Option(help="Only within this many km.")] = None,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """The best hand-over tasks for a jobseeker, each with its explanation."""
        language = _lang(lang)
        filters = MatchFilters(k=k, sector=sector, municipality=municipality,
                               employer_id=employer, radius_km=radius)  # fmt: skip
        with acting(user, Permission.MATCH_PERSON, rules) as ctx:
            index = ctx.index.get(ctx.session)
            answer = matching.tasks_for_person(
                ctx, _person_id(index, person), filters, purpose=Purpose.CLI
            )
        if as_json:
            _json(answer)
            return
        if answer.not_matchable_reason:
            typer.echo(answer.not_matchable_text[language])
        typer.echo(
            f"rule set {answer.ruleset_version}: {answer.n_feasible} feasible of "
            f"{answer.n_candidates} candidates (suggestion {answer.suggestion_id})"
        )
        for rank, item in enumerate(answer.items, start=1):
            typer.echo(f"{rank:>3}. {item.total:6.2f}  {_task_label(index, item.task_id)}")
            for sentence in item.explanation["sentences"][language]:
                typer.echo(f"        {sentence}")

    @match_app.command("tasks")
    @friendly
    def match_tasks(
        task_ids: Annotated[list[int], typer.Argument(help="One task id, or several.")],
        user: AsOption,
        k: Annotated[int, typer.Option(help="How many people (1–100).")] = 10,
        area: Annotated[list[str] | None, typer.Option(help="Only people of these areas.")] = None,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """The best candidates for a task (or a set of tasks), by pseudonymous code."""
        language = _lang(lang)
        with acting(user, Permission.MATCH_TASKS, rules) as ctx:
            answer = matching.candidates_for_tasks(ctx, task_ids, k, area)
        if as_json:
            _json(answer)
            return
        typer.echo(
            f"rule set {answer.ruleset_version}: {answer.n_feasible} feasible of "
            f"{answer.n_candidates} candidates (suggestion {answer.suggestion_id})"
        )
        for rank, item in enumerate(answer.items, start=1):
            typer.echo(f"{rank:>3}. {item.total:6.2f}  {item.code}")
            for task in item.tasks:
                typer.echo(f"        [task {task['task_id']}] {task['fit'][language]}")

    app.add_typer(match_app, name="match")

    @app.command("why-not")
    @friendly
    def why_not_command(
        person: Annotated[str, typer.Option(help="The jobseeker's id or code.")],
        task: Annotated[int, typer.Option(help="The task's id.")],
        user: AsOption,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """Why a task is not suggested to a person, and the smallest change that would fit."""
        language = _lang(lang)
        with acting(user, Permission.MATCH_PERSON, rules) as ctx:
            index = ctx.index.get(ctx.session)
            answer = matching.why_not(ctx, _person_id(index, person), task)
        if as_json:
            _json(answer)
            return
        for sentence in answer.explanation["sentences"][language]:
            typer.echo(sentence)
        if answer.relaxations:
            _ = gettext_for(language)
            typer.echo(_("The smallest change that would make it fit:"))
            for r in answer.relaxations:
                typer.echo(f"  - {r['text'][language]}")

    @app.command()
    @friendly
    def compose(
        user: AsOption,
        person: Annotated[str | None, typer.Option(help="Compose for this jobseeker.")] = None,
        employer: Annotated[list[int] | None, typer.Option(help="Employer id(s).")] = None,
        radius: Annotated[float | None, typer.Option(help="Or every employer within km.")] = None,
        k: Annotated[int, typer.Option(help="Candidates, when composing for an employer.")] = 5,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """A tailored job: the best bundle of hand-over tasks for a person (at given employers or
        within a radius), or, with only --employer, the best candidates each with a bundle."""
        language = _lang(lang)
        if person is None and not (employer and len(employer) == 1):
            raise InvalidInputError([FieldError("person", "give --person, or one --employer")])
        permission = Permission.MATCH_PERSON if person is not None else Permission.COMPOSE
        with acting(user, permission, rules) as ctx:
            index = ctx.index.get(ctx.session)
            if person is not None:
                mine = matching.compose_job_for_person(
                    ctx, _person_id(index, person), employer_ids=employer, radius_km=radius
                )
                if as_json:
                    _json(mine)
                    return
                _print_bundle(mine.bundle, index, language, person)
                return
            assert employer is not None
            theirs = matching.compose_for_employer_tasks(ctx, employer[0], k)
        if as_json:
            _json(theirs)
            return
        for item in theirs.items:
            _print_bundle(item, index, language, item["code"])

    @app.command()
    def bench(
        size: Annotated[str, typer.Option(help="Demo world size.")] = "large",
        queries: Annotated[int, typer.Option(min=10, max=2000, help="Queries per figure.")] = 200,
        as_json: JsonOption = False,
    ) -> None:
        """Benchmark the matcher on an in-memory demo world (latencies, speed-up, memory)."""
        from api.tools.bench import bench_matching, print_matching

        result = bench_matching(size, queries)
        typer.echo(json.dumps(result)) if as_json else print_matching(result)
