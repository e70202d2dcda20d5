"""Report tables in md, html, csv, xlsx and tex: the same Danish/English number formatting
as the charts, a source line built from the provenance (caption or footer), and optional
change columns (absolute and per cent) between two periods.

The layout is decided once (:func:`build_grid`: header, rows of cells that keep both the
number and its text) and written out by one small writer per format, so every format
shows the same numbers. XLSX cells hold real numbers with a number format; the text
formats hold the formatted text.
"""

from __future__ import annotations

import io
import pathlib
from dataclasses import dataclass, field

from . import presentation
from .cells import neutralise
from .errors import OutputError, SelectionError
from .formatting import PERCENT_UNITS, excel_number_format, format_cell, format_number, format_value
from .presentation import APPROX, APPROX_STATUSES
from .presentation import TABLE_WORDS as WORDS

#: format -> file suffix. ``csv`` holds numbers as numbers ('.' decimals, ',' between
#: fields) for programs; ``csv-excel`` opens right in a spreadsheet in the table's language
#: (BOM; in Danish ';' and decimal commas). Both end in .csv; a bare .csv means csv.
TABLE_SUFFIXES = {"md": ".md", "html": ".html", "csv": ".csv", "csv-excel": ".csv", "xlsx": ".xlsx", "tex": ".tex"}
TABLE_FORMATS = tuple(TABLE_SUFFIXES)



@dataclass
class Cell:
    text: str
    number: float | None = None
    decimals: int = 0
    percent: bool = False
    numeric: bool = False
    #: an approximate or uncertain value ("ca."), and a published range's ends
    approx: bool = False
    low: float | None = None
    high: float | None = None
    #: a period ("2019"): a spreadsheet gets a year as a number, not as text
    period: bool = False


@dataclass
class Grid:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    source: str
    notes: list[str] = field(default_factory=list)
    #: the periods run along the columns (a pivot, a change): on a phone the page opens the
    #: table at its right end, so the latest period is seen without scrolling
    periods_across: bool = False

    @property
    def numeric_columns(self) -> list[bool]:
        """Which columns hold numbers (as the first row has them): right-aligned in every format."""
        return [bool(self.rows) and self.rows[0][i].numeric for i in range(len(self.header))]


def _labels(frame, dim, code, lang, prov):
    return presentation.code_label(prov, dim, code, lang, frame)


def _value_cell(row, lang, decimals: dict | None = None) -> Cell:
    """A value as text and number; ``decimals`` {unit: n} makes a column consistent
    ("23,0 %" beside "24,6 %"); without it the value keeps its published precision."""
    unit = row["unit"]
    value, low, high = row["value"], row["value_low"], row["value_high"]
    d = (decimals or {}).get(unit)
    if d is None:
        text = format_cell(value, low, high, unit, lang)
        d = 0 if value is None or float(value).is_integer() else 1
    elif value is None and low is not None and high is not None:
        text = f"{format_number(low, lang, d)}–{format_number(high, lang, d)}" + (" %" if unit in PERCENT_UNITS else "")
    else:
        text = format_value(value, unit, lang, d)
    approx = value is not None and row["status"] in APPROX_STATUSES
    if approx:
        text = f"{APPROX[lang]} {text}"
    return Cell(text, value, d, unit in PERCENT_UNITS, numeric=True, approx=approx,
                low=low if value is None else None, high=high if value is None else None)


def _check_period(frame, period, what):
    have = sorted(set(frame["period"].to_list()))
    if period not in have:
        raise SelectionError(f"{what} period {period} is not in the selection; it has: {', '.join(have)}")


def _source(frame, prov, lang):
    return presentation.source_line(prov, frame, lang)


def build_grid(frame, prov, *, lang="da", pivot=None, change=None, title=None) -> Grid:
    """The table as header + rows of cells, in the order a reader expects."""
    from .schema import dimension_columns

    if lang not in WORDS:
        raise SelectionError(f"unknown language {lang!r}; use one of: da, en")
    if frame is None or frame.is_empty():
        raise SelectionError("the selection is empty; loosen --where/--since/--until")
    if pivot not in (None, "period"):
        raise SelectionError(f"cannot pivot on {pivot!r}; --pivot takes: period")
    w = WORDS[lang]
    title = title or (prov.title.get(lang) if hasattr(prov, "title") else "")
    if change is not None:
        a, b = change
        _check_period(frame, a, "change from")
        _check_period(frame, b, "change to")
    layout = presentation.table_layout(prov)
    if layout.get("layout") == "comparison" and layout.get("by") in frame.columns and pivot is None and change is None:
        return _comparison_grid(frame, prov, lang, title, layout["by"])
    dims = [d for d in ["geo", *dimension_columns(frame.columns)] if frame[d].n_unique() > 1]
    keys = dims + (["unit"] if frame["unit"].n_unique() > 1 else [])
    frame = frame.sort("period_start")
    periods = list(dict.fromkeys(frame["period"].to_list()))
    shared_decimals = presentation.shared_decimals
    per_unit = {u: shared_decimals(frame.filter(frame["unit"] == u).iter_rows(named=True))
                for u in sorted(set(frame["unit"].to_list()))}
    marked = frame["status"].is_in(list(APPROX_STATUSES)).any() or (
        frame["value"].is_null() & frame["value_low"].is_not_null()).any()
    notes = [w["status_note"]] if marked else []
    # one unit: it heads the value column (or labels the row), so no column is headed only "Værdi"
    unit_words = None if "unit" in keys else presentation.unit_label(prov, frame["unit"][0], lang)
    unit_words = unit_words and unit_words[:1].upper() + unit_words[1:]

    def key_cells(row):
        cells = []
        for d in keys:
            if d == "unit":
                text = presentation.unit_label(prov, row["unit"], lang)
                text = text[:1].upper() + text[1:]
            else:
                text = _labels(frame, d, row[d], lang, prov)
            cells.append(Cell(text))
        return cells

    key_header = [w["unit"] if d == "unit" else presentation.dim_label(prov, d, lang) for d in keys]
    if pivot is None and change is None:
        header = [w["period"], *key_header, unit_words or w["value"], w["source"]]
        rows = []
        for r in frame.iter_rows(named=True):
            src = presentation.source_name(prov, r["source"], lang, r.get("source_locator"))
            rows.append([Cell(r["period"], period=True), *key_cells(r), _value_cell(r, lang, per_unit), Cell(src)])
        return Grid(title, header, rows, _source(frame, prov, lang), notes)
    if not keys:
        # every dimension fixed: the row is labelled with the unit (a row with no label reads as nothing)
        keys, key_header = ["unit"], [w["unit"]]
    elif unit_words:
        notes.insert(0, f"{w['unit']}: {presentation.unit_label(prov, frame['unit'][0], lang)}")
    shown = periods if pivot else [change[0], change[1]]
    groups: dict[tuple, dict[str, dict]] = {}
    first_row: dict[tuple, dict] = {}
    for r in frame.iter_rows(named=True):
        k = tuple(r[d] for d in keys)
        if r["period"] in groups.setdefault(k, {}):
            raise SelectionError(
                f"period {r['period']} has several values for one row; narrow --where (or --vintage latest)"
            )
        groups[k][r["period"]] = r
        first_row.setdefault(k, r)
    header = [*key_header, *shown]
    if change:
        pp = frame["unit"].is_in(list(PERCENT_UNITS)).any()
        header += [w["change_pp" if pp and frame["unit"].n_unique() == 1 else "change"].format(a=change[0], b=change[1]),
                   w["change_pct"].format(a=change[0], b=change[1])]
    rows = []
    for k, by_period in groups.items():
        cells = key_cells(first_row[k])
        for p in shown:
            r = by_period.get(p)
            cells.append(_value_cell(r, lang, per_unit) if r else Cell("–", numeric=True))
        if change:
            a, b = by_period.get(change[0]), by_period.get(change[1])
            if a and b and a["value"] is not None and b["value"] is not None:
                diff = b["value"] - a["value"]
                dec = 0 if diff == round(diff) and float(a["value"]).is_integer() else 1
                sign = "+" if diff > 0 else ""
                points = {"da": " pct.-point", "en": " pp"}[lang] if a["unit"] in PERCENT_UNITS else ""
                # the number as shown (28.7, not 28.671328671328672): a spreadsheet and a
                # program read what the reader reads
                cells.append(Cell(sign + format_number(diff, lang, dec) + points, round(diff, dec), dec, False, True))
                if a["value"]:
                    pct = round(diff / a["value"] * 100, 1)
                    cells.append(Cell(("+" if pct > 0 else "") + format_number(pct, lang, 1) + " %", pct, 1, True, True))
                else:
                    cells.append(Cell("–", numeric=True))
            else:
                cells += [Cell("–", numeric=True), Cell("–", numeric=True)]
        rows.append(cells)
    return Grid(title, header, rows, _source(frame, prov, lang), notes, periods_across=True)


def _source_short(prov, sid, lang):
    return presentation.source_short(prov, sid, lang)


def _comparison_grid(frame, prov, lang, title, by: str) -> Grid:
    """A dataset's comparison table (``[table] layout = "comparison"``): one row per code of
    ``by`` (e.g. the ways of counting), one column per unit side by side (a count and a
    share, headed with the units' words from the provenance), with what each code measures
    and where the figure is from; every other dimension must be fixed."""
    w = WORDS[lang]
    rows_df = presentation.latest_per(frame, by)
    order = presentation.code_order(prov, by, frame[by].to_list())
    units = presentation.unit_order(prov, frame["unit"].to_list())
    from .schema import dimension_columns

    def unit_header(unit):
        text = presentation.unit_label(prov, unit, lang)
        return text[:1].upper() + text[1:]

    header = [presentation.dim_label(prov, by, lang), w["measures"], w["year"], *map(unit_header, units), w["source"]]
    rows = []
    for d in [x for x in ["geo", *dimension_columns(frame.columns)] if x != by]:
        if frame[d].n_unique() > 1:
            codes = presentation.code_order(prov, d, frame[d].to_list())
            raise SelectionError(f"the comparison table needs one {d}; add --where {d}={codes[0]} "
                                 f"(codes: {', '.join(codes)})")
    for code in order:
        sub = rows_df.filter(rows_df[by] == code)
        by_unit = {r["unit"]: r for r in sub.iter_rows(named=True)}
        label = _labels(frame, by, code, lang, prov)
        years = sorted({r["period"] for r in by_unit.values()})
        sources = []
        for r in by_unit.values():
            s = _source_short(prov, r["source"], lang)
            if s not in sources:
                sources.append(s)
        rows.append([
            Cell(label), Cell(presentation.code_text(prov, by, code, "measures", lang)), Cell("/".join(years), period=True),
            *(_value_cell(by_unit[u], lang) if u in by_unit else Cell("–", numeric=True) for u in units),
            Cell("; ".join(sources)),
        ])
    notes = list(getattr(prov, "caveats", {}).get(lang, [])[:1]) + [w["status_note"]]
    return Grid(title, header, rows, _source(frame, prov, lang), notes)


# -- writers ---------------------------------------------------------------------------

def _md(grid: Grid) -> str:
    def esc(t):
        return t.replace("|", "\\|")

    out = [f"**{esc(grid.title)}**", ""] if grid.title else []
    out.append("| " + " | ".join(esc(h) for h in grid.header) + " |")
    aligns = ["---:" if numeric else "---" for numeric in grid.numeric_columns]
    out.append("| " + " | ".join(aligns) + " |")
    for row in grid.rows:
        out.append("| " + " | ".join(esc(c.text) for c in row) + " |")
    out.append("")
    out += [f"{n}  " for n in grid.notes]
    out.append(grid.source)
    return "\n".join(out) + "\n"


def _html(grid: Grid) -> str:
    from .templating import render

    return render("table.html.j2", grid=grid)


def _ranged(grid: Grid) -> list[bool]:
    """Columns holding a published range in some row: the data formats give them a low and a
    high column beside the value, so every cell of a column is a number."""
    return [any(c.numeric and c.number is None and c.low is not None for c in (row[j] for row in grid.rows))
            for j in range(len(grid.header))]


def _data_rows(grid: Grid, lang: str) -> list[list]:
    """The table as data: one header row, then rows of numbers as numbers (a per cent as the
    number shown, 28.7; a period "2019" as the year 2019), nothing else — so pandas and R read
    a number column as numbers. A published range is empty in its column, its ends in a
    "(fra)"/"(til)" pair of columns beside it; when any value is approximate a last column
    names the columns whose value in that row is ("ca." cannot stand in a number cell)."""
    w = WORDS[lang]
    marked = any(c.approx for row in grid.rows for c in row)
    ranged = _ranged(grid)
    header: list = []
    for h, r in zip(grid.header, ranged, strict=True):
        header += [h, f"{h} ({w['low']})", f"{h} ({w['high']})"] if r else [h]
    rows: list[list] = [header + ([w["approx_column"]] if marked else [])]
    for row in grid.rows:
        out: list = []
        for c, r in zip(row, ranged, strict=True):
            if c.numeric:
                out.append(c.number)
            elif c.period and c.text.isdigit():
                out.append(int(c.text))
            else:
                out.append(c.text)
            if r:
                out += [c.low, c.high] if c.number is None else [None, None]
        if marked:
            out.append("; ".join(h for h, c in zip(grid.header, row, strict=False) if c.approx))
        rows.append(out)
    return rows


def _csv(grid: Grid, lang: str) -> str:
    """Plain CSV for programs: one header row, then values; ',' between fields, numbers with
    '.' decimals. The title, notes and source line are in the metadata beside it
    (:func:`csv_metadata`), not in rows under the data that would turn numbers into text."""
    import csv

    from .formatting import plain_number

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    # Text cells through neutralise: labels and notes come from outside (no formulas).
    for row in _data_rows(grid, lang):
        writer.writerow(["" if v is None else plain_number(v) if isinstance(v, float | int) else neutralise(v)
                         for v in row])
    return buf.getvalue()


def csv_metadata(grid: Grid, csv_name: str, lang: str) -> str:
    """What the plain CSV cannot hold — title, notes, source line, each column's type — as
    CSV on the Web metadata (W3C CSVW; a program finds it as ``<name>.csv-metadata.json``)."""
    import json

    header = _data_rows(grid, lang)[0]
    numeric = _numeric_data_columns(grid, lang)
    doc = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": grid.title,
        "dc:source": grid.source,
        "notes": list(grid.notes),
        "tableSchema": {"columns": [{"titles": h, "datatype": "number" if n else "string"}
                                    for h, n in zip(header, numeric, strict=True)]},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _numeric_data_columns(grid: Grid, lang: str) -> list[bool]:
    rows = _data_rows(grid, lang)
    return [all(r[j] is None or isinstance(r[j], float | int) for r in rows[1:]) and any(r[j] is not None for r in rows[1:])
            for j in range(len(rows[0]))]


def _csv_excel(grid: Grid, lang: str) -> bytes:
    """CSV for a spreadsheet in ``lang`` (see :func:`udsattestat.export.excel_csv`): the data
    rows, then — after an empty row, so a sort or filter of the data leaves them be — the
    notes and the source line, which a spreadsheet reader reads."""
    from .export import excel_csv

    return excel_csv([*_data_rows(grid, lang), [], *([n] for n in grid.notes), [grid.source]], lang)


TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
               "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(grid: Grid) -> str:
    def esc(t):
        return "".join(TEX_ESCAPES.get(ch, ch) for ch in t)

    cols = "".join("r" if numeric else "l" for numeric in grid.numeric_columns)
    out = [r"\begin{table}[htbp]", r"\centering", r"\small"]
    if grid.title:
        out.append(rf"\caption{{{esc(grid.title)}}}")
    out += [rf"\begin{{tabular}}{{{cols}}}", r"\toprule", " & ".join(esc(h) for h in grid.header) + r" \\",
            r"\midrule"]
    out += [" & ".join(esc(c.text) for c in row) + r" \\" for row in grid.rows]
    out += [r"\bottomrule", r"\end{tabular}"]
    for t in [*grid.notes, grid.source]:
        out.append(rf"\par\smallskip\footnotesize {esc(t)}")
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def _xlsx(grid: Grid, lang: str) -> bytes:
    """A sheet a reader takes in without hovering: an approximate value shows "ca. 250.000"
    (a number format, so the cell is still a number) in italics; a year is a number, not text;
    numbers are as shown (a change of 28,7 %, not 14 decimals); long text wraps within its
    column; notes and the source line follow the table."""
    import datetime as dt

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    # A fixed creation date: the same table gives the same bytes on every run.
    wb.set_properties({"title": grid.title, "author": "udsattestat", "created": dt.datetime(2000, 1, 1),
                       "comments": grid.source})
    ws = wb.add_worksheet(WORDS[lang]["sheet"])
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    head_year = wb.add_format({"bold": True, "bottom": 1, "valign": "top", "num_format": "0", "align": "right"})
    year = wb.add_format({"num_format": "0", "align": "left", "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    top = wb.add_format({"valign": "top"})
    fmts: dict[tuple, object] = {}

    def numfmt(decimals, percent, approx):
        key = (decimals, percent, approx)
        if key not in fmts:
            # a per cent is written as a fraction, so Excel's own % sign shows it
            code = excel_number_format(decimals, "percent" if percent else None, fraction_percent=True)
            # the reader sees "ca." in the cell, as in every other format; the value stays a number
            prefix = f'"{APPROX[lang]} "' if approx else ""
            fmts[key] = wb.add_format({"num_format": prefix + code, "italic": approx, "valign": "top"})
        return fmts[key]

    # write_string, never write(): write() turns text that starts with '=' into a formula.
    ws.write_string(0, 0, neutralise(grid.title), bold)
    widths = []
    for j, h in enumerate(grid.header):
        if h.isdigit():
            ws.write_number(2, j, int(h), head_year)  # a period heading is a year (no green triangle)
        else:
            ws.write_string(2, j, neutralise(h), head)
        # As wide as the widest cell (the header may wrap onto two lines), within reason:
        # longer text wraps inside the column instead of being cut at its edge.
        widest = max([len(c.text) for row in grid.rows for c in row[j:j + 1]] + [min(len(h), 24)])
        widths.append(max(8, min(60, widest + 2)))
        ws.set_column(j, j, widths[j])
    for i, row in enumerate(grid.rows, start=3):
        for j, c in enumerate(row):
            if c.numeric and c.number is not None:
                # A real number, so Excel can compute with it; per cents as fractions with a % format.
                ws.write_number(i, j, c.number / 100 if c.percent else c.number, numfmt(c.decimals, c.percent, c.approx))
            elif c.period and c.text.isdigit():
                ws.write_number(i, j, int(c.text), year)
            else:
                ws.write_string(i, j, neutralise(c.text), wrap if len(c.text) > widths[j] - 2 else top)
    foot = 3 + len(grid.rows) + 1
    for k, t in enumerate([*grid.notes, grid.source]):
        ws.write_string(foot + k, 0, neutralise(t))
    ws.freeze_panes(3, 1)  # the header row and the row labels stay in view
    wb.close()
    return buf.getvalue()


def render_grid(grid: Grid, fmt: str, lang: str = "da") -> str | bytes:
    """A table laid out once (:func:`build_grid`) written in ``fmt``; bytes for xlsx and
    csv-excel, text otherwise."""
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format {fmt!r}; use one of: {', '.join(TABLE_FORMATS)}")
    if fmt == "md":
        return _md(grid)
    if fmt == "html":
        return _html(grid)
    if fmt == "csv":
        return _csv(grid, lang)
    if fmt == "csv-excel":
        return _csv_excel(grid, lang)
    if fmt == "tex":
        return _tex(grid)
    return _xlsx(grid, lang)


def render_table(frame, prov, *, fmt: str, lang: str = "da", pivot: str | None = None,
                 change: tuple[str, str] | None = None) -> str | bytes:
    """Render a tidy frame as a table in ``fmt``; bytes for xlsx and csv-excel, text otherwise."""
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format {fmt!r}; use one of: {', '.join(TABLE_FORMATS)}")
    return render_grid(build_grid(frame, prov, lang=lang, pivot=pivot, change=change), fmt, lang)


def write_table(frame, prov, path, *, fmt: str | None = None, lang: str = "da",
                pivot: str | None = None, change: tuple[str, str] | None = None) -> pathlib.Path:
    """Render and write atomically; ``fmt`` defaults to the path's suffix and must agree
    with it (the rule in :mod:`udsattestat.formats`). ``-`` is standard output, for the
    text formats (``fmt`` required)."""
    from .atomic import atomic_write_bytes, check_output_path, is_stdout, write_output
    from .formats import resolve_format

    if is_stdout(path):
        if fmt not in TABLE_FORMATS or fmt in ("xlsx", "csv-excel"):
            raise OutputError("standard output (--out -) takes a text table: give --format "
                              + ", ".join(f for f in TABLE_FORMATS if f not in ("xlsx", "csv-excel")))
        write_output(path, render_table(frame, prov, fmt=fmt, lang=lang, pivot=pivot, change=change))
        return path
    fmt = resolve_format(path, fmt, TABLE_SUFFIXES)
    target = check_output_path(path)
    grid = build_grid(frame, prov, lang=lang, pivot=pivot, change=change)
    data = render_grid(grid, fmt, lang)
    atomic_write_bytes(target, data if isinstance(data, bytes) else data.encode("utf-8"))
    if fmt == "csv":
        # the title, notes and source line the tidy CSV leaves out, beside it
        atomic_write_bytes(target.with_name(metadata_name(target.name)),
                           csv_metadata(grid, target.name, lang).encode("utf-8"))
    return target


def metadata_name(csv_name: str) -> str:
    """Where a table CSV's metadata goes: CSVW's own name for it."""
    return f"{csv_name}-metadata.json"
