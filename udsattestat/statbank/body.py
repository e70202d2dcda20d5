"""A StatBank CSV/BULK body as raw record batches: the header checked, numbers read by language.

How the bytes are read, and why:

- separator ``;``, CRLF, UTF-8; the header (upper-case variable ids, then ``INDHOLD``) is
  read by us, BOM stripped, and checked against the request — a header that does not
  match is an error, never a table with columns in the wrong place;
- codes stay text (``0017``, ``000`` keep their zeros): :mod:`.tidy` looks each one up in
  tableinfo's own list;
- ``INDHOLD`` is parsed with the decimal mark of the response's language (comma under
  ``da``, point under ``en``); a number written the other way is an error, not 10× off;
- ``..`` (and, before Dec 2017, an empty cell) is a null value (suppressed, in :mod:`.tidy`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import FetchError

VALUE_COLUMN = "INDHOLD"
#: Bytes per parsed block. The reader reads ahead a fixed number of blocks, so its memory
#: is proportional to the block size (≈ 40 MiB at 1 MiB blocks, ≈ 10 MiB at 256 KiB) while
#: its speed is the same; blocks are grouped into TIDY_ROWS for the later stages.
BLOCK_SIZE = 1 << 18
NULL_MARKS = ["..", ""]
BOM = b"\xef\xbb\xbf"


class ParseError(FetchError):
    """A StatBank body that cannot be read as the table that was asked for."""


def read_header(path: Path) -> list[str]:
    """The header line of a CSV/BULK file: BOM stripped, names upper-cased."""
    with open(path, "rb") as fh:
        first = fh.readline(1 << 16)
    return header_names(first, path.name)


def header_names(first: bytes, name: str) -> list[str]:
    """The names in a body's first line (``name`` says whose, in the error)."""
    if first.startswith(BOM):
        first = first[len(BOM) :]
    try:
        text = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ParseError(f"{name}: the header is not UTF-8 text; this is not a StatBank CSV/BULK body") from None
    return [name.strip().strip('"').upper() for name in text.split(";")]


def check_header(path: Path, expected: list[str]) -> list[str]:
    """Refuse a body whose header does not name exactly the requested variables."""
    return check_header_names(read_header(path), expected)


def check_header_names(header: list[str], expected: list[str]) -> list[str]:
    """``header`` if it names exactly the requested variables (any order, INDHOLD last)."""
    want = [e.upper() for e in expected]
    if sorted(header) != sorted(want) or header[-1] != VALUE_COLUMN:
        raise ParseError(
            f"the response header is {';'.join(header)!r} but the request asked for "
            f"{';'.join(want)!r}; refusing it rather than guessing which column is which"
        )
    return header


def _number_error(exc: Exception, lang: str, what: str) -> ParseError:
    text = str(exc)
    m = re.search(r"invalid value '([^']*)'", text)
    mark = "a decimal comma (lang=da)" if lang == "da" else "a decimal point (lang=en)"
    if m:
        return ParseError(
            f"{what}: value {m.group(1)!r} in INDHOLD is not a number written with {mark}; "
            "the response does not match its language, or the table carries text values"
        )
    m = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if m:
        return ParseError(f"{what}: a row has {m.group(2)} fields where the header has {m.group(1)}; the body is damaged")
    return ParseError(f"{what}: cannot read the body as ';'-separated values ({text.splitlines()[0][:200]})")


def raw_batches(path, header: list[str], lang: str, *, what: str = "StatBank response",
                block_size: int | None = None) -> Iterator[Any]:
    """Raw record batches: code columns as text, INDHOLD float64 (nulls for ``..``).

    ``path`` is a file, or a readable binary file object (a body still downloading:
    :class:`~udsattestat.net.follow.GrowingFile`).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # Codes are read as plain text and dictionary-encoded per batch by the tidier: pyarrow's
    # CSV reader converts straight to dictionaries about twice as slowly.
    types = {name: pa.string() for name in header if name != VALUE_COLUMN}
    types[VALUE_COLUMN] = pa.float64()
    read = pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=block_size or BLOCK_SIZE, use_threads=True)
    parse = pacsv.ParseOptions(delimiter=";", quote_char='"', newlines_in_values=False)
    convert = pacsv.ConvertOptions(
        column_types=types,
        null_values=NULL_MARKS,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        decimal_point="," if lang == "da" else ".",
        # No UTF-8 check (15% of the reader's time): every code is then looked up among
        # tableinfo's codes, which are valid text, so an invalid byte is still an error
        # ("code ... which tableinfo does not list"), never a value.
        check_utf8=False,
    )
    try:
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        yield from reader
    except pa.ArrowInvalid as exc:
        raise _number_error(exc, lang, what) from None
    except StopIteration:  # pragma: no cover
        return
