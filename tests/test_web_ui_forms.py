"""Every form of a person's page, refused, in a real browser (headless Chromium): the page opens
at that form's error summary — focused, on the screen at desktop and phone size — never at
the top of a 5 000-pixel page with the message far below; each problem names its field, the
field is marked, and what was typed is kept. The browser's own checks are switched off first
(``noValidate``), as if the form were sent by a browser without them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from api.storage.tables import JobseekerRow
from features.schemas.dates import today_in_finland
from tests.web_ui import hired_person, login

PHONE_SIZE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

_UNCHECKED = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  document.querySelectorAll('form').forEach(f => f.noValidate = true);
}"""


@pytest.fixture(scope="module")
def hired(server):
    """A person of the coordinators' area with a proposal that led to a hire (the follow-up
    forms show) — the person's id and the proposal's."""
    return hired_person(server[1])


def _send_refused(page: Page, form: str, fill: dict[str, str], choose: dict[str, str]) -> None:
    """Open every fold, switch off the browser's checks, fill ``form`` and send it."""
    page.evaluate(_UNCHECKED)
    sent = page.locator(form).first
    for name, value in choose.items():
        sent.locator(f'[name="{name}"]').select_option(value)
    for name, value in fill.items():
        sent.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation(wait_until="load"):
        sent.locator("button[type=submit]").first.click()


def _opens_at_its_summary(
    page: Page, says: list[str], marked: str | None, kept: tuple[str, str] | None
) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # At the top of the screen (the form follows below it), unless the page ends too soon to
    # scroll it that far.
    top, at_end = page.evaluate(
        "() => [document.getElementById('error-summary').getBoundingClientRect().top,"
        " window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2]"
    )
    assert top < 80 or at_end, f"the summary is {top:.0f} px down the screen"
    for words in says:
        expect(summary).to_contain_text(words)
    if marked:
        expect(page.locator(marked).first).to_have_attribute("aria-invalid", "true")
    if kept:
        expect(page.locator(kept[0]).first).to_have_value(kept[1])


def _cases(person: int, proposal: int) -> list[tuple[str, str, dict, dict, list[str], str, tuple]]:
    """(who, form, typed, chosen, the summary says, the field marked, a value kept)."""
    today = today_in_finland(datetime.now(UTC))
    tomorrow = (today + timedelta(days=1)).isoformat()
    return [
        ("anna", 'form[action$="/overrides"]', {"reason": "ab"}, {},
         ["Syy", "vähintään 3 merkkiä"], "form[action$='/overrides'] input[name=reason]",
         ("form[action$='/overrides'] input[name=reason]", "ab")),
        ("anna", f'form[action="/ui/jobseekers/{person}/handoffs"]', {"note": "ok"}, {},
         ["Mitä hänen tarvitsee tietää"], "#handoff-note", ("#handoff-note", "ok")),
        ("anna", f'form[action$="/proposals/{proposal}/events"]', {"on": tomorrow},
         {"kind": "employed_6_months"}, ["Milloin", "ei tulevaisuuteen"], f"#on-p{proposal}",
         (f"#kind-{proposal}", "employed_6_months")),
        # No step chosen: asked to choose one, at the step's field (not a decline's reason).
        ("anna", f'form[action$="/proposals/{proposal}/events"]', {"on": ""}, {"kind": ""},
         ["Kirjaa vaihe: valitse yksi."], f"#kind-{proposal}", None),
        ("anna", f'form[action="/ui/proposals/{proposal}/undo"]', {"reason": ""}, {},
         ["Miksi", "täytä tämä kenttä"], f"#undo-p{proposal}", None),
        ("anna", f'form[action="/ui/proposals/{proposal}/follow-up/plan"]',
         {"starts_on": (today - timedelta(days=5)).isoformat(), "contract_end": "",
          "coach_hours": "10, 12"}, {"contract_type": "fixed_term"},
         ["määräaikaisella sopimuksella on päättymispäivä", "viikolla 2 on 12 tuntia"],
         f"#ends-{proposal}", (f"#coach-{proposal}", "10, 12")),
        ("anna", f'form[action="/ui/proposals/{proposal}/follow-up/visits"]',
         {"planned_on": ""}, {"with_whom": "employer"}, ["Suunnittele käynti päivälle"],
         f"#visit-on-{proposal}", (f"#visit-with-{proposal}", "employer")),
        ("tiina", f'form[action="/ui/jobseekers/{person}/contacts"]', {"note": "Soitto"}, {},
         ["Yhteydenoton tapa: valitse yksi."], "#contact-kind", ("#contact-note", "Soitto")),
        ("tiina", f'form[action="/ui/jobseekers/{person}/referrals"]', {"note": "Lähete"}, {},
         ["Lähetteen kohde"], "#referral-kind", ("#referral-note", "Lähete")),
        ("tiina", f'form[action="/ui/jobseekers/{person}/plan/steps"]', {"what": ""}, {},
         ["Mitä tehdään"], "#plan-what", None),
        # Why not, by a task's number: a mistyped one is said at the form, the number kept.
        ("anna", 'form[action$="/why-not"]', {"task_id": "-5"}, {},
         ["Tehtävän numero: tehtävän numero on nollaa suurempi kokonaisluku"], "#task_id",
         ("#task_id", "-5")),
        ("anna", 'form[action$="/why-not"]', {"task_id": "99999999"}, {},
         ["Tehtävän numero: numerolla 99999999 ei ole tehtävää"], "#task_id",
         ("#task_id", "99999999")),
    ]  # fmt: skip


@pytest.mark.parametrize("size", [{}, PHONE_SIZE], ids=["desktop", "phone"])
def test_every_refused_form_of_a_person_page_opens_at_its_summary(server, browser, hired, size):
    base, engine = server
    person, proposal = hired
    pages = {
        "anna": login(browser, base, "anna.koordinaattori", "salasana-1", **size),
        "tiina": login(browser, base, "tiina.tyokyky", "salasana-5", **size),
    }
    with engine.connect() as c:
        stored = {t: c.scalar(sa.text(f"SELECT count(*) FROM {t}"))
                  for t in ("handoff", "follow_up_plan", "follow_up_visit", "client_contact",
                            "client_referral", "client_plan_step", "override")}  # fmt: skip
    for who, form, typed, chosen, says, marked, kept in _cases(person, proposal):
        page = pages[who]
        page.goto(f"{base}/ui/jobseekers/{person}")
        _send_refused(page, form, typed, chosen)
        _opens_at_its_summary(page, says, marked, kept)
    with engine.connect() as c:  # nothing of a refused form was stored
        assert stored == {t: c.scalar(sa.text(f"SELECT count(*) FROM {t}"))
                          for t in stored}  # fmt: skip
    for page in pages.values():
        page.close()


def test_a_refused_hand_off_refusal_and_a_second_hand_off_are_said_at_their_forms(server, browser):
    """A hand-off waits for the other coordinator: handing the person over again is said at
    the hand-off form (409); refusing it without a reason is said at the refusal's form, the
    reason typed kept; neither stores anything."""
    base, engine = server
    with engine.connect() as c:
        area = c.scalar(sa.text("SELECT area FROM app_user WHERE name = 'tiina.tyokyky'"))
        person = c.scalar(sa.select(JobseekerRow.id).where(JobseekerRow.area == area)
                          .where(JobseekerRow.status == "active")
                          .order_by(JobseekerRow.id.desc()))  # fmt: skip
    tiina = login(browser, base, "tiina.tyokyky", "salasana-5")
    tiina.goto(f"{base}/ui/jobseekers/{person}")
    _send_refused(tiina, f'form[action="/ui/jobseekers/{person}/handoffs"]',
                  {"note": "Arvio valmis."}, {})  # fmt: skip
    expect(tiina.locator("p.ok[role=status]")).to_contain_text("Siirretty")
    _send_refused(tiina, f'form[action="/ui/jobseekers/{person}/handoffs"]',
                  {"note": "Toinen kerta."}, {})  # fmt: skip
    _opens_at_its_summary(tiina, ["odottaa jo"], None, ("#handoff-note", "Toinen kerta."))
    anna = login(browser, base, "anna.koordinaattori", "salasana-1")
    anna.goto(f"{base}/ui/jobseekers/{person}")
    _send_refused(anna, 'form[action$="/refuse"]', {"reason": "x"}, {})
    _opens_at_its_summary(anna, ["vähintään 3 merkkiä"], "form[action$='/refuse'] textarea",
                          ("form[action$='/refuse'] textarea", "x"))  # fmt: skip
    with engine.connect() as c:
        waiting = c.scalar(sa.text("SELECT count(*) FROM handoff WHERE jobseeker_id = :p "
                                   "AND acknowledged_at IS NULL AND refused_at IS NULL"),
                           {"p": person})  # fmt: skip
    assert waiting == 1
