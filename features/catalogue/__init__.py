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

__all__ = [
    "ADJUSTMENTS",
    "ADJUSTMENT_IDS",
    "CHARACTERISTICS",
    "CHARACTERISTIC_IDS",
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
]
