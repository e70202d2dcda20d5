"""Exports of a tidy table that keep its sources: CSV (+ a provenance sidecar), JSON,
XLSX (a data sheet with real numbers and a sources sheet) and Markdown.

Every write is atomic: a failed export leaves any earlier file untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import STDOUT, atomic_path, atomic_write_text, check_output_path, is_stdout, write_output
from .cells import neutralise, neutralise_frame
from .errors import OutputError
from .formatting import format_cell

FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".md": "md"}


def resolve_format(out, fmt: str | None) -> str:
    suffix = Path(out).suffix.lower()
    if fmt is None:
        if suffix not in FORMATS:
            raise OutputError(
                f"cannot tell the format of {str(out)!r}; give --format or a suffix: {', '.join(FORMATS)}"
            )
        return FORMATS[suffix]
    return fmt


def _json_rows(frame) -> list[dict]:
    rows = []
    for row in frame.iter_rows(named=True):
        rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})
    return rows


def export(frame, prov, out, fmt: str | None = None, lang: str = "da") -> Path | str:
    """Write ``frame`` to ``out`` (``-``: standard output, for the text formats)."""
    fmt = resolve_format(out, fmt)
    if is_stdout(out):
        write_output(out, _text(frame, prov, fmt, lang))
        return STDOUT
    target = check_output_path(out)
    if fmt == "csv":
        with atomic_path(target) as tmp:
            neutralise_frame(frame).write_csv(tmp)  # labels come from outside: no formulas
        # CSV has no metadata; the provenance goes beside it (rows still name their source).
        atomic_write_text(target.with_name(target.name + ".provenance.json"), prov.to_json() + "\n")
    elif fmt == "json":
        doc = {"provenance": json.loads(prov.to_json()), "data": _json_rows(frame)}
        atomic_write_text(target, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "md":
        atomic_write_text(target, to_markdown(frame, prov, lang))
    elif fmt == "xlsx":
        with atomic_path(target) as tmp:
            write_xlsx(frame, prov, tmp, lang)
    return target


def _text(frame, prov, fmt: str, lang: str) -> str:
    """A text format for standard output (the CSV has no provenance sidecar there: its rows
    still name their source; JSON carries the provenance inline)."""
    if fmt == "csv":
        return neutralise_frame(frame).write_csv()
    if fmt == "json":
        doc = {"provenance": json.loads(prov.to_json()), "data": _json_rows(frame)}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return to_markdown(frame, prov, lang)
    raise OutputError(f"{fmt} is a binary format and cannot go to standard output; give --out FILE.{fmt}")


def to_markdown(frame, prov, lang: str = "da") -> str:
    from .schema import dimension_columns

    dims = dimension_columns(frame.columns)
    head = ["period", "geo", *dims, "value", "unit", "status", "vintage", "source"]
    lines = [f"# {prov.title[lang]}", "", "| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if h == "value" else "---" for h in head) + "|"]
    for row in frame.iter_rows(named=True):
        cells = [row["period"], row["geo_label"], *(row[f"{d}_label"] for d in dims),
                 format_cell(row["value"], row["value_low"], row["value_high"], row["unit"], lang),
                 row["unit"], row["status"], row["vintage"] or "", row["source"]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += ["", prov.source_line(lang, frame["source"].to_list()), "", "Sources:", ""]
    for sid in sorted(set(frame["source"].to_list())):
        lines.append(f"- `{sid}`: {prov.citation_text(sid)}")
    return "\n".join(lines) + "\n"


def write_xlsx(frame, prov, path, lang: str = "da") -> None:
    import datetime

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    # A fixed creation date keeps the file byte-identical between runs.
    wb.set_properties({"title": prov.title[lang], "created": datetime.datetime(2000, 1, 1)})
    data = wb.add_worksheet("data")
    bold = wb.add_format({"bold": True})
    number = wb.add_format({"num_format": "#,##0.##"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for c, name in enumerate(frame.columns):
        data.write_string(0, c, neutralise(name), bold)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, float | int):
                data.write_number(r, c, value, number)
            elif isinstance(value, datetime.date):
                data.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
            else:
                data.write_string(r, c, neutralise(str(value)))
    data.freeze_panes(1, 0)
    src = wb.add_worksheet("sources")
    src.write_string(0, 0, neutralise(prov.source_line(lang, frame["source"].to_list())), bold)
    src.write_string(1, 0, neutralise(f"Licence: {prov.licence}"))
    src.write_string(3, 0, "source", bold)
    src.write_string(3, 1, "citation", bold)
    for r, sid in enumerate(sorted(set(frame["source"].to_list())), start=4):
        src.write_string(r, 0, neutralise(sid))
        src.write_string(r, 1, neutralise(prov.citation_text(sid)))
    wb.close()
