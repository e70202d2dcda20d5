"""Raw snapshots: every fetched body kept exactly as it arrived, beside a JSON record.

Layout (one folder per query, one pair of files per fetch), under the user cache
directory (:func:`udsattestat.net.cache.cache_dir`, ``$UDSATTESTAT_CACHE_DIR`` overrides)::

    <cache>/raw/<provider>/<label>/<key>/<stamp>.<ext>    the bytes as fetched
    <cache>/raw/<provider>/<label>/<key>/<stamp>.record.json  the record

``label`` is a readable name (a table id), ``key`` a short hash of the query (what was
asked, not where: a mirror answers the same query), ``stamp`` the UTC retrieval time, so
names sort in time order and every vintage stays. The record holds the request (method,
url, body), the status, the response headers (e.g. ``StatbankAPI-Request-Id``), sha256,
size, retrieval time, source and any provider metadata (e.g. a table's ``updated``).

The data file is moved into place first and the record written last, both atomically
and with the same file mode: a snapshot exists only once its record does, so a failed or
interrupted fetch never replaces — or hides — an earlier good one.

Every replay (``--offline``, or reuse of a still-current snapshot) checks the data file
against the sha256 in its record first; a mismatch is a :class:`SnapshotError` naming the
file, never different numbers under the old provenance.
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

from ..atomic import _umask, atomic_write_text
from ..checksums import sha256_file
from ..errors import FetchError, OfflineError, SnapshotError
from .http import Download, ErrorHook, Follower, HttpClient, Progress, Request, move_into_place

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


def check_snapshot(snap: Snapshot) -> Snapshot:
    """The snapshot if its data file still has the recorded sha256; else :class:`SnapshotError`."""
    try:
        actual = sha256_file(snap.path)
    except FileNotFoundError:
        raise SnapshotError(
            f"raw snapshot {snap.path} is missing (its record {snap.record_path.name} is there); "
            "fetch again with --refresh, or remove the record with 'udsattestat cache clear'",
            path=snap.path,
        ) from None
    except OSError as exc:
        raise SnapshotError(f"cannot read raw snapshot {snap.path}: {exc.strerror or exc}", path=snap.path) from None
    if actual != snap.sha256:
        raise SnapshotError(
            f"raw snapshot {snap.path} does not match the sha256 in its record (recorded {snap.sha256[:12]}…, "
            f"now {actual[:12]}…): it changed after it was fetched; fetch again with --refresh, or list damaged "
            "snapshots with 'udsattestat cache verify'",
            path=snap.path,
        )
    return snap


def read_record(rec_path: Path) -> Snapshot:
    """The snapshot a record file describes; :class:`SnapshotError` if the record cannot be read."""
    try:
        record = json.loads(rec_path.read_text(encoding="utf-8"))
        snap = Snapshot(rec_path.parent, record)
        snap.path, snap.sha256  # noqa: B018 - the two fields a replay needs
        if not isinstance(record.get("stamp"), str) or not isinstance(record.get("file"), str):
            raise KeyError("stamp")
        if record["file"] in ("", ".", "..") or Path(record["file"]).name != record["file"] or "\0" in record["file"]:
            raise ValueError("file")  # the data file is beside its record: never a path elsewhere
        if not isinstance(record.get("sha256"), str) or not re.fullmatch(r"[0-9a-f]{64}", record["sha256"]):
            raise ValueError("sha256")  # what a replay checks the data file against
        response = record.get("response", {})
        if not isinstance(response, dict) or not isinstance(response.get("headers", {}), dict):
            raise ValueError("response")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise SnapshotError(
            f"snapshot record {rec_path} is damaged; remove it with 'udsattestat cache clear' and fetch again",
            path=rec_path,
        ) from None
    return snap


def all_records(root: str | os.PathLike) -> list[Path]:
    """Every record file under a cache root (``<root>/raw/<provider>/…``), sorted."""
    base = Path(root) / "raw"
    return sorted(base.glob(f"*/*/*/*{RECORD_SUFFIX}")) if base.is_dir() else []


class SnapshotStore:
    """Snapshots of one provider under ``<root>/raw/<provider>`` (``root`` defaults to the user cache dir)."""

    def __init__(self, root: str | os.PathLike | None, provider: str):
        if root is None:
            from .cache import cache_dir

            root = cache_dir()
        self.root = Path(root) / "raw" / _slug(provider)
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

    def newest_of_each(self, label: str) -> list[Snapshot]:
        """The newest intact snapshot of every query kept under ``label`` (a table), newest first."""
        folder = self.root / _slug(label)
        found = []
        for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
            records = sorted(sub.glob(f"*{RECORD_SUFFIX}")) if sub.is_dir() else []
            snap = self._load(sub, records[-1]) if records else None
            if snap is not None:
                found.append(snap)
        return sorted(found, key=lambda s: s.record.get("stamp", ""), reverse=True)

    def replayable(self, label: str, query: Any) -> Snapshot | None:
        """The newest snapshot, checked against its record's sha256 (:class:`SnapshotError` if it fails).

        Never falls back to an older snapshot silently: a damaged newest one is an error the
        user must see, since the older one may hold other numbers.
        """
        folder = self.folder(label, query)
        records = sorted(folder.glob(f"*{RECORD_SUFFIX}")) if folder.is_dir() else []
        if not records:
            return None
        return check_snapshot(read_record(records[-1]))

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
        if previous is not None and previous.sha256 == download.sha256 and sha256_file(previous.path) == previous.sha256:
            # Same bytes as last time: keep one copy, but record this retrieval too.
            file_name = previous.record["file"]
            download.discard()
        else:
            file_name = f"{stamp}{suffix}"
            move_into_place(download, folder / file_name)
            # the temporary download is private (0600); give the body the record's mode
            os.chmod(folder / file_name, 0o666 & ~_umask())
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
        hint: str | None = None,
        follow: Follower | None = None,
    ) -> tuple[Snapshot, bool]:
        """The snapshot of ``query``: replayed or fetched. Returns (snapshot, reused).

        ``offline`` replays the newest snapshot and never touches the network (raising
        :class:`OfflineError` if there is none). Otherwise the newest snapshot is reused
        when ``reuse(snapshot)`` says it is still current (and ``refresh`` is off); else the
        body is downloaded, checked by ``validate(path)`` (raise to refuse it) and saved.
        ``follow`` reads the body while it downloads (see :meth:`HttpClient.download`); it
        hears nothing when a snapshot is replayed.
        """
        what = what or label
        if offline:
            snap = self.replayable(label, query)
            if snap is None:
                raise OfflineError(
                    f"--offline: no snapshot of {what} for this query under {self.root}; "
                    "run once without --offline to fetch it",
                    url=request.url,
                )
            return snap, True
        if not refresh and reuse is not None:
            snap = self.replayable(label, query)
            if snap is not None and reuse(snap):
                return snap, True
        if client is None:
            raise FetchError(f"no HTTP client to fetch {what}", url=request.url)
        folder = self.folder(label, query)
        folder.mkdir(parents=True, exist_ok=True)
        download = client.download(
            request, dest_dir=folder, expect=expect, error_hook=error_hook, progress=progress, hint=hint,
            follow=follow,
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

