"""The match index: the matrices the matcher reads, built from the wide frames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from features.pipeline.frames import people_frame, task_frame
from features.pipeline.matrices import Featurizer, PeopleMatrix, TaskMatrix

__all__ = ["MatchIndex"]


@dataclass(frozen=True)
class MatchIndex:
    featurizer: Featurizer
    people: PeopleMatrix
    tasks: TaskMatrix
    people_frame: pd.DataFrame
    task_frame: pd.DataFrame

    @classmethod
    def from_frames(cls, people: pd.DataFrame, tasks: pd.DataFrame) -> MatchIndex:
        featurizer = Featurizer().fit(people, tasks)
        return cls(featurizer, featurizer.people(people), featurizer.tasks(tasks), people, tasks)

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> MatchIndex:
        """From table-shaped frames (the demo world's ``tables``, or tables read from storage)."""
        return cls.from_frames(
            people_frame(tables["jobseeker"], tables["capacity"]),
            task_frame(tables["task"], tables["task_demand"], tables["role"], tables["employer"]),
        )
