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

The report is never its own evidence. A claim that compares the report's figures with each
other (``measure = "stated"``) is a *consistency* check (``kind = "consistency"``): the
figures ``agree`` (their intervals allow one set of values) or ``disagree``; counted apart
from the verdicts above in every summary. Each holds/fails (and agree/disagree) carries its
margin (:mod:`.margins`); a change between two periods also says what the neighbouring
published periods give.

A *view* with no data for the claim's periods is reported as ``no data`` (e.g. nothing had
been published by the report's date); the latest view must have data, or the recipe is an
error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..presentation import date_text, vintage_text
from ..verdicts import (  # noqa: F401  (the verdicts, named where claims are judged)
    AGREE,
    CONSISTENCY_VERDICTS,
    DISAGREE,
    FAILS,
    HOLDS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    UNDECIDED,
    VERDICTS,
)
from .margins import Margin, margin, record_step
from .model import CONSISTENCY, LAST, Claim, RecipeError, span_words
from .spans import Span, all3, check_span, span_max, span_min

#: Change measures whose neighbouring periods are checked too (the cherry-picking check).
CHANGES = ("difference", "percent_change", "ratio")


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
    #: how far the evidence is from changing a holds/fails (None: no single input can)
    margin: Margin | None = None
    #: the input record the margin moves (and the second one, when one alone cannot)
    margin_of: dict[str, Any] | None = None
    margin_also_of: dict[str, Any] | None = None
    #: a change between two periods: the same check with the start or the end moved to the
    #: neighbouring published period ({from, to, measure, status})
    neighbours: list[dict] = field(default_factory=list)
    #: the as-of view of a revised claim: its margin is that of the figures as published then,
    #: which the margin's words say (beside a later value, "2019 higher" would read wrong)
    superseded: bool = False

    def reason_in(self, lang: str) -> str:
        return self.reasons.get(lang) or self.reason

    @property
    def decided(self) -> bool:
        return self.status in (HOLDS, FAILS, AGREE, DISAGREE)

    def to_json(self) -> dict:
        out = {"view": self.view, "status": self.status, "measure": _clean(self.measure),
               "inputs": [{k: v for k, v in i.items() if k != "step"} for i in self.inputs], "reason": self.reason}
        if self.reasons.get("da") and self.reasons.get("da") != self.reason:
            out["reason_da"] = self.reasons["da"]
        if self.decided:
            out["margin"] = self.margin.to_json(self.margin_of) if self.margin else None
            out["margin_text"] = margin_text(self, "en")
        if self.neighbours:
            out["neighbours"] = [{**n, "measure": _clean(n["measure"])} for n in self.neighbours]
        return out


@dataclass
class ClaimResult:
    claim: Claim
    verdict: str
    as_of_date: str
    as_of: ViewResult | None
    latest: ViewResult | None

    @property
    def kind(self) -> str:
        """``evidence`` or ``consistency`` (the report's figures against each other)."""
        return self.claim.kind

    @property
    def differs(self) -> bool:
        """Both views have numbers and their results differ: a revision changes the result."""
        if not (self.as_of and self.latest) or NO_DATA in (self.as_of.status, self.latest.status):
            return False
        return self.as_of.status != self.latest.status

    @property
    def revised_numbers(self) -> bool:
        """Both views have numbers that differ, with the same result."""
        if not (self.as_of and self.latest) or NO_DATA in (self.as_of.status, self.latest.status):
            return False
        return not self.differs and _clean(self.as_of.measure) != _clean(self.latest.measure)

    @property
    def on_later_data(self) -> bool:
        """Holds (or fails) on data published after the report only: the as-of view had none."""
        return (self.verdict in (HOLDS, FAILS) and self.as_of is not None and self.as_of.status == NO_DATA)

    @property
    def deciding(self) -> ViewResult | None:
        """The view the verdict rests on: as of the report's date when it decided, else the latest."""
        if self.as_of is not None and self.as_of.decided:
            return self.as_of
        return self.latest if self.latest is not None and self.latest.decided else None

    def views(self):
        """(label key, view) for each view the claim has: as_of, latest, or report (stated)."""
        return [(v.view, v) for v in (self.as_of, self.latest) if v is not None]

    def verdict_text(self, lang: str = "en") -> str:
        """The verdict in words: "holds (on later data)" when the report's date had no data."""
        from ..presentation import CLAIM_LABELS

        text = CLAIM_LABELS[lang].get(self.verdict, self.verdict)
        return f"{text} ({VERDICT_WORDS[lang]['later']})" if self.on_later_data else text

    def summary(self) -> str:
        """One line in English for the terminal and claims.md."""
        c = self.claim
        if self.verdict == NOT_COMPARABLE and not self.views():
            return f"not comparable: {c.not_comparable}"
        if self.verdict == NO_DATA and not self.views():
            return f"no data: {no_data_text(c, 'en')}"
        labels = {"as_of": f"as of {self.as_of_date or 'the report date (not known)'}", "latest": "latest",
                  "report": "as stated"}
        parts = []
        for key, v in self.views():
            if v.status == NO_DATA:
                parts.append(f"{labels[key]}: no data ({v.reason})")
            else:
                parts.append(f"{labels[key]}: {describe_measure(c, v.measure)}{_vintage_note(v)} → {v.status}")
        head = self.verdict_text("en")
        if self.verdict == NOT_COMPARABLE:
            head = f"not comparable ({c.not_comparable})"
        formula = c.formula if c.measure in ("stated", "formula") else c.measure
        check = f" (check: {formula} {describe_checks(c)})" if c.checks else ""
        extra = ""
        d = self.deciding
        if d is not None and self.verdict != NOT_COMPARABLE:
            extra = f"; {margin_text(d, 'en')}"
            if d.neighbours:
                extra += f"; {neighbours_text(c, d, 'en')}"
        return f"{head}: " + "; ".join(parts) + f"{check}{extra}"

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "kind": c.kind,
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
            **({"numbers": {k: _number_json(n) for k, n in c.numbers.items()}, "formula": c.formula}
               if c.measure in ("stated", "formula") else {}),
            **({"reads": c.reads.words, "reads_text": c.reads.explain("en"), "reads_text_da": c.reads.explain("da")}
               if c.reads else {}),
            **({"vintages": c.vintages} if c.vintages else {}),
            **({"no_data": c.no_data, "no_data_reason": c.no_data_reason,
                "no_data_text": no_data_text(c, "en")} if c.no_data else {}),
            **({"looked_for": c.looked_for} if c.looked_for else {}),
            **({"period_text": c.period_text} if c.period_text else {}),
            **({"no_data_da": c.text("no_data", "da")}
               if c.no_data and c.text("no_data", "da") != c.no_data else {}),
            **({"caveat": c.caveat} if c.caveat else {}),
            **({"caveat_da": c.text("caveat", "da")} if c.caveat and c.text("caveat", "da") != c.caveat else {}),
            "checks": [{"op": k.op, "value": k.value, "tolerance": k.tolerance, "low": k.low,
                        "high": k.high, **({"reason": k.reason} if k.reason else {})} for k in c.checks],
            "check_text": describe_checks(c) or None,
            "comment": c.comment,
            **({"comment_da": c.text("comment", "da")} if c.comment and c.text("comment", "da") != c.comment else {}),
            "verdict": self.verdict,
            "verdict_text": self.verdict_text("en"),
            "on_later_data": self.on_later_data,
            "margin": (self.deciding.margin.to_json(self.deciding.margin_of)
                       if self.deciding and self.deciding.margin else None),
            "margin_text": margin_text(self.deciding, "en") if self.deciding else None,
            "not_comparable": c.not_comparable,
            **({"not_comparable_da": c.text("not_comparable", "da")}
               if c.not_comparable and c.text("not_comparable", "da") != c.not_comparable else {}),
            "differs_between_vintages": self.differs,
            "revised_numbers_same_result": self.revised_numbers,
            "as_of_date": self.as_of_date,
            "as_of": self.as_of.to_json() if self.as_of else None,
            "latest": self.latest.to_json() if self.latest else None,
            "summary": self.summary(),
        }


def _number_json(n: dict) -> dict:
    if n.get("reads") is not None:
        return {"reads": n["reads"].words, "reads_text": n["reads"].explain("en"), "quote": n.get("quote"),
                **({"label": n["label"]} if n.get("label") else {})}
    return {k: v for k, v in n.items() if v not in (None, [], {})}


#: Words the claim texts use, per language.
VERDICT_WORDS = {
    "en": {"later": "on later data", "margin": "margin", "steps": "steps", "step": "step", "of": "of",
           "fragile": "fragile: one step of one input changes it", "no_margin":
           "no move of one or two inputs (within ten times their size) changes it", "and": "and",
           "each": "each of two inputs",
           "becomes": "would become", "higher": "higher", "lower": "lower", "neighbours": "neighbouring periods",
           "robust": "the same with each", "depends": "depends on the periods chosen",
           "not_bundled": "the source is not in the bundle", "not_in_source":
           "the cited source does not contain the figure (not found in the primary publication)",
           "looked_for": "looked for", "in": "in", "settle": "would be settled by",
           "superseded": "on the figures as published by the report's date"},
    "da": {"later": "på senere data", "margin": "margin", "steps": "trin", "step": "trin", "of": "af",
           "fragile": "skrøbelig: ét trin af ét tal ændrer den", "no_margin":
           "ingen flytning af ét eller to tal (inden for ti gange deres størrelse) ændrer den", "and": "og",
           "each": "for hvert af to tal",
           "becomes": "ville blive", "higher": "højere", "lower": "lavere", "neighbours": "nabo-perioder",
           "robust": "det samme med hver", "depends": "afhænger af de valgte perioder",
           "not_bundled": "kilden er ikke i datasættene", "not_in_source":
           "den citerede kilde indeholder ikke tallet (ikke fundet i den primære publikation)",
           "looked_for": "søgt efter", "in": "i", "settle": "afgøres af",
           "superseded": "på tallene som offentliggjort pr. rapportens dato"},
}


def no_data_text(c: Claim, lang: str = "en") -> str:
    """Why a claim has no data, what was looked for and where, in ``lang``."""
    w = VERDICT_WORDS[lang]
    why = w["not_in_source"] if c.no_data_reason == "not-in-source" else w["not_bundled"]
    where = c.text("no_data", lang)
    looked = c.text("looked_for", lang)
    if looked:
        return f"{why}; {w['looked_for']} {looked} {w['in']} {where}"
    return f"{why}; {w['settle'] if c.no_data_reason == 'not-bundled' else w['in']} {where}"


def margin_text(v: ViewResult | None, lang: str = "en") -> str:
    """ "margin 67 steps of 1 (2019 higher → fails)" / "fragile: …" for a decided view."""
    if v is None or not v.decided:
        return ""
    w = VERDICT_WORDS[lang]
    m = v.margin
    if m is None:
        return f"{w['margin']}: {w['no_margin']}"
    moved = f"{_what(v.margin_of or {}, lang)} {w['higher'] if m.direction > 0 else w['lower']}"
    if m.also is not None:
        moved += f" {w['and']} {_what(v.margin_also_of or {}, lang)} {w['higher'] if m.also[1] > 0 else w['lower']}"
    moved += f" → {_status_word(m.becomes, lang)}"
    steps = f"{m.steps} {w['steps'] if m.steps != 1 else w['step']} {w['of']} {_fmt(m.step, lang)}"
    if m.also is not None:
        steps = f"{m.steps} {w['steps'] if m.steps != 1 else w['step']} {w['each']}"
    when = f" {w['superseded']}" if v.superseded else ""
    if m.fragile:
        return f"{w['fragile']} ({steps}: {moved}){when}"
    return f"{w['margin']} {steps} ({moved}){when}"


def _what(i: dict, lang: str) -> str:
    """The input a margin moves, in words: its label, its member and period, or its period."""
    label = i.get("label")
    if isinstance(label, dict) and label.get(lang):
        return label[lang]
    if i.get("series_text") and i.get("period"):
        return f"{i['series_text'].get(lang) or next(iter(i['series_text'].values()))} {i['period']}"
    if i.get("member") and i.get("period"):
        who = (i.get("member_text") or {}).get(lang) or i["member"]
        return f"{who}, {(i.get('period_text') or {}).get(lang) or i['period']},"
    return i.get("stated") or i.get("period") or "?"


def _status_word(status: str, lang: str) -> str:
    from ..presentation import CLAIM_LABELS

    return CLAIM_LABELS[lang].get(status, status)


def neighbours_text(c: Claim, v: ViewResult, lang: str = "en") -> str:
    """ "neighbouring periods: 2011→2019 +21.57 % → fails; 2009→2017 +32.75 % → fails (depends …)"."""
    w = VERDICT_WORDS[lang]
    if not v.neighbours:
        return ""
    same = all(n["status"] == v.status for n in v.neighbours)
    parts = [f"{n['from']}→{n['to']}: {describe_measure(c, n['measure'], lang)} → {_status_word(n['status'], lang)}"
             for n in v.neighbours]
    return f"{w['neighbours']}: " + "; ".join(parts) + f" ({w['robust'] if same else w['depends']})"


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
    return f"[{span_words(_fmt(v.lo, lang), _fmt(v.hi, lang), v.lo < 0, lang)}]"


def _fmt(v, lang: str = "en") -> str:
    """Whole numbers as they are; others to two decimals (enough to see "28.67 %" is under 30)."""
    from ..formatting import format_number

    if isinstance(v, Span):
        return _fmt_span(v, lang)

    # a count is shown whole (no "31.912,50 børn"); a share, rate or ratio to two decimals
    return format_number(v, lang, 0 if float(v).is_integer() or abs(float(v)) >= 1000 else 2)


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


def point(claim: Claim, frame, period: str, where: dict[str, list[str]] | None = None,
          indicator: str | None = None):
    """The one value of ``period`` under the claim's selection: (value, input record)."""
    indicator = indicator or claim.indicator
    rows = _rows_for(_select(frame, claim.where if where is None else where), period)
    if rows.height == 0:
        raise NoData(f"{indicator} has no value for {period}", f"{indicator} har ingen værdi for {period}")
    if rows.height > 1:
        raise RecipeError(
            f"claim {claim.id!r}: the selection gives {rows.height} values for {period}; "
            f"narrow it with where = {{ … }} on: {_describe_ambiguity(rows)}"
        )
    row = rows.row(0, named=True)
    if _missing(row["value"]) and (_missing(row["value_low"]) or _missing(row["value_high"])):
        raise NoData(f"{indicator} {period} has no value", f"{indicator} {period} har ingen værdi")
    return row_span(row), _input(row)


def _last_period(claim: Claim, frame) -> str:
    """The last period the view has under the claim's selection (``to``/``until = "last"``)."""
    sel = _select(frame, claim.where)
    if sel.height == 0:
        raise NoData(f"{claim.indicator} has no values", f"{claim.indicator} har ingen værdier")
    return sel.sort("period_end")["period"].to_list()[-1]


def _period(claim: Claim, frame, p: str) -> str:
    return _last_period(claim, frame) if p == LAST else p


@dataclass
class Evidence:
    """What a measure reads: every value as an interval, its input record, and the arithmetic
    from the intervals to the measure (so the verdict can be recomputed on moved values)."""

    spans: list[Span]
    records: list[dict[str, Any]]
    combine: Callable[[list[Span]], Any]
    #: the inputs shown to a reader (a rank shows the item and those ahead of it); default all
    shown: list[dict[str, Any]] | None = None

    def measure(self, claim: Claim, spans: list[Span] | None = None):
        try:
            value = self.combine(self.spans if spans is None else spans)
        except ZeroDivisionError:
            raise RecipeError(f"claim {claim.id!r}: the divisor of the {claim.measure} is (or may be) 0, "
                              "so it is undefined") from None
        return _plain(value)

    def steps(self) -> list[float]:
        return [record_step(r, s) for r, s in zip(self.records, self.spans, strict=True)]


def _plain(value):
    if isinstance(value, Rank):
        return Rank(Span.of(value.rank).plain(), value.of)
    if isinstance(value, list):
        return [v.plain() for v in value]
    return value.plain()


def compute(claim: Claim, frame):
    """(measure, inputs) of the claim on one view's frame; raises NoData where a value is missing.

    The measure is a float, a :class:`Span` when an input was published as a range or
    rounded, for ``range`` a list [min, max] of those, for ``every_change`` the list of
    consecutive changes, and for ``rank`` a :class:`Rank`.
    """
    ev = gather(claim, frame)
    return ev.measure(claim), ev.shown if ev.shown is not None else ev.records


def gather(claim: Claim, frame) -> Evidence:
    """The values the claim's measure reads on one view's frame, and how they combine."""
    m = claim.measure
    if m == "value":
        v, i = point(claim, frame, claim.period)
        return Evidence([v], [i], lambda s: s[0])
    if m in ("difference", "percent_change", "ratio"):
        a, ia = point(claim, frame, claim.from_period)
        b, ib = point(claim, frame, _period(claim, frame, claim.to_period))
        if m == "difference":
            return Evidence([a, b], [ia, ib], lambda s: s[1] - s[0])
        if m == "percent_change":
            return Evidence([a, b], [ia, ib], lambda s: (s[1] / s[0]).scale(100.0, -100.0))
        return Evidence([a, b], [ia, ib], lambda s: s[1] / s[0])
    if m == "share":
        whole, iw = point(claim, frame, claim.period)
        part, ip = point(claim, frame, claim.period, {**claim.where, **claim.part})
        return Evidence([part, whole], [ip, iw], lambda s: (s[0] / s[1]).scale(100.0))
    if m == "rank":
        return _rank(claim, frame)
    # min / max / range / every_change over the periods from since to until
    values, inputs = _series(claim, frame)
    if m == "every_change":
        if len(values) < 2:
            raise NoData(f"{claim.indicator} has fewer than two values from {claim.since} to {claim.until}",
                         f"{claim.indicator} har færre end to værdier fra {claim.since} til {claim.until}")
        return Evidence(values, inputs, lambda s: [b - a for a, b in zip(s[:-1], s[1:], strict=True)])
    if m == "min":
        return Evidence(values, inputs, span_min)
    if m == "max":
        return Evidence(values, inputs, span_max)
    return Evidence(values, inputs, lambda s: [span_min(s), span_max(s)])


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


def _rank(claim: Claim, frame) -> Evidence:
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
    spans, records = [item], [item_input]
    for row in rows.iter_rows(named=True):
        if all(row.get(d) in codes for d, codes in claim.item.items()):
            records[0] = _input(row) | {"member": row[by]}
            continue
        if _missing(row["value"]) and (_missing(row["value_low"]) or _missing(row["value_high"])):
            continue  # no value: not ranked
        spans.append(row_span(row))
        records.append(_input(row) | {"member": row[by]})
    sign = 1.0 if claim.order == "highest" else -1.0

    def rank_of(s: list[Span]) -> Rank:
        x = s[0].scale(sign)
        others = [o.scale(sign) for o in s[1:]]
        surely = sum(o.lo > x.hi for o in others)
        maybe = sum(o.hi > x.lo for o in others)
        return Rank(Span(1.0 + surely, 1.0 + maybe), 1 + len(others))

    # the evidence shown: the item, then every member (possibly) ahead of it, first first
    x = item.scale(sign)
    ahead = sorted(((o.scale(sign), r) for o, r in zip(spans[1:], records[1:], strict=True) if o.scale(sign).hi > x.lo),
                   key=lambda t: -t[0].hi)
    return Evidence(spans, records, rank_of, [records[0], *(r for _, r in ahead)])


def gather_formula(claim: Claim, frames: dict[str, Any]) -> Evidence:
    """A formula's numbers: the report's own (the interval of their words) and bundled values
    (``frames``: number name -> the view's frame of its indicator)."""
    from .formula import evaluate_formula

    names, spans, records = list(claim.numbers), [], []
    for name, n in claim.numbers.items():
        label = {"label": n["label"]} if n.get("label") else {}
        if n.get("reads") is not None:
            r = n["reads"]
            spans.append(Span(r.interval.low, r.interval.high))
            records.append({"stated": name, "value": r.number.value, "low": r.interval.low, "high": r.interval.high,
                            "reads": r.words, "step": r.step, "quote": n.get("quote"), **label})
            continue
        v, i = point(claim, frames[name], n["period"], n["where"], n["indicator"])
        spans.append(v)
        records.append(i | {"number": name, "indicator": n["indicator"], **label})
    return Evidence(spans, records, lambda s: evaluate_formula(claim.formula, dict(zip(names, s, strict=True))))


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
        ev = gather(claim, frame)
        have = [i["period"] for i in ev.records]
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
    result = weighed(claim, view, ev)
    # "since 2000" until now fixes both ends by its words; "from 2009 to 2019" chose them
    if result.decided and claim.measure in CHANGES and claim.to_period != LAST:
        result.neighbours = _neighbours(claim, frame, result.status)
    return result


def weighed(claim: Claim, view: str, ev: Evidence) -> ViewResult:
    """The view's result on its evidence, with the margin of a decided result."""
    result = judged(claim, view, ev.measure(claim), ev.shown if ev.shown is not None else ev.records)
    if claim.period_text_text:  # the period as the source publishes it ("the most recent year reported")
        for i in ev.records:
            i["period_text"] = dict(claim.period_text_text)
    for i in ev.records:  # a day as a reader writes it ("1. januar 2018"), not 2018-01-01
        if not i.get("period_text") and len(str(i.get("period") or "")) == 10:
            i["period_text"] = {lang: date_text(i["period"], lang) for lang in ("da", "en")}
    if claim.series_text:  # the rows in words, where one quote stands for several claims
        for i in ev.records:
            i["series_text"] = dict(claim.series_text)
    if result.decided:
        # the evidence moves, not a number the report states beside it (the 56 % of "56 % of the
        # poor children is godt 36.000"); the report's own figures move when they are all there is
        evidence = [k for k, r in enumerate(ev.records) if not r.get("stated")]
        result.margin = margin(ev.spans, ev.steps(), lambda s: _status(claim, _plain(ev.combine(s))), result.status,
                               evidence or None)
        result.margin_of = ev.records[result.margin.input] if result.margin else None
        if result.margin and result.margin.also:
            result.margin_also_of = ev.records[result.margin.also[0]]
    return result


def _status(claim: Claim, measure) -> str:
    """holds / fails / undecided; for the report's own figures, agree / disagree."""
    outcome = compare(claim, measure)
    if claim.kind == CONSISTENCY:
        # the figures agree when some values their words allow satisfy the check together
        return DISAGREE if outcome is False else AGREE
    return UNDECIDED if outcome is None else HOLDS if outcome else FAILS


def _neighbours(claim: Claim, frame, status: str) -> list[dict]:
    """The change with its start or its end moved to the neighbouring published period."""
    import dataclasses

    from ..periods import parse_period

    sel = _select(frame, claim.where)
    periods = sorted(set(sel["period"].to_list()), key=lambda p: parse_period(p).start)
    start, end = claim.from_period, _period(claim, frame, claim.to_period)
    if start not in periods or end not in periods:
        return []

    def near(p, step):
        i = periods.index(p) + step
        return periods[i] if 0 <= i < len(periods) else None

    out = []
    for a, b in ((near(start, -1), end), (near(start, 1), end), (start, near(end, -1)), (start, near(end, 1))):
        if a is None or b is None or periods.index(a) >= periods.index(b):
            continue
        moved = dataclasses.replace(claim, from_period=a, to_period=b)
        try:
            measure, _ = compute(moved, frame)
        except NoData:
            continue
        out.append({"from": a, "to": b, "measure": measure, "status": _status(claim, measure)})
    return out


def judged(claim: Claim, view: str, measure, inputs) -> ViewResult:
    if not claim.checks:  # a not-comparable claim computed for information only
        return ViewResult(view, "computed", measure, inputs)
    status = _status(claim, measure)
    if status == UNDECIDED:
        reason = UNDECIDED_RANK if isinstance(measure, Rank) else UNDECIDED_REASON
        return ViewResult(view, UNDECIDED, measure, inputs, reason=reason["en"], reasons=dict(reason))
    return ViewResult(view, status, measure, inputs)


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
    if claim.vintages:
        # only the releases the claim is checked against: a vintage it leaves out on purpose
        # (the report's own quotation) is no answer to "why is the as-of view empty"
        found = [v for v in found if v in claim.vintages]
    return _releases_text([(prov, v) for v in found])


def _formula_vintages_of(claim: Claim, data) -> dict[str, str]:
    """:func:`_vintages_of` for a formula: the releases holding its bundled numbers' periods."""
    import polars as pl

    found = []
    for n in claim.numbers.values():
        if not n.get("indicator"):
            continue
        frame, prov = data.get(n["indicator"], vintage="all")
        sel = _select(frame, n["where"]).filter(pl.col("period") == n["period"])
        for v in sorted(set(sel["vintage"].drop_nulls().to_list())):
            if (not n.get("vintages") or v in n["vintages"]) and all(v != w for _, w in found):
                found.append((prov, v))
    return _releases_text(found)


def _releases_text(found) -> dict[str, str]:
    """"; the data come from <release> (published <date>), …" for (provenance, vintage) pairs."""
    if not found:
        return {"en": "", "da": "", "ids": ""}
    out = {}
    for lang, (published, unknown, lead) in {
        "en": ("published", "date not recorded", "; the data come from "),
        "da": ("udgivet", "dato ikke registreret", "; tallene stammer fra "),
    }.items():
        def dated(name, prov, v, published=published, unknown=unknown, lang=lang, ids=False):
            when = prov.vintages.get(v, {}).get("published")
            if when:
                return f"{name} ({published} {when if ids else date_text(when, lang)})"
            # a release's own words may already say its date is not recorded: say it once
            said = any(w in name.lower() for w in ("ikke registreret", "not recorded"))
            return name if said and not ids else f"{name} ({unknown})"

        # each release by what it is, in the reader's language (its id stays in the data)
        out[lang] = lead + ", ".join(dated(vintage_text(prov, v, lang) or v, prov, v) for prov, v in found)
        if lang == "en":
            out["ids"] = lead + ", ".join(dated(v, prov, v, ids=True) for prov, v in found)
    return out


def _views(claim: Claim, data, as_of_date, indicator: str | None = None, vintages: list[str] | None = None):
    """(latest frame, as-of frame) of an indicator (the claim's), among ``vintages`` if given."""
    indicator = indicator or claim.indicator
    vintages = claim.vintages if vintages is None else vintages
    if not vintages:
        return data.get(indicator)[0], data.get(indicator, as_of=as_of_date)[0]
    import polars as pl

    from .. import vintages as vt

    frame, prov = data.get(indicator, vintage="all")
    unknown = [v for v in vintages if v not in prov.vintages and v not in set(frame["vintage"].to_list())]
    if unknown:
        raise RecipeError(f"claim {claim.id!r}: unknown vintage {unknown[0]!r}; {indicator} has: "
                          f"{', '.join(sorted(set(frame['vintage'].drop_nulls().to_list())))}")
    frame = frame.filter(pl.col("vintage").is_in(vintages))
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
    iso = as_of_date.isoformat() if as_of_date else None
    if claim.no_data is not None:
        return ClaimResult(claim, NO_DATA, iso, None, None)
    if claim.measure == "stated":
        stated = weighed(claim, "report", gather_formula(claim, {}))
        return ClaimResult(claim, stated.status, iso, None, stated)
    if claim.measure == "formula":
        return _evaluate_formula(claim, data, as_of_date)
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
        if as_of_date is None:
            asof = _undated_view()
        else:
            asof = check_view(claim, asof_frame, "as_of", [i["period"] for i in latest.inputs] if spans else None,
                              names=names)
        if asof.status == NO_DATA and as_of_date is not None:
            came_from = _vintages_of(claim, data)
            # a reader meets this under "Data as published by <date>": the date is not said twice
            asof.reasons = {lang: NOT_YET[lang] + asof.reason_in(lang) + came_from[lang] for lang in ("en", "da")}
            # the terminal and claims.json keep the ids a reader of them types
            asof.reason = f"nothing certainly published by {as_of_date.isoformat()}: {asof.reason}" + came_from["ids"]
    if claim.rank_by:
        _name_members(claim, data, (asof, latest))
    if claim.not_comparable is not None:
        return ClaimResult(claim, NOT_COMPARABLE, iso, asof, latest)
    return _result(claim, iso, asof, latest)


def _name_members(claim: Claim, data, views) -> None:
    """The member a ranking's margin moves, by name in each language ("Danmark"), not its code."""
    from ..languages import LANGS
    from ..presentation import code_label

    prov = data.get(claim.indicator)[1]
    for v in views:
        for rec in (getattr(v, "margin_of", None), getattr(v, "margin_also_of", None)):
            if rec and rec.get("member"):
                rec["member_text"] = {lang: code_label(prov, claim.rank_by, rec["member"], lang) for lang in LANGS}


#: how an as-of view's "no data" starts, under a label that gives the report's date
NOT_YET = {"en": "nothing certainly published by then: ", "da": "intet med sikkerhed offentliggjort inden da: "}


def _evaluate_formula(claim: Claim, data, as_of_date) -> ClaimResult:
    """A formula with bundled values: each view reads them from its own frames."""
    data_numbers = {k: n for k, n in claim.numbers.items() if n.get("indicator")}
    frames = {k: _views(claim, data, as_of_date, n["indicator"], n["vintages"]) for k, n in data_numbers.items()}
    # each indicator by its title in a reason a reader reads
    titles = {n["indicator"]: dict(getattr(data.get(n["indicator"])[1], "title", None) or {})
              for n in data_numbers.values()}
    results = {}
    for view, index in (("latest", 0), ("as_of", 1)):
        if view == "as_of" and as_of_date is None:
            results[view] = _undated_view()
            continue
        try:
            results[view] = weighed(claim, view, gather_formula(claim, {k: f[index] for k, f in frames.items()}))
        except NoData as exc:
            if view == "latest":
                raise RecipeError(f"claim {claim.id!r}: {exc.texts['en']} in any vintage") from None
            named = {lang: text for lang, text in exc.texts.items()}
            for ind, title in titles.items():
                named = {lang: text.replace(f"{ind} ", f"{title.get(lang) or ind} ", 1) for lang, text in named.items()}
            came_from = _formula_vintages_of(claim, data)
            reason = f"nothing certainly published by {as_of_date.isoformat()}: {exc.texts['en']}" + came_from["ids"]
            reasons = {lang: NOT_YET[lang] + named[lang] + came_from[lang] for lang in ("en", "da")}
            results[view] = ViewResult(view, NO_DATA, reason=reason, reasons=reasons)
    asof, latest = results["as_of"], results["latest"]
    iso = as_of_date.isoformat() if as_of_date else None
    if claim.not_comparable is not None:
        return ClaimResult(claim, NOT_COMPARABLE, iso, asof, latest)
    return _result(claim, iso, asof, latest)


def _result(claim: Claim, iso, asof: ViewResult, latest: ViewResult) -> ClaimResult:
    verdict = verdict_of(asof, latest)
    if asof is not None:
        asof.superseded = verdict == REVISED
    return ClaimResult(claim, verdict, iso, asof, latest)


def _undated_view() -> ViewResult:
    """The as-of view of a report with no known date: none, said so; the latest data decide."""
    return ViewResult("as_of", NO_DATA, reason="the report's date is not known: no view as of it",
                      reasons={"en": "the report's date is not known: no view as of it",
                               "da": "rapportens dato kendes ikke: intet billede pr. den dato"})


def tally(results: list[ClaimResult]) -> dict[str, int]:
    """Evidence verdicts, every kind (consistency checks are counted apart: :func:`consistency_tally`)."""
    out = dict.fromkeys(VERDICTS, 0)
    for r in results:
        if r.kind != CONSISTENCY:
            out[r.verdict] += 1
    return out


def consistency_tally(results: list[ClaimResult]) -> dict[str, int]:
    """The report's figures against each other: how many agree and how many disagree."""
    out = dict.fromkeys(CONSISTENCY_VERDICTS, 0)
    for r in results:
        if r.kind == CONSISTENCY:
            out[r.verdict] += 1
    return out
