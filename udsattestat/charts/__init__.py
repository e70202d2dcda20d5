"""Report-quality charts: tidy frame in, matplotlib ``Figure`` out.

Every kind has one small module (``timeseries``, ``definitions``, ``indexed``, ``ranking``,
``levels``); ``finish`` adds the title, the subtitle with the unit, the source line built
from the provenance and the notes; ``save`` writes byte-identical files for the same input.
matplotlib is imported lazily inside functions so the CLI starts fast.
"""

from __future__ import annotations

import pathlib

KINDS = ("timeseries", "definitions", "indexed", "ranking", "levels")
CHART_SUFFIXES = (".svg", ".png", ".pdf")


def render(kind: str, frame, prov, *, lang: str = "da", title: str | None = None,
           subtitle: str | None = None, series: str | None = None,
           highlight: str | None = None, base_period: str | None = None,
           notes: list[str] | tuple = (), size: tuple[float, float] | None = None):
    """Draw ``frame`` as a chart of ``kind`` and return a matplotlib Figure.

    ``frame`` is a tidy frame already selected (where/since/until/vintage applied).
    ``prov`` is a Provenance or a dict {indicator_id: Provenance} (used for "indexed",
    where ``frame`` is several indicators' tidy frames concatenated with polars'
    how="diagonal_relaxed" and told apart by the ``indicator`` column). ``series`` is
    the dimension drawn as separate lines/bars. The source line under the plot is built
    from the provenance and the ``source`` ids present in ``frame``. Raises SelectionError
    (naming what is valid) for an unknown kind, a missing dimension, an empty frame.
    """
    raise NotImplementedError("charts.render is being written (issue 4)")


def save(fig, path) -> pathlib.Path:
    """Atomic, byte-deterministic write; format from the suffix .svg/.png/.pdf.

    Any other suffix raises OutputError naming the valid ones.
    """
    raise NotImplementedError("charts.save is being written (issue 4)")
