"""Output for scripts: piped (not a terminal) nothing is padded, wrapped or cut with '…';
`list` shows unit and source as its help says; `show`, `build` and `verify` have --json."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschemas import checked

from udsattestat.cli import main
from udsattestat.cli.plain import boxed

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "recipes" / "homelessness-brief.toml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_list_piped_is_one_line_per_indicator_with_unit_and_source():
    res = run("list", "--lang", "da")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert all(line == line.rstrip() for line in lines)  # no padding
    head = next(line for line in lines if line.startswith("id "))
    assert head.split() == ["id", "periods", "unit", "live", "from", "source", "title"]
    listed = checked("list", run("list", "--json", "--lang", "da").output)["indicators"]
    for entry in listed:
        row = next(line for line in lines if line.startswith(entry["id"] + " "))
        # the whole title, unit and source on the indicator's own line: nothing wrapped or cut
        assert row.endswith(entry["title"]) and entry["unit"] in row and entry["credit"] in row, row
    assert "…" not in res.output
    help_text = run("list", "--help").output
    assert "unit" in help_text and "sources" in help_text


def test_show_piped_is_not_cut_and_has_json():
    res = run("show", "drug-deaths", "--lang", "da")
    assert res.exit_code == 0, res.output
    assert "…" not in res.output
    assert all(line == line.rstrip() for line in res.output.splitlines())
    assert "Narkotikarelaterede dødsfald" in res.output
    doc = checked("show", run("show", "drug-deaths", "--json", "--where", "unit=deaths").output)
    assert doc["indicator"] == "drug-deaths" and doc["source_line"].startswith("Kilde:")
    assert doc["rows"] and all(r["unit"] == "deaths" and isinstance(r["value"], float | int | None) for r in doc["rows"])
    assert all(isinstance(r["period_start"], str) for r in doc["rows"])  # ISO dates


def test_verify_and_build_json(tmp_path):
    res = run("verify", BRIEF, "--json")
    assert res.exit_code == 0, res.output
    doc = checked("claims", res.output)
    assert doc["verdicts"]["holds"] == len(doc["claims"]) == 4
    out = tmp_path / "brief"
    res = run("build", BRIEF, "--out", out, "--json")
    assert res.exit_code == 0, res.output
    doc = checked("build", res.output)
    assert doc["out"] == str(out) and doc["changed"] is True and doc["figures"] == 2
    assert sorted(doc["files"]) == sorted(p.name for p in out.iterdir())
    assert doc["verdicts"]["holds"] == 4 and len(doc["claims"]) == 4
    written = checked("claims", (out / "claims.json").read_text("utf-8"))  # the same document as verify --json
    assert written["claims"] == doc["claims"] and written["schema"] == "udsattestat/claims/1"
    again = checked("build", run("build", BRIEF, "--out", out, "--json").output)
    assert again["changed"] is False


# -- build and verify: a summary read at a glance, in the output's language ----------------

SEED = ROOT / "recipes" / "forandringskraft-2021.toml"


def test_verify_summary_leads_with_what_fails_in_the_recipes_language():
    res = run("verify", SEED)
    assert res.exit_code == 3
    lines = res.output.splitlines()
    assert lines[0].startswith("Påstande, kontrolleret mod data som offentliggjort pr. 30. november 2021")
    assert lines[1].startswith("  ") and "holder ikke" in lines[1] and "ingen data" in lines[1]
    claims = [line for line in lines if line.startswith("  ") and "“" in line]
    # fails, then revised, then undecided: one line each, quote, page and what the data say
    order = [line.split()[0] + (" " + line.split()[1] if line.split()[1] in ("ikke", "ved") else "") for line in claims]
    assert order[0] == "holder ikke" and claims[0].count("—") == 1 and "s. " in claims[0]
    assert not any(line.lstrip().startswith(("holder “", "ingen data")) for line in claims)
    assert "alle med --verbose" in res.output
    # no ids, no 'as of', no brackets: words a journalist reads
    assert "p05-" not in "\n".join(claims) and "as of" not in res.output and "[" not in "\n".join(claims)


def test_verify_lang_and_verbose():
    da, en = run("verify", SEED, "--verbose"), run("verify", SEED, "--lang", "en", "--verbose")
    assert "holder ikke" in da.output and " fails " in en.output and "2 fail," in en.output and "holder ikke" not in en.output
    assert "Claims, checked against the data as published by 30 November 2021" in en.output
    n = json.loads(run("verify", SEED, "--json").output.split("\nError:")[0])["claims"]
    listed = [line for line in en.output.splitlines() if line.startswith("  ") and "“" in line]
    assert len(listed) == len(n)  # --verbose: every claim, one line each
    assert "--verbose" not in en.output.split("Error:")[0]


def test_claim_lines_fit_the_terminal(monkeypatch):
    import os

    from udsattestat.cli import claimlines, plain

    monkeypatch.setattr(claimlines, "is_terminal", lambda: True)
    monkeypatch.setattr(plain, "is_terminal", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=(80, 24): os.terminal_size((60, 24)))
    res = run("verify", SEED, "--lang", "en", "--verbose")
    body = res.output.split("Error:")[0]
    claims = [line for line in body.splitlines() if "“" in line]
    assert claims and all(len(line) <= 60 for line in claims), max(claims, key=len)
    # a long quote is shortened first, so what the data say stays in view
    assert all("—" in line for line in claims if line.split()[0] in ("fail", "revised"))


def test_build_reports_progress_per_figure_and_table_and_q_silences(tmp_path):
    from udsattestat.cli.claimlines import progress
    from udsattestat.recipes import build

    steps = []
    result = build(BRIEF, tmp_path / "b", progress=lambda what, name, done, total: steps.append((what, done, total)))
    figures = [s for s in steps if s[0] == "figure"]
    tables = [s for s in steps if s[0] == "table"]
    assert len(figures) == result.figures and len(tables) == result.tables
    assert figures[-1][1:] == (result.figures - 1, result.figures)
    with progress("da", quiet=True) as step:
        assert step is None  # -q: nothing on standard error
    with progress("da", quiet=False) as step:
        assert step is None  # not a terminal (a test, a pipe): nothing either
    res = run("build", BRIEF, "--out", tmp_path / "c", "-q")
    assert res.exit_code == 0 and "Bygget" in res.output


# -- show's boxed table, drawn without rich (for start-up time) ------------------------------

_word = st.text(alphabet="abcæøåXYZ019–%.,()", min_size=1, max_size=12)
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_tables = st.integers(1, 5).flatmap(lambda n: st.tuples(
    _text, st.lists(_text, min_size=n, max_size=n),
    st.lists(st.lists(_text, min_size=n, max_size=n), min_size=1, max_size=5),
    st.sets(st.integers(0, n - 1)), st.one_of(st.just(""), _text)))


def _as_rich_draws_it(title, headers, rows, right, caption) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left")
    for r in rows:
        table.add_row(*r)
    console = Console(width=100_000, no_color=True, highlight=False, soft_wrap=False)
    with console.capture() as capture:
        console.print(table)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


@settings(max_examples=200, deadline=None)
@given(_tables)
def test_show_draws_piped_the_table_rich_would(table):
    """The box, padding, alignment and the title and caption wrapped at the table's width
    are rich's (which `show` used), so nothing a reader or a script saw changes."""
    title, headers, rows, right, caption = table
    drawn = boxed(title, headers, rows, right=frozenset(right), caption=caption, width=1_000_000)
    assert drawn == _as_rich_draws_it(title, headers, rows, right, caption)


@settings(max_examples=200, deadline=None)
@given(_tables, st.integers(40, 120))
def test_show_on_a_narrow_terminal_wraps_and_loses_nothing(table, width):
    title, headers, rows, right, caption = table
    drawn = boxed(title, headers, rows, right=frozenset(right), caption=caption, width=width)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    if sum(min(w, 8) for w in widths) + 3 * len(widths) + 1 <= width:  # it can fit
        assert all(len(line) <= width for line in drawn.splitlines())
    above_and_below = "".join(drawn.split())  # a word wider than the table is cut, as rich cuts it
    assert all(w in above_and_below for w in [*title.split(), *caption.split()])
    flat = " ".join(drawn.split())
    cell_words = [w for cell in [*headers, *(c for r in rows for c in r)] for w in cell.split()]
    assert all(w in flat for w in cell_words if len(w) <= 8)  # a column is not narrowed below 8
