"""The README and the docs site stay true to the code they document."""

from pathlib import Path

from features.catalogue import ADJUSTMENTS, CHARACTERISTICS
from features.catalogue.characteristics import GROUP_NAMES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
VOCABULARY = (ROOT / "docs" / "use" / "vocabulary.md").read_text(encoding="utf-8")


def test_every_characteristic_and_adjustment_is_documented_as_defined():
    for c in CHARACTERISTICS.values():
        group, icf = GROUP_NAMES[c.group], ", ".join(c.icf)
        row = f"| `{c.id}` | {c.name_fi} | {c.name_en} | {group} | {icf} |"
        assert row in VOCABULARY, c.id
    for a in ADJUSTMENTS.values():
        lowers = ", ".join(f"{k} −{v}" for k, v in a.lowers.items())
        row = f"| `{a.id}` | {a.name_en} / {a.name_fi} | {lowers} |"
        assert row in VOCABULARY, a.id
        line = next(x for x in VOCABULARY.splitlines() if x.startswith(row))
        assert ("| yes |" in line) == a.changes_exposure, a.id
        for kind in a.only_kinds or a.not_kinds:
            assert kind in line, (a.id, kind)


def test_quick_start_has_the_two_commands_ci_runs():
    assert (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && tasma serve" in README
    )
    test_command = 'pip install -e ".[test]" && ruff check . && mypy && pytest'
    assert f"python3 -m venv .venv && . .venv/bin/activate && {test_command}" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci
