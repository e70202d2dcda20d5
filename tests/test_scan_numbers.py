"""The Danish number reader of ``claims scan``: examples written by hand, then properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udsattestat.scan.numbers import join_broken_numbers, parse_danish, read_numbers


def danish(n: int) -> str:
    """An integer as Danish writes it: a dot between thousands."""
    return f"{n:,}".replace(",", ".")


def danish_decimal(x: float, places: int) -> str:
    whole, frac = f"{x:.{places}f}".split(".")
    return f"{danish(int(whole))},{frac}"


@pytest.mark.parametrize(("text", "expected"), [
    ("over 6.000 hjemløse", [("6.000", 6000, 6000, "digits")]),
    ("steget fra 12 procent i 2010 til 18,3 procent", [("12", 12, 12, "digits"), ("2010", 2010, 2010, "digits"),
                                                        ("18,3", 18.3, 18.3, "digits")]),
    # "70-100.000": the first number leaves out the thousands the second has
    ("(ca. 70-100.000 personer)", [("70-100.000", 70000, 100000, "digits")]),
    ("udgør 1,5-2 % gruppen", [("1,5-2", 1.5, 2, "digits")]),
    ("1,5–2 pct.", [("1,5–2", 1.5, 2, "digits")]),
    ("mellem 256 og 279 dødsfald", [("256 og 279", 256, 279, "digits")]),
    ("mellem 7,8 og 41 mia. kr.", [("7,8 og 41", 7.8, 41, "digits")]),
    ("knap syv ud af ti", [("syv ud af ti", 0.7, 0.7, "fraction")]),
    ("knap hver fjerde", [("hver fjerde", 0.25, 0.25, "fraction")]),
    ("over halvdelen", [("halvdelen", 0.5, 0.5, "fraction")]),
    ("mere end fordoblet", [("fordoblet", 2, 2, "ratio")]),
    ("lidt over fire pct.", [("fire", 4, 4, "word")]),
    ("Over en tiårig periode", [("tiårig", 10, 10, "word")]),
    # an English decimal point is not a Danish number
    ("2.5 gange", []),
    # a year range is read as a range (the scanner decides it is years)
    ("2020-2021", [("2020-2021", 2020, 2021, "digits")]),
])
def test_examples(text, expected):
    got = [(n.text, n.low, n.high, n.form) for n in read_numbers(text)]
    assert got == [(t, pytest.approx(lo), pytest.approx(hi), f) for t, lo, hi, f in expected]


def test_a_number_split_over_a_line_break_is_mended():
    assert [n.text for n in read_numbers(join_broken_numbers("knap 250.\n000 lever"))] == ["250.000"]
    assert [n.text for n in read_numbers(join_broken_numbers("steget til 18,\n3 procent"))] == ["18,3"]
    # a sentence ending in a number then a new line starting with digits stays two numbers
    assert [n.text for n in read_numbers(join_broken_numbers("i 2019.\n2020 var"))] == ["2019", "2020"]


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_dots_round_trip(n):
    assert parse_danish(danish(n)) == n
    assert [(x.low, x.high) for x in read_numbers(f"der var {danish(n)} personer")] == [(n, n)]


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=3),
       st.integers(min_value=0, max_value=999))
def test_decimal_comma_round_trip(whole, places, frac):
    text = f"{danish(whole)},{str(frac).zfill(3)[:places]}"
    value = float(f"{whole}.{str(frac).zfill(3)[:places]}")
    assert parse_danish(text) == pytest.approx(value)
    assert [n.low for n in read_numbers(f"steget til {text} procent")] == [pytest.approx(value)]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6),
       st.sampled_from(["-", "–", " - ", " – ", "—"]))
def test_ranges_with_dash_and_hyphen(a, gap, dash):
    b = a + gap
    found = read_numbers(f"mellem {danish(a)}{dash}{danish(b)} personer")
    assert len(found) == 1
    # the documented exception: "70-100.000" leaves the first number's thousands out
    shared = a < 1000 and danish(b).endswith(".000") and b / 10 <= a * 1000 < b
    assert (found[0].low, found[0].high) == ((a * 1000 if shared else a), b)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=9), st.booleans())
def test_decimal_ranges_like_1_5_2_pct(whole, tenth, en_dash):
    low = f"{whole},{tenth}"
    text = f"{low}{'–' if en_dash else '-'}{whole + 1} pct."
    (n,) = read_numbers(text)
    assert (n.low, n.high) == (pytest.approx(whole + tenth / 10), whole + 1)


@given(st.integers(min_value=1000, max_value=10**9))
def test_split_over_a_line_break(n):
    text = danish(n)
    cut = text.index(".") + 1  # the layout broke the line after the first thousands dot
    broken = f"der var {text[:cut]}\n{text[cut:]} personer"
    assert [x.low for x in read_numbers(join_broken_numbers(broken))] == [n]


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,-– aoefiræøåtl%\n")), max_size=60))
def test_reading_is_total_and_spans_do_not_overlap(text):
    found = read_numbers(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for n in found:
        assert text[n.start:n.end] == n.text
        assert n.low <= n.high


@given(st.text(max_size=20))
def test_parse_danish_accepts_only_danish_numbers(text):
    try:
        value = parse_danish(text)
    except ValueError:
        return
    assert value >= 0
    assert text.strip()[0].isdigit()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.,-–#*:()<>/\n\f %\"”“'ærøåSsidepkaIDNHOLtfx") +
                                ["ca. ", "knap ", "hver fjerde", "S. 3 ", "## INDHOLD\n", "<sup>1</sup>",
                                 "https://x.dk/2019", "ISBN 978-87-1", "'erne", "-årige", " ud af ti", "\n\n"]),
                max_size=80).map("".join))
def test_scanning_any_text_is_total(text):
    """Whatever the text, the scan gives statements and set-apart numbers, never an exception;
    every number it reads is either in a statement or set apart."""
    from udsattestat.scan.document import parse_document
    from udsattestat.scan.statements import scan_document

    result = scan_document(parse_document(text))
    for s in result.statements:
        assert s.quantities and s.sentence
    for a in result.set_apart:
        assert a.reason


def test_a_line_of_thousands_of_numbers_is_read_whole():
    """A table flattened to one line (a PDF's, say) is thousands of numbers with no full stop:
    each is read, none overlaps, and a number reads the same there as in a sentence of its own."""
    from udsattestat.scan import statements
    from udsattestat.scan.document import parse_document

    line = "Der er 250.000 fattige " * 20_000 + "og nu knap 6.000 hjemløse i 2019"
    numbers = read_numbers(line)
    assert len(numbers) == 20_002
    assert all(a.end <= b.start for a, b in zip(numbers, numbers[1:], strict=False))

    seen: list[int] = []
    reason = statements._reason

    def spy(sentence, n, block):
        seen.append(len(sentence))
        return reason(sentence, n, block)

    with pytest.MonkeyPatch.context() as mp:
        # each number's reading looks at the words around it, not the whole line again
        mp.setattr(statements, "_reason", spy)
        long = statements.scan_document(parse_document(line))
    assert max(seen) <= 2 * statements._TAIL + len("250.000")
    alone = statements.scan_document(parse_document("og nu knap 6.000 hjemløse i 2019"))
    last = long.statements[0].quantities[-1]
    assert (last.text, last.qualifier, last.unit, last.shape) == \
        tuple(getattr(alone.statements[0].quantities[0], k) for k in ("text", "qualifier", "unit", "shape"))
    assert [a.reason for a in long.set_apart] == ["year"]
