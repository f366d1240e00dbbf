"""Every shell command shown in the docs is run by a test.

The commands are the lines of the fenced ``bash``/``sh``/``shell``/``console`` blocks of
README.md and docs/**/*.md (comments after ``#`` dropped, a line ending in ``\\``, ``&&``,
``||`` or ``|`` or inside an open ``(`` joined with the next). Each runs for real, as written,
with ``bash -c`` in a sandbox: a temporary folder as the working directory, ``TASMA_DATA_DIR``
and ``TASMA_MODELS_DIR`` inside it (so the default SQLite database is a fresh file there), no
``DATABASE_URL``, the virtualenv's bin first on ``PATH``. It must exit 0, and where a comment
claims an output (``CLAIMS``) that output must appear.

A page's blocks run in order in one sandbox; the pages of a ``SCENARIOS`` entry share theirs,
in the order given (the analysts' page acts as the demo users the quick start's ``tasma
serve`` made; the operators' restore restores the backup made above it). A page not named
there runs in a fresh sandbox of its own, and a block repeated word for word on another page
(the quick start, in README.md and docs/index.md) runs once.

What cannot run as written is in ``RULES``, the one substitution table: each row says what is
replaced by what, and why. A rule that no longer matches any documented command fails the
test, so the table cannot outlive the docs; a documented command no rule covers is run as
written, so a new command that cannot run fails CI.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHELLS = {"bash", "sh", "shell", "console"}


@dataclass(frozen=True)
class Rule:
    """``pattern`` (a regex, searched line by line in the command as documented, after the
    rules above it) is replaced by ``replace``; ``replace=None`` means the command is not run.
    ``stdin`` is typed in; ``expect`` must appear in the output; a ``background`` command runs
    until ``GET /health`` answers 200 on ``{port}`` and is then stopped."""

    pattern: str
    replace: str | None
    why: str
    stdin: str = ""
    expect: str | None = None
    background: bool = False


# fmt: off
RULES: list[Rule] = [
    Rule(r"\[(--[^]]+)\]", r"\1",
         "a synopsis's optional parts are run filled in (then sized down below): left out, "
         "they are the defaults, the large and medium worlds, minutes each"),
    Rule(r"^python3 -m venv \.venv && \. \.venv/bin/activate && pip install -e \. && ", "",
         "the checkout is installed already, in the virtual environment the tests run in: "
         "CI makes it and installs it (`pip install -e \".[test]\"`)"),
    Rule(r'^python3 -m venv \.venv && \. \.venv/bin/activate && pip install -e "\.\[test\]" '
         r'&& ruff check \. && mypy && pytest$', None,
         "the CI command itself: .ci/run runs exactly this line (tests/test_readme.py holds the "
         "two equal); pytest is not run from inside pytest"),
    Rule(r"^tasma serve$", "tasma serve --port {port}",
         "runs until stopped: started in the background on a free port, stopped (SIGTERM) "
         "once GET /health answers 200", background=True),
    Rule(r"/var/backups/tasma/", "backups/",
         "the sandbox's backups/ folder (made beforehand, as /var/backups/tasma/ would be)"),
    Rule(r"2026-12-06", "$(date +%F)",
         "the example backup's date: the one the first backup line wrote today"),
    Rule(r"^tasma restore (?!.*--yes).*$", r"\g<0>",
         "it asks before replacing the database: answered y, as the operator does",
         stdin="y\n"),
    Rule(r"^(createdb|dropdb) -h 127\.0\.0\.1 -U postgres tasma_drill$", None,
         "PostgreSQL's scratch database for the drill: the sandbox's backup is of SQLite "
         "(the kinds do not cross), so the drill restores into a SQLite scratch file (next)"),
    Rule(r"postgresql://postgres@127\.0\.0\.1:5432/tasma_drill", "sqlite:///drill/tasma.db",
         "the drill's scratch database: a SQLite file in the sandbox"),
    Rule(r"/tmp/tasma_drill", "drill", "the drill's data folder, in the sandbox"),
    Rule(r"--size (large|medium)", "--size tiny", "the tiny world: seconds, not minutes"),
    Rule(r"--queries 200", "--queries 10", "the fewest queries `tasma bench` takes"),
    Rule(r"^python -m api\.tools\.load --spawn$", "python -m api.tools.load --help",
         "needs wrk (not installed here or in CI): only its help is shown, which must offer "
         "--spawn", expect=r"--spawn"),
]
# fmt: on

SANDBOX_ENV = {
    # the service's demo world on an empty database (`tasma serve`): tiny, not the default small
    "TASMA_DEMO_SIZE": "tiny",
}


def _edit_near(sandbox: Path) -> None:
    """The edit the export line's comment asks for."""
    path = sandbox / "near.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert rules["weights"]["distance"] == 1.0, rules["weights"]
    rules["version"] = "near-1"
    rules["weights"]["distance"] = 3.0
    path.write_text(yaml.safe_dump(rules, sort_keys=False, allow_unicode=True), encoding="utf-8")


# A comment that claims an output: the regex (multiline) must match the command's output.
CLAIMS = {
    "weights.distance: 1.0 -> 3.0": r"^weights\.distance: 1\.0 -> 3\.0$",
    "stored, parent = the active one": r"^stored near-1 \(parent default-2026\.12\)",
    "* marks the active one": r"^\* near-1 ",
}
# A comment that asks the reader to do something by hand: done after the command has run.
MANUAL: dict[str, Callable[[Path], None]] = {
    "edit: version near-1, weights.distance 3.0": _edit_near,
}
SCENARIOS = {
    "newcomer": [
        "README.md",  # the quick start: `tasma serve` builds the demo world and its users
        "docs/analysts/evaluation.md",  # as demo.analyst and demo.admin
        "docs/operators/upgrades.md",  # back up, verify, drill, restore, serve again
    ],
}
TIMEOUT = 300


# ---------------------------------------------------------------------------------- the docs


@dataclass(frozen=True)
class DocCommand:
    page: str
    line: int
    text: str  # as documented, comments removed; the lines of a joined command kept apart
    comments: tuple[str, ...] = ()
    output: tuple[str, ...] = ()  # a console block's lines under the command

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}"


@dataclass(frozen=True)
class DocBlock:
    page: str
    line: int
    body: str
    commands: tuple[DocCommand, ...]


def _split_comment(line: str) -> tuple[str, str | None, int]:
    """The code, the comment after an unquoted ``#`` that starts a word, and the change in
    the depth of parentheses outside quotes."""
    quote, depth, i = "", 0, 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = ""
        elif char == "\\":
            i += 1
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1 :].strip(), depth
        i += 1
    return line.rstrip(), None, depth


def parse_block(page: str, first_line: int, lang: str, lines: list[str]) -> list[DocCommand]:
    """The commands of a block whose first line is line ``first_line`` of ``page``."""
    commands: list[DocCommand] = []
    parts: list[str] = []
    comments: list[str] = []
    output: list[str] = []
    start, depth = 0, 0

    def flush() -> None:
        if parts:
            text = "\n".join(parts)
            commands.append(DocCommand(page, start, text, tuple(comments), tuple(output)))
        parts.clear()
        comments.clear()
        output.clear()

    for offset, raw in enumerate(lines):
        if lang == "console" and not parts:
            if not raw.startswith("$ "):
                if raw.strip() and commands:  # the output shown under the last command
                    last = commands.pop()
                    commands.append(
                        DocCommand(last.page, last.line, last.text, last.comments,
                                   (*last.output, raw.strip()))
                    )  # fmt: skip
                continue
            raw = raw[2:]
        code, comment, change = _split_comment(raw)
        if not parts:
            if not code.strip():
                continue  # a blank line or a comment of its own: prose
            start = first_line + offset
        parts.append(code)
        if comment:
            comments.append(comment)
        depth += change
        if depth > 0 or code.endswith(("\\", "&&", "||", "|")):
            continue
        depth = 0
        flush()
    flush()
    return commands


def doc_blocks() -> list[DocBlock]:
    blocks = []
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for path in pages:
        page = path.relative_to(ROOT).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            opening = re.match(r"^( *)(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
            if not opening:
                i += 1
                continue
            indent, fence, lang = len(opening[1]), opening[2], opening[3].lower()
            end = i + 1
            while end < len(lines) and not (
                lines[end].strip().startswith(fence) and not lines[end].strip()[len(fence) :]
            ):
                end += 1
            body = [x[indent:] if x[:indent].isspace() else x.lstrip() for x in lines[i + 1 : end]]
            if lang in SHELLS:
                commands = parse_block(page, i + 2, lang, body)
                blocks.append(DocBlock(page, i + 1, "\n".join(body), tuple(commands)))
            i = end + 1
    return blocks


# ---------------------------------------------------------------------------------- the plan


@dataclass
class Step:
    command: DocCommand
    run: str | None  # None: not run (a rule says why)
    rules: list[Rule] = field(default_factory=list)
    stdin: str = ""
    expect: list[str] = field(default_factory=list)
    background: bool = False
    manual: Callable[[Path], None] | None = None


def plan(command: DocCommand) -> Step:
    step = Step(command, command.text)
    for rule in RULES:
        assert step.run is not None
        changed, count = re.subn(rule.pattern, rule.replace or "", step.run, flags=re.M)
        if not count:
            continue
        step.rules.append(rule)
        if rule.replace is None:
            step.run = None
            break
        step.run = changed
        step.stdin += rule.stdin
        step.background |= rule.background
        if rule.expect:
            step.expect.append(rule.expect)
    for comment in command.comments:
        if comment in CLAIMS:
            step.expect.append(CLAIMS[comment])
        if comment in MANUAL:
            step.manual = MANUAL[comment]
    step.expect += [f"^{re.escape(line)}$" for line in command.output]
    return step


def runs() -> dict[str, list[DocBlock]]:
    """The sandboxes and the blocks each runs, in order; a block repeated elsewhere once."""
    blocks, seen = doc_blocks(), set()
    by_page: dict[str, list[DocBlock]] = {}
    for block in blocks:
        if block.body not in seen:
            by_page.setdefault(block.page, []).append(block)
        seen.add(block.body)
    sandboxes: dict[str, list[DocBlock]] = {}
    for name, pages in SCENARIOS.items():
        sandboxes[name] = [block for page in pages for block in by_page.pop(page, [])]
    sandboxes.update(by_page)
    return sandboxes


# --------------------------------------------------------------------------------- running


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(sandbox: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASMA_")}
    env.pop("DATABASE_URL", None)
    env.update(SANDBOX_ENV)
    env["TASMA_DATA_DIR"] = str(sandbox / "data")
    env["TASMA_MODELS_DIR"] = str(sandbox / "models")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _serve(run: str, sandbox: Path) -> tuple[int, str]:
    """Start the command in the background, wait for /health, stop it: (status, output)."""
    port = _free_port()
    log = sandbox / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "-c", run.replace("{port}", str(port))], cwd=sandbox, env=_env(sandbox),
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        status, deadline = 1, time.monotonic() + TIMEOUT
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    url = f"http://127.0.0.1:{port}/health"
                    with urllib.request.urlopen(url, timeout=5) as answer:
                        if answer.status == 200:
                            status = 0
                            break
                except OSError:
                    time.sleep(0.3)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    return status, log.read_text(encoding="utf-8", errors="replace")


def run_sandbox(blocks: list[DocBlock], sandbox: Path) -> tuple[list[str], list[str]]:
    """Run the blocks' commands in order: (what ran, the failures)."""
    (sandbox / "backups").mkdir(parents=True)
    ran, failures = [], []
    for step in (plan(command) for block in blocks for command in block.commands):
        if step.run is None:
            continue
        started = time.monotonic()
        if step.background:
            status, output = _serve(step.run, sandbox)
        else:
            try:
                done = subprocess.run(
                    ["bash", "-c", step.run], cwd=sandbox, env=_env(sandbox), input=step.stdin,
                    capture_output=True, text=True, timeout=TIMEOUT,
                )  # fmt: skip
                status, output = done.returncode, done.stdout + done.stderr
            except subprocess.TimeoutExpired as err:
                status, output = -1, f"timed out after {err.timeout} s"
        ran.append(f"{time.monotonic() - started:6.1f} s  {step.command}")
        missing = [x for x in step.expect if not re.search(x, output, re.M)]
        if status != 0 or missing:
            failures.append(
                f"{step.command}\n  ran: {step.run}\n  exit status {status}"
                + (f", output lacks {missing}" if missing else "")
                + f"\n  output (end):\n{output[-2500:]}"
            )
            continue
        if step.manual:
            step.manual(sandbox)
    return ran, failures


# ----------------------------------------------------------------------------------- tests


def test_the_commands_are_read_from_the_blocks():
    lines = [
        "# a comment of its own",
        "tasma backup /x/y-$(date +%F).backup   # the comment",
        'tasma rules import a.yaml --note "no # comment" \\',
        "  --as someone",
        "",
        "(export A=1 B=2",
        " tasma status)   # ends the subshell",
        "echo '#not' && \\",
        "  echo done",
    ]
    found = parse_block("page.md", 10, "bash", lines)
    assert [(c.line, c.text, c.comments) for c in found] == [
        (11, "tasma backup /x/y-$(date +%F).backup", ("the comment",)),
        (12, 'tasma rules import a.yaml --note "no # comment" \\\n  --as someone', ()),
        (15, "(export A=1 B=2\n tasma status)", ("ends the subshell",)),
        (17, "echo '#not' && \\\n  echo done", ()),
    ]
    console = parse_block("page.md", 1, "console", ["$ tasma rules list", "* near-1", "$ true"])
    assert [(c.text, c.output) for c in console] == [
        ("tasma rules list", ("* near-1",)),
        ("true", ()),
    ]


def test_every_rule_claim_and_scenario_page_still_applies():
    """The table names only what the docs still show: no rule, claim or edit outlives them."""
    commands = [command for block in doc_blocks() for command in block.commands]
    assert len(commands) >= 20, [str(c) for c in commands]
    used = [rule for command in commands for rule in plan(command).rules]
    assert not [rule.pattern for rule in RULES if rule not in used]
    comments = {comment for command in commands for comment in command.comments}
    assert not (set(CLAIMS) | set(MANUAL)) - comments
    pages = {block.page for block in doc_blocks()}
    assert not {page for names in SCENARIOS.values() for page in names} - pages
    not_run = [plan(c) for c in commands if plan(c).run is None]
    assert all(step.rules and step.rules[-1].replace is None for step in not_run)


_SANDBOXES = runs()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future]]:
    """Both sandboxes at once (the CLI's start-up dominates; two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {
            name: pool.submit(run_sandbox, blocks, tmp_path_factory.mktemp("sandbox"))
            for name, blocks in _SANDBOXES.items()
        }


@pytest.mark.parametrize("name", list(_SANDBOXES))
def test_the_documented_commands_run(name: str, results: dict[str, Future]):
    ran, failures = results[name].result()
    print(f"{name}:", *ran, sep="\n  ")
    assert not failures, "\n\n".join(failures)
