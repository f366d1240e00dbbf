"""Service episodes (enrolment, status over time, person-level outcomes, the end with its
continuation path) and the dates every event carries: the schema's walk, the date rules one by
one, and the API on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from api.http.csrf import SESSION
from api.storage.tables import AuditRow, EpisodeRow
from features.schemas import JobseekerStatus
from features.schemas.dates import (
    EARLIEST_ASSESSMENT,
    assessment_date_problems,
    happened_problems,
    moment_of,
    today_in_finland,
)
from features.schemas.episode import (
    Episode,
    EpisodeEvent,
    EpisodeEventKind,
    EpisodeStatus,
    person_status,
)
from tests import factories
from tests.test_api import audit_rows, auth

START = date(2026, 9, 1)


def _episode(*events: tuple[str, int, str | None]) -> Episode:
    return Episode(
        started_on=START,
        events=[EpisodeEvent(kind=k, on=START + timedelta(days=d), path=p) for k, d, p in events],
    )


# --- the schema ----------------------------------------------------------------------------


def test_the_status_walks_with_the_events_and_the_person_follows():
    episode = _episode(("paused", 5, None))
    assert episode.current_status() is EpisodeStatus.PAUSED
    assert person_status(episode) is JobseekerStatus.PAUSED
    assert episode.allowed_next() == [
        EpisodeEventKind.RESUMED, EpisodeEventKind.OUTCOME, EpisodeEventKind.ENDED
    ]  # fmt: skip
    episode = _episode(("paused", 5, None), ("resumed", 9, None),
                       ("outcome", 10, "sick_leave_or_care"))  # fmt: skip
    assert episode.current_status() is EpisodeStatus.ACTIVE  # sick leave is no placement
    placed = _episode(("outcome", 10, "work_trial"), ("outcome", 40, "wage_subsidised_work"))
    assert placed.current_status() is EpisodeStatus.PLACED
    assert person_status(placed) is JobseekerStatus.PLACED
    to_school = _episode(("ended", 3, "education"))
    assert to_school.current_status() is EpisodeStatus.ENDED
    assert person_status(to_school) is JobseekerStatus.ENDED
    assert to_school.allowed_next() == []
    assert person_status(_episode(("ended", 3, "employed"))) is JobseekerStatus.PLACED


@pytest.mark.parametrize(
    ("events", "said"),
    [
        ([("outcome", 1, None)], "path is required"),
        ([("ended", 1, None)], "path is required"),
        ([("paused", 1, "education")], "has no path"),
        ([("resumed", 1, None)], "resumed cannot follow the status active"),
        ([("paused", 1, None), ("paused", 2, None)], "paused cannot follow the status paused"),
        ([("ended", 1, "job_search"), ("outcome", 2, "education")], "cannot follow the status"),
        ([("outcome", -1, "education")], "before the episode began"),
        ([("paused", 5, None), ("resumed", 4, None)], "before the episode began or the step"),
    ],
)
def test_an_episode_that_cannot_be_is_refused(events, said):
    with pytest.raises(ValidationError, match=said):
        _episode(*events)


# --- the date rules, one by one --------------------------------------------------------------

LATE_EVENING_UTC = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
"""01:30 on 7 December in Helsinki."""


def test_today_is_finlands_today():
    assert today_in_finland(LATE_EVENING_UTC) == date(2026, 12, 7)
    assert happened_problems("on", date(2026, 12, 7), LATE_EVENING_UTC) == []
    assert moment_of(date(2026, 12, 7), LATE_EVENING_UTC) == LATE_EVENING_UTC
    # A past day is stored at its last minute in Finland: after anything else of that day.
    assert moment_of(date(2026, 12, 1), LATE_EVENING_UTC) == datetime(
        2026, 12, 1, 21, 59, tzinfo=UTC
    )


def test_the_last_moment_of_the_calendar_is_still_a_day():
    """A step dated 31.12.9999 23:59 UTC is in the future, not an overflow (a 500)."""
    last = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert today_in_finland(last) == date(9999, 12, 31)
    (problem,) = happened_problems("event.at", today_in_finland(last), LATE_EVENING_UTC)
    assert problem.kind == "date_in_future"


def test_what_happened_is_not_in_the_future():
    (problem,) = happened_problems("on", date(2026, 12, 8), LATE_EVENING_UTC)
    assert (problem.field, problem.kind) == ("on", "date_in_future")
    assert "in the future" in problem.message


def test_nothing_is_dated_before_what_it_belongs_to_began():
    start = date(2026, 11, 1)
    assert happened_problems("on", start, LATE_EVENING_UTC, not_before=start) == []
    (problem,) = happened_problems("on", start - timedelta(days=1), LATE_EVENING_UTC,
                                   not_before=start, what="the start of the episode")  # fmt: skip
    assert (problem.field, problem.kind) == ("on", "date_before_start")
    assert problem.message == "is before the start of the episode (2026-11-01)"


def test_an_assessment_is_not_implausibly_old_nor_in_the_future():
    now = LATE_EVENING_UTC
    assert assessment_date_problems({"a": EARLIEST_ASSESSMENT}, now) == []
    (old,) = assessment_date_problems({"a": date(1989, 12, 31)}, now)
    assert (old.field, old.kind) == ("a", "date_too_old")
    (future,) = assessment_date_problems({"b": date(2031, 6, 30)}, now)
    assert (future.field, future.kind) == ("b", "date_in_future")
    # Nor before the year the person was born, when it is known.
    assert assessment_date_problems({"c": date(1994, 5, 1)}, now, birth_year=1994) == []
    (born,) = assessment_date_problems({"c": date(1993, 12, 31)}, now, birth_year=1994)
    assert born.kind == "date_too_old" and "1994-01-01" in born.message


# --- the API, on both databases ----------------------------------------------------------------


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


def _new_client(client, headers, area, code, **episode):
    profile = factories.jobseeker(area=area, code=code)
    profile["capacities"]["standing"] = {"level": 1, "source": "coordinator",
                                         "assessed_on": "2026-03-01"}  # fmt: skip
    body = {"profile": profile, "identity": {"name": "Testi"}}
    if episode:
        body["episode"] = episode
    created = client.post("/jobseekers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _status(client, headers, jid):
    return client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]["status"]


def test_an_episode_from_enrolment_to_its_continuation_path(service):
    client, tokens, area, _mine, engine = service
    work_ability, company = auth(tokens["work_ability"]), auth(tokens["coordinator"])
    started = _today() - timedelta(days=60)
    jid = _new_client(client, work_ability, area, "JS-EPIS01", started_on=started.isoformat(),
                      referral_source="ohjaamo", programme="KUNTO")  # fmt: skip
    (episode,) = client.get(f"/jobseekers/{jid}/episodes", headers=work_ability).json()
    assert (episode["started_on"], episode["referral_source"], episode["programme"]) == (
        started.isoformat(), "ohjaamo", "KUNTO")  # fmt: skip
    assert episode["status"] == "active" and episode["started_by"] == "tyokyky"
    events = f"/jobseekers/{jid}/episode/events"

    # Sick leave, recorded without any proposal, dated when it happened.
    sick = {"kind": "outcome", "path": "sick_leave_or_care", "on": (started + timedelta(days=10))
            .isoformat(), "note": "Sairausloma kolme viikkoa."}  # fmt: skip
    answer = client.post(events, json=sick, headers=work_ability)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "active" and answer.json()["events"][0]["on"] == sick["on"]
    # The company coordinator pauses (the person is not matched meanwhile), then resumes.
    assert client.post(events, json={"kind": "paused"}, headers=company).status_code == 201
    assert _status(client, company, jid) == "paused"
    assert client.get(f"/jobseekers/{jid}", headers=company).json()["not_matchable_reason"] == (
        "not_active"
    )
    assert client.post(events, json={"kind": "resumed"}, headers=company).status_code == 201
    assert _status(client, company, jid) == "active"
    # The end: education. The person's status is ended, and they are not matched.
    ended = client.post(events, json={"kind": "ended", "path": "education"}, headers=company)
    assert ended.status_code == 201, ended.text
    assert ended.json()["status"] == "ended" and ended.json()["continuation_path"] == "education"
    assert ended.json()["ended_on"] == _today().isoformat() and ended.json()["next_kinds"] == []
    assert _status(client, company, jid) == "ended"
    matches = client.get(f"/jobseekers/{jid}/matches", headers=company).json()
    assert matches["items"] == [] and matches["not_matchable_reason"] == "not_active"
    # Nothing more in an ended episode; a new one starts, and the person is active again.
    late = client.post(events, json={"kind": "outcome", "path": "job_search"}, headers=company)
    assert late.status_code == 409
    again = client.post(f"/jobseekers/{jid}/episodes", json={"referral_source": "self_referral"},
                        headers=company)  # fmt: skip
    assert again.status_code == 201, again.text
    assert _status(client, company, jid) == "active"
    listed = client.get(f"/jobseekers/{jid}/episodes", headers=company).json()
    assert [e["status"] for e in listed] == ["active", "ended"]
    assert client.post(f"/jobseekers/{jid}/episodes", json={},
                       headers=company).status_code == 409  # fmt: skip

    # Every write and read audited, with ids and codes and never the note.
    actions = [a.action for a in audit_rows(engine, object_type="jobseeker", object_id=str(jid))]
    assert actions.count("start_episode") == 2 and actions.count("episode_event") == 4
    assert "read_episodes" in actions and actions.count("status") == 4
    with engine.connect() as c:
        details = " ".join(str(d) for d in c.scalars(sa.select(AuditRow.details)))
    assert "Sairausloma" not in details and "KUNTO" not in details
    # The export holds the episodes, notes and all.
    export = client.get(f"/jobseekers/{jid}/export", headers=company).json()
    assert len(export["episodes"]) == 2
    assert export["episodes"][1]["events"][0]["note"] == sick["note"]
    # The timeline tells the episodes' story on the days it happened, never with the note.
    timeline = client.get(f"/jobseekers/{jid}/timeline", headers=company).json()
    told = [(e["kind"], e["step"], e["path"]) for e in timeline if e["kind"].startswith("episode")]
    assert told[-1] == ("episode_started", "referral_ohjaamo", None)  # the oldest
    assert ("episode_event", "episode_outcome", "path_sick_leave_or_care") in told
    assert ("episode_event", "episode_ended", "path_education") in told
    assert [k for k, *_ in told].count("episode_started") == 2 and "Sairausloma" not in str(
        timeline
    )
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(f"/ui/jobseekers/{jid}").text
    assert "aloitti palvelujakson; ohjaaja: Ohjaamo" in page
    assert "Palvelujakso (coord): jakso päättyi: koulutus" in page
    # Care alongside the service leaves the client active (Aino, seed 003); a sick leave that
    # stops the search is a pause or the end (Niilo): the outcome form says so.
    assert "Jos sairausloma keskeyttää työnhaun, keskeytä myös palvelu" in page


def test_ending_in_work_places_the_person(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-EPIS02")
    (episode,) = client.get(f"/jobseekers/{jid}/episodes", headers=company).json()
    assert episode["referral_source"] == "unknown" and episode["started_on"] == _today().isoformat()
    end = {"kind": "ended", "path": "wage_subsidised_work"}
    assert client.post(f"/jobseekers/{jid}/episode/events", json=end,
                       headers=company).status_code == 201  # fmt: skip
    assert _status(client, company, jid) == "placed"


def test_an_episodes_dates_are_checked(service):
    client, tokens, area, _mine, _engine = service
    company = auth(tokens["coordinator"])
    started = _today() - timedelta(days=20)
    jid = _new_client(client, company, area, "JS-EPIS03", started_on=started.isoformat())
    events = f"/jobseekers/{jid}/episode/events"

    def refused(path, body):
        answer = client.post(path, json=body, headers=company)
        assert answer.status_code == 422, answer.text
        return [(e["field"], e["message"]) for e in answer.json()["errors"]]

    tomorrow = (_today() + timedelta(days=1)).isoformat()
    ((field, message),) = refused(events, {"kind": "paused", "on": tomorrow})
    assert field == "on" and "is in the future" in message
    before = (started - timedelta(days=1)).isoformat()
    ((field, message),) = refused(events, {"kind": "paused", "on": before})
    assert field == "on" and message == f"is before the start of the episode ({started})"
    paused_on = started + timedelta(days=5)
    assert client.post(events, json={"kind": "paused", "on": paused_on.isoformat()},
                       headers=company).status_code == 201  # fmt: skip
    ((field, message),) = refused(events, {"kind": "resumed", "on": started.isoformat()})
    assert message == f"is before the episode's latest step ({paused_on})"
    ended_on = started + timedelta(days=6)
    assert client.post(events, json={"kind": "ended", "path": "not_reached",
                       "on": ended_on.isoformat()}, headers=company).status_code == 201  # fmt: skip
    # A new episode starts no earlier than the last ended, and not in the future.
    starts = f"/jobseekers/{jid}/episodes"
    ((field, message),) = refused(starts, {"started_on": paused_on.isoformat()})
    assert field == "started_on" and "before the end of the previous episode" in message
    ((field, _),) = refused(starts, {"started_on": tomorrow})
    assert field == "started_on"
    # Enrolment with a new client: the same rule, said about the body's field.
    body = {"profile": factories.jobseeker(area=area, code="JS-EPIS04"),
            "episode": {"started_on": tomorrow}}  # fmt: skip
    answer = client.post("/jobseekers", json=body, headers=auth(tokens["work_ability"]))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "episode.started_on"


def test_a_proposal_step_is_dated_within_the_proposal(service):
    client, tokens, area, mine, _engine = service
    company = auth(tokens["coordinator"])
    jid = _new_client(client, company, area, "JS-EPIS05")
    from tests.conftest import API_WORLD

    task = int(API_WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])
    proposal = client.post("/proposals", headers=company,
                           json={"jobseeker_code": "JS-EPIS05", "task_ids": [task],
                                 "reason": "oma valinta"})  # fmt: skip
    assert proposal.status_code == 201, proposal.text
    steps = f"/proposals/{proposal.json()['id']}/events"
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    answer = client.post(steps, json={"event": {"kind": "work_trial_started", "at": yesterday}},
                         headers=company)  # fmt: skip
    assert answer.status_code == 422
    ((error),) = answer.json()["errors"]
    assert error["field"] == "event.at"
    assert error["message"].startswith("is before the proposal was made")
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    answer = client.post(steps, json={"event": {"kind": "hired", "at": future}}, headers=company)
    assert answer.status_code == 422 and "is in the future" in answer.text
    del jid, mine


@pytest.mark.parametrize(
    ("assessed_on", "birth_year", "said"),
    [
        ("1900-01-01", None, "is implausibly old (1900-01-01)"),
        ("2031-06-30", None, "is in the future (2031-06-30)"),
        ("1996-05-01", 1997, "an assessment is dated 1997-01-01 or later"),
    ],
)
def test_a_capacity_assessment_is_plausibly_dated(service, assessed_on, birth_year, said):
    client, tokens, area, _mine, _engine = service
    work_ability = auth(tokens["work_ability"])
    profile = factories.jobseeker(area=area, code="JS-EPIS06")
    profile["capacities"]["standing"]["assessed_on"] = assessed_on
    body = {"profile": profile}
    if birth_year:
        body["demographics"] = {"birth_year": birth_year}
    answer = client.post("/jobseekers", json=body, headers=work_ability)
    assert answer.status_code == 422, answer.text
    ((error),) = answer.json()["errors"]
    assert error["field"] == "profile.capacities.standing.assessed_on"
    assert said in error["message"]


def test_a_stored_assessment_kept_as_it_was_is_not_judged_again(service):
    """A rating stored before the rule (dated 1985) does not stop the profile's other edits;
    changing it does."""
    client, tokens, area, _mine, engine = service
    work_ability = auth(tokens["work_ability"])
    jid = _new_client(client, work_ability, area, "JS-EPIS07")
    with engine.begin() as c:
        c.execute(sa.text("UPDATE capacity SET assessed_on = :old WHERE jobseeker_id = :j"),
                  {"old": date(1985, 1, 1), "j": jid})  # fmt: skip
    profile = client.get(f"/jobseekers/{jid}", headers=work_ability).json()["profile"]
    saved = client.put(f"/jobseekers/{jid}", json=profile | {"goals": "Uusi tavoite"},
                       headers=work_ability)  # fmt: skip
    assert saved.status_code == 200, saved.text
    profile["capacities"]["standing"]["level"] = 2
    changed = client.put(f"/jobseekers/{jid}", json=profile, headers=work_ability)
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "capacities.standing.assessed_on"


def test_only_the_persons_own_coordinators_reach_their_episodes(service):
    client, tokens, area, _mine, engine = service
    jid = _new_client(client, auth(tokens["coordinator"]), area, "JS-EPIS08")
    for role in ("analyst", "rekrypiste", "admin"):
        answer = client.get(f"/jobseekers/{jid}/episodes", headers=auth(tokens[role]))
        assert answer.status_code == 403, role
        answer = client.post(f"/jobseekers/{jid}/episode/events", json={"kind": "paused"},
                             headers=auth(tokens[role]))  # fmt: skip
        assert answer.status_code == 403, role
    other = auth(tokens["other_area"])
    assert client.get(f"/jobseekers/{jid}/episodes", headers=other).status_code == 404
    answer = client.post(f"/jobseekers/{jid}/episode/events", json={"kind": "paused"},
                         headers=other)  # fmt: skip
    assert answer.status_code == 404
    assert audit_rows(engine, action="refused", object_id=str(jid))
    with engine.connect() as c:
        (episode,) = c.execute(sa.select(EpisodeRow).where(EpisodeRow.jobseeker_id == jid)).all()
    assert episode.status == "active"


def test_the_status_is_the_episodes_not_typed_over_in_the_profile(service):
    client, tokens, area, _mine, engine = service
    work_ability = auth(tokens["work_ability"])
    jid = _new_client(client, work_ability, area, "JS-EPIS09")
    profile = client.get(f"/jobseekers/{jid}", headers=work_ability).json()["profile"]
    forged = client.put(f"/jobseekers/{jid}", json=profile | {"status": "placed"},
                        headers=work_ability)  # fmt: skip
    assert forged.status_code == 422
    assert forged.json()["errors"][0]["field"] == "status"
    assert client.get(f"/jobseekers/{jid}", headers=work_ability).json()["profile"]["status"] == (
        "active"
    )
    paused = client.post(f"/jobseekers/{jid}/episode/events", json={"kind": "paused"},
                         headers=work_ability)  # fmt: skip
    assert paused.status_code in (200, 201)
    profile = client.get(f"/jobseekers/{jid}", headers=work_ability).json()["profile"]
    assert profile["status"] == "paused"
    kept = client.put(f"/jobseekers/{jid}", json=profile | {"goals": "Lepoa ensin."},
                      headers=work_ability)  # fmt: skip
    assert kept.status_code == 200 and kept.json()["profile"]["status"] == "paused"
