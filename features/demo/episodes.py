"""Service episodes for the demo world's people, in proportions that are parameters.

Every person has a current episode that agrees with their status (drawn with the person):
active, paused (a pause event) or placed (an outcome event: employed on the open market or
wage-subsidised work). Some people (``EpisodeMix.earlier_share``) also have an earlier episode
that ended, with a continuation path drawn from ``EpisodeMix.paths``; by default those are the
Lahti KUNTO project's results (seed 003, "Tuloksia": of 232 continuation paths 75 employed,
74 continued job search, 27 education, 17 work trials, 16 another service, 14 sick leave, 9
rehabilitative work activity). The referral sources' shares are not in the seeds: the
defaults are the simulator's assumption, to be replaced by measured ones.

Columnar: one array draw per column for the whole population, so a 50 000-person world adds
its episodes in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from features.schemas.episode import ContinuationPath, EpisodeEventKind, ReferralSource

__all__ = ["KUNTO", "EpisodeMix", "EpisodeWorld", "generate_episodes"]


def _kunto_paths() -> dict[ContinuationPath, float]:
    p = ContinuationPath
    return {p.EMPLOYED: 75, p.JOB_SEARCH: 74, p.EDUCATION: 27, p.WORK_TRIAL: 17,
            p.OTHER_SERVICE: 16, p.SICK_LEAVE_OR_CARE: 14, p.REHABILITATIVE_WORK: 9}  # fmt: skip


def _assumed_referrals() -> dict[ReferralSource, float]:
    r = ReferralSource
    return {r.PERSONAL_COACH: 40, r.OHJAAMO: 20, r.SOCIAL_SERVICES: 12, r.HEALTH_CARE: 10,
            r.DISABILITY_SERVICES: 6, r.SELF_REFERRAL: 8, r.OTHER: 4}  # fmt: skip


@dataclass(frozen=True)
class EpisodeMix:
    """The simulator's parameters (weights need not sum to one)."""

    paths: Mapping[ContinuationPath, float] = field(default_factory=_kunto_paths)
    """Where an ended episode continues."""
    referrals: Mapping[ReferralSource, float] = field(default_factory=_assumed_referrals)
    earlier_share: float = 0.5
    """Of the people, how many have an earlier episode that ended."""
    wage_subsidised_share: float = 0.4
    """Of the placed people, how many are in wage-subsidised work (the rest: open market)."""
    programme: str = "KUNTO"


KUNTO = EpisodeMix()


@dataclass(frozen=True)
class EpisodeWorld:
    service_episode: pd.DataFrame
    episode_event: pd.DataFrame


def _draw(rng: np.random.Generator, weights: Mapping[Any, float], n: int) -> np.ndarray:
    """``n`` keys of ``weights`` (as strings), drawn in proportion to their weights."""
    keys = np.array([str(k) for k in weights], dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _days(as_of: date, back: np.ndarray) -> np.ndarray:
    """The dates ``back`` days before ``as_of`` (as ``datetime.date`` objects)."""
    return (np.datetime64(as_of, "D") - back.astype("timedelta64[D]")).astype(object)


def generate_episodes(
    rng: np.random.Generator,
    jobseeker: pd.DataFrame,
    as_of: date,
    mix: EpisodeMix = KUNTO,
) -> EpisodeWorld:
    """Episodes and their events for ``jobseeker`` (the world's people table, with its
    ``status``), every date on or before ``as_of``."""
    n = len(jobseeker)
    person = jobseeker["id"].to_numpy()
    status = jobseeker["status"].to_numpy()
    current_back = rng.integers(30, 720, n)  # how long ago the current episode began
    earlier = rng.random(n) < mix.earlier_share
    gap = rng.integers(1, 180, n)  # from the earlier episode's end to the current start
    length = rng.integers(60, 400, n)  # the earlier episode's length
    referral = _draw(rng, mix.referrals, 2 * n)
    path = _draw(rng, mix.paths, n)
    at_event = rng.random(n)  # where between its start and as_of the current event falls
    subsidised = rng.random(n) < mix.wage_subsidised_share

    e = np.flatnonzero(earlier)
    ended_on = _days(as_of, current_back[e] + gap[e])
    episodes = pd.DataFrame({
        "id": np.concatenate([np.arange(1, len(e) + 1), len(e) + np.arange(1, n + 1)]),
        "jobseeker_id": np.concatenate([person[e], person]),
        "started_on": np.concatenate([_days(as_of, current_back[e] + gap[e] + length[e]),
                                      _days(as_of, current_back)]),
        "referral_source": np.concatenate([referral[:n][e], referral[n:]]),
        "programme": mix.programme,
        "status": np.concatenate([np.full(len(e), "ended", dtype=object), status]),
        "ended_on": np.concatenate([ended_on, np.full(n, None, dtype=object)]),
        "continuation_path": np.concatenate([path[e], np.full(n, None, dtype=object)]),
        "started_by": "demo",
    })  # fmt: skip
    # The current episode's one event: a pause, or the placement; the earlier one's end.
    moved = (status == "paused") | (status == "placed")
    c = np.flatnonzero(moved)
    placing = np.where(subsidised[c], ContinuationPath.WAGE_SUBSIDISED_WORK.value,
                       ContinuationPath.EMPLOYED.value)  # fmt: skip
    current_kind = np.where(status[c] == "paused", EpisodeEventKind.PAUSED.value,
                            EpisodeEventKind.OUTCOME.value)  # fmt: skip
    nothing = np.full(len(c), None, dtype=object)
    events = pd.DataFrame({
        "episode_id": np.concatenate([np.arange(1, len(e) + 1), len(e) + 1 + c]),
        "kind": np.concatenate([np.full(len(e), EpisodeEventKind.ENDED.value, dtype=object),
                                current_kind]),
        "happened_on": np.concatenate([
            ended_on, _days(as_of, (current_back[c] * at_event[c]).astype(int))]),
        "path": np.concatenate([path[e], np.where(status[c] == "placed", placing, nothing)]),
        "note": "",
        "recorded_by": "demo",
    })  # fmt: skip
    events.insert(0, "id", np.arange(1, len(events) + 1))
    return EpisodeWorld(service_episode=episodes, episode_event=events)
