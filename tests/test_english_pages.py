"""Every kind of web UI page in English holds no Finnish of the catalogue: each page's words
come from the English catalogue, the words reached by a code too (a status, a role, a
characteristic's name). The Finnish pages are read in Chromium by tests/test_web_ui_walks.py;
English is read here, over the same server-rendered HTML, for each role's pages."""

from __future__ import annotations

import html
import re

import pytest

from api.http.csrf import SESSION
from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, SECTORS
from tests.conftest import API_WORLD as WORLD
from tests.languages import finnish_messages
from tests.test_api import auth


def _finnish_phrases() -> set[str]:
    """Every Finnish phrase (two words or more) of the catalogue and of the vocabulary that
    differs from its English; single words are left out (a task's title, the employer's own
    words, may hold one)."""
    phrases = set()
    for ids, strings in finnish_messages():
        for text in strings:
            for part in re.split(r"%\([a-z_]+\)[sd]|%%|[:;(){}\[\]]", text or ""):
                part = part.strip(" ,.–-—")
                if part.count(" ") >= 1 and part not in " ".join(ids) and len(part) > 8:
                    phrases.add(part)
    for item in (*CHARACTERISTICS.values(), *ADJUSTMENTS.values(), *SECTORS):
        fi, en = item.name("fi"), item.name("en")
        if fi != en and " " in fi:
            phrases.add(fi)
    return phrases


def _text(page: str) -> str:
    """What a reader gets of a page: its text and the labels given to assistive technology."""
    labels = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Marked Finnish on purpose (a sheet's own headings, typed as they are): left out.
    body = re.sub(r'<(\w+)\b[^>]*\blang="fi"[^>]*>.*?</\1>', " ", body, flags=re.S)
    return html.unescape(" ".join([re.sub(r"<[^>]+>", " ", body), *labels]))


# The pages' words do not depend on the database: SQLite's world is enough.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_kind_of_page_in_english_holds_no_finnish(service):
    client, tokens, _area, mine, _engine = service
    finnish = _finnish_phrases()
    assert "Tallenna" not in finnish and len(finnish) > 500, "the check has something to find"
    person = next(j for j in mine if client.get(f"/jobseekers/{j}/matches?k=3",
                  headers=auth(tokens["coordinator"])).json()["items"])  # fmt: skip
    task = int(WORLD.tables["task"].query("task_type == 'hand_over'")["id"].iloc[0])
    employer = int(WORLD.tables["role"].set_index("id").loc[
        int(WORLD.tables["task"].set_index("id").loc[task, "role_id"]), "employer_id"])  # fmt: skip
    pages = {
        "coordinator": ["/ui/jobseekers", "/ui/me", f"/ui/jobseekers/{person}",
                        f"/ui/jobseekers/{person}/edit", f"/ui/jobseekers/{person}/compose",
                        f"/ui/jobseekers/{person}/plan/print",
                        f"/ui/jobseekers/{person}/tasks/{task}", "/ui/requests",
                        "/ui/jobseekers/new", "/ui/jobseekers/import", "/ui/clearing",
                        "/ui/no-such-page"],
        "work_ability": [f"/ui/jobseekers/{person}", f"/ui/jobseekers/{person}/edit"],
        "rekrypiste": ["/ui/employers", "/ui/employers/new", "/ui/tasks", "/ui/requests",
                       f"/ui/employers/{employer}", f"/ui/employers/{employer}/compose",
                       f"/ui/employers/{employer}/roles/new",
                       f"/ui/employers/{employer}/tasks/{task}/candidates",
                       f"/ui/employers/{employer}/tasks/{task}/what-if"],
        "analyst": ["/ui/rulesets", "/ui/rulesets/compare", "/ui/rulesets/new", "/ui/batch",
                    "/ui/reports/programme", "/ui/models",
                    "/ui/reports/programme?from=2024-01-01&to=2023-01-01"],
    }  # fmt: skip
    found: list[str] = []
    client.cookies.set("lang", "en")
    for role, addresses in pages.items():
        client.cookies.set(SESSION, tokens[role])
        for address in addresses:
            answer = client.get(address)
            assert answer.status_code in (200, 404, 422), (address, answer.status_code)
            assert '<html lang="en">' in answer.text, address
            text = _text(answer.text)
            found.extend(f"{address}: {p!r}" for p in finnish if p in text)
    assert not found, "\n".join(sorted(found))
    # And the check sees Finnish where there is Finnish.
    client.cookies.set("lang", "fi")
    shown = html.unescape(re.sub(r"<[^>]+>", " ", client.get("/ui/rulesets").text))
    assert sum(p in shown for p in finnish) >= 3
