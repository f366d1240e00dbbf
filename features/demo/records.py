"""Who recorded a client's record in the demo world, and when: the columns that referrals
and plan steps (and anything made, then closed, by a coordinator) share."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["made_and_closed"]


def made_and_closed(
    rng: np.random.Generator,
    jobseeker: pd.DataFrame,
    person: np.ndarray,
    made: np.ndarray,
    closed: np.ndarray,
    is_closed: np.ndarray,
) -> dict[str, object]:
    """For records of ``jobseeker`` rows ``person`` made on the days ``made`` and closed on
    ``closed`` where ``is_closed``: who made each (the company coordinator, or half the time
    the work-ability coordinator where the person has one) at an office hour of the day, and
    who closed it, an hour later on its day — columns ``by``, ``at``, ``closed_on``,
    ``closed_by``, ``closed_at`` (None or NaT where not closed). Three draws from ``rng``, in
    this order, so that the worlds drawn before stay as they were."""
    m = len(person)
    by_company = rng.random(m) < 0.5
    closed_by_company = rng.random(m) < 0.5
    hour = rng.integers(8, 16, m).astype("timedelta64[h]")
    company = jobseeker["coordinator"].to_numpy()[person]
    work_ability = jobseeker["work_ability_coordinator"].to_numpy()[person]
    missing = pd.isna(work_ability)
    nothing = np.full(m, None, dtype=object)
    closed_at = pd.to_datetime(closed.astype("datetime64[h]") + hour + 1).tz_localize("UTC")
    closer = np.where(closed_by_company | missing, company, work_ability)
    return {
        "by": np.where(by_company | missing, company, work_ability),
        "at": pd.to_datetime(made.astype("datetime64[h]") + hour).tz_localize("UTC"),
        "closed_on": np.where(is_closed, closed.astype(object), nothing),
        "closed_by": np.where(is_closed, closer, nothing),
        "closed_at": pd.Series(closed_at).where(is_closed),
    }
