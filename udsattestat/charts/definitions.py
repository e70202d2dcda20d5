"""Ways of counting one thing side by side (e.g. the four ways of counting "socialt
udsatte"): one bar per code of the compared dimension, one panel per unit (a count and a
share), ranges drawn as ranges, every bar labelled with the source and the period it comes
from. The codes measure different things, so bars are never stacked or summed.

Which dimension is compared and which units are drawn comes from the data and what travels
with it (the codes' order and short labels, the units' words): nothing here names an
indicator.
"""

from __future__ import annotations

from .. import presentation
from ..errors import SelectionError
from .common import (
    HOLLOW_STATUSES,
    PALETTE,
    SMALL,
    all_approximate,
    bar_style,
    join_words,
    marks_approximate,
    number_axis,
    series_dim,
    words,
)
from .finish import compose
from .kinds import ChartKind
from .levels import _value_text

#: One panel per unit (a count, a share): the default selection leaves the unit open.
KIND = ChartKind("definitions", open_dims=("unit",))
#: More panels than this side by side leave no room for the bars.
MAX_PANELS = 3


def build(fig, frame, prov, drawing, *, lang, title, subtitle, series, highlight, base_period, notes):
    # The compared dimension: --series, else the one the dataset's own comparison table is
    # by ([table] by, travelling in the provenance), else the one that still varies once the
    # unit is set aside.
    by = presentation.table_layout(prov).get("by")
    series = series or (by if by in frame.columns else None)
    dims = [d for d in frame.columns if d != "unit"]
    try:
        dim = series_dim(frame.select(dims), series, allow_none=False)
    except SelectionError as exc:
        raise SelectionError(f"the definitions chart compares the codes of one dimension side by side: {exc}") from None
    units = presentation.unit_order(prov, frame["unit"].to_list())
    if len(units) > MAX_PANELS:
        raise SelectionError(f"the definitions chart draws one panel per unit, at most {MAX_PANELS}; "
                             f"choose with --where unit=… (units: {', '.join(units)})")
    rows = presentation.latest_per(frame, dim)  # the latest period of each code (earlier ones are in the table)
    counts = rows.group_by(dim, "unit").len()
    dupes = counts.filter(counts["len"] > 1)
    if dupes.height:
        raise SelectionError(f"{dim} {dupes[dim][0]} has several values; narrow --where (e.g. vintage)")
    order = presentation.code_order(prov, dim, frame[dim].to_list())
    panels = units
    # Each code has a bar and a source line under it: about 0.55 inch per code.
    need = 2.2 + 0.55 * len(order)
    # Drawn for a narrow width (a phone): panels one above the other, names above the bars.
    stacked = not drawing.size_given and fig.get_figwidth() < 5.5
    if stacked:
        # and each code's name goes above its bar (a phone has no room beside it)
        need = 2.6 + 0.8 * len(order) * len(panels)
    if not drawing.size_given:
        fig.set_size_inches(fig.get_figwidth(), max(fig.get_figheight(), need))
    elif fig.get_figheight() < need - 0.05 or fig.get_figwidth() < 5.5:
        raise SelectionError(
            f"the definitions chart of {len(order)} {dim} codes needs at least 5.5 x {need:.1f} inches "
            f"(its bars carry value and source labels); give a larger --size"
        )
    if stacked:
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
        fig.subplots_adjust(hspace=0.25)
    else:
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        fig.subplots_adjust(wspace=0.22)
    from matplotlib.ticker import MaxNLocator

    n = len(order)
    any_hollow = False
    mark = marks_approximate(list(rows.iter_rows(named=True)))
    # Row layout (in rows): the bar's centre and height, the source line under it.
    bar_y, bar_h, src_y = (0.02, 0.34, -0.3) if stacked else (0.12, 0.42, -0.24)
    for k, (ax, unit) in enumerate(zip(axes, panels, strict=True)):
        color = PALETTE[k]
        data = {r[dim]: r for r in rows.filter(rows["unit"] == unit).iter_rows(named=True)}
        top = max(((r["value"] if r["value"] is not None else r["value_high"]) or 0) for r in data.values())
        for i, code in enumerate(order):
            y = n - 1 - i
            r = data.get(code)
            if r is None:
                ax.annotate("–", (0, y + bar_y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=SMALL,
                            color="#777777")
                continue
            hollow = mark and r["status"] in HOLLOW_STATUSES
            any_hollow |= hollow
            if r["value"] is None:
                # A published range: a span from low to high, not a bar from zero.
                ax.barh([y + bar_y], [r["value_high"] - r["value_low"]], left=[r["value_low"]], height=bar_h,
                        color=color, alpha=0.45, zorder=2)
                for edge in (r["value_low"], r["value_high"]):
                    ax.plot([edge, edge], [y + bar_y - bar_h * 0.6, y + bar_y + bar_h * 0.6], color="#222222",
                            linewidth=1.6, zorder=3)
                end = r["value_high"]
            else:
                ax.barh([y + bar_y], [r["value"]], height=bar_h, zorder=2, **bar_style(color, hollow))
                end = r["value"]
            drawing.end_label(ax, ax.annotate(_value_text(r, unit, lang), (end, y + bar_y), xytext=(3, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=SMALL, color="#222222"))
            ax.annotate(f"{presentation.source_short(prov, r['source'], lang)}; {r['period']}", (0, y + src_y),
                        xytext=(1, 0), textcoords="offset points", ha="left", va="center", fontsize=SMALL,
                        color="#555555")
        ax.set_xlim(0, top * 1.15)
        number_axis(ax.xaxis, lang, unit)
        ax.xaxis.set_major_locator(MaxNLocator(3))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        panel = presentation.unit_label(prov, unit, lang)
        ax.set_title(panel[:1].upper() + panel[1:], loc="left", fontsize=9.5, fontweight="bold", color="#333333")
        ax.spines["left"].set_visible(True)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if stacked:
            for i, code in enumerate(order):
                ax.annotate(presentation.short_label(prov, dim, code, lang, frame), (0, n - 1 - i + 0.4),
                            xytext=(1, 0), textcoords="offset points", ha="left", va="center", fontsize=SMALL,
                            color="#222222")
            ax.set_yticks([])
            ax.set_ylim(-0.6, n - 0.4 + 0.2)
    if not stacked:
        axes[0].set_yticks(range(n))
        axes[0].set_yticklabels([presentation.short_label(prov, dim, c, lang, frame) for c in reversed(order)])
        axes[0].set_ylim(-0.6, n - 0.4)
    # Short notes: the dataset's first caveat, then how approximate values are shown (a
    # range needs no note: its label says "70.000–100.000" and its ends are drawn).
    auto = list(getattr(prov, "caveats", {}).get(lang, [])[:1])
    drawn = list(rows.iter_rows(named=True))
    if any_hollow:
        auto.append(words(lang)["hollow_note"])
    elif all_approximate(drawn):
        auto.append(words(lang)["all_approx"])
    if subtitle is None:
        names = [presentation.unit_label(prov, u, lang) for u in panels]
        lead = join_words(names, lang)
        subtitle = (f"{lead[:1].upper()}{lead[1:]}. "
                    + words(lang)["latest_each"].format(dim=presentation.dim_label(prov, dim, lang).lower()))
    summary = [f"{presentation.short_label(prov, dim, r[dim], lang, frame)}: {_value_text(r, r['unit'], lang)} ({r['period']})"
               for code in order for r in drawn if r[dim] == code]
    return compose(fig, rows, prov, drawing, lang=lang, title=title, subtitle=subtitle, notes=notes, unit="",
                   drawn=(dim,), auto_notes=auto, summary=["; ".join(summary)] if summary else [])
