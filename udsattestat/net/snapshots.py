"""Raw snapshots: every fetched body kept exactly as it arrived, beside a JSON record.

Layout (one folder per query, one pair of files per fetch)::

    <data_dir>/raw/<provider>/<label>/<key>/<stamp>.<ext>    the bytes as fetched
    <data_dir>/raw/<provider>/<label>/<key>/<stamp>.record.json  the record

``label`` is a readable name (a table id), ``key`` a short hash of the query (what was
asked, not where: a mirror answers the same query), ``stamp`` the UTC retrieval time, so
names sort in time order and every vintage stays. The record holds the request (method,
url, body), the status, the response headers (e.g. ``StatbankAPI-Request-Id``), sha256,
size, retrieval time, source and any provider metadata (e.g. a table's ``updated``).

The data file is moved into place first and the record written last, both atomically:
a snapshot exists only once its record does, so a failed or interrupted fetch never
replaces — or hides — an earlier good one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_text
from ..checksums import sha256_file
from ..errors import FetchError, OfflineError
from .http import Download, ErrorHook, HttpClient, Progress, Request, move_into_place

RECORD_VERSION = 1
#: The record beside each data file (distinct from a data file that is itself JSON).
RECORD_SUFFIX = ".record.json"


def query_key(query: Any) -> str:
    """A short stable hash of a query (canonical JSON), used as a folder name."""
    text = json.dumps(query, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._")
    return slug[:80] or "query"


@dataclass
class Snapshot:
    """One stored fetch: the data file and its record."""

    folder: Path
    record: dict[str, Any]

    @property
    def path(self) -> Path:
        return self.folder / self.record["file"]

    @property
    def record_path(self) -> Path:
        return self.folder / f"{self.record['stamp']}{RECORD_SUFFIX}"

    @property
    def sha256(self) -> str:
        return self.record["sha256"]

    @property
    def retrieved(self) -> str:
        return self.record["retrieved"]

    @property
    def metadata(self) -> dict[str, Any]:
        return self.record.get("metadata") or {}

    @property
    def headers(self) -> dict[str, str]:
        return self.record.get("response", {}).get("headers", {})

    def header(self, name: str) -> str | None:
        lowered = {k.lower(): v for k, v in self.headers.items()}
        return lowered.get(name.lower())

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


class SnapshotStore:
    """Snapshots of one provider under ``<data_dir>/raw/<provider>``."""

    def __init__(self, data_dir: str | os.PathLike, provider: str):
        self.root = Path(data_dir) / "raw" / _slug(provider)
        self.provider = provider

    def folder(self, label: str, query: Any) -> Path:
        return self.root / _slug(label) / query_key(query)

    # -- reading ------------------------------------------------------------------------

    def history(self, label: str, query: Any) -> list[Snapshot]:
        """Every intact snapshot of a query, oldest first."""
        folder = self.folder(label, query)
        if not folder.is_dir():
            return []
        out = []
        for rec_path in sorted(folder.glob(f"*{RECORD_SUFFIX}")):
            snap = self._load(folder, rec_path)
            if snap is not None:
                out.append(snap)
        return out

    def latest(self, label: str, query: Any, *, verify: bool = False) -> Snapshot | None:
        """The newest intact snapshot (size matches; with ``verify`` also the sha256)."""
        for snap in reversed(self.history(label, query)):
            if not verify or sha256_file(snap.path) == snap.sha256:
                return snap
        return None

    def _load(self, folder: Path, rec_path: Path) -> Snapshot | None:
        try:
            record = json.loads(rec_path.read_text(encoding="utf-8"))
            snap = Snapshot(folder, record)
            if snap.path.stat().st_size != record["size"]:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged or half-deleted snapshot is skipped, never used
        return snap

    # -- writing ------------------------------------------------------------------------

    def save(
        self,
        label: str,
        query: Any,
        download: Download,
        *,
        request: Request,
        source: str = "",
        metadata: dict[str, Any] | None = None,
        suffix: str = ".bin",
    ) -> Snapshot:
        """Keep a checked download as the newest snapshot of ``query``."""
        folder = self.folder(label, query)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
        previous = self.latest(label, query)
        if previous is not None and previous.sha256 == download.sha256:
            # Same bytes as last time: keep one copy, but record this retrieval too.
            file_name = previous.record["file"]
            download.discard()
        else:
            file_name = f"{stamp}{suffix}"
            move_into_place(download, folder / file_name)
        record = {
            "record_version": RECORD_VERSION,
            "provider": self.provider,
            "label": label,
            "query": query,
            "key": query_key(query),
            "stamp": stamp,
            "file": file_name,
            "request": request.describe(),
            "response": {
                "status": download.status,
                "url": download.url,
                "headers": download.headers,
                "content_type": download.content_type,
                "attempts": download.attempts,
            },
            "sha256": download.sha256,
            "size": download.size,
            "retrieved": download.retrieved,
            "source": source,
            "metadata": metadata or {},
        }
        atomic_write_text(folder / f"{stamp}{RECORD_SUFFIX}", json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True))
        return Snapshot(folder, record)

    def fetch(
        self,
        label: str,
        query: Any,
        request: Request,
        client: HttpClient | None,
        *,
        offline: bool = False,
        refresh: bool = False,
        reuse: Callable[[Snapshot], bool] | None = None,
        source: str = "",
        metadata: dict[str, Any] | None = None,
        suffix: str = ".bin",
        expect: Iterable[str] | None = None,
        error_hook: ErrorHook | None = None,
        progress: Progress | None = None,
        validate: Callable[[Path], None] | None = None,
        what: str | None = None,
    ) -> tuple[Snapshot, bool]:
        """The snapshot of ``query``: replayed or fetched. Returns (snapshot, reused).

        ``offline`` replays the newest snapshot and never touches the network (raising
        :class:`OfflineError` if there is none). Otherwise the newest snapshot is reused
        when ``reuse(snapshot)`` says it is still current (and ``refresh`` is off); else the
        body is downloaded, checked by ``validate(path)`` (raise to refuse it) and saved.
        """
        what = what or label
        if offline:
            snap = self.latest(label, query)
            if snap is None:
                raise OfflineError(
                    f"--offline: no snapshot of {what} for this query under {self.root}; "
                    "run once without --offline to fetch it",
                    url=request.url,
                )
            return snap, True
        if not refresh and reuse is not None:
            snap = self.latest(label, query)
            if snap is not None and reuse(snap):
                return snap, True
        if client is None:
            raise FetchError(f"no HTTP client to fetch {what}", url=request.url)
        folder = self.folder(label, query)
        folder.mkdir(parents=True, exist_ok=True)
        download = client.download(
            request, dest_dir=folder, expect=expect, error_hook=error_hook, progress=progress
        )
        try:
            if validate is not None:
                validate(download.path)
        except BaseException:
            download.discard()
            raise
        try:
            return self.save(label, query, download, request=request, source=source, metadata=metadata, suffix=suffix), False
        finally:
            with contextlib.suppress(FileNotFoundError):
                if download.path.name.startswith(".download."):
                    download.path.unlink()

