"""``tasma batch``, ``tasma news``, ``tasma what-if``, ``tasma hand-over-options`` and
``tasma clearing``: the whole pool's answers, through the same application services as the
API and the web UI (the acting user's role and area apply; every answer is audited)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from api.cli.context import AsOption, acting
from api.core.security import Permission
from api.core.settings import Settings
from api.market import service as market
from features.errors import InvalidInputError
from features.i18n import LANGUAGES
from features.schemas.errors import FieldError
from matching.clearing import ClearingObjective

__all__ = ["register"]

LangOption = Annotated[str, typer.Option(help="Language of the sentences: fi or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")]


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInputError([FieldError("lang", f"must be one of {', '.join(LANGUAGES)}")])
    return lang


def _json(answer: BaseModel) -> None:
    typer.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))


def register(app: typer.Typer, friendly: Any) -> None:
    """Add the whole-pool commands to ``app``, wrapped by the CLI's error handler."""

    @app.command("batch")
    @friendly
    def batch(
        user: AsOption,
        scheduler: Annotated[
            str | None,
            typer.Option(
                help="A Dask scheduler's address (default: TASMA_DASK_SCHEDULER, or "
                "a local cluster)."
            ),
        ] = None,
        workers: Annotated[
            int | None, typer.Option(min=1, max=256, help="Local cluster's worker processes.")
        ] = None,
        output: Annotated[
            Path | None, typer.Option(help="Write the run here (default: the batch folder).")
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Match every matchable person against every task the active rules allow, top 20
        each way, and store the run as Parquet (with a progress bar)."""
        with acting(user, Permission.RUN_BATCH) as ctx:
            info = market.run_now(
                ctx,
                Settings(),
                workers=workers,
                scheduler=scheduler,
                output=output,
                progress=not as_json,
            )
        if as_json:
            _json(info)
            return
        typer.echo(
            f"run {info.run_id}: {info.people} people × {info.tasks} tasks, "
            f"{info.pairs_scored:,} pairs scored of {info.pairs_before_pruning:,}, "
            f"{info.seconds:g} s on {info.workers} workers ({info.scheduler})"
        )

    @app.command("news")
    @friendly
    def news(
        person: Annotated[int, typer.Argument(help="The jobseeker's id.")],
        user: AsOption,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """A person's good matches gained and lost since the run before the latest."""
        with acting(user, Permission.MATCH_PERSON) as ctx:
            answer = market.person_news(ctx, person, _lang(lang))
        if as_json:
            _json(answer)
            return
        typer.echo(answer.summary)
        for sign, tasks in (("+", answer.new), ("-", answer.lost)):
            for task in tasks:
                typer.echo(f"  {sign} task {task.task_id}: {task.title}, {task.municipality}")

    @app.command("what-if")
    @friendly
    def what_if(
        user: AsOption,
        task: Annotated[int | None, typer.Argument(help="The task's id.")] = None,
        role: Annotated[
            int | None, typer.Option(help="Every task of this role the rules suggest, instead.")
        ] = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """How many more people could do a task (or each of a role's tasks) with each change
        the employer could make."""
        if (task is None) == (role is None):
            raise InvalidInputError([FieldError("task", "give a task id or --role, not both")])
        with acting(user, Permission.READ_MARKET) as ctx:
            if role is not None:
                answers = market.role_what_if(ctx, role, _lang(lang))
            else:
                answers = [market.task_what_if(ctx, task or 0, _lang(lang))]
        if as_json:
            data = [a.model_dump(mode="json") for a in answers]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for answer in answers:
            typer.echo(
                f"task {answer.task_id}: {answer.title} — {answer.fit_now} fit now "
                f"of {answer.in_reach} within reach"
            )
            for variant in answer.variants:
                if variant.more:
                    typer.echo(f"  {variant.sentence}")

    @app.command("hand-over-options")
    @friendly
    def hand_over_options(
        role: Annotated[int, typer.Argument(help="The role's id.")],
        user: AsOption,
        as_json: JsonOption = False,
    ) -> None:
        """The role's core tasks, with how many in the pool could take each over."""
        with acting(user, Permission.READ_MARKET) as ctx:
            answer = market.role_hand_over_options(ctx, role)
        if as_json:
            _json(answer)
            return
        for option in answer.data:
            typer.echo(
                f"{option.people:>6} ({option.assessed} fully assessed)  "
                f"task {option.task_id}: {option.title}"
            )

    @app.command("clearing")
    @friendly
    def clearing(
        user: AsOption,
        objective: Annotated[
            ClearingObjective,
            typer.Option(help="score: the most total score; people: the most people, then score."),
        ] = ClearingObjective.SCORE,
        as_json: JsonOption = False,
    ) -> None:
        """This week's suggestions for your area, everyone's lists cleared together, beside
        each client in turn taking their best free task."""
        with acting(user, Permission.CLEAR_MARKET) as ctx:
            answer = market.clearing(ctx, objective)
        if as_json:
            _json(answer)
            return
        typer.echo(
            f"{answer.area}: {answer.people} people, {answer.tasks} tasks, score "
            f"{answer.total:.1f} ({'optimal' if answer.optimal else 'best found in time'}); "
            f"each in turn: {answer.greedy_people} people, score {answer.greedy_total:.1f}"
        )
        for s in answer.data:
            typer.echo(
                f"  {s.code}: {', '.join(s.titles)} ({s.hours:g} h, employer {s.employer_id})"
            )
