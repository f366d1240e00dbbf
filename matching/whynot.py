"""Why not: every failing constraint of an excluded pair and the smallest change that fixes it.

A *minimal relaxation* in the sense of constraint-based recommenders (QuickXPlain): a set of
changes that makes the pair feasible, none of which can be left out. Here the constraints are
independent — each failing one blocks the pair on its own — so the minimal set is one change
per failing constraint, and each change is the least one:

* over-demand and a physician's restriction → the cheapest set of adjustments that closes
  them together, preferring those the employer already accepts (only the ones not yet
  accepted are asked for) and only ones that can apply to the task (its kind, its shifts): a
  restriction counts only adjustments that change the work itself, and no tolerance. Where no
  applicable adjustment lowers a demand enough, the task is redesigned to demand no more than
  the person manages — and the relaxation says so;
* too heavy loads → an aid that limits the load (for a restriction, one that changes the
  work), or lighter loads;
* licences → the person obtains them; hours → fewer hours; schedule → the missing slots moved
  to slots the person is free for; distance → a place of work within the maximum;
* a core task → the employer hands it over; no consent → consent recorded (a person is never
  matched without it); unknown ratings under the excluding policy → assessed.

:func:`apply_relaxations` applies the changes to the wide frames, so a test (or a "what if"
view) can rescore the pair and see it fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, CHARACTERISTICS, LICENCES
from features.catalogue.schedule import SLOT_IDS, slot_label
from features.i18n import N_, in_every_language
from features.numbers import number
from features.pipeline.encoders import (
    EXPOSURE,
    adjustment_applicability,
    adjustment_lowering_table,
)
from features.pipeline.frames import KG_IDS
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.explain import Explanation, explain
from matching.rules import RuleSet
from matching.scoring import (
    FAILURES,
    KG_COLUMNS,
    adjustment_cost_vector,
    cheapest_adjustments,
    score_pairs,
    tolerance_for,
)

__all__ = ["Relaxation", "WhyNot", "apply_relaxations", "why_not"]

_ADJ = list(ADJUSTMENTS.values())
_LOWERING = adjustment_lowering_table()
_ADJ_MAX_KG = np.array([a.max_kilograms_after or np.inf for a in _ADJ], dtype=np.float64)
_MAX_CANDIDATES = 14
DEMAND_FAILURES = ("hard_limit", "over_demand", "kilograms")
_ALREADY_ACCEPTED_COST = 1e-6  # keeps the set minimal: no accepted adjustment rides along free


@dataclass(frozen=True)
class Relaxation:
    constraint: str
    """The failing constraint (one of ``matching.scoring.FAILURES``)."""
    change: str
    """accept_adjustments | redesign_task | lighter_loads | obtain_licences | fewer_hours |
    move_slots | extend_availability | closer_workplace | hand_over | record_consent | assess |
    rate_demand"""
    who: str
    """employer | person | coordinator"""
    details: dict[str, Any]
    """JSON-ready data of the change (ids, levels, kilograms, slots)."""
    text: dict[str, str]


@dataclass
class WhyNot:
    person_id: int
    task_id: int
    feasible: bool
    failures: list[str]
    relaxations: list[Relaxation]
    explanation: Explanation
    notes: list[str] = field(default_factory=list)


def _name(cid: str, lang: str) -> str:
    return CHARACTERISTICS[cid].name(lang)


def _names(cids: list[str], lang: str) -> str:
    return ", ".join(_name(c, lang) for c in cids)


def _slots(slots: list[str], lang: str) -> str:
    return ", ".join(slot_label(s, lang) for s in slots)


def _adjustments(adjustments: list[str], lang: str) -> str:
    return ", ".join(ADJUSTMENTS[a].name(lang) for a in adjustments)


def why_not(
    people: PeopleMatrix, tasks: TaskMatrix, person_id: int, task_id: int, rules: RuleSet
) -> WhyNot:
    """Every failing constraint of the pair and a minimal relaxation that would make it fit."""
    i, j = people.row_of[person_id], tasks.row_of[task_id]
    scores = score_pairs(people, np.array([i]), tasks, np.array([j]), rules)
    explanation = explain(people, tasks, scores, 0)
    failures = [FAILURES[f] for f in np.flatnonzero(scores.failures[0])]
    relaxations: list[Relaxation] = []
    for failure in failures:
        if failure not in DEMAND_FAILURES:
            relaxations.extend(_relax(failure, people, i, tasks, j, rules, scores))
    demands = [f for f in failures if f in DEMAND_FAILURES]
    moved = any(r.change == "move_slots" for r in relaxations)
    if demands or moved:  # closed together: one set of adjustments may serve several
        # on the shifts the task will have once its slots are moved: day shifts only, say,
        # needs a day shift to keep — a move to a night slot can open a demand it closed.
        schedule = _schedule_after(int(tasks.schedule[j]), relaxations)
        closing, by_move, enabled = _close_demands(people, i, tasks, j, rules, demands, schedule)
        relaxations[:0] = closing
        if by_move and demands:
            _enables(relaxations, by_move, enabled)
    return WhyNot(int(people.ids[i]), int(tasks.ids[j]), bool(scores.feasible[0]), failures,
                  relaxations, explanation)  # fmt: skip


def _relax(
    failure: str,
    people: PeopleMatrix,
    i: int,
    tasks: TaskMatrix,
    j: int,
    rules: RuleSet,
    scores: object,
) -> list[Relaxation]:
    if failure == "not_matchable":
        reason = str(people.not_matchable_reason[i])
        return [Relaxation(failure, "record_consent", "coordinator", {"reason": reason},
                           in_every_language(N_(
            "The person's consent to matching is recorded and the client is active "
            "(nobody is matched without consent)."
        )))]  # fmt: skip
    if failure == "not_hand_over":
        return [
            Relaxation(
                failure,
                "hand_over",
                "employer",
                {},
                in_every_language(N_("The employer hands the task over.")),
            )
        ]
    if failure == "licences":
        lacking = int(tasks.licences[j]) & ~int(people.licences[i])
        missing = [x for b, x in enumerate(LICENCES.ids) if (lacking >> b) & 1]
        return [Relaxation(failure, "obtain_licences", "person", {"licences": missing},
                           in_every_language(N_("The person obtains: %(names)s."), lambda lang: {
            "names": ", ".join(LICENCES.get(x).name(lang) for x in missing)
        }))]  # fmt: skip
    if failure == "hours":
        limit = float(people.hours_max[i]) + rules.hard.max_hours_over
        now = float(tasks.hours[j])
        return [Relaxation(failure, "fewer_hours", "employer", {"to": limit}, in_every_language(
            N_("The task cut to at most %(limit)s hours a week (now %(now)s h)."),
            lambda lang: {"limit": number(limit, lang, 2), "now": number(now, lang, 2)},
        ))]  # fmt: skip
    if failure == "schedule":
        wanted, free = int(tasks.schedule[j]), int(people.schedule[i])
        missing = [s for b, s in enumerate(SLOT_IDS) if (wanted >> b) & 1 and not (free >> b) & 1]
        options = [s for b, s in enumerate(SLOT_IDS) if (free >> b) & 1 and not (wanted >> b) & 1]
        # The same time of day on another day first: the least change to the work.
        parts = {s.split("-")[1] for s in missing}
        options.sort(key=lambda s: s.split("-")[1] not in parts)
        needed = math.ceil(len(missing) - (1 - rules.hard.min_schedule_overlap)
                           * bin(wanted).count("1") - 1e-9)  # fmt: skip
        moved = missing[: max(needed, 0)]
        if len(options) < len(moved):
            return [
                Relaxation(
                    failure,
                    "extend_availability",
                    "person",
                    {"slots": moved},
                    in_every_language(
                        N_("The person is also free for: %(slots)s."),
                        lambda lang: {"slots": _slots(moved, lang)},
                    ),
                )
            ]
        return [Relaxation(failure, "move_slots", "employer",
                           {"from": moved, "to_any_of": options}, in_every_language(
            N_("Slots %(moved)s moved to times the person is free: %(options)s."),
            lambda lang: {"moved": _slots(moved, lang), "options": _slots(options, lang)},
        ))]  # fmt: skip
    if failure == "distance":
        km = float(scores.km[0])  # type: ignore[attr-defined]
        limit = rules.hard.max_distance_km
        return [Relaxation(failure, "closer_workplace", "employer", {"km": km, "max_km": limit},
                           in_every_language(
            N_("A place of work within %(limit)s km (now %(km)s km)."),
            lambda lang: {"limit": number(limit, lang), "km": number(km, lang)},
        ))]  # fmt: skip
    if failure == "limit_unchecked":
        unchecked = [CHARACTERISTIC_IDS[c] for c in np.flatnonzero(scores.unchecked[0])]  # type: ignore[attr-defined]
        return [Relaxation(failure, "rate_demand", "employer", {"characteristics": unchecked},
                           in_every_language(
            N_("The employer rates the task's demand: %(names)s (a physician's restriction)."),
            lambda lang: {"names": _names(unchecked, lang)},
        ))]  # fmt: skip
    if failure == "unknown":
        unknown = [CHARACTERISTIC_IDS[c] for c in np.flatnonzero(scores.unknown[0])]  # type: ignore[attr-defined]
        return [
            Relaxation(
                failure,
                "assess",
                "coordinator",
                {"characteristics": unknown},
                in_every_language(
                    N_("Assess: %(names)s."), lambda lang: {"names": _names(unknown, lang)}
                ),
            )
        ]
    return []


def _redesign(constraint: str, cid: str, to: int, *, physician: bool = False) -> Relaxation:
    message = (
        N_("The task redesigned: %(name)s at most %(level)s (a physician's restriction: no "
           "adjustment that applies to this task is enough).")
        if physician else
        N_("The task redesigned: %(name)s at most %(level)s (no adjustment that applies to this "
           "task is enough).")
    )  # fmt: skip
    level = CHARACTERISTICS[cid].levels[to]
    return Relaxation(constraint, "redesign_task", "employer", {"characteristic": cid, "to": to},
                      in_every_language(message, lambda lang: {
        "name": _name(cid, lang), "level": level.text(lang),
    }))  # fmt: skip


def _lighter(constraint: str, cid: str, kg: float) -> Relaxation:
    return Relaxation(constraint, "lighter_loads", "employer", {"characteristic": cid, "to": kg},
                      in_every_language(N_("Lighter loads: %(name)s at most %(kg)s kg."),
                                        lambda lang: {"name": _name(cid, lang),
                                                      "kg": number(kg, lang)}))  # fmt: skip


def _schedule_after(bits: int, relaxations: list[Relaxation]) -> int:
    """The task's slot bit set once a ``move_slots`` relaxation is made (as
    :func:`apply_relaxations` makes it)."""
    for r in relaxations:
        if r.change == "move_slots":
            slots = [
                s for b, s in enumerate(SLOT_IDS) if bits >> b & 1 and s not in r.details["from"]
            ]
            spare = [s for s in r.details["to_any_of"] if s not in slots]
            slots += spare[: len(r.details["from"])]
            bits = sum(1 << SLOT_IDS.index(s) for s in slots)
    return bits


def _close_demands(
    people: PeopleMatrix,
    i: int,
    tasks: TaskMatrix,
    j: int,
    rules: RuleSet,
    failures: list[str],
    schedule: int,
) -> tuple[list[Relaxation], list[str], list[str]]:
    """Over-demand, a physician's restriction and heavy loads, closed together by the cheapest
    set of applicable adjustments (the employer's accepted ones cost nothing extra); a redesign
    or lighter loads where no applicable adjustment can. Also returns the failures that the
    task's moved slots close by themselves — an adjustment the employer already accepts that
    applies only once they are moved (day shifts only, say) — and those adjustments."""
    cap, dem, hard = people.capacity[i], tasks.demand[j], people.hard[i]
    dem = np.where(hard & tasks.typical[j], np.nan, dem)  # as the scorer: set aside, unchecked
    tol = tolerance_for(rules, people.recommended[i])
    known = ~np.isnan(cap) & ~np.isnan(dem)
    over = np.where(known, np.maximum(np.nan_to_num(dem) - np.nan_to_num(cap), 0), 0)
    need = np.where(hard, over, np.maximum(over - tol, 0)).astype(np.int8)
    applicable = adjustment_applicability(tasks.kind[j : j + 1], np.array([schedule]))[0]
    # What the applicable adjustments can do at best, per column (a restriction: only those
    # that change the work).
    best = np.where(
        hard,
        (_LOWERING * (applicable & EXPOSURE)[:, None]).max(axis=0),
        (_LOWERING * applicable[:, None]).max(axis=0),
    )
    out: list[Relaxation] = []
    for c in np.flatnonzero(need > best):
        cid = CHARACTERISTIC_IDS[c]
        to = int(cap[c]) if hard[c] else int(cap[c] + tol[c])
        out.append(_redesign("hard_limit" if hard[c] else "over_demand", cid, to,
                             physician=bool(hard[c])))  # fmt: skip
        need[c] = 0
    cap_kg = people.capacity_kg[i].astype(np.float64)
    dem_kg = tasks.demand_kg[j].astype(np.float64)
    kg_need = ~np.isnan(cap_kg) & ~np.isnan(dem_kg) & (dem_kg > cap_kg)
    if not rules.hard.respect_kilograms:
        kg_need[:] = False
    kg_hard = hard[KG_COLUMNS]
    for k in np.flatnonzero(kg_need):
        aids = applicable & (_LOWERING[:, KG_COLUMNS[k]] > 0) & (cap_kg[k] >= _ADJ_MAX_KG)
        if kg_hard[k]:
            aids &= EXPOSURE
        if not aids.any():
            out.append(_lighter("hard_limit" if kg_hard[k] else "kilograms", KG_IDS[k],
                                float(cap_kg[k])))  # fmt: skip
            kg_need[k] = False
    if not need.any() and not kg_need.any():
        return out, [], []
    usable = tasks.accepted[j] & applicable
    costs = adjustment_cost_vector(rules).copy()
    costs[usable] = _ALREADY_ACCEPTED_COST
    helping = np.flatnonzero(
        applicable
        & ((_LOWERING[:, need > 0] > 0).any(axis=1)
           | (_LOWERING[:, KG_COLUMNS[kg_need]] > 0).any(axis=1))
    )  # fmt: skip
    # Accepted and cheap ones first; 2^14 subsets at most.
    cheapest = sorted(helping, key=lambda a: (costs[a], a))[:_MAX_CANDIDATES]
    candidates = np.array(sorted(cheapest), dtype=np.int16)[None, :]
    chosen, found = cheapest_adjustments(
        need[None, :], kg_need[None, :], cap_kg[None, :], candidates, costs, hard[None, :]
    )
    if not found[0]:
        # Each demand can be lowered enough, but no one set of the cheapest candidates lowers
        # them all: what the employer's accepted adjustments close stays closed (more
        # adjustments never lower less), and only the rest is redesigned or lightened.
        by_accepted = np.where(
            hard,
            (_LOWERING * (usable & EXPOSURE)[:, None]).max(axis=0),
            (_LOWERING * usable[:, None]).max(axis=0),
        )
        for c in np.flatnonzero(need > by_accepted):
            cid = CHARACTERISTIC_IDS[c]
            to = int(cap[c]) if hard[c] else int(cap[c] + tol[c])
            out.append(_redesign("hard_limit" if hard[c] else "over_demand", cid, to,
                                 physician=bool(hard[c])))  # fmt: skip
        for k in np.flatnonzero(kg_need):
            aids = usable & (_LOWERING[:, KG_COLUMNS[k]] > 0) & (cap_kg[k] >= _ADJ_MAX_KG)
            if not (aids & EXPOSURE if kg_hard[k] else aids).any():
                out.append(_lighter("hard_limit" if kg_hard[k] else "kilograms", KG_IDS[k],
                                    float(cap_kg[k])))  # fmt: skip
        return out, [], []
    picked = [_ADJ[a].id for a in np.flatnonzero(chosen[0])]
    new = [a for a in picked if not usable[list(ADJUSTMENTS).index(a)]]
    closes = sorted(
        {"hard_limit" for c in np.flatnonzero(need) if hard[c]}
        | {"over_demand" for c in np.flatnonzero(need) if not hard[c]}
        | {"hard_limit" if kg_hard[k] else "kilograms" for k in np.flatnonzero(kg_need)}
    )
    addressed = [f for f in failures if f in closes] or closes
    if new:
        out.append(_accept(addressed[0], picked, new, addressed))
        return out, [], []
    # Every adjustment needed is accepted already: only the moved slots made them apply.
    return out, addressed, picked


def _enables(relaxations: list[Relaxation], failures: list[str], adjustments: list[str]) -> None:
    """The slot move also closes ``failures``: an accepted adjustment applies once it is made.
    Said on the move itself, so that no failure is left without its change."""
    then = in_every_language(
        N_("Then an adjustment the employer already accepts applies: %(names)s."),
        lambda lang: {"names": _adjustments(adjustments, lang)},
    )
    for k, r in enumerate(relaxations):
        if r.change == "move_slots":
            relaxations[k] = replace(
                r,
                details={**r.details, "constraints": [r.constraint, *failures],
                         "enables": adjustments},
                text={lang: f"{r.text[lang]} {then[lang]}" for lang in r.text},
            )  # fmt: skip


def _accept(
    constraint: str, picked: list[str], new: list[str], constraints: list[str]
) -> Relaxation:
    return Relaxation(
        constraint,
        "accept_adjustments",
        "employer",
        {"adjustments": picked, "new": new, "constraints": constraints},
        in_every_language(
            N_("The employer accepts: %(names)s."), lambda lang: {"names": _adjustments(new, lang)}
        ),
    )


def apply_relaxations(
    people_frame: pd.DataFrame,
    task_frame: pd.DataFrame,
    person_id: int,
    task_id: int,
    relaxations: list[Relaxation],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of the frames with the relaxations made, for rescoring ("what if")."""
    people_frame, task_frame = people_frame.copy(), task_frame.copy()
    p = people_frame.index[people_frame["id"] == person_id][0]
    t = task_frame.index[task_frame["id"] == task_id][0]
    for r in relaxations:
        d = r.details
        if r.change == "record_consent":
            people_frame.at[p, "consent_given_at"] = pd.Timestamp("2026-01-01", tz="UTC")
            people_frame.at[p, "consent_withdrawn_at"] = None
            people_frame.at[p, "consent_scope"] = ["matching"]
            people_frame.at[p, "status"] = "active"
        elif r.change == "hand_over":
            task_frame.at[t, "task_type"] = "hand_over"
        elif r.change == "redesign_task":
            current = float(task_frame.at[t, f"dem:{d['characteristic']}"])
            # Unrated (a typical demand stood in): the redesigned task is rated at the level.
            to = float(d["to"]) if math.isnan(current) else min(current, float(d["to"]))
            task_frame.at[t, f"dem:{d['characteristic']}"] = to
        elif r.change == "rate_demand":  # what if the employer rates it within the limit
            for cid in d["characteristics"]:
                level = people_frame.at[p, f"cap:{cid}"]
                task_frame.at[t, f"dem:{cid}"] = float(level)
        elif r.change == "lighter_loads":
            task_frame.at[t, f"demkg:{d['characteristic']}"] = float(d["to"])
        elif r.change == "accept_adjustments":
            merged = sorted(set(task_frame.at[t, "accepted_adjustments"]) | set(d["adjustments"]))
            task_frame.at[t, "accepted_adjustments"] = merged
        elif r.change == "obtain_licences":
            held = set(people_frame.at[p, "licences"]) | set(d["licences"])
            people_frame.at[p, "licences"] = sorted(held)
        elif r.change == "fewer_hours":
            task_frame.at[t, "hours_per_week"] = float(d["to"])
        elif r.change == "move_slots":
            slots = [s for s in task_frame.at[t, "schedule"] if s not in d["from"]]
            spare = [s for s in d["to_any_of"] if s not in slots]
            task_frame.at[t, "schedule"] = slots + spare[: len(d["from"])]
        elif r.change == "extend_availability":
            people_frame.at[p, "schedule"] = sorted(
                set(people_frame.at[p, "schedule"]) | set(d["slots"]), key=SLOT_IDS.index
            )
        elif r.change == "closer_workplace":
            task_frame.at[t, "lat"] = people_frame.at[p, "lat"]
            task_frame.at[t, "lon"] = people_frame.at[p, "lon"]
    return people_frame, task_frame
