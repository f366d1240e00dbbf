"""Numbers for people, through the locale (Babel): a decimal comma and a thin grouping in
Finnish, a point in English, at most the decimals asked for and no trailing zeros. The one
place the explanations, the composer, why-not and the web pages format a number."""

from __future__ import annotations

from babel.numbers import format_decimal

__all__ = ["number"]


def number(value: float, lang: str, decimals: int = 1) -> str:
    """``number(42.5, "fi") == "42,5"``, ``number(12.0, "fi") == "12"``,
    ``number(57.25, "en", 2) == "57.25"``."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale="fi_FI" if lang == "fi" else "en_GB")
