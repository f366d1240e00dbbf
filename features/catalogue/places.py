"""Municipalities (Statistics Finland codes) with the coordinates of their centre.

The Lahti region (Päijät-Häme) in full, and the larger towns beyond. A person or a workplace
names its municipality; coordinates default to the centre when no address point is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["FINLAND_BOUNDS", "MUNICIPALITIES", "Municipality", "municipality"]

FINLAND_BOUNDS = {"lat": (59.5, 70.2), "lon": (19.0, 31.6)}


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    lat: float
    lon: float
    region: str


_PH = "Päijät-Häme"
_ROWS: tuple[Municipality, ...] = (
    Municipality("398", "Lahti", 60.9827, 25.6615, _PH),
    Municipality("098", "Hollola", 60.9886, 25.5128, _PH),
    Municipality("111", "Heinola", 61.2028, 26.0311, _PH),
    Municipality("560", "Orimattila", 60.8042, 25.7297, _PH),
    Municipality("016", "Asikkala", 61.1722, 25.5486, _PH),
    Municipality("316", "Kärkölä", 60.8667, 25.2667, _PH),
    Municipality("576", "Padasjoki", 61.3500, 25.2833, _PH),
    Municipality("781", "Sysmä", 61.5000, 25.6833, _PH),
    Municipality("081", "Hartola", 61.5833, 26.0167, _PH),
    Municipality("142", "Iitti", 60.8886, 26.3239, _PH),
    Municipality("091", "Helsinki", 60.1699, 24.9384, "Uusimaa"),
    Municipality("049", "Espoo", 60.2055, 24.6559, "Uusimaa"),
    Municipality("092", "Vantaa", 60.2934, 25.0378, "Uusimaa"),
    Municipality("638", "Porvoo", 60.3932, 25.6650, "Uusimaa"),
    Municipality("694", "Riihimäki", 60.7385, 24.7730, "Kanta-Häme"),
    Municipality("109", "Hämeenlinna", 60.9959, 24.4643, "Kanta-Häme"),
    Municipality("837", "Tampere", 61.4978, 23.7610, "Pirkanmaa"),
    Municipality("853", "Turku", 60.4518, 22.2666, "Varsinais-Suomi"),
    Municipality("286", "Kouvola", 60.8679, 26.7042, "Kymenlaakso"),
    Municipality("285", "Kotka", 60.4664, 26.9458, "Kymenlaakso"),
    Municipality("405", "Lappeenranta", 61.0587, 28.1887, "Etelä-Karjala"),
    Municipality("491", "Mikkeli", 61.6886, 27.2723, "Etelä-Savo"),
    Municipality("179", "Jyväskylä", 62.2426, 25.7473, "Keski-Suomi"),
    Municipality("297", "Kuopio", 62.8924, 27.6770, "Pohjois-Savo"),
    Municipality("167", "Joensuu", 62.6010, 29.7636, "Pohjois-Karjala"),
    Municipality("609", "Pori", 61.4851, 21.7974, "Satakunta"),
    Municipality("743", "Seinäjoki", 62.7903, 22.8403, "Etelä-Pohjanmaa"),
    Municipality("905", "Vaasa", 63.0951, 21.6158, "Pohjanmaa"),
    Municipality("564", "Oulu", 65.0121, 25.4651, "Pohjois-Pohjanmaa"),
    Municipality("698", "Rovaniemi", 66.5039, 25.7294, "Lappi"),
)

MUNICIPALITIES: MappingProxyType[str, Municipality] = MappingProxyType({m.name: m for m in _ROWS})
_BY_FOLDED = {m.name.casefold(): m for m in _ROWS} | {m.code: m for m in _ROWS}


def municipality(name_or_code: str) -> Municipality:
    """Find a municipality by name (any case) or by its three-digit code."""
    try:
        return _BY_FOLDED[name_or_code.strip().casefold()]
    except KeyError:
        raise KeyError(
            f"unknown municipality {name_or_code!r}; known: " + ", ".join(MUNICIPALITIES)
        ) from None
