"""Chart and table commands: ``udsattestat chart`` and ``udsattestat table``."""

from __future__ import annotations

import click

from ..api import load_with_provenance
from ..catalog import check_indicator
from ..charts import CHART_SUFFIXES, render, save, size_range, size_usable
from ..charts import KINDS as KIND_NAMES  # discovered from the kind modules
from ..errors import OutputError, SelectionError
from ..tables import TABLE_FORMATS as TABLE_FORMAT_NAMES
from ..tables import TABLE_SUFFIXES, write_table
from .options import (
    data_dir_option,
    lang_option,
    live_option,
    offline_option,
    out_option,
    refresh_option,
    since_option,
    timeout_option,
    until_option,
    vintage_option,
    where_option,
    where_scoped_option,
)

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.

CHART_FORMATS = {"svg": ".svg", "png": ".png", "pdf": ".pdf"}


def parse_size(text: str | None) -> tuple[float, float] | None:
    """'6.3x4.2' (inches) or '16x10cm' -> (width, height) in inches."""
    if text is None:
        return None
    raw = text.strip().lower()
    per_inch = 1.0
    if raw.endswith("cm"):
        raw, per_inch = raw[:-2], 2.54  # divided, not times 1/2.54: 5.08cm is exactly 2 in
    elif raw.endswith("in"):
        raw = raw[:-2]
    w, sep, h = raw.partition("x")
    if not raw.isascii():  # float() reads "６" as 6: only plain digits here, as everywhere
        w = ""
    try:
        size = (float(w) / per_inch, float(h) / per_inch)
    except ValueError:
        raise SelectionError(f"cannot read --size {text!r}; write WIDTHxHEIGHT in inches (6.3x4.2) or cm (16x10cm)") from None
    # "nan" and "inf" are floats to Python, and NaN passes every comparison below as False.
    if not sep or not size_usable(size):
        raise SelectionError(f"--size {text!r} is not usable; give width x height, each {size_range()} inches (e.g. 6.3x4.2 or 16x10cm)")
    return size


def split_where(items, indicators) -> dict[str, list[str]]:
    """Sort ``--where`` items by indicator: 'poverty:age=TOT' to poverty only, the rest to all."""
    scoped: dict[str, list[str]] = {ind: [] for ind in indicators}
    for item in items:
        head, colon, rest = item.partition(":")
        if colon and "=" not in head:
            if head not in scoped:
                raise SelectionError(
                    f"--where {item!r} names indicator {head!r}, which is not charted; charted: {', '.join(indicators)}"
                )
            scoped[head].append(rest)
        else:
            dim = item.partition("=")[0].strip()
            having = [ind for ind in indicators if dim in _dims_of(ind)]
            if len(indicators) > 1 and not having:
                raise SelectionError(
                    f"--where {item!r}: no charted indicator has dimension {dim!r}; "
                    + "; ".join(f"{ind} has {', '.join(_dims_of(ind))}" for ind in indicators)
                )
            for ind in indicators:
                scoped[ind].append(item)
    return scoped


def _meta(indicator: str):
    from ..bundle import dataset_folder, read_meta

    return read_meta(dataset_folder(indicator))


def _dims_of(indicator: str) -> list[str]:
    return ["geo", *_meta(indicator).dims, "unit", "vintage"]


def load_selection(indicator, items, *, lang, vintage, since, until, kind, series, unscoped_ok_missing=False,
                   live=False, offline=False, refresh=False, data_dir=None):
    """Load one indicator (with ``live``: the live view) and apply defaults, --where and period bounds."""
    from ..charts.defaults import with_defaults
    from ..selection import apply_period_bounds, apply_where, check_not_empty, parse_where

    where = parse_where(tuple(items))
    if unscoped_ok_missing:
        dims = _dims_of(indicator)
        where = {d: c for d, c in where.items() if d in dims}
    if kind is not None:  # the dataset's default selection: what a live view asks for, too
        where = with_defaults(_meta(indicator).presentation()["chart"], where, kind=kind, series=series)
    frame, prov = load_with_provenance(indicator, lang=lang, vintage=vintage, live=live, offline=offline,
                                       refresh=refresh, data_dir=data_dir, where=where, since=since, until=until)
    frame = apply_where(frame, where, prov, lang)
    frame = apply_period_bounds(frame, since, until)
    return check_not_empty(frame, f"selection for {indicator}"), prov


@click.command("chart")
@click.argument("indicator", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(KIND_NAMES), default=None,
              help="Chart kind [default: the indicator's usual one; indexed for several indicators].")
@where_scoped_option
@click.option("--series", default=None, metavar="DIM", help="Dimension drawn as separate lines or bars.")
@click.option("--highlight", default=None, metavar="CODE", help="Code to highlight (ranking: default DK; levels: the total).")
@click.option("--base-period", default=None, metavar="P",
              help="indexed: period that is 100 [default: the first all have]; ranking: period ranked.")
@since_option
@until_option
@lang_option
@click.option("--title", default=None, help="Title [default: the indicator's title].")
@click.option("--subtitle", default=None, help="Subtitle [default: unit, fixed selections, periods].")
@click.option("--note", "notes", multiple=True, help="A note under the chart; repeatable.")
@click.option("--size", default=None, metavar="WxH", help="Size in inches (6.3x4.2) or cm (16x10cm) [default: 6.3x4.2].")
@vintage_option
@click.option("--format", "fmt", type=click.Choice(list(CHART_FORMATS)), default=None,
              help="Output format [default: from the --out suffix; given, it must agree with it].")
@out_option("Output file: .svg, .png or .pdf.")
@live_option
@offline_option
@refresh_option
@timeout_option
@data_dir_option
def chart_cmd(indicator, kind, where, series, highlight, base_period, since, until, lang, title, subtitle, notes,
              size, vintage, fmt, out, live, offline, refresh, data_dir):
    """Draw a report-ready chart (SVG, PNG or PDF) with title, unit, notes and source line.

    '--out - --format svg' writes the SVG to standard output.

    The same data and options give byte-identical files. Several indicators draw an
    indexed chart (each rebased to 100 in --base-period); scope a filter to one of them
    with --where ID:DIM=CODE.

    Example:


    \b
        udsattestat chart homelessness --out homelessness.svg
        udsattestat chart poverty --kind timeseries --series age --lang en --out poverty.png
        udsattestat chart homelessness poverty drug-deaths --kind indexed --base-period 2019 --out growth.pdf
    """
    from ..atomic import check_output_path
    from ..charts.defaults import default_kind
    from ..charts.kinds import for_several, get
    from ..toml_schema import given

    indicators = tuple(check_indicator(i) for i in indicator)
    from ..formats import resolve_format

    if out == "-":
        if fmt != "svg":
            raise OutputError("--out - (standard output) takes an SVG chart: give --format svg, "
                              "or --out NAME.png/.pdf for the binary formats")
    else:
        resolve_format(out, fmt, CHART_FORMATS)  # --format and the suffix agree, before any work
        check_output_path(out, suffixes=CHART_SUFFIXES)
    size_in = parse_size(size)
    kind = kind or default_kind(given(_meta(indicators[0]).doc.chart), len(indicators))
    spec = get(kind)
    if not spec.several_indicators and len(indicators) > 1:
        raise SelectionError(f"--kind {kind} draws one indicator; several indicators need --kind {for_several()}")
    scoped = split_where(where, indicators)
    if spec.several_indicators:
        import polars as pl

        frames, provs = [], {}
        for ind in indicators:
            frame, prov = load_selection(ind, scoped[ind], lang=lang, vintage=vintage, since=since, until=until,
                                         kind=kind, series=None, unscoped_ok_missing=True,
                                         live=live, offline=offline, refresh=refresh, data_dir=data_dir)
            frames.append(frame)
            provs[ind] = prov
        frame, prov = pl.concat(frames, how="diagonal_relaxed"), provs if len(provs) > 1 else provs[indicators[0]]
        if len(provs) == 1:
            prov = {indicators[0]: provs[indicators[0]]}
    else:
        frame, prov = load_selection(indicators[0], scoped[indicators[0]], lang=lang, vintage=vintage, since=since,
                                     until=until, kind=kind, series=series, live=live, offline=offline,
                                     refresh=refresh, data_dir=data_dir)
    chart = render(kind, frame, prov, lang=lang, title=title, subtitle=subtitle, series=series, highlight=highlight,
                   base_period=base_period, notes=list(notes), size=size_in)
    path = save(chart, out)
    # The chart may be on standard output: the summary goes to standard error then.
    click.echo(f"{path}: {kind} chart of {', '.join(indicators)} ({frame.height} rows)", err=out == "-")


@click.command("table")
@click.argument("indicator", required=True)
@where_option
@since_option
@until_option
@click.option("--pivot", type=click.Choice(["period"]), default=None, help="One column per period.")
@click.option("--change", default=None, metavar="FROM:TO", help="Add change columns (absolute and %) between two periods.")
@lang_option
@vintage_option
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMAT_NAMES), default=None,
              help="Output format [default: from the --out suffix; given, it must agree with it]. csv holds "
                   "numbers as numbers; csv-excel opens right in a spreadsheet (in Danish: ';' and decimal commas).")
@out_option("Output file (.md, .html, .csv, .xlsx, .tex).")
@live_option
@offline_option
@refresh_option
@timeout_option
@data_dir_option
def table_cmd(indicator, where, since, until, pivot, change, lang, vintage, fmt, out, live, offline, refresh,
              data_dir):
    """Write a report table (Markdown, HTML, CSV, XLSX or LaTeX) with its source line.

    Numbers are formatted as in the charts (5.789 and 28,7 % in Danish); XLSX holds real
    numbers with a number format. udsathed-definitions gives the comparison table of the
    ways of counting.

    Example:


    \b
        udsattestat table homelessness --where situation=TOT --where age=TOT --pivot period --change 2019:2022 --out h.md
        udsattestat table udsathed-definitions --lang en --out definitions.xlsx
    """
    from ..atomic import check_output_path
    from ..formats import resolve_format

    indicator = check_indicator(indicator)
    if out == "-":
        if fmt is None or fmt in ("xlsx", "csv-excel"):
            raise OutputError("--out - (standard output) takes a text table: give --format "
                              + ", ".join(f for f in TABLE_FORMAT_NAMES if f not in ("xlsx", "csv-excel")))
    else:
        resolve_format(out, fmt, TABLE_SUFFIXES)  # --format and the suffix agree, before any work
        check_output_path(out)
    span = None
    if change is not None:
        a, sep, b = change.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise SelectionError(f"cannot read --change {change!r}; write FROM:TO, e.g. 2019:2022")
        span = (a.strip(), b.strip())
    from ..charts.defaults import default_kind
    from ..toml_schema import given

    # a dataset with its own table layout ([table]) gets its default selection ([chart])
    meta = _meta(indicator)
    kind = default_kind(given(meta.doc.chart)) if meta.doc.table and not pivot and not span else None
    frame, prov = load_selection(indicator, where, lang=lang, vintage=vintage, since=since, until=until,
                                 kind=kind, series=None, live=live, offline=offline, refresh=refresh,
                                 data_dir=data_dir)
    path = write_table(frame, prov, out, fmt=fmt, lang=lang, pivot=pivot, change=span)
    # The data may be on standard output: the summary goes to standard error then.
    click.echo(f"{path}: table of {indicator} ({frame.height} rows)", err=out == "-")
