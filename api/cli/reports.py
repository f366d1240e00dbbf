"""``tasma report``: the programme report of a period and an area, through the same service
as ``GET /reports/programme`` and the web page (the acting user's role applies; the read is
audited)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.context import AsOption, acting
from api.core.schemas import PeriodQuery
from api.core.security import Permission
from api.reports import service as reports
from api.reports.export import MEDIA_TYPES, report_file
from features.errors import InvalidInputError
from features.schemas.errors import FieldError

__all__ = ["register"]


def _day(name: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError([FieldError(name, "give a date as YYYY-MM-DD")]) from None


def register(app: typer.Typer, friendly: Any) -> None:
    """Add ``tasma report`` to ``app``, wrapped by the CLI's error handler."""

    @app.command("report")
    @friendly
    def report(
        user: AsOption,
        start: Annotated[
            str | None,
            typer.Option("--from", help="The period's first day, YYYY-MM-DD (default: 1 January)."),
        ] = None,
        end: Annotated[
            str | None, typer.Option("--to", help="The period's last day (default: today).")
        ] = None,
        area: Annotated[
            str | None,
            typer.Option(help="One area (default: every area; a coordinator's own area only)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
        output: Annotated[
            Path | None,
            typer.Option("--output", help="Write it to this .xlsx or .csv file instead."),
        ] = None,
        lang: Annotated[str, typer.Option(help="The file's language: fi or en.")] = "fi",
    ) -> None:
        """The programme report: enrolment, ends by continuation path, how long it took,
        proposals, work trials and hires, the employer network, the ESF+ common indicators
        (small cells hidden) and the programme's events and who came — each figure with its
        definition (aggregates only)."""
        first, last = _day("from", start), _day("to", end)
        fmt = output.suffix.lower().lstrip(".") if output is not None else ""
        if output is not None and fmt not in MEDIA_TYPES:
            raise InvalidInputError([FieldError("output", "name an .xlsx or a .csv file")])
        if lang not in ("fi", "en"):
            raise InvalidInputError([FieldError("lang", "fi or en")])
        with acting(user, Permission.READ_REPORTS) as ctx:
            via = f"cli-{fmt}" if fmt else "cli"
            answer = reports.programme_report(ctx, PeriodQuery(first, last, area or None),
                                              via=via)  # fmt: skip
        if output is not None:
            body, _name = report_file(answer, lang, fmt)
            output.write_bytes(body)
            typer.echo(f"{output}: {len(answer.figures)} rows")
            return
        if as_json:
            typer.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        typer.echo(f"{answer.period_from} – {answer.period_to}, {answer.area or 'every area'}"
                   + (" (nothing happened)" if answer.empty else ""))  # fmt: skip
        for f in answer.figures:
            value = "hidden" if f.suppressed else "—" if f.value is None else f"{f.value:g}"
            share = "" if f.share is None else f" ({f.share:.0%})"
            of = "" if f.of is None else f" of {f.of}"
            name = f"  {f.key}" if f.key is not None else f.label
            typer.echo(f"{name}: {value}{of}{share}")
