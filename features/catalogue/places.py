"""Every municipality of Finland (Statistics Finland's codes of 2026) with the coordinates of
its centre.

A person or a workplace names its municipality — by its Finnish or Swedish name (any case) or
its three-digit code; the Finnish name is the one stored — and its coordinates default to the
centre when no address point is given. The list is ``municipalities.csv`` beside this file,
written by ``build_municipalities.py`` from the rOpenGov geofi package's data (where it comes
from, and how to renew it: docs/contributors/data-model.md, "Municipalities").
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

__all__ = [
    "FINLAND_BOUNDS",
    "MUNICIPALITIES",
    "Municipality",
    "close_municipality_names",
    "municipality",
]

FINLAND_BOUNDS = {"lat": (59.5, 70.2), "lon": (19.0, 31.6)}


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    """Statistics Finland's three digits, leading zeros kept ("091")."""
    name: str
    """The Finnish name: the one stored and shown."""
    name_sv: str
    """The Swedish name (the Finnish one again where there is no other)."""
    lat: float
    lon: float
    region: str
    """The region (maakunta), in Finnish."""
    centre_source: str
    """Where the centre's coordinates come from: ``geonames`` or ``nls-2025`` (the National
    Land Survey's central locality)."""


def _read() -> tuple[Municipality, ...]:
    text = resources.files("features.catalogue").joinpath("municipalities.csv").read_text("utf-8")
    return tuple(
        Municipality(
            code=row["code"],
            name=row["name_fi"],
            name_sv=row["name_sv"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            region=row["region"],
            centre_source=row["centre_source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


_ROWS = _read()

MUNICIPALITIES: MappingProxyType[str, Municipality] = MappingProxyType({m.name: m for m in _ROWS})
"""Every municipality by its Finnish name, in the order of its code."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


# A Finnish name wins over another municipality's Swedish one (no two share a name in 2026).
_BY_NAME = {_fold(m.name_sv): m for m in _ROWS} | {_fold(m.name): m for m in _ROWS}
_SPELLED = {_fold(m.name): m.name for m in _ROWS} | {_fold(m.name_sv): m.name_sv for m in _ROWS}
_BY_CODE = {m.code: m for m in _ROWS}


def close_municipality_names(text: str, n: int = 3) -> list[str]:
    """The names (Finnish or Swedish, as spelled) nearest to ``text``, best first, one for each
    municipality; none when nothing is near."""
    out: dict[str, str] = {}
    for folded in difflib.get_close_matches(_fold(text), list(_BY_NAME), n=2 * n, cutoff=0.75):
        out.setdefault(_BY_NAME[folded].code, _SPELLED[folded])
    return list(out.values())[:n]


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def municipality(name_or_code: str) -> Municipality:
    """Find a municipality by its Finnish or Swedish name (any case, spaces around or doubled
    ignored) or its three-digit code. An unknown one is a KeyError whose message offers the
    closest names."""
    key = _fold(name_or_code)
    found = _BY_NAME.get(key) or _BY_CODE.get(key)
    if found is not None:
        return found
    close = close_municipality_names(name_or_code)
    hint = (
        f"did you mean {_or(close)}?"
        if close
        else "give its Finnish or Swedish name or its three-digit code"
    )
    raise KeyError(f"unknown municipality {name_or_code!r}; {hint}")
