"""Exports of a tidy table that keep its sources: CSV (+ a provenance sidecar), a CSV for
spreadsheets (Excel in the chosen language), JSON, XLSX (a data sheet with real numbers
and a sources sheet) and Markdown.

Every write is atomic: a failed export leaves any earlier file untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import (
    STDOUT,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    check_output_path,
    is_stdout,
    write_output,
)
from .cells import neutralise, neutralise_frame
from .errors import OutputError
from .formats import resolve_format as _resolve
from .formatting import (
    PERCENT_UNITS,
    excel_number_format,
    format_cell,
    plain_number,
    value_decimals,
)
from .presentation import EXPORT_WORDS as WORDS
from .presentation import citation_text, column_label, dataset_text
from .schema import VALUE_COLUMNS

#: format -> file suffix; csv and csv-excel both write .csv (a bare .csv means csv).
FORMATS = {"csv": ".csv", "csv-excel": ".csv", "json": ".json", "xlsx": ".xlsx", "md": ".md"}


def resolve_format(out, fmt: str | None) -> str:
    """The export format of ``out``: the rule in :mod:`udsattestat.formats`."""
    return _resolve(out, fmt, FORMATS)


def _json_rows(frame) -> list[dict]:
    rows = []
    for row in frame.iter_rows(named=True):
        rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})
    return rows


def export(frame, prov, out, fmt: str | None = None, lang: str = "da") -> Path | str:
    """Write ``frame`` to ``out`` (``-``: standard output, for the text formats)."""
    fmt = resolve_format(out, fmt)
    if fmt in ("csv", "json"):
        frame = localised_notes(frame, prov, lang)
    if is_stdout(out):
        write_output(out, _text(frame, prov, fmt, lang))
        return STDOUT
    target = check_output_path(out)
    if fmt == "csv":
        # Numbers as numbers, '.' decimals, ISO dates: for reuse by programs.
        with atomic_path(target) as tmp:
            neutralise_frame(frame).write_csv(tmp)  # labels come from outside: no formulas
    elif fmt == "csv-excel":
        # Codes a spreadsheet would turn into numbers ("0017" -> 17) stay out; their labels are in.
        safe = neutralise_frame(notes_in(frame, prov, lang))
        shown = safe.select([c for c in safe.columns if f"{c}_label" not in safe.columns])
        atomic_write_bytes(target, excel_csv([[neutralise(column_label(c, lang, prov)) for c in shown.columns],
                                              *shown.iter_rows()], lang))
    elif fmt == "json":
        doc = {"provenance": json.loads(prov.to_json()), "data": _json_rows(frame)}
        atomic_write_text(target, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "md":
        atomic_write_text(target, to_markdown(frame, prov, lang))
    elif fmt == "xlsx":
        with atomic_path(target) as tmp:
            write_xlsx(frame, prov, tmp, lang)
    if fmt in ("csv", "csv-excel"):
        # CSV has no metadata; the provenance goes beside it (rows still name their source).
        atomic_write_text(target.with_name(target.name + ".provenance.json"), prov.to_json() + "\n")
    return target


#: Code columns a spreadsheet shows in words (the data formats keep the codes).
WORD_COLUMNS = ("unit", "status", "confidence", "note")


def in_words(column: str, value, prov, lang: str):
    """A cell of a code column as a reader of the spreadsheet reads it, in ``lang``: the
    unit's label, the status and confidence in words, the row's note in ``lang``."""
    from .presentation import confidence_name, note_text, status_name, unit_label

    if value is None or column not in WORD_COLUMNS:
        return value
    return {"unit": unit_label, "status": lambda _p, v, lg: status_name(v, lg),
            "confidence": lambda _p, v, lg: confidence_name(v, lg), "note": note_text}[column](prov, value, lang)


def notes_in(frame, prov, lang: str):
    """``frame`` with its code columns in words in ``lang`` (:func:`in_words`), for the CSV a
    spreadsheet opens (the XLSX writes the words cell by cell, its number formats read the unit)."""
    import polars as pl

    present = [c for c in WORD_COLUMNS if c in frame.columns and frame[c].null_count() < frame.height]
    return frame.with_columns(
        pl.col(c).replace({v: in_words(c, v, prov, lang) for v in frame[c].drop_nulls().unique().to_list()})
        for c in present)


def localised_notes(frame, prov, lang: str):
    """``frame`` with each row note in ``lang`` (values.csv's ``note_da`` beside ``note``).

    The data formats (csv, json, a figure's data CSV) keep codes — units, statuses, ids are
    names for programs — but a note is prose, and an output in one language has no other.
    ``prov`` may be {indicator: Provenance} (a figure of several indicators)."""
    import polars as pl

    notes: dict[str, dict] = {}
    for p in (prov.values() if isinstance(prov, dict) else [prov]):
        notes.update((getattr(p, "extra", None) or {}).get("notes") or {})
    if "note" not in frame.columns or not notes:
        return frame
    return frame.with_columns(pl.col("note").replace({k: v.get(lang) or k for k, v in notes.items()}))


def excel_csv(rows, lang: str) -> bytes:
    """CSV that a spreadsheet opens right on a double-click in ``lang``'s locale: a UTF-8
    byte-order mark (so æøå survive), ``;`` between fields and decimal commas in Danish
    (``,`` and points in English), numbers without thousands separators, dates ISO."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "da" else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else plain_number(v, lang) if isinstance(v, float | int) and not isinstance(v, bool)
                         else v.isoformat() if hasattr(v, "isoformat") else neutralise(str(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


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
    raise OutputError(f"{fmt} cannot go to standard output (a spreadsheet file); give --out FILE")


def to_markdown(frame, prov, lang: str = "da") -> str:
    """A Markdown document for reading: every column in words in ``lang`` (units, statuses and
    sources by name, releases by date); the codes and ids stay in the data formats."""
    from .presentation import INPUT_WORDS, TABLE_WORDS, source_name, source_short, status_name, unit_label
    from .schema import dimension_columns

    dims = dimension_columns(frame.columns)
    head = ["period", "geo_label", *(f"{d}_label" for d in dims), "value", "unit", "status", "vintage_date"]
    lines = [f"# {prov.title[lang]}", "",
             "| " + " | ".join([*(column_label(h, lang, prov) for h in head), TABLE_WORDS[lang]["source"]]) + " |",
             "|" + "|".join("---:" if h == "value" else "---" for h in [*head, "source"]) + "|"]
    no_date = INPUT_WORDS[lang]["no_date"]
    for row in frame.iter_rows(named=True):
        cells = [row["period"], row["geo_label"], *(row[f"{d}_label"] for d in dims),
                 format_cell(row["value"], row["value_low"], row["value_high"], row["unit"], lang),
                 unit_label(prov, row["unit"], lang), status_name(row["status"], lang), row["vintage_date"] or no_date,
                 source_name(prov, row["source"], lang, row.get("source_locator"))]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    w = WORDS[lang]
    lines += ["", prov.source_line(lang, frame["source"].to_list()), "", f"{w['sources']}:", ""]
    for sid in sorted(set(frame["source"].to_list())):
        lines.append(f"- {source_short(prov, sid, lang)}: {citation_text(prov, sid, lang)}")
    lines += ["", f"{w['licence']}: {dataset_text(prov, 'licence', lang)}"]
    return "\n".join(lines) + "\n"


def write_xlsx(frame, prov, path, lang: str = "da") -> None:
    """A data sheet (column names in words, real numbers formatted by unit and precision,
    dates as dates, widths that fit) and a sources sheet, every label in ``lang``."""
    import datetime

    import xlsxwriter

    w = WORDS[lang]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    # A fixed creation date keeps the file byte-identical between runs.
    wb.set_properties({"title": prov.title[lang], "created": datetime.datetime(2000, 1, 1)})
    data = wb.add_worksheet(w["data"])
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    formats: dict[str, object] = {}

    def number_format(code: str):
        if code not in formats:
            formats[code] = wb.add_format({"num_format": code})
        return formats[code]

    columns = frame.columns
    widths = [len(column_label(c, lang, prov)) for c in columns]
    for c, name in enumerate(columns):
        data.write_string(0, c, neutralise(column_label(name, lang, prov)), head)
    for r, row in enumerate(frame.iter_rows(named=True), start=1):
        decimals = value_decimals(row.get("value"), row.get("precision"))
        for key in ("value_low", "value_high"):
            if row.get("value") is None and row.get(key) is not None:
                decimals = max(decimals, value_decimals(row[key], row.get("precision")))
        for c, name in enumerate(columns):
            value = row[name]
            if value is None:
                continue
            if name in VALUE_COLUMNS:
                code = excel_number_format(decimals, row.get("unit"))
                data.write_number(r, c, value, number_format(code))
                shown = len(f"{value:,.{decimals}f}") + (2 if row.get("unit") in PERCENT_UNITS else 0)
            elif isinstance(value, bool):
                data.write_boolean(r, c, value)
                shown = 5
            elif isinstance(value, float | int):
                data.write_number(r, c, value)
                shown = len(plain_number(value))
            elif isinstance(value, datetime.date):
                data.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
                shown = 10
            else:
                value = in_words(name, value, prov, lang)
                data.write_string(r, c, neutralise(str(value)))
                shown = len(str(value))
            widths[c] = max(widths[c], shown)
    for c, width in enumerate(widths):
        # About one character unit per character, plus room for Excel's filter button.
        data.set_column(c, c, min(60, max(8, width + 3)))
    data.freeze_panes(1, 0)
    if frame.height:
        data.autofilter(0, 0, frame.height, len(columns) - 1)
    src = wb.add_worksheet(w["sources"])
    src.write_string(0, 0, neutralise(prov.source_line(lang, frame["source"].to_list())), bold)
    src.write_string(1, 0, neutralise(f"{w['producer']}: {dataset_text(prov, 'producer', lang)}"))
    src.write_string(2, 0, neutralise(f"{w['licence']}: {dataset_text(prov, 'licence', lang)}"))
    src.write_string(4, 0, w["source"], bold)
    src.write_string(4, 1, w["citation"], bold)
    sids = sorted(set(frame["source"].drop_nulls().to_list()))
    for r, sid in enumerate(sids, start=5):
        src.write_string(r, 0, neutralise(sid))
        src.write_string(r, 1, neutralise(citation_text(prov, sid, lang)))
    src.set_column(0, 0, max(14, min(40, max((len(s) for s in sids), default=10) + 2)))
    src.set_column(1, 1, 100)
    wb.close()
