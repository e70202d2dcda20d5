"""The verdicts a claim can get, each spelt once: claims.json, the build manifest, the terminal,
``--fail-on`` and the words of every page (:data:`udsattestat.presentation.CLAIM_LABELS`) use
these names."""

from __future__ import annotations

# Spelt as one word each (``no-data``), so the value a flag takes is the key the JSON holds.
HOLDS, FAILS, REVISED, UNDECIDED, NO_DATA, NOT_COMPARABLE = (
    "holds", "fails", "revised", "undecided", "no-data", "not-comparable")
#: Claim verdicts in the order they are counted and shown.
VERDICTS = (HOLDS, FAILS, REVISED, UNDECIDED, NO_DATA, NOT_COMPARABLE)
#: The verdicts of a consistency check (the report's figures against each other), counted apart.
AGREE, DISAGREE = "agree", "disagree"
CONSISTENCY_VERDICTS = (AGREE, DISAGREE)
#: How builds made before the verdicts were spelt alike wrote two of them (read by ``diff``).
FORMER = {"no data": NO_DATA, "not comparable": NOT_COMPARABLE}
