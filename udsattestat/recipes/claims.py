"""Checking a report's claims against the data: measures, comparisons and verdicts.

Each claim is checked twice: against the data as published by the report's date (what
the authors could have used) and against the latest vintage. The recipe states the check
explicitly ("knap 250.000" becomes ``between 240000 and 250000``); this module only does
the arithmetic and never loosens a bound.

Verdicts:
- ``holds``: every view that has data satisfies the check;
- ``fails``: at least one view with data does not (a revision that turns a claim is shown);
- ``not comparable``: the recipe says the data measure something else; never ``holds``;
- ``undecided``: the latest data are a published range that lies partly inside and partly
  outside the check (see :mod:`.spans`); never ``holds``.
A view with no data for the claim's periods is reported as ``no data`` (e.g. nothing
had been published by the report's date); the latest view must have data, or the recipe
is an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .model import Claim, RecipeError
from .spans import Span, all3, check_span, span_max, span_min

HOLDS, FAILS, NOT_COMPARABLE, UNDECIDED, NO_DATA = "holds", "fails", "not comparable", "undecided", "no data"
#: Claim verdicts in the order they are counted and shown.
VERDICTS = (HOLDS, FAILS, UNDECIDED, NOT_COMPARABLE)


class NoData(Exception):
    """A period the view has no value for (reason says which and why, in English and Danish)."""

    def __init__(self, en: str, da: str):
        super().__init__(en)
        self.texts = {"en": en, "da": da}


@dataclass
class ViewResult:
    view: str  # "as_of" or "latest"
    status: str  # holds | fails | no data
    measure: float | list[float] | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""  # English, for the terminal and claims.json
    #: the reason per language, for claims.md and the page in the build's language
    reasons: dict[str, str] = field(default_factory=dict)

    def reason_in(self, lang: str) -> str:
        return self.reasons.get(lang) or self.reason

    def to_json(self) -> dict:
        out = {"view": self.view, "status": self.status, "measure": _clean(self.measure),
               "inputs": self.inputs, "reason": self.reason}
        if self.reasons.get("da") and self.reasons.get("da") != self.reason:
            out["reason_da"] = self.reasons["da"]
        return out


@dataclass
class ClaimResult:
    claim: Claim
    verdict: str
    as_of_date: str
    as_of: ViewResult | None
    latest: ViewResult | None

    @property
    def differs(self) -> bool:
        """Both views have numbers and they (or their verdicts) differ: a revision matters."""
        if not (self.as_of and self.latest) or NO_DATA in (self.as_of.status, self.latest.status):
            return False
        return (self.as_of.status, _clean(self.as_of.measure)) != (self.latest.status, _clean(self.latest.measure))

    def summary(self) -> str:
        """One line in English for the terminal and claims.md."""
        c = self.claim
        if self.verdict == NOT_COMPARABLE:
            return f"not comparable: {c.not_comparable}"
        parts = []
        for label, v in ((f"as of {self.as_of_date}", self.as_of), ("latest", self.latest)):
            if v is None:
                continue
            if v.status == NO_DATA:
                parts.append(f"{label}: no data ({v.reason})")
            else:
                parts.append(f"{label}: {describe_measure(c, v.measure)} → {v.status}")
        return f"{self.verdict}: " + "; ".join(parts) + f" (check: {c.measure} {describe_checks(c)})"

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "quote": c.quote,
            "page": c.page,
            "note": c.note,
            "indicator": c.indicator,
            "where": c.where,
            "measure": c.measure,
            "periods": {k: v for k, v in (("period", c.period), ("from", c.from_period), ("to", c.to_period),
                                           ("since", c.since), ("until", c.until)) if v},
            "part": c.part or None,
            "checks": [{"op": k.op, "value": k.value, "tolerance": k.tolerance, "low": k.low,
                        "high": k.high} for k in c.checks],
            "check_text": describe_checks(c) or None,
            "comment": c.comment,
            **({"comment_da": c.text("comment", "da")} if c.comment and c.text("comment", "da") != c.comment else {}),
            "verdict": self.verdict,
            "not_comparable": c.not_comparable,
            **({"not_comparable_da": c.text("not_comparable", "da")}
               if c.not_comparable and c.text("not_comparable", "da") != c.not_comparable else {}),
            "differs_between_vintages": self.differs,
            "as_of_date": self.as_of_date,
            "as_of": self.as_of.to_json() if self.as_of else None,
            "latest": self.latest.to_json() if self.latest else None,
            "summary": self.summary(),
        }


def _clean(v):
    # Round away float noise (28.6714685…) only for display and comparison of views; the
    # verdict itself is computed on the unrounded number.
    if isinstance(v, Span):
        return {"low": _clean(v.lo), "high": _clean(v.hi)}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, float):
        return round(v, 6)
    return v


def describe_measure(claim: Claim, value, lang: str = "en") -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return f"{_fmt(value[0], lang)}–{_fmt(value[1], lang)}"
    suffix = " %" if claim.measure in ("percent_change", "share") else ""
    return f"{_fmt(value, lang)}{suffix}"


def _fmt_span(v, lang: str) -> str:
    return f"[{_fmt(v.lo, lang)}–{_fmt(v.hi, lang)}]"


def _fmt(v, lang: str = "en") -> str:
    """Whole numbers as they are; others to two decimals (enough to see "28.67 %" is under 30)."""
    from ..formatting import format_number

    if isinstance(v, Span):
        return _fmt_span(v, lang)

    return format_number(v, lang, 0 if float(v).is_integer() else 2)


# -- reading values ----------------------------------------------------------------------

def _select(frame, where: dict[str, list[str]]):
    # Dimensions and codes were validated against the latest data (validate.py); an older
    # view may simply lack a code, which is "no data", not a recipe error.
    import polars as pl

    for dim, codes in where.items():
        frame = frame.filter(pl.col(dim).is_in(codes))
    return frame


def _rows_for(frame, period: str):
    import polars as pl

    return frame.filter(pl.col("period") == period)


def _describe_ambiguity(rows) -> str:
    from ..schema import dimension_columns

    dims = [d for d in ["geo", *dimension_columns(rows.columns), "unit"] if rows[d].n_unique() > 1]
    return ", ".join(f"{d} ({', '.join(sorted(map(str, set(rows[d].to_list()))))})" for d in dims)


def _input(row) -> dict:
    return {k: row[k] for k in ("period", "value", "value_low", "value_high", "unit", "vintage",
                                "vintage_date", "source", "source_locator", "status", "confidence")}


def point(claim: Claim, frame, period: str, where: dict[str, list[str]] | None = None):
    """The one value of ``period`` under the claim's selection: (value, input record)."""
    rows = _rows_for(_select(frame, claim.where if where is None else where), period)
    if rows.height == 0:
        raise NoData(f"{claim.indicator} has no value for {period}", f"{claim.indicator} har ingen værdi for {period}")
    if rows.height > 1:
        raise RecipeError(
            f"claim {claim.id!r}: the selection gives {rows.height} values for {period}; "
            f"narrow it with where = {{ … }} on: {_describe_ambiguity(rows)}"
        )
    row = rows.row(0, named=True)
    if row["value"] is None or (isinstance(row["value"], float) and math.isnan(row["value"])):
        if row["value_low"] is None or row["value_high"] is None:
            raise NoData(f"{claim.indicator} {period} has no value", f"{claim.indicator} {period} har ingen værdi")
        # Published as a range ("70.000–100.000"): kept as a range, never read as a point.
        return Span(float(row["value_low"]), float(row["value_high"])), _input(row)
    if row["status"] == "approximate":
        # Only a rounded figure is published: check the whole rounding interval.
        return Span.rounded(row["value"]), _input(row)
    return Span.of(row["value"]), _input(row)


def compute(claim: Claim, frame):
    """(measure, inputs) of the claim on one view's frame; raises NoData where a value is missing.

    The measure is a float, a :class:`Span` when an input was published as a range, or for
    ``range`` a list [min, max] of those.
    """
    m = claim.measure
    try:
        measure, inputs = _compute(claim, frame, m)
    except ZeroDivisionError:
        raise RecipeError(f"claim {claim.id!r}: the divisor of the {m} is (or may be) 0, so it is undefined") from None
    if isinstance(measure, list):
        return [v.plain() for v in measure], inputs
    return measure.plain(), inputs


def _compute(claim: Claim, frame, m: str):
    if m == "value":
        v, i = point(claim, frame, claim.period)
        return v, [i]
    if m in ("difference", "percent_change", "ratio"):
        a, ia = point(claim, frame, claim.from_period)
        b, ib = point(claim, frame, claim.to_period)
        if m == "difference":
            return b - a, [ia, ib]
        ratio = b / a
        return (ratio.scale(100.0, -100.0) if m == "percent_change" else ratio), [ia, ib]
    if m == "share":
        whole, iw = point(claim, frame, claim.period)
        part, ip = point(claim, frame, claim.period, {**claim.where, **claim.part})
        return (part / whole).scale(100.0), [ip, iw]
    # min / max / range over the periods from since to until
    from ..periods import parse_period

    lo, hi = parse_period(claim.since), parse_period(claim.until)
    sel = _select(frame, claim.where)
    periods = sorted(
        {p for p, s, e in zip(sel["period"].to_list(), sel["period_start"].to_list(), sel["period_end"].to_list(), strict=True)
         if s >= lo.start and e <= hi.end},
        key=lambda p: parse_period(p).start,
    )
    if not periods:
        raise NoData(f"{claim.indicator} has no values from {claim.since} to {claim.until}",
                     f"{claim.indicator} har ingen værdier fra {claim.since} til {claim.until}")
    values, inputs = [], []
    for p in periods:
        v, i = point(claim, frame, p)
        values.append(v)
        inputs.append(i)
    if m == "min":
        return span_min(values), inputs
    if m == "max":
        return span_max(values), inputs
    return [span_min(values), span_max(values)], inputs


def describe_checks(claim: Claim, lang: str = "en") -> str:
    return (" og " if lang == "da" else " and ").join(c.describe(lang) for c in claim.checks)


def compare(claim: Claim, measure) -> bool | None:
    """True: the check holds; False: it fails; None: a published range straddles it."""
    return all3(compare_one(claim, chk, measure) for chk in claim.checks)


def compare_one(claim: Claim, chk, measure) -> bool | None:
    if claim.measure == "range":
        lo, hi = (Span.of(v) for v in measure)
        if chk.op == "between":
            return all3([check_span(">=", lo, value=chk.low), check_span("<=", hi, value=chk.high)])
        return all3([check_span("==", lo, value=chk.value[0], tolerance=chk.tolerance),
                     check_span("==", hi, value=chk.value[1], tolerance=chk.tolerance)])
    return check_span(chk.op, Span.of(measure), value=chk.value, tolerance=chk.tolerance, low=chk.low, high=chk.high)


def check_view(claim: Claim, frame, view: str, periods: list[str] | None = None) -> ViewResult:
    """One view's result; ``periods`` are those the latest view covered (for min/max/range)."""
    try:
        measure, inputs = compute(claim, frame)
        have = [i["period"] for i in inputs]
        if periods is not None and have != periods:
            # An older view that lacks a year would otherwise give a range over fewer years.
            missing = [p for p in periods if p not in have]
            raise NoData(f"{claim.indicator} lacks {', '.join(missing) or 'some periods'} between "
                         f"{claim.since} and {claim.until}",
                         f"{claim.indicator} mangler {', '.join(missing) or 'nogle perioder'} mellem "
                         f"{claim.since} og {claim.until}")
    except NoData as exc:
        return ViewResult(view, NO_DATA, reason=exc.texts["en"], reasons=dict(exc.texts))
    if not claim.checks:  # a not-comparable claim computed for information only
        return ViewResult(view, "computed", measure, inputs)
    outcome = compare(claim, measure)
    if outcome is None:
        return ViewResult(view, UNDECIDED, measure, inputs, reason=UNDECIDED_REASON["en"],
                          reasons=dict(UNDECIDED_REASON))
    return ViewResult(view, HOLDS if outcome else FAILS, measure, inputs)


UNDECIDED_REASON = {
    "en": "a value published as a range lies partly inside and partly outside the check",
    "da": "en værdi offentliggjort som et interval ligger dels inden for, dels uden for kontrollen",
}


def _vintages_of(claim: Claim, data) -> dict[str, str]:
    """Which releases hold the claim's periods, and when they came out (why as-of is empty)."""
    import polars as pl

    frame, prov = data.get(claim.indicator, vintage="all")
    sel = _select(frame, claim.where)
    if claim.period or claim.from_period:
        sel = sel.filter(pl.col("period").is_in(claim.periods()))
    elif claim.since:
        from ..periods import parse_period

        lo, hi = parse_period(claim.since).start, parse_period(claim.until).end
        sel = sel.filter((pl.col("period_start") >= lo) & (pl.col("period_end") <= hi))
    found = sorted(set(sel["vintage"].drop_nulls().to_list()))
    if not found:
        return {"en": "", "da": ""}
    out = {}
    for lang, (published, unknown, lead) in {
        "en": ("published", "date not recorded", "; the data come from "),
        "da": ("udgivet", "dato ikke registreret", "; tallene stammer fra "),
    }.items():
        dated = []
        for v in found:
            when = prov.vintages.get(v, {}).get("published")
            dated.append(f"{v} ({published} {when})" if when else f"{v} ({unknown})")
        out[lang] = lead + ", ".join(dated)
    return out


def evaluate(claim: Claim, data, report) -> ClaimResult:
    """Check one claim against the report-date view and the latest view of its indicator."""
    as_of_date = report.as_of
    latest = asof = None
    if claim.measure is not None:
        latest_frame, _ = data.get(claim.indicator)
        latest = check_view(claim, latest_frame, "latest")
        if latest.status == NO_DATA:
            raise RecipeError(f"claim {claim.id!r}: {latest.reason} in any vintage; "
                              f"change its period or mark it not_comparable without a measure")
        asof_frame, _ = data.get(claim.indicator, as_of=as_of_date)
        span = [i["period"] for i in latest.inputs] if claim.measure in ("min", "max", "range") else None
        asof = check_view(claim, asof_frame, "as_of", span)
        if asof.status == NO_DATA:
            came_from = _vintages_of(claim, data)
            asof.reasons = {
                "en": f"nothing certainly published by {as_of_date.isoformat()}: {asof.reason_in('en')}"
                      + came_from["en"],
                "da": f"intet med sikkerhed offentliggjort pr. {as_of_date.isoformat()}: {asof.reason_in('da')}"
                      + came_from["da"],
            }
            asof.reason = asof.reasons["en"]
    if claim.not_comparable is not None:
        verdict = NOT_COMPARABLE
    elif FAILS in (asof.status, latest.status):
        verdict = FAILS
    elif latest.status == HOLDS:
        verdict = HOLDS
    else:  # the latest data are a range that straddles the check
        verdict = UNDECIDED
    return ClaimResult(claim, verdict, as_of_date.isoformat(), asof, latest)


def tally(results: list[ClaimResult]) -> dict[str, int]:
    out = dict.fromkeys(VERDICTS, 0)
    for r in results:
        out[r.verdict] += 1
    return out
