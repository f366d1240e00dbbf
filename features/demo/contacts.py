"""Contacts with the demo world's people, and the next steps agreed in them, in proportions that
are parameters (:class:`ContactMix`; the defaults are the simulator's assumptions, not
measured).

While a person's current service episode is active, their coordinators are in touch every two
to four weeks (over the last ``window_days`` before the world's day, never before the episode
began); a paused or placed person's contacts stop at the pause or the placement, and the
last of them agrees no step. About one in
ten contacts did not happen (the client cancelled, did not show up, or was not reached). Half
of the contacts that happened agree a next step, due one to four weeks later; the next contact
that happens finds it done seven times in ten, else it stays open (or a newer step supersedes
it) — so some steps are overdue on the world's day, as on a real caseload.

Columnar: one array draw per column for the whole population (the contacts are a grid of
people × the most contacts a window holds), so a 50 000-person world adds its 330 000 or so
contacts in under a second. Drawn after everything else, so no other table changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from features.schemas.contact import ContactKind

__all__ = ["ASSUMED", "ContactMix", "generate_contacts"]


def _assumed_kinds() -> dict[ContactKind, float]:
    k = ContactKind
    return {k.MET: 45, k.PHONED: 30, k.VIDEO: 10, k.MESSAGE: 15}


def _assumed_attempts() -> dict[ContactKind, float]:
    k = ContactKind
    return {k.CANCELLED: 4, k.NO_SHOW: 3, k.NOT_REACHED: 3}


STEPS = (
    "Päivittää CV:n ja lähettää sen koordinaattorille",
    "Tutustuu ehdotettuihin tehtäviin",
    "Käy tutustumassa työpaikkaan",
    "Hakee kahta avointa työpaikkaa",
    "Varaa ajan työkokeilun aloituskeskusteluun",
    "Selvittää kulkuyhteydet työpaikalle",
    "Toimittaa työkokeilusopimuksen allekirjoitettuna",
    "Osallistuu rekrytointitilaisuuteen",
)
"""What a demo client agrees to do next (never anything of health)."""
NOTES = (
    "Käytiin läpi työnhaun tilanne.",
    "Keskusteltiin sopivista tehtävistä ja työajoista.",
    "Kuulumiset vaihdettu, motivaatio hyvä.",
    "Päivitettiin CV yhdessä.",
    "Käytiin läpi työkokeilun mahdollisuuksia.",
)


@dataclass(frozen=True)
class ContactMix:
    """The simulator's parameters (weights need not sum to one)."""

    kinds: Mapping[ContactKind, float] = field(default_factory=_assumed_kinds)
    """Of the contacts that happened, the kinds."""
    attempts: Mapping[ContactKind, float] = field(default_factory=_assumed_attempts)
    """Of the contacts that did not happen, why."""
    attempt_share: float = 0.1
    every_days: tuple[int, int] = (14, 28)
    """Days between contacts, drawn uniformly from this range (both ends included)."""
    window_days: int = 180
    """How far back from the world's day contacts are made."""
    step_share: float = 0.5
    """Of the contacts that happened, how many agree a next step."""
    due_days: tuple[int, int] = (7, 28)
    """A next step is due this many days after the contact that agreed it."""
    done_share: float = 0.7
    """How often the next contact that happens finds the open step done."""
    note_share: float = 0.5


ASSUMED = ContactMix()


def _draw(rng: np.random.Generator, weights: Mapping[ContactKind, float], n: int) -> np.ndarray:
    keys = np.array([k.value for k in weights], dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _periods(
    jobseeker: pd.DataFrame,
    service_episode: pd.DataFrame,
    episode_event: pd.DataFrame,
    as_of: date,
    window_days: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's first and last day of contacts (as day numbers): from the current
    episode's start (or the window's) to the world's day, or to the pause or placement."""
    current = service_episode[service_episode["ended_on"].isna()].set_index("jobseeker_id")
    person = jobseeker["id"].to_numpy()
    started = pd.to_datetime(current.loc[person, "started_on"]).to_numpy().astype("datetime64[D]")
    happened = pd.to_datetime(episode_event["happened_on"]).to_numpy().astype("datetime64[D]")
    stopped = pd.Series(happened, index=episode_event["episode_id"].to_numpy())
    stopped = stopped.groupby(level=0).max()
    episode_ids = current.loc[person, "id"].to_numpy()
    end = np.full(len(person), np.datetime64(as_of, "D"))
    moved = jobseeker["status"].to_numpy() != "active"
    has_event = np.isin(episode_ids, stopped.index.to_numpy())
    at = moved & has_event
    end[at] = stopped.loc[episode_ids[at]].to_numpy().astype("datetime64[D]")
    window = np.datetime64(as_of, "D") - np.timedelta64(window_days, "D")
    return np.maximum(started, window), end


def generate_contacts(
    rng: np.random.Generator,
    jobseeker: pd.DataFrame,
    service_episode: pd.DataFrame,
    episode_event: pd.DataFrame,
    as_of: date,
    mix: ContactMix = ASSUMED,
) -> pd.DataFrame:
    """The ``client_contact`` table for the world's people (``jobseeker`` with its status and
    coordinators) and their episodes; every contact on or before ``as_of``."""
    n = len(jobseeker)
    low, high = mix.every_days
    most = mix.window_days // low + 2  # the most contacts a window can hold
    first, last = _periods(jobseeker, service_episode, episode_event, as_of, mix.window_days)
    gaps = rng.integers(low, high + 1, (n, most))
    gaps[:, 0] = rng.integers(0, high + 1, n)  # the first: somewhere in the first interval
    days = first[:, None] + np.cumsum(gaps, axis=1).astype("timedelta64[D]")
    valid = days <= last[:, None]  # a prefix of each row: the days only grow
    attempt = rng.random((n, most)) < mix.attempt_share
    kinds = np.where(attempt, _draw(rng, mix.attempts, n * most).reshape(n, most),
                     _draw(rng, mix.kinds, n * most).reshape(n, most))  # fmt: skip
    # A step is agreed in a contact that happened; a paused or placed person's last contact
    # agrees none (the service stopped there).
    has_next = np.zeros_like(valid)
    has_next[:, :-1] = valid[:, 1:]
    active = (jobseeker["status"].to_numpy() == "active")[:, None]
    agreed = valid & ~attempt & (rng.random((n, most)) < mix.step_share) & (has_next | active)
    due = days + rng.integers(mix.due_days[0], mix.due_days[1] + 1, (n, most)).astype(
        "timedelta64[D]"
    )
    done_draw = rng.random((n, most))
    what = rng.integers(0, len(STEPS), (n, most))
    noted = rng.random((n, most)) < mix.note_share
    note = rng.integers(0, len(NOTES), (n, most))
    by_company = rng.random((n, most)) < 0.6
    hour = rng.integers(8, 16, (n, most))

    ids = np.zeros((n, most), dtype=np.int64)
    ids[valid] = np.arange(1, int(valid.sum()) + 1)  # row-major: a person's contacts in order
    closes = np.full((n, most), -1, dtype=np.int64)
    open_id = np.full(n, -1, dtype=np.int64)
    for j in range(most):  # the step open before contact j, found done in it or not
        finds = valid[:, j] & ~attempt[:, j] & (open_id > 0) & (done_draw[:, j] < mix.done_share)
        closes[finds, j] = open_id[finds]
        open_id[finds] = -1
        open_id[agreed[:, j]] = ids[agreed[:, j], j]

    person, column = np.nonzero(valid)
    company = jobseeker["coordinator"].to_numpy()[person]
    work_ability = jobseeker["work_ability_coordinator"].to_numpy()[person]
    step_here = agreed[person, column]
    happened_on = days[person, column]
    recorded = happened_on.astype("datetime64[h]") + hour[person, column].astype("timedelta64[h]")
    nothing = np.full(len(person), None, dtype=object)
    return pd.DataFrame({
        "id": ids[person, column],
        "jobseeker_id": jobseeker["id"].to_numpy()[person],
        "happened_on": happened_on.astype(object),
        "kind": kinds[person, column],
        "note": np.where(noted[person, column] & ~attempt[person, column],
                         np.array(NOTES, dtype=object)[note[person, column]], ""),
        "next_step": np.where(step_here, np.array(STEPS, dtype=object)[what[person, column]],
                              nothing),
        "next_step_due": np.where(step_here, due[person, column].astype(object), nothing),
        "closes_step_of": np.where(closes[person, column] > 0,
                                   closes[person, column].astype(object), nothing),
        "recorded_by": np.where(by_company[person, column] | pd.isna(work_ability), company,
                                work_ability),
        "recorded_at": pd.to_datetime(recorded).tz_localize("UTC"),
    })  # fmt: skip
