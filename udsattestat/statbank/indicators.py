"""Our indicators from StatBank tables, in the same tidy schema as the bundled data.

``poverty`` ← IFOR51 (DST's official relative-poverty indicator). The table's variables
are found in its tableinfo at run time, not hard-coded: the age variable (``ALDER``, whose
codes ``TOT`` and ``0017`` the bundle shares), the unit variable (``ENHED``: number of
persons / per cent, told apart by their texts), the duration variable (1–4 consecutive
years, nested — we take the one-year category, the headline count, and never sum) and
time. If the table changes shape so that this cannot be done unambiguously, the fetch
fails with a message saying what was found, rather than fetching the wrong series.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import FetchError
from .fetch import Session, context_for, get_data, get_tableinfo, plan_for, provenance_for
from .parse import check_header, read_tidy
from .tableinfo import TableInfo, Variable

PERSONS = re.compile(r"antal|personer|number|persons", re.I)
PERCENT = re.compile(r"pct|procent|per ?cent|%|andel|share", re.I)


class TableShapeError(FetchError):
    """A StatBank table no longer has the shape an indicator was built for."""


def _shape_error(info: TableInfo, what: str) -> TableShapeError:
    return TableShapeError(
        f"StatBank table {info.id} changed shape: {what}; see 'udsattestat statbank info {info.id}' "
        "(udsattestat needs an update for this table; the bundled data still work without --live)"
    )


def _find(info: TableInfo, ids: tuple[str, ...], words: tuple[str, ...], taken: set[str], what: str) -> Variable:
    candidates = [v for v in info.variables if not v.time and v.id not in taken
                  and (v.id.upper() in ids or any(w in v.text.lower() for w in words))]
    if len(candidates) != 1:
        found = ", ".join(f"{v.id} ({v.text})" for v in info.variables)
        raise _shape_error(info, f"expected one {what} variable, found {len(candidates)} among {found}")
    return candidates[0]


def _one_value(info: TableInfo, var: Variable, test, what: str) -> str:
    hits = [code for code, text in var.values if test(text)]
    if len(hits) != 1:
        texts = "; ".join(f"{c}={t}" for c, t in var.values)
        raise _shape_error(info, f"expected one {what} value in {var.id}, found {len(hits)} ({texts})")
    return hits[0]


def poverty_selection(info: TableInfo, age_codes: list[str]) -> dict:
    """Variables and codes of IFOR51 for the poverty indicator, found by tableinfo text."""
    taken: set[str] = set()
    time = info.time_variable
    if time is None:
        raise _shape_error(info, "no time variable")
    age = _find(info, ("ALDER",), ("alder", "age"), taken, "age")
    taken.add(age.id)
    unit = _find(info, ("ENHED",), ("enhed", "unit"), taken, "unit")
    taken.add(unit.id)
    rest = [v for v in info.variables if not v.time and v.id not in taken]
    durations = [v for v in rest if not v.elimination
                 or re.search(r"varighed|duration|år i træk|consecutive", v.text, re.I)]
    if len(durations) != 1:
        raise _shape_error(info, f"expected one duration variable, found {', '.join(v.id for v in durations) or 'none'}")
    duration = durations[0]
    extra = [v for v in rest if v is not duration]
    missing = [c for c in age_codes if c not in age.codes]
    if missing:
        raise _shape_error(info, f"{age.id} has no code(s) {', '.join(missing)} (codes: {', '.join(age.codes)})")
    persons = _one_value(info, unit, lambda t: bool(PERSONS.search(t)) and not PERCENT.search(t), "number-of-persons")
    percent = _one_value(info, unit, lambda t: bool(PERCENT.search(t)), "per-cent")
    one_year = _one_value(info, duration, lambda t: re.findall(r"\d+", t) == ["1"], "one-year duration")
    return {
        "age": age, "unit": unit, "duration": duration, "time": time, "eliminated": extra,
        "units": {persons: "persons", percent: "percent"}, "duration_code": one_year,
    }


def fetch_indicator(meta, *, table: str, lang: str, data_dir: Path, offline: bool = False,
                    refresh: bool = False, quiet: bool = True):
    """(frame, provenance) of a bundled indicator's live table, in the bundle's schema."""
    if meta.id != "poverty":
        raise FetchError(f"no StatBank mapping for indicator {meta.id!r} (table {table})")
    return fetch_poverty(meta, table=table, lang=lang, data_dir=Path(data_dir), offline=offline,
                         refresh=refresh, quiet=quiet)


def fetch_poverty(meta, *, table: str, lang: str, data_dir: Path, offline: bool, refresh: bool, quiet: bool):
    import polars as pl

    from ..net.progress import download_progress
    from ..schema import polars_schema

    session = Session.open(data_dir, offline=offline, refresh=refresh)
    info, info_snap = get_tableinfo(session, table, lang)
    age_codes = list(meta.raw["dimensions"]["age"]["codes"])
    sel = poverty_selection(info, age_codes)
    selection = {
        sel["age"].id: age_codes,
        sel["unit"].id: list(sel["units"]),
        sel["duration"].id: [sel["duration_code"]],
        sel["time"].id: ["*"],
    }
    plan = plan_for(session, info, selection, lang=lang)
    with download_progress(f"{info.id}", quiet=quiet) as (on_bytes, _):
        snap, plan, _reused = get_data(session, info, plan, progress=on_bytes, info_snap=info_snap)
    header = check_header(snap.path, plan.header)
    names = {sel["age"].id: "age", sel["unit"].id: "_unit", sel["duration"].id: "_duration"}
    ctx = context_for(info, plan, indicator=meta.id, column_names=names)
    raw = read_tidy(snap.path, ctx, header)
    units = sel["units"]
    frame = raw.with_columns(
        pl.col("_unit").replace_strict(units, return_dtype=pl.String).alias("unit"),
        pl.col("age").replace_strict({c: meta.code_label("age", c, lang) for c in age_codes},
                                     return_dtype=pl.String).alias("age_label"),
        pl.lit(meta.code_label("geo", "DK", lang)).alias("geo_label"),
    )
    schema = polars_schema(meta.dims)
    frame = frame.select([pl.col(c).cast(t) for c, t in schema.items()])
    frame = frame.sort(["period_start", "geo", "age", "unit", "vintage_date", "vintage"])
    dur_label = sel["duration"].labels()[sel["duration_code"]]
    caveat = {
        "da": f"Hentet live fra statistikbanken {info.id} (opdateret {info.updated}); {sel['duration'].id}="
              f"{sel['duration_code']} ({dur_label}).",
        "en": f"Fetched live from StatBank {info.id} (updated {info.updated}); {sel['duration'].id}="
              f"{sel['duration_code']} ({dur_label}).",
    }
    caveats = {k: [*meta.raw.get("caveats", {}).get(k, []), caveat[k]] for k in ("da", "en")}
    base = {
        "title": meta.title,
        "unit": meta.raw["unit"],
        "caveats": caveats,
        "definition": dict(meta.raw["definition"]),
        "extra": {
            "units": meta.raw["units"],
            "statbank_mapping": {
                "age": sel["age"].id,
                "unit": {sel["unit"].id: units},
                "duration": {sel["duration"].id: sel["duration_code"], "label": dur_label},
                "eliminated": [v.id for v in sel["eliminated"]],
            },
        },
    }
    prov = provenance_for(session, info, plan, snap, info_snap, indicator=meta.id, base=base)
    return frame, prov
