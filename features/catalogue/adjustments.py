"""The adjustment catalogue: work-design accommodations and what they lower.

Each adjustment lowers the *demand* of some characteristics by a number of levels (never below
0) and may cap the heaviest manual load. It names who typically provides it and a rough cost
class, so that a suggestion can say "with a sit-stand stool (employer, low cost) it fits".
Physicians' hard limits are never relaxed by an adjustment: that rule lives in the matcher,
which reads this table.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from features.catalogue.characteristics import CHARACTERISTICS
from features.catalogue.work import TASK_KINDS
from features.i18n import N_, gettext_for

__all__ = [
    "ADJUSTMENTS",
    "ADJUSTMENT_IDS",
    "COST_CLASS_NAMES",
    "PROVIDER_NAMES",
    "Adjustment",
    "CostClass",
    "Provider",
    "adjustment",
    "applies",
    "fits_kind",
    "inapplicable_reason",
]


class Provider(StrEnum):
    EMPLOYER = "employer"
    JOB_COACH = "job_coach"
    PUBLIC_SUPPORT = "public_support"


PROVIDER_NAMES: MappingProxyType[Provider, str] = MappingProxyType(
    {
        Provider.EMPLOYER: N_("employer"),
        Provider.JOB_COACH: N_("job coach"),
        Provider.PUBLIC_SUPPORT: N_("public support (e.g. employment services, Kela)"),
    }
)


class CostClass(IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


COST_CLASS_NAMES: MappingProxyType[CostClass, str] = MappingProxyType(
    {
        CostClass.NONE: N_("no cost (an arrangement)"),
        CostClass.LOW: N_("low (under 500 €)"),
        CostClass.MEDIUM: N_("medium (500–3,000 €)"),
        CostClass.HIGH: N_("high (over 3,000 €)"),
    }
)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A work-design accommodation and the demand levels it removes."""

    id: str
    name_en: str
    lowers: MappingProxyType[str, int]
    provider: Provider
    cost_class: CostClass
    subsidy_available: bool = False
    """Eligible for the workplace-adjustment subsidy (työolosuhteiden järjestelytuki)."""
    max_kilograms_after: float | None = None
    """With the adjustment, the heaviest load handled by hand is at most this."""
    changes_exposure: bool = True
    """It changes the work itself (a stool, an aid, a variant, shorter shifts), so the demand
    as the work will actually be done is lower — and a physician's restriction is judged
    against that. A support (a job coach, a mentor, instructions) helps the person cope but
    leaves the exposure as it was: it never satisfies a physician's restriction."""
    only_kinds: frozenset[str] | None = None
    """The kinds of task it can apply to (None: any)."""
    not_kinds: frozenset[str] = frozenset()
    """Kinds of task where it cannot apply (where the demand it lowers is the task itself)."""
    needs_day_shift: bool = False
    """Applies only to a task that has a day shift to keep (an afternoon slot)."""

    @property
    def name_fi(self) -> str:
        return gettext_for("fi")(self.name_en)

    def name(self, lang: str) -> str:
        return gettext_for(lang)(self.name_en)


def _adj(
    id_: str,
    en: str,
    lowers: dict[str, int],
    provider: Provider,
    cost: CostClass,
    *,
    subsidy: bool = False,
    max_kg: float | None = None,
    support: bool = False,
    only: frozenset[str] | None = None,
    never: frozenset[str] = frozenset(),
    day_shift: bool = False,
) -> Adjustment:
    unknown = sorted(set(lowers) - set(CHARACTERISTICS))
    if unknown:
        raise ValueError(f"adjustment {id_!r} lowers unknown characteristics {unknown}")
    if any(not 1 <= n <= 4 for n in lowers.values()):
        raise ValueError(f"adjustment {id_!r} must lower each characteristic by 1–4 levels")
    kinds = set(only or ()) | set(never)
    if kinds - set(TASK_KINDS.ids):
        raise ValueError(f"adjustment {id_!r} names unknown task kinds {sorted(kinds)}")
    return Adjustment(id_, en, MappingProxyType(lowers), provider, cost, subsidy, max_kg,
                      not support, only, never, day_shift)  # fmt: skip


# Kinds of task, grouped by where the work is done (for where an adjustment can apply).
DESK = frozenset({"data_entry", "office_admin", "it_support", "content_media", "reception"})
AT_A_STATION = frozenset({
    "dishwashing", "food_preparation", "cashier_customer_service", "reception",
    "sorting_packing", "assembly", "recycling_sorting", "laundry_textiles", "maintenance_repair",
    "data_entry", "it_support", "beauty_care",
})  # fmt: skip
CUSTOMERS_ARE_THE_TASK = frozenset({
    "cashier_customer_service", "reception", "serving", "care_support", "event_support",
})  # fmt: skip
OUTDOORS_BY_NATURE = frozenset({"yard_work", "planting_harvest", "delivery_driving"})
ON_THE_ROAD = frozenset({"delivery_driving", "errands"})


_E, _J, _S = Provider.EMPLOYER, Provider.JOB_COACH, Provider.PUBLIC_SUPPORT
_0, _1, _2, _3 = CostClass.NONE, CostClass.LOW, CostClass.MEDIUM, CostClass.HIGH

_CATALOGUE: tuple[Adjustment, ...] = (
    _adj(
        "sit_stand_stool",
        N_("Sit-stand stool"),
        {"standing": 2},
        _E,
        _1,
        subsidy=True,
        only=AT_A_STATION,
    ),
    _adj(
        "sit_stand_desk",
        N_("Sit-stand desk"),
        {"sitting": 1, "standing": 1},
        _E,
        _2,
        subsidy=True,
        only=DESK,
    ),
    _adj(
        "lifting_aid",
        N_("Lifting aid"),
        {"lifting": 2, "carrying": 1},
        _E,
        _2,
        subsidy=True,
        max_kg=10.0,
        never=DESK | ON_THE_ROAD | {"cashier_customer_service"},
    ),
    _adj(
        "trolley",
        N_("Trolley for carrying"),
        {"carrying": 2, "walking": 1},
        _E,
        _1,
        max_kg=15.0,
        never=DESK | {"delivery_driving", "cashier_customer_service"},
    ),
    _adj(
        "long_handled_tools",
        N_("Long-handled tools"),
        {"bending": 2, "kneeling_squatting": 2},
        _E,
        _1,
        only=frozenset(
            {
                "cleaning",
                "yard_work",
                "planting_harvest",
                "site_assistance",
                "vehicle_care",
                "maintenance_repair",
                "recycling_sorting",
            }
        ),
    ),
    _adj(
        "no_ladder_work",
        N_("No ladder work (a colleague does it)"),
        {"climbing": 3, "overhead_work": 1},
        _E,
        _0,
    ),
    _adj(
        "ergonomic_hand_tools",
        N_("Ergonomic hand tools"),
        {"repetitive_hand_arm": 1, "fine_hand_use": 1},
        _E,
        _1,
        subsidy=True,
    ),
    _adj(
        "task_rotation",
        N_("Task rotation"),
        {"repetitive_hand_arm": 2, "standing": 1, "uninterrupted_work": 1},
        _E,
        _0,
    ),
    _adj(
        "written_instructions",
        N_("Written step-by-step instructions"),
        {"memory": 1, "learning_new": 1, "multitasking": 1},
        _J,
        _0,
        support=True,
    ),
    _adj(
        "picture_instructions",
        N_("Picture instructions and plain language"),
        {"reading": 1, "finnish_language": 1, "memory": 1},
        _J,
        _1,
        support=True,
    ),
    _adj(
        "quiet_workspace",
        N_("Quiet workspace"),
        {"noise": 1, "attention": 1, "multitasking": 1},
        _E,
        _1,
    ),
    _adj("hearing_protection", N_("Hearing protection"), {"noise": 2}, _E, _1),
    _adj(
        "protective_equipment",
        N_("Protective equipment (respirator, gloves)"),
        {"dust_allergens": 2},
        _E,
        _1,
    ),
    _adj(
        "indoor_variant",
        N_("Indoor variant of the task"),
        {"outdoor_work": 3, "cold": 2},
        _E,
        _0,
        never=OUTDOORS_BY_NATURE,
    ),
    _adj(
        "back_office_variant",
        N_("Back-office variant without customers"),
        {"customer_contact": 3, "conflict_situations": 2},
        _E,
        _0,
        never=CUSTOMERS_ARE_THE_TASK,
    ),
    _adj(
        "no_time_pressure",
        N_("No time pressure"),
        {"work_pace": 2, "handling_stress": 1},
        _E,
        _0,
    ),
    _adj(
        "job_coach_first_weeks",
        N_("Job coach on site in the first weeks"),
        {"learning_new": 1, "working_alone": 2, "handling_change": 1, "problem_solving": 1},
        _J,
        _0,
        support=True,
    ),
    _adj(
        "named_mentor",
        N_("Named colleague as mentor"),
        {"working_alone": 1, "problem_solving": 1, "handling_change": 1},
        _E,
        _1,
        support=True,
    ),
    _adj(
        "work_pair",
        N_("Working in a pair"),
        {"working_alone": 2, "responsibility_for_safety": 1, "lifting": 1},
        _E,
        _2,
    ),
    _adj(
        "shorter_shifts",
        N_("Shorter shifts"),
        {"daily_working_time": 2, "uninterrupted_work": 1},
        _E,
        _0,
    ),
    _adj("flexible_breaks", N_("Flexible breaks"), {"uninterrupted_work": 2}, _E, _0),
    _adj(
        "flexible_start",
        N_("Flexible start time"),
        {"keeping_agreed_times": 2},
        _E,
        _0,
    ),
    _adj(
        "day_shifts_only",
        N_("Day shifts only"),
        {"irregular_hours": 3},
        _E,
        _0,
        day_shift=True,
    ),
    _adj(
        "vision_aids",
        N_("Vision aids and lighting"),
        {"vision": 2},
        _S,
        _2,
        subsidy=True,
    ),
    _adj(
        "digital_support",
        N_("Digital support and shortcuts"),
        {"digital_skills": 1},
        _J,
        _0,
        support=True,
    ),
    _adj(
        "interpreter_plain_finnish",
        N_("Plain Finnish and an interpreter when needed"),
        {"finnish_language": 2, "reading": 1},
        _S,
        _1,
        support=True,
    ),
    _adj(
        "clear_routine",
        N_("Fixed routine, changes announced in advance"),
        {"handling_change": 2, "multitasking": 1},
        _E,
        _0,
    ),
)

ADJUSTMENTS: MappingProxyType[str, Adjustment] = MappingProxyType({a.id: a for a in _CATALOGUE})
ADJUSTMENT_IDS: tuple[str, ...] = tuple(ADJUSTMENTS)


def inapplicable_reason(
    adj: Adjustment, kind: str, slots: Collection[str]
) -> tuple[str, str] | None:
    """Why ``adj`` cannot apply to a task of ``kind`` worked in ``slots`` (Finnish, English),
    or None when it can."""
    kind_name = TASK_KINDS.get(kind)
    if not fits_kind(adj, kind):
        return (f"ei sovellu tehtävälajiin {kind_name.fi.lower()}",
                f"does not apply to {kind_name.en.lower()}")  # fmt: skip
    if adj.needs_day_shift and not any(s.endswith("-afternoon") for s in slots):
        return ("tehtävässä ei ole päivävuoroa, johon rajata",
                "the task has no day shift to keep to")  # fmt: skip
    return None


def fits_kind(adj: Adjustment, kind: str) -> bool:
    """Whether ``adj`` can apply to a task of ``kind`` (whatever its schedule)."""
    return (adj.only_kinds is None or kind in adj.only_kinds) and kind not in adj.not_kinds


def applies(adj: Adjustment, kind: str, slots: Collection[str]) -> bool:
    """Whether ``adj`` can apply to a task of ``kind`` worked in ``slots``."""
    return inapplicable_reason(adj, kind, slots) is None


def adjustment(adjustment_id: str) -> Adjustment:
    try:
        return ADJUSTMENTS[adjustment_id]
    except KeyError:
        raise KeyError(
            f"unknown adjustment {adjustment_id!r}; known ids: " + ", ".join(ADJUSTMENT_IDS)
        ) from None
