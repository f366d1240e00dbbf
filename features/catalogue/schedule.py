"""The weekly schedule grid: 7 days × 4 day parts = 28 slots.

A slot is written ``mon-morning`` (or in Finnish ``ma-aamu``). Slot ``i`` is bit ``i`` of a
28-bit set: ``day * 4 + part``; availability and task schedules become such bit sets in the
feature pipeline, so "no double-booked slot" and "schedule overlap" are bit operations.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DAYS",
    "DAY_PARTS",
    "N_SLOTS",
    "SLOT_IDS",
    "day_label",
    "parse_slot",
    "part_label",
    "slot_bits",
    "slot_label",
    "slot_label_fi",
    "slots_from_bits",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAYS_FI = ("ma", "ti", "ke", "to", "pe", "la", "su")
DAY_PARTS = ("morning", "afternoon", "evening", "night")
DAY_PARTS_FI = ("aamu", "iltapäivä", "ilta", "yö")
DAY_PART_HOURS = ("6–12", "12–18", "18–22", "22–6")

SLOT_IDS: tuple[str, ...] = tuple(f"{d}-{p}" for d in DAYS for p in DAY_PARTS)
N_SLOTS = len(SLOT_IDS)
_FI_TO_EN = {
    f"{dfi}-{pfi}": f"{d}-{p}"
    for dfi, d in zip(DAYS_FI, DAYS, strict=True)
    for pfi, p in zip(DAY_PARTS_FI, DAY_PARTS, strict=True)
}
_EN_TO_FI = {v: k for k, v in _FI_TO_EN.items()}


def parse_slot(text: str) -> str:
    """Canonical slot id for ``mon-morning`` or ``ma-aamu`` (any case); ValueError otherwise."""
    key = text.strip().casefold().replace(" ", "")
    if key in _EN_TO_FI:
        return key
    if key in _FI_TO_EN:
        return _FI_TO_EN[key]
    raise ValueError(
        f"unknown schedule slot {text!r}; write day-part such as 'mon-morning' or 'ma-aamu' "
        f"(days {'/'.join(DAYS)} or {'/'.join(DAYS_FI)}; parts {'/'.join(DAY_PARTS)} "
        f"or {'/'.join(DAY_PARTS_FI)})"
    )


def slot_label_fi(slot_id: str) -> str:
    return _EN_TO_FI[slot_id]


def day_label(day: str, lang: str) -> str:
    """How a day is written in ``lang`` (``ma`` or ``mon``): the sheets' and the pages' form."""
    return DAYS_FI[DAYS.index(day)] if lang == "fi" else day


def part_label(part: str, lang: str) -> str:
    return DAY_PARTS_FI[DAY_PARTS.index(part)] if lang == "fi" else part


def slot_label(slot_id: str, lang: str) -> str:
    """A slot as written in ``lang``: ``ma-aamu`` or ``mon-morning``."""
    return slot_label_fi(slot_id) if lang == "fi" else slot_id


def slot_bits(slots: Iterable[str]) -> int:
    """The 28-bit set of ``slots`` (canonical ids)."""
    bits = 0
    for s in slots:
        bits |= 1 << SLOT_IDS.index(s)
    return bits


def slots_from_bits(bits: int) -> list[str]:
    return [s for i, s in enumerate(SLOT_IDS) if bits >> i & 1]
