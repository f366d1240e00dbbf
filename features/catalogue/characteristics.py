"""The work-ability vocabulary: one definition of every characteristic.

A characteristic is rated on the same 0–4 scale for a person's **capacity** (what they can do
or tolerate) and for a task's **demand** (what the task needs), so that ``demand - capacity > 0``
means over-demand, as in the IMBA/MELBA profile comparison.

Three kinds of scale:

* ``exposure`` (postures, movements, manual handling, environment): the share of the shift,
  as IMBA rates it — 0 never, 1 rarely (< 5 %), 2 occasionally (up to a third),
  3 frequently (a third to two thirds), 4 constantly (over two thirds). Lifting and carrying
  also carry kilograms (the heaviest load).
* ``ability`` (senses, cognition, communication, social, work organisation): level anchors from
  0 "not needed / not able" to 4 "very high", written for each characteristic.
* ``duration``: daily working time in hours.

Everything else — the pipeline's column order, the spreadsheet's columns, the API, the UI and the
README — reads this module; nothing defines a characteristic a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from features.i18n import N_, gettext_for

__all__ = [
    "CHARACTERISTICS",
    "CHARACTERISTIC_IDS",
    "GROUP_NAMES",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "Characteristic",
    "Group",
    "Level",
    "ScaleKind",
    "characteristic",
    "characteristic_index",
]

MIN_LEVEL = 0
MAX_LEVEL = 4


class Group(StrEnum):
    POSTURE_MOBILITY = "posture_mobility"
    MANUAL_HANDLING = "manual_handling"
    SENSES = "senses"
    COGNITION = "cognition"
    COMMUNICATION_SOCIAL = "communication_social"
    WORK_ENVIRONMENT = "work_environment"
    WORK_ORGANISATION = "work_organisation"


GROUP_NAMES: MappingProxyType[Group, str] = MappingProxyType(
    {
        Group.POSTURE_MOBILITY: N_("Posture and mobility"),
        Group.MANUAL_HANDLING: N_("Manual handling"),
        Group.SENSES: N_("Senses"),
        Group.COGNITION: N_("Cognition"),
        Group.COMMUNICATION_SOCIAL: N_("Communication and social"),
        Group.WORK_ENVIRONMENT: N_("Work environment"),
        Group.WORK_ORGANISATION: N_("Work organisation and time"),
    }
)


class ScaleKind(StrEnum):
    EXPOSURE = "exposure"
    ABILITY = "ability"
    DURATION = "duration"


@dataclass(frozen=True, slots=True)
class Level:
    """One anchor of the 0–4 scale, worded for both capacity and demand."""

    value: int
    en: str

    @property
    def fi(self) -> str:
        return gettext_for("fi")(self.en)

    def text(self, lang: str) -> str:
        return gettext_for(lang)(self.en)


@dataclass(frozen=True, slots=True)
class Characteristic:
    """A work-relevant characteristic, rated 0–4 for capacity and for demand."""

    id: str
    name_en: str
    group: Group
    icf: tuple[str, ...]
    scale: ScaleKind
    levels: tuple[Level, Level, Level, Level, Level]
    has_kilograms: bool = False

    def level(self, value: int) -> Level:
        return self.levels[value]

    @property
    def name_fi(self) -> str:
        return gettext_for("fi")(self.name_en)

    def name(self, lang: str) -> str:
        return gettext_for(lang)(self.name_en)


_EXPOSURE = (
    N_("never"),
    N_("rarely (under 5 per cent of the shift)"),
    N_("occasionally (up to a third of the shift)"),
    N_("frequently (a third to two thirds of the shift)"),
    N_("constantly (over two thirds of the shift)"),
)

_DURATION = (
    N_("under 2 hours a day"),
    N_("2–4 hours a day"),
    N_("4–6 hours a day"),
    N_("6–8 hours a day"),
    N_("over 8 hours a day"),
)

Anchors = tuple[str, ...]


def _levels(anchors: Anchors) -> tuple[Level, Level, Level, Level, Level]:
    if len(anchors) != MAX_LEVEL - MIN_LEVEL + 1:
        raise ValueError(f"a scale needs {MAX_LEVEL + 1} anchors, got {len(anchors)}")
    a, b, c, d, e = (Level(i, en) for i, en in enumerate(anchors))
    return (a, b, c, d, e)


def _exposure(
    id_: str, en: str, group: Group, icf: tuple[str, ...], *, kg: bool = False
) -> Characteristic:
    return Characteristic(id_, en, group, icf, ScaleKind.EXPOSURE, _levels(_EXPOSURE), kg)


def _ability(
    id_: str, en: str, group: Group, icf: tuple[str, ...], anchors: Anchors
) -> Characteristic:
    return Characteristic(id_, en, group, icf, ScaleKind.ABILITY, _levels(anchors))


_P, _M, _S, _C, _Q, _E, _W = (
    Group.POSTURE_MOBILITY,
    Group.MANUAL_HANDLING,
    Group.SENSES,
    Group.COGNITION,
    Group.COMMUNICATION_SOCIAL,
    Group.WORK_ENVIRONMENT,
    Group.WORK_ORGANISATION,
)

_CATALOGUE: tuple[Characteristic, ...] = (
    # --- posture and mobility (share of the shift) -------------------------------------------
    _exposure("sitting", N_("Sitting"), _P, ("d4153", "d415")),
    _exposure("standing", N_("Standing"), _P, ("d4154", "d415")),
    _exposure("walking", N_("Walking"), _P, ("d4500", "d450")),
    _exposure(
        "kneeling_squatting",
        N_("Kneeling and squatting"),
        _P,
        ("d4152", "d4151"),
    ),
    _exposure("bending", N_("Bending"), _P, ("d4105",)),
    _exposure("climbing", N_("Climbing (ladders, stairs)"), _P, ("d4551",)),
    _exposure("overhead_work", N_("Overhead work"), _P, ("d4452",)),
    # --- manual handling ---------------------------------------------------------------------
    _exposure("lifting", N_("Lifting"), _M, ("d4300", "d430"), kg=True),
    _exposure("carrying", N_("Carrying"), _M, ("d4301", "d4302", "d430"), kg=True),
    _exposure("pushing_pulling", N_("Pushing and pulling"), _M, ("d4450", "d4451")),
    _exposure("fine_hand_use", N_("Fine hand use"), _M, ("d440",)),
    _exposure(
        "repetitive_hand_arm",
        N_("Repetitive hand and arm work"),
        _M,
        ("d445", "d4453"),
    ),
    _exposure("driving", N_("Driving"), _M, ("d475",)),
    # --- senses -------------------------------------------------------------------------------
    _ability(
        "vision",
        N_("Vision"),
        _S,
        ("b210", "d110"),
        (
            N_("not needed / not able"),
            N_("telling large objects apart"),
            N_("ordinary print and surroundings"),
            N_("small details and colours"),
            N_("very sharp vision, also at distance and in dim light"),
        ),
    ),
    _ability(
        "hearing",
        N_("Hearing"),
        _S,
        ("b230", "d115"),
        (
            N_("not needed / not able"),
            N_("loud sounds and alarms"),
            N_("conversation in a quiet room"),
            N_("conversation in background noise and by phone"),
            N_("telling faint sounds and nuances apart"),
        ),
    ),
    # --- work environment (share of the shift) -------------------------------------------------
    _exposure("noise", N_("Noise"), _E, ("e250",)),
    _exposure("cold", N_("Cold (cold rooms, winter)"), _E, ("e225",)),
    _exposure("heat", N_("Heat"), _E, ("e225",)),
    _exposure(
        "outdoor_work",
        N_("Outdoor work in all weathers"),
        _E,
        ("e225", "e2250"),
    ),
    _exposure(
        "dust_allergens",
        N_("Dust, chemicals and allergens"),
        _E,
        ("e260",),
    ),
    _exposure("vibration", N_("Vibration"), _E, ("e255",)),
    # --- cognition ------------------------------------------------------------------------------
    _ability(
        "attention",
        N_("Attention"),
        _C,
        ("b140", "d160"),
        (
            N_("not needed / not able"),
            N_("short, clear tasks with reminders"),
            N_("ordinary routine work with few interruptions"),
            N_("sustained focus despite interruptions"),
            N_("very precise focus all day"),
        ),
    ),
    _ability(
        "memory",
        N_("Memory"),
        _C,
        ("b144",),
        (
            N_("not needed / not able"),
            N_("a few steps with written support"),
            N_("remembering familiar work steps"),
            N_("remembering many instructions and items"),
            N_("holding broad, changing information"),
        ),
    ),
    _ability(
        "learning_new",
        N_("Learning new things"),
        _C,
        ("d155", "d1551"),
        (
            N_("not needed / not able"),
            N_("a simple task by demonstration and repetition"),
            N_("a new routine task with induction"),
            N_("new methods independently from instructions"),
            N_("constantly new things, quick uptake"),
        ),
    ),
    _ability(
        "problem_solving",
        N_("Problem solving"),
        _C,
        ("d175", "d177"),
        (
            N_("not needed / not able"),
            N_("familiar situations, help at hand"),
            N_("ordinary deviations by instruction"),
            N_("new problems independently"),
            N_("complex solutions and decisions"),
        ),
    ),
    _ability(
        "reading",
        N_("Reading"),
        _C,
        ("d166",),
        (
            N_("not needed / not able"),
            N_("signs, pictures and single words"),
            N_("short instructions and lists"),
            N_("ordinary work instructions and messages"),
            N_("long and demanding texts"),
        ),
    ),
    _ability(
        "writing",
        N_("Writing"),
        _C,
        ("d170",),
        (
            N_("not needed / not able"),
            N_("name, numbers and ticking boxes"),
            N_("short notes and messages"),
            N_("clear reports and e-mails"),
            N_("demanding documents"),
        ),
    ),
    _ability(
        "calculation",
        N_("Calculation"),
        _C,
        ("d172",),
        (
            N_("not needed / not able"),
            N_("counting items"),
            N_("basic arithmetic, handling money"),
            N_("percentages, units and recipes"),
            N_("demanding calculation and spreadsheets"),
        ),
    ),
    _ability(
        "multitasking",
        N_("Handling several tasks"),
        _C,
        ("d220",),
        (
            N_("not needed / not able"),
            N_("one task at a time"),
            N_("a few tasks in a clear order"),
            N_("several tasks, own prioritising"),
            N_("many simultaneous tasks and interruptions"),
        ),
    ),
    # --- communication and social ----------------------------------------------------------------
    _ability(
        "finnish_language",
        N_("Finnish language"),
        _Q,
        ("d310", "d330"),
        (
            N_("not needed / none"),
            N_("basics (A1–A2): greetings, work words"),
            N_("everyday (B1): ordinary work situations"),
            N_("fluent (B2): customers and instructions"),
            N_("excellent (C1–C2 or mother tongue)"),
        ),
    ),
    _ability(
        "digital_skills",
        N_("Digital skills"),
        _Q,
        ("d360", "d3602"),
        (
            N_("not needed / none"),
            N_("basic smartphone use"),
            N_("ready-made apps and forms"),
            N_("office software and online services"),
            N_("demanding systems and helping others"),
        ),
    ),
    _ability(
        "customer_contact",
        N_("Customer contact and strangers"),
        _Q,
        ("d730", "d710"),
        (
            N_("no customer contact / not able"),
            N_("occasional brief contact with familiar people"),
            N_("occasional customer service in a calm setting"),
            N_("continuous customer service"),
            N_("demanding service and selling to strangers"),
        ),
    ),
    _ability(
        "teamwork",
        N_("Teamwork"),
        _Q,
        ("d720", "d740"),
        (
            N_("not needed / not able"),
            N_("working beside a familiar partner"),
            N_("cooperation in a small team"),
            N_("close cooperation and agreeing things"),
            N_("leading and coordinating a team"),
        ),
    ),
    _ability(
        "conflict_situations",
        N_("Conflict situations"),
        _Q,
        ("d7202", "d7203"),
        (
            N_("no conflicts / not able"),
            N_("rare, mild disagreements"),
            N_("ordinary feedback and complaints"),
            N_("recurring difficult situations"),
            N_("threatening or aggressive situations"),
        ),
    ),
    # --- work organisation and time ---------------------------------------------------------------
    _ability(
        "work_pace",
        N_("Work pace and time pressure"),
        _W,
        ("d2306", "d2401"),
        (
            N_("own pace, no deadlines"),
            N_("calm pace, loose deadlines"),
            N_("ordinary pace, daily deadlines"),
            N_("fast pace, often in a hurry"),
            N_("very fast pace, constant time pressure"),
        ),
    ),
    _ability(
        "handling_stress",
        N_("Handling stress"),
        _W,
        ("d2401",),
        (
            N_("no strain / not able"),
            N_("low strain"),
            N_("ordinary strain"),
            N_("high strain at times"),
            N_("constantly high strain"),
        ),
    ),
    _ability(
        "handling_change",
        N_("Handling change"),
        _W,
        ("d2304",),
        (
            N_("no changes / not able"),
            N_("rare changes announced in advance"),
            N_("ordinary changes during the day"),
            N_("frequent unexpected changes"),
            N_("constantly changing work"),
        ),
    ),
    _ability(
        "keeping_agreed_times",
        N_("Keeping to agreed times"),
        _W,
        ("d2305",),
        (
            N_("no fixed times / not able"),
            N_("flexible arrival, reminders help"),
            N_("agreed start time, a little slack"),
            N_("exact start times"),
            N_("exact times and scheduled appointments all day"),
        ),
    ),
    _ability(
        "working_alone",
        N_("Working alone"),
        _W,
        ("d2102", "d2202"),
        (
            N_("constant guidance / not able alone"),
            N_("supervisor close by all the time"),
            N_("supervisor reachable during the day"),
            N_("mostly alone, checked daily"),
            N_("fully independently, also in exceptions"),
        ),
    ),
    _ability(
        "responsibility_for_safety",
        N_("Responsibility for others' safety"),
        _W,
        ("d2400",),
        (
            N_("no responsibility / not able"),
            N_("care in one's own work"),
            N_("routines that affect others' safety"),
            N_("responsible for customers' or colleagues' safety"),
            N_("direct responsibility for lives"),
        ),
    ),
    _exposure(
        "irregular_hours",
        N_("Shift, night and irregular hours"),
        _W,
        ("d230", "b134"),
    ),
    _ability(
        "uninterrupted_work",
        N_("Uninterrupted work without breaks or variety"),
        _W,
        ("b455", "b1300"),
        (
            N_("breaks and variety at will / not able to work uninterrupted"),
            N_("a break or change every half hour"),
            N_("a break or change every hour"),
            N_("breaks only at set intervals (2 h)"),
            N_("long uninterrupted stretches of the same work"),
        ),
    ),
    Characteristic(
        "daily_working_time",
        N_("Daily working time"),
        _W,
        ("b455", "d8451"),
        ScaleKind.DURATION,
        _levels(_DURATION),
    ),
)

CHARACTERISTICS: MappingProxyType[str, Characteristic] = MappingProxyType(
    {c.id: c for c in _CATALOGUE}
)
"""Every characteristic by id, in catalogue order (the column order of every matrix)."""

CHARACTERISTIC_IDS: tuple[str, ...] = tuple(CHARACTERISTICS)

_INDEX = MappingProxyType({cid: i for i, cid in enumerate(CHARACTERISTIC_IDS)})


def characteristic(characteristic_id: str) -> Characteristic:
    """Look a characteristic up by id, with an error that lists what exists."""
    try:
        return CHARACTERISTICS[characteristic_id]
    except KeyError:
        raise KeyError(
            f"unknown characteristic {characteristic_id!r}; known ids: "
            + ", ".join(CHARACTERISTIC_IDS)
        ) from None


def characteristic_index(characteristic_id: str) -> int:
    """Column of ``characteristic_id`` in every (n, n_characteristics) matrix."""
    characteristic(characteristic_id)
    return _INDEX[characteristic_id]
