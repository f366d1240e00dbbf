"""``tasma match``, ``tasma why-not``, ``tasma compose`` and ``tasma bench``.

Load the index from the configured database, delegate to :mod:`matching`, format the answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from api.storage.engine import make_engine, transaction
from api.storage.loading import load_index
from api.storage.migrate import upgrade
from api.storage.rulesets import active_ruleset
from features.errors import InvalidInputError, NotFoundError
from features.schemas.errors import FieldError
from matching.composer import Bundle, compose_for_employer, compose_for_person
from matching.explain import explain
from matching.index import MatchIndex
from matching.ranking import Ranked, rank_people_for_tasks, rank_tasks_for_person
from matching.rules import RuleSet, load_ruleset
from matching.whynot import why_not

__all__ = ["register"]

RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="A rule-set file (YAML/JSON); the active one if omitted."),
]
LangOption = Annotated[str, typer.Option(help="Language of the explanations: fi or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")]


def _rules(path: Path | None) -> RuleSet:
    """The rule set in ``path``, else the database's active one."""
    if path is None:
        engine = make_engine()
        upgrade(engine)
        with transaction(engine) as session:
            return active_ruleset(session)
    if not path.is_file():
        raise InvalidInputError([FieldError("rules", f"no such file: {path}")])
    return load_ruleset(path)


def _lang(lang: str) -> str:
    if lang not in ("fi", "en"):
        raise InvalidInputError([FieldError("lang", "must be fi or en")])
    return lang


def _person_id(index: MatchIndex, person: str) -> int:
    """A jobseeker's id, given the id or the pseudonymous code."""
    if person.isdigit():
        return int(person)
    found = np.flatnonzero(index.people.codes == person.strip().upper())
    if not len(found):
        raise NotFoundError(f"no jobseeker with code {person!r}")
    return int(index.people.ids[found[0]])


def _header(rules: RuleSet) -> dict[str, str]:
    return {"ruleset_version": rules.version, "ruleset_fingerprint": rules.fingerprint()}


def _print_ranked(
    index: MatchIndex, ranked: Ranked, rules: RuleSet, lang: str, *, people: bool, as_json: bool
) -> None:
    explanations = [
        explain(index.people, index.tasks, ranked.pairs, p) for p in range(len(ranked.pairs))
    ]
    if as_json:
        typer.echo(
            json.dumps(
                _header(rules)
                | {
                    "ids": [int(x) for x in ranked.ids],
                    "total": [float(x) for x in ranked.total],
                    "n_candidates": ranked.n_candidates,
                    "n_feasible": ranked.n_feasible,
                    "explanations": [e.to_dict() for e in explanations],
                },
                ensure_ascii=False,
                default=str,
                indent=2,
            )
        )
        return
    typer.echo(
        f"rule set {rules.version}: {ranked.n_feasible} feasible of "
        f"{ranked.n_candidates} candidates"
    )
    by_id = {e.person_id if people else e.task_id: e for e in explanations}
    for rank, (ident, total) in enumerate(zip(ranked.ids, ranked.total, strict=True), start=1):
        if people:
            row = index.people.row_of[int(ident)]
            label = f"{index.people.codes[row]} (id {ident})"
        else:
            row = index.tasks.row_of[int(ident)]
            where = f"employer {index.tasks.employer_ids[row]}, {index.tasks.municipality[row]}"
            label = f"task {ident}: {index.tasks.titles[row]} — {where}"
        typer.echo(f"{rank:>3}. {total:6.2f}  {label}")
        if not people:
            for sentence in by_id[int(ident)].sentences[lang]:
                typer.echo(f"        {sentence}")
        else:
            # For a set of tasks, one line per task.
            for e in (x for x in explanations if x.person_id == int(ident)):
                typer.echo(f"        [task {e.task_id}] {e.sentences[lang][0]}")
                for sentence in e.sentences[lang][1:]:
                    typer.echo(f"          {sentence}")


def _print_bundle(bundle: Bundle, index: MatchIndex, lang: str) -> None:
    typer.echo(f"{bundle.status}: person {bundle.person_id}, objective {bundle.objective:.2f}")
    for task_id, score in zip(bundle.task_ids, bundle.scores, strict=True):
        row = index.tasks.row_of[task_id]
        hours, where = float(index.tasks.hours[row]), index.tasks.employer_ids[row]
        typer.echo(
            f"  task {task_id} ({score:.2f}): {index.tasks.titles[row]}, {hours:g} h, "
            f"employer {where}"
        )
    for sentence in bundle.sentences[lang]:
        typer.echo(f"  {sentence}")


def register(app: typer.Typer, friendly: Any) -> None:
    """Add the matching commands to ``app``, wrapped by the CLI's error handler."""
    match_app = typer.Typer(
        help="Ranked matches with explanations, in either direction.", no_args_is_help=True
    )

    @match_app.command("person")
    @friendly
    def match_person(
        person: Annotated[str, typer.Argument(help="The jobseeker's id or code (JS-…).")],
        k: Annotated[int, typer.Option(help="How many tasks (1–200).")] = 10,
        sector: Annotated[list[str] | None, typer.Option(help="Only these sectors.")] = None,
        municipality: Annotated[list[str] | None, typer.Option(help="Only here.")] = None,
        employer: Annotated[list[int] | None, typer.Option(help="Only these employers.")] = None,
        radius: Annotated[float | None, typer.Option(help="Only within this many km.")] = None,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """The best hand-over tasks for a jobseeker, each with its explanation."""
        ruleset, language = _rules(rules), _lang(lang)
        index = load_index(make_engine())
        ranked = rank_tasks_for_person(
            index.people,
            index.tasks,
            _person_id(index, person),
            ruleset,
            k,
            sectors=sector,
            municipalities=municipality,
            employer_ids=employer,
            radius_km=radius,
        )
        if not ranked.n_candidates:
            reason = index.people.not_matchable_reason[
                index.people.row_of[_person_id(index, person)]
            ]
            if reason:
                typer.echo(f"not matched: {reason}")
        _print_ranked(index, ranked, ruleset, language, people=False, as_json=as_json)

    @match_app.command("tasks")
    @friendly
    def match_tasks(
        task_ids: Annotated[list[int], typer.Argument(help="One task id, or several.")],
        k: Annotated[int, typer.Option(help="How many people (1–200).")] = 10,
        area: Annotated[list[str] | None, typer.Option(help="Only people of these areas.")] = None,
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """The best candidates for a task (or a set of tasks), by pseudonymous code."""
        ruleset, language = _rules(rules), _lang(lang)
        index = load_index(make_engine())
        ranked = rank_people_for_tasks(index.people, index.tasks, task_ids, ruleset, k, areas=area)
        _print_ranked(index, ranked, ruleset, language, people=True, as_json=as_json)

    app.add_typer(match_app, name="match")

    @app.command("why-not")
    @friendly
    def why_not_command(
        person: Annotated[str, typer.Option(help="The jobseeker's id or code.")],
        task: Annotated[int, typer.Option(help="The task's id.")],
        rules: RulesOption = None,
        lang: LangOption = "fi",
        as_json: JsonOption = False,
    ) -> None:
        """Why a task is not suggested to a person, and the smallest change that would fit."""
        ruleset, language = _rules(rules), _lang(lang)
        index = load_index(make_engine())
        pid = _person_id(index, person)
        if task not in index.tasks.row_of:
            raise NotFoundError(f"no task with id {task}")
        answer = why_not(index.people, index.tasks, pid, task, ruleset)
        if as_json:
            typer.echo(
                json.dumps(
                    _header(ruleset)
                    | {
                        "feasible": answer.feasible,
                        "failures": answer.failures,
                        "relaxations": [r.__dict__ for r in answer.relaxations],
                        "explanation": answer.explanation.to_dict(),
                    },
                    ensure_ascii=False,
                    default=str,
                    indent=2,
                )
            )
            return
        for sentence in answer.explanation.sentences[language]:
            typer.echo(sentence)
        if answer.relaxations:
            typer.echo(
                "Pienin muutos, jolla sopisi:"
                if language == "fi"
                else "The smallest change that would make it fit:"
            )
            for r in answer.relaxations:
                typer.echo(f"  - {r.text[language]}")

    @app.command()
    @friendly
    def compose(
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
        ruleset, language = _rules(rules), _lang(lang)
        index = load_index(make_engine())
        if person is not None:
            pid = _person_id(index, person)
            bundles = [
                compose_for_person(
                    index.people, index.tasks, pid, ruleset, employer_ids=employer, radius_km=radius
                )
            ]
        elif employer and len(employer) == 1:
            bundles = compose_for_employer(index.people, index.tasks, employer[0], ruleset, k)
        else:
            raise InvalidInputError([FieldError("person", "give --person, or one --employer")])
        if as_json:
            typer.echo(
                json.dumps(
                    _header(ruleset) | {"bundles": [b.__dict__ for b in bundles]},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for bundle in bundles:
            _print_bundle(bundle, index, language)

    @app.command()
    def bench(
        size: Annotated[str, typer.Option(help="Demo world size.")] = "large",
        queries: Annotated[int, typer.Option(min=10, max=2000, help="Queries per figure.")] = 200,
        as_json: JsonOption = False,
    ) -> None:
        """Benchmark the matcher on an in-memory demo world (latencies, speed-up, memory)."""
        from api.bench import bench_matching, print_matching

        result = bench_matching(size, queries)
        typer.echo(json.dumps(result)) if as_json else print_matching(result)
