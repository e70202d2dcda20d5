"""The Danish qualifier rule: quoted words -> the interval they allow (udsattestat.qualifiers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udsattestat.qualifiers import QUALIFIERS, RULES, Interval, QualifierError, read, step_of, written


def ends(words: str, **kw):
    iv = read(words, **kw).interval
    return iv.low, iv.high, iv.low_open, iv.high_open


# Each expectation is written from the rule in the module docstring (and docs/data-model.md),
# never from a run: step = place of the last non-zero digit or last written decimal.
@pytest.mark.parametrize(("words", "expected"), [
    # "knap": rounds to N at its step (10.000) and not above N
    ("knap 250.000", (245000, 250000, False, False)),
    # "ca.": the whole rounding interval of 60.000 (step 10.000)
    ("ca. 60.000", (55000, 65000, False, False)),
    ("omkring 60.000", (55000, 65000, False, False)),
    # "godt 36.000": step 1.000, rounds to 36.000 and not below it
    ("godt 36.000", (36000, 36500, False, False)),
    # "godt 280.000": a bit over 280.000 (step 10.000), not "ca."
    ("godt 280.000", (280000, 285000, False, False)),
    ("lidt over fire pct.", (4, 4.5, False, False)),
    # "over" / "mere end": strictly more, unbounded above
    ("over 6.000", (6000, None, True, False)),
    ("mere end 22.000", (22000, None, True, False)),
    ("mindst 50", (50, None, False, False)),
    ("under 10", (None, 10, False, True)),
    ("højst 40", (None, 40, False, False)),
    # a bare number: what rounds to it; "56%" to the whole percent, "18,3" to the tenth
    ("56%", (55.5, 56.5, False, False)),
    ("18,3 procent", (18.25, 18.35, False, False)),
    ("1.433", (1432.5, 1433.5, False, False)),
    ("282.000", (281500, 282500, False, False)),
    # "knap 30 procent": 30 is written to the ten, so knap = 25–30
    ("knap 30 procent", (25, 30, False, False)),
    # fractions in words
    ("syv ud af ti", (65, 75, False, False)),
    ("knap syv ud af ti", (65, 70, False, False)),
    ("hver fjerde", (22.5, 50 * (1 / 4 + 1 / 3), False, False)),
    ("knap hver fjerde", (22.5, 25, False, False)),
    ("over halvdelen", (50, None, True, False)),
    ("knap halvdelen", (45, 50, False, False)),
    ("op mod 40", (35, 40, False, False)),
])
def test_words_read_to_interval(words, expected):
    got = ends(words)
    assert got[2:] == expected[2:]
    for g, e in zip(got[:2], expected[:2], strict=True):
        assert g == pytest.approx(e) if e is not None else g is None


def test_a_step_of_its_own_needs_a_reason():
    with pytest.raises(QualifierError, match="needs a stated reason"):
        read("ca. 60.000", step=5000)
    r = read("ca. 60.000", step=5000, step_reason="the publisher writes to the nearest 5.000")
    assert (r.interval.low, r.interval.high) == (57500, 62500)
    assert "nearest 5.000" in r.explain("en")


def test_a_stated_reason_reads_in_the_readers_language():
    r = read("knap 200.000", step=10000,
             step_reason={"da": "som \"knap 250.000\" i samme sætning", "en": "like \"knap 250.000\" in the sentence"})
    assert (r.interval.low, r.interval.high) == (195000, 200000)
    assert "i samme sætning" in r.explain("da") and "in the sentence" not in r.explain("da")
    assert "in the sentence" in r.explain("en") and "samme" not in r.explain("en")
    # without its own step, "knap 200.000" is written to the hundred thousand
    assert (read("knap 200.000").interval.low, read("knap 200.000").interval.high) == (150000, 200000)


def test_explanations_in_both_languages():
    r = read("knap 250.000")
    assert r.explain("da") == "“knap 250.000”: det, der afrundes til tallet og ikke er over det (trin 10.000): 245.000–250.000"
    assert r.explain("en") == ("“knap 250.000”: what rounds to the number and is not above it (step 10,000): "
                               "245,000–250,000")


@pytest.mark.parametrize("words", ["", "knap", "ca. mange", "otte ud af fem", "3 ud af 0", "1.2.3"])
def test_words_that_are_not_a_number_are_refused(words):
    with pytest.raises(QualifierError):
        read(words)


def test_every_qualifier_word_has_a_rule():
    assert set(QUALIFIERS.values()) <= set(RULES)
    for word, rule in QUALIFIERS.items():
        assert read(f"{word} 100").qualifier == rule, word


def test_steps_as_written():
    assert [step_of(t) for t in ("250.000", "282.000", "1.433", "30", "7", "18,3", "7,80", "0")] == \
        [10000, 1000, 1, 10, 1, 0.1, 0.01, 1]


def danish(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(sorted(QUALIFIERS)))
def test_property_every_reading_is_on_the_right_side_of_its_number(n, word):
    r = read(f"{word} {danish(n)}")
    iv, rule = r.interval, r.qualifier
    assert r.number.value == n
    # the step is a power of ten no larger than the number, and n is a multiple of it
    assert r.step <= n and n % r.step == 0
    if rule in ("about", "just_under", "just_over", "as_written"):
        assert iv.low <= n <= iv.high and iv.high - iv.low <= r.step
    if rule == "just_under":
        assert iv.high == n
    if rule == "just_over":
        assert iv.low == n
    if rule in ("over", "under"):
        assert n not in iv
    if rule in ("at_least", "at_most"):
        assert n in iv


@given(st.text(max_size=30))
def test_property_any_text_reads_or_is_refused_in_one_line(text):
    try:
        r = read(text)
    except QualifierError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(r.interval, Interval)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_property_decimals_written_are_the_step(whole, decimals):
    text = str(whole) + ("," + "5" * decimals if decimals else "")
    n = written(text)
    if decimals:
        assert n.step == pytest.approx(10.0 ** -decimals)
    assert n.lo == pytest.approx(n.value - n.step / 2) and n.hi == pytest.approx(n.value + n.step / 2)
