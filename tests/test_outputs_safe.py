"""Outputs safe to open: no spreadsheet formulas from labels, only http(s) links on the page,
and a Content-Security-Policy that allows only what the page uses."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner
from recipe_helpers import HOMELESS_WHERE, claim, write

from udsattestat.cells import neutralise, neutralise_frame
from udsattestat.cli import main

EVIL = '=HYPERLINK("http://evil.example","Klik")'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("text,expected", [
    ("=1+1", "'=1+1"), ("+A1", "'+A1"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-", "'-"),
    # numbers stay numbers, formatted or not; ordinary text is untouched
    ("-3", "-3"), ("-1.234,5", "-1.234,5"), ("-1,234.5", "-1,234.5"), ("-12 %", "-12 %"), ("1e-05", "1e-05"),
    ("Hele landet", "Hele landet"), ("", ""), (-3.5, -3.5), (None, None),
])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_neutralise_frame_matches_neutralise():
    import polars as pl

    texts = ["=1", "-3", "-x", None, "ok", "@a", "+5", "-1.234,5", "\tx"]
    frame = pl.DataFrame({"t": texts, "v": [-1.0] * len(texts)})
    out = neutralise_frame(frame)
    assert out["t"].to_list() == [neutralise(t) for t in texts]
    assert out["v"].to_list() == frame["v"].to_list()  # numbers are never touched


@pytest.fixture
def hostile(datasets_copy):
    """poverty with a formula as the geo and unit labels and as a row note."""
    meta = datasets_copy / "poverty" / "dataset.toml"
    text = meta.read_text().replace('da = "Hele landet"', f"da = '{EVIL}'").replace('da = "personer"', f"da = '{EVIL}'")
    meta.write_text(text, encoding="utf-8")
    values = datasets_copy / "poverty" / "values.csv"
    rows = list(csv.reader(io.StringIO(values.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("note")] = "@SUM(1+1)"
    if "note_da" in rows[0]:  # a Danish output writes the Danish note
        rows[1][rows[0].index("note_da")] = "@SUM(1+1)"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    values.write_text(buf.getvalue(), encoding="utf-8")
    return datasets_copy


def _cells_csv(text: str, delimiter: str = ",") -> list[str]:
    return [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]


def test_export_csv_and_xlsx_hold_no_formulas(hostile, tmp_path):
    assert run("export", "poverty", "--out", tmp_path / "p.csv").exit_code == 0
    cells = _cells_csv((tmp_path / "p.csv").read_text(encoding="utf-8-sig"))
    assert "'" + EVIL in cells and "'@SUM(1+1)" in cells
    assert not any(c.startswith(("=", "@", "+")) for c in cells)
    assert any(c.startswith("-") for c in cells) is False or all(
        c.lstrip("-").replace(".", "").isdigit() for c in cells if c.startswith("-"))

    assert run("export", "poverty", "--out", tmp_path / "p.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    values = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in values)  # no formula cell anywhere
    assert "'" + EVIL in [c.value for c in values]
    assert any(isinstance(c.value, float | int) for c in values)  # numbers are still numbers


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_csv_and_xlsx_hold_no_formulas(hostile, tmp_path, fmt):
    out = tmp_path / f"t.{fmt}"
    res = run("table", "poverty", "--where", "age=TOT", "--out", out)
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        cells = _cells_csv(out.read_text(encoding="utf-8-sig"))  # the plain data CSV: ',' between fields
    else:
        wb = openpyxl.load_workbook(out)
        assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
        cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "@")) for c in cells)


def test_build_figure_csv_holds_no_formulas(hostile, tmp_path):
    recipe = write(tmp_path, """
[[figure]]
name = "pov"
kind = "timeseries"
indicator = "poverty"
where = { age = "TOT", unit = "persons" }
""")
    res = run("build", recipe, "--out", tmp_path / "o")
    assert res.exit_code == 0, res.output
    cells = _cells_csv((tmp_path / "o" / "pov.csv").read_text(encoding="utf-8-sig"))
    assert "'" + EVIL in cells and not any(c.startswith(("=", "@")) for c in cells)


@pytest.mark.parametrize("url,linked", [
    ("https://www.udsatte.dk", True), ("http://example.org/x?a=1&b=2", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False), ("vbscript:x", False), ("file:///etc/passwd", False),
    ("//evil.example", False), ("http://[::1", False), ("ftp://example.org", False),
])
def test_page_links_only_http_and_https(url, linked):
    from udsattestat.recipes.html import _link

    html = _link(url)
    assert html.startswith("<a href=") is linked
    assert "<script>" not in html


def test_page_with_hostile_urls_and_its_policy(tmp_path):
    report = """
[report]
title = "T"
date = "2021-11"
url = "javascript:alert(document.cookie)"
"""
    recipe = write(tmp_path, claim("c", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 6000 }',
                                   where=HOMELESS_WHERE), report=report)
    assert run("build", recipe, "--out", tmp_path / "o").exit_code == 0
    html = (tmp_path / "o" / "index.html").read_text()
    assert 'href="javascript' not in html.lower() and "javascript:alert(document.cookie)" in html
    policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert policy.startswith("default-src 'none'; img-src 'self'; style-src 'sha256-")
    assert "script-src" not in policy and "unsafe-inline" not in policy


def test_policy_blocks_nothing_the_page_uses_from_a_file_url(tmp_path):
    """Opened as a file (the usual way to look at a build), under its CSP: no violation
    reported, every chart decodes, the numeric cells are right-aligned by the style sheet."""
    from cdp import Browser, find_chromium
    from conftest import require_tool
    from recipe_helpers import seed_build

    chromium = require_tool("chromium", find_chromium())
    out, _res = seed_build()
    browser = Browser(chromium, tmp_path / "profile")
    try:
        browser.open((out / "index.html").as_uri())
        widths = browser.evaluate("Promise.all([...document.images].map(i => i.decode().then(() => i.naturalWidth,"
                                  " () => 0)))")
        align = browser.evaluate("getComputedStyle(document.querySelector('td.num')).textAlign")
        assert browser.errors() == []
    finally:
        browser.quit()
    assert widths and min(widths) > 0 and align == "right"
