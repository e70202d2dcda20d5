"""What a number quoted in Danish stands for: one rule from its wording to an interval.

A report writes "knap 250.000", "ca. 60.000", "godt 36.000", "over 6.000", "56%",
"knap hver fjerde", "syv ud af ti". Every claim kind reads such words through
:func:`read` (the words) or :func:`interval` (a number and its qualifier), so one quoted
number has one interval wherever it is used. The rule, in two steps:

1. **The number as written** stands for the values that round to it (:func:`written`).
   Its *step* is the place of its last non-zero digit, or of its last written decimal:
   "250.000" → 10.000 (245.000–255.000), "282.000" → 1.000, "1.433" → 1, "56" → 1,
   "30" → 10, "18,3" → 0,1, "7,8" → 0,1. A fraction in words is the share it names:
   "syv ud af ti" is 70 % to the tenth (65–75 %); "hver fjerde" is 25 %, standing for the
   shares nearer to a quarter than to a third or a fifth (22,5–29,2 %); "halvdelen" is
   50 % read like the number 50 (45–55 %).
2. **The qualifier** takes a part of that, or a side of the number (:data:`QUALIFIERS`):
   no word, "ca.", "omkring", "cirka", "omtrent" → the whole rounding interval;
   "knap", "næsten", "små", "op mod" → the part under the number (245.000–250.000);
   "godt", "lidt over", "godt og vel" → the part over it (250.000–255.000);
   "over", "mere end", "flere end" → above it (open); "mindst" → at or above;
   "under", "mindre end", "færre end" → below it (open); "højst" → at or below.

A claim may give its own step (``step``) only with a stated reason (e.g. the publisher
says "to the nearest 5.000"); the reading then says so.

The module imports nothing from the project: other parts (the claim checker, the claims
scanner) import it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Danish qualifier words (lower case, as they precede the number) -> the rule's name.
QUALIFIERS: dict[str, str] = {
    "ca.": "about", "ca": "about", "cirka": "about", "omkring": "about", "omtrent": "about",
    "om lag": "about", "i omegnen af": "about", "rundt regnet": "about", "≈": "about",
    "knap": "just_under", "knapt": "just_under", "næsten": "just_under", "små": "just_under",
    "lidt under": "just_under", "op mod": "just_under",
    "godt": "just_over", "godt og vel": "just_over", "lidt over": "just_over", "lidt mere end": "just_over",
    "over": "over", "mere end": "over", "flere end": "over", "højere end": "over", "større end": "over",
    "mindst": "at_least", "minimum": "at_least", "min.": "at_least", "i hvert fald": "at_least",
    "under": "under", "mindre end": "under", "færre end": "under", "lavere end": "under",
    "højst": "at_most", "maksimalt": "at_most", "max.": "at_most", "op til": "at_most",
}
#: Each rule's meaning, for docs and readings (the number's rounding interval is [lo, hi]).
RULES: dict[str, dict[str, str]] = {
    "as_written": {"en": "what rounds to the number", "da": "det, der afrundes til tallet"},
    "about": {"en": "what rounds to the number", "da": "det, der afrundes til tallet"},
    "just_under": {"en": "what rounds to the number and is not above it",
                   "da": "det, der afrundes til tallet og ikke er over det"},
    "just_over": {"en": "what rounds to the number and is not below it",
                  "da": "det, der afrundes til tallet og ikke er under det"},
    "over": {"en": "more than the number", "da": "mere end tallet"},
    "at_least": {"en": "the number or more", "da": "tallet eller mere"},
    "under": {"en": "less than the number", "da": "mindre end tallet"},
    "at_most": {"en": "the number or less", "da": "tallet eller mindre"},
}

# Number words a report writes out ("fire pct.", "syv ud af ti").
_CARDINALS = {
    "en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
    "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tyve": 20, "tredive": 30, "fyrre": 40,
    "halvtreds": 50, "tres": 60, "halvfjerds": 70, "firs": 80, "halvfems": 90, "hundrede": 100,
    # a multiple ("mere end fordoblet": a ratio above 2)
    "fordoblet": 2, "tredoblet": 3, "firdoblet": 4,
}
# "hver anden", "hver fjerde": one in k.
_ORDINALS = {"anden": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6, "syvende": 7,
             "ottende": 8, "niende": 9, "tiende": 10}
_PERCENT = re.compile(r"\s*(%|pct\b|procent)", re.IGNORECASE)
_NUMBER = re.compile(r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[-−]?\d+(?:,\d+)?")


class QualifierError(ValueError):
    """Words that do not read as one quoted number."""


@dataclass(frozen=True)
class Interval:
    """The values a quoted number allows; ``None`` is unbounded, ``*_open`` excludes the end."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, x: float) -> bool:
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return False
        return not (self.high is not None and (x > self.high or (self.high_open and x == self.high)))


@dataclass(frozen=True)
class Number:
    """A number as written: its value and the interval of values that round to it."""

    value: float
    lo: float
    hi: float
    step: float
    percent: bool = False  # written as a per cent or a fraction: the value is in per cent
    #: how the interval was found, when it is not a step ("nearer to 1/4 than to 1/5 or 1/3")
    basis: tuple[str, str] | None = None  # (en, da)


@dataclass(frozen=True)
class Reading:
    """Quoted words read by the rule: the number, its qualifier and the interval they allow."""

    words: str
    number: Number
    qualifier: str  # a key of RULES
    interval: Interval
    #: why a claim set its own step, as (en, da): the reader sees it in the output's language
    step_reason: tuple[str, str] | None = None

    @property
    def step(self) -> float:
        return self.number.step

    def explain(self, lang: str = "en") -> str:
        """'"knap 250.000": what rounds to the number and is not above it, 245.000–250.000'."""
        iv = self.interval
        if iv.low is not None and iv.high is not None:
            span = f"{fmt(iv.low, lang)}–{fmt(iv.high, lang)}"
        elif iv.low is not None:
            span = ("> " if iv.low_open else "≥ ") + fmt(iv.low, lang)
        else:
            span = ("< " if iv.high_open else "≤ ") + fmt(iv.high, lang)
        unit = " %" if self.number.percent else ""
        if self.number.basis:
            basis = self.number.basis[lang == "da"]
        else:
            basis = f"{ {'en': 'step', 'da': 'trin'}[lang]} {fmt(self.step, lang)}{unit}"
        why = f"; {self.step_reason[lang == 'da']}" if self.step_reason else ""
        return f"“{self.words}”: {RULES[self.qualifier][lang]} ({basis}{why}): {span}{unit}"


def fmt(x: float, lang: str = "en") -> str:
    """Danish or English digits (250.000 / 250,000; 18,3 / 18.3), without float noise."""
    x = round(float(x), 2 if abs(x) >= 1 else 6)
    decimals = len(f"{x:.6f}".rstrip("0").split(".")[1])
    text = f"{x:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", "−")


def step_of(text: str) -> float:
    """The rounding step a number's writing shows: its last written decimal, else the place
    of its last non-zero digit ("250.000" → 10000, "1.433" → 1, "18,3" → 0.1, "0" → 1)."""
    digits = text.strip().lstrip("-−")
    if "," in digits:
        return 10.0 ** -len(digits.split(",", 1)[1])
    whole = digits.replace(".", "")
    stripped = whole.rstrip("0")
    return 10.0 ** (len(whole) - len(stripped)) if stripped else 1.0


def parse_number(text: str) -> float:
    """A number as Danish writes it: "250.000" → 250000, "18,3" → 18.3, "−4" → -4."""
    t = text.strip().replace("−", "-")
    if not _NUMBER.fullmatch(t):
        raise QualifierError(f"{text!r} is not a number as Danish writes it (e.g. 250.000 or 18,3)")
    return float(t.replace(".", "").replace(",", "."))


def written(text: str, step: float | None = None) -> Number:
    """The number at the start of ``text`` — digits, a number word, or a fraction in words —
    and its rounding interval; a noun after it ("60.000 børn") is the unit, not read."""
    t = " ".join(text.strip().lower().split())
    m = re.match(r"hver (\w+)", t)
    if m and m.group(1) in _ORDINALS:
        k = _ORDINALS[m.group(1)]
        if step is not None:
            return _around(100.0 / k, step, True)
        # the shares nearer to 1/k than to its neighbours 1/(k+1) and 1/(k-1) (1/1 for k = 2)
        lo, hi = 50.0 * (1 / k + 1 / (k + 1)), 50.0 * (1 / k + 1 / (k - 1))
        basis = (f"nearer to 1/{k} than to 1/{k + 1} or 1/{k - 1}", f"nærmere 1/{k} end 1/{k + 1} og 1/{k - 1}")
        return Number(100.0 / k, lo, hi, hi - lo, True, basis)
    m = re.match(r"(\S+) ud af (\S+)", t)
    if m:
        a, b = _count(m.group(1)), _count(m.group(2))
        if not b or a > b:
            raise QualifierError(f"{text!r}: {m.group(0)!r} is not a share")
        return _around(100.0 * a / b, step if step is not None else 100.0 / b, True)
    if t.startswith("halvdelen"):
        return _around(50.0, step if step is not None else 10.0, True)
    m = _NUMBER.match(t)
    if m:
        digits, rest = m.group(0), t[m.end():]
        if rest and rest[0] not in " %":
            raise QualifierError(f"{text!r}: {digits + rest.split(' ')[0]!r} is not a number as Danish writes it "
                                 "(e.g. 250.000 or 18,3)")
        value, shown = parse_number(digits), step_of(digits)
    else:
        word, _, rest = t.partition(" ")
        if word not in _CARDINALS:
            raise QualifierError(f"{text!r} does not start with a number, a number word or a fraction")
        rest = " " + rest
        value = float(_CARDINALS[word])
        shown = step_of(str(int(value)))
    return _around(value, step if step is not None else shown, bool(_PERCENT.match(rest)))


def _count(word: str) -> float:
    if word in _CARDINALS:
        return float(_CARDINALS[word])
    if not _NUMBER.fullmatch(word):
        raise QualifierError(f"{word!r} is not a number or a number word")
    return parse_number(word)


def _around(value: float, step: float, percent: bool) -> Number:
    if not step > 0:
        raise QualifierError(f"a rounding step must be above 0, not {step!r}")
    return Number(value, value - step / 2, value + step / 2, step, percent)


def interval(number: Number, qualifier: str) -> Interval:
    """The interval a written number allows under a qualifier (a key of :data:`RULES`)."""
    v, lo, hi = number.value, number.lo, number.hi
    rules = {
        "as_written": Interval(lo, hi), "about": Interval(lo, hi),
        "just_under": Interval(lo, v), "just_over": Interval(v, hi),
        "over": Interval(v, None, low_open=True), "at_least": Interval(v, None),
        "under": Interval(None, v, high_open=True), "at_most": Interval(None, v),
    }
    if qualifier not in rules:
        raise QualifierError(f"unknown qualifier rule {qualifier!r}; known: {', '.join(rules)}")
    return rules[qualifier]


def split_qualifier(words: str) -> tuple[str, str]:
    """("knap", "250.000") from "knap 250.000"; ("", "56%") when there is no qualifier word."""
    t = " ".join(words.strip().split())
    low = t.lower()
    for word in sorted(QUALIFIERS, key=len, reverse=True):  # "godt og vel" before "godt"
        if low.startswith(word + " ") or (word == "≈" and low.startswith(word)):
            return t[:len(word)], t[len(word):].strip()
    return "", t


def read(words: str, step: float | None = None,
         step_reason: str | Mapping[str, str] | None = None) -> Reading:
    """Read quoted words ("knap 250.000", "over halvdelen", "knap hver fjerde", "56%").

    ``step`` overrides the step the writing shows; a claim that does so must say why
    (``step_reason``: one text, or ``{"da": …, "en": …}``), and the reading carries the
    reason in both languages.
    """
    if step is not None and not step_reason:
        raise QualifierError(f"{words!r}: a step of its own ({step}) needs a stated reason")
    word, rest = split_qualifier(words)
    if not rest:
        raise QualifierError(f"{words!r} has no number after {word!r}")
    qualifier = QUALIFIERS[word.lower()] if word else "as_written"
    number = written(rest, step)
    return Reading(" ".join(words.split()), number, qualifier, interval(number, qualifier),
                   _both(step_reason) if step is not None else None)


def _both(reason: str | Mapping[str, str]) -> tuple[str, str]:
    """A reason as (en, da); one text, or one language given, serves both."""
    if isinstance(reason, str):
        return reason, reason
    en = reason.get("en") or reason.get("da")
    return en, reason.get("da") or en
