"""The one schema of ``dataset.toml``, checked on load (docs/data-model.md, "dataset.toml").

Every key a dataset may have is declared here, once, as a field of the typed record it is
read into (:class:`Dataset`, :class:`Source`, :class:`Vintage`, …) with its TOML shape and a
one-line meaning. An unknown or misspelt key, a wrong type or a missing required key is a
:class:`~udsattestat.errors.DatasetFileError` naming the file, the line and the dotted key
(``datasets/x/dataset.toml, line 12: statbank.dimensions.age.varible: unknown key; …``).
Cross-references (a dimension named in ``[chart]``, a unit in a mapping, a hook) are
checked too, so a dataset that loads is a dataset every command can use.

Adding a key is one field in one record; the table in docs/data-model.md is generated from
these declarations. The checker itself is :mod:`udsattestat.toml_schema`, which reads the
recipes too. The provider sections (``[statbank]``, ``[eurostat]``) are checked here and
read into their own types by the provider (``statbank.mapping.Mapping.parse``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import DatasetFileError
from .languages import LANGS
from .toml_schema import (
    AnyOf,
    Bool,
    Context,
    Declared,
    Int,
    Key,
    ListOf,
    MapOf,
    Record,
    Spec,
    Str,
    Table,
    key,
)

#: da/en texts: {"da": "…", "en": "…"} (a code's label may add short_da, measures, …)
Texts = dict[str, str]
#: one text for both languages, or da/en texts
Text = str | Texts


def texts(doc: str, *, extra: dict[str, Key] | None = None) -> Table:
    """``{ da = "…", en = "…" }``: both languages required."""
    keys = {lang: Key(Str(nonempty=True), f"{doc} ({lang})", required=True) for lang in LANGS}
    keys.update(extra or {})
    return Table(keys, name=None if extra else "da/en texts")


def text_or_texts(doc: str) -> AnyOf:
    """A text a reader sees: one string when it reads the same in both languages (a name,
    a title quoted as published), else ``{ da = "…", en = "…" }`` side by side."""
    return AnyOf(Str(nonempty=True), texts(doc))


def in_lang(text: Text | None, lang: str) -> str:
    """A :data:`Text` in ``lang`` (the other language when it has only one)."""
    if isinstance(text, dict):
        return text.get(lang) or text.get("en") or text.get("da") or ""
    return text or ""


# -- the schema ---------------------------------------------------------------------------------

ID = r"[A-Za-z0-9_.\-]+"
CODE_LABEL = texts("label", extra={
    "short_da": Key(Str(), "short label for narrow places (charts), Danish"),
    "short_en": Key(Str(), "short label for narrow places (charts), English"),
    "measures": Key(Str(), "what the code measures, English (tables)"),
    "measures_da": Key(Str(), "what the code measures, Danish (tables)"),
    "primary_publication": Key(Str(), "the publication that defines the code"),
})


class Source(Declared):
    """A publication the values come from (``[sources.<id>]``)."""

    publication: Text = key(text_or_texts("publication"), "title of the publication as published; a description "
                            "(not a title) as da/en", required=True)
    author: str | None = key(Str(), "author or institution")
    year: int | None = key(Int(), "year of publication")
    publisher: str | None = key(Str(), "publisher")
    url: str | None = key(Str(), "where to read it")
    isbn: str | None = key(Str(), "ISBN")
    locator: str | None = key(Str(), "page, table or chapter")
    via: Text | None = key(text_or_texts("via"), "the secondary source that quotes it, text or da/en")
    short: Texts | None = key(texts("short name in a source line"), "short name in source lines, da/en")


class Vintage(Declared):
    """One release of the values (``[vintages.<id>]``)."""

    published: str = key(Str(r"(\d{4}(-\d{2}(-\d{2})?)?)?"),
                         "release date, ISO at the precision known ('' if unknown)", required=True)
    description: Text = key(text_or_texts("description"), "what the release is, da/en", required=True)
    known_by: str | None = key(Str(r"\d{4}(-\d{2}(-\d{2})?)?"), "a date by which the release was certainly public")
    known_by_evidence: Text | None = key(text_or_texts("evidence"), "the evidence for known_by, text or da/en")


class Dimension(Declared):
    """One of the dataset's own dimensions (``[dimensions.<name>]``)."""

    label: Texts = key(texts("dimension label"), "the dimension's label", required=True)
    codes: dict[str, Texts] = key(MapOf(CODE_LABEL, key_pattern=ID), "code = labels", required=True)
    adds_up: bool | dict[str, Any] | None = key(AnyOf(Bool(), Table({
        "total": Key(Str(nonempty=True), "the code that is the sum of the others"),
        "inside": Key(ListOf(Str(nonempty=True)), "codes already counted inside other codes (never added to them)"),
    })), "how the codes add up (udsattestat.sums): false (nested or overlapping: never summed), true (any add "
         "up), or the total and the codes counted inside others; left out, the codes are never summed")


class Chart(Declared):
    """The default chart (``[chart]``)."""

    kind: str | None = key(Str(nonempty=True), "the default chart kind")
    where: dict[str, list[str]] = key(MapOf(ListOf(Str(nonempty=True), nonempty=True)),
                                      "default codes per dimension (geo, unit too) when the user selects none",
                                      default={})


class TableLayout(Declared):
    """The dataset's own table layout (``[table]``)."""

    layout: str = key(Str(choices=("comparison",)), "comparison: one row per code of `by`, persons and share side "
                      "by side", required=True)
    by: str = key(Str(nonempty=True), "the dimension compared", required=True)


CODE_RULE = AnyOf(Str(nonempty=True), Table({
    "code": Key(Str(nonempty=True), "the code itself (looked up by id first)"),
    "text": Key(Str(nonempty=True, regex=True), "regex on the code's tableinfo text (exactly one must match); "
                                                "with code, only a fallback when the code is not in the table"),
    "not_text": Key(Str(nonempty=True, regex=True), "regex the text must not match"),
}, name="code rule"))
STATBANK_DIMENSION = Table({
    "variable": Key(Str(nonempty=True), "the StatBank variable id the notes give (case-insensitive)"),
    "text": Key(Str(nonempty=True, regex=True), "regex on the variable's text, used when the id is not found"),
    "codes": Key(AnyOf(Str(choices=("*",)), ListOf(Str(nonempty=True), nonempty=True)),
                 "codes to keep: '*' every code, a list, or (left out) the dataset's declared codes"),
    "exclude": Key(Str(nonempty=True, regex=True), "regex: with codes = '*', leave out codes whose text matches"),
    "recode": Key(MapOf(CODE_RULE), "our code = their code (or { text = regex }), e.g. DK = the whole country"),
    "count": Key(Int(minimum=1), "how many codes must be kept (fails clearly when the table changes)"),
})
STATBANK = Table({
    "table": Key(Str(r"[A-Za-z0-9]+"), "the StatBank table id (one table)"),
    "tables": Key(MapOf(Str(nonempty=True), nonempty=True, key_pattern=r"[A-Za-z0-9]+"),
                  "several tables, each with the unit of its whole content: { IFOR12A = \"persons\" }"),
    "unit": Key(AnyOf(Str(nonempty=True), Table({
        "variable": Key(Str(nonempty=True), "the unit (content) variable id"),
        "text": Key(Str(nonempty=True, regex=True), "regex on its text"),
        "codes": Key(MapOf(CODE_RULE, nonempty=True), "our unit = its content code (or { text = regex })",
                     required=True),
    })), "the unit: one unit for the whole table, or a unit variable and a code per unit"),
    "dimensions": Key(MapOf(STATBANK_DIMENSION), "our dimension (or geo) = a StatBank variable"),
    "fixed": Key(MapOf(CODE_RULE), "variables held at one code: VAR = \"CODE\" or { text = regex }"),
    "hooks": Key(ListOf(Str(nonempty=True)), "named quirk modules (udsattestat/statbank/hooks)"),
    "language": Key(Str(choices=LANGS), "read the tables in this language (labels, decimal mark)"),
    "since": Key(AnyOf(Str(r"\d{4}\S*"), Int()), "first period to fetch"),
    "successor": Key(Str(r"[A-Za-z0-9]+"), "the table that continues this one, if it stopped being updated"),
    "nested-durations": Key(Table({"years": Key(Int(minimum=1), "the duration category kept (code NAAR)"),
                                   "variable": Key(Str(nonempty=True), "the duration variable's id (KMDR)")}),
                            "options of the nested-durations hook"),
})
EUROSTAT = Table({
    "table": Key(Str(r"[A-Za-z0-9_$]+"), "the Eurostat dataset code", required=True),
    "filters": Key(MapOf(ListOf(Str(nonempty=True))), "request filters: dimension = [codes]"),
    "select": Key(MapOf(Str(nonempty=True)), "code kept of a dimension the response may have"),
    "select_one_of": Key(ListOf(Str(nonempty=True)), "at least one of these dimensions must be there"),
    "rename": Key(MapOf(Str(nonempty=True)), "Eurostat dimension = our dimension"),
    "units": Key(MapOf(Str(nonempty=True)), "Eurostat unit code = our unit"),
    "successor": Key(Str(r"[A-Za-z0-9_$]+"), "the dataset that continues this one, if it stopped being updated"),
    "rate": Key(Table({
        "population_table": Key(Str(nonempty=True), "the population table", required=True),
        "population_filters": Key(MapOf(ListOf(Str(nonempty=True))), "its filters"),
        "unit": Key(Str(nonempty=True), "our unit of the rate", required=True),
        "per": Key(Int(minimum=1), "per how many inhabitants"),
    }), "a rate computed from a population table"),
})


class Dataset(Declared):
    """A whole ``dataset.toml``."""

    id: str = key(Str(ID), "the dataset id; the folder's name", required=True)
    title: Texts = key(texts("title"), "title, da/en", required=True)
    definition: Texts = key(texts("definition"), "what is counted, da/en", required=True)
    producer: Text = key(text_or_texts("producer"), "who produces the statistics, da/en", required=True)
    publication: Text = key(text_or_texts("publication"), "the main publication or table, text or da/en",
                            required=True)
    url: str | None = key(Str(), "where to read it")
    licence: Text = key(text_or_texts("licence"), "terms of reuse, da/en", required=True)
    unit: str = key(Str(nonempty=True), "the headline unit (a key of [units])", required=True)
    frequency: str | None = key(Str(choices=("A", "H", "Q", "M", "W", "D")), "A, H, Q, M, W or D")
    count_week: int | None = key(Int(minimum=1), "the ISO week a point-in-time count is made in")
    checked: str | None = key(Str(r"\d{4}-\d{2}-\d{2}"), "when the bundle was last checked against its sources")
    credit: dict[str, str] = key(Table({**{lang: Key(Str(nonempty=True), f"credit in a source line ({lang})",
                                                     required=True) for lang in LANGS},
                                        "summary_da": Key(Str(), "one line for many publications (da)"),
                                        "summary_en": Key(Str(), "one line for many publications (en)")}),
                                 "who a source line credits", default={})
    live_only: bool = key(Bool(), "no bundled rows (values.csv has only its header)", default=False)
    keywords: dict[str, list[str]] = key(Table({lang: Key(ListOf(Str(nonempty=True)), f"words a report uses for it "
                                                          f"({lang})", required=True) for lang in LANGS}),
                                         "words that point a report's sentence to this indicator (claims scan); a "
                                         "word matches the start of a word in the sentence, so 'hjemløs' finds "
                                         "'hjemløse'", default={})
    caveats: dict[str, list[str]] = key(Table({lang: Key(ListOf(Str(nonempty=True)), f"caveats ({lang})",
                                                         required=True) for lang in LANGS}),
                                        "what a reader must know, da/en", default={})
    units: dict[str, Texts] = key(MapOf(texts("unit label"), nonempty=True, key_pattern=ID), "unit code = labels",
                                  required=True)
    geo: dict[str, Texts] = key(MapOf(texts("area name"), nonempty=True, key_pattern=ID), "area code = names",
                                required=True)
    dimensions: dict[str, Dimension] = key(MapOf(Record(Dimension), key_pattern=r"[a-z][a-z0-9_]*"),
                                           "the dataset's own dimensions", default={})
    sources: dict[str, Source] = key(MapOf(Record(Source), nonempty=True, key_pattern=ID), "source id = citation",
                                     required=True)
    vintages: dict[str, Vintage] = key(MapOf(Record(Vintage), nonempty=True, key_pattern=ID),
                                       "vintage id = release", required=True)
    chart_notes: dict[str, dict[str, Texts]] = key(MapOf(MapOf(texts("note"))),
                                                   "notes on every chart drawing these rows: dim.code = da/en",
                                                   default={})
    chart: Chart = key(Record(Chart), "default chart selection", default=Chart())
    table: TableLayout | None = key(Record(TableLayout), "the dataset's own table layout")
    statbank: dict[str, Any] | None = key(STATBANK, "live from StatBank: the mapping (docs/add-an-indicator.md)")
    eurostat: dict[str, Any] | None = key(EUROSTAT, "live from Eurostat: the mapping (docs/eurostat.md)")

    def text(self, name: str, lang: str) -> str:
        """A dataset text (``producer``, ``licence``, …) in ``lang``."""
        return in_lang(getattr(self, name), lang)

    def codes(self, dim: str) -> dict[str, Texts]:
        """A dimension's codes (``geo`` too) with their labels, in the order declared."""
        return self.geo if dim == "geo" else self.dimensions[dim].codes


def _cross_references(d: Dataset, table: dict, path: tuple[str, ...], ctx: Context) -> None:
    units = d.units
    dims = d.dimensions
    if d.unit not in units:
        ctx.fail(("unit",), f"{d.unit!r} is not in [units] ({', '.join(units)})")
    statbank, eurostat = d.statbank, d.eurostat
    if statbank is not None and eurostat is not None:
        ctx.fail(("eurostat",), "a dataset has one live provider: [statbank] or [eurostat], not both")
    if statbank is not None:
        _check_statbank(statbank, d, ctx)
    if eurostat is not None:
        for code, unit in {**eurostat.get("units", {}),
                           **({"rate": eurostat["rate"]["unit"]} if "rate" in eurostat else {})}.items():
            if unit not in units:
                ctx.fail(("eurostat", "units" if code != "rate" else "rate", code if code != "rate" else "unit"),
                         f"unit {unit!r} is not in [units] ({', '.join(units)})")
    for dim, spec in dims.items():
        star = (statbank or {}).get("dimensions", {}).get(dim, {}).get("codes") == "*"
        if not spec.codes and not star:
            ctx.fail(("dimensions", dim, "codes"), "no codes; declare them (or take every code of a live table "
                                                   f"with [statbank.dimensions.{dim}] codes = \"*\")")
    for dim in d.chart_notes:
        if dim != "geo" and dim not in dims and dim != "unit":
            ctx.fail(("chart_notes", dim), f"no dimension {dim!r} (dimensions: geo, {', '.join(dims)})")
    if d.chart.kind is not None:
        from .charts import KINDS

        if d.chart.kind not in KINDS:
            ctx.fail(("chart", "kind"), f"{d.chart.kind!r} is not a chart kind ({', '.join(KINDS)})")
    for dim in d.chart.where:
        if dim not in ("geo", "unit", *dims):
            ctx.fail(("chart", "where", dim), f"no dimension {dim!r} (dimensions: geo, unit, {', '.join(dims)})")
    if d.table and d.table.by not in dims:
        ctx.fail(("table", "by"), f"no dimension {d.table.by!r} (dimensions: {', '.join(dims)})")
    if d.live_only and statbank is None and eurostat is None:
        ctx.fail(("live_only",), "a live-only dataset needs a [statbank] or [eurostat] mapping")
    for vid, v in d.vintages.items():
        if v.known_by is not None and v.known_by_evidence is None:
            ctx.fail(("vintages", vid, "known_by"), "known_by needs known_by_evidence saying how it is known")


def _check_statbank(sb: dict[str, Any], d: Dataset, ctx: Context) -> None:
    from .statbank.hooks import HOOKS

    units = d.units
    if ("table" in sb) == ("tables" in sb):
        ctx.fail(("statbank",), "give either table = \"ID\" or tables = { ID = \"unit\", … }")
    if "tables" in sb:
        if "unit" in sb:
            ctx.fail(("statbank", "unit"), "with several tables each table's unit is given in tables")
        for table, unit in sb["tables"].items():
            if unit not in units:
                ctx.fail(("statbank", "tables", table), f"unit {unit!r} is not in [units] ({', '.join(units)})")
    elif "unit" not in sb:
        ctx.fail(("statbank",), "missing key 'unit': the table's unit, or [statbank.unit] with a code per unit")
    unit = sb.get("unit")
    wanted = [unit] if isinstance(unit, str) else list((unit or {}).get("codes", {}))
    for u in wanted:
        if u not in units:
            ctx.fail(("statbank", "unit", "codes", u) if not isinstance(unit, str) else ("statbank", "unit"),
                     f"unit {u!r} is not in [units] ({', '.join(units)})")
    if isinstance(unit, dict) and not (unit.get("variable") or unit.get("text")):
        ctx.fail(("statbank", "unit"), "say which variable: variable = \"ID\" and/or text = \"regex\"")
    for dim, spec in sb.get("dimensions", {}).items():
        if dim != "geo" and dim not in d.dimensions:
            ctx.fail(("statbank", "dimensions", dim),
                     f"the dataset has no dimension {dim!r} (declare [dimensions.{dim}] or use geo)")
        if not (spec.get("variable") or spec.get("text")):
            ctx.fail(("statbank", "dimensions", dim), "say which variable: variable = \"ID\" and/or text = \"regex\"")
        if "exclude" in spec and spec.get("codes") != "*":
            ctx.fail(("statbank", "dimensions", dim, "exclude"), "exclude works with codes = \"*\" only")
    for dim in d.dimensions:
        if dim not in sb.get("dimensions", {}):
            ctx.fail(("statbank", "dimensions"), f"the dataset's dimension {dim!r} is not mapped to a variable")
    for hook in sb.get("hooks", []):
        if hook not in HOOKS:
            ctx.fail(("statbank", "hooks"), f"unknown hook {hook!r}; known: {', '.join(HOOKS)}")
    for name in ("nested-durations",):
        if name in sb and name not in sb.get("hooks", []):
            ctx.fail(("statbank", name), f"options for hook {name!r}, which hooks does not name")


DATASET = Record(Dataset, rules=_cross_references)


def read(raw: Any, text: str, path: Path, folder_name: str | None = None) -> Dataset:
    """A parsed dataset.toml checked against the schema and its cross-references, typed."""
    ctx = Context(Path(path), text, DatasetFileError)
    dataset = DATASET.read(raw, (), ctx)
    if folder_name is not None and dataset.id != folder_name:
        ctx.fail(("id",), f"{dataset.id!r} does not match the folder name {folder_name!r}")
    return dataset


def check(raw: dict[str, Any], text: str, path: Path, folder_name: str | None = None) -> None:
    """Check a parsed dataset.toml against the schema and its cross-references."""
    read(raw, text, path, folder_name)
def documented_keys() -> dict[str, tuple[str, str, bool]]:
    """Every key of the schema, dotted (``statbank.dimensions.*.variable``): (type, meaning, required).

    Named shapes (``da/en texts``, ``code rule``) are listed once under their name."""
    out: dict[str, tuple[str, str, bool]] = {}

    def walk(spec: Spec, prefix: str):
        if isinstance(spec, AnyOf):
            for option in spec.options:
                walk(option, prefix)
        elif isinstance(spec, (Table, Record)) and (spec.name is None or not prefix):
            for name, k in spec.keys.items():
                dotted = f"{prefix}.{name}" if prefix else name
                out.setdefault(dotted, (k.spec.describe(), k.doc, k.required))
                walk(k.spec, dotted)
        elif isinstance(spec, MapOf):
            walk(spec.value, f"{prefix}.*")

    walk(DATASET, "")
    for named in (texts("text"), CODE_RULE.options[1]):
        for name, k in named.keys.items():
            out[f"{named.name}.{name}"] = (k.spec.describe(), k.doc, k.required)
    return out


def markdown() -> str:
    """The schema as the Markdown table in docs/data-model.md (regenerate with
    ``python -m udsattestat.dataset_schema``; a test compares the two)."""
    rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
    for dotted, (kind, doc, required) in documented_keys().items():
        rows.append(f"| `{dotted}` | {kind.replace('|', '&#124;')} | {'yes' if required else ''} | {doc} |")
    return "\n".join(rows) + "\n"


START, END = "<!-- schema:start -->\n", "<!-- schema:end -->"


def write_docs(path: str | Path) -> None:
    """Replace the table between the schema markers in ``path`` (docs/data-model.md)."""
    path = Path(path)
    doc = path.read_text("utf-8")
    a, b = doc.index(START) + len(START), doc.index(END)
    path.write_text(doc[:a] + markdown() + doc[b:], "utf-8")


if __name__ == "__main__":  # python -m udsattestat.dataset_schema [--write docs/data-model.md]
    import sys

    if sys.argv[1:2] == ["--write"]:
        write_docs(sys.argv[2])
    else:
        print(markdown(), end="")
