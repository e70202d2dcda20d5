"""Text cells safe to open in a spreadsheet (CSV/formula injection, OWASP's guidance).

Labels and notes come from API bodies and hand-edited files; a cell such as
``=HYPERLINK("http://evil", "Klik")`` or ``@SUM(1+1)*cmd|' /C calc'!A0`` would be run as a
formula by Excel or LibreOffice when the CSV (or an XLSX re-saved as CSV) is opened.
OWASP: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading single quote, so the spreadsheet shows it as text. Numbers are data, not
formulas: a negative number (``-3``, ``-1.234,5``) is left as it is, whether it is a float
or a number already formatted as text.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number as the tool writes it (either language: 1.234,5 / 1,234.5 / -3 / 12 % / 1e-05).
_NUMBER = r"[-+]?\d[\d.,\u00a0\u202f ]*(?:[eE][-+]?\d+)?\s?%?"
_NUMBER_RE = re.compile(_NUMBER + r"\Z", re.ASCII)
#: The same test for polars' vectorised string functions (Rust regex syntax).
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = "^" + _NUMBER.replace("\\u00a0", "\u00a0").replace("\\u202f", "\u202f") + "$"


def neutralise(value):
    """``value`` as a spreadsheet must see it: formula-like text gets a leading ``'``.

    Anything that is not text (numbers, dates, None) and text that is a number are returned
    unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER_RE.match(value):
        return "'" + value
    return value


def neutralise_frame(frame):
    """A polars frame with :func:`neutralise` applied to every text column (vectorised)."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical, pl.Enum)]
    if not text:
        return frame
    exprs = []
    for name in text:
        col = pl.col(name).cast(pl.String)
        risky = col.str.contains(_TRIGGER_PATTERN) & ~col.str.contains(_NUMBER_PATTERN)
        exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs)


#: Characters that make Markdown out of text: links, emphasis, code, headings, tables (the
#: angle brackets and & become entities: no viewer reads an entity as a tag).
MARKDOWN_SPECIALS = "\\`*_[]#|"


def markdown_text(text) -> str:
    """Text from outside (a recipe's quote or title, a report's sentence, a label) in a
    Markdown file as text: no tag (``<script>`` shows as ``&lt;script&gt;``, which every
    viewer renders as the characters and none runs), link or emphasis of its own."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in MARKDOWN_SPECIALS:
        text = text.replace(ch, "\\" + ch)
    return text
