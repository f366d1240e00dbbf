"""Small code lists (licences, sectors, task kinds, education levels, …).

One ``CodeList`` type serves them all, so lookup, validation messages and the CLI listing are
written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

from features.i18n import NAME_LANGUAGES, gettext_for

__all__ = ["Code", "CodeList"]

_LABELLED = re.compile(r"(?P<name>.+?)\s*\((?P<id>[^()]+)\)")
"""``Elintarvikkeiden valmistus (10)``: a name, then its id in brackets."""


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
    """An ordered, immutable list of codes with Finnish, Swedish and English names."""

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
        """The code ``text`` names: its id, or its name in Finnish, Swedish or English
        (``NAME_LANGUAGES``; letter case and surrounding spaces aside) — so that a sheet written
        with the names the UI shows, or with the Swedish ones, reads as one written with ids;
        also "Name (id)", as a picker offers it (:meth:`label`). ``None`` when it names none."""
        wanted = text.strip().casefold()
        for code in self._codes.values():
            if wanted == code.id.casefold() or any(
                wanted == code.name(lang).casefold() for lang in NAME_LANGUAGES
            ):
                return code.id
        # "Name (id)", the way a picker offers a code: the id, if the name is that code's too.
        labelled = _LABELLED.fullmatch(text.strip())
        if labelled and labelled["id"] in self._codes:
            code_id, name = labelled["id"], labelled["name"]
            if self.find(name) == code_id:
                return code_id
        return None

    def label(self, code_id: str, lang: str) -> str:
        """``code_id`` as a picker offers it, "Name (id)": what :meth:`find` reads back."""
        return f"{self.get(code_id).name(lang)} ({code_id})"

    def unknown_message(self, code_id: object) -> str:
        return f"unknown {self.name} {code_id!r}; allowed: {', '.join(self._codes)}"

    def index(self, code_id: str) -> int:
        """Position of ``code_id``: its bit in a bit set, its column in a multi-hot matrix."""
        self.get(code_id)
        return self.ids.index(code_id)


def code_list(name: str, rows: tuple[tuple[str, str], ...]) -> CodeList:
    return CodeList(name, tuple(Code(*row) for row in rows))
