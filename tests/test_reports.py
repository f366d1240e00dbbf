"""The programme report (#29 point 1): its figures counted by pure functions against small
frames counted by hand (an empty period, an episode open across the period's end, the period's
first and last days); the continuation paths add up to the ended; the API on SQLite and
PostgreSQL (who may, bad periods, the audit row); a small world recorded through the API gives
exactly the expected figures; the demo world's report is KUNTO-like; the page and the CLI."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

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
from features.reports import (
    FIGURES,
    Period,
    employer_figures,
    ending_figures,
    enrolment_figures,
    statuses_held,
    timing_figures,
    work_figures,
)
from features.schemas.dates import today_in_finland
from features.schemas.episode import ContinuationPath
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
    values = enrolment_figures(EPISODES, PERIOD)
    assert _one(values, "enrolled").value == 4  # episodes 2, 3, 4, 6
    by_source = _by(values, "enrolled_by_source")
    assert by_source["ohjaamo"].value == 1 and by_source["ohjaamo"].share == 0.25
    assert by_source["personal_coach"].value == 1 and by_source["self_referral"].value == 1
    assert by_source["health_care"].value == 1 and by_source["unknown"].value == 0
    assert sum(f.value for f in by_source.values()) == 4
    assert _one(values, "dropped_before_start").value is None  # the record cannot tell


def test_ends_by_path_and_an_episode_open_across_the_periods_end():
    values = ending_figures(EPISODES, PERIOD)
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
    values = timing_figures(EPISODES, proposals, PERIOD)
    first = _one(values, "days_to_first_proposal")
    assert (first.value, first.of) == (15.0, 2)
    to_end = _one(values, "days_to_end")  # 1, 89, 10, 273 days → median (10 + 89) / 2
    assert (to_end.value, to_end.of) == (49.5, 4)


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
    values = ending_figures(episodes, Period(start, start + timedelta(days=length)))
    ended = _one(values, "ended").value
    assert sum(f.value for f in _by(values, "ended_by_path").values()) == ended
    parts = ("went_through", "not_reached", "stopped_contact")
    assert sum(_one(values, p).value for p in parts) == ended
    shares = [f.share for f in _by(values, "ended_by_path").values()]
    assert all(s is None for s in shares) if not ended else abs(sum(shares) - 1) < 1e-9


# --- the API, on SQLite and PostgreSQL ------------------------------------------------------

REPORT = "/reports/programme"


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


def test_only_analysts_and_administrators_read_the_report_and_the_read_is_audited(service):
    client, tokens, _area, _mine, engine = service
    assert client.get(REPORT).status_code == 401
    for who in ("coordinator", "work_ability", "rekrypiste"):
        refused = client.get(REPORT, headers=auth(tokens[who]))
        assert refused.status_code == 403, who
        assert "lacks the permission 'read_reports'" in refused.json()["message"]
    for who in ("analyst", "admin"):
        answer = client.get(REPORT, params={"from": "2025-01-01", "to": "2025-12-31"},
                            headers=auth(tokens[who]))  # fmt: skip
        assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["period_from"], body["period_to"], body["area"]) == ("2025-01-01",
                                                                      "2025-12-31", None)  # fmt: skip
    assert {f["figure"] for f in body["figures"]} == set(FIGURES)
    assert all(f["definition"] == FIGURES[f["figure"]].definition for f in body["figures"])
    rows = audit_rows(engine, action="read_programme_report")
    assert [(r.actor, r.details) for r in rows] == [
        ("analyst", {"from": "2025-01-01", "to": "2025-12-31", "area": None, "via": "api"}),
        ("admin", {"from": "2025-01-01", "to": "2025-12-31", "area": None, "via": "api"}),
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


def _take_on(client, headers, code, started, source):
    profile = factories.jobseeker(code=code, area=GOLDEN_AREA, coordinator="k.yritys",
                                  work_ability_coordinator="k.tyokyky",
                                  consent={"given_at": "2026-01-05T10:00:00Z",
                                           "scope": ["matching", "share_with_employers"]})  # fmt: skip
    profile["capacities"]["standing"] = {"level": 1, "source": "coordinator",
                                         "assessed_on": "2026-03-01"}  # fmt: skip
    body = {"profile": profile, "identity": {"name": "Kulta " + code},
            "episode": {"started_on": started.isoformat(), "referral_source": source}}  # fmt: skip
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
    a = _take_on(client, work_ability, "JS-KULTA1", t - 90 * day, "ohjaamo")
    b = _take_on(client, work_ability, "JS-KULTA2", t - 80 * day, "personal_coach")
    c = _take_on(client, work_ability, "JS-KULTA3", t - 200 * day, "health_care")
    _take_on(client, work_ability, "JS-KULTA4", t - 50 * day, "ohjaamo")
    e = _take_on(client, work_ability, "JS-KULTA5", start, "self_referral")  # the first day
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
    people = {k: v for k, v in got.items() if not k[0].startswith(("employers_", "cooperating"))}
    assert people == {
        ("enrolled", None): (4, None, None),
        ("enrolled_by_source", "ohjaamo"): (2, 0.5, None),
        ("enrolled_by_source", "personal_coach"): (1, 0.25, None),
        ("enrolled_by_source", "self_referral"): (1, 0.25, None),
        ("ended", None): (4, None, None),
        ("went_through", None): (2, 0.5, None),
        ("not_reached", None): (1, 0.25, None),
        ("stopped_contact", None): (1, 0.25, None),
        ("still_open", None): (2, None, None),
        ("ended_by_path", "education"): (1, 0.25, None),
        ("ended_by_path", "job_search"): (1, 0.25, None),
        ("ended_by_path", "not_reached"): (1, 0.25, None),
        ("ended_by_path", "stopped_contact"): (1, 0.25, None),
        ("days_to_first_proposal", None): (50.0, None, 1),
        ("days_to_end", None): (80.0, None, 4),
        ("proposals", None): (1, None, None),
        ("hires", None): (1, None, None),
    }
    assert got[("employers_hired", None)][0] >= 1  # the hiring employer, network-wide
    assert not body["empty"]
    _the_files_say_what_the_report_says(client, auth(tokens["analyst"]), params, body)
    before_last = client.get(REPORT, params=params | {"to": (t - day).isoformat()},
                             headers=auth(tokens["analyst"])).json()  # fmt: skip
    ended = {f["figure"]: f["value"] for f in before_last["figures"] if f["key"] is None}
    assert (ended["ended"], ended["stopped_contact"], ended["still_open"]) == (3, 0, 3)
    assert ended["proposals"] == 0 and ended["days_to_first_proposal"] is None


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
    head, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert head[:9] == ["Alkaen", "Päättyen", "Alue", "Osio", "Luku", "Erittely", "Määrä",
                        "Osuus prosentteina", "Mitattu joukosta"]  # fmt: skip
    assert len(rows) == len(body["figures"])
    assert {tuple(r[:3]) for r in rows} == {(params["from"], params["to"], params["area"])}
    enrolled = [r for r in rows if r[4] == "Aloittaneet" and r[5] is None]
    assert [r[6] for r in enrolled] == [4] and isinstance(enrolled[0][6], int)
    (ohjaamo,) = [r for r in rows if r[5] == "Ohjaamo"]
    assert (ohjaamo[6], ohjaamo[7]) == (2, 50.0)
    (median,) = [r for r in rows if r[4] == "Päiviä päättymiseen (mediaani)"]
    assert (median[6], median[8]) == (80.0, 4)
    csv_file = client.get(f"{REPORT}.csv", params=params | {"lang": "en"}, headers=headers)
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    table = pd.read_csv(io.StringIO(csv_file.content.decode("utf-8-sig")))
    assert list(table.columns[:3]) == ["From", "To", "Area"] and len(table) == len(rows)
    labels = {f["label"] for f in body["figures"]}
    assert set(table["Figure"]) == labels  # the same figures, in the reader's language
    json_values = sorted(float(f["value"]) for f in body["figures"] if f["value"] is not None)
    assert sorted(table["Number"].dropna().astype(float)) == json_values


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
    frames = {"episodes": tables["service_episode"], "proposals": proposals,
              "outcomes": outcomes, "employers": tables["employer"], "hires": hires,
              "changes": pd.DataFrame(columns=["employer_id", "on", "before", "after"])}  # fmt: skip
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


# --- the page ----------------------------------------------------------------------------------

PAGE = "/ui/reports/programme"


def test_the_page_shows_each_figure_beside_its_definition_in_the_users_language(service):
    client, tokens, area, *_ = service
    client.cookies.set(SESSION, tokens["coordinator"])
    assert client.get(PAGE).status_code == 404  # no such page for a coordinator
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
    assert "Päättyen: jakso päättyy ennen kuin se alkaa" in refused.text
    assert 'id="figure-enrolled"' not in refused.text
    unknown = client.get(PAGE, params={"area": "Atlantis"})
    assert unknown.status_code == 422 and "aluetta ”Atlantis” ei ole" in unknown.text
    # The page's period and area, downloaded: a link each; a refused choice is the page again.
    assert 'href="/ui/reports/programme.xlsx?from=2024-01-01&amp;to=' in page.text
    sheet = client.get(f"{PAGE}.csv", params={"from": "2024-01-01"})
    assert sheet.status_code == 200 and "Aloittaneet" in sheet.content.decode("utf-8-sig")
    bad_file = client.get(f"{PAGE}.xlsx", params={"from": "2026-03-01", "to": "2026-02-01"})
    assert bad_file.status_code == 422 and "jakso päättyy ennen kuin se alkaa" in bad_file.text
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


def test_tasma_report_prints_the_same_report_as_json_and_refuses_a_coordinator(
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
    refused = runner.invoke(app, ["report", "--as", "cc"])
    assert refused.exit_code != 0 and "lacks the permission 'read_reports'" in refused.output
    bad = runner.invoke(app, ["report", "--from", "2025-02-01", "--to", "2025-01-01", "--as",
                              "ana"])  # fmt: skip
    assert bad.exit_code != 0 and "ends" in bad.output
    with transaction(engine) as s:
        rows = s.scalars(sa.select(AuditRow.details)
                         .where(AuditRow.action == "read_programme_report")).all()  # fmt: skip
    assert [r["via"] for r in rows] == ["cli", "cli", "cli-xlsx"]
    engine.dispose()
