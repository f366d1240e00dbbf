"""The programme's events in the demo world, in KUNTO's proportions (seed 003, "Tuloksia": 25
events, own and organised in cooperation, for its 340 clients over the project's three years).

Each area holds events in proportion to its people (25 for every 340, at least one), held on
days spread over the three years before the world's day; their kinds as in KUNTO's list of
events (recruitment events such as DuuniWork and Tiistairekry, job-search help such as
Työnhakutori and CV kuntoon, the monthly Täsmätyötiistai info sessions, wellbeing events such
as Kunnon kesä, seminars and events for employers), about half in cooperation with a partner
(Ohjaamo, Alpi, the ASKELMAT project). Who came is counts only, drawn around each kind's
typical attendance (assumed: the seed gives no counts); the network's partners take part in
recruitment and employer events. Drawn from a stream of its own, so no other table changes.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from features.schemas.programme_event import EventKind

__all__ = ["EVENTS_PER_CLIENT", "EVENTS_STREAM", "generate_events"]

EVENTS_STREAM = 33
"""The events' own random stream (beside the seed)."""
EVENTS_PER_CLIENT = 25 / 340
"""KUNTO: 25 events for its 340 enrolled clients."""
YEARS = 3

_K = EventKind
KINDS: dict[EventKind, tuple[float, tuple[str, ...]]] = {
    _K.RECRUITMENT: (6, ("DuuniWork", "Tiistairekry", "Pyhä-rekry", "Kesätyösetelirekry")),
    _K.JOB_SEARCH: (7, ("Työnhakutori", "CV kuntoon ja kesäksi duuniin",
                        "Jäitkö ilman opiskelupaikkaa?", "Kesän ryhmävalmennus")),
    _K.INFO_SESSION: (4, ("Täsmätyötiistai", "Täsmätyötiistai-podcast")),
    _K.WELLBEING: (3, ("Kunnon kesä", "Step-Out", "Anna soten yllättää")),
    _K.EMPLOYER_EVENT: (3, ("Kilpailukykyä sosiaalisesta vastuullisuudesta",
                            "Kohti yrittäjyyttä", "Työkykyseminaari")),
    _K.OTHER: (2, ("Jalkautuva päivystys", "Ohjaamopäivystys")),
}  # fmt: skip
"""Each kind's weight among KUNTO's 25 events, and names of its events."""
ATTENDING: dict[EventKind, tuple[float, float, float]] = {
    _K.RECRUITMENT: (30, 8, 5),
    _K.JOB_SEARCH: (12, 1, 3),
    _K.INFO_SESSION: (5, 3, 10),
    _K.WELLBEING: (25, 1, 30),
    _K.EMPLOYER_EVENT: (2, 15, 5),
    _K.OTHER: (8, 0.5, 4),
}
"""The mean clients, employers and others at an event of each kind (assumed)."""
PARTNERS = ("Ohjaamo", "Alpi", "ASKELMAT-hanke", "LAB-ammattikorkeakoulu", "Hyria")
COOPERATION_SHARE = 0.5


def generate_events(
    rng: np.random.Generator, jobseeker: pd.DataFrame, employer: pd.DataFrame, as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``programme_event`` and ``programme_event_employer`` tables: each area's events
    (recorded by one of its coordinators, the day after each was held) and the network's
    partners who took part."""
    kinds = list(KINDS)
    weights = np.array([KINDS[k][0] for k in kinds], dtype=float)
    partners = employer.loc[employer["network_status"] == "partner", "id"].to_numpy()
    days = (as_of - (as_of - timedelta(days=365 * YEARS))).days
    rows: list[dict[str, object]] = []
    taking_part: list[tuple[int, int]] = []
    people = jobseeker.groupby("area")
    for area, group in sorted(people, key=lambda g: str(g[0])):
        n = max(1, int(rng.poisson(len(group) * EVENTS_PER_CLIENT)))
        coordinator = str(group["coordinator"].iloc[0])
        for _ in range(n):
            kind = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
            names = KINDS[kind][1]
            held_on = as_of - timedelta(days=int(rng.integers(1, days + 1)))
            together = bool(rng.random() < COOPERATION_SHARE)
            clients, employers, others = (int(rng.poisson(m)) for m in ATTENDING[kind])
            event_id = len(rows) + 1
            if kind in (_K.RECRUITMENT, _K.EMPLOYER_EVENT) and len(partners) and employers:
                named = rng.choice(partners, size=min(employers, 3, len(partners)), replace=False)
                taking_part += [(event_id, int(e)) for e in sorted(named)]
            recorded = pd.Timestamp(held_on + timedelta(days=1)) + pd.Timedelta(hours=9)
            rows.append({
                "id": event_id, "held_on": held_on, "area": str(area),
                "name": names[int(rng.integers(len(names)))], "kind": kind.value,
                "in_cooperation": together,
                "partner": PARTNERS[int(rng.integers(len(PARTNERS)))] if together else None,
                "clients": clients, "employers": employers, "others": others,
                "recorded_by": coordinator, "recorded_at": recorded.tz_localize("UTC"),
                "withdrawn_at": None, "withdrawn_by": None, "withdraw_reason": None,
            })  # fmt: skip
    events = pd.DataFrame(rows, columns=["id", "held_on", "area", "name", "kind",
                                         "in_cooperation", "partner", "clients", "employers",
                                         "others", "recorded_by", "recorded_at", "withdrawn_at",
                                         "withdrawn_by", "withdraw_reason"])  # fmt: skip
    return events, pd.DataFrame(taking_part, columns=["event_id", "employer_id"])
