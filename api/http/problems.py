"""What was wrong with a form, in the page's language, tied to the field it is about.

A refused form shows a summary at the top whose items link to their fields, and each
message again beside its field (``aria-describedby``), as public services do (the GOV.UK
error summary). Messages are written for the people filling the form; the schema's own text
(for developers, in English) is never shown: a problem is said from its kind (pydantic's error
type, or one of the schema's own such as ``business_id_check_digit``) and the field's label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list
from pydantic import ValidationError

from features.catalogue import CHARACTERISTICS
from features.errors import InvalidInputError, TasmaError
from features.i18n import N_, date_text, gettext_for, language_names, locale_for
from features.numbers import number
from features.ratko import column_by_field
from features.schemas.errors import FieldError, field_errors
from features.schemas.jobseeker import MAX_SKILL_LENGTH, MAX_SKILLS, MAX_WEEKLY_HOURS

__all__ = ["FormField", "Problem", "form_problems", "profile_problems", "sheet_problems"]


@dataclass(frozen=True)
class Problem:
    text: str
    anchor: str | None = None
    """The id of the form field it is about, if it is one field."""


_HOURS = {"weekly_hours_min": "hours_min", "weekly_hours_max": "hours_max"}
_DATE_NOT_READ = {"date_parsing", "date_from_datetime_parsing", "date_type", "missing"}
"""An assessment date that is not a date at all (``2026-13-45``), as pydantic says it."""
_OFFERED = {"slots", "licence-choices", "sector-choices", "kind-choices", "consent-choices"}
"""The editor's groups of boxes to tick, by the anchor of their fieldset."""
_SHOWN_OF_SKILL = 30
"""How much of a skill too long the problem quotes."""


def _name(cid: str, lang: str) -> str:
    return CHARACTERISTICS[cid].name(lang)


def _loc(field: str) -> tuple[str, ...]:
    """``availability.schedule[0]`` as ``("availability", "schedule", "0")``."""
    return tuple(p for p in re.split(r"[.\[\]]+", field) if p)


def _profile_problem(
    loc: tuple[str, ...], error: FieldError, lang: str, sent: Mapping[str, Any]
) -> Problem | None:
    _ = gettext_for(lang)
    message = error.message
    if loc == ("availability",) and message.startswith("weekly_hours_min ("):
        low, high = (number(float(x), lang, 2) for x in re.findall(r"\(([\d.]+)\)", message)[:2])
        return Problem(
            _("The least hours a week (%(low)s) are more than the most (%(high)s). Correct "
              "either.") % {"low": low, "high": high},
            "hours_min",
        )  # fmt: skip
    if loc == ("availability", "schedule"):
        return Problem(_("When they can work: tick at least one time of the week."), "slots")
    if len(loc) == 2 and loc[0] == "availability" and loc[1] in _HOURS:
        # The bound said is the schema's own (one definition), in the page's number format.
        most = number(MAX_WEEKLY_HOURS, lang, 2)
        return Problem(_("Give the hours a week as a number from 0 to %(most)s.") % {"most": most},
                       _HOURS[loc[1]])  # fmt: skip
    if len(loc) >= 2 and loc[0] == "capacities" and loc[1] in CHARACTERISTICS:
        return _rating_problem(loc[1], loc[2] if len(loc) > 2 else "", error, lang)
    if loc and loc[0] == "skills":
        return _skills_problem(loc, error, lang, sent)
    if error.kind == "language_twice":
        return _languages_twice(lang, sent)
    field = _profile_field(loc, lang)
    if field is None:
        return None
    if field.anchor in _OFFERED:  # ticked among the values offered: one of them was not
        return Problem(_("%(field)s: choose one of the values offered.") % {"field": field.label},
                       field.anchor)  # fmt: skip
    if field.choose:  # a select's value can only be wrong by not being one of its options
        return Problem(_("%(field)s: choose one.") % {"field": field.label}, field.anchor)
    return Problem(_said(error, field, lang), field.anchor)


_RATING_SAID: tuple[tuple[Callable[[str, FieldError], bool], str, str], ...] = (
    (lambda field, e: "recorded by the work-ability coordinator" in e.message,
     N_("%(name)s: a physician's statement is recorded by the work-ability coordinator; leave "
        "it as it was or ask them."), "source"),
    (lambda field, e: field == "reference",
     N_("%(name)s: name the statement (its kind, who wrote it), never a diagnosis or its "
        "code."), "ref"),
    (lambda field, e: "reference may only be set" in e.message,
     N_("%(name)s: only a physician's statement has a reference; choose the physician as the "
        "source or clear the reference."), "ref"),
    (lambda field, e: "may only be set when source is 'physician'" in e.message,
     N_("%(name)s: a physician's statement (restriction or recommendation) needs the physician "
        "as the source. Choose the physician or remove the statement."), "stmt"),
    (lambda field, e: field == "kilograms" or "kilograms" in e.message,
     N_("%(name)s: give the kilograms as a number from 0 to 100."), "kg"),
    (lambda field, e: field == "assessed_on" and e.kind in _DATE_NOT_READ,
     N_("%(name)s: the assessment date is not a date; write it as dd.mm.yyyy or choose it from "
        "the calendar."), "date"),
    (lambda field, e: field == "assessed_on" and "implausibly old" in e.message,
     N_("%(name)s: the assessment date is too old: an assessment is dated 1.1.1990 or later, "
        "and not before the person was born."), "date"),
    (lambda field, e: field == "assessed_on",
     N_("%(name)s: the assessment date is in the future: give the day it was made (today or "
        "earlier)."), "date"),
    (lambda field, e: field == "level", N_("%(name)s: choose a level from the list."), "level"),
)  # fmt: skip
"""What is said of a rating's problem, the first that fits, and the prefix of its field's id."""


def _rating_problem(cid: str, field: str, error: FieldError, lang: str) -> Problem:
    _ = gettext_for(lang)
    name = {"name": _name(cid, lang)}
    if field == "source" and "recorded by the work-ability coordinator" not in error.message:
        label = f"{_name(cid, lang)} ({_('Source')})"
        return Problem(_("%(field)s: choose one.") % {"field": label}, f"source_{cid}")
    for fits, said, anchor in _RATING_SAID:
        if fits(field, error):
            return Problem(_(said) % name, f"{anchor}_{cid}")
    return Problem(_("%(name)s: check the rating's values.") % name, f"level_{cid}")


def _skills_problem(
    loc: tuple[str, ...], error: FieldError, lang: str, sent: Mapping[str, Any]
) -> Problem:
    """A skill too long (quoted, or numbered when the form is not at hand), or too many."""
    _ = gettext_for(lang)
    words: dict[str, object] = {"field": _("Skills"), "most": MAX_SKILL_LENGTH}
    if len(loc) == 1:
        count = error.context.get("actual_length") or len(sent.get("skills") or [])
        words |= {"most": MAX_SKILLS, "count": count}
        return Problem(
            _("%(field)s: at most %(most)s skills, now %(count)s; combine or leave some "
              "out.") % words,
            "skills",
        )  # fmt: skip
    index = int(loc[1]) if loc[1].isdigit() else -1
    typed = list(sent.get("skills") or [])
    if 0 <= index < len(typed):
        skill = " ".join(str(typed[index]).split())
        words |= {"skill": skill[:_SHOWN_OF_SKILL] + ("…" if len(skill) > _SHOWN_OF_SKILL else ""),
                  "count": len(skill)}  # fmt: skip
        return Problem(
            _("%(field)s: the skill “%(skill)s” is %(count)s characters long; a skill is at most "
              "%(most)s characters.") % words,
            "skills",
        )  # fmt: skip
    words["number"] = index + 1
    return Problem(
        _("%(field)s: skill %(number)s is too long; a skill is at most %(most)s characters.")
        % words,
        "skills",
    )


def _languages_twice(lang: str, sent: Mapping[str, Any]) -> Problem:
    """The same language on two rows: named, at the second row (as the editor shows the rows
    sent, the empty ones left out)."""
    _ = gettext_for(lang)
    codes = [str(row.get("language", "")) for row in sent.get("languages") or []]
    twice = [i for i, code in enumerate(codes) if code in codes[:i]]
    if not twice:
        return Problem(_("Languages: the same language is on two rows; keep one of them."),
                       "language_0")  # fmt: skip
    code = codes[twice[0]]
    name = language_names(lang, [code])[code]
    return Problem(
        _("Languages: the same language is on two rows (%(language)s); keep one of them.")
        % {"language": name},
        f"language_{twice[0]}",
    )


def _profile_field(loc: tuple[str, ...], lang: str) -> FormField | None:
    """The editor's field an error at ``loc`` is about (a choice is "choose one")."""
    _ = gettext_for(lang)
    if loc == ("goals",):
        return FormField("goals", _("Goals and wishes"))
    if loc[:1] == ("education_level",):
        return FormField("education_level", _("Education"), choose=True)
    if len(loc) >= 2 and loc[0] == "languages" and loc[1].isdigit():
        row, part = int(loc[1]), loc[2] if len(loc) > 2 else "language"
        if part == "level":
            return FormField(f"cefr_{row}", f"{_('Level')} {row + 1}", choose=True)
        return FormField(f"language_{row}", f"{_('Language')} {row + 1}", choose=True)
    if loc[:1] == ("languages",):
        return FormField("language_0", _("Languages"))
    checked = {
        ("availability", "schedule"): ("slots", _("When they can work")),
        ("licences",): ("licence-choices", _("Licences")),
        ("interest_sectors",): ("sector-choices", _("Sector")),
        ("interest_task_kinds",): ("kind-choices", _("Task kinds")),
        ("consent",): ("consent-choices", _("Consent")),
    }
    for prefix, (anchor, label) in checked.items():
        if loc[: len(prefix)] == prefix:
            return FormField(anchor, label)
    return None


def profile_problems(
    err: ValidationError | TasmaError, lang: str, sent: Mapping[str, Any] | None = None
) -> list[Problem]:
    """The profile editor's problems, one per field, in ``lang``; ``sent`` is what the form
    sent of the profile (shaped as its JSON), which the problems quote (the skill too long,
    the language twice)."""
    if isinstance(err, ValidationError):
        errors = field_errors(err)
    elif isinstance(err, InvalidInputError) and err.errors:
        errors = err.errors
    else:
        errors = [FieldError("", str(err))]
    out = []
    for error in errors:
        loc = _loc(error.field)
        known = _profile_problem(loc, error, lang, sent or {})
        out.append(known or _generic(loc, lang))
    return list(dict.fromkeys(out))  # the same problem once


def _generic(loc: tuple[str, ...], lang: str) -> Problem:
    """A problem the editor has no words for: said about the form, never in a field's code."""
    _ = gettext_for(lang)
    if not loc:
        return Problem(_("The profile could not be saved; check the values and try again."))
    return Problem(_("Something in the form was not accepted; check the values."))


@dataclass(frozen=True)
class FormField:
    """A form's field as the person sees it: the id of its input and its label (translated)."""

    anchor: str
    label: str
    hint: str = ""
    """What the value must look like, said when its form is wrong ("five digits")."""
    choose: bool = False
    """A choice among offered values (a select): nothing or a forged value is "choose one",
    not "fill this in"."""


_BY_KIND: dict[str, str] = {
    "missing": N_("%(field)s: fill this in."),
    "reserved_name": N_(
        "%(field)s: this name is the service's own in the audit trail; choose another."
    ),
    "not_a_name": N_("%(field)s: write the name in letters."),
    "string_too_short": N_("%(field)s: fill this in."),
    "string_too_long": N_("%(field)s: at most %(max_length)s characters."),
    "too_short": N_("%(field)s: choose at least %(min_length)s."),
    "too_long": N_("%(field)s: at most %(max_length)s."),
    "float_parsing": N_("%(field)s: give a number."),
    "float_type": N_("%(field)s: give a number."),
    "int_parsing": N_("%(field)s: give a whole number."),
    "int_type": N_("%(field)s: give a whole number."),
    "greater_than": N_("%(field)s: must be more than %(gt)s."),
    "greater_than_equal": N_("%(field)s: must be at least %(ge)s."),
    "less_than": N_("%(field)s: must be less than %(lt)s."),
    "less_than_equal": N_("%(field)s: must be at most %(le)s."),
    "date_parsing": N_("%(field)s: give a date (day.month.year)."),
    "date_from_datetime_parsing": N_("%(field)s: give a date (day.month.year)."),
    "unknown_code": N_("%(field)s: choose one of the values offered."),
    "enum": N_("%(field)s: choose one of the values offered."),
    "literal_error": N_("%(field)s: choose one of the values offered."),
    "unknown_municipality": N_(
        "%(field)s: no municipality is called “%(value)s”; write its Finnish or Swedish name or "
        "its three-digit code."
    ),
    "business_id_form": N_(
        "%(field)s: seven digits, a hyphen and a check digit, for example 0112038-9."
    ),
    "business_id_check_digit": N_(
        "%(field)s: the check digit (the last digit) does not match the others; check the number."
    ),
    "skill_length": N_("%(field)s: a skill is at most %(max_length)s characters."),
    "nul_character": N_("%(field)s: contains a character that cannot be stored."),
    "no_coercion": N_("%(field)s: the value is of the wrong kind (a date or a number expected)."),
    "override_needs_reason": N_(
        "%(field)s: the engine does not suggest this for the person; say why you propose it anyway."
    ),
    "ask_the_coordinator": N_(
        "%(field)s: this person cannot be proposed for these tasks now; ask the person's "
        "coordinator."
    ),
    "diagnosis_code": N_(
        "%(field)s: name the statement (its kind, who wrote it), never a diagnosis or its code."
    ),
    "physician_statement": N_(
        "%(field)s: a physician's statement is recorded by the work-ability coordinator."
    ),
    "string_pattern_mismatch": N_("%(field)s: not in the expected form."),
    # When things happened (features.schemas.dates)
    "date_in_future": N_(
        "%(field)s: what happened is dated today (%(today)s) or earlier, not in the future."
    ),
    "date_before_start": N_("%(field)s: not before %(what)s (%(start)s)."),
    "date_too_old": N_("%(field)s: an assessment is dated %(earliest)s or later."),
    "due_in_past": N_("%(field)s: today (%(today)s) or later."),
    "due_too_far": N_("%(field)s: %(latest)s at the latest."),
    "no_open_step": N_("%(field)s: no agreed step is open; there is nothing to mark done."),
    # A client plan's step (api.people.plan)
    "only_for_other": N_("%(field)s: only for a step someone else does."),
    "only_for_dropped": N_("%(field)s: only a dropped step has a reason."),
    "unknown_task": N_("%(field)s: no task has the number %(value)s; check the number."),
    "not_a_task_number": N_(
        "%(field)s: a task's number is a whole number above zero, as on the employer's page."
    ),
    # A candidate request's answer (api.employers.schemas)
    "no_says_why": N_(
        "%(field)s: a no says why, in a few words (%(min_length)s characters at least)."
    ),
    # A follow-up plan after a hire (api.proposals.schemas)
    "fixed_term_end_missing": N_("%(field)s: a fixed-term contract has an end date; give it."),
    "end_not_after_start": N_("%(field)s: after the start (%(start)s)."),
    "support_rises": N_(
        "%(field)s: the support fades, so a week has at most the hours of the week before "
        "(week %(week)s has %(after)s hours, the week before %(before)s)."
    ),
    # A programme report's period and area (api.reports.service)
    "period_in_future": N_("%(field)s: a period starts today (%(today)s) or earlier."),
    "period_reversed": N_(
        "%(field)s: the period ends before its first day, %(start)s: give a last day on or "
        "after it."
    ),
    "period_too_long": N_("%(field)s: a period is five years at most."),
    "unknown_area": N_("%(field)s: no area is called “%(value)s”; choose one of those offered."),
    "area_out_of_reach": N_("%(field)s: you see the report of your own area (%(own)s) only."),
    "no_own_area": N_(
        "%(field)s: your user has no area, so no area's report is yours; ask the administrator."
    ),
    "events_area_out_of_reach": N_(
        "%(field)s: you see the events of your own area (%(own)s) only."
    ),
    "events_no_own_area": N_(
        "%(field)s: your user has no area, so no area's events are yours; ask the administrator."
    ),
    # A programme event (api.events.service)
    "partner_without_cooperation": N_(
        "%(field)s: a partner is named only for an event organised in cooperation; tick "
        "“Organised in cooperation” or leave the partner empty."
    ),
    "unknown_employer": N_(
        "%(field)s: no employer has the number %(value)s; choose from the list."
    ),
    "not_offered_employer": N_(
        "%(field)s: the employer number %(value)s is not among those offered; choose from the list."
    ),
    "fewer_than_network": N_(
        "%(field)s: at least %(ge)s, as many as the employers of the network who took part."
    ),
    # A Ratko sheet's own (features.ratko)
    "no_rows": N_("%(field)s: the sheet has no task rows."),
    "unknown_column": N_("%(field)s: an unknown column; use the headings of the template."),
    "duplicate_column": N_("%(field)s: the same column as “%(other)s”."),
    "missing_column": N_("%(field)s: this column is required and missing."),
    "empty": N_("%(field)s: empty; fill it in."),
    "not_number": N_("%(field)s: “%(value)s” is not a number."),
    "not_whole_number": N_("%(field)s: “%(value)s” is not a whole number."),
    "not_date": N_("%(field)s: “%(value)s” is not a date."),
    "not_yes_no": N_("%(field)s: “%(value)s” is not yes or no."),
    "not_task_type": N_("%(field)s: “%(value)s” is neither core nor hand-over."),
    "not_frequency": N_("%(field)s: “%(value)s” is not a frequency."),
    "not_slot": N_("%(field)s: “%(value)s” is not a day-part slot."),
    "unknown_sector": N_("%(field)s: “%(value)s” is not a sector."),
    "sector_mismatch": N_(
        "%(field)s: role “%(role)s” has the sector “%(first)s” on row %(first_row)s; a role has "
        "one sector."
    ),
    "formula_without_value": N_(
        "%(field)s: the cell holds a formula whose value was not saved with the file; open the "
        "sheet in Excel or LibreOffice and save it again, or write the value itself."
    ),
    # A caseload sheet's own (features.intake_sheet, api.people.bulk_intake)
    "no_client_rows": N_("%(field)s: the sheet has no client rows."),
    "not_referral_source": N_(
        "%(field)s: “%(value)s” is not a referral source; write omavalmentaja, Ohjaamo, "
        "vammaispalvelut, sosiaalipalvelut, terveydenhuolto, oma-aloitteinen or muu."
    ),
    "not_consent_scope": N_(
        "%(field)s: “%(value)s” is not a consent scope; write täsmäytys, työnantajat or "
        "arviointi, separated by commas."
    ),
    "namesake_in_sheet": N_(
        "%(field)s: the same name as row %(rows)s of this sheet; if this is another person, "
        "write kyllä in the column “Eri henkilö”."
    ),
    "possible_duplicate": N_(
        "%(field)s: someone of the same name is in your area already (%(codes)s); if this is "
        "another person, write kyllä in the column “Eri henkilö”."
    ),
    "email_form": N_("%(field)s: not an e-mail address; write it as name@example.fi."),
    "hours_min_above_max": N_(
        "%(field)s: the least hours a week (%(low)s) is more than the most (%(high)s); "
        "make the least the smaller."
    ),
    # Whom a person can be given to (api.people.service)
    "unknown_coordinator": N_(
        "%(field)s: “%(value)s” is not one of your area's coordinators with an account; choose "
        "%(names)s."
    ),
}
_AT_LEAST = N_("%(field)s: at least %(min_length)s characters; say a little more.")
"""A text given, but shorter than its least (``string_too_short`` above one character)."""
_NO_COORDINATORS = N_(
    "%(field)s: “%(value)s” is not one of your area's coordinators with an account, and none "
    "of that role has one yet; ask the administrator to add them."
)
"""An unknown coordinator where the area has no one of the role (``unknown_coordinator``)."""
_MUNICIPALITY_SUGGESTED = N_(
    "%(field)s: no municipality is called “%(value)s”. Did you mean %(suggestions)s?"
)
"""An unknown municipality with names near it (``unknown_municipality``'s suggestions)."""
_WITH_ALLOWED = {
    "empty", "not_number", "not_whole_number", "not_date", "not_yes_no", "not_task_type",
    "not_frequency", "not_slot", "unknown_sector", "unknown_code", "string_pattern_mismatch",
    "greater_than", "less_than_equal",
}  # fmt: skip
"""Kinds whose message is followed by what the column allows."""
_LONGEST_ALLOWED = 800
"""Longer lists of what is allowed are left to the template sheet (the longest today, the
accepted adjustments' names, is about 500 characters)."""
_NOT_CHOSEN = {"missing", "enum", "literal_error", "unknown_code", "string_too_short"}
"""What an empty or forged choice among offered values comes as."""
_NUMBERS = ("gt", "ge", "lt", "le", "low", "high", "before", "after")


def _said(error: FieldError, field: FormField, lang: str) -> str:
    _ = gettext_for(lang)
    if error.kind == "string_pattern_mismatch" and field.hint:
        return f"{field.label}: {field.hint}"
    if field.choose and error.kind in _NOT_CHOSEN:
        return _("%(field)s: choose one.") % {"field": field.label}
    words: dict[str, object] = {"field": field.label, **error.context}
    for key, value in error.context.items():  # the dates rules name, in the page's language
        if isinstance(value, date):
            words[key] = date_text(value, lang)
    if isinstance(words.get("what"), str):
        words["what"] = _(str(words["what"]))
    for key in _NUMBERS:
        value = words.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            words[key] = str(value)  # a whole bound (a year: 1940, not "1 940") as written
        elif isinstance(value, float):
            words[key] = number(value, lang, 2)
    message = _BY_KIND.get(error.kind, N_("%(field)s: check this value."))
    suggested = error.context.get("suggestions")
    if error.kind == "unknown_municipality" and isinstance(suggested, list) and suggested:
        message = _MUNICIPALITY_SUGGESTED
        words["suggestions"] = format_list(suggested, style="or", locale=locale_for(lang))
    if error.kind == "string_too_short" and int(error.context.get("min_length") or 1) > 1:
        message = _AT_LEAST  # something was written, too little of it
    if error.kind == "unknown_coordinator":
        names = error.context.get("names")
        if isinstance(names, list) and names:
            words["names"] = format_list(names, style="or", locale=locale_for(lang))
        else:
            message = _NO_COORDINATORS
    try:
        return _(message) % words
    except (KeyError, TypeError, ValueError):
        return _("%(field)s: check this value.") % {"field": field.label}


def form_problems(
    err: ValidationError | TasmaError, lang: str, fields: Mapping[str, FormField]
) -> list[Problem]:
    """A refused form's problems in ``lang``: ``fields`` maps an error's dotted location
    (``address.postal_code``) to the field the person filled in; anything else is said
    about the form as a whole, never in a developer's words."""
    _ = gettext_for(lang)
    if isinstance(err, ValidationError):
        errors = field_errors(err)
    elif isinstance(err, InvalidInputError) and err.errors:
        errors = err.errors
    else:
        errors = [FieldError("", str(err))]
    out: list[Problem] = []
    for error in errors:
        field = fields.get(error.field)
        if field is not None:
            out.append(Problem(_said(error, field, lang), field.anchor))
        else:
            out.append(Problem(_("Something in the form was not accepted; check the values.")))
    return list(dict.fromkeys(out))  # the same problem once


def sheet_problems(err: InvalidInputError, lang: str) -> list[Problem]:
    """A refused Ratko sheet's problems in ``lang``, each with its row and column and, where it
    helps, what the column allows."""
    _ = gettext_for(lang)
    out = []
    for error in err.errors:
        where = dict(error.context)
        row, column = where.get("row"), where.get("column")
        if error.kind == "unreadable_sheet":
            text = _(
                "The file cannot be read as a spreadsheet: save it from Excel or "
                "LibreOffice as .xlsx or .csv and send it again."
            )
            out.append(Problem(text))
            continue
        if row is None:
            out.append(Problem(_("Something in the sheet was not accepted; check it.")))
            continue
        field = (
            _("Row %(row)s, column “%(column)s”") % {"row": row, "column": column}
            if column else _("Row %(row)s") % {"row": row}
        )  # fmt: skip
        text = _said(error, FormField("", field), lang)
        found = column_by_field(str(where.get("column_field") or ""))
        if found is not None and error.kind in _WITH_ALLOWED:
            allowed = found.allowed_in(lang)
            if len(allowed) <= _LONGEST_ALLOWED:
                text += " " + _("Allowed: %(allowed)s.") % {"allowed": allowed}
        out.append(Problem(text))
    return out
