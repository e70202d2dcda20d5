"""Fast start: which heavy modules each small command imports (timings are in benchmarks/)."""

from __future__ import annotations

import sys

import offline
import pytest

HEAVY = ("polars", "pandas", "pyarrow", "matplotlib", "numpy")
PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['udsattestat', *{args!r}]\n"
    "try:\n"
    "    runpy.run_module('udsattestat', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('\\nIMPORTED', sorted(m for m in {mods!r} if m in sys.modules), file=sys.stderr)\n"
)


def imported(*args: str, mods=(*HEAVY, "rich", "udsattestat.bundle")) -> list[str]:
    out = offline.run([sys.executable, "-c", PROBE.format(args=list(args), mods=mods)],
                         capture_output=True, text=True, check=True)
    line = [x for x in out.stderr.splitlines() if x.startswith("IMPORTED")][-1]
    return eval(line.removeprefix("IMPORTED "))  # a list literal printed just above


def test_help_imports_neither_data_nor_presentation():
    assert imported("--help") == []


def test_list_reads_the_bundle_with_the_standard_library_only(datasets_copy):
    import os
    import time

    old = time.time() - 3600  # files old enough to be cached
    for path in datasets_copy.rglob("*"):
        os.utime(path, (old, old))
    assert imported("list") == ["udsattestat.bundle"]  # reads and checks every dataset, caches what list shows
    assert imported("list") == []  # unchanged files: the rows come from the catalogue cache


@pytest.mark.parametrize("args", [
    ("info", "drug-deaths"),
    ("show", "homelessness", "--where", "situation=TOT", "--since", "2015"),
    ("show", "drug-deaths", "--vintage", "all"),
])
def test_small_bundled_tables_need_no_polars(args):
    assert not set(imported(*args)) & {*HEAVY, "rich"}  # show draws its table itself (cli/plain.py)


@pytest.mark.parametrize("args", [
    ("--help",), ("list",), ("info", "drug-deaths"), ("show", "drug-deaths"),
])
def test_commands_without_html_do_not_load_the_template_engine(args):
    assert imported(*args, mods=("jinja2", "markupsafe")) == []


def test_show_without_polars_matches_the_polars_view():
    """The plain-rows path selects exactly the rows load() does (latest per observation)."""
    import polars as pl

    from udsattestat.api import load_with_provenance
    from udsattestat.bundle import read_bundled, tidy_rows
    from udsattestat.selection import apply_period_bounds, apply_where, period_bounds_rows, where_rows
    from udsattestat.vintages import select_rows

    for ind in ("drug-deaths", "homelessness", "poverty", "udsathed-definitions"):
        for vintage in ("latest", "all"):
            frame, _ = load_with_provenance(ind, vintage=vintage)
            frame = apply_period_bounds(apply_where(frame, {"geo": ["DK"]}), "2016", None)
            meta, raw, _ = read_bundled(ind)
            rows = tidy_rows(meta, raw, "da")
            rows = period_bounds_rows(where_rows(select_rows(rows, list(rows[0]), vintage), list(rows[0]),
                                                 {"geo": ["DK"]}), "2016", None)
            assert pl.DataFrame(rows, schema=frame.schema, orient="row").equals(frame), (ind, vintage)


def test_help_summaries_read_without_ast_match_the_docstrings():
    """--help reads each command's summary with a pattern (fast); it must be what ast sees."""
    import ast
    import importlib.util
    from pathlib import Path

    from udsattestat.cli import COMMANDS, summary

    for name, target in COMMANDS.items():
        module, _, attr = target.partition(":")
        tree = ast.parse(Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8"))
        [node] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == attr]
        expected = " ".join((ast.get_docstring(node) or "").split("\n\n")[0].split())
        assert summary(name) == expected, name


def test_a_statbank_live_view_needs_no_polars(statbank, runner, cli):
    """Importing polars would be a third of a ``show --live`` run (benchmarks/live_view.py): the
    StatBank live view is built with pyarrow and shown as plain rows."""
    statbank.tableinfo("IFOR51", "da")
    statbank.data("ifor51_children_data_da.csv")
    args = ["show", "child-poverty", "--live", "--where", "unit=persons", "--since", "2019"]
    assert runner.invoke(cli, args).exit_code == 0  # the snapshots the replay below reads
    mods = imported(*args, "--offline", mods=(*HEAVY, "rich", "udsattestat.statbank.tidy"))
    assert "udsattestat.statbank.tidy" in mods  # the rows were read
    assert not set(mods) & {"polars", "pandas", "matplotlib", "rich"}
