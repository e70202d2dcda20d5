"""A plain-text table for the commands people run first (``list``).

rich draws nicer tables but costs more to import than the whole command's work; a list of
six indicators needs only aligned columns and the last column wrapped to the terminal.
"""

from __future__ import annotations

import shutil
import textwrap


def table(title: str, headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Left-aligned columns; the last one wraps so each line fits ``width`` (the terminal's)."""
    width = width or shutil.get_terminal_size((80, 24)).columns
    fixed = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])]
    indent = sum(fixed) + 2 * len(fixed)
    last = max(20, width - indent - 1)
    lines = [title, ""]
    head = "".join(h.ljust(w + 2) for h, w in zip(headers, fixed, strict=False)) + headers[-1]
    lines += [head, "─" * min(width - 1, max(len(head), indent + max(len(r[-1]) for r in rows)))]
    for r in rows:
        wrapped = textwrap.wrap(r[-1], last) or [""]
        lead = "".join(c.ljust(w + 2) for c, w in zip(r[:-1], fixed, strict=False))
        lines.append(lead + wrapped[0])
        lines += [" " * indent + more for more in wrapped[1:]]
    return "\n".join(line.rstrip() for line in lines)
