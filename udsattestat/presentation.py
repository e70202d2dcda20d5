"""What a reader sees besides the numbers — labels, words, number formats, source lines —
read only from what travels with the data.

Charts, tables and the page use this module and nothing under ``datasets/``: every code's
label (both languages, in the dataset's declared order), every unit label and the default
table layout are in the provenance's ``extra`` (written by :meth:`DatasetMeta.presentation
<udsattestat.bundle.DatasetMeta.presentation>` for bundled and live tables alike), so a
Parquet file copied on its own draws the same chart, and an edited label is seen at once.
A provenance without them (an old file) falls back to the frame's own label columns.
"""

from __future__ import annotations

from .formatting import PERCENT_UNITS, format_cell, format_number, format_value  # noqa: F401  (re-exported)
from .provenance import entry_text

GEO_LABEL = {"da": "Område", "en": "Area"}
LANGS = ("da", "en")


def _one(prov, frame=None, indicator: str | None = None):
    """The provenance of one indicator (``prov`` may be {indicator: Provenance})."""
    if not isinstance(prov, dict):
        return prov
    if indicator is None and frame is not None and "indicator" in frame.columns and frame.height:
        indicator = frame["indicator"][0]
    if indicator in prov:
        return prov[indicator]
    return next(iter(prov.values())) if len(prov) == 1 else None


def _dimension(prov, dim: str) -> dict:
    extra = getattr(prov, "extra", None) or {}
    return (extra.get("dimensions") or {}).get(dim) or {}


def _pick(entry: dict, lang: str) -> str | None:
    """The label in ``lang``, else in the other language (e.g. StatBank's Danish municipality names)."""
    return entry.get(lang) or next((entry[other] for other in LANGS if entry.get(other)), None)


def code_label(prov, dim: str, code, lang: str, frame=None) -> str:
    """A code's label in ``lang``: from the provenance, else the frame's label column, else the code."""
    entry = _dimension(_one(prov, frame), dim).get("codes", {}).get(str(code))
    label = _pick(entry, lang) if entry else None
    return label or frame_label(frame, dim, code) or str(code)


def short_label(prov, dim: str, code, lang: str, frame=None) -> str:
    """The short label for narrow places (``short_da``/``short_en``), else the label."""
    entry = _dimension(_one(prov, frame), dim).get("codes", {}).get(str(code)) or {}
    return entry.get(f"short_{lang}") or code_label(prov, dim, code, lang, frame)


def code_text(prov, dim: str, code, key: str, lang: str) -> str:
    """A further text a dataset gives a code (``measures``/``measures_da``), '' if none."""
    entry = _dimension(_one(prov), dim).get("codes", {}).get(str(code)) or {}
    return entry.get(f"{key}_{lang}") or entry.get(key) or ""


def code_order(prov, dim: str, present) -> list:
    """``present`` codes in the dataset's declared order, then any others as they came."""
    present = list(dict.fromkeys(present))
    declared = _dimension(_one(prov), dim).get("order") or []
    return [c for c in declared if c in present] + [c for c in present if c not in declared]


def dim_label(prov, dim: str, lang: str) -> str:
    if dim == "geo":
        return GEO_LABEL[lang]
    return _pick(_dimension(_one(prov), dim).get("label") or {}, lang) or dim


def unit_label(prov, unit: str, lang: str) -> str:
    """The unit in words; the code itself if the provenance does not know it."""
    extra = getattr(_one(prov), "extra", None) or {}
    entry = (extra.get("units") or {}).get(unit) or {}
    return _pick(entry, lang) or unit


def frame_label(frame, dim: str | None, code) -> str | None:
    """The label the frame itself carries for a code (its ``<dim>_label`` column)."""
    if frame is None or dim is None:
        return None
    label_col = "geo_label" if dim == "geo" else f"{dim}_label"
    if label_col in frame.columns and dim in frame.columns:
        rows = frame.filter(frame[dim] == code)
        if rows.height and rows[label_col][0]:
            return str(rows[label_col][0])
    return None


def table_layout(prov) -> dict:
    """The dataset's own table layout (``[table]`` in dataset.toml), {} for the plain one."""
    extra = getattr(_one(prov), "extra", None) or {}
    return dict(extra.get("table") or {})


def source_short(prov, source_id: str, lang: str) -> str:
    """A citation's short name (``short``), else its publication, else its id."""
    c = getattr(_one(prov), "citations", {}).get(source_id, {})
    short = c.get("short", {})
    text = short.get(lang) if isinstance(short, dict) else None
    return text or entry_text(c, "publication", lang) or source_id


# -- dataset texts in the reader's language ---------------------------------------------------

def dataset_text(prov, key: str, lang: str) -> str:
    """A dataset text (``producer``, ``licence``, ``publication``) in ``lang``: from the
    provenance's ``extra["texts"]`` (dataset.toml's ``{ da, en }``) when it has one, else
    the text as recorded (a name, the same in both languages)."""
    texts = ((getattr(prov, "extra", None) or {}).get("texts") or {}).get(key) or {}
    return texts.get(lang) or getattr(prov, key, "") or ""


def citation_text(prov, source_id: str, lang: str) -> str:
    """A source's full citation in ``lang`` (a described publication translated; titles as published)."""
    return prov.citation_text(source_id, lang)


def vintage_text(prov, vintage_id: str, lang: str) -> str:
    """What a release is, in ``lang`` ('' if the provenance does not describe it)."""
    return entry_text(getattr(prov, "vintages", {}).get(vintage_id) or {}, "description", lang)


def source_line(prov, frame, lang: str) -> str:
    """'Kilde: …' from the provenance of each indicator and the sources used in ``frame``."""
    lead_word = {"da": "Kilde", "en": "Source"}[lang]
    provs = prov if isinstance(prov, dict) else {getattr(prov, "indicator", ""): prov}
    lines = []
    for ind, p in provs.items():
        rows = frame
        if "indicator" in frame.columns and len(provs) > 1:
            rows = frame.filter(frame["indicator"] == ind)
        sources = [s for s in rows["source"].drop_nulls().to_list()] if "source" in rows.columns else []
        if not sources and len(provs) > 1:
            continue
        lines.append(_source_line(p, lang, sources))
    if not lines:
        return f"{lead_word}: –"
    if len(lines) == 1:
        return lines[0]
    return f"{lead_word}: " + "; ".join(line.split(": ", 1)[1] for line in lines)


def _source_line(prov, lang: str, sources: list[str]) -> str:
    """Provenance.source_line, without repeating a publication the credit already names
    (e.g. credit "…, Forandringskraft (2021), s. 5" and the same short citation)."""
    line = prov.source_line(lang, sources or None)
    credit = prov.credit.get(lang) or prov.producer
    lead, _, body = line.partition(": ")
    if body.startswith(credit + ", "):
        pubs = [p for p in body[len(credit) + 2:].split("; ") if p and p not in credit]
        body = credit + (", " + "; ".join(pubs) if pubs else "")
    return f"{lead}: {body}"


def shared_decimals(rows, limit: int = 2) -> int:
    """The decimals the values need (0–``limit``), so one chart or column writes them
    alike ("23,0 %" beside "24,6 %", not "23 %")."""
    need = 0
    for r in rows:
        for key in ("value", "value_low", "value_high"):
            v = r.get(key) if isinstance(r, dict) else None
            if v is None:
                continue
            for d in range(0, limit + 1):
                if abs(round(v, d) - v) < 1e-9:
                    need = max(need, d)
                    break
            else:
                need = limit
    return need


def latest_per(frame, dim: str):
    """One row per code of ``dim`` and unit: the latest period (a comparison of approaches)."""
    import polars as pl

    latest = frame.group_by(dim, "unit").agg(pl.col("period_start").max().alias("_latest"))
    return frame.join(latest, on=[dim, "unit"]).filter(pl.col("period_start") == pl.col("_latest")).drop("_latest")


def is_percent(unit: str | None) -> bool:
    return unit in PERCENT_UNITS
