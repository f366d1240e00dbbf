"""Words for people, the gettext way: one catalogue per language, read by everyone.

The source strings (msgids) are English, as gettext expects; ``locale/fi/LC_MESSAGES/tasma.po``
holds the Finnish, ``locale/en/…`` is English's own (empty translations fall back to the
msgid). The catalogues are compiled in memory when first used, so a checkout needs no build
step. ``pybabel extract -F babel.cfg`` collects every string marked with ``_``, ``N_`` or
``pgettext`` from the Python code and the Jinja2 templates; ``tests/test_translations.py`` fails
when one of them has no Finnish.

Swedish comes in two steps. Today ``locale/sv/…`` holds the **vocabulary's names** only (the
code lists, TOL 2008 divisions with Statistics Finland's official Swedish names, adjustments,
characteristics): staff in bilingual municipalities type and search them in Swedish, and a sheet
written in Swedish reads as one written with ids. So there are two sets of languages:
``LANGUAGES``, the ones a person can choose for the UI (fi, en), and ``NAME_LANGUAGES``, the ones
a name is read or shown in (fi, sv, en). ``gettext_for("sv")`` gives the Swedish of a name and,
for a text the sv catalogue does not hold yet, the English msgid — never the Finnish, so that a
half-translated Swedish text is not a mix of two languages a Swedish speaker may not both read
(English is also what the msgids are). Making Swedish a UI language (issue #31) means translating
the rest of the catalogue and adding "sv" to ``LANGUAGES``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "tasma"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("fi", "en")
"""The languages a person can choose for the UI (pages, messages, the CLI)."""
NAME_LANGUAGES = ("fi", "sv", "en")
"""The languages the vocabulary's names are held in: shown, typed and read in any of them."""
DEFAULT_LANGUAGE = "fi"
_LOCALES = {"fi": "fi_FI", "en": "en_GB", "sv": "sv_FI"}


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """``lang``'s catalogue, compiled once per process: a UI language's or a name language's
    (Swedish: the vocabulary's names, other texts fall back to the English msgid); any other
    language gets Finnish."""
    if lang not in NAME_LANGUAGES:
        lang = DEFAULT_LANGUAGE
    with catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # fuzzy entries are left out: they are not yet translations
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for ``lang``: ``_ = gettext_for(lang)`` then ``_("Does not fit.")``."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """Singular or plural by ``n``: ``ngettext_for(lang)("%(n)s day", "%(n)s days", n)``."""
    return translations(lang).ngettext


def pgettext_for(lang: str) -> Callable[[str, str], str]:
    """Like ``gettext_for`` for a message whose words depend on where it is shown."""
    catalogue = translations(lang)
    return lambda where, message: str(catalogue.pgettext(where, message))


def in_every_language(
    message: str, words: Callable[[str], Mapping[str, object]] | None = None
) -> dict[str, str]:
    """``message`` (marked with ``N_``) in every language, its placeholders filled with
    ``words(lang)`` — names and numbers in that language: ``{"fi": …, "en": …}``."""
    return {lang: gettext_for(lang)(message) % (words(lang) if words else {}) for lang in LANGUAGES}


def N_(message: str) -> str:  # noqa: N802 — gettext's own name for "mark, translate later"
    """Marks ``message`` for extraction; it is translated where it is shown."""
    return message


@cache
def locale_for(lang: str) -> Locale:
    """The Babel locale whose numbers and dates a page in ``lang`` uses."""
    return Locale.parse(_LOCALES.get(lang, _LOCALES[DEFAULT_LANGUAGE]))


COMMON_LANGUAGES = ("fi", "sv", "en", "ru", "et", "ar", "so", "fa", "ku", "uk", "se")
"""Languages the profile editor offers first: Finland's national ones, Northern Sami, and those
most spoken by the clients of employment services (Statistics Finland's foreign-language
speakers)."""


def language_names(lang: str, also: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """ISO 639 code → the language's name in ``lang`` (Babel's CLDR data): the common ones and
    ``also`` (a profile's own), in that order; a code CLDR does not know is named by itself."""
    names = locale_for(lang).languages
    codes = dict.fromkeys([*COMMON_LANGUAGES, *also])
    return {code: str(names.get(code, code)) for code in codes}


def date_text(day: date, lang: str) -> str:
    """``1.12.2026`` in Finnish, ``01/12/2026`` in English."""
    return format_date(day, format="short", locale=locale_for(lang))


def datetime_text(moment: datetime, lang: str, zone: tzinfo | None = None) -> str:
    """A date and a time of day in ``lang``'s own way (``1.12.2026 klo 20.45``), on the clock
    of ``zone`` (a naive moment is UTC, as the database keeps moments)."""
    return format_datetime(moment, format="short", tzinfo=zone, locale=locale_for(lang))
