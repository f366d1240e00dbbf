"""Match-index snapshots on disk, so a restarted service is ready in seconds.

A snapshot is named by the database's instance id, its data version and a fingerprint of the
code that builds the index; any write bumps the version, so a snapshot is never stale — it is
either exactly the database's state or not used. Written atomically (temporary file, rename).

A snapshot is a pickle, and loading a pickle runs whatever code it names: each file carries an
HMAC-SHA256 of its contents keyed by the service's secret (see ``api.storage.files``), checked
before anything is unpickled, so a file put in the folder by anyone without the key is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import os
from functools import cache
from pathlib import Path

import joblib

import features
import matching
from matching.index import MatchIndex

__all__ = ["IndexSnapshots", "code_fingerprint"]

log = logging.getLogger("tasma.index")


@cache
def code_fingerprint() -> str:
    """A hash of the source that turns tables into the index (catalogue, pipeline, index)."""
    digest = hashlib.sha256()
    roots = [Path(features.__file__).parent, Path(matching.__file__).parent]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_MAGIC = b"tasma-index-v1\n"
_MAC_BYTES = 32


class IndexSnapshots:
    def __init__(self, directory: Path, key: bytes) -> None:
        if not key:
            raise ValueError("index snapshots need a key to sign them")
        self.directory = directory
        self._key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def _path(self, instance: str, version: int) -> Path:
        return self.directory / f"index-{instance}-{version}-{code_fingerprint()}.joblib"

    def load(self, instance: str, version: int) -> MatchIndex | None:
        path = self._path(instance, version)
        if not path.exists():
            return None
        try:
            signed = path.read_bytes()
            mac = signed[len(_MAGIC) : len(_MAGIC) + _MAC_BYTES]
            payload = signed[len(_MAGIC) + _MAC_BYTES :]
            if not signed.startswith(_MAGIC) or not hmac.compare_digest(mac, self._mac(payload)):
                log.warning("index snapshot %s not signed by this service; ignored", path.name)
                return None
            index = joblib.load(io.BytesIO(payload))
        except Exception as err:
            log.warning("index snapshot %s unreadable (%s); rebuilding", path.name, err)
            return None
        return index if isinstance(index, MatchIndex) else None

    def discard(self, instance: str) -> None:
        """Delete every snapshot of this database (e.g. after an erasure: they hold the
        person's capacities)."""
        for old in self.directory.glob(f"index-{instance}-*"):
            with contextlib.suppress(FileNotFoundError):
                old.unlink()

    def save(self, instance: str, version: int, index: MatchIndex) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(instance, version)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        buffer = io.BytesIO()
        joblib.dump(index, buffer)
        payload = buffer.getvalue()
        partial.write_bytes(_MAGIC + self._mac(payload) + payload)
        os.replace(partial, path)
        for old in self.directory.glob(f"index-{instance}-*.joblib"):
            if old != path:
                with contextlib.suppress(FileNotFoundError):  # another worker got there first
                    old.unlink()
