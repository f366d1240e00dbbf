"""The programme's events (#29, "25 events, own and co-organised"): recorded by the coordinators
of their own area (and administrators), dated the day held and checked for sense, who came as
counts only, withdrawn when recorded by mistake and kept; the API on SQLite and PostgreSQL (who
may, another area's event a 404, nothing stored on a refusal, the audit rows), the page (a
refused form keeps what was typed), and the report's figures counted from them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from api.events.service import NETWORK_CHOICES
from api.http.csrf import SESSION
from api.storage.tables import EmployerRow, ProgrammeEventEmployerRow, ProgrammeEventRow
from features.reports import FIGURES, SECTIONS, SHARED, Period, event_figures
from features.schemas.dates import today_in_finland
from features.schemas.programme_event import EventKind
from tests.test_api import audit_rows, auth

D = date.fromisoformat
EVENTS = "/events"


def _today() -> date:
    return today_in_finland(datetime.now(UTC))


def _stored(engine) -> int:
    with engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(ProgrammeEventRow)) or 0


def _taking_part(engine) -> int:
    with engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(ProgrammeEventEmployerRow)) or 0


def _network(engine, n: int = 2, *, status: str | None = None) -> list[int]:
    """Employers the form offers (or of ``status``)."""
    statuses = [status] if status else [s.value for s in NETWORK_CHOICES]
    with engine.connect() as c:
        return list(c.scalars(sa.select(EmployerRow.id)
                              .where(EmployerRow.network_status.in_(statuses))
                              .order_by(EmployerRow.id).limit(n)))  # fmt: skip


def _event(**extra) -> dict:
    return {"held_on": (_today() - timedelta(days=3)).isoformat(), "name": "DuuniWork",
            "kind": "recruitment", "in_cooperation": True, "partner": "Alpi",
            "clients": 14, "employers": 6, "others": 3} | extra  # fmt: skip


# --- the pure function ---------------------------------------------------------------------


def test_event_figures_count_the_periods_events_by_kind_and_organiser_and_add_who_came():
    period = Period(D("2026-01-01"), D("2026-03-31"))
    events = pd.DataFrame(
        [(1, D("2025-12-31"), "recruitment", True, 40, 10, 2),  # the day before: out
         (2, D("2026-01-01"), "recruitment", True, 30, 8, 0),  # the first day: in
         (3, D("2026-02-14"), "info_session", False, 12, 0, 4),
         (4, D("2026-03-31"), "wellbeing", False, 25, 1, 10),  # the last day: in
         (5, D("2026-04-01"), "job_search", False, 9, 0, 0)],  # the day after: out
        columns=["id", "held_on", "kind", "in_cooperation", "clients", "employers", "others"],
    )  # fmt: skip
    taking_part = pd.DataFrame([(1, 7), (2, 7), (2, 8), (4, 8), (5, 9)],
                               columns=["event_id", "employer_id"])  # fmt: skip
    values = event_figures(events, taking_part, period)
    one = {f.figure: f for f in values if f.key is None}
    assert one["events_held"].value == 3
    assert (one["event_clients"].value, one["event_employers"].value,
            one["event_others"].value) == (67, 9, 14)  # fmt: skip
    assert one["event_network_employers"].value == 2  # 7 and 8, each once (8 at two events)
    kinds = {f.key: f for f in values if f.figure == "events_by_kind"}
    assert set(kinds) == {k.value for k in EventKind}  # every kind, zeros included
    assert (kinds["recruitment"].value, kinds["info_session"].value,
            kinds["wellbeing"].value, kinds["job_search"].value) == (1, 1, 1, 0)  # fmt: skip
    assert kinds["recruitment"].share == 1 / 3
    organisers = {f.key: f.value for f in values if f.figure == "events_by_organiser"}
    assert organisers == {"own": 2, "cooperation": 1}
    assert sum(f.value for f in kinds.values()) == one["events_held"].value


def test_an_empty_period_of_events_counts_zero_and_divides_by_nothing():
    empty = pd.DataFrame(columns=["id", "held_on", "kind", "in_cooperation", "clients",
                                  "employers", "others"])  # fmt: skip
    values = event_figures(empty, pd.DataFrame(columns=["event_id", "employer_id"]),
                           Period(D("2026-01-01"), D("2026-12-31")))  # fmt: skip
    assert all(f.value == 0 for f in values)
    assert all(f.share is None for f in values if f.figure in SHARED)


def test_the_events_section_is_in_the_report_with_each_figure_defined():
    (events,) = [ids for name, ids in SECTIONS if name == "events"]
    assert set(events) == {f for f in FIGURES if f.startswith(("events_", "event_"))}
    for figure in events:
        assert FIGURES[figure].label and FIGURES[figure].definition
    assert "counts twice" in FIGURES["event_clients"].definition
    assert "no small number is hidden" in FIGURES["events_by_kind"].definition


# --- the service through the API --------------------------------------------------------------


def test_a_coordinator_records_their_own_areas_event_audited_and_reads_it(service):
    client, tokens, area, _mine, engine = service
    network = _network(engine)
    made = client.post(EVENTS, json=_event(network_employers=network),
                       headers=auth(tokens["coordinator"]))  # fmt: skip
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["area"] == area and body["kind"] == "recruitment" and body["partner"] == "Alpi"
    assert {e["id"] for e in body["network_employers"]} == set(network)
    assert all(e["name"] for e in body["network_employers"])  # organisations, by name
    (row,) = audit_rows(engine, action="record_programme_event")
    assert row.object_id == str(body["id"]) and row.details["area"] == area
    assert "DuuniWork" not in str(row.details) and "Alpi" not in str(row.details)
    # The other coordinator of the area reads it; another area's coordinator gets a 404.
    assert (
        client.get(f"{EVENTS}/{body['id']}", headers=auth(tokens["work_ability"])).status_code
        == 200
    )
    other = client.get(f"{EVENTS}/{body['id']}", headers=auth(tokens["other_area"]))
    assert other.status_code == 404 and "no programme event" in other.json()["message"]
    assert audit_rows(engine, action="refused", object_type="programme_event")
    listed = client.get(EVENTS, headers=auth(tokens["work_ability"])).json()
    assert listed["data"][0]["id"] == body["id"] and listed["area"] == area
    assert {e["area"] for e in listed["data"]} == {area}  # the demo world's too, the area's only
    elsewhere = client.get(EVENTS, headers=auth(tokens["other_area"])).json()["data"]
    assert body["id"] not in {e["id"] for e in elsewhere}
    admin = client.get(EVENTS, headers=auth(tokens["admin"])).json()
    assert admin["area"] is None and body["id"] in {e["id"] for e in admin["data"]}


def test_who_may_record_and_read_events(service):
    client, tokens, area, _mine, engine = service
    before = _stored(engine)  # the demo world's own events
    for who in ("rekrypiste", "analyst", "project_manager"):
        assert client.get(EVENTS, headers=auth(tokens[who])).status_code == 403, who
        refused = client.post(EVENTS, json=_event(), headers=auth(tokens[who]))
        assert refused.status_code == 403, who
    assert client.get(EVENTS).status_code == 401
    # An administrator names a known area; a coordinator asking for another area: 404.
    unnamed = client.post(EVENTS, json=_event(), headers=auth(tokens["admin"]))
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "area"
    unknown = client.post(EVENTS, json=_event(area="Atlantis"), headers=auth(tokens["admin"]))
    assert unknown.status_code == 422
    assert (
        client.post(EVENTS, json=_event(area=area), headers=auth(tokens["admin"])).status_code
        == 201
    )
    elsewhere = client.post(EVENTS, json=_event(area="Elsewhere"),
                            headers=auth(tokens["coordinator"]))  # fmt: skip
    assert elsewhere.status_code == 404
    assert _stored(engine) == before + 1


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(service):
    client, tokens, _area, _mine, engine = service
    before = _stored(engine), _taking_part(engine)
    coordinator = auth(tokens["coordinator"])
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    cases = [
        (_event(held_on=tomorrow), "held_on"),
        (_event(held_on="1999-12-31"), "held_on"),
        (_event(kind="party"), "kind"),
        (_event(clients=-1), "clients"),
        (_event(name=""), "name"),
        (_event(in_cooperation=False), "partner"),  # a partner named for an own event
        (_event(network_employers=[99_999_999]), "network_employers"),
        (_event(employers=0, network_employers=_network(engine, 1)), "employers"),
        (_event(first_name="Matti"), "first_name"),  # no field for a person
    ]
    for body, field in cases:
        answer = client.post(EVENTS, json=body, headers=coordinator)
        assert answer.status_code == 422, (field, answer.text)
        assert field in {e["field"].split(".")[0] for e in answer.json()["errors"]}, answer.text
    assert (_stored(engine), _taking_part(engine)) == before
    assert not audit_rows(engine, action="record_programme_event")
    reversed_period = client.get(EVENTS, params={"from": "2026-03-01", "to": "2026-02-01"},
                                 headers=coordinator)  # fmt: skip
    assert reversed_period.status_code == 422


def test_an_event_recorded_by_mistake_is_withdrawn_kept_and_counted_nowhere(service):
    client, tokens, area, _mine, engine = service
    coordinator = auth(tokens["coordinator"])
    params = {"from": (_today() - timedelta(days=30)).isoformat(), "to": _today().isoformat(),
              "area": area}  # fmt: skip

    def figure(report, name):
        return next(f["value"] for f in report["figures"] if f["figure"] == name)

    analyst = auth(tokens["analyst"])
    first = client.get("/reports/programme", params=params, headers=analyst).json()
    made = client.post(EVENTS, json=_event(), headers=coordinator).json()
    before = _stored(engine)
    report = client.get("/reports/programme", params=params, headers=analyst).json()
    assert figure(report, "events_held") == figure(first, "events_held") + 1
    assert figure(report, "event_clients") == figure(first, "event_clients") + 14
    gone = client.post(f"{EVENTS}/{made['id']}/withdraw", json={"reason": "kirjattu kahdesti"},
                       headers=coordinator)  # fmt: skip
    assert gone.status_code == 200 and gone.json()["withdrawn_by"] and gone.json()["withdrawn_at"]
    again = client.post(f"{EVENTS}/{made['id']}/withdraw", json={"reason": "taas"},
                        headers=coordinator)  # fmt: skip
    assert again.status_code == 409
    assert _stored(engine) == before  # kept whole
    report = client.get("/reports/programme", params=params, headers=analyst).json()
    assert figure(report, "events_held") == figure(first, "events_held")
    (row,) = audit_rows(engine, action="withdraw_programme_event")
    assert "kahdesti" not in str(row.details)  # the reason stays in the row, not the trail


# --- the page ----------------------------------------------------------------------------------


def test_a_period_with_only_an_event_held_is_not_an_empty_report(service):
    """The report says "nothing happened" only when no episode, proposal nor event did."""
    client, tokens, area, _mine, _engine = service
    other = auth(tokens["other_area"])  # an area whose people have no history
    period = {"from": (_today() - timedelta(days=30)).isoformat(), "to": _today().isoformat()}
    before = client.get("/reports/programme", params=period, headers=other).json()
    assert before["empty"] is True
    assert client.post(EVENTS, json=_event(), headers=other).status_code == 201
    after = client.get("/reports/programme", params=period, headers=other).json()
    assert after["empty"] is False
    held = {f["figure"]: f["value"] for f in after["figures"] if f["key"] is None}
    assert held["events_held"] == 1 and held["event_clients"] == 14


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def test_the_page_lists_the_areas_events_and_a_refused_form_keeps_what_was_typed(service):
    client, tokens, area, _mine, engine = service
    client.cookies.set(SESSION, tokens["rekrypiste"])
    assert client.get("/ui/events").status_code == 404  # no such page for a Rekrypiste
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/events")
    assert page.status_code == 200 and 'href="/ui/events"' in page.text  # in the menu
    assert "Kirjaa tapahtuma" in page.text
    empty = client.get("/ui/events", params={"from": "2001-01-01", "to": "2001-12-31"})
    assert "Ei tapahtumia tällä jaksolla." in empty.text
    before = _stored(engine)
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    sent = {"csrf": _csrf(page.text), "held_on": tomorrow, "name": "Työnhakutori",
            "kind": "job_search", "partner": "Ohjaamo", "clients": "kolme",
            "employers": "2", "others": ""}  # fmt: skip
    refused = client.post("/ui/events", data=sent)
    assert refused.status_code == 422, refused.text
    assert 'id="error-summary"' in refused.text
    assert "Pidetty" in refused.text and "Asiakkaita paikalla: anna kokonaisluku." in refused.text
    assert 'value="Työnhakutori"' in refused.text and 'value="kolme"' in refused.text
    assert 'value="Ohjaamo"' in refused.text and 'value="job_search" selected' in refused.text
    assert _stored(engine) == before
    good = sent | {"held_on": _today().isoformat(), "clients": "12", "in_cooperation": "on"}
    made = client.post("/ui/events", data=good, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/ui/events?message=recorded"
    listed = client.get("/ui/events?message=recorded")
    assert "Tapahtuma on kirjattu." in listed.text and "Työnhakutori" in listed.text
    assert "työnhaun tuki" in listed.text and "yhteistyössä: Ohjaamo" in listed.text
    (row,) = audit_rows(engine, action="record_programme_event")
    assert row.details["via"] == "web" and row.details["area"] == area
    (event_id,) = [r.object_id for r in audit_rows(engine, action="record_programme_event")]
    # Withdrawn without a reason: said at that row's own field, which the summary links to.
    bare = client.post(f"/ui/events/{event_id}/withdraw",
                       data={"csrf": _csrf(listed.text), "reason": ""})  # fmt: skip
    assert bare.status_code == 422
    assert f'href="#withdraw-reason-{event_id}"' in bare.text
    assert f'id="withdraw-reason-{event_id}" name="reason"' in bare.text
    assert 'aria-invalid="true"' in bare.text
    withdrawn = client.post(f"/ui/events/{event_id}/withdraw",
                            data={"csrf": _csrf(listed.text), "reason": "väärä päivä"},
                            follow_redirects=False)  # fmt: skip
    assert withdrawn.status_code == 303
    assert "väärä päivä" in client.get("/ui/events").text
    client.cookies.set("lang", "en")
    english = client.get("/ui/events")
    assert "Record an event" in english.text and "job-search help" in english.text


def _form(html: str, **extra) -> dict:
    return {"csrf": _csrf(html), "held_on": (_today() - timedelta(days=2)).isoformat(),
            "name": "Tiistairekry", "kind": "recruitment", "clients": "5", "employers": "2",
            "others": ""} | extra  # fmt: skip


def test_digits_of_other_scripts_are_refused_beside_their_field_not_a_500(service):
    client, tokens, _area, mine, engine = service
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/events")
    before = _stored(engine)
    for clients, others, employers in (("²", "³", "2"), ("١٢", "0", "٣")):
        sent = _form(page.text, clients=clients, others=others, employers=employers,
                     network_employers=["²"])  # fmt: skip
        refused = client.post("/ui/events", data=sent)
        assert refused.status_code == 422, refused.text
        assert "Asiakkaita paikalla: anna kokonaisluku." in refused.text
        assert 'id="err-event-network"' in refused.text
        assert "Mukana olleet verkoston työnantajat: anna kokonaisluku." in refused.text
        assert 'id="err-event-clients"' in refused.text
    assert "Työnantajia paikalla: anna kokonaisluku." in refused.text  # ٣, not 3
    assert _stored(engine) == before
    # The same on another page: a task's number in superscript is no task's number.
    why_not = client.get(f"/ui/jobseekers/{mine[0]}/why-not", params={"task_id": "²"})
    assert why_not.status_code == 422
    assert "tehtävän numero on nollaa suurempi kokonaisluku" in why_not.text


def test_every_problem_of_a_form_is_said_at_once(service):
    client, tokens, _area, _mine, engine = service
    future = (_today() + timedelta(days=30)).isoformat()
    before = _stored(engine)
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/events")
    contacted = _network(engine, 1, status="contacted")
    sent = _form(page.text, held_on=future, partner="Kela", clients="-3", employers="abc",
                 network_employers=[str(i) for i in contacted])  # fmt: skip
    refused = client.post("/ui/events", data=sent)
    assert refused.status_code == 422, refused.text
    for anchor in ("event-held-on", "event-partner", "event-clients", "event-employers",
                   "event-network"):  # fmt: skip
        assert f'href="#{anchor}"' in refused.text, anchor
    assert "Pidetty: tapahtunut asia päivätään tälle päivälle" in refused.text
    assert "Asiakkaita paikalla: vähintään 0." in refused.text
    # The API too: each field in one answer.
    body = _event(held_on=future, in_cooperation=False, partner="Kela", clients=-3,
                  employers="abc")  # fmt: skip
    answer = client.post(EVENTS, json=body, headers=auth(tokens["coordinator"]))
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} >= {
        "held_on", "partner", "clients", "employers"}  # fmt: skip
    assert _stored(engine) == before


def test_only_the_network_employers_the_form_offers_are_taken(service):
    client, tokens, _area, _mine, engine = service
    coordinator = auth(tokens["coordinator"])
    before = _stored(engine), _taking_part(engine)
    for status in ("contacted", "prospect"):
        ids = _network(engine, 1, status=status)
        assert ids, status  # the demo world has such employers
        answer = client.post(EVENTS, json=_event(network_employers=ids), headers=coordinator)
        assert answer.status_code == 422, (status, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == ["network_employers"]
    assert (_stored(engine), _taking_part(engine)) == before
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/events")
    contacted = _network(engine, 1, status="contacted")
    refused = client.post("/ui/events",
                          data=_form(page.text, network_employers=[str(contacted[0])]))  # fmt: skip
    assert refused.status_code == 422
    assert (f"Mukana olleet verkoston työnantajat: työnantaja numero {contacted[0]} ei ole "
            "valittavien joukossa") in refused.text  # fmt: skip


def test_values_past_the_browsers_limits_are_said_beside_their_field(service):
    client, tokens, _area, _mine, engine = service
    client.cookies.set(SESSION, tokens["coordinator"])
    page = client.get("/ui/events")
    sent = _form(page.text, name="x" * 401, clients="1" * 17, partner="y" * 401,
                 in_cooperation="on")  # fmt: skip
    refused = client.post("/ui/events", data=sent)
    assert refused.status_code == 422, refused.text
    assert "Tapahtuman nimi: enintään 200 merkkiä." in refused.text
    assert "Yhteistyökumppani: enintään 200 merkkiä." in refused.text
    assert "Asiakkaita paikalla: enintään 100000." in refused.text
    assert 'value="' + "1" * 17 + '"' in refused.text


def test_a_refused_withdrawal_says_so_keeps_the_reason_the_row_open_and_the_period(service):
    client, tokens, _area, _mine, engine = service
    client.cookies.set(SESSION, tokens["coordinator"])
    made = client.post(EVENTS, json=_event(), headers=auth(tokens["coordinator"])).json()
    picks = {"from": (_today() - timedelta(days=40)).isoformat(), "to": _today().isoformat()}
    page = client.get("/ui/events", params=picks)
    assert f'name="from" value="{picks["from"]}"' in page.text
    assert page.text.count('type="hidden" name="from"') >= 1  # each row's withdrawal carries it
    short = client.post(f"/ui/events/{made['id']}/withdraw",
                        data={"csrf": _csrf(page.text), "reason": "ok"} | picks)  # fmt: skip
    assert short.status_code == 422
    assert "Tapahtumaa ei peruttu:" in short.text and "ei kirjattu" not in short.text
    assert f'id="withdraw-reason-{made["id"]}" name="reason" value="ok"' in short.text
    row = short.text[short.text.index(f'id="event-{made["id"]}"') :]
    assert row[: row.index("</tr>")].count("<details open>") == 1
    assert short.text.count("<details open>") == 1  # that row's only
    assert f'id="events-from" name="from" value="{picks["from"]}"' in short.text
    done = client.post(f"/ui/events/{made['id']}/withdraw",
                       data={"csrf": _csrf(page.text), "reason": "kahdesti"} | picks,
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == (f"/ui/events?message=withdrawn&from={picks['from']}"
                                        f"&to={picks['to']}")  # fmt: skip
    again = client.post(f"/ui/events/{made['id']}/withdraw",
                        data={"csrf": _csrf(page.text), "reason": "toisesta välilehdestä"}
                        | picks)  # fmt: skip
    assert again.status_code == 409
    assert "Tapahtumaa ei peruttu:" in again.text and "Tapahtuma on jo peruttu." in again.text
    assert f'href="#event-{made["id"]}"' in again.text
    assert f'id="events-from" name="from" value="{picks["from"]}"' in again.text
    client.cookies.set("lang", "en")
    english = client.post(f"/ui/events/{made['id']}/withdraw",
                          data={"csrf": _csrf(page.text), "reason": "x"})  # fmt: skip
    assert "The event was not withdrawn:" in english.text


def test_another_area_on_the_events_page_is_said_of_events_where_it_can_be_chosen(service):
    client, tokens, area, _mine, _engine = service
    client.cookies.set(SESSION, tokens["coordinator"])
    listing = client.get("/ui/events", params={"area": "PH-Hollola"})
    assert listing.status_code == 422
    said = f"Alue: näet vain oman alueesi ({area}) tapahtumat."
    assert said in listing.text and "raportin" not in listing.text
    assert "Tapahtumia ei voitu näyttää:" in listing.text and "ei kirjattu" not in listing.text
    assert 'href="#event-area' not in listing.text  # a coordinator has no area picker
    page = client.get("/ui/events")
    forged = client.post("/ui/events", data=_form(page.text, area="PH-Hollola"))
    assert forged.status_code == 422
    assert said in forged.text and "Tapahtumaa ei kirjattu:" in forged.text
    assert 'href="#event-area' not in forged.text
    client.cookies.set(SESSION, tokens["admin"])
    unknown = client.get("/ui/events", params={"area": "Atlantis"})
    assert unknown.status_code == 422 and 'href="#event-area-pick"' in unknown.text
    assert 'id="err-event-area-pick"' in unknown.text
