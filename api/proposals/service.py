"""Proposals and what followed, and overrides of suggestions.

Attribution is the service's: who proposed, when, and under which rule set and model come
from the acting user, the clock and the stored suggestion — never from the request. A
coordinator reaches the proposals of their own area's people; a Rekrypiste worker those they
made. Free text that may hold health information is shown only to the person's own
coordinators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth.policy import (
    PersonView,
    person_by_code,
    person_view,
    reachable_person,
    refuse,
    sees_private_notes,
    shown_to_employers,
)
from api.core.context import Context
from api.core.runtime import ForbiddenError
from api.core.security import records_outcome
from api.people.episodes import follow_proposal_step
from api.proposals.schemas import (
    EventPublic,
    LeftOutPublic,
    ProposalCreate,
    ProposalPublic,
    ProposalWithdrawal,
)
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import (
    CandidateRequestRow,
    OutcomeEventRow,
    OverrideRow,
    ProposalRow,
    ProposalTaskRow,
    SuggestionRow,
)
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas import OutcomeEvent, Proposal
from features.schemas.dates import (
    PROPOSAL_MADE,
    STEP_BEFORE,
    before_start,
    happened_problems,
    today_in_finland,
)
from features.schemas.errors import FieldError
from features.schemas.proposal import TERMINAL, OutcomeKind
from matching.verdict import engine_exclusions

__all__ = [
    "ProposalCheck",
    "bundle_proposal",
    "check_bundle",
    "check_proposal",
    "open_proposals_by_task",
    "outcome_counts",
    "override_suggestion",
    "proposal_of_person",
    "proposals_of_person",
    "propose",
    "propose_bundle",
    "read_proposal",
    "record_outcome",
    "suggested_task_ids",
    "withdraw_proposal",
]

CLOCK_SKEW = timedelta(minutes=5)


def put_forward(suggestion: SuggestionRow, person_id: int, code: str) -> set[int]:
    """The tasks a stored suggestion put forward for this person: a list of theirs (tasks,
    why-not, their tailored job), the tasks of a candidate list they are on, or their own
    bundle in an employer's composition. Empty: it did not put them forward at all."""
    if suggestion.kind == "compose_employer":
        items = suggestion.results.get("items", [])
        item = next((i for i in items if i.get("code") == code), None)
        return {int(t) for t in item["task_ids"]} if item else set()
    if suggestion.jobseeker_id == person_id:
        return {int(x) for x in suggestion.results.get("ids", [])}
    if person_id in {int(x) for x in suggestion.results.get("ids", [])}:
        return {int(x) for x in suggestion.subject.get("task_ids", [])}
    return set()


def suggestion_in_reach(ctx: Context, suggestion_id: int) -> SuggestionRow:
    """A stored suggestion about a person in the actor's reach, or one the actor asked for
    (candidate lists and employer compositions)."""
    message = f"no suggestion with id {suggestion_id}"
    row = ctx.session.get(SuggestionRow, suggestion_id)
    if row is None:
        raise NotFoundError(message)
    if row.jobseeker_id is not None:
        try:
            reachable_person(ctx, row.jobseeker_id)
        except NotFoundError:
            raise NotFoundError(message) from None
    elif row.actor != ctx.actor.name:
        raise refuse(ctx, "suggestion", suggestion_id, message)
    return row


@dataclass(frozen=True)
class ProposalCheck:
    """What a proposal would be, checked but not stored — what the confirmation shows before
    anything is recorded: the person, the tasks, what the rules exclude (a reason is then
    needed), and the open proposal of the same tasks if there is one."""

    jobseeker_id: int
    jobseeker_code: str
    task_ids: list[int]
    suggestion_id: int | None
    excluded: dict[str, list[str]]
    already: int | None
    """The open proposal of the person for exactly these tasks (proposing again is refused)."""


def check_proposal(ctx: Context, body: ProposalCreate) -> ProposalCheck:
    """Everything :func:`propose` checks but the reason and a proposal already open: nothing
    is stored (the confirmation step's page)."""
    person = person_by_code(ctx, body.jobseeker_code)
    suggestion = None
    if body.suggestion_id is not None:
        suggestion = suggestion_in_reach(ctx, body.suggestion_id)
        if not set(body.task_ids) <= put_forward(suggestion, person.id, person.code):
            raise InvalidInputError([FieldError(
                "suggestion_id", "the suggestion did not put forward this person and these tasks"
            )])  # fmt: skip
    # Employer-facing staff propose only whom they were shown, or whom the person's own
    # coordinator agreed to: a free choice of person and task, with the engine's verdict
    # answered, would let them probe a person's physician's restrictions task by task.
    employer_facing = person_view(ctx.actor.role) is PersonView.CANDIDATE
    if employer_facing and suggestion is None and not _agreed(ctx, person.id, body.task_ids):
        raise InvalidInputError([FieldError(
            "suggestion_id", "propose a candidate from a list you were shown (its "
            "suggestion_id), or one whose coordinator answered yes to your request"
        )])  # fmt: skip
    index = ctx.index.get(ctx.session)
    excluded = engine_exclusions(index.people, index.tasks, ctx.index.rules, person.id,
                                 body.task_ids)  # fmt: skip
    if suggestion is not None and _a_suggested_vacancy(suggestion, body.task_ids):
        excluded = {}  # the engine suggested these tasks together, as an open vacancy
    if excluded and employer_facing:  # one answer, whatever fails: no reasons, no override
        raise InvalidInputError([FieldError(
            "jobseeker_code", "this person cannot be proposed for these tasks now; ask the "
            "person's coordinator", kind="ask_the_coordinator",
        )])  # fmt: skip
    wanted = sorted(body.task_ids)
    already = next(
        (p.id for p in _open_proposals(ctx, person.id) if sorted(p.task_ids) == wanted), None
    )
    return ProposalCheck(jobseeker_id=person.id, jobseeker_code=person.code,
                         task_ids=list(body.task_ids),
                         suggestion_id=body.suggestion_id, excluded=excluded,
                         already=already)  # fmt: skip


def propose(ctx: Context, body: ProposalCreate, *, via: str = "api") -> int:
    """Record that a person was proposed for tasks, with the proposer's note; the same open
    proposal twice is a conflict, not a second row."""
    checked = check_proposal(ctx, body)
    excluded = checked.excluded
    rules_version, model_version = ctx.index.rules.version, None
    position = None
    if body.suggestion_id is not None:
        suggestion = suggestion_in_reach(ctx, body.suggestion_id)
        rules_version, model_version = suggestion.ruleset_version, suggestion.model_version
        position = _position(suggestion, checked.jobseeker_id, body.task_ids)
    if excluded and not body.reason:
        said = "; ".join(f"task {t}: {', '.join(f)}" for t, f in excluded.items())
        raise InvalidInputError([FieldError(
            "reason", f"the rules exclude this for the person ({said}); say why you propose it "
            "anyway", kind="override_needs_reason", context={"tasks": ", ".join(excluded)},
        )])  # fmt: skip
    if checked.already is not None:
        raise ConflictError(
            f"{body.jobseeker_code} is already proposed for these tasks (proposal "
            f"{checked.already}); record what happened to it instead"
        )
    proposal = Proposal(
        jobseeker_code=checked.jobseeker_code,
        task_ids=body.task_ids,
        proposed_at=ctx.now,
        proposed_by=ctx.actor.name,
        ruleset_version=rules_version,
        model_version=model_version,
        suggestion_id=body.suggestion_id,
        suggestion_position=position,
        against_engine=bool(excluded),
        engine_said=excluded,
        override_reason=body.reason,
        note=body.note.strip(),
    )
    proposal_id = repository.add_proposal(ctx.session, proposal=proposal)
    record(
        ctx.session,
        actor=ctx.actor.name,
        role=ctx.actor.role,
        action="propose",
        object_type="proposal",
        object_id=proposal_id,
        ruleset_version=rules_version,
        model_version=model_version,
        details={
            "suggestion_id": body.suggestion_id,
            "task_ids": body.task_ids,
            "via": via,
            "against_engine": bool(excluded),
        },
    )
    ctx.session.commit()
    return proposal_id


def withdraw_proposal(ctx: Context, proposal_id: int, body: ProposalWithdrawal) -> None:
    """Withdraw a proposal made in error or no longer wanted — by the person's own
    coordinators, or by whoever made it — with who, when and why kept on it (the reason is
    free text: in the row, erased with the person, never in the audit trail). Only a proposal
    that stands and has no step yet: once the employer answered or a trial began, its steps
    tell what happened (a mistaken step is undone first). Withdrawn twice: a conflict."""
    row = _reachable_proposal(ctx, proposal_id, writing=True)
    if row.withdrawn_at is not None:
        raise ConflictError(f"proposal {proposal_id} was withdrawn already by {row.withdrawn_by}")
    stored = repository.get_proposal(ctx.session, proposal_id=proposal_id)
    if stored.events:
        raise ConflictError(
            f"proposal {proposal_id} has steps recorded: record how it ended instead (or undo "
            "a mistaken step first)"
        )
    row.withdrawn_at = max(ctx.now, stored.proposed_at)
    row.withdrawn_by = ctx.actor.name
    row.withdraw_reason = body.reason.strip()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="withdraw_proposal",
           object_type="proposal", object_id=proposal_id,
           details={"task_ids": stored.task_ids})  # fmt: skip
    ctx.session.commit()


def _agreed(ctx: Context, jobseeker_id: int, task_ids: list[int]) -> bool:
    """The person's coordinator answered yes to this actor's request for these tasks."""
    answers = ctx.session.scalars(
        select(CandidateRequestRow).where(
            CandidateRequestRow.jobseeker_id == jobseeker_id,
            CandidateRequestRow.requested_by == ctx.actor.name,
            CandidateRequestRow.answer == "yes",
        )
    )
    return any(set(task_ids) <= set(row.task_ids) for row in answers)


def _bundle(
    ctx: Context, suggestion_id: int, code: str, employer_id: int | None, note: str = ""
) -> ProposalCreate:
    """The proposal of a composed tailored job: every task of the person's bundle, from the
    stored composition (of ``employer_id``, when given)."""
    suggestion = suggestion_in_reach(ctx, suggestion_id)
    person = person_by_code(ctx, code)
    tasks = sorted(put_forward(suggestion, person.id, person.code))
    of_employer = employer_id is None or suggestion.subject.get("employer_id") == employer_id
    if suggestion.kind not in ("compose", "compose_employer") or not tasks or not of_employer:
        raise NotFoundError(f"no tailored job for {code} in suggestion {suggestion_id}")
    return ProposalCreate(jobseeker_code=person.code, task_ids=tasks, suggestion_id=suggestion_id,
                          note=note)  # fmt: skip


def check_bundle(
    ctx: Context, suggestion_id: int, code: str, *, employer_id: int | None = None
) -> ProposalCheck:
    """What proposing a composed tailored job would be (:func:`check_proposal`): nothing is
    stored — the confirmation step's page."""
    return check_proposal(ctx, _bundle(ctx, suggestion_id, code, employer_id))


def propose_bundle(
    ctx: Context,
    suggestion_id: int,
    code: str,
    *,
    employer_id: int | None = None,
    note: str = "",
    via: str = "web",
) -> int:
    """Record a composed tailored job — a person's own, or a candidate's in an employer's
    composition (the printable proposal; ``employer_id`` its employer) — as one proposal
    with every task of its bundle, with the proposer's note."""
    return propose(ctx, _bundle(ctx, suggestion_id, code, employer_id, note), via=via)


def _a_suggested_vacancy(suggestion: SuggestionRow, task_ids: list[int]) -> bool:
    """Whether the tasks are exactly one open vacancy the suggestion put forward as a whole."""
    if suggestion.kind != "vacancies":
        return False
    wanted = sorted(task_ids)
    return any(sorted(t) == wanted for t in suggestion.results.get("tasks_of", {}).values())


def bundle_proposal(ctx: Context, code: str, task_ids: list[int]) -> ProposalPublic | None:
    """The open proposal of this person for exactly these tasks, if there is one (without the
    notes: employer-facing staff ask this too)."""
    person = person_by_code(ctx, code)
    wanted = sorted(task_ids)
    found = next((p for p in _open_proposals(ctx, person.id) if sorted(p.task_ids) == wanted), None)
    return None if found is None else _public(ctx, found.id, private=False)


def _position(suggestion: SuggestionRow, person_id: int, task_ids: list[int]) -> int | None:
    """Where the proposal stood in the list it was taken from (1 = first): the best-placed of
    its tasks in a person's list, or the person in a task's candidate list; None when the list
    holds neither (a composition names its people and tasks another way)."""
    ordered = [int(x) for x in suggestion.results.get("ids", [])]
    wanted = set(task_ids) if suggestion.jobseeker_id == person_id else {person_id}
    places = [i for i, x in enumerate(ordered) if x in wanted]
    return 1 + min(places) if places else None


def _open_proposals(ctx: Context, jobseeker_id: int) -> list[ProposalPublic]:
    ids = ctx.session.scalars(
        select(ProposalRow.id).where(ProposalRow.jobseeker_id == jobseeker_id)
    ).all()
    proposals = [_public(ctx, pid, private=True) for pid in ids]
    return [p for p in proposals if not ended(p)]


def ended(proposal: ProposalPublic) -> bool:
    """Nothing more is recorded on it: withdrawn, or its latest step ends it."""
    last = proposal.events[-1].kind if proposal.events else None
    return proposal.withdrawn_at is not None or last in TERMINAL


def _reachable_proposal(ctx: Context, proposal_id: int, *, writing: bool = False) -> ProposalRow:
    """The proposal, if the actor may see it (``writing``: and add to it)."""
    message = f"no proposal with id {proposal_id}"
    row = ctx.session.get(ProposalRow, proposal_id)
    if row is None:
        raise NotFoundError(message)
    view = person_view(ctx.actor.role)
    if view is PersonView.FULL and row.jobseeker_id is not None:
        try:
            reachable_person(ctx, row.jobseeker_id)
        except NotFoundError:
            raise NotFoundError(message) from None
        return row
    if view is PersonView.CANDIDATE and row.proposed_by == ctx.actor.name:
        if writing and not shown_to_employers(ctx, [row.jobseeker_id or 0]):
            # The person withdrew consent (or sharing with employers) since: what happens next
            # is for their own coordinator to record.
            raise ForbiddenError(
                "the person no longer shares their details with employers; ask the person's "
                "coordinator to record what happened"
            )
        return row
    raise refuse(ctx, "proposal", proposal_id, message)


def _public(ctx: Context, proposal_id: int, *, private: bool) -> ProposalPublic:
    proposal = repository.get_proposal(ctx.session, proposal_id=proposal_id)
    hidden = {"events", "override_reason", "engine_said", "note", "withdraw_reason"}
    return ProposalPublic(
        id=proposal_id,
        **proposal.model_dump(exclude=hidden),
        override_reason=proposal.override_reason if private else None,
        # Free text about the person: their own coordinators', and the writer's own.
        note=proposal.note if private or proposal.proposed_by == ctx.actor.name else "",
        withdraw_reason=(
            proposal.withdraw_reason if private or proposal.withdrawn_by == ctx.actor.name else None
        ),
        # What the engine said names what fails for the person (a physician's restriction,
        # kilograms, hours): the person's own coordinators only.
        engine_said=proposal.engine_said if private else {},
        events=[
            EventPublic(
                kind=e.kind,
                at=e.at,
                # An employer's own reason is theirs to know; a person's may be about health.
                reason=e.reason if private or e.kind is OutcomeKind.DECLINED_BY_EMPLOYER else None,
                note=e.note if private else "",
                until=e.until,
            )
            for e in proposal.events
        ],
    )


def read_proposal(ctx: Context, proposal_id: int) -> ProposalPublic:
    row = _reachable_proposal(ctx, proposal_id)
    answer = _public(ctx, proposal_id, private=sees_private_notes(ctx, row.jobseeker_id))
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_proposal",
           object_type="proposal", object_id=proposal_id)  # fmt: skip
    ctx.session.commit()
    return answer


def proposals_of_person(
    ctx: Context, jobseeker_id: int, limit: int = 20, offset: int = 0
) -> tuple[list[ProposalPublic], int]:
    """A page of a person's proposals (their coordinator's view), newest first, and how many
    there are in all; audited (the ids read)."""
    reachable_person(ctx, jobseeker_id)
    mine = select(ProposalRow.id).where(ProposalRow.jobseeker_id == jobseeker_id)
    count = ctx.session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    ids = ctx.session.scalars(
        mine.order_by(ProposalRow.proposed_at.desc(), ProposalRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    answer = [_public(ctx, pid, private=True) for pid in ids]
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_proposals",
           object_type="jobseeker", object_id=jobseeker_id, details={"ids": list(ids)})  # fmt: skip
    ctx.session.commit()
    return answer, count


def record_outcome(ctx: Context, proposal_id: int, event: OutcomeEvent) -> None:
    """Append what happened next, dated when it happened: not in the future, not before the
    proposal was made nor before its step before; the whole history must stay valid. Each
    role records the kinds of step it owns (``OUTCOMES_BY_ROLE``)."""
    proposal = _reachable_proposal(ctx, proposal_id, writing=True)
    if not records_outcome(ctx.actor.role, event.kind):
        raise ForbiddenError(
            f"role {ctx.actor.role.value} does not record {event.kind.value!r}: the "
            "work-ability coordinator records care, sick leave or rehabilitation, education and "
            "other services; answers, work trials and hires are recorded by the company "
            "coordinator or Rekrypiste"
        )
    if proposal.withdrawn_at is not None:
        raise ConflictError(f"proposal {proposal_id} was withdrawn: nothing follows it")
    if event.at > ctx.now + CLOCK_SKEW:
        raise InvalidInputError(happened_problems("event.at", today_in_finland(event.at),
                                                  ctx.now))  # fmt: skip
    stored = repository.get_proposal(ctx.session, proposal_id=proposal_id)
    before = stored.events[-1].at if stored.events else stored.proposed_at
    if event.at < before:
        what = STEP_BEFORE if stored.events else PROPOSAL_MADE
        raise InvalidInputError([before_start("event.at", today_in_finland(before), what)])
    repository.add_outcome_event(ctx.session, proposal_id=proposal_id, event=event)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="outcome",
           object_type="proposal", object_id=proposal_id,
           details={"kind": event.kind.value})  # fmt: skip
    if proposal.jobseeker_id is not None:
        # The episode tells the same story; placed means placed (the person leaves matching
        # and every candidate list).
        follow_proposal_step(ctx, proposal.jobseeker_id, event.kind,
                             today_in_finland(event.at), proposal_id=proposal_id)  # fmt: skip
    ctx.session.commit()


def override_suggestion(ctx: Context, suggestion_id: int, chosen: list[int], reason: str) -> int:
    """Record that people chose otherwise than the engine: the original list, what was chosen
    (only among what was suggested) and why."""
    suggestion = suggestion_in_reach(ctx, suggestion_id)
    original = [int(x) for x in suggestion.results.get("ids", [])]
    if list(chosen) == original:
        raise InvalidInputError(
            [FieldError("chosen", "is the suggestion itself: nothing left out")]
        )
    unknown = [x for x in chosen if x not in set(original)]
    if unknown:
        raise InvalidInputError([FieldError(
            "chosen", "not in the suggestion: " + ", ".join(map(str, unknown[:10]))
            + " (to propose something the engine did not suggest, record a proposal)"
        )])  # fmt: skip
    row = OverrideRow(
        suggestion_id=suggestion_id,
        actor=ctx.actor.name,
        original=original,
        chosen=chosen,
        reason=reason,
    )
    ctx.session.add(row)
    ctx.session.flush()
    # The reason is free text (it may say something about health): it stays in the override
    # row, which erasure removes with the person, and out of the audit trail.
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="override",
           object_type="suggestion", object_id=suggestion_id,
           ruleset_version=suggestion.ruleset_version,
           details={"original": original, "chosen": chosen, "override_id": row.id})  # fmt: skip
    ctx.session.commit()
    return row.id


def left_out_tasks(ctx: Context, jobseeker_id: int, *, audited: bool = True) -> list[LeftOutPublic]:
    """The suggested tasks left out for a person (each with its latest reason), newest first:
    a working list shows them apart instead of suggesting them again as if nothing happened.
    The read is audited (the reasons are free text about the person), unless it is part of
    a read audited as a whole (``audited=False``: the person page)."""
    reachable_person(ctx, jobseeker_id)
    if audited:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_left_out",
               object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
        ctx.session.commit()
    rows = ctx.session.scalars(
        select(OverrideRow)
        .join(SuggestionRow, SuggestionRow.id == OverrideRow.suggestion_id)
        .where(SuggestionRow.jobseeker_id == jobseeker_id)
        .order_by(OverrideRow.at.desc(), OverrideRow.id.desc())
        .limit(500)
    ).all()
    latest: dict[int, LeftOutPublic] = {}
    decided: set[int] = set()  # by the newest row that left it out or put it back
    for row in rows:
        if _is_restore(row):
            decided.update(int(t) for t in row.original)
            continue
        for task_id in sorted(set(row.original) - set(row.chosen)):
            if int(task_id) not in decided:
                decided.add(int(task_id))
                latest[int(task_id)] = LeftOutPublic(
                    task_id=int(task_id), at=row.at, actor=row.actor, reason=row.reason
                )
    return sorted(latest.values(), key=lambda x: x.at, reverse=True)


RESTORED = "restored"
"""The reason of an override row that puts tasks back (its chosen list equals its original)."""


def _is_restore(row: OverrideRow) -> bool:
    return row.reason == RESTORED and list(row.original) == list(row.chosen)


def restore_left_out(ctx: Context, jobseeker_id: int, task_id: int) -> int:
    """Undo leaving a task out: recorded as its own override row (the history is kept), on the
    suggestion that left it out, so the task is suggested as before."""
    left = {x.task_id: x for x in left_out_tasks(ctx, jobseeker_id, audited=False)}
    if task_id not in left:
        raise NotFoundError(f"task {task_id} is not left out for this jobseeker")
    leaving = ctx.session.scalars(
        select(OverrideRow)
        .join(SuggestionRow, SuggestionRow.id == OverrideRow.suggestion_id)
        .where(SuggestionRow.jobseeker_id == jobseeker_id)
        .order_by(OverrideRow.at.desc(), OverrideRow.id.desc())
    ).all()
    suggestion_id = next(
        r.suggestion_id for r in leaving
        if not _is_restore(r) and task_id in set(r.original) - set(r.chosen)
    )  # fmt: skip
    row = OverrideRow(suggestion_id=suggestion_id, actor=ctx.actor.name, original=[task_id],
                      chosen=[task_id], reason=RESTORED)  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="restore_suggestion",
           object_type="suggestion", object_id=suggestion_id,
           details={"task_id": task_id, "override_id": row.id})  # fmt: skip
    ctx.session.commit()
    return row.id


def _newest_open_by_task(ctx: Context, jobseeker_id: int) -> dict[int, ProposalPublic]:
    """Each task in one of the person's open proposals (not ended) → the newest such one."""
    found: dict[int, ProposalPublic] = {}
    for p in sorted(_open_proposals(ctx, jobseeker_id), key=lambda p: (p.proposed_at, p.id)):
        found |= dict.fromkeys(p.task_ids, p)
    return found


def open_proposal_with(ctx: Context, jobseeker_id: int, task_id: int) -> ProposalPublic | None:
    """The person's newest open proposal (not ended) that includes the task, if any: a page
    marks the task proposed instead of offering to propose it again."""
    reachable_person(ctx, jobseeker_id)
    return _newest_open_by_task(ctx, jobseeker_id).get(task_id)


def open_proposals_by_task(ctx: Context, jobseeker_id: int) -> dict[int, int]:
    """Each task in one of the person's open proposals (not ended) → the newest such proposal's
    number: a list of matches marks the task proposed instead of offering it as new."""
    reachable_person(ctx, jobseeker_id)
    return {task: p.id for task, p in _newest_open_by_task(ctx, jobseeker_id).items()}


def suggested_task_ids(ctx: Context, jobseeker_id: int, suggestion_id: int) -> list[int]:
    """The tasks a stored suggestion for the person listed, in its order; 404 if the actor may
    not reach the person or the suggestion is not theirs. Reads only: nothing is stored."""
    reachable_person(ctx, jobseeker_id)
    suggestion = ctx.session.get(SuggestionRow, suggestion_id)
    if suggestion is None or suggestion.jobseeker_id != jobseeker_id:
        raise NotFoundError(f"no suggestion {suggestion_id} for this jobseeker")
    return list(suggestion.results.get("ids", []))


def person_of(ctx: Context, proposal_id: int) -> int:
    """The person a proposal in the actor's full reach is about (another area's, or an erased
    person's: not found) — the way back to a person's page after a form about the proposal,
    read from the record, never from a form field a user could forge."""
    row = ctx.session.get(ProposalRow, proposal_id)
    if row is None or row.jobseeker_id is None:
        raise NotFoundError(f"no proposal with id {proposal_id}")
    try:
        reachable_person(ctx, row.jobseeker_id)
    except NotFoundError:
        raise NotFoundError(f"no proposal with id {proposal_id}") from None
    return row.jobseeker_id


def proposal_of_person(ctx: Context, jobseeker_id: int, proposal_id: int) -> ProposalRow:
    """The person's proposal; 404 if the actor may not reach the person or the proposal is
    another person's."""
    reachable_person(ctx, jobseeker_id)
    proposal = ctx.session.get(ProposalRow, proposal_id)
    if proposal is None or proposal.jobseeker_id != jobseeker_id:
        raise NotFoundError(f"no proposal {proposal_id} for this jobseeker")
    return proposal


def outcome_counts(session: Session) -> dict[str, int]:
    """Aggregate outcomes, which survive erasure anonymised."""
    rows = session.execute(
        select(OutcomeEventRow.kind, func.count()).group_by(OutcomeEventRow.kind)
    ).all()
    return {kind: n for kind, n in rows} | {
        "proposals": session.scalar(select(func.count()).select_from(ProposalRow)) or 0,
        "proposed_tasks": session.scalar(select(func.count()).select_from(ProposalTaskRow)) or 0,
    }
