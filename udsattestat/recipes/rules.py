"""A recipe's rules across keys: what each key's shape (:mod:`.model`) cannot say alone.

A measure needs its periods and takes no others; a claim with no bundled source is not
computed; a check's bound fits its operator; names are unique. Each rule gets the record
as read and the table as written (to tell a key left out from one given its default); a
rule may complete the record (a figure's selection per indicator, the checks that quoted
words give). Every message says what to write instead.
"""

from __future__ import annotations

import re

from .fields import LANGS, Where
from .model import MEASURES, Check, Claim, Figure, Recipe, Report, Table, checks_of

PERIOD_KEYS = ("period", "from", "to", "since", "until")
NUMBER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def report_rules(report: Report, t: dict, path, ctx) -> None:
    if report.text and not (ctx.path.parent / report.text).is_file():
        ctx.fail((*path, "text"), f"{report.text!r}: no such file beside the recipe ({ctx.path.parent / report.text}); "
                                  "give the path of the report's .txt, .md or .pdf relative to the recipe, or leave "
                                  "text out")


def figure_rules(fig: Figure, t: dict, path, ctx) -> None:
    if ("indicator" in t) == ("indicators" in t):
        ctx.fail(path, "give either indicator = \"id\" or indicators = [\"id\", …]")
    if fig.indicator is not None:
        fig.indicators = [fig.indicator]
        fig.where = {fig.indicator: Where().read(fig.where, (*path, "where"), ctx) if "where" in t else {}}
    else:
        stray = [k for k in fig.where if k not in fig.indicators]
        if stray:
            ctx.fail((*path, "where", stray[0]), f"not one of this figure's indicators ({', '.join(fig.indicators)}); "
                                                 "with indicators = […], where is a table per indicator")
        fig.where = {ind: Where().read(fig.where[ind], (*path, "where", ind), ctx) if ind in fig.where else {}
                     for ind in fig.indicators}
    options = fig.options
    if "notes" in options:
        notes = options["notes"]
        # one list for both languages, or { da = [...], en = [...] }
        per_lang = notes if isinstance(notes, dict) else {"da": notes, "en": notes}
        options["notes"] = {lang: list(per_lang.get(lang, [])) for lang in LANGS}


def table_rules(tab: Table, t: dict, path, ctx) -> None:
    if tab.change is not None:
        if len(tab.change) != 2:
            ctx.fail((*path, "change"), "must be two periods, e.g. change = [\"2009\", \"2019\"]")
        tab.change = tuple(tab.change)


def check_rules(check: Check, t: dict, path, ctx) -> None:
    """A check's own bounds; what the measure asks of them is in :func:`claim_rules`."""
    if "tolerance" not in t:
        check.tolerance = 0  # a written check left without one: claims.json has always said 0
    if check.op == "between":
        if "low" not in t or "high" not in t or "value" in t:
            ctx.fail(path, "op 'between' takes low and high (inclusive), not value")
        if check.low > check.high:
            ctx.fail(path, f"low {check.low} is above high {check.high}")
        return
    if "value" not in t or "low" in t or "high" in t:
        ctx.fail(path, f"op {check.op!r} takes value (and optionally tolerance), not low/high")
    if check.tolerance and check.op != "==":
        ctx.fail(path, f"tolerance applies only to op '=='; for {check.op!r} write the bound you mean")
    if check.tolerance and not check.reason:
        ctx.fail(path, "a tolerance needs its reason (reason = \"…\"): why the claim may be off by that much")


def claim_rules(c: Claim, t: dict, path, ctx) -> None:
    if "no_data_reason" in t and c.no_data is None:
        ctx.fail(path, "no_data_reason goes with no_data (the publication looked in)")
    if "looked_for" in t and c.no_data is None:
        ctx.fail(path, "looked_for goes with no_data (the publication looked in)")
    measure = c.measure
    if c.no_data is not None:
        # No bundled source: the claim names the publication that would settle it, and
        # nothing is computed (a claim with data in the bundle is checked, never "no data").
        extra = [k for k in ("indicator", "measure", "check", "not_comparable") if k in t]
        if extra:
            ctx.fail(path, f"a claim with no_data (no bundled source) takes no {extra[0]!r}; "
                           "give the publication that would settle it in no_data, or drop no_data and check it")
    elif measure is None and c.not_comparable is None:
        ctx.fail(path, f"missing key 'measure' (one of: {', '.join(MEASURES)}), or no_data = \"the publication "
                       "that would settle it\" when its source is not bundled")
    if c.no_data is None and measure not in ("stated", "formula") and "indicator" not in t:
        ctx.fail(path, "missing key 'indicator' (the bundled indicator the claim is checked against)")
    if measure in ("stated", "formula") and "indicator" in t:
        ctx.fail(path, f"measure {measure!r} names its numbers' indicators in numbers; it takes no indicator")
    if measure is not None:
        _measure_keys(c, t, path, ctx)
    if measure in ("stated", "formula"):
        _numbers(c, t, path, ctx)
    _checks(c, t, path, ctx)


def _measure_keys(c: Claim, t: dict, path, ctx) -> None:
    """The periods and parts a measure uses: each needed one given, no other."""
    measure, uses = c.measure, MEASURES[c.measure]
    for need in uses:
        if need in PERIOD_KEYS and need not in t:
            ctx.fail(path, f"measure {measure!r} needs {need!r} (it uses {', '.join(uses)})")
    if measure == "share" and not c.part:
        ctx.fail(path, "measure 'share' needs part = { dim = \"code\" }: the part whose share of the whole is taken")
    if measure == "rank" and not c.item:
        ctx.fail(path, "measure 'rank' needs item = { geo = \"DK\" }: the member whose rank is taken")
    extra = [k for k in PERIOD_KEYS if k in t and k not in uses]
    if extra:
        ctx.fail((*path, extra[0]), f"not used by measure {measure!r} (it uses {', '.join(uses)})")
    extra = [k for k in ("part", "item", "rank_by", "order", "numbers", "formula")
             if k in t and k not in uses and not (measure == "rank" and k in ("rank_by", "order"))]
    if extra:
        ctx.fail((*path, extra[0]), f"not used by measure {measure!r}")


def _numbers(c: Claim, t: dict, path, ctx) -> None:
    """numbers = { share = { reads = "56%", label = { da = "andel", en = "share" } },
    children = { indicator = "poverty", where = { … }, period = "2019" } }: the report's own
    figures (their words) or bundled values; ``stated`` takes only the report's, ``formula``
    at least one bundled. The formula must use only these names."""
    from .formula import FormulaError, parse_formula

    measure = c.measure
    if not c.numbers:
        ctx.fail(path, f"measure {measure!r} needs numbers = {{ name = {{ reads = \"ca. 60.000\" }} }} "
                       "or { indicator = …, period = … }")
    if c.formula is None:
        ctx.fail(path, f"measure {measure!r} needs formula = \"…\": the arithmetic on its numbers")
    out = {}
    for name, spec in c.numbers.items():
        at = (*path, "numbers", name)
        if not NUMBER_NAME.match(name):
            ctx.fail(at, "a name of letters, digits and '_' (it is used in the formula)")
        # what the reader sees for the name in the formula: words, not an identifier
        label = spec.get("label", {})
        if ("reads" in spec) == ("indicator" in spec):
            ctx.fail(at, "give reads (the report's words, e.g. reads = \"ca. 60.000\") or indicator and period "
                         "(a bundled value), one of the two")
        if "reads" in spec:
            extra = [k for k in ("where", "period", "vintages") if k in spec]
            if extra:
                ctx.fail(at, f"{extra[0]!r} goes with indicator, not with reads")
            reading = spec["reads"]
            if reading.interval.low is None or reading.interval.high is None:
                ctx.fail(at, f"{reading.words!r} has no upper or lower bound, so it cannot be used in arithmetic")
            out[name] = {"reads": reading, "quote": spec.get("quote"), "label": label}
            continue
        if measure == "stated":
            ctx.fail(at, "measure 'stated' compares the report's own numbers; use measure = \"formula\" for a "
                         "bundled value")
        if "period" not in spec:
            ctx.fail(at, "a bundled value needs period = \"…\"")
        out[name] = {"indicator": spec["indicator"], "where": spec.get("where", {}), "period": spec["period"],
                     "vintages": list(spec.get("vintages", [])), "label": label}
    if measure == "formula" and not any(n.get("indicator") for n in out.values()):
        ctx.fail(path, "measure 'formula' needs a bundled value among its numbers; with only the report's own "
                       "numbers it is measure = \"stated\" (a consistency check)")
    c.numbers = out
    try:
        parse_formula(c.formula, set(out))
    except FormulaError as exc:
        ctx.fail((*path, "formula"), str(exc))


def _checks(c: Claim, t: dict, path, ctx) -> None:
    """The check(s): written (``check``) or given by the quoted words (``reads``)."""
    if ("check" in t or "reads" in t) and c.measure is None:
        ctx.fail(path, "a check needs a measure to check")
    if "check" in t and "reads" in t:
        ctx.fail(path, "give reads (the quoted words the check follows from) or check (a check the words do not "
                       "give by a number), not both")
    if "reads" in t:
        if c.measure == "range":
            ctx.fail(path, "measure 'range' is checked with check = { op = \"==\", value = [min, max] }")
        c.checks = checks_of(c.reads)
    elif "check" in t:
        for i, check in enumerate(c.checks):
            at = (*path, "check", str(i)) if isinstance(t["check"], list) else (*path, "check")
            if c.measure == "range":
                if check.op != "between" and not (check.op == "==" and isinstance(check.value, list)
                                                  and len(check.value) == 2):
                    ctx.fail(at, "measure 'range' is checked with op '==' and value = [min, max], or op 'between'")
            elif isinstance(check.value, list):
                ctx.fail(at, "value must be a number (a list [min, max] is for measure 'range')")
    elif c.not_comparable is None and c.no_data is None:
        ctx.fail(path, "missing key 'reads' (the quoted words, e.g. reads = \"over 6.000\") or 'check'")


def recipe_rules(recipe: Recipe, t: dict, path, ctx) -> None:
    seen: dict[str, str] = {}
    for kind, items in (("figure", recipe.figures), ("table", recipe.tables)):
        for i, item in enumerate(items):
            if item.name in seen:
                ctx.fail((kind, str(i), "name"), f"{item.name!r} is already used by a {seen[item.name]}; "
                                                 "names must be unique")
            seen[item.name] = kind
    ids = [c.id for c in recipe.claims]
    for i, cid in enumerate(ids):
        if ids.index(cid) != i:
            ctx.fail(("claim", str(i), "id"), f"{cid!r} is used twice; ids must be unique")
    if not (recipe.figures or recipe.tables or recipe.claims):
        ctx.fail((), "the recipe has no [[figure]], [[table]] or [[claim]]; add at least one")


RULES = {Recipe: recipe_rules, Report: report_rules, Figure: figure_rules, Table: table_rules, Claim: claim_rules, Check: check_rules}
