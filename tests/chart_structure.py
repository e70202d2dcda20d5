"""A chart as a reader sees it, written down: its marks, texts and colours.

The chart regression tests compare this description of each rendered figure with the one
committed in tests/baselines/charts/ (one JSON file per chart, one mark or text per line),
rather than the bytes of an SVG: the bytes change with any matplotlib release (path
precision, ids, the order of defs), what a reader sees does not. Geometry is kept in data
coordinates, rounded; layout positions, which follow font metrics, are left out; the
figure size is kept to a tenth of an inch.

After an intended change to a chart, regenerate the expectations and read the diff — it
says which marks, texts or colours changed, chart by chart:

    python tests/chart_structure.py --update              # every chart
    python tests/chart_structure.py --update ranking-da   # one chart
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

BASELINES = Path(__file__).parent / "baselines" / "charts"


def _num(v, digits: int = 3):
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    r = round(v, digits)
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def _sig(v, figures: int = 3):
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return _num(v)
    return _num(round(v, figures - 1 - math.floor(math.log10(abs(v)))), 6)


def _colour(c) -> str | None:
    from matplotlib.colors import to_hex

    if c is None or (isinstance(c, str) and c == "none"):
        return None
    try:
        return to_hex(c, keep_alpha=True)
    except ValueError:
        return str(c)


def _colours(array) -> list:
    return [_colour(tuple(c)) for c in array] if array is not None and len(array) else []


def _text(t) -> dict | None:
    s = t.get_text()
    if not s or not t.get_visible():
        return None
    return {"text": s, "colour": _colour(t.get_color()), "size": _num(t.get_fontsize(), 1),
            "weight": str(t.get_fontweight()), "style": t.get_fontstyle()}


def _line(ln) -> dict | None:
    if not ln.get_visible():
        return None
    drawn = ln.get_linestyle() not in ("None", "", " ")
    out = {"mark": "line" if drawn else "points", "label": ln.get_label() if not ln.get_label().startswith("_") else None,
           "marker": str(ln.get_marker()) if ln.get_marker() not in (None, "None", "", " ") else None}
    if drawn:  # a line's colour, width and dashes; for markers alone only the markers show
        out.update(colour=_colour(ln.get_color()), width=_num(ln.get_linewidth(), 2), style=ln.get_linestyle())
    if out["marker"]:
        out["marker_size"] = _num(ln.get_markersize(), 1)
        out["marker_face"] = _colour(ln.get_markerfacecolor())
        out["marker_edge"] = _colour(ln.get_markeredgecolor())
    xs, ys = ln.get_xdata(orig=False), ln.get_ydata(orig=False)
    out["points"] = [[_num(x), _num(y)] for x, y in zip(_plain(xs), _plain(ys), strict=False)]
    return out


def _plain(values) -> list:
    import numpy as np

    arr = np.asarray(values)
    if arr.dtype.kind in "Mm":  # dates: days since the epoch, as matplotlib plots them
        from matplotlib.dates import date2num

        return list(date2num(arr))
    try:
        return [float(v) for v in arr]
    except (TypeError, ValueError):
        return [str(v) for v in arr]


def _patch(p) -> dict | None:
    from matplotlib.patches import Rectangle

    if not p.get_visible():
        return None
    out = {"mark": type(p).__name__, "face": _colour(p.get_facecolor()) if p.get_fill() else None,
           "edge": _colour(p.get_edgecolor()) if p.get_linewidth() else None, "hatch": p.get_hatch()}
    if isinstance(p, Rectangle):
        if p.get_width() == 0 or p.get_height() == 0:
            return None  # nothing to see (a legend's stand-in, an empty bar)
        out["box"] = [_num(p.get_x()), _num(p.get_y()), _num(p.get_width()), _num(p.get_height())]
    return out


def _collection(c) -> dict | None:
    if not c.get_visible():
        return None
    out = {"mark": type(c).__name__, "label": c.get_label() if not str(c.get_label()).startswith("_") else None,
           "face": _colours(c.get_facecolor()), "edge": _colours(c.get_edgecolor()),
           "hatch": c.get_hatch()}
    offsets = c.get_offsets()
    if offsets is not None and len(offsets) and c.get_offset_transform() is c.axes.transData:
        out["points"] = [[_num(x), _num(y)] for x, y in offsets]
    paths = c.get_paths()
    if paths and type(c).__name__ in ("PolyCollection", "FillBetweenPolyCollection"):
        out["areas"] = [[[_num(x), _num(y)] for x, y in p.vertices] for p in paths]
    return out


def _ticks(locations, labels, limits) -> list[dict]:
    """The tick labels a reader sees: those inside the axis limits, with text."""
    low, high = sorted(limits)
    return [t for loc, label in zip(locations, labels, strict=False) if low <= loc <= high
            for t in [_text(label)] if t]


def _axes(ax) -> dict:
    legend = ax.get_legend()
    return {
        "title": [t for t in (ax.get_title(loc) for loc in ("left", "center", "right")) if t],
        "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
        # limits to three significant figures: some make room for labels, measured in the font
        "xlim": [_sig(v) for v in ax.get_xlim()], "ylim": [_sig(v) for v in ax.get_ylim()],
        "xticks": _ticks(ax.get_xticks(), ax.get_xticklabels(), ax.get_xlim()),
        "yticks": _ticks(ax.get_yticks(), ax.get_yticklabels(), ax.get_ylim()),
        "marks": [m for m in [*(_line(ln) for ln in ax.get_lines()), *(_patch(p) for p in ax.patches),
                              *(_collection(c) for c in ax.collections)] if m],
        "texts": [t for t in (_text(t) for t in ax.texts) if t],
        "legend": [t for t in (_text(t) for t in legend.get_texts()) if t] if legend else [],
        "grid": {"x": any(g.get_visible() for g in ax.xaxis.get_gridlines()),
                 "y": any(g.get_visible() for g in ax.yaxis.get_gridlines())},
    }


def describe(fig) -> dict:
    """What a reader sees of ``fig``: its size, texts, and each axes' marks and texts."""
    fig.canvas.draw()  # ticks and legends as they are drawn
    return {
        "size": [_num(fig.get_figwidth(), 1), _num(fig.get_figheight(), 1)],
        "texts": [t for t in (_text(t) for t in fig.texts) if t],
        "axes": [_axes(ax) for ax in fig.axes if ax.get_visible()],
    }


def _leaf(value) -> bool:
    """Written on one line: a mark, a text, a pair of limits, a list of points."""
    if isinstance(value, dict):
        return "mark" in value or "text" in value or all(not isinstance(v, (dict, list)) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(
            not isinstance(x, (dict, list)) for x in v)) for v in value)
    return True


def dumps(description: dict) -> str:
    """JSON with one mark, text or tick per line, so that a diff reads as a list of changes."""
    def compact(value, depth):
        if _leaf(value) or not value:
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        pad, inner = "  " * depth, "  " * (depth + 1)
        if isinstance(value, dict):
            items = [f"{inner}{json.dumps(k)}: {compact(v, depth + 1)}" for k, v in sorted(value.items())]
            return "{\n" + ",\n".join(items) + f"\n{pad}}}"
        items = [f"{inner}{compact(v, depth + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"

    return compact(description, 0) + "\n"


def baseline_path(name: str) -> Path:
    return BASELINES / f"{name}.json"


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "--update":
        print(__doc__)
        return 2
    sys.path.insert(0, str(Path(__file__).parent))
    from chart_cases import frames

    from udsattestat import charts

    wanted = set(argv[1:])
    BASELINES.mkdir(parents=True, exist_ok=True)
    for lang in ("da", "en"):
        cases = frames(lang)
        for kind in charts.KINDS:
            name = f"{kind}-{lang}"
            if wanted and name not in wanted:
                continue
            frame, prov, opts = cases[kind]
            text = dumps(describe(charts.render(kind, frame, prov, lang=lang, **opts).figure))
            path = baseline_path(name)
            old = path.read_text("utf-8") if path.exists() else None
            path.write_text(text, "utf-8")
            print(f"{'unchanged' if old == text else 'written'}: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
