"""The demo world: employers, roles, tasks, jobseekers and a history of proposals.

:func:`build_world` is seeded and deterministic: the same seed and sizes give the same world,
table for table. The world is returned as DataFrames whose names and columns are those of the
storage tables (``tables``), so it can be loaded in bulk, plus the hidden truth (true
capacities, motivation, the true fit of each proposal) that tests and documentation use and
that is never stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from features.demo.contacts import ASSUMED, ContactMix, generate_contacts
from features.demo.employers import EmployerWorld, generate_employers
from features.demo.episodes import KUNTO, EpisodeMix, EpisodeWorld, generate_episodes
from features.demo.events import EVENTS_STREAM, generate_events
from features.demo.history import PLACEMENT_STREAM, HistoryWorld, generate_history
from features.demo.people import PeopleWorld, generate_people
from features.demo.plan import ASSUMED as PLAN_ASSUMED
from features.demo.plan import PLAN_STREAM, PlanMix, generate_plan_steps
from features.demo.referrals import ASSUMED as REFERRALS_ASSUMED
from features.demo.referrals import ReferralMix, generate_referrals

__all__ = ["AS_OF", "SIZES", "World", "WorldSize", "build_world"]

AS_OF = date(2026, 11, 1)
"""The world's 'today': every event in its history lies before it."""


@dataclass(frozen=True, slots=True)
class WorldSize:
    tasks: int
    jobseekers: int
    proposals: int


SIZES = {
    "tiny": WorldSize(tasks=60, jobseekers=25, proposals=40),
    "small": WorldSize(tasks=2_000, jobseekers=1_000, proposals=1_500),
    "medium": WorldSize(tasks=20_000, jobseekers=10_000, proposals=10_000),
    "large": WorldSize(tasks=100_000, jobseekers=50_000, proposals=25_000),
}

# Insertion order respects foreign keys.
TABLE_ORDER = (
    "employer",
    "crm_note",
    "role",
    "task",
    "task_demand",
    "jobseeker",
    "jobseeker_identity",
    "jobseeker_demographics",
    "capacity",
    "proposal",
    "proposal_task",
    "outcome_event",
    "service_episode",
    "episode_event",
    "client_contact",
    "client_referral",
    "client_plan_step",
    "programme_event",
    "programme_event_employer",
)


@dataclass(frozen=True)
class World:
    seed: int
    size: WorldSize
    as_of: date
    employers: EmployerWorld
    people: PeopleWorld
    history: HistoryWorld
    tables: dict[str, pd.DataFrame] = field(repr=False)
    episodes: EpisodeWorld | None = field(default=None, repr=False)

    def summary(self) -> dict[str, object]:
        task = self.tables["task"]
        events = self.tables["outcome_event"]
        return {
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "employers": len(self.tables["employer"]),
            "roles": len(self.tables["role"]),
            "tasks": len(task),
            "hand_over_tasks": int((task["task_type"] == "hand_over").sum()),
            "jobseekers": len(self.tables["jobseeker"]),
            "with_consent": int(self.tables["jobseeker"]["consent_given_at"].notna().sum()),
            "physician_hard_limits": int(self.tables["capacity"]["hard_limit"].sum()),
            "proposals": len(self.tables["proposal"]),
            "outcomes": {k: int(v) for k, v in events["kind"].value_counts().sort_index().items()},
        }


def build_world(
    size: str | WorldSize = "small",
    seed: int = 7,
    as_of: date = AS_OF,
    episodes: EpisodeMix = KUNTO,
    contacts: ContactMix = ASSUMED,
    referrals: ReferralMix = REFERRALS_ASSUMED,
    plan: PlanMix = PLAN_ASSUMED,
) -> World:
    """Build a demo world of a named size (``tiny``, ``small``, ``medium``, ``large``) or a
    :class:`WorldSize`, deterministically for ``seed``; the people's service episodes in the
    proportions of ``episodes``, their contacts with their coordinators in those of
    ``contacts``, their referrals onwards in those of ``referrals``, the steps of their client
    plans in those of ``plan``; and each area's programme events in KUNTO's proportions."""
    if isinstance(size, str):
        if size not in SIZES:
            raise ValueError(f"unknown world size {size!r}; choose one of {', '.join(SIZES)}")
        size = SIZES[size]
    if size.tasks < 1 or size.jobseekers < 1:
        raise ValueError("a world needs at least one task and one jobseeker")
    if size.proposals < 0:
        raise ValueError(f"a world's proposals cannot be fewer than 0, got {size.proposals}")
    rng = np.random.default_rng(seed)
    py = random.Random(seed)
    employers = generate_employers(rng, py, size.tasks, as_of)
    people = generate_people(rng, py, size.jobseekers, as_of)
    # Proposals that would give someone two placements at once are drawn again from a stream
    # of their own, so that every table drawn after the history stays as it was.
    history = generate_history(rng, py, employers, people, size.proposals, as_of,
                               np.random.default_rng([seed, PLACEMENT_STREAM]))  # fmt: skip
    # Drawn last, so that every other table is what it was before episodes existed.
    journeys = generate_episodes(rng, people.jobseeker, as_of, episodes)
    # And contacts after them, so that episodes too are what they were before contacts.
    met = generate_contacts(rng, people.jobseeker, journeys.service_episode,
                            journeys.episode_event, as_of, contacts)  # fmt: skip
    # And referrals last of all, so that contacts too are what they were before them.
    referred = generate_referrals(rng, people.jobseeker, people.capacity,
                                  journeys.service_episode, journeys.episode_event, as_of,
                                  referrals)  # fmt: skip
    # And the client plans' steps after them, from a stream of their own: referrals too are
    # what they were, and another mix of referrals (or contacts) leaves the plans as they are.
    planned = generate_plan_steps(np.random.default_rng([seed, PLAN_STREAM]), people.jobseeker,
                                  journeys.service_episode, journeys.episode_event, as_of,
                                  plan)  # fmt: skip
    # And the programme's events from a stream of their own: every other table is as it was.
    events, taking_part = generate_events(np.random.default_rng([seed, EVENTS_STREAM]),
                                          people.jobseeker, employers.employer, as_of)  # fmt: skip
    tables = {
        "employer": employers.employer,
        "crm_note": employers.crm_note,
        "role": employers.role,
        "task": employers.task,
        "task_demand": employers.task_demand,
        "jobseeker": people.jobseeker,
        "jobseeker_identity": people.jobseeker_identity,
        "jobseeker_demographics": people.jobseeker_demographics,
        "capacity": people.capacity,
        "proposal": history.proposal,
        "proposal_task": history.proposal_task,
        "outcome_event": history.outcome_event,
        "service_episode": journeys.service_episode,
        "episode_event": journeys.episode_event,
        "client_contact": met,
        "client_referral": referred,
        "client_plan_step": planned,
        "programme_event": events,
        "programme_event_employer": taking_part,
    }
    return World(seed, size, as_of, employers, people, history, tables, journeys)
