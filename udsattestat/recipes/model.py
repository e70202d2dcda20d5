"""The recipe format: a TOML file naming a report, its figures, tables and claims.

A recipe is data, never code. Its shape is declared here, once: each record (:class:`Report`,
:class:`Figure`, :class:`Table`, :class:`Claim`, :class:`Check`) is a dataclass whose fields
name, beside their type, the TOML key, its shape (:mod:`.fields`) and a one-line meaning, and a
recipe is read into these records (:mod:`.reader`), checked across keys by :mod:`.rules`.
Adding a key (a claim's ``draft = true``) is one field here and, if it constrains others,
one rule. The checks that need the data (indicators, dimension codes, periods) are in
:mod:`.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UdsatError
from ..exits import WRONG_VALUE
from ..toml_schema import AnyOf, Bool, Key, ListOf, MapOf, Record, Str, Table, key, unknown_keys
from .fields import (
    LANGS,
    LAST,  # noqa: F401 - where claims and the rules look for it
    NAME_RE,  # noqa: F401 - the tests' property of output names
    UNKNOWN_DATE,  # noqa: F401 - the report's date when it carries none
    AnyTable,
    ArrayOfTables,
    FigureSize,
    Formats,
    Ident,
    LangText,
    Name,
    Number,
    OneOrMany,
    PageOrMark,
    Period,
    Reads,
    ReportDate,
    Text,
    Where,
)

#: Files a figure or table may be written as; the first of each is the default set. The page
#: shows a figure's SVG, so a figure always has one.
FIGURE_FORMATS = ("svg", "png", "pdf")
DEFAULT_FIGURE_FORMATS = ("svg", "png")
TABLE_FORMATS = ("md", "csv", "csv-excel", "xlsx")
#: Why a claim has no data: its source is not bundled, or the source it cites does not hold
#: the figure (the reference says NF, "not found", in the primary publication).
NO_DATA_REASONS = ("not-bundled", "not-in-source")
#: What a claim is checked against: evidence from a publication other than the report, or
#: the report's own figures against each other (counted apart, never as holds/fails).
EVIDENCE, CONSISTENCY = "evidence", "consistency"

#: measure -> the period fields it needs.
MEASURES = {
    "value": ("period",),
    "difference": ("from", "to"),
    "percent_change": ("from", "to"),
    "ratio": ("from", "to"),
    "share": ("period", "part"),
    "min": ("since", "until"),
    "max": ("since", "until"),
    "range": ("since", "until"),
    # every consecutive change between since and until ("steget gennem alle de år")
    "every_change": ("since", "until"),
    # the rank of `item` among the selection in one period ("blandt de lande … med de højeste")
    "rank": ("period", "item"),
    # arithmetic on numbers the report itself gives ("250.000 … heraf ca. 60.000 børn … 190.000
    # voksne"): a consistency check of the report's figures, never evidence
    "stated": ("numbers", "formula"),
    # arithmetic with at least one bundled value ("56 % of DST's 60.100 poor children";
    # "4 % of the population on 1 January 2017"): evidence
    "formula": ("numbers", "formula"),
}
ORDERS = ("highest", "lowest")
OPERATORS = (">", "<", ">=", "<=", "==", "between")
#: A claim's texts in both languages: ``text(name, lang)``; ``name`` itself is the English.
CLAIM_TEXTS = ("not_comparable", "no_data", "caveat", "comment", "looked_for", "period_text", "series")


class RecipeError(UdsatError):
    """A recipe that cannot be used as written; the message names the file and the place."""

    exit_code = WRONG_VALUE


@dataclass
class Check:
    op: str = key(Str(choices=OPERATORS), "how the measure compares: >, <, >=, <=, == or between", required=True)
    value: float | list[float] | None = key(AnyOf(Number(), ListOf(Number())),
                                            "the bound (range: [min, max])")
    tolerance: float = key(Number(minimum=0), "with ==: how far off the measure may be", default=0.0)
    low: float | None = key(Number(), "between: the lower bound (inclusive)")
    high: float | None = key(Number(), "between: the upper bound (inclusive)")
    #: why a tolerance (or a hand-written bound) is what it is; required with a tolerance
    reason: str | None = key(Text(), "why the tolerance or bound is what it is")

    def describe(self, lang: str = "en") -> str:
        def n(v):
            return _num(v, lang)

        if self.op == "between":
            return f"{'mellem' if lang == 'da' else 'between'} {n(self.low)} {'og' if lang == 'da' else 'and'} {n(self.high)}"
        if isinstance(self.value, list):
            # a range's [lowest, highest] as a reader writes a span ("256–279"), not a list
            text = f"{self.op} {span_words(n(self.value[0]), n(self.value[1]), self.value[0] < 0, lang)}"
        else:
            text = f"{self.op} {n(self.value)}"
        return text + (f" (± {n(self.tolerance)})" if self.tolerance else "")



#: a number of a formula: the report's own (its words, ``reads``) or a bundled value (indicator …)
NUMBER = Table({
    "reads": Key(Reads(), "the report's words for the number"),
    "quote": Key(Text(), "the report's own wording, where it says more"),
    "label": Key(LangText(), "how the name reads in the formula shown to readers"),
    "indicator": Key(Text(), "a bundled value: its indicator"),
    "where": Key(Where(), "a bundled value: its selection"),
    "period": Key(Period(), "a bundled value: its period"),
    "vintages": Key(ListOf(Text()), "a bundled value: the releases it is read from"),
}, name="number")


@dataclass
class Claim:
    id: str = key(Ident(), "the claim's id (letters, digits, '-', '_')", required=True)
    quote: str = key(Text(), "the report's words", required=True)
    page: int | str = key(PageOrMark("a page number or a string such as \"5–6\""), "the report's page",
                          required=True)
    indicator: str = key(Text(), "the bundled indicator the claim is checked against", default="")
    measure: str | None = key(Str(choices=tuple(MEASURES)), "what is computed from the data")
    where: dict[str, list[str]] = key(Where(), "the rows: dimension = code(s)", default={})
    period: str | None = key(Period(), "the period of a value, share or rank")
    from_period: str | None = key(Period(), "the first period of a change", toml="from")
    to_period: str | None = key(Period(allow_last=True), "the last period of a change ('last': the latest)",
                                toml="to")
    since: str | None = key(Period(), "the first period of a span")
    until: str | None = key(Period(allow_last=True), "the last period of a span ('last': the latest)")
    part: dict[str, list[str]] = key(Where(), "share: the part whose share of the whole is taken", default={})
    #: rank: the member ranked (item), the dimension ranked over, and which end is first
    item: dict[str, list[str]] = key(Where(), "rank: the member whose rank is taken", default={})
    rank_by: str = key(Text(), "rank: the dimension ranked over", default="geo")
    order: str = key(Str(choices=ORDERS), "rank: which end is first", default="highest")
    #: stated/formula: the numbers (name -> reads, quote, label | indicator, where, period) and the formula
    numbers: dict[str, dict] = key(MapOf(NUMBER), "stated/formula: the numbers by name", default={})
    formula: str | None = key(Text(), "stated/formula: the arithmetic on the numbers")
    #: the vintages the claim is checked against (default: every vintage). Names the primary
    #: publication so a claim is never checked against the report's own quotation of it.
    vintages: list[str] = key(ListOf(Text()), "the releases the claim is checked against", default=[])
    #: every check must hold ("a small fall" = below 0 and not below −10 %)
    checks: list[Check] = key(OneOrMany(Record(Check)), "the check(s), each must hold", default=[], toml="check")
    #: the quoted words the check is read from (:mod:`udsattestat.qualifiers`), if any
    reads: Any = key(Reads(), "the quoted words the check follows from")  # qualifiers.Reading
    note: str | None = key(PageOrMark("the report's footnote number or mark, e.g. note = 3", as_text=True),
                           "the report's footnote")
    #: per language ({da, en}); a plain string in the recipe gives the same text in both
    not_comparable_text: dict[str, str] = key(LangText(), "why the data cannot settle it", default={},
                                              toml="not_comparable")
    comment_text: dict[str, str] = key(LangText(), "how the claim is read", default={}, toml="comment")
    #: the publication that would settle the claim when it is not in the bundle ("no data")
    no_data_text: dict[str, str] = key(LangText(), "the publication that would settle it", default={},
                                       toml="no_data")
    #: "not-bundled" or "not-in-source" (NO_DATA_REASONS), for a no-data claim
    no_data_reason: str = key(Str(choices=NO_DATA_REASONS), "why there is no data", default="not-bundled")
    #: what figure was looked for (with ``no_data``: where), per language
    looked_for_text: dict[str, str] = key(LangText(), "with no_data: what figure was looked for", default={},
                                          toml="looked_for")
    #: the source's own caveat on comparability (shown with a rank)
    caveat_text: dict[str, str] = key(LangText(), "the source's own caveat", default={}, toml="caveat")
    #: the reference period as the source publishes it, where its period code says less
    #: ("the most recent year reported, about 2009–10" for a bulletin coded 2012)
    period_text_text: dict[str, str] = key(LangText(), "the period as the source publishes it", default={},
                                           toml="period_text")
    #: the rows checked, in words, where one quote stands for several claims ("women aged
    #: 16–24" and "men aged 16–24" under one "er steget"): named in the claim's line and margin
    series_text: dict[str, str] = key(LangText(), "the rows checked, in words, where the quote does not tell them "
                                      "apart", default={}, toml="series")
    #: written by ``claims scan --draft``: not checked until a person removes the mark
    draft: bool = key(Bool(), "a stub from claims scan --draft, not checked until the line is deleted",
                      default=False)
    #: each text of CLAIM_TEXTS in its one-language form (terminal, claims.json): English where given
    not_comparable: str | None = None
    no_data: str | None = None
    caveat: str | None = None
    comment: str | None = None
    looked_for: str | None = None
    period_text: str | None = None
    series: str | None = None

    def __post_init__(self):
        for name in CLAIM_TEXTS:
            texts = getattr(self, f"{name}_text")
            if getattr(self, name) is None and texts:
                setattr(self, name, texts.get("en") or texts.get("da"))

    @property
    def kind(self) -> str:
        """``consistency`` when only the report's own numbers are compared, else ``evidence``."""
        return CONSISTENCY if self.measure == "stated" else EVIDENCE

    def indicators(self) -> list[str]:
        """Every indicator the claim reads: its own and its formula's."""
        found = [self.indicator] if self.indicator else []
        return found + [n["indicator"] for n in self.numbers.values() if n.get("indicator")]

    def text(self, name: str, lang: str) -> str | None:
        """``comment``, ``not_comparable``, ``no_data``, ``caveat``, ``looked_for`` or ``period_text``
        in ``lang``, else the other language."""
        texts = getattr(self, f"{name}_text")
        if not texts:
            return getattr(self, name)
        return texts.get(lang) or texts.get("da") or texts.get("en")

    def periods(self) -> list[str]:
        """Every period the measure reads (since/until are bounds, checked separately)."""
        return [p for p in (self.period, self.from_period, self.to_period) if p]


#: a figure's options (``options = { … }``), read as a table
FIGURE_OPTIONS = Table({
    "series": Key(Text(), "the dimension drawn as separate series"),
    "highlight": Key(Text(), "the code drawn stronger"),
    "base_period": Key(Period(), "indexed: the period = 100"),
    "notes": Key(AnyOf(ListOf(Str()), Table({lang: Key(ListOf(Str()), f"notes in {lang}") for lang in LANGS})),
                 "notes under the chart: a list, or { da = […], en = […] }"),
    "size": Key(FigureSize(), "[width, height] in inches"),
})


@dataclass
class Figure:
    name: str = key(Name(), "the figure's name; its files are <name>.svg, …", required=True)
    kind: str = key(Text(), "the chart kind", required=True)
    indicator: str | None = key(Text(), "the indicator drawn")
    #: the indicators drawn and each one's selection (``indicator`` + ``where``, or
    #: ``indicators`` + a ``where`` table per indicator, both read into these)
    indicators: list[str] = key(ListOf(Text(), nonempty=True), "several indicators in one chart", default=[])
    where: dict[str, Any] = key(AnyTable("a table such as { situation = \"TOT\" }"),
                                "the rows: dimension = code(s) (with indicators: a table per indicator)", default={})
    title: dict[str, str] = key(LangText(), "the chart's title", default={})
    subtitle: dict[str, str] = key(LangText(), "the chart's subtitle", default={})
    since: str | None = key(Period(), "the first period drawn")
    until: str | None = key(Period(), "the last period drawn")
    #: "report" = as published by the report's date; "latest"; or a vintage id of the data
    vintage: str = key(Text(), "which release: latest, report or a vintage id", default="latest")
    options: dict[str, Any] = key(FIGURE_OPTIONS, "how the chart is drawn", default={})
    formats: tuple[str, ...] = key(Formats(FIGURE_FORMATS, need="svg"), "the files written",
                                   default=DEFAULT_FIGURE_FORMATS)


@dataclass
class Table:
    name: str = key(Name(), "the table's name; its files are <name>.md, …", required=True)
    indicator: str = key(Text(), "the indicator tabulated", required=True)
    where: dict[str, list[str]] = key(Where(), "the rows: dimension = code(s)", default={})
    title: dict[str, str] = key(LangText(), "the table's title", default={})
    since: str | None = key(Period(), "the first period shown")
    until: str | None = key(Period(), "the last period shown")
    vintage: str = key(Text(), "which release: latest, report or a vintage id", default="latest")
    pivot: str | None = key(Text(), "periods as columns: pivot = \"period\"")
    change: tuple[str, str] | None = key(ListOf(Period()), "two periods: the change between them")
    formats: tuple[str, ...] = key(Formats(TABLE_FORMATS), "the files written", default=TABLE_FORMATS)


@dataclass
class Report:
    title: dict[str, str] = key(LangText(), "the report's title", required=True)
    date: str = key(ReportDate(), "its date: 2021, 2021-11 or 2021-11-30, or \"unknown\"", required=True)
    publisher: str = key(Str(), "who published it", default="")
    subtitle: dict[str, str] = key(LangText(), "its subtitle", default={})
    url: str = key(Str(), "where to read it", default="")
    isbn: str = key(Str(), "its ISBN", default="")
    language: str = key(Str(choices=LANGS), "the language the build writes by default", default="da")
    description: dict[str, str] = key(LangText(), "what the build is", default={})
    #: the report's own text (.txt, .md or .pdf), relative to the recipe: `build` scans it and
    #: shows which of its numerical statements the claims cover (``claims scan``)
    text: str = key(Text(), "the report's own text (.txt, .md or .pdf), relative to the recipe", default="")

    @property
    def as_of(self):
        """The last day the report's date can mean: data published by then count as known.
        None when the date is not known (``date = "unknown"``): there is no as-of view."""
        from ..vintages import date_bounds

        return None if self.date == UNKNOWN_DATE else date_bounds(self.date)[1]


@dataclass
class Skip:
    """A numerical statement of the report that the recipe does not check, with the reason."""

    quote: str = key(Text(), "the report's words", required=True)
    reason: dict[str, str] = key(LangText(), "why it is not checked", required=True)
    page: int | str = key(PageOrMark("a page number or a string such as \"19–28\""), "the report's page",
                          default="")


class ClaimRecord(Record):
    """A claim; a draft (``draft = true``, a guess from ``claims scan --draft``) is read as
    written, its id, quote and page only: it is checked once a person removes the mark."""

    def read(self, value, path, ctx):
        if not (isinstance(value, dict) and "draft" in value):
            return super().read(value, path, ctx)
        if value["draft"] is not True:
            ctx.fail((*path, "draft"), "draft = true marks a claim written by 'claims scan --draft'; delete the "
                                       "line when the claim is checked, rather than setting it to false")
        unknown_keys(value, self.keys, path, ctx)
        keys = self.keys
        for name in ("id", "quote", "page"):
            if name not in value:
                ctx.fail(path, f"missing required key {name!r} ({keys[name].doc})")
        read = {name: keys[name].spec.read(value[name], (*path, name), ctx) for name in ("id", "quote", "page")}
        indicator = value.get("indicator")
        return Claim(**read, indicator=indicator if isinstance(indicator, str) else "", draft=True)


@dataclass
class Recipe:
    report: Report = key(Record(Report), "the report rebuilt", required=True)
    figures: list[Figure] = key(ArrayOfTables("figure", Record(Figure)), "the figures", default=[], toml="figure")
    tables: list[Table] = key(ArrayOfTables("table", Record(Table)), "the tables", default=[], toml="table")
    claims: list[Claim] = key(ArrayOfTables("claim", ClaimRecord(Claim)), "the claims checked", default=[],
                              toml="claim")
    skips: list[Skip] = key(ArrayOfTables("skip", Record(Skip)), "statements of the report not checked, and why",
                            default=[], toml="skip")
    path: Path = Path()
    source_bytes: bytes = b""

    @property
    def stem(self) -> str:
        return self.path.stem

    def drafts(self) -> list[str]:
        """Ids of the claims still marked ``draft = true``."""
        return [c.id for c in self.claims if c.draft]

    def refuse_drafts(self) -> None:
        """A draft claim is a guess from ``claims scan --draft``: nothing builds on it."""
        ids = self.drafts()
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            raise RecipeError(f"{self.path}: {len(ids)} draft claim(s) remain ({shown}); check each one's quote, "
                              "indicator and check against the report and the data, then delete its 'draft = true' "
                              "line")

    def indicators(self) -> list[str]:
        found = {i for f in self.figures for i in f.indicators}
        found |= {t.indicator for t in self.tables} | {i for c in self.claims for i in c.indicators()}
        return sorted(found)


def span_words(low: str, high: str, negative: bool, lang: str) -> str:
    """Two written ends as a span: "256–279"; with a negative start "−4 til −2" (a dash
    between two negative numbers reads as a third minus)."""
    return f"{low}{' til ' if lang == 'da' else ' to '}{high}" if negative else f"{low}–{high}"


def _num(v, lang: str = "en") -> str:
    from ..formatting import format_number

    if v is None:
        return "?"
    if not isinstance(v, (int, float)):
        return str(v)
    decimals = 0 if float(v).is_integer() else len(repr(float(v)).split(".")[1])
    return format_number(v, lang, min(decimals, 6))


def checks_of(reading) -> list[Check]:
    """The checks a reading's interval gives: between for both ends, else the open/closed side."""
    iv = reading.interval
    if iv.low is not None and iv.high is not None:
        return [Check("between", None, 0.0, iv.low, iv.high)]
    if iv.low is not None:
        return [Check(">" if iv.low_open else ">=", iv.low)]
    return [Check("<" if iv.high_open else "<=", iv.high)]
