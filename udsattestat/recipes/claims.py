"""Checking a report's claims against the data: measures, comparisons and verdicts.

Each claim is checked twice: against the data as published by the report's date (what
the authors could have used) and against the latest vintage. The recipe states the check
explicitly ("knap 250.000" becomes ``between 240000 and 250000``); this module only does
the arithmetic and never loosens a bound. A value the publisher rounded is the interval
its recorded ``precision`` gives (±precision/2), never a point and never an interval read
off the digits of the report's sentence.

Verdicts (``VERDICTS``, in the order they are counted and shown):
- ``holds``: every view that has data satisfies the check;
- ``fails``: the check fails against the data as published by the report's date, or
  against the latest data when nothing (or nothing decisive) was published by then;
- ``revised``: held against the data as published by the report's date, and a later
  revision changes the answer (both numbers and both vintages are shown). A revision is
  not an error: never counted as a failure of the report;
- ``undecided``: the data are there but cannot decide (a published range or a rounding
  interval lies partly inside and partly outside the check); never ``holds``;
- ``no data``: the claim's source is not in the bundle; the claim names the publication
  that would settle it;
- ``not comparable``: the recipe says the data measure something else; never ``holds``.
A *view* with no data for the claim's periods is reported as ``no data`` (e.g. nothing had
been published by the report's date); the latest view must have data, or the recipe is an
error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..presentation import vintage_text
from ..verdicts import FAILS, HOLDS, NO_DATA, NOT_COMPARABLE, REVISED, UNDECIDED, VERDICTS  # noqa: F401
from .model import LAST, Claim, RecipeError
from .spans import Span, all3, check_span, span_max, span_min


@dataclass(frozen=True)
class Rank:
    """Place ``rank`` (1 = first in the claim's order; a span when intervals overlap) of ``of``."""

    rank: float | Span
    of: int


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

    def views(self):
        """(label key, view) for each view the claim has: as_of, latest, or report (stated)."""
        return [(v.view, v) for v in (self.as_of, self.latest) if v is not None]

    def summary(self) -> str:
        """One line in English for the terminal and claims.md."""
        c = self.claim
        if self.verdict == NOT_COMPARABLE:
            return f"not comparable: {c.not_comparable}"
        if self.verdict == NO_DATA and not self.views():
            return f"no data: not in the bundle; would be settled by {c.no_data}"
        labels = {"as_of": f"as of {self.as_of_date}", "latest": "latest", "report": "as stated"}
        parts = []
        for key, v in self.views():
            if v.status == NO_DATA:
                parts.append(f"{labels[key]}: no data ({v.reason})")
            else:
                parts.append(f"{labels[key]}: {describe_measure(c, v.measure)}{_vintage_note(v)} → {v.status}")
        return f"{self.verdict}: " + "; ".join(parts) + f" (check: {c.formula if c.measure == 'stated' else c.measure} {describe_checks(c)})"

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "quote": c.quote,
            "page": c.page,
            "note": c.note,
            "indicator": c.indicator or None,
            "where": c.where,
            "measure": c.measure,
            "periods": {k: v for k, v in (("period", c.period), ("from", c.from_period), ("to", c.to_period),
                                           ("since", c.since), ("until", c.until)) if v},
            "part": c.part or None,
            **({"item": c.item, "rank_by": c.rank_by, "order": c.order} if c.measure == "rank" else {}),
            **({"numbers": c.numbers, "formula": c.formula} if c.measure == "stated" else {}),
            **({"vintages": c.vintages} if c.vintages else {}),
            **({"no_data": c.no_data} if c.no_data else {}),
            **({"no_data_da": c.text("no_data", "da")}
               if c.no_data and c.text("no_data", "da") != c.no_data else {}),
            **({"caveat": c.caveat} if c.caveat else {}),
            **({"caveat_da": c.text("caveat", "da")} if c.caveat and c.text("caveat", "da") != c.caveat else {}),
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


def _vintage_note(v) -> str:
    """" [ae-2020-12]": the vintages a view's numbers come from, so a revision shows both."""
    vintages = sorted({i["vintage"] for i in v.inputs if i.get("vintage")})
    if not vintages or len(vintages) > 3:
        return ""
    return f" [{', '.join(vintages)}]"


def _clean(v):
    # Round away float noise (28.6714685…) only for display and comparison of views; the
    # verdict itself is computed on the unrounded number.
    if isinstance(v, Rank):
        return {"rank": _clean(v.rank), "of": v.of}
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
    if isinstance(value, Rank):
        return (f"nr. {_fmt(value.rank, lang)} af {value.of}" if lang == "da"
                else f"{_fmt(value.rank, lang)} of {value.of}")
    if claim.measure == "every_change":
        return ", ".join(_signed(x, lang) for x in value)
    if isinstance(value, list):
        return f"{_fmt(value[0], lang)}–{_fmt(value[1], lang)}"
    suffix = " %" if claim.measure in ("percent_change", "share") else ""
    return f"{_fmt(value, lang)}{suffix}"


def _signed(v, lang: str) -> str:
    if isinstance(v, Span):
        return _fmt_span(v, lang)
    return ("+" if v > 0 else "") + _fmt(v, lang)


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


INPUT_FIELDS = ("period", "value", "value_low", "value_high", "precision", "unit", "vintage", "vintage_date",
                "source", "source_locator", "status", "confidence")


def _input(row) -> dict:
    return {k: row.get(k) for k in INPUT_FIELDS}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def row_span(row) -> Span:
    """The interval a tidy row stands for.

    A published range ("70.000–100.000") is kept as the range; a value rounded by its
    publisher is [value − precision/2, value + precision/2] from the recorded ``precision``
    (null = exact as published). Only a value marked ``approximate`` without a recorded
    precision falls back to the rounding of its last significant digit.
    """
    precision = row.get("precision")
    precision = None if _missing(precision) or precision == 0 else float(precision)
    if _missing(row["value"]):
        span = Span(float(row["value_low"]), float(row["value_high"]))
        return span.widen(precision) if precision else span
    if precision:
        return Span.around(row["value"], precision)
    if row["status"] == "approximate":
        return Span.rounded(row["value"])
    return Span.of(row["value"])


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
    if _missing(row["value"]) and (_missing(row["value_low"]) or _missing(row["value_high"])):
        raise NoData(f"{claim.indicator} {period} has no value", f"{claim.indicator} {period} har ingen værdi")
    return row_span(row), _input(row)


def _last_period(claim: Claim, frame) -> str:
    """The last period the view has under the claim's selection (``to``/``until = "last"``)."""
    sel = _select(frame, claim.where)
    if sel.height == 0:
        raise NoData(f"{claim.indicator} has no values", f"{claim.indicator} har ingen værdier")
    return sel.sort("period_end")["period"].to_list()[-1]


def _period(claim: Claim, frame, p: str) -> str:
    return _last_period(claim, frame) if p == LAST else p


def compute(claim: Claim, frame):
    """(measure, inputs) of the claim on one view's frame; raises NoData where a value is missing.

    The measure is a float, a :class:`Span` when an input was published as a range or
    rounded, for ``range`` a list [min, max] of those, for ``every_change`` the list of
    consecutive changes, and for ``rank`` a :class:`Rank`.
    """
    m = claim.measure
    try:
        measure, inputs = _compute(claim, frame, m)
    except ZeroDivisionError:
        raise RecipeError(f"claim {claim.id!r}: the divisor of the {m} is (or may be) 0, so it is undefined") from None
    if isinstance(measure, Rank):
        return Rank(Span.of(measure.rank).plain(), measure.of), inputs
    if isinstance(measure, list):
        return [v.plain() for v in measure], inputs
    return measure.plain(), inputs


def _compute(claim: Claim, frame, m: str):
    if m == "value":
        v, i = point(claim, frame, claim.period)
        return v, [i]
    if m in ("difference", "percent_change", "ratio"):
        a, ia = point(claim, frame, claim.from_period)
        b, ib = point(claim, frame, _period(claim, frame, claim.to_period))
        if m == "difference":
            return b - a, [ia, ib]
        ratio = b / a
        return (ratio.scale(100.0, -100.0) if m == "percent_change" else ratio), [ia, ib]
    if m == "share":
        whole, iw = point(claim, frame, claim.period)
        part, ip = point(claim, frame, claim.period, {**claim.where, **claim.part})
        return (part / whole).scale(100.0), [ip, iw]
    if m == "rank":
        return _rank(claim, frame)
    # min / max / range / every_change over the periods from since to until
    values, inputs = _series(claim, frame)
    if m == "every_change":
        if len(values) < 2:
            raise NoData(f"{claim.indicator} has fewer than two values from {claim.since} to {claim.until}",
                         f"{claim.indicator} har færre end to værdier fra {claim.since} til {claim.until}")
        return [b - a for a, b in zip(values[:-1], values[1:], strict=True)], inputs
    if m == "min":
        return span_min(values), inputs
    if m == "max":
        return span_max(values), inputs
    return [span_min(values), span_max(values)], inputs


def _series(claim: Claim, frame):
    """Every value of the selection from ``since`` to ``until``, in time order."""
    from ..periods import parse_period

    until = _period(claim, frame, claim.until)
    lo, hi = parse_period(claim.since), parse_period(until)
    sel = _select(frame, claim.where)
    periods = sorted(
        {p for p, s, e in zip(sel["period"].to_list(), sel["period_start"].to_list(), sel["period_end"].to_list(), strict=True)
         if s >= lo.start and e <= hi.end},
        key=lambda p: parse_period(p).start,
    )
    if not periods:
        raise NoData(f"{claim.indicator} has no values from {claim.since} to {until}",
                     f"{claim.indicator} har ingen værdier fra {claim.since} til {until}")
    values, inputs = [], []
    for p in periods:
        v, i = point(claim, frame, p)
        values.append(v)
        inputs.append(i)
    return values, inputs


def _rank(claim: Claim, frame):
    """Rank of ``item`` among every member of ``rank_by`` in the selection and period.

    Competition ranking (ties share the better place); with intervals the rank is the span
    of places the intervals allow: 1 + those certainly ahead … 1 + those possibly ahead.
    """
    rows = _rows_for(_select(frame, claim.where), claim.period)
    if rows.height == 0:
        raise NoData(f"{claim.indicator} has no values for {claim.period}",
                     f"{claim.indicator} har ingen værdier for {claim.period}")
    by = claim.rank_by
    if by not in rows.columns:
        raise RecipeError(f"claim {claim.id!r}: rank_by {by!r} is not a column of {claim.indicator}")
    members = rows[by].to_list()
    if len(set(members)) != len(members):
        raise RecipeError(f"claim {claim.id!r}: the selection gives more than one value per {by} for "
                          f"{claim.period}; narrow it with where = {{ … }} on: {_describe_ambiguity(rows)}")
    item, item_input = point(claim, frame, claim.period, {**claim.where, **claim.item})
    sign = 1.0 if claim.order == "highest" else -1.0
    x = item.scale(sign)
    surely, maybe, others, ahead = 0, 0, [], []
    for row in rows.iter_rows(named=True):
        if all(row.get(d) in codes for d, codes in claim.item.items()):
            item_input = _input(row) | {"member": row[by]}
            continue
        if _missing(row["value"]) and (_missing(row["value_low"]) or _missing(row["value_high"])):
            continue  # no value: not ranked
        o = row_span(row).scale(sign)
        others.append(o)
        surely += o.lo > x.hi
        if o.hi > x.lo:
            maybe += 1
            ahead.append((o, _input(row) | {"member": row[by]}))
    # the evidence: the item, then every member (possibly) ahead of it, first first
    ahead.sort(key=lambda t: -t[0].hi)
    return Rank(Span(1.0 + surely, 1.0 + maybe), 1 + len(others)), [item_input, *(i for _, i in ahead)]


def _stated(claim: Claim):
    """The formula on the report's own numbers, each the interval of its precision."""
    from .formula import evaluate_formula

    values = {name: Span.around(n["value"], n.get("precision") or 0) for name, n in claim.numbers.items()}
    try:
        result = evaluate_formula(claim.formula, values)
    except ZeroDivisionError:
        raise RecipeError(f"claim {claim.id!r}: the formula divides by a number that is (or may be) 0") from None
    inputs = [{"stated": name, "value": n["value"], "precision": n.get("precision") or None, "quote": n.get("quote"),
               **({"label": n["label"]} if n.get("label") else {})}
              for name, n in claim.numbers.items()]
    return result.plain(), inputs


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
    if claim.measure == "every_change":
        # "steget gennem alle de år": every consecutive change passes the check
        return all3(check_span(chk.op, Span.of(x), value=chk.value, tolerance=chk.tolerance, low=chk.low,
                               high=chk.high) for x in measure)
    if isinstance(measure, Rank):
        measure = measure.rank
    return check_span(chk.op, Span.of(measure), value=chk.value, tolerance=chk.tolerance, low=chk.low, high=chk.high)


def _named(text: str, claim: Claim, name: str | None) -> str:
    """A reason with the indicator's title in place of its id ("Personer i relativ fattigdom har…")."""
    prefix = f"{claim.indicator} "
    return name + text[len(prefix) - 1:] if name and text.startswith(prefix) else text


def check_view(claim: Claim, frame, view: str, periods: list[str] | None = None,
               names: dict[str, str] | None = None) -> ViewResult:
    """One view's result; ``periods`` are those the latest view covered (for min/max/range).

    ``names``: the indicator's title per language, for the reasons a reader reads (claims.md,
    the page); ``reason`` keeps the id, for the recipe author's error messages."""
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
        return ViewResult(view, NO_DATA, reason=exc.texts["en"],
                          reasons={lang: _named(text, claim, (names or {}).get(lang)) for lang, text in exc.texts.items()})
    return judged(claim, view, measure, inputs)


def judged(claim: Claim, view: str, measure, inputs) -> ViewResult:
    if not claim.checks:  # a not-comparable claim computed for information only
        return ViewResult(view, "computed", measure, inputs)
    outcome = compare(claim, measure)
    if outcome is None:
        reason = UNDECIDED_RANK if isinstance(measure, Rank) else UNDECIDED_REASON
        return ViewResult(view, UNDECIDED, measure, inputs, reason=reason["en"], reasons=dict(reason))
    return ViewResult(view, HOLDS if outcome else FAILS, measure, inputs)


UNDECIDED_REASON = {
    "en": "a value published as a range, or the rounding interval of a rounded value, lies partly inside "
          "and partly outside the check",
    "da": "en værdi offentliggjort som et interval, eller afrundingsintervallet for en afrundet værdi, ligger "
          "dels inden for, dels uden for kontrollen",
}
UNDECIDED_RANK = {
    "en": "rounded or ranged values overlap, so the rank is not certain enough to decide",
    "da": "afrundede værdier eller intervaller overlapper, så placeringen er for usikker til at afgøre det",
}
REVISED_REASON = {
    "en": "held against the data as published by the report's date; a later revision changes the answer",
    "da": "holdt mod tallene som offentliggjort pr. rapportens dato; en senere revision ændrer svaret",
}


def _vintages_of(claim: Claim, data) -> dict[str, str]:
    """Which releases hold the claim's periods, and when they came out (why as-of is empty):
    by description for a reader (``da``, ``en``), by id for the terminal and claims.json (``ids``)."""
    import polars as pl

    frame, prov = data.get(claim.indicator, vintage="all")
    sel = _select(frame, claim.where)
    if claim.period or (claim.from_period and claim.to_period != LAST):
        sel = sel.filter(pl.col("period").is_in(claim.periods()))
    elif claim.since and claim.until != LAST:
        from ..periods import parse_period

        lo, hi = parse_period(claim.since).start, parse_period(claim.until).end
        sel = sel.filter((pl.col("period_start") >= lo) & (pl.col("period_end") <= hi))
    found = sorted(set(sel["vintage"].drop_nulls().to_list()))
    if not found:
        return {"en": "", "da": "", "ids": ""}
    out = {}
    for lang, (published, unknown, lead) in {
        "en": ("published", "date not recorded", "; the data come from "),
        "da": ("udgivet", "dato ikke registreret", "; tallene stammer fra "),
    }.items():
        def dated(name, v, published=published, unknown=unknown):
            when = prov.vintages.get(v, {}).get("published")
            return f"{name} ({published} {when})" if when else f"{name} ({unknown})"

        # each release by what it is, in the reader's language (its id stays in the data)
        out[lang] = lead + ", ".join(dated(vintage_text(prov, v, lang) or v, v) for v in found)
        if lang == "en":
            out["ids"] = lead + ", ".join(dated(v, v) for v in found)
    return out


def _views(claim: Claim, data, as_of_date):
    """(latest frame, as-of frame) of the claim's indicator, among ``claim.vintages`` if given."""
    if not claim.vintages:
        return data.get(claim.indicator)[0], data.get(claim.indicator, as_of=as_of_date)[0]
    import polars as pl

    from .. import vintages as vt

    frame, prov = data.get(claim.indicator, vintage="all")
    unknown = [v for v in claim.vintages if v not in prov.vintages and v not in set(frame["vintage"].to_list())]
    if unknown:
        raise RecipeError(f"claim {claim.id!r}: unknown vintage {unknown[0]!r}; {claim.indicator} has: "
                          f"{', '.join(sorted(set(frame['vintage'].drop_nulls().to_list())))}")
    frame = frame.filter(pl.col("vintage").is_in(claim.vintages))
    known = {k: v["known_by"] for k, v in prov.vintages.items() if v.get("known_by")}
    return vt.select(frame, "latest", None, known), vt.select(frame, "latest", as_of_date, known)


def verdict_of(asof: ViewResult, latest: ViewResult) -> str:
    """The claim's verdict from its two views (each holds, fails, undecided or no data).

    The report is judged first on what its authors could read: a claim that held then is
    ``holds`` if it still does and ``revised`` if a later vintage changes the answer; one
    that failed then ``fails``. When nothing decisive was published by the report's date,
    the latest data decide.
    """
    if asof.status == HOLDS:
        return HOLDS if latest.status == HOLDS else REVISED
    if asof.status == FAILS:
        return FAILS
    if latest.status == FAILS:
        return FAILS
    if latest.status == HOLDS and asof.status == NO_DATA:
        return HOLDS
    return UNDECIDED  # the latest data (or the as-of data) straddle the check


def evaluate(claim: Claim, data, report) -> ClaimResult:
    """Check one claim against the report-date view and the latest view of its indicator."""
    as_of_date = report.as_of
    if claim.no_data is not None:
        return ClaimResult(claim, NO_DATA, as_of_date.isoformat(), None, None)
    if claim.measure == "stated":
        measure, inputs = _stated(claim)
        stated = judged(claim, "report", measure, inputs)
        return ClaimResult(claim, stated.status, as_of_date.isoformat(), None, stated)
    latest = asof = None
    if claim.measure is not None:
        latest_frame, asof_frame = _views(claim, data, as_of_date)
        names = dict(getattr(data.get(claim.indicator)[1], "title", None) or {})
        latest = check_view(claim, latest_frame, "latest", names=names)
        if latest.status == NO_DATA:
            raise RecipeError(f"claim {claim.id!r}: {latest.reason} in any vintage; "
                              f"change its period, mark it not_comparable without a measure, or give "
                              f"no_data = \"the publication that would settle it\"")
        spans = claim.measure in ("min", "max", "range", "every_change") and claim.until != LAST
        asof = check_view(claim, asof_frame, "as_of", [i["period"] for i in latest.inputs] if spans else None,
                          names=names)
        if asof.status == NO_DATA:
            came_from = _vintages_of(claim, data)
            asof.reasons = {
                "en": f"nothing certainly published by {as_of_date.isoformat()}: {asof.reason_in('en')}"
                      + came_from["en"],
                "da": f"intet med sikkerhed offentliggjort pr. {as_of_date.isoformat()}: {asof.reason_in('da')}"
                      + came_from["da"],
            }
            # the terminal and claims.json keep the ids a reader of them types
            asof.reason = f"nothing certainly published by {as_of_date.isoformat()}: {asof.reason}" + came_from["ids"]
    if claim.not_comparable is not None:
        return ClaimResult(claim, NOT_COMPARABLE, as_of_date.isoformat(), asof, latest)
    return ClaimResult(claim, verdict_of(asof, latest), as_of_date.isoformat(), asof, latest)


def tally(results: list[ClaimResult]) -> dict[str, int]:
    out = dict.fromkeys(VERDICTS, 0)
    for r in results:
        out[r.verdict] += 1
    return out
