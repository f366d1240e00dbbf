"""A file sent to the browser to save: its ``Content-Disposition`` header."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

__all__ = ["attachment"]


def attachment(name: str) -> dict[str, str]:
    """Headers that have the browser save the body as ``name``: an ASCII name for old
    clients (accents dropped: Hämeenlinna → Hameenlinna) and the exact one (RFC 6266)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = "".join(c if c.isalnum() or c in "._-" else "_" for c in plain)
    return {"Content-Disposition": f"attachment; filename=\"{plain}\"; "
                                   f"filename*=UTF-8''{quote(name, safe='')}"}  # fmt: skip
