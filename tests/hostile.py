"""Hostile-but-plausible inputs for the readers' property tests (and the fuzz run in fuzz/).

Each strategy starts from the shape a reader expects and puts the wrong thing in places
people and services actually get wrong: a table where a string belongs, a list where a
code belongs, a 100-digit integer, NaN, a BOM, a name that differs only by spaces.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from hypothesis import strategies as st

#: Scalars that each break some reader's assumption.
AWKWARD_TEXT = ["", " ", "TOT", "DK", "2019", "２０１９", "2019M13", "=1+1", "-2", "NaN", "inf", "1e999",
                "a:b", ":", "..", "\ufeffgeo", " geo", "geo ", "value", "x_label", "\x00", "æøå", "é" * 3]
scalars = st.one_of(
    st.sampled_from(AWKWARD_TEXT),
    st.text(max_size=8),
    st.integers(min_value=-(10**100), max_value=10**100),
    st.sampled_from([0, 1, -1, 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1, 1, 1)),
    st.just(datetime(2021, 11, 30, 12, 0)),
)


def values(max_leaves: int = 6):
    """Any JSON/TOML-like value: scalars, lists and string-keyed tables, nested."""
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(AWKWARD_TEXT + ["id", "label", "index", "da", "en", "op"]), inner,
                            max_size=3),
        ),
        max_leaves=max_leaves,
    )


def mutated(base: dict, keys: list[str]):
    """``base`` with some of ``keys`` replaced by any value, dropped, or an unknown key added."""
    def build(draws):
        doc = dict(base)
        for action, key, value in draws:
            if action == "set":
                doc[key] = value
            elif action == "drop":
                doc.pop(key, None)
            else:
                doc[f"{key}_extra"] = value
        return doc

    action = st.sampled_from(["set", "set", "set", "drop", "add"])
    return st.lists(st.tuples(action, st.sampled_from(keys), values()), max_size=4).map(build)


# ------------------------------------------------------------------ recipes

REPORT = {"title": "R", "date": "2021-11", "language": "da", "url": "https://example.org"}
FIGURE = {"name": "f1", "kind": "timeseries", "indicator": "homelessness", "where": {"situation": "TOT"},
          "since": "2009", "options": {"series": "age", "size": [6, 4], "notes": ["n"]}}
TABLE = {"name": "t1", "indicator": "poverty", "pivot": "period", "change": ["2009", "2019"]}
CLAIM = {"id": "c1", "quote": "q", "page": 5, "indicator": "homelessness", "measure": "value", "period": "2019",
         "where": {"situation": "TOT"}, "check": {"op": ">", "value": 6000}, "note": 3}
STATED = {"id": "s1", "quote": "q", "page": 5, "measure": "stated", "formula": "share / 100 * children",
          "numbers": {"share": {"value": 56, "precision": 1, "quote": "56%"}, "children": {"value": 60000}},
          "check": {"op": "between", "low": 30000, "high": 37000}}
RANK = {**CLAIM, "id": "r1", "indicator": "drug-deaths-eu", "measure": "rank", "where": {}, "item": {"geo": "DK"},
        "rank_by": "geo", "order": "highest", "check": {"op": "<=", "value": 3}}
FORMULAS = ["a / b", "a +", "a ** 9999999", "(" * 50 + "a" + ")" * 50, "__import__('os')", "a.b", "1e999 * a",
            "a / 0", "-a", "a if b else c", "f(a)", "a[0]", "", "2" * 400, "a / (b - b)"]
CHECK_KEYS = ["op", "value", "tolerance", "low", "high"]


def recipe_docs():
    """Parsed recipe documents (what tomllib returns): a valid recipe with one part broken,
    so that every part is reached (the reader stops at the first problem)."""
    claim = st.one_of(
        mutated(CLAIM, [*CLAIM, "from", "to", "part", "not_comparable", "comment", "since", "until"]),
        mutated({"op": "between", "low": 1, "high": 2}, CHECK_KEYS).map(lambda check: {**CLAIM, "check": check}),
        mutated(STATED, [*STATED, "indicator", "period"]),
        st.tuples(st.sampled_from(FORMULAS), st.sampled_from([{"a": {"value": 1}, "b": {"value": 0}},
                                                              {"a": {"value": 1e308}, "b": {"value": -1e308}}]))
        .map(lambda fn: {**STATED, "formula": fn[0], "numbers": fn[1]}),
        mutated(RANK, [*RANK, "order", "rank_by", "item"]),
        mutated({"op": "==", "value": [1, 2]}, CHECK_KEYS).map(
            lambda check: {**CLAIM, "measure": "range", "since": "2009", "until": "2019", "check": check}),
    )
    valid = {"report": REPORT, "figure": [FIGURE], "table": [TABLE], "claim": [CLAIM]}
    parts = {
        "report": mutated(REPORT, [*REPORT, "subtitle", "description", "title"]),
        "figure": st.lists(st.one_of(mutated(FIGURE, [*FIGURE, "indicators", "until", "vintage"]),
                                     mutated(FIGURE["options"], ["series", "size", "notes", "highlight"]).map(
                                         lambda o: {**FIGURE, "options": o})), min_size=1, max_size=2),
        "table": st.lists(mutated(TABLE, [*TABLE, "where", "title", "since"]), min_size=1, max_size=2),
        "claim": st.lists(claim, min_size=1, max_size=2),
    }
    one_broken = st.one_of(*(strategy.map(lambda v, k=k: {**valid, k: v}) for k, strategy in parts.items()))
    return st.one_of(one_broken, mutated(valid, list(valid)), values())


def recipe_valid():
    """Recipe documents the reader must accept: the valid recipe with its texts and numbers varied."""
    def build(title, page, quote, threshold, since, size):
        claim = {**CLAIM, "page": page, "quote": quote, "check": {"op": ">", "value": threshold}}
        figure = {**FIGURE, "since": str(since), "options": {**FIGURE["options"], "size": size}}
        return {"report": {**REPORT, "title": title}, "figure": [figure], "table": [TABLE], "claim": [claim]}

    return st.builds(build, NONEMPTY, st.integers(1, 500), NONEMPTY, st.integers(0, 10**7), st.integers(1990, 2020),
                     st.lists(st.integers(2, 12), min_size=2, max_size=2))


# ------------------------------------------------------------------ dataset metadata

META = {
    "id": "demo", "title": {"da": "D", "en": "D"}, "definition": {"da": "d", "en": "d"}, "producer": "P",
    "publication": "Pub", "licence": "CC", "unit": "persons",
    "units": {"persons": {"da": "personer", "en": "persons"}},
    "geo": {"DK": {"da": "Danmark", "en": "Denmark"}},
    "sources": {"s1": {"publication": "P", "year": 2020, "url": "https://example.org"}},
    "vintages": {"v1": {"published": "2020-01-01", "description": "first release"}},
    "dimensions": {"age": {"label": {"da": "Alder", "en": "Age"}, "codes": {"TOT": {"da": "I alt", "en": "Total"}}}},
}


#: Text as people type it into a cell: no control characters (a bare CR would end the CSV line).
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10)
NONEMPTY = st.text(min_size=1, max_size=12).filter(str.strip)
CODES = st.from_regex(r"[A-Za-z0-9_.\-]{1,8}", fullmatch=True)
TEXTS = st.fixed_dictionaries({"da": NONEMPTY, "en": NONEMPTY})


def meta_valid():
    """``dataset.toml`` documents the schema must accept: the demo with its texts, codes and
    optional keys varied within what the schema allows."""
    optional = st.fixed_dictionaries({}, optional={
        "frequency": st.sampled_from(["A", "H", "Q", "M", "W", "D"]),
        "count_week": st.integers(1, 53),
        "checked": st.dates().map(lambda d: f"{d:%Y-%m-%d}").filter(lambda d: len(d) == 10),
        "live_only": st.just(False),  # True needs a live mapping
        "url": st.text(max_size=20),
        "caveats": st.fixed_dictionaries({"da": st.lists(NONEMPTY, max_size=2), "en": st.lists(NONEMPTY, max_size=2)}),
    })

    def build(title, definition, geo, codes, extra):
        dims = {"age": {**META["dimensions"]["age"], "codes": {**META["dimensions"]["age"]["codes"], **codes}}}
        return {**META, "title": title, "definition": definition, "geo": {**META["geo"], **geo},
                "dimensions": dims, **extra}

    return st.builds(build, TEXTS, TEXTS, st.dictionaries(CODES, TEXTS, max_size=3),
                     st.dictionaries(CODES, TEXTS, max_size=3), optional)


def meta_docs():
    """The demo ``dataset.toml`` with things wrong (valid variations: :func:`meta_valid`)."""
    return mutated(META, list(META))


def values_header(meta_doc: dict = META) -> list[str]:
    """The values.csv header the reader expects, from the reader's own column lists."""
    from udsattestat.bundle import CSV_HEAD, CSV_TAIL

    return [*CSV_HEAD, *meta_doc.get("dimensions", {}), *CSV_TAIL]


CELLS = ["", "2019", "2019M01", "２０１９", "DK", "TOT", "6431", "-1", "0", "NaN", "inf", "1e999", "1,5", "persons",
         "published", "approximate", "V", "v1", "s1", '"q,uoted"', "=cmd", "\ufeff", "\x00", " "]


@st.composite
def valid_rows(draw):
    """Rows of the demo dataset the reader must accept, with the numbers it must read back."""
    from udsattestat.schema import CONFIDENCES, STATUSES

    periods = draw(st.lists(st.one_of(st.integers(1900, 2100).map(str),
                                      st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(
                                          lambda ym: f"{ym[0]}M{ym[1]:02d}")),
                            min_size=1, max_size=5, unique=True))
    numbers = st.one_of(st.integers(-10**9, 10**9), st.floats(-1e12, 1e12, allow_nan=False).map(lambda f: round(f, 3)))
    rows = []
    for period in periods:
        value = draw(st.one_of(st.none(), numbers))
        low = high = None
        if value is None or draw(st.booleans()):
            low, high = sorted(draw(st.tuples(numbers, numbers)))
        status = draw(st.sampled_from(STATUSES))
        precision = draw(st.sampled_from([1, 10, 100, 1000, 0.1]) if status == "approximate"
                         else st.sampled_from([None, 1, 1000, 0.5]))
        note = draw(PRINTABLE)
        cells = {"period": period, "geo": "DK", "age": "TOT", "value": value, "value_low": low, "value_high": high,
                 "precision": precision, "unit": "persons", "status": status,
                 "confidence": draw(st.sampled_from(CONFIDENCES)), "vintage": "v1", "source": "s1",
                 "locator": draw(PRINTABLE), "note": note}
        rows.append(cells)
    return rows


def _csv(header: list[str], rows: list[list[str]], newline: str) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


NEWLINE = st.sampled_from(["\n", "\r\n"])


def values_csv_valid():
    """(body, rows): values.csv bodies of the demo dataset and the rows the reader must read back."""
    header = values_header()
    return st.builds(lambda rows, nl: (_csv(header, [[_cell(r[c]) for c in header] for r in rows], nl), rows),
                     valid_rows(), NEWLINE)


def values_csv():
    """values.csv bodies of the demo dataset with one thing broken: a cell swapped for an
    awkward one, a row cut short, lengthened or repeated, a header changed (refused or read,
    never a crash)."""
    header = values_header()
    newline = NEWLINE

    @st.composite
    def broken(draw):
        rows = [[_cell(r[c]) for c in header] for r in draw(valid_rows())]
        head = list(header)
        at = draw(st.integers(0, len(rows) - 1))
        how = draw(st.sampled_from(["cell", "cell", "cell", "cell", "short", "long", "repeat", "header"]))
        if how == "cell":
            rows[at][draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(CELLS))
        elif how == "short":
            rows[at] = rows[at][:draw(st.integers(0, len(header) - 1))]
        elif how == "long":
            rows[at] = rows[at] + draw(st.lists(st.sampled_from(CELLS), min_size=1, max_size=3))
        elif how == "repeat":
            rows.append(list(rows[at]))
        else:
            head = draw(st.sampled_from([[], [*header, "x"], [" " + header[0], *header[1:]], header[::-1],
                                         [*header, "note_da"], header[:-1]]))
        return _csv(head, rows, draw(newline))

    return broken()


# ------------------------------------------------------------------ SDMX-CSV

SDMX_NAMES = ["DATAFLOW", "LAST UPDATE", "freq", "unit", "geo", " geo", "geo ", "\ufeffDATAFLOW", "TIME_PERIOD",
              "OBS_VALUE", "OBS_FLAG", "CONF_STATUS", "value", "geo_label", "", "status", "_raw",
              # SDMX-CSV 2.0 with labels (recorded from Eurostat): a name column after each component
              "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "Time frequency", "Time"]
SDMX_CELLS = ["ESTAT:ILC_LI02(1.0)", "A", "Annual", "PC", "DK", "DK:Denmark", "SE", "2023", "2024", "２０２４", "12.1", "-3",
              "NaN", "nan", "inf", "-inf", "1e999", "1e-999", "", "b", "bu", "c", "C", ":", "x y", '"a,b"', "1,5"]


def sdmx_csv():
    header = st.one_of(
        st.just(["DATAFLOW", "LAST UPDATE", "freq", "unit", "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG",
                 "CONF_STATUS"]),
        st.just(["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency", "geo",
                 "Geopolitical entity (reporting)", "TIME_PERIOD", "Time", "OBS_VALUE", "Observation value",
                 "OBS_FLAG", "Observation status (Flag) V2 structure", "CONF_STATUS", "Confidentiality status (flag)"]),
        st.lists(st.sampled_from(SDMX_NAMES), min_size=1, max_size=9),
    )

    def body(draw_header, rows):
        width = len(draw_header)
        lines = [",".join(draw_header)] + [",".join((r + [""] * width)[:width]) for r in rows]
        return "\n".join(lines).encode("utf-8")

    rows = st.lists(st.lists(st.sampled_from(SDMX_CELLS), max_size=10), max_size=6)
    return st.one_of(st.builds(body, header, rows), st.binary(max_size=60))


@st.composite
def sdmx_valid(draw):
    """(body, {(geo, year): value}): an SDMX-CSV body as Eurostat sends it, with what it holds."""
    geos = draw(st.lists(st.sampled_from(["DK", "SE", "NO", "DE", "FI", "EU27_2020"]), min_size=1, max_size=3,
                         unique=True))
    years = draw(st.lists(st.integers(1990, 2030), min_size=1, max_size=4, unique=True))
    number = st.one_of(st.integers(-10**9, 10**9).map(float), st.floats(-1e9, 1e9, allow_nan=False).map(
        lambda f: round(f, 4)))
    held = {(g, str(y)): draw(number) for g in geos for y in years}
    lines = ["DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    lines += [f"ESTAT:ILC_LI02(1.0),01/01/24 23:00:00,A,PC,{g},{y},{v!r},{draw(st.sampled_from(['', 'b', 'p']))}"
              for (g, y), v in held.items()]
    return "\n".join(lines).encode(), held


# ------------------------------------------------------------------ StatBank tableinfo

TABLEINFO = {
    "id": "HJEM1", "text": "Hjemløse", "description": "d", "unit": "Antal", "updated": "2024-01-01T08:00:00",
    "suppressedDataValue": "..", "documentation": {"url": "https://www.dst.dk/x"}, "active": True,
    # the shape recorded from the real API (tests/fixtures/recorded/README.md)
    "footnote": {"text": "Fodnote.  \r\n Anden linje.", "mandatory": True},
    "variables": [
        {"id": "OMRÅDE", "text": "område", "elimination": True, "time": False, "map": "denmark_municipality_07",
         "values": [{"id": "000", "text": "Hele landet"}]},
        {"id": "Tid", "text": "tid", "elimination": False, "time": True, "values": [{"id": "2019", "text": "2019"}]},
    ],
}
VARIABLE_KEYS = ["id", "text", "elimination", "time", "map", "values"]


def tableinfo_valid():
    """tableinfo documents in the documented shape, with their variables' codes varied."""
    value = st.fixed_dictionaries({"id": CODES, "text": NONEMPTY})
    variable = st.fixed_dictionaries(
        {"id": CODES, "text": NONEMPTY, "values": st.lists(value, max_size=4, unique_by=lambda v: v["id"])},
        optional={"elimination": st.booleans(), "time": st.booleans()})
    return st.lists(variable, min_size=1, max_size=3, unique_by=lambda v: v["id"]).map(
        lambda vs: {**TABLEINFO, "variables": vs})


def tableinfo_docs():
    variable = st.one_of(mutated(TABLEINFO["variables"][0], VARIABLE_KEYS),
                         mutated(TABLEINFO["variables"][1], VARIABLE_KEYS), values())
    with_vars = st.lists(variable, max_size=3).map(lambda vs: {**TABLEINFO, "variables": vs})
    footnote = mutated(TABLEINFO["footnote"], ["text", "mandatory"]).map(lambda f: {**TABLEINFO, "footnote": f})
    return st.one_of(mutated(TABLEINFO, list(TABLEINFO)), with_vars, footnote, values())


def is_finite_or_none(v) -> bool:
    return v is None or math.isfinite(v)


# ------------------------------------------------------------------ JSON-stat

def jsonstat_docs():
    """JSON-stat datasets with one part replaced: a top-level key, a dimension, its category."""
    import json

    from eurostat_fixtures import ilc_li02_new

    base = json.loads(ilc_li02_new())
    dim_id = base["id"][-1]
    dim = base["dimension"][dim_id]
    top = mutated(base, [*base, "status", "value", "size", "id", "role"])
    one_dim = mutated(dim, ["label", "category"]).map(
        lambda d: {**base, "dimension": {**base["dimension"], dim_id: d}})
    category = mutated(dim["category"], ["index", "label"]).map(
        lambda c: {**base, "dimension": {**base["dimension"], dim_id: {**dim, "category": c}}})
    return st.one_of(top, one_dim, category, values())
