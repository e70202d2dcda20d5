"""Time series: one line per series; a period with no count is a gap, never interpolated;
uncertain or approximate values are hollow markers; ranges are drawn as ranges."""

from __future__ import annotations

from .common import (
    SMALL,
    code_label,
    join_words,
    missing_periods,
    mix,
    normal_step,
    number_axis,
    points,
    segments,
    series_style,
    words,
)
from .kinds import ChartKind

KIND = ChartKind("timeseries")


def draw_lines(ax, groups, lang: str) -> dict:
    """Draw ``[(label, [Point…])]``; return what the legend and the notes need to know.

    Each series has its colour, marker and dash (:func:`series_style`); an approximate
    point is the series' marker drawn open. Several series are labelled at their last
    point when the labels fit beside the plot, else in a legend (:func:`label_lines`)."""
    seen = {"hollow": False, "range": False, "gaps": [], "xs": set(), "series": []}
    for i, (label, pts) in enumerate(groups):
        style = series_style(i)
        color = style["color"]
        step = normal_step([p.x for p in pts])
        runs, gaps = segments(pts, step)
        for k, run in enumerate(runs):
            ax.plot([p.x for p in run], [p.value for p in run], color=color, linestyle=style["linestyle"],
                    marker=None, zorder=2, gid=f"series-{i}-run-{k}")
        for p in pts:
            seen["xs"].add((p.x, p.period))
            if p.value is not None:
                # an open point lies above filled ones: where series meet (an index's base) it stays seen
                ax.plot([p.x], [p.value], linestyle="none", marker=style["marker"], zorder=3.5 if p.hollow else 3,
                        markerfacecolor="white" if p.hollow else color, markeredgecolor=color,
                        markeredgewidth=1.6, gid=f"series-{i}-point-{p.period}")
                seen["hollow"] |= p.hollow
            elif p.low is not None and p.high is not None:
                # A published range: drawn from low to high with caps, no invented midpoint.
                ax.errorbar([p.x], [(p.low + p.high) / 2], yerr=[[(p.high - p.low) / 2], [(p.high - p.low) / 2]],
                            fmt="none", ecolor=color, elinewidth=2.2, capsize=4, capthick=1.6, zorder=3)
                seen["range"] = True
        for a, b in gaps:
            seen["gaps"].append((a, b, step))
        last = next((p for p in reversed(pts) if p.value is not None or p.high is not None), None)
        if label and last is not None:
            seen["series"].append((label, style, last.x, last.value if last.value is not None else last.high))
    return seen


def label_lines(ax, seen: dict, drawing) -> bool:
    """Write each series' name right of the plot at its last value, in its colour, when every
    name fits in about a third of the chart's width (two lines at most); False when they do
    not (a phone): the legend names the series then. :func:`finish.fit_axes` moves the
    names apart where lines end close together."""
    import textwrap

    series = seen["series"]
    if len(series) < 2:
        return len(series) == 1  # one line needs no name: the title says what it is
    room_chars = int(ax.figure.get_figwidth() * 72 * 0.3 / (SMALL * 0.58))
    wrapped = [textwrap.wrap(label, max(room_chars, 8)) for label, *_ in series]
    if any(len(lines) > 2 or max(len(x) for x in lines) > room_chars for lines in wrapped):
        return False
    labels = []
    for (_label, style, _x, y), lines in zip(series, wrapped, strict=True):
        # in one column at the plot's right edge, at the height of the line's last value
        labels.append(ax.annotate("\n".join(lines), (1.0, y), xycoords=("axes fraction", "data"),
                                  xytext=(6, 0), textcoords="offset points",
                                  ha="left", va="center", fontsize=SMALL, fontweight="bold", linespacing=1.1,
                                  color=mix(style["color"], "#000000", 0.25), annotation_clip=False))
    drawing.line_labels[ax] = labels
    return True


def legend_extras(ax, seen: dict, lang: str, *, named: bool = True):
    """Proxy entries: each series (colour, marker and dash) when its line is not labelled
    directly (``named`` False), then what open markers and range bars mean."""
    from matplotlib.lines import Line2D

    extra = []
    if not named:
        for label, style, *_ in seen["series"]:
            extra.append(Line2D([], [], color=style["color"], linestyle=style["linestyle"], marker=style["marker"],
                                markeredgewidth=1.6, label=label))
    if seen["hollow"]:
        extra.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                            markeredgecolor="#555555", markeredgewidth=1.6, label=words(lang)["hollow"]))
    if seen["range"]:
        extra.append(Line2D([], [], linestyle="none", marker="|", markersize=11, markeredgewidth=2.2,
                            color="#555555", label=words(lang)["range"]))
    return extra


def place_legend(ax, extra: list, drawing, ncol_max: int = 3):
    handles, labels = ax.get_legend_handles_labels()
    handles += extra
    labels += [h.get_label() for h in extra]
    if not handles:
        return None
    ncol = legend_columns(ax.figure, labels, ncol_max)
    # Under the plot, outside the data: a legend never hides a line.
    legend = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.1), ncol=ncol,
                       borderaxespad=0, handlelength=2.6, columnspacing=1.2)
    drawing.legend_below.append(ax)  # finish.fit_axes moves it just under the tick labels
    return legend


def legend_columns(fig, labels: list[str], ncol_max: int) -> int:
    """As many columns as fit in the plot's width (estimated from the label lengths), so a
    legend never grows wider than the plot and squeezes it."""
    import matplotlib.pyplot as plt

    size = plt.rcParams["legend.fontsize"]
    size = size if isinstance(size, (int, float)) else 8.5
    room = (fig.get_figwidth() - 1.0) * 72
    for ncol in range(min(ncol_max, len(labels)), 1, -1):
        # matplotlib fills columns top to bottom, the first n % ncol columns one entry longer;
        # estimate each column by its longest label.
        base, extra = divmod(len(labels), ncol)
        columns, start = [], 0
        for i in range(ncol):
            stop = start + base + (1 if i < extra else 0)
            columns.append(labels[start:stop])
            start = stop
        width = sum(max((len(lbl) for lbl in col), default=0) * size * 0.56 + 2.6 * size + 1.2 * size
                    for col in columns if col)
        if width <= room:
            return ncol
    return 1


def line_summary(groups, lang: str, unit: str | None) -> list[str]:
    """Each series in a sentence for the chart's description: its first and last value and
    its highest where that is neither ("Hjemløse: 5.290 i 2007, 5.789 i 2024, højest 6.635 i 2017")."""
    from ..formatting import format_number, format_value
    from .common import period_label, shared_decimals

    out = []
    for label, pts in groups:
        shown = [p for p in pts if p.value is not None]
        if not shown:
            continue
        decimals = shared_decimals([{"value": p.value} for p in shown], limit=1)

        def text(value, decimals=decimals):
            return format_value(value, unit, lang, decimals) if unit else format_number(value, lang, decimals)

        first, last = shown[0], shown[-1]
        top = max(shown, key=lambda p: p.value)
        line = words(lang)["from_to"].format(first=text(first.value), a=period_label(first.period, None, lang),
                                             last=text(last.value), b=period_label(last.period, None, lang))
        if top is not first and top is not last:
            line += ", " + words(lang)["highest"].format(value=text(top.value),
                                                         period=period_label(top.period, None, lang))
        out.append(f"{label}: {line}" if label else line[:1].upper() + line[1:])
    return out


def gap_notes(seen: dict, lang: str) -> list[str]:
    from .common import period_label

    missing: list[str] = []
    between: list[str] = []
    for a, b, step in seen["gaps"]:
        periods = missing_periods(a, b, step)
        if periods:
            for p in periods:
                if p not in missing:
                    missing.append(p)
        else:
            text = words(lang)["gap_between"].format(a=period_label(a.period, None, lang),
                                                     b=period_label(b.period, None, lang))
            if text not in between:
                between.append(text)
    notes = []
    missing.sort()
    if missing:
        notes.append(words(lang)["gap"].format(periods=join_words(missing, lang)))
    return notes + between


def revision_notes(frame, lang: str) -> list[str]:
    """Periods whose shown value replaced an earlier release (said so in the row's note)."""
    if "note" not in frame.columns:
        return []
    revised = sorted({r["period"] for r in frame.iter_rows(named=True)
                      if (r.get("note") or "").lower().startswith("revised")})
    return [words(lang)["revised"].format(periods=join_words(revised, lang))] if revised else []


def value_ticks(axis):
    """At least five labelled values on the value axis (matplotlib's default may label
    only three, e.g. 100, 110 and 120 on an index), on round steps."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10], min_n_ticks=5))


def time_axis(ax, seen: dict, lang: str):
    """Ticks on the periods that exist, thinned to at most ~9, labelled in the language;
    an unlabelled small tick on every period, so each point can be read off the axis."""
    from matplotlib.ticker import FixedLocator

    xs = sorted(seen["xs"])
    if not xs:
        return
    ax.xaxis.set_minor_locator(FixedLocator(sorted({x for x, _ in xs})))
    ax.tick_params(axis="x", which="minor", length=2.5, color="#777777")
    all_years = [x for x, p in xs if p.isdigit()]
    if len(all_years) == len(xs):
        lo, hi = int(min(all_years)), int(max(all_years))
        years = sorted({int(p) for _, p in xs})
        # About 0.5 inch per year label keeps them apart at any figure width.
        max_ticks = max(3, int((ax.figure.get_figwidth() - 0.9) / 0.5))
        per_year = (ax.figure.get_figwidth() - 0.9) / (hi - lo + 1)
        closest = min((b - a for a, b in zip(years, years[1:], strict=False)), default=hi - lo + 1)
        if len(years) <= min(10, max_ticks) and closest * per_year >= 0.45:
            # Few periods (e.g. biennial counts): label exactly the years that were counted.
            ticks = years
        else:
            span = hi - lo
            step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s + 1 <= max_ticks)
            # Counted back from the last year, so the latest period always has its label; the
            # first year too when there is room (an index's base year, where a series starts).
            ticks = list(range(hi, lo - 1, -step))[::-1]
            if ticks[0] != lo and (ticks[0] - lo) * per_year >= 0.5:
                ticks.insert(0, lo)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.set_xticklabels([str(t) for t in ticks])
        ax.set_xlim(lo - 0.5, hi + 0.5)
    else:
        ticks, labels = calendar_ticks(xs, lang, ax.figure.get_figwidth())
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.set_xticklabels(labels)
        pad = (xs[-1][0] - xs[0][0]) * 0.03 or 0.5
        ax.set_xlim(xs[0][0] - pad, xs[-1][0] + pad)


#: periods per year for the sub-annual frequencies whose ticks follow the calendar.
PER_YEAR = {"M": 12, "Q": 4, "H": 2}


def calendar_ticks(xs, lang: str, fig_width: float):
    """Ticks on calendar boundaries (every month, quarter, half-year or January), as many
    as fit the width (about 0.85 inch per 'sep. 2023' label), labelled in the language."""
    import datetime as dt

    from ..periods import parse_period
    from .common import decimal_year, period_label

    first = parse_period(xs[0][1])
    last = parse_period(xs[-1][1])
    max_ticks = max(2, int((fig_width - 0.9) / 0.85))
    per_year = PER_YEAR.get(first.freq)
    if per_year is None:  # weeks, days: thin the observed periods
        every = max(1, -(-len(xs) // max_ticks))
        chosen = xs[::every]
        return [x for x, _ in chosen], [period_label(p, None, lang) for _, p in chosen]
    months = 12 // per_year
    starts = []
    d = dt.date(first.start.year, first.start.month, 1)
    while d <= last.start:
        starts.append(d)
        m = d.month - 1 + months
        d = dt.date(d.year + m // 12, m % 12 + 1, 1)
    for k in (1, 2, 3, 4, 6, 12, 24, 60, 120):
        if k < per_year and per_year % k:
            continue
        if k < per_year:
            chosen = [s for s in starts if ((s.month - 1) // months) % k == 0]
        else:
            chosen = [s for s in starts if s.month == 1 and s.year % (k // per_year) == 0]
        # Year labels are short (about 0.5 inch), month or quarter labels long.
        room = max_ticks if k < per_year else max(3, int((fig_width - 0.9) / 0.5))
        if len(chosen) <= room and chosen:
            break
    if not chosen:
        chosen = [starts[0]]
    labels = []
    for s in chosen:
        if k >= per_year:
            labels.append(str(s.year))
        else:
            code = {"M": f"{s.year}M{s.month:02d}", "Q": f"{s.year}Q{(s.month - 1) // 3 + 1}",
                    "H": f"{s.year}H{(s.month - 1) // 6 + 1}"}[first.freq]
            labels.append(period_label(code, None, lang))
    return [decimal_year(s) for s in chosen], labels


def draw(fig, frame, drawing, *, lang: str, series: str | None, unit: str, ylabel: str | None = None, prov=None
         ) -> tuple[list[str], list[str]]:
    """Draw a time series into ``fig``; returns the notes the chart needs and its summary."""
    ax = fig.subplots()
    if series is None:
        groups = [("", points(frame))]
    else:
        from .finish import TOTAL_CODES

        codes = []
        for c in frame.sort("period_start")[series].to_list():
            if c not in codes:
                codes.append(c)
        # The total first: it is the line a reader looks for, and it gets the main colour.
        codes.sort(key=lambda c: c not in TOTAL_CODES)
        groups = [(code_label(frame, series, c, lang, prov), points(frame.filter(frame[series] == c))) for c in codes]
    seen = draw_lines(ax, groups, lang)
    time_axis(ax, seen, lang)
    number_axis(ax.yaxis, lang, unit)
    value_ticks(ax.yaxis)
    lo = min([p.value for _, g in groups for p in g if p.value is not None]
             + [p.low for _, g in groups for p in g if p.low is not None] or [0])
    if lo >= 0:
        ax.set_ylim(bottom=0)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.05)
    if ylabel:
        ax.set_ylabel(ylabel)
    place_legend(ax, legend_extras(ax, seen, lang, named=label_lines(ax, seen, drawing)), drawing)
    return gap_notes(seen, lang) + revision_notes(frame, lang), line_summary(groups, lang, unit)


def build(fig, frame, prov, drawing, *, lang, title, subtitle, series, highlight, base_period, notes):
    from .common import check_one_unit
    from .finish import compose

    unit = check_one_unit(frame)
    dim = series_dim_for(frame, series)
    auto, summary = draw(fig, frame, drawing, lang=lang, series=dim, unit=unit, prov=prov)
    return compose(fig, frame, prov, drawing, lang=lang, title=title, subtitle=subtitle, notes=notes, unit=unit,
                   drawn=(dim,) if dim else (), auto_notes=auto, summary=summary)


def series_dim_for(frame, series):
    from .common import series_dim

    return series_dim(frame, series)
