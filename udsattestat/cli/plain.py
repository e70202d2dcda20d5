"""Plain-text tables for the commands people run first (``list``, ``show``).

rich draws tables too, but importing it and laying a table out cost more than the whole
command's work (``show`` took three times as long as Python and click). A list of
indicators needs only aligned columns, its last one wrapped to the terminal; ``show`` draws
a boxed table, columns wrapped only when a terminal is too narrow for it.
"""

from __future__ import annotations

import re
import shutil
import textwrap


def table(title: str, headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Left-aligned columns; the last one wraps so each line fits ``width`` (the terminal's).
    Piped or redirected (not a terminal) nothing is wrapped or cut: each row is one line."""
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns if is_terminal() else 1_000_000
    fixed = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])]
    indent = sum(fixed) + 2 * len(fixed)
    last = max(20, width - indent - 1)
    lines = [title, ""]
    head = "".join(h.ljust(w + 2) for h, w in zip(headers, fixed, strict=False)) + headers[-1]
    lines += [head, "─" * min(width - 1, max(len(head), indent + max(len(r[-1]) for r in rows)), 100)]
    for r in rows:
        wrapped = textwrap.wrap(r[-1], last) or [""]
        lead = "".join(c.ljust(w + 2) for c, w in zip(r[:-1], fixed, strict=False))
        lines.append(lead + wrapped[0])
        lines += [" " * indent + more for more in wrapped[1:]]
    return "\n".join(line.rstrip() for line in lines)


def is_terminal() -> bool:
    """Whether standard output is a terminal (not a pipe, a file or a test's capture)."""
    import sys

    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def rich_text(*renderables) -> str:
    """rich renderables as text (build and verify's summary): on a terminal at its width;
    otherwise at their natural width, nothing cut with '…' and no padding at line ends."""
    from rich.console import Console

    tty = is_terminal()
    console = Console(width=None if tty else 100_000, no_color=not tty, highlight=False, soft_wrap=False)
    with console.capture() as capture:
        for r in renderables:
            console.print(r)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


#: A word with the spaces around it, as rich splits a line into words.
_WORD = re.compile(r"\s*\S+\s*")


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: a wide character (CJK) two, a combining mark none."""
    import unicodedata  # not at import: `list` uses this module and never measures a cell

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken as rich breaks them (show's table
    looked like this before): at the start of a word that does not fit; a word wider than the
    line cut into pieces, the space after it carried to the next line."""
    breaks, offset = [], 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        length = cells(word.rstrip())
        if width - offset >= length:
            offset += cells(word)
        elif length > width:
            pieces = _chop(word, width)
            for k, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if k == len(pieces) - 1:
                    offset = cells(piece)
                else:
                    start += len(piece)
        else:
            breaks.append(start)
            offset = cells(word)
    bounds = [0, *breaks, len(text)]
    lines = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return [line.rstrip() if cells(line) > width else line for line in lines]  # a space past the edge goes


def _chop(word: str, width: int) -> list[str]:
    """``word`` in pieces of at most ``width`` cells."""
    pieces, used = [""], 0
    for ch in word:
        size = cells(ch)
        if used + size > width:
            pieces.append(ch)
            used = size
        else:
            pieces[-1] += ch
            used += size
    return pieces


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - cells(text))
    return gap + text if right else text + gap


def boxed(title: str, headers: list[str], rows: list[list[str]], *, right: frozenset[int] = frozenset(),
          caption: str = "", width: int | None = None) -> str:
    """A table with a box around it, the title above and the caption below, columns
    ``right`` aligned to the right (numbers). On a terminal narrower than the table, the
    widest columns wrap; piped or redirected nothing is wrapped or cut."""
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns if is_terminal() else 1_000_000
    widths = [max(cells(h), *(cells(r[i]) for r in rows)) for i, h in enumerate(headers)]
    # 3 cells a column (a border and two spaces of padding) and the closing border
    while sum(widths) + 3 * len(widths) + 1 > width and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1

    def line(left: str, fill: str, cross: str, end: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + end

    def row(cells_: list[str], bar: str) -> list[str]:
        parts = [_wrap(c, w) for c, w in zip(cells_, widths, strict=True)]
        return [bar + bar.join(" " + _pad(p[k] if k < len(p) else "", w, i in right) + " "
                                for i, (p, w) in enumerate(zip(parts, widths, strict=True))) + bar
                for k in range(max(len(p) for p in parts))]

    inner = sum(widths) + 3 * len(widths) + 1
    out = _wrap(title, inner) if title else []
    out += [line("┏", "━", "┳", "┓"), *row(headers, "┃"), line("┡", "━", "╇", "┩")]
    for r in rows:
        out += row(r, "│")
    out.append(line("└", "─", "┴", "┘"))
    out += _wrap(caption, inner) if caption else []
    return "\n".join(x.rstrip() for x in out)
