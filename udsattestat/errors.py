"""Typed errors. The library raises these and never prints; the CLI turns them into one line.

Every message says what went wrong and what to do about it, because the CLI shows the
message as it is (``Error: <message>``) with no traceback.
"""

from __future__ import annotations

from .exits import ERROR, WRONG_VALUE


class UdsatError(Exception):
    """Base class for every error a user can cause or act on."""

    exit_code = ERROR


class UnknownIndicatorError(UdsatError):
    """An indicator id that is not in the catalogue."""

    exit_code = WRONG_VALUE

    def __init__(self, indicator: str, suggestions: list[str], known: list[str]):
        self.indicator = indicator
        self.suggestions = suggestions
        hint = (
            f"did you mean {', '.join(repr(s) for s in suggestions)}?"
            if suggestions
            else f"known indicators: {', '.join(known)}"
        )
        super().__init__(
            f"unknown indicator {indicator!r}; {hint} (run 'udsattestat list' to see all)"
        )


class DatasetFileError(UdsatError):
    """A bundled dataset file (metadata or values) that cannot be read as it stands."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class OutputError(UdsatError):
    """An output path that cannot be written (missing or read-only directory, bad suffix)."""


class SelectionError(UdsatError):
    """A selection (dimension, code, period, vintage) that the data do not have."""

    exit_code = WRONG_VALUE


class LiveOnlyError(SelectionError):
    """A live-only dataset (nothing citable bundled) read without ``--live``. The command line
    says how to run the same command again (``udsattestat … --live``)."""

    #: what follows the reason: the way to read it live, for Python or for a command line
    HOW = "load(..., live=True); with offline=True as well, the last live read is replayed without the network"

    def __init__(self, indicator: str, source: str, how: str = HOW):
        self.indicator, self.source = indicator, source
        super().__init__(f"{indicator!r} has no bundled values (nothing citable offline); read it live "
                         f"from {source}: {how}")


class FetchError(UdsatError):
    """A network fetch that failed after retries, or returned something that is not data."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(message)


class OfflineError(FetchError):
    """``--offline`` was asked for and there is no snapshot to replay."""


class SnapshotError(FetchError):
    """A raw snapshot whose bytes no longer match the sha256 in its record (or whose record is damaged).

    Never replayed: replaying it would write different numbers under the old provenance.
    """

    def __init__(self, message: str, *, path=None):
        self.path = None if path is None else str(path)
        super().__init__(message)


class ProviderError(FetchError):
    """The provider answered with an error of its own (e.g. StatBank's ``errorTypeCode``)."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        provider_message: str | None = None,
        url: str | None = None,
        status: int | None = None,
    ):
        self.code = code
        self.provider_message = provider_message
        super().__init__(message, url=url, status=status)


class ProvenanceError(UdsatError):
    """Provenance metadata (a Parquet file's ``udsattestat`` key) that cannot be read as written."""


class ProvenanceColumnsError(SelectionError):
    """A frame whose rows no longer say where they came from (provenance columns dropped)."""

    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        super().__init__(
            f"the frame has no {', '.join(repr(c) for c in self.missing)} column(s), so its provenance "
            "cannot be rebuilt; keep 'indicator', 'source' and 'vintage' when you select or aggregate"
        )
