"""Spreadsheets open right: the XLSX files read back with openpyxl (a spreadsheet reader)
with their number formats, dates, widths and words checked, not just the values; the CSV
for programs holds numbers as numbers; the CSV for Excel has a BOM, ';' and decimal
commas in Danish. And one rule for --format against the file's suffix."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner

from udsattestat.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def poverty_xlsx(tmp_path_factory):
    paths = {}
    for lang in ("da", "en"):
        out = tmp_path_factory.mktemp(lang) / "p.xlsx"
        res = run("export", "poverty", "--out", out, "--lang", lang)
        assert res.exit_code == 0, res.output
        paths[lang] = out
    return paths


def header(ws):
    return [c.value for c in ws[1]]


def test_export_xlsx_number_formats_follow_unit_and_precision(poverty_xlsx):
    wb = openpyxl.load_workbook(poverty_xlsx["da"])
    ws = wb["Data"]
    head = header(ws)
    value, unit = head.index("Værdi") + 1, head.index("Enhed") + 1
    seen = {}
    for row in ws.iter_rows(min_row=2):
        cell = row[value - 1]
        if cell.value is None:
            continue
        seen.setdefault((row[unit - 1].value, cell.value == int(cell.value)), cell.number_format)
    # persons are whole numbers: no trailing separator ('#,##0.##' showed "250.200,")
    assert seen[("personer", True)] == "#,##0"  # the unit in words in a Danish spreadsheet
    # shares keep their decimal and show their per cent sign
    percent = [f for (u, _), f in seen.items() if u == "pct. af befolkningsgruppen"]
    assert percent and all(f.startswith("#,##0.0") and f.endswith('" %"') for f in percent), seen
    assert not any(f.endswith(".##") for f in seen.values())


def test_export_xlsx_dates_widths_and_words(poverty_xlsx):
    for lang, sheets, words in (("da", ["Data", "Kilder"], ("Periodens start", "Licens:")),
                                ("en", ["Data", "Sources"], ("Period start", "Licence:"))):
        wb = openpyxl.load_workbook(poverty_xlsx[lang])
        assert wb.sheetnames == sheets
        ws = wb["Data"]
        head = header(ws)
        assert words[0] in head and "period_start" not in head
        col = head.index(words[0]) + 1
        cell = ws.cell(row=2, column=col)
        assert cell.is_date and cell.number_format == "yyyy-mm-dd"
        letter = openpyxl.utils.get_column_letter(col)
        assert ws.column_dimensions[letter].width >= 11  # a date never shows as ########
        for c in range(1, len(head) + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
            longest = max(len(str(ws.cell(row=r, column=c).value or "")) for r in range(2, ws.max_row + 1))
            if ws.cell(row=2, column=c).data_type == "s":
                assert width >= min(60, longest), (head[c - 1], width, longest)
        sources = wb[sheets[1]]
        texts = [c.value for c in sources["A"] if c.value]
        assert any(t.startswith(words[1]) for t in texts)
        if lang == "da":
            assert not any(t.startswith("Licence") for t in texts)


def test_plain_csv_holds_numbers_and_excel_csv_is_danish(tmp_path):
    plain, excel = tmp_path / "p.csv", tmp_path / "p-excel.csv"
    assert run("export", "poverty", "--out", plain).exit_code == 0
    res = run("export", "poverty", "--out", excel, "--format", "csv-excel")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"))))
    float(rows[0]["value"])  # a number as a program reads it
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8, so æøå survive
    text = raw.decode("utf-8-sig")
    first = text.splitlines()[0]
    assert first.startswith("Indikator;Periode;") and "Områdekode" not in first  # codes stay out
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    head = table[0]
    values = [r[head.index("Værdi")] for r in table[1:] if r[head.index("Værdi")]]
    assert any("," in v for v in values)  # decimal commas (the shares)
    assert all("." not in v for v in values)  # and no thousands separators
    assert (tmp_path / "p-excel.csv.provenance.json").exists()


def table_rows(path, delimiter=","):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=delimiter))


def test_table_csv_flavours(tmp_path):
    plain, excel = tmp_path / "t.csv", tmp_path / "t-excel.csv"
    args = ["table", "poverty", "--where", "unit=persons", "--pivot", "period"]
    assert run(*args, "--out", plain).exit_code == 0
    assert run(*args, "--out", excel, "--format", "csv-excel").exit_code == 0
    rows = table_rows(plain)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    head = rows[0]
    assert head[-1] == "Omtrentlige tal (ca.) i kolonnerne"
    alle = next(r for r in rows if r[0] == "Alle")
    assert float(alle[head.index("2019")]) > 200000  # a number, no "250.200" string
    assert "2015" in alle[-1]  # the 2015 figure is approximate, and the row says so
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    erows = table_rows(excel, ";")
    assert erows[0][0] == head[0]


def test_table_xlsx_sheet_name_widths_and_formats(tmp_path):
    for lang, sheet in (("da", "Tabel"), ("en", "Table")):
        out = tmp_path / f"t-{lang}.xlsx"
        res = run("table", "poverty", "--where", "unit=percent", "--lang", lang, "--out", out)
        assert res.exit_code == 0, res.output
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == [sheet]
        ws = wb[sheet]
        formats = {c.number_format for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, float)}
        assert formats and all(f.endswith("%") for f in formats)
        src_col = ws.max_column
        longest = max(len(str(ws.cell(row=r, column=src_col).value or "")) for r in range(4, 4 + 3))
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(src_col)].width >= min(60, longest)


@pytest.mark.parametrize("args, message", [
    (["export", "poverty", "--out", "{d}/p.xlsx", "--format", "csv"],
     "--format csv writes a .csv file but the file name is 'p.xlsx'; change --out to p.csv, or drop --format to write xlsx"),
    (["table", "poverty", "--out", "{d}/t.xlsx", "--format", "md"],
     "--format md writes a .md file but the file name is 't.xlsx'; change --out to t.md, or drop --format to write xlsx"),
    (["chart", "poverty", "--out", "{d}/c.png", "--format", "svg"],
     "--format svg writes a .svg file but the file name is 'c.png'; change --out to c.svg, or drop --format to write png"),
    (["export", "poverty", "--out", "{d}/p.txt"],
     "cannot tell the format of 'p.txt' from its suffix"),
    (["table", "poverty", "--out", "{d}/t"],
     "cannot tell the format of 't' from its suffix"),
    (["chart", "poverty", "--out", "{d}/c.jpg"],
     "cannot tell the format of 'c.jpg' from its suffix"),
])
def test_one_rule_for_format_and_suffix(args, message, tmp_path):
    res = run(*[a.format(d=tmp_path) for a in args])
    assert res.exit_code != 0
    assert message in res.output, res.output
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("args", [
    ["export", "poverty", "--out", "{d}/p.xlsx", "--format", "xlsx"],
    ["table", "poverty", "--out", "{d}/t.xlsx"],
    ["chart", "poverty", "--out", "{d}/c.svg", "--format", "svg"],
])
def test_format_and_suffix_that_agree(args, tmp_path):
    res = run(*[a.format(d=tmp_path) for a in args])
    assert res.exit_code == 0, res.output


# -- the reader test: a build's tables opened as a reader of them would --------------------

@pytest.fixture(scope="module")
def seed_tables():
    try:
        from .recipe_helpers import seed_build
    except ImportError:
        from recipe_helpers import seed_build  # type: ignore[no-redef]
    out, _res = seed_build()
    names = sorted(p.name[:-len(".xlsx")] for p in out.glob("*.xlsx"))
    assert len(names) >= 5
    return out, names


def test_plain_csv_reads_as_numbers_in_pandas(seed_tables):
    """pd.read_csv with no options: every column the metadata calls a number comes back as
    numbers (no unit or source rows under the data turning them into text); the title, the
    notes and the source line are in the CSVW metadata beside it."""
    import json

    import pandas as pd

    out, names = seed_tables
    for name in names:
        frame = pd.read_csv(out / f"{name}.csv")
        meta = json.loads((out / f"{name}.csv-metadata.json").read_text("utf-8"))
        assert meta["url"] == f"{name}.csv" and meta["dc:source"].startswith("Kilde: ") and meta["dc:title"]
        columns = meta["tableSchema"]["columns"]
        assert [c["titles"] for c in columns] == list(frame.columns), name
        for c in columns:
            numeric = pd.api.types.is_numeric_dtype(frame[c["titles"]])
            assert numeric == (c["datatype"] == "number"), (name, c)
        assert not frame.iloc[:, 0].astype(str).str.startswith("Kilde").any(), name
    # the ranges of the definitions table: a number column with a low and a high beside it
    defs = pd.read_csv(out / "four-definitions.csv")
    assert defs["Personer (fra)"].dropna().tolist() == [70000] and defs["Personer (til)"].dropna().tolist() == [100000]
    # a change in per cent as the reader sees it, not 28.671328671328672
    change = pd.read_csv(out / "homelessness-2009-2019.csv")
    assert change.iloc[0, -1] == 28.7 and change["2009"].dtype.kind == "i"


def test_xlsx_shows_approximate_years_and_long_text_as_a_reader_sees_them(seed_tables):
    """openpyxl, as a spreadsheet opens it: an approximate value is a number whose format
    shows "ca." (no hovering over a comment); a year is a number; long text wraps; a per cent
    change is rounded as shown."""
    out, _names = seed_tables
    ws = openpyxl.load_workbook(out / "poverty-persons.xlsx").active
    head = [c.value for c in ws[3]]
    assert 2019 in head and 2015 in head  # years as numbers (no green triangles)
    alle = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "Alle")
    approx = alle[head.index(2015)]
    assert isinstance(approx.value, int | float) and approx.number_format.startswith('"ca. "') and approx.font.i
    exact = alle[head.index(2020)]
    assert isinstance(exact.value, int | float) and "ca." not in exact.number_format and not exact.font.i
    notes = [r[0].value for r in ws.iter_rows(min_row=4) if r[0].value and str(r[0].value).startswith("ca. =")]
    assert notes, "the key to 'ca.' stands under the table"
    ws = openpyxl.load_workbook(out / "homelessness-counts.xlsx").active
    years = [r[0].value for r in ws.iter_rows(min_row=4, max_col=1) if isinstance(r[0].value, int)]
    assert years[:2] == [2007, 2009]
    ws = openpyxl.load_workbook(out / "four-definitions.xlsx").active
    long = [c for row in ws.iter_rows(min_row=4, max_row=8) for c in row if isinstance(c.value, str) and len(c.value) > 60]
    assert long and all(c.alignment.wrap_text for c in long)
    for c in long:
        width = ws.column_dimensions[c.column_letter].width
        assert width <= 62
    ws = openpyxl.load_workbook(out / "homelessness-2009-2019.xlsx").active
    pct = ws.cell(row=4, column=ws.max_column).value
    assert pct == round(pct, 3) and abs(pct - 0.287) < 1e-9
