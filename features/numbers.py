"""Numbers for people, through the locale (Babel): a decimal comma and a thin grouping in
Finnish, a point in English, at most the decimals asked for and no trailing zeros. The one
place the explanations, the composer, why-not and the web pages format a number."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from features.i18n import locale_for

__all__ = ["digits", "number", "percent", "percentage_points"]


def digits(text: str) -> int | None:
    """``text`` as a whole number when it is ASCII digits 0–9 only, else None: ``str.isdigit``
    is true of "²" (which ``int`` refuses) and of "١٢" (which ``int`` reads as 12), and
    neither is a number anyone typed on a Finnish keyboard."""
    return int(text) if text.isascii() and text.isdigit() else None


@cache
def _format(lang: str, decimals: int) -> tuple[NumberPattern, Locale]:
    # Parsed once: a ranked list formats hundreds of numbers, and parsing the locale and the
    # pattern each time was most of an explanation's cost.
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return parse_pattern(pattern), locale_for(lang)


def number(value: float, lang: str, decimals: int = 1) -> str:
    """``number(42.5, "fi") == "42,5"``, ``number(12.0, "fi") == "12"``,
    ``number(57.25, "en", 2) == "57.25"``."""
    # Rounded first as Babel rounds (the decimal of its text, half to even), so that the
    # cache keys on what is shown: distances differ in every digit, their texts repeat.
    # Keyed by the decimal's text: Decimal("-0") == Decimal("0"), and Babel writes "-0".
    shown = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    return _number(str(shown), lang, decimals)


@lru_cache(maxsize=8192)
def _number(value: str, lang: str, decimals: int) -> str:
    pattern, locale = _format(lang, decimals)
    return pattern.apply(Decimal(value), locale)


def percent(share: float, lang: str, decimals: int = 1) -> str:
    """A share in per cent, as the locale writes it: ``percent(0.159, "fi") == "15,9 %"``
    (a no-break space before the sign, as Finnish has it), ``"15.9%"`` in English."""
    text = number(share * 100, lang, decimals)
    return f"{text}%" if lang == "en" else f"{text}\u00a0%"


def percentage_points(diff: float, lang: str, decimals: int = 1, signed: bool = True) -> str:
    """A difference of two shares in percentage points: ``"+3,1 %-yks."`` / ``"+3.1 pp"``."""
    text = number(diff * 100, lang, decimals)
    if not any(c in "123456789" for c in text):
        text = number(0.0, lang, decimals)  # never "-0": a rounded-away difference is none
    elif signed and diff > 0:
        text = "+" + text
    return f"{text}\u00a0pp" if lang == "en" else f"{text}\u00a0%-yks."
