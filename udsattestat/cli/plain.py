"""A plain-text table for the commands people run first (``list``).

rich draws nicer tables but costs more to import than the whole command's work; a list of
six indicators needs only aligned columns and the last column wrapped to the terminal.
"""

from __future__ import annotations

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
    """rich renderables as text: on a terminal at its width; otherwise at their natural
    width, nothing cut with '…' and no padding at line ends."""
    from rich.console import Console

    tty = is_terminal()
    console = Console(width=None if tty else 100_000, no_color=not tty, highlight=False, soft_wrap=False)
    with console.capture() as capture:
        for r in renderables:
            console.print(r)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())
