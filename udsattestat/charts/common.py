"""What every chart kind shares: words in two languages, period labels, axis number
formats, series detection and the checks that turn a bad selection into one line."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import SelectionError
from ..formatting import PERCENT_UNITS, format_number
from ..presentation import APPROX_STATUSES, shared_decimals  # noqa: F401  (the chart kinds' import)
from ..presentation import CHART_WORDS as WORDS  # noqa: E402  (the words live in presentation)
from ..schema import dimension_columns

STYLE = "udsattestat.charts.house"
#: Okabe & Ito; the first colour is the main series, grey is for context.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Each series also has its own marker and dash, so two series stay apart in greyscale print
#: and for readers who do not tell the colours apart (two Okabe & Ito colours can print as
#: the same grey: blue #0072B2 and green #009E73 do).
#: Shapes with room inside come first: an approximate value is the marker drawn open, and
#: a small open triangle hardly shows its white centre.
MARKERS = ("o", "s", "D", "p", "h", "^", "v", "8")
DASHES = ("-", (0, (5, 2)), (0, (1.2, 1.6)), (0, (6, 2, 1.5, 2)), (0, (2.5, 2.5)), (0, (8, 2.5)), (0, (1, 3)),
          (0, (4, 1.5, 1, 1.5, 1, 1.5)))

#: Text sizes in points. The page shows a chart at its natural size (1 pt = 4/3 CSS px),
#: whatever the screen's width, so these are fixed CSS sizes: the smallest text 8.5 pt is
#: 11.3 px, the title 11.5 pt 15.3 px — never larger than the page's own headings.
SMALL = 8.5
HIGHLIGHT = "#D55E00"
CONTEXT = "#9AA5B1"
HOLLOW_STATUSES = APPROX_STATUSES
#: Approximate or uncertain bars: a light tint of the bar's colour, diagonal lines in a
#: dark shade of it and an outline. The hatch has its own colour (matplotlib otherwise
#: draws an SVG/PDF hatch in the edge colour), so the pattern shows in SVG, PDF and PNG,
#: and the light/dark contrast survives greyscale printing.
APPROX_HATCH = "////"


MONTHS = {
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def mix(color: str, other: str, t: float) -> str:
    """``color`` moved the fraction ``t`` towards ``other`` (both '#RRGGBB')."""
    from matplotlib.colors import to_hex, to_rgb

    a, b = to_rgb(color), to_rgb(other)
    return to_hex(tuple(x + (y - x) * t for x, y in zip(a, b, strict=True)))


def series_style(i: int) -> dict:
    """The colour, marker and dash of the ``i``-th series."""
    return {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": DASHES[i % len(DASHES)]}


def marks_approximate(rows) -> bool:
    """Whether approximate values get a mark of their own: only when some values are exact.
    When every value drawn is approximate, hatching every bar marks nothing; one note says
    it instead (:func:`all_approximate_note`)."""
    statuses = [r["status"] in HOLLOW_STATUSES for r in rows if r.get("value") is not None]
    return any(statuses) and not all(statuses)


def all_approximate(rows) -> bool:
    statuses = [r["status"] in HOLLOW_STATUSES for r in rows if r.get("value") is not None]
    return bool(statuses) and all(statuses)


def bar_style(color: str, approximate: bool) -> dict:
    """matplotlib bar/barh keywords: solid for a figure as published, tinted, hatched and
    outlined for an approximate or uncertain one."""
    if not approximate:
        return {"color": color, "edgecolor": color, "linewidth": 0.8}
    return {"facecolor": mix(color, "#FFFFFF", 0.72), "edgecolor": mix(color, "#000000", 0.25),
            "hatch": APPROX_HATCH, "hatchcolor": mix(color, "#000000", 0.35), "linewidth": 1.0}


def approx_legend_patch(lang: str):
    """The legend entry for approximate bars, drawn exactly like them (in neutral grey)."""
    from matplotlib.patches import Patch

    return Patch(label=WORDS[lang]["hollow_bar"], **bar_style("#777777", True))


def words(lang: str) -> dict[str, str]:
    return WORDS[lang]


@contextmanager
def house_style():
    """The house style sheet, applied while a figure is built and while it is saved."""
    import matplotlib

    matplotlib.use("Agg", force=False) if matplotlib.get_backend().lower() != "agg" else None
    import matplotlib.pyplot as plt

    with plt.style.context(STYLE):
        yield


def period_label(period: str, freq: str | None, lang: str) -> str:
    """'2025M03' -> 'mar. 2025' / 'Mar 2025'; '2025K1' -> '1. kvt. 2025' / 'Q1 2025'."""
    from ..periods import parse_period

    try:
        p = parse_period(period)
    except Exception:  # a label is never worth failing a chart for
        return period
    if p.freq == "M":
        return f"{MONTHS[lang][p.start.month - 1]} {p.start.year}"
    if p.freq == "Q":
        q = (p.start.month - 1) // 3 + 1
        return f"{q}. kvt. {p.start.year}" if lang == "da" else f"Q{q} {p.start.year}"
    if p.freq == "H":
        h = 1 if p.start.month <= 6 else 2
        return f"{h}. halvår {p.start.year}" if lang == "da" else f"H{h} {p.start.year}"
    return period


def decimal_year(d) -> float:
    """A date as a position on a time axis in years (2019-07-01 -> about 2019.5)."""
    import datetime as dt

    start = dt.date(d.year, 1, 1)
    days = (dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def is_percent(unit: str | None) -> bool:
    return unit in PERCENT_UNITS


def axis_number(value: float, lang: str, step: float | None = None, unit: str | None = None) -> str:
    """A tick label: as many decimals as the tick step needs, in the language's style."""
    decimals = 0
    if step:
        # a step of 2.5 needs one decimal too: "2,5 %", never "2 %" for 2.5
        decimals = next((d for d in range(4) if abs(round(step, d) - step) < 1e-9 * max(1.0, step)), 3)
    if abs(value) < 1e-12:
        value = 0.0
    text = format_number(value, lang, decimals)
    return f"{text} %" if is_percent(unit) else text


def number_axis(axis, lang: str, unit: str | None = None):
    """Install a Danish/English number formatter on a matplotlib Axis."""
    from matplotlib.ticker import FuncFormatter

    def fmt(value, pos):
        locs = axis.get_majorticklocs()
        step = abs(locs[1] - locs[0]) if len(locs) > 1 else None
        return axis_number(value, lang, step, unit)

    axis.set_major_formatter(FuncFormatter(fmt))


def unit_label(prov, unit: str, lang: str) -> str:
    """The unit in words, from the provenance (:mod:`udsattestat.presentation`)."""
    from ..presentation import unit_label as label

    return label(prov, unit, lang)


def require_rows(frame, kind: str):
    if frame is None or frame.is_empty():
        raise SelectionError(f"nothing to draw as {kind}: the selection is empty; loosen --where/--since/--until")
    return frame


def varying_dims(frame, exclude: tuple[str, ...] = ()) -> list[str]:
    """The dimensions (geo first) that take more than one code in ``frame``."""
    dims = ["geo", *dimension_columns(frame.columns)]
    return [d for d in dims if d not in exclude and d in frame.columns and frame[d].n_unique() > 1]


def check_one_unit(frame):
    units = sorted(set(frame["unit"].drop_nulls().to_list()))
    if len(units) > 1:
        raise SelectionError(
            f"the selection mixes units ({', '.join(units)}) that cannot share an axis; "
            f"add --where unit={units[0]} (or one of {', '.join(units)})"
        )
    return units[0] if units else ""


def code_choices(frame, dim: str) -> str:
    return ",".join(sorted(set(str(c) for c in frame[dim].drop_nulls().to_list())))


def series_dim(frame, series: str | None, *, allow_none: bool = True) -> str | None:
    """Decide which dimension is drawn as separate series; every other one must be fixed.

    A selection that still varies in more than one dimension cannot be one chart: the
    error names the ``--where`` that would fix it.
    """
    dims = ["geo", *dimension_columns(frame.columns)]
    if series is not None and series not in dims:
        raise SelectionError(f"unknown dimension {series!r} for --series; this indicator has: {', '.join(dims)}")
    varying = varying_dims(frame, exclude=(series,) if series else ())
    if series is None and len(varying) == 1:
        return varying[0]
    if series is None and not varying:
        if allow_none:
            return None
        raise SelectionError(
            f"only one series in the selection; this chart compares several: widen --where or choose --series from: {', '.join(dims)}"
        )
    if varying:
        hints = "; ".join(f"--where {d}={code_choices(frame, d).split(',')[0]} (codes: {code_choices(frame, d)})" for d in varying)
        lead = f"--series is {series}, so " if series else ""
        raise SelectionError(
            f"the selection varies in {', '.join(varying)}; {lead}a chart can split by one dimension only: "
            f"add {hints}" + ("" if series else f", or choose one with --series {varying[0]}")
        )
    return series


@dataclass
class Drawing:
    """What the steps of drawing one chart tell each other, kept beside the figure instead of
    pinned on matplotlib's objects: :func:`render` tells the kind whether it may grow the
    figure; the kind tells :func:`finish.finish` which labels need room and which legends
    move under the tick labels."""

    #: the caller gave a size: a kind must not grow the figure (its natural height may)
    size_given: bool = False
    #: axes -> the value labels written after its bars (finish widens the x range for them)
    end_labels: dict[Any, list] = field(default_factory=dict)
    #: axes -> the names written at the ends of its lines (finish moves them apart)
    line_labels: dict[Any, list] = field(default_factory=dict)
    #: axes whose legend sits just under the tick labels
    legend_below: list = field(default_factory=list)

    def end_label(self, ax, label) -> None:
        self.end_labels.setdefault(ax, []).append(label)


@dataclass
class Chart:
    """A drawn chart: its matplotlib figure and what its files say about it (the title and
    source line in the file's metadata, the description an SVG carries for screen readers)."""

    figure: Any
    title: str = ""
    subtitle: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class Point:
    x: float
    period: str
    value: float | None
    low: float | None
    high: float | None
    hollow: bool
    source: str
    note: str


def code_label(frame, dim: str, code, lang: str, prov=None) -> str:
    """A code's label in ``lang`` from the provenance (both languages travel there; the
    frame's own labels are in the language it was loaded in), else the frame's."""
    from ..presentation import code_label as label

    return label(prov, dim, code, lang, frame)


def points(frame) -> list[Point]:
    """One point per row, in time order; several rows for one period is a selection error."""
    import polars as pl

    frame = frame.sort("period_start")
    dup = frame.group_by("period").len().filter(pl.col("len") > 1)
    if dup.height:
        raise SelectionError(
            f"period {sorted(dup['period'].to_list())[0]} has several values in one series; "
            "narrow --where (or use --vintage latest, not all)"
        )
    out = []
    for r in frame.iter_rows(named=True):
        out.append(
            Point(
                x=decimal_year(r["period_start"]),
                period=r["period"],
                value=r["value"],
                low=r["value_low"],
                high=r["value_high"],
                hollow=r["status"] in HOLLOW_STATUSES,
                source=r["source"] or "",
                note=r.get("note") or "",
            )
        )
    return out


def normal_step(xs: list[float]) -> float | None:
    """The series' usual distance between periods (the most common one, the smallest on a tie)."""
    if len(xs) < 2:
        return None
    diffs = [round(b - a, 2) for a, b in zip(xs, xs[1:], strict=False)]
    counts: dict[float, int] = {}
    for d in diffs:
        counts[d] = counts.get(d, 0) + 1
    best = max(counts.values())
    return min(d for d, c in counts.items() if c == best)


def segments(pts: list[Point], step: float | None) -> tuple[list[list[Point]], list[tuple[Point, Point]]]:
    """Split a series into runs drawn as connected lines; a gap wider than the normal step,
    or a range-only observation, ends a run. Returns (runs, gaps)."""
    runs: list[list[Point]] = []
    gaps: list[tuple[Point, Point]] = []
    current: list[Point] = []
    prev: Point | None = None
    for p in pts:
        if prev is not None and step is not None and p.x - prev.x > step * 1.25 + 1e-9:
            gaps.append((prev, p))
            if current:
                runs.append(current)
            current = []
        if p.value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(p)
        prev = p
    if current:
        runs.append(current)
    return runs, gaps


def missing_periods(a: Point, b: Point, step: float | None) -> list[str]:
    """The annual periods between two points that have no count (only for yearly data)."""
    if step is None or abs(step - round(step)) > 0.01 or not (a.period.isdigit() and b.period.isdigit()):
        return []
    s = max(1, int(round(step)))
    years = list(range(int(a.period) + s, int(b.period), s)) or list(range(int(a.period) + 1, int(b.period)))
    if len(years) > 2 and s == 1:
        return [f"{years[0]}–{years[-1]}"]
    return [str(y) for y in years]


def join_words(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {WORDS[lang]['and']} {items[-1]}"


