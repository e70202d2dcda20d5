"""Tables: formatted numbers in both languages, change columns, the definitions
comparison, real numbers in XLSX, deterministic bytes, atomic writes."""

from __future__ import annotations

import io

import pytest

from udsattestat.api import load_with_provenance
from udsattestat.errors import OutputError, SelectionError
from udsattestat.selection import apply_where
from udsattestat.tables import TABLE_FORMATS, render_table, write_table


def homelessness(lang="da"):
    frame, prov = load_with_provenance("homelessness", lang=lang)
    return apply_where(frame, {"population": ["COUNTED"], "situation": ["TOT"], "age": ["TOT"], "geo": ["DK"]}), prov


def test_markdown_danish_numbers_and_source():
    frame, prov = homelessness("da")
    text = render_table(frame, prov, fmt="md", lang="da")
    assert "| 2022 | 5.789 |" in text
    assert text.rstrip().endswith("Kilde: VIVE (SFI før 2017), Hjemløshed i Danmark 2007–2024")


def test_english_numbers():
    frame, prov = homelessness("en")
    text = render_table(frame, prov, fmt="md", lang="en")
    assert "| 2022 | 5,789 |" in text
    assert "Source: VIVE" in text


def test_change_columns():
    frame, prov = homelessness("da")
    text = render_table(frame, prov, fmt="md", lang="da", pivot="period", change=("2019", "2022"))
    assert "Ændring 2019–2022" in text
    assert "| 6.431 | 5.789 | 5.989 | −642 | −10,0 % |" in text
    en = render_table(homelessness("en")[0], prov, fmt="md", lang="en", change=("2019", "2022"))
    assert "| 6,431 | 5,789 | −642 | −10.0 % |" in en


def test_percent_values_and_percentage_points():
    frame, prov = load_with_provenance("poverty", lang="da")
    frame = apply_where(frame, {"unit": ["percent"], "age": ["TOT"]})
    text = render_table(frame, prov, fmt="md", lang="da", change=("2021", "2022"))
    assert "| 4,2 % | 3,7 % | −0,5 pct.-point | −11,9 % |" in text


def test_ranges_and_approximate_values():
    frame, prov = load_with_provenance("poverty", lang="da")
    text = render_table(apply_where(frame, {"unit": ["persons"]}), prov, fmt="md", lang="da")
    # 2015 children: two quotations (43,400 and 43,500) are two vintages, never a range
    assert "43.400–43.500" not in text
    assert "ca. 200.000" in text and "ca. 250.100" in text


def test_definitions_comparison_table():
    frame, prov = load_with_provenance("udsathed-definitions", lang="da")
    text = render_table(apply_where(frame, {"group": ["ALL"]}), prov, fmt="md", lang="da")
    # one column per unit, headed with the unit's words from dataset.toml ([units])
    assert "| Tilgang | Hvad der måles | År | Personer | Pct. af befolkningen | Kilde |" in text
    assert "| 70.000–100.000 | 1,5–2 % |" in text
    assert "| ca. 580.000 | 10 % |" in text
    with pytest.raises(SelectionError, match="add --where group=ALL"):
        render_table(frame, prov, fmt="md", lang="da")


def test_html_csv_tex():
    frame, prov = homelessness("da")
    html = render_table(frame, prov, fmt="html", lang="da")
    assert "<caption>Hjemløse i Danmark" in html and '<td style="text-align:right">5.789</td>' in html
    assert "<tfoot>" in html and "Kilde: VIVE" in html
    csv = render_table(frame, prov, fmt="csv", lang="da")
    # for programs: numbers as numbers in both languages; the spreadsheet flavour is Danish Excel's
    assert "\n2022,5789," in csv
    assert "\n2022,5789," in render_table(homelessness("en")[0], prov, fmt="csv", lang="en")
    excel = render_table(frame, prov, fmt="csv-excel", lang="da")
    assert excel.startswith("\ufeff".encode()) and b"\r\n2022;5789;" in excel
    tex = render_table(frame, prov, fmt="tex", lang="da")
    assert r"\toprule" in tex and "2022 & 5.789" in tex and r"\caption{" in tex


def test_xlsx_real_numbers_and_deterministic():
    import openpyxl

    frame, prov = load_with_provenance("poverty", lang="da")
    frame = apply_where(frame, {"age": ["TOT"]})
    a = render_table(frame, prov, fmt="xlsx", lang="da", change=("2021", "2022"))
    b = render_table(frame, prov, fmt="xlsx", lang="da", change=("2021", "2022"))
    assert a == b
    ws = openpyxl.load_workbook(io.BytesIO(a)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row]
    assert 213900 in flat
    pct_cells = [c for row in ws.iter_rows() for c in row if c.value == pytest.approx(0.037)]
    assert pct_cells and "%" in pct_cells[0].number_format
    assert any(isinstance(v, str) and v.startswith("Kilde: Danmarks Statistik") for v in flat)


def test_errors(tmp_path):
    frame, prov = homelessness("da")
    with pytest.raises(SelectionError, match="change to period 2021 is not in the selection; it has: 2007"):
        render_table(frame, prov, fmt="md", change=("2019", "2021"))
    with pytest.raises(SelectionError, match="empty"):
        render_table(frame.head(0), prov, fmt="md")
    with pytest.raises(OutputError, match="use one of: md, html"):
        render_table(frame, prov, fmt="docx")
    with pytest.raises(OutputError, match="cannot tell the format of 't.docx' from its suffix"):
        write_table(frame, prov, tmp_path / "t.docx")
    with pytest.raises(OutputError, match="change --out to t.md, or drop --format to write csv"):
        write_table(frame, prov, tmp_path / "t.csv", fmt="md")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_write_every_format(fmt, tmp_path):
    frame, prov = homelessness("da")
    from udsattestat.tables import TABLE_SUFFIXES

    name = f"t{TABLE_SUFFIXES[fmt]}"
    path = write_table(frame, prov, tmp_path / name, fmt=fmt)
    assert path.stat().st_size > 100
    # the tidy CSV has its title, notes and source line beside it (CSVW metadata); no other file
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, *([f"{name}-metadata.json"] if fmt == "csv" else [])])
