"""A verdict's margin: the fewest rounding steps of its evidence that change it (recipes/margins.py).

Each expectation is worked out by hand from the numbers (reference §1: 4.998 homeless in
2009, 6.431 in 2019), never copied from a run.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from udsattestat.recipes.margins import margin, record_step
from udsattestat.recipes.spans import Span, check_span


def _status(ok):
    return "holds" if ok is True else "fails" if ok is False else "undecided"


def test_over_6000_holds_by_431_persons():
    # 6.431 > 6.000; at 6.000 (431 fewer) "over 6.000" fails
    m = margin([Span.of(6431)], [1.0], lambda s: _status(check_span(">", s[0], value=6000)), "holds")
    assert (m.steps, m.direction, m.becomes) == (431, -1, "fails") and not m.fragile


def test_knap_30_pct_holds_by_52_persons_in_2009():
    # +28,67 % from 4.998 to 6.431; knap 30 = 25–30 %. 2009 at 4.946 (52 fewer) gives +30,02 %.
    def status(s):
        change = (s[1] / s[0]).scale(100.0, -100.0)
        return _status(check_span("between", change, low=25, high=30))

    m = margin([Span.of(4998), Span.of(6431)], [1.0, 1.0], status, "holds")
    assert (m.steps, m.input, m.direction, m.becomes) == (52, 0, -1, "fails")


def test_every_rise_fails_on_two_falls_so_two_inputs_move():
    # 5.253 → 4.998 → 5.290 and 6.635 → 6.431: one count alone cannot make every change a rise;
    # 2007 and 2017 each 256 lower (4.997 and 6.379) can, 255 cannot (2007 at 4.998 is no fall).
    counts = [5253, 4998, 5290, 6635, 6431]

    def status(s):
        ok = all(check_span(">", b - a, value=0) for a, b in zip(s[:-1], s[1:], strict=True))
        return "holds" if ok else "fails"

    m = margin([Span.of(v) for v in counts], [1.0] * 5, status, "fails")
    assert m.also is not None and (m.steps, m.becomes) == (256, "holds")
    assert {(m.input, m.direction), (m.also[0], m.also[1])} == {(0, -1), (3, -1)}


def test_a_check_nothing_moves_has_no_margin():
    assert margin([Span.of(5.0)], [1.0], lambda s: "holds", "holds") is None


def test_steps_from_the_row():
    assert record_step({"precision": 100.0}, Span.of(250200)) == 100
    assert record_step({"precision": None}, Span.of(6431)) == 1
    assert record_step({"precision": None}, Span.of(54.8)) == 0.1
    assert record_step({"step": 1000.0}, Span(281500, 282500)) == 1000


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_property_the_margin_is_the_fewest_steps(value, bound):
    # "over bound" on an exact count: the margin moves the count to the bound (or just past it)
    ok = value > bound
    m = margin([Span.of(value)], [1.0], lambda s: _status(check_span(">", s[0], value=bound)), _status(ok))
    expected = value - bound if ok else bound - value + 1
    if m is None:  # only when the move would leave the room of ten times the size
        assert expected > 10 * value + 10
    else:
        assert m.steps == expected


def _godt_36000(s):
    # 56 % (55,5–56,5) of the poor children against "godt 36.000" (36.000–36.500)
    product = Span(s[0].lo / 100 * s[1].lo, s[0].hi / 100 * s[1].hi)
    return _status(check_span("between", product, low=36000, high=36500))


def test_the_evidence_moves_not_the_number_the_report_states():
    # DST's 60.100 children (±50) × 55,5–56,5 % is 33.328–33.985: fails. Moving the report's
    # own 56 % would say "4 steps"; the evidence must rise 36 steps of 100 (63.650–63.750,
    # × 0,565 = 36.018: touches 36.000) before the claim is undecided; 35 (… × 0,565 = 35.962) is not.
    spans = [Span(55.5, 56.5), Span(60050, 60150)]
    assert margin(spans, [1.0, 100.0], _godt_36000, "fails").steps == 4
    m = margin(spans, [1.0, 100.0], _godt_36000, "fails", movable=[1])
    assert (m.input, m.direction, m.steps, m.becomes) == (1, 1, 36, "undecided")


def test_a_narrow_window_between_two_failures_is_found():
    # Checked against "godt 36.000" written to the hundred (36.000–36.100), the product is
    # undecided only while the children are 36 to 49 steps higher and fails on both sides:
    # jumps of 1, 2, 4 … 32, 64 step over the window (32 and 64 both fail). The sweep finds it.
    spans = [Span(55.5, 56.5), Span(60050, 60150)]

    def narrow(s):
        product = Span(s[0].lo / 100 * s[1].lo, s[0].hi / 100 * s[1].hi)
        return _status(check_span("between", product, low=36000, high=36100))

    m = margin(spans, [1.0, 100.0], narrow, "fails", movable=[1])
    assert m is not None and (m.steps, m.becomes) == (36, "undecided")
