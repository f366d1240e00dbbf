"""What the language checks of the pages share: the Finnish catalogue's messages as pairs of
their English msgids and their Finnish translations (a plural's forms together)."""

from __future__ import annotations

from babel.messages.pofile import read_po

from features.i18n import catalogue_path

__all__ = ["finnish_messages"]


def finnish_messages() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each message of the Finnish catalogue: (its msgids, its translations), the header left
    out; a translation not yet written is ""."""
    with catalogue_path("fi").open("rb") as po:
        catalogue = read_po(po, locale="fi")
    return [
        (
            (m.id,) if isinstance(m.id, str) else tuple(m.id),
            (m.string,) if isinstance(m.string, str) else tuple(m.string),
        )
        for m in catalogue
        if m.id
    ]
