"""Why not: every failing constraint of an excluded pair and the smallest change that fixes it.

A *minimal relaxation* in the sense of constraint-based recommenders (QuickXPlain): a set of
changes that makes the pair feasible, none of which can be left out. Here the constraints are
independent — each failing one blocks the pair on its own — so the minimal set is one change
per failing constraint, and each change is the least one:

* over-demand → the cheapest set of adjustments that closes it, preferring those the employer
  already accepts (only the ones not yet accepted are asked for); where no adjustment lowers a
  demand enough, the task is redesigned to demand no more than the person manages;
* a physician's hard limit → only a redesign of the task (adjustments may never relax it);
* too heavy loads → an adjustment that limits the load, or lighter loads;
* licences → the person obtains them; hours → fewer hours; schedule → the missing slots moved
  to slots the person is free for; distance → a place of work within the maximum;
* a core task → the employer hands it over; no consent → consent recorded (a person is never
  matched without it); unknown ratings under the excluding policy → assessed.

:func:`apply_relaxations` applies the changes to the wide frames, so a test (or a "what if"
view) can rescore the pair and see it fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, CHARACTERISTICS, LICENCES
from features.catalogue.schedule import SLOT_IDS, slot_label_fi
from features.numbers import number
from features.pipeline.encoders import adjustment_lowering_table
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
    tolerance_vector,
)

__all__ = ["Relaxation", "WhyNot", "apply_relaxations", "why_not"]

_ADJ = list(ADJUSTMENTS.values())
_LOWERING = adjustment_lowering_table()
_ADJ_MAX_KG = np.array([a.max_kilograms_after or np.inf for a in _ADJ], dtype=np.float64)
_MAX_CANDIDATES = 14
_ALREADY_ACCEPTED_COST = 1e-6  # keeps the set minimal: no accepted adjustment rides along free


@dataclass(frozen=True)
class Relaxation:
    constraint: str
    """The failing constraint (one of ``matching.scoring.FAILURES``)."""
    change: str
    """accept_adjustments | redesign_task | lighter_loads | obtain_licences | fewer_hours |
    move_slots | extend_availability | closer_workplace | hand_over | record_consent | assess"""
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


def _name(cid: str, fi: bool) -> str:
    c = CHARACTERISTICS[cid]
    return c.name_fi if fi else c.name_en


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
        relaxations.extend(_relax(failure, people, i, tasks, j, rules, scores))
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
    cap, dem, hard = people.capacity[i], tasks.demand[j], people.hard[i]
    if failure == "not_matchable":
        reason = str(people.not_matchable_reason[i])
        return [Relaxation(failure, "record_consent", "coordinator", {"reason": reason}, {
            "fi": "Henkilön suostumus yhteensovittamiseen ja aktiivinen asiakkuus kirjataan "
                  "(ilman suostumusta ketään ei ehdoteta).",
            "en": "The person's consent to matching is recorded and the client is active "
                  "(nobody is matched without consent).",
        })]  # fmt: skip
    if failure == "not_hand_over":
        return [Relaxation(failure, "hand_over", "employer", {}, {
            "fi": "Työnantaja luovuttaa tehtävän.", "en": "The employer hands the task over.",
        })]  # fmt: skip
    if failure == "hard_limit":
        out = []
        for c in np.flatnonzero(hard & ~np.isnan(cap) & ~np.isnan(dem) & (dem > cap)):
            cid = CHARACTERISTIC_IDS[c]
            out.append(_redesign(failure, cid, int(cap[c]), physician=True))
        for k, cid in enumerate(KG_IDS):
            limited = hard[CHARACTERISTIC_IDS.index(cid)]
            if limited and tasks.demand_kg[j, k] > people.capacity_kg[i, k]:
                out.append(_lighter(failure, cid, float(people.capacity_kg[i, k])))
        return out
    if failure == "over_demand":
        return _close_over_demand(people, i, tasks, j, rules)
    if failure == "kilograms":
        return _close_kilograms(people, i, tasks, j, rules)
    if failure == "licences":
        lacking = int(tasks.licences[j]) & ~int(people.licences[i])
        missing = [x for b, x in enumerate(LICENCES.ids) if (lacking >> b) & 1]
        names_fi = ", ".join(LICENCES.get(x).fi for x in missing)
        names_en = ", ".join(LICENCES.get(x).en for x in missing)
        return [Relaxation(failure, "obtain_licences", "person", {"licences": missing}, {
            "fi": f"Henkilö suorittaa: {names_fi}.", "en": f"The person obtains: {names_en}.",
        })]  # fmt: skip
    if failure == "hours":
        limit = float(people.hours_max[i]) + rules.hard.max_hours_over
        now = float(tasks.hours[j])
        return [Relaxation(failure, "fewer_hours", "employer", {"to": limit}, {
            "fi": f"Tehtävä enintään {number(limit, 'fi', 2)} tuntiin viikossa "
                  f"(nyt {number(now, 'fi', 2)} h).",
            "en": f"The task cut to at most {number(limit, 'en', 2)} hours a week "
                  f"(now {number(now, 'en', 2)} h).",
        })]  # fmt: skip
    if failure == "schedule":
        wanted, free = int(tasks.schedule[j]), int(people.schedule[i])
        missing = [s for b, s in enumerate(SLOT_IDS) if (wanted >> b) & 1 and not (free >> b) & 1]
        options = [s for b, s in enumerate(SLOT_IDS) if (free >> b) & 1 and not (wanted >> b) & 1]
        needed = math.ceil(len(missing) - (1 - rules.hard.min_schedule_overlap)
                           * bin(wanted).count("1") - 1e-9)  # fmt: skip
        moved = missing[: max(needed, 0)]
        if len(options) < len(moved):
            return [Relaxation(failure, "extend_availability", "person", {"slots": moved}, {
                "fi": "Henkilö on käytettävissä myös: "
                      + ", ".join(slot_label_fi(s) for s in moved) + ".",
                "en": "The person is also free for: " + ", ".join(moved) + ".",
            })]  # fmt: skip
        return [Relaxation(failure, "move_slots", "employer",
                           {"from": moved, "to_any_of": options}, {
            "fi": f"Vuorot {', '.join(slot_label_fi(s) for s in moved)} siirretään aikaan, jolloin "
                  f"henkilö on käytettävissä: {', '.join(slot_label_fi(s) for s in options)}.",
            "en": f"Slots {', '.join(moved)} moved to times the person is free: "
                  f"{', '.join(options)}.",
        })]  # fmt: skip
    if failure == "distance":
        km = float(scores.km[0])  # type: ignore[attr-defined]
        limit = rules.hard.max_distance_km
        return [Relaxation(failure, "closer_workplace", "employer", {"km": km, "max_km": limit}, {
            "fi": f"Työpaikka enintään {number(limit, 'fi')} km päähän "
                  f"(nyt {number(km, 'fi')} km).",
            "en": f"A place of work within {number(limit, 'en')} km (now {number(km, 'en')} km).",
        })]  # fmt: skip
    if failure == "unknown":
        unknown = [CHARACTERISTIC_IDS[c] for c in np.flatnonzero(scores.unknown[0])]  # type: ignore[attr-defined]
        return [Relaxation(failure, "assess", "coordinator", {"characteristics": unknown}, {
            "fi": "Arvioidaan: " + ", ".join(_name(c, True) for c in unknown) + ".",
            "en": "Assess: " + ", ".join(_name(c, False) for c in unknown) + ".",
        })]  # fmt: skip
    return []


def _redesign(constraint: str, cid: str, to: int, *, physician: bool = False) -> Relaxation:
    level_fi = CHARACTERISTICS[cid].levels[to].fi
    level_en = CHARACTERISTICS[cid].levels[to].en
    why_fi = " (lääkärin rajoitus: mukautus ei riitä)" if physician else ""
    why_en = " (a physician's restriction: no adjustment may relax it)" if physician else ""
    return Relaxation(constraint, "redesign_task", "employer", {"characteristic": cid, "to": to}, {
        "fi": f"Tehtävä muotoillaan uudelleen: {_name(cid, True)} enintään {level_fi}{why_fi}.",
        "en": f"The task redesigned: {_name(cid, False)} at most {level_en}{why_en}.",
    })  # fmt: skip


def _lighter(constraint: str, cid: str, kg: float) -> Relaxation:
    return Relaxation(constraint, "lighter_loads", "employer", {"characteristic": cid, "to": kg}, {
        "fi": f"Kevyemmät kuormat: {_name(cid, True)} enintään {number(kg, 'fi')} kg.",
        "en": f"Lighter loads: {_name(cid, False)} at most {number(kg, 'en')} kg.",
    })  # fmt: skip


def _close_over_demand(
    people: PeopleMatrix, i: int, tasks: TaskMatrix, j: int, rules: RuleSet
) -> list[Relaxation]:
    cap, dem, hard = people.capacity[i], tasks.demand[j], people.hard[i]
    known = ~np.isnan(cap) & ~np.isnan(dem)
    over = np.where(known, np.maximum(np.nan_to_num(dem) - np.nan_to_num(cap), 0), 0)
    need = np.where(hard, 0, np.maximum(over - tolerance_vector(rules), 0)).astype(np.int8)
    out: list[Relaxation] = []
    best_possible = _LOWERING.max(axis=0)
    for c in np.flatnonzero(need > best_possible):
        # No adjustment in the catalogue lowers this demand enough: only a redesign will do.
        cid = CHARACTERISTIC_IDS[c]
        out.append(_redesign("over_demand", cid, int(cap[c] + tolerance_vector(rules)[c])))
        need[c] = 0
    kg_need, cap_kg = _load_need(people, i, tasks, j)
    if need.any():
        costs = adjustment_cost_vector(rules).copy()
        costs[tasks.accepted[j]] = _ALREADY_ACCEPTED_COST
        kg_cols = KG_COLUMNS[kg_need]
        helping = np.flatnonzero(
            (_LOWERING[:, need > 0] > 0).any(axis=1) | (_LOWERING[:, kg_cols] > 0).any(axis=1)
        )
        # Accepted and cheap ones first; 2^14 subsets at most.
        cheapest = sorted(helping, key=lambda a: (costs[a], a))[:_MAX_CANDIDATES]
        candidates = np.array(sorted(cheapest), dtype=np.int64)[None, :].astype(np.int16)
        # One set that closes the levels and brings the loads within reach, if there is one;
        # else the levels now and the loads on their own (the scorer checks loads once the
        # levels can be closed).
        chosen, found = cheapest_adjustments(
            need[None, :], kg_need[None, :], cap_kg[None, :], candidates, costs
        )
        if not found[0] and kg_need.any():
            chosen, found = cheapest_adjustments(
                need[None, :], np.zeros((1, len(KG_IDS)), bool), cap_kg[None, :], candidates,
                costs,
            )  # fmt: skip
            loads = _close_kilograms(people, i, tasks, j, rules)
        else:
            loads = []
        if found[0]:
            picked = [_ADJ[a].id for a in np.flatnonzero(chosen[0])]
            new = [a for a in picked if not tasks.accepted[j, list(ADJUSTMENTS).index(a)]]
            if not new:  # what is already accepted closes the rest: nothing to ask for
                return out + loads
            out.append(_accept("over_demand", picked, new))
        else:  # several demands each lowered enough by some adjustment, but not together
            for c in np.flatnonzero(need):
                cid = CHARACTERISTIC_IDS[c]
                out.append(_redesign("over_demand", cid, int(cap[c] + tolerance_vector(rules)[c])))
        out.extend(loads)
    else:
        out.extend(_close_kilograms(people, i, tasks, j, rules))
    return out


def _load_need(
    people: PeopleMatrix, i: int, tasks: TaskMatrix, j: int
) -> tuple[np.ndarray, np.ndarray]:
    """Which loads exceed the person's kilograms (physician's limits aside: those are hard
    limits), and the kilograms, for the pair."""
    cap_kg = people.capacity_kg[i].astype(np.float64)
    dem_kg = tasks.demand_kg[j].astype(np.float64)
    hard = people.hard[i, KG_COLUMNS]
    over = ~np.isnan(cap_kg) & ~np.isnan(dem_kg) & (dem_kg > cap_kg) & ~hard
    return over, cap_kg


def _close_kilograms(
    people: PeopleMatrix, i: int, tasks: TaskMatrix, j: int, rules: RuleSet
) -> list[Relaxation]:
    """The cheapest set of adjustments that brings every load within the person's kilograms
    (one set: a lifting aid may serve lifting and carrying both), and a lighter load where no
    adjustment can."""
    kg_need, cap_kg = _load_need(people, i, tasks, j)
    # Loads an accepted adjustment already limits enough need nothing more.
    kg_need &= ~(tasks.kg_relief[j] <= cap_kg)
    out = []
    helpers = [
        np.flatnonzero((_LOWERING[:, KG_COLUMNS[k]] > 0) & (cap_kg[k] >= _ADJ_MAX_KG))
        for k in range(len(KG_IDS))
    ]
    for k in np.flatnonzero(kg_need):
        if not len(helpers[k]):
            out.append(_lighter("kilograms", KG_IDS[k], float(cap_kg[k])))
            kg_need[k] = False
    if kg_need.any():
        costs = adjustment_cost_vector(rules)
        helping = np.unique(np.concatenate([helpers[k] for k in np.flatnonzero(kg_need)]))
        candidates = sorted(helping, key=lambda a: (costs[a], a))[:_MAX_CANDIDATES]
        chosen, found = cheapest_adjustments(
            np.zeros((1, len(CHARACTERISTIC_IDS)), np.int8), kg_need[None, :], cap_kg[None, :],
            np.array(sorted(candidates), dtype=np.int16)[None, :], costs,
        )  # fmt: skip
        if found[0]:
            picked = [_ADJ[a].id for a in np.flatnonzero(chosen[0])]
            out.append(_accept("kilograms", picked, picked))
        else:  # cannot happen while every load has a helper; say what would do instead
            out.extend(
                _lighter("kilograms", KG_IDS[k], float(cap_kg[k])) for k in np.flatnonzero(kg_need)
            )
    return out


def _accept(constraint: str, picked: list[str], new: list[str]) -> Relaxation:
    names_fi = ", ".join(ADJUSTMENTS[a].name_fi for a in new)
    names_en = ", ".join(ADJUSTMENTS[a].name_en for a in new)
    return Relaxation(constraint, "accept_adjustments", "employer",
                      {"adjustments": picked, "new": new}, {
        "fi": f"Työnantaja hyväksyy mukautuksen: {names_fi}.",
        "en": f"The employer accepts: {names_en}.",
    })  # fmt: skip


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
            current = task_frame.at[t, f"dem:{d['characteristic']}"]
            task_frame.at[t, f"dem:{d['characteristic']}"] = min(float(current), float(d["to"]))
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
