"""Find every number in a report: the numerical statements, the numbers that are not claims
(and why), and which of the statements a recipe checks (``udsattestat claims scan``).

Modules, in the order the data flow: :mod:`.numbers` reads Danish numbers,
:mod:`.document` reads a report into blocks with pages, :mod:`.statements` finds the
statements and sets the rest apart, :mod:`.coverage` matches a recipe's claims,
:mod:`.drafts` writes claim stubs for what is left.
"""

from __future__ import annotations

from ..languages import LANGS
from .document import Document, ReportError, read_document
from .statements import Scan, scan_document

__all__ = ["Document", "ReportError", "Scan", "indicator_keywords", "read_document", "scan_document", "scan_report"]


def indicator_keywords() -> dict[str, dict[str, list[str]]]:
    """Each indicator's ``keywords`` from its dataset.toml: the words that point to it.

    Read with tomllib alone, not through the full dataset check (a tenth of the time):
    ``dataset check`` and every command that loads a dataset validate the key."""
    import tomllib

    from ..bundle import dataset_folder
    from ..catalog import indicator_ids

    out = {}
    for ind in indicator_ids():
        try:
            # the search path: a project's own datasets beside the bundled ones (udsattestat.searchpath)
            doc = tomllib.loads((dataset_folder(ind) / "dataset.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # a broken dataset is reported by the commands that use it, not by a scan
        found = doc.get("keywords")
        if isinstance(found, dict):
            words = {lang: [w for w in found.get(lang, []) if isinstance(w, str)] for lang in LANGS}
            if words["da"] or words["en"]:
                out[ind] = words
    return out


def scan_report(path, lang: str = "da") -> Scan:
    """Read and scan a report (.txt, .md, or .pdf with the ``pdf`` extra)."""
    return scan_document(read_document(path), indicator_keywords(), lang)
