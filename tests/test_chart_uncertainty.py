"""Approximate and uncertain values look different from exact ones in every format, checked
the way a reader sees them: the SVG as chromium draws it, the PDF through poppler's
rasteriser, the PNG as written; all in greyscale (a pattern survives black-and-white print).

For every chart kind the test finds, in the matplotlib figure, one approximate mark and one
exact mark, then reads the pixels at those places in each rendering:
- a bar: an approximate bar's inside is a pattern (light and dark pixels), an exact bar's
  inside one flat tone;
- a point: an approximate point is open (white at its centre), an exact one filled.

The SVG check needs chromium (apt-get install -y chromium) and the PDF check pdftoppm
(apt-get install -y poppler-utils); each is skipped, saying so, only where it is missing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from chart_cases import frames

from udsattestat import charts
from udsattestat.charts.common import APPROX_HATCH

sys.path.insert(0, str(Path(__file__).parent))
import offline  # noqa: E402
from cdp import Browser, find_chromium  # noqa: E402
from conftest import require_tool  # noqa: E402

CHROMIUM = find_chromium()
PDFTOPPM = shutil.which("pdftoppm")
CASES = frames("da")


def _marks(fig):
    """(approximate, exact) marks of the figure as ('bar'|'point', box in figure fractions
    (x0, y0, x1, y1), y from the top)."""
    from matplotlib.patches import Rectangle

    fig.canvas.draw()
    W, H = fig.bbox.width, fig.bbox.height
    approx, exact = [], []
    for ax in fig.axes:
        for p in ax.patches:
            if not isinstance(p, Rectangle) or p.get_width() == 0 or p.get_height() == 0:
                continue
            bb = p.get_window_extent()
            if bb.width < 12 or bb.height < 12:
                continue
            box = (bb.x0 / W, 1 - bb.y1 / H, bb.x1 / W, 1 - bb.y0 / H)
            hatched = p.get_hatch() == APPROX_HATCH
            if not hatched and p.get_alpha() not in (None, 1.0):
                continue  # a published range's span, drawn differently on purpose
            (approx if hatched else exact).append(("bar", box))
        for line in ax.get_lines():
            if line.get_marker() in (None, "None", "", "|") or len(line.get_xdata()) != 1:
                continue
            x, y = ax.transData.transform((line.get_xdata()[0], line.get_ydata()[0]))
            r = line.get_markersize() / 72 * fig.dpi / 2
            box = ((x - r) / W, 1 - (y + r) / H, (x + r) / W, 1 - (y - r) / H)
            (approx if line.get_markerfacecolor() == "white" else exact).append(("point", box))
    # Points of two series that coincide hide each other; check only those that stand alone.
    points = [b for k, b in approx + exact if k == "point"]

    def alone(mark):
        kind, box = mark
        return kind == "bar" or sum(1 for b in points if _overlap(b, box)) == 1

    return [m for m in approx if alone(m)], [m for m in exact if alone(m)]


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box, img):
    """A patch inside a bar near its top-left corner, away from labels and inner bars."""
    from PIL import Image

    w, h = img.size
    x0, y0, x1, y1 = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    side = max(6, min((x1 - x0) * 0.3, (y1 - y0) * 0.3, 24))
    cx, cy = x0 + (x1 - x0) * 0.22, y0 + (y1 - y0) * 0.25
    crop = img.crop((int(cx), int(cy), int(cx + side), int(cy + side)))
    assert isinstance(crop, Image.Image)
    return list(crop.get_flattened_data())


def _centre(box, img):
    w, h = img.size
    cx, cy = (box[0] + box[2]) / 2 * w, (box[1] + box[3]) / 2 * h
    r = max(1, (box[2] - box[0]) * w * 0.12)
    return list(img.crop((int(cx - r), int(cy - r), int(cx + r) + 1, int(cy + r) + 1)).get_flattened_data())


def _spread(pixels):
    return max(pixels) - min(pixels)


def check_rendering(image_path: Path, approx, exact, what: str):
    """Assert the reader can tell approximate from exact marks in this picture (greyscale)."""
    from PIL import Image

    img = Image.open(image_path).convert("L")
    assert approx, f"{what}: the chart has no approximate mark to check"
    for kind, box in approx:
        if kind == "bar":
            px = _inside(box, img)
            assert _spread(px) > 60, f"{what}: an approximate bar is a flat fill (grey spread {_spread(px)})"
        else:
            px = _centre(box, img)
            assert min(px) > 225, f"{what}: an approximate point is not open (centre grey {min(px)})"
    for kind, box in exact[:3]:
        if kind == "bar":
            px = _inside(box, img)
            assert _spread(px) < 25, f"{what}: an exact bar is not one flat tone (grey spread {_spread(px)})"
        else:
            px = _centre(box, img)
            assert max(px) < 200, f"{what}: an exact point is not filled (centre grey {max(px)})"


def _draw(kind):
    frame, prov, opts = CASES[kind]
    return charts.render(kind, frame, prov, lang="da", **opts)


@pytest.mark.parametrize("kind", charts.KINDS)
def test_png_marks_approximate_values(kind, tmp_path):
    fig = _draw(kind)
    approx, exact = _marks(fig.figure)
    check_rendering(charts.save(fig, tmp_path / f"{kind}.png"), approx, exact, f"{kind}.png")


@pytest.mark.parametrize("kind", charts.KINDS)
def test_pdf_marks_approximate_values(kind, tmp_path):
    pdftoppm = require_tool("pdftoppm", PDFTOPPM)
    fig = _draw(kind)
    approx, exact = _marks(fig.figure)
    pdf = charts.save(fig, tmp_path / f"{kind}.pdf")
    offline.run([pdftoppm, "-r", "144", "-singlefile", "-png", str(pdf), str(tmp_path / kind)], check=True,
                timeout=60)
    check_rendering(tmp_path / f"{kind}.png", approx, exact, f"{kind}.pdf rasterised by pdftoppm")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(require_tool("chromium", CHROMIUM), tmp_path_factory.mktemp("profile"))
    try:
        yield b
    finally:
        b.quit()


@pytest.mark.parametrize("kind", charts.KINDS)
def test_svg_in_the_browser_marks_approximate_values(kind, browser, tmp_path):
    """The SVG as the page shows it: chromium draws it at 2 CSS px per point."""
    import re

    fig = _draw(kind)
    approx, exact = _marks(fig.figure)
    svg = charts.save(fig, tmp_path / f"{kind}.svg")
    vw, vh = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text()).groups())
    width = int(vw * 2)
    (tmp_path / "view.html").write_text(
        f'<!doctype html><body style="margin:0"><img src="{svg.name}" style="display:block;width:{width}px"></body>')
    browser.open((tmp_path / "view.html").as_uri())
    assert browser.evaluate("document.images[0].complete && document.images[0].naturalWidth > 0")
    shot = browser.screenshot(tmp_path / f"{kind}-svg.png", width, int(vh * 2))
    check_rendering(shot, approx, exact, f"{kind}.svg in chromium")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_indexed_chart_marks_every_point_of_an_approximate_base(lang):
    """Poverty's 2015 figure is a rounded quotation (about 200,000): rebased on it, every
    poverty index value is approximate, drawn open, and the note says why."""
    frame, prov, _opts = frames(lang)["indexed"]
    chart = charts.render("indexed", frame, prov, lang=lang, base_period="2015")
    ax = chart.figure.axes[0]

    def points_of(i):  # the series' markers carry its number in their gid: homelessness 0, poverty 1
        return [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith(f"series-{i}-point-")]

    poverty = points_of(1)
    assert len(poverty) >= 5 and all(ln.get_markerfacecolor() == "white" for ln in poverty)
    assert any(ln.get_markerfacecolor() != "white" for ln in points_of(0))
    notes = chart.notes
    word = "grundlaget 2015 er et omtrentligt tal" if lang == "da" else "the base 2015 is an approximate figure"
    assert any(word in n for n in notes), notes
