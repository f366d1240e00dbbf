"""Proposing in a real browser (headless Chromium), at desktop and phone size: a proposal is
checked on a confirmation page that names the person, the tasks and the employer, with an
optional note, before anything is stored; a proposal made in error is withdrawn with the
reason. And the Finnish pages speak Finnish: no English word or untranslated msgid in sight,
no numeral with the wrong form of the word after it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from api.storage.tables import JobseekerRow, ProposalRow
from tests.languages import finnish_messages
from tests.web_ui import SHOTS, hired_person, login

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 860}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def _people_with_matches(page: Page, base: str, engine) -> list[int]:
    with engine.connect() as c:
        area = c.scalar(sa.text("SELECT area FROM app_user WHERE name = 'anna.koordinaattori'"))
        people = c.scalars(sa.select(JobseekerRow.id).where(JobseekerRow.area == area)
                           .where(JobseekerRow.status == "active")
                           .order_by(JobseekerRow.id).limit(40)).all()  # fmt: skip
    found = []
    for person in people:
        page.goto(f"{base}/ui/jobseekers/{person}")
        if page.locator("li.match").count():
            found.append(person)
        if len(found) == 2:
            return found
    raise AssertionError("nobody of the area has matches")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_proposal_is_confirmed_with_a_note_and_withdrawn_with_a_reason(server, browser, size):
    base, engine = server
    page = login(browser, base, "anna.koordinaattori", "salasana-1", **SIZES[size])
    person = _people_with_matches(page, base, engine)[list(SIZES).index(size)]
    page.goto(f"{base}/ui/jobseekers/{person}")
    page.locator("li.match").first.get_by_role("link", name="Vertaa profiileja").click()
    task = int(page.url.rsplit("/", 1)[1])
    with engine.connect() as c:
        before = c.scalar(sa.select(sa.func.count()).select_from(ProposalRow))
        title, employer = c.execute(sa.text(
            "SELECT t.title, e.name FROM task t JOIN role r ON r.id = t.role_id "
            "JOIN employer e ON e.id = r.employer_id WHERE t.id = :t"), {"t": task}).one()  # fmt: skip
    page.locator("a.button", has_text="Ehdota").first.click()

    # The confirmation: who, what, for whom — and nothing stored yet.
    expect(
        page.get_by_role("heading", name="Tarkista ehdotus ennen kuin se kirjataan")
    ).to_be_visible()
    confirm = page.locator("#confirm")
    expect(confirm).to_contain_text("JS-")
    expect(confirm.locator("ul.confirm-tasks")).to_contain_text(title)
    expect(confirm).to_contain_text(employer)
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(ProposalRow)) == before
    if page.locator("#reason").count():  # proposed against the rules: the reason is asked too
        page.locator("#reason").fill("Henkilö valitsi tämän itse; työkokeilu näyttää.")
    page.get_by_label("Muistiinpano").fill("Soitin työnantajalle, haastattelu sovitaan.")
    button = page.get_by_role("button", name="Vahvista ja kirjaa ehdotus")
    expect(button).to_be_visible()
    assert button.bounding_box()["width"] <= SIZES[size]["viewport"]["width"]
    page.screenshot(path=SHOTS / f"proposal-confirm-{size}.png", full_page=True)
    with page.expect_navigation(wait_until="load"):
        button.click()

    # On the person's page, at the proposals: said so, with the note.
    notice = page.locator("#proposals p.ok[role=status]")
    expect(notice).to_have_text("Ehdotus kirjattu.")
    expect(notice).to_be_in_viewport()
    with engine.connect() as c:
        proposal = c.execute(sa.select(ProposalRow).order_by(ProposalRow.id.desc()).limit(1)).one()
    assert proposal.note == "Soitin työnantajalle, haastattelu sovitaan."
    assert proposal.proposed_by == "anna.koordinaattori"
    made = page.locator(
        "div.proposal", has=page.locator(f'form[action="/ui/proposals/{proposal.id}/withdraw"]')
    )
    expect(made).to_contain_text("Soitin työnantajalle")

    # Withdrawn, with the reason: who and when shown, no form left to withdraw it again.
    made.get_by_text("Peru ehdotus (tehty vahingossa tai ei enää ajankohtainen)").click()
    made.get_by_label("Miksi se perutaan").fill("Ehdotettu väärälle henkilölle.")
    with page.expect_navigation(wait_until="load"):
        made.get_by_role("button", name="Peru ehdotus").click()
    expect(page.locator("#proposals p.ok[role=status]")).to_contain_text("Ehdotus on peruttu")
    withdrawn = page.locator("p.withdrawn", has_text="Ehdotettu väärälle henkilölle.")
    expect(withdrawn).to_contain_text("Perunut anna.koordinaattori")
    expect(page.locator(f'form[action="/ui/proposals/{proposal.id}/withdraw"]')).to_have_count(0)
    page.screenshot(path=SHOTS / f"proposal-withdrawn-{size}.png")
    with engine.connect() as c:
        row = c.execute(sa.select(ProposalRow).where(ProposalRow.id == proposal.id)).one()
    assert (row.withdrawn_by, row.withdraw_reason) == (
        "anna.koordinaattori", "Ehdotettu väärälle henkilölle."
    )  # fmt: skip
    assert row.withdrawn_at is not None


# --- the Finnish pages speak Finnish ----------------------------------------------------------

ENGLISH = re.compile(
    r"\b(the|and|over|with|from|this|that|which|not|of|for|days? ago|none|null|true|false|nan)\b",
    re.IGNORECASE,
)
"""Common English words, never in a Finnish page's words (Finnish has none of them)."""
NUMERAL_MISMATCH = re.compile(
    r"(?<![\d,.])(?:1 (?:päivää|muuta|tehtävää|henkilöä|mukautusta|ehdokasta|asiakasta|hyvää"
    r"|viikkoa|kuukautta|vuotta|tuntia)\b"
    r"|(?:[02-9]|\d{2,}) (?:päivä|muu|tehtävä|henkilö|mukautus|ehdokas|asiakas|viikko"
    r"|kuukausi|vuosi)\b"
    r"|\b0 päivää sitten)",
)
"""A numeral and the form of the word after it that do not go together ("1 päivää", "2 muu",
"0 päivää sitten" for today)."""

_TEXT_NODES = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (el.closest('[lang]:not(html)') && el.closest('[lang]:not(html)').lang !== 'fi') continue;
    const text = n.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const a of ['aria-label', 'placeholder', 'title']) {
      const v = el.getAttribute(a); if (v) out.push(v.trim());
    }
  }
  return out;
}"""


def _english_msgids() -> set[str]:
    """Every English msgid the Finnish catalogue translates to other words (or not at all): on
    a Finnish page, such a text is the English left untranslated."""
    found = set()
    for ids, strs in finnish_messages():
        for msgid in ids:
            if not any(strs) or msgid not in strs:
                found.add(msgid.strip())
    return {m for m in found if len(m) > 2 and "%(" not in m}


def _problems(texts: list[str], english: set[str]) -> list[str]:
    said = []
    for text in texts:
        if text in english:
            said.append(f"untranslated: {text!r}")
        if ENGLISH.search(text):
            said.append(f"English: {text!r}")
        if NUMERAL_MISMATCH.search(text):
            said.append(f"numeral and word: {text!r}")
    return said


def test_the_finnish_pages_have_no_english_and_no_numeral_mismatch(server, browser):
    base, engine = server
    person, _proposal = hired_person(engine)
    page = login(browser, base, "anna.koordinaattori", "salasana-1")
    matched = _people_with_matches(page, base, engine)[0]
    with engine.connect() as c:
        employer = c.scalar(sa.text("SELECT min(id) FROM employer"))
        task = c.scalar(sa.text("SELECT min(t.id) FROM task t JOIN role r ON r.id = t.role_id "
                                "WHERE r.employer_id = :e AND t.task_type = 'hand_over'"),
                        {"e": employer})  # fmt: skip
    page.goto(f"{base}/ui/jobseekers/{matched}")
    pair = page.locator("li.match").first.get_by_role("link", name="Vertaa profiileja")
    pair_url = pair.get_attribute("href")
    pair.click()
    confirm_url = page.locator("a.button", has_text="Ehdota").first.get_attribute("href")
    paths = [
        "/ui/jobseekers", "/ui/jobseekers?scope=area&sort=attention",
        f"/ui/jobseekers/{person}", f"/ui/jobseekers/{matched}", pair_url, confirm_url,
        f"/ui/jobseekers/{matched}/compose", "/ui/employers", f"/ui/employers/{employer}",
        f"/ui/employers/{employer}/tasks/{task}/candidates", f"/ui/employers/{employer}/compose",
        "/ui/tasks", "/ui/requests", "/ui/me",
    ]  # fmt: skip
    english = _english_msgids()
    said = {}
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (path, response and response.status)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        texts = page.evaluate(_TEXT_NODES)
        assert len(texts) > 10, (path, texts)  # the page's words were read
        problems = _problems(texts, english)
        if problems:
            said[path] = problems
    assert not said, said


def test_the_language_check_sees_what_it_guards():
    english = _english_msgids()
    assert "Fit %(score)s / %(best)s" not in english  # placeholders are not compared whole
    assert "Proposal recorded." in english
    assert _problems(["Lääkärin rajoitus / over"], english)
    assert _problems(["ja 1 muuta"], english) and _problems(["0 päivää sitten"], english)
    assert _problems(["3 päivä sitten"], english) and _problems(["1 päivää sitten"], english)
    assert not _problems(["ja 1 muu", "2 päivää sitten", "tänään", "1 päivä sitten"], english)
    assert not _problems(["ma, ti, ke, to, pe", "Sopivuus 4,99 / 6,5"], english)
