"""A client's service episodes: enrolment (when, who referred them, the programme), the status
over time (a pause, a resumption), what happened to the person with or without a proposal
(sick leave, education, a work trial, continues job search…) and the end with its
continuation path.

Their own coordinators (the work-ability and the company coordinator of the person's area)
record and read them; every write and read is audited, with ids and codes in the details and
never a note. The person's status follows their latest episode (``features.schemas.episode.
person_status``): ended into work, they are placed and leave matching, as a hire makes them.
"""

from __future__ import annotations

from datetime import date

from api.auth.policy import reachable_person
from api.core.context import Context
from api.core.runtime import bump_data_version
from api.people.schemas import EpisodeCreate, EpisodeEventCreate, EpisodePublic
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import EpisodeRow
from features.errors import ConflictError, InvalidInputError
from features.schemas import JobseekerStatus
from features.schemas.dates import (
    EPISODE_LATEST,
    EPISODE_START,
    PREVIOUS_EPISODE_END,
    happened_problems,
    plausible_start_problems,
    today_in_finland,
)
from features.schemas.episode import (
    PATH_OF_PROPOSAL_STEP,
    PLACING_PATHS,
    ContinuationPath,
    Episode,
    EpisodeEvent,
    EpisodeEventKind,
    EpisodeStatus,
    person_status,
)
from features.schemas.errors import FieldError
from features.schemas.proposal import OutcomeKind

__all__ = [
    "episodes_of_person",
    "first_start_problems",
    "follow_proposal_step",
    "record_episode_event",
    "set_person_status",
    "start_episode",
    "start_first_episode",
]


def set_person_status(
    ctx: Context, jobseeker_id: int, status: JobseekerStatus, *, because: str
) -> bool:
    """Set the person's status (matching reads it: only an active person is matched), audit
    the change and have every process rebuild its match index; whether it changed. The
    caller commits."""
    before = repository.set_jobseeker_status(ctx.session, jobseeker_id=jobseeker_id,
                                             status=status.value)  # fmt: skip
    if before == status.value:
        return False
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="status",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"status": status.value, "before": before, "because": because})  # fmt: skip
    bump_data_version(ctx.session)
    return True


def _public(row: EpisodeRow, episode: Episode) -> EpisodePublic:
    end = episode.ending()
    return EpisodePublic(
        id=row.id,
        started_on=episode.started_on,
        referral_source=episode.referral_source,
        programme=episode.programme,
        events=episode.events,
        status=episode.current_status(),
        ended_on=end.on if end else None,
        continuation_path=end.path if end else None,
        started_by=row.started_by,
        next_kinds=episode.allowed_next(),
        latest_from_proposal=row.events[-1].proposal_id if row.events else None,
    )


def episodes_of_person(
    ctx: Context, jobseeker_id: int, *, audited: bool = True
) -> list[EpisodePublic]:
    """The person's episodes, newest first; the read audited, unless it is part of a read
    audited as a whole (``audited=False``: the person page, the export)."""
    reachable_person(ctx, jobseeker_id)
    found = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)
    if audited:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_episodes",
               object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
        ctx.session.commit()
    return [_public(row, episode) for row, episode in found]


def _add(ctx: Context, jobseeker_id: int, episode: Episode, via: str) -> int:
    episode_id = repository.add_episode(ctx.session, jobseeker_id=jobseeker_id, episode=episode,
                                        by=ctx.actor.name)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="start_episode",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"episode_id": episode_id, "referral_source": episode.referral_source.value,
                    "via": via})  # fmt: skip
    return episode_id


def first_start_problems(
    ctx: Context, started_on: date | None, birth_year: int | None
) -> list[FieldError]:
    """What is wrong with ``started_on`` (today when None) as the day a new client's first
    episode began: in the future, before 1990 or before the year they were born."""
    started = started_on or today_in_finland(ctx.now)
    problems = happened_problems("episode.started_on", started, ctx.now)
    return problems + plausible_start_problems("episode.started_on", started, birth_year)


def start_first_episode(ctx: Context, jobseeker_id: int, body: EpisodeCreate | None) -> int:
    """A new client's first episode, in the transaction that adds them (the caller commits,
    having judged the start with :func:`first_start_problems`): as ``body`` says, or started
    today with the referral source unknown."""
    body = body or EpisodeCreate()
    started = body.started_on or today_in_finland(ctx.now)
    episode = Episode(started_on=started, referral_source=body.referral_source,
                      programme=body.programme)  # fmt: skip
    return _add(ctx, jobseeker_id, episode, "intake")


def start_episode(ctx: Context, jobseeker_id: int, body: EpisodeCreate, *, via: str = "api") -> int:
    """Enrol the person in a new episode; one is open at a time, and a new one starts no
    earlier than the last ended. The person is active again."""
    reachable_person(ctx, jobseeker_id)
    started = body.started_on or today_in_finland(ctx.now)
    latest = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)[:1]
    last_end = None
    for row, episode in latest:
        end = episode.ending()
        if end is None:
            raise ConflictError(
                f"episode {row.id} (started {episode.started_on.isoformat()}) is still open; "
                "end it first"
            )
        last_end = end.on
    problems = happened_problems("started_on", started, ctx.now, not_before=last_end,
                                 what=PREVIOUS_EPISODE_END)  # fmt: skip
    demographics = repository.get_demographics(ctx.session, jobseeker_id=jobseeker_id)
    born = demographics.birth_year if demographics else None
    problems += plausible_start_problems("started_on", started, born)
    if problems:
        raise InvalidInputError(problems)
    episode = Episode(started_on=started, referral_source=body.referral_source,
                      programme=body.programme)  # fmt: skip
    episode_id = _add(ctx, jobseeker_id, episode, via)
    set_person_status(ctx, jobseeker_id, JobseekerStatus.ACTIVE, because="episode_started")
    ctx.session.commit()
    return episode_id


def record_episode_event(
    ctx: Context, jobseeker_id: int, body: EpisodeEventCreate, *, via: str = "api"
) -> EpisodePublic:
    """Record what happened in the person's open episode — a pause, a resumption, an outcome
    (with or without a proposal), or its end with the continuation path — dated when it
    happened (today when not said): not in the future, not before the episode began or its
    latest step. The person's status follows the episode."""
    reachable_person(ctx, jobseeker_id)
    latest = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)[:1]
    if not latest or latest[0][1].current_status() is EpisodeStatus.ENDED:
        raise ConflictError("the person has no open service episode; start one first")
    row, current = latest[0]
    on = body.on or today_in_finland(ctx.now)
    began = EPISODE_LATEST if current.events else EPISODE_START
    problems = happened_problems("on", on, ctx.now, not_before=current.last_day(), what=began)
    if problems:
        raise InvalidInputError(problems)
    event = EpisodeEvent(kind=body.kind, on=on, path=body.path, note=body.note)
    episode = repository.add_episode_event(ctx.session, episode_id=row.id, event=event,
                                           by=ctx.actor.name)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="episode_event",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"episode_id": row.id, "kind": event.kind.value,
                    "path": event.path.value if event.path else None, "via": via})  # fmt: skip
    set_person_status(ctx, jobseeker_id, person_status(episode),
                      because=f"episode_{event.kind.value}")  # fmt: skip
    result = _public(row, episode)
    ctx.session.commit()
    return result


def follow_proposal_step(
    ctx: Context, jobseeker_id: int, step: OutcomeKind, on: date, *, proposal_id: int
) -> None:
    """A proposal's step that is where the person went (``PATH_OF_PROPOSAL_STEP``: a work
    trial, a job, education, care, another service) becomes an outcome of their open episode
    on the same day, and their status follows the episode; the caller commits. With no open
    episode, or one whose latest step is later than ``on`` (a step recorded out of order), the
    proposal alone holds it — but a job still places the person."""
    path = PATH_OF_PROPOSAL_STEP.get(step)
    if path is None:
        return
    latest = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)[:1]
    open_one = latest and latest[0][1].current_status() is not EpisodeStatus.ENDED
    if not open_one or on < latest[0][1].last_day():
        if path in PLACING_PATHS:
            set_person_status(ctx, jobseeker_id, JobseekerStatus.PLACED, because=step.value)
        return
    row = latest[0][0]
    event = EpisodeEvent(kind=EpisodeEventKind.OUTCOME, on=on, path=ContinuationPath(path))
    episode = repository.add_episode_event(ctx.session, episode_id=row.id, event=event,
                                           by=ctx.actor.name, proposal_id=proposal_id)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="episode_event",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"episode_id": row.id, "kind": event.kind.value, "path": path.value,
                    "via": "proposal", "proposal_id": proposal_id})  # fmt: skip
    set_person_status(ctx, jobseeker_id, person_status(episode), because=step.value)
