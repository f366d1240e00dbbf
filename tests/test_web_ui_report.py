"""The programme report's page in a real browser (headless Chromium, #29 point 4): its bar
charts beside the tables on a desktop and below them on a phone, every chart inside the screen
at 390 px (no sideways scroll), axe-core clean at both sizes, a hidden cell drawn as the word
and no bar. The screenshots of its ESF+ part and of a phone's charts are the docs'
(TASMA_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

from tests.test_web_ui_walks import PHONE, PHONE_SIZE, _accessible, _fits_a_phone
from tests.web_ui import SHOTS, login

REPORT = "/ui/reports/programme?from=2024-01-01"
"""The small demo world's whole history, every area."""


def _charts_fit(page) -> list[str]:
    """Each chart's box within the screen, and its SVG no wider than its box."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.report-chart')]
      .filter(f => { const r = f.getBoundingClientRect(), s = f.querySelector('svg');
                     return r.left < 0 || r.right > window.innerWidth
                            || s.getBoundingClientRect().width > r.width + 1; })
      .map(f => f.querySelector('figcaption').textContent)""")


def test_the_reports_charts_on_a_desktop_beside_the_tables_and_axe_finds_nothing_serious(
    server, browser
):
    base, _engine = server
    analyst = login(browser, base, "aino.analyytikko", "salasana-3")
    analyst.goto(base + REPORT)
    charts = analyst.locator("figure.report-chart")
    captions = charts.locator("figcaption").all_inner_texts()
    assert "Aloittaneet ohjaajatahon mukaan" in captions and "Jatkopolut" in captions
    assert "Työnantajat vaihe vaiheelta" in captions
    assert "Osallistujat lähtiessään, tilanteen mukaan" in captions
    # Each chart an image with a name, its numbers in the locale (a thin space groups them).
    for svg in analyst.locator("figure.report-chart svg").all():
        assert svg.get_attribute("role") == "img" and "kaavio taulukon luvuista" in (
            svg.get_attribute("aria-label") or "")  # fmt: skip
    # Beside the table on a desktop: the charts' column starts right of the table.
    esf = analyst.locator("section.report", has=analyst.locator("#report-esf"))
    table, column = esf.locator("table.report"), esf.locator(".report-charts")
    assert column.bounding_box()["x"] > table.bounding_box()["x"] + table.bounding_box()["width"]
    found: list[str] = []
    _accessible(found)(analyst, REPORT)
    assert not found, "\n".join(found)
    # A coordinator's own area: small numbers, hidden in the tables and as words in the charts.
    coordinator = login(browser, base, "anna.koordinaattori", "salasana-1")
    coordinator.goto(f"{base}/ui/reports/programme")
    hidden_cells = coordinator.locator("table.report .suppressed").count()
    hidden_parts = coordinator.locator("tr.part .suppressed").count()
    assert coordinator.locator("figure.report-chart text.hidden").count() == hidden_parts
    assert hidden_cells >= hidden_parts
    coordinator.locator("section.report", has=coordinator.locator("#report-esf")).screenshot(
        path=SHOTS / "coordinator-report-esf.png")  # fmt: skip
    for page in (analyst, coordinator):
        page.close()


def test_the_reports_charts_fit_a_phone_and_axe_finds_nothing_serious(server, browser):
    base, _engine = server
    analyst = login(browser, base, "aino.analyytikko", "salasana-3", **PHONE_SIZE)
    analyst.goto(base + REPORT)
    wide: list[str] = []
    inaccessible: list[str] = []
    _fits_a_phone(wide)(analyst, REPORT)
    _accessible(inaccessible)(analyst, REPORT)
    assert not wide, wide
    assert not inaccessible, "\n".join(inaccessible)
    assert not _charts_fit(analyst)
    # Below the table on a phone, as wide as the card allows.
    ending = analyst.locator("section.report", has=analyst.locator("#report-ending"))
    table, chart = ending.locator("table.report"), ending.locator("figure.report-chart").first
    assert chart.bounding_box()["y"] >= table.bounding_box()["y"] + table.bounding_box()["height"]
    assert chart.bounding_box()["width"] <= PHONE["width"]
    chart.scroll_into_view_if_needed()
    ending.screenshot(path=SHOTS / "phone-report-chart.png")
    analyst.close()
