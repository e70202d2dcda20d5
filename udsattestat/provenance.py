"""Where every number came from, carried with the data.

A :class:`Provenance` travels in each Parquet file's key-value metadata under the key
``udsattestat`` (JSON), so a file copied on its own still names its publications, URLs,
vintages, licence, the checksum of its raw input and the query that produced it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

METADATA_KEY = b"udsattestat"


def entry_text(entry: dict[str, Any], key: str, lang: str) -> str:
    """A text of a citation or vintage entry in ``lang``: from its ``texts`` (both languages
    beside each other, bundle.one_language) when it has them, else the text as recorded."""
    both = (entry.get("texts") or {}).get(key) or {}
    return both.get(lang) or entry.get(key) or ""


def dataset_text(prov, key: str, lang: str) -> str:
    """A dataset text (``producer``, ``licence``, ``publication``) in ``lang``: from the
    provenance's ``extra["texts"]`` (dataset.toml's ``{ da, en }``) when it has one, else
    the text as recorded (a name, the same in both languages)."""
    texts = ((getattr(prov, "extra", None) or {}).get("texts") or {}).get(key) or {}
    return texts.get(lang) or getattr(prov, key, "") or ""


@dataclass
class Provenance:
    indicator: str
    title: dict[str, str]
    unit: str
    producer: str
    publication: str
    url: str
    licence: str
    #: How the table was made: ``bundle`` (transcribed values shipped with the package),
    #: ``statbank`` or ``eurostat`` (fetched live), or ``derived``.
    origin: str
    #: source id -> citation (publication, author, year, url, locator, confidence, …)
    citations: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: vintage id -> {"published": ISO date at the precision known, "description": …}
    vintages: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: When the values were retrieved (live) or the bundle last checked (bundled).
    retrieved: str = ""
    #: file name -> sha256 of the raw input bytes, exactly as shipped or fetched.
    raw_sha256: dict[str, str] = field(default_factory=dict)
    tool_version: str = ""
    #: What produced the table: for a bundle the dataset folder, for a fetch the request.
    query: dict[str, Any] = field(default_factory=dict)
    caveats: dict[str, list[str]] = field(default_factory=dict)
    definition: dict[str, str] = field(default_factory=dict)
    #: Short credit line pieces per language, e.g. {"da": "VIVE", "en": "VIVE"}.
    credit: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        # sort_keys keeps the metadata byte-identical between runs with the same inputs.
        import json  # not at import: the package imports this module on every CLI start

        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Provenance:
        """Read what :meth:`to_json` wrote; total: a Provenance or a ProvenanceError."""
        import json  # not at import: the package imports this module on every CLI start

        from .errors import ProvenanceError

        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
            raise ProvenanceError(f"the provenance metadata is not JSON ({exc}); write the file again") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provenance:
        _check_shape(data)
        known = {f for f in cls.__dataclass_fields__}
        extra = {k: v for k, v in data.items() if k not in known}
        kwargs = {k: v for k, v in data.items() if k in known}
        prov = cls(**kwargs)
        prov.extra.update(extra)
        return prov

    def citation_text(self, source_id: str, lang: str = "en") -> str:
        c = self.citations.get(source_id)
        if not c:
            return source_id
        return entry_text(c, "citation", lang) or entry_text(c, "publication", lang) or source_id

    def source_line(self, lang: str = "da", sources: list[str] | None = None) -> str:
        """A newsroom-style source line built from the citations actually used.

        ``sources`` are the citation ids present in the rows shown; the line names the
        producer and the publications, e.g. "Kilde: VIVE, Hjemløshed i Danmark 2009–2024".
        """
        lead = "Kilde" if lang == "da" else "Source"
        credit = self.credit.get(lang) or self.producer
        ids = sorted(set(sources)) if sources else sorted(self.citations)
        pubs: list[str] = []
        for sid in ids:
            c = self.citations.get(sid, {})
            short = c.get("short", {})
            text = short.get(lang) if isinstance(short, dict) else None
            text = text or entry_text(c, "publication", lang) or sid
            if text not in pubs:
                pubs.append(text)
        if self.credit.get(f"summary_{lang}") and len(pubs) > 3:
            pubs = [self.credit[f"summary_{lang}"]]
        body = f"{credit}, {'; '.join(pubs)}" if pubs else credit
        return f"{lead}: {body}"


#: The shape of each field as :meth:`Provenance.to_json` writes it: text, a table of texts, a
#: table of tables, a table of lists, or a table of anything.
_SHAPES = {"title": "texts", "definition": "texts", "credit": "texts", "raw_sha256": "texts",
           "citations": "tables", "vintages": "tables", "caveats": "lists", "query": "table", "extra": "table"}


def _check_shape(data: Any) -> None:
    """Refuse provenance that is not shaped as written, naming the field (a damaged file)."""
    from dataclasses import MISSING, fields

    from .errors import ProvenanceError

    def fail(what: str):
        raise ProvenanceError(f"the provenance metadata {what}; it was not written by udsattestat or is damaged")

    if not isinstance(data, dict):
        fail(f"is {type(data).__name__}, not a table")
    for f in fields(Provenance):
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                fail(f"has no {f.name!r}")
            continue
        value, shape = data[f.name], _SHAPES.get(f.name, "text")
        inner = {"texts": str, "tables": dict, "lists": list}.get(shape)
        ok = isinstance(value, str) if shape == "text" else isinstance(value, dict) and (
            inner is None or all(isinstance(v, inner) for v in value.values()))
        if not ok:
            fail(f"has {f.name!r} of the wrong shape (expected {shape})")


def combine_provenance(bundled, live):
    """One provenance naming both the bundled publications and the live table.

    Citations, vintages and raw checksums are the union (ids do not collide: bundled
    vintages are release ids, the live vintage is the table's ``updated``); the live
    snapshot's request, checksum and retrieval time are kept under ``extra["live"]``.
    The live presentation metadata (labels of codes only the live table has) wins.
    """
    snapshot = {
        "origin": live.origin,
        "publication": live.publication,
        "url": live.url,
        "retrieved": live.retrieved,
        "raw_sha256": dict(sorted(live.raw_sha256.items())),
        "query": live.query,
        "vintages": sorted(live.vintages),
    }
    if live.origin in live.extra:  # e.g. extra["statbank"]: table, updated, request ids, snapshot paths
        snapshot[live.origin] = live.extra[live.origin]
    extra = {**bundled.extra, **live.extra, "live": snapshot}
    if "texts" in bundled.extra:  # the producer and licence shown are the dataset's, so are their texts
        extra["texts"] = bundled.extra["texts"]
    extra.pop(live.origin, None)
    return replace(
        bundled,
        origin=f"{bundled.origin}+{live.origin}",
        citations={**bundled.citations, **live.citations},
        vintages={**bundled.vintages, **live.vintages},
        raw_sha256={**bundled.raw_sha256, **live.raw_sha256},
        # the live caveats are the dataset's own plus what the live fetch adds
        caveats=live.caveats or bundled.caveats,
        credit=bundled.credit or live.credit,
        query={"bundle": bundled.query, "live": live.query},
        extra=extra,
    )


def read_parquet_provenance(path) -> Provenance | None:
    """The provenance stored in a Parquet file written by udsattestat (None if absent)."""
    import pyarrow.parquet as pq

    # the file's key-value metadata, where ParquetSink puts it once the file is complete
    meta = pq.read_metadata(path).metadata or {}
    raw = meta.get(METADATA_KEY)
    return Provenance.from_json(raw) if raw else None
