"""`tasma rules`: rule sets as versioned data, from the command line.

    tasma rules list | show V | diff A B | validate FILE | import FILE --note N | export V |
    activate V

Reading needs only the database; storing and activating act as a named user (``--as`` or
``TASMA_USER``) whose role allows it, and the audit names them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.cli.context import AsOption, acting
from api.core.security import Permission
from api.jobs.evaluation import finite
from api.rulesets import evaluation, service
from api.rulesets.schemas import EvaluationRequest
from api.storage import rulesets
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from features.errors import InvalidInputError
from features.schemas.errors import FieldError
from matching.rules import RuleSet, load_ruleset, ruleset_yaml

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
    return service.rules(session, ref)


def register(app: typer.Typer, friendly: Any) -> None:
    rules_app = typer.Typer(
        help="Rule sets: versions, differences, activation.", no_args_is_help=True
    )

    @rules_app.command("list")
    @friendly
    def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Every stored version, oldest first; * marks the active one."""
        with transaction(_engine()) as session:
            listed = service.list_rulesets(session)
        if as_json:
            typer.echo(listed.model_dump_json(indent=2))
            return
        for r in listed.data:
            mark = "*" if r.active else " "
            parent = f" <- {r.parent}" if r.parent else ""
            when = r.created_at.isoformat(timespec="seconds")
            typer.echo(f"{mark} {r.version}{parent}  {when}  {r.author}: {r.note}")

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
            text = ruleset_yaml(service.rules(session, version))
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
        as_json: Annotated[bool, typer.Option("--json", help="The answer as JSON.")] = False,
    ) -> None:
        """What changes from OLD to NEW, one setting a line."""
        with transaction(_engine()) as session:
            answer = service.diff(session, _resolve(session, old), _resolve(session, new))
        if as_json:
            typer.echo(answer.model_dump_json(indent=2))
            return
        changes = answer.changes
        if not changes:
            typer.echo("no differences")
        for c in changes:
            before = json.dumps(c.before, ensure_ascii=False)
            after = json.dumps(c.after, ensure_ascii=False)
            typer.echo(f"{c.path}: {before} -> {after}")

    @rules_app.command("validate")
    @friendly
    def validate(
        file: Annotated[Path, typer.Argument(help="A YAML or JSON rule set.")],
        as_json: Annotated[bool, typer.Option("--json", help="The answer as JSON.")] = False,
    ) -> None:
        """Check a rule-set file; every problem is printed with its field."""
        rules = load_ruleset(_file(file))
        if as_json:
            typer.echo(json.dumps({"valid": True, "version": rules.version,
                                   "fingerprint": rules.fingerprint()}))  # fmt: skip
            return
        typer.echo(f"valid: {rules.version} (fingerprint {rules.fingerprint()})")

    @rules_app.command("import")
    @friendly
    def import_(
        file: Annotated[Path, typer.Argument(help="A YAML or JSON rule set.")],
        note: Annotated[str, typer.Option(help="What changed and why.")],
        user: AsOption,
        parent: ParentOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="The answer as JSON.")] = False,
    ) -> None:
        """Store a rule-set file as a new version (not yet active), its author the acting
        user (audited)."""
        if not note.strip():
            raise InvalidInputError([FieldError("note", "say what changed and why")])
        rules = load_ruleset(_file(file))
        with acting(user, Permission.WRITE_RULESETS) as ctx:
            stored = service.create(ctx, rules, note=note, parent=parent)
        if as_json:
            typer.echo(stored.model_dump_json(indent=2))
            return
        typer.echo(f"stored {rules.version} (parent {stored.parent}); not active yet")
        typer.echo(f"activate with: tasma rules activate {rules.version}")

    @rules_app.command("activate")
    @friendly
    def activate(
        version: Annotated[str, typer.Argument(help="A stored version.")],
        user: AsOption,
        note: Annotated[str, typer.Option(help="Why it is activated (audited).")] = "",
        as_json: Annotated[bool, typer.Option("--json", help="The answer as JSON.")] = False,
    ) -> None:
        """Make a stored version the one every match uses (audited with the acting user and
        the note)."""
        with acting(user, Permission.ACTIVATE_RULESET) as ctx:
            done = service.activate(ctx, version, note)
        if as_json:
            typer.echo(done.model_dump_json(indent=2))
            return
        typer.echo(f"active rule set: {version} (was {done.previous})")

    app.add_typer(rules_app, name="rules")

    @app.command("train")
    @friendly
    def train(
        user: AsOption,
        version: Annotated[str | None, typer.Option(help="Name (default: by date).")] = None,
        activate: Annotated[bool, typer.Option(help="Make it the active model.")] = False,
        models_dir: Annotated[Path, typer.Option(help="Where models live.")] = Path("models"),
        k: Annotated[int, typer.Option(min=1, max=100, help="Cut-off for hit rate.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="The model card as JSON.")] = False,
    ) -> None:
        """Train the re-ranker on the recorded history (time-based split), compare it with the
        rules on the newest 20 %, and save it with its model card — unless its probabilities
        are no better than the base rate's (then nothing is saved, exit status 1)."""
        _train(user, version, activate, models_dir, k, as_json)

    @app.command("evaluate")
    @friendly
    def evaluate_command(
        user: Annotated[
            str | None,
            typer.Option(
                "--as", envvar="TASMA_USER", help="The user acting (not needed for --acceptance)."
            ),
        ] = None,
        ruleset: Annotated[
            str | None, typer.Option(help="A stored version or a YAML file (default: active).")
        ] = None,
        against: Annotated[
            str | None, typer.Option(help="Compare with this version or file.")
        ] = None,
        k: Annotated[int, typer.Option(min=1, max=100, help="Cut-off for hit rate.")] = 10,
        coverage_sample: Annotated[
            int, typer.Option(min=10, max=20_000, help="People for coverage.")
        ] = 2000,
        task_sample: Annotated[
            int, typer.Option(min=10, max=5000, help="Tasks for exposure.")
        ] = 300,
        as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
        now: Annotated[
            bool,
            typer.Option(
                "--now",
                help="Replay on the world as it is now, not as it was when each proposal was made.",
            ),
        ] = False,
        acceptance: Annotated[
            bool,
            typer.Option(
                "--acceptance",
                help="Test the evaluator itself: orderings worse by "
                "construction, on demo worlds built in memory, must be reported worse.",
            ),
        ] = False,
        seeds: Annotated[
            int, typer.Option(min=1, max=20, help="Demo worlds for --acceptance.")
        ] = 3,
    ) -> None:
        """Replay the recorded proposals under a rule set (and another): hit rate, recall,
        NDCG, MRR, coverage, adjustments, variety and the fairness report (audited)."""
        from tqdm import tqdm

        if acceptance:
            _acceptance(seeds, k, as_json)
            return
        if user is None:
            raise typer.BadParameter(
                "required: the evaluation is audited (or set TASMA_USER)", param_hint="--as"
            )
        with acting(user, Permission.EVALUATE) as ctx:
            options = EvaluationRequest(
                k=k, coverage_sample=coverage_sample, task_sample=task_sample, as_of=not now
            )
            report = evaluation.evaluate(
                ctx, options, via="cli",
                first=_resolve(ctx.session, ruleset) if ruleset else None,
                second=_resolve(ctx.session, against) if against else None,
                progress=partial(tqdm, leave=False, disable=None),
            )  # fmt: skip
        answer = {k: v for k, v in report.model_dump(mode="json").items() if v is not None}
        if as_json:
            typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        typer.echo(_report_text(answer))


def _train(
    user: str, version: str | None, activate: bool, models_dir: Path, k: int, as_json: bool
) -> None:
    from tqdm import tqdm

    name = version or f"reranker-{datetime.now(UTC):%Y%m%d-%H%M}"
    with acting(user, Permission.EVALUATE) as ctx:
        target, card = evaluation.train(
            ctx, version=name, k=k, models_dir=models_dir, activate=activate,
            progress=partial(tqdm, leave=False, disable=None),
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps({**card, "path": str(target) if target else None},
                              ensure_ascii=False, indent=2))  # fmt: skip
    else:
        _train_text(name, target, card, activate)
    if target is None:
        raise typer.Exit(1)


def _train_text(name: str, target: Path | None, card: dict[str, Any], activate: bool) -> None:
    m = card["metrics"]
    if target is None:
        typer.echo(f"model {name} {card['refused']}")
    else:
        typer.echo(f"model {name} saved in {target} (card: {target / 'card.md'})")
    typer.echo(
        f"  test AUC {m['test_auc']:.3f} (rules {m['rules_auc']:.3f}), Brier "
        f"{m['test_brier']:.4f} (base rate {m['base_rate_brier']:.4f})"
    )
    typer.echo(f"  {card['verdict']}")
    if activate and target is not None:
        typer.echo(f"  active: the service re-ranks with {name} from its next start")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"  # None: nothing to measure


def _report_text(report: dict[str, Any]) -> str:
    a = report["a"]
    lines = [f"rule set {a['ruleset_version']}: {a['counts']}"]
    if not report.get("replayed_as_of", True):
        lines.append("replayed on the world as it is now, not as it was when proposed")
    if "comparison" in report:
        b = report["b"]
        lines.append(f"against {b['ruleset_version']}: B − A with a 95 % bootstrap interval")
        lines.append(f"{'metric':<22}{'A':>9}{'B':>9}{'B − A':>9}  interval")
        for name, row in report["comparison"].items():
            interval = f"[{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]" if "ci_low" in row else ""
            values = "".join(f"{_fmt(row[key]):>9}" for key in ("a", "b", "diff"))
            lines.append(f"{name:<22}{values}  {interval}")
        for g in report.get("guardrails") or []:
            lines.append(
                f"WORSE on {g['metric']}: {_fmt(g['a'])} → {_fmt(g['b'])} (B − A "
                f"{_fmt(g['diff'])}, interval [{_fmt(g['ci_low'])}, {_fmt(g['ci_high'])}]): B "
                "relies more on what the rules should not take for granted"
            )
    else:
        lines += [f"{name:<22}{_fmt(value):>9}" for name, value in a["metrics"].items()]
    lines += _off_policy_text(report.get("off_policy"))
    for result in [report[key] for key in ("a", "b") if key in report]:
        lines += _fairness_text(result)
    return "\n".join(lines)


def _interval(bounds: list[float | None]) -> str:
    low, high = bounds
    return "—" if low is None or high is None else f"[{low:.2f}, {high:.2f}]"


def _off_policy_text(report: dict[str, Any] | None) -> list[str]:
    if not report or not report["a"]["lists"]:
        return ["off-policy: no logged exploration old enough yet (a rule set's exploration.share "
                "logs it)"]  # fmt: skip
    a = report["a"]
    lines = [
        f"off-policy, on {a['lists']} logged lists (effective sample size "
        f"{a['effective_sample_size']:.0f}): SNIPS, IPS, DR with 95 % intervals"
    ]
    for side in ("a", "b"):
        if e := report.get(side):
            figures = [
                f"{name} {_fmt(e[name]['value'])} "
                + _interval([e[name]["ci_low"], e[name]["ci_high"]])
                for name in ("snips", "ips", "dr")
            ]
            lines.append(f"  {side.upper()}  {'  '.join(figures)}  (support {_fmt(e['support'])})")
    if report.get("snips_difference"):
        d = report["snips_difference"]
        lines.append(f"  B − A by SNIPS {_fmt(d['diff'])} "
                     f"{_interval([d['ci_low'], d['ci_high']])}")  # fmt: skip
    if not report["trusted"]:
        lines.append("  too few effective lists (under 100) for these estimates to be trusted")
    return lines


def _fairness_text(a: dict[str, Any]) -> list[str]:
    lines = []
    for attribute, rows in a["fairness"].items():
        lines.append(
            f"fairness by {attribute} ({a['ruleset_version']}): exposure ratio = rules (how "
            "often they allow the group) × ranking (where it is placed among those allowed)"
        )
        lines.append(
            f"  {'group':<12}{'people':>8}{'covered':>9}{'exposure':>10}{'ratio':>7}"
            f"{'interval':>15}{'rules':>7}{'ranking':>9}{'interval':>15}"
            f"{'hit rate':>10}{'vs best':>9}{'interval':>15}{'skew':>7}{'hires':>7}"
        )
        k = a["k"]
        for r in rows:
            lines.append(
                f"  {r['group']:<12}{_fmt(r['population_share']):>8}{_fmt(r['coverage']):>9}"
                f"{_fmt(r['exposure_share']):>10}{_fmt(r['exposure_ratio']):>7}"
                f"{_interval(r['exposure_ratio_ci']):>15}{_fmt(r['feasibility_ratio']):>7}"
                f"{_fmt(r['ranking_ratio']):>9}{_interval(r['ranking_ratio_ci']):>15}"
                f"{_fmt(r[f'hit_rate@{k}']):>10}"
                f"{_fmt(r['hit_rate_ratio_to_best']):>9}{_interval(r['hit_rate_ratio_ci']):>15}"
                f"{_fmt(r[f'skew@{k}']):>7}{r['successes']:>7}"
                + (f"  suppressed ({', '.join(r['suppressed'])}: under {a['min_cell']})"
                   if r["suppressed"] else "")
            )  # fmt: skip
        lines.append(f"  NDKL {_fmt(rows[0]['ndkl']) if rows else '—'}")
    return lines


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None and v == v]  # None or NaN: nothing measured
    return sum(known) / len(known) if known else None


EXPLORE_SHARE, EXPLORE_DAYS = 0.5, 12
"""The acceptance suite's simulated exploration: half of the lists explore, and every person's
list is logged on 12 days."""


def _reranker_line(m: dict[str, Any]) -> str:
    if not m["trained"]:
        return f"re-ranker, seed {m['seed']}: too little history ({m['rows']} pairs)"
    agrees = {True: "agrees", False: "DISAGREES", None: "no claim"}[m["agrees"]]
    return (
        f"re-ranker, seed {m['seed']}: evaluator says {m['verdict']} (Brier {m['brier']:.4f}, "
        f"base rate {m['base_rate_brier']:.4f}); truth {m['truth']['a']['top_k']:.3f} → "
        f"{m['truth']['b']['top_k']:.3f}, truly {m['truly']}: {agrees}"
    )


def _acceptance(seeds: int, k: int, as_json: bool) -> None:
    """The evaluator's acceptance suite on ``seeds`` small demo worlds (7, 8, …)."""
    from features.demo import AS_OF, build_world
    from features.demo.truth import FitContext, true_success
    from matching.acceptance import (
        CASES,
        acceptance_run,
        off_policy_cases,
        oracle_case,
        power,
        reranker_validation,
        simulated_exploration,
    )
    from matching.index import MatchIndex
    from matching.rules import default_ruleset

    runs, models, explored = [], [], []
    for seed in range(7, 7 + seeds):
        world = build_world("small", seed=seed)
        context = FitContext.of(world.employers, world.people)

        def truth(people: Any, tasks: Any, context: FitContext = context) -> Any:
            return true_success(context, people, tasks)

        index = MatchIndex.from_tables(world.tables)
        run = acceptance_run(index, world.tables, default_ruleset(), AS_OF, k=k, truth=truth,
                             cases=(*CASES, oracle_case(truth)))  # fmt: skip
        runs.append([{**case, "seed": seed} for case in run])
        models.append({"seed": seed, **reranker_validation(
            index, world.tables, default_ruleset(), AS_OF, truth, k=k)})  # fmt: skip
        log = simulated_exploration(index, default_ruleset(), truth, share=EXPLORE_SHARE,
                                    days=EXPLORE_DAYS, seed=seed)  # fmt: skip
        explored.append([{**case, "seed": seed, "lists": len(log)} for case in off_policy_cases(
            index, default_ruleset(), truth, log, (*CASES, oracle_case(truth)))])  # fmt: skip
    cases = []
    for i, case in enumerate(runs[0]):
        per_seed = [run[i] for run in runs]
        cases.append({
            "name": case["name"], "expected": case["expected"],
            "caught": all(c["caught"] for c in per_seed),
            "caught_on": sum(c["caught"] for c in per_seed),
            # Per metric over the seeds: on how many it caught the case, and B − A on average.
            "metrics": {name: {"caught_on": sum(name in c["caught_by"] for c in per_seed),
                               "mean_diff": _mean([c["metrics"][name]["diff"]
                                                   for c in per_seed])}
                        for name in case["metrics"]},
            "seeds": [{"seed": c["seed"], "caught_by": c["caught_by"], "truth": c["truth"],
                       "metrics": c["metrics"]} for c in per_seed],
        })  # fmt: skip
    off_policy = {
        "share": EXPLORE_SHARE, "days": EXPLORE_DAYS,
        "cases": [{"name": run[0]["name"], "expected": run[0]["expected"],
                   "caught_on": sum(c["caught"] for c in run), "seeds": list(run)}
                  for run in zip(*explored, strict=True)],
    }  # fmt: skip
    answer = finite({"seeds": seeds, "cases": cases, "power": power(runs, k),
                     "reranker": models, "off_policy": off_policy})  # fmt: skip
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        for c in cases:
            by = "; ".join(
                f"{', '.join(s['caught_by']) or '—'} [truth {s['truth']['a']['top_k']:.3f} → "
                f"{s['truth']['b']['top_k']:.3f}]"
                for s in c["seeds"]
            )
            typer.echo(
                f"{c['name']:<20} {c['expected']}: caught on {c['caught_on']}/{seeds} ({by})"
            )
        typer.echo("power (share of case × seed runs caught): " + ", ".join(
            f"{name} {share:.2f}" for name, share in answer["power"].items()))  # fmt: skip
        for m in answer["reranker"]:
            typer.echo(_reranker_line(m))
        typer.echo(f"off-policy (SNIPS, B − A) on simulated exploration: share {EXPLORE_SHARE}, "
                   f"every person's list on {EXPLORE_DAYS} days")  # fmt: skip
        for o in answer["off_policy"]["cases"]:
            figures = "; ".join(
                f"{s['snips_difference']['diff']:+.3f} "
                f"{_interval([s['snips_difference']['ci_low'], s['snips_difference']['ci_high']])}"
                f" support {s['support']:.2f} [truth {s['truth_first']['a']:.3f} → "
                f"{s['truth_first']['b']:.3f}]"
                for s in o["seeds"]
            )
            typer.echo(f"  {o['name']:<20} {o['expected']}: caught on {o['caught_on']}/{seeds} "
                       f"({figures})")  # fmt: skip
    if not all(c["caught"] for c in cases):
        raise typer.Exit(1)
