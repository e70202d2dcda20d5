"""Eurostat's dissemination API over the shared wire layer (:mod:`udsattestat.net`).

Three requests, all GET:

* data: ``{base}/statistics/1.0/data/{DATASET}?format=JSON&lang=EN&geo=DK&geo=SE&sinceTimePeriod=2015``
  — JSON-stat 2.0 (parsed by :mod:`.jsonstat`); a filter with several codes repeats the
  parameter, as the API wants.
* table of contents: ``{base}/catalogue/toc/txt?lang=EN`` — a tab-separated list of every
  folder, table and dataset (title indented by depth, code, type, last update, first and
  last period). ``eurostat search`` matches words against it.
* info: a data request for the latest period only (``lastTimePeriod=1``) with the user's
  filters; the JSON-stat answer lists every dimension in order with its codes and labels.

The base URL comes from ``$UDSATTESTAT_EUROSTAT_URL`` (mirrors, proxies, test servers).
Eurostat states errors in a JSON body, ``{"error": {"status": 404, "id": 100, "label":
"No results found"}}`` — some answers put a list under ``error``, or a ``warning`` (e.g.
an extraction too big to be served at once) — :func:`error_for` reads all of these into a
:class:`~udsattestat.errors.ProviderError`. Eurostat has no Danish: requests use English.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from typing import Any

from ..errors import ProviderError
from ..net.http import HttpClient, Request, check_base_url
from ..words import words_match

BASE_URL_ENV = "UDSATTESTAT_EUROSTAT_URL"
DEFAULT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination"
PROVIDER = "eurostat"
API_LANG = "EN"
LICENCE = (
    "Eurostat: reuse authorised, commercial too, with acknowledgement of the source "
    "('Source: Eurostat (DATASET), extracted YYYY-MM-DD')"
)
#: The licence in both languages (dataset texts, docs/data-model.md); Eurostat's own wording quoted.
LICENCE_TEXTS = {
    "da": "Eurostat: genbrug tilladt, også kommercielt, med kildeangivelse "
          "('Source: Eurostat (DATASET), extracted YYYY-MM-DD')",
    "en": LICENCE,
}
JSON_TYPES = ("application/json", "text/json")

HINTS = {
    400: "check the dimension ids and codes of --filter with 'udsattestat eurostat info DATASET'",
    404: "check the dataset id with 'udsattestat eurostat search WORDS' and the codes with "
    "'udsattestat eurostat info DATASET'",
    413: "the extraction is too big to be served at once; narrow it with --filter or --since",
    416: "the extraction is too big to be served at once; narrow it with --filter or --since",
}


def base_url() -> str:
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def databrowser_url(dataset: str) -> str:
    return f"https://ec.europa.eu/eurostat/databrowser/view/{dataset.lower()}/default/table"


def _error_entry(data: Any) -> dict | None:
    """The first error (or warning) entry of an Eurostat error document, whatever its shape."""
    if not isinstance(data, dict):
        return None
    for key in ("error", "warning"):
        entry = data.get(key)
        if isinstance(entry, list):
            entry = next((e for e in entry if isinstance(e, dict)), None)
        if isinstance(entry, dict):
            return entry
        if isinstance(entry, str) and entry.strip():
            return {"label": entry}
    return None


def error_for(data: Any, *, url: str | None = None, status: int | None = None) -> ProviderError | None:
    """Eurostat's JSON error/warning document → ProviderError; None for anything else."""
    entry = _error_entry(data)
    if entry is None:
        return None
    code = entry.get("id", entry.get("code"))
    try:
        declared = int(entry.get("status")) if entry.get("status") is not None else None
    except (TypeError, ValueError):
        declared = None
    label = str(entry.get("label") or entry.get("message") or "no message").strip()
    http_status = declared or status
    hint = HINTS.get(http_status or 0, "check the request with 'udsattestat eurostat info DATASET'")
    if "ASYNCHRONOUS" in label.upper():
        hint = HINTS[413]
    what = f"{http_status}" + (f"/{code}" if code is not None else "") if http_status else str(code or "?")
    return ProviderError(
        f"Eurostat refused the request ({what}): {label} — {hint}",
        code=None if code is None else str(code),
        provider_message=label,
        url=url,
        status=status if status is not None else declared,
    )


def error_hook(response, body: bytes) -> ProviderError | None:
    """For :class:`~udsattestat.net.http.HttpClient`: an HTTP error answered in Eurostat's JSON shape."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    return error_for(data, url=getattr(response, "url", None), status=getattr(response, "status_code", None))


def parse_filters(items: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    """``("geo=DK,SE", "sex=T")`` → ``{"geo": ["DK", "SE"], "sex": ["T"]}`` (repeatable)."""
    from ..errors import SelectionError

    out: dict[str, list[str]] = {}
    for item in items:
        dim, sep, codes = item.partition("=")
        values = [c.strip() for c in codes.split(",") if c.strip()]
        if not sep or not dim.strip() or not values:
            raise SelectionError(f"cannot read --filter {item!r}; write DIM=CODE or DIM=CODE1,CODE2")
        bucket = out.setdefault(dim.strip(), [])
        bucket.extend(v for v in values if v not in bucket)
    return out


@dataclass(frozen=True)
class TocEntry:
    code: str
    title: str
    type: str
    updated: str
    data_start: str
    data_end: str


def parse_toc(data: bytes) -> list[TocEntry]:
    """The tab-separated table of contents → its tables and datasets (folders left out).

    Columns are found by their header names, so an added or reordered column does no harm.
    """
    text = data.decode("utf-8-sig", "replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"')
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ProviderError("Eurostat's table of contents is empty; try again later") from None
    except csv.Error as exc:
        raise ProviderError(f"Eurostat's table of contents is not tab-separated text ({exc}); try again later") from None
    col = {name: i for i, name in enumerate(header)}
    if "code" not in col or "title" not in col:
        raise ProviderError(
            f"Eurostat's table of contents has no 'title' and 'code' columns (found {', '.join(header)}); "
            "the format changed or the URL is wrong"
        )

    def cell(row, name):
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    try:
        rows = list(reader)
    except csv.Error as exc:  # a stray carriage return or NUL: damaged in transit
        raise ProviderError(f"Eurostat's table of contents is not tab-separated text ({exc}); try again later") from None
    out, seen = [], set()
    for row in rows:
        kind = cell(row, "type")
        code = cell(row, "code")
        if not code or kind == "folder" or code in seen:
            continue  # a dataset can sit in several folders; list it once
        seen.add(code)
        out.append(TocEntry(code, cell(row, "title"), kind, cell(row, "last update of data"),
                            cell(row, "data start"), cell(row, "data end")))
    return out


def search_toc(entries: list[TocEntry], text: str) -> list[TocEntry]:
    """Entries whose title or code contains every word of ``text`` (case-insensitive).

    An exact code match comes first; the rest keep the table of contents' order.
    """
    hits = [e for e in entries if words_match(text, e.code, e.title)]
    return sorted(hits, key=lambda e: e.code.lower() != text.strip().lower())


class EurostatClient:
    """Builds requests to one Eurostat dissemination API (``base`` or ``$UDSATTESTAT_EUROSTAT_URL``)."""

    def __init__(self, http: HttpClient | None = None, base: str | None = None):
        self.http = http or HttpClient()
        self.base = check_base_url((base or base_url()).rstrip("/"))

    def data_request(
        self,
        dataset: str,
        filters: dict[str, list[str]] | None = None,
        *,
        since: str | None = None,
        last: int | None = None,
    ) -> Request:
        params: dict[str, Any] = {"format": "JSON", "lang": API_LANG}
        for dim, codes in sorted((filters or {}).items()):
            params[dim] = list(codes)  # requests repeats a list: geo=DK&geo=SE
        if since:
            params["sinceTimePeriod"] = str(since)
        if last:
            params["lastTimePeriod"] = str(last)
        return Request("GET", f"{self.base}/statistics/1.0/data/{dataset}", params=params)

    def toc_request(self) -> Request:
        return Request("GET", f"{self.base}/catalogue/toc/txt", params={"lang": API_LANG})
