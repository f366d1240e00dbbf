"""The per-pair reference scorer: the oracle the vectorised one is tested against.

Plain Python over one (person, task) pair at a time, written straight from the rules in
:mod:`matching.scoring`'s docstring and from the catalogue (not from the precomputed tables the
vectorised code uses), so that a mistake in one is unlikely to be repeated in the other. Slow
on purpose; the benchmark measures how much faster the vectorised scorer is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, TASK_KINDS
from features.catalogue.adjustments import applies
from features.catalogue.schedule import SLOT_IDS
from features.geo import haversine_km
from features.pipeline.frames import KG_IDS
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.rules import RecommendationPolicy, RuleSet, UncheckedLimitPolicy, UnknownPolicy
from matching.scoring import COMPONENTS, LIMITED

__all__ = ["ReferenceScore", "reference_score"]

_ADJ = list(ADJUSTMENTS.values())
_CHARS = list(CHARACTERISTICS.values())


@dataclass(frozen=True)
class ReferenceScore:
    feasible: bool
    assessed: bool
    beyond_recommendation: frozenset[str]
    """The recommendations left exceeded (as ``PairScores.beyond_recommendation``)."""
    failures: frozenset[str]
    contributions: tuple[float, ...]
    chosen: tuple[str, ...]

    @property
    def total(self) -> float:
        return sum(self.contributions)


def _bits(value: int) -> int:
    return bin(int(value)).count("1")


def reference_score(
    people: PeopleMatrix, i: int, tasks: TaskMatrix, j: int, rules: RuleSet
) -> ReferenceScore:
    hard_rules = rules.hard
    failures: set[str] = set()
    if not people.matchable[i]:
        failures.add("not_matchable")
    if hard_rules.hand_over_only and not tasks.hand_over[j]:
        failures.add("not_hand_over")

    over, spare, unknown, need, unchecked = [], [], 0, {}, 0
    rank_below = hard_rules.beyond_recommendation == RecommendationPolicy.RANK_BELOW
    recommended_need: dict[str, float] = {}
    hard_need: dict[str, float] = {}
    n_known_demand = 0
    for c, ch in enumerate(_CHARS):
        cap, dem = float(people.capacity[i, c]), float(tasks.demand[j, c])
        is_hard = bool(people.hard[i, c])
        if is_hard and (math.isnan(dem) or tasks.typical[j, c]):
            dem = math.nan  # a restriction is judged only against an assessed demand
        cap_known, dem_known = not math.isnan(cap), not math.isnan(dem)
        n_known_demand += dem_known
        if is_hard and not dem_known:
            unchecked += 1
            unknown += 1
        elif (not cap_known and not (dem_known and dem == 0)) or (not dem_known and cap <= LIMITED):
            unknown += 1
        if cap_known and dem_known:
            over.append(max(dem - cap, 0.0))
            spare.append(max(cap - dem, 0.0))
        else:
            over.append(0.0)
            spare.append(0.0)
        tolerance = (
            hard_rules.recommendation_tolerance
            if people.recommended[i, c]
            else hard_rules.over_demand_tolerance[ch.group]
        )
        if is_hard and over[c] > 0:
            hard_need[ch.id] = over[c]
        elif not is_hard and over[c] - tolerance > 0:
            need[ch.id] = over[c] - tolerance
            if people.recommended[i, c] and rank_below:
                recommended_need[ch.id] = need[ch.id]

    kg_need: dict[str, float] = {}
    kg_hard: set[str] = set()
    if hard_rules.respect_kilograms:
        for k, cid in enumerate(KG_IDS):
            cap_kg, dem_kg = float(people.capacity_kg[i, k]), float(tasks.demand_kg[j, k])
            if not math.isnan(cap_kg) and not math.isnan(dem_kg) and dem_kg > cap_kg:
                kg_need[cid] = cap_kg
                if people.hard[i, list(CHARACTERISTICS).index(cid)]:
                    kg_hard.add(cid)

    # Usable: accepted by the employer and applicable to this kind of task and its shifts.
    kind = TASK_KINDS.ids[int(tasks.kind[j])]
    slots = [s for b, s in enumerate(SLOT_IDS) if int(tasks.schedule[j]) >> b & 1]
    usable = [a for a in range(len(_ADJ)) if tasks.accepted[j, a] and applies(_ADJ[a], kind, slots)]

    def lowers(subset: list[int], cid: str, *, exposure_only: bool) -> int:
        return max((_ADJ[a].lowers.get(cid, 0) for a in subset
                    if _ADJ[a].changes_exposure or not exposure_only), default=0)  # fmt: skip

    def kg_ok(subset: list[int], cid: str, cap_kg: float, *, exposure_only: bool) -> bool:
        return any(cid in _ADJ[a].lowers and (_ADJ[a].max_kilograms_after or math.inf) <= cap_kg
                   and (_ADJ[a].changes_exposure or not exposure_only)
                   for a in subset)  # fmt: skip

    # A recommendation that no usable adjustment can bring within its tolerance is left
    # exceeded (the rule set ranks the pair below instead of excluding it).
    beyond = {cid for cid, v in recommended_need.items()
              if lowers(usable, cid, exposure_only=False) < v}  # fmt: skip
    for cid in beyond:
        del need[cid]

    # The restriction first: can the exposure-changing usable adjustments close it at all?
    if any(lowers(usable, cid, exposure_only=True) < v for cid, v in hard_need.items()) or any(
        not kg_ok(usable, cid, kg_need[cid], exposure_only=True) for cid in kg_hard
    ):
        failures.add("hard_limit")
    best: tuple[float, tuple[int, ...]] | None = None
    if "hard_limit" not in failures:
        for subset_bits in range(1 << len(usable)):
            subset = [usable[b] for b in range(len(usable)) if subset_bits >> b & 1]
            if any(lowers(subset, cid, exposure_only=False) < v for cid, v in need.items()):
                continue
            if any(lowers(subset, cid, exposure_only=True) < v for cid, v in hard_need.items()):
                continue
            if any(not kg_ok(subset, cid, cap_kg, exposure_only=cid in kg_hard)
                   for cid, cap_kg in kg_need.items()):  # fmt: skip
                continue
            cost = sum(rules.cost_of(_ADJ[a].cost_class) for a in subset)
            if best is None or cost < best[0]:
                best = (cost, tuple(subset))
    all_levels = all(lowers(usable, cid, exposure_only=False) >= v for cid, v in need.items())
    if not all_levels:
        failures.add("over_demand")
    elif any(not kg_ok(usable, cid, cap_kg, exposure_only=False)
             for cid, cap_kg in kg_need.items() if cid not in kg_hard):  # fmt: skip
        failures.add("kilograms")
    chosen: tuple[int, ...] = () if best is None else best[1]

    if hard_rules.require_licences and int(tasks.licences[j]) & ~int(people.licences[i]):
        failures.add("licences")
    # The distance is the product's one definition (features.geo), evaluated for this pair
    # alone; what the oracle restates is the rule on it. A second formula for the same
    # distance rounds differently in the last bits, and a home exactly on the radius (as the
    # edge-biased random worlds place one) would then be in reach for one and not the other.
    km = float(haversine_km(people.lat[i], people.lon[i], tasks.lat[j], tasks.lon[j]))
    if km > hard_rules.max_distance_km:
        failures.add("distance")
    task_slots = _bits(tasks.schedule[j])
    overlap = _bits(int(tasks.schedule[j]) & int(people.schedule[i])) / max(task_slots, 1)
    if overlap < hard_rules.min_schedule_overlap - 1e-9:
        failures.add("schedule")
    if tasks.hours[j] > people.hours_max[i] + hard_rules.max_hours_over:
        failures.add("hours")
    if hard_rules.unknown_ratings == UnknownPolicy.EXCLUDE and unknown:
        failures.add("unknown")
    if hard_rules.unchecked_limits == UncheckedLimitPolicy.EXCLUDE and unchecked:
        failures.add("limit_unchecked")

    over_after = []
    for c, ch in enumerate(_CHARS):
        cap, dem = float(people.capacity[i, c]), float(tasks.demand[j, c])
        set_aside = bool(people.hard[i, c] and tasks.typical[j, c])
        if math.isnan(cap) or math.isnan(dem) or set_aside:
            over_after.append(0.0)
        else:
            lowest = lowers(list(chosen), ch.id, exposure_only=bool(people.hard[i, c]))
            over_after.append(max(dem - lowest - cap, 0.0))

    w = rules.weights
    required = set(tasks.skills[j].indices)
    held = set(people.skills[i].indices)
    h_min = float(people.hours_min[i])
    contributions = {
        "ability_fit": w.ability_fit * (1 - sum(over_after) / (4 * max(n_known_demand, 1))),
        "adjustments": -w.adjustments * sum(rules.cost_of(_ADJ[a].cost_class) for a in chosen),
        "skills": w.skills * (len(required & held) / len(required) if required else 0.0),
        "interests": w.interests * 0.5 * (
            float(people.interest_sectors[i, tasks.sector[j]])
            + float(people.interest_kinds[i, tasks.kind[j]])
        ),
        "hours_fit": w.hours_fit * (min(float(tasks.hours[j]) / h_min, 1.0) if h_min > 0 else 1.0),
        "schedule_fit": w.schedule_fit * overlap,
        "distance": w.distance * min(max(1 - km / hard_rules.max_distance_km, 0.0), 1.0),
        "under_demand": -rules.under_demand_penalty * sum(spare) / (4 * len(_CHARS)),
        "unknown": -rules.unknown_penalty * unknown
        if hard_rules.unknown_ratings == UnknownPolicy.PENALISE else 0.0,
    }  # fmt: skip
    return ReferenceScore(
        feasible=not failures,
        assessed=unknown == 0,
        beyond_recommendation=frozenset(beyond),
        failures=frozenset(failures),
        contributions=tuple(contributions[name] for name in COMPONENTS),
        chosen=tuple(_ADJ[a].id for a in chosen),
    )
