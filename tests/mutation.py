"""Mutation testing of the core (matching/, features/pipeline/, api/auth/policy.py) with
mutmut: how many small changes to the code the tests notice.

    python -m tests.mutation                          # every mutant of the core (hours)
    python -m tests.mutation --sample 200             # a random 200, the score ± its interval
    python -m tests.mutation --changed-since HEAD~1   # only modules the change touched
    python -m tests.mutation --module api.auth.policy
    python -m tests.mutation --changed-since HEAD~1 --sample 12 --budget-minutes 6 --min-score 0
                                                      # CI's bounded look at what a change touched

What is mutated and which tests are asked is ``[tool.mutmut]`` in pyproject.toml (fast tests:
the scorer's, ranking's, composer's, explanations', need to know's). Mutants known to change
nothing a caller can observe are listed, each with why, in ``tests/mutation_equivalent.toml``
and left out of the score. mutmut keeps its work in ``mutants/`` (ignored by git): a second
run re-checks only what changed; ``mutmut show NAME`` prints a mutant, ``mutmut browse``
walks the survivors. A run that was interrupted can leave a half-written mutant behind:
delete ``mutants/`` and start again.

Exit status 1 when the score is below ``--min-score`` (90 % by default): a survivor is a
promise no test holds — add the test that kills it, or list the mutant as equivalent. With
``--budget-minutes`` the sample is checked a few mutants at a time until the budget is spent,
and only those checked are scored (said, with how many were left).
"""

from __future__ import annotations

import argparse
import fnmatch
import random
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

from scipy.stats import binomtest

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.toml")
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
"""Statuses that count as the tests noticing the change (a test process that crashed or never
finished noticed it too)."""
NOT_SCORED = {"not checked", "skipped"}


def mutated_modules() -> list[str]:
    """Dotted names of the modules ``[tool.mutmut] only_mutate`` selects."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["mutmut"]["only_mutate"]
    files = [
        path.relative_to(ROOT).as_posix()
        for source in config["tool"]["mutmut"]["source_paths"]
        for path in sorted((ROOT / source).rglob("*.py"))
    ]
    return [
        f.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for f in files
        if any(fnmatch.fnmatch(f, p) for p in patterns) and not f.endswith("__init__.py")
    ]


def changed_modules(since: str) -> set[str] | None:
    """Modules changed since ``since``; None when the checkout cannot say (no such revision,
    as in a shallow clone): then every module is a candidate."""
    done = subprocess.run(["git", "diff", "--name-only", f"{since}...HEAD"], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        print(f"cannot tell what changed since {since}: every core module is a candidate")
        return None
    return {
        line.removesuffix(".py").replace("/", ".")
        for line in done.stdout.split()
        if line.endswith(".py")
    }


def mutmut(*args: str, check: bool = True) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=ROOT, text=True,
                          capture_output=True)  # fmt: skip
    if check and done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mutmut {args[0]} failed ({done.returncode})")
    return done.stdout


def results() -> dict[str, str]:
    """Every mutant's name and status, from mutmut's own record."""
    out = mutmut("results", "--all", "true")
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            found[name] = status
    return found


def module_of(mutant: str) -> str:
    return mutant.split("__mutmut_")[0].rsplit(".", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="only this module (repeatable)")
    parser.add_argument("--changed-since", help="only modules changed since this git revision")
    parser.add_argument("--sample", type=int, help="check a random sample of this many mutants")
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed")
    parser.add_argument("--min-score", type=float, default=90.0)
    parser.add_argument("--max-children", default="2", help="parallel mutants (default 2)")
    parser.add_argument("--budget-minutes", type=float,
                        help="with --sample: stop checking once this long has passed")  # fmt: skip
    args = parser.parse_args(argv)
    started = time.monotonic()

    modules = mutated_modules()
    if args.module:
        modules = [m for m in modules if m in args.module]
    changed = changed_modules(args.changed_since) if args.changed_since else None
    if changed is not None:
        modules = sorted(set(modules) & changed)
    if not modules:
        print("no core module to mutate")
        return 0
    patterns = [f"{m}.x*" for m in modules]  # functions (x_f) and methods (xǁClassǁf)

    if args.sample:
        # A run that matches nothing generates every mutant and maps tests to functions before
        # it stops (mutmut refuses an empty selection); the sample is drawn from the result.
        mutmut("run", "--max-children", args.max_children, "tasma.sampling-only", check=False)
        names = sorted(n for n in results() if any(fnmatch.fnmatch(n, p) for p in patterns))
        names = random.Random(args.seed).sample(names, min(args.sample, len(names)))
        chosen = set(names)
    else:
        names, chosen = patterns, None
    if args.budget_minutes is not None and chosen is not None:
        checked = _within_budget(names, started + 60 * args.budget_minutes, args.max_children)
        if len(checked) < len(names):
            print(f"the budget of {args.budget_minutes:g} minutes checked {len(checked)} of the "
                  f"{len(names)} mutants drawn; the rest were left unchecked")  # fmt: skip
        if not checked:
            return 0  # nothing measured, nothing to judge: said above
        chosen = set(checked)
    else:
        mutmut("run", "--max-children", args.max_children, *names)

    equivalent = (
        tomllib.loads(EQUIVALENT.read_text(encoding="utf-8")) if EQUIVALENT.exists() else {}
    )
    statuses = {
        name: status
        for name, status in results().items()
        if (chosen is None and any(fnmatch.fnmatch(name, p) for p in patterns))
        or (chosen is not None and name in chosen)
    }
    scored = {n: s for n, s in statuses.items() if s not in NOT_SCORED and n not in equivalent}
    by_module: dict[str, Counter[str]] = {}
    for name, status in scored.items():
        by_module.setdefault(module_of(name), Counter())[status] += 1
    print(f"{'module':34} {'mutants':>7} {'caught':>7} {'score':>7}")
    for module, counts in sorted(by_module.items()):
        n, caught = sum(counts.values()), sum(counts[s] for s in CAUGHT)
        print(f"{module:34} {n:7d} {caught:7d} {100 * caught / n:6.1f}%")
    n = len(scored)
    caught = sum(s in CAUGHT for s in scored.values())
    if n == 0:
        print("no mutant was checked")
        return 1
    low, high = binomtest(caught, n).proportion_ci(0.95, method="wilson")
    left_out = sum(name in equivalent for name in statuses)
    print(f"{'all':34} {n:7d} {caught:7d} {100 * caught / n:6.1f}%   "
          f"(95 % interval {100 * low:.1f}–{100 * high:.1f} %; {left_out} equivalent left out)")  # fmt: skip
    survivors = sorted(name for name, status in scored.items() if status not in CAUGHT)
    for name in survivors:
        print(f"  {scored[name]:12} {name}")
    return 0 if 100 * caught / n >= args.min_score else 1


def _within_budget(names: list[str], deadline: float, max_children: str) -> list[str]:
    """Check ``names`` a few at a time until ``deadline`` (a monotonic time); those checked."""
    checked: list[str] = []
    for start in range(0, len(names), 4):
        chunk = names[start : start + 4]
        if time.monotonic() >= deadline:
            break
        mutmut("run", "--max-children", max_children, *chunk)
        checked += chunk
    return checked


if __name__ == "__main__":
    raise SystemExit(main())
