"""Every bundled row's confidence flag and source agree with the reference's status letters.

``datasets/.reference-status.csv`` (a dotfile, so ``dataset check datasets/*`` passes it by)
is written by hand from ``shared/reference/published-figures.md``, one line per published
value: the dataset, the period, the codes that pick the row out (``dim=code;…``, any column
of the tidy table), the value (``low-high`` for a range, empty for "every row"), the reference's letter (V, S, D, U;
empty where the reference gives none) and the source id the bundle must cite. It is never
generated from the rows: a flag or a source changed in a values.csv without the reference
saying so fails here, and so does a row the table does not know.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from udsattestat.bundle import datasets_dir, load_bundled
from udsattestat.catalog import indicator_ids

TABLE = Path(__file__).parent.parent / "datasets" / ".reference-status.csv"
LETTERS = {"V", "S", "D", "U", ""}


def entries() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def bundled() -> dict[str, list[dict]]:
    out = {}
    for indicator in indicator_ids():
        frame, _, _ = load_bundled(indicator, "en")
        if frame.height:
            out[indicator] = frame.to_dicts()
    return out


ROWS = bundled()


def _same(a, b) -> bool:
    return a is not None and abs(float(a) - float(b)) < 1e-9


def matches(entry: dict, row: dict) -> bool:
    if entry["period"] and row["period"] != entry["period"]:
        return False
    for pair in filter(None, entry["where"].split(";")):
        column, _, code = pair.partition("=")
        if str(row[column]) != code:
            return False
    value = entry["value"]
    if not value:
        return True
    low, dash, high = value.partition("-")
    if dash:  # a range as published: both ends
        return row["value"] is None and _same(row["value_low"], low) and _same(row["value_high"], high)
    return _same(row["value"], value)


def test_the_table_is_well_formed():
    rows = entries()
    assert rows, "empty reference-status table"
    for e in rows:
        assert e["dataset"] in ROWS, e
        assert e["letter"] in LETTERS, e
        assert e["source"] and e["reference"], e


@pytest.mark.parametrize("entry", entries(), ids=lambda e: f"{e['dataset']}:{e['period']}:{e['where']}:{e['value']}")
def test_every_reference_value_is_bundled_with_its_letter_and_source(entry):
    found = [r for r in ROWS[entry["dataset"]] if matches(entry, r)]
    assert found, f"no bundled row matches {entry}"
    for r in found:
        assert r["source"] == entry["source"], (entry["reference"], r)
        if entry["letter"]:
            assert r["confidence"] == entry["letter"], (entry["reference"], r)
        if entry["letter"] == "U":  # the legend: U ships only with status `uncertain`
            assert r["status"] == "uncertain", r


@pytest.mark.parametrize("indicator", sorted(ROWS))
def test_every_bundled_row_is_in_the_table_once(indicator):
    table = [e for e in entries() if e["dataset"] == indicator]
    for r in ROWS[indicator]:
        hits = [e["reference"] for e in table if matches(e, r)]
        assert len(hits) == 1, (f"{indicator} {r['period']} {r['vintage']} value={r['value']} "
                                f"is matched by {len(hits)} lines of .reference-status.csv: {hits}")


def test_the_table_sits_beside_the_bundle():
    # it ships with the datasets, so a reader of the installed package can check the flags too
    assert (Path(datasets_dir()) / TABLE.name).is_file()


# -- dates: a release with no recorded date says so (issue 23, finding 13) ----------------------

@pytest.mark.parametrize("indicator", sorted(ROWS))
def test_every_undated_release_says_its_date_is_not_recorded(indicator):
    _, prov, _ = load_bundled(indicator, "en")
    used = {r["vintage"] for r in ROWS[indicator]}
    for vid in used:
        v = prov.vintages[vid]
        if v.get("published"):
            continue
        texts = v.get("texts", {}).get("description", {"da": v["description"], "en": v["description"]})
        assert "not recorded" in texts["en"], (indicator, vid, texts["en"])
        assert "ikke registreret" in texts["da"], (indicator, vid, texts["da"])
