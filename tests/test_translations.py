"""The gettext catalogues: every marked string has its Finnish, placeholders agree, and nothing
in the catalogues is left over from code that no longer exists. The Swedish catalogue holds the
vocabulary's names (not yet a UI language): each of them, and nothing no code uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from features.catalogue import CODE_LISTS, INDUSTRIES, SECTORS, vocabulary_names
from features.i18n import LANGUAGES, NAME_LANGUAGES, catalogue_path, gettext_for

ROOT = Path(__file__).parent.parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def _marked() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string marked in the code and the templates (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.fixture(scope="module")
def marked() -> set[tuple[str | None, str]]:
    found = _marked()
    assert len(found) > 200  # the templates and the code were read
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue_and_nothing_else(marked, lang):
    with catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang)
    held = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}
    assert marked - held == set(), "run pybabel extract/update (README: Translations)"
    assert held - marked == set(), "left over from code that no longer exists"


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def test_every_finnish_translation_is_there_and_keeps_the_placeholders():
    with catalogue_path("fi").open("rb") as po:
        catalogue = read_po(po, locale="fi")
    untranslated = [m.id for m in catalogue if m.id and (m.fuzzy or not all(_strings(m.string)))]
    assert untranslated == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []  # python-format placeholders in the msgstr match the msgid's


def test_a_finnish_page_word_comes_from_the_catalogue():
    assert gettext_for("fi")("Log out") == "Kirjaudu ulos"
    assert gettext_for("en")("Log out") == "Log out"
    assert gettext_for("de")("Log out") == "Kirjaudu ulos"  # unknown language: Finnish


def test_swedish_is_a_language_of_names_not_yet_of_the_ui():
    assert "sv" in NAME_LANGUAGES and "sv" not in LANGUAGES  # not offered to choose (#31)
    assert gettext_for("sv")("Cleaning services") == "Städtjänster"
    # A text the Swedish catalogue does not hold yet is English (the msgid), never Finnish.
    assert gettext_for("sv")("Log out") == "Log out"


def _swedish() -> dict[str, str]:
    with catalogue_path("sv").open("rb") as po:
        catalogue = read_po(po, locale="sv")
    assert not [m.id for m in catalogue if m.id and m.fuzzy]
    return {str(m.id): str(m.string) for m in catalogue if m.id}


def test_the_swedish_catalogue_names_the_whole_vocabulary_and_holds_nothing_unused(marked):
    swedish = _swedish()
    for what, names in vocabulary_names().items():
        untranslated = [n for n in names if not swedish.get(n)]
        assert untranslated == [], f"{what}: no Swedish name"
    # Texts that are not names may be there (pybabel update adds them, empty) but none that
    # no code uses any more.
    assert {(None, msgid) for msgid in swedish} - marked == set()


def test_the_tol_divisions_carry_statistics_finlands_swedish_names():
    # Spot checks against Näringsgrensindelningen 2008 (stat.fi, huvudgrupper).
    official = {
        "10": "Livsmedelsframställning",
        "16": "Tillverkning av trä och varor av trä, kork, rotting o.d. utom möbler",
        "43": "Specialiserad bygg- och anläggningsverksamhet",
        "47": "Detaljhandel utom med motorfordon och motorcyklar",
        "56": "Restaurang-, catering- och barverksamhet",
        "81": "Fastighetsservice samt skötsel och underhåll av grönytor",
        "88": "Öppna sociala insatser",
    }
    assert {code: INDUSTRIES.get(code).name("sv") for code in official} == official
    assert len(INDUSTRIES) == 88


@pytest.mark.parametrize("codes", CODE_LISTS, ids=lambda codes: codes.name)
def test_every_name_finds_its_own_code_in_every_language(codes):
    """A name in one language is never another code's name in another: ``find`` is never in
    doubt, whichever language a sheet or a field is written in."""
    for code in codes:
        for lang in NAME_LANGUAGES:
            assert codes.find(code.name(lang)) == code.id, (code.id, lang)
            assert codes.find(codes.label(code.id, lang)) == code.id


def test_a_sector_is_found_by_its_swedish_name_as_by_its_finnish_one():
    assert SECTORS.find(" städtjänster ") == "cleaning"
    assert SECTORS.find("Fastighetsskötsel") == "property_maintenance"
    assert INDUSTRIES.find("Livsmedelsframställning") == "10"
    assert INDUSTRIES.find("Livsmedelsframställning (10)") == "10"
    assert INDUSTRIES.find("Livsmedelsframställning (11)") is None  # the name is another code's
    assert INDUSTRIES.find("Städning") is None


def test_every_translation_formats_as_its_msgid_does():
    """A message with ``%`` in it is formatted where it is shown (Jinja2's newstyle gettext
    formats every template string; the code formats its placeholders): a lone "%" in its
    translation, or a placeholder the msgid lacks, would be an error on a page."""
    import re

    with catalogue_path("fi").open("rb") as po:
        catalogue = read_po(po, locale="fi")
    broken = []
    for m in catalogue:
        if not m.id or "%" not in str(m.id):
            continue  # never formatted: a "%" in its translation is just a per cent sign
        for msgid, msgstr in zip(_strings(m.id), _strings(m.string), strict=False):
            names = dict.fromkeys(re.findall(r"%\((\w+)\)s", msgid), "x")
            try:
                msgid % names
                msgstr % names
            except (KeyError, ValueError, TypeError) as err:
                broken.append((msgid, msgstr, str(err)))
    assert broken == []
