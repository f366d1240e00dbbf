"""The docs site builds strictly, its reference pages are what the code says, the commands it
names exist, and the README stays short."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer

from api.tools.reference_docs import _commands, pages

ROOT = Path(__file__).resolve().parent.parent


def test_the_site_builds_strictly(tmp_path):
    """Broken links, anchors and pages left out of the navigation fail the build."""
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1",
                                                      "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    assert (tmp_path / "operators" / "security" / "index.html").exists()


def test_the_reference_pages_are_what_the_code_says():
    for name, text in pages().items():
        committed = (ROOT / "docs" / "reference" / name).read_text(encoding="utf-8")
        assert committed == text, f"run `python -m api.tools.reference_docs`: {name} is out of date"


def test_every_command_the_docs_name_exists():
    from api.cli import app

    known = {path for path, _ in _commands(typer.main.get_command(app), "tasma")}

    def group(name: str) -> bool:
        return any(k.startswith(name + " ") for k in known)

    unknown = set()
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for found in re.finditer(r"`tasma ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", page.read_text()):
            one = f"tasma {found.group(1)}"
            two = f"{one} {found.group(2)}" if found.group(2) else None
            if one in known:  # a command; a second word is its argument
                continue
            if (two is not None and (two in known or group(two))) or (two is None and group(one)):
                continue
            unknown.add((page.name, two or one))
    assert not unknown, sorted(unknown)


def test_the_readme_is_short_and_points_into_the_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for link in re.findall(r"\]\((docs/[^)]+\.md)\)", readme):
        assert (ROOT / link).exists(), link
