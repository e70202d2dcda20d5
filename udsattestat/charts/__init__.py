"""Report-quality charts: tidy frame in, a :class:`~.common.Chart` out (its matplotlib figure
and what its files say about it).

Every kind has one small module (``timeseries``, ``definitions``, ``indexed``, ``ranking``,
``levels``); :func:`finish.finish` adds the title, the subtitle with the unit, the notes and
the source line built from the provenance; :func:`save` writes byte-identical files for the
same input. matplotlib is imported lazily inside functions so the CLI starts fast.
"""

from __future__ import annotations

import importlib
import pathlib

from ..errors import SelectionError

#: Modules of this package that are shared helpers, not chart kinds.
HELPERS = frozenset({"common", "finish", "defaults", "kinds"})


def _discover() -> tuple[str, ...]:
    """Every other module here is a chart kind (a ``build(fig, frame, prov, …)``): adding a
    kind is adding its module. The usual default, ``timeseries``, comes first."""
    import pkgutil

    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name not in HELPERS and not m.name.startswith("_")]
    return tuple(sorted(names, key=lambda n: (n != "timeseries", n)))


KINDS = _discover()
#: Width in inches of the phone rendition the page offers below 40rem: shown at its natural
#: size, 336 CSS px, it fits a 360 px screen, and its text has the CSS size of the report-width
#: chart's (the smallest 8.5 pt = 11.3 px).
PHONE_WIDTH = 3.5
#: Smallest and largest side of a figure in inches, wherever a size is given (``--size``, a
#: recipe's ``options.size``, :func:`render`): below 2 the title and source line no longer fit.
SIZE_LIMITS = (2.0, 30.0)
CHART_SUFFIXES = (".svg", ".png", ".pdf")
#: Fixed metadata so the same chart gives the same bytes on every run (no dates, no
#: library version that changes under a minor upgrade).
SAVE_METADATA = {
    ".svg": {"Date": None, "Creator": "udsattestat"},
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": "udsattestat", "Creator": "udsattestat"},
    ".png": {"Software": "udsattestat"},
}


def _kind_module(kind: str):
    if kind not in KINDS:
        raise SelectionError(f"unknown chart kind {kind!r}; use one of: {', '.join(KINDS)}")
    return importlib.import_module(f"{__name__}.{kind}")  # a discovered kind (see _discover)


def kind_spec(kind: str):
    """What a kind can do (:class:`.kinds.ChartKind`), as its module declares it (``KIND``)."""
    return _kind_module(kind).KIND


def size_usable(size) -> bool:
    """True for a (width, height) pair of finite numbers in inches, each within :data:`SIZE_LIMITS`."""
    low, high = SIZE_LIMITS
    # NaN fails both comparisons, so it is refused like infinity; a bool is not a size.
    return (isinstance(size, (list, tuple)) and len(size) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high for v in size))


def size_range() -> str:
    """The limits as a reader sees them in a message: "2–30"."""
    return "–".join(f"{v:g}" for v in SIZE_LIMITS)


def render(kind: str, frame, prov, *, lang: str = "da", title: str | None = None,
           subtitle: str | None = None, series: str | None = None,
           highlight: str | None = None, base_period: str | None = None,
           notes: list[str] | tuple = (), size: tuple[float, float] | None = None,
           width: float | None = None):
    """Draw ``frame`` as a chart of ``kind``: a :class:`~.common.Chart` (``.figure`` is matplotlib's).

    ``frame`` is a tidy frame already selected (where/since/until/vintage applied).
    ``prov`` is a Provenance or a dict {indicator_id: Provenance} (used by a kind that
    draws several indicators, e.g. "indexed", where ``frame`` is their tidy frames concatenated with polars'
    how="diagonal_relaxed" and told apart by the ``indicator`` column). ``series`` is
    the dimension drawn as separate lines/bars. ``width`` (inches, without ``size``) draws
    the chart for that width, the height as the kind needs: e.g. :data:`PHONE_WIDTH`. The source line under the plot is built
    from the provenance and the ``source`` ids present in ``frame``. Raises SelectionError
    (naming what is valid) for an unknown kind, a missing dimension, an empty frame.
    """
    from ..languages import check_lang
    from .common import Drawing, house_style, require_rows

    spec = kind_spec(kind)  # the kind's declared capabilities; an unknown kind is a one-line error
    check_lang(lang)
    require_rows(frame, kind)
    if size is not None and not size_usable(size):
        raise SelectionError(f"--size {size!r} is not usable; give width x height in inches, each {size_range()} (e.g. 6.3x4.2)")
    if not spec.several_indicators and isinstance(prov, dict) and len(prov) == 1:
        prov = next(iter(prov.values()))  # one indicator: its Provenance, however it was passed
    module = _kind_module(kind)
    with house_style():
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        default = tuple(plt.rcParams["figure.figsize"])
        figsize = size or ((width, default[1]) if width else default)
        fig = Figure(figsize=figsize, dpi=plt.rcParams["figure.dpi"])
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        # Kinds whose natural height depends on the data (one row per category) may grow
        # the figure, but only when the caller did not ask for a size.
        drawing = Drawing(size_given=size is not None)
        return module.build(fig, frame, prov, drawing, lang=lang, title=title, subtitle=subtitle, series=series,
                            highlight=highlight, base_period=base_period, notes=list(notes))


def save(chart, path) -> pathlib.Path:
    """Atomic, byte-deterministic write; format from the suffix .svg/.png/.pdf.

    Any other suffix raises OutputError naming the valid ones. ``-`` writes the SVG to
    standard output (the same bytes the file would hold).
    """
    from ..atomic import atomic_path, check_output_path, is_stdout, write_output
    from .common import house_style

    target = None if is_stdout(path) else check_output_path(path, suffixes=CHART_SUFFIXES)
    suffix = ".svg" if target is None else target.suffix.lower()
    with house_style():
        import matplotlib.pyplot as plt

        metadata = {**SAVE_METADATA[suffix], **_described(chart, suffix)}
        if target is None:
            return write_output(path, _svg(chart, metadata, plt.rcParams["savefig.dpi"]))
        with atomic_path(target) as tmp:
            if suffix == ".svg":
                pathlib.Path(tmp).write_bytes(_svg(chart, metadata, plt.rcParams["savefig.dpi"]))
            else:
                chart.figure.savefig(tmp, format=suffix[1:], metadata=metadata, dpi=plt.rcParams["savefig.dpi"])
    return target


def _svg(chart, metadata: dict, dpi) -> bytes:
    import io

    buffer = io.BytesIO()
    chart.figure.savefig(buffer, format="svg", metadata=metadata, dpi=dpi)
    return _with_description(buffer.getvalue(), describe(chart))


def describe(chart) -> str:
    """What the chart shows, in sentences: subtitle, each series or bar in words, notes and
    source (the SVG's ``<desc>``; the page's ``alt`` text)."""
    return chart.description


def _with_description(svg: bytes, description: str) -> bytes:
    """The SVG with a ``<desc>`` after its ``<title>`` and the two named as its accessible
    name and description, so a screen reader gets more than the title."""
    from xml.sax.saxutils import escape

    if not description or b"</title>" not in svg:
        return svg
    svg = svg.replace(b"</title>", b"</title>\n <desc id=\"desc\">" + escape(description).encode("utf-8") + b"</desc>", 1)
    svg = svg.replace(b" <title>", b' <title id="title">', 1)
    return svg.replace(b"<svg ", b'<svg role="img" aria-labelledby="title" aria-describedby="desc" ', 1)


def _described(chart, suffix: str) -> dict:
    """Title and source line in the file's own metadata, so a chart copied on its own
    still says where its numbers came from."""
    title, source = chart.title or "", chart.source or ""
    if suffix == ".svg":
        return {"Title": title, "Source": source}
    if suffix == ".pdf":
        return {"Title": title, "Subject": source}
    return {"Title": title, "Source": source}
