"""Explanations built from the scorer's arrays: structured data and plain sentences.

Every suggestion says what fits, what needs an adjustment (which, from whom, at what cost),
what is under-demanding, what is still to be assessed, how far away it is, how hours and
schedule fit and which skills, licences and interests match — in Finnish and in English, in
words a coordinator can repeat to an employer or a jobseeker. The profile comparison gives, per
characteristic, capacity, demand and demand after adjustments for an IMBA-style chart.

Sentences avoid Finnish inflection on purpose ("Seisominen: tehtävässä jatkuvasti …"): names
come from the catalogue in their base form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from scipy import sparse

from features.catalogue import (
    ADJUSTMENTS,
    CHARACTERISTIC_IDS,
    CHARACTERISTICS,
    LICENCES,
    SECTORS,
    TASK_KINDS,
)
from features.catalogue.adjustments import PROVIDER_NAMES
from features.catalogue.schedule import SLOT_IDS, slot_label_fi
from features.matchability import reason_text
from features.numbers import number
from features.pipeline.encoders import EXPOSURE, adjustment_lowering_table
from features.pipeline.frames import KG_IDS
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.scoring import COMPONENTS, FAILURES, PairScores

__all__ = [
    "AdjustmentNote",
    "CharacteristicComparison",
    "Explanation",
    "LimitNote",
    "component_names",
    "explain",
    "explain_all",
]

_ADJ = list(ADJUSTMENTS.values())
_LOWERING = adjustment_lowering_table()
COMPONENT_NAMES = {
    "ability_fit": ("Toimintakyvyn sopivuus", "Ability fit"),
    "adjustments": ("Mukautukset", "Adjustments"),
    "skills": ("Taidot", "Skills"),
    "interests": ("Kiinnostukset", "Interests"),
    "hours_fit": ("Tuntien sopivuus", "Hours fit"),
    "schedule_fit": ("Vuorojen sopivuus", "Schedule fit"),
    "distance": ("Etäisyys", "Distance"),
    "under_demand": ("Alikuormitus", "Under-demand"),
    "unknown": ("Arvioimatta", "To be assessed"),
}


def component_names() -> list[dict[str, str]]:
    """The score components in result order, with both names."""
    return [{"id": c, "fi": COMPONENT_NAMES[c][0], "en": COMPONENT_NAMES[c][1]} for c in COMPONENTS]


@dataclass  # not frozen: 43 per explanation, and a frozen __init__ costs five times more
class CharacteristicComparison:
    """One row of the profile comparison (IMBA-style chart)."""

    id: str
    name_fi: str
    name_en: str
    group: str
    capacity: float | None
    demand: float | None
    demand_after: float | None
    """Demand once the chosen adjustments are in place (hard limits: unchanged)."""
    hard_limit: bool
    status: str
    """fits | adjusted | tolerated | over | hard_limit | to_assess | under | not_needed"""
    typical: bool = False
    """The demand is the kind's typical one: the workshop did not rate it."""


@dataclass(frozen=True)
class AdjustmentNote:
    id: str
    name_fi: str
    name_en: str
    provider: str
    cost_class: str
    subsidy_available: bool
    closes: list[str]
    """Characteristics whose over-demand it closes."""


@dataclass(frozen=True)
class LimitNote:
    """A physician's restriction or recommendation and the work as it will be done."""

    id: str
    kind: str
    """restriction | recommendation"""
    limit: float
    demand: float
    demand_after: float
    """With the exposure-changing adjustments chosen (the demand itself where none)."""
    by: list[str]
    """The adjustments the restriction depends on: conditions from the first day."""
    holds: bool


@dataclass
class Explanation:
    person_id: int
    task_id: int
    feasible: bool
    total: float
    contributions: dict[str, float]
    fits: list[str]
    adjustments: list[AdjustmentNote]
    to_assess: list[str]
    """The person's ratings still missing where this task demands something, most demanded
    first: what to assess before proposing."""
    under_demanding: list[str]
    distance_km: float
    task_hours: float
    person_hours: tuple[float, float]
    schedule_overlap: float
    missing_slots: list[str]
    matched_skills: list[str]
    required_licences: list[str]
    interest_sector: bool
    interest_kind: bool
    failures: list[str]
    comparison: list[CharacteristicComparison]
    assessed: bool = True
    """Nothing to assess and no unchecked limit: only then is the headline "Sopii"."""
    limits: list[LimitNote] = field(default_factory=list)
    """Every physician's restriction and recommendation against a rated demand: how it holds
    (or fails)."""
    limits_unchecked: list[str] = field(default_factory=list)
    """Restrictions against demands the task does not rate: check before proposing."""
    check_with_employer: list[str] = field(default_factory=list)
    """Demands the task does not rate where the person is clearly limited."""
    unrated_elsewhere: int = 0
    """Further characteristics rated on neither side (not listed one by one)."""
    typical_to_confirm: list[str] = field(default_factory=list)
    """Typical (unrated) demands the person is at the edge of: confirm with the employer."""
    unused_strengths: list[str] = field(default_factory=list)
    """Abilities the person is very strong in that the task hardly uses (see below)."""
    sentences: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self, *, with_comparison: bool = True) -> dict[str, Any]:
        """Plain JSON-ready data. Built field by field rather than with
        :func:`dataclasses.asdict`, whose deep copies were most of a ranked list's cost."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["adjustments"] = [vars(a).copy() for a in self.adjustments]
        data["limits"] = [vars(n).copy() for n in self.limits]
        data["person_hours"] = list(self.person_hours)
        if with_comparison:
            data["comparison"] = [vars(c).copy() for c in self.comparison]
        else:
            del data["comparison"]
        return data


def _level_text(cid: str, value: float, lang: str) -> str:
    level = CHARACTERISTICS[cid].levels[int(value)]
    return level.fi if lang == "fi" else level.en


def _name(cid: str, lang: str) -> str:
    c = CHARACTERISTICS[cid]
    return c.name_fi if lang == "fi" else c.name_en


def _km(value: float, lang: str) -> str:
    return number(value, lang)


def _hours(value: float, lang: str) -> str:
    return number(value, lang, 2)


def _slot(slot: str, lang: str) -> str:
    return slot_label_fi(slot) if lang == "fi" else slot


_SOFT_SKILLS = np.array(
    [CHARACTERISTICS[cid].group.value in ("cognition", "communication_social")
     for cid in CHARACTERISTIC_IDS]
)  # fmt: skip
_STATUSES = (
    "to_assess", "not_needed", "adjusted", "hard_limit", "tolerated", "over", "under", "fits",
)  # fmt: skip
_CHARACTERISTIC_LIST = [CHARACTERISTICS[cid] for cid in CHARACTERISTIC_IDS]


def _ids(mask: np.ndarray) -> list[str]:
    """The ids of the characteristics ``mask`` marks, in catalogue order."""
    return [CHARACTERISTIC_IDS[c] for c in np.flatnonzero(mask)]


def _plain(values: np.ndarray) -> list[list[float | None]]:
    """Rows of plain floats, None where NaN (unknown)."""
    return [[None if v != v else v for v in row] for row in values.tolist()]


def _row_indices(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    """Column indices of one CSR row, read off ``indptr`` (row slicing builds a new matrix)."""
    return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]


def explain(people: PeopleMatrix, tasks: TaskMatrix, scores: PairScores, p: int) -> Explanation:
    """The explanation of pair ``p`` of ``scores``."""
    return explain_all(people, tasks, scores, np.array([p]))[0]


@dataclass(frozen=True)
class _Statuses:
    """Every characteristic's status for a batch of pairs, worked out with numpy at once;
    the per-pair assembly only reads rows of these (plain Python lists where it loops)."""

    code: np.ndarray
    """int (n, n_characteristics): index into _STATUSES"""
    cap: list[list[float | None]]
    dem: list[list[float | None]]
    after: list[list[float | None]]
    hard: list[list[bool]]
    typical: list[list[bool]]
    to_assess: np.ndarray
    elsewhere: np.ndarray
    unchecked: np.ndarray
    ask_employer: np.ndarray
    fits: np.ndarray
    typical_to_confirm: np.ndarray
    strong_unused: np.ndarray


def _statuses(
    people: PeopleMatrix, tasks: TaskMatrix, scores: PairScores, pos: np.ndarray
) -> _Statuses:
    i, j = scores.person_rows[pos], scores.task_rows[pos]
    cap, dem, hard = people.capacity[i], tasks.demand[j], people.hard[i]
    chosen = scores.chosen[pos]  # (n, n_adjustments)
    # The demand as the work will be done: the largest lowering among the chosen adjustments;
    # on a restriction only those that change the exposure.
    by_chosen = np.where(chosen[:, :, None], _LOWERING[None], 0).max(axis=1, initial=0)
    by_exposure = np.where((chosen & EXPOSURE)[:, :, None], _LOWERING[None], 0).max(
        axis=1, initial=0
    )
    # Nothing chosen because nothing closes it all: show what the usable adjustments would
    # do, so only the demands they cannot close read as "over".
    open_ = ~chosen.any(axis=1) & ~scores.closable[pos]
    by_chosen = np.where(open_[:, None], tasks.reduction[j], by_chosen)
    by_exposure = np.where(open_[:, None], tasks.reduction_exposure[j], by_exposure)
    lowering = np.where(hard, by_exposure, by_chosen).astype(np.float64)
    unknown = scores.unknown[pos]
    cap_known, dem_known = ~np.isnan(cap), ~np.isnan(dem)
    demanded = dem_known & (dem != 0)
    after = np.where(dem_known, np.maximum(dem - lowering, 0), np.nan)
    over = cap_known & dem_known & (dem > cap)
    feasible = scores.feasible[pos][:, None]
    code = np.select(
        [unknown, dem == 0, over & (after <= cap), over & hard, over & feasible, over,
         cap_known & dem_known & (cap - dem >= 2)],
        [0, 1, 2, 3, 4, 5, 6],  # 4, tolerated: within the rule set's tolerance
        7,
    )  # fmt: skip
    typical = tasks.typical[j]
    return _Statuses(
        code=code,
        cap=_plain(cap),
        dem=_plain(dem),
        after=_plain(after),
        hard=hard.tolist(),
        typical=typical.tolist(),
        to_assess=unknown & ~cap_known & demanded,
        elsewhere=(unknown & ~cap_known & ~demanded).sum(axis=1),
        unchecked=unknown & cap_known & hard,
        ask_employer=unknown & cap_known & ~hard,
        fits=((code == 7) | (code == 6)) & demanded,
        typical_to_confirm=typical & ~hard & demanded & cap_known & (dem >= cap),
        strong_unused=_SOFT_SKILLS & (cap == 4) & dem_known & (dem <= 1),
    )


def explain_all(
    people: PeopleMatrix, tasks: TaskMatrix, scores: PairScores, positions: np.ndarray
) -> list[Explanation]:
    """The explanations of the pairs at ``positions`` of ``scores``, in that order: the
    characteristic-by-characteristic work done for all of them at once."""
    pos = np.asarray(positions, dtype=np.int64)
    if len(pos) == 0:
        return []
    statuses = _statuses(people, tasks, scores, pos)
    return [_assemble(people, tasks, scores, int(p), statuses, k) for k, p in enumerate(pos)]


def _assemble(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    scores: PairScores,
    p: int,
    st: _Statuses,
    k: int,
) -> Explanation:
    """Pair ``p``'s explanation from row ``k`` of the batch's statuses."""
    i, j = int(scores.person_rows[p]), int(scores.task_rows[p])
    hard = people.hard[i]
    chosen = np.flatnonzero(scores.chosen[p])
    to_assess = _ids(st.to_assess[k])
    elsewhere = int(st.elsewhere[k])
    unchecked = _ids(st.unchecked[k])
    ask_employer = _ids(st.ask_employer[k])
    under = _ids(st.code[k] == 6)
    fits = _ids(st.fits[k])
    dems = st.dem[k]
    status = [_STATUSES[c] for c in st.code[k].tolist()]
    comparison = [
        CharacteristicComparison(cid, ch.name_fi, ch.name_en, ch.group.value, c, d, a, h, s, t)
        for cid, ch, c, d, a, h, s, t in zip(
            CHARACTERISTIC_IDS, _CHARACTERISTIC_LIST, st.cap[k], dems, st.after[k],
            st.hard[k], status, st.typical[k], strict=True,
        )
    ]  # fmt: skip
    notes = []
    over_p = scores.over[p] > 0
    for a in chosen:
        adj = _ADJ[a]
        closing = np.flatnonzero(over_p & (_LOWERING[a] > 0) & (~hard | EXPOSURE[a]))
        closes = [CHARACTERISTIC_IDS[c] for c in closing]
        notes.append(AdjustmentNote(
            adj.id, adj.name_fi, adj.name_en, adj.provider.value,
            adj.cost_class.name.lower(), adj.subsidy_available, closes,
        ))  # fmt: skip
    free = int(people.schedule[i])
    wanted = int(tasks.schedule[j])
    missing = [s for b, s in enumerate(SLOT_IDS) if (wanted >> b) & 1 and not (free >> b) & 1]
    required_skills = set(_row_indices(tasks.skills, j))
    held = set(_row_indices(people.skills, i))
    vocabulary = tasks.skill_names
    licences = [LICENCES.ids[b] for b in range(len(LICENCES)) if (int(tasks.licences[j]) >> b) & 1]
    explanation = Explanation(
        person_id=int(people.ids[i]),
        task_id=int(tasks.ids[j]),
        feasible=bool(scores.feasible[p]),
        total=float(scores.total[p]),
        contributions={
            c: float(v) for c, v in zip(COMPONENTS, scores.contributions[p], strict=True)
        },
        fits=fits,
        adjustments=notes,
        to_assess=to_assess,
        under_demanding=under,
        distance_km=float(scores.km[p]),
        task_hours=float(tasks.hours[j]),
        person_hours=(float(people.hours_min[i]), float(people.hours_max[i])),
        schedule_overlap=float(scores.overlap[p]),
        missing_slots=missing,
        matched_skills=sorted(vocabulary[v] for v in required_skills & held),
        required_licences=licences,
        interest_sector=bool(people.interest_sectors[i, tasks.sector[j]]),
        interest_kind=bool(people.interest_kinds[i, tasks.kind[j]]),
        failures=[FAILURES[f] for f in np.flatnonzero(scores.failures[p])],
        comparison=comparison,
        assessed=bool(scores.assessed[p]),
        limits=_limits(comparison, chosen, people.recommended[i].tolist()),
        limits_unchecked=unchecked,
        check_with_employer=ask_employer,
        unrated_elsewhere=elsewhere,
    )
    explanation.typical_to_confirm = _ids(st.typical_to_confirm[k])
    # Abilities the person is very strong in (4) that the task hardly uses (1 or less), named
    # only when there are at least three: the person could clearly do more demanding work.
    # Physical reserve, and ordinary spare capacity, are not worth mentioning.
    strong = _ids(st.strong_unused[k])
    explanation.unused_strengths = strong if len(strong) >= 3 else []
    # Most demanded first: what matters most for this task is assessed first.
    explanation.to_assess.sort(key=lambda cid: -(dems[CHARACTERISTIC_IDS.index(cid)] or 0))
    explanation.sentences = {
        lang: _sentences(explanation, people, tasks, scores, p, lang) for lang in ("fi", "en")
    }
    return explanation


def _limits(
    comparison: list[CharacteristicComparison], chosen: np.ndarray, recommended: list[bool]
) -> list[LimitNote]:
    notes = []
    for c, row in enumerate(comparison):
        if not (row.hard_limit or recommended[c]) or row.capacity is None or row.demand is None:
            continue
        if row.hard_limit and row.typical:
            continue  # judged only against an assessed demand: unchecked, said in the headline
        after = row.demand if row.demand_after is None else row.demand_after
        counts = EXPOSURE[chosen] if row.hard_limit else np.ones(len(chosen), dtype=bool)
        by = [_ADJ[a].id for a, ok in zip(chosen, counts, strict=True) if ok
              and _LOWERING[a, c] > 0]  # fmt: skip
        needed = row.demand > row.capacity
        notes.append(LimitNote(row.id, "restriction" if row.hard_limit else "recommendation",
                               row.capacity, row.demand, after, by if needed else [],
                               after <= row.capacity))  # fmt: skip
    return notes


def _sentences(
    e: Explanation,
    people: PeopleMatrix,
    tasks: TaskMatrix,
    scores: PairScores,
    p: int,
    lang: str,
) -> list[str]:
    fi = lang == "fi"
    i, j = int(scores.person_rows[p]), int(scores.task_rows[p])
    out: list[str] = []
    lo, hi = e.person_hours
    if e.feasible:
        out.append(_headline(e, lang))
        out.extend(_limit_sentences(e, lang))
        out.extend(_typical_sentences(e, lang))
        if fi:
            out.append(
                f"{_km(e.distance_km, lang)} km, {_hours(e.task_hours, lang)} h viikossa "
                f"(toive {_hours(lo, lang)}–{_hours(hi, lang)} h), "
                + ("kaikki vuorot sopivat." if not e.missing_slots else "osa vuoroista ei sovi.")
            )
        else:
            out.append(
                f"{_km(e.distance_km, lang)} km away, {_hours(e.task_hours, lang)} h a week "
                f"(wants {_hours(lo, lang)}–{_hours(hi, lang)} h), "
                + ("free for every slot." if not e.missing_slots else "not free for every slot.")
            )
    else:
        out.append("Ei sovi:" if fi else "Does not fit:")
        out.extend(_failure_sentences(e, people, tasks, scores, p, lang))
    restricted = {n.id for n in e.limits}  # said already, in the limit's own sentence
    for note in e.adjustments:
        adj = ADJUSTMENTS[note.id]
        who = PROVIDER_NAMES[adj.provider][0 if fi else 1]
        cost = _COST_SHORT[adj.cost_class.name.lower()][0 if fi else 1]
        for cid in note.closes:
            if cid in restricted:
                continue
            c = CHARACTERISTIC_IDS.index(cid)
            need = _level_text(cid, tasks.demand[j, c], lang)
            can = _level_text(cid, people.capacity[i, c], lang)
            if fi:
                out.append(
                    f"{_name(cid, lang)}: tehtävässä {need}, henkilölle sopii {can}. "
                    f"Mukautus: {adj.name_fi} ({who}, {cost}) – silloin sopii."
                )
            else:
                out.append(
                    f"{_name(cid, lang)} is limited: the task needs {need}; the person "
                    f"manages {can}. {adj.name_en} ({who}, {cost}) makes it fit."
                )
    if e.feasible and e.assessed is False and (e.to_assess or e.check_with_employer):
        pass  # the headline already says what to assess or check
    elif e.to_assess:
        out.append(("Arvioitava: " if fi else "To be assessed: ") + _names(e.to_assess, lang))
    strengths = e.unused_strengths
    if strengths:
        out.append(
            f"Vahvuudet jäävät käyttämättä: {_names(strengths, lang)}." if fi
            else f"Strengths left unused: {_names(strengths, lang)}."
        )  # fmt: skip
    matches = []
    if e.interest_sector:
        sector = SECTORS.get(SECTORS.ids[tasks.sector[j]])
        matches.append(f"ala {sector.fi}" if fi else f"sector {sector.en}")
    if e.interest_kind:
        kind = TASK_KINDS.get(TASK_KINDS.ids[tasks.kind[j]])
        matches.append(f"tehtävälaji {kind.fi}" if fi else f"kind of task {kind.en}")
    if matches:
        out.append(
            ("Vastaa kiinnostuksia: " if fi else "Matches interests: ") + ", ".join(matches) + "."
        )
    if e.matched_skills:
        out.append(("Taidot: " if fi else "Has the skills: ") + ", ".join(e.matched_skills) + ".")
    if e.required_licences and "licences" not in e.failures:
        names = ", ".join(LICENCES.get(x).fi if fi else LICENCES.get(x).en
                          for x in e.required_licences)  # fmt: skip
        out.append(f"Vaaditut luvat kunnossa: {names}." if fi else f"Holds the licences: {names}.")
    return out


SHOWN = 4
"""At most this many characteristics are named in one sentence; the rest are counted."""


def _names(cids: list[str], lang: str) -> str:
    shown = ", ".join(_name(c, lang) for c in cids[:SHOWN])
    more = len(cids) - SHOWN
    if more > 0:
        shown += f" ja {more} muuta" if lang == "fi" else f" and {more} more"
    return shown


def _short(cid: str, value: float, lang: str) -> str:
    """A level's words without the explanation in brackets: "harvoin", not "harvoin (alle…)"."""
    return _level_text(cid, value, lang).split(" (")[0]


def _headline(e: Explanation, lang: str) -> str:
    """What kind of suggestion this is, first: a fit, a fit with conditions, or something to
    check or assess before it can be proposed — never "fits" for what is not known."""
    fi = lang == "fi"
    if e.limits_unchecked:
        names = ", ".join(
            f"{_name(c, lang)} '{_short(c, _capacity_of(e, c), lang)}'" for c in e.limits_unchecked
        )
        return (
            f"Tarkistettava ennen ehdotusta – lääkärin rajoitus: {names}. Tehtävän vaatimusta "
            "ei ole arvioitu: kysy työnantajalta." if fi else
            f"Check before proposing – a physician's restriction: {names}. The task's demand "
            "is not rated: ask the employer."
        )  # fmt: skip
    if not e.assessed:
        if e.to_assess:
            return (
                f"Mahdollinen – arvioitava ensin: {_names(e.to_assess, lang)} (tehtävä vaatii "
                "niitä)." if fi else
                f"Possible – assess first: {_names(e.to_assess, lang)} (the task demands them)."
            )  # fmt: skip
        if e.check_with_employer:
            return (
                f"Mahdollinen – tarkista työnantajalta: {_names(e.check_with_employer, lang)} "
                "(tehtävä ei kerro vaatimusta, henkilöllä on rajoitus)." if fi else
                f"Possible – check with the employer: {_names(e.check_with_employer, lang)} "
                "(the task does not rate it; the person is limited there)."
            )  # fmt: skip
        return (
            f"Mahdollinen – toimintakyky arvioimatta ({e.unrated_elsewhere} kohtaa)." if fi
            else f"Possible – work ability not assessed ({e.unrated_elsewhere} items)."
        )  # fmt: skip
    n_adj = len(e.adjustments)
    if fi:
        return "Sopii." if n_adj == 0 else f"Sopii mukautuksin ({n_adj})."
    return "Fits." if n_adj == 0 else f"Fits with {n_adj} adjustment{'s' * (n_adj > 1)}."


def _capacity_of(e: Explanation, cid: str) -> float:
    row = e.comparison[CHARACTERISTIC_IDS.index(cid)] if e.comparison else None
    return row.capacity if row is not None and row.capacity is not None else 0.0


def _limit_sentences(e: Explanation, lang: str) -> list[str]:
    """Each physician's restriction and recommendation in the person's own terms: met through
    an adjustment (a condition from the first day), holding as the work is, or — for a
    recommendation — exceeded within what the rule set tolerates."""
    fi = lang == "fi"
    out = []
    for note in e.limits:
        name, limit = _name(note.id, lang), _short(note.id, note.limit, lang)
        demand, after = _short(note.id, note.demand, lang), _short(note.id, note.demand_after, lang)
        adj = ", ".join((ADJUSTMENTS[a].name_fi if fi else ADJUSTMENTS[a].name_en) for a in note.by)
        if note.kind == "restriction" and note.by and note.holds:
            out.append(
                f"Lääkärin rajoitus täyttyy vain mukautuksella {adj}: oltava käytössä "
                f"ensimmäisestä päivästä. {name}: raja '{limit}' – tehtävässä '{demand}', "
                f"mukautuksella '{after}'." if fi else
                f"The physician's restriction is met only with {adj}: it must be in place from "
                f"the first day. {name}: limit '{limit}' – the task needs '{demand}', with the "
                f"adjustment '{after}'."
            )  # fmt: skip
        elif note.kind == "restriction" and note.holds:
            out.append(
                f"{name}: lääkärin rajoitus '{limit}' – tehtävässä '{demand}'." if fi
                else f"{name}: physician's restriction '{limit}' – the task needs '{demand}'."
            )  # fmt: skip
        elif note.kind == "recommendation" and note.by and note.holds:
            out.append(
                f"{name}: lääkärin suositus '{limit}' – tehtävässä '{demand}', mukautuksella "
                f"{adj} '{after}'." if fi else
                f"{name}: physician's recommendation '{limit}' – the task needs '{demand}', "
                f"with {adj} '{after}'."
            )  # fmt: skip
        elif note.kind == "recommendation" and note.holds:
            out.append(
                f"{name}: lääkärin suositus '{limit}' – tehtävässä '{demand}'." if fi
                else f"{name}: physician's recommendation '{limit}' – the task needs '{demand}'."
            )  # fmt: skip
        elif note.kind == "recommendation" and e.feasible:
            out.append(
                f"{name}: tehtävä ylittää lääkärin suosituksen '{limit}' ('{after}'); "
                "sääntökokonaisuus sallii tämän – keskustele lääkärin suosituksesta." if fi
                else f"{name}: the work exceeds the physician's recommendation '{limit}' "
                f"('{after}'); the rule set tolerates it – discuss the recommendation."
            )  # fmt: skip
    return out


def _typical_sentences(e: Explanation, lang: str) -> list[str]:
    """What rests on the kind's typical demands rather than the workshop's ratings: the
    unchecked restrictions (with what the kind usually demands), and the typical demands the
    person is at the edge of — the ones to confirm with the employer."""
    fi = lang == "fi"
    out = []
    rows = [e.comparison[CHARACTERISTIC_IDS.index(c)] for c in e.limits_unchecked]
    usual = [
        f"{_name(row.id, lang)} '{_short(row.id, row.demand, lang)}'"
        for row in rows if row.typical and row.demand is not None
    ]  # fmt: skip
    if usual:
        out.append(
            f"Tehtävätyypissä tavallisesti: {', '.join(usual)} (ei arvioitu tälle tehtävälle)."
            if fi else
            f"Usual for this kind of task: {', '.join(usual)} (not rated for this task)."
        )  # fmt: skip
    edge = e.typical_to_confirm
    if edge:
        out.append(
            f"Arvio tehtävätyypin perusteella, varmista työnantajalta: {_names(edge, lang)}."
            if fi else
            f"Estimated from the kind of task, confirm with the employer: {_names(edge, lang)}."
        )  # fmt: skip
    return out


def _failure_sentences(
    e: Explanation,
    people: PeopleMatrix,
    tasks: TaskMatrix,
    scores: PairScores,
    p: int,
    lang: str,
) -> list[str]:
    fi = lang == "fi"
    i, j = int(scores.person_rows[p]), int(scores.task_rows[p])
    out = []
    for failure in e.failures:
        if failure == "not_matchable":
            out.append(reason_text(str(people.not_matchable_reason[i]), lang))
        elif failure == "not_hand_over":
            out.append("Ydintehtävä: työnantaja ei ole luovuttanut sitä." if fi
                       else "A core task: the employer has not handed it over.")  # fmt: skip
        elif failure in ("hard_limit", "over_demand"):
            for row in e.comparison:
                if row.status not in ("hard_limit", "over") or row.capacity is None:
                    continue
                if (failure == "hard_limit") != row.hard_limit:
                    continue
                need = _level_text(row.id, row.demand or 0, lang)
                can = _level_text(row.id, row.capacity, lang)
                if row.hard_limit:
                    out.append(
                        f"Lääkärin rajoitus, {_name(row.id, lang)}: tehtävässä {need}, raja {can}; "
                        "työnantajan hyväksymät, työtä muuttavat mukautukset eivät riitä." if fi
                        else f"Physician's restriction ({_name(row.id, lang)}): the task needs "
                        f"{need}, the limit is {can}; the adjustments the employer accepts that "
                        "change the work do not bring it within."
                    )  # fmt: skip
                else:
                    out.append(
                        f"{_name(row.id, lang)}: tehtävässä {need}, henkilölle sopii {can}; "
                        "työnantajan hyväksymät mukautukset eivät riitä." if fi else
                        f"{_name(row.id, lang)} is limited: the task needs {need}; the person "
                        f"manages {can}; the adjustments the employer accepts do not close it."
                    )  # fmt: skip
            if failure == "hard_limit":
                for k, cid in enumerate(KG_IDS):
                    if scores.kg_over[p, k] and people.hard[i, CHARACTERISTIC_IDS.index(cid)]:
                        out.append(_kg_sentence(cid, tasks.demand_kg[j, k],
                                                people.capacity_kg[i, k], lang))  # fmt: skip
        elif failure == "kilograms":
            for k, cid in enumerate(KG_IDS):
                if scores.kg_over[p, k]:
                    out.append(_kg_sentence(cid, tasks.demand_kg[j, k], people.capacity_kg[i, k],
                                            lang))  # fmt: skip
        elif failure == "licences":
            missing = [LICENCES.get(x) for x in e.required_licences
                       if not (int(people.licences[i]) >> LICENCES.index(x)) & 1]  # fmt: skip
            names = ", ".join(m.fi if fi else m.en for m in missing)
            out.append(f"Vaatii: {names}." if fi else f"Requires: {names}.")
        elif failure == "distance":
            out.append(f"Matka {_km(e.distance_km, lang)} km on liian pitkä." if fi
                       else f"{_km(e.distance_km, lang)} km away is too far.")  # fmt: skip
        elif failure == "schedule":
            slots = ", ".join(_slot(s, lang) for s in e.missing_slots)
            out.append(f"Henkilö ei ole käytettävissä: {slots}." if fi
                       else f"The person is not free for: {slots}.")  # fmt: skip
        elif failure == "hours":
            hi = e.person_hours[1]
            out.append(
                f"{_hours(e.task_hours, lang)} h viikossa; henkilö tekee enintään "
                f"{_hours(hi, lang)} h." if fi else
                f"{_hours(e.task_hours, lang)} h a week; the person works at most "
                f"{_hours(hi, lang)} h."
            )  # fmt: skip
        elif failure == "unknown":
            names = _names(e.to_assess + e.check_with_employer + e.limits_unchecked, lang)
            out.append(f"Arvioitava ensin: {names}." if fi else f"To be assessed first: {names}.")
        elif failure == "limit_unchecked":
            names = _names(e.limits_unchecked, lang)
            out.append(
                f"Lääkärin rajoitus ({names}): tehtävän vaatimusta ei ole arvioitu." if fi
                else f"Physician's restriction ({names}): the task's demand is not rated."
            )  # fmt: skip
    return out


def _kg_sentence(cid: str, demand: float, capacity: float, lang: str) -> str:
    if lang == "fi":
        return (f"{_name(cid, lang)}: kuormat {number(demand, lang)} kg, henkilölle sopii "
                f"{number(capacity, lang)} kg.")  # fmt: skip
    return (f"{_name(cid, lang)}: loads of {number(demand, lang)} kg; the person manages "
            f"{number(capacity, lang)} kg.")  # fmt: skip


_COST_SHORT = {
    "none": ("ei kustannuksia", "no cost"),
    "low": ("pieni kustannus", "low cost"),
    "medium": ("kohtalainen kustannus", "medium cost"),
    "high": ("suuri kustannus", "high cost"),
}


def employer_summary(e: Explanation) -> dict[str, Any]:
    """What employer-facing staff may know of a fit: whether it fits, in words, and the
    adjustments to arrange — never capacities, physician's limits, distance or hours wanted."""
    n_adj = len(e.adjustments)
    hours_fi, hours_en = _hours(e.task_hours, "fi"), _hours(e.task_hours, "en")
    if e.feasible and e.limits_unchecked:
        # Employer-facing staff learn that something is to be checked, never the limit itself.
        fi = f"Tarkistettava ennen ehdotusta (koordinaattori varmistaa), {hours_fi} h viikossa."
        en = f"To be checked before proposing (the coordinator confirms), {hours_en} h a week."
    elif e.feasible and not e.assessed:
        fi = f"Mahdollinen – arviointi kesken, {hours_fi} h viikossa."
        en = f"Possible – assessment not complete, {hours_en} h a week."
    elif e.feasible:
        head_fi = "Sopii" if n_adj == 0 else f"Sopii mukautuksin ({n_adj})"
        fi = f"{head_fi}, {hours_fi} h viikossa."
        en = (
            "Fits" if n_adj == 0 else f"Fits with {n_adj} adjustment{'s' * (n_adj > 1)}"
        ) + f", {hours_en} h a week."
    else:
        fi, en = "Ei sovi.", "Does not fit."
    conditions = {a for n in e.limits for a in n.by}
    return {
        "task_id": e.task_id,
        "feasible": e.feasible,
        "fit": {"fi": fi, "en": en},
        "adjustments": [
            {
                "id": a.id,
                "name_fi": a.name_fi,
                "name_en": a.name_en,
                "provider": a.provider,
                "cost_class": a.cost_class,
                "subsidy_available": a.subsidy_available,
                "condition": a.id in conditions,
            }
            for a in e.adjustments
        ],
    }
