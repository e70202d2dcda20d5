"""The test suite's own machinery, tested: what a green run is allowed to skip, and the
floors that make a property test prove it reached its parser.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import require_tool
from hypothesis import strategies as st
from reach import QUICK, explore, half_and_half, require

ROOT = Path(__file__).resolve().parent.parent


# -- tools a test drives: skip locally, fail under CI=true ---------------------------------


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_a_missing_tool_fails_under_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"no pdftoppm binary .*poppler-utils.*CI=true"):
        require_tool("pdftoppm", None)


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_a_missing_tool_skips_locally_saying_how_to_install_it(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"no chromium binary \(install it: apt-get .*install -y chromium\)"):
        require_tool("chromium", None)
    with pytest.raises(pytest.skip.Exception):
        require_tool("chromium", "/nonexistent/chromium")


def test_a_tool_that_exists_is_returned(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    program = tmp_path / "pdftoppm"
    program.write_text("")
    assert require_tool("pdftoppm", program) == str(program)


def _run_ci_script_until_apt(tmp_path, apt_get: str) -> subprocess.CompletedProcess:
    """.ci/run with a PATH holding no chromium and the given apt-get, stopped before pip."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"apt-get": apt_get, "dirname": 'echo "$(/usr/bin/dirname "$@")"',
                       # stand-ins that end the script where the real one would start installing
                       "python3": "echo python3-reached; exit 3"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return subprocess.run(["/bin/bash", str(ROOT / ".ci" / "run")], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60)


def test_ci_stops_when_the_browser_cannot_be_installed(tmp_path):
    res = _run_ci_script_until_apt(tmp_path, 'echo "E: Unable to locate package chromium" >&2; exit 100')
    assert res.returncode != 0, res.stdout + res.stderr
    assert "python3-reached" not in res.stdout  # the tests never ran, so CI cannot go green
    assert "Unable to locate package chromium" in res.stderr


def test_ci_runs_the_tests_once_the_install_succeeds(tmp_path):
    res = _run_ci_script_until_apt(tmp_path, "exit 0")
    assert "python3-reached" in res.stdout, res.stdout + res.stderr


def test_ci_sets_ci_true_for_the_suite():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "export CI=true" in script
    assert "|| echo" not in script  # no failure turned into a note


# -- property tests prove they reach their target -----------------------------------------


def test_require_fails_a_property_that_never_reaches_its_parser():
    # The defect of #24: every example refused at the header, so the checks after the
    # parse never ran. The floor turns that into a failure.
    seen = explore(st.integers(), check=lambda n: "refused at the header")
    assert seen == Counter({"refused at the header": sum(seen.values())})
    with pytest.raises(AssertionError, match="did not reach its target"):
        require(seen, parsed=0.1)


def test_require_counts_shares_of_the_examples_run():
    require(Counter(parsed=30, refused=70), parsed=0.3, refused=0.7)
    with pytest.raises(AssertionError, match=r"'parsed': 29"):
        require(Counter(parsed=29, refused=71), parsed=0.3)
    with pytest.raises(AssertionError, match="ran no examples"):
        require(Counter(), parsed=0.1)


def test_explore_fails_on_a_failed_check_and_on_a_check_that_says_nothing():
    def check(n):
        assert n < 10
        return "ok"

    with pytest.raises(AssertionError):
        explore(st.integers(0, 100), check=check)
    with pytest.raises(AssertionError, match="must say what happened"):
        explore(st.integers(), check=lambda n: None)


def test_half_and_half_gives_each_side_about_half():
    three_ways = st.one_of(st.integers().map(lambda _: "a"), st.text().map(lambda _: "b"),
                           st.floats().map(lambda _: "c"))
    seen = explore(half_and_half(three_ways, st.integers().map(lambda _: "d")), check=lambda x: x[0], budget=QUICK)
    assert seen["d"] > 0.3 * sum(seen.values())  # one_of would give it a quarter


def test_the_old_values_strategy_would_now_fail():
    # The header the values.csv strategy used before #24 (no precision column): the reader
    # refuses it at line 1, and the floor says so instead of passing.
    from hostile import META

    from udsattestat.bundle import DatasetFileError, meta_from_doc, rows_from_bytes

    meta = meta_from_doc(Path("demo"), META)
    old_header = "period,geo,age,value,value_low,value_high,unit,status,confidence,vintage,source,locator,note"
    row = "2019,DK,TOT,6431,,,persons,published,V,v1,s1,p. 5,"

    def check(rows):
        try:
            rows_from_bytes(meta, "\n".join([old_header, *rows]).encode())
        except DatasetFileError as exc:
            return "refused at the header" if exc.line == 1 else "refused at a row"
        return "parsed"

    seen = explore(st.lists(st.just(row), max_size=3), check=check)
    with pytest.raises(AssertionError, match="did not reach its target"):
        require(seen, parsed=0.25)
