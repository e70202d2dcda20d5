"""Levels with a sub-group: per period a bar for the total and, inside it, narrower bars
for the sub-groups (e.g. persons in poverty: everyone, and of them children)."""

from __future__ import annotations

from ..errors import SelectionError
from ..formatting import PERCENT_UNITS, format_number, format_range, format_value
from .common import (
    CONTEXT,
    HOLLOW_STATUSES,
    PALETTE,
    SMALL,
    all_approximate,
    approx_legend_patch,
    bar_style,
    check_one_unit,
    code_label,
    marks_approximate,
    number_axis,
    period_label,
    series_dim,
    shared_decimals,
    words,
)
from .finish import TOTAL_CODES, compose
from .kinds import ChartKind

KIND = ChartKind("levels")


def _value_text(row, unit, lang, decimals=None):
    """A value label; ``decimals`` shared by the chart, or as published when None."""
    if row["value"] is None:
        if decimals is None:
            return format_range(row["value_low"], row["value_high"], unit, lang)
        text = f"{format_number(row['value_low'], lang, decimals)}–{format_number(row['value_high'], lang, decimals)}"
        return f"{text} %" if unit in PERCENT_UNITS else text
    text = format_value(row["value"], unit, lang, decimals)
    # "ca." only for rounded figures; an uncertain value is exact but disputed (hatched, noted).
    return f"{words(lang)['approx']} {text}" if row["status"] == "approximate" else text


def draw_bar(ax, x, width, row, color, *, lang, unit, label=None, label_inside=False, show_value=True,
             decimals=None, upright=False, mark=True):
    """One bar; approximate values are lighter and hatched (when ``mark``: not every value
    is), a range is a bar to its low end with the span to its high end drawn on top (no
    invented midpoint)."""
    hollow = mark and row["status"] in HOLLOW_STATUSES
    top = row["value"] if row["value"] is not None else row["value_low"]
    ax.bar([x], [top], width=width, zorder=2, **bar_style(color, hollow))
    if label:
        # A solid proxy: the legend shows the group's colour, not one bar's hatching.
        ax.bar([x], [0], width=0, color=color, label=label)
    if row["value"] is None:
        ax.errorbar([x], [(row["value_low"] + row["value_high"]) / 2],
                    yerr=[[(row["value_high"] - row["value_low"]) / 2]] * 2,
                    fmt="none", ecolor="#222222", elinewidth=1.6, capsize=3, zorder=3)
    if show_value:
        high = row["value_high"] if row["value"] is None else top
        if upright:
            # Too narrow for labels side by side (a phone): written upwards from the bar's top.
            ax.annotate(_value_text(row, unit, lang, decimals), (x, high), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", rotation=90, fontsize=SMALL, color="#222222", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
        elif label_inside:
            ax.annotate(_value_text(row, unit, lang, decimals), (x, top), xytext=(0, -3), textcoords="offset points",
                        ha="center", va="top", fontsize=SMALL, color="white" if not hollow else "#222222", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none") if hollow else None)
        else:
            # A white backing keeps the label readable where it sits on a hatched bar.
            ax.annotate(_value_text(row, unit, lang, decimals), (x, high), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=SMALL, color="#222222", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
    return hollow


def build(fig, frame, prov, drawing, *, lang, title, subtitle, series, highlight, base_period, notes):
    unit = check_one_unit(frame)
    dim = series_dim(frame, series, allow_none=False)
    codes = list(dict.fromkeys(frame[dim].to_list()))
    total = next((c for c in TOTAL_CODES if c in codes), None)
    if highlight is not None:
        if highlight not in codes:
            raise SelectionError(f"--highlight {highlight!r} is not a code of {dim}; valid: {', '.join(codes)}")
        total = highlight
    if total is None:
        total = codes[0]
    subs = [c for c in codes if c != total]
    periods = frame.sort("period_start")["period"].unique(maintain_order=True).to_list()
    ax = fig.subplots()
    n = len(subs)
    sub_w = 0.72 * 0.8 / max(n, 1)
    show_values = len(periods) * (n + 1) <= 24
    # A value label ("ca. 250.000" at 8.5 pt) is about 0.75 inch wide; with less room than
    # about 0.9 inch per period (a phone) the labels stand upright so they never collide.
    upright = (fig.get_figwidth() - 1.0) / max(len(periods), 1) < 0.9
    mark = marks_approximate(list(frame.iter_rows(named=True)))
    decimals = shared_decimals(frame.iter_rows(named=True))
    any_hollow = False
    any_range = False
    labelled: set[str] = set()
    for i, period in enumerate(periods):
        rows = {r[dim]: r for r in frame.filter(frame["period"] == period).iter_rows(named=True)}
        if sum(1 for r in frame.filter((frame["period"] == period) & (frame[dim] == total)).iter_rows()) > 1:
            raise SelectionError(f"period {period} has several values for {total}; narrow --where")
        t = rows.get(total)
        if t is not None:
            any_hollow |= draw_bar(ax, i, 0.72, t, CONTEXT, lang=lang, unit=unit,
                                   label=None if total in labelled else code_label(frame, dim, total, lang, prov),
                                   show_value=show_values, decimals=decimals, upright=upright, mark=mark)
            any_range |= t["value"] is None
            labelled.add(total)
        for j, code in enumerate(subs):
            r = rows.get(code)
            if r is None:
                continue
            x = i - 0.72 * 0.4 + sub_w * (j + 0.5)
            top = r["value"] if r["value"] is not None else r["value_low"]
            t_top = (t["value"] if t is not None and t["value"] is not None else t["value_low"]) if t is not None else None
            inside = t_top is not None and top > 0.82 * t_top and r["value"] is not None
            any_hollow |= draw_bar(ax, x, sub_w, r, PALETTE[j % len(PALETTE)], lang=lang, unit=unit,
                                   label=None if code in labelled else code_label(frame, dim, code, lang, prov),
                                   label_inside=inside and not upright, show_value=show_values, decimals=decimals,
                                   upright=upright, mark=mark)
            any_range |= r["value"] is None
            labelled.add(code)
    ax.set_xticks(range(len(periods)))
    ax.set_xticklabels([period_label(p, None, lang) for p in periods])
    ax.set_xlim(-0.6, len(periods) - 0.4)
    ax.tick_params(axis="x", length=0)
    number_axis(ax.yaxis, lang, unit)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    from .timeseries import place_legend

    extra = []
    if any_hollow:
        extra.append(approx_legend_patch(lang))
    if any_range:
        from matplotlib.lines import Line2D

        extra.append(Line2D([], [], linestyle="none", marker="|", markersize=11, markeredgewidth=1.8,
                            color="#222222", label=words(lang)["range"]))
    place_legend(ax, extra, drawing, ncol_max=2)
    auto = [words(lang)["all_approx"]] if all_approximate(list(frame.iter_rows(named=True))) else []
    summary = ["; ".join(f"{code_label(frame, dim, r[dim], lang, prov)} {period_label(r['period'], None, lang)}: "
                         f"{_value_text(r, unit, lang, decimals)}" for r in frame.sort("period_start").iter_rows(named=True))]
    return compose(fig, frame, prov, drawing, lang=lang, title=title, subtitle=subtitle, notes=notes, unit=unit,
                   drawn=(dim,), auto_notes=auto, summary=summary)
