"""Matching use cases: a person's tasks, candidates for tasks, why-not, the profile comparison
and the composer both ways.

Every answer is stored as a suggestion (what was asked, by whom, under which rule set and
model, what came back) with an audit row in the same transaction, and carries the
suggestion's id and versions. Whom the actor may see as a candidate, and how much of them, is
:mod:`api.auth.policy`'s decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from sqlalchemy import select

from api.auth.policy import PersonView, eligible_people, person_view, reachable_person
from api.core.context import Context
from api.core.purposes import Purpose
from api.storage.audit import record
from api.storage.tables import EmployerRow, RoleRow, SuggestionRow
from api.suggestions.schemas import (
    CandidatePublic,
    CandidatesPublic,
    ComparisonPublic,
    EmployerBundlesPublic,
    MatchFilters,
    MatchItem,
    PersonBundlePublic,
    PersonMatchesPublic,
    ShownFirst,
    VacanciesPublic,
    VacancyPublic,
    WhyNotPublic,
)
from features.errors import InvalidInputError, NotFoundError
from features.i18n import LANGUAGES
from features.matchability import reason_text
from features.schemas.errors import FieldError
from matching.composer import Bundle, compose_for_employer, compose_for_person
from matching.explain import employer_summary, explain_all
from matching.index import MatchIndex
from matching.offpolicy import FirstPlace, first_place
from matching.rankers import TaskFilters, task_ranker
from matching.ranking import MAX_K, rank_people_for_tasks, reordered, without
from matching.scoring import best_total
from matching.vacancies import rank_vacancies
from matching.whynot import why_not as why_not_pair

__all__ = [
    "candidates_for_tasks",
    "compare",
    "compose_for_employer_tasks",
    "compose_job_for_person",
    "score_scale",
    "stored_employer_bundle",
    "tasks_for_person",
    "why_not",
]


def _stored(explanation: dict[str, Any]) -> dict[str, Any]:
    """What is kept of an explanation with the suggestion: the facts it was built from
    (feasibility, score components, the adjustments chosen, what is unassessed, what failed),
    not its sentences or per-characteristic comparison — the words are rebuilt from these, and
    storing them made every match write about 20 KB."""
    return {
        "task_id": explanation["task_id"],
        "feasible": explanation["feasible"],
        "total": round(explanation["total"], 4),
        "contributions": {k: round(v, 4) for k, v in explanation["contributions"].items()},
        "adjustments": [a["id"] for a in explanation["adjustments"]],
        "to_assess": explanation["to_assess"],
        "failures": explanation["failures"],
    }


def _store(
    ctx: Context,
    *,
    kind: str,
    subject: dict[str, Any],
    results: dict[str, Any],
    jobseeker_id: int | None,
    model_version: str | None = None,
    action: str | None = None,
) -> int:
    """The suggestion row and its audit row, stamped with the rule set (and model) in use."""
    rules = ctx.index.rules
    row = SuggestionRow(
        actor=ctx.actor.name,
        kind=kind,
        subject=subject,
        jobseeker_id=jobseeker_id,
        ruleset_version=rules.version,
        ruleset_fingerprint=rules.fingerprint(),
        model_version=model_version,
        results=results,
        explored="shown_first" in results,
    )
    ctx.session.add(row)
    ctx.session.flush()
    task_ids = subject.get("task_ids") or [None]
    record(
        ctx.session,
        actor=ctx.actor.name,
        role=ctx.actor.role,
        action=action or f"match_{kind}",
        object_type="jobseeker" if jobseeker_id is not None else "task",
        object_id=jobseeker_id if jobseeker_id is not None else task_ids[0],
        purpose=Purpose(subject.get("purpose", Purpose.UNSPECIFIED)),
        ruleset_version=rules.version,
        model_version=model_version,
        details={"suggestion_id": row.id, "subject": subject, "result_ids": results.get("ids", [])},
    )
    return row.id


def _person_index(ctx: Context, jobseeker_id: int) -> MatchIndex:
    """The index, once the person is known to be in the actor's reach and in the index."""
    reachable_person(ctx, jobseeker_id)
    index = ctx.index.get(ctx.session)
    if jobseeker_id not in index.people.row_of:
        raise NotFoundError(f"no jobseeker with id {jobseeker_id}")
    return index


def _envelope(ctx: Context, suggestion_id: int, model_version: str | None = None) -> dict[str, Any]:
    return {
        "suggestion_id": suggestion_id,
        "ruleset_version": ctx.index.rules.version,
        "model_version": model_version,
    }


def score_scale(ctx: Context) -> float:
    """The best score a pair can have under the active rule set: the scale the pages state with
    every score (``matching.scoring.best_total``)."""
    return best_total(ctx.index.rules)


def tasks_for_person(
    ctx: Context,
    jobseeker_id: int,
    filters: MatchFilters,
    *,
    purpose: Purpose = Purpose.UNSPECIFIED,
    left_out: Sequence[int] = (),
) -> PersonMatchesPublic:
    """Hand-over tasks for a person, best first, each explained; re-ranked by the active model
    when there is one. ``left_out``: tasks the coordinators left out of the person's list
    (with a reason): not listed, the next ones in their place, so the list stays ``k`` long."""
    index = _person_index(ctx, jobseeker_id)
    rules = ctx.index.rules
    reason = str(index.people.not_matchable_reason[index.people.row_of[jobseeker_id]])
    ranker = task_ranker(rules, ctx.reranker)
    ranked = ranker.tasks_for_person(
        index.people,
        index.tasks,
        jobseeker_id,
        min(filters.k + len(left_out), MAX_K),
        TaskFilters(
            sectors=filters.sector,
            municipalities=filters.municipality,
            employer_ids=filters.employer_id,
            radius_km=filters.radius_km,
        ),
    )
    if left_out:
        ranked = without(ranked, left_out, filters.k)
    model_version = ranker.model_version
    shown = _explored_first(ctx, ranked.pairs.first_tier, jobseeker_id)
    if shown is not None:
        ranked = reordered(ranked, shown.order(len(ranked.ids)))
    explanations = explain_all(index.people, index.tasks, ranked.pairs, np.arange(len(ranked.ids)))
    items = [
        MatchItem(
            task_id=int(t),
            total=float(s),
            # A ranked list leaves the per-characteristic comparison to ``compare``: 43 rows
            # for each of 20 tasks would be most of the response.
            explanation=e.to_dict(with_comparison=False),
        )
        for e, t, s in zip(explanations, ranked.ids, ranked.total, strict=True)
    ]
    results = {
        "ids": [i.task_id for i in items],
        "total": [i.total for i in items],
        "explanations": [_stored(i.explanation) for i in items],
    }
    first = None
    if shown is not None:
        first = ShownFirst(
            rules_position=shown.position + 1, propensity=shown.propensity, among=shown.among
        )
        results["shown_first"] = first.model_dump()
    suggestion_id = _store(
        ctx,
        kind="person_tasks",
        subject={
            "jobseeker_id": jobseeker_id,
            "k": filters.k,
            "purpose": purpose.value,
            **({"left_out": sorted(left_out)} if left_out else {}),
        },
        results=results,
        jobseeker_id=jobseeker_id,
        model_version=model_version,
    )
    ctx.session.commit()
    return PersonMatchesPublic(
        **_envelope(ctx, suggestion_id, model_version),
        jobseeker_id=jobseeker_id,
        not_matchable_reason=reason,
        not_matchable_text={lang: reason_text(reason, lang) for lang in LANGUAGES},
        n_candidates=ranked.n_candidates,
        n_feasible=ranked.n_feasible,
        items=items,
        shown_first=first,
    )


def _explored_first(ctx: Context, first_tier: np.ndarray, jobseeker_id: int) -> FirstPlace | None:
    """The rule set's exploration of the first place, when it explores and the list allows:
    seeded by the rule set, the person and the day."""
    exploration = ctx.index.rules.exploration
    if exploration.share <= 0 or len(first_tier) < 2:
        return None
    ruleset = int(ctx.index.rules.fingerprint(), 16) % 2**32
    shown = first_place(
        first_tier, exploration.share, exploration.among, (ruleset, jobseeker_id, ctx.now.date())
    )
    return shown if shown.among > 1 else None


def candidates_for_tasks(
    ctx: Context, task_ids: list[int], k: int, areas: list[str] | None = None
) -> CandidatesPublic:
    """Candidates for a task or a set of tasks, among the people the actor may be shown; a
    Rekrypiste worker gets each as code, fit in words, adjustments and supports only."""
    index = ctx.index.get(ctx.session)
    view = person_view(ctx.actor.role)
    ranked = rank_people_for_tasks(
        index.people,
        index.tasks,
        task_ids,
        ctx.index.rules,
        k,
        areas=areas,
        eligible=eligible_people(ctx, index.people),
    )
    n_tasks = len(dict.fromkeys(task_ids))
    items = []
    every = explain_all(index.people, index.tasks, ranked.pairs, np.arange(len(ranked.pairs)))
    for rank, person_id in enumerate(ranked.ids):
        row = index.people.row_of[int(person_id)]
        explanations = every[rank * n_tasks : (rank + 1) * n_tasks]
        items.append(
            CandidatePublic(
                code=str(index.people.codes[row]),
                total=float(ranked.total[rank]),
                tasks=[employer_summary(e) for e in explanations],
                supports=_supports(index, row),
                explanations=[e.to_dict() for e in explanations]
                if view is PersonView.FULL
                else None,
            )
        )
    results = {"ids": [int(x) for x in ranked.ids], "total": [float(x) for x in ranked.total]}
    suggestion_id = _store(
        ctx,
        kind="tasks_people",
        subject={"task_ids": task_ids, "k": k},
        results=results,
        jobseeker_id=None,
    )
    ctx.session.commit()
    return CandidatesPublic(
        **_envelope(ctx, suggestion_id),
        n_candidates=ranked.n_candidates,
        n_feasible=ranked.n_feasible,
        items=items,
    )


def _supports(index: MatchIndex, row: int) -> list[str]:
    """Supports an employer may arrange or apply for with this person."""
    supports = []
    if index.people.job_coach[row]:
        supports.append("job_coach")
    if index.people.wage_subsidy[row]:
        supports.append("wage_subsidy")
    return supports


def why_not(ctx: Context, jobseeker_id: int, task_id: int) -> WhyNotPublic:
    """Why a pair does not fit, and the smallest changes that would make it fit."""
    index = _person_index(ctx, jobseeker_id)
    if task_id not in index.tasks.row_of:
        raise NotFoundError(f"no task with id {task_id}")
    answer = why_not_pair(index.people, index.tasks, jobseeker_id, task_id, ctx.index.rules)
    suggestion_id = _store(
        ctx,
        kind="why_not",
        subject={"jobseeker_id": jobseeker_id, "task_id": task_id},
        results={"ids": [task_id], "feasible": answer.feasible},
        jobseeker_id=jobseeker_id,
    )
    ctx.session.commit()
    return WhyNotPublic(
        **_envelope(ctx, suggestion_id),
        feasible=answer.feasible,
        failures=answer.failures,
        relaxations=[asdict(r) for r in answer.relaxations],
        explanation=answer.explanation.to_dict(),
    )


def compare(ctx: Context, jobseeker_id: int, task_id: int) -> ComparisonPublic:
    """Capacity, demand and demand after adjustments per characteristic (IMBA-style chart)."""
    index = _person_index(ctx, jobseeker_id)
    if task_id not in index.tasks.row_of:
        raise NotFoundError(f"no task with id {task_id}")
    answer = why_not_pair(index.people, index.tasks, jobseeker_id, task_id, ctx.index.rules)
    explanation = answer.explanation.to_dict()
    suggestion_id = _store(
        ctx,
        kind="comparison",
        subject={"jobseeker_id": jobseeker_id, "task_id": task_id},
        results={"ids": [task_id], "feasible": answer.feasible},
        jobseeker_id=jobseeker_id,
        action="compare",
    )
    ctx.session.commit()
    return ComparisonPublic(
        **_envelope(ctx, suggestion_id),
        feasible=answer.feasible,
        comparison=explanation["comparison"],
    )


def compose_job_for_person(
    ctx: Context,
    jobseeker_id: int,
    *,
    employer_ids: list[int] | None = None,
    radius_km: float | None = None,
) -> PersonBundlePublic:
    """A tailored job for a person: the best bundle of hand-over tasks at the given employers
    or within the radius."""
    if not employer_ids and radius_km is None:
        raise InvalidInputError([FieldError("employer_ids", "give employer_ids or radius_km")])
    index = _person_index(ctx, jobseeker_id)
    bundle = compose_for_person(
        index.people,
        index.tasks,
        jobseeker_id,
        ctx.index.rules,
        employer_ids=employer_ids,
        radius_km=radius_km,
    )
    subject = {"jobseeker_id": jobseeker_id, "employer_ids": employer_ids, "radius_km": radius_km}
    suggestion_id = _store(
        ctx,
        kind="compose",
        subject=subject,
        results={"ids": bundle.task_ids, "bundle": asdict(bundle)},
        jobseeker_id=jobseeker_id,
    )
    ctx.session.commit()
    return PersonBundlePublic(**_envelope(ctx, suggestion_id), bundle=asdict(bundle))


def _employer_item(code: str, bundle: Bundle, view: PersonView) -> dict[str, Any]:
    data = asdict(bundle)
    if view is not PersonView.FULL:
        # No internal ids or scores to employer-facing staff, and no status: "below the
        # minimum hours" says something of the hours the person wants.
        for key in ("person_id", "scores", "objective", "status"):
            data.pop(key)
    return {"code": code, **data}


def compose_for_employer_tasks(ctx: Context, employer_id: int, k: int) -> EmployerBundlesPublic:
    """For an employer's hand-over tasks, the best candidates the actor may be shown, each
    with their own bundle."""
    index = ctx.index.get(ctx.session)
    if not (index.tasks.employer_ids == employer_id).any():
        raise NotFoundError(f"no tasks for employer {employer_id}")
    bundles = compose_for_employer(
        index.people,
        index.tasks,
        employer_id,
        ctx.index.rules,
        k,
        eligible=eligible_people(ctx, index.people),
    )
    view = person_view(ctx.actor.role)
    items = [
        _employer_item(str(index.people.codes[index.people.row_of[b.person_id]]), b, view)
        for b in bundles
    ]
    suggestion_id = _store(
        ctx,
        kind="compose_employer",
        subject={"employer_id": employer_id, "k": k},
        results={"ids": [b.person_id for b in bundles], "items": items},
        jobseeker_id=None,
    )
    ctx.session.commit()
    return EmployerBundlesPublic(**_envelope(ctx, suggestion_id), items=items)


def stored_employer_bundle(
    ctx: Context, employer_id: int, suggestion_id: int, code: str
) -> dict[str, Any]:
    """One candidate's tailored job from a stored employer composition (the printable
    proposal): read back, never recomputed; only the actor who asked may print it."""
    row = ctx.session.get(SuggestionRow, suggestion_id)
    missing = f"no tailored job for {code} in suggestion {suggestion_id}"
    if (
        row is None
        or row.kind != "compose_employer"
        or row.actor != ctx.actor.name
        or row.subject.get("employer_id") != employer_id
    ):
        raise NotFoundError(missing)
    item = next((i for i in row.results.get("items", []) if i["code"] == code), None)
    if item is None:
        raise NotFoundError(missing)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="print_proposal",
           object_type="suggestion", object_id=suggestion_id,
           details={"employer_id": employer_id, "code": code})  # fmt: skip
    ctx.session.commit()
    return dict(item)


def open_vacancies_for_person(ctx: Context, jobseeker_id: int, k: int = 10) -> VacanciesPublic:
    """The employers' open vacancies the person fits as a whole (every task of the role), best
    first — when the rule set includes them; stored and audited like any suggestion."""
    index = _person_index(ctx, jobseeker_id)
    open_rows = ctx.session.execute(
        select(RoleRow.id, RoleRow.vacancy_hours).where(RoleRow.open_vacancy)
    ).all()
    open_roles = np.array([r for r, _ in open_rows], dtype=np.int64)
    role_hours = np.array([np.nan if h is None else h for _, h in open_rows], dtype=np.float64)
    row = index.people.row_of[jobseeker_id]
    fits = (
        rank_vacancies(
            index.people, index.tasks, jobseeker_id, ctx.index.rules, open_roles, k, role_hours
        )
        if index.people.matchable[row]
        else []
    )
    names = dict(ctx.session.execute(
        select(RoleRow.id, RoleRow.title).where(RoleRow.id.in_([f.role_id for f in fits]))
    ).all())  # fmt: skip
    employers = dict(ctx.session.execute(
        select(EmployerRow.id, EmployerRow.name)
        .where(EmployerRow.id.in_([f.employer_id for f in fits]))
    ).all())  # fmt: skip
    items = [
        VacancyPublic(
            **asdict(f), title=names.get(f.role_id, ""), employer=employers.get(f.employer_id, "")
        )
        for f in fits
    ]
    suggestion_id = _store(
        ctx,
        kind="vacancies",
        subject={"jobseeker_id": jobseeker_id, "k": k},
        # Every task of every vacancy suggested: a proposal names a vacancy by its tasks.
        results={
            "ids": [t for f in fits for t in f.task_ids],
            "roles": [f.role_id for f in fits],
            "tasks_of": {str(f.role_id): f.task_ids for f in fits},
        },
        jobseeker_id=jobseeker_id,
    )
    ctx.session.commit()
    return VacanciesPublic(
        **_envelope(ctx, suggestion_id),
        included=ctx.index.rules.open_vacancies,
        items=items,
    )
