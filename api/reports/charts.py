"""The programme report's bar charts (#29 point 4), as geometry for a server-rendered inline SVG:
one horizontal bar a part, its label above it (wrapped, so that a long industry's name needs no
room beside the bar), the bars scaled to the largest value, an axis with round ticks below.
A suppressed cell has no bar — the page writes "hidden" where it would be, never a value — and
the table beside the chart stays the accessible source of the numbers (the SVG is one image with
a name). The page's template only draws what :func:`bar_chart` places and formats the numbers
in the reader's locale. Pure: figures in, geometry out.

Which charts there are follows from the figures, not from a list: every figure with parts (a
breakdown: its lines have a key) gets one, in its section — so a section added to
:data:`features.reports.SECTIONS` gets its breakdowns charted too — and the employer funnel's
stages, four figures of their own, are drawn as one chart (:data:`STAGE_CHARTS`)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from api.reports.export import part_name
from api.reports.schemas import ReportFigure
from features.i18n import N_, gettext_for
from features.reports import FIGURES, SECTIONS

__all__ = ["STAGE_CHARTS", "Bar", "BarChart", "Tick", "bar_chart", "report_charts"]

WIDTH = 320
"""The viewBox's width; drawn at the width of its box (on a 390 px phone about 300 px, so
the 12-unit text is about 11 px)."""
VALUE_ROOM = 48
"""Room right of the longest bar for its value (“1 234”) or the word for a hidden one."""
LEFT = 8.0
"""Where the bars and the axis begin: room for half of the zero tick's number."""
LINE = 15
"""A label's line height."""
FONT = 12
BAR = 12
GAP = 8
CHARACTERS = 46
"""A label's line at most this long (12-unit text is about 6.5 units a character): a longer
label wraps onto a second line rather than run off the chart."""


@dataclass(frozen=True)
class Bar:
    """One part: its label's lines and their baselines (written from 0), the bar's top and
    length from :data:`LEFT` (0 for a zero, and for a hidden cell, which has no bar), and
    where its value — or the word for a hidden one — is written."""

    label_lines: tuple[str, ...]
    label_baselines: tuple[float, ...]
    y: float
    length: float
    value: float | None
    hidden: bool
    value_x: float
    value_baseline: float


@dataclass(frozen=True)
class Tick:
    x: float
    value: int


@dataclass(frozen=True)
class BarChart:
    """A chart's name (the figure's id, or the stages'), its caption, bars and axis (from
    ``left`` to ``left + plot_width`` at ``axis_y``), in a viewBox ``width`` × ``height``."""

    name: str
    caption: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    plot_width: float
    width: int
    height: float
    left: float = LEFT


def _step(largest: float) -> int:
    """A round step (1, 2 or 5 times a power of ten; at least 1, the counts being whole) that
    puts three to six ticks on ``0 … largest`` (fewer only below 3)."""
    rough = largest / 5
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    return next(int(m * power) for m in (1, 2, 5, 10) if m * power >= rough)


def bar_chart(
    name: str, caption: str, parts: Sequence[tuple[str, float | None]], *, width: int = WIDTH
) -> BarChart:
    """The geometry of a horizontal bar chart of ``parts`` — (label, value; None: hidden) in
    order — each bar's length proportional to its value and the largest one the plot's whole
    width (all zero or hidden: no bar has any length, the axis is its zero alone)."""
    plot = width - VALUE_ROOM - LEFT
    shown = [v for _, v in parts if v is not None]
    largest = max(shown, default=0)
    bars, y = [], 0.0
    for label, value in parts:
        lines = tuple(textwrap.wrap(label, CHARACTERS)) or ("",)
        baselines = tuple(round(y + FONT + LINE * i, 1) for i in range(len(lines)))
        top = y + LINE * len(lines) + 2
        length = round(plot * value / largest, 1) if value is not None and largest else 0.0
        bars.append(Bar(lines, baselines, round(top, 1), length, value, value is None,
                        round(LEFT + length + 4, 1), round(top + BAR - 2, 1)))  # fmt: skip
        y = top + BAR + GAP
    ticks: tuple[Tick, ...] = (Tick(LEFT, 0),)
    if largest:
        step = _step(largest)
        ticks = tuple(Tick(round(LEFT + plot * k / largest, 1), k)
                      for k in range(0, int(largest) + 1, step))  # fmt: skip
    return BarChart(name, caption, tuple(bars), ticks, round(y, 1), plot, width,
                    round(y + 22, 1))  # fmt: skip


STAGE_CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "employer_funnel": (
        N_("Employers, stage by stage"),
        ("employers_contacted", "employers_interested", "employers_cooperating",
         "employers_hired"),
    ),
}  # fmt: skip
"""Figures of their own drawn as the bars of one chart (its caption, the figures in order):
the employer funnel's stages, each at least as many as the next."""


def report_charts(figures: Sequence[ReportFigure], lang: str) -> dict[str, list[BarChart]]:
    """The report's charts by section, in the section's order: every breakdown (a figure with
    keyed lines) and every stage chart whose figures are in the section; parts and captions in
    ``lang``."""
    _ = gettext_for(lang)
    lines: dict[str, list[ReportFigure]] = {}
    for f in figures:
        lines.setdefault(f.figure, []).append(f)
    out: dict[str, list[BarChart]] = {}
    for section, ids in SECTIONS:
        charts = []
        for fid in ids:
            for name, (caption, stages) in STAGE_CHARTS.items():
                if fid == stages[0] and all(s in lines for s in stages):
                    heads = [next(f for f in lines[s] if f.key is None) for s in stages]
                    charts.append(bar_chart(name, _(caption),
                                            [(_(FIGURES[f.figure].label),
                                              None if f.suppressed else f.value)
                                             for f in heads]))  # fmt: skip
            parts = [f for f in lines.get(fid, []) if f.key is not None]
            if parts:
                charts.append(bar_chart(fid, _(FIGURES[fid].label),
                                        [(part_name(f, lang), None if f.suppressed else f.value)
                                         for f in parts]))  # fmt: skip
        if charts:
            out[section] = charts
    return out
