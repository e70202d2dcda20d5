"""How a live answer differs in shape from the response recorded for the same question.

Pure functions, bytes in, a list of differences out (empty: no drift). tests/test_live.py
feeds them the real services' answers; tests/test_drift_checks.py feeds them the
recordings themselves (no drift) and altered copies (the drift each must report), so a
check that could never fail would be noticed. Numbers are not compared: a revision is
not drift; what is compared is everything the readers depend on.
"""

from __future__ import annotations

import json

BOM = b"\xef\xbb\xbf"


def _media(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _json(raw: bytes, what: str, drift: list[str]):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        drift.append(f"{what}: the answer is not JSON ({exc.__class__.__name__})")
        return None


def _keys(live: dict, recorded: dict, what: str) -> list[str]:
    out = [f"{what}: key {k!r} missing" for k in sorted(set(recorded) - set(live))]
    return out + [f"{what}: new key {k!r}" for k in sorted(set(live) - set(recorded))]


def content_type(live: str | None, recorded: str | None, what: str) -> list[str]:
    if _media(live) != _media(recorded):
        return [f"{what}: content type is now {live!r} (recorded {recorded!r})"]
    return []


def statbank_tableinfo(live: bytes, recorded: bytes, what: str = "tableinfo") -> list[str]:
    from udsattestat.errors import UdsatError
    from udsattestat.statbank.tableinfo import TableInfo

    drift: list[str] = []
    doc, rec = _json(live, what, drift), json.loads(recorded)
    if not isinstance(doc, dict):
        return drift or [f"{what}: the answer is not a JSON object"]
    drift += _keys(doc, rec, what)
    live_vars = {v.get("id"): v for v in doc.get("variables") or [] if isinstance(v, dict)}
    rec_vars = {v["id"]: v for v in rec["variables"]}
    if list(live_vars) != list(rec_vars):
        drift.append(f"{what}: the variables are now {list(live_vars)} (recorded {list(rec_vars)})")
    for var_id in set(live_vars) & set(rec_vars):
        drift += _keys(live_vars[var_id], rec_vars[var_id], f"{what} variable {var_id}")
    kind = {type(None): "null", str: "text", dict: "object"}
    if kind.get(type(doc.get("footnote")), "other") != kind.get(type(rec.get("footnote")), "other"):
        drift.append(f"{what}: footnote is now {kind.get(type(doc.get('footnote')), 'other')} "
                     f"(recorded {kind.get(type(rec.get('footnote')), 'other')})")
    elif isinstance(doc.get("footnote"), dict):
        drift += _keys(doc["footnote"], rec["footnote"], f"{what} footnote")
    try:
        TableInfo.from_json(doc)
    except UdsatError as exc:
        drift.append(f"{what}: udsattestat cannot read it: {exc}")
    return drift


def statbank_csv(live: bytes, recorded: bytes, what: str = "CSV") -> list[str]:
    """BOM, line ends, separator, the header line and how the first row's cells are written."""
    drift = []
    if live.startswith(BOM) != recorded.startswith(BOM):
        drift.append(f"{what}: UTF-8 BOM {'now present' if live.startswith(BOM) else 'now absent'}")
    crlf = b"\r\n" in live
    if crlf != (b"\r\n" in recorded):
        drift.append(f"{what}: line ends changed ({'CRLF' if crlf else 'LF'} now)")
    live_lines = live.removeprefix(BOM).replace(b"\r\n", b"\n").split(b"\n")
    rec_lines = recorded.removeprefix(BOM).replace(b"\r\n", b"\n").split(b"\n")
    if live_lines[0] != rec_lines[0]:
        drift.append(f"{what}: header is now {live_lines[0].decode('utf-8', 'replace')!r} "
                     f"(recorded {rec_lines[0].decode('utf-8', 'replace')!r})")
    if len(live_lines) < 2 or not live_lines[1]:
        return drift + [f"{what}: no data row"]
    live_row, rec_row = live_lines[1].split(b";"), rec_lines[1].split(b";")
    if len(live_row) != len(rec_row):
        drift.append(f"{what}: rows have {len(live_row)} cells (recorded {len(rec_row)})")
    elif live_row[:-1] != rec_row[:-1]:
        drift.append(f"{what}: the first row's keys are now {b';'.join(live_row[:-1]).decode('utf-8', 'replace')!r}")
    value = live_row[-1]
    if not (value.isdigit() or value == b".."):
        drift.append(f"{what}: value {value.decode('utf-8', 'replace')!r} is not written as the recorded one "
                     f"({rec_row[-1].decode()!r}: digits only)")
    return drift


def statbank_tables(live: bytes, recorded: bytes, table: str, what: str = "tables") -> list[str]:
    drift: list[str] = []
    doc, rec = _json(live, what, drift), json.loads(recorded)
    if not isinstance(doc, list):
        return drift or [f"{what}: the answer is not a JSON list"]
    live_keys = set().union(*(set(t) for t in doc if isinstance(t, dict))) if doc else set()
    drift += _keys(dict.fromkeys(live_keys), dict.fromkeys(set().union(*(set(t) for t in rec))), what)
    if not any(isinstance(t, dict) and t.get("id") == table for t in doc):
        drift.append(f"{what}: {table} is no longer listed")
    return drift


def eurostat_jsonstat(live: bytes, recorded: bytes, what: str = "JSON-stat") -> list[str]:
    from udsattestat.errors import UdsatError
    from udsattestat.eurostat import jsonstat

    drift: list[str] = []
    doc, rec = _json(live, what, drift), json.loads(recorded)
    if not isinstance(doc, dict):
        return drift or [f"{what}: the answer is not a JSON object"]
    drift += _keys(doc, rec, what)
    if isinstance(doc.get("extension"), dict):
        drift += _keys(doc["extension"], rec["extension"], f"{what} extension")
    if doc.get("id") != rec["id"]:
        drift.append(f"{what}: the dimensions are now {doc.get('id')} (recorded {rec['id']})")
    for dim_id in set(doc.get("dimension") or {}) & set(rec["dimension"]):
        live_dim, rec_dim = doc["dimension"][dim_id], rec["dimension"][dim_id]
        if isinstance(live_dim, dict):
            drift += _keys(live_dim, rec_dim, f"{what} dimension {dim_id}")
            if isinstance(live_dim.get("category"), dict):
                drift += _keys(live_dim["category"], rec_dim["category"], f"{what} dimension {dim_id} category")
    try:
        cube = jsonstat.parse(doc)
    except UdsatError as exc:
        return drift + [f"{what}: udsattestat cannot read it: {exc}"]
    unknown = cube.unknown_flags()
    if unknown:
        drift.append(f"{what}: flags udsattestat does not know: {unknown}")
    return drift


def eurostat_sdmxcsv(live: bytes, recorded_dims: list[str], what: str = "SDMX-CSV") -> list[str]:
    """An SDMX-CSV 1.0 answer by code: its header and dimensions, and that it reads."""
    from udsattestat.errors import UdsatError
    from udsattestat.eurostat import sdmxcsv

    header = live.removeprefix(BOM).split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace").split(",")
    drift = []
    if header[:2] != ["DATAFLOW", "LAST UPDATE"]:
        drift.append(f"{what}: the header starts {header[:2]} (expected DATAFLOW, LAST UPDATE)")
    if header[-3:] != ["OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]:
        drift.append(f"{what}: the header ends {header[-3:]} (expected OBS_VALUE, OBS_FLAG, CONF_STATUS)")
    try:
        cube = sdmxcsv.parse(live)
    except UdsatError as exc:
        return drift + [f"{what}: udsattestat cannot read it: {exc}"]
    if cube.ids != recorded_dims:
        drift.append(f"{what}: the dimensions are now {cube.ids} (recorded {recorded_dims})")
    return drift
