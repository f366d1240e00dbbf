"""Matches with explanations, why-not, profile comparison and the composer.

Every match response is stored as a suggestion (what was asked, by whom, under which rule
set, what came back) and carries its id and the rule-set version; an audit row records the
run in the same transaction. A person without active consent is never matched: the answer
says why.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy.orm import Session

from api.audit import record
from api.deps import IndexHolder, SessionDep, User, require
from api.models import MAX_ID, ComposeRequest, IdPath, TaskCandidatesRequest
from api.routes.jobseekers import visible_row
from api.security import Permission
from api.storage.tables import SuggestionRow
from features.errors import InvalidInputError, NotFoundError
from features.schemas.errors import FieldError
from matching.composer import compose_for_employer, compose_for_person
from matching.explain import explain
from matching.index import MatchIndex
from matching.ranking import MAX_K, rank_people_for_tasks, rank_tasks_for_person
from matching.reranker import Reranker, rerank
from matching.whynot import why_not

router = APIRouter(tags=["matching"])


def _holder(request: Request) -> IndexHolder:
    return request.app.state.index


def _person_index(
    request: Request, session: Session, user: User, jobseeker_id: int
) -> tuple[IndexHolder, MatchIndex]:
    """The index, once the person is known to be visible to the user and in the index."""
    visible_row(session, user, jobseeker_id)
    holder = _holder(request)
    index = holder.get(session)
    if jobseeker_id not in index.people.row_of:
        raise NotFoundError(f"no jobseeker with id {jobseeker_id}")
    return holder, index


def _store(
    session: Session,
    user: User,
    holder: IndexHolder,
    *,
    kind: str,
    subject: dict[str, Any],
    results: dict[str, Any],
    jobseeker_id: int | None,
    model_version: str | None = None,
) -> int:
    row = SuggestionRow(
        actor=user.name,
        kind=kind,
        subject=subject,
        jobseeker_id=jobseeker_id,
        ruleset_version=holder.rules.version,
        ruleset_fingerprint=holder.rules.fingerprint(),
        model_version=model_version,
        results=results,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=user.name,
        role=user.role,
        action=f"match_{kind}",
        object_type="jobseeker" if jobseeker_id is not None else "task",
        object_id=jobseeker_id
        if jobseeker_id is not None
        else ",".join(str(t) for t in subject.get("task_ids", [])),
        ruleset_version=holder.rules.version,
        model_version=model_version,
        details={"suggestion_id": row.id, "subject": subject, "result_ids": results.get("ids", [])},
    )
    return row.id


_STORED_KEYS = (
    "task_id",
    "feasible",
    "total",
    "contributions",
    "adjustments",
    "to_assess",
    "failures",
    "sentences",
)


def _stored(explanation: dict[str, Any]) -> dict[str, Any]:
    """What is kept of an explanation with the suggestion: everything but the per-
    characteristic comparison, which the profile and task rebuild."""
    return {key: explanation[key] for key in _STORED_KEYS}


def _envelope(
    holder: IndexHolder,
    suggestion_id: IdPath,
    body: dict[str, Any],
    model_version: str | None = None,
) -> dict[str, Any]:
    return {
        "suggestion_id": suggestion_id,
        "ruleset_version": holder.rules.version,
        "model_version": model_version,
        **body,
    }


def _reranker(request: Request) -> Reranker | None:
    """The active learned re-ranker, if the service loaded one (``models/ACTIVE``)."""
    return request.app.state.reranker


@router.get("/jobseekers/{jobseeker_id}/matches", summary="Hand-over tasks for a person")
def match_person(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MATCH_PERSON)],
    k: Annotated[int, Query(ge=1, le=100)] = 20,
    sector: Annotated[list[str] | None, Query(max_length=20)] = None,
    municipality: Annotated[list[str] | None, Query(max_length=20)] = None,
    employer_id: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None, Query(max_length=50)
    ] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=200)] = None,
    purpose: Annotated[str, Query(min_length=1, max_length=200)] = "unspecified",
) -> dict[str, Any]:
    holder, index = _person_index(request, session, user, jobseeker_id)
    reason = str(index.people.not_matchable_reason[index.people.row_of[jobseeker_id]])
    model = _reranker(request)
    ranked = rank_tasks_for_person(
        index.people,
        index.tasks,
        jobseeker_id,
        holder.rules,
        MAX_K if model else k,  # the model reorders the rules' feasible pairs, then cuts
        sectors=sector,
        municipalities=municipality,
        employer_ids=employer_id,
        radius_km=radius_km,
    )
    if model is not None:
        ranked, _ = rerank(ranked, index.people, index.tasks, model, k)
    model_version = model.version if model else None
    items = [
        {
            "task_id": int(t),
            "total": float(s),
            # A ranked list leaves the per-characteristic comparison to ``/comparison``:
            # 43 rows for each of 20 tasks would be most of the response.
            "explanation": explain(index.people, index.tasks, ranked.pairs, p).to_dict(
                with_comparison=False
            ),
        }
        for p, (t, s) in enumerate(zip(ranked.ids, ranked.total, strict=True))
    ]
    results = {
        "ids": [i["task_id"] for i in items],
        "total": [i["total"] for i in items],
        "explanations": [_stored(i["explanation"]) for i in items],
    }
    suggestion_id = _store(
        session,
        user,
        holder,
        kind="person_tasks",
        subject={"jobseeker_id": jobseeker_id, "k": k, "purpose": purpose},
        results=results,
        jobseeker_id=jobseeker_id,
        model_version=model_version,
    )
    session.commit()
    return _envelope(
        holder,
        suggestion_id,
        {
            "jobseeker_id": jobseeker_id,
            "not_matchable_reason": reason,
            "n_candidates": ranked.n_candidates,
            "n_feasible": ranked.n_feasible,
            "items": items,
        },
        model_version,
    )


@router.post("/matches/candidates", summary="Candidates for a task or a set of tasks")
def match_tasks(
    body: TaskCandidatesRequest,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MATCH_TASKS)],
) -> dict[str, Any]:
    """Candidates by pseudonymous code with their fit explanation only: no name, contact or
    free text."""
    holder = _holder(request)
    index = holder.get(session)
    areas = body.areas
    if user.area is not None:
        areas = [user.area]
    ranked = rank_people_for_tasks(
        index.people, index.tasks, body.task_ids, holder.rules, body.k, areas=areas
    )
    n_tasks = len(dict.fromkeys(body.task_ids))
    items = []
    for rank, person_id in enumerate(ranked.ids):
        row = index.people.row_of[int(person_id)]
        explanations = [
            explain(index.people, index.tasks, ranked.pairs, rank * n_tasks + t).to_dict()
            for t in range(n_tasks)
        ]
        items.append(
            {
                "code": str(index.people.codes[row]),
                "total": float(ranked.total[rank]),
                "explanations": explanations,
            }
        )
    results = {"ids": [int(x) for x in ranked.ids], "total": [float(x) for x in ranked.total]}
    suggestion_id = _store(
        session,
        user,
        holder,
        kind="tasks_people",
        subject={"task_ids": body.task_ids, "k": body.k},
        results=results,
        jobseeker_id=None,
    )
    session.commit()
    return _envelope(
        holder,
        suggestion_id,
        {"n_candidates": ranked.n_candidates, "n_feasible": ranked.n_feasible, "items": items},
    )


@router.get("/jobseekers/{jobseeker_id}/why-not/{task_id}", summary="Why not, and what would fit")
def why_not_route(
    jobseeker_id: IdPath,
    task_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MATCH_PERSON)],
) -> dict[str, Any]:
    holder, index = _person_index(request, session, user, jobseeker_id)
    if task_id not in index.tasks.row_of:
        raise NotFoundError(f"no task with id {task_id}")
    answer = why_not(index.people, index.tasks, jobseeker_id, task_id, holder.rules)
    body = {
        "feasible": answer.feasible,
        "failures": answer.failures,
        "relaxations": [asdict(r) for r in answer.relaxations],
        "explanation": answer.explanation.to_dict(),
    }
    suggestion_id = _store(
        session,
        user,
        holder,
        kind="why_not",
        subject={"jobseeker_id": jobseeker_id, "task_id": task_id},
        results={"ids": [task_id], "feasible": answer.feasible},
        jobseeker_id=jobseeker_id,
    )
    session.commit()
    return _envelope(holder, suggestion_id, body)


@router.get("/jobseekers/{jobseeker_id}/comparison/{task_id}", summary="Profile comparison")
def comparison(
    jobseeker_id: IdPath,
    task_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MATCH_PERSON)],
) -> dict[str, Any]:
    """Capacity, demand and demand after adjustments per characteristic (IMBA-style chart)."""
    answer = why_not_route(jobseeker_id, task_id, request, session, user)
    return {key: answer[key] for key in ("suggestion_id", "ruleset_version", "model_version")} | {
        "feasible": answer["feasible"],
        "comparison": answer["explanation"]["comparison"],
    }


@router.post("/jobseekers/{jobseeker_id}/compose", summary="A tailored job for a person")
def compose_person(
    jobseeker_id: IdPath,
    body: ComposeRequest,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MATCH_PERSON)],
) -> dict[str, Any]:
    if not body.employer_ids and body.radius_km is None:
        raise InvalidInputError([FieldError("employer_ids", "give employer_ids or radius_km")])
    holder, index = _person_index(request, session, user, jobseeker_id)
    bundle = compose_for_person(
        index.people,
        index.tasks,
        jobseeker_id,
        holder.rules,
        employer_ids=body.employer_ids,
        radius_km=body.radius_km,
    )
    suggestion_id = _store(
        session,
        user,
        holder,
        kind="compose",
        subject={"jobseeker_id": jobseeker_id} | body.model_dump(),
        results={"ids": bundle.task_ids, "bundle": asdict(bundle)},
        jobseeker_id=jobseeker_id,
    )
    session.commit()
    return _envelope(holder, suggestion_id, {"bundle": asdict(bundle)})


@router.post(
    "/employers/{employer_id}/compose", summary="Candidates for an employer, each with a bundle"
)
def compose_employer(
    employer_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.COMPOSE)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict[str, Any]:
    holder = _holder(request)
    index = holder.get(session)
    if not (index.tasks.employer_ids == employer_id).any():
        raise NotFoundError(f"no tasks for employer {employer_id}")
    bundles = compose_for_employer(index.people, index.tasks, employer_id, holder.rules, k)
    items = [
        {"code": str(index.people.codes[index.people.row_of[b.person_id]]), **asdict(b)}
        for b in bundles
    ]
    suggestion_id = _store(
        session,
        user,
        holder,
        kind="compose_employer",
        subject={"employer_id": employer_id, "k": k},
        results={"ids": [b.person_id for b in bundles]},
        jobseeker_id=None,
    )
    session.commit()
    return _envelope(holder, suggestion_id, {"items": items})
