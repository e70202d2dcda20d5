"""The recipe format: a TOML file naming a report, its figures, tables and claims.

A recipe is data, never code. This module reads it with :mod:`tomllib` and checks its
*shape* (known fields, types, safe output names) without touching any data; the checks
that need the data (indicators, dimension codes, periods) are in :mod:`.validate`.
Every problem is a :class:`RecipeError` naming the file and, where known, the line.
"""

from __future__ import annotations

import datetime
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..charts import size_range, size_usable
from ..errors import UdsatError
from ..exits import WRONG_VALUE
from ..languages import LANGS
from ..vintages import date_bounds

REPORT_FIELDS = ("title", "subtitle", "publisher", "date", "url", "isbn", "language", "description", "text")
FIGURE_FIELDS = ("name", "title", "subtitle", "kind", "indicator", "indicators", "where", "since",
                 "until", "vintage", "options", "formats")
FIGURE_OPTIONS = ("series", "highlight", "base_period", "notes", "size")
TABLE_FIELDS = ("name", "title", "indicator", "where", "since", "until", "vintage", "pivot", "change",
                "formats")
#: Files a figure or table may be written as; the first of each is the default set. The page
#: shows a figure's SVG, so a figure always has one.
FIGURE_FORMATS = ("svg", "png", "pdf")
DEFAULT_FIGURE_FORMATS = ("svg", "png")
TABLE_FORMATS = ("md", "csv", "csv-excel", "xlsx")
CLAIM_FIELDS = ("id", "quote", "page", "note", "indicator", "where", "measure", "period", "from",
                "to", "since", "until", "part", "item", "rank_by", "order", "numbers", "formula", "vintages", "check",
                "reads", "not_comparable", "no_data", "no_data_reason", "looked_for", "caveat", "comment",
                "period_text", "draft")
#: a statement of the report the recipe does not check, and why (claims scan counts it as covered)
SKIP_FIELDS = ("quote", "page", "reason")
#: a number of a formula: the report's own (its words, ``reads``) or a bundled value (indicator …)
NUMBER_FIELDS = ("reads", "quote", "label", "indicator", "where", "period", "vintages")
READS_FIELDS = ("words", "step", "reason")
CHECK_FIELDS = ("op", "value", "tolerance", "low", "high", "reason")
#: Why a claim has no data: its source is not bundled, or the source it cites does not hold
#: the figure (the reference says NF, "not found", in the primary publication).
NO_DATA_REASONS = ("not-bundled", "not-in-source")
#: What a claim is checked against: evidence from a publication other than the report, or
#: the report's own figures against each other (counted apart, never as holds/fails).
EVIDENCE, CONSISTENCY = "evidence", "consistency"
#: ``[report] date`` of a report that carries no date: claims are read against the latest data only
UNKNOWN_DATE = "unknown"
TOP_FIELDS = ("report", "figure", "table", "claim", "skip")

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
#: `to` and `until` may say "last": the last period the view has (as of the report's date,
#: the latest period then published; in the latest view, the latest period now).
LAST = "last"
ORDERS = ("highest", "lowest")
OPERATORS = (">", "<", ">=", "<=", "==", "between")
#: Names the build writes itself; a figure or table may not take them.
RESERVED_NAMES = ("index", "claims", "manifest")
# A name becomes a file name in the output directory: no separators, no dot-dot, no
# leading dot (hidden files, "." and ".."), so nothing can land outside the directory.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}\Z", re.ASCII)
#: The report's date: a year, a month or a day, ASCII digits only.
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z", re.ASCII)


class RecipeError(UdsatError):
    """A recipe that cannot be used as written; the message names the file and the place."""

    exit_code = WRONG_VALUE


@dataclass
class Check:
    op: str
    value: float | list[float] | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    #: why a tolerance (or a hand-written bound) is what it is; required with a tolerance
    reason: str | None = None

    def describe(self, lang: str = "en") -> str:
        def n(v):
            return _num(v, lang)

        if self.op == "between":
            return f"{'mellem' if lang == 'da' else 'between'} {n(self.low)} {'og' if lang == 'da' else 'and'} {n(self.high)}"
        if isinstance(self.value, list):
            text = f"{self.op} [{', '.join(n(v) for v in self.value)}]"
        else:
            text = f"{self.op} {n(self.value)}"
        return text + (f" (± {n(self.tolerance)})" if self.tolerance else "")


@dataclass
class Claim:
    id: str
    quote: str
    page: int | str
    indicator: str
    measure: str | None
    where: dict[str, list[str]] = field(default_factory=dict)
    period: str | None = None
    from_period: str | None = None
    to_period: str | None = None
    since: str | None = None
    until: str | None = None
    part: dict[str, list[str]] = field(default_factory=dict)
    #: rank: the member ranked (item), the dimension ranked over, and which end is first
    item: dict[str, list[str]] = field(default_factory=dict)
    rank_by: str = "geo"
    order: str = "highest"
    #: stated: the report's own numbers (name -> value, precision, quote) and the formula
    numbers: dict[str, dict] = field(default_factory=dict)
    formula: str | None = None
    #: the vintages the claim is checked against (default: every vintage). Names the primary
    #: publication so a claim is never checked against the report's own quotation of it.
    vintages: list[str] = field(default_factory=list)
    #: every check must hold ("a small fall" = below 0 and not below −10 %)
    checks: list[Check] = field(default_factory=list)
    not_comparable: str | None = None
    note: str | None = None
    comment: str | None = None
    #: per language ({da, en}); a plain string in the recipe gives the same text in both
    not_comparable_text: dict[str, str] = field(default_factory=dict)
    comment_text: dict[str, str] = field(default_factory=dict)
    #: the publication that would settle the claim when it is not in the bundle ("no data")
    no_data: str | None = None
    no_data_text: dict[str, str] = field(default_factory=dict)
    #: the source's own caveat on comparability (shown with a rank)
    caveat: str | None = None
    caveat_text: dict[str, str] = field(default_factory=dict)
    #: the quoted words the check is read from (:mod:`udsattestat.qualifiers`), if any
    reads: Any = None  # qualifiers.Reading
    #: "not-bundled" or "not-in-source" (NO_DATA_REASONS), for a no-data claim
    no_data_reason: str = "not-bundled"
    #: what figure was looked for (with ``no_data``: where), per language
    looked_for: str | None = None
    looked_for_text: dict[str, str] = field(default_factory=dict)
    #: the reference period as the source publishes it, where its period code says less
    #: ("the most recent year reported, about 2009–10" for a bulletin coded 2012)
    period_text: str | None = None
    period_text_text: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``consistency`` when only the report's own numbers are compared, else ``evidence``."""
        return CONSISTENCY if self.measure == "stated" else EVIDENCE

    def indicators(self) -> list[str]:
        """Every indicator the claim reads: its own and its formula's."""
        found = [self.indicator] if self.indicator else []
        return found + [n["indicator"] for n in self.numbers.values() if n.get("indicator")]

    #: written by ``claims scan --draft``: not checked until a person removes the mark
    draft: bool = False

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


@dataclass
class Figure:
    name: str
    kind: str
    indicators: list[str]
    where: dict[str, dict[str, list[str]]]  # indicator -> where
    title: dict[str, str] = field(default_factory=dict)
    subtitle: dict[str, str] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    vintage: str = "latest"
    options: dict[str, Any] = field(default_factory=dict)
    formats: tuple[str, ...] = DEFAULT_FIGURE_FORMATS


@dataclass
class Table:
    name: str
    indicator: str
    where: dict[str, list[str]] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    vintage: str = "latest"
    pivot: str | None = None
    change: tuple[str, str] | None = None
    formats: tuple[str, ...] = TABLE_FORMATS


@dataclass
class Report:
    title: dict[str, str]
    date: str
    publisher: str = ""
    subtitle: dict[str, str] = field(default_factory=dict)
    url: str = ""
    isbn: str = ""
    language: str = "da"
    description: dict[str, str] = field(default_factory=dict)
    #: the report's own text (.txt, .md or .pdf), relative to the recipe: `build` scans it and
    #: shows which of its numerical statements the claims cover (``claims scan``)
    text: str = ""

    @property
    def as_of(self):
        """The last day the report's date can mean: data published by then count as known.
        None when the date is not known (``date = "unknown"``): there is no as-of view."""
        return None if self.date == UNKNOWN_DATE else date_bounds(self.date)[1]


@dataclass
class Skip:
    """A numerical statement of the report that the recipe does not check, with the reason."""

    quote: str
    page: int | str
    reason: dict[str, str]


@dataclass
class Recipe:
    path: Path
    report: Report
    figures: list[Figure]
    tables: list[Table]
    claims: list[Claim]
    source_bytes: bytes = b""
    skips: list[Skip] = field(default_factory=list)

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


def _short(value: Any) -> str:
    """A value for an error message: its repr, cut short (a recipe value may be a big table)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _num(v, lang: str = "en") -> str:
    from ..formatting import format_number

    if v is None:
        return "?"
    if not isinstance(v, (int, float)):
        return str(v)
    decimals = 0 if float(v).is_integer() else len(repr(float(v)).split(".")[1])
    return format_number(v, lang, min(decimals, 6))


class _Reader:
    """Shape checks with messages that say where the problem is in the file."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str):
        raise RecipeError(f"{self.path}: {where}: {message}")

    def fields(self, where: str, table: Any, allowed: tuple[str, ...], required: tuple[str, ...] = ()):
        if not isinstance(table, dict):
            self.fail(where, f"expected a table, got {type(table).__name__}")
        unknown = [k for k in table if k not in allowed]
        if unknown:
            self.fail(where, f"unknown field {unknown[0]!r}; valid fields: {', '.join(allowed)}")
        missing = [k for k in required if k not in table]
        if missing:
            self.fail(where, f"missing field {missing[0]!r} (required: {', '.join(required)})")
        return table

    def text(self, where: str, value: Any, name: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"{name} must be a non-empty string")
        return value

    def period(self, where: str, value: Any, name: str) -> str | None:
        from ..periods import PeriodError, parse_period

        if value is None:
            return None
        if value == LAST and name in ("to", "until"):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # since = 2015 reads as naturally as since = "2015"
        if not isinstance(value, str):
            self.fail(where, f"{name} must be a period such as \"2019\"")
        try:
            parse_period(value)
        except PeriodError as exc:
            self.fail(where, f"{name}: {exc}")
        return value

    def number(self, where: str, value: Any, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(where, f"{name} must be a number, got {_short(value)}")
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer too large for a float
            finite = False
        if not finite:
            self.fail(where, f"{name} must be a finite number, got {_short(value)}")
        return value

    def choice(self, where: str, value: Any, name: str, valid) -> str:
        """One of ``valid`` (a measure, an op): a list or a table here is an error, not a crash."""
        if not isinstance(value, str) or value not in valid:
            self.fail(where, f"unknown {name} {_short(value)}; valid {name}s: {', '.join(valid)}")
        return value

    def lang_text(self, where: str, value: Any, name: str) -> dict[str, str]:
        """A string (same in both languages) or {da = …, en = …}."""
        if value is None:
            return {}
        if isinstance(value, str):
            return {"da": value, "en": value}
        if isinstance(value, dict):
            self.fields(f"{where}.{name}", value, LANGS)
            return {k: self.text(where, v, f"{name}.{k}") for k, v in value.items()}
        self.fail(where, f"{name} must be a string or {{ da = \"…\", en = \"…\" }}")

    def where(self, where: str, value: Any) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(where, "where must be a table such as { situation = \"TOT\" }")
        out = {}
        for dim, codes in value.items():
            codes = [codes] if isinstance(codes, str) else codes
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
                self.fail(where, f"where.{dim} must be a code or a list of codes")
            out[dim] = list(codes)
        return out

    def name(self, where: str, value: Any) -> str:
        name = self.text(where, value, "name")
        if "/" in name or "\\" in name or ".." in name or name.startswith(".") or Path(name).is_absolute():
            self.fail(where, f"name {name!r} must stay inside the output directory: no '/', '..' or leading '.'")
        if not NAME_RE.match(name):
            self.fail(where, f"name {name!r} may use only letters, digits, '-' and '_' (it becomes a file name)")
        if name.lower() in RESERVED_NAMES:
            self.fail(where, f"name {name!r} is reserved for the build's own files ({', '.join(RESERVED_NAMES)})")
        return name


def recipes_dir() -> Path | None:
    """The shipped recipes: inside the installed wheel, or the source checkout's recipes/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_recipes", here.parent / "recipes"):
        if candidate.is_dir():
            return candidate
    return None


def shipped_recipes() -> list[str]:
    root = recipes_dir()
    return sorted(p.stem for p in root.glob("*.toml")) if root else []


def resolve_recipe(arg: str | Path) -> Path:
    """A path as given, or the name of a shipped recipe ("forandringskraft-2021")."""
    path = Path(arg)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    root = recipes_dir()
    if root and (root / f"{arg}.toml").is_file():
        return root / f"{arg}.toml"
    return path


def parse_toml(path: Path) -> tuple[dict, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        shipped = shipped_recipes()
        hint = f"; shipped recipes: {', '.join(shipped)}" if shipped else ""
        raise RecipeError(f"recipe {str(path)!r} not found; give the path of a .toml recipe{hint}") from None
    except OSError as exc:
        raise RecipeError(f"cannot read recipe {str(path)!r}: {exc.strerror}") from None
    return parse_toml_bytes(path, raw), raw


def parse_toml_bytes(path: Path, raw: bytes) -> dict:
    """A recipe's bytes as a TOML document, or a RecipeError with the line and column."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RecipeError(f"{path}: not UTF-8 text (byte {exc.start}); save the recipe as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the place in the message: "Invalid value (at line 2, column 5)".
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            what = msg[: m.start()].strip()
            raise RecipeError(
                f"{path}, line {m.group(1)}, column {m.group(2)}: malformed TOML: {what}; fix the syntax there"
            ) from None
        raise RecipeError(f"{path}: malformed TOML: {msg}") from None


def load_recipe(path: str | Path) -> Recipe:
    """Read and shape-check a recipe; raises :class:`RecipeError` on the first problem."""
    from ..searchpath import beside

    path = resolve_recipe(path)
    beside(path)  # a recipe finds the datasets/ folder beside it (before the bundle)
    doc, raw = parse_toml(path)
    return recipe_from_doc(path, doc, raw)


def recipe_from_doc(path: Path, doc: Any, raw: bytes = b"") -> Recipe:
    """Shape-check a parsed recipe document (what :func:`parse_toml` returns).

    Total: any document gives a :class:`Recipe` or a :class:`RecipeError`.
    """
    r = _Reader(Path(path))
    r.fields("top level", doc, TOP_FIELDS, ("report",))
    report = _report(r, doc["report"])
    figures = [_figure(r, i, f) for i, f in enumerate(_array(r, doc, "figure"), 1)]
    tables = [_table(r, i, t) for i, t in enumerate(_array(r, doc, "table"), 1)]
    claims = [_claim(r, i, c) for i, c in enumerate(_array(r, doc, "claim"), 1)]
    skips = [_skip(r, i, t) for i, t in enumerate(_array(r, doc, "skip"), 1)]
    seen: dict[str, str] = {}
    for kind, items in (("figure", figures), ("table", tables)):
        for item in items:
            if item.name in seen:
                r.fail(f"{kind} {item.name!r}", f"name already used by a {seen[item.name]}; names must be unique")
            seen[item.name] = kind
    ids = [c.id for c in claims]
    for cid in ids:
        if ids.count(cid) > 1:
            r.fail(f"claim {cid!r}", "claim id used twice; ids must be unique")
    if not (figures or tables or claims):
        r.fail("top level", "the recipe has no [[figure]], [[table]] or [[claim]]; add at least one")
    return Recipe(Path(path), report, figures, tables, claims, raw, skips)


def _skip(r: _Reader, i: int, t: Any) -> Skip:
    where = f"[[skip]] #{i}"
    r.fields(where, t, SKIP_FIELDS, ("quote", "reason"))
    page = t.get("page", "")
    if isinstance(page, bool) or not isinstance(page, (int, str)):
        r.fail(where, "page must be a page number or a string such as \"19–28\"")
    reason = r.lang_text(where, t["reason"], "reason")
    return Skip(r.text(where, t["quote"], "quote"), page, reason)


def _array(r: _Reader, doc: dict, key: str) -> list:
    items = doc.get(key, [])
    if not isinstance(items, list):
        r.fail(key, f"write [[{key}]] (an array of tables), not [{key}]")
    return items


def _report(r: _Reader, t: Any) -> Report:
    r.fields("[report]", t, REPORT_FIELDS, ("title", "date"))
    date = t["date"]
    if isinstance(date, datetime.date) and not isinstance(date, datetime.datetime):
        date = date.isoformat()  # a TOML date literal (2021-11-30) reads as a date object
    bounds = None
    if date == UNKNOWN_DATE:
        bounds = (None, None)  # said so: the claims are read against the latest data only
    elif isinstance(date, str | int) and not isinstance(date, bool) and DATE_RE.match(str(date)):
        date = str(date)
        try:
            bounds = date_bounds(date)
        except ValueError:  # a month 13 or a 30 February
            bounds = None
    if not bounds:
        r.fail("[report]", f"date {t['date']!r} is not a date; write \"2021\", \"2021-11\" or \"2021-11-30\" "
                           f"(or \"{UNKNOWN_DATE}\" when the report carries none)")
    for key in ("publisher", "url", "isbn"):
        if key in t and not isinstance(t[key], str):
            r.fail("[report]", f"{key} must be a string")
    lang = t.get("language", "da")
    if not isinstance(lang, str) or lang not in LANGS:
        r.fail("[report]", f"language {_short(lang)} is not supported; use one of {', '.join(LANGS)}")
    return Report(
        title=r.lang_text("[report]", t["title"], "title"),
        subtitle=r.lang_text("[report]", t.get("subtitle"), "subtitle"),
        description=r.lang_text("[report]", t.get("description"), "description"),
        date=date,
        publisher=t.get("publisher", ""),
        url=t.get("url", ""),
        isbn=t.get("isbn", ""),
        language=lang,
        text=_report_text(r, t.get("text")),
    )


def _report_text(r: _Reader, value: Any) -> str:
    """``text = "reports/x.txt"``: a file beside the recipe (the path as written)."""
    if value is None:
        return ""
    text = r.text("[report]", value, "text")
    if not (r.path.parent / text).is_file():
        r.fail("[report]", f"text {text!r}: no such file beside the recipe ({r.path.parent / text}); give the path "
                           "of the report's .txt, .md or .pdf relative to the recipe, or leave text out")
    return text


def _figure(r: _Reader, i: int, t: Any) -> Figure:
    where = f"[[figure]] #{i}" + (f" ({t.get('name')!r})" if isinstance(t, dict) and t.get("name") else "")
    r.fields(where, t, FIGURE_FIELDS, ("name", "kind"))
    name = r.name(where, t["name"])
    if ("indicator" in t) == ("indicators" in t):
        r.fail(where, "give either indicator = \"id\" or indicators = [\"id\", …]")
    if "indicator" in t:
        indicators = [r.text(where, t["indicator"], "indicator")]
        wheres = {indicators[0]: r.where(where, t.get("where"))}
    else:
        indicators = t["indicators"]
        if not isinstance(indicators, list) or not indicators or not all(isinstance(x, str) for x in indicators):
            r.fail(where, "indicators must be a list of indicator ids")
        raw_where = t.get("where", {})
        if not isinstance(raw_where, dict):
            r.fail(where, "with indicators = […], where is a table per indicator: [figure.where.<id>]")
        stray = [k for k in raw_where if k not in indicators]
        if stray:
            r.fail(where, f"where.{stray[0]} is not one of this figure's indicators ({', '.join(indicators)})")
        wheres = {ind: r.where(where, raw_where.get(ind)) for ind in indicators}
    options = t.get("options", {})
    r.fields(f"{where}.options", options, FIGURE_OPTIONS)
    if "notes" in options:
        notes = options["notes"]
        # one list for both languages, or { da = [...], en = [...] }
        per_lang = notes if isinstance(notes, dict) else {"da": notes, "en": notes}
        if isinstance(notes, dict):
            r.fields(f"{where}.options.notes", notes, LANGS)
        if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in per_lang.values()):
            r.fail(where, "options.notes must be a list of strings or { da = [\"…\"], en = [\"…\"] }")
        options = {**options, "notes": {lang: list(per_lang.get(lang, [])) for lang in LANGS}}
    if "size" in options and not (isinstance(options["size"], list) and size_usable(options["size"])):
        r.fail(where, f"options.size must be [width, height] in inches, each {size_range()}")
    for key in ("series", "highlight"):
        if key in options:
            r.text(where, options[key], f"options.{key}")
    if "base_period" in options:
        options = {**options, "base_period": r.period(where, options["base_period"], "options.base_period")}
    return Figure(
        name=name,
        kind=r.text(where, t["kind"], "kind"),
        indicators=indicators,
        where=wheres,
        title=r.lang_text(where, t.get("title"), "title"),
        subtitle=r.lang_text(where, t.get("subtitle"), "subtitle"),
        since=r.period(where, t.get("since"), "since"),
        until=r.period(where, t.get("until"), "until"),
        vintage=_vintage(r, where, t.get("vintage", "latest")),
        options=dict(options),
        formats=_formats(r, where, t.get("formats", list(DEFAULT_FIGURE_FORMATS)), FIGURE_FORMATS, need="svg"),
    )


def _formats(r: _Reader, where: str, value: Any, allowed: tuple[str, ...], need: str | None = None) -> tuple[str, ...]:
    """A figure's or table's ``formats = ["svg", "pdf"]``: known, not repeated, in the order given."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        r.fail(where, f"formats must be a list such as {list(allowed[:2])!r}")
    bad = [v for v in value if v not in allowed]
    if bad:
        r.fail(where, f"format {bad[0]!r} is not one of {', '.join(allowed)}")
    if len(set(value)) != len(value):
        r.fail(where, "formats lists a format twice")
    if need and need not in value:
        r.fail(where, f"formats must include {need!r}: the page shows it")
    return tuple(value)


def _vintage(r: _Reader, where: str, value: Any) -> str:
    # "report" = as published by the report's date; "latest"; or a vintage id of the data.
    return r.text(where, value, "vintage")


def _table(r: _Reader, i: int, t: Any) -> Table:
    where = f"[[table]] #{i}" + (f" ({t.get('name')!r})" if isinstance(t, dict) and t.get("name") else "")
    r.fields(where, t, TABLE_FIELDS, ("name", "indicator"))
    change = t.get("change")
    if change is not None:
        if not (isinstance(change, list) and len(change) == 2):
            r.fail(where, "change must be two periods, e.g. change = [\"2009\", \"2019\"]")
        change = tuple(r.period(where, p, "change") for p in change)
    pivot = t.get("pivot")
    if pivot is not None:
        r.text(where, pivot, "pivot")
    return Table(
        name=r.name(where, t["name"]),
        indicator=r.text(where, t["indicator"], "indicator"),
        where=r.where(where, t.get("where")),
        title=r.lang_text(where, t.get("title"), "title"),
        since=r.period(where, t.get("since"), "since"),
        until=r.period(where, t.get("until"), "until"),
        vintage=_vintage(r, where, t.get("vintage", "latest")),
        pivot=pivot,
        change=change,
        formats=_formats(r, where, t.get("formats", list(TABLE_FORMATS)), TABLE_FORMATS),
    )


def _claim(r: _Reader, i: int, t: Any) -> Claim:
    where = f"[[claim]] #{i}" + (f" ({t.get('id')!r})" if isinstance(t, dict) and t.get("id") else "")
    r.fields(where, t, CLAIM_FIELDS, ("id", "quote", "page"))
    cid = r.text(where, t["id"], "id")
    if not NAME_RE.match(cid):
        r.fail(where, f"id {cid!r} may use only letters, digits, '-' and '_'")
    page = t["page"]
    if isinstance(page, bool) or not isinstance(page, (int, str)):
        r.fail(where, "page must be a page number or a string such as \"5–6\"")
    if "draft" in t:
        if t["draft"] is not True:
            r.fail(where, "draft = true marks a claim written by 'claims scan --draft'; delete the line when "
                          "the claim is checked, rather than setting it to false")
        # a draft is a guess: its fields are read as written and checked once the mark is gone
        return Claim(id=cid, quote=r.text(where, t["quote"], "quote"), page=page,
                     indicator=t["indicator"] if isinstance(t.get("indicator"), str) else "", measure=None,
                     draft=True)
    texts = {}
    for name in ("not_comparable", "no_data", "caveat", "comment", "looked_for", "period_text"):
        if isinstance(t.get(name), str):
            r.text(where, t[name], name)
        texts[name] = r.lang_text(where, t.get(name), name)
    not_comparable = _english(texts["not_comparable"]) if "not_comparable" in t else None
    no_data = _english(texts["no_data"]) if "no_data" in t else None
    no_data_reason = t.get("no_data_reason", "not-bundled")
    if "no_data_reason" in t and no_data is None:
        r.fail(where, "no_data_reason goes with no_data (the publication looked in)")
    r.choice(where, no_data_reason, "no_data_reason", NO_DATA_REASONS)
    if "looked_for" in t and no_data is None:
        r.fail(where, "looked_for goes with no_data (the publication looked in)")
    measure = t.get("measure")
    if no_data is not None:
        # No bundled source: the claim names the publication that would settle it, and
        # nothing is computed (a claim with data in the bundle is checked, never "no data").
        extra = [k for k in ("indicator", "measure", "check", "not_comparable") if k in t]
        if extra:
            r.fail(where, f"a claim with no_data (no bundled source) takes no {extra[0]!r}; "
                          "give the publication that would settle it in no_data, or drop no_data and check it")
    elif measure is None and not_comparable is None:
        r.fail(where, f"missing field 'measure' (one of: {', '.join(MEASURES)}), or no_data = \"the publication "
                      "that would settle it\" when its source is not bundled")
    if measure is not None:
        r.choice(where, measure, "measure", MEASURES)
    if no_data is None and measure not in ("stated", "formula") and "indicator" not in t:
        r.fail(where, "missing field 'indicator' (the bundled indicator the claim is checked against)")
    if measure in ("stated", "formula") and "indicator" in t:
        r.fail(where, f"measure {measure!r} names its numbers' indicators in numbers; it takes no indicator")
    periods = {k: r.period(where, t.get(k), k) for k in ("period", "from", "to", "since", "until")}
    if measure is not None:
        for need in MEASURES[measure]:
            if need in periods and periods.get(need) is None:
                r.fail(where, f"measure {measure!r} needs {need!r} (it uses {', '.join(MEASURES[measure])})")
        if measure == "share" and not t.get("part"):
            r.fail(where, "measure 'share' needs part = { dim = \"code\" }: the part whose share of the whole is taken")
        if measure == "rank" and not t.get("item"):
            r.fail(where, "measure 'rank' needs item = { geo = \"DK\" }: the member whose rank is taken")
        extra = [k for k in ("period", "from", "to", "since", "until") if periods[k] and k not in MEASURES[measure]]
        if extra:
            r.fail(where, f"{extra[0]!r} is not used by measure {measure!r} (it uses {', '.join(MEASURES[measure])})")
        extra = [k for k in ("part", "item", "rank_by", "order", "numbers", "formula")
                 if k in t and k not in MEASURES[measure] and not (measure == "rank" and k in ("rank_by", "order"))]
        if extra:
            r.fail(where, f"{extra[0]!r} is not used by measure {measure!r}")
    order = t.get("order", "highest")
    if order not in ORDERS:
        r.fail(where, f"order must be one of {', '.join(ORDERS)}")
    rank_by = r.text(where, t.get("rank_by", "geo"), "rank_by")
    vintages = t.get("vintages", [])
    if not isinstance(vintages, list) or not all(isinstance(v, str) and v for v in vintages):
        r.fail(where, "vintages must be a list of vintage ids, e.g. vintages = [\"vive-2018\"]")
    numbers, formula = {}, None
    if measure in ("stated", "formula"):
        numbers = _numbers(r, where, t.get("numbers"), measure)
        formula = r.text(where, t.get("formula"), "formula")
        from .formula import FormulaError, parse_formula

        try:
            parse_formula(formula, set(numbers))
        except FormulaError as exc:
            r.fail(where, f"formula: {exc}")
    checks, reads = [], None
    if ("check" in t or "reads" in t) and measure is None:
        r.fail(where, "a check needs a measure to check")
    if "check" in t and "reads" in t:
        r.fail(where, "give reads (the quoted words the check follows from) or check (a check the words do not "
                      "give by a number), not both")
    if "reads" in t:
        if measure == "range":
            r.fail(where, "measure 'range' is checked with check = { op = \"==\", value = [min, max] }")
        reads = _reads(r, where, t["reads"])
        checks = checks_of(reads)
    elif "check" in t:
        raw_checks = t["check"] if isinstance(t["check"], list) else [t["check"]]
        if not raw_checks:
            r.fail(where, "check = [] has no checks; give at least one")
        checks = [_check(r, where, c, measure) for c in raw_checks]
    elif not_comparable is None and no_data is None:
        r.fail(where, "missing field 'reads' (the quoted words, e.g. reads = \"over 6.000\") or 'check'")
    return Claim(
        id=cid,
        quote=r.text(where, t["quote"], "quote"),
        page=page,
        indicator=r.text(where, t["indicator"], "indicator") if "indicator" in t else "",
        measure=measure,
        where=r.where(where, t.get("where")),
        period=periods["period"],
        from_period=periods["from"],
        to_period=periods["to"],
        since=periods["since"],
        until=periods["until"],
        part=r.where(where, t.get("part")),
        item=r.where(where, t.get("item")),
        rank_by=rank_by,
        order=order,
        numbers=numbers,
        formula=formula,
        vintages=list(vintages),
        checks=checks,
        not_comparable=not_comparable,
        note=_note(r, where, t.get("note")),
        comment=_english(texts["comment"]) if "comment" in t else None,
        not_comparable_text=texts["not_comparable"],
        comment_text=texts["comment"],
        no_data=no_data,
        no_data_text=texts["no_data"],
        caveat=_english(texts["caveat"]) if "caveat" in t else None,
        caveat_text=texts["caveat"],
        reads=reads,
        no_data_reason=no_data_reason,
        looked_for=_english(texts["looked_for"]) if "looked_for" in t else None,
        looked_for_text=texts["looked_for"],
        period_text=_english(texts["period_text"]) if "period_text" in t else None,
        period_text_text=texts["period_text"],
    )


def _reads(r: _Reader, where: str, value: Any):
    """reads = "knap 250.000", or { words = "ca. 60.000", step = 5000, reason = "…" }: the
    interval follows from the words by the one rule of :mod:`udsattestat.qualifiers`."""
    from ..qualifiers import QualifierError, read

    if isinstance(value, dict):
        r.fields(f"{where}.reads", value, READS_FIELDS, ("words",))
        words = r.text(where, value["words"], "reads.words")
        step = r.number(where, value["step"], "reads.step") if "step" in value else None
        reason = r.text(where, value["reason"], "reads.reason") if "reason" in value else None
    else:
        words, step, reason = r.text(where, value, "reads"), None, None
    try:
        return read(words, step, reason)
    except QualifierError as exc:
        r.fail(where, f"reads: {exc}")


def checks_of(reading) -> list[Check]:
    """The checks a reading's interval gives: between for both ends, else the open/closed side."""
    iv = reading.interval
    if iv.low is not None and iv.high is not None:
        return [Check("between", None, 0.0, iv.low, iv.high)]
    if iv.low is not None:
        return [Check(">" if iv.low_open else ">=", iv.low)]
    return [Check("<" if iv.high_open else "<=", iv.high)]


def _numbers(r: _Reader, where: str, value: Any, measure: str) -> dict[str, dict]:
    """numbers = { share = { reads = "56%", label = { da = "andel", en = "share" } },
    children = { indicator = "poverty", where = { … }, period = "2019" } }: the report's own
    figures (their words) or bundled values; ``label`` is how the name reads in the formula
    shown to readers. ``stated`` takes only the report's, ``formula`` at least one bundled."""
    if not isinstance(value, dict) or not value:
        r.fail(where, f"measure {measure!r} needs numbers = {{ name = {{ reads = \"ca. 60.000\" }} }} "
                      "or {{ indicator = …, period = … }}")
    out = {}
    for name, spec in value.items():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            r.fail(where, f"numbers.{name}: a name of letters, digits and '_' (it is used in the formula)")
        r.fields(f"{where}.numbers.{name}", spec, NUMBER_FIELDS)
        # what the reader sees for the name in the formula: words, not an identifier
        label = r.lang_text(where, spec.get("label"), f"numbers.{name}.label")
        if ("reads" in spec) == ("indicator" in spec):
            r.fail(where, f"numbers.{name}: give reads (the report's words, e.g. reads = \"ca. 60.000\") or "
                          "indicator and period (a bundled value), one of the two")
        if "reads" in spec:
            extra = [k for k in ("where", "period", "vintages") if k in spec]
            if extra:
                r.fail(where, f"numbers.{name}: {extra[0]!r} goes with indicator, not with reads")
            reading = _reads(r, f"{where}.numbers.{name}", spec["reads"])
            if reading.interval.low is None or reading.interval.high is None:
                r.fail(where, f"numbers.{name}: {reading.words!r} has no upper or lower bound, so it cannot be "
                              "used in arithmetic")
            out[name] = {"reads": reading,
                         "quote": r.text(where, spec["quote"], f"numbers.{name}.quote") if "quote" in spec else None,
                         "label": label}
            continue
        if measure == "stated":
            r.fail(where, f"numbers.{name}: measure 'stated' compares the report's own numbers; "
                          "use measure = \"formula\" for a bundled value")
        period = r.period(where, spec.get("period"), f"numbers.{name}.period")
        if period is None:
            r.fail(where, f"numbers.{name}: a bundled value needs period = \"…\"")
        vintages = spec.get("vintages", [])
        if not isinstance(vintages, list) or not all(isinstance(v, str) and v for v in vintages):
            r.fail(where, f"numbers.{name}.vintages must be a list of vintage ids")
        out[name] = {"indicator": r.text(where, spec["indicator"], f"numbers.{name}.indicator"),
                     "where": r.where(where, spec.get("where")), "period": period, "vintages": list(vintages),
                     "label": label}
    if measure == "formula" and not any(n.get("indicator") for n in out.values()):
        r.fail(where, "measure 'formula' needs a bundled value among its numbers; with only the report's own "
                      "numbers it is measure = \"stated\" (a consistency check)")
    return out


def _english(texts: dict[str, str]) -> str:
    # the one-language form (terminal, claims.json): English where given, else Danish
    return texts.get("en") or texts.get("da") or ""


def _note(r: _Reader, where: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        r.fail(where, "note must be the report's footnote number or mark, e.g. note = 3")
    return str(value)


def _check(r: _Reader, where: str, t: Any, measure: str | None) -> Check:
    where = f"{where}.check"
    r.fields(where, t, CHECK_FIELDS, ("op",))
    op = r.choice(where, t["op"], "op", OPERATORS)
    tol = r.number(where, t.get("tolerance", 0), "tolerance")
    if tol < 0:
        r.fail(where, "tolerance must be zero or positive")
    if op == "between":
        if "low" not in t or "high" not in t or "value" in t:
            r.fail(where, "op 'between' takes low and high (inclusive), not value")
        low, high = r.number(where, t["low"], "low"), r.number(where, t["high"], "high")
        if low > high:
            r.fail(where, f"low {low} is above high {high}")
        return Check(op, None, tol, low, high, reason=r.text(where, t["reason"], "reason") if "reason" in t else None)
    if "value" not in t or "low" in t or "high" in t:
        r.fail(where, f"op {op!r} takes value (and optionally tolerance), not low/high")
    value = t["value"]
    if measure == "range":
        if op != "==" or not (isinstance(value, list) and len(value) == 2):
            r.fail(where, "measure 'range' is checked with op '==' and value = [min, max], or op 'between'")
        value = [r.number(where, v, "value") for v in value]
    else:
        value = r.number(where, value, "value")
    if tol and op != "==":
        r.fail(where, f"tolerance applies only to op '=='; for {op!r} write the bound you mean")
    reason = r.text(where, t["reason"], "reason") if "reason" in t else None
    if tol and not reason:
        r.fail(where, "a tolerance needs its reason (reason = \"…\"): why the claim may be off by that much")
    return Check(op, value, tol, reason=reason)
