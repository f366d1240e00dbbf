"""Evaluation runs for the CLI and the API: read the history, replay, report, compare."""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from api.storage.history import change_times, tables_as_of
from api.storage.loading import on_connection, read_tables
from api.storage.tables import JobseekerRow, OverrideRow, SuggestionRow
from features.schemas.jobseeker import ConsentScope
from matching.evaluation import (
    History,
    compare,
    evaluate,
    guardrail_findings,
    off_policy_report,
    replay,
    target_positions,
)
from matching.index import MatchIndex
from matching.outcomes import SUCCESS_GRADE, outcome_grades
from matching.rankers import task_ranker
from matching.reranker import MATURE_DAYS
from matching.rules import RuleSet

__all__ = ["HISTORY_TABLES", "finite", "read_history", "run_evaluation", "stored_history"]

HISTORY_TABLES = ("proposal", "proposal_task", "outcome_event", "jobseeker_demographics")


def read_history(bind: Engine | Connection) -> dict[str, pd.DataFrame]:
    """The recorded history that may be used to evaluate and train: only the proposals (and
    their tasks, events and demographics) of people whose consent covers ``evaluation`` and
    has not been withdrawn — and the tasks their coordinators left out of a list with a reason
    (``override_left_out``: person_id, task_id, at)."""
    tables = read_tables(bind, HISTORY_TABLES)
    with on_connection(bind) as conn:
        consents = conn.execute(
            select(JobseekerRow.id, JobseekerRow.consent_scope).where(
                JobseekerRow.consent_given_at.is_not(None),
                JobseekerRow.consent_withdrawn_at.is_(None),
            )
        ).all()
    allowed = [i for i, scope in consents if scope and ConsentScope.EVALUATION.value in scope]
    # A withdrawn proposal (made in error, or no longer wanted) is no outcome of a suggestion.
    standing = tables["proposal"]
    if "withdrawn_at" in standing:
        standing = standing[standing["withdrawn_at"].isna()]
    proposals = standing[standing["jobseeker_id"].isin(allowed)]
    # How many were left out, so that a report can say what it does not stand on.
    proposals.attrs["left_out"] = len(standing) - len(proposals)
    kept = set(proposals["id"])
    with on_connection(bind) as conn:
        overrides = conn.execute(
            select(SuggestionRow.jobseeker_id, OverrideRow.at, OverrideRow.original,
                   OverrideRow.chosen)
            .join(SuggestionRow, SuggestionRow.id == OverrideRow.suggestion_id)
        ).all()  # fmt: skip
    consenting = set(allowed)
    left_out = pd.DataFrame(
        [(person, task, at) for person, at, original, chosen in overrides
         if person in consenting for task in original if task not in set(chosen)],
        columns=["person_id", "task_id", "at"],
    )  # fmt: skip
    return {
        "override_left_out": left_out,
        "proposal": proposals,
        "proposal_task": tables["proposal_task"][tables["proposal_task"]["proposal_id"].isin(kept)],
        "outcome_event": tables["outcome_event"][tables["outcome_event"]["proposal_id"].isin(kept)],
        "jobseeker_demographics": tables["jobseeker_demographics"][
            tables["jobseeker_demographics"]["jobseeker_id"].isin(allowed)
        ],
    }


def read_logged_lists(
    bind: Engine | Connection, tables: dict[str, pd.DataFrame], rules: RuleSet, now: datetime
) -> pd.DataFrame:
    """The person lists whose first place the rule set's exploration drew, old enough for
    their outcomes to be known (:data:`MATURE_DAYS`), of people whose consent covers
    evaluation (those of ``tables``, from :func:`read_history`): one row each, with the band
    the first task was drawn from (in the rules' order), its position there and propensity,
    and the reward — 1 when a proposal taken from the list named that task and succeeded."""
    allowed = set(tables["jobseeker_demographics"]["jobseeker_id"].tolist())
    with on_connection(bind) as conn:
        rows = conn.execute(
            select(SuggestionRow.id, SuggestionRow.jobseeker_id, SuggestionRow.at,
                   SuggestionRow.results)
            .where(SuggestionRow.explored.is_(True),
                   SuggestionRow.at <= now - timedelta(days=MATURE_DAYS))
            .order_by(SuggestionRow.id)
        ).all()  # fmt: skip
    graded = outcome_grades(tables["proposal"], tables["outcome_event"], rules.grades())
    success = set(graded.loc[graded["grade"] >= SUCCESS_GRADE, "proposal_id"])
    proposal = tables["proposal"]
    taken = proposal[proposal["suggestion_id"].notna()] if "suggestion_id" in proposal else None
    tasks_of = tables["proposal_task"].groupby("proposal_id")["task_id"].apply(set)
    records = []
    for list_id, person_id, at, results in rows:
        first = results.get("shown_first")
        if not first or person_id not in allowed:
            continue
        shown = [int(t) for t in results["ids"]]
        j, among = int(first["rules_position"]) - 1, int(first["among"])
        band = (shown[1 : j + 1] + shown[:1] + shown[j + 1 :])[:among]  # the rules' order
        reward = 0
        if taken is not None:
            for proposal_id in taken.loc[taken["suggestion_id"] == list_id, "id"]:
                if proposal_id in success and shown[0] in tasks_of.get(proposal_id, set()):
                    reward = 1
        records.append((list_id, person_id, at, band, j, float(first["propensity"]), among,
                        reward))  # fmt: skip
    return pd.DataFrame(
        records,
        columns=["list_id", "person_id", "at", "band", "logged_position", "propensity", "among",
                 "reward"],
    )  # fmt: skip


def stored_history(bind: Engine | Connection, now: MatchIndex) -> History:
    """The stored versions of people and tasks as a :class:`History`; ``now`` (the current
    index) serves every time since the last change, so that a world nobody has edited since
    its proposals costs no rebuild."""
    with on_connection(bind) as conn:
        changes = change_times(conn)

    @functools.lru_cache(maxsize=4)  # a comparison replays the same periods twice
    def rebuilt(period: int) -> MatchIndex:
        with on_connection(bind) as conn:
            return MatchIndex.from_tables(tables_as_of(conn, changes[period - 1]))

    def index_at(when: datetime) -> MatchIndex | None:
        period = bisect.bisect_right(changes, when)
        if period == 0:  # before anything was recorded: no world to replay on
            return None
        return now if period >= len(changes) else rebuilt(period)

    return History(changes, index_at)


def run_evaluation(
    bind: Engine | Connection,
    index: MatchIndex,
    rules: RuleSet,
    against: RuleSet | None = None,
    *,
    k: int = 10,
    coverage_sample: int = 2000,
    task_sample: int = 300,
    progress: Callable[..., Iterable[Any]] | None = None,
    as_of: bool = True,
) -> dict[str, Any]:
    """The report for ``rules`` and, with ``against``, both side by side with bootstrap
    intervals of the differences (``against`` − ``rules``). Each proposal is replayed on the
    world as it was when it was made (``as_of=False``: on the world as it is now)."""
    tables = read_history(bind)
    options: dict[str, Any] = {
        "k": k,
        "coverage_sample": coverage_sample,
        "task_sample": task_sample,
        "history": stored_history(bind, index) if as_of else None,
    }
    if progress is not None:
        options["progress"] = progress
    demographics = tables["jobseeker_demographics"]
    today = datetime.now(UTC).date()  # ages for the age bands
    first = evaluate(replay(index, rules, tables, **options), demographics, today)
    report: dict[str, Any] = {"a": first.to_dict()}
    left_out = int(tables["proposal"].attrs.get("left_out", 0))
    report["a"]["counts"]["proposals_left_out_without_evaluation_consent"] = left_out
    report["replayed_as_of"] = as_of
    if against is not None:
        second = evaluate(replay(index, against, tables, **options), demographics, today)
        report["b"] = second.to_dict()
        report["comparison"] = compare(first, second)
        report["guardrails"] = guardrail_findings(report["comparison"])
    logged = read_logged_lists(bind, tables, rules, datetime.now(UTC))
    history = options["history"]

    def first_choices(ruleset: RuleSet) -> Any:
        return target_positions(index, task_ranker(ruleset, None), logged, history)

    report["off_policy"] = off_policy_report(
        logged, first_choices(rules), first_choices(against) if against is not None else None
    )
    return finite(report)


def finite(value: Any) -> Any:
    """JSON has no NaN: a metric with nothing to measure is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value
