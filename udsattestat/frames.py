"""Provenance rebuilt from a frame's own rows, so it survives a notebook.

Every tidy row names its ``indicator``, ``source`` (citation id) and ``vintage`` (release
id). Whatever an analyst does to a frame — filter, select, with_columns, sort, group_by on
those columns, a join, ``to_pandas()`` — as long as those three columns are still there the
provenance can be rebuilt: the indicator's dataset metadata (or the live fetch that
produced the rows, remembered when it was loaded) restricted to the sources and vintages
the rows actually use. Nothing is keyed by object identity, so nothing is lost on a copy.

A join suffixes the right frame's columns (``indicator_right``…): every complete
``indicator<suffix>``/``source<suffix>``/``vintage<suffix>`` group counts.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import ProvenanceColumnsError, SelectionError
from .languages import LANGS
from .provenance import Provenance, combine_provenance, dataset_text

COLUMNS = ("indicator", "source", "vintage")

#: (indicator, vintage) -> the provenance that vintage came with, for provenances that are
#: not the bundled dataset's own (live fetches, Parquet files read back). Small: one entry
#: per release seen in this process.
_SEEN: dict[tuple[str, str], Provenance] = {}


def remember(prov: Provenance) -> None:
    """Note where each vintage of ``prov`` came from (called by load() and read_parquet())."""
    if prov.origin == "derived":
        for part in prov.extra.get("parts", []):
            remember(Provenance.from_dict(part))
        return
    for vintage in prov.vintages:
        _SEEN[(prov.indicator, vintage)] = prov


def _groups(columns: list[str]) -> list[tuple[str, str, str]]:
    """(indicator, source, vintage) column names per join suffix; the unsuffixed group first."""
    names = set(columns)
    groups = []
    for col in columns:
        if col.startswith("indicator"):
            suffix = col[len("indicator"):]
            group = tuple(f"{c}{suffix}" for c in COLUMNS)
            if all(c in names for c in group):
                groups.append(group)
    if not groups:
        raise ProvenanceColumnsError([c for c in COLUMNS if c not in names] or list(COLUMNS))
    return groups


def _distinct(frame, cols: tuple[str, str, str]) -> list[tuple]:
    """Distinct (indicator, source, vintage) triples of a polars/pandas/Arrow frame."""
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        part = frame.select(list(cols)).unique()
        if hasattr(part, "collect"):  # a LazyFrame
            part = part.collect()
        rows = part.rows()
    elif module == "pandas":
        rows = list(frame[list(cols)].drop_duplicates().itertuples(index=False, name=None))
    elif module == "pyarrow":
        import polars as pl

        return _distinct(pl.from_arrow(frame.select(list(cols))), cols)
    else:
        raise SelectionError(
            f"provenance() takes a polars or pandas frame (or an indicator id), not {type(frame).__name__}"
        )
    return [r for r in rows if all(isinstance(v, str) for v in r)]


def _columns(frame) -> list[str]:
    if hasattr(frame, "collect_schema"):  # polars, lazy or not: no schema resolution warning
        cols = frame.collect_schema().names()
    elif hasattr(frame, "column_names"):  # Arrow, whose .columns are the arrays
        cols = frame.column_names
    else:
        cols = getattr(frame, "columns", None)
    if cols is None:
        raise SelectionError(
            f"provenance() takes a polars or pandas frame (or an indicator id), not {type(frame).__name__}"
        )
    return [str(c) for c in cols]


def used(frame) -> dict[str, tuple[set[str], set[str]]]:
    """indicator -> (sources, vintages) the frame's rows name."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for group in _groups(_columns(frame)):
        for ind, src, vin in _distinct(frame, group):
            sources, vintages = out.setdefault(ind, (set(), set()))
            sources.add(src)
            vintages.add(vin)
    if not out:
        raise SelectionError(
            "the frame has no rows naming an indicator, source and vintage, so there is no provenance "
            "to rebuild; take provenance() before filtering everything away"
        )
    return out


def _bundled(indicator: str) -> Provenance | None:
    from .bundle import load_bundled
    from .searchpath import folder_of

    if folder_of(indicator) is None:
        return None
    return load_bundled(indicator)[1]


def _for_indicator(indicator: str, sources: set[str], vintages: set[str]) -> Provenance:
    bundled = _bundled(indicator)
    others: list[Provenance] = []
    for vintage in sorted(vintages):
        if bundled is not None and vintage in bundled.vintages:
            continue
        prov = _SEEN.get((indicator, vintage))
        if prov is None:
            raise SelectionError(
                f"vintage {vintage!r} of {indicator!r} is not a bundled release and was not loaded in this "
                "session; load it first (udsattestat.load(..., live=True) or udsattestat.read_parquet(path))"
            )
        if prov not in others:
            others.append(prov)
    if bundled is None and not others:
        raise SelectionError(f"no provenance known for indicator {indicator!r}")
    # A live load's provenance already holds the bundled releases beside the live one.
    base = others[0] if others and (bundled is None or set(bundled.vintages) <= set(others[0].vintages)) else bundled
    for prov in others:
        if base is None:
            base = prov
        elif prov is not base:
            base = combine_provenance(base, prov)
    return restrict(base, sources, vintages)


def restrict(prov: Provenance, sources: set[str], vintages: set[str]) -> Provenance:
    """``prov`` naming only the citations and releases the rows use."""
    return replace(
        prov,
        citations={k: v for k, v in prov.citations.items() if k in sources},
        vintages={k: v for k, v in prov.vintages.items() if k in vintages},
    )


def combine(parts: list[Provenance]) -> Provenance:
    """One provenance for rows of several indicators (a join or a concat): ``origin="derived"``.

    Citation and vintage ids are prefixed with their indicator (``homelessness:vive-2019``)
    because two datasets may use the same id; each indicator's own provenance is kept whole
    under ``extra["parts"]``.
    """
    import dataclasses

    def joined(pieces):
        return "; ".join(dict.fromkeys(p for p in pieces if p))

    return Provenance(
        indicator="+".join(p.indicator for p in parts),
        title={lang: joined(p.title.get(lang, "") for p in parts) for lang in LANGS},
        unit=joined(p.unit for p in parts),
        producer=joined(p.producer for p in parts),
        publication=joined(p.publication for p in parts),
        url=joined(p.url for p in parts),
        licence=joined(p.licence for p in parts),
        origin="derived",
        citations={f"{p.indicator}:{k}": v for p in parts for k, v in p.citations.items()},
        vintages={f"{p.indicator}:{k}": v for p in parts for k, v in p.vintages.items()},
        retrieved=max((p.retrieved for p in parts), default=""),
        raw_sha256={k: v for p in parts for k, v in p.raw_sha256.items()},
        tool_version=parts[0].tool_version,
        query={p.indicator: p.query for p in parts},
        caveats={lang: [c for p in parts for c in p.caveats.get(lang, [])] for lang in LANGS},
        definition={lang: joined(p.definition.get(lang, "") for p in parts) for lang in LANGS},
        credit={lang: joined(p.credit.get(lang) or p.producer for p in parts) for lang in LANGS},
        extra={"parts": [dataclasses.asdict(p) for p in parts],
               "notes": {k: v for p in parts for k, v in ((p.extra or {}).get("notes") or {}).items()},
               # each joined dataset text in both languages, as the parts give them
               "texts": {key: {lang: joined(dataset_text(p, key, lang) for p in parts) for lang in LANGS}
                         for key in ("producer", "publication", "licence")}},
    )


def rebuild(frame) -> Provenance:
    """The provenance of any frame whose rows still carry indicator, source and vintage."""
    per = used(frame)
    parts = [_for_indicator(ind, *per[ind]) for ind in sorted(per)]
    return parts[0] if len(parts) == 1 else combine(parts)

