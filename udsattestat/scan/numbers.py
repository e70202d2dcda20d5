"""Read the numbers in Danish prose: "250.000", "18,3", "1,5-2 %", "70-100.000",
"mellem 256 og 279", "fire pct.", "hver fjerde", "syv ud af ti", "halvdelen", "fordoblet".

Danish writes a thousands separator as a dot and the decimal mark as a comma, so "1.433"
is one thousand four hundred and thirty-three and "7,8" is seven point eight. A range that
ends in thousands may leave the first number short: "70-100.000" is 70.000 to 100.000.

Only reading happens here: what a number *is* in its sentence (a year, a page, a claim) is
decided by :mod:`udsattestat.scan.statements`. No project imports: a pure parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: one number as Danish writes it: thousands dots, an optional decimal comma
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_DASH = r"\s*[-–—]\s*"

#: number words, as counts ("fire pct.", "otte nye stationer"). "en"/"et" are left out:
#: they are the indefinite article far more often than the number one.
WORDS = {
    "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
    "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
    "sytten": 17, "atten": 18, "nitten": 19, "tyve": 20, "tredive": 30, "fyrre": 40,
    "halvtreds": 50, "tres": 60, "halvfjerds": 70, "firs": 80, "halvfems": 90, "hundrede": 100,
}
#: "hver fjerde" = one in four
ORDINAL_DENOMINATORS = {
    "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6, "syvende": 7,
    "ottende": 8, "niende": 9, "tiende": 10,
}
#: fractions written as words
FRACTION_WORDS = {"halvdelen": 0.5, "halvdel": 0.5, "tredjedel": 1 / 3, "tredjedele": 1 / 3,
                  "fjerdedel": 0.25, "fjerdedele": 0.25, "femtedel": 0.2}
#: multiplications written as verbs ("mere end fordoblet")
RATIO_WORDS = {"fordoblet": 2.0, "fordobling": 2.0, "tredoblet": 3.0, "tredobling": 3.0,
               "firdoblet": 4.0, "halveret": 0.5, "halvering": 0.5}
#: compounds of a number word and "-årig"/"-årige": "tiårig periode"
_AGE_WORD = re.compile(r"\b(" + "|".join(WORDS) + r"|en|et)(årig|årige|års)\b", re.I)


@dataclass(frozen=True)
class Number:
    """One number found in a text: where it is, how it was written and what it says."""

    start: int
    end: int
    text: str
    low: float
    high: float
    #: digits, word ("fire"), fraction ("hver fjerde", "7 ud af 10", "halvdelen"),
    #: ratio ("fordoblet")
    form: str = "digits"

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def value(self) -> float:
        return self.low if not self.is_range else (self.low + self.high) / 2


def parse_danish(text: str) -> float:
    """A number as Danish writes it ("250.000", "18,3", "1.079", "7") -> a float.

    Raises ValueError for anything else (an English "2.5" included: in Danish text a dot
    followed by fewer than three digits is not a thousands separator).
    """
    s = text.strip()
    if not re.fullmatch(_NUM, s):
        raise ValueError(f"{text!r} is not a number as Danish writes it (e.g. 250.000 or 18,3)")
    return float(s.replace(".", "").replace(",", "."))


def join_broken_numbers(text: str) -> str:
    """Mend numbers split over a line break by the layout: "250.\\n000" -> "250.000",
    "1,\\n5" -> "1,5". Only a dot or comma at the end of a line followed by digits at the
    start of the next is joined, so a sentence that ends in a year stays as it is."""
    text = re.sub(r"(?<![\d.,])(\d{1,3})\.[ \t]*\n\s*(\d{3})(?!\d)", r"\1.\2", text)
    return re.sub(r"(\d),[ \t]*\n\s*(\d)", r"\1,\2", text)


def _shares_magnitude(low_text: str, high_text: str, low: float, high: float) -> float:
    """ "70-100.000": the first number leaves out the thousands the second one has.

    Only when the second ends in whole thousands (".000") and the first, read in thousands,
    is below it and of its order of magnitude: "70-100.000" is 70.000–100.000, while
    "5-100.000" and "1-1.001" stay as written."""
    if "." in low_text or "," in low_text or not high_text.endswith(".000"):
        return low
    scaled = low * 1000
    return scaled if high / 10 <= scaled < high else low


_RANGE = re.compile(rf"(?<![\w.,])({_NUM}){_DASH}({_NUM})(?!\w|,\d|\.\d)")
_MELLEM = re.compile(rf"\bmellem\s+({_NUM})\s+og\s+({_NUM})(?!\w|,\d|\.\d)", re.I)
_SINGLE = re.compile(rf"(?<![\w.,])({_NUM})(?!\w|,\d|\.\d)")
_UD_AF = re.compile(r"\b(\d+|" + "|".join(WORDS) + r"|en|et)\s+ud\s+af\s+(\d+|" + "|".join(WORDS) + r")\b", re.I)
_HVER = re.compile(r"\bhver\s+(" + "|".join(ORDINAL_DENOMINATORS) + r")\b", re.I)
_FRACTION_WORD = re.compile(r"\b(" + "|".join(FRACTION_WORDS) + r")\b", re.I)
_RATIO_WORD = re.compile(r"\b(" + "|".join(RATIO_WORDS) + r")\b", re.I)
_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b(?!\s*[-–]\s*\d)", re.I)


def _word_value(word: str) -> float:
    w = word.lower()
    if w.isdigit():
        return float(w)
    return float(WORDS.get(w, 1))


def read_numbers(text: str) -> list[Number]:
    """Every number in ``text``, in order, ranges and fractions as one number each.

    Spans never overlap: a range is taken before its two ends, "7 ud af 10" before its
    digits, so "70-100.000" is one number (70.000–100.000) and not two.
    """
    found: list[Number] = []
    # which characters a number already holds: a look at its own span, never at every number
    # found so far (a table's line of thousands of numbers was quadratic)
    taken = bytearray(len(text))

    def add(n: Number) -> None:
        if not any(taken[n.start:n.end]):
            found.append(n)
            taken[n.start:n.end] = b"\x01" * (n.end - n.start)

    for m in _UD_AF.finditer(text):
        num, den = _word_value(m.group(1)), _word_value(m.group(2))
        if den:
            add(Number(m.start(), m.end(), m.group(0), num / den, num / den, "fraction"))
    for m in _HVER.finditer(text):
        v = 1 / ORDINAL_DENOMINATORS[m.group(1).lower()]
        add(Number(m.start(), m.end(), m.group(0), v, v, "fraction"))
    for m in _FRACTION_WORD.finditer(text):
        v = FRACTION_WORDS[m.group(1).lower()]
        add(Number(m.start(), m.end(), m.group(0), v, v, "fraction"))
    for m in _RATIO_WORD.finditer(text):
        v = RATIO_WORDS[m.group(1).lower()]
        add(Number(m.start(), m.end(), m.group(0), v, v, "ratio"))
    for pattern in (_MELLEM, _RANGE):
        for m in pattern.finditer(text):
            a_text, b_text = m.group(1), m.group(2)
            a, b = parse_danish(a_text), parse_danish(b_text)
            a = _shares_magnitude(a_text, b_text, a, b)
            if a < b:
                s = m.start(1) if pattern is _MELLEM else m.start()
                add(Number(s, m.end(), text[s:m.end()], a, b))
    for m in _SINGLE.finditer(text):
        v = parse_danish(m.group(1))
        add(Number(m.start(), m.end(), m.group(0), v, v))
    for m in _AGE_WORD.finditer(text):
        v = _word_value(m.group(1)) if m.group(1).lower() not in ("en", "et") else 1.0
        add(Number(m.start(), m.end(), m.group(0), v, v, "word"))
    for m in _WORD.finditer(text):
        v = float(WORDS[m.group(1).lower()])
        add(Number(m.start(), m.end(), m.group(0), v, v, "word"))
    return sorted(found, key=lambda n: n.start)
