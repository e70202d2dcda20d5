"""The one schema of ``dataset.toml``, checked on load (docs/data-model.md, "dataset.toml").

Every key a dataset may have is declared here, with its type and a one-line meaning; an
unknown or misspelt key, a wrong type or a missing required key is a
:class:`~udsattestat.errors.DatasetFileError` naming the file, the line and the dotted key
(``datasets/x/dataset.toml, line 12: statbank.dimensions.age.varible: unknown key; …``).
Cross-references (a dimension named in ``[chart]``, a unit in a mapping, a hook) are
checked too, so a dataset that loads is a dataset every command can use.

Only the standard library: ``udsattestat list`` reads every dataset at start-up.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DatasetFileError
from .languages import LANGS


class Spec:
    """A value's expected shape; ``check`` raises through ``ctx.fail``."""

    doc = ""

    def check(self, value: Any, path: tuple[str, ...], ctx: Context) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class Str(Spec):
    def __init__(self, pattern: str | None = None, choices: tuple[str, ...] | None = None, nonempty: bool = False):
        self.pattern = pattern
        self.choices = choices
        self.nonempty = nonempty

    def check(self, value, path, ctx):
        if not isinstance(value, str):
            ctx.fail(path, f"expected text, found {_kind(value)}")
        if self.nonempty and not value.strip():
            ctx.fail(path, "must not be empty")
        if self.choices and value not in self.choices:
            ctx.fail(path, f"{value!r} is not one of {', '.join(self.choices)}")
        if self.pattern and value and not re.fullmatch(self.pattern, value):
            ctx.fail(path, f"{value!r} does not have the expected form ({self.describe()})")
        if self.pattern is None and value and path and path[-1] in ("text", "not_text", "exclude"):
            try:
                re.compile(value)
            except re.error as exc:
                ctx.fail(path, f"{value!r} is not a valid regular expression ({exc})")

    def describe(self):
        if self.choices:
            return " | ".join(repr(c) for c in self.choices)
        return "text" + (f" like {self.pattern}" if self.pattern else "")


class Int(Spec):
    def __init__(self, minimum: int | None = None):
        self.minimum = minimum

    def check(self, value, path, ctx):
        if not isinstance(value, int) or isinstance(value, bool):
            ctx.fail(path, f"expected a whole number, found {_kind(value)}")
        if self.minimum is not None and value < self.minimum:
            ctx.fail(path, f"must be at least {self.minimum}")

    def describe(self):
        return "integer"


class Bool(Spec):
    def check(self, value, path, ctx):
        if not isinstance(value, bool):
            ctx.fail(path, f"expected true or false, found {_kind(value)}")

    def describe(self):
        return "true/false"


class ListOf(Spec):
    def __init__(self, item: Spec, nonempty: bool = False):
        self.item = item
        self.nonempty = nonempty

    def check(self, value, path, ctx):
        if not isinstance(value, list):
            ctx.fail(path, f"expected a list, found {_kind(value)}")
        if self.nonempty and not value:
            ctx.fail(path, "must not be an empty list")
        for i, item in enumerate(value):
            self.item.check(item, (*path, str(i)), ctx)

    def describe(self):
        return f"list of {self.item.describe()}"


class AnyOf(Spec):
    """The first alternative whose type fits decides (a text, or a table)."""

    def __init__(self, *options: Spec):
        self.options = options

    def check(self, value, path, ctx):
        for option in self.options:
            if _fits(option, value):
                option.check(value, path, ctx)
                return
        ctx.fail(path, f"expected {self.describe()}, found {_kind(value)}")

    def describe(self):
        return " or ".join(o.describe() for o in self.options)


@dataclass
class Key:
    spec: Spec
    doc: str
    required: bool = False


class Table(Spec):
    """A TOML table with named keys: unknown keys are errors (with a "did you mean")."""

    def __init__(self, keys: dict[str, Key], *, check=None, nonempty: bool = False, name: str | None = None):
        self.keys = keys
        self.extra_check = check
        self.nonempty = nonempty
        #: a named shape is documented once, under its name (e.g. "da/en texts")
        self.name = name

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected a table, found {_kind(value)}")
        for name in value:
            if name not in self.keys:
                close = difflib.get_close_matches(name, list(self.keys), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(self.keys)}"
                ctx.fail((*path, name), f"unknown key; {hint}")
        for name, key in self.keys.items():
            if name in value:
                key.spec.check(value[name], (*path, name), ctx)
            elif key.required:
                ctx.fail(path, f"missing required key {name!r} ({key.doc})")
        if self.extra_check:
            self.extra_check(value, path, ctx)

    def describe(self):
        return self.name or "table"


class MapOf(Spec):
    """A table whose keys are ids (codes, source ids) and whose values all have one shape."""

    def __init__(self, value: Spec, *, nonempty: bool = False, key_pattern: str | None = None):
        self.value = value
        self.nonempty = nonempty
        self.key_pattern = key_pattern

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected a table, found {_kind(value)}")
        if self.nonempty and not value:
            ctx.fail(path, "must not be empty")
        for k, v in value.items():
            if self.key_pattern and not re.fullmatch(self.key_pattern, k):
                ctx.fail((*path, k), f"{k!r} is not a usable id (letters, digits, '-', '_', '.')")
            self.value.check(v, (*path, k), ctx)

    def describe(self):
        return f"table of {self.value.describe()}"


def _fits(spec: Spec, value) -> bool:
    if isinstance(spec, Str):
        return isinstance(value, str)
    if isinstance(spec, (Table, MapOf)):
        return isinstance(value, dict)
    if isinstance(spec, ListOf):
        return isinstance(value, list)
    if isinstance(spec, Int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(spec, Bool):
        return isinstance(value, bool)
    return False


def _kind(value) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def texts(doc: str, *, extra: dict[str, Key] | None = None) -> Table:
    """``{ da = "…", en = "…" }``: both languages required."""
    keys = {lang: Key(Str(nonempty=True), f"{doc} ({lang})", required=True) for lang in LANGS}
    keys.update(extra or {})
    return Table(keys, name=None if extra else "da/en texts")


def text_or_texts(doc: str) -> AnyOf:
    """A text a reader sees: one string when it reads the same in both languages (a name,
    a title quoted as published), else ``{ da = "…", en = "…" }`` side by side."""
    return AnyOf(Str(nonempty=True), texts(doc))


# -- the schema ---------------------------------------------------------------------------------

ID = r"[A-Za-z0-9_.\-]+"
CODE_LABEL = texts("label", extra={
    "short_da": Key(Str(), "short label for narrow places (charts), Danish"),
    "short_en": Key(Str(), "short label for narrow places (charts), English"),
    "measures": Key(Str(), "what the code measures, English (tables)"),
    "measures_da": Key(Str(), "what the code measures, Danish (tables)"),
    "primary_publication": Key(Str(), "the publication that defines the code"),
})
SOURCE = Table({
    "publication": Key(text_or_texts("publication"), "title of the publication as published; a description "
                       "(not a title) as da/en", required=True),
    "author": Key(Str(), "author or institution"),
    "year": Key(Int(), "year of publication"),
    "publisher": Key(Str(), "publisher"),
    "url": Key(Str(), "where to read it"),
    "isbn": Key(Str(), "ISBN"),
    "locator": Key(Str(), "page, table or chapter"),
    "via": Key(text_or_texts("via"), "the secondary source that quotes it, text or da/en"),
    "short": Key(texts("short name in a source line"), "short name in source lines, da/en"),
})
VINTAGE = Table({
    "published": Key(Str(r"(\d{4}(-\d{2}(-\d{2})?)?)?"), "release date, ISO at the precision known ('' if unknown)",
                     required=True),
    "description": Key(text_or_texts("description"), "what the release is, da/en", required=True),
    "known_by": Key(Str(r"\d{4}(-\d{2}(-\d{2})?)?"), "a date by which the release was certainly public"),
    "known_by_evidence": Key(text_or_texts("evidence"), "the evidence for known_by, text or da/en"),
})
CODE_RULE = AnyOf(Str(nonempty=True), Table({
    "code": Key(Str(nonempty=True), "the code itself (looked up by id first)"),
    "text": Key(Str(nonempty=True), "regex on the code's tableinfo text (exactly one must match); with code, "
                                    "only a fallback when the code is not in the table"),
    "not_text": Key(Str(nonempty=True), "regex the text must not match"),
}, name="code rule"))
STATBANK_DIMENSION = Table({
    "variable": Key(Str(nonempty=True), "the StatBank variable id the notes give (case-insensitive)"),
    "text": Key(Str(nonempty=True), "regex on the variable's text, used when the id is not found"),
    "codes": Key(AnyOf(Str(choices=("*",)), ListOf(Str(nonempty=True), nonempty=True)),
                 "codes to keep: '*' every code, a list, or (left out) the dataset's declared codes"),
    "exclude": Key(Str(nonempty=True), "regex: with codes = '*', leave out codes whose text matches"),
    "recode": Key(MapOf(CODE_RULE), "our code = their code (or { text = regex }), e.g. DK = the whole country"),
    "count": Key(Int(minimum=1), "how many codes must be kept (fails clearly when the table changes)"),
})
STATBANK = Table({
    "table": Key(Str(r"[A-Za-z0-9]+"), "the StatBank table id (one table)"),
    "tables": Key(MapOf(Str(nonempty=True), nonempty=True, key_pattern=r"[A-Za-z0-9]+"),
                  "several tables, each with the unit of its whole content: { IFOR12A = \"persons\" }"),
    "unit": Key(AnyOf(Str(nonempty=True), Table({
        "variable": Key(Str(nonempty=True), "the unit (content) variable id"),
        "text": Key(Str(nonempty=True), "regex on its text"),
        "codes": Key(MapOf(CODE_RULE, nonempty=True), "our unit = its content code (or { text = regex })",
                     required=True),
    })), "the unit: one unit for the whole table, or a unit variable and a code per unit"),
    "dimensions": Key(MapOf(STATBANK_DIMENSION), "our dimension (or geo) = a StatBank variable"),
    "fixed": Key(MapOf(CODE_RULE), "variables held at one code: VAR = \"CODE\" or { text = regex }"),
    "hooks": Key(ListOf(Str(nonempty=True)), "named quirk modules (udsattestat/statbank/hooks)"),
    "language": Key(Str(choices=LANGS), "read the tables in this language (labels, decimal mark)"),
    "since": Key(AnyOf(Str(r"\d{4}\S*"), Int()), "first period to fetch"),
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
    "rate": Key(Table({
        "population_table": Key(Str(nonempty=True), "the population table", required=True),
        "population_filters": Key(MapOf(ListOf(Str(nonempty=True))), "its filters"),
        "unit": Key(Str(nonempty=True), "our unit of the rate", required=True),
        "per": Key(Int(minimum=1), "per how many inhabitants"),
    }), "a rate computed from a population table"),
})
CHART = Table({
    "kind": Key(Str(nonempty=True), "the default chart kind"),
    "where": Key(MapOf(ListOf(Str(nonempty=True), nonempty=True)),
                 "default codes per dimension (geo, unit too) when the user selects none"),
})

DATASET = Table({
    "id": Key(Str(ID), "the dataset id; the folder's name", required=True),
    "title": Key(texts("title"), "title, da/en", required=True),
    "definition": Key(texts("definition"), "what is counted, da/en", required=True),
    "producer": Key(text_or_texts("producer"), "who produces the statistics, da/en", required=True),
    "publication": Key(text_or_texts("publication"), "the main publication or table, text or da/en", required=True),
    "url": Key(Str(), "where to read it"),
    "licence": Key(text_or_texts("licence"), "terms of reuse, da/en", required=True),
    "unit": Key(Str(nonempty=True), "the headline unit (a key of [units])", required=True),
    "frequency": Key(Str(choices=("A", "H", "Q", "M", "W", "D")), "A, H, Q, M, W or D"),
    "count_week": Key(Int(minimum=1), "the ISO week a point-in-time count is made in"),
    "checked": Key(Str(r"\d{4}-\d{2}-\d{2}"), "when the bundle was last checked against its sources"),
    "credit": Key(Table({**{lang: Key(Str(nonempty=True), f"credit in a source line ({lang})", required=True)
                            for lang in LANGS},
                         "summary_da": Key(Str(), "one line for many publications (da)"),
                         "summary_en": Key(Str(), "one line for many publications (en)")}),
                  "who a source line credits"),
    "live_only": Key(Bool(), "no bundled rows (values.csv has only its header)"),
    "keywords": Key(Table({lang: Key(ListOf(Str(nonempty=True)), f"words a report uses for it ({lang})", required=True)
                           for lang in LANGS}),
                    "words that point a report's sentence to this indicator (claims scan); a word matches "
                    "the start of a word in the sentence, so 'hjemløs' finds 'hjemløse'"),
    "caveats": Key(Table({lang: Key(ListOf(Str(nonempty=True)), f"caveats ({lang})", required=True) for lang in LANGS}),
                   "what a reader must know, da/en"),
    "units": Key(MapOf(texts("unit label"), nonempty=True, key_pattern=ID), "unit code = labels", required=True),
    "geo": Key(MapOf(texts("area name"), nonempty=True, key_pattern=ID), "area code = names", required=True),
    "dimensions": Key(MapOf(Table({
        "label": Key(texts("dimension label"), "the dimension's label", required=True),
        "codes": Key(MapOf(CODE_LABEL, key_pattern=ID), "code = labels", required=True),
    }), key_pattern=r"[a-z][a-z0-9_]*"), "the dataset's own dimensions"),
    "sources": Key(MapOf(SOURCE, nonempty=True, key_pattern=ID), "source id = citation", required=True),
    "vintages": Key(MapOf(VINTAGE, nonempty=True, key_pattern=ID), "vintage id = release", required=True),
    "chart_notes": Key(MapOf(MapOf(texts("note"))), "notes on every chart drawing these rows: dim.code = da/en"),
    "chart": Key(CHART, "default chart selection"),
    "table": Key(Table({
        "layout": Key(Str(choices=("comparison",)), "comparison: one row per code of `by`, persons and share side by side",
                      required=True),
        "by": Key(Str(nonempty=True), "the dimension compared", required=True),
    }), "the dataset's own table layout"),
    "statbank": Key(STATBANK, "live from StatBank: the mapping (docs/add-an-indicator.md)"),
    "eurostat": Key(EUROSTAT, "live from Eurostat: the mapping (docs/eurostat.md)"),
})


# -- checking -----------------------------------------------------------------------------------


@dataclass
class Context:
    path: Path
    lines: list[str] = field(default_factory=list)

    def fail(self, key: tuple[str, ...], message: str):
        dotted = ".".join(key) or "(top level)"
        raise DatasetFileError(self.path, f"{dotted}: {message}", line_of(self.lines, key))


def line_of(lines: list[str], key: tuple[str, ...]) -> int | None:
    """The line where ``key`` is written: its ``[table]`` header or its ``name =``."""
    start, rest = 0, list(key)
    for n in range(len(key), 0, -1):
        header = r"\.".join(rf'\s*"?{re.escape(k)}"?\s*' for k in key[:n])
        pattern = re.compile(rf"^\s*\[{header}\]")
        hit = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
        if hit is not None:
            start, rest = hit, list(key[n:])
            break
    for k in rest:
        if k.isdigit():  # a list index: stay on the list's line
            continue
        pattern = re.compile(rf'(^|[{{,\s])"?{re.escape(k)}"?\s*=')
        hit = next((i for i in range(start, len(lines)) if pattern.search(_code(lines[i]))), None)
        if hit is None:
            break
        start = hit
    return start + 1 if lines else None


def _code(line: str) -> str:
    """A line without its comment (a '#' outside quotes)."""
    out, quote = [], None
    for ch in line:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out)


def check(raw: dict[str, Any], text: str, path: Path, folder_name: str | None = None) -> None:
    """Check a parsed dataset.toml against the schema and its cross-references."""
    ctx = Context(Path(path), text.splitlines())
    DATASET.check(raw, (), ctx)
    if folder_name is not None and raw["id"] != folder_name:
        ctx.fail(("id",), f"{raw['id']!r} does not match the folder name {folder_name!r}")
    _cross_references(raw, ctx)


def _cross_references(raw: dict[str, Any], ctx: Context) -> None:
    units = raw["units"]
    dims = raw.get("dimensions", {})
    if raw["unit"] not in units:
        ctx.fail(("unit",), f"{raw['unit']!r} is not in [units] ({', '.join(units)})")
    statbank, eurostat = raw.get("statbank"), raw.get("eurostat")
    if statbank is not None and eurostat is not None:
        ctx.fail(("eurostat",), "a dataset has one live provider: [statbank] or [eurostat], not both")
    if statbank is not None:
        _check_statbank(statbank, raw, ctx)
    if eurostat is not None:
        for code, unit in {**eurostat.get("units", {}),
                           **({"rate": eurostat["rate"]["unit"]} if "rate" in eurostat else {})}.items():
            if unit not in units:
                ctx.fail(("eurostat", "units" if code != "rate" else "rate", code if code != "rate" else "unit"),
                         f"unit {unit!r} is not in [units] ({', '.join(units)})")
    for dim, spec in dims.items():
        star = (statbank or {}).get("dimensions", {}).get(dim, {}).get("codes") == "*"
        if not spec["codes"] and not star:
            ctx.fail(("dimensions", dim, "codes"), "no codes; declare them (or take every code of a live table "
                                                   f"with [statbank.dimensions.{dim}] codes = \"*\")")
    for dim in raw.get("chart_notes", {}):
        if dim != "geo" and dim not in dims and dim != "unit":
            ctx.fail(("chart_notes", dim), f"no dimension {dim!r} (dimensions: geo, {', '.join(dims)})")
    chart = raw.get("chart", {})
    if "kind" in chart:
        from .charts import KINDS

        if chart["kind"] not in KINDS:
            ctx.fail(("chart", "kind"), f"{chart['kind']!r} is not a chart kind ({', '.join(KINDS)})")
    for dim in chart.get("where", {}):
        if dim not in ("geo", "unit", *dims):
            ctx.fail(("chart", "where", dim), f"no dimension {dim!r} (dimensions: geo, unit, {', '.join(dims)})")
    table = raw.get("table")
    if table and table["by"] not in dims:
        ctx.fail(("table", "by"), f"no dimension {table['by']!r} (dimensions: {', '.join(dims)})")
    if raw.get("live_only") and statbank is None and eurostat is None:
        ctx.fail(("live_only",), "a live-only dataset needs a [statbank] or [eurostat] mapping")
    for vid, v in raw["vintages"].items():
        if "known_by" in v and "known_by_evidence" not in v:
            ctx.fail(("vintages", vid, "known_by"), "known_by needs known_by_evidence saying how it is known")


def _check_statbank(sb: dict[str, Any], raw: dict[str, Any], ctx: Context) -> None:
    from .statbank.hooks import HOOKS

    units = raw["units"]
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
        if dim != "geo" and dim not in raw.get("dimensions", {}):
            ctx.fail(("statbank", "dimensions", dim),
                     f"the dataset has no dimension {dim!r} (declare [dimensions.{dim}] or use geo)")
        if not (spec.get("variable") or spec.get("text")):
            ctx.fail(("statbank", "dimensions", dim), "say which variable: variable = \"ID\" and/or text = \"regex\"")
        if "exclude" in spec and spec.get("codes") != "*":
            ctx.fail(("statbank", "dimensions", dim, "exclude"), "exclude works with codes = \"*\" only")
    for dim in raw.get("dimensions", {}):
        if dim not in sb.get("dimensions", {}):
            ctx.fail(("statbank", "dimensions"), f"the dataset's dimension {dim!r} is not mapped to a variable")
    for hook in sb.get("hooks", []):
        if hook not in HOOKS:
            ctx.fail(("statbank", "hooks"), f"unknown hook {hook!r}; known: {', '.join(HOOKS)}")
    for name in ("nested-durations",):
        if name in sb and name not in sb.get("hooks", []):
            ctx.fail(("statbank", name), f"options for hook {name!r}, which hooks does not name")


def documented_keys() -> dict[str, tuple[str, str, bool]]:
    """Every key of the schema, dotted (``statbank.dimensions.*.variable``): (type, meaning, required).

    Named shapes (``da/en texts``, ``code rule``) are listed once under their name."""
    out: dict[str, tuple[str, str, bool]] = {}

    def walk(spec: Spec, prefix: str):
        if isinstance(spec, AnyOf):
            for option in spec.options:
                walk(option, prefix)
        elif isinstance(spec, Table) and (spec.name is None or not prefix):
            for name, key in spec.keys.items():
                dotted = f"{prefix}.{name}" if prefix else name
                out.setdefault(dotted, (key.spec.describe(), key.doc, key.required))
                walk(key.spec, dotted)
        elif isinstance(spec, MapOf):
            walk(spec.value, f"{prefix}.*")

    walk(DATASET, "")
    for named in (texts("text"), CODE_RULE.options[1]):
        for name, key in named.keys.items():
            out[f"{named.name}.{name}"] = (key.spec.describe(), key.doc, key.required)
    return out


def markdown() -> str:
    """The schema as the Markdown table in docs/data-model.md (regenerate with
    ``python -m udsattestat.dataset_schema``; a test compares the two)."""
    rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
    for key, (kind, doc, required) in documented_keys().items():
        rows.append(f"| `{key}` | {kind.replace('|', '&#124;')} | {'yes' if required else ''} | {doc} |")
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
