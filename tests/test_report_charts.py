"""The programme report's bar charts (#29 point 4): the geometry of :func:`bar_chart` — bars
proportional to their values, the largest the plot's width, a zero maximum drawn without
dividing by it, a hidden cell without a bar, long labels wrapped — and which charts a report
gets (:func:`report_charts`): every breakdown, whatever its figure, and the employer funnel as
one chart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.reports.charts import CHARACTERS, LEFT, STAGE_CHARTS, bar_chart, report_charts
from api.reports.schemas import ReportFigure
from features.reports import FIGURES, SECTIONS


def test_bars_are_proportional_to_their_values_and_the_largest_fills_the_plot():
    chart = bar_chart("x", "X", [("a", 40), ("b", 10), ("c", 20), ("d", 0)])
    lengths = [b.length for b in chart.bars]
    assert lengths[0] == chart.plot_width
    assert lengths == pytest.approx([chart.plot_width * v / 40 for v in (40, 10, 20, 0)])
    assert [b.value_x for b in chart.bars] == pytest.approx([LEFT + n + 4 for n in lengths])
    assert chart.left + chart.plot_width + 40 <= chart.width  # room for the longest's value
    tops = [b.y for b in chart.bars]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one below the other, in order
    assert chart.axis_y > tops[-1] and chart.height > chart.axis_y


def test_the_ticks_are_round_numbers_on_the_scale_of_the_bars():
    chart = bar_chart("x", "X", [("a", 340), ("b", 75)])
    assert [t.value for t in chart.ticks] == [0, 100, 200, 300]
    for t in chart.ticks:
        assert t.x == pytest.approx(LEFT + chart.plot_width * t.value / 340, abs=0.05)
    assert [t.value for t in bar_chart("x", "X", [("a", 3)]).ticks] == [0, 1, 2, 3]


def test_a_zero_maximum_draws_no_bar_and_an_axis_at_zero():
    for parts in ([("a", 0), ("b", 0)], [("a", None), ("b", None)], [("a", 0), ("b", None)], []):
        chart = bar_chart("x", "X", parts)
        assert all(b.length == 0 for b in chart.bars)
        assert [(t.x, t.value) for t in chart.ticks] == [(LEFT, 0)]


def test_a_hidden_cell_has_no_bar_and_no_value_and_does_not_set_the_scale():
    chart = bar_chart("x", "X", [("a", None), ("b", 6), ("c", None)])
    hidden = [b for b in chart.bars if b.hidden]
    assert [b.label_lines for b in hidden] == [("a",), ("c",)]
    assert all(b.length == 0 and b.value is None for b in hidden)
    assert chart.bars[1].length == chart.plot_width  # the largest shown value fills the plot


def test_a_long_label_wraps_above_its_bar():
    long = "Tietokoneiden sekä elektronisten ja optisten tuotteiden valmistus"
    chart = bar_chart("x", "X", [(long, 5), ("lyhyt", 3)])
    first, second = chart.bars
    assert len(first.label_lines) == 2 and " ".join(first.label_lines) == long
    assert all(len(line) <= CHARACTERS for line in first.label_lines)
    assert first.label_baselines[0] < first.label_baselines[1] < first.y  # above the bar
    assert second.label_baselines[0] > first.y  # the next part below it


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 10_000)), max_size=12))
def test_no_bar_leaves_the_chart_and_none_is_longer_than_the_largest(values):
    chart = bar_chart("x", "X", [(f"osa {i}", v) for i, v in enumerate(values)])
    largest = max((v for v in values if v is not None), default=0)
    for b, v in zip(chart.bars, values, strict=True):
        assert 0 <= b.length <= chart.plot_width
        assert b.value_x <= chart.width - 40
        if v is not None and largest:
            assert b.length == pytest.approx(chart.plot_width * v / largest, abs=0.05)
    assert all(LEFT <= t.x <= LEFT + chart.plot_width + 0.05 for t in chart.ticks)
    assert len(chart.ticks) <= 6


def _figure(fid: str, value, key=None, suppressed=False) -> ReportFigure:
    return ReportFigure(figure=fid, key=key, value=None if suppressed else value,
                        suppressed=suppressed, label=FIGURES[fid].label,
                        definition=FIGURES[fid].definition)  # fmt: skip


def test_every_breakdown_is_charted_in_its_section_and_the_funnel_as_one_chart():
    figures = [
        _figure("enrolled", 12),
        _figure("enrolled_by_source", 7, "ohjaamo"),
        _figure("enrolled_by_source", None, "health_care", suppressed=True),
        _figure("enrolled_by_source", None, "self_referral", suppressed=True),
        *(_figure(f, v) for f, v in zip(STAGE_CHARTS["employer_funnel"][1], (20, 12, 9, 4),
                                         strict=True)),
        _figure("cooperating_by_industry", 9, "56"),
        _figure("esf_exit_situation", 5, "employment"),
    ]  # fmt: skip
    charts = report_charts(figures, "fi")
    assert {s: [c.name for c in cs] for s, cs in charts.items()} == {
        "enrolment": ["enrolled_by_source"],
        "employers": ["employer_funnel", "cooperating_by_industry"],
        "esf": ["esf_exit_situation"],
    }
    source = charts["enrolment"][0]
    assert source.caption == "Aloittaneet ohjaajatahon mukaan"
    assert [b.hidden for b in source.bars] == [False, True, True]
    assert source.bars[0].label_lines == ("Ohjaamo",)
    funnel = charts["employers"][0]
    assert [b.value for b in funnel.bars] == [20, 12, 9, 4]
    assert funnel.caption == "Työnantajat vaihe vaiheelta"
    industry = charts["employers"][1].bars[0]
    assert industry.value == 9 and industry.label_lines[0] != "56"  # the industry's name
    english = report_charts(figures, "en")["esf"][0]
    assert english.bars[0].label_lines == ("in employment, including self-employment",)


def test_a_breakdown_added_to_a_section_is_charted_without_naming_it(monkeypatch):
    """Charts follow the figures: any figure with keyed lines gets one."""
    import api.reports.charts as charts_module

    monkeypatch.setattr(charts_module, "SECTIONS", (*SECTIONS, ("extra", ("ended_by_path",))))
    figures = [_figure("ended_by_path", 6, "employed"), _figure("ended_by_path", 0, "education")]
    charts = charts_module.report_charts(figures, "en")
    assert [c.name for c in charts["extra"]] == ["ended_by_path"]
