"""A small evidence chart for a claim about one value of a series: the series (latest data)
as a line, the claim's interval drawn across it, the claimed period marked — so a reader sees
at a glance where the number the report gives sits against the data.

Pure geometry (no matplotlib): the page draws it as an inline SVG from these numbers, with
its text in the page's own font. Only claims whose measure is a value of a series get one;
anything else (a change, a rank, the report's own arithmetic) gets none.
"""

from __future__ import annotations

import math

#: The chart's box in SVG units (the page shows it at this size in CSS px).
WIDTH, HEIGHT, PAD = 240, 64, 6


def spark(claim, data, as_of) -> dict | None:
    """Geometry for ``claim``'s evidence chart, or None when it has no series to draw."""
    from ..selection import apply_where

    if claim.measure != "value" or not claim.indicator or not claim.checks or not claim.period:
        return None
    try:
        frame, _prov = data.get(claim.indicator)
        rows = apply_where(frame, claim.where).sort("period_start")
    except Exception:  # a chart is never worth failing a build for
        return None
    points = [(r["period"], r["value"]) for r in rows.iter_rows(named=True) if r["value"] is not None]
    # time, not row number, along the x axis: a gap in the counts (no 2021) stays a gap
    starts = {r["period"]: r["period_start"] for r in rows.iter_rows(named=True)}
    if len({p for p, _ in points}) != len(points) or len(points) < 3:
        return None  # not one series (several rows per period), or too short to be one
    band = _band(claim.checks)
    if band is None:
        return None
    values = [v for _, v in points]
    lo_data, hi_data = min(values), max(values)
    finite = [b for b in band if math.isfinite(b)]
    lo, hi = min([lo_data, *finite]), max([hi_data, *finite])
    if hi == lo:
        hi = lo + 1
    span = hi - lo
    lo, hi = lo - span * 0.08, hi + span * 0.08

    t0, t1 = starts[points[0][0]].toordinal(), starts[points[-1][0]].toordinal()

    def x(i):
        t = starts[points[i][0]].toordinal()
        return round(PAD + (WIDTH - 2 * PAD) * (t - t0) / max(1, t1 - t0), 1)

    def y(v):
        v = min(max(v, lo), hi)
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v - lo) / (hi - lo), 1)

    band_top, band_bottom = y(band[1] if math.isfinite(band[1]) else hi), y(band[0] if math.isfinite(band[0]) else lo)
    mark = next((i for i, (p, _) in enumerate(points) if p == claim.period), None)
    return {
        "width": WIDTH, "height": HEIGHT,
        "line": " ".join(f"{x(i)},{y(v)}" for i, (_, v) in enumerate(points)),
        "band": {"x": PAD, "y": band_top, "w": WIDTH - 2 * PAD, "h": max(1.0, round(band_bottom - band_top, 1))},
        "mark": None if mark is None else {"x": x(mark), "y": y(points[mark][1])},
        "first": points[0][0], "last": points[-1][0],
    }


def _band(checks) -> tuple[float, float] | None:
    """The values the claim allows, as one interval (None when its checks are not one)."""
    lo, hi = -math.inf, math.inf
    for c in checks:
        if c.op == "between" and c.low is not None and c.high is not None:
            lo, hi = max(lo, c.low), min(hi, c.high)
        elif c.op in (">", ">=") and isinstance(c.value, int | float):
            lo = max(lo, c.value)
        elif c.op in ("<", "<=") and isinstance(c.value, int | float):
            hi = min(hi, c.value)
        elif c.op == "==" and isinstance(c.value, int | float):
            lo, hi = max(lo, c.value - c.tolerance), min(hi, c.value + c.tolerance)
        else:
            return None
    return (lo, hi) if lo <= hi else None
