"""Files only the service can read, whatever the umask; index snapshots that nobody without the
service's key can make it load."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import joblib

from api.core.index_cache import IndexSnapshots
from api.storage.files import secure_folder, snapshot_key
from features.demo import build_world
from matching.index import MatchIndex


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in [folder, *folder.rglob("*")]
    }


def test_everything_the_service_writes_is_owner_only_whatever_the_umask(tmp_path):
    """``tasma demo`` and a batch run from a shell whose umask lets everyone read: the data
    folder is 0700 and the database, its WAL, the snapshot, the key and the Parquet 0600."""
    data = tmp_path / "data"
    env = os.environ | {"TASMA_DATA_DIR": str(data), "TASMA_USER": "ops"}
    env.pop("DATABASE_URL", None)
    script = (
        "import os, sys; os.umask(0o022); sys.argv = ['tasma', *sys.argv[1:]]; "
        "from api.cli import main; main()"
    )

    def tasma(*args: str) -> None:
        done = subprocess.run([sys.executable, "-c", script, *args], env=env,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    tasma("demo", "--size", "tiny")
    tasma("users", "add", "ops", "--role", "analyst")
    tasma("batch", "--workers", "1")
    modes = _modes(data)
    names = set(modes)
    assert "tasma.db" in names and any(n.startswith("index-cache/index-") for n in names)
    assert any(n.endswith(".parquet") for n in names), names
    wide = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert wide == {}


def test_a_folder_left_open_is_repaired_and_named(tmp_path):
    folder = tmp_path / "data"
    (folder / "index-cache").mkdir(parents=True)
    (folder / "tasma.db").write_bytes(b"x")
    (folder / "index-cache" / "index-a-1-b.joblib").write_bytes(b"x")
    for path, mode in ((folder, 0o755), (folder / "index-cache", 0o775),
                       (folder / "tasma.db", 0o644),
                       (folder / "index-cache" / "index-a-1-b.joblib", 0o600)):  # fmt: skip
        path.chmod(mode)
    repaired = secure_folder(folder)
    assert sorted(repaired) == [".", "index-cache", "tasma.db"]
    assert _modes(folder) == {".": 0o700, "index-cache": 0o700, "tasma.db": 0o600,
                              "index-cache/index-a-1-b.joblib": 0o600}  # fmt: skip
    assert secure_folder(folder) == []


class _Payload:
    """Unpickling this runs code: it writes a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_a_snapshot_not_signed_with_the_key_is_never_unpickled(tmp_path):
    world = build_world("tiny", seed=2)
    index = MatchIndex.from_tables(world.tables)
    key = snapshot_key(None, tmp_path)
    assert len(key) == 32 and snapshot_key(None, tmp_path) == key  # kept, not made anew
    assert stat.S_IMODE((tmp_path / ".snapshot-key").stat().st_mode) == 0o600
    snapshots = IndexSnapshots(tmp_path / "index-cache", key)
    snapshots.save("db1", 4, index)
    loaded = snapshots.load("db1", 4)
    assert loaded is not None and list(loaded.tasks.ids) == list(index.tasks.ids)
    # Another key (another service, or a guess) does not load it.
    assert IndexSnapshots(tmp_path / "index-cache", b"another key").load("db1", 4) is None
    # A byte changed in the payload: refused.
    path = next((tmp_path / "index-cache").glob("index-db1-4-*.joblib"))
    blob = bytearray(path.read_bytes())
    blob[-100] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert snapshots.load("db1", 4) is None
    # A plain pickle that runs code, put where the next snapshot would be: never run.
    marker = tmp_path / "ran.txt"
    joblib.dump(_Payload(marker), path)
    assert snapshots.load("db1", 4) is None
    assert not marker.exists()
    # The service's secret key, when set, gives the key, under a label of its own (what the
    # secret signs for forms is no snapshot's signature).
    derived = snapshot_key("s" * 40, tmp_path)
    assert len(derived) == 32 and derived not in (b"s" * 40, key)
    # A key file emptied or cut short is made anew, never used.
    (tmp_path / ".snapshot-key").write_bytes(b"")
    fresh = snapshot_key(None, tmp_path)
    assert len(fresh) == 32 and fresh != key
