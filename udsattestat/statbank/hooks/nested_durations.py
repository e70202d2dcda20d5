"""Durations that are nested categories, never to be summed (IFOR51's 1–4 consecutive years).

IFOR51 counts persons in relative poverty for "1 year", "2 years in a row", … — each
category contains the next, so leaving the variable out (letting the API sum it) or
keeping several codes would count people twice. Exactly one category is kept.

Found by id, as documentation mirrors of StatBank give it: the variable ``KMDR`` and the
codes ``1AAR``…``4AAR`` (``years = N`` keeps ``NAAR``). Only when the id is not in
tableinfo is the variable found by its text, in Danish or English (``varighed``/``år i
træk``, ``duration``/``consecutive``), and the code by the number in its text — and the
provenance says so (``found_by``), so a renamed id is visible rather than silent.
Options: ``[statbank.nested-durations] years = 1, variable = "KMDR"``.
"""

from __future__ import annotations

import re

from ..resolved import Resolved, shape_error

VARIABLE = "KMDR"
KEY = ("statbank", "nested-durations")
#: Fallbacks only: the variable's text and its codes' texts in either language.
DURATION_TEXT = re.compile(r"varighed|duration|år i træk|consecutive|in a row", re.I)


def resolve(res: Resolved, options: dict, *, indicator: str) -> None:
    info = res.info
    years = int(options.get("years", 1))
    var_id = str(options.get("variable", VARIABLE))
    rest = [v for v in info.variables if not v.time and v.id not in res.claimed]
    by_id = [v for v in rest if v.id.upper() == var_id.upper()]
    found_by = "id"
    if by_id:
        var = by_id[0]
    else:
        by_text = [v for v in rest if DURATION_TEXT.search(v.text)]
        if len(by_text) != 1:
            found = ", ".join(f"{v.id} ({v.text})" for v in rest) or "none"
            raise shape_error(info, f"expected the duration variable {var_id} (or one variable whose text says "
                                    f"varighed/duration), found {len(by_text)} among {found}", indicator, KEY)
        var, found_by = by_text[0], "text"
    code = f"{years}AAR"
    if code not in var.codes:
        hits = [c for c, text in var.values if re.findall(r"\d+", text) == [str(years)]]
        if len(hits) != 1:
            texts = "; ".join(f"{c}={t}" for c, t in var.values)
            raise shape_error(info, f"expected the {years}-year duration {code} in {var.id}, or one value whose "
                                    f"text gives {years}; found {len(hits)} ({texts})", indicator, KEY)
        code, found_by = hits[0], "text"
    res.fix(var, code, by="nested-durations")
    res.fixed[var.id]["found_by"] = found_by
