"""A small HTTP client on ``requests``: bounded retries, checked bodies, streamed downloads.

Why not a bare ``requests.get``: statistics APIs fail in ways that look like data. An IIS
HTML error page, an empty 200, a body cut short by a dropped connection or a proxy's
``text/html`` login page must each be an error, never a table.

Retries (by tenacity: its retry loop takes our own predicate, wait and sleep, and tells a
progress display before each wait — urllib3's ``Retry`` works inside the connection pool,
so it can neither retry a body cut short mid-stream nor say "attempt 2 of 4 in 3 s"):

* transient faults — connection refused or reset, a connect timeout, HTTP 5xx and 429, a
  body cut short or stalled — are retried a bounded number of times, with exponential
  backoff plus random jitter (so many clients do not retry in step), honouring the
  server's ``Retry-After``;
* a host name that does not resolve is not retried: it will not resolve in 3 s either;
* a request whose answer has not *started* within the read timeout is not retried: the
  server is most likely still preparing the extraction, and a new request would only
  queue a second one behind it. The error says what to try instead (a longer
  ``--timeout``, a narrower selection, ``--dry-run``).

Timeouts: ``(connect, read)`` seconds, from the caller, else ``--timeout`` (via
:func:`timeout_override`), else ``$UDSATTESTAT_TIMEOUT`` (``READ`` or ``CONNECT,READ``),
else :data:`DEFAULT_TIMEOUT`.

Provider specifics stay out: a provider passes ``error_hook(response, body) -> Exception |
None`` to turn its own error bodies (StatBank's ``errorTypeCode`` JSON, Eurostat's SDMX
errors) into typed errors, ``expect`` to say which content types are data, and ``hint``
to say what to try when the last attempt fails.
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import errno
import hashlib
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from .._version import __version__
from ..errors import FetchError, OutputError, UdsatError

#: ``(connect, read)`` seconds. The read timeout is long: a large extraction can take the
#: server minutes to prepare before the first byte, and giving up early only makes the
#: user ask again (and the server prepare it again).
DEFAULT_TIMEOUT = (10.0, 600.0)
TIMEOUT_ENV = "UDSATTESTAT_TIMEOUT"
DEFAULT_HINT = "check the connection or try again later"
_TIMEOUT_OVERRIDE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "udsattestat_timeout", default=None)

#: HTTP statuses worth another try: the server is overloaded or a gateway hiccupped.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Never sleep longer than this for one Retry-After, whatever the server asks.
MAX_RETRY_AFTER = 120.0
CHUNK = 1 << 16
USER_AGENT = f"udsattestat/{__version__} (+https://github.com/udsattestat)"

ErrorHook = Callable[[Any, bytes], Exception | None]


class Follower(Protocol):
    """Reads a download's body while it is written (see :meth:`HttpClient.download`)."""

    def begin(self, path: Path) -> None: ...

    def grew(self, size: int) -> None: ...

    def end(self, ok: bool) -> None: ...
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Request:
    """One HTTP request, as recorded beside its snapshot."""

    method: str
    url: str
    json: Any = None
    params: dict[str, str] | None = None

    def describe(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "body": self.json, "params": self.params}


@dataclass
class Download:
    """A response body streamed to a temporary file, checked and hashed."""

    path: Path
    url: str
    status: int
    headers: dict[str, str]
    sha256: str
    size: int
    retrieved: str
    content_type: str = ""
    attempts: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class _Retry(Exception):
    """Internal: a transient failure worth another attempt."""

    def __init__(self, message: str, *, status: int | None = None, wait: float | None = None):
        super().__init__(message)
        self.status = status
        self.wait = wait


def parse_timeout(text: str, *, source: str = "--timeout") -> tuple[float, float]:
    """``"300"`` → read timeout 300 s (connect stays 10 s); ``"5,300"`` → (5, 300)."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 2) or not all(0 < n < 1e6 for n in numbers):
        raise UdsatError(f"{source}={text!r}: write the read timeout in seconds (300) or CONNECT,READ (10,300)")
    if len(numbers) == 1:
        return (min(DEFAULT_TIMEOUT[0], numbers[0]), numbers[0])
    return (numbers[0], numbers[1])


def resolve_timeout(explicit: float | tuple[float, float] | None = None) -> tuple[float, float]:
    """The caller's timeout, else ``--timeout``, else ``$UDSATTESTAT_TIMEOUT``, else the default."""
    if explicit is not None:
        return (float(explicit), float(explicit)) if isinstance(explicit, int | float) else tuple(explicit)
    override = _TIMEOUT_OVERRIDE.get()
    if override is not None:
        return override
    env = os.environ.get(TIMEOUT_ENV)
    if env:
        return parse_timeout(env, source=f"${TIMEOUT_ENV}")
    return DEFAULT_TIMEOUT


@contextlib.contextmanager
def timeout_override(timeout: tuple[float, float] | None):
    """Every client made inside uses ``timeout`` unless given its own (the CLI's ``--timeout``)."""
    token = _TIMEOUT_OVERRIDE.set(timeout)
    try:
        yield
    finally:
        _TIMEOUT_OVERRIDE.reset(token)


class InsecureURLWarning(UserWarning):
    """A base URL that sends requests (and trusts answers) in clear text."""


def check_base_url(url: str) -> str:
    """Refuse a base URL that is not http(s); warn about plain http off this machine.

    Over plain http anyone on the way can change the numbers; loopback (tests, a local
    mirror) is exempt. The warning is a :class:`InsecureURLWarning`; the CLI prints it as
    one line.
    """
    import warnings
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"base URL {url!r} is not an http(s) URL; give one such as https://api.statbank.dk/v1",
                         url=url)
    if parts.scheme.lower() == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        warnings.warn(f"base URL {url} is plain http: the data are not protected on the way; use https://",
                      InsecureURLWarning, stacklevel=3)
    return url


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" and "٣" are digits to str.isdigit, not to float()
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


#: Seconds between two "server preparing the response" reports while the first byte is awaited.
WAIT_TICK = 1.0


class HttpClient:
    """HTTP with bounded retries. The ``session``, ``sleep`` and ``clock`` are injectable for tests.

    ``retries`` is the number of extra attempts after the first; the wait before attempt
    ``n + 1`` is ``backoff * 2**(n-1)`` seconds plus up to ``backoff`` seconds of jitter
    (capped by ``max_backoff``), unless the server sent ``Retry-After``. ``timeout`` is
    ``(connect, read)`` seconds or one number for both; by default :func:`resolve_timeout`.
    """

    def __init__(
        self,
        session=None,
        *,
        timeout: float | tuple[float, float] | None = None,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        user_agent: str = USER_AGENT,
    ):
        if session is None:
            import requests

            session = requests.Session()
        self.session = session
        self.timeout = resolve_timeout(timeout)
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic  # how long the server has been preparing a response
        self.user_agent = user_agent

    # -- public -------------------------------------------------------------------------

    def get_json(self, request: Request, *, error_hook: ErrorHook | None = None) -> tuple[Any, Download]:
        """Fetch a small JSON document; (parsed JSON, the download with its headers)."""
        import json

        dl = self.download(request, expect=("application/json", "text/json"), error_hook=error_hook)
        try:
            data = json.loads(dl.path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise FetchError(
                f"{request.url} returned a body that is not valid JSON ({exc.__class__.__name__}); "
                "the service may be down or the URL wrong",
                url=request.url,
                status=dl.status,
            ) from None
        finally:
            dl.discard()
        return data, dl

    def download(
        self,
        request: Request,
        *,
        dest_dir: str | os.PathLike | None = None,
        expect: Iterable[str] | None = None,
        error_hook: ErrorHook | None = None,
        progress: Progress | None = None,
        hint: str | None = None,
        follow: Follower | None = None,
    ) -> Download:
        """Stream the response body to a temporary file and check it.

        Raises :class:`FetchError` (or whatever ``error_hook`` returns) for HTTP errors, an
        HTML page, an empty or truncated body, or a content type not in ``expect``. The
        caller owns the returned file (move it into place or ``discard()`` it). If
        ``progress`` is a :class:`~udsattestat.net.progress.Reporter` it also hears of each
        attempt, each wait and the time the server takes to start answering. ``hint`` is
        what the final error suggests trying (default: the connection, later).

        ``follow`` (a :class:`Follower`) is told of each attempt's body as it is written, so
        a parser can read it while it downloads: ``begin(path)`` when the temporary file is
        created, ``grew(size)`` after each chunk is written and flushed, ``end(ok)`` when the
        attempt ends — ``ok`` only once the body is complete and has passed every check
        here; a failed attempt (cut short, damaged, an HTML page, a retry) ends ``False``.
        """
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

        from .progress import Reporter

        reporter = progress if isinstance(progress, Reporter) else None
        attempts = self.retries + 1
        backoff = wait_exponential_jitter(multiplier=self.backoff, max=self.max_backoff, jitter=self.backoff)

        def wait(state) -> float:
            exc = state.outcome.exception()
            if getattr(exc, "wait", None) is not None:
                return min(exc.wait, MAX_RETRY_AFTER)
            return backoff(state)

        def before_sleep(state) -> None:
            if reporter is not None:
                reporter.retry(state.attempt_number + 1, attempts, state.next_action.sleep,
                               str(state.outcome.exception()))

        retrying = Retrying(stop=stop_after_attempt(attempts), wait=wait, retry=retry_if_exception_type(_Retry),
                            sleep=self.sleep, before_sleep=before_sleep, reraise=True)
        try:
            for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    if reporter is not None:
                        reporter.attempt(number, attempts, request.method, request.url)
                    dl = self._attempt(request, dest_dir, expect, error_hook, progress, reporter, hint, follow)
                    dl.attempts = number
        except _Retry as exc:
            tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
            raise FetchError(
                f"{request.method} {request.url} failed after {tries}: {exc}; {hint or DEFAULT_HINT}",
                url=request.url,
                status=exc.status,
            ) from None
        return dl

    # -- one attempt --------------------------------------------------------------------

    def _send(self, request: Request, reporter, hint: str | None):
        import requests

        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        stop = threading.Event()
        if reporter is not None:
            # The server may take minutes to prepare an extraction before its first byte:
            # say so while we wait, rather than a frozen "0 bytes".
            started = self.clock()

            def tick():
                while not stop.wait(WAIT_TICK):
                    reporter.waiting(self.clock() - started)

            threading.Thread(target=tick, daemon=True, name="udsattestat-wait").start()
        try:
            return self.session.request(
                request.method,
                request.url,
                json=request.json,
                params=request.params,
                headers=headers,
                timeout=self.timeout,
                stream=True,
                # A redirect turns a POST into a GET and drops the body: refuse to follow.
                allow_redirects=request.method == "GET",
            )
        except requests.ConnectTimeout as exc:
            raise _Retry(f"timed out connecting ({exc.__class__.__name__})") from None
        except requests.ReadTimeout:
            read = self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout
            raise FetchError(
                f"{request.method} {request.url} sent no answer within {read:g} s; the server may still be "
                "preparing it, so it is not asked again (that would only queue a second one). Try a longer "
                f"--timeout (or ${TIMEOUT_ENV}), then {hint or DEFAULT_HINT}",
                url=request.url,
            ) from None
        except requests.ConnectionError as exc:
            if _name_not_resolved(exc):
                host = requests.utils.urlparse(request.url).hostname
                raise FetchError(
                    f"cannot resolve the host name {host!r} of {request.url}; check the URL (and any "
                    "UDSATTESTAT_*_URL variable) and the network or DNS — not retried",
                    url=request.url,
                ) from None
            raise _Retry(f"connection failed ({_reason(exc)})") from None
        except requests.exceptions.InvalidURL as exc:
            raise FetchError(f"invalid URL {request.url!r}: {exc}", url=request.url) from None
        except requests.RequestException as exc:
            raise FetchError(f"{request.url}: {exc}", url=request.url) from None
        finally:
            stop.set()

    def _attempt(self, request, dest_dir, expect, error_hook, progress, reporter=None, hint=None,
                 follow=None) -> Download:
        """One attempt; whatever the transport does, a typed error naming the URL (or a retry)."""
        import http.client

        import requests

        try:
            return self._attempt_once(request, dest_dir, expect, error_hook, progress, reporter, hint, follow)
        except (_Retry, UdsatError):
            raise
        except requests.exceptions.ContentDecodingError as exc:  # an error body that does not decode
            raise FetchError(f"{request.url} sent a body that does not decode ({_reason(exc)}); "
                             "the server or a proxy damaged it — try again later", url=request.url) from None
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError, http.client.HTTPException) as exc:
            raise _Retry(f"the connection broke ({_reason(exc)})") from None
        except requests.RequestException as exc:
            raise FetchError(f"{request.url}: {_reason(exc)}", url=request.url) from None
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                raise OutputError(f"cannot store the download from {request.url}: {exc.strerror}") from None
            raise _Retry(f"the connection broke ({_reason(exc)})") from None

    def _attempt_once(self, request, dest_dir, expect, error_hook, progress, reporter=None, hint=None,
                      follow=None) -> Download:
        import requests

        response = self._send(request, reporter, hint)
        url = request.url
        status = response.status_code
        try:
            if status in RETRY_STATUSES:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                raise _Retry(f"HTTP {status} {response.reason or ''}".rstrip(), status=status, wait=wait)
            if 300 <= status < 400:
                raise FetchError(
                    f"{url} redirected (HTTP {status}) to {response.headers.get('Location', '?')}; "
                    "use the final URL (for https, write https://)",
                    url=url,
                    status=status,
                )
            if status >= 400:
                body = response.content[: 1 << 20]
                if error_hook is not None:
                    err = error_hook(response, body)
                    if err is not None:
                        raise err
                raise FetchError(_http_error_message(url, status, response, body), url=url, status=status)
            ctype = response.headers.get("Content-Type", "")
            if media_type(ctype) == "text/html":
                raise FetchError(
                    f"{url} returned an HTML page instead of data (HTTP {status}); "
                    "the service may be down, or a proxy is in the way",
                    url=url,
                    status=status,
                )
            if expect is not None and media_type(ctype) not in {media_type(e) for e in expect}:
                if error_hook is not None:
                    # Some services send their error document with status 200.
                    err = error_hook(response, response.content[: 1 << 20])
                    if err is not None:
                        raise err
                raise FetchError(
                    f"{url} returned content type {ctype or '(none)'!r}; expected "
                    f"{' or '.join(expect)}",
                    url=url,
                    status=status,
                )
            try:
                return self._stream(response, request, dest_dir, progress, follow)
            except requests.exceptions.ContentDecodingError as exc:
                # "gzip" that is not gzip: the same bytes would come again; no retry.
                encoding = response.headers.get("Content-Encoding", "?")
                raise FetchError(
                    f"{url} sent a body marked Content-Encoding: {encoding} that does not decode "
                    f"({_reason(exc)}); the server or a proxy damaged it — try again later",
                    url=url, status=status) from None
            except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as exc:
                # urllib3 raises when fewer bytes arrive than Content-Length promised.
                raise _Retry(f"the body was cut short ({_reason(exc)})", status=status) from None
            except requests.Timeout:
                raise _Retry("timed out while reading the body", status=status) from None
        finally:
            response.close()

    def _stream(self, response, request: Request, dest_dir, progress, follow=None) -> Download:
        url = request.url
        status = response.status_code
        headers = {k: v for k, v in response.headers.items()}
        total = _int_or_none(headers.get("Content-Length"))
        encoded = bool(headers.get("Content-Encoding", "").strip() not in ("", "identity"))
        digest = hashlib.sha256()
        size = 0
        from ..atomic import sweep_leftovers, temp_name

        if dest_dir is not None:
            sweep_leftovers(dest_dir, "download")  # what killed fetches left
        fd, name = tempfile.mkstemp(prefix=temp_name("download"), suffix=".part", dir=dest_dir)
        path = Path(name)
        ok = False
        try:
            if follow is not None:
                follow.begin(path)
            with os.fdopen(fd, "wb") as out:
                head = b""
                for chunk in response.iter_content(CHUNK):
                    if not chunk:
                        continue
                    if len(head) < 512:
                        head += chunk[: 512 - len(head)]
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if follow is not None:
                        out.flush()  # the follower reads the file: the bytes must be there
                        follow.grew(size)
                    if progress is not None:
                        progress(size, None if encoded else total)
                out.flush()
                os.fsync(out.fileno())
            wire = _wire_bytes(response, size)
            if total is not None and wire < total:
                raise _Retry(f"the body was cut short: {wire} of {total} bytes", status=status)
            if size == 0:
                raise FetchError(
                    f"{url} returned an empty body (HTTP {status}); nothing to read — "
                    "check the request or try again later",
                    url=url,
                    status=status,
                )
            if looks_like_html(head):
                raise FetchError(
                    f"{url} returned an HTML page instead of data (HTTP {status}); "
                    "the service may be down, or a proxy is in the way",
                    url=url,
                    status=status,
                )
            ok = True
            if follow is not None:
                follow.end(True)
            return Download(
                path=path,
                url=url,
                status=status,
                headers=headers,
                sha256=digest.hexdigest(),
                size=size,
                retrieved=utc_now(),
                content_type=headers.get("Content-Type", ""),
            )
        finally:
            if not ok:
                if follow is not None:
                    follow.end(False)  # before the file goes: the follower stops reading it first
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def _wire_bytes(response, decoded: int) -> int:
    """Bytes read from the socket (compressed, if the body was), for the length check."""
    raw = getattr(response, "raw", None)
    tell = getattr(raw, "tell", None)
    if callable(tell):
        with contextlib.suppress(Exception):
            return int(tell())
    return decoded


def _name_not_resolved(exc: BaseException) -> bool:
    """Whether a connection error is a failed DNS lookup (urllib3's NameResolutionError, a gaierror)."""
    seen = set()
    todo = [exc]
    while todo:
        inner = todo.pop()
        if inner is None or id(inner) in seen:
            continue
        seen.add(id(inner))
        if isinstance(inner, socket.gaierror) or type(inner).__name__ == "NameResolutionError":
            return True
        todo += [a for a in getattr(inner, "args", ()) if isinstance(a, BaseException)]
        todo += [getattr(inner, "reason", None), inner.__cause__, inner.__context__]
    return False


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reason(exc: Exception) -> str:
    # requests wraps urllib3 errors several levels deep; the innermost says the most.
    inner = exc
    for _ in range(5):
        nxt = inner.args[0] if inner.args and isinstance(inner.args[0], Exception) else None
        nxt = nxt or getattr(inner, "reason", None)
        if not isinstance(nxt, Exception):
            break
        inner = nxt
    text = str(inner) or inner.__class__.__name__
    return text if len(text) < 200 else text[:197] + "..."


def _http_error_message(url: str, status: int, response, body: bytes) -> str:
    ctype = media_type(response.headers.get("Content-Type"))
    hint = {
        401: "the service wants credentials",
        403: "access refused",
        404: "not found; check the table or dataset id and the base URL",
        405: "method not allowed; check the base URL",
        400: "the service refused the request",
    }.get(status, "the service refused the request")
    detail = ""
    if body and ctype.startswith("text/plain"):
        detail = ": " + body.decode("utf-8", "replace").strip().splitlines()[0][:200]
    elif body and (ctype == "text/html" or looks_like_html(body[:512])):
        detail = " (an HTML error page)"
    return f"{url} answered HTTP {status}{detail}; {hint}"


def move_into_place(download: Download, target: str | os.PathLike) -> Path:
    """Move a checked download to ``target`` atomically (same directory → a rename)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(download.path, target)
    except OSError:
        # Different file systems: copy beside the target, then rename.
        import shutil

        from ..atomic import atomic_path

        with atomic_path(target) as tmp:
            shutil.copyfile(download.path, tmp)
        download.discard()
    except Exception as exc:  # pragma: no cover - defensive
        raise UdsatError(f"cannot store {str(target)!r}: {exc}") from None
    download.path = target
    return target
