"""Files only the service can read: the data folder 0700, everything written in it 0600.

The folder holds health data in several forms (the SQLite database and its WAL, index
snapshots with every capacity, batch runs, logs): a file another local account can read is a
leak. The process's umask makes every file it creates private, whatever the shell's umask was;
a start checks the folder and repairs what an earlier release or a copy left open, and says
what it repaired.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

__all__ = ["keep_private", "secure_folder", "snapshot_key"]

PRIVATE_UMASK = 0o077


def keep_private() -> None:
    """Every file and folder this process creates from now on: owner only."""
    os.umask(PRIVATE_UMASK)


def secure_folder(folder: Path) -> list[str]:
    """Make ``folder`` (created if missing) 0700 and every file and folder under it owner-only;
    the paths repaired, relative to it ("." for the folder itself)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    repaired = []
    for path in [folder, *folder.rglob("*")]:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:  # a temporary file gone meanwhile
            continue
        if stat.S_ISLNK(mode) or not mode & 0o077:
            continue
        path.chmod(stat.S_IMODE(mode) & 0o700)
        repaired.append(str(path.relative_to(folder)))
    return repaired


def snapshot_key(secret: str | None, folder: Path) -> bytes:
    """The key that signs index snapshots: the service's secret key when set (production
    requires it), else a random key kept in the data folder (created once, 0600)."""
    if secret:
        return secret.encode()
    path = folder / ".snapshot-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole under a name of its own, then linked into place: a worker starting at the
    # same moment reads either no key or the whole key, and the first link wins.
    partial = folder / f".snapshot-key.{os.getpid()}"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(secrets.token_bytes(32))
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()
    return path.read_bytes()
