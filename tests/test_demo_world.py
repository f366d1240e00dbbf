"""The demo world: deterministic, realistic, consistent with the schemas, with real signal."""

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from features.catalogue import CHARACTERISTICS
from features.demo import SIZES, WorldSize, build_world
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
