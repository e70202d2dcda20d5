"""Load inputs → plan → fetch (or replay) → parse → save, for any StatBank table.

Snapshots: tableinfo is fetched on every online run — it is small and it is how we know
whether the table changed; the data snapshot of the same query is reused unless the
table's ``updated`` differs from the one recorded with it (or ``--refresh``). With
``--offline`` both come from the newest snapshot and the network is never touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import FetchError, OfflineError, ProviderError
from ..net.http import HttpClient
from ..net.session import ProviderSession
from ..net.snapshots import Snapshot
from ..provenance import Provenance
from .body import check_header
from .client import PROVIDER, StatbankClient, error_hook
from .context import TidyContext
from .plan import Plan, cap_from_message, load_cap, make_plan, save_cap
from .stream import ParseStats
from .tableinfo import TableInfo

DATA_TYPES = ("text/csv", "application/csv", "text/plain")
#: What to try when a data request still fails after its last attempt.
RETRY_HINT = ("try again later, select fewer values with --var (see the plan, cells and format with "
              "--dry-run), or give the server longer with --timeout")
PRODUCER = "Danmarks Statistik (Statistics Denmark)"
LICENCE = (
    "Free reuse, commercial too, with the source credited ('Kilde: Danmarks Statistik, "
    "statistikbanken.dk/{table}'); DST equates this to CC BY 4.0"
)
CREDIT = {"da": "Danmarks Statistik", "en": "Statistics Denmark"}
#: The producer and licence in both languages (dataset texts, docs/data-model.md).
TEXTS = {
    "producer": {"da": "Danmarks Statistik", "en": PRODUCER},
    "licence": {"da": "Fri genbrug, også kommercielt, med kilden angivet ('Kilde: Danmarks Statistik, "
                      "statistikbanken.dk/{table}'); Danmarks Statistik sidestiller det med CC BY 4.0", "en": LICENCE},
}


class Session(ProviderSession):
    """A StatBank client, a snapshot store and the run's switches, passed around together."""

    client_class = StatbankClient
    provider = PROVIDER

    @property
    def cap_file(self) -> Path:
        return self.store.root / "limits.json"


def get_tableinfo(session: Session, table: str, lang: str) -> tuple[TableInfo, Snapshot]:
    table = table.strip().upper()
    request = session.client.tableinfo_request(table, lang)
    query = {"function": "tableinfo", "table": table, "lang": lang}
    try:
        snap, _ = session.store.fetch(
            table, query, request, session.client.http, offline=session.offline,
            expect=("application/json", "text/json"), error_hook=error_hook, suffix=".json",
            source=f"statbank:{table}", what=f"tableinfo for {table}",
        )
    except ProviderError:
        raise
    except OfflineError:
        raise
    except FetchError as exc:
        old = session.store.latest(table, query)
        if old is not None:
            raise type(exc)(f"{exc} (or use --offline to replay the snapshot of {old.retrieved})",
                            url=exc.url, status=exc.status) from None
        raise
    try:
        data = json.loads(snap.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"tableinfo for {table} is not valid JSON; fetch again", url=request.url) from None
    return TableInfo.from_json(data, lang=lang, url=request.url), snap


def plan_for(session: Session, info: TableInfo, selection: dict[str, list[str]], *, lang: str,
             force_format: str | None = None) -> Plan:
    return make_plan(info, selection, lang=lang, cap=load_cap(session.cap_file), force_format=force_format)


def get_data(session: Session, info: TableInfo, plan: Plan, *, progress=None,
             info_snap: Snapshot | None = None, follow=None) -> tuple[Snapshot, Plan, bool]:
    """The data snapshot for a plan; learns the cap and switches to BULK on REQUEST-LIMIT.

    ``follow(plan)`` may return a :class:`~udsattestat.net.http.Follower` that reads the
    body of that plan's download while it arrives (see :func:`fetch_table`).
    """
    try:
        snap, reused = _get_data(session, info, plan, progress, info_snap, follow)
    except ProviderError as exc:
        if exc.code != "REQUEST-LIMIT" or plan.format != "CSV":
            raise
        cap = cap_from_message(exc.provider_message or "")
        if cap:
            save_cap(session.cap_file, cap, exc.provider_message or "")
        selection = {vp.variable.id: vp.expressions for vp in plan.variables if vp.reason == "asked"}
        plan = make_plan(info, selection, lang=plan.lang, cap=cap or plan.cap, force_format="BULK")
        plan.notes.append(f"the API refused CSV ({exc.provider_message}); switched to BULK")
        snap, reused = _get_data(session, info, plan, progress, info_snap, follow)
    return snap, plan, reused


def _get_data(session: Session, info: TableInfo, plan: Plan, progress, info_snap: Snapshot | None, follow=None):
    body = plan.body()
    query = {"function": "data", **body}
    metadata = {"updated": info.updated, "format": plan.format, "suppressedDataValue": info.suppressed_value,
                "plan": {"cells": plan.cells, "rows": plan.rows, "cap": plan.cap, "notes": plan.notes}}
    if info_snap is not None:
        # the tableinfo this request was planned and labelled with
        metadata["tableinfo"] = {"file": session.relative(info_snap.path), "sha256": info_snap.sha256}
    return session.store.fetch(
        info.id, query, session.client.data_request(body), session.client.http,
        offline=session.offline, refresh=session.refresh,
        reuse=lambda s: s.metadata.get("updated") == info.updated,
        source=f"statbank:{info.id}", metadata=metadata,
        suffix=".csv", expect=DATA_TYPES, error_hook=error_hook, progress=progress,
        validate=lambda path: check_header(path, plan.header), what=f"table {info.id}",
        hint=RETRY_HINT, follow=follow(plan) if follow is not None else None,
    )


def context_for(info: TableInfo, plan: Plan, *, indicator: str | None = None,
                column_names: dict[str, str] | None = None) -> TidyContext:
    geo_label = {"da": "Hele landet", "en": "Denmark"}.get(info.lang, "Denmark")
    sup = info.suppressed_value
    return TidyContext(
        info=info,
        variables=[vp.variable for vp in plan.variables],
        lang=plan.lang,
        indicator=indicator or info.id,
        unit=info.unit,
        source=f"statbank-{info.id.lower()}",
        source_locator=f"statistikbanken.dk/{info.id}",
        vintage=info.updated,
        vintage_date=info.updated_date,
        geo_default=("DK", geo_label),
        omitted_note=(
            "left out of the BULK response; restored with --complete "
            f"(tableinfo suppressedDataValue={sup!r}: DST's stand-in for such cells, not a published value)"
        ),
        column_names=column_names or {},
    )


def provenance_for(session: Session, info: TableInfo, plan: Plan, data: Snapshot, info_snap: Snapshot, *,
                   indicator: str | None = None, stats: ParseStats | None = None,
                   base: dict[str, Any] | None = None) -> Provenance:
    sid = f"statbank-{info.id.lower()}"
    title = base.get("title") if base else None
    citation = {
        "publication": f"Statistikbanken {info.id}: {info.text}",
        "author": "Danmarks Statistik",
        "publisher": "Danmarks Statistik",
        "url": f"https://www.statistikbanken.dk/{info.id}",
        "short": {"da": f"statistikbanken.dk/{info.id}", "en": f"statbank.dk/{info.id}"},
        "citation": f"Danmarks Statistik, Statistikbanken {info.id}: {info.text} (updated {info.updated}). "
                    f"https://www.statistikbanken.dk/{info.id}",
        "confidence": "V",
    }
    request_id = data.header("StatbankAPI-Request-Id")
    extra: dict[str, Any] = {
        "statbank": {
            "table": info.id,
            "updated": info.updated,
            "suppressedDataValue": info.suppressed_value,
            "documentation": info.documentation_url,
            "request_id": request_id,
            "tableinfo_request_id": info_snap.header("StatbankAPI-Request-Id"),
            "snapshot": session.relative(data.path),
            "tableinfo_snapshot": session.relative(info_snap.path),
            "plan": plan.describe(),
            "eliminated": plan.eliminated,
        }
    }
    if stats is not None:
        extra["rows"] = {"total": stats.rows + stats.omitted, "suppressed": stats.suppressed, "omitted": stats.omitted}
    extra["texts"] = {key: {lang: text.format(table=info.id) for lang, text in both.items()}
                      for key, both in TEXTS.items()}
    if base and base.get("extra"):
        extra.update(base["extra"])
    return Provenance(
        indicator=indicator or info.id,
        title=title or {"da": info.text, "en": info.text},
        unit=(base or {}).get("unit") or info.unit,
        producer=PRODUCER,
        publication=f"Statistikbanken, tabel {info.id}: {info.text}",
        url=f"https://www.statistikbanken.dk/{info.id}",
        licence=LICENCE.format(table=info.id),
        origin="statbank",
        citations={sid: citation},
        vintages={info.updated: {"published": info.updated_date,
                                 "description": f"StatBank table {info.id} as updated {info.updated} (Danish time)",
                                 "texts": {"description": {
                                     "da": f"Statistikbankens tabel {info.id}, opdateret {info.updated} (dansk tid)",
                                     "en": f"StatBank table {info.id} as updated {info.updated} (Danish time)"}}}},
        retrieved=data.retrieved,
        raw_sha256={session.relative(data.path): data.sha256, session.relative(info_snap.path): info_snap.sha256},
        tool_version=__version__,
        query={"base_url": session.client.base, "request": data.record.get("request"), "format": plan.format},
        caveats=(base or {}).get("caveats") or {},
        definition=(base or {}).get("definition") or {"da": info.description, "en": info.description},
        credit=dict(CREDIT),
        extra=extra,
    )


@dataclass
class TableResult:
    path: Path | None
    plan: Plan
    info: TableInfo
    stats: ParseStats | None
    reused: bool
    snapshot: Snapshot | None


def fetch_table(
    table: str,
    selection: dict[str, list[str]],
    *,
    lang: str,
    data_dir: Path,
    out: Path,
    offline: bool = False,
    refresh: bool = False,
    complete: bool = False,
    force_format: str | None = None,
    quiet: bool = True,
    http: HttpClient | None = None,
    partition_by: str | None = None,
    overlap: bool = True,
) -> TableResult:
    """Fetch (or replay) a selection of a table and write it as tidy Parquet at ``out``.

    With ``partition_by="period"`` ``out`` is a folder: a Hive-partitioned dataset
    (``out/period=2025K1/part-0.parquet``), for fetches of millions of rows.

    A body that is downloaded is parsed while it arrives (``overlap``; see
    :class:`~udsattestat.statbank.followed.FollowedTidy`); a replayed snapshot is parsed from
    its file. Either way the Parquet is complete only once the snapshot is saved and checked.
    ``overlap=False`` parses after the download (for comparison: benchmarks/statbank_bulk.py).
    """
    from ..atomic import check_output_path
    from ..partitioned import staged

    with staged(out, partition_by) as single:
        check_output_path(single, suffixes=(".parquet",))
        result = _fetch_into(single, table, selection, lang=lang, data_dir=data_dir, offline=offline,
                             refresh=refresh, complete=complete, force_format=force_format, quiet=quiet, http=http,
                             overlap=overlap)
    result.path = Path(out)
    return result


def _fetch_into(out: Path, table, selection, *, lang, data_dir, offline, refresh, complete, force_format, quiet,
                http, overlap) -> TableResult:
    """:func:`fetch_table` into the single tidy file ``out``."""
    from ..net.progress import download_progress
    from .followed import FollowedTidy
    from .stream import write_tidy

    session = Session.open(data_dir, offline=offline, refresh=refresh, http=http)
    info, info_snap = get_tableinfo(session, table, lang)
    plan = plan_for(session, info, selection, lang=lang, force_format=force_format)
    if complete and plan.format != "BULK":
        plan.notes.append("--complete has no effect on CSV: non-streaming formats leave nothing out")

    def codes_for(plan: Plan) -> dict[str, list[str]] | None:
        return {vp.variable.id: vp.codes for vp in plan.variables} if complete and plan.format == "BULK" else None

    def metadata_for(plan: Plan, snap: Snapshot, stats: ParseStats) -> bytes:
        return provenance_for(session, info, plan, snap, info_snap, stats=stats).to_json().encode("utf-8")

    with download_progress(f"{info.id} ({plan.format})", quiet=quiet) as (on_bytes, on_rows):
        followers: list[FollowedTidy] = []

        def follow(plan: Plan) -> FollowedTidy | None:
            """A parser for this plan's body, reading it while it downloads."""
            if not overlap:
                return None
            followers.append(FollowedTidy(context_for(info, plan), plan.header, Path(out),
                                          metadata=lambda stats, snap: metadata_for(plan, snap, stats),
                                          complete_codes=codes_for(plan), progress=on_rows))
            return followers[-1]

        try:
            try:
                snap, plan, reused = get_data(session, info, plan, progress=on_bytes, info_snap=info_snap,
                                              follow=follow)
            except OfflineError:  # say which part of the query no snapshot holds
                from .replay import explain_miss

                raise explain_miss(session.store.newest_of_each(info.id), info, plan, str(session.store.root),
                                   exact=True) from None
            if followers and followers[-1].started and not reused:
                stats = followers[-1].finish(snap)
            else:  # a replayed snapshot: parsed from its file
                header = check_header(snap.path, plan.header)
                stats = write_tidy(snap.path, context_for(info, plan), header, Path(out),
                                   finish_metadata=lambda stats: metadata_for(plan, snap, stats),
                                   complete_codes=codes_for(plan), progress=on_rows)
        finally:
            for follower in followers:
                follower.close()
    return TableResult(out, plan, info, stats, reused, snap)
