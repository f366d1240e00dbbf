"""The programme report as a spreadsheet for the steering group and EURA (.xlsx or CSV): one
row a figure or a part of a breakdown, in the reader's language, each with its definition,
and the period and the area on every row — a tidy table to filter, pivot or add periods to.
Counts and medians are numbers, shares percentages, a suppressed cell the word "hidden"
(in the reader's language); a text cell that would start a formula is written as text
(:func:`api.employers.spreadsheet.write_sheet`). Pure: the report in, the file out."""

from __future__ import annotations

from api.core.texts import texts
from api.employers.spreadsheet import write_sheet
from api.reports.schemas import ProgrammeReport, ReportFigure
from features.catalogue import INDUSTRIES
from features.i18n import gettext_for
from features.reports import PARTS, SECTIONS, SHARED

__all__ = ["MEDIA_TYPES", "part_name", "report_file", "report_rows"]

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def part_name(f: ReportFigure, lang: str) -> str:
    """A breakdown's part in words: the referral source, the continuation path, the event's
    kind or organiser, the industry."""
    if f.key is None:
        return ""
    if f.figure == "enrolled_by_source":
        return texts(lang).get(f"referral_{f.key}", f.key)
    if f.figure == "ended_by_path":
        return texts(lang).get(f"path_{f.key}", f.key)
    if f.figure == "events_by_kind":
        return texts(lang).get(f"event_kind_{f.key}", f.key)
    if f.figure == "events_by_organiser":
        return texts(lang).get(f"event_organiser_{f.key}", f.key)
    if f.figure in PARTS:
        return gettext_for(lang)(PARTS[f.figure][f.key])
    return INDUSTRIES.get(f.key).name(lang)


def _columns(lang: str) -> list[str]:
    _ = gettext_for(lang)
    return [_("From"), _("To"), _("Area"), _("Section"), _("Figure"), _("Part"), _("Number"),
            _("Share in per cent"), _("Measured on"), _("Few (under 5)"),
            _("Definition")]  # fmt: skip


def report_rows(report: ProgrammeReport, lang: str) -> list[dict[str, object]]:
    """The report's rows under :func:`_columns`' headings, in the page's order."""
    _ = gettext_for(lang)
    shown, by_figure = texts(lang), {fid: section for section, ids in SECTIONS for fid in ids}
    heading = _columns(lang)
    area = report.area or _("every area")
    order = {fid: i for i, fid in enumerate(by_figure)}
    rows: list[dict[str, object]] = []
    for f in sorted(report.figures, key=lambda f: order.get(f.figure, len(order))):
        share = None
        if f.figure in SHARED and f.share is not None:
            share = round(f.share * 100, 1)
        value: object = f.value
        if isinstance(f.value, float):
            value = round(f.value, 1)
        if f.suppressed:
            value = _("hidden")  # a word, never a number a sum could take for zero
        cells: list[object] = [report.period_from.isoformat(), report.period_to.isoformat(), area,
                 shown.get(f"report_{by_figure.get(f.figure, '')}", ""), _(f.label),
                 part_name(f, lang), value, share, f.of, _("yes") if f.small else "",
                 _(f.definition)]  # fmt: skip
        rows.append(dict(zip(heading, cells, strict=True)))
    return rows


def report_file(report: ProgrammeReport, lang: str, fmt: str) -> tuple[bytes, str]:
    """The report as an .xlsx or CSV file, and its file name (the period and the area)."""
    _ = gettext_for(lang)
    body = write_sheet(report_rows(report, lang), fmt, _columns(lang), title=_("Report"),
                       finnish_csv=lang == "fi")  # fmt: skip
    area = (report.area or _("every area")).replace(" ", "_")
    stem = _("programme-report")
    name = f"{stem}_{report.period_from}_{report.period_to}_{area}.{fmt}"
    return body, name
