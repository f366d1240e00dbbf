"""The profile editor in sections (issue #30 item 8), in a real browser (headless Chromium), at
desktop (1280) and phone (390 × 844) size: a section's Save stores that section and nothing
else (and no new version when nothing changed); a refused section opens at its own error
summary with what was typed kept and nothing stored; the page is valid markup, fits a phone
without sideways scrolling, shows every column at 1280 px, and every box and button is at
least 24 × 24 px (WCAG 2.2, 2.5.8)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from api.storage import repository
from api.storage.tables import JobseekerRow
from features.catalogue import CHARACTERISTICS
from tests.web_ui import SHOTS, login

PHONE_SIZE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SIZES = pytest.mark.parametrize("size", [{}, PHONE_SIZE], ids=["desktop", "phone"])

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip
_PARENTS = {"td": {"tr"}, "th": {"tr"}, "tr": {"thead", "tbody", "tfoot", "table"},
            "thead": {"table"}, "tbody": {"table"}, "tfoot": {"table"}, "caption": {"table"},
            "option": {"select", "optgroup"}, "li": {"ul", "ol"}, "legend": {"fieldset"}}  # fmt: skip


def markup_problems(html: str) -> list[str]:
    """What an HTML validator would say of the page's structure: an element closed out of
    order or never, a table's cell outside a row (or a row outside a table), an option outside
    a select, an id twice."""

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.ids: set[str] = set()
            self.problems: list[str] = []

        def where(self) -> str:
            return f"line {self.getpos()[0]}"

        def handle_starttag(self, tag, attrs):
            parent = self.open[-1] if self.open else None
            if tag in _PARENTS and parent not in _PARENTS[tag]:
                self.problems.append(f"{self.where()}: <{tag}> inside <{parent}>")
            if (anchor := dict(attrs).get("id")) is not None:
                if anchor in self.ids:
                    self.problems.append(f"{self.where()}: id {anchor!r} twice")
                self.ids.add(anchor)
            if tag not in _VOID:
                self.open.append(tag)

        def handle_startendtag(self, tag, attrs):
            self.handle_starttag(tag, attrs)
            if tag not in _VOID:
                self.open.pop()

        def handle_endtag(self, tag):
            if tag in _VOID:
                return
            if not self.open or self.open[-1] != tag:
                self.problems.append(f"{self.where()}: </{tag}> closes <{self.open[-1:]}>")
                if tag in self.open:
                    del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
                return
            self.open.pop()

    checker = Checker()
    checker.feed(html)
    checker.close()
    if checker.open:
        checker.problems.append(f"never closed: {checker.open}")
    return checker.problems


def test_the_markup_checker_finds_a_cell_outside_a_row():
    assert markup_problems("<table><tbody><tr><td>a</td></tr></tbody></table>") == []
    assert markup_problems("<table><tbody><th>a</th><td>b</td></tbody></table>") == [
        "line 1: <th> inside <tbody>", "line 1: <td> inside <tbody>"]  # fmt: skip
    assert markup_problems("<div><span></div>")[0].startswith("line 1: </div> closes")


_TOO_SMALL = """() => [...document.querySelectorAll(
    'input[type=checkbox], input[type=radio], button, input[type=submit]')]
  .filter(e => e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.name || e.textContent.trim(), r.width, r.height]; })
  .filter(([, w, h]) => w < 24 || h < 24)"""
_TABLES_CUT = """() => [...document.querySelectorAll('table')]
  .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1 || t.getBoundingClientRect().right > innerWidth)
  .map(t => t.closest('section') ? t.closest('section').id : t.className)"""
_WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"""


def _person(engine, offset: int) -> int:
    """An active person of the work-ability coordinator's area (a different one per test)."""
    with engine.connect() as c:
        area = c.scalar(sa.text("SELECT area FROM app_user WHERE name = 'tiina.tyokyky'"))
        return c.scalar(sa.select(JobseekerRow.id).where(JobseekerRow.area == area)
                        .where(JobseekerRow.status == "active")
                        .order_by(JobseekerRow.id).offset(offset))  # fmt: skip


def _stored(engine, person: int) -> tuple[dict, int]:
    """The person's stored profile (as JSON) and how many versions of it there are."""
    with Session(engine) as s:
        profile = repository.get_jobseeker(s, jobseeker_id=person).model_dump(mode="json")
        versions = s.scalar(sa.text("SELECT count(*) FROM jobseeker_history "
                                    "WHERE jobseeker_id = :p"), {"p": person})  # fmt: skip
    return profile, versions


def _without(profile: dict, characteristics: set[str]) -> dict:
    return profile | {"capacities": {k: v for k, v in profile["capacities"].items()
                                     if k not in characteristics}}  # fmt: skip


def _fits(page: Page, width: int) -> None:
    """No sideways scrolling, every table whole on the screen, every target big enough."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (scroll, page.evaluate(_WIDER_THAN_SCREEN))
    assert page.evaluate(_TABLES_CUT) == []
    assert page.evaluate(_TOO_SMALL) == []


@SIZES
def test_a_section_saves_only_itself(server, browser, size):
    base, engine = server
    person = _person(engine, 0 if size else 1)
    before, versions = _stored(engine, person)
    page = login(browser, base, "tiina.tyokyky", "salasana-5", **size)
    width = page.viewport_size["width"]
    editor = page.goto(f"{base}/ui/jobseekers/{person}/edit")
    assert editor is not None and editor.status == 200
    assert markup_problems(editor.text()) == []
    _fits(page, width)
    # A form per section, each with its own Save.
    sections = page.locator("section.editor-section")
    expect(sections).to_have_count(11)
    expect(page.locator("section.editor-section form button[type=submit]")).to_have_count(11)
    # The kilograms show at 1280 px, the column not cut off.
    kg = page.locator("#kg_lifting").bounding_box()
    assert kg and kg["x"] + kg["width"] <= width

    handling = page.locator("section#manual_handling")
    handling.get_by_label("Nostaminen", exact=True).select_option("2")
    handling.locator("#kg_lifting").fill("7.5")
    # Typed in another section and not saved: asked about first, and left, not stored either.
    page.locator("#goals").fill("Tämä ei tallennu.")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation(wait_until="load"):
        handling.get_by_role("button", name="Tallenna").click()
    assert page.url.endswith(f"/ui/jobseekers/{person}/edit?saved=manual_handling#manual_handling")
    notice = page.locator("section#manual_handling p.ok[role=status]")
    expect(notice).to_have_text("Osio tallennettu.")
    expect(notice).to_be_in_viewport()
    after, versions_after = _stored(engine, person)
    assert after["capacities"]["lifting"]["level"] == 2
    assert after["capacities"]["lifting"]["kilograms"] == 7.5
    handling_ids = {cid for cid, c in CHARACTERISTICS.items() if c.group.value == "manual_handling"}
    assert _without(after, handling_ids) == _without(before, handling_ids)
    assert after["goals"] == before["goals"]
    assert versions_after == versions + 1
    page.screenshot(path=SHOTS / f"editor-saved-{'phone' if size else 'desktop'}.png",
                    full_page=True)  # fmt: skip
    # Saved again as it is: nothing changes, no new version.
    with page.expect_navigation(wait_until="load"):
        page.locator("section#manual_handling").get_by_role("button", name="Tallenna").click()
    assert _stored(engine, person) == (after, versions_after)
    _fits(page, width)
    page.close()


@SIZES
def test_a_refused_section_opens_at_its_summary_keeps_what_was_typed_and_stores_nothing(
    server, browser, size
):
    base, engine = server
    person = _person(engine, 2 if size else 3)
    before = _stored(engine, person)
    page = login(browser, base, "tiina.tyokyky", "salasana-5", **size)
    width = page.viewport_size["width"]
    page.goto(f"{base}/ui/jobseekers/{person}/edit")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    availability = page.locator("section#availability")
    availability.get_by_label("Tavoitteet ja toiveet").fill("Haluaa aamuvuoroja.")
    availability.get_by_label("Vähintään tuntia viikossa").fill("30")
    availability.get_by_label("Enintään tuntia viikossa").fill("10")
    with page.expect_navigation(wait_until="load"):
        availability.get_by_role("button", name="Tallenna").click()
    summary = page.locator("#error-summary")
    expect(summary).to_have_count(1)
    expect(page.locator("section#availability #error-summary")).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # At the top of the screen, its section's fields below it (not at the foot of the screen).
    box = summary.bounding_box()
    assert box and box["y"] < 60, box
    expect(summary).to_contain_text("Tätä osiota ei tallennettu")
    expect(summary).to_contain_text("Viikkotuntien vähimmäismäärä (30) on suurempi")
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#hours_min")
    expect(page.locator("#hours_min")).to_have_attribute("aria-invalid", "true")
    # What was typed is kept; the other sections show what is stored.
    expect(page.locator("#hours_min")).to_have_value("30")
    expect(page.locator("#hours_max")).to_have_value("10")
    expect(page.locator("#goals")).to_have_value("Haluaa aamuvuoroja.")
    stored_level = before[0]["capacities"].get("standing", {}).get("level")
    expect(page.locator("#level_standing")).to_have_value(
        "" if stored_level is None else str(stored_level)
    )
    assert markup_problems(page.content()) == []
    _fits(page, width)
    page.screenshot(path=SHOTS / f"editor-refused-{'phone' if size else 'desktop'}.png")
    assert _stored(engine, person) == before
    # Corrected, it is saved, and only it.
    page.locator("#hours_min").fill("5")
    with page.expect_navigation(wait_until="load"):
        page.locator("section#availability").get_by_role("button", name="Tallenna").click()
    expect(page.locator("section#availability p.ok[role=status]")).to_be_visible()
    after, versions = _stored(engine, person)
    assert after["availability"]["weekly_hours_min"] == 5.0
    assert after["goals"] == "Haluaa aamuvuoroja."
    assert after | {"availability": None, "goals": None} == before[0] | {
        "availability": None, "goals": None}  # fmt: skip
    assert versions == before[1] + 1
    page.close()


def test_the_sections_in_english(server, browser):
    base, engine = server
    person = _person(engine, 4)
    page = login(browser, base, "tiina.tyokyky", "salasana-5")
    page.goto(f"{base}/ui/lang/en?next=/ui/jobseekers/{person}/edit")
    expect(page.get_by_role("heading", name="Licences and consent")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Sections of the profile").get_by_role("link")
    ).to_have_count(11)
    expect(page.locator("section#licences").get_by_role("button", name="Save")).to_have_count(1)
    page.close()


def test_unsaved_changes_are_said_and_asked_about_before_they_are_lost(server, browser):
    """A section changed and not saved says so beside its Save; saving another section (or
    leaving the page) then asks first — the browser's own question —, and the changes stay on
    the screen when the person stays. Saving the changed section itself asks nothing."""
    base, engine = server
    person = _person(engine, 5)
    before = _stored(engine, person)
    page = login(browser, base, "tiina.tyokyky", "salasana-5")
    page.goto(f"{base}/ui/jobseekers/{person}/edit")
    note = page.locator("section#availability .unsaved-note")
    expect(note).to_have_text("")
    goals = page.locator("#goals")
    was = goals.input_value()
    goals.fill("Haluaa iltavuoroja.")
    expect(note).to_have_text("Osiossa on tallentamattomia muutoksia.")
    expect(note).to_be_visible()
    expect(note).to_have_attribute("role", "status")
    expect(page.locator("section#manual_handling .unsaved-note")).to_have_text("")
    goals.fill(was)  # as it was: nothing to lose
    expect(note).to_have_text("")
    goals.fill("Haluaa iltavuoroja.")
    asked: list[str] = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("section#manual_handling").get_by_role("button", name="Tallenna").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == f"{base}/ui/jobseekers/{person}/edit"
    expect(goals).to_have_value("Haluaa iltavuoroja.")
    assert _stored(engine, person) == before
    page.remove_listener("dialog", stay)
    # Its own Save asks nothing, and stores it.
    page.on("dialog", stay)
    with page.expect_navigation(wait_until="load"):
        page.locator("section#availability").get_by_role("button", name="Tallenna").click()
    assert asked == ["beforeunload"]
    expect(page.locator("section#availability p.ok[role=status]")).to_be_visible()
    assert _stored(engine, person)[0]["goals"] == "Haluaa iltavuoroja."
    expect(page.locator("section#availability .unsaved-note")).to_have_text("")
    page.close()
