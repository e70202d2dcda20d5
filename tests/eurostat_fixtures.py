"""Synthetic Eurostat responses in the exact documented shape (JSON-stat 2.0, sparse
``value``/``status`` keyed by the row-major flat index, ``index``/``label`` objects, Eurostat's
``extension``), built here so each test can see what it serves. The numbers are made up:
they test parsing, never published figures.

The shape follows the responses recorded from the real API (tests/fixtures/recorded/,
checked by tests/test_recorded_eurostat.py): compact JSON, no ``role`` object, an
``extension`` with the dataset id, agency, version, data structure, annotations,
``positions-with-no-data`` and a ``status.label`` naming each flag string present (a
combined flag by its parts: ``"ep"`` → "estimated, provisional", ``"|C"`` → "|confidential")."""

from __future__ import annotations

import json
from itertools import product

UPDATED = "2026-02-06T23:00:00+0100"


#: Flag meanings as Eurostat labels them in ``extension.status.label``.
FLAG_LABELS = {"b": "break in time series", "c": "confidential", "d": "definition differs (see metadata)",
               "e": "estimated", "p": "provisional", "u": "low reliability", "n": "not significant",
               "C": "confidential", "F": "free"}


def flag_label(flags: str) -> str:
    obs, sep, conf = flags.partition("|")
    text = ", ".join(FLAG_LABELS.get(f, f) for f in obs)
    return text + (f"|{FLAG_LABELS.get(conf, conf)}" if sep else "")


def cube(dims: list[tuple[str, list[tuple[str, str]]]], cells: dict[tuple, tuple], *, label="Test dataset",
         updated=UPDATED, role=False, dataset="TEST") -> bytes:
    """``dims`` = [(id, [(code, label), …]), …]; ``cells`` = {(code, code, …): (value|None, flag|None)}."""
    order = list(product(*[[c for c, _ in codes] for _, codes in dims]))
    value, status = {}, {}
    for key, (v, f) in cells.items():
        pos = order.index(key)
        if v is not None:
            value[str(pos)] = v
        if f:
            status[str(pos)] = f
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": "ESTAT",
        "updated": updated,
        "value": value,
        "status": status,
        "id": [d for d, _ in dims],
        "size": [len(c) for _, c in dims],
        "dimension": {
            d: {
                "label": d,
                "category": {
                    "index": {c: i for i, (c, _) in enumerate(codes)},
                    "label": {c: lab for c, lab in codes},
                },
            }
            for d, codes in dims
        },
        "extension": {
            "lang": "EN",
            "id": dataset.upper(),
            "agencyId": "ESTAT",
            "version": "1.0",
            "datastructure": {"id": dataset.upper(), "agencyId": "ESTAT", "version": "1.0"},
            "annotation": [{"type": "OBS_COUNT", "title": str(len(value))},
                           {"type": "UPDATE_DATA", "date": updated}],
            "positions-with-no-data": {d: [] for d, _ in dims},
            "status": {"label": {f: flag_label(f) for f in sorted(set(status.values()))}},
        },
    }
    if role:  # JSON-stat allows it; Eurostat's recorded answers have none
        doc["role"] = {"time": ["time"], "geo": ["geo"]}
    return json.dumps(doc, separators=(",", ":")).encode()


A = [("A", "Annual")]
GEO = [("DK", "Denmark"), ("SE", "Sweden"), ("EE", "Estonia")]
YEARS = [("2021", "2021"), ("2022", "2022")]


def ilc_li02_new() -> bytes:
    """After the restructuring: statinfo + rskpovth, several thresholds in one response."""
    dims = [("freq", A), ("statinfo", [("MED_EI", "Median equivalised income")]),
            ("rskpovth", [("B_50", "Below 50% of median"), ("B_60", "Below 60% of median")]),
            ("unit", [("PC", "Percentage")]), ("sex", [("T", "Total")]), ("age", [("TOTAL", "Total")]),
            ("geo", GEO), ("time", YEARS)]
    cells = {}
    for th, base in (("B_50", 6.0), ("B_60", 12.0)):
        for i, (g, _) in enumerate(GEO):
            for j, (t, _) in enumerate(YEARS):
                cells[("A", "MED_EI", th, "PC", "T", "TOTAL", g, t)] = (base + i + j / 10, None)
    cells[("A", "MED_EI", "B_60", "PC", "T", "TOTAL", "DK", "2022")] = (12.1, "b")
    cells[("A", "MED_EI", "B_60", "PC", "T", "TOTAL", "SE", "2022")] = (None, "c")
    del cells[("A", "MED_EI", "B_60", "PC", "T", "TOTAL", "EE", "2021")]  # a missing cell
    cells[("A", "MED_EI", "B_60", "PC", "T", "TOTAL", "EE", "2022")] = (14.1, "bu")
    return cube(dims, cells, label="At-risk-of-poverty rate by poverty threshold, age and sex", dataset="ilc_li02")


def ilc_li02_old() -> bytes:
    """Before the restructuring: the threshold is indic_il=LI_R_MD60."""
    dims = [("freq", A), ("indic_il", [("LI_R_MD50", "50% of median"), ("LI_R_MD60", "60% of median")]),
            ("unit", [("PC", "Percentage")]), ("sex", [("T", "Total")]), ("age", [("TOTAL", "Total")]),
            ("geo", GEO[:2]), ("time", YEARS)]
    cells = {("A", ind, "PC", "T", "TOTAL", g, t): (v, "e" if g == "SE" else None)
             for ind, v in (("LI_R_MD50", 5.5), ("LI_R_MD60", 12.5)) for g, _ in GEO[:2] for t, _ in YEARS}
    return cube(dims, cells, label="At-risk-of-poverty rate (old structure)", dataset="ilc_li02")


def hlth_cd_aro() -> bytes:
    dims = [("freq", A), ("unit", [("NR", "Number")]), ("sex", [("T", "Total")]), ("age", [("TOTAL", "Total")]),
            ("icd10", [("TOXICO", "Drug dependence, toxicomania (F11-F16, F18-F19)")]),
            ("resid", [("TOT_RESID", "All deaths reported in the country")]), ("geo", GEO), ("time", YEARS)]
    head = ("A", "NR", "T", "TOTAL", "TOXICO", "TOT_RESID")
    cells = {
        (*head, "DK", "2021"): (120.0, None),
        (*head, "DK", "2022"): (150.0, "p"),
        (*head, "SE", "2021"): (500.0, None),
        (*head, "SE", "2022"): (None, "c"),
        (*head, "EE", "2021"): (60.0, "e"),
        # EE 2022 missing
    }
    return cube(dims, cells, label="Causes of death - deaths by country of residence and occurrence",
                dataset="hlth_cd_aro")


def demo_pjan() -> bytes:
    dims = [("freq", A), ("unit", [("NR", "Number")]), ("age", [("TOTAL", "Total")]), ("sex", [("T", "Total")]),
            ("geo", GEO), ("time", YEARS)]
    head = ("A", "NR", "TOTAL", "T")
    cells = {
        (*head, "DK", "2021"): (6_000_000.0, None),
        (*head, "DK", "2022"): (6_000_000.0, None),
        (*head, "SE", "2021"): (10_000_000.0, None),
        (*head, "SE", "2022"): (10_000_000.0, None),
        (*head, "EE", "2021"): (1_200_000.0, "e"),
        (*head, "EE", "2022"): (1_200_000.0, None),
    }
    return cube(dims, cells, label="Population on 1 January by age and sex", dataset="demo_pjan")


def ilc_peps01n() -> bytes:
    """At risk of poverty or social exclusion: unit PC and THS_PER in the table; the request
    asks for PC only, so the response carries PC (one code), sex T, age TOTAL."""
    dims = [("freq", A), ("age", [("TOTAL", "Total")]), ("sex", [("T", "Total")]),
            ("unit", [("PC", "Percentage of total population")]),
            ("geo", [("EU27_2020", "European Union - 27 countries (from 2020)"), *GEO]), ("time", YEARS)]
    head = ("A", "TOTAL", "T", "PC")
    cells = {(*head, g, t): (15.0 + i + j / 10, None) for i, (g, _) in enumerate(dims[4][1]) for j, (t, _) in enumerate(YEARS)}
    cells[(*head, "EE", "2022")] = (24.2, "b")
    cells[(*head, "EU27_2020", "2022")] = (21.6, "e")
    return cube(dims, cells, label="Persons at risk of poverty or social exclusion by age and sex - EU 2030 target",
                dataset="ilc_peps01n")


TOC = (
    b'"title"\t"code"\t"type"\t"last update of data"\t"last table structure change"\t"data start"\t"data end"\n'
    b'"Database by themes"\t"data"\t"folder"\t" "\t" "\t" "\t" "\n'
    b'"    Population and social conditions"\t"popul"\t"folder"\t" "\t" "\t" "\t" "\n'
    b'"        At-risk-of-poverty rate by poverty threshold, age and sex - EU-SILC and ECHP surveys"\t"ilc_li02"\t"dataset"\t"15.10.2025"\t"15.10.2025"\t"1995"\t"2024"\n'
    b'"        Causes of death - deaths by country of residence and occurrence"\t"hlth_cd_aro"\t"dataset"\t"20.03.2025"\t"20.03.2025"\t"2011"\t"2022"\n'
    b'"        Population on 1 January by age and sex"\t"demo_pjan"\t"dataset"\t"01.07.2025"\t"01.07.2025"\t"1960"\t"2025"\n'
    b'"    Poverty (again, in another folder)"\t"ilc_li02"\t"dataset"\t"15.10.2025"\t"15.10.2025"\t"1995"\t"2024"\n'
)


def error(status: int, label: str, *, as_list: bool = False, key: str = "error") -> bytes:
    entry = {"status": status, "id": 100 if status == 404 else 140, "label": label}
    return json.dumps({key: [entry] if as_list else entry}).encode()
