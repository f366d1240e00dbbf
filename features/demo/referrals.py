"""Referrals of the demo world's people onwards, in proportions that are parameters
(:class:`ReferralMix`; the defaults are the simulator's assumptions, not measured).

About four in ten people are referred once or twice during their current service episode (on
days drawn between its start and the world's day, or the pause or placement that stopped it):
a health check for the unemployed most often, then a psychologist, a physician's statement,
social services, health or mental health services, rehabilitation. The answer is awaited
three to eight weeks on (most referrals say by when). Seven in ten are answered and one in ten
cancelled, some weeks later but never after the world's day; the rest are open, some past
their due date. A referral that is to bring a statement about work ability (a health check, a
physician, a psychologist, rehabilitation) names one to four characteristics the person has no
rating for — what the statement will fill.

Columnar, and drawn after everything else, so that no other table changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from features.catalogue import CHARACTERISTIC_IDS
from features.demo.contacts import _periods
from features.demo.records import made_and_closed
from features.schemas.referral import ReferralKind

__all__ = ["ASSUMED", "STATEMENT_KINDS", "ReferralMix", "generate_referrals"]


def _assumed_kinds() -> dict[ReferralKind, float]:
    k = ReferralKind
    return {k.HEALTH_CHECK: 30, k.PSYCHOLOGIST: 20, k.PHYSICIAN: 16, k.SOCIAL_SERVICES: 12,
            k.HEALTH_CARE: 10, k.REHABILITATION: 8, k.OTHER: 4}  # fmt: skip


STATEMENT_KINDS = frozenset({
    ReferralKind.HEALTH_CHECK, ReferralKind.PHYSICIAN, ReferralKind.PSYCHOLOGIST,
    ReferralKind.REHABILITATION,
})  # fmt: skip
"""The kinds whose answer is a statement about work ability (it names what it will assess)."""
NOTES = (
    "Lähete lähetetty, asiakas varaa ajan itse.",
    "Asiakas toivoi selvitystä jaksamisesta.",
    "Lausuntoa tarvitaan työkokeilun suunnitteluun.",
    "Sovittu yhdessä asiakkaan kanssa.",
)
"""What a demo coordinator notes (never anything of health)."""


@dataclass(frozen=True)
class ReferralMix:
    """The simulator's parameters (weights need not sum to one)."""

    kinds: Mapping[ReferralKind, float] = field(default_factory=_assumed_kinds)
    referred_share: float = 0.4
    """How many people are referred at least once during their current episode."""
    second_share: float = 0.3
    """Of those, how many are referred a second time."""
    due_share: float = 0.85
    """How many referrals say by when the answer is awaited."""
    due_days: tuple[int, int] = (21, 56)
    """The answer is awaited this many days after the referral."""
    answered_share: float = 0.7
    cancelled_share: float = 0.1
    """The rest stay open on the world's day."""
    closed_days: tuple[int, int] = (7, 70)
    """An answer or a cancellation comes this many days after the referral (the world's day
    at the latest)."""
    assesses: tuple[int, int] = (1, 4)
    """A statement awaited names this many characteristics the person has no rating for."""
    note_share: float = 0.5
    window_days: int = 730
    """How far back from the world's day referrals are made (within the current episode)."""


ASSUMED = ReferralMix()


def _unrated(jobseeker: pd.DataFrame, capacity: pd.DataFrame) -> np.ndarray:
    """People × characteristics (the catalogue's order): true where the person has no rating."""
    row = pd.Index(jobseeker["id"]).get_indexer(capacity["jobseeker_id"])
    column = pd.Index(CHARACTERISTIC_IDS).get_indexer(capacity["characteristic_id"])
    unrated = np.ones((len(jobseeker), len(CHARACTERISTIC_IDS)), dtype=bool)
    known = (row >= 0) & (column >= 0)
    unrated[row[known], column[known]] = False
    return unrated


def generate_referrals(
    rng: np.random.Generator,
    jobseeker: pd.DataFrame,
    capacity: pd.DataFrame,
    service_episode: pd.DataFrame,
    episode_event: pd.DataFrame,
    as_of: date,
    mix: ReferralMix = ASSUMED,
) -> pd.DataFrame:
    """The ``client_referral`` table for the world's people and their episodes; every
    referral, answer and cancellation on or before ``as_of``."""
    n = len(jobseeker)
    first, last = _periods(jobseeker, service_episode, episode_event, as_of, mix.window_days)
    span = (last - first).astype(int)  # days; negative: no room in the episode
    referred = (rng.random(n) < mix.referred_share) & (span >= 0)
    how_many = np.where(referred, 1 + (rng.random(n) < mix.second_share), 0)
    person = np.repeat(np.arange(n), how_many)
    m = len(person)
    made = first[person] + (rng.random(m) * (span[person] + 1)).astype(int).astype("timedelta64[D]")
    weights = np.array(list(mix.kinds.values()), dtype=float)
    keys = np.array([k.value for k in mix.kinds], dtype=object)
    kind = keys[rng.choice(len(keys), size=m, p=weights / weights.sum())]
    has_due = rng.random(m) < mix.due_share
    due = made + rng.integers(mix.due_days[0], mix.due_days[1] + 1, m).astype("timedelta64[D]")
    fate = rng.random(m)
    world_day = np.datetime64(as_of, "D")
    later = rng.integers(mix.closed_days[0], mix.closed_days[1] + 1, m).astype("timedelta64[D]")
    closed = np.minimum(made + later, world_day)
    is_closed = fate < mix.answered_share + mix.cancelled_share
    outcome = np.full(m, None, dtype=object)
    outcome[is_closed] = "cancelled"
    outcome[fate < mix.answered_share] = "answered"
    # What a statement will assess: the first few of the person's unrated characteristics in
    # a random order of each referral's own.
    unrated = _unrated(jobseeker, capacity)[person]
    order_keys = np.where(unrated, rng.random(unrated.shape), 2.0)
    order = np.argsort(order_keys, axis=1, kind="stable")
    low, high = mix.assesses
    wanted = np.minimum(rng.integers(low, high + 1, m), unrated.sum(axis=1))
    statement = np.isin(kind, [k.value for k in STATEMENT_KINDS])
    ids = np.array(CHARACTERISTIC_IDS, dtype=object)
    assesses = [
        sorted(ids[order[i, : wanted[i]]], key=CHARACTERISTIC_IDS.index) if statement[i] else []
        for i in range(m)
    ]
    noted = rng.random(m) < mix.note_share
    note = np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), m)]
    recorded = made_and_closed(rng, jobseeker, person, made, closed, is_closed)
    nothing = np.full(m, None, dtype=object)
    frame = pd.DataFrame({
        "jobseeker_id": jobseeker["id"].to_numpy()[person],
        "made_on": made.astype(object),
        "kind": kind,
        "note": np.where(noted, note, ""),
        "due_on": np.where(has_due, due.astype(object), nothing),
        "assesses": assesses,
        "made_by": recorded["by"],
        "made_at": recorded["at"],
        "outcome": outcome,
        "closed_on": recorded["closed_on"],
        "closed_by": recorded["closed_by"],
        "closed_at": recorded["closed_at"],
    })  # fmt: skip
    # Ids in the order referrals were made (each person's in their own order).
    frame = frame.sort_values(["made_on", "jobseeker_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1, dtype=np.int64))
    return frame
