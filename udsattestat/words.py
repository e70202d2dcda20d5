"""The search rule every provider shares: a table matches when its id or title has every
word of the query, in any case (``statbank search``, ``eurostat search``)."""

from __future__ import annotations


def words_match(text: str, *fields: str | None) -> bool:
    """Every word of ``text`` (any case) occurs in the joined fields."""
    hay = " ".join(f or "" for f in fields).lower()
    return all(w in hay for w in text.lower().split())
