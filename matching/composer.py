"""The tailored-job composer: the best bundle of hand-over tasks for a person, exactly.

Given a person and one employer (or every employer within a radius), choose the set of
feasible hand-over tasks that maximises

    Σ score(task) · x_task  −  workplace_penalty · Σ y_employer

subject to at least one task, the person's weekly hours (minimum ≤ Σ hours ≤ maximum), no
double-booked
schedule slot (Σ x over tasks using a slot ≤ 1) and x_task ≤ y_employer — so one workplace is
preferred to several, and fewer adjustments to more (their cost is in each task's score). It is
a small integer program, solved with ``scipy.optimize.milp`` (HiGHS) with no relative gap: the
bundle's value is the best there is to within 10⁻⁶ (HiGHS's absolute gap; scores differ by far
more where it matters), held to brute force by a test. When no bundle
reaches the minimum hours, the best bundle under the maximum is returned and says so.

The reverse — an employer's hand-over tasks, the best candidates each with their own bundle —
ranks people by their best single task and composes a bundle for each of the leading ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import coo_matrix

from features.catalogue import ADJUSTMENTS
from features.catalogue.adjustments import PROVIDER_NAMES
from features.catalogue.schedule import N_SLOTS, SLOT_IDS
from features.errors import InvalidInputError, NotFoundError
from features.geo import haversine_km
from features.i18n import LANGUAGES, N_, gettext_for, ngettext_for
from features.numbers import number
from features.pipeline.encoders import EXPOSURE, adjustment_lowering_table
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from features.schemas.errors import FieldError
from matching.ranking import prefilter, top_k
from matching.rules import RuleSet
from matching.scoring import PairScores, score_pairs, tolerance_for

_LOWERING = adjustment_lowering_table()

__all__ = ["Bundle", "compose_for_employer", "compose_for_person", "solve_bundle"]

WORKPLACE_PENALTY = 4.0
"""About one good task's score: a second workplace must be worth a whole task."""
MAX_CANDIDATES = 300


@dataclass
class Bundle:
    person_id: int
    task_ids: list[int]
    employer_ids: list[int]
    hours: float
    slots: list[str]
    objective: float
    scores: list[float]
    adjustments: list[str]
    supports: list[str]
    status: str
    """optimal | below_minimum_hours | no_feasible_task"""
    conditions: list[str] = field(default_factory=list)
    """Adjustments a physician's restriction depends on: in place from the first day."""
    sentences: dict[str, list[str]] = field(default_factory=dict)


def solve_bundle(
    scores: np.ndarray,
    hours: np.ndarray,
    schedules: np.ndarray,
    employers: np.ndarray,
    hours_min: float,
    hours_max: float,
    workplace_penalty: float = WORKPLACE_PENALTY,
) -> tuple[np.ndarray, float, bool]:
    """Choose tasks (bool mask) maximising the objective; also return its value and whether
    the minimum hours were reached. Pure: arrays in, choice out.

    scores, hours: (n,); schedules: uint32 (n,) slot bit sets; employers: (n,) ids.
    """
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=bool), 0.0, hours_min <= 0
    employer_ids, employer_of = np.unique(employers, return_inverse=True)
    n_e = len(employer_ids)
    # Variables: x (n tasks) then y (n_e employers); milp minimises, so negate.
    c = np.concatenate([-np.asarray(scores, dtype=float), np.full(n_e, workplace_penalty)])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add(row_cols: np.ndarray, row_vals: np.ndarray, lo: float, hi: float) -> None:
        r = len(lower)
        rows.extend([r] * len(row_cols))
        cols.extend(row_cols.tolist())
        vals.extend(row_vals.tolist())
        lower.append(lo)
        upper.append(hi)

    add(np.arange(n), np.asarray(hours, dtype=float), hours_min, hours_max)
    add(np.arange(n), np.ones(n), 1.0, np.inf)  # a bundle has at least one task
    slot_bits = ((schedules[:, None].astype(np.int64) >> np.arange(N_SLOTS)) & 1).astype(bool)
    for s in np.flatnonzero(slot_bits.sum(axis=0) > 1):
        users = np.flatnonzero(slot_bits[:, s])
        add(users, np.ones(len(users)), -np.inf, 1.0)
    for j in range(n):  # x_j − y_e(j) ≤ 0
        add(np.array([j, n + employer_of[j]]), np.array([1.0, -1.0]), -np.inf, 0.0)
    matrix = coo_matrix((vals, (rows, cols)), shape=(len(lower), n + n_e)).tocsr()

    def run(lo_hours: float) -> OptimizeResult:
        lb = np.array(lower)
        lb[0] = lo_hours
        # No relative gap: HiGHS stops by default within 0.01 % of its bound, and bundles whose
        # best differs by less than that came out second best (15 of 2 953 random problems with
        # near-equal scores). What remains is its absolute gap, 10⁻⁶ of a score.
        return milp(c, constraints=LinearConstraint(matrix, lb, np.array(upper)),
                    integrality=np.ones(n + n_e), bounds=Bounds(0, 1),
                    options={"mip_rel_gap": 0.0})  # fmt: skip

    result = run(hours_min)
    reached = result.status == 0
    if not reached:
        result = run(0.0)
    if result.status != 0 or result.x is None:  # no single task fits under the maximum
        return np.zeros(n, dtype=bool), 0.0, False
    chosen = result.x[:n] > 0.5
    return chosen, float(-result.fun), reached


def _person_row(people: PeopleMatrix, person_id: int) -> int:
    if person_id not in people.row_of:
        raise NotFoundError(f"no jobseeker with id {person_id}")
    return people.row_of[person_id]


def _candidate_rows(
    people: PeopleMatrix,
    i: int,
    tasks: TaskMatrix,
    rules: RuleSet,
    employer_ids: Sequence[int] | None,
    radius_km: float | None,
) -> np.ndarray:
    keep = tasks.hand_over.copy()
    if employer_ids:
        keep &= np.isin(tasks.employer_ids, list(employer_ids))
    rows = np.flatnonzero(keep)
    limit = rules.hard.max_distance_km if radius_km is None else radius_km
    km = haversine_km(people.lat[i], people.lon[i], tasks.lat[rows], tasks.lon[rows])
    return rows[km <= limit]


def compose_for_person(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    person_id: int,
    rules: RuleSet,
    *,
    employer_ids: Sequence[int] | None = None,
    radius_km: float | None = None,
    workplace_penalty: float = WORKPLACE_PENALTY,
) -> Bundle:
    """The best bundle of one employer's (or nearby employers') hand-over tasks."""
    if employer_ids is None and radius_km is None:
        raise InvalidInputError([FieldError("employer_ids", "give employers or a radius")])
    i = _person_row(people, person_id)
    rows = _candidate_rows(people, i, tasks, rules, employer_ids, radius_km)
    scores = score_pairs(people, np.full(len(rows), i), tasks, rows, rules)
    return _bundle_from_scores(
        people, i, tasks, scores, workplace_penalty, hours_allowance=rules.hard.max_hours_over
    )


def _bundle_from_scores(
    people: PeopleMatrix,
    i: int,
    tasks: TaskMatrix,
    scores: PairScores,
    workplace_penalty: float,
    *,
    hours_allowance: float,
    for_employer: bool = False,
) -> Bundle:
    """The best bundle of the feasible pairs in ``scores``; ``hours_allowance`` is the rule
    set's ``max_hours_over``, the same allowance over the person's maximum a single task gets
    (without it, a task the rules let through could fit no bundle at all)."""
    ok = np.flatnonzero(scores.feasible)
    if len(ok) > MAX_CANDIDATES:  # keep the program small: the best by score
        ok = ok[top_k(scores.total[ok], tasks.ids[scores.task_rows[ok]], MAX_CANDIDATES)]
    rows = scores.task_rows[ok]
    person_id = int(people.ids[i])
    if len(rows) == 0:
        return _describe(Bundle(person_id, [], [], 0.0, [], 0.0, [], [], [], "no_feasible_task"),
                         people, i, for_employer=for_employer)  # fmt: skip
    chosen, objective, reached = solve_bundle(
        scores.total[ok], tasks.hours[rows], tasks.schedule[rows], tasks.employer_ids[rows],
        float(people.hours_min[i]), float(people.hours_max[i]) + hours_allowance,
        workplace_penalty,
    )  # fmt: skip
    if not chosen.any():  # no single task fits under the maximum (with its allowance)
        return _describe(Bundle(person_id, [], [], 0.0, [], 0.0, [], [], [], "no_feasible_task"),
                         people, i, for_employer=for_employer)  # fmt: skip
    picked = ok[chosen]
    order = np.argsort(tasks.ids[scores.task_rows[picked]], kind="stable")
    picked = picked[order]
    task_rows = scores.task_rows[picked]
    bits = int(np.bitwise_or.reduce(tasks.schedule[task_rows])) if len(task_rows) else 0
    adjustments = sorted({a for p in picked for a in np.flatnonzero(scores.chosen[p])})
    # Those that bring a restricted demand within the physician's limit are conditions.
    restricted = (people.hard[i] & (scores.over[picked] > 0)).any(axis=0)
    conditions = sorted(
        {a for p in picked for a in np.flatnonzero(scores.chosen[p] & EXPOSURE)
         if (_LOWERING[a] > 0)[restricted].any()}
    )  # fmt: skip
    bundle = Bundle(
        person_id=person_id,
        task_ids=[int(t) for t in tasks.ids[task_rows]],
        employer_ids=sorted({int(e) for e in tasks.employer_ids[task_rows]}),
        hours=float(tasks.hours[task_rows].sum()),
        slots=[s for b, s in enumerate(SLOT_IDS) if (bits >> b) & 1],
        objective=objective,
        scores=[float(v) for v in scores.total[picked]],
        adjustments=[list(ADJUSTMENTS)[a] for a in adjustments],
        supports=[],
        status="optimal" if reached else "below_minimum_hours",
        conditions=[list(ADJUSTMENTS)[a] for a in conditions],
    )
    return _describe(bundle, people, i, for_employer=for_employer)


def _describe(
    bundle: Bundle, people: PeopleMatrix, i: int, *, for_employer: bool = False
) -> Bundle:
    """The bundle's supports and sentences. ``for_employer``: the employer's side (candidates
    in an employer's composition) is never told the hours the person wants."""
    supports = []
    if people.wage_subsidy[i]:
        supports.append("wage_subsidy")
    providers = {ADJUSTMENTS[a].provider.value for a in bundle.adjustments}
    if people.job_coach[i] or "job_coach" in providers:
        supports.append("job_coach")
    if any(ADJUSTMENTS[a].subsidy_available for a in bundle.adjustments):
        supports.append("workplace_adjustment_subsidy")
    bundle.supports = supports
    lo, hi = float(people.hours_min[i]), float(people.hours_max[i])
    wishes = None if for_employer else (lo, hi)
    bundle.sentences = {
        lang: _bundle_sentences(bundle, supports, wishes, lang) for lang in LANGUAGES
    }
    return bundle


_SUPPORT_NAMES = {
    "wage_subsidy": N_("wage subsidy"),
    "job_coach": N_("job coach"),
    "workplace_adjustment_subsidy": N_("workplace adjustment subsidy"),
}


def _bundle_sentences(
    bundle: Bundle, supports: list[str], wishes: tuple[float, float] | None, lang: str
) -> list[str]:
    """``wishes``: the hours a week the person wants (low, high), said to their own
    coordinators only."""
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    if bundle.status == "no_feasible_task":
        return [_("No task fits; see each task's reasons.")]
    n, places = len(bundle.task_ids), len(bundle.employer_ids)
    counts = {
        "tasks": ngettext("%(n)s task", "%(n)s tasks", n) % {"n": n},
        "hours": number(bundle.hours, lang, 2),
        "places": ngettext("%(n)s workplace", "%(n)s workplaces", places) % {"n": places},
    }
    if wishes is None:
        said = _("%(tasks)s, %(hours)s h a week in all, at %(places)s.") % counts
        return [said, *_shared(bundle, supports, lang)]
    lo, hi = wishes
    out = [_("%(tasks)s, %(hours)s h a week in all (wants %(low)s–%(high)s h), at %(places)s.") % {
        **counts, "low": number(lo, lang, 2), "high": number(hi, lang, 2),
    }]  # fmt: skip
    if bundle.status == "below_minimum_hours":
        out.append(_("Below the person's minimum of %(low)s h.") % {"low": number(lo, lang, 2)})
    return out + _shared(bundle, supports, lang)


def _shared(bundle: Bundle, supports: list[str], lang: str) -> list[str]:
    """What both sides are told: the adjustments and the supports to apply for."""
    _ = gettext_for(lang)
    out = []
    for a in bundle.adjustments:
        adj = ADJUSTMENTS[a]
        out.append(_("Adjustment: %(name)s (%(provider)s).") % {
            "name": adj.name(lang),
            "provider": _(PROVIDER_NAMES[adj.provider]),
        })  # fmt: skip
    if supports:
        out.append(_("Supports to apply for: %(names)s.") % {
            "names": ", ".join(_(_SUPPORT_NAMES[x]) for x in supports)
        })  # fmt: skip
    return out


PAIR_CHUNK = 200_000


def _best_single_task(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
    eligible: np.ndarray | None = None,
) -> np.ndarray:
    """(n_people,): each person's best feasible score over ``task_rows`` (-inf: none).

    Cheap one-dimensional constraints prune the people × tasks grid first; the rest is
    scored in chunks so memory stays bounded however many people live nearby.
    """
    hard = rules.hard
    best = np.full(len(people), -np.inf)
    if len(task_rows) == 0:
        return best
    # Within reach of the tasks' centre plus the farthest task from it; exact distances
    # are the scorer's job.
    lat, lon = tasks.lat[task_rows].mean(), tasks.lon[task_rows].mean()
    spread = haversine_km(lat, lon, tasks.lat[task_rows], tasks.lon[task_rows]).max()
    near = people.matchable & (
        haversine_km(people.lat, people.lon, lat, lon) <= hard.max_distance_km + spread
    )
    if eligible is not None:
        near &= eligible
    person_rows = np.flatnonzero(near)
    ok = prefilter(people, person_rows, tasks, task_rows, rules)
    # Task by task: the scorer's own level check (over-demand less the tolerance within the
    # usable lowering; over-demand on a physician's restriction within the lowering of
    # work-changing adjustments, unless the demand is only typical, which leaves a restriction
    # unchecked; unknowns pass) keeps only pairs that can fit, then the scorer broadcasts the
    # one task's row over them.
    capacity, hard_limit = people.capacity[person_rows], people.hard[person_rows]
    tolerance = tolerance_for(rules, people.recommended[person_rows])
    for t, j in enumerate(task_rows):
        rows = np.flatnonzero(ok[:, t])
        over = np.fmax(tasks.demand[j] - capacity[rows], np.float32(0))
        short = np.where(
            hard_limit[rows],
            (over > tasks.reduction_exposure[j]) & ~tasks.typical[j],
            over - tolerance[rows] > tasks.reduction[j],
        )
        candidates = person_rows[rows[~short.any(axis=1)]]
        for start in range(0, len(candidates), PAIR_CHUNK):
            chunk = candidates[start : start + PAIR_CHUNK]
            scores = score_pairs(people, chunk, tasks, np.full(len(chunk), j), rules)
            np.maximum.at(best, chunk, np.where(scores.feasible, scores.total, -np.inf))
    return best


def compose_for_employer(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    employer_id: int,
    rules: RuleSet,
    k: int = 10,
    *,
    shortlist: int = 30,
    workplace_penalty: float = WORKPLACE_PENALTY,
    eligible: np.ndarray | None = None,
) -> list[Bundle]:
    """For an employer's hand-over tasks, the k best candidates, each with their own bundle;
    ``eligible`` (bool over people rows) keeps out whoever the asking user may not see."""
    if not 1 <= k <= 50:
        raise InvalidInputError([FieldError("k", f"must be 1–50, got {k}")])
    task_rows = np.flatnonzero((tasks.employer_ids == employer_id) & tasks.hand_over)
    if not (tasks.employer_ids == employer_id).any():
        raise NotFoundError(f"no tasks for employer {employer_id}")
    if len(task_rows) == 0:
        return []
    best = _best_single_task(people, tasks, task_rows, rules, eligible)
    has_any = np.isfinite(best)
    candidates = np.flatnonzero(has_any)
    leading = candidates[top_k(best[has_any], people.ids[has_any], shortlist)]
    bundles = []
    for i in leading:
        scores = score_pairs(people, np.full(len(task_rows), i), tasks, task_rows, rules)
        bundles.append(_bundle_from_scores(people, int(i), tasks, scores, workplace_penalty,
                                           hours_allowance=rules.hard.max_hours_over,
                                           for_employer=True))  # fmt: skip
    objective = np.array([b.objective for b in bundles])
    ids = np.array([b.person_id for b in bundles])
    return [bundles[x] for x in top_k(objective, ids, k)]
