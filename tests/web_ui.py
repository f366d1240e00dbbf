"""What the web UI's browser tests share: a served small demo world with one user of each role,
headless Chromium (Debian's, driven by Playwright) and logging in. The fixtures ``server`` and
``browser`` (tests/conftest.py) give each test module its own, so that the web UI's tests can
be spread over several modules and run side by side (pytest-xdist sends whole modules)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from api.auth.setup import add_user
from api.core.security import Role
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from api.storage.tables import DataVersionRow, JobseekerRow, ProposalRow
from api.tools.serving import serve
from features.demo import build_world

__all__ = ["CHROMIUM", "SHOTS", "chromium", "hired_person", "login", "served_small_world"]

# Screenshots go to a temporary folder unless asked for (TASMA_SCREENSHOTS=docs/screenshots
# refreshes the README's): a test run never changes the tracked tree.
SHOTS = Path(os.environ.get("TASMA_SCREENSHOTS") or tempfile.mkdtemp(prefix="tasma-shots-"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


_BUILT: list[Path] = []
"""This process's small world, built once: each test module serves a copy of its own."""


def _small_world_database() -> Path:
    """The small demo world (seed 7) with its users in an SQLite file, built once per process
    (a test module changes its copy, never this one)."""
    if not _BUILT:
        built = Path(tempfile.mkdtemp(prefix="tasma-web-world-")) / "tasma.db"
        engine = make_engine(f"sqlite:///{built}")
        upgrade(engine)
        load_tables(engine, build_world("small", seed=7).tables)
        _add_users(engine)
        engine.dispose()
        _BUILT.append(built)
    return _BUILT[0]


def served_small_world(data: Path) -> Iterator[tuple[str, Engine]]:
    """The small demo world (seed 7) served from ``data``, with a company and a work-ability
    coordinator of its largest area, a Rekrypiste worker, an analyst, an administrator and a
    project manager."""
    target = data / "tasma.db"
    # SQLite's own copy (the online backup): whole, whatever its write-ahead log holds.
    source, copy = sqlite3.connect(_small_world_database()), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    with transaction(engine) as s:  # an instance of its own (index snapshots are named by it)
        s.execute(sa.update(DataVersionRow).values(instance=uuid.uuid4().hex))
    env = {
        "DATABASE_URL": url, "TASMA_DATA_DIR": str(data), "TASMA_ENVIRONMENT": "test",
        "TASMA_DEMO_ON_EMPTY": "false",
    }  # fmt: skip
    with serve(env, data / "serve.log") as served:
        yield served.base, engine


def _add_users(engine: Engine) -> None:
    with transaction(engine) as s:
        area = s.scalar(
            sa.select(JobseekerRow.area).group_by(JobseekerRow.area)
            .order_by(sa.func.count().desc()).limit(1)
        )  # fmt: skip
        add_user(s, name="anna.koordinaattori", role=Role.COMPANY_COORDINATOR, area=area,
                 password="salasana-1")  # fmt: skip
        add_user(s, name="tiina.tyokyky", role=Role.WORK_ABILITY_COORDINATOR, area=area,
                 password="salasana-5")  # fmt: skip
        add_user(s, name="reko.rekrypiste", role=Role.REKRYPISTE, password="salasana-2")
        add_user(s, name="aino.analyytikko", role=Role.ANALYST, password="salasana-3")
        add_user(s, name="ylla.pitaja", role=Role.ADMIN, password="salasana-4")
        add_user(s, name="pirjo.projekti", role=Role.PROJECT_MANAGER, password="salasana-6")


def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is needed (.ci/run installs Debian's chromium)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


LOG_IN_WORDS = {"fi": ("Käyttäjätunnus", "Salasana", "Kirjaudu"),
                "en": ("User name", "Password", "Log in")}  # fmt: skip
"""The log-in form's label, password and button in each language of the UI."""


def in_language(page: Page, base: str, lang: str) -> Page:
    """``page`` with the UI's language chosen as a user chooses it (the ``lang`` cookie)."""
    if lang != "fi":
        page.context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    return page


def login(
    browser: Browser, base: str, name: str, password: str, lang: str = "fi", **page_options: Any
) -> Page:
    options = {"viewport": {"width": 1280, "height": 860}, "locale": f"{lang}-FI", **page_options}
    page = in_language(browser.new_page(**options), base, lang)
    page.goto(f"{base}/ui/")
    user, secret, button = LOG_IN_WORDS[lang]
    page.get_by_label(user).fill(name)
    page.get_by_label(secret).fill(password)
    page.get_by_role("button", name=button).click()
    return page


def hired_person(engine: Engine) -> tuple[int, int]:
    """A person of anna.koordinaattori's area with no proposal yet, given one that led to a
    work trial and a hire five days ago (its follow-up forms show): the person and the
    proposal."""
    now = datetime.now(UTC)
    with transaction(engine) as s:
        area = s.scalar(sa.text("SELECT area FROM app_user WHERE name = 'anna.koordinaattori'"))
        proposed = sa.select(ProposalRow.jobseeker_id).where(ProposalRow.jobseeker_id.is_not(None))
        person = s.scalar(sa.select(JobseekerRow.id).where(JobseekerRow.area == area)
                          .where(JobseekerRow.status == "active")
                          .where(JobseekerRow.id.not_in(proposed)).order_by(JobseekerRow.id))  # fmt: skip
        hire = ProposalRow(jobseeker_id=person, proposed_by="anna.koordinaattori",
                           proposed_at=now - timedelta(days=30), ruleset_version="default-2026.12")  # fmt: skip
        s.add(hire)
        s.flush()
        task = s.scalar(sa.text("SELECT min(id) FROM task"))
        s.execute(sa.text("INSERT INTO proposal_task (proposal_id, task_id) VALUES (:p, :t)"),
                  {"p": hire.id, "t": task})  # fmt: skip
        for kind, days in (("work_trial_started", 20), ("hired", 5)):
            s.execute(sa.text("INSERT INTO outcome_event (proposal_id, kind, at, note) "
                              "VALUES (:p, :k, :a, '')"),
                      {"p": hire.id, "k": kind, "a": now - timedelta(days=days)})  # fmt: skip
        return person, hire.id
