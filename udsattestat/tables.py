"""Report tables in md, html, csv, xlsx and tex with Danish/English number formatting,
a source line, and optional change columns between two periods."""

from __future__ import annotations

import pathlib

TABLE_FORMATS = ("md", "html", "csv", "xlsx", "tex")


def render_table(frame, prov, *, fmt: str, lang: str = "da", pivot: str | None = None,
                 change: tuple[str, str] | None = None) -> str | bytes:
    """Render a tidy frame as a table in ``fmt``; bytes for xlsx, text otherwise."""
    raise NotImplementedError("tables.render_table is being written (issue 4)")


def write_table(frame, prov, path, *, fmt: str | None = None, lang: str = "da",
                pivot: str | None = None, change: tuple[str, str] | None = None) -> pathlib.Path:
    """Render and write atomically; ``fmt`` defaults to the path's suffix."""
    raise NotImplementedError("tables.write_table is being written (issue 4)")
