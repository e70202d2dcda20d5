"""Load → snapshot → parse for Eurostat: one JSON-stat request kept as a raw snapshot.

Every body is kept unchanged under ``<cache>/raw/eurostat/<dataset>/<query key>/`` with
its request, headers, checksum and retrieval time (:class:`~udsattestat.net.SnapshotStore`).
A body is checked before it is kept: an Eurostat error document or anything that is not
a readable JSON-stat dataset is refused, so a bad answer never becomes the snapshot that
``--offline`` replays. A snapshot younger than :data:`MAX_AGE` is reused (Eurostat updates
a dataset at most daily); ``refresh`` fetches anew, ``offline`` never touches the network.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .._version import __version__
from ..net.session import ProviderSession
from ..net.snapshots import Snapshot
from ..provenance import Provenance
from . import jsonstat
from .client import (
    JSON_TYPES,
    LICENCE,
    LICENCE_TEXTS,
    PROVIDER,
    EurostatClient,
    databrowser_url,
    error_for,
    error_hook,
)
from .cube import Cube
from .flags import flag_tokens
from .tidy import tidy

MAX_AGE = timedelta(hours=24)


class Session(ProviderSession):
    """A Eurostat client, a snapshot store and the run's switches, passed around together."""

    client_class = EurostatClient
    provider = PROVIDER



def vintage_entry(dataset: str, published, updated: str | None) -> dict:
    """A Eurostat release as a vintage: its date and what it is, in both languages."""
    text = {"en": f"Eurostat {dataset}, updated {updated or 'n/a'}",
            "da": f"Eurostat {dataset}, opdateret {updated or 'ukendt'}"}
    return {"published": published, "description": text["en"], "texts": {"description": text}}

def _fresh(snap: Snapshot) -> bool:
    try:
        when = datetime.strptime(snap.retrieved, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return False
    return datetime.now(UTC) - when < MAX_AGE


def _check_body(path: Path, url: str) -> Cube:
    """Refuse an error document (some come with HTTP 200) or a body that is not JSON-stat.

    The body is parsed once: the JSON document is checked for Eurostat's error shape, then
    decoded into the cube; neither the bytes nor the document outlive the call.
    """
    try:
        doc = jsonstat.load(path.read_bytes())
        err = error_for(doc, url=url)
        if err is not None:
            raise err
        return jsonstat.parse(doc)
    except jsonstat.JsonStatError as exc:
        exc.url = url
        raise


def get_dataset(session: Session, dataset: str, filters: dict[str, list[str]] | None = None, *,
                since: str | None = None, last: int | None = None,
                progress=None) -> tuple[Cube, Snapshot, bool]:
    """(parsed cube, its snapshot, whether the snapshot was reused rather than fetched).

    ``progress(bytes_done, bytes_total)`` is called while the body streams in.
    """
    filters = {k: list(v) for k, v in sorted((filters or {}).items())}
    request = session.client.data_request(dataset, filters, since=since, last=last)
    query = {"dataset": dataset.lower(), "filters": filters, "since": since, "last": last, "format": "JSON"}
    parsed: list[Cube] = []
    snap, reused = session.store.fetch(
        dataset.lower(), query, request, session.client.http,
        offline=session.offline, refresh=session.refresh, reuse=_fresh,
        source=f"Eurostat ({dataset})", suffix=".json", expect=JSON_TYPES, error_hook=error_hook,
        validate=lambda path: parsed.append(_check_body(path, request.url)),
        what=f"Eurostat dataset {dataset}", progress=progress,
    )
    cube = parsed[0] if parsed else _check_body(snap.path, request.url)
    return cube, snap, reused


def get_toc(session: Session):
    """Eurostat's table of contents (a snapshot reused for a day), parsed."""
    from .client import parse_toc

    request = session.client.toc_request()
    snap, _ = session.store.fetch(
        "toc", {"toc": "txt", "lang": "EN"}, request, session.client.http,
        offline=session.offline, refresh=session.refresh, reuse=_fresh,
        source="Eurostat table of contents", suffix=".tsv", error_hook=error_hook,
        validate=lambda path: parse_toc(path.read_bytes()), what="Eurostat's table of contents",
    )
    return parse_toc(snap.read_bytes()), snap


def extracted(snap: Snapshot) -> str:
    return snap.retrieved[:10]


def vintage_of(dataset: str, cube: Cube, snap: Snapshot) -> tuple[str, str]:
    """(vintage id, vintage date): Eurostat's ``updated`` stamp dates the release, else the extraction."""
    when = cube.updated[:10] if len(cube.updated) >= 10 else extracted(snap)
    return f"eurostat-{dataset.lower()}-{when}", when


def citation(dataset: str, cube: Cube, snap: Snapshot) -> dict:
    date = extracted(snap)
    return {
        "publication": f"Eurostat ({dataset})" + (f": {cube.label}" if cube.label else ""),
        "author": "Eurostat",
        "publisher": "Eurostat",
        "url": databrowser_url(dataset),
        "citation": f"Source: Eurostat ({dataset}), extracted {date}",
        "short": {"da": f"udtrukket {date}", "en": f"extracted {date}"},
        "updated": cube.updated,
        "extracted": date,
        "confidence": "V",
    }


def flag_caveats(frame, meanings: dict[str, str]) -> dict[str, list[str]]:
    """One caveat per flag present (how many values carry it, what it means), once per fetch.

    Flags no code list we know defines are named together in one caveat: kept verbatim in
    the ``flags`` column, they change no status.
    """
    counts: Counter[str] = Counter()
    for value, n in frame["flags"].drop_nulls().value_counts().iter_rows():  # a few distinct strings
        for token in flag_tokens(value):
            counts[token] += n
    known = {t: n for t, n in sorted(counts.items()) if t in meanings}
    unknown = {t: n for t, n in sorted(counts.items()) if t not in meanings}
    en = [f"{n} value{'s' if n != 1 else ''} flagged '{t}' ({meanings[t]}) by Eurostat; "
          "see the flags and status columns" for t, n in known.items()]
    da = [f"{n} værdi{'er' if n != 1 else ''} har Eurostats flag '{t}' ({meanings[t]}); "
          "se kolonnerne flags og status" for t, n in known.items()]
    if unknown:
        listed = ", ".join(f"'{t}' ({n})" for t, n in unknown.items())
        en.append(f"flags not in Eurostat's code lists as udsattestat knows them: {listed}; kept in the flags "
                  "column, status not changed by them")
        da.append(f"flag som udsattestat ikke kender fra Eurostats kodelister: {listed}; bevaret i kolonnen "
                  "flags, status ikke ændret af dem")
    return {"da": da, "en": en}


def snapshot_record(session: Session, snap: Snapshot, reused: bool) -> dict:
    return {
        "snapshot": session.relative(snap.path),
        "request": snap.record.get("request"),
        "retrieved": snap.retrieved,
        "replayed": bool(reused),
    }


def fetch_table(session: Session, dataset: str, filters: dict[str, list[str]] | None = None, *,
                since: str | None = None, quiet: bool = True, encoded: bool = False):
    """Any Eurostat dataset as a tidy frame with its provenance: ``(frame, prov)``.

    Unless ``quiet``, a progress bar is shown on a terminal (stderr) while downloading.
    ``encoded``: text columns as polars Categorical (see :func:`~.tidy.tidy`), for a write.
    """
    import polars as pl

    from ..net.progress import download_progress

    with download_progress(f"Eurostat {dataset}", quiet=quiet) as (on_bytes, _):
        cube, snap, reused = get_dataset(session, dataset, filters, since=since, progress=on_bytes)
    vintage, vdate = vintage_of(dataset, cube, snap)
    source = f"eurostat-{dataset.lower()}"
    frame = tidy(cube, indicator=dataset.lower(), vintage=vintage, vintage_date=vdate,
                 source=source, unit="", encoded=encoded)
    cite = citation(dataset, cube, snap)
    prov = Provenance(
        indicator=dataset.lower(),
        title={"da": cube.label or dataset, "en": cube.label or dataset},
        unit=",".join(sorted(frame["unit"].drop_nulls().unique().cast(pl.String).to_list())),
        producer="Eurostat",
        publication=cite["publication"],
        url=databrowser_url(dataset),
        licence=LICENCE,
        origin=PROVIDER,
        citations={source: cite},
        vintages={vintage: vintage_entry(dataset, vdate, cube.updated)},
        retrieved=snap.retrieved,
        raw_sha256={session.relative(snap.path): snap.sha256},
        tool_version=__version__,
        query={"provider": PROVIDER, "dataset": dataset, "filters": filters or {}, "since": since,
               **snapshot_record(session, snap, reused)},
        caveats=flag_caveats(frame, cube.flag_labels()),
        definition={"da": cube.label, "en": cube.label},
        credit={"da": f"Eurostat ({dataset})", "en": f"Eurostat ({dataset})"},
        extra={"dimensions": {d.id: d.label for d in cube.dimensions}, "flag_meanings": cube.flag_labels(),
               "texts": {"licence": dict(LICENCE_TEXTS)}},
    )
    return frame, prov
