"""The languages udsattestat writes: every label, text and output exists in Danish and English."""

from __future__ import annotations

from .errors import SelectionError

#: Danish first: the reports are Danish, English is the translation.
LANGS = ("da", "en")


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a SelectionError naming them."""
    if lang not in LANGS:
        raise SelectionError(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")
    return lang
