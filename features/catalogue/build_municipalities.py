"""Write ``municipalities.csv``, every municipality of Finland in 2026, from the rOpenGov geofi
R package's data (BSD-2-Clause; https://github.com/rOpenGov/geofi).

Two of geofi's data files are read (the commit used for the committed CSV: ``de9392bb``,
geofi 1.2.1 of 2026-03-16):

- ``data/municipality_key_2026.rda`` — Statistics Finland's classification of 2026: 308
  municipalities with code (``kunta``), Finnish and Swedish name and region (``maakunta``);
- ``data/municipality_central_localities_df.rda`` — the centre (the name's place on the map)
  of each municipality from the National Land Survey's Topographic Database of April 2025
  (``kuntatunnus``, ``X`` longitude and ``Y`` latitude, WGS84).

A centre kept from before (the 30 municipalities Täsmä knew first, so the demo world and
every figure documented from it stay as they were) or missing from the Land Survey's file
(Tuusula) is the GeoNames point written below: ``centre_source`` says which a row has.

Not run in CI, and not a dependency of Täsmä: in a throwaway environment ::

    python3 -m venv /tmp/rvenv && /tmp/rvenv/bin/pip install pyreadr pandas
    git clone https://github.com/rOpenGov/geofi /tmp/geofi   # or download the two files
    /tmp/rvenv/bin/python features/catalogue/build_municipalities.py \\
        /tmp/geofi/data/municipality_key_2026.rda \\
        /tmp/geofi/data/municipality_central_localities_df.rda

The CSV is rewritten beside this file, one row a municipality in the order of its code;
``git diff`` shows what a new year's data changed.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

__all__ = ["GEONAMES", "build_rows", "main"]

COLUMNS = ("code", "name_fi", "name_sv", "region", "lat", "lon", "centre_source")
OUT = Path(__file__).with_name("municipalities.csv")
YEAR = 2026

GEONAMES: dict[str, tuple[float, float]] = {
    # The centres Täsmä has used from the start (GeoNames), kept to the digit.
    "398": (60.9827, 25.6615),  # Lahti
    "098": (60.9886, 25.5128),  # Hollola
    "111": (61.2028, 26.0311),  # Heinola
    "560": (60.8042, 25.7297),  # Orimattila
    "016": (61.1722, 25.5486),  # Asikkala
    "316": (60.8667, 25.2667),  # Kärkölä
    "576": (61.3500, 25.2833),  # Padasjoki
    "781": (61.5000, 25.6833),  # Sysmä
    "081": (61.5833, 26.0167),  # Hartola
    "142": (60.8886, 26.3239),  # Iitti
    "091": (60.1699, 24.9384),  # Helsinki
    "049": (60.2055, 24.6559),  # Espoo
    "092": (60.2934, 25.0378),  # Vantaa
    "638": (60.3932, 25.6650),  # Porvoo
    "694": (60.7385, 24.7730),  # Riihimäki
    "109": (60.9959, 24.4643),  # Hämeenlinna
    "837": (61.4978, 23.7610),  # Tampere
    "853": (60.4518, 22.2666),  # Turku
    "286": (60.8679, 26.7042),  # Kouvola
    "285": (60.4664, 26.9458),  # Kotka
    "405": (61.0587, 28.1887),  # Lappeenranta
    "491": (61.6886, 27.2723),  # Mikkeli
    "179": (62.2426, 25.7473),  # Jyväskylä
    "297": (62.8924, 27.6770),  # Kuopio
    "167": (62.6010, 29.7636),  # Joensuu
    "609": (61.4851, 21.7974),  # Pori
    "743": (62.7903, 22.8403),  # Seinäjoki
    "905": (63.0951, 21.6158),  # Vaasa
    "564": (65.0121, 25.4651),  # Oulu
    "698": (66.5039, 25.7294),  # Rovaniemi
    # Missing from the Land Survey's file: GeoNames 633591.
    "858": (60.4037, 25.0264),  # Tuusula
}
LAND_SURVEY = "nls-2025"


def _text(value: object) -> str:
    return " ".join(str(value).split())


def build_rows(key: Any, centres: Any) -> list[dict[str, str]]:
    """The CSV's rows from geofi's two data frames (pandas)."""
    points = {
        f"{int(code):03d}": (float(y), float(x))
        for code, x, y in zip(centres["kuntatunnus"], centres["X"], centres["Y"], strict=True)
    }
    rows = []
    for r in key.itertuples(index=False):
        if int(r.year) != YEAR:
            raise ValueError(f"the key is of {r.year}, not {YEAR}")
        code = f"{int(r.kunta):03d}"
        if code in GEONAMES:
            (lat, lon), source = GEONAMES[code], "geonames"
        else:
            (lat, lon), source = points[code], LAND_SURVEY  # KeyError: a centre is missing
        rows.append({
            "code": code,
            "name_fi": _text(r.municipality_name_fi),
            "name_sv": _text(r.municipality_name_sv),
            "region": _text(r.maakunta_name_fi),
            "lat": f"{lat:.4f}",
            "lon": f"{lon:.4f}",
            "centre_source": source,
        })  # fmt: skip
    rows.sort(key=lambda row: row["code"])
    if len({row["code"] for row in rows}) != len(rows):
        raise ValueError("a municipality code is there twice")
    return rows


def main(argv: list[str] | None = None) -> None:
    import pyreadr  # a throwaway environment's, never Täsmä's

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("key", type=Path, help="municipality_key_2026.rda")
    parser.add_argument("centres", type=Path, help="municipality_central_localities_df.rda")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    key = next(iter(pyreadr.read_r(args.key).values()))
    centres = next(iter(pyreadr.read_r(args.centres).values()))
    rows = build_rows(key, centres)
    with args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} municipalities written to {args.out}")


if __name__ == "__main__":
    main()
