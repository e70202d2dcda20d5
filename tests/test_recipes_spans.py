"""Values published as ranges: interval arithmetic and three-valued checks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from udsattestat.cli import main
from udsattestat.recipes import verify
from udsattestat.recipes.spans import Span, all3, check_span, span_max, span_min

try:  # tests/ may or may not be a package
    from .recipe_helpers import claim, write
except ImportError:
    from recipe_helpers import claim, write  # type: ignore[no-redef]

# VIVE 2018 as given in Forandringskraft p. 5: "ca. 70-100.000 personer" with complex problems
COMPLEX = 'where = { approach = "REGISTER_COMPLEX", group = "ALL", unit = "persons" }'


@pytest.mark.parametrize(
    "check, verdict",
    [
        # "ca. 70-100.000", each end to the nearest 10,000: 65,000–105,000
        ('{ op = "<=", value = 105000 }', "holds"),      # every value of 65,000–105,000 is at most 105,000
        ('{ op = ">", value = 105000 }', "fails"),       # none is above
        ('{ op = "==", value = 100000 }', "undecided"),  # some are, some are not: never "holds"
        ('{ op = "<=", value = 100000 }', "undecided"),  # the rounded top end may be above 100,000
        ('{ op = "between", low = 60000, high = 90000 }', "undecided"),
    ],
)
def test_claims_on_a_published_range(tmp_path, check, verdict):
    path = write(tmp_path, claim("c", f'measure = "value"\nperiod = "2018"\ncheck = {check}',
                                 "udsathed-definitions", COMPLEX))
    _recipe, results = verify(path)
    r = results[0]
    assert r.verdict == verdict
    assert r.latest.measure == Span(65000, 105000)
    assert r.to_json()["latest"]["measure"] == {"low": 65000, "high": 105000}


def test_undecided_exits_3_and_says_why(tmp_path):
    path = write(tmp_path, claim("c", 'measure = "value"\nperiod = "2018"\ncheck = { op = "==", value = 100000 }',
                                 "udsathed-definitions", COMPLEX))
    res = CliRunner().invoke(main, ["verify", str(path)])
    assert res.exit_code == 3
    assert "0 holder, 0 holder ikke, 0 ændret ved revision, 1 uafgjort, 0 ingen data, 0 kan ikke sammenlignes." in res.output
    assert "1 claim(s) undecided (a published range, or the rounding interval of a rounded figure, straddles the check): c" in res.output


def test_page_and_claims_md_show_the_range(tmp_path):
    path = write(tmp_path, claim("c", 'measure = "value"\nperiod = "2018"\ncheck = { op = "<=", value = 105000 }',
                                 "udsathed-definitions", COMPLEX))
    res = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    # a range as a reader writes it (no brackets)
    assert "værdi = 65.000–105.000 → **holder**" in (tmp_path / "o" / "claims.md").read_text()


spans = st.tuples(st.floats(-1e6, 1e6, allow_subnormal=False), st.floats(-1e6, 1e6, allow_subnormal=False)).map(lambda t: Span(min(t), max(t)))


def _inside(s: Span, f: float) -> float:
    # clamped: lo + (hi − lo) × 1 can round past hi in floats (−1 + (1 − 1e-135) = 0.0)
    return min(max(s.lo + (s.hi - s.lo) * f, s.lo), s.hi)


@given(spans, spans, st.floats(0, 1), st.floats(0, 1))
def test_arithmetic_contains_every_possible_result(a, b, fa, fb):
    x, y = _inside(a, fa), _inside(b, fb)
    d = b - a
    assert d.lo - 1e-6 <= y - x <= d.hi + 1e-6
    assume(not (a.lo <= 0 <= a.hi))
    assume(x != 0)  # a point inside a span that excludes 0 can still round to 0.0 in floats
    assume(min(abs(a.lo), abs(a.hi)) > 1e-100)  # 1e6 / 1e-308 overflows to inf in floats
    q = b / a
    tol = 1e-9 * max(1.0, abs(q.lo), abs(q.hi))
    assert q.lo - tol <= y / x <= q.hi + tol
    assert span_min([a, b]).lo <= min(x, y) <= span_min([a, b]).hi
    assert span_max([a, b]).lo <= max(x, y) <= span_max([a, b]).hi


@given(spans, st.floats(0, 1), st.sampled_from([">", "<", ">=", "<=", "=="]), st.floats(-1e6, 1e6),
       st.floats(0, 1e3))
def test_a_decided_check_is_true_for_every_point_of_the_span(s, f, op, value, tol):
    verdict = check_span(op, s, value=value, tolerance=tol if op == "==" else 0.0)
    point = check_span(op, Span.of(_inside(s, f)), value=value, tolerance=tol if op == "==" else 0.0)
    assert point is not None  # a point is always decided
    if verdict is not None:
        assert point == verdict


def test_all3():
    assert all3([True, True]) is True
    assert all3([True, None]) is None
    assert all3([None, False]) is False


@pytest.mark.parametrize(
    "value, lo, hi",
    [(200000, 150000, 250000), (233000, 232500, 233500), (4.2, 4.15, 4.25), (580000, 575000, 585000), (0, 0, 0)],
)
def test_rounded_figure_is_its_rounding_interval(value, lo, hi):
    from udsattestat.recipes.spans import Span

    s = Span.rounded(value)
    assert s.lo == pytest.approx(lo) and s.hi == pytest.approx(hi)
