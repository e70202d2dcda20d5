"""Durations that are nested categories, never to be summed (IFOR51's 1–4 consecutive years).

IFOR51 counts persons in relative poverty for "1 year", "2 years in a row", … — each
category contains the next, so leaving the variable out (letting the API sum it) or
keeping several codes would count people twice. The variable's id is not in DST's
documentation we have, so it is found by its text (or as the one remaining variable that
cannot be eliminated), and exactly one category is kept: ``years`` (default 1, the
headline count). Options: ``[statbank.nested-durations] years = 1``.
"""

from __future__ import annotations

import re

from ..resolved import Resolved, shape_error

DURATION_TEXT = re.compile(r"varighed|duration|år i træk|consecutive", re.I)


def resolve(res: Resolved, options: dict, *, indicator: str) -> None:
    info = res.info
    rest = [v for v in info.variables if not v.time and v.id not in res.claimed]
    durations = [v for v in rest if not v.elimination or DURATION_TEXT.search(v.text)]
    if len(durations) != 1:
        raise shape_error(info, "expected one duration variable, found "
                                f"{', '.join(v.id for v in durations) or 'none'}", indicator)
    var = durations[0]
    years = str(options.get("years", 1))
    hits = [code for code, text in var.values if re.findall(r"\d+", text) == [years]]
    if len(hits) != 1:
        texts = "; ".join(f"{c}={t}" for c, t in var.values)
        raise shape_error(info, f"expected one {years}-year duration value in {var.id}, found {len(hits)} ({texts})",
                          indicator)
    res.fix(var, hits[0], by="nested-durations")
