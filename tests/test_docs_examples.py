"""Every example in README.md and docs/*.md is checked against the tool, so none can go stale.

The convention (for contributors: docs/contributing.md) is the fenced block's info string:

- ```` ```console ````: a session. Each ``$ udsattestat …`` line is run (through click's
  CliRunner) and the lines under it, up to the next ``$``, are its output — standard output
  and standard error as a terminal shows them — compared with the real output after
  :func:`normalise`. A line holding only ``…`` stands for any number of lines.
- ```` ```sh ````: example command lines without their output. Each ``udsattestat …`` line is
  run and must exit 0.
- ```` ```python ````: with ``>>>`` prompts a doctest (output compared); without, a script that
  must run without an exception.
- the word ``norun`` after the language (```` ```console norun ````, ```` ```python norun ````):
  shown, not executed — it needs the network (``--live``, ``statbank``/``eurostat``, ``update``)
  or files the reader has. Each command line must still *parse*: the command and its options
  exist, values have the right type, required arguments are there. Python must compile, and
  what it imports from udsattestat must exist.
- the word ``recorded`` (```` ```console recorded ````): run, with StatBank answered by a
  loopback server replaying the responses recorded from the real API
  (tests/fixtures/recorded/) — and only the requests recorded.
- ```` ```synopsis ````, and every other mention of ``udsattestat CMD …`` (inline code in the
  prose, YAML, comments): the command exists and every ``--option`` it names is one of its
  options.

A fenced block of any other language that shows a command line (a line starting with
``udsattestat`` or ``$ udsattestat``) fails the test: it must say which of the above it is.

The blocks of one page run in document order in one fresh temporary folder holding copies
of ``datasets/`` and ``recipes/``, with ``./data`` as the data directory and a private cache
directory, so later examples see what earlier ones wrote. Nothing reaches the network
(tests/conftest.py's guard). The seed build (``udsattestat build
recipes/forandringskraft-2021.toml``) is the session's shared one (tests/recipe_helpers.py),
copied into the page's folder.

After a change of the tool's output, regenerate the outputs shown and read the diff:

    python tests/test_docs_examples.py --update [README.md docs/show.md …]
"""

from __future__ import annotations

import difflib
import doctest
import glob
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest

try:  # tests/ may or may not be a package
    from .recipe_helpers import seed_build
except ImportError:
    from recipe_helpers import seed_build  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ELLIPSIS = "…"
NORUN = "norun"
RECORDED = "recorded"
RUN_LANGS = {"console", "sh", "python"}
REGENERATE = "python tests/test_docs_examples.py --update"
SEED_ARGV = ["build", "recipes/forandringskraft-2021.toml"]
SEED_OUT = "out/forandringskraft-2021"


# -- reading the pages ---------------------------------------------------------------------


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass
class Block:
    """A fenced code block: its language, flags (``norun``), body lines and where it is."""

    page: Path
    lang: str
    flags: set[str]
    indent: str
    first: int  # index (0-based) in the page's lines of the first body line
    body: list[str]

    @property
    def where(self) -> str:
        return f"{_shown(self.page)}:{self.first}"

    @property
    def norun(self) -> bool:
        return NORUN in self.flags


@dataclass
class Step:
    """One ``$ udsattestat …`` of a console block and the output shown under it."""

    command: str
    expected: list[str]
    out_start: int  # body index of the first output line
    out_end: int


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")


def blocks(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").split("\n")
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.groups()
        words = info.split()
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1:j]]
        found.append(Block(page, words[0] if words else "", set(words[1:]), indent, i + 1, body))
        i = j + 1
    return found


def prose(page: Path) -> str:
    """The page without its fenced blocks."""
    lines = page.read_text(encoding="utf-8").split("\n")
    inside: set[int] = set()
    for b in blocks(page):
        inside.update(range(b.first - 1, b.first + len(b.body) + 1))
    return "\n".join(ln for k, ln in enumerate(lines) if k not in inside)


def joined(lines: list[str], start: int) -> tuple[str, int]:
    """The command starting at ``lines[start]`` with its ``\\`` continuations; the next index."""
    text, k = lines[start], start
    while text.endswith("\\") and k + 1 < len(lines):
        k += 1
        text = text[:-1] + " " + lines[k].strip()
    return text, k + 1


def steps(block: Block) -> list[Step]:
    out: list[Step] = []
    k, body = 0, block.body
    while k < len(body):
        if not body[k].startswith("$ "):
            if not out:
                raise AssertionError(f"{block.where}: a console block starts with a '$ ' command line")
            k += 1
            continue
        command, k = joined(body, k)
        start = k
        while k < len(body) and not body[k].startswith("$ "):
            k += 1
        expected = body[start:k]
        while expected and not expected[-1].strip():
            expected = expected[:-1]
        out.append(Step(command[2:].strip(), expected, start, start + len(expected)))
    return out


def sh_commands(block: Block) -> list[str]:
    found, k = [], 0
    while k < len(block.body):
        if block.body[k].startswith("udsattestat "):
            command, k = joined(block.body, k)
            found.append(command)
        else:
            k += 1
    return found


def argv_of(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    assert words and words[0] == "udsattestat", f"not a udsattestat command: {command!r}"
    return words[1:]


# -- the command line: running and parsing -------------------------------------------------


def _cli() -> click.Group:
    from udsattestat.cli import main

    return main


def parse(argv: list[str]) -> None:
    """Parse ``argv`` as the CLI would, without running anything: raises click's usage error."""
    from udsattestat.errors import UdsatError

    cmd, name, args, parent = _cli(), "udsattestat", list(argv), None
    while True:
        # a path that must exist is the reader's (published/, their recipe): its type is checked, not its existence
        paths = [p.type for p in cmd.params if isinstance(p.type, click.Path) and p.type.exists]
        try:
            for t in paths:
                t.exists = False
            ctx = cmd.make_context(name, args, parent=parent)
        except click.exceptions.Exit:  # --help, --version
            return
        except UdsatError:  # a value checked against the data (an indicator of the reader's own): it parsed
            return
        finally:
            for t in paths:
                t.exists = True
        if not isinstance(cmd, click.Group):
            return
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if not rest:
            return
        name, sub, args = cmd.resolve_command(ctx, rest)
        cmd, parent = sub, ctx


def mentioned(text: str) -> tuple[list[str], list[str]]:
    """From ``udsattestat CMD [SUB] … --opt …``: the command path and the ``--options`` named.

    Raises AssertionError for a command or option the CLI does not have."""
    cmd: click.Command = _cli()
    words = text.split()
    path: list[str] = []
    while words and isinstance(cmd, click.Group) and re.fullmatch(r"[a-z][a-z-]*", words[0]):
        ctx = click.Context(cmd)
        sub = cmd.get_command(ctx, words[0])
        if sub is None:
            raise AssertionError(f"'udsattestat {' '.join(path + words[:1])}': no such command")
        path.append(words.pop(0))
        cmd = sub
    known = {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)} | {"--help"}
    named = re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", " ".join(words))
    unknown = [o for o in named if o not in known]
    if unknown:
        raise AssertionError(f"'udsattestat {' '.join(path)}' has no option {', '.join(unknown)}")
    return path, named


MENTION = re.compile(r"(?:^|(?<=[\s`(/\"']))udsattestat[ \t]+([^\n`]*)")
SHELL_END = re.compile(r"\s(?:[|>;#]|&&|2>)\s|\s#|[)\"']\s*$")


def mentions(page: Path) -> Iterator[tuple[str, str]]:
    """Every ``udsattestat CMD …`` on the page: inline code in the prose, and any line of a
    fenced block (not Python or TOML, where the word names the package; not a console
    block's output)."""
    for span in re.findall(r"`(udsattestat [^`]+)`", prose(page)):
        yield page.name, span.split(" ", 1)[1]
    for b in blocks(page):
        if b.lang in ("python", "toml", "sql"):
            continue
        for k, line in enumerate(b.body):
            if b.lang == "console" and not line.startswith("$ "):
                continue  # a command's output, compared as a whole
            for m in MENTION.finditer(line.removeprefix("$ ")):
                text = SHELL_END.split(m.group(1))[0]
                yield f"{b.page.name}:{b.first + k + 1}", text


RUN_STAMPS = re.compile(r"\b(\d{4})-?(\d\d)-?(\d\d)T(\d\d):?(\d\d):?(\d\d)(\.?\d{1,6})?Z\b")
RUN_TIME_SHOWN = "2026-01-02T10:15:00Z"  # the time of the run, as the docs show it


def _run_time(text: str, since: datetime) -> str:
    """Times of this run (a snapshot's retrieval time, its file's UTC stamp) → one fixed time."""
    def shown(m: re.Match) -> str:
        y, mo, d, h, mi, sec, frac = m.groups()
        when = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), tzinfo=UTC)
        if not since.replace(microsecond=0) <= when <= datetime.now(UTC):
            return m.group(0)  # a time in the data, not of the run
        frac = re.sub(r"\d", "0", frac or "")
        if "-" in m.group(0):
            return RUN_TIME_SHOWN[:-1] + frac + "Z"
        return re.sub(r"[-:]", "", RUN_TIME_SHOWN)[:-1] + frac + "Z"

    return RUN_STAMPS.sub(shown, text)


def normalise(text: str, home: Path, since: datetime | None = None) -> list[str]:
    """The output as the docs show it. What legitimately varies between runs, and only that:
    the temporary folder the examples run in (the docs show paths relative to it), the
    private cache directory in it (the docs show the default ``~/.cache/udsattestat``), the
    loopback address of the recorded StatBank (the docs show the real one) and a time that
    falls within the run (shown as 2026-01-02 10:15:00 UTC)."""
    if since is not None:
        text = _run_time(text, since)
    if os.environ.get(STATBANK_URL_ENV, "").startswith("http://127.0.0.1:"):
        text = text.replace(os.environ[STATBANK_URL_ENV], "https://api.statbank.dk/v1")
    text = text.replace(str(home / ".cache" / "udsattestat"), "~/.cache/udsattestat")
    text = text.replace(str(home) + os.sep, "").replace(str(home), ".")
    lines = [ln.rstrip() for ln in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line ``…`` matches any number of lines."""
    memo: dict[tuple[int, int], bool] = {}

    def at(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(expected):
                memo[i, j] = j == len(actual)
            elif expected[i].strip() == ELLIPSIS:
                memo[i, j] = any(at(i + 1, k) for k in range(j, len(actual) + 1))
            else:
                memo[i, j] = j < len(actual) and expected[i] == actual[j] and at(i + 1, j + 1)
        return memo[i, j]

    return at(0, 0)


@dataclass
class Page:
    """A page's examples, run in one temporary folder."""

    path: Path
    home: Path
    failures: list[str] = field(default_factory=list)
    rewrites: list[tuple[int, int, list[str]]] = field(default_factory=list)  # page line range → lines
    checked: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    globs: dict = field(default_factory=lambda: {"__name__": "__docs__"})  # one Python session a page

    regenerable: list[str] = field(default_factory=list)  # the failures that --update puts right

    def fail(self, where: str, message: str, regenerable: bool = False) -> None:
        self.failures.append(f"{where}: {message}")
        if regenerable:
            self.regenerable.append(self.failures[-1])

    def invoke(self, argv: list[str]):
        from click.testing import CliRunner

        if argv == SEED_ARGV:  # the session's seed build, not a second one
            out, res = seed_build()
            target = self.home / SEED_OUT
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out, target)
            return res.exit_code, res.output.replace(str(out), SEED_OUT), None
        expanded: list[str] = []
        for word in argv:
            hits = sorted(glob.glob(word)) if any(c in word for c in "*?[") else []
            expanded.extend(hits or [word])
        res = CliRunner().invoke(_cli(), expanded, prog_name="udsattestat")
        crash = res.exc_info if res.exception and not isinstance(res.exception, SystemExit) else None
        return res.exit_code, res.output, crash

    def shell(self, command: str):
        """A shell command of a console block (``sed``, ``ls``), run by ``sh`` in the page's folder."""
        import subprocess

        import offline  # no network, no proxy, as for every program a test starts

        env = {**os.environ, "HOME": str(self.home)}  # ~/.cache/udsattestat is the page's private cache
        done = offline.run(["/bin/sh", "-c", command], cwd=self.home, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        return done.returncode, done.stdout, None

    def run_console(self, block: Block) -> None:
        for step in steps(block):
            self.checked += 1
            ours = step.command.startswith("udsattestat ")
            if block.norun:
                if ours:
                    self.parse(block.where, argv_of(step.command))
                continue
            # a shell command (sed, ls) sets the scene or shows a result
            code, output, crash = self.invoke(argv_of(step.command)) if ours else self.shell(step.command)
            if crash:
                import traceback

                self.fail(block.where, f"$ {step.command} crashed:\n{''.join(traceback.format_exception(*crash))}")
                continue
            actual = normalise(output, self.home, self.started)
            if not matches(step.expected, actual):
                diff = "\n".join(difflib.unified_diff(step.expected, actual, "shown", "real", lineterm=""))
                self.fail(block.where, f"$ {step.command}: the output shown is not the real one "
                                       f"(exit {code}); regenerate with {REGENERATE}\n{diff}", regenerable=True)
                first = block.first + step.out_start
                self.rewrites.append((first, first + len(step.expected), actual))

    def run_sh(self, block: Block) -> None:
        for command in sh_commands(block):
            self.checked += 1
            argv = argv_of(command)
            if block.norun:
                self.parse(block.where, argv)
                continue
            code, output, crash = self.invoke(argv)
            if code != 0:
                self.fail(block.where, f"{command} exits {code}:\n{output}")

    def parse(self, where: str, argv: list[str]) -> None:
        try:
            parse(argv)
        except click.UsageError as exc:
            self.fail(where, f"'udsattestat {shlex.join(argv)}' does not parse: {exc.format_message()}")

    def run_python(self, block: Block) -> None:
        source = "\n".join(block.body) + "\n"
        self.checked += 1
        if ">>>" in source:
            test = doctest.DocTestParser().get_doctest(source, self.globs, block.where, str(block.page), block.first)
            if block.norun:
                for ex in test.examples:
                    self.compile(block.where, ex.source)
                return
            runner = _Recorder(optionflags=doctest.ELLIPSIS)
            report: list[str] = []
            runner.run(test, out=report.append, clear_globs=False)
            self.globs.update(test.globs)
            if runner.failures:
                self.fail(block.where, "the doctest does not give the output shown "
                                       f"(regenerate with {REGENERATE}):\n" + "".join(report),
                          regenerable=len(runner.wrong) == runner.failures)
                for ex, got in runner.wrong:
                    first = block.first + ex.lineno + ex.source.count("\n")
                    got_lines = [" " * ex.indent + ln for ln in got.rstrip("\n").split("\n")] if got else []
                    self.rewrites.append((first, first + len(ex.want.splitlines()), got_lines))
            return
        code = self.compile(block.where, source)
        if code is None or block.norun:
            return
        try:
            exec(code, self.globs)
        except Exception as exc:  # noqa: BLE001 -- any exception is the example's failure
            self.fail(block.where, f"the Python example raises {type(exc).__name__}: {exc}")

    def compile(self, where: str, source: str):
        import ast
        import importlib

        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            self.fail(where, f"the Python example does not compile: {exc}")
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("udsattestat"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            self.fail(where, f"{node.module} has no {alias.name}")
        return compile(tree, where, "exec")

    def run(self) -> None:
        for b in blocks(self.path):
            shows_command = any(ln.startswith(("udsattestat ", "$ udsattestat ")) for ln in b.body)
            if b.lang == "console" and RECORDED in b.flags and not b.norun:
                with recorded_statbank():
                    self.run_console(b)
            elif b.lang == "console":
                self.run_console(b)
            elif b.lang == "sh":
                self.run_sh(b)
            elif b.lang == "python":
                self.run_python(b)
            elif shows_command and b.lang != "synopsis":
                self.fail(b.where, f"a ```{b.lang} block shows a command line: make it ```console (with the "
                                   "output), ```sh (run), ```synopsis, or add 'norun'")
        for where, text in mentions(self.path):
            try:
                mentioned(text)
            except AssertionError as exc:
                self.fail(where, str(exc))

    def rewrite(self) -> int:
        """Put the real outputs in place of the stale ones shown; how many were replaced."""
        lines = self.path.read_text(encoding="utf-8").split("\n")
        for start, end, new in sorted(self.rewrites, reverse=True):
            indent = FENCE.match(_fence_before(lines, start)).group(1)
            lines[start:end] = [indent + ln if ln else ln for ln in new]
        self.path.write_text("\n".join(lines), encoding="utf-8")
        return len(self.rewrites)


class _Recorder(doctest.DocTestRunner):
    """A doctest runner that also keeps each wrong output, for the regenerate mode."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wrong: list[tuple[doctest.Example, str]] = []

    def report_failure(self, out, test, example, got):
        self.wrong.append((example, got))
        super().report_failure(out, test, example, got)


def _fence_before(lines: list[str], k: int) -> str:
    while not FENCE.match(lines[k]):
        k -= 1
    return lines[k]


STATBANK_URL_ENV = "UDSATTESTAT_STATBANK_URL"


@contextmanager
def recorded_statbank() -> Iterator[None]:
    """A loopback StatBank that answers exactly the requests recorded from the real API
    (tests/fixtures/recorded/README.md: tableinfo of STRAF42 in both languages, the table
    list of subject 4 in English) with the recorded bytes, and nothing else."""
    import logging

    from pytest_httpserver import HTTPServer
    from recordings import interaction, replay

    log = logging.getLogger("werkzeug")  # its access log would land in the captured output
    level = log.level
    log.setLevel(logging.ERROR)
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    for lang, name in (("da", "table_info_straf42_da.yml"), ("en", "table_info_straf42.yml")):
        replay(server, "/v1/tableinfo", interaction("statbank", name), method="POST",
               json={"table": "STRAF42", "lang": lang, "format": "JSON"})
    replay(server, "/v1/tables", interaction("statbank", "tables_subject_crime.yml"), method="POST",
           json={"lang": "en", "format": "JSON", "includeInactive": False, "subjects": ["4"]})
    saved = os.environ.get(STATBANK_URL_ENV)
    os.environ[STATBANK_URL_ENV] = server.url_for("/v1")
    try:
        yield
    finally:
        server.clear()
        server.stop()
        log.setLevel(level)
        if saved is None:
            os.environ.pop(STATBANK_URL_ENV, None)
        else:
            os.environ[STATBANK_URL_ENV] = saved


@contextmanager
def page_home(path: Path) -> Iterator[Path]:
    """A fresh folder with copies of datasets/ (the datasets read) and recipes/, made the
    current directory, with ./data as the data directory and a private cache; the previous
    state is restored afterwards."""
    home = Path(tempfile.mkdtemp(prefix=f"udsattestat-docs-{path.stem}-"))
    shutil.copytree(ROOT / "datasets", home / "datasets")
    shutil.copytree(ROOT / "recipes", home / "recipes")
    saved_env = {k: os.environ.get(k) for k in ("UDSATTESTAT_DATA_DIR", "UDSATTESTAT_CACHE_DIR",
                                                  "UDSATTESTAT_DATASETS_DIR", STATBANK_URL_ENV, "COLUMNS", "LINES")}
    cwd = os.getcwd()
    for k in saved_env:
        os.environ.pop(k, None)
    os.environ["UDSATTESTAT_CACHE_DIR"] = str(home / ".cache" / "udsattestat")
    os.environ["UDSATTESTAT_DATASETS_DIR"] = str(home / "datasets")  # shown as datasets/…, not a checkout's path
    os.chdir(home)
    try:
        yield home
    finally:
        os.chdir(cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(home, ignore_errors=True)


def check(path: Path) -> Page:
    with page_home(path) as home:
        page = Page(path, home)
        page.run()
    return page


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_on_the_page_are_the_real_ones(path):
    page = check(path)
    assert not page.failures, f"{len(page.failures)} stale example(s):\n\n" + "\n\n".join(page.failures)


def test_a_removed_option_or_command_fails():
    """The checks can fail: a stale option, command or output is caught."""
    with pytest.raises(AssertionError, match="no option --colour"):
        mentioned("show homelessness --colour")
    with pytest.raises(AssertionError, match="no such command"):
        mentioned("statbank lookup FOLK1A")
    with pytest.raises(click.UsageError):
        parse(["fetch", "poverty", "--lve"])
    with pytest.raises(click.UsageError):
        parse(["chart", "homelessness", "--kind", "pie", "--out", "x.svg"])
    parse(["fetch", "poverty", "--live", "--offline"])
    assert matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "b"], ["a", "c"])


def test_a_stale_output_is_caught_and_regenerated(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("x\n\n```console\n$ udsattestat dataset check datasets/poverty\nok poverty: 1 rows\n```\n",
                    encoding="utf-8")
    result = check(page)
    assert len(result.failures) == 1 and "not the real one" in result.failures[0]
    result.rewrite()
    assert not check(page).failures
    assert "ok poverty: 1 rows" not in page.read_text(encoding="utf-8")


def test_norun_is_parsed_not_run(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("```sh norun\nudsattestat fetch poverty --live\nudsattestat fetch poverty --lve\n```\n",
                    encoding="utf-8")
    failures = check(page).failures
    assert failures and all("--lve" in f for f in failures)  # the --live line is fine and not run
    assert any("does not parse" in f for f in failures)


def test_only_times_of_the_run_are_normalised(tmp_path):
    start = datetime.now(UTC)
    now = datetime.now(UTC)
    text = (f"{now:%Y-%m-%dT%H:%M:%SZ} raw/x/{now:%Y%m%dT%H%M%S%fZ}.json; updated 2025-03-25T08:00:00Z\n"
            f"{tmp_path}/data/x.parquet")
    assert normalise(text, tmp_path, start) == [
        "2026-01-02T10:15:00Z raw/x/20260102T101500000000Z.json; updated 2025-03-25T08:00:00Z", "data/x.parquet"]


def test_unmarked_command_blocks_are_refused(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("```\nudsattestat list\n```\n", encoding="utf-8")
    assert "shows a command line" in check(page).failures[0]


def _no_network() -> None:
    """As tests/conftest.py does for the tests (tests/offline.py): loopback only."""
    from offline import guard
    from pytest import MonkeyPatch

    guard(MonkeyPatch())


def main(argv: list[str]) -> int:
    _no_network()
    update = "--update" in argv
    paths = [Path(a).resolve() for a in argv if a != "--update"] or PAGES
    total = regenerated = left = 0
    for path in paths:
        page = check(path)
        total += page.checked
        failures = page.failures
        if update and page.rewrites:
            n = page.rewrite()
            regenerated += n
            print(f"{_shown(path)}: {n} output(s) regenerated")
            failures = [f for f in failures if f not in page.regenerable]
        for failure in failures:
            print(failure, file=sys.stderr)
        left += len(failures)
    print(f"{total} example(s) checked; {regenerated} output(s) regenerated; {left} other failure(s)")
    return 1 if left else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
