"""The service runs the batch by itself every night and after bulk changes, once across its
processes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from api.core.context import Context
from api.core.settings import Settings
from api.http.deps import IndexHolder, bump_data_version
from api.jobs.run_store import BatchRuns
from api.market import service as market
from api.market.schedule import BULK_CHANGE, SYSTEM, BatchSchedule, due
from api.storage.tables import TaskRow
from features.errors import ConflictError
from matching.rules import default_ruleset
from tests.test_api import audit_rows

pytestmark = pytest.mark.usefixtures("one_dask_cluster")  # one cluster for the module's runs

NIGHT = time(2, 30)
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_due_after_tonights_time_or_a_bulk_change() -> None:
    assert due(NOW, NIGHT, None, 100, None)  # never run
    assert not due(NOW, NIGHT, NOW - timedelta(hours=6), 100, 100)  # ran at 03:00 today
    assert due(NOW, NIGHT, NOW - timedelta(hours=7), 100, 100)  # ran before 02:30 today
    # Before tonight's time, yesterday's night counts.
    early = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert not due(early, NIGHT, early - timedelta(hours=20), 100, 100)
    assert due(early, NIGHT, early - timedelta(hours=23), 100, 100)
    changed = int(100 * BULK_CHANGE)
    assert due(NOW, NIGHT, NOW - timedelta(hours=1), 100 + changed, 100)
    assert due(NOW, NIGHT, NOW - timedelta(hours=1), 100 - changed, 100)
    assert not due(NOW, NIGHT, NOW - timedelta(hours=1), 100 + changed - 1, 100)


@pytest.fixture
def schedule(service, tmp_path: Path) -> BatchSchedule:
    _, _, _, _, engine = service
    settings = Settings(batch_dir=tmp_path, batch_nightly_at="02:30", batch_workers=1)
    sessions = sessionmaker(engine, expire_on_commit=False)
    return BatchSchedule(settings, sessions, IndexHolder(engine, default_ruleset()),
                         BatchRuns(tmp_path))  # fmt: skip


def test_the_schedule_runs_once_then_again_after_a_bulk_change(schedule, service) -> None:
    _, _, _, _, engine = schedule.index.engine, None, None, None, schedule.index.engine
    now = datetime.now(UTC)
    assert schedule.tick(now)
    assert len(schedule.runs.runs()) == 1
    assert not schedule.tick(now)  # fresh: nothing to do
    # A bulk change: many hand-over tasks become core.
    with Session(engine) as session, session.begin():
        ids = session.scalars(sa.select(TaskRow.id).where(TaskRow.task_type == "hand_over")).all()
        some = ids[: max(1, int(len(ids) * 3 * BULK_CHANGE))]
        session.execute(sa.update(TaskRow).where(TaskRow.id.in_(some)).values(task_type="core"))
        bump_data_version(session)
    assert schedule.tick(now)
    latest, previous = schedule.runs.latest_two()
    assert latest is not None and previous is not None
    assert latest.tasks == previous.tasks - len(some)
    assert [r.actor for r in audit_rows(engine, action="run_batch")] == [SYSTEM.name] * 2


def test_a_second_run_while_one_holds_the_folder_is_refused(schedule) -> None:
    folder = schedule.runs.directory
    folder.mkdir(parents=True, exist_ok=True)
    with market._folder_lock(folder), schedule.sessions() as session:
        ctx = Context(session=session, actor=SYSTEM, index=schedule.index, batch=schedule.runs)
        with pytest.raises(ConflictError):
            market.run_now(ctx, schedule.settings)
    assert schedule.runs.runs() == []
