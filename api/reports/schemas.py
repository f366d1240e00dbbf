"""The programme report's question (the period and the area) and its answer: each figure with
its value, share, label and definition."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

__all__ = ["ProgrammeReport", "ReportFigure"]


class ReportFigure(BaseModel):
    """One line of the report: a figure, which part of it (a breakdown's key), its value and
    share, with its label and its definition (English; the web UI shows them translated)."""

    figure: str = Field(description="The figure's id, e.g. 'enrolled' or 'ended_by_path'.")
    key: str | None = Field(
        default=None,
        description="For a breakdown: the referral source, the continuation path or the "
        "industry (TOL 2008 division code) this line counts.",
    )
    value: int | float | None = Field(
        description="The count (or a median of days); null when the record cannot tell, or "
        "when the cell is suppressed (see `suppressed`)."
    )
    share: float | None = Field(
        default=None,
        description="The value's share (0–1) of the whole it is part of; null when that whole "
        "is zero or the figure has no share.",
    )
    of: int | None = Field(default=None, description="For a median: how many it was measured on.")
    small: bool = Field(
        default=False, description="A count (or a median's base) under 5: read it with care."
    )
    suppressed: bool = Field(
        default=False,
        description="A small cell withheld (value and share null): in a breakdown of people "
        "(enrolled by source, ended by path, the ESF+ indicators) every count under 5 (zeros "
        "too) where one from 1 to 4 is, and the next smallest where they alone could be worked "
        "out, so that no cell can be worked out by subtracting the shown ones from the total; a "
        "median measured over 1 to 4 episodes; and a count above such a breakdown (went through, "
        "not "
        "reached, stopped contact, an ESF+ situation upon leaving) that would give a withheld "
        "cell away.",
    )
    label: str
    definition: str = Field(description="What the figure counts and what it cannot tell.")


class ProgrammeReport(BaseModel):
    """The programme report of a period (both days included) and an area (null: every area)."""

    period_from: date
    period_to: date
    area: str | None
    areas: list[str] = Field(description="The areas a report can be asked for.")
    empty: bool = Field(
        description="Nothing happened in the period and area (no episode began or ended, no "
        "proposal or step of one, no event held): every count is zero and every share null."
    )
    figures: list[ReportFigure]
