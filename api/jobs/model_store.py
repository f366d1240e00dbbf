"""Trained re-rankers on disk (``models/<version>/``): the model, its card (JSON and
Markdown), and which one is active (``models/ACTIVE``).

Loading refuses a model whose feature list or library versions differ from this install's: a
model scored on other columns, or unpickled by another scikit-learn, could be silently wrong.
"""

from __future__ import annotations

import json
import logging
import platform
from importlib.metadata import version as installed
from pathlib import Path
from typing import Any

import joblib

from features.errors import NotFoundError, TasmaError
from matching.reranker import FEATURES, Reranker

__all__ = [
    "ModelMismatchError",
    "activate_model",
    "active_reranker",
    "card_markdown",
    "library_versions",
    "load_active_reranker",
    "load_reranker",
    "save_reranker",
]

ACTIVE = "ACTIVE"


class ModelMismatchError(TasmaError):
    code = "model_mismatch"


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": installed("scikit-learn"),
        "numpy": installed("numpy"),
    }


def save_reranker(directory: Path, model: Reranker, card: dict[str, Any]) -> Path:
    target = directory / model.version
    target.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, target / "model.joblib")
    (target / "card.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    (target / "card.md").write_text(card_markdown(card), encoding="utf-8")
    return target


def load_reranker(directory: Path, version: str) -> Reranker:
    target = directory / version
    if not (target / "model.joblib").is_file() or not (target / "card.json").is_file():
        raise NotFoundError(f"no model {version!r} in {directory}")
    card = json.loads((target / "card.json").read_text(encoding="utf-8"))
    if tuple(card.get("features", [])) != FEATURES:
        raise ModelMismatchError(
            f"model {version!r} was trained on other features than this version computes"
        )
    ours = library_versions()
    theirs = card.get("libraries", {})
    differ = [f"{name} {theirs.get(name)} (here {ours[name]})" for name in ("scikit-learn", "numpy")
              if theirs.get(name) != ours[name]]  # fmt: skip
    if differ:
        raise ModelMismatchError(
            f"model {version!r} was saved with {', '.join(differ)}; retrain it (tasma train)"
        )
    model = joblib.load(target / "model.joblib")
    if not isinstance(model, Reranker):
        raise ModelMismatchError(f"{target / 'model.joblib'} is not a Täsmä re-ranker")
    return model


def activate_model(directory: Path, version: str) -> None:
    load_reranker(directory, version)  # only a loadable model can be made active
    (directory / ACTIVE).write_text(version + "\n", encoding="utf-8")


def model_cards(directory: Path) -> list[dict[str, Any]]:
    """The cards of the models saved in ``directory``, newest first, each with ``active``
    (the one the service re-ranks with) — read from their ``card.json``; a folder without one
    is not a model."""
    if not directory.is_dir():
        return []
    marker = directory / ACTIVE
    active = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    cards = []
    for card_file in directory.glob("*/card.json"):
        card = json.loads(card_file.read_text(encoding="utf-8"))
        cards.append({**card, "active": card.get("version") == active})
    return sorted(cards, key=lambda c: str(c.get("created_at", "")), reverse=True)


def active_reranker(directory: Path) -> Reranker | None:
    """The active model, or None when none is marked active. A marked model that cannot be
    loaded raises: the caller decides whether to run on the rules alone."""
    marker = directory / ACTIVE
    if not marker.is_file():
        return None
    return load_reranker(directory, marker.read_text(encoding="utf-8").strip())


def card_markdown(card: dict[str, Any]) -> str:
    """The model card for people: what it predicts, from what, how well, for whom."""
    t = card["training"]
    lines = [
        f"# Model card: {card['version']}",
        "",
        card["summary"],
        "",
        "## Intended use",
        "",
        card["intended_use"],
        "",
        "## Training data",
        "",
        f"- {t['rows']} recorded (proposal, task) pairs, {t['positives']} successful "
        f"(hired or employed after six months); proposals younger than {t['mature_days']} days "
        "left out (outcome not yet known)",
        f"- fit on {t['fit'][0]} – {t['fit'][1]}, calibrated on {t['calibrate'][0]} – "
        f"{t['calibrate'][1]}, tested on {t['test'][0]} – {t['test'][1]} (time-based split)",
        f"- features scored under rule set `{t['ruleset']}`; data SHA-256 `{t['data_sha256']}`",
        "",
        "## Features",
        "",
        ", ".join(f"`{f}`" for f in card["features"]),
        "",
        "Monotone (the prediction never rises with): "
        + ", ".join(f"`{f}`" for f, d in card["monotone"].items() if d < 0),
        "",
        "## Held-out results (newest 20 % of the history)",
        "",
        "| metric | rules | rules + model | difference (95 % CI) |",
        "|---|---|---|---|",
    ]
    for name, row in card["metrics"]["comparison"].items():
        ci = (
            f" [{row['ci_low']:.3f}, {row['ci_high']:.3f}]" if row.get("ci_low") is not None else ""
        )
        lines.append(f"| {name} | {_num(row['a'])} | {_num(row['b'])} | {_num(row['diff'])}{ci} |")
    m = card["metrics"]
    lines += [
        "",
        f"Pairwise on the test slice: AUC {m['test_auc']:.3f} (the rules' total score: "
        f"{m['rules_auc']:.3f}); Brier {m['test_brier']:.4f} (base rate alone: "
        f"{m['base_rate_brier']:.4f}).",
        "",
        f"**Verdict:** {card['verdict']}",
        "",
        "## Fairness (held-out, rules + model)",
        "",
    ]
    for attribute, rows in card["fairness"].items():
        lines.append(f"- {attribute}: " + "; ".join(
            f"{r['group']} exposure ratio {_num(r['exposure_ratio'])}, hit-rate ratio "
            f"{_num(r['hit_rate_ratio_to_best'])} ({r['successes']} hires)" for r in rows
        ))  # fmt: skip
    lines += ["", "## Libraries", ""]
    lines += [f"- {k} {v}" for k, v in card["libraries"].items()]
    return "\n".join(lines) + "\n"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def load_active_reranker(models_dir: Path) -> Reranker | None:
    """The active re-ranker for the service and the CLI; a marked model that cannot be used is
    refused, loudly, and matching goes by the rules alone."""
    log = logging.getLogger("tasma.api")
    try:
        model = active_reranker(models_dir)
    except TasmaError as err:
        log.error("learned re-ranker refused, ranking by the rules alone: %s", err)
        return None
    if model is not None:
        log.info("learned re-ranker %s active", model.version)
    return model
