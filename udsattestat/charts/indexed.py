"""Indexed growth: several indicators rebased to 100 in one base period, so counts of
different size (homelessness, poverty, drug deaths) share one axis. Each indicator must
be one series; ranges are rebased as ranges; gaps stay gaps."""

from __future__ import annotations

from ..errors import SelectionError
from .common import check_one_unit, code_choices, number_axis, points, varying_dims, words
from .finish import compose
from .kinds import ChartKind
from .timeseries import (
    draw_lines,
    gap_notes,
    label_lines,
    legend_extras,
    line_summary,
    place_legend,
    time_axis,
    value_ticks,
)

KIND = ChartKind("indexed", several_indicators=True)


def _label(prov, ind, lang):
    p = prov.get(ind) if isinstance(prov, dict) else prov
    title = (p.title.get(lang) if p is not None else None) or ind
    # "Hjemløse i Danmark (VIVE's nationale kortlægning)" -> "Hjemløse i Danmark": the
    # producer is in the source line; the legend stays short.
    return title.split(" (")[0]


def build(fig, frame, prov, drawing, *, lang, title, subtitle, series, highlight, base_period, notes):
    if "indicator" not in frame.columns:
        raise SelectionError("the indexed chart needs an 'indicator' column (several indicators' tidy frames)")
    indicators = list(dict.fromkeys(frame["indicator"].to_list()))
    groups = []
    per_indicator = {}
    for ind in indicators:
        sub = frame.filter(frame["indicator"] == ind)
        sub = sub.select([c for c in sub.columns if not sub[c].is_null().all() or c in ("value", "value_low", "value_high")])
        try:
            check_one_unit(sub)
            varying = varying_dims(sub)
            if varying:
                hints = "; ".join(f"--where {d}={code_choices(sub, d).split(',')[-1]} (codes: {code_choices(sub, d)})"
                                  for d in varying)
                raise SelectionError(
                    f"the selection varies in {', '.join(varying)}; an indexed chart draws one series per indicator: add {hints}"
                )
        except SelectionError as exc:
            msg = str(exc).replace("--where ", f"--where {ind}:")
            raise SelectionError(f"{ind}: {msg}") from None
        per_indicator[ind] = points(sub)
    candidates = None
    for pts in per_indicator.values():
        have = {p.period for p in pts if p.value is not None}
        candidates = have if candidates is None else candidates & have
    candidates = sorted(candidates or [])
    if base_period is None:
        if not candidates:
            raise SelectionError(
                "the indicators have no period in common to rebase on; choose --base-period from each one's periods "
                "or narrow --since/--until"
            )
        base_period = candidates[0]
    base_notes: list[str] = []
    for ind, pts in per_indicator.items():
        base = next((p for p in pts if p.period == base_period and p.value is not None), None)
        if base is None:
            have = ", ".join(p.period for p in pts if p.value is not None)
            hint = f"; periods all indicators have: {', '.join(candidates)}" if candidates else ""
            raise SelectionError(f"{ind} has no value for base period {base_period} (it has: {have}){hint}")
        if base.value == 0:
            raise SelectionError(f"{ind} is 0 in base period {base_period}; choose another --base-period")
        scale = 100.0 / base.value
        for p in pts:
            p.value = p.value * scale if p.value is not None else None
            p.low = p.low * scale if p.low is not None else None
            p.high = p.high * scale if p.high is not None else None
            # An index is a ratio to the base: an approximate base makes every point approximate.
            p.hollow = p.hollow or base.hollow
        label = _label(prov, ind, lang)
        if base.hollow:
            base_notes.append(words(lang)["index_base_approx"].format(series=label, base=base_period))
        groups.append((label, pts))
    ax = fig.subplots()
    ax.axhline(100, color="#444444", linewidth=0.9, zorder=1)
    seen = draw_lines(ax, groups, lang)
    time_axis(ax, seen, lang)
    number_axis(ax.yaxis, lang, None)
    value_ticks(ax.yaxis)
    place_legend(ax, legend_extras(ax, seen, lang, named=label_lines(ax, seen, drawing)), drawing, ncol_max=2)
    if subtitle is None:
        ordered = frame.sort("period_start")["period"].to_list()
        span = ordered[0] if ordered[0] == ordered[-1] else f"{ordered[0]}–{ordered[-1]}"
        subtitle = words(lang)["index_sentence"].format(base=base_period, span=span)
    if title is None:
        title = {"da": "Udvikling", "en": "Change over time"}[lang] + ": " + ", ".join(g[0] for g in groups)
    return compose(fig, frame, prov, drawing, lang=lang, title=title, subtitle=subtitle, notes=notes, unit="",
                   auto_notes=base_notes + gap_notes(seen, lang), summary=line_summary(groups, lang, None))
