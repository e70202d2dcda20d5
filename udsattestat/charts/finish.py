"""The finishing step every chart goes through, the way newsrooms ship charts: a title,
a subtitle with the unit, notes (series breaks, revisions, caveats) and a source line
built from the provenance, then a layout that fits the plot between them so nothing is
cut off or overlaps."""

from __future__ import annotations

import textwrap

from .common import SMALL, Chart, Drawing, words

#: Sizes in points, which the page shows as fixed CSS sizes (see common.SMALL): the title
#: 15.3 px, below a page heading's 16.8 px; the notes and source line 11.3 px.
TITLE_SIZE = 11.5
SUBTITLE_SIZE = 9.5
FOOT_SIZE = SMALL
MARGIN_PT = 10
GAP_PT = 6
#: The least room (points) between header and footer for the plot, its ticks and legend
#: when the figure may grow (no size given).
MIN_BAND_PT = 230


def source_line(prov, frame, lang: str) -> str:
    """'Kilde: …' (see :func:`udsattestat.presentation.source_line`)."""
    from ..presentation import source_line as line

    return line(prov, frame, lang)


def _wrap(text: str, width_pt: float, size: float, bold: bool = False) -> str:
    # DejaVu Sans averages about 0.55 em per character (bold 0.62); wrap a little early to be safe.
    chars = max(20, int(width_pt / (size * (0.64 if bold else 0.56))))
    return "\n".join(textwrap.fill(part, chars, break_on_hyphens=False) for part in text.split("\n"))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)" else text + "."


def finish(fig, drawing: Drawing, *, title: str, subtitle: str, source: str, notes: list[str] | tuple, lang: str,
           summary: list[str] | tuple = ()) -> Chart:
    """Add the header and footer and fit the axes between them; returns the :class:`Chart`."""
    width_pt = fig.get_figwidth() * 72 - 2 * MARGIN_PT
    height_pt = fig.get_figheight() * 72
    texts_top = []
    y = MARGIN_PT
    renderer = fig.canvas.get_renderer()

    def place_top(text, size, weight):
        nonlocal y
        t = fig.text(MARGIN_PT / (width_pt + 2 * MARGIN_PT), 1 - y / height_pt, _wrap(text, width_pt, size, weight == "bold"),
                     ha="left", va="top", fontsize=size, fontweight=weight, color="#222222" if weight == "bold" else "#444444",
                     linespacing=1.25)
        y += t.get_window_extent(renderer).height * 72 / fig.dpi + 3
        texts_top.append(t)

    if title:
        place_top(title, TITLE_SIZE, "bold")
    if subtitle:
        place_top(subtitle, SUBTITLE_SIZE, "normal")
    top_pt = y + GAP_PT

    foot = []
    if notes:
        # one short paragraph under one "Anm.:", not a "Note:" line per note
        foot.append(f"{words(lang)['note']}: " + " ".join(_sentence(n) for n in notes))
    if source:
        foot.append(source)
    yb = MARGIN_PT
    for text in reversed(foot):
        is_source = text is source
        t = fig.text(MARGIN_PT / (width_pt + 2 * MARGIN_PT), yb / height_pt, _wrap(text, width_pt, FOOT_SIZE),
                     ha="left", va="bottom", fontsize=FOOT_SIZE, color="#333333" if is_source else "#555555",
                     fontweight="normal", linespacing=1.2)
        yb += t.get_window_extent(renderer).height * 72 / fig.dpi + 2
    bottom_pt = yb + GAP_PT
    if not drawing.size_given and height_pt - top_pt - bottom_pt < MIN_BAND_PT - 1:
        # No size was asked for and the texts leave too little room (a narrow chart wraps
        # its title and source line into many lines): grow the figure and place them again.
        for t in list(fig.texts):
            t.remove()
        fig.set_size_inches(fig.get_figwidth(), (top_pt + bottom_pt + MIN_BAND_PT) / 72)
        return finish(fig, drawing, title=title, subtitle=subtitle, source=source, notes=notes, lang=lang,
                      summary=summary)
    fit_axes(fig, drawing, top_pt=top_pt, bottom_pt=bottom_pt)
    return Chart(fig, title=title, subtitle=subtitle, source=source, notes=list(notes),
                 description=" ".join(_sentence(t) for t in [subtitle, *summary, *notes, source] if t))


def fit_axes(fig, drawing: Drawing, *, top_pt: float, bottom_pt: float):
    """Move the axes so their tick labels, axis labels and legends sit inside the band
    between header and footer (two passes: moving changes the tick labels' extents)."""
    from matplotlib.transforms import Bbox

    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    W, H = fig.bbox.width, fig.bbox.height
    pt = fig.dpi / 72
    placed = None
    widening = any(drawing.end_labels.get(ax) for ax in axes)
    for _ in range(4):
        renderer = fig.canvas.get_renderer()
        for ax in axes:
            if ax in drawing.legend_below:
                _legend_below_ticks(ax, renderer)
            _room_for_end_labels(ax, drawing.end_labels.get(ax, []), renderer)
            _spread_line_labels(ax, drawing.line_labels.get(ax, []), renderer)
        tight = Bbox.union([ax.get_tightbbox(renderer) for ax in axes])
        frame = Bbox.union([ax.get_window_extent(renderer) for ax in axes])
        extra_left = frame.x0 - tight.x0
        extra_right = tight.x1 - frame.x1
        extra_top = tight.y1 - frame.y1
        extra_bottom = frame.y0 - tight.y0
        left = (MARGIN_PT * pt + extra_left) / W
        right = 1 - (MARGIN_PT * pt + extra_right) / W
        top = 1 - (top_pt * pt + extra_top) / H
        bottom = (bottom_pt * pt + extra_bottom) / H
        if right - left < 0.2 or top - bottom < 0.15:
            from ..errors import SelectionError

            raise SelectionError(
                "the chart does not fit its size: too much text for the plot; give a larger --size or fewer notes"
            )
        if (left, right, top, bottom) == placed and not widening:
            # settled: another pass would measure the same extents and place the axes
            # exactly here again (most charts settle after one move; layout is ~40% of a
            # chart's drawing time, see benchmarks/figure_cost.py). Not with end labels:
            # each pass may widen the x range again.
            break
        placed = (left, right, top, bottom)
        fig.subplots_adjust(left=left, right=right, top=top, bottom=bottom)


TOTAL_CODES = ("TOT", "ALL", "COUNTED")


def default_title(prov, lang: str) -> str:
    provs = prov if isinstance(prov, dict) else {"": prov}
    first = next(iter(provs.values()))
    return first.title.get(lang) or first.indicator


def default_subtitle(frame, prov, lang: str, unit: str, *, drawn: tuple[str, ...] = ()) -> str:
    """The unit in words, then what the selection fixed (area, sub-group) and the span, as
    sentences.

    Codes meaning "everyone" (TOT, ALL) are left out: they are what a reader assumes.
    """
    from ..schema import dimension_columns
    from .common import code_label, period_label, unit_label

    lead = ""
    parts = []
    if unit:
        text = unit_label(prov, unit, lang)
        lead = text[:1].upper() + text[1:]
    for dim in ["geo", *dimension_columns(frame.columns)]:
        if dim in drawn or dim not in frame.columns or frame[dim].n_unique() != 1:
            continue
        code = frame[dim][0]
        if code in TOTAL_CODES:
            continue
        label = code_label(frame, dim, code, lang, prov if not isinstance(prov, dict) else None)
        if label:
            parts.append(str(label))
    if "period" in frame.columns and "period_start" in frame.columns:
        ordered = frame.sort("period_start")["period"].to_list()
        if ordered:
            first, last = period_label(ordered[0], None, lang), period_label(ordered[-1], None, lang)
            parts.append(first if first == last else f"{first}–{last}")
    # Sentences, not fragments between dots: "Personer. Hele landet, 2007–2024."
    return " ".join(_sentence(x) for x in (lead, ", ".join(parts)) if x)


def dataset_notes(prov, frame, lang: str) -> list[str]:
    """Caveats a dataset says must stand on every chart of it (``chart_notes`` in its
    dataset.toml, carried in the provenance): ``all`` always, ``<dim>.<code>`` when rows
    with that code are drawn."""
    provs = prov if isinstance(prov, dict) else {getattr(prov, "indicator", ""): prov}
    out: list[str] = []
    for ind, p in provs.items():
        spec = (getattr(p, "extra", None) or {}).get("chart_notes") or {}
        rows = frame.filter(frame["indicator"] == ind) if "indicator" in frame.columns and len(provs) > 1 else frame
        for dim, entry in spec.items():
            if dim == "all":
                texts = [entry]
            elif dim in rows.columns:
                present = set(rows[dim].drop_nulls().to_list())
                texts = [t for code, t in entry.items() if code in present]
            else:
                texts = []
            for t in texts:
                text = t.get(lang) or t.get("en", "")
                if text and text not in out:
                    out.append(text)
    return out


def compose(fig, frame, prov, drawing: Drawing, *, lang: str, title, subtitle, notes, unit: str, drawn=(), auto_notes=(),
            summary=()):
    """Title, subtitle, notes (user's first, then the chart's own, then the dataset's
    required caveats) and the source line; ``summary`` is what the chart shows in a few
    sentences, for the SVG's description (a screen reader reads it)."""
    auto_notes = [*auto_notes, *dataset_notes(prov, frame, lang)]
    all_notes = [*notes, *[n for n in auto_notes if n not in notes]]
    return finish(
        fig,
        drawing,
        title=title if title is not None else default_title(prov, lang),
        subtitle=subtitle if subtitle is not None else default_subtitle(frame, prov, lang, unit, drawn=drawn),
        source=source_line(prov, frame, lang),
        notes=all_notes,
        lang=lang,
        summary=summary,
    )


def _legend_below_ticks(ax, renderer):
    """A legend under the plot sits just below the tick labels, whatever the axes' height."""
    legend = ax.get_legend()
    if legend is None:
        return
    ticks = ax.xaxis.get_tightbbox(renderer)
    if ticks is None:
        return
    frame = ax.get_window_extent(renderer)
    y = (ticks.y0 - frame.y0 - 4 * renderer.points_to_pixels(1)) / frame.height
    legend.set_bbox_to_anchor((0, y), transform=ax.transAxes)


def _room_for_end_labels(ax, labels: list, renderer):
    """Widen the x range until the value labels written after the bars fit inside the axes."""
    if not labels:
        return
    frame = ax.get_window_extent(renderer)
    right = max(t.get_window_extent(renderer).x1 for t in labels)
    if right > frame.x1 - 2:
        x0, x1 = ax.get_xlim()
        # The labels sit at data x; the text's pixel width stays, so grow the range by the overflow.
        over = (right - frame.x1 + 6) / frame.width
        ax.set_xlim(x0, x1 + (x1 - x0) * over / max(0.2, 1 - over))


def _spread_line_labels(ax, labels: list, renderer):
    """Move the names written at the ends of lines apart where the lines end close
    together: overlapping names form a group centred on its lines' ends, groups merging
    until none overlap (each name stays as near its line as the others allow)."""
    if len(labels) < 2:
        return
    pt = renderer.points_to_pixels(1)
    items = sorted(((ax.transData.transform((ax.get_xlim()[0], t.xy[1]))[1], t.get_window_extent(renderer).height + 2 * pt, t)
                    for t in labels), key=lambda item: item[0])
    # groups of consecutive names: [first index, last index], each drawn as one stack
    groups = [[i, i] for i in range(len(items))]

    def stack(g):
        """The centres of the names of group ``g``, stacked and centred on their anchors."""
        heights = [items[k][1] for k in range(g[0], g[1] + 1)]
        anchors = [items[k][0] for k in range(g[0], g[1] + 1)]
        offsets, y = [], 0.0
        for h in heights:
            offsets.append(y + h / 2)
            y += h
        centre = sum(anchors) / len(anchors) - y / 2
        return [centre + o for o in offsets], centre, centre + y

    changed = True
    while changed:
        changed = False
        for j in range(len(groups) - 1):
            _, _, top = stack(groups[j])
            _, bottom, _ = stack(groups[j + 1])
            if top > bottom:
                groups[j:j + 2] = [[groups[j][0], groups[j + 1][1]]]
                changed = True
                break
    for g in groups:
        centres, _, _ = stack(g)
        for k, y in zip(range(g[0], g[1] + 1), centres, strict=True):
            anchor, _h, t = items[k]
            t.xyann = (t.xyann[0], (y - anchor) / pt)
