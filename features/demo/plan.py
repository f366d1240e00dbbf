"""The client plans of the demo world's people: steps agreed with them toward their goals, in
proportions that are parameters (:class:`PlanMix`; the defaults are the simulator's
assumptions, not measured).

About half of the **active** clients (their current episode neither paused nor ended, nor
placed) have a plan of one to four steps, agreed on days drawn in the last half year of their
current episode: mostly the client's own steps (update the CV, apply for jobs, visit a
workplace), then the company coordinator's (look for a work trial, ask local firms), the
work-ability coordinator's, and some someone else's, named in words ("työkykykoordinaattori +
lääkäri"). Each is due one week to three months after it was agreed. About four in ten are
done and one in ten dropped with a reason, some days or weeks later but never after the
world's day; the rest are open, some past their due date (a caseload step).

Columnar, and drawn after everything else (the referrals included) from a random stream of
their own (:data:`PLAN_STREAM`), so that no other table changes, and no other mix changes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from features.demo.contacts import _periods
from features.demo.records import made_and_closed
from features.schemas.plan import PlanWho

__all__ = ["ASSUMED", "PLAN_STREAM", "STEPS", "PlanMix", "generate_plan_steps"]

PLAN_STREAM = 29
"""The plans are drawn from a random stream of their own, ``default_rng([seed, PLAN_STREAM])``
(29: the migration that brought them), not from the world's shared one: so another mix of
contacts or referrals, drawn before them, leaves the plans as they were."""

STEPS: dict[PlanWho, tuple[str, ...]] = {
    PlanWho.CLIENT: (
        "Päivittää CV:n ja lähettää sen koordinaattorille.",
        "Hakee kahta työpaikkaa viikossa.",
        "Tutustuu kiinteistöhuollon työtehtäviin.",
        "Käy tutustumassa työkokeilupaikkaan.",
        "Selvittää bussiyhteydet työpaikalle.",
        "Kirjoittaa itsestään lyhyen esittelyn työnantajalle.",
    ),
    PlanWho.COMPANY_COORDINATOR: (
        "Etsii työkokeilupaikan kaupan alalta.",
        "Kysyy lähialueen yrityksiltä piilotyöpaikkoja.",
        "Järjestää tutustumiskäynnin työpaikalle.",
        "Selvittää työnantajan kanssa palkkatuen.",
    ),
    PlanWho.WORK_ABILITY_COORDINATOR: (
        "Käy asiakkaan kanssa läpi Kykyviisarin tulokset.",
        "Sopii työkyvyn arvioinnin tapaamisen.",
        "Selvittää sopivan työajan aloitukseen.",
    ),
}
"""What a demo step says, by who does it (plain words: a plan is printed for the client)."""
OTHERS: tuple[tuple[str, str], ...] = (
    ("työkykykoordinaattori + lääkäri", "Arvioivat yhdessä sopivan työmäärän."),
    ("työhönvalmentaja", "Tukee työkokeilun ensimmäisellä viikolla."),
    ("Ohjaamon ohjaaja", "Kertoo koulutusvaihtoehdoista."),
    ("asiakas + yrityskoordinaattori", "Käyvät yhdessä työhaastattelussa."),
)
"""Someone else's steps: (who, in words; what)."""
REASONS = (
    "Ei enää ajankohtainen.",
    "Korvattu toisella askeleella.",
    "Asiakas halusi muuttaa suunnitelmaa.",
)


def _assumed_who() -> dict[PlanWho, float]:
    return {PlanWho.CLIENT: 50, PlanWho.COMPANY_COORDINATOR: 25,
            PlanWho.WORK_ABILITY_COORDINATOR: 15, PlanWho.OTHER: 10}  # fmt: skip


@dataclass(frozen=True)
class PlanMix:
    """The simulator's parameters (weights need not sum to one)."""

    who: Mapping[PlanWho, float] = field(default_factory=_assumed_who)
    planned_share: float = 0.5
    """How many active clients have a plan with steps."""
    steps: tuple[int, int] = (1, 4)
    """How many steps a plan has."""
    due_days: tuple[int, int] = (7, 90)
    """A step is due this many days after it was agreed."""
    done_share: float = 0.4
    dropped_share: float = 0.1
    """The rest stay open on the world's day."""
    closed_days: tuple[int, int] = (3, 60)
    """A step is done or dropped this many days after it was agreed (the world's day at the
    latest)."""
    window_days: int = 180
    """How far back from the world's day steps are agreed (within the current episode)."""


ASSUMED = PlanMix()


def generate_plan_steps(
    rng: np.random.Generator,
    jobseeker: pd.DataFrame,
    service_episode: pd.DataFrame,
    episode_event: pd.DataFrame,
    as_of: date,
    mix: PlanMix = ASSUMED,
) -> pd.DataFrame:
    """The ``client_plan_step`` table for the world's active people; every step agreed, done
    and dropped on or before ``as_of``."""
    n = len(jobseeker)
    first, last = _periods(jobseeker, service_episode, episode_event, as_of, mix.window_days)
    span = (last - first).astype(int)  # days; negative: no room in the episode
    active = jobseeker["status"].to_numpy() == "active"
    planned = (rng.random(n) < mix.planned_share) & active & (span >= 0)
    low, high = mix.steps
    how_many = np.where(planned, rng.integers(low, high + 1, n), 0)
    person = np.repeat(np.arange(n), how_many)
    m = len(person)
    agreed = first[person] + (rng.random(m) * (span[person] + 1)).astype(int).astype(
        "timedelta64[D]"
    )
    due = agreed + rng.integers(mix.due_days[0], mix.due_days[1] + 1, m).astype("timedelta64[D]")
    weights = np.array(list(mix.who.values()), dtype=float)
    keys = list(mix.who)
    drawn = rng.choice(len(keys), size=m, p=weights / weights.sum())
    who = np.array([k.value for k in keys], dtype=object)[drawn]
    # What each says: one of its doer's phrases (someone else's names them too).
    pick = rng.integers(0, 1 << 30, m)
    what = np.empty(m, dtype=object)
    who_else = np.full(m, "", dtype=object)
    for k in keys:
        at = who == k.value
        if k is PlanWho.OTHER:
            chosen = np.array(OTHERS, dtype=object)[pick[at] % len(OTHERS)]
            who_else[at], what[at] = chosen[:, 0], chosen[:, 1]
        else:
            phrases = np.array(STEPS[k], dtype=object)
            what[at] = phrases[pick[at] % len(phrases)]
    fate = rng.random(m)
    world_day = np.datetime64(as_of, "D")
    later = rng.integers(mix.closed_days[0], mix.closed_days[1] + 1, m).astype("timedelta64[D]")
    closed = np.minimum(agreed + later, world_day)
    is_closed = fate < mix.done_share + mix.dropped_share
    outcome = np.full(m, None, dtype=object)
    outcome[is_closed] = "dropped"
    outcome[fate < mix.done_share] = "done"
    dropped = outcome == "dropped"
    reason = np.full(m, None, dtype=object)
    reason[dropped] = np.array(REASONS, dtype=object)[rng.integers(0, len(REASONS), m)][dropped]
    recorded = made_and_closed(rng, jobseeker, person, agreed, closed, is_closed)
    frame = pd.DataFrame({
        "jobseeker_id": jobseeker["id"].to_numpy()[person],
        "what": what,
        "who": who,
        "who_else": who_else,
        "due_on": due.astype(object),
        "agreed_on": agreed.astype(object),
        "agreed_by": recorded["by"],
        "agreed_at": recorded["at"],
        "outcome": outcome,
        "closed_on": recorded["closed_on"],
        "reason": reason,
        "closed_by": recorded["closed_by"],
        "closed_at": recorded["closed_at"],
    })  # fmt: skip
    # Ids in the order steps were agreed (each person's in their own order).
    frame = frame.sort_values(["agreed_on", "jobseeker_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1, dtype=np.int64))
    return frame
