"""Report tables in md, html, csv, xlsx and tex: the same Danish/English number formatting
as the charts, a source line built from the provenance (caption or footer), and optional
change columns (absolute and per cent) between two periods.

The layout is decided once (:func:`build_grid`: header, rows of cells that keep both the
number and its text) and written out by one small writer per format, so every format
shows the same numbers. XLSX cells hold real numbers with a number format; the text
formats hold the formatted text.
"""

from __future__ import annotations

import html
import io
import pathlib
from dataclasses import dataclass, field

from . import presentation
from .cells import neutralise
from .errors import OutputError, SelectionError
from .formatting import PERCENT_UNITS, format_cell, format_number, format_value

TABLE_FORMATS = ("md", "html", "csv", "xlsx", "tex")

WORDS = {
    "da": {"period": "Periode", "value": "Værdi", "unit": "Enhed", "source": "Kilde", "change": "Ændring {a}–{b}",
           "change_pct": "Ændring {a}–{b}, pct.", "change_pp": "Ændring {a}–{b}, pct.-point", "approach": "Tilgang",
           "measures": "Hvad der måles", "year": "År", "persons": "Personer", "share": "Andel af befolkningen",
           "status_note": "ca. = omtrentligt eller usikkert tal; a–b = interval."},
    "en": {"period": "Period", "value": "Value", "unit": "Unit", "source": "Source", "change": "Change {a}–{b}",
           "change_pct": "Change {a}–{b}, %", "change_pp": "Change {a}–{b}, percentage points", "approach": "Approach",
           "measures": "What is measured", "year": "Year", "persons": "Persons", "share": "Share of the population",
           "status_note": "approx. = approximate or uncertain value; a–b = range."},
}
APPROX = {"da": "ca.", "en": "approx."}


@dataclass
class Cell:
    text: str
    number: float | None = None
    decimals: int = 0
    percent: bool = False
    numeric: bool = False


@dataclass
class Grid:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    source: str
    notes: list[str] = field(default_factory=list)


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
    if value is not None and row["status"] in ("approximate", "uncertain"):
        text = f"{APPROX[lang]} {text}"
    decimals = d
    return Cell(text, value, decimals, unit in PERCENT_UNITS, numeric=True)


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
    marked = frame["status"].is_in(["approximate", "uncertain"]).any() or (
        frame["value"].is_null() & frame["value_low"].is_not_null()).any()
    notes = [w["status_note"]] if marked else []
    if "unit" not in keys:
        unit = frame["unit"][0]
        notes.insert(0, f"{w['unit']}: {presentation.unit_label(prov, unit, lang)}")

    def key_cells(row):
        cells = []
        for d in keys:
            if d == "unit":
                text = presentation.unit_label(prov, row["unit"], lang)
            else:
                text = _labels(frame, d, row[d], lang, prov)
            cells.append(Cell(text))
        return cells

    key_header = [w["unit"] if d == "unit" else presentation.dim_label(prov, d, lang) for d in keys]
    if pivot is None and change is None:
        header = [w["period"], *key_header, w["value"], w["source"]]
        rows = []
        for r in frame.iter_rows(named=True):
            src = _source_short(prov, r["source"], lang) + (f", {r['source_locator']}" if r.get("source_locator") else "")
            rows.append([Cell(r["period"]), *key_cells(r), _value_cell(r, lang, per_unit), Cell(src)])
        return Grid(title, header, rows, _source(frame, prov, lang), notes)
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
                cells.append(Cell(sign + format_number(diff, lang, dec) + points, diff, dec, False, True))
                if a["value"]:
                    pct = diff / a["value"] * 100
                    cells.append(Cell(("+" if pct > 0 else "") + format_number(pct, lang, 1) + " %", pct, 1, True, True))
                else:
                    cells.append(Cell("–", numeric=True))
            else:
                cells += [Cell("–", numeric=True), Cell("–", numeric=True)]
        rows.append(cells)
    return Grid(title, header, rows, _source(frame, prov, lang), notes)


def _source_short(prov, sid, lang):
    return presentation.source_short(prov, sid, lang)


def _comparison_grid(frame, prov, lang, title, by: str) -> Grid:
    """A dataset's comparison table (``[table] layout = "comparison"``): one row per code of
    ``by`` (e.g. the ways of counting), persons and share side by side, with what each
    measures and where the figure is from; every other dimension must be fixed."""
    w = WORDS[lang]
    rows_df = presentation.latest_per(frame, by)
    order = presentation.code_order(prov, by, frame[by].to_list())
    from .schema import dimension_columns

    header = [presentation.dim_label(prov, by, lang), w["measures"], w["year"], w["persons"], w["share"], w["source"]]
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
        persons, share = by_unit.get("persons"), by_unit.get("percent")
        years = sorted({r["period"] for r in by_unit.values()})
        sources = []
        for r in by_unit.values():
            s = _source_short(prov, r["source"], lang)
            if s not in sources:
                sources.append(s)
        rows.append([
            Cell(label), Cell(presentation.code_text(prov, by, code, "measures", lang)), Cell("/".join(years)),
            _value_cell(persons, lang) if persons else Cell("–", numeric=True),
            _value_cell(share, lang) if share else Cell("–", numeric=True),
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
    aligns = ["---:" if grid.rows and grid.rows[0][i].numeric else "---" for i in range(len(grid.header))]
    out.append("| " + " | ".join(aligns) + " |")
    for row in grid.rows:
        out.append("| " + " | ".join(esc(c.text) for c in row) + " |")
    out.append("")
    out += [f"{n}  " for n in grid.notes]
    out.append(grid.source)
    return "\n".join(out) + "\n"


def _html(grid: Grid) -> str:
    e = html.escape
    out = ['<table class="udsattestat">']
    if grid.title:
        out.append(f"  <caption>{e(grid.title)}</caption>")
    out.append("  <thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in grid.header) + "</tr></thead>")
    out.append("  <tbody>")
    for row in grid.rows:
        cells = "".join(
            f'<td style="text-align:right">{e(c.text)}</td>' if c.numeric else f"<td>{e(c.text)}</td>" for c in row
        )
        out.append(f"    <tr>{cells}</tr>")
    out.append("  </tbody>")
    foot = [*grid.notes, grid.source]
    out.append("  <tfoot>" + "".join(f'<tr><td colspan="{len(grid.header)}">{e(t)}</td></tr>' for t in foot)
               + "</tfoot>")
    out.append("</table>")
    return "\n".join(out) + "\n"


def _csv(grid: Grid, lang: str) -> str:
    import csv

    buf = io.StringIO()
    # Danish spreadsheets read ';' with decimal commas; English ones ',' with points.
    writer = csv.writer(buf, delimiter=";" if lang == "da" else ",", lineterminator="\n")
    # Every cell through neutralise: labels and notes come from outside (no formulas).
    writer.writerow([neutralise(h) for h in grid.header])
    for row in grid.rows:
        writer.writerow([neutralise(c.text) for c in row])
    for n in grid.notes:
        writer.writerow([neutralise(n)])
    writer.writerow([neutralise(grid.source)])
    return buf.getvalue()


TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
               "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(grid: Grid) -> str:
    def esc(t):
        return "".join(TEX_ESCAPES.get(ch, ch) for ch in t)

    cols = "".join("r" if grid.rows and grid.rows[0][i].numeric else "l" for i in range(len(grid.header)))
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


def _xlsx(grid: Grid) -> bytes:
    import datetime as dt

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    # A fixed creation date: the same table gives the same bytes on every run.
    wb.set_properties({"title": grid.title, "author": "udsattestat", "created": dt.datetime(2000, 1, 1),
                       "comments": grid.source})
    ws = wb.add_worksheet("Tabel")
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    fmts: dict[tuple, object] = {}

    def numfmt(decimals, percent):
        key = (decimals, percent)
        if key not in fmts:
            code = "#,##0" + ("." + "0" * decimals if decimals else "")
            fmts[key] = wb.add_format({"num_format": code + ("%" if percent else "")})
        return fmts[key]

    # write_string, never write(): write() turns text that starts with '=' into a formula.
    ws.write_string(0, 0, neutralise(grid.title), bold)
    for j, h in enumerate(grid.header):
        ws.write_string(2, j, neutralise(h), head)
        ws.set_column(j, j, max(10, min(45, len(h) + 2)))
    for i, row in enumerate(grid.rows, start=3):
        for j, c in enumerate(row):
            if c.numeric and c.number is not None:
                # A real number, so Excel can compute with it; per cents as fractions with a % format.
                ws.write_number(i, j, c.number / 100 if c.percent else c.number, numfmt(c.decimals, c.percent))
                if c.text.startswith(("ca. ", "approx. ")):
                    ws.write_comment(i, j, c.text)
            else:
                ws.write_string(i, j, neutralise(c.text))
    foot = 3 + len(grid.rows) + 1
    for k, t in enumerate([*grid.notes, grid.source]):
        ws.write_string(foot + k, 0, neutralise(t))
    wb.close()
    return buf.getvalue()


def render_table(frame, prov, *, fmt: str, lang: str = "da", pivot: str | None = None,
                 change: tuple[str, str] | None = None) -> str | bytes:
    """Render a tidy frame as a table in ``fmt``; bytes for xlsx, text otherwise."""
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format {fmt!r}; use one of: {', '.join(TABLE_FORMATS)}")
    grid = build_grid(frame, prov, lang=lang, pivot=pivot, change=change)
    if fmt == "md":
        return _md(grid)
    if fmt == "html":
        return _html(grid)
    if fmt == "csv":
        return _csv(grid, lang)
    if fmt == "tex":
        return _tex(grid)
    return _xlsx(grid)


def write_table(frame, prov, path, *, fmt: str | None = None, lang: str = "da",
                pivot: str | None = None, change: tuple[str, str] | None = None) -> pathlib.Path:
    """Render and write atomically; ``fmt`` defaults to the path's suffix. ``-`` is standard
    output, for the text formats (``fmt`` required)."""
    from .atomic import atomic_write_bytes, check_output_path, is_stdout, write_output

    if is_stdout(path):
        if fmt not in TABLE_FORMATS or fmt == "xlsx":
            raise OutputError("standard output (--out -) takes a text table: give --format "
                              + ", ".join(f for f in TABLE_FORMATS if f != "xlsx"))
        write_output(path, render_table(frame, prov, fmt=fmt, lang=lang, pivot=pivot, change=change))
        return path
    suffixes = tuple(f".{f}" for f in TABLE_FORMATS)
    target = pathlib.Path(path)
    if fmt is None:
        target = check_output_path(path, suffixes=suffixes)
        fmt = target.suffix.lower()[1:]
    elif fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format {fmt!r}; use one of: {', '.join(TABLE_FORMATS)}")
    elif target.suffix.lower() != f".{fmt}":
        raise OutputError(
            f"cannot write {str(target)!r} as {fmt}: the file name should end in .{fmt} (got {target.suffix or '(none)'!r})"
        )
    check_output_path(target)
    data = render_table(frame, prov, fmt=fmt, lang=lang, pivot=pivot, change=change)
    atomic_write_bytes(target, data if isinstance(data, bytes) else data.encode("utf-8"))
    return target
