"""The web UI walked page by page in English in a real browser (headless Chromium), as
tests/test_web_ui_walks.py walks it in Finnish: every kind of page fits a phone and the desktop,
says it is English, and axe-core finds nothing serious on the phone. What each English page
says, word by word, is read by tests/test_english_pages.py. A module of its own, so that the
walks of the two languages run side by side."""

from __future__ import annotations

import pytest

from tests.test_web_ui_walks import (
    PHONE_SIZE,
    _accessible,
    _each,
    _fits_a_phone,
    _visit_every_page,
    add_second_ruleset,
)


@pytest.fixture(scope="module", autouse=True)
def second_ruleset(server):
    """A second rule-set version beside the active one, so that the walks reach a
    comparison's result (as in tests/test_web_ui_walks.py)."""
    add_second_ruleset(server[1])


def test_every_page_in_english_on_a_phone_fits_and_axe_finds_nothing_serious(server, browser):
    """English words are longer than Finnish ones in places, and shorter in others: every kind
    of page in English fits a phone too, says it is English, and axe-core finds nothing
    serious (what it says, word by word, is read by tests/test_english_pages.py)."""
    base, _engine = server
    wide: list[str] = []
    inaccessible: list[str] = []
    not_english: list[str] = []

    def english(page, address):
        if page.evaluate("document.documentElement.lang") != "en":
            not_english.append(address)

    checks = _each(_fits_a_phone(wide), _accessible(inaccessible), english)
    visited = list(_visit_every_page(browser, base, checks, "en", **PHONE_SIZE))
    assert [moment for moment, _ in visited] == ["person", "events", "comparison"]
    assert not wide, wide
    assert not inaccessible, "\n".join(inaccessible)
    assert not not_english, not_english


def test_every_page_in_english_on_a_desktop_says_it_is_english_and_fits(server, browser):
    """The desktop in English: each kind of page in English, nothing wider than the window
    (axe-core's rules, which do not change with the width, are checked on the phone walk)."""
    base, _engine = server
    wide: list[str] = []
    not_english: list[str] = []

    def check(page, address):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 1280:
            wide.append(f"{address}: {width} px")
        if page.evaluate("document.documentElement.lang") != "en":
            not_english.append(address)

    visited = list(_visit_every_page(browser, base, check, "en"))
    assert [moment for moment, _ in visited] == ["person", "events", "comparison"]
    assert not wide, wide
    assert not not_english, not_english
