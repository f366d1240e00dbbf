"""scikit-learn-style transformers from wide frames to aligned arrays.

Each follows the estimator contract: ``__init__`` stores parameters, ``fit`` learns attributes
ending in ``_`` (from the catalogue, or a vocabulary from the data) and returns ``self``,
``transform`` checks it was fitted and validates its input, ``get_feature_names_out`` names the
columns. Each has a plain-function twin for one-off use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS, LICENCES, SECTORS, TASK_KINDS
from features.catalogue.adjustments import fits_kind
from features.catalogue.schedule import SLOT_IDS

__all__ = [
    "EXPOSURE",
    "AdjustmentEncoder",
    "BitSetEncoder",
    "CategoryEncoder",
    "LevelEncoder",
    "MultiHotEncoder",
    "adjustment_applicability",
    "adjustment_lowering_table",
    "levels",
]


def _require(frame: pd.DataFrame, columns: Iterable[str], who: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{who} transforms a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{who}: the frame lacks columns {missing[:5]}{' …' if len(missing) > 5 else ''}; "
            "build it with features.pipeline.frames.people_frame / task_frame"
        )


class LevelEncoder(TransformerMixin, BaseEstimator):
    """Wide ``<prefix>:<id>`` columns → ndarray of shape (n_rows, n_characteristics).

    Levels stay float with NaN for *unknown*: a missing rating is never read as 0.
    ``dtype=bool`` reads flags (hard limits) instead, with missing as False.
    """

    def __init__(self, prefix: str = "cap", dtype: str = "float32") -> None:
        self.prefix = prefix
        self.dtype = dtype

    def fit(self, X: pd.DataFrame | None = None, y: object = None) -> LevelEncoder:  # noqa: N803
        self.characteristic_ids_ = np.array(CHARACTERISTIC_IDS, dtype=object)
        self.columns_ = [f"{self.prefix}:{c}" for c in CHARACTERISTIC_IDS]
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "columns_")
        _require(X, self.columns_, type(self).__name__)
        values = X[self.columns_].to_numpy()
        if self.dtype == "bool":
            return np.asarray(pd.DataFrame(values).fillna(False).to_numpy(), dtype=bool)
        out = np.asarray(values, dtype=np.float32)
        known = out[~np.isnan(out)]
        if known.size and (known.min() < 0 or known.max() > 4):
            raise ValueError(f"{type(self).__name__}: levels must lie in 0–4")
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "characteristic_ids_")
        return np.array([f"{self.prefix}_{c}" for c in self.characteristic_ids_], dtype=object)


def levels(frame: pd.DataFrame, prefix: str = "cap") -> np.ndarray:
    """Plain-function twin of :class:`LevelEncoder`."""
    return LevelEncoder(prefix).fit().transform(frame)


class BitSetEncoder(TransformerMixin, BaseEstimator):
    """A list-valued column → ndarray of shape (n_rows,) of uint32 bit sets over a vocabulary.

    ``vocabulary`` names one of the catalogue's lists (``"slots"``, ``"licences"``), so bit ``i``
    means the same thing in every matrix.
    """

    _VOCABULARIES: ClassVar[dict[str, tuple[str, ...]]] = {
        "slots": SLOT_IDS,
        "licences": LICENCES.ids,
    }

    def __init__(self, column: str = "schedule", vocabulary: str = "slots") -> None:
        self.column = column
        self.vocabulary = vocabulary

    def fit(self, X: pd.DataFrame | None = None, y: object = None) -> BitSetEncoder:  # noqa: N803
        if self.vocabulary not in self._VOCABULARIES:
            raise ValueError(
                f"vocabulary must be one of {sorted(self._VOCABULARIES)}, not {self.vocabulary!r}"
            )
        self.vocabulary_ = tuple(self._VOCABULARIES[self.vocabulary])
        if len(self.vocabulary_) > 32:
            raise ValueError("a bit set holds at most 32 items")
        self.bit_ = {v: np.uint32(1 << i) for i, v in enumerate(self.vocabulary_)}
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "bit_")
        _require(X, [self.column], type(self).__name__)
        out = np.zeros(len(X), dtype=np.uint32)
        for i, items in enumerate(X[self.column].to_numpy()):
            bits = np.uint32(0)
            for item in items if isinstance(items, list | tuple | np.ndarray) else ():
                try:
                    bits |= self.bit_[item]
                except KeyError:
                    raise ValueError(
                        f"{self.column}: {item!r} is not in the {self.vocabulary} vocabulary"
                    ) from None
            out[i] = bits
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"{self.column}_bits"], dtype=object)


class MultiHotEncoder(TransformerMixin, BaseEstimator):
    """List-valued columns → CSR matrix (n_rows, n_terms) over a vocabulary learned in ``fit``.

    Used for skills: a person's skills and a task's required skills are encoded over one fitted
    vocabulary, so their overlap is a sparse product. Terms unseen in ``fit`` are ignored.
    """

    def __init__(self, columns: Sequence[str] = ("skills",)) -> None:
        self.columns = columns

    def fit(self, X: pd.DataFrame | Sequence[pd.DataFrame], y: object = None) -> MultiHotEncoder:  # noqa: N803
        frames = [X] if isinstance(X, pd.DataFrame) else list(X)
        terms: set[str] = set()
        for frame in frames:
            for column in self.columns:
                if column in frame.columns:
                    for items in frame[column].to_numpy():
                        terms.update(items if isinstance(items, list | tuple | np.ndarray) else ())
        self.vocabulary_ = {t: i for i, t in enumerate(sorted(terms))}
        return self

    def transform(self, X: pd.DataFrame, column: str | None = None) -> sparse.csr_matrix:  # noqa: N803
        check_is_fitted(self, "vocabulary_")
        column = column or self.columns[0]
        _require(X, [column], type(self).__name__)
        indptr, indices = [0], []
        for items in X[column].to_numpy():
            cols = sorted(
                {self.vocabulary_[t] for t in (items if isinstance(items, list | tuple | np.ndarray)
                                               else ()) if t in self.vocabulary_}
            )  # fmt: skip
            indices.extend(cols)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        return sparse.csr_matrix(
            (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
            shape=(len(X), len(self.vocabulary_)),
        )

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_")
        return np.array([f"skill_{t}" for t in self.vocabulary_], dtype=object)


class CategoryEncoder(TransformerMixin, BaseEstimator):
    """A code column (a task's sector or kind) → int16 index into the catalogue's code list,
    and a list column (a person's interests) → bool matrix (n_rows, n_codes)."""

    _LISTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "sectors": SECTORS.ids,
        "task_kinds": TASK_KINDS.ids,
    }

    def __init__(self, codes: str = "sectors") -> None:
        self.codes = codes

    def fit(self, X: pd.DataFrame | None = None, y: object = None) -> CategoryEncoder:  # noqa: N803
        self.codes_ = tuple(self._LISTS[self.codes])
        self.index_ = {c: i for i, c in enumerate(self.codes_)}
        return self

    def transform(self, X: pd.DataFrame, column: str, *, lists: bool = False) -> np.ndarray:  # noqa: N803
        """``lists``: the column holds lists of codes (a bool matrix out, even for no rows)."""
        check_is_fitted(self, "index_")
        _require(X, [column], type(self).__name__)
        values = X[column].to_numpy()
        if lists or (len(values) and isinstance(values[0], list | tuple | np.ndarray)):
            out = np.zeros((len(values), len(self.codes_)), dtype=bool)
            for i, items in enumerate(values):
                out[i, [self.index_[c] for c in items]] = True
            return out
        try:
            return np.array([self.index_[v] for v in values], dtype=np.int16)
        except KeyError as err:
            raise ValueError(f"{column}: unknown code {err.args[0]!r}") from None

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "codes_")
        return np.array([f"{self.codes}_{c}" for c in self.codes_], dtype=object)


def adjustment_lowering_table() -> np.ndarray:
    """ndarray of shape (n_adjustments, n_characteristics): levels each adjustment lowers."""
    table = np.zeros((len(ADJUSTMENTS), len(CHARACTERISTIC_IDS)), dtype=np.int8)
    index = {c: i for i, c in enumerate(CHARACTERISTIC_IDS)}
    for a, adj in enumerate(ADJUSTMENTS.values()):
        for cid, n in adj.lowers.items():
            table[a, index[cid]] = n
    return table


EXPOSURE: np.ndarray = np.array([a.changes_exposure for a in ADJUSTMENTS.values()], dtype=bool)
"""bool (n_adjustments,): the adjustment changes the exposure itself (not a support)."""


def adjustment_applicability(kinds: np.ndarray, schedule: np.ndarray) -> np.ndarray:
    """bool (n_tasks, n_adjustments): which adjustments can apply to each task, from its kind
    (index into the task-kind list) and its schedule (slot bit set) — the catalogue's
    :func:`~features.catalogue.adjustments.applies`, as a table."""
    kinds = np.asarray(kinds, dtype=np.int64)
    by_kind = np.array(
        [[fits_kind(a, k) for a in ADJUSTMENTS.values()] for k in TASK_KINDS.ids],
        dtype=bool,
    ).reshape(len(TASK_KINDS), len(ADJUSTMENTS))
    out = by_kind[kinds]
    day = np.array([a.needs_day_shift for a in ADJUSTMENTS.values()], dtype=bool)
    if day.any():
        afternoons = sum(1 << b for b, s in enumerate(SLOT_IDS) if s.endswith("-afternoon"))
        has_day = (np.asarray(schedule).astype(np.int64) & afternoons) != 0
        out[:, day] &= has_day[:, None]
    return out


class AdjustmentEncoder(TransformerMixin, BaseEstimator):
    """A task's accepted adjustments → bool ndarray (n_tasks, n_adjustments); ``reduction``
    gives the most each task's accepted adjustments can lower each demand,
    ndarray (n_tasks, n_characteristics)."""

    def __init__(self, column: str = "accepted_adjustments") -> None:
        self.column = column

    def fit(self, X: pd.DataFrame | None = None, y: object = None) -> AdjustmentEncoder:  # noqa: N803
        self.adjustment_ids_ = tuple(ADJUSTMENTS)
        self.index_ = {a: i for i, a in enumerate(self.adjustment_ids_)}
        self.lowering_ = adjustment_lowering_table()
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "index_")
        _require(X, [self.column], type(self).__name__)
        out = np.zeros((len(X), len(self.adjustment_ids_)), dtype=bool)
        for i, items in enumerate(X[self.column].to_numpy()):
            try:
                out[i, [self.index_[a] for a in items]] = True
            except KeyError as err:
                raise ValueError(f"{self.column}: unknown adjustment {err.args[0]!r}") from None
        return out

    def reduction(self, accepted: np.ndarray) -> np.ndarray:
        check_is_fitted(self, "lowering_")
        out = np.zeros((accepted.shape[0], self.lowering_.shape[1]), dtype=np.int8)
        for a in range(self.lowering_.shape[0]):
            rows = accepted[:, a]
            out[rows] = np.maximum(out[rows], self.lowering_[a])
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "adjustment_ids_")
        return np.array([f"accepts_{a}" for a in self.adjustment_ids_], dtype=object)
