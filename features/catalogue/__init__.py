"""The shared vocabulary: characteristics, adjustments and the code lists."""

from features.catalogue.adjustments import ADJUSTMENT_IDS, ADJUSTMENTS, Adjustment, adjustment
from features.catalogue.characteristics import (
    CHARACTERISTIC_IDS,
    CHARACTERISTICS,
    MAX_LEVEL,
    MIN_LEVEL,
    Characteristic,
    Group,
    ScaleKind,
    characteristic,
)
from features.catalogue.licences import LICENCES
from features.catalogue.places import MUNICIPALITIES, municipality
from features.catalogue.schedule import SLOT_IDS
from features.catalogue.work import EDUCATION_LEVELS, INDUSTRIES, SECTORS, TASK_KINDS

CODE_LISTS = (SECTORS, TASK_KINDS, EDUCATION_LEVELS, INDUSTRIES, LICENCES)
"""The code lists a person picks from, types or writes in a Ratko sheet."""


def vocabulary_names() -> dict[str, tuple[str, ...]]:
    """The English name (the msgid) of everything in the vocabulary a person reads, types or
    writes in a sheet, by what it is: the code lists, the adjustments and the characteristics.
    These are held in every language of ``NAME_LANGUAGES`` (Swedish too, before the rest of the
    UI is): ``tests/test_translations.py`` checks each has its translation."""
    names = {codes.name: tuple(c.en for c in codes) for codes in CODE_LISTS}
    names["adjustment"] = tuple(a.name_en for a in ADJUSTMENTS.values())
    names["characteristic"] = tuple(c.name_en for c in CHARACTERISTICS.values())
    return names


__all__ = [
    "ADJUSTMENTS",
    "ADJUSTMENT_IDS",
    "CHARACTERISTICS",
    "CHARACTERISTIC_IDS",
    "CODE_LISTS",
    "EDUCATION_LEVELS",
    "INDUSTRIES",
    "LICENCES",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "MUNICIPALITIES",
    "SECTORS",
    "SLOT_IDS",
    "TASK_KINDS",
    "Adjustment",
    "Characteristic",
    "Group",
    "ScaleKind",
    "adjustment",
    "characteristic",
    "municipality",
    "vocabulary_names",
]
