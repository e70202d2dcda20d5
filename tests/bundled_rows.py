"""Bundled rows as plain dicts, for the tests that check them value by value against the
reference (tests/test_bundled_values.py, tests/test_bundled_found_since.py)."""

from __future__ import annotations

import polars as pl

from udsattestat.bundle import load_bundled


def rows(indicator: str, **where) -> list[dict]:
    """Every bundled row of ``indicator`` (English texts) whose columns equal ``where``."""
    frame, _, _ = load_bundled(indicator, "en")
    for dim, code in where.items():
        frame = frame.filter(pl.col(dim) == code)
    return frame.to_dicts()


def one(indicator: str, **where) -> dict:
    """The one row ``where`` selects; a test fails if it selects none or several."""
    found = rows(indicator, **where)
    assert len(found) == 1, found
    return found[0]
