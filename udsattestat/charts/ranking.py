"""Ranking: areas (or any categories) sorted by value in one period, one highlighted
(Denmark by default), value written at the end of each bar."""

from __future__ import annotations

from ..errors import SelectionError
from .common import (
    CONTEXT,
    HIGHLIGHT,
    HOLLOW_STATUSES,
    PALETTE,
    SMALL,
    all_approximate,
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
from .finish import compose
from .kinds import ChartKind
from .levels import _value_text

#: Areas are ranked against each other: a default selection of one area would leave one bar.
KIND = ChartKind("ranking", default_series="geo")
#: More bars than fit a laptop's screen (about 800 CSS px with the chart's texts): only the
#: top ``TOP`` and the highlighted one are drawn, unless a --size asks for all.
MAX_BARS = 15
TOP = 10


def _pick_period(frame, dim):
    """The latest period with the most categories, so a late straggler does not make a
    one-bar ranking."""
    counts = {}
    for r in frame.select("period", "period_start", dim).unique().iter_rows(named=True):
        key = r["period"]
        counts.setdefault(key, [r["period_start"], 0])
        counts[key][1] += 1
    return max(counts, key=lambda p: (counts[p][1], counts[p][0]))


def build(fig, frame, prov, drawing, *, lang, title, subtitle, series, highlight, base_period, notes):
    unit = check_one_unit(frame)
    without_period = frame.drop("period")  # the period is chosen below, not a dimension
    dim = series
    if dim is None:
        dims = [d for d in ("geo",) if frame[d].n_unique() > 1]
        dim = dims[0] if dims else None
    dim = series_dim(frame, dim, allow_none=False)
    del without_period
    period = base_period or _pick_period(frame, dim)
    if base_period is not None and base_period not in set(frame["period"].to_list()):
        raise SelectionError(
            f"period {base_period} is not in the selection; it has: {', '.join(sorted(set(frame['period'].to_list())))}"
        )
    rows = frame.filter(frame["period"] == period)
    if rows.group_by(dim).len()["len"].max() > 1:
        raise SelectionError(f"{period} has several values per {dim}; narrow --where (or --vintage latest)")
    codes = rows[dim].to_list()
    target = highlight if highlight is not None else ("DK" if "DK" in codes else None)
    if highlight is not None and highlight not in codes:
        raise SelectionError(f"--highlight {highlight!r} is not among the ranked codes of {dim}: {', '.join(sorted(codes))}")
    data = sorted(rows.iter_rows(named=True),
                  key=lambda r: (r["value"] if r["value"] is not None else r["value_low"] or 0), reverse=True)
    total, shown_note = len(data), []
    rank = next((i + 1 for i, r in enumerate(data) if r[dim] == target), None)
    if not drawing.size_given and total > MAX_BARS:
        # A long ranking does not fit a laptop's screen: the top of it, and the highlighted
        # area with its place when it is further down (the full list is in the data and tables).
        data = data[:TOP] + ([data[rank - 1]] if rank and rank > TOP else [])
        if rank and rank > TOP:
            label = code_label(frame, dim, target, lang, prov)
            shown_note.append(words(lang)["top_shown_and"].format(top=TOP, total=total, label=label, rank=rank))
        else:
            shown_note.append(words(lang)["top_shown"].format(top=TOP, total=total))
    if not drawing.size_given:
        if len(data) > 10:
            # About a quarter inch per bar keeps the area names apart.
            fig.set_size_inches(fig.get_figwidth(), 1.9 + 0.26 * len(data))
        elif len(data) <= 4:
            # A few bars: a shorter figure, not bars as thick as a thumb.
            fig.set_size_inches(fig.get_figwidth(), 2.0 + 0.5 * len(data))
        else:
            fig.set_size_inches(fig.get_figwidth(), max(fig.get_figheight(), 2.4 + 0.3 * len(data)))
    decimals = shared_decimals(data)
    ax = fig.subplots()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    n = len(data)
    mark = marks_approximate(data)
    any_hollow = False
    top_value = max((r["value"] if r["value"] is not None else r["value_high"]) or 0 for r in data)
    for i, r in enumerate(data):
        y = n - 1 - i
        color = HIGHLIGHT if r[dim] == target else (PALETTE[0] if target is None else CONTEXT)
        hollow = mark and r["status"] in HOLLOW_STATUSES
        any_hollow |= hollow
        left = r["value"] if r["value"] is not None else r["value_low"]
        ax.barh([y], [left], height=0.68, zorder=2, **bar_style(color, hollow))
        end = left
        if r["value"] is None:
            ax.errorbar([(r["value_low"] + r["value_high"]) / 2], [y],
                        xerr=[[(r["value_high"] - r["value_low"]) / 2]] * 2, fmt="none",
                        ecolor="#222222", elinewidth=1.6, capsize=3, zorder=3)
            end = r["value_high"]
        drawing.end_label(ax, ax.annotate(_value_text(r, unit, lang, decimals), (end, y), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=SMALL,
                    fontweight="bold" if r[dim] == target else "normal", color="#222222"))
    ax.set_yticks(range(n))
    ax.set_yticklabels([code_label(frame, dim, r[dim], lang, prov) for r in reversed(data)])
    for lbl, r in zip(ax.get_yticklabels(), reversed(data), strict=False):
        if r[dim] == target:
            lbl.set_fontweight("bold")
    ax.set_ylim(-0.6, n - 0.4)
    # Room at the right for the longest value label.
    ax.set_xlim(0, top_value * 1.12)
    number_axis(ax.xaxis, lang, unit)
    ax.spines["left"].set_visible(True)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if subtitle is None:
        from .finish import default_subtitle

        subtitle = default_subtitle(rows, prov, lang, unit, drawn=(dim,))
        if period_label(period, None, lang) not in subtitle:
            subtitle += f" · {period_label(period, None, lang)}"
    auto = shown_note + ([words(lang)["hollow_note"]] if any_hollow else [])
    if all_approximate(data):
        auto.append(words(lang)["all_approx"])
    summary = _summary(data, dim, target, rank, total, unit, lang, decimals, frame, prov)
    return compose(fig, rows, prov, drawing, lang=lang, title=title, subtitle=subtitle, notes=notes, unit=unit,
                   drawn=(dim,), auto_notes=auto, summary=summary)


def _summary(data, dim, target, rank, total, unit, lang, decimals, frame, prov) -> list[str]:
    """The top three and the highlighted one with its place, for the chart's description."""
    def name(r):
        return code_label(frame, dim, r[dim], lang, prov)

    out = ["; ".join(f"{name(r)} {_value_text(r, unit, lang, decimals)}" for r in data[:3])]
    if rank:
        r = next(r for r in data if r[dim] == target)
        out.append(words(lang)["ranked"].format(label=name(r), rank=rank, total=total,
                                                value=_value_text(r, unit, lang, decimals)))
    return out
