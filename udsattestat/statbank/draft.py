"""A draft ``dataset.toml`` from a StatBank table's metadata, for a person to edit.

``udsattestat dataset new ID --statbank TABLE`` reads the table's tableinfo in both
languages and writes what it says — title, description, unit, every variable with every
code and its label in Danish and English, the ``[statbank]`` mapping and the producer's
licence — as a live-only dataset that ``dataset check`` accepts as it stands. What only a
person can decide (which codes to keep, what to hold at one code, the caveats, the chart)
is left to them, with the comments at the top saying how. Nothing here is a value: a live
dataset's numbers come from the table when it is fetched.
"""

from __future__ import annotations

import json
import re

from ..schema import CORE
from .fetch import CREDIT, TEXTS
from .tableinfo import TableInfo, Variable

#: A bare TOML key, and what dataset.toml accepts as an id or code (dataset_schema.ID).
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_CODE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; non-ASCII stays as written)."""
    return json.dumps(text, ensure_ascii=False)


def toml_key(key: str) -> str:
    return key if _BARE.match(key) else toml_string(key)


def both(da: str, en: str) -> str:
    return f"{{ da = {toml_string(da)}, en = {toml_string(en)} }}"


def dimension_id(en: Variable, da: Variable, taken: set[str]) -> str:
    """Our dimension id for a variable: its English text as a word (``marital status`` →
    ``marital_status``), else its id; never a column of the tidy table, never twice."""
    for text in (en.text, da.id):
        base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
        if base and base not in taken and base not in CORE and not base.endswith("_label"):
            return base
    n = 2
    while f"{da.id.lower()}_{n}" in taken:
        n += 1
    return f"{da.id.lower()}_{n}"


def unit_id(en_unit: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", en_unit.lower()).strip("-") or "value"


def kept(info: dict[str, TableInfo], keep: list[str] | None) -> tuple[list[Variable], list[Variable]]:
    """(variables that become dimensions or geo, variables StatBank sums away) for ``keep``.

    ``keep`` names variables (ids, any case); None keeps all. One not kept that the table
    does not allow to be left out (elimination false) is kept all the same."""
    da = info["da"]
    wanted = None if keep is None else {k.upper() for k in keep}
    ours, summed = [], []
    for var in da.variables:
        if var is da.time_variable:
            continue
        if wanted is None or var.id.upper() in wanted or not var.elimination:
            ours.append(var)
        else:
            summed.append(var)
    return ours, summed


def draft(indicator: str, info: dict[str, TableInfo], *, command: str, today: str,
          keep: list[str] | None = None) -> str:
    """The text of ``dataset.toml`` for ``indicator`` from ``info`` (``{"da": …, "en": …}``);
    ``keep``: see :func:`kept`."""
    da, en = info["da"], info["en"]
    table = da.id
    url = f"https://www.statistikbanken.dk/{table}"
    unit = unit_id(en.unit)
    ours, summed = kept(info, keep)
    geo_var = da.geo_variable if da.geo_variable in ours else None
    time_var = da.time_variable
    others = [v for v in ours if v is not geo_var]
    dims = list(zip(draft_dimensions(info, keep), others, strict=True))
    skipped: list[str] = []

    def codes(var: Variable) -> list[tuple[str, str, str]]:
        labels_en = en.variable(var.id).labels()
        out = []
        for code, text in var.values:
            if _CODE.match(code):
                out.append((code, text, labels_en.get(code) or text))
            else:
                skipped.append(f"{var.id}={code}")
        return out

    def code_tables(prefix: str, var: Variable) -> list[str]:
        lines = []
        for code, text_da, text_en in codes(var):
            lines += [f"[{prefix}.{toml_key(code)}]", f"da = {toml_string(text_da)}", f"en = {toml_string(text_en)}"]
        return lines

    body = [
        f"id = {toml_string(indicator)}",
        f"title = {both(da.text, en.text)}",
        f"definition = {both(da.description or da.text, en.description or en.text)}",
        f"producer = {both(TEXTS['producer']['da'], TEXTS['producer']['en'])}",
        f"publication = {toml_string(f'Statistikbanken {table}: {da.text}')}",
        f"url = {toml_string(url)}",
        f"licence = {both(TEXTS['licence']['da'].format(table=table), TEXTS['licence']['en'].format(table=table))}",
        f"unit = {toml_string(unit)}",
        "live_only = true",
        f"checked = {toml_string(today)}",
        f"credit = {both(CREDIT['da'], CREDIT['en'])}",
    ]
    if da.footnote or en.footnote:
        body += ["", "[caveats]", f"da = [{toml_string(_one_line(da.footnote or en.footnote))}]",
                 f"en = [{toml_string(_one_line(en.footnote or da.footnote))}]"]
    body += ["", f"[units.{toml_key(unit)}]", f"da = {toml_string(da.unit)}", f"en = {toml_string(en.unit)}", ""]
    if geo_var is not None:
        body += code_tables("geo", geo_var)
    else:  # a table of the whole country: one area
        body += ["[geo.DK]", 'da = "Hele landet"', 'en = "Denmark"']
    for dim, var in dims:
        var_en = en.variable(var.id)
        body += ["", f"[dimensions.{dim}]", f"label = {both(_capital(var.text), _capital(var_en.text))}"]
        body += code_tables(f"dimensions.{dim}.codes", var)
    source = f"statbank-{table.lower()}"
    body += [
        "",
        f"[sources.{source}]",
        f"publication = {both(f'Statistikbanken {table} (hentet live)', f'StatBank {table} (live fetch)')}",
        f"author = {toml_string(CREDIT['da'])}",
        f"url = {toml_string(url)}",
        "",
        "[vintages.live]",
        'published = ""',
        "description = " + both(f"Hentet live fra Statistikbanken {table}, dateret med tabellens 'opdateret'",
                                f"Fetched live from StatBank {table}, dated by the table's 'updated'"),
        "",
        "[chart]",
        'kind = "timeseries"',
        "",
        "[statbank]",
        f"table = {toml_string(table)}",
        f"unit = {toml_string(unit)}",
    ]
    if time_var is not None:
        first = time_var.codes[0] if time_var.codes else ""
        body.append(f"# since = {toml_string(first)}   # the first period to fetch ({time_var.id} starts at {first})")
    if geo_var is not None:
        body += ["[statbank.dimensions.geo]", f"variable = {toml_string(geo_var.id)}"]
    for dim, var in dims:
        body += [f"[statbank.dimensions.{dim}]", f"variable = {toml_string(var.id)}"]
    head = [
        f"# A draft from StatBank table {table}'s metadata (tableinfo updated {da.updated}), written by",
        f"# '{command}'.",
        "# Every kept variable and code is here, labelled in both languages; a fetch asks for",
        "# exactly the codes declared below, so edit before you fetch:",
        "#  - delete the codes you do not want under [geo] and each [dimensions.*.codes]",
        "#    (e.g. keep the municipalities, or only a dimension's total);",
        "#  - or hold a variable at one code: delete its [dimensions.X] and [statbank.dimensions.X]",
        "#    tables and its column in values.csv, and add to [statbank]: fixed = { VARIABLE = \"CODE\" };",
        "#  - read the definition, add caveats, choose the chart ([chart] kind, where);",
        "# then: udsattestat dataset check <this folder>; udsattestat fetch " + indicator + " --live",
        "# (docs/add-an-indicator.md).",
    ]
    if summed:
        head.append("# Left to StatBank to sum away (not asked for, so the table's totals): "
                    + ", ".join(f"{v.id} ({v.text})" for v in summed) + ".")
    if skipped:
        head.append(f"# Codes left out (not usable as keys here): {', '.join(skipped)}.")
    return "\n".join([*head, *body]) + "\n"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def draft_dimensions(info: dict[str, TableInfo], keep: list[str] | None = None) -> list[str]:
    """The dimension ids :func:`draft` gives the kept variables (not geo), in order."""
    da, en = info["da"], info["en"]
    taken: set[str] = {"geo"}
    out = []
    for var in kept(info, keep)[0]:
        if var is da.geo_variable:
            continue
        dim = dimension_id(en.variable(var.id), var, taken)
        taken.add(dim)
        out.append(dim)
    return out
