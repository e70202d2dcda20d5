"""Charts: every kind renders on the bundled data in both languages, the files are
byte-identical between runs, and what a reader sees of each — its marks, texts and
colours — matches the expectations committed in tests/baselines/charts/.

The comparison is of the rendered structure (tests/chart_structure.py), not of file bytes,
so a matplotlib release that writes the same chart differently does not fail it, and an
intended change to a chart is a reviewable diff of those files. After one, regenerate them
and read the diff:

    python tests/chart_structure.py --update
"""

from __future__ import annotations

import difflib
import json

import pytest
from chart_cases import frames
from chart_structure import BASELINES, baseline_path, describe, dumps

from udsattestat import charts
from udsattestat.errors import OutputError, SelectionError

CASES = {lang: frames(lang) for lang in ("da", "en")}


def draw(kind, lang):
    frame, prov, opts = CASES[lang][kind]
    return charts.render(kind, frame, prov, lang=lang, **opts)


def svg_bytes(fig, tmp_path, name):
    path = charts.save(fig, tmp_path / f"{name}.svg")
    return path.read_bytes()


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", charts.KINDS)
def test_what_the_reader_sees_is_as_expected(kind, lang):
    path = baseline_path(f"{kind}-{lang}")
    assert path.exists(), f"no expectations for {kind}-{lang}; run: python tests/chart_structure.py --update"
    expected, seen = path.read_text("utf-8"), dumps(describe(draw(kind, lang).figure))
    diff = "".join(difflib.unified_diff(expected.splitlines(True), seen.splitlines(True), str(path), "rendered"))
    assert seen == expected, (f"{kind}-{lang} changed; if intended, run python tests/chart_structure.py --update "
                              f"and commit the diff:\n{diff}")


def test_every_expectation_belongs_to_a_chart():
    names = {p.stem for p in BASELINES.glob("*.json")}
    assert names == {f"{kind}-{lang}" for kind in charts.KINDS for lang in ("da", "en")}


def test_the_comparison_sees_a_change_of_colour_text_or_mark():
    base = describe(draw("ranking", "en").figure)
    fig = draw("ranking", "en").figure
    fig.axes[0].patches[0].set_facecolor("#ff0000")
    assert describe(fig) != base
    fig = draw("ranking", "en").figure
    fig.texts[0].set_text("Another title")
    assert describe(fig) != base
    fig = draw("ranking", "en").figure
    fig.axes[0].patches[-1].set_width(fig.axes[0].patches[-1].get_width() * 1.1)
    assert describe(fig) != base
    assert json.loads(dumps(base)) == json.loads(dumps(describe(draw("ranking", "en").figure)))  # and only a change


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_same_input_gives_same_bytes(suffix, tmp_path):
    a = charts.save(draw("timeseries", "da"), tmp_path / f"a{suffix}").read_bytes()
    b = charts.save(draw("timeseries", "da"), tmp_path / f"b{suffix}").read_bytes()
    assert a == b
    assert b"CreationDate" not in a and b"Matplotlib v" not in a


def test_danish_and_english_text(tmp_path):
    da = svg_bytes(draw("timeseries", "da"), tmp_path, "da")
    en = svg_bytes(draw("timeseries", "en"), tmp_path, "en")
    assert da != en
    fig = draw("timeseries", "da").figure
    texts = [t.get_text() for t in fig.texts]
    assert any(t.startswith("Kilde: VIVE") for t in texts)
    assert any("Ingen tal for" in t and "2021" in t for t in texts)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "6.000" in ticks
    fig = draw("timeseries", "en").figure
    assert "6,000" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(t.get_text().startswith("Source: VIVE") for t in fig.texts)


def test_gap_is_not_interpolated():
    fig = draw("timeseries", "da").figure
    ax = fig.axes[0]
    total_lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1 and max(ln.get_ydata()) > 4000]
    # 2007–2019 and 2022–2024: two runs, no segment across 2021.
    assert len(total_lines) == 2
    for ln in total_lines:
        xs = list(ln.get_xdata())
        assert not (min(xs) < 2020 < max(xs))


def test_uncertain_values_are_hollow_and_explained():
    fig = draw("timeseries", "en").figure
    ax = fig.axes[0]
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() in ("white", (1, 1, 1, 1))]
    assert hollow
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Uncertain or approximate value" in legend


def test_definitions_ranges_and_source_labels():
    fig = draw("definitions", "da").figure
    persons, share = fig.axes
    labels = [t.get_text() for t in persons.texts]
    assert "70.000–100.000" in labels
    assert "ca. 230.000" in labels
    assert any(t.startswith("Forandringskraft (2021), s. 5; 2017") for t in labels)
    assert "1,5–2 %" in [t.get_text() for t in share.texts]


def test_indexed_rebases_to_100():
    fig = draw("indexed", "en").figure
    ax = fig.axes[0]
    points_2019 = [ln.get_ydata()[0] for ln in ax.get_lines()
                   if len(ln.get_xdata()) == 1 and abs(ln.get_xdata()[0] - 2019) < 0.01]
    assert points_2019 and all(abs(y - 100) < 1e-9 for y in points_2019)


def test_ranking_highlight_and_order():
    fig = draw("ranking", "en").figure
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "All ages"  # largest at the top
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["18–24 years"]


def test_errors():
    frame, prov, _ = CASES["da"]["timeseries"]
    with pytest.raises(SelectionError, match="unknown chart kind 'pie'; use one of: timeseries"):
        charts.render("pie", frame, prov)
    with pytest.raises(SelectionError, match="unknown dimension 'sex'"):
        charts.render("timeseries", frame, prov, series="sex")
    with pytest.raises(SelectionError, match="empty"):
        charts.render("timeseries", frame.head(0), prov)
    from udsattestat.api import load_with_provenance

    h, ph = load_with_provenance("homelessness", lang="da")
    two = h.filter((h["geo"] == "DK") & (h["population"] == "COUNTED"))
    with pytest.raises(SelectionError, match="varies in situation, age; a chart can split by one dimension only"):
        charts.render("timeseries", two, ph)
    with pytest.raises(SelectionError, match="add --where unit="):
        f, p = load_with_provenance("poverty", lang="da")
        charts.render("timeseries", f.filter(f["age"] == "TOT"), p)


def test_bad_suffix_and_no_partial_file(tmp_path):
    fig = draw("levels", "da")
    with pytest.raises(OutputError, match=r"use one of \.svg, \.png, \.pdf"):
        charts.save(fig, tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def synthetic(codes, statuses=None):
    import polars as pl

    from udsattestat.periods import parse_period
    from udsattestat.provenance import Provenance

    rows = []
    for i, code in enumerate(codes):
        p = parse_period(code)
        rows.append(dict(indicator="test", period=code, freq=p.freq, period_start=p.start, period_end=p.end,
                         geo="DK", geo_label="Denmark", value=1000 + i * 10.5, value_low=None, value_high=None,
                         unit="persons", status=(statuses or {}).get(code, "published"), confidence="V",
                         vintage="v1", vintage_date="2025", source="s1", source_locator=None, note=None))
    prov = Provenance(indicator="test", title={"da": "Testserie", "en": "Test series"}, unit="persons",
                      producer="Testproducent", publication="Test", url="", licence="", origin="derived",
                      citations={"s1": {"publication": "Testpublikation 2025"}})
    return pl.DataFrame(rows), prov


def test_monthly_ticks_and_gap_in_danish():
    codes = [f"{y}M{m:02d}" for y in (2023, 2024) for m in range(1, 13) if (y, m) not in ((2023, 7), (2023, 8))]
    frame, prov = synthetic(codes)
    fig = charts.render("timeseries", frame, prov, lang="da").figure
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks[0] == "jan. 2023" and "maj 2023" in ticks
    assert any("Ingen tal mellem jun. 2023 og sep. 2023" in t.get_text() for t in fig.texts)
    assert len([ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 1]) == 2


def test_quarterly_ticks_are_years_in_english():
    frame, prov = synthetic([f"{y}K{k}" for y in range(2015, 2025) for k in range(1, 5)])
    fig = charts.render("timeseries", frame, prov, lang="en").figure
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][:2] == ["2015", "2016"]


def test_file_metadata_names_title_and_source(tmp_path):
    data = charts.save(draw("levels", "en"), tmp_path / "l.svg").read_text()
    assert "<dc:title>Persons in relative poverty" in data
    assert "<dc:source>Source: Statistics Denmark" in data


def test_ranking_many_areas_grows_and_writes_decimals_alike():
    import datetime as dt

    import polars as pl

    from udsattestat.provenance import Provenance

    codes = ["DK", "SE", "NO", "FI", "DE", "NL", "BE", "FR", "ES", "IT", "PT", "AT", "PL", "CZ"]
    rows = [dict(indicator="eu", period="2023", freq="A", period_start=dt.date(2023, 1, 1),
                 period_end=dt.date(2023, 12, 31), geo=g, geo_label=g, value=10.0 + i * 0.5, value_low=None,
                 value_high=None, unit="percent", status="published", confidence="V", vintage="v",
                 vintage_date="2024", source="s", source_locator=None, note=None) for i, g in enumerate(codes)]
    prov = Provenance(indicator="eu", title={"da": "Andel", "en": "Share"}, unit="percent", producer="Eurostat",
                      publication="t", url="", licence="", origin="eurostat", citations={"s": {"publication": "t"}})
    fig = charts.render("ranking", pl.DataFrame(rows), prov, lang="da").figure
    assert fig.get_figheight() > 4.2
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "10,0 %" in labels and "10,5 %" in labels
    assert [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_fontweight() == "bold"] == ["DK"]
    fixed = charts.render("ranking", pl.DataFrame(rows), prov, lang="da", size=(6.3, 4.2)).figure
    assert fixed.get_figheight() == pytest.approx(4.2)


def _overlap(a, b, slack=0.5):
    return a.x0 + slack < b.x1 and b.x0 + slack < a.x1 and a.y0 + slack < b.y1 and b.y0 + slack < a.y1


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", charts.KINDS)
def test_layout_nothing_cut_off_or_overlapping(kind, lang):
    """What a reader would check by eye: every text inside the figure, header and footer
    clear of the plot, the legend under the plot, value labels apart from each other."""
    from matplotlib.transforms import Bbox

    fig = draw(kind, lang).figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    page = fig.bbox
    texts = [t for t in fig.texts if t.get_text()]
    for t in texts:
        box = t.get_window_extent(r)
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, t.get_text()
    plot = Bbox.union([ax.get_tightbbox(r) for ax in fig.axes])
    assert plot.x0 >= page.x0 - 1 and plot.x1 <= page.x1 + 1
    for t in texts:
        assert not _overlap(t.get_window_extent(r), plot), f"{t.get_text()!r} overlaps the plot"
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not _overlap(a.get_window_extent(r), b.get_window_extent(r)), (a.get_text(), b.get_text())
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            assert legend.get_window_extent(r).y1 <= ax.get_window_extent(r).y0, "legend over the data"
            assert not _overlap(legend.get_window_extent(r), ax.xaxis.get_tightbbox(r)), "legend over tick labels"
        labels = [t for t in ax.texts if t.get_text()]
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not _overlap(a.get_window_extent(r), b.get_window_extent(r)), (a.get_text(), b.get_text())


def test_too_small_a_size_is_an_error_not_a_cramped_chart():
    frame, prov, _ = CASES["en"]["definitions"]
    with pytest.raises(SelectionError, match="needs at least 5.5 x 5.0 inches"):
        charts.render("definitions", frame, prov, lang="en", size=(4.5, 3.2))
    frame, prov, opts = CASES["en"]["timeseries"]
    with pytest.raises(SelectionError, match="does not fit its size"):
        charts.render("timeseries", frame, prov, lang="en", size=(3.0, 2.2), **opts)


def test_axis_ticks_keep_the_decimals_their_step_needs():
    from udsattestat.charts.common import axis_number

    assert [axis_number(v, "da", 2.5, "percent") for v in (0, 2.5, 5, 7.5)] == ["0,0 %", "2,5 %", "5,0 %", "7,5 %"]
    assert [axis_number(v, "en", 0.25) for v in (0.25, 0.5)] == ["0.25", "0.50"]
    assert axis_number(20000, "da", 5000) == "20.000"


def _series_looks(svg: str) -> dict[int, set]:
    """Per series (the ``series-<i>-…`` groups of the SVG): the dash patterns of its line
    and the shapes of its markers, as the file draws them."""
    import re

    markers = dict(re.findall(r'<path id="(m[0-9a-f]+)" d="([^"]*)"', svg))
    looks: dict[int, set] = {}
    for m in re.finditer(r'<g id="series-(\d+)-(run|point)-[^"]*">(.*?)</g>', svg, flags=re.S):
        i, kind, body = int(m.group(1)), m.group(2), m.group(3)
        if kind == "run":
            dash = re.search(r"stroke-dasharray: ([\d.,\s]+)", body)
            looks.setdefault(i, set()).add(("dash", re.sub(r"\s+", "", dash.group(1)) if dash else "solid"))
        else:
            ref = re.search(r'xlink:href="#(m[0-9a-f]+)"', body)
            looks.setdefault(i, set()).add(("marker", markers.get(ref.group(1)) if ref else None))
    return looks


@pytest.mark.parametrize("kind", ["timeseries", "indexed"])
def test_every_pair_of_series_is_distinct_in_greyscale(kind, tmp_path):
    """Colour is never the only cue: every two series differ in their line's dashes and in
    their markers' shape (read from the SVG, as a greyscale print would show it)."""
    looks = _series_looks(svg_bytes(draw(kind, "da"), tmp_path, kind).decode())
    assert len(looks) >= 3, looks
    for a in looks:
        for b in looks:
            if a < b:
                dash_a = {v for k, v in looks[a] if k == "dash"}
                dash_b = {v for k, v in looks[b] if k == "dash"}
                mark_a = {v for k, v in looks[a] if k == "marker"}
                mark_b = {v for k, v in looks[b] if k == "marker"}
                assert dash_a.isdisjoint(dash_b) and mark_a.isdisjoint(mark_b), (kind, a, b)
