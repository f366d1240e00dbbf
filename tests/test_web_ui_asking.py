"""A Rekrypiste worker asks about several candidates in one go from a task's candidate list
and the employer's composition, sees each marked with the state of their request, and a
refused batch opens at its error summary with the choices kept — at desktop width and on a
phone, in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from api.storage.engine import transaction
from api.storage.tables import CandidateRequestRow, JobseekerRow
from tests.web_ui import SHOTS, login

VIEWPORTS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


def _hand_over_tasks(engine) -> list[tuple[int, int]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(sa.text(
            "SELECT t.id, r.employer_id FROM task t JOIN role r ON r.id = t.role_id "
            "WHERE t.task_type = 'hand_over' ORDER BY t.id LIMIT 60")).all()]  # fmt: skip


def _choose_on_a_list(
    server, browser, size: str, n: int, note: str
) -> tuple[Page, int, str, list[str]]:
    """The Rekrypiste worker (at ``size``) on the candidate list of a hand-over task nobody
    was asked about yet that offers ``n`` candidates to choose: the first ``n`` ticked and
    the note written. The page, the task, the list's address and the codes ticked."""
    base, engine = server
    page = login(browser, base, "reko.rekrypiste", "salasana-2", viewport=VIEWPORTS[size])
    asked = set(_asked_tasks(engine))
    for task, employer in _hand_over_tasks(engine):
        if task in asked:
            continue
        address = f"{base}/ui/employers/{employer}/tasks/{task}/candidates"
        page.goto(address)
        boxes = page.locator("input[name=chosen]")
        if boxes.count() >= n:
            codes = [boxes.nth(i).get_attribute("value") or "" for i in range(n)]
            for code in codes:
                page.get_by_label(f"Valitse {code} kysyttäväksi").check()
            page.get_by_label("Työstä koordinaattoreille (vapaaehtoinen)").fill(note)
            return page, task, address, codes
    raise AssertionError(f"no hand-over task lists {n} candidates to choose")


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_three_candidates_are_asked_in_one_go_and_marked(server, browser, size):
    _base, engine = server
    page, task, address, codes = _choose_on_a_list(server, browser, size, 3, "Aloitus pian.")
    page.get_by_role("button", name="Kysy valituilta").click()
    expect(page.get_by_role("status")).to_contain_text("Kysytty 3 ehdokkaasta")
    for code in codes:
        item = page.locator("li.match", has_text=f"Ehdokas {code}")
        expect(item.locator(".request-state")).to_contain_text("Kysytty")
        expect(item.locator(".request-state")).to_contain_text("odottaa vastausta")
        expect(item.get_by_label(f"Valitse {code} kysyttäväksi")).to_have_count(0)
    _no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"rekrypiste-asked-three-{size}.png", full_page=True)
    with engine.connect() as c:
        stored = c.execute(sa.select(JobseekerRow.code, CandidateRequestRow.task_ids).join(
            JobseekerRow, JobseekerRow.id == CandidateRequestRow.jobseeker_id).where(
            CandidateRequestRow.requested_by == "reko.rekrypiste")).all()  # fmt: skip
    assert {(c, tuple(t)) for c, t in stored} >= {(c, (task,)) for c in codes}
    assert page.url.startswith(address)


def _asked_tasks(engine) -> list[int]:
    """Every task asked about so far (by anyone), once per request."""
    with engine.connect() as c:
        rows = c.execute(sa.select(CandidateRequestRow.task_ids)).scalars().all()
    return [int(t) for tasks in rows for t in tasks]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_refused_batch_opens_at_its_summary_with_the_choices_kept(server, browser, size):
    _base, engine = server
    page, task, _address, (first, second) = _choose_on_a_list(server, browser, size, 2,
                                                              "Aamuvuoro.")  # fmt: skip
    # Meanwhile (another tab, a colleague) the second is asked about this task.
    with transaction(engine) as s:
        person = s.scalar(sa.select(JobseekerRow.id).where(JobseekerRow.code == second))
        s.add(CandidateRequestRow(jobseeker_id=person, task_ids=[task], requested_by="toinen",
                                  requested_at=datetime.now(UTC), note=""))  # fmt: skip
    before = len(_asked_tasks(engine))
    page.get_by_role("button", name="Kysy valituilta").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Mitään ei kysytty")
    expect(summary).to_contain_text(second)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page.get_by_label(f"Valitse {first} kysyttäväksi")).to_be_checked()
    expect(page.get_by_label(f"Valitse {second} kysyttäväksi")).to_be_checked()
    expect(page.get_by_label(f"Valitse {second} kysyttäväksi")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("Työstä koordinaattoreille (vapaaehtoinen)")).to_have_value(
        "Aamuvuoro."
    )
    assert len(_asked_tasks(engine)) == before, "nothing of a refused batch is stored"
    _no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"rekrypiste-ask-refused-{size}.png", full_page=True)
    # The link in the summary leads to the choice to clear; cleared, the first is asked.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label(f"Valitse {second} kysyttäväksi")).to_be_focused()
    page.get_by_label(f"Valitse {second} kysyttäväksi").uncheck()
    page.get_by_role("button", name="Kysy valituilta").click()
    expect(page.get_by_role("status")).to_contain_text("Kysytty 1 ehdokkaasta")
    expect(page.locator("li.match", has_text=f"Ehdokas {first}").locator(".request-state")).to_contain_text("Kysytty")  # fmt: skip


def test_the_composition_marks_a_yes_with_the_name_and_asks_from_it(server, browser):
    base, engine = server
    page = login(browser, base, "reko.rekrypiste", "salasana-2")
    with engine.connect() as c:
        employer = c.scalar(sa.text(
            "SELECT r.employer_id FROM task t JOIN role r ON r.id = t.role_id "
            "WHERE t.task_type = 'hand_over' GROUP BY r.employer_id ORDER BY count(*) DESC "
            "LIMIT 1"))  # fmt: skip
    page.goto(f"{base}/ui/employers/{employer}/compose")
    boxes = page.locator("input[name=chosen]")
    assert boxes.count() >= 2
    values = [boxes.nth(i).get_attribute("value") or "" for i in range(2)]
    codes = [v.split(":")[0] for v in values]
    for code in codes:
        page.get_by_label(f"Valitse {code} kysyttäväksi").check()
    page.get_by_role("button", name="Kysy valituilta").click()
    expect(page.get_by_role("status")).to_contain_text("Kysytty 2 ehdokkaasta")
    # The coordinator answers the first yes (as on the person's page), the second no.
    with transaction(engine) as s:
        rows = s.scalars(sa.select(CandidateRequestRow).join(
            JobseekerRow, JobseekerRow.id == CandidateRequestRow.jobseeker_id).where(
            JobseekerRow.code.in_(codes), CandidateRequestRow.requested_by == "reko.rekrypiste",
            CandidateRequestRow.answer.is_(None))).all()  # fmt: skip
        by_code = {s.get(JobseekerRow, r.jobseeker_id).code: r for r in rows}
        for code, answer, note in ((codes[0], "yes", ""), (codes[1], "no", "Ei nyt, sairasloma.")):
            row = by_code[code]
            row.answer, row.answer_note = answer, note
            row.answered_by, row.answered_at = "anna.koordinaattori", datetime.now(UTC)
        name = s.scalar(sa.text("SELECT i.name FROM jobseeker_identity i JOIN jobseeker j "
                                "ON j.id = i.jobseeker_id WHERE j.code = :c"), {"c": codes[0]})  # fmt: skip
    page.goto(f"{base}/ui/employers/{employer}/compose")
    yes = page.locator("li.match", has_text=f"Ehdokas {codes[0]}").locator(".request-state")
    no = page.locator("li.match", has_text=f"Ehdokas {codes[1]}").locator(".request-state")
    expect(yes).to_contain_text("kyllä, haluaisi")
    # The name a yes reveals — if the person still shares with employers (they are listed).
    expect(yes).to_contain_text(name)
    expect(no).to_contain_text("ei")
    expect(no).to_contain_text("Ei nyt, sairasloma.")
    page.screenshot(path=SHOTS / "rekrypiste-compose-answers.png", full_page=True)
