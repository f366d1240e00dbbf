"""The programme report (#29 point 1): its figures counted by pure functions against small
frames counted by hand (an empty period, an episode open across the period's end, the period's
first and last days); the continuation paths add up to the ended; the API on SQLite and
PostgreSQL (who may, bad periods, the audit row); a small world recorded through the API gives
exactly the expected figures; the demo world's report is KUNTO-like; the page and the CLI."""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.auth.setup import add_user
from api.core.security import Role
from api.employers.network import funnel_stages
from api.http.csrf import SESSION
from api.storage.engine import transaction
from api.storage.tables import AuditRow
from features.catalogue import EDUCATION_LEVELS
from features.reports import (
    ESF_EXIT,
    FIGURES,
    GENDER_GROUP,
    ISCED_GROUP,
    NOT_THROUGH,
    PARTS,
    SECTIONS,
    SMALL,
    Period,
    employer_figures,
    ending_figures,
    enrolment_figures,
    esf_figures,
    follow_up_figures,
    statuses_held,
    suppressed,
    timing_figures,
    work_figures,
)
from features.schemas.dates import today_in_finland
from features.schemas.episode import ContinuationPath, ReferralSource
from features.schemas.jobseeker import Gender
from tests import factories
from tests.conftest import API_WORLD
from tests.test_api import audit_rows, auth

D = date.fromisoformat
PERIOD = Period(D("2026-01-01"), D("2026-03-31"))


def _episodes(rows: list[tuple]) -> pd.DataFrame:
    """(id, person, started_on, source, ended_on, path) → the service's episode frame."""
    return pd.DataFrame(
        [(i, p, D(s), src, D(e) if e else None, path) for i, p, s, src, e, path in rows],
        columns=["id", "jobseeker_id", "started_on", "referral_source", "ended_on",
                 "continuation_path"],
    )  # fmt: skip


def _by(values, figure):
    return {f.key: f for f in values if f.figure == figure}


def _one(values, figure):
    (f,) = [f for f in values if f.figure == figure]
    return f


EPISODES = _episodes([
    (1, 10, "2025-12-31", "ohjaamo", "2026-01-01", "employed"),  # began the day before, ended on day one
    (2, 11, "2026-01-01", "ohjaamo", "2026-03-31", "education"),  # both days the period's own
    (3, 12, "2026-02-10", "personal_coach", None, None),  # open across the period's end
    (4, 13, "2026-03-31", "self_referral", "2026-04-01", "job_search"),  # ends the day after
    (5, 14, "2026-04-01", "ohjaamo", None, None),  # after the period
    (6, 15, "2026-02-01", "health_care", "2026-02-11", "not_reached"),
    (7, 16, "2025-06-01", "unknown", "2026-03-01", "stopped_contact"),
])  # fmt: skip


# --- the pure functions, counted by hand ---------------------------------------------------


def test_enrolment_counts_the_episodes_begun_in_the_period_both_ends_included():
    values = enrolment_figures(EPISODES, PERIOD, small=0)  # counted, nothing hidden
    assert _one(values, "enrolled").value == 4  # episodes 2, 3, 4, 6
    by_source = _by(values, "enrolled_by_source")
    assert by_source["ohjaamo"].value == 1 and by_source["ohjaamo"].share == 0.25
    assert by_source["personal_coach"].value == 1 and by_source["self_referral"].value == 1
    assert by_source["health_care"].value == 1 and by_source["unknown"].value == 0
    assert sum(f.value for f in by_source.values()) == 4
    assert _one(values, "dropped_before_start").value is None  # the record cannot tell


def test_ends_by_path_and_an_episode_open_across_the_periods_end():
    values = ending_figures(EPISODES, PERIOD, small=0)  # counted, nothing hidden
    assert _one(values, "ended").value == 4  # 1 (day one), 2 (last day), 6, 7 — not 4 (day after)
    assert _one(values, "went_through").value == 2  # employed, education
    assert _one(values, "went_through").share == 0.5
    assert _one(values, "not_reached").value == 1 and _one(values, "stopped_contact").value == 1
    assert _one(values, "still_open").value == 2  # 3 (never ended), 4 (ended the day after)
    paths = _by(values, "ended_by_path")
    assert set(paths) == {p.value for p in ContinuationPath}
    assert paths["employed"].value == 1 and paths["education"].value == 1
    assert paths["job_search"].value == 0 and paths["job_search"].share == 0.0


def test_an_empty_period_counts_zero_and_divides_by_nothing():
    empty = Period(D("2020-01-01"), D("2020-12-31"))
    values = [*enrolment_figures(EPISODES, empty), *ending_figures(EPISODES, empty),
              *timing_figures(EPISODES, pd.DataFrame(columns=["id", "jobseeker_id",
                                                              "proposed_on"]), empty)]  # fmt: skip
    assert _one(values, "enrolled").value == 0 and _one(values, "ended").value == 0
    shares = [f.share for f in values if f.figure in ("enrolled_by_source", "ended_by_path")]
    assert shares and all(s is None for s in shares)
    assert _one(values, "went_through").share is None
    assert _one(values, "days_to_end").value is None and _one(values, "days_to_end").of == 0
    assert _one(values, "days_to_first_proposal").value is None


def test_median_days_to_the_first_proposal_within_the_episode_and_to_the_end():
    proposals = pd.DataFrame(
        [(1, 11, D("2026-01-11")), (2, 11, D("2026-01-21")),  # 10 days (the first counts)
         (3, 12, D("2026-02-09")),  # before episode 3 began: not its proposal
         (4, 12, D("2026-03-02")),  # 20 days
         (5, 15, D("2026-02-15")),  # after episode 6 ended: not its proposal
         (6, 13, D("2026-04-30"))],  # after the period's end: not counted
        columns=["id", "jobseeker_id", "proposed_on"],
    )  # fmt: skip
    values = timing_figures(EPISODES, proposals, PERIOD, small=1)  # as counted, none hidden
    first = _one(values, "days_to_first_proposal")
    assert (first.value, first.of) == (15.0, 2)
    to_end = _one(values, "days_to_end")  # 1, 89, 10, 273 days → median (10 + 89) / 2
    assert (to_end.value, to_end.of) == (49.5, 4)
    # As the report counts them: measured over fewer than five, a median is someone's own days.
    hidden = timing_figures(EPISODES, proposals, PERIOD)
    assert all(f.suppressed and f.value is None and f.of in (2, 4) for f in hidden)


def test_proposals_trials_hires_and_the_six_month_check():
    proposals = pd.DataFrame([(1, D("2025-07-01")), (2, D("2026-01-01")), (3, D("2026-03-31")),
                              (4, D("2026-04-01"))], columns=["id", "proposed_on"])  # fmt: skip
    outcomes = pd.DataFrame(
        [(1, "hired", D("2025-08-01")),  # six months full on 2026-01-30: due
         (1, "employed_6_months", D("2026-02-02")),
         (2, "work_trial_started", D("2026-01-05")), (2, "work_trial_extended", D("2026-02-05")),
         (2, "hired", D("2026-03-01")),  # six months after the period
         (3, "hired", D("2025-09-20")),  # full on 2026-03-21: due, nothing recorded
         (4, "apprenticeship_started", D("2026-02-01"))],
        columns=["proposal_id", "kind", "on"],
    )  # fmt: skip
    values = work_figures(proposals, outcomes, PERIOD)
    assert _one(values, "proposals").value == 2
    assert _one(values, "work_trials").value == 1  # the extension is not a second trial
    assert _one(values, "hires").value == 1 and _one(values, "apprenticeships").value == 1
    assert _one(values, "six_month_due").value == 2
    done = _one(values, "six_month_done")
    assert (done.value, done.share) == (1, 0.5)


def test_wage_subsidies_follow_up_visits_and_the_three_month_follow_up():
    outcomes = pd.DataFrame(
        [(1, "hired", D("2026-01-10")),  # in the period, subsidy granted
         (2, "hired", D("2026-02-01")),  # in the period, subsidy only applied for
         (3, "hired", D("2025-11-01")),  # three months full on 2026-01-31: due, visited in time
         (4, "hired", D("2025-12-01")),  # full on 2026-03-02: due, visited only after
         (5, "hired", D("2025-10-15"))],  # full on 2026-01-14: due, never visited
        columns=["proposal_id", "kind", "on"],
    )  # fmt: skip
    visits = pd.DataFrame(
        [(3, D("2025-12-15")),  # within proposal 3's three months (made before the period)
         (4, D("2026-03-20")),  # after proposal 4's three months; made in the period
         (1, D("2026-02-10")),  # made in the period
         (2, None)],  # planned only
        columns=["proposal_id", "done_on"],
    )  # fmt: skip
    supports = pd.DataFrame([(1, "wage_subsidy", "granted"), (2, "wage_subsidy", "applied"),
                             (3, "job_coach", "granted")],
                            columns=["proposal_id", "support", "status"])  # fmt: skip
    values = follow_up_figures(outcomes, visits, supports, PERIOD)
    subsidised = _one(values, "hires_wage_subsidy")
    assert (subsidised.value, subsidised.share) == (1, 0.5)
    assert _one(values, "follow_up_visits_done").value == 2  # planned ones are not made
    assert _one(values, "three_month_due").value == 3
    followed = _one(values, "three_month_followed")
    assert followed.value == 1 and followed.share == pytest.approx(1 / 3)
    nothing = follow_up_figures(outcomes.iloc[:0], visits.iloc[:0], supports.iloc[:0], PERIOD)
    assert _one(nothing, "hires_wage_subsidy").share is None
    assert _one(nothing, "three_month_followed").share is None


def test_employer_statuses_in_the_period_go_through_the_one_funnel():
    employers = pd.DataFrame([(1, "partner", "56"), (2, "contacted", "81"), (3, "prospect", "56"),
                              (4, "interested", "47"), (5, "partner", "81")],
                             columns=["id", "network_status", "industry"])  # fmt: skip
    changes = pd.DataFrame(
        [(1, D("2026-02-01"), "interested", "partner"),  # interested on day one, then a partner
         (4, D("2025-05-01"), "contacted", "interested"),  # before: interested all along
         (5, D("2026-06-01"), "interested", "partner")],  # a partner only after the period
        columns=["employer_id", "on", "before", "after"],
    )  # fmt: skip
    hires = pd.DataFrame([(3, D("2026-03-15"))], columns=["employer_id", "on"])
    held = statuses_held(employers, changes, hires, PERIOD)
    assert held == {1: {"interested", "partner"}, 2: {"contacted"},
                    3: {"prospect", "hired_through_us"}, 4: {"interested"},
                    5: {"interested"}}  # fmt: skip
    values = employer_figures(held, dict(zip(employers["id"], employers["industry"], strict=True)),
                              funnel_stages)  # fmt: skip
    assert _one(values, "employers_contacted").value == 5  # 3 by its hire
    assert _one(values, "employers_interested").value == 4
    assert _one(values, "employers_cooperating").value == 2  # 1 a partner, 3 hired
    assert _one(values, "employers_hired").value == 1
    industry = _by(values, "cooperating_by_industry")
    assert {k: f.value for k, f in industry.items()} == {"56": 2}
    assert industry["56"].share == 1.0


def test_every_figure_has_a_label_and_a_definition():
    assert all(f.label and len(f.definition) > 40 for f in FIGURES.values())


_DAY = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_DAY, st.integers(0, 400), st.sampled_from([None, *ContinuationPath])),
             max_size=40),
    _DAY, st.integers(0, 500),
)  # fmt: skip
def test_the_paths_add_up_to_the_ended_and_the_ended_to_their_parts(rows, start, length):
    episodes = _episodes([
        (i, i, s.isoformat(), "ohjaamo",
         (s + timedelta(days=d)).isoformat() if path else None, path.value if path else None)
        for i, (s, d, path) in enumerate(rows)
    ])  # fmt: skip
    values = ending_figures(episodes, Period(start, start + timedelta(days=length)), small=0)
    ended = _one(values, "ended").value
    assert sum(f.value for f in _by(values, "ended_by_path").values()) == ended
    parts = ("went_through", "not_reached", "stopped_contact")
    assert sum(_one(values, p).value for p in parts) == ended
    shares = [f.share for f in _by(values, "ended_by_path").values()]
    assert all(s is None for s in shares) if not ended else abs(sum(shares) - 1) < 1e-9


# --- the ESF+ common indicators and small-cell suppression ------------------------------------


def _participants(rows: list[tuple]) -> pd.DataFrame:
    """(started_on, ended_on, path, gender, birth_year, education_level) → the service's frame."""
    return pd.DataFrame(
        [(D(s), D(e) if e else None, path, g, y, edu) for s, e, path, g, y, edu in rows],
        columns=["started_on", "ended_on", "continuation_path", "gender", "birth_year",
                 "education_level"],
    )  # fmt: skip


PARTICIPANTS = _participants([
    ("2026-01-01", "2026-03-31", "wage_subsidised_work", "female", 1997, "basic"),  # 29 at entry
    ("2026-01-02", "2026-02-15", "work_trial", "female", 1996, "vocational"),  # 30
    ("2026-02-01", "2026-03-01", "not_reached", "female", 1972, "vocational"),  # 54
    ("2026-02-01", "2026-03-10", "job_search", "female", 1971, "master"),  # 55
    ("2026-03-31", "2026-03-31", "education", "male", None, None),  # no birth year, no level
    ("2026-03-01", "2026-04-01", "education", "other", 2000, "bachelor"),  # ends the day after
    ("2026-03-01", None, None, None, None, "upper_secondary_general"),  # no demographics
    ("2025-12-31", "2026-01-15", "employed", "female", 1990, "basic"),  # began the day before
    ("2026-04-01", None, None, "male", 1990, "basic"),  # after the period
])  # fmt: skip


def _cells(values, figure):
    return {f.key: ("hidden" if f.suppressed else f.value) for f in values if f.figure == figure}


def test_esf_participants_at_entry_and_exit_counted_by_hand_unknowns_their_own_part():
    values = esf_figures(PARTICIPANTS, PERIOD, small=1)  # nothing small enough to hide
    assert _one(values, "esf_entered").value == 7 and _one(values, "esf_left").value == 6
    assert _cells(values, "esf_entry_gender") == {
        "female": 4,
        "male": 1,
        "other_or_undisclosed": 1,
        "unknown": 1,
    }
    assert _cells(values, "esf_entry_age") == {
        "under_30": 2,
        "30_to_54": 2,
        "55_and_over": 1,
        "unknown": 2,
    }
    assert _cells(values, "esf_entry_education") == {
        "isced_0_2": 1,
        "isced_3_4": 3,
        "isced_5_8": 2,
        "unknown": 1,
    }
    assert _cells(values, "esf_exit_situation") == {
        "employment": 2,
        "education": 1,
        "job_searching": 1,
        "other": 1,
        "unknown": 1,
    }
    assert _by(values, "esf_entry_gender")["female"].share == 4 / 7
    # Not in the record: said so, never made up.
    assert _one(values, "esf_entry_employment").value is None
    assert _one(values, "esf_exit_qualification").value is None
    for figure in PARTS:  # every part, zeros included, adds up to the total
        total = "esf_left" if figure == "esf_exit_situation" else "esf_entered"
        assert sum(_cells(values, figure).values()) == _one(values, total).value, figure


def test_esf_small_cells_are_hidden_with_no_value_and_no_share():
    values = esf_figures(PARTICIPANTS, PERIOD)  # every part here is under 5
    for figure in PARTS:
        for f in _by(values, figure).values():
            assert f.suppressed == (f.value is None), (figure, f.key)
            if f.suppressed:
                assert f.share is None
    assert _cells(values, "esf_entry_gender") == {"female": "hidden", "male": "hidden",
                                                  "other_or_undisclosed": "hidden",
                                                  "unknown": "hidden"}  # fmt: skip
    assert _one(values, "esf_entered").value == 7  # the totals are shown
    empty = esf_figures(PARTICIPANTS, Period(D("2020-01-01"), D("2020-12-31")))
    assert all(f.value in (0, None) and not f.suppressed and f.share is None for f in empty)


def test_every_catalogue_level_gender_and_path_has_its_esf_part():
    assert set(ISCED_GROUP) == set(EDUCATION_LEVELS.ids)
    assert set(ISCED_GROUP.values()) | {"unknown"} == set(PARTS["esf_entry_education"])
    assert set(GENDER_GROUP) == {g.value for g in Gender}
    assert set(ESF_EXIT) == set(ContinuationPath)
    assert set(ESF_EXIT.values()) == set(PARTS["esf_exit_situation"])
    assert dict(SECTIONS)["esf"] == tuple(f for f in FIGURES if f.startswith("esf_"))


@pytest.mark.parametrize(
    ("cells", "hidden"),
    [
        ({"a": 3, "b": 10, "c": 0, "d": 7}, {"a", "c"}),  # a small one: the zeros with it
        ({"a": 3, "b": 10, "c": 8, "d": 7}, {"a", "d"}),  # one alone: the next smallest too
        ({"a": 3, "b": 2, "c": 40}, {"a", "b"}),  # two small: they hide each other
        ({"a": 3, "b": 0, "c": 0}, {"a", "b", "c"}),  # the zeros are hidden with it
        ({"a": 0, "b": 5, "c": 12}, set()),  # a zero and 5 tell nobody apart
        ({"a": 1, "b": 6, "c": 6}, {"a", "b", "c"}),  # a tie: both (one shown would bound it)
        ({"a": 4, "b": 4, "c": 9, "d": 6}, {"a", "b", "d"}),  # all at four: one each more
        ({"a": 1, "b": 40}, {"a", "b"}),  # the total is all there is
    ],
)
def test_suppression_by_hand(cells, hidden):
    assert suppressed(cells) == hidden


def _completions(total: int, parts: int):
    """Every way of writing ``total`` as ``parts`` whole numbers of at least zero."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _completions(total - first, parts - 1):
            yield (first, *rest)


def _rule_completions(total: int, parts: int):
    """The completions the rule could have hidden: every part under ``SMALL`` but the next
    smallest ones hidden beside them, all of one count — enumerated as such, not among every
    completion."""
    for values in itertools.product(range(SMALL), repeat=parts):
        if sum(values) == total:
            yield values
    for k in range(1, parts + 1):
        for chosen in itertools.combinations(range(parts), k):
            for v in range(SMALL, total // k + 1):
                for others in itertools.product(range(SMALL), repeat=parts - k):
                    if sum(others) + k * v != total:
                        continue
                    it = iter(others)
                    yield tuple(v if i in chosen else next(it) for i in range(parts))


def _derivable(cells: dict[str, int], hidden: set[str]) -> set[str]:
    """Brute force, as a reader who knows the rule would: every completion of the hidden cells
    that agrees with the total and the shown cells **and** that the rule would have hidden just
    so (a shown zero says a hidden count is not zero; all hidden at four would have hidden one
    more); a hidden cell with one value in all of them is given away."""
    keys = sorted(hidden)
    left = sum(cells[k] for k in keys)  # the total less the shown cells
    seen: dict[str, set[int]] = {k: set() for k in keys}
    for completion in _rule_completions(left, len(keys)) if keys else ():
        world = cells | dict(zip(keys, completion, strict=True))
        if suppressed(world) != frozenset(hidden):
            continue
        for k, v in zip(keys, completion, strict=True):
            seen[k].add(v)
    return {k for k in keys if len(seen[k]) <= 1}


_CELL = st.one_of(st.integers(0, 6), st.integers(0, 12))


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL, min_size=2, max_size=5))
def test_suppression_leaves_nothing_to_subtract_even_to_a_reader_who_knows_the_rule(counts):
    cells = {f"part{i}": v for i, v in enumerate(counts)}
    hidden = suppressed(cells)
    small = {k for k, v in cells.items() if 0 < v < SMALL}
    if not small:
        assert hidden == set()  # zeros and fives tell nobody apart: all shown
        return
    assert {k for k, v in cells.items() if v < SMALL} <= hidden  # the small, and the zeros
    # Nothing worked out from the total and the shown, by a reader who knows the rule — but for
    # the one case no hiding within the breakdown can help, said in features.reports: every
    # part hidden, and each at the most a small count can be (the total is four times the parts).
    if hidden == set(cells) and all(v == SMALL - 1 for v in cells.values()):
        return
    assert _derivable(cells, set(hidden)) == set()
    # Beyond the small ones, only the next smallest (with its ties), and only when needed.
    smalls = {k for k, v in cells.items() if v < SMALL}
    extra = hidden - smalls
    if extra:
        assert len(smalls) == 1 or all(cells[k] == SMALL - 1 for k in smalls)
        assert {cells[k] for k in extra} == {min(cells[k] for k in cells if k not in smalls)}
        assert {k for k in cells if cells[k] == min(cells[k] for k in extra)} <= hidden


def test_every_breakdown_of_people_hides_its_small_cells_and_the_counts_that_would_tell_them():
    """Enrolled by source, ended by path and the ESF+ situation upon leaving hide as the ESF+
    entry breakdowns do — the small counts and the zeros beside them; "not reached" and
    "stopped contact" are paths' cells, hidden with them; "went through" holds some of the
    hidden paths but not all: hidden too."""
    enrolment = enrolment_figures(EPISODES, PERIOD)
    assert _one(enrolment, "enrolled").value == 4
    sources = _cells(enrolment, "enrolled_by_source")
    assert set(sources.values()) == {"hidden"}  # 2, 1, 1 and zeros: all under five
    ending = ending_figures(EPISODES, PERIOD)
    assert _one(ending, "ended").value == 4 and _one(ending, "still_open").value == 2
    assert all(_one(ending, f).suppressed for f in ("went_through", "not_reached",
                                                    "stopped_contact"))  # fmt: skip
    paths = _cells(ending, "ended_by_path")
    assert set(paths.values()) == {"hidden"}  # four of one each, and zeros
    exit_ = _cells(esf_figures(PARTICIPANTS, PERIOD), "esf_exit_situation")
    # Six paths, one each, all hidden: every situation holds some of them but not all.
    assert set(exit_.values()) == {"hidden"}
    big = ending_figures(_episodes([(i, i, "2026-01-05", "ohjaamo", "2026-02-01", path)
                                    for i, path in enumerate(["employed"] * 12
                                                             + ["not_reached"] * 6
                                                             + ["sick_leave_or_care"] * 2)]),
                         PERIOD)  # fmt: skip
    # Sick leave (2) hidden, and beside it the zeros (a shown zero would say the hidden one is
    # not zero); employed (12) and not reached (6) shown. "Stopped contact" (a zero, hidden) and
    # "went through" (it holds the sick leave, not the stopped contact) are hidden above.
    by_path = _cells(big, "ended_by_path")
    assert {k for k, v in by_path.items() if v != "hidden"} == {"employed", "not_reached"}
    assert _one(big, "went_through").suppressed and _one(big, "stopped_contact").suppressed
    assert _one(big, "not_reached").value == 6 and _one(big, "ended").value == 20


def test_employers_by_industry_are_not_suppressed():
    held = {i: {"partner"} for i in range(7)}
    industry = {i: ("56" if i < 6 else "81") for i in range(7)}
    values = employer_figures(held, industry, funnel_stages)
    assert _cells(values, "cooperating_by_industry") == {"56": 6, "81": 1}  # an organisation


def _shown_facts(values) -> tuple[dict[str, tuple[frozenset[str], int]], dict[str, frozenset]]:
    """The ending and exit figures as sums of the continuation paths' cells: those shown (the
    paths they add up, their value) and those hidden (the paths they add up)."""
    everything = frozenset(p.value for p in ContinuationPath)
    sums: dict[str, frozenset[str]] = {
        "ended": everything, "esf_left": everything,
        "went_through": everything - {p.value for p in NOT_THROUGH},
        "not_reached": frozenset({"not_reached"}), "stopped_contact": frozenset({"stopped_contact"}),
        **{f"ended_by_path/{p}": frozenset({p}) for p in everything},
        **{f"esf_exit_situation/{part}": frozenset(p.value for p, its in ESF_EXIT.items()
                                                   if its == part)
           for part in PARTS["esf_exit_situation"]},
    }  # fmt: skip
    shown, hidden = {}, {}
    for f in values:
        name = f.figure if f.key is None else f"{f.figure}/{f.key}"
        if name not in sums:
            continue
        if f.suppressed:
            hidden[name] = sums[name]
        else:
            shown[name] = (sums[name], int(f.value))
    return shown, hidden


def _rule_worlds(total: int, parts: int) -> np.ndarray:
    """Every way the rule could have hidden ``parts`` cells summing to ``total``, as rows: each
    under ``SMALL``, or the next smallest count hidden beside them (one value, shared by its
    ties) — grown cell by cell with numpy, keeping only rows that can still reach the total."""
    found = []
    for complement in [None, *range(SMALL, total + 1)]:
        allowed = [*range(SMALL), *([complement] if complement else [])]
        rows = np.zeros((1, 0), dtype=np.int16)
        for i in range(parts):
            rows = np.concatenate([np.column_stack([rows, np.full(len(rows), a, np.int16)])
                                   for a in allowed])  # fmt: skip
            sums = rows.sum(axis=1)
            rows = rows[(sums <= total) & (sums + (parts - i - 1) * max(allowed) >= total)]
        if complement:
            rows = rows[(rows == complement).any(axis=1)]
        found.append(rows)
    return np.unique(np.concatenate(found), axis=0)


@settings(max_examples=15, deadline=None)
@given(st.dictionaries(st.sampled_from([p.value for p in ContinuationPath]), st.integers(0, 6),
                       max_size=4))  # fmt: skip
def test_no_hidden_path_or_sum_of_paths_can_be_recomputed_from_the_shown_figures(counts):
    """For random small ends, brute force as a reader who knows the rule would: every way of
    filling in the hidden paths that agrees with every shown figure — the ended, went through,
    not reached, stopped contact, the paths, the ESF+ situations upon leaving and the
    participants at exit — and that the rule would have hidden just so, leaves each hidden path
    and each hidden sum of paths more than one value."""
    rows = [path for path, k in counts.items() for _ in range(k)]
    episodes = _episodes([(i, i, "2026-01-05", "ohjaamo", "2026-02-01", path)
                          for i, path in enumerate(rows)])  # fmt: skip
    participants = _participants([("2026-01-05", "2026-02-01", path, None, None, None)
                                  for path in rows])  # fmt: skip
    values = [*ending_figures(episodes, PERIOD), *esf_figures(participants, PERIOD)]
    shown, hidden = _shown_facts(values)
    cells = {p.value: counts.get(p.value, 0) for p in ContinuationPath}
    assert all(v >= SMALL or v == 0 for name, (_, v) in shown.items()
               if name.startswith("ended_by_path/"))  # fmt: skip
    unknown = sorted(p for p in cells if f"ended_by_path/{p}" in hidden)
    if not unknown:
        assert not hidden
        return
    known = {p: v for p, v in cells.items() if p not in unknown}
    worlds = _rule_worlds(sum(cells[p] for p in unknown), len(unknown))
    column = {p: worlds[:, i] for i, p in enumerate(unknown)}

    def total_of(paths: frozenset[str]) -> np.ndarray:
        return sum((column[p] if p in column else known[p] for p in paths),
                   np.zeros(len(worlds), dtype=np.int16))  # fmt: skip

    agrees = np.ones(len(worlds), dtype=bool)
    for paths, v in shown.values():
        agrees &= total_of(paths) == v
    pattern = frozenset(unknown)
    alike = [
        w
        for w in np.flatnonzero(agrees)
        if suppressed(known | {p: int(column[p][w]) for p in unknown}) == pattern
    ]
    assert alike, "the true ends are among the worlds"
    for name, paths in hidden.items():
        assert len(set(total_of(paths)[alike].tolist())) > 1, name


# --- the API, on SQLite and PostgreSQL ------------------------------------------------------

REPORT = "/reports/programme"


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


def test_analysts_administrators_and_the_project_manager_read_every_areas_report_audited(
    service,
):
    client, tokens, _area, _mine, engine = service
    assert client.get(REPORT).status_code == 401
    refused = client.get(REPORT, headers=auth(tokens["rekrypiste"]))
    assert refused.status_code == 403
    assert "lacks the permission 'read_reports'" in refused.json()["message"]
    for who in ("analyst", "admin", "project_manager"):
        answer = client.get(REPORT, params={"from": "2025-01-01", "to": "2025-12-31"},
                            headers=auth(tokens[who]))  # fmt: skip
        assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["period_from"], body["period_to"], body["area"]) == ("2025-01-01",
                                                                      "2025-12-31", None)  # fmt: skip
    assert {f["figure"] for f in body["figures"]} == set(FIGURES)
    assert [s for s, _ in SECTIONS][-1] == "events"  # events and who came: a section of its own
    assert all(f["definition"] == FIGURES[f["figure"]].definition for f in body["figures"])
    rows = audit_rows(engine, action="read_programme_report")
    assert [(r.actor, r.details) for r in rows] == [
        ("analyst", {"from": "2025-01-01", "to": "2025-12-31", "area": None, "via": "api"}),
        ("admin", {"from": "2025-01-01", "to": "2025-12-31", "area": None, "via": "api"}),
        ("pm", {"from": "2025-01-01", "to": "2025-12-31", "area": None, "via": "api"}),
    ]
    assert "jobseeker" not in answer.text and "JS-" not in answer.text  # aggregates only


def test_the_default_period_is_this_year_to_date_and_an_area_narrows_it(service):
    client, tokens, area, mine, _engine = service
    analyst = auth(tokens["analyst"])
    body = client.get(REPORT, headers=analyst).json()
    today = _today()
    assert (body["period_from"], body["period_to"]) == (date(today.year, 1, 1).isoformat(),
                                                        today.isoformat())  # fmt: skip
    assert area in body["areas"] and "Elsewhere" in body["areas"]  # a user's area is one too
    period = {"from": (today - timedelta(days=5 * 365)).isoformat(), "to": today.isoformat()}
    every = client.get(REPORT, params=period, headers=analyst).json()
    one = client.get(REPORT, params=period | {"area": area}, headers=analyst).json()

    def value(body, figure):
        return next(f["value"] for f in body["figures"] if f["figure"] == figure)

    assert 0 < value(one, "enrolled") < value(every, "enrolled")
    assert value(one, "employers_contacted") == value(every, "employers_contacted")  # network-wide
    nobody = client.get(REPORT, params=period | {"area": "Elsewhere"}, headers=analyst).json()
    assert nobody["empty"] and value(nobody, "enrolled") == 0
    assert all(f["share"] is None for f in nobody["figures"] if f["figure"] == "ended_by_path")


def test_a_coordinator_reads_their_own_areas_report_and_is_refused_anothers(service):
    client, tokens, area, _mine, engine = service
    period = {"from": (_today() - timedelta(days=5 * 365)).isoformat(), "to": _today().isoformat()}
    of_area = client.get(REPORT, params=period | {"area": area}, headers=auth(tokens["analyst"]))
    for who in ("coordinator", "work_ability"):
        own = client.get(REPORT, params=period, headers=auth(tokens[who]))  # no area: their own
        assert own.status_code == 200, own.text
        assert (own.json()["area"], own.json()["areas"]) == (area, [area])
        assert own.json()["figures"] == of_area.json()["figures"]
        named = client.get(REPORT, params=period | {"area": area}, headers=auth(tokens[who]))
        assert named.json()["figures"] == of_area.json()["figures"]
    # Another area, known or not, is answered alike: as an area that does not exist.
    another = client.get(REPORT, params={"area": "Elsewhere"}, headers=auth(tokens["coordinator"]))
    unknown = client.get(REPORT, params={"area": "Atlantis"}, headers=auth(tokens["coordinator"]))
    assert another.status_code == unknown.status_code == 404
    assert another.json()["message"].replace("Elsewhere", "X") == unknown.json()["message"].replace(
        "Atlantis", "X"
    )
    assert f"their own area's ({area!r})" in another.json()["message"]
    theirs = client.get(REPORT, params={"area": area}, headers=auth(tokens["other_area"]))
    assert theirs.status_code == 404 and "('Elsewhere')" in theirs.json()["message"]
    refused = audit_rows(engine, action="refused", object_type="programme_report")
    assert [(r.actor, r.object_id) for r in refused] == [("coord", "Elsewhere"),
                                                         ("coord", "Atlantis"),
                                                         ("coord2", area)]  # fmt: skip
    reads = audit_rows(engine, action="read_programme_report")
    assert {r.details["area"] for r in reads if r.actor in ("coord", "tyokyky")} == {area}
    assert "JS-" not in another.text + theirs.text

    # The page: the picker offers their area alone; another is said at the picker, in Finnish.
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get(PAGE, params=period)
    assert page.status_code == 200, page.text
    assert 'href="/ui/reports/programme"' in page.text  # in their menu too
    assert '<option value="">' not in page.text  # no "every area" to choose
    assert f'<option value="{area}" selected>' in page.text
    assert page.text.count("<option value=") == 1
    refused_page = client.get(PAGE, params={"area": "Elsewhere"})
    assert refused_page.status_code == 422
    assert f"Alue: näet vain oman alueesi ({area}) raportin." in refused_page.text
    assert 'id="figure-enrolled"' not in refused_page.text
    before = len(audit_rows(engine, action="refused", object_type="programme_report"))
    refused_file = client.get(f"{PAGE}.csv", params={"area": "Elsewhere"})
    assert refused_file.status_code == 422 and "näet vain oman alueesi" in refused_file.text
    # Asked once, refused once: one audit row for the file refused, not a second for its page.
    assert len(audit_rows(engine, action="refused", object_type="programme_report")) == before + 1
    client.cookies.set("lang", "en")
    english = client.get(PAGE, params={"area": "Elsewhere"})
    assert f"Area: you see the report of your own area ({area}) only." in english.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-01", "to": "2026-02-28"}, "to"),
        ({"from": "2099-01-01", "to": "2099-02-01"}, "from"),
        ({"from": "2015-01-01", "to": "2025-01-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-02-01", "area": "Atlantis"}, "area"),
        ({"from": "1.1.2026"}, "from"),
    ],
)
def test_a_bad_period_or_area_is_a_422_naming_the_field(service, params, field):
    client, tokens, *_ = service
    answer = client.get(REPORT, params=params, headers=auth(tokens["analyst"]))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


# --- the golden world: journeys recorded through the API ------------------------------------

GOLDEN_AREA = "Kultala"


def _take_on(client, headers, code, started, source, demographics=None, *, area=GOLDEN_AREA,
             coordinators=("k.yritys", "k.tyokyky"), education=None):  # fmt: skip
    profile = factories.jobseeker(code=code, area=area, coordinator=coordinators[0],
                                  work_ability_coordinator=coordinators[1],
                                  education_level=education,
                                  consent={"given_at": "2026-01-05T10:00:00Z",
                                           "scope": ["matching", "share_with_employers"]})  # fmt: skip
    profile["capacities"]["standing"] = {"level": 1, "source": "coordinator",
                                         "assessed_on": "2026-03-01"}  # fmt: skip
    body = {"profile": profile, "identity": {"name": "Kulta " + code},
            "episode": {"started_on": started.isoformat(), "referral_source": source}}  # fmt: skip
    if demographics is not None:  # no consent to evaluation asked: ESF+ has its own basis
        body["demographics"] = demographics
    created = client.post("/jobseekers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _end(client, headers, jid, on, path):
    done = client.post(f"/jobseekers/{jid}/episode/events", headers=headers,
                       json={"kind": "ended", "path": path, "on": on.isoformat()})  # fmt: skip
    assert done.status_code in (200, 201), done.text


def test_a_small_world_recorded_through_the_api_gives_exactly_the_expected_report(service):
    """Six clients of an area of their own, each journey known: who was enrolled in the
    period (its first day included), who ended where (its last day included), who is still
    open, the one proposal and its hire — and the report says exactly that."""
    client, tokens, *_ = service
    with transaction(client.app.state.engine) as s:
        company = auth(add_user(s, name="k.yritys", role=Role.COMPANY_COORDINATOR,
                                area=GOLDEN_AREA))  # fmt: skip
        work_ability = auth(add_user(s, name="k.tyokyky", role=Role.WORK_ABILITY_COORDINATOR,
                                     area=GOLDEN_AREA))  # fmt: skip
    t = _today()
    start, day = t - timedelta(days=100), timedelta(days=1)
    young = {"gender": "female", "birth_year": t.year - 24}
    a = _take_on(client, work_ability, "JS-KULTA1", t - 90 * day, "ohjaamo", young,
                 education="vocational")  # fmt: skip
    b = _take_on(client, work_ability, "JS-KULTA2", t - 80 * day, "personal_coach",
                 {"gender": "male", "birth_year": t.year - 58}, education="basic")  # fmt: skip
    c = _take_on(client, work_ability, "JS-KULTA3", t - 200 * day, "health_care", young)
    _take_on(client, work_ability, "JS-KULTA4", t - 50 * day, "ohjaamo")  # no demographics
    e = _take_on(client, work_ability, "JS-KULTA5", start, "self_referral",  # the first day
                 {"gender": "undisclosed", "birth_year": t.year - 40})  # fmt: skip
    _take_on(client, work_ability, "JS-KULTA6", start - day, "ohjaamo")  # the day before
    _end(client, work_ability, a, t - 30 * day, "education")  # 60 days
    _end(client, work_ability, b, t - 20 * day, "not_reached")  # 60 days
    _end(client, work_ability, c, t - 10 * day, "job_search")  # 190 days
    _end(client, work_ability, e, t, "stopped_contact")  # 100 days, on the last day
    task = int(API_WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])
    proposed = client.post("/proposals", headers=company, json={
        "jobseeker_code": "JS-KULTA4", "task_ids": [task], "reason": "Asiakas valitsi."})  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    hired = client.post(f"/proposals/{proposed.json()['id']}/events", headers=company,
                        json={"event": {"kind": "hired", "at": datetime.now(UTC).isoformat()}})  # fmt: skip
    assert hired.status_code == 201, hired.text

    params = {"from": start.isoformat(), "to": t.isoformat(), "area": GOLDEN_AREA}
    body = client.get(REPORT, params=params, headers=auth(tokens["analyst"])).json()
    got = {(f["figure"], f["key"]): (f["value"], f["share"], f["of"]) for f in body["figures"]
           if f["value"] or f["share"] or f["figure"].startswith("days_")}  # fmt: skip
    people = {k: v for k, v in got.items()
              if not k[0].startswith(("employers_", "cooperating", "esf_"))}  # fmt: skip
    assert people == {
        ("enrolled", None): (4, None, None),
        ("ended", None): (4, None, None),
        ("still_open", None): (2, None, None),
        # Medians of one and of four episodes: someone's own days, hidden (50 and 80 counted).
        ("days_to_first_proposal", None): (None, None, 1),
        ("days_to_end", None): (None, None, 4),
        ("proposals", None): (1, None, None),
        ("hires", None): (1, None, None),
    }
    # Every part of the people's breakdowns is under 5: hidden — ohjaamo 2, personal coach and
    # self-referral 1 each; education, job search, not reached, stopped contact 1 each; and
    # the zeros beside them — and so are the counts above the paths that are some of them
    # (went through 2, not reached 1, stopped contact 1) and the two medians. The totals are
    # shown.
    hidden = {(f["figure"], f["key"]) for f in body["figures"] if f["suppressed"]
              and not f["figure"].startswith("esf_")}  # fmt: skip
    assert hidden == {
        *{("enrolled_by_source", s.value) for s in ReferralSource},
        *{("ended_by_path", p.value) for p in ContinuationPath},
        ("went_through", None), ("not_reached", None), ("stopped_contact", None),
        ("days_to_first_proposal", None), ("days_to_end", None),
    }  # fmt: skip
    assert got[("employers_hired", None)][0] >= 1  # the hiring employer, network-wide
    assert not body["empty"]
    # ESF+: four entered, four left — every part at entry is under 5, so hidden (null, with the
    # flag), the zeros too; the totals shown; the employment situation is not in the record.
    assert _esf(body) == {
        ("esf_entered", None): 4,
        ("esf_entry_gender", "female"): "hidden", ("esf_entry_gender", "male"): "hidden",
        ("esf_entry_gender", "other_or_undisclosed"): "hidden",
        ("esf_entry_gender", "unknown"): "hidden",  # JS-KULTA4: no demographics recorded
        ("esf_entry_age", "under_30"): "hidden", ("esf_entry_age", "30_to_54"): "hidden",
        ("esf_entry_age", "55_and_over"): "hidden", ("esf_entry_age", "unknown"): "hidden",
        ("esf_entry_education", "isced_0_2"): "hidden",
        ("esf_entry_education", "isced_3_4"): "hidden",
        ("esf_entry_education", "isced_5_8"): "hidden",
        ("esf_entry_education", "unknown"): "hidden",
        ("esf_entry_employment", None): None,
        ("esf_left", None): 4,
        # At exit: the continuation paths grouped, every one hidden as the paths are — each
        # situation holds some of the hidden paths (the zeros among them), not all.
        ("esf_exit_situation", "employment"): "hidden",
        ("esf_exit_situation", "education"): "hidden",
        ("esf_exit_situation", "job_searching"): "hidden",
        ("esf_exit_situation", "other"): "hidden",
        ("esf_exit_situation", "unknown"): "hidden",  # not reached, stopped contact
        ("esf_exit_qualification", None): None,
    }  # fmt: skip
    _the_files_say_what_the_report_says(client, auth(tokens["analyst"]), params, body)
    before_last = client.get(REPORT, params=params | {"to": (t - day).isoformat()},
                             headers=auth(tokens["analyst"])).json()  # fmt: skip
    ended = {f["figure"]: f["value"] for f in before_last["figures"] if f["key"] is None}
    # Stopped contact (0 by then) is one of the hidden paths' cells: hidden with them.
    assert (ended["ended"], ended["stopped_contact"], ended["still_open"]) == (3, None, 3)
    assert ended["proposals"] == 0 and ended["days_to_first_proposal"] is None


def _esf(body) -> dict[tuple[str, str | None], object]:
    return {(f["figure"], f["key"]): "hidden" if f["suppressed"] else f["value"]
            for f in body["figures"] if f["figure"].startswith("esf_")}  # fmt: skip


def test_esf_indicators_of_a_world_recorded_through_the_api_with_known_demographics(service):
    """Eleven clients of an area of their own, entered and left in the period: women and men
    five each and one without demographics; six under 30, four 30–54, one without a birth year;
    five with basic education, six vocational; five left into work (three employed, two
    wage-subsidised), five to job search, one not reached. What is under 5 is hidden — and
    where that is one part alone, the next smallest beside it — at exit as the paths are, and
    the page (its tables and its charts), the files and the JSON say so alike; no birth year
    or person's gender is in any of them."""
    client, tokens, *_ = service
    area = "Hopeala"
    with transaction(client.app.state.engine) as s:
        add_user(s, name="h.yritys", role=Role.COMPANY_COORDINATOR, area=area)
        work_ability = auth(add_user(s, name="h.tyokyky", role=Role.WORK_ABILITY_COORDINATOR,
                                     area=area))  # fmt: skip
    t, day = _today(), timedelta(days=1)
    paths = ["employed", "wage_subsidised_work", "job_search", "job_search", "job_search",
             "employed", "employed", "wage_subsidised_work", "job_search", "job_search",
             "not_reached"]  # fmt: skip
    for i, path in enumerate(paths):
        started = t - (60 + i) * day
        age = 22 if i in (0, 1, 2, 5, 6, 7) else 40
        demographics = ({"gender": "female" if i < 5 else "male", "birth_year": started.year - age}
                        if i < 10 else None)  # fmt: skip
        jid = _take_on(client, work_ability, f"JS-HOPE{i:02d}", started, "ohjaamo", demographics,
                       area=area, coordinators=("h.yritys", "h.tyokyky"),
                       education="basic" if i < 5 else "vocational")  # fmt: skip
        _end(client, work_ability, jid, t - 10 * day, path)
    analyst = auth(tokens["analyst"])
    params = {"from": (t - 100 * day).isoformat(), "to": t.isoformat(), "area": area}
    answer = client.get(REPORT, params=params, headers=analyst)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert _esf(body) == {
        ("esf_entered", None): 11,
        # One part under 5 (no demographics: 1) and a zero beside it: the two hide each other.
        ("esf_entry_gender", "female"): 5, ("esf_entry_gender", "male"): 5,
        ("esf_entry_gender", "other_or_undisclosed"): "hidden",
        ("esf_entry_gender", "unknown"): "hidden",
        # Parts under 5 and a zero: they hide each other.
        ("esf_entry_age", "under_30"): 6, ("esf_entry_age", "30_to_54"): "hidden",
        ("esf_entry_age", "55_and_over"): "hidden", ("esf_entry_age", "unknown"): "hidden",
        # None under 5: all shown.
        ("esf_entry_education", "isced_0_2"): 5, ("esf_entry_education", "isced_3_4"): 6,
        ("esf_entry_education", "isced_5_8"): 0, ("esf_entry_education", "unknown"): 0,
        ("esf_entry_employment", None): None,
        ("esf_left", None): 11,
        # At exit, as the paths: employed 3, wage-subsidised 2, not reached 1 and the zero paths
        # are hidden there; every situation holding some of them but not all is hidden, or
        # subtracting the one table from the other would give them away — all but job search.
        ("esf_exit_situation", "employment"): "hidden",
        ("esf_exit_situation", "education"): "hidden",
        ("esf_exit_situation", "job_searching"): 5, ("esf_exit_situation", "other"): "hidden",
        ("esf_exit_situation", "unknown"): "hidden",
        ("esf_exit_qualification", None): None,
    }  # fmt: skip
    shown = {(f["figure"], f["key"]): f["share"] for f in body["figures"]
             if f["figure"].startswith("esf_") and f["key"]}  # fmt: skip
    assert shown[("esf_entry_gender", "male")] == shown[("esf_entry_gender", "female")] == 5 / 11
    assert shown[("esf_entry_gender", "unknown")] is None  # a share would give it away
    hidden = [f for f in body["figures"] if f["suppressed"]]
    assert all(f["value"] is None and f["share"] is None and not f["small"] for f in hidden)
    paths = {f["key"] for f in hidden if f["figure"] == "ended_by_path"}
    assert paths == {p.value for p in ContinuationPath} - {"job_search"}
    # "Went through" holds some of the hidden paths but not all, "not reached" and "stopped
    # contact" are one each: all hidden too.
    assert {f["figure"] for f in hidden if f["key"] is None} == {"went_through", "not_reached",
                                                                 "stopped_contact"}  # fmt: skip
    for year in {str((t - (60 + i) * day).year - age) for i in range(10) for age in (22, 40)}:
        assert f'"{year}"' not in answer.text and f": {year}" not in answer.text  # no birth year
    # The page says "hidden" in the reader's words, and so do the files.
    client.cookies.set(SESSION, tokens["analyst"])
    page = client.get(PAGE, params=params)
    assert page.status_code == 200, page.text
    assert (
        "ESR+:n yhteiset indikaattorit" in page.text and 'id="figure-esf_entry_gender"' in page.text
    )
    assert page.text.count('<span class="suppressed">piilotettu</span>') == len(hidden)
    # Each chart draws a hidden part as the word alone, no bar: the breakdowns' parts.
    assert page.text.count('class="hidden">') == len([f for f in hidden if f["key"]])
    assert "muu tai ei kertonut" in page.text
    assert "Ei kirjauksissa: sitä, oliko osallistuja aloittaessaan työtön" in page.text
    csv_file = client.get(f"{REPORT}.csv", params=params | {"lang": "en"}, headers=analyst)
    table = pd.read_csv(io.StringIO(csv_file.content.decode("utf-8-sig")))
    gender = table[table["Figure"] == "Participants at entry, by gender"]
    assert list(gender["Part"]) == ["women", "men", "other or not told", "not recorded"]
    assert list(gender["Number"]) == ["5", "5", "hidden", "hidden"]


def _the_files_say_what_the_report_says(client, headers, params, body):
    """The .xlsx (Finnish) and the CSV (English) hold a row per figure or part, the period and
    the area on each, counts as numbers and shares in per cent — what the JSON says."""
    from openpyxl import load_workbook

    got = client.get(f"{REPORT}.xlsx", params=params, headers=headers)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in got.headers["content-disposition"]
    assert f"ohjelmaraportti_{params['from']}_{params['to']}" in got.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet.freeze_panes == "A2"  # the headings stay in sight
    head, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert head[:9] == ["Alkaen", "Päättyen", "Alue", "Osio", "Luku", "Erittely", "Määrä",
                        "Osuus prosentteina", "Mitattu joukosta"]  # fmt: skip
    assert len(rows) == len(body["figures"])
    assert {tuple(r[:3]) for r in rows} == {(params["from"], params["to"], params["area"])}
    enrolled = [r for r in rows if r[4] == "Aloittaneet" and r[5] is None]
    assert [r[6] for r in enrolled] == [4] and isinstance(enrolled[0][6], int)
    (ohjaamo,) = [r for r in rows if r[5] == "Ohjaamo"]
    assert (ohjaamo[6], ohjaamo[7]) == ("piilotettu", None)  # 2 of 4: hidden, no share
    (went_through,) = [r for r in rows if r[4] == "Palvelun läpikäyneet"]
    assert went_through[6] == "piilotettu"
    (median,) = [r for r in rows if r[4] == "Päiviä päättymiseen (mediaani)"]
    assert (median[6], median[8]) == ("piilotettu", 4)  # four episodes: someone's own days
    csv_file = client.get(f"{REPORT}.csv", params=params | {"lang": "en"}, headers=headers)
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    table = pd.read_csv(io.StringIO(csv_file.content.decode("utf-8-sig")))
    assert list(table.columns[:3]) == ["From", "To", "Area"] and len(table) == len(rows)
    labels = {f["label"] for f in body["figures"]}
    assert set(table["Figure"]) == labels  # the same figures, in the reader's language
    json_values = sorted(float(f["value"]) for f in body["figures"] if f["value"] is not None)
    numbers = table["Number"].dropna()
    hidden = numbers == "hidden"  # a suppressed cell is a word, not a number
    assert hidden.sum() == sum(f["suppressed"] for f in body["figures"])
    assert sorted(numbers[~hidden].astype(float)) == json_values
    assert [r[6] for r in rows if r[4] == "Osallistujat aloittaessaan, sukupuolen mukaan"] == [
        "piilotettu" if f["suppressed"] else f["value"]
        for f in body["figures"] if f["figure"] == "esf_entry_gender"]  # fmt: skip


# --- the demo world's report looks like KUNTO's -----------------------------------------------


def test_the_demo_worlds_report_is_in_kuntos_proportions(small_world):
    """Seed 003's results: of 232 who went through, 75 employed (32 %), 74 continue job search
    (32 %), 27 education (12 %), 17 work trial (7 %), 16 another service (7 %), 14 sick leave
    (6 %), 9 rehabilitative work activity (4 %); 113 of 172 contacted employers cooperating
    (66 %). The demo world's (small, seed 3) over its whole history is held to broad bounds:
    employed and job search each 20–45 % of those who went through, education 5–20 %, each
    of the four smaller paths 1–12 % and each smaller than education; cooperating employers
    at most the contacted."""
    from api.reports.service import figures_of

    tables = small_world.tables
    proposals = tables["proposal"].assign(
        proposed_on=pd.to_datetime(tables["proposal"]["proposed_at"], utc=True).dt.date
    )
    outcomes = tables["outcome_event"].assign(
        on=pd.to_datetime(tables["outcome_event"]["at"], utc=True).dt.date
    )
    hires = (
        outcomes[outcomes["kind"] == "hired"]
        .merge(tables["proposal_task"], on="proposal_id")
        .merge(tables["task"][["id", "role_id"]].rename(columns={"id": "task_id"}))
        .merge(tables["role"][["id", "employer_id"]].rename(columns={"id": "role_id"}))
    )
    participants = (
        tables["service_episode"]
        .merge(tables["jobseeker"][["id", "education_level"]]
               .rename(columns={"id": "jobseeker_id"}), on="jobseeker_id")
        .merge(tables["jobseeker_demographics"], on="jobseeker_id", how="left")
    )  # fmt: skip
    frames = {"episodes": tables["service_episode"], "proposals": proposals,
              "outcomes": outcomes, "employers": tables["employer"], "hires": hires,
              "changes": pd.DataFrame(columns=["employer_id", "on", "before", "after"]),
              "participants": participants, "events": tables["programme_event"],
              "taking_part": tables["programme_event_employer"],
              # The demo world records no follow-up visits nor supports applied for.
              "visits": pd.DataFrame(columns=["proposal_id", "done_on"]),
              "supports": pd.DataFrame(columns=["proposal_id", "support", "status"])}  # fmt: skip
    period = Period(D("2023-01-01"), D("2026-12-31"))
    values = figures_of(frames, period)
    through = _one(values, "went_through").value
    assert through >= 200
    share = {k: f.value / through for k, f in _by(values, "ended_by_path").items()}
    assert 0.20 <= share["employed"] <= 0.45 and 0.20 <= share["job_search"] <= 0.45
    assert 0.05 <= share["education"] <= 0.20
    for small in ("work_trial", "other_service", "sick_leave_or_care", "rehabilitative_work"):
        assert 0.01 <= share[small] < share["education"], small
    assert _one(values, "enrolled").value >= through
    cooperating = _one(values, "employers_cooperating").value
    assert 0 < cooperating <= _one(values, "employers_contacted").value
    assert _one(values, "hires").value > 0 and _one(values, "days_to_end").value > 30
    # ESF+: the same participants as enrolled and ended; women and men about half each, every
    # age group and education group there, most with upper secondary or vocational education
    # (as among the unemployed); into work as often as the paths say.
    entered, left = _one(values, "esf_entered").value, _one(values, "esf_left").value
    assert entered == _one(values, "enrolled").value and left == _one(values, "ended").value

    def esf_share(figure, key):
        f = _by(values, figure)[key]
        assert not f.suppressed, (figure, key)
        return f.share

    assert 0.35 <= esf_share("esf_entry_gender", "female") <= 0.65
    assert 0.35 <= esf_share("esf_entry_gender", "male") <= 0.65
    for group in ("under_30", "30_to_54", "55_and_over"):
        assert 0.05 <= esf_share("esf_entry_age", group) <= 0.7, group
    assert esf_share("esf_entry_education", "isced_3_4") > max(
        esf_share("esf_entry_education", "isced_0_2"), esf_share("esf_entry_education", "isced_5_8")
    )
    paths = _by(values, "ended_by_path")
    assert _by(values, "esf_exit_situation")["employment"].value == (
        paths["employed"].value + paths["wage_subsidised_work"].value
    )
    assert _by(values, "esf_exit_situation")["education"].value == paths["education"].value
    # Events: KUNTO held 25 for its 340 clients (7 %), own and in cooperation, recruitment
    # events and job-search help the most; clients and employers came to them.
    people = len(tables["jobseeker"])
    held = _one(values, "events_held").value
    assert 0.04 * people <= held <= 0.12 * people
    organisers = _by(values, "events_by_organiser")
    assert organisers["own"].value > 0 and organisers["cooperation"].value > 0
    kinds = {k: f.value for k, f in _by(values, "events_by_kind").items()}
    assert sum(kinds.values()) == held and min(kinds.values()) >= 1
    assert max(kinds, key=lambda k: kinds[k]) in ("recruitment", "job_search", "info_session")
    assert 5 * held <= _one(values, "event_clients").value <= 40 * held
    assert 0 < _one(values, "event_network_employers").value <= cooperating


# --- the page ----------------------------------------------------------------------------------

PAGE = "/ui/reports/programme"


def test_the_page_shows_each_figure_beside_its_definition_in_the_users_language(service):
    client, tokens, area, *_ = service
    client.cookies.set(SESSION, tokens["rekrypiste"])
    assert client.get(PAGE).status_code == 404  # no such page for a Rekrypiste
    client.cookies.set(SESSION, tokens["analyst"])
    page = client.get(PAGE, params={"from": "2024-01-01", "to": _today().isoformat()})
    assert page.status_code == 200, page.text
    assert 'href="/ui/reports/programme"' in page.text  # the analyst's menu leads here
    for figure in ("enrolled", "ended_by_path", "days_to_end", "cooperating_by_industry"):
        assert f'id="figure-{figure}"' in page.text, figure
    assert "Palvelun läpikäyneet" in page.text and "Määritelmä" in page.text
    assert "Jaksolla alkaneet palvelujaksot (kahdesti aloittanut lasketaan kahdesti)" in page.text
    assert "työllistyi" in page.text or "avoimille työmarkkinoille" in page.text
    refused = client.get(PAGE, params={"from": "2026-03-01", "to": "2026-02-01"})
    assert refused.status_code == 422
    assert "Päättyen: jakso päättyy ennen ensimmäistä päiväänsä" in refused.text
    assert 'id="figure-enrolled"' not in refused.text
    unknown = client.get(PAGE, params={"area": "Atlantis"})
    assert unknown.status_code == 422 and "aluetta ”Atlantis” ei ole" in unknown.text
    # The page's period and area, downloaded: a link each; a refused choice is the page again.
    assert 'href="/ui/reports/programme.xlsx?from=2024-01-01&amp;to=' in page.text
    sheet = client.get(f"{PAGE}.csv", params={"from": "2024-01-01"})
    assert sheet.status_code == 200 and "Aloittaneet" in sheet.content.decode("utf-8-sig")
    # In Finnish, as Excel in Finnish opens a CSV: semicolons, decimal commas.
    finnish = pd.read_csv(io.StringIO(sheet.content.decode("utf-8-sig")), sep=";", decimal=",")
    assert (
        len(finnish.columns) == 11 and finnish["Osuus prosentteina"].dropna().between(0, 100).all()
    )
    bad_file = client.get(f"{PAGE}.xlsx", params={"from": "2026-03-01", "to": "2026-02-01"})
    assert (
        bad_file.status_code == 422 and "jakso päättyy ennen ensimmäistä päiväänsä" in bad_file.text
    )
    # Refused, the file is the page, not an attachment: the links carry no ``download``
    # attribute, so a browser shows the page (a file is saved by its Content-Disposition).
    assert "content-disposition" not in bad_file.headers
    assert "attachment" in sheet.headers["content-disposition"]
    assert not re.search(r"<a [^>]*programme\.(xlsx|csv)[^>]*\bdownload\b", page.text)
    assert client.get(f"{PAGE}.pdf").status_code in (404, 422)
    (row, *_) = [r for r in audit_rows(client.app.state.engine, action="read_programme_report")
                 if r.details["via"] == "web-csv"]  # fmt: skip
    assert row.details["from"] == "2024-01-01"
    client.cookies.set("lang", "en")
    empty = client.get(PAGE, params={"from": "2024-01-01", "to": "2024-12-31",
                                     "area": "Elsewhere"})  # fmt: skip
    assert empty.status_code == 200
    assert "Nothing happened in this period and area" in empty.text
    assert "Went through the service" in empty.text and "—" in empty.text


# --- the CLI -----------------------------------------------------------------------------------


def test_tasma_report_prints_the_same_report_as_json_and_a_coordinators_own_area_only(
    tmp_path, monkeypatch
):
    from api.cli import app
    from api.storage.engine import make_engine

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TASMA_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--size", "tiny", "--seed", "3"]).exit_code == 0
    engine = make_engine(url)
    with transaction(engine) as s:
        add_user(s, name="ana", role=Role.ANALYST)
        add_user(s, name="cc", role=Role.COMPANY_COORDINATOR, area="PH-Lahti")
    done = runner.invoke(app, ["report", "--from", "2024-01-01", "--to", "2025-12-31",
                               "--as", "ana", "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert (body["period_from"], body["period_to"], body["area"]) == ("2024-01-01",
                                                                      "2025-12-31", None)  # fmt: skip
    assert {f["figure"] for f in body["figures"]} == set(FIGURES)
    text = runner.invoke(app, ["report", "--from", "2024-01-01", "--as", "ana"])
    assert text.exit_code == 0 and "Enrolled" in text.output and "went_through" not in text.output
    written = runner.invoke(app, ["report", "--from", "2024-01-01", "--as", "ana", "--output",
                                  str(tmp_path / "raportti.xlsx")])  # fmt: skip
    assert written.exit_code == 0, written.output
    assert (tmp_path / "raportti.xlsx").read_bytes()[:2] == b"PK"  # a zip: an .xlsx
    pdf = runner.invoke(app, ["report", "--as", "ana", "--output", str(tmp_path / "r.pdf")])
    assert pdf.exit_code != 0 and ".xlsx or a .csv" in pdf.output
    with transaction(engine) as s:
        add_user(s, name="rk", role=Role.REKRYPISTE)
    refused = runner.invoke(app, ["report", "--as", "rk"])
    assert refused.exit_code != 0 and "lacks the permission 'read_reports'" in refused.output
    own = runner.invoke(app, ["report", "--from", "2024-01-01", "--as", "cc", "--json"])
    assert own.exit_code == 0, own.output
    assert (json.loads(own.output)["area"], json.loads(own.output)["areas"]) == ("PH-Lahti",
                                                                                ["PH-Lahti"])  # fmt: skip
    other = runner.invoke(app, ["report", "--as", "cc", "--area", "Elsewhere"])
    assert other.exit_code != 0 and "their own area's ('PH-Lahti')" in other.output
    bad = runner.invoke(app, ["report", "--from", "2025-02-01", "--to", "2025-01-01", "--as",
                              "ana"])  # fmt: skip
    assert bad.exit_code != 0 and "ends" in bad.output
    with transaction(engine) as s:
        rows = s.scalars(sa.select(AuditRow.details)
                         .where(AuditRow.action == "read_programme_report")).all()  # fmt: skip
    assert [r["via"] for r in rows] == ["cli", "cli", "cli-xlsx", "cli"]
    engine.dispose()
