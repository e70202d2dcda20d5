"""The StatBank API's four functions (subjects, tables, tableinfo, data) over HTTP.

POST with a JSON body throughout (DST's recommendation; a GET URL with æ/ø/å in variable
ids needs careful quoting). Always https: DST redirects http with a 301, and a redirect
drops a POST body. The base URL comes from ``$UDSATTESTAT_STATBANK_URL`` so mirrors,
proxies, DST's StatHost banks and local test servers all work.

DST answers errors with HTTP 400 and ``{"errorTypeCode": …, "message": …}``;
:func:`error_hook` turns that into a :class:`ProviderError` with an English hint.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import ProviderError
from ..net.http import HttpClient, Request, check_base_url

BASE_URL_ENV = "UDSATTESTAT_STATBANK_URL"
DEFAULT_BASE_URL = "https://api.statbank.dk/v1"
PROVIDER = "statbank"

HINTS = {
    "REQUEST-LIMIT": "too many cells for a non-streaming format; udsattestat switches to BULK by "
    "itself (or pass --format BULK, or select fewer values with --var)",
    "EXTRACT-NOTFOUND": "check the table id and the codes with 'udsattestat statbank info TABLE' "
    "or find the table with 'udsattestat statbank search'",
    "EXTRACT-NOTALLOWED": "streaming formats need a value for every variable; give each with --var",
    "EXTRACT-STREAMINGTIMESORT": "streaming formats cannot sort by time; drop the time sorting",
    "REQUEST-MISSING": "the request lacks a table or format; this is a bug in udsattestat, please report it",
    "REQUEST-EMPTY": "the request body was empty or not JSON; check a proxy is not rewriting it",
    "REQUEST-NOTFOUND": "the URL does not exist; check $UDSATTESTAT_STATBANK_URL (default "
    f"{DEFAULT_BASE_URL})",
}


def base_url() -> str:
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def error_hook(response, body: bytes) -> ProviderError | None:
    """DST's JSON error → ProviderError(code, DST's message, hint). None if not DST's shape."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or "errorTypeCode" not in data:
        return None
    code = str(data.get("errorTypeCode"))
    message = str(data.get("message") or "").strip()
    hint = HINTS.get(code, "see the message above and 'udsattestat statbank info'")
    return ProviderError(
        f"StatBank refused the request ({code}): {message} — {hint}",
        code=code,
        provider_message=message,
        url=getattr(response, "url", None),
        status=getattr(response, "status_code", None),
    )


class StatbankClient:
    """Requests to one StatBank (``base`` defaults to ``$UDSATTESTAT_STATBANK_URL``)."""

    def __init__(self, http: HttpClient | None = None, base: str | None = None):
        self.http = http or HttpClient()
        self.base = check_base_url((base or base_url()).rstrip("/"))

    def url(self, function: str) -> str:
        return f"{self.base}/{function}"

    def request(self, function: str, body: dict[str, Any]) -> Request:
        return Request("POST", self.url(function), json=body)

    def subjects(self, *, lang: str = "da", subjects: list[str] | None = None, recursive: bool = False):
        body: dict[str, Any] = {"lang": lang, "format": "JSON", "recursive": recursive}
        if subjects:
            body["subjects"] = subjects
        data, _ = self.http.get_json(self.request("subjects", body), error_hook=error_hook)
        return data

    def tables(self, *, lang: str = "da", subjects: list[str] | None = None, include_inactive: bool = False):
        body: dict[str, Any] = {"lang": lang, "format": "JSON", "includeInactive": include_inactive}
        if subjects:
            body["subjects"] = subjects
        data, _ = self.http.get_json(self.request("tables", body), error_hook=error_hook)
        if not isinstance(data, list):
            raise ProviderError(f"{self.url('tables')} did not return a list of tables", url=self.url("tables"))
        return data

    def tableinfo_request(self, table: str, lang: str) -> Request:
        return self.request("tableinfo", {"table": table.upper(), "lang": lang, "format": "JSON"})

    def data_request(self, body: dict[str, Any]) -> Request:
        return self.request("data", body)
