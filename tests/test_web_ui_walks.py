"""The web UI walked page by page in a real browser (headless Chromium): every kind of page fits
a phone, axe-core finds nothing serious at both sizes, Finnish pages show no codes and no
English (two walks, one per size, each checking what belongs to its size); and the long lists
page through everyone in order, losing nobody. The same walks in English are in
tests/test_web_ui_walks_english.py (a module of their own, so that the two run side by side). Apart from the
journeys (tests/test_web_ui.py) so that the two run side by side."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.languages import finnish_messages
from tests.web_ui import SHOTS, in_language, login

_login = login


PHONE = {"width": 390, "height": 844}
_OVERFLOW = """() => {
  const w = window.innerWidth, wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) wide.push(el.tagName + '.' + el.className);
  }
  return [document.documentElement.scrollWidth, wide.slice(0, 4)];
}"""


def _links(page, pattern):
    return [
        h for h in (a.get_attribute("href") for a in page.locator("a").all()) if h and pattern in h
    ]


@pytest.fixture(scope="module", autouse=True)
def second_ruleset(server):
    """A second rule-set version beside the active one, so that the walks reach a
    comparison's result."""
    add_second_ruleset(server[1])


def add_second_ruleset(engine) -> None:
    """The walks' second rule-set version ("near-walk"), stored in the served world."""
    from api.storage import rulesets as store
    from api.storage.engine import transaction
    from matching.rules import default_ruleset

    rules = default_ruleset()
    near = rules.model_copy(
        update={"version": "near-walk", "weights": rules.weights.model_copy(update={"distance": 2})}
    )
    with transaction(engine) as s:
        store.ensure_default(s)
        store.add_ruleset(s, near, author="aino.analyytikko", parent=rules.version, note="walk")


WORDS = {
    "fi": {"compare": "Vertaa historiaan", "verdict": "Johtopäätös",
           "printable": "Tulostettava ehdotus", "record": "Kirjaa ehdotukseksi"},
    "en": {"compare": "Compare on the history", "verdict": "Verdict",
           "printable": "Printable proposal", "record": "Record as a proposal"},
}  # fmt: skip
"""The links and buttons the walk follows, in each language of the UI."""


def _visit_every_page(browser, base, check, lang="fi", **size):
    """Every kind of /ui/ page, as each role reaches it; `check(page, address)` on each."""
    words = WORDS[lang]

    def visit(page, address):
        page.goto(address if address.startswith("http") else base + address, timeout=60_000)
        check(page, address)

    def _login(browser, base, name, password, **size):
        return login(browser, base, name, password, lang, **size)

    anonymous = in_language(browser.new_page(locale=f"{lang}-FI", **size), base, lang)
    for address in ("/ui/login", "/ui/no-such-page"):
        visit(anonymous, address)
    coordinator = _login(browser, base, "anna.koordinaattori", "salasana-1", **size)
    visit(coordinator, "/ui/jobseekers")
    person = coordinator.locator("tbody tr td:first-child a").first.get_attribute("href")
    visit(coordinator, "/ui/me")
    visit(coordinator, person)
    yield "person", coordinator
    tasks = _links(coordinator, "/tasks/")[:1]
    for address in (
        f"{person}/edit",
        f"{person}/compose",
        f"{person}/plan/print",
        *tasks,
        "/ui/requests",
        "/ui/clearing?objective=score",
        "/ui/reports/programme",
        "/ui/reports/programme?area=Muualla",
    ):  # their area's report; another refused
        visit(coordinator, address)
    visit(coordinator, "/ui/events")
    yield "events", coordinator
    visit(coordinator, "/ui/events?from=2024-01-01&to=2023-01-01")  # refused: its problems
    yield "comparison", coordinator
    rekrypiste = _login(browser, base, "reko.rekrypiste", "salasana-2", **size)
    visit(rekrypiste, "/ui/employers")
    employer = rekrypiste.locator("tbody tr td a").first.get_attribute("href")
    visit(rekrypiste, "/ui/employers/new")
    visit(rekrypiste, "/ui/tasks")
    visit(rekrypiste, "/ui/requests")
    visit(rekrypiste, employer)
    for address in (*_links(rekrypiste, "/candidates")[:1], *_links(rekrypiste, "/what-if")[:1],
                    *_links(rekrypiste, "/hand-over-options")[:1], f"{employer}/roles/new",
                    f"{employer}/compose"):  # fmt: skip
        visit(rekrypiste, address)
    printable = rekrypiste.get_by_role("link", name=words["printable"]).first
    if printable.count():
        visit(rekrypiste, printable.get_attribute("href"))
        confirm = rekrypiste.get_by_role("link", name=words["record"])
        if confirm.count():  # the confirmation before it is recorded
            visit(rekrypiste, confirm.first.get_attribute("href"))
    analyst = _login(browser, base, "aino.analyytikko", "salasana-3", **size)
    visit(analyst, "/ui/rulesets")
    visit(analyst, "/ui/rulesets/compare")
    # The comparison of the active version with the other runs in the background (tens of
    # seconds under a loaded CI): the walk waits for its result, and the next walk finds it kept.
    with analyst.expect_navigation(wait_until="load"):
        analyst.get_by_role("button", name=words["compare"]).click()
    analyst.get_by_role("region", name=words["verdict"]).wait_for(timeout=180_000)
    check(analyst, analyst.url)
    visit(analyst, "/ui/rulesets/new")
    visit(analyst, "/ui/batch")
    visit(analyst, "/ui/models")
    visit(analyst, "/ui/reports/programme")
    visit(analyst, "/ui/reports/programme?from=2024-01-01&to=2023-01-01")  # refused: its problems
    manager = _login(browser, base, "pirjo.projekti", "salasana-6", **size)
    check(manager, manager.url)  # home: the programme report
    for page in (anonymous, coordinator, rekrypiste, analyst, manager):
        page.close()


PHONE_SIZE = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def _fits_a_phone(found: list[str]):
    """A page at 390 × 844 scrolls no more than the screen sideways (wide tables and the chart
    scroll in their own box), and the capacity view is read without scrolling sideways."""

    def fits(page, address):
        width, culprits = page.evaluate(_OVERFLOW)
        if width > PHONE["width"]:
            found.append(f"{address}: {width} px ({', '.join(culprits)})")
        capacities = page.evaluate(
            "[...document.querySelectorAll('table.capacities')].map(t => {"
            " t.closest('details').open = true;"
            " return t.scrollWidth - t.parentElement.clientWidth; })"
        )
        if any(over > 0 for over in capacities):
            found.append(f"{address}: the capacity view scrolls sideways ({capacities} px)")

    return fits


def _accessible(found: list[str]):
    """axe-core's WCAG 2.1 AA rules and its best practices: nothing serious or critical."""
    axe = Axe()

    def accessible(page, address):
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "best-practice"]})  # fmt: skip
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                found.append(f"{address}: {v['id']} ({v['impact']}) {targets}")

    return accessible


_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # kitchen_catering, hit_rate_10, …


def _english_messages() -> list[str]:
    """Every catalogue message of two words or more whose Finnish differs from the English."""
    return [ids[0] for ids, strings in finnish_messages()
            if " " in ids[0] and "%" not in ids[0] and strings[0] != ids[0]]  # fmt: skip


def _in_finnish(found: list[str]):
    """A Finnish page's text and its labels for assistive technology: no code of the data
    (``kitchen_catering``) and no English message of the catalogue."""
    english = _english_messages()

    def finnish(page, address):
        text = page.evaluate("""() => [document.body.innerText,
            ...[...document.querySelectorAll('[aria-label],[title],[placeholder]')].map(e =>
              [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')]
              .filter(Boolean).join(' '))].join('\\n')""")
        found.extend(f"{address}: code {c!r}" for c in set(_CODE.findall(text)))
        found.extend(f"{address}: English {m!r}" for m in english if m in text)

    return finnish


def _each(*checks):
    """One check of a page that is each of ``checks`` in turn."""

    def check(page, address):
        for one in checks:
            one(page, address)

    return check


# Each walk visits every kind of page once and checks on each what belongs to its screen size
# (a walk costs tens of seconds: the checks share it rather than walk again).


def test_every_page_on_a_phone_fits_the_screen_and_axe_finds_nothing_serious(server, browser):
    # 390 × 844: no page scrolls sideways, "Kirjaudu ulos" is on the screen, big enough to tap,
    # and axe-core's rules hold at this size too.
    base, _engine = server
    wide: list[str] = []
    inaccessible: list[str] = []
    fits, accessible = _fits_a_phone(wide), _accessible(inaccessible)

    visited = []
    for moment, page in _visit_every_page(browser, base, _each(fits, accessible), **PHONE_SIZE):
        visited.append(moment)
        page.screenshot(path=SHOTS / f"phone-{moment}.png")
        if moment == "comparison":
            logout = page.get_by_role("button", name="Kirjaudu ulos")
            box = logout.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            assert box["height"] >= 44
    assert visited == ["person", "events", "comparison"]
    assert not wide, wide
    assert not inaccessible, "\n".join(inaccessible)


def test_every_page_on_a_desktop_is_in_finnish_and_axe_finds_nothing_serious(server, browser):
    base, _engine = server
    inaccessible: list[str] = []
    not_finnish: list[str] = []
    accessible, finnish = _accessible(inaccessible), _in_finnish(not_finnish)

    visited = list(_visit_every_page(browser, base, _each(accessible, finnish)))
    assert [moment for moment, _ in visited] == ["person", "events", "comparison"]
    assert not inaccessible, "\n".join(inaccessible)
    assert not not_finnish, "\n".join(sorted(not_finnish))


def test_lists_page_through_everyone_in_order_and_lose_nobody(server, browser):
    base, engine = server
    page = _login(browser, base, "anna.koordinaattori", "salasana-1")
    page.get_by_label("Järjestys").select_option("municipality")
    page.get_by_role("button", name="Hae").click()
    count = int(page.locator("h1 small").inner_text().strip("()"))
    assert count > 50, "the test needs more than one page"
    seen: list[tuple[str, str]] = []
    pages = 0
    while True:
        pages += 1
        rows = page.locator("tbody tr")
        assert rows.count() <= 50
        seen += [(rows.nth(i).locator("td").nth(1).inner_text(),
                  rows.nth(i).locator("td").first.inner_text()) for i in range(rows.count())]  # fmt: skip
        expect(page.locator("nav.pager [aria-current=page]")).to_contain_text(f"Sivu {pages} /")
        following = page.get_by_role("link", name="Seuraava sivu →")
        if not following.count():
            break
        # Read the next page whole: a pager read while the page still streams in is "none".
        with page.expect_navigation(wait_until="load"):
            following.click()
    assert pages == -(-count // 50)
    assert len(seen) == count and len(set(seen)) == count  # nobody lost, nobody twice
    assert seen == sorted(seen)  # by municipality, then code, across pages
    with engine.connect() as c:
        area_people = c.scalar(sa.text(
            "SELECT count(*) FROM jobseeker WHERE area = (SELECT area FROM app_user "
            "WHERE name = 'anna.koordinaattori')"))  # fmt: skip
    assert count == area_people


def test_tasks_page_through_every_hand_over_task_in_order_and_search_narrows(server, browser):
    base, engine = server
    page = _login(browser, base, "reko.rekrypiste", "salasana-2")
    page.get_by_role("link", name="Tehtävät").click()
    page.get_by_label("Järjestys").select_option("title")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Hae").click()
    count = int(page.locator("h1 small").inner_text().strip("()"))
    with engine.connect() as c:
        hand_over = c.scalar(sa.text("SELECT count(*) FROM task WHERE task_type = 'hand_over'"))
    assert count == hand_over > 50, "the test needs more than one page"
    seen: list[tuple[str, str]] = []
    while True:
        rows = page.locator("tbody tr")
        seen += [(rows.nth(i).locator("td a").first.inner_text(),
                  rows.nth(i).locator("td").nth(1).inner_text()) for i in range(rows.count())]  # fmt: skip
        following = page.get_by_role("link", name="Seuraava sivu →")
        if not following.count():
            break
        # Read the next page whole: a pager read while the page still streams in is "none".
        with page.expect_navigation(wait_until="load"):
            following.click()
    assert len(seen) == count and len({n for _, n in seen}) == count  # nobody lost or twice
    assert [t for t, _ in seen] == sorted(t for t, _ in seen)
    word = seen[0][0].split()[0]
    page.get_by_label("Tehtävä, rooli tai työnantaja").fill(word)
    page.get_by_role("button", name="Hae").click()
    found = int(page.locator("h1 small").inner_text().strip("()"))
    assert 0 < found < count
    expect(page.get_by_label("Tehtävä, rooli tai työnantaja")).to_have_value(word)


def test_a_tasks_candidates_are_read_ten_at_a_time_and_none_is_lost(server, browser):
    base, _engine = server
    page = _login(browser, base, "reko.rekrypiste", "salasana-2")
    page.goto(f"{base}/ui/tasks?sort=hours")
    links = [a.get_attribute("href") for a in page.locator("tbody td:first-child a").all()]
    feasible = 0
    for link in links[:40]:
        page.goto(base + link)
        feasible = int(page.locator("p.meta").first.inner_text().split(" / ")[0])
        if feasible > 10:
            break
    assert feasible > 10, "the test needs a task with more than ten candidates"
    seen: list[str] = []
    while True:
        codes = page.locator("ol.matches h2").all_inner_texts()
        assert 0 < len(codes) <= 10
        expect(page.locator("ol.matches")).to_have_attribute("start", str(len(seen) + 1))
        seen += codes
        following = page.get_by_role("link", name="Seuraava sivu →")
        if not following.count():
            break
        # Read the next page whole: a pager read while the page still streams in is "none".
        with page.expect_navigation(wait_until="load"):
            following.click()
    assert len(seen) == len(set(seen)) == min(feasible, 50)
