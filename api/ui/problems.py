"""What was wrong with a form, in the page's language, tied to the field it is about.

A refused form shows a summary at the top whose items link to their fields, and each
message again beside its field (``aria-describedby``), as public services do (the GOV.UK
error summary). Messages are written for the people filling the form; the schema's own text
(for developers, in English) is shown only for a problem this table does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from features.catalogue import CHARACTERISTICS
from features.errors import InvalidInputError, TasmaError
from features.i18n import gettext_for
from features.numbers import number

__all__ = ["Problem", "profile_problems"]


@dataclass(frozen=True)
class Problem:
    text: str
    anchor: str | None = None
    """The id of the form field it is about, if it is one field."""


_HOURS = {"weekly_hours_min": "hours_min", "weekly_hours_max": "hours_max"}


def _name(cid: str, lang: str) -> str:
    return CHARACTERISTICS[cid].name(lang)


def _profile_problem(loc: tuple[str, ...], message: str, lang: str) -> Problem | None:
    _ = gettext_for(lang)
    if loc == ("availability",) and message.startswith("weekly_hours_min ("):
        low, high = (number(float(x), lang, 2) for x in re.findall(r"\(([\d.]+)\)", message)[:2])
        return Problem(
            _("The least hours a week (%(low)s) are more than the most (%(high)s). Correct "
              "either.") % {"low": low, "high": high},
            "hours_min",
        )  # fmt: skip
    if len(loc) == 2 and loc[0] == "availability" and loc[1] in _HOURS:
        return Problem(_("Give the hours a week as a number from 0 to 60."), _HOURS[loc[1]])
    if len(loc) >= 2 and loc[0] == "capacities" and loc[1] in CHARACTERISTICS:
        cid, field = loc[1], loc[2] if len(loc) > 2 else ""
        name = {"name": _name(cid, lang)}
        if "may only be set when source is 'physician'" in message:
            return Problem(
                _("%(name)s: a physician's statement (restriction or recommendation) needs the "
                  "physician as the source. Choose the physician or remove the statement.") % name,
                f"stmt_{cid}",
            )  # fmt: skip
        if field == "kilograms" or "kilograms" in message:
            return Problem(_("%(name)s: give the kilograms as a number from 0 to 100.") % name,
                           f"kg_{cid}")  # fmt: skip
        if field == "assessed_on":
            return Problem(
                _("%(name)s: the assessment date is not valid (not in the future).") % name,
                f"date_{cid}",
            )
        if field == "level":
            return Problem(_("%(name)s: choose a level from the list.") % name, f"level_{cid}")
    return None


def profile_problems(err: ValidationError | TasmaError, lang: str) -> list[Problem]:
    """The profile editor's problems, one per field, in ``lang``."""
    if isinstance(err, ValidationError):
        items = [
            (tuple(str(p) for p in e["loc"]), str(e["msg"]).removeprefix("Value error, "))
            for e in err.errors(include_url=False)
        ]
    elif isinstance(err, InvalidInputError) and err.errors:
        items = [(tuple(e.field.split(".")), e.message) for e in err.errors]
    else:
        items = [((), str(err))]
    out = []
    for loc, message in items:
        known = _profile_problem(loc, message, lang)
        out.append(known or Problem(f"{'.'.join(loc)}: {message}" if loc else message))
    return out
