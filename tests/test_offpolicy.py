"""Off-policy estimators on cases worked by hand, the logged exploration's propensities against
the draws, and the estimates against a simulated truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from matching.offpolicy import (
    doubly_robust,
    effective_sample_size,
    estimate,
    first_place,
    first_place_propensity,
    ips,
    snips,
    snips_difference,
)

REWARD = np.array([1.0, 0.0, 1.0, 0.0])
WEIGHT = np.array([2.0, 0.0, 4.0, 1.0])


def test_estimators_by_hand():
    assert ips(REWARD, WEIGHT) == pytest.approx((2 + 0 + 4 + 0) / 4)
    assert snips(REWARD, WEIGHT) == pytest.approx(6 / 7)
    assert effective_sample_size(WEIGHT) == pytest.approx(49 / 21)
    q_logged = np.array([0.5, 0.5, 0.25, 0.25])
    q_target = np.array([0.5, 0.4, 0.3, 0.2])
    # 0.5 + 2·0.5, 0.4 + 0, 0.3 + 4·0.75, 0.2 + 1·(−0.25)
    assert doubly_robust(REWARD, WEIGHT, q_logged, q_target) == pytest.approx(5.15 / 4)
    assert np.isnan(snips(REWARD, np.zeros(4))) and effective_sample_size(np.zeros(4)) == 0


def test_estimate_by_hand_with_the_target_at_position_zero():
    """Lists 1 and 3 have the target show the rules' first task (position 0): its reward
    model is that position's success rate (1.0), not the overall rate (0.5) kept for a target
    outside the list (kills ``matching.offpolicy.x_estimate__mutmut_78``, ``>= 1``).

    Position 0 was shown first twice, won twice (rate 1); position 1 once, lost (0); position
    2 once, lost (0). Weights 1/0.5 = 2 where the target's choice is the logged one (list 1
    only). q_target = 1, 0, 1, 0.5 and the residuals weigh 2·(1 − 1) = 0, so DR = 2.5 / 4."""
    reward = np.array([1.0, 1.0, 0.0, 0.0])
    propensity = np.array([0.5, 0.5, 0.25, 0.25])
    logged = np.array([0, 0, 1, 2])
    target = np.array([0, 1, 0, -1])
    result = estimate(reward, propensity, logged, target, np.full(4, 3))
    assert result["dr"]["value"] == pytest.approx(0.625)
    assert result["ips"]["value"] == pytest.approx(0.5)
    assert result["snips"]["value"] == pytest.approx(1.0)
    assert (result["lists"], result["support"], result["logged_value"]) == (4, 0.75, 0.5)
    assert result["effective_sample_size"] == pytest.approx(1.0)


def test_propensities_are_a_distribution_and_match_the_seeded_draws():
    share, among = 0.3, 4
    p = first_place_propensity(np.arange(8), among, share)
    assert p.sum() == pytest.approx(1.0)
    assert p[0] == pytest.approx(0.7 + 0.3 / 4) and p[1] == pytest.approx(0.3 / 4)
    assert (p[among:] == 0).all()
    assessed = np.ones(10, dtype=bool)
    draws = [first_place(assessed, share, among, (5, person, date(2026, 12, 6)))
             for person in range(20_000)]  # fmt: skip
    counts = np.bincount([d.position for d in draws], minlength=among)
    assert np.abs(counts / len(draws) - p[:among]).max() < 0.01
    assert all(d.propensity == pytest.approx(p[d.position]) for d in draws[:200])
    # The same person on the same day sees the same list; another day may differ.
    again = first_place(assessed, share, among, (5, 17, date(2026, 12, 6)))
    assert again == draws[17]


def test_exploration_never_puts_an_unassessed_pair_above_an_assessed_one():
    tiers = np.array([True, True, False, False, False])
    for person in range(500):
        shown = first_place(tiers, 0.5, 5, (1, person, date(2026, 12, 6)))
        assert shown.among == 2 and shown.position in (0, 1)
        assert tiers[shown.order(5)][0]
    assert first_place(np.array([True, False]), 0.5, 5, (1, 1, date(2026, 12, 6))).among == 1
    assert list(first_place(tiers, 0.0, 5, (1, 1, date(2026, 12, 6))).order(5)) == [0, 1, 2, 3, 4]


def test_the_estimates_recover_what_another_ordering_would_truly_achieve():
    """Lists logged with exploration; each position's task succeeds, when shown first, with a
    known chance. An ordering that would always show the rules' third task first truly
    achieves that task's chance; IPS, SNIPS and DR must find it within their intervals, and
    the paired difference from the logging's own first choice must have the true sign."""
    share, among, n = 0.4, 5, 4000
    truth = np.array([0.20, 0.10, 0.45, 0.15, 0.05])
    rng = np.random.default_rng(3)
    assessed = np.ones(among, dtype=bool)
    shown = [first_place(assessed, share, among, (9, i, date(2026, 1, 1))) for i in range(n)]
    logged = np.array([s.position for s in shown])
    propensity = np.array([s.propensity for s in shown])
    reward = (rng.random(n) < truth[logged]).astype(float)
    third = np.full(n, 2)
    result = estimate(reward, propensity, logged, third, np.full(n, among))
    for name in ("ips", "snips", "dr"):
        e = result[name]
        assert e["ci_low"] <= truth[2] <= e["ci_high"], name
        assert e["value"] == pytest.approx(truth[2], abs=0.08), name
    assert result["support"] == 1.0 and result["trusted"]
    assert result["effective_sample_size"] == pytest.approx(n * share / among, rel=0.15)
    difference = snips_difference(reward, propensity, logged, np.zeros(n, int), third)
    assert difference["ci_low"] > 0  # the third truly beats the first: 0.45 against 0.20
    # No support: an ordering whose first choice was never in the band gets no weight.
    outside = estimate(reward, propensity, logged, np.full(n, -1), np.full(n, among))
    assert outside["support"] == 0 and outside["effective_sample_size"] == 0
    assert not outside["trusted"]


def test_the_service_logs_its_exploration_and_the_evaluation_estimates_from_it(service):
    """A rule set that explores: each person's list shows first the task the seeded draw
    chose, says so, and stores it with its propensity; a hire from a list's first task is
    that list's reward, and the evaluation's off-policy report rests on exactly the logged
    lists of people whose consent covers evaluation, once their outcomes can be known."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from api.jobs.evaluation import read_history, read_logged_lists
    from api.storage import rulesets as store
    from api.storage.engine import transaction
    from api.storage.tables import JobseekerRow, ProposalRow, SuggestionRow
    from matching.rules import Exploration, default_ruleset
    from tests.test_api import auth

    client, tokens, _, mine, engine = service
    rules = default_ruleset()
    exploring = rules.model_copy(
        update={"version": "explore-1", "exploration": Exploration(share=0.5, among=5)}
    )
    with transaction(engine) as s:
        store.ensure_default(s)
        store.add_ruleset(s, exploring, author="admin", parent=rules.version, note="explore")
        store.activate(s, "explore-1", actor="admin", role="admin")
    coordinator = auth(tokens["coordinator"])
    today = datetime.now(UTC).date()
    seed = int(exploring.fingerprint(), 16) % 2**32
    lists = {}
    for person_id in mine:
        answer = client.get(f"/jobseekers/{person_id}/matches?k=10", headers=coordinator).json()
        first = answer["shown_first"]
        if first is None:
            continue
        predicted = first_place(np.ones(first["among"], bool), 0.5, first["among"],
                                (seed, person_id, today))  # fmt: skip
        assert first["rules_position"] == predicted.position + 1
        assert first["propensity"] == pytest.approx(predicted.propensity)
        lists[person_id] = answer
    assert lists, "no list could explore"
    person_id, answer = next(iter(lists.items()))
    with engine.connect() as c:
        code = c.scalar(sa.select(JobseekerRow.code).where(JobseekerRow.id == person_id))
        stored = c.scalar(
            sa.select(SuggestionRow.results).where(SuggestionRow.id == answer["suggestion_id"])
        )
        explored = set(c.scalars(sa.select(SuggestionRow.jobseeker_id).where(
            SuggestionRow.explored.is_(True))))  # fmt: skip
    assert explored == set(lists)  # only the lists whose first task was drawn
    assert stored["ids"] == [i["task_id"] for i in answer["items"]]
    assert stored["shown_first"] == answer["shown_first"]
    proposal = client.post("/proposals", headers=coordinator, json={
        "jobseeker_code": code, "task_ids": [answer["items"][0]["task_id"]],
        "suggestion_id": answer["suggestion_id"]}).json()  # fmt: skip
    hired = {"event": {"kind": "hired", "at": datetime.now(UTC).isoformat()}}
    assert client.post(f"/proposals/{proposal['id']}/events", json=hired,
                       headers=coordinator).status_code == 201  # fmt: skip
    analyst = auth(tokens["analyst"])
    body = {"coverage_sample": 10, "task_sample": 10}
    fresh = client.post("/evaluations", json=body, headers=analyst).json()
    assert fresh["off_policy"]["a"]["lists"] == 0  # outcomes not known yet
    with engine.begin() as c:  # half a year later
        past = datetime.now(UTC) - timedelta(days=200)
        c.execute(sa.update(SuggestionRow).values(at=past))
        c.execute(sa.update(ProposalRow).where(ProposalRow.id == proposal["id"])
                  .values(proposed_at=past))  # fmt: skip
    with engine.connect() as c:
        tables = read_history(c)
        logged = read_logged_lists(c, tables, rules, datetime.now(UTC))
    consenting = set(tables["jobseeker_demographics"]["jobseeker_id"])
    assert set(logged["person_id"]) == set(lists) & consenting
    if person_id in consenting:
        row = logged[logged["list_id"] == answer["suggestion_id"]].iloc[0]
        assert row["reward"] == 1 and row["band"][row["logged_position"]] == answer["items"][0][
            "task_id"]  # fmt: skip
    assert logged.drop(columns=["band", "at"])["reward"].sum() == int(person_id in consenting)
    later = client.post("/evaluations", json=body | {"against": rules.version},
                        headers=analyst).json()  # fmt: skip
    report = later["off_policy"]
    assert report["a"]["lists"] == report["b"]["lists"] == len(logged)
    assert not report["trusted"]  # a handful of lists is far from 100 effective ones
    assert report["snips_difference"] is not None


def test_no_lists_give_a_difference_of_nothing_known() -> None:
    """An empty log is not a difference of zero: every figure is "not known" (nan), under the
    same names as a measured one."""
    none = np.array([], dtype=float)
    empty = snips_difference(none, none, none.astype(int), none.astype(int), none.astype(int))
    assert set(empty) == {"diff", "ci_low", "ci_high"}
    assert all(np.isnan(v) for v in empty.values())
