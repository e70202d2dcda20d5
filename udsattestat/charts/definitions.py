"""The four ways of counting "socialt udsatte" side by side: number of persons and share
of the population in two panels, ranges drawn as ranges, every bar labelled with the
source and the year it comes from. The approaches measure different things, so bars
are never stacked or summed."""

from __future__ import annotations

from .. import presentation
from ..errors import SelectionError
from .common import HOLLOW_STATUSES, PALETTE, bar_style, number_axis, series_dim, words
from .finish import compose
from .levels import _value_text

APPROACH_DIM = "approach"
PANELS = ("persons", "percent")


def latest_per_approach(frame):
    """One row per approach and unit: the latest period (earlier ones are in the table)."""
    return presentation.latest_per(frame, APPROACH_DIM)


def build(fig, frame, prov, *, lang, title, subtitle, series, highlight, base_period, notes):
    if APPROACH_DIM not in frame.columns:
        raise SelectionError(
            "the definitions chart needs an 'approach' dimension (indicator udsathed-definitions); "
            "use --kind timeseries, levels or ranking for this indicator"
        )
    units = sorted(set(frame["unit"].to_list()))
    bad = [u for u in units if u not in PANELS]
    if bad:
        raise SelectionError(f"the definitions chart draws units {', '.join(PANELS)}; drop unit {bad[0]} with --where unit=…")
    # Every dimension but the approach must be fixed (e.g. --where group=ALL).
    series_dim(frame.drop("unit"), APPROACH_DIM)
    rows = latest_per_approach(frame)
    dupes = rows.group_by(APPROACH_DIM, "unit").len().filter(rows.group_by(APPROACH_DIM, "unit").len()["len"] > 1)
    if dupes.height:
        raise SelectionError(f"approach {dupes[APPROACH_DIM][0]} has several values; narrow --where (e.g. vintage)")
    order = presentation.code_order(prov, APPROACH_DIM, frame[APPROACH_DIM].to_list())
    panels = [u for u in PANELS if u in units]
    # Each approach has a bar and a source line under it: about 0.55 inch per approach.
    need = 2.2 + 0.55 * len(order)
    # Drawn for a narrow width (a phone): panels one above the other, names above the bars.
    stacked = not getattr(fig, "_udsat_size_given", True) and fig.get_figwidth() < 5.5
    if stacked:
        # and each approach's name goes above its bar (a phone has no room beside it)
        need = 2.6 + 0.8 * len(order) * len(panels)
    if not getattr(fig, "_udsat_size_given", True):
        fig.set_size_inches(fig.get_figwidth(), max(fig.get_figheight(), need))
    elif fig.get_figheight() < need - 0.05 or fig.get_figwidth() < 5.5:
        raise SelectionError(
            f"the definitions chart of {len(order)} approaches needs at least 5.5 x {need:.1f} inches "
            f"(its bars carry value and source labels); give a larger --size"
        )
    if stacked:
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
        fig.subplots_adjust(hspace=0.25)
    else:
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        fig.subplots_adjust(wspace=0.22)
    n = len(order)
    any_hollow = False
    # Row layout (in rows): the bar's centre and height, the source line under it.
    bar_y, bar_h, src_y = (0.02, 0.34, -0.3) if stacked else (0.12, 0.42, -0.24)
    for k, (ax, unit) in enumerate(zip(axes, panels, strict=True)):
        color = PALETTE[k]
        data = {r[APPROACH_DIM]: r for r in rows.filter(rows["unit"] == unit).iter_rows(named=True)}
        top = max(((r["value"] if r["value"] is not None else r["value_high"]) or 0) for r in data.values())
        for i, code in enumerate(order):
            y = n - 1 - i
            r = data.get(code)
            if r is None:
                ax.annotate("–", (0, y + bar_y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8.5,
                            color="#777777")
                continue
            hollow = r["status"] in HOLLOW_STATUSES
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
            ax._udsat_end_labels = getattr(ax, "_udsat_end_labels", [])
            ax._udsat_end_labels.append(ax.annotate(_value_text(r, unit, lang), (end, y + bar_y), xytext=(3, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=8, color="#222222"))
            ax.annotate(f"{presentation.source_short(prov, r['source'], lang)}; {r['period']}", (0, y + src_y),
                        xytext=(1, 0), textcoords="offset points", ha="left", va="center", fontsize=7,
                        color="#555555")
        ax.set_xlim(0, top * 1.15)
        number_axis(ax.xaxis, lang, unit)
        ax.xaxis.set_major_locator(__import__("matplotlib.ticker", fromlist=["MaxNLocator"]).MaxNLocator(3))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_title(words(lang)["persons_panel" if unit == "persons" else "share_panel"], loc="left",
                     fontsize=9.5, fontweight="bold", color="#333333")
        ax.spines["left"].set_visible(True)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if stacked:
            for i, code in enumerate(order):
                ax.annotate(presentation.short_label(prov, APPROACH_DIM, code, lang, frame), (0, n - 1 - i + 0.4),
                            xytext=(1, 0), textcoords="offset points", ha="left", va="center", fontsize=8.5,
                            color="#222222")
            ax.set_yticks([])
            ax.set_ylim(-0.6, n - 0.4 + 0.2)
    if not stacked:
        axes[0].set_yticks(range(n))
        axes[0].set_yticklabels([presentation.short_label(prov, APPROACH_DIM, c, lang, frame) for c in reversed(order)])
        axes[0].set_ylim(-0.6, n - 0.4)
    auto = [words(lang)["ranges_note"]] if any(r["value"] is None for r in rows.iter_rows(named=True)) else []
    if any_hollow:
        auto.append(words(lang)["hollow_note"])
    caveats = getattr(prov, "caveats", {}).get(lang, [])
    if caveats:
        auto.insert(0, caveats[0])
    if subtitle is None:
        subtitle = {"da": "Antal personer og andel af befolkningen; seneste tal for hver tilgang",
                    "en": "Number of persons and share of the population; latest figure for each approach"}[lang]
    return compose(fig, rows, prov, lang=lang, title=title, subtitle=subtitle, notes=notes, unit="",
                   drawn=(APPROACH_DIM,), auto_notes=auto)
