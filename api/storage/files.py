"""Files only the service can read: the data folder 0700, everything written in it 0600.

The folder holds health data in several forms (the SQLite database and its WAL, index
snapshots with every capacity, batch runs, logs): a file another local account can read is a
leak. The process's umask makes every file it creates private, whatever the shell's umask was;
a start checks the folder and repairs what an earlier release or a copy left open, and says
what it repaired.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

__all__ = ["keep_private", "secure_folder", "snapshot_key"]

PRIVATE_UMASK = 0o077
KEY_BYTES = 32


def keep_private() -> None:
    """Every file and folder this process creates from now on: owner only."""
    os.umask(PRIVATE_UMASK)


def secure_folder(folder: Path) -> list[str]:
    """Make ``folder`` (created if missing) 0700 and every file and folder under it owner-only;
    the paths repaired, relative to it ("." for the folder itself)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    repaired = []
    for path in [folder, *folder.rglob("*")]:
        # Another worker starting at the same moment may rename or remove a temporary file
        # (a snapshot being saved) between the listing, the look and the repair.
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not mode & 0o077:
                continue
            path.chmod(stat.S_IMODE(mode) & 0o700)
        except FileNotFoundError:
            continue
        repaired.append(str(path.relative_to(folder)))
    return repaired


def snapshot_key(secret: str | None, folder: Path) -> bytes:
    """The key that signs index snapshots: derived from the service's secret key when set
    (production requires it; derived under a label of its own, so that nothing the secret
    signs for another purpose, such as a form's CSRF token, can pass as a snapshot's
    signature), else a random key kept in the data folder (made once, 0600; made anew if
    the file is empty or cut short)."""
    if secret:
        return hmac.new(secret.encode(), b"tasma: index snapshots", hashlib.sha256).digest()
    path = folder / ".snapshot-key"
    with contextlib.suppress(FileNotFoundError):
        key = path.read_bytes()
        if len(key) >= KEY_BYTES:
            return key
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole under a name of its own, then put in place: a worker starting at the same
    # moment reads either no key or a whole key. A usable key is never replaced (link fails on
    # an existing file); one cut short is.
    partial = folder / f".snapshot-key.{os.getpid()}"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(secrets.token_bytes(KEY_BYTES))
    try:
        if path.exists() and len(path.read_bytes()) < KEY_BYTES:
            os.replace(partial, path)
        else:
            with contextlib.suppress(FileExistsError):  # another worker's key came first
                os.link(partial, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return path.read_bytes()
