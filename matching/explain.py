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

import functools
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
from features.catalogue.schedule import SLOT_IDS, slot_label
from features.i18n import LANGUAGES, N_, gettext_for, ngettext_for
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
    "explain",
    "explain_all",
]

_ADJ = list(ADJUSTMENTS.values())
_LOWERING = adjustment_lowering_table()


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
    """Demand once the chosen adjustments are in place (a physician's limit too: an adjustment
    that changes the work lowers it)."""
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
    beyond: bool = False
    """A recommendation the work exceeds by more than the rule set tolerates, however
    adjusted: the pair is suggested only after every full fit, with this named."""


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
    return CHARACTERISTICS[cid].levels[int(value)].text(lang)


def _name(cid: str, lang: str) -> str:
    return CHARACTERISTICS[cid].name(lang)


def _adjustment_name(adjustment_id: str, lang: str) -> str:
    return ADJUSTMENTS[adjustment_id].name(lang)


def _km(value: float, lang: str) -> str:
    return number(value, lang)


def _hours(value: float, lang: str) -> str:
    return number(value, lang, 2)


_SOFT_SKILLS = np.array(
    [CHARACTERISTICS[cid].group.value in ("cognition", "communication_social")
     for cid in CHARACTERISTIC_IDS]
)  # fmt: skip
_STATUSES = (
    "to_assess", "not_needed", "adjusted", "hard_limit", "tolerated", "over", "under", "fits",
)  # fmt: skip
_CHARACTERISTIC_LIST = [CHARACTERISTICS[cid] for cid in CHARACTERISTIC_IDS]
_GROUP_IDS = [ch.group.value for ch in _CHARACTERISTIC_LIST]


@functools.cache
def _characteristic_names(lang: str) -> tuple[str, ...]:
    """The characteristics' names in ``lang``, in matrix order: looked up once, not for every
    row of every explanation (the catalogues do not change while the process runs)."""
    return tuple(ch.name(lang) for ch in _CHARACTERISTIC_LIST)


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
        CharacteristicComparison(cid, fi, en, group, c, d, a, h, s, t)
        for cid, fi, en, group, c, d, a, h, s, t in zip(
            CHARACTERISTIC_IDS, _characteristic_names("fi"), _characteristic_names("en"),
            _GROUP_IDS, st.cap[k], dems, st.after[k], st.hard[k], status, st.typical[k],
            strict=True,
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
        limits=_limits(
            comparison,
            chosen,
            people.recommended[i].tolist(),
            scores.beyond_recommendation[p].tolist(),
        ),
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
        lang: _sentences(explanation, people, tasks, scores, p, lang) for lang in LANGUAGES
    }
    return explanation


def _limits(
    comparison: list[CharacteristicComparison],
    chosen: np.ndarray,
    recommended: list[bool],
    beyond: list[bool],
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
                               after <= row.capacity, beyond[c]))  # fmt: skip
    return notes


def _sentences(
    e: Explanation,
    people: PeopleMatrix,
    tasks: TaskMatrix,
    scores: PairScores,
    p: int,
    lang: str,
) -> list[str]:
    _ = gettext_for(lang)
    i, j = int(scores.person_rows[p]), int(scores.task_rows[p])
    out: list[str] = []
    lo, hi = e.person_hours
    if e.feasible:
        out.append(_headline(e, lang))
        out.extend(_limit_sentences(e, lang))
        out.extend(_typical_sentences(e, lang))
        where = {"km": _km(e.distance_km, lang), "hours": _hours(e.task_hours, lang),
                 "low": _hours(lo, lang), "high": _hours(hi, lang)}  # fmt: skip
        out.append(
            _("%(km)s km away, %(hours)s h a week (wants %(low)s–%(high)s h), free for every slot.")
            % where if not e.missing_slots else
            _("%(km)s km away, %(hours)s h a week (wants %(low)s–%(high)s h), not free for every "
              "slot.") % where
        )  # fmt: skip
    else:
        out.append(_("Does not fit:"))
        out.extend(_failure_sentences(e, people, tasks, scores, p, lang))
    restricted = {n.id for n in e.limits}  # said already, in the limit's own sentence
    for note in e.adjustments:
        adj = ADJUSTMENTS[note.id]
        for cid in note.closes:
            if cid in restricted:
                continue
            c = CHARACTERISTIC_IDS.index(cid)
            out.append(
                _("%(name)s is limited: the task needs %(need)s; the person manages %(can)s. "
                  "%(adjustment)s (%(provider)s, %(cost)s) makes it fit.") % {
                    "name": _name(cid, lang),
                    "need": _level_text(cid, tasks.demand[j, c], lang),
                    "can": _level_text(cid, people.capacity[i, c], lang),
                    "adjustment": _adjustment_name(note.id, lang),
                    "provider": _(PROVIDER_NAMES[adj.provider]),
                    "cost": _(_COST_SHORT[adj.cost_class.name.lower()]),
                }
            )  # fmt: skip
    if e.feasible and e.assessed is False and (e.to_assess or e.check_with_employer):
        pass  # the headline already says what to assess or check
    elif e.to_assess:
        out.append(_("To be assessed: %(names)s") % {"names": _names(e.to_assess, lang)})
    strengths = e.unused_strengths
    if strengths:
        out.append(_("Strengths left unused: %(names)s.") % {"names": _names(strengths, lang)})
    matches = []
    if e.interest_sector:
        sector = SECTORS.get(SECTORS.ids[tasks.sector[j]])
        matches.append(_("sector %(name)s") % {"name": sector.name(lang)})
    if e.interest_kind:
        kind = TASK_KINDS.get(TASK_KINDS.ids[tasks.kind[j]])
        matches.append(_("kind of task %(name)s") % {"name": kind.name(lang)})
    if matches:
        out.append(_("Matches interests: %(what)s.") % {"what": ", ".join(matches)})
    if e.matched_skills:
        out.append(_("Has the skills: %(skills)s.") % {"skills": ", ".join(e.matched_skills)})
    if e.required_licences and "licences" not in e.failures:
        names = ", ".join(LICENCES.get(x).name(lang) for x in e.required_licences)
        out.append(_("Holds the licences: %(names)s.") % {"names": names})
    return out


SHOWN = 4
"""At most this many characteristics are named in one sentence; the rest are counted."""


def _names(cids: list[str], lang: str) -> str:
    shown = ", ".join(_name(c, lang) for c in cids[:SHOWN])
    more = len(cids) - SHOWN
    if more > 0:
        ngettext = ngettext_for(lang)
        shown += ngettext(" and %(num)s more", " and %(num)s more", more) % {"num": more}
    return shown


def _short(cid: str, value: float, lang: str) -> str:
    """A level's words without the explanation in brackets: "harvoin", not "harvoin (alle…)"."""
    return _level_text(cid, value, lang).split(" (")[0]


def _headline(e: Explanation, lang: str) -> str:
    """What kind of suggestion this is, first: a fit, a fit with conditions, or something to
    check or assess (or, beyond a physician's recommendation, to discuss) before it can be
    proposed — never "fits" for what is not known."""
    _ = gettext_for(lang)
    if e.limits_unchecked:
        names = ", ".join(
            f"{_name(c, lang)} '{_short(c, _capacity_of(e, c), lang)}'" for c in e.limits_unchecked
        )
        return _(
            "Check before proposing – a physician's restriction: %(names)s. The task's demand "
            "is not rated: ask the employer."
        ) % {"names": names}
    if not e.assessed:
        if e.to_assess:
            return _("Possible – assess first: %(names)s (the task demands them).") % {
                "names": _names(e.to_assess, lang)
            }
        if e.check_with_employer:
            return _(
                "Possible – check with the employer: %(names)s (the task does not rate it; the "
                "person is limited there)."
            ) % {"names": _names(e.check_with_employer, lang)}
        return _("Possible – work ability not assessed (%(n)s items).") % {"n": e.unrated_elsewhere}
    beyond = [note.id for note in e.limits if note.beyond]
    if beyond:
        return _(
            "Possible – the work exceeds the physician's recommendation: %(names)s. Discuss it "
            "with the person before proposing."
        ) % {"names": _names(beyond, lang)}
    n_adj = len(e.adjustments)
    if n_adj == 0:
        return _("Fits.")
    ngettext = ngettext_for(lang)
    return ngettext("Fits with %(n)s adjustment.", "Fits with %(n)s adjustments.", n_adj) % {
        "n": n_adj
    }


def _capacity_of(e: Explanation, cid: str) -> float:
    row = e.comparison[CHARACTERISTIC_IDS.index(cid)] if e.comparison else None
    return row.capacity if row is not None and row.capacity is not None else 0.0


def _limit_sentences(e: Explanation, lang: str) -> list[str]:
    """Each physician's restriction and recommendation in the person's own terms: met through
    an adjustment (a condition from the first day), holding as the work is, or — for a
    recommendation — exceeded within what the rule set tolerates."""
    _ = gettext_for(lang)
    out = []
    # Conditions first (what must be in place from the first day), then restrictions, then
    # recommendations; within each, in the catalogue's order.
    for note in sorted(e.limits, key=lambda n: (not (n.by and n.holds), n.kind != "restriction")):
        words = {
            "name": _name(note.id, lang),
            "limit": _short(note.id, note.limit, lang),
            "demand": _short(note.id, note.demand, lang),
            "after": _short(note.id, note.demand_after, lang),
            "adjustment": ", ".join(_adjustment_name(a, lang) for a in note.by),
        }
        if note.kind == "restriction" and note.by and note.holds:
            out.append(_(
                "The physician's restriction is met only with %(adjustment)s: it must be in place "
                "from the first day. %(name)s: limit '%(limit)s' – the task needs '%(demand)s', "
                "with the adjustment '%(after)s'."
            ) % words)  # fmt: skip
        elif note.kind == "restriction" and note.holds:
            out.append(
                _("%(name)s: physician's restriction '%(limit)s' – the task needs '%(demand)s'.")
                % words
            )
        elif note.kind == "recommendation" and note.by and note.holds:
            out.append(_(
                "%(name)s: physician's recommendation '%(limit)s' – the task needs '%(demand)s', "
                "with %(adjustment)s '%(after)s'."
            ) % words)  # fmt: skip
        elif note.kind == "recommendation" and note.holds:
            out.append(_(
                "%(name)s: physician's recommendation '%(limit)s' – the task needs '%(demand)s'."
            ) % words)  # fmt: skip
        elif note.kind == "recommendation" and note.beyond and e.feasible:
            out.append(_(
                "%(name)s: the work exceeds the physician's recommendation '%(limit)s' – it "
                "needs '%(after)s' even as adjusted. Suggested after every task within the "
                "recommendations."
            ) % words)  # fmt: skip
        elif note.kind == "recommendation" and e.feasible:
            out.append(_(
                "%(name)s: the work exceeds the physician's recommendation '%(limit)s' "
                "('%(after)s'); the rule set tolerates it – discuss the recommendation."
            ) % words)  # fmt: skip
    return out


def _typical_sentences(e: Explanation, lang: str) -> list[str]:
    """What rests on the kind's typical demands rather than the workshop's ratings: the
    unchecked restrictions (with what the kind usually demands), and the typical demands the
    person is at the edge of — the ones to confirm with the employer."""
    _ = gettext_for(lang)
    out = []
    rows = [e.comparison[CHARACTERISTIC_IDS.index(c)] for c in e.limits_unchecked]
    usual = [
        f"{_name(row.id, lang)} '{_short(row.id, row.demand, lang)}'"
        for row in rows if row.typical and row.demand is not None
    ]  # fmt: skip
    if usual:
        out.append(_("Usual for this kind of task: %(demands)s (not rated for this task).")
                   % {"demands": ", ".join(usual)})  # fmt: skip
    edge = e.typical_to_confirm
    if edge:
        out.append(_("Estimated from the kind of task, confirm with the employer: %(names)s.")
                   % {"names": _names(edge, lang)})  # fmt: skip
    return out


def _failure_sentences(
    e: Explanation,
    people: PeopleMatrix,
    tasks: TaskMatrix,
    scores: PairScores,
    p: int,
    lang: str,
) -> list[str]:
    _ = gettext_for(lang)
    i, j = int(scores.person_rows[p]), int(scores.task_rows[p])
    out = []
    for failure in e.failures:
        if failure == "not_matchable":
            out.append(reason_text(str(people.not_matchable_reason[i]), lang))
        elif failure == "not_hand_over":
            out.append(_("A core task: the employer has not handed it over."))
        elif failure in ("hard_limit", "over_demand"):
            for row in e.comparison:
                if row.status not in ("hard_limit", "over") or row.capacity is None:
                    continue
                if (failure == "hard_limit") != row.hard_limit:
                    continue
                words = {
                    "name": _name(row.id, lang),
                    "need": _level_text(row.id, row.demand or 0, lang),
                    "can": _level_text(row.id, row.capacity, lang),
                }
                if row.hard_limit:
                    out.append(_(
                        "Physician's restriction (%(name)s): the task needs %(need)s, the limit is "
                        "%(can)s; the adjustments the employer accepts that change the work do "
                        "not bring it within."
                    ) % words)  # fmt: skip
                else:
                    out.append(_(
                        "%(name)s is limited: the task needs %(need)s; the person manages %(can)s; "
                        "the adjustments the employer accepts do not close it."
                    ) % words)  # fmt: skip
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
            names = ", ".join(m.name(lang) for m in missing)
            out.append(_("Requires: %(names)s.") % {"names": names})
        elif failure == "distance":
            out.append(_("%(km)s km away is too far.") % {"km": _km(e.distance_km, lang)})
        elif failure == "schedule":
            slots = ", ".join(slot_label(s, lang) for s in e.missing_slots)
            out.append(_("The person is not free for: %(slots)s.") % {"slots": slots})
        elif failure == "hours":
            out.append(_("%(hours)s h a week; the person works at most %(most)s h.") % {
                "hours": _hours(e.task_hours, lang), "most": _hours(e.person_hours[1], lang)
            })  # fmt: skip
        elif failure == "unknown":
            names = _names(e.to_assess + e.check_with_employer + e.limits_unchecked, lang)
            out.append(_("To be assessed first: %(names)s.") % {"names": names})
        elif failure == "limit_unchecked":
            out.append(_("Physician's restriction (%(names)s): the task's demand is not rated.")
                       % {"names": _names(e.limits_unchecked, lang)})  # fmt: skip
    return out


def _kg_sentence(cid: str, demand: float, capacity: float, lang: str) -> str:
    _ = gettext_for(lang)
    return _("%(name)s: loads of %(demand)s kg; the person manages %(can)s kg.") % {
        "name": _name(cid, lang), "demand": number(demand, lang), "can": number(capacity, lang)
    }  # fmt: skip


_COST_SHORT = {
    "none": N_("no cost"),
    "low": N_("low cost"),
    "medium": N_("medium cost"),
    "high": N_("high cost"),
}


def employer_summary(e: Explanation) -> dict[str, Any]:
    """What employer-facing staff may know of a fit: whether it fits, in words, and the
    adjustments to arrange — never capacities, physician's limits, distance or hours wanted."""
    conditions = {a for n in e.limits for a in n.by}
    fit = {lang: _employer_fit(e, lang) for lang in LANGUAGES}
    return {
        "task_id": e.task_id,
        "feasible": e.feasible,
        "fit": fit,
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


def _employer_fit(e: Explanation, lang: str) -> str:
    _ = gettext_for(lang)
    hours = {"hours": _hours(e.task_hours, lang)}
    if e.feasible and (e.limits_unchecked or any(n.beyond for n in e.limits)):
        # Employer-facing staff learn that something is to be checked, never the limit itself
        # (nor that a physician's recommendation is exceeded: that is health data too).
        return (
            _("To be checked before proposing (the coordinator confirms), %(hours)s h a week.")
            % hours
        )
    if e.feasible and not e.assessed:
        return _("Possible – assessment not complete, %(hours)s h a week.") % hours
    if e.feasible and not e.adjustments:
        return _("Fits, %(hours)s h a week.") % hours
    if e.feasible:
        n = len(e.adjustments)
        ngettext = ngettext_for(lang)
        return ngettext(
            "Fits with %(n)s adjustment, %(hours)s h a week.",
            "Fits with %(n)s adjustments, %(hours)s h a week.",
            n,
        ) % {"n": n, **hours}
    return _("Does not fit.")
