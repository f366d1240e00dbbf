"""Small code lists (licences, sectors, task kinds, education levels, …).

One ``CodeList`` type serves them all, so lookup, validation messages and the CLI listing are
written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

from features.i18n import LANGUAGES, gettext_for

__all__ = ["Code", "CodeList"]


@dataclass(frozen=True, slots=True)
class Code:
    """A code and its name: English in the code, every other language in the catalogues."""

    id: str
    en: str

    @property
    def fi(self) -> str:
        return gettext_for("fi")(self.en)

    def name(self, lang: str) -> str:
        return gettext_for(lang)(self.en)


class CodeList:
    """An ordered, immutable list of codes with Finnish and English names."""

    def __init__(self, name: str, codes: tuple[Code, ...]) -> None:
        ids = [c.id for c in codes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate ids in code list {name!r}")
        self.name = name
        self._codes = MappingProxyType({c.id: c for c in codes})

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._codes

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._codes)

    def get(self, code_id: str) -> Code:
        try:
            return self._codes[code_id]
        except KeyError:
            raise KeyError(self.unknown_message(code_id)) from None

    def find(self, text: str) -> str | None:
        """The code ``text`` names: its id, or its name in any language of the catalogues
        (letter case and surrounding spaces aside) — so that a sheet written with the names
        the UI shows reads as one written with ids. ``None`` when it names none."""
        wanted = text.strip().casefold()
        for code in self._codes.values():
            if wanted == code.id.casefold() or any(
                wanted == code.name(lang).casefold() for lang in LANGUAGES
            ):
                return code.id
        return None

    def unknown_message(self, code_id: object) -> str:
        return f"unknown {self.name} {code_id!r}; allowed: {', '.join(self._codes)}"

    def index(self, code_id: str) -> int:
        """Position of ``code_id``: its bit in a bit set, its column in a multi-hot matrix."""
        self.get(code_id)
        return self.ids.index(code_id)


def code_list(name: str, rows: tuple[tuple[str, str], ...]) -> CodeList:
    return CodeList(name, tuple(Code(*row) for row in rows))
