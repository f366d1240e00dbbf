"""Numbers for people, through the locale (Babel): a decimal comma and a thin grouping in
Finnish, a point in English, at most the decimals asked for and no trailing zeros. The one
place the explanations, the composer, why-not and the web pages format a number."""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

__all__ = ["number"]


@cache
def _format(lang: str, decimals: int) -> tuple[NumberPattern, Locale]:
    # Parsed once: a ranked list formats hundreds of numbers, and parsing the locale and the
    # pattern each time was most of an explanation's cost.
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return parse_pattern(pattern), Locale.parse("fi_FI" if lang == "fi" else "en_GB")


@lru_cache(maxsize=8192)  # hours and distances repeat across a ranked list and its two languages
def number(value: float, lang: str, decimals: int = 1) -> str:
    """``number(42.5, "fi") == "42,5"``, ``number(12.0, "fi") == "12"``,
    ``number(57.25, "en", 2) == "57.25"``."""
    pattern, locale = _format(lang, decimals)
    return pattern.apply(value, locale)
