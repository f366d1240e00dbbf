"""The demo world: deterministic, realistic, consistent with the schemas, with real signal."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from features.catalogue import CHARACTERISTICS
from features.demo import SIZES, World, WorldSize, build_world
from features.demo.templates import ROLE_TEMPLATES, SECTOR_INDUSTRIES
from features.schemas.employer import TaskType


def _frames_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    return set(a) == set(b)


def test_same_seed_same_world_other_seed_other_world(tiny_world):
    again = build_world("tiny", seed=11)
    assert _frames_equal(tiny_world.tables, again.tables)
    other = build_world("tiny", seed=12)
    assert not tiny_world.tables["jobseeker"]["code"].equals(other.tables["jobseeker"]["code"])


def test_sizes_are_met_exactly():
    world = build_world(WorldSize(tasks=123, jobseekers=45, proposals=67), seed=1)
    assert len(world.tables["task"]) == 123
    assert len(world.tables["jobseeker"]) == 45
    assert len(world.tables["proposal"]) == 67
    assert SIZES["large"] == WorldSize(tasks=100_000, jobseekers=50_000, proposals=25_000)
    with pytest.raises(ValueError, match="unknown world size 'huge'"):
        build_world("huge")


def test_role_templates_are_thought_through():
    assert len(ROLE_TEMPLATES) >= 30
    assert all(5 <= len(r.tasks) <= 15 for r in ROLE_TEMPLATES)
    assert set(SECTOR_INDUSTRIES) >= {r.sector for r in ROLE_TEMPLATES}
    tasks = {t.title: t for r in ROLE_TEMPLATES for t in r.tasks}
    assert tasks["Astianpesu ja astioiden lajittelu"].demands["standing"] == 4
    assert tasks["Kirjeiden lajittelu lokeroihin"].demands["repetitive_hand_arm"] >= 3
    assert tasks["Potilaiden vastaanotto ja ilmoittautuminen"].demands["customer_contact"] == 4
    assert tasks["Lumityöt ja hiekoitus"].demands["outdoor_work"] == 4
    assert tasks["Kirjeiden lajittelu lokeroihin"].demands["irregular_hours"] == 4
    # Every template task has every characteristic rated, and loads only where it lifts.
    for task in tasks.values():
        assert set(task.demands) == set(CHARACTERISTICS)
        assert all(task.demands[c] > 0 for c in task.kilograms)


def test_hand_over_share_is_realistic(small_world):
    task = small_world.tables["task"]
    share = (task["task_type"] == TaskType.HAND_OVER.value).mean()
    assert 0.35 <= share <= 0.75
    # Hand-over tasks are the smaller pieces of a job.
    hours = task.groupby("task_type")["hours_per_week"].median()
    assert hours["hand_over"] < hours["core"]


def test_world_is_regional_and_in_finland(small_world):
    employer = small_world.tables["employer"]
    lahti_region = (
        employer["municipality"]
        .isin(
            [
                "Lahti",
                "Hollola",
                "Heinola",
                "Orimattila",
                "Asikkala",
                "Kärkölä",
                "Padasjoki",
                "Sysmä",
                "Hartola",
                "Iitti",
            ]
        )
        .mean()
    )
    assert 0.45 < lahti_region < 0.8
    assert employer["business_id"].is_unique
    assert employer["lat"].between(59.5, 70.2).all() and employer["lon"].between(19, 31.6).all()


def test_profiles_are_coherent_with_client_groups(small_world):
    people = small_world.people
    cap = pd.DataFrame(people.true_capacity, columns=list(CHARACTERISTICS))
    group = pd.Series(people.group)
    musculo = group == "musculoskeletal"
    assert cap.loc[musculo, "lifting"].mean() < cap.loc[~musculo, "lifting"].mean() - 1
    learners = group == "language_learner"
    assert (
        cap.loc[learners, "finnish_language"].mean()
        < cap.loc[~learners, "finnish_language"].mean() - 1
    )
    anxious = group == "young_mental_health"
    assert (
        cap.loc[anxious, "customer_contact"].mean() < cap.loc[~anxious, "customer_contact"].mean()
    )
    # Hard limits come from physicians and mostly concern musculoskeletal clients.
    capacity = small_world.tables["capacity"]
    hard = capacity[capacity["hard_limit"]]
    assert len(hard) > 0 and (hard["source"] == "physician").all()
    hard_people = small_world.tables["jobseeker"].set_index("id").index.isin(hard["jobseeker_id"])
    assert musculo[hard_people].mean() > 0.6


def test_some_profiles_are_partial(small_world):
    rated = small_world.tables["capacity"].groupby("jobseeker_id").size()
    n_chars = len(CHARACTERISTICS)
    assert (rated < n_chars).mean() > 0.15
    assert (rated == n_chars).mean() > 0.5


def test_history_respects_consent_and_time(small_world):
    tables = small_world.tables
    people = tables["jobseeker"].set_index("id")
    proposals = tables["proposal"].set_index("id")
    given = people.loc[proposals["jobseeker_id"], "consent_given_at"].to_numpy()
    assert all(g is not None and g == g for g in given)  # nobody without consent was proposed
    assert (proposals["proposed_at"].to_numpy() >= given).all()
    as_of = datetime(
        small_world.as_of.year, small_world.as_of.month, small_world.as_of.day, tzinfo=UTC
    )
    events = tables["outcome_event"]
    assert (events["at"] <= as_of).all()
    merged = events.merge(proposals, left_on="proposal_id", right_index=True)
    assert (merged["at"] >= merged["proposed_at"]).all()
    # Every proposal names hand-over tasks.
    task_type = tables["task"].set_index("id")["task_type"]
    assert (task_type[tables["proposal_task"]["task_id"]] == "hand_over").all()


def test_outcomes_follow_true_fit(small_world):
    truth = small_world.history.truth.copy()
    events = small_world.tables["outcome_event"]
    truth["hired"] = truth["proposal_id"].isin(events.loc[events["kind"] == "hired", "proposal_id"])
    bins = pd.cut(truth["over_demand"], [-1, 0, 1, 100], labels=["fits", "one level", "more"])
    rate = truth.groupby(bins, observed=True)["hired"].mean()
    assert rate["fits"] > rate["one level"] > rate["more"]
    motivated = truth["motivation"] > truth["motivation"].median()
    assert truth.loc[motivated, "hired"].mean() > truth.loc[~motivated, "hired"].mean()
    declined = events[events["kind"] == "declined_by_employer"]
    assert declined["reason"].notna().all()
    # Outcomes are not deterministic: some good fits fail and some poor fits succeed.
    assert 0 < rate["fits"] < 1 and rate["more"] < rate["fits"]
    assert np.isfinite(truth["km"]).all()


def test_the_same_seed_gives_the_same_world_in_every_process():
    """Nothing may depend on Python's per-process string hashing (set iteration order)."""
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, pandas as pd\n"
        "from features.demo import build_world\n"
        "w = build_world('tiny', seed=3)\n"
        "print(hashlib.sha256(b''.join(pd.util.hash_pandas_object(w.tables[n].astype(str),"
        " index=False).values.tobytes() for n in sorted(w.tables))).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip
    assert len(digests) == 1


def test_a_world_without_history_builds_and_loads(sqlite_engine):
    """No proposals yet (a new service's first day): the people and tasks are there, the
    history's tables are empty with their columns, and the database takes them."""
    from api.storage.bulk import load_tables

    world = build_world(WorldSize(tasks=20, jobseekers=10, proposals=0), seed=1)
    assert len(world.tables["task"]) == 20 and len(world.tables["jobseeker"]) == 10
    for name in ("proposal", "proposal_task", "outcome_event"):
        assert world.tables[name].empty and len(world.tables[name].columns) >= 2, name
    load_tables(sqlite_engine, world.tables)


def test_every_role_keeps_its_templates_core_tasks_but_the_last_cut_off(small_world):
    """The employers' module docstring: each role instance keeps every core task of its
    template, except the world's last role, cut off at the exact number of tasks."""
    from features.schemas.employer import TaskType

    templates = {(r.title, r.sector): r for r in ROLE_TEMPLATES}
    roles, tasks = small_world.tables["role"], small_world.tables["task"]
    titles_by_role = tasks.groupby("role_id")["title"].apply(set)
    last = roles["id"].max()
    for role in roles.itertuples():
        template = templates[(role.title, role.sector)]
        core = {t.title for t in template.tasks if t.task_type is TaskType.CORE}
        if role.id != last:
            assert core <= titles_by_role.get(role.id, set()), role.title


def test_episodes_follow_their_mix_and_keep_the_rest_of_the_world(small_world):
    """The continuation paths of ended episodes come in the mix's proportions (KUNTO's by
    default), every person has a current episode agreeing with their status, and the
    episodes are drawn last: a world with another mix differs in its episodes only."""
    from features.demo.episodes import KUNTO, EpisodeMix

    episodes = small_world.tables["service_episode"]
    ended = episodes.dropna(subset=["continuation_path"])
    shares = ended["continuation_path"].value_counts(normalize=True)
    total = sum(KUNTO.paths.values())
    for path, weight in KUNTO.paths.items():
        # all but 0.3 % of draws of this many fall within three standard errors
        expected = weight / total
        spread = 3 * (expected * (1 - expected) / len(ended)) ** 0.5
        assert abs(shares.get(path.value, 0.0) - expected) <= spread, path
    current = episodes[episodes["ended_on"].isna()]
    people = small_world.tables["jobseeker"]
    assert sorted(current["jobseeker_id"]) == sorted(people["id"])
    status = people.set_index("id")["status"]
    assert (current.set_index("jobseeker_id")["status"] == status.loc[current["jobseeker_id"]]
            .to_numpy()).all()  # fmt: skip
    only_jobs = build_world("small", seed=3, episodes=EpisodeMix(paths={"employed": 1},
                                                                 earlier_share=1.0))  # fmt: skip
    assert set(only_jobs.tables["service_episode"]["continuation_path"].dropna()) == {"employed"}
    assert (only_jobs.tables["service_episode"]["continuation_path"].notna().sum()
            == len(people))  # fmt: skip
    for name in ("jobseeker", "task", "proposal", "outcome_event"):
        pd.testing.assert_frame_equal(only_jobs.tables[name], small_world.tables[name])


def test_contacts_come_every_few_weeks_with_steps_agreed_and_keep_the_rest_of_the_world(
    small_world,
):
    """Contacts in the mix's proportions: every two to four weeks while the person's episode
    runs, about one in ten that did not happen, next steps agreed in some (due one to four
    weeks on, some open and overdue on the world's day), each found done only by a later
    contact of the same person; drawn last, so a world with another mix differs in its
    contacts only."""
    from datetime import timedelta

    from features.demo.contacts import ASSUMED, ContactMix
    from features.schemas.contact import DID_NOT_HAPPEN

    contacts = small_world.tables["client_contact"]
    people = small_world.tables["jobseeker"]
    as_of = small_world.as_of
    assert contacts["id"].is_unique and contacts["happened_on"].max() <= as_of
    active = set(people.loc[people["status"] == "active", "id"])
    assert set(contacts["jobseeker_id"]) >= active - _recently_started(small_world)
    # While active: every two to four weeks.
    ordered = contacts.sort_values(["jobseeker_id", "happened_on", "id"])
    gaps = ordered.groupby("jobseeker_id")["happened_on"].diff().dropna()
    low, high = ASSUMED.every_days
    assert gaps.map(lambda d: low <= d.days <= high).all()
    # Never before the person's current (and so their first) episode began.
    current = small_world.tables["service_episode"]
    started = current[current["ended_on"].isna()].set_index("jobseeker_id")["started_on"]
    assert (contacts["happened_on"] >= started.loc[contacts["jobseeker_id"]].to_numpy()).all()
    attempts = contacts["kind"].isin({k.value for k in DID_NOT_HAPPEN}).mean()
    assert abs(attempts - ASSUMED.attempt_share) <= 3 * (0.09 / len(contacts)) ** 0.5
    steps = contacts.dropna(subset=["next_step"])
    assert not steps["kind"].isin({k.value for k in DID_NOT_HAPPEN}).any()
    lead = (steps["next_step_due"] - steps["happened_on"]).map(lambda d: d.days)
    assert lead.between(*ASSUMED.due_days).all()
    # A step found done is an earlier contact's of the same person, and was the open one.
    by_id = contacts.set_index("id")
    closing = contacts.dropna(subset=["closes_step_of"])
    assert len(closing) > 0
    closed = by_id.loc[closing["closes_step_of"].astype(int)]
    assert (closed["jobseeker_id"].to_numpy() == closing["jobseeker_id"].to_numpy()).all()
    assert (closed["next_step"].notna()).all()
    assert (closed.index.to_numpy() < closing["id"].to_numpy()).all()
    # Some steps are open on the world's day, and some of those overdue.
    newest = (
        steps.sort_values(["jobseeker_id", "happened_on", "id"]).groupby("jobseeker_id").tail(1)
    )
    still_open = newest[~newest["id"].isin(set(closing["closes_step_of"].astype(int)))]
    overdue = still_open["next_step_due"] < as_of
    assert 0 < overdue.sum() < len(still_open) < len(people)
    assert timedelta(0) < (as_of - contacts["happened_on"].min()) <= timedelta(ASSUMED.window_days)

    rarely = build_world("small", seed=3, contacts=ContactMix(attempt_share=0.5, step_share=0.1))
    assert not rarely.tables["client_contact"].equals(contacts)
    for name, frame in small_world.tables.items():
        if name != "client_contact":
            pd.testing.assert_frame_equal(rarely.tables[name], frame)


def _recently_started(world) -> set[int]:
    """People whose current episode began so lately that no contact has come yet."""
    from datetime import timedelta

    episodes = world.tables["service_episode"]
    current = episodes[episodes["ended_on"].isna()]
    late = current["started_on"] > world.as_of - timedelta(days=28)
    return set(current.loc[late, "jobseeker_id"])


# --- one placement at a time (#27) -----------------------------------------------------------

# Worlds of a few seeds and sizes; the crowded one gives each person about ten proposals, so
# that their trials and jobs would collide often if anything let them.
_PLACEMENT_WORLDS = [
    ("tiny", 11),
    ("tiny", 3),
    ("small", 3),
    (WorldSize(tasks=300, jobseekers=40, proposals=400), 1),
    (WorldSize(tasks=300, jobseekers=40, proposals=400), 2),
]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _trial_and_job_days(world: World) -> tuple[dict[int, list[date]], dict[int, list[date]]]:
    """Per proposal, by brute force over its events in order: the days its work trial ran and
    the days the person was in the job it led to (both ends included). A trial runs from
    work_trial_started (through any extension) until the next event — hired, ended, a decline
    or a path elsewhere — or, with none, until its planned ``until`` day if one is recorded,
    else the world's day. A job runs from hired until ``ended`` (six months in work does not end
    it), or the world's day."""
    trial_days: dict[int, list[date]] = {}
    job_days: dict[int, list[date]] = {}
    events = world.tables["outcome_event"].sort_values(["proposal_id", "at", "id"])
    for pid, group in events.groupby("proposal_id"):
        rows = group.to_dict("records")
        for i, event in enumerate(rows):
            later = rows[i + 1 :]
            if event["kind"] == "work_trial_started":
                end = next((e for e in later if e["kind"] != "work_trial_extended"), None)
                planned = [e["until"] for e in [event, *later] if not pd.isna(e.get("until"))]
                last = (end["at"].date() if end is not None
                        else planned[-1] if planned else world.as_of)  # fmt: skip
                trial_days[int(pid)] = _days(event["at"].date(), last)
            if event["kind"] == "hired":
                end = next((e for e in later if e["kind"] == "ended"), None)
                last = end["at"].date() if end is not None else world.as_of
                job_days[int(pid)] = _days(event["at"].date(), last)
    return trial_days, job_days


@pytest.mark.parametrize(("size", "seed"), _PLACEMENT_WORLDS)
def test_nobody_is_on_two_work_trials_on_the_same_day(size: str | WorldSize, seed: int) -> None:
    """A person is on one work trial at a time: counted day by day over every person's
    proposals, no day has two of their trials running."""
    world = build_world(size, seed=seed)
    trial_days, _ = _trial_and_job_days(world)
    person = world.tables["proposal"].set_index("id")["jobseeker_id"]
    running: Counter[tuple[int, date]] = Counter()
    for pid, days in trial_days.items():
        running.update((int(person[pid]), day) for day in days)
    twice = sorted(key for key, n in running.items() if n > 1)
    assert not twice, f"two work trials at once (person, day): {twice[:5]}"
    assert trial_days  # the world has trials to compare


@pytest.mark.parametrize(("size", "seed"), _PLACEMENT_WORLDS)
def test_a_hired_person_is_not_proposed_nor_on_a_trial_elsewhere_while_in_the_job(
    size: str | WorldSize, seed: int
) -> None:
    """Hired, a person is no longer an active jobseeker until the job ends: none of their
    other proposals is made, and no work trial of theirs runs, on a day they are in it."""
    world = build_world(size, seed=seed)
    trial_days, job_days = _trial_and_job_days(world)
    proposal = world.tables["proposal"].set_index("id")
    person = proposal["jobseeker_id"]
    working: dict[tuple[int, date], int] = {}
    for pid, days in job_days.items():
        for day in days:
            assert (int(person[pid]), day) not in working, f"two jobs at once: {pid}, {day}"
            working[(int(person[pid]), day)] = pid
    proposed_in_work = [
        (pid, working[key])
        for pid, at in proposal["proposed_at"].items()
        if (key := (int(person[pid]), at.date())) in working and working[key] != pid
    ]
    assert not proposed_in_work, f"(proposal, while in the job of): {proposed_in_work[:5]}"
    trial_in_work = [
        (pid, working[(int(person[pid]), day)])
        for pid, days in trial_days.items()
        for day in days
        if working.get((int(person[pid]), day), pid) != pid
    ]
    assert not trial_in_work, f"(trial, while in the job of): {trial_in_work[:5]}"
    assert job_days  # the world has hires to compare
