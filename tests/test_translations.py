"""The gettext catalogues: every marked string has its Finnish, placeholders agree, and nothing
in the catalogues is left over from code that no longer exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from features.i18n import LANGUAGES, catalogue_path, gettext_for

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
    assert gettext_for("sv")("Log out") == "Kirjaudu ulos"  # unknown language: Finnish


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
