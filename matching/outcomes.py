"""How far a proposal got, as a relevance grade: one definition for the offline evaluation and
the learned re-ranker (which both read it, so neither imports the other)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["GRADES", "SUCCESS_GRADE", "outcome_grades"]

GRADES = {
    "work_trial_started": 1,
    "work_trial_extended": 1,
    "hired": 2,
    "employed_6_months": 3,
    "education_started": 2,
    "apprenticeship_started": 2,
    "care_started": 1,
    "other_service": 1,
}
"""The shipped grades of how far a proposal got — the relevance grade of its tasks for the
person. A rule set carries its own (``RuleSet.outcome_grades``): an education or an
apprenticeship started is a success as a hire is, so evaluation and training do not reward
only the people easiest to place."""
SUCCESS_GRADE = 2
"""Hired or still employed after six months: a success."""


FAILURES = ("declined_by_person", "declined_by_employer", "ended")
"""The events that end a proposal; before a hire, the proposal failed."""


def outcome_grades(
    proposal: pd.DataFrame, outcome_event: pd.DataFrame, grades: Mapping[str, int] = GRADES
) -> pd.DataFrame:
    """proposal_id, person_id, proposed_at, the furthest milestone's grade (0: none),
    ``failed``: it ended (declined, or the trial ended) before a hire, and
    ``against_engine``: a human override, proposed although the rules excluded it (False where
    the history does not say)."""
    grade = (
        outcome_event.assign(grade=outcome_event["kind"].map(dict(grades)).fillna(0))
        .groupby("proposal_id")["grade"]
        .max()
    )
    out = proposal[["id", "jobseeker_id", "proposed_at"]].rename(
        columns={"id": "proposal_id", "jobseeker_id": "person_id"}
    )
    out["grade"] = out["proposal_id"].map(grade).fillna(0).astype(int)
    ended = set(outcome_event.loc[outcome_event["kind"].isin(FAILURES), "proposal_id"])
    out["failed"] = out["proposal_id"].isin(ended) & (out["grade"] < SUCCESS_GRADE)
    against = proposal.get("against_engine", False)
    out["against_engine"] = pd.Series(against, index=proposal.index).fillna(False).astype(bool)
    return out.dropna(subset=["person_id"]).astype({"person_id": np.int64})
