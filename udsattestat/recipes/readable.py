"""A claim's result in plain words, for every place a reader meets it (the terminal's
summary, the page's one-line claims, claims.md): what the data say against what the claim
says, a check in words ("mere end 500.000", not "> 500.000"), the verdicts in the order a
reader wants them (what fails first, "no data" last)."""

from __future__ import annotations

import re

from ..presentation import MEASURE_NAMES
from ..presentation import TERMINAL_WORDS as WORDS
from ..verdicts import AGREE, DISAGREE, FAILS, HOLDS, NO_DATA, NOT_COMPARABLE, REVISED, UNDECIDED

#: Verdicts a reader must see first, in this order (the report's figures disagreeing with
#: each other beside the fails), then the rest; "no data" last.
ORDER = (FAILS, DISAGREE, REVISED, UNDECIDED, NOT_COMPARABLE, HOLDS, AGREE, NO_DATA)
FIRST = ORDER[:5]

#: A check's operator in words ("== 100.000" reads "lig med 100.000").
OPERATORS = {"da": {"==": "lig med", ">=": "mindst", "<=": "højst", ">": "mere end", "<": "mindre end", "!=": "ikke"},
             "en": {"==": "equal to", ">=": "at least", "<=": "at most", ">": "more than", "<": "less than", "!=": "not"}}


#: ``between(a, b)`` in words: the total of two groups lies between their values
BETWEEN = {"da": "i alt (mellem {a} og {b})", "en": "the total (between {a} and {b})"}


def check_words(text: str, lang: str) -> str:
    """A check as a reader says it: "== 100.000" -> "lig med 100.000", "> 0" -> "mere end 0"."""
    for op, words in sorted(OPERATORS[lang].items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"(^|\s){re.escape(op)}\s*", rf"\g<1>{words} ", text)
    return text.strip()


def measure_name(c, lang: str) -> str:
    """The measure in words; for arithmetic, the formula in the reader's words (each
    number's ``label``, where the recipe gives one)."""
    if c.measure not in ("stated", "formula"):
        series = c.text("series", lang)
        return MEASURE_NAMES[lang][c.measure] + (f" ({series})" if series else "")
    labels = {name: n["label"][lang] for name, n in (c.numbers or {}).items() if n.get("label")}
    signs = {"*": " × ", "/": " / ", "-": " − ", "+": " + "}

    def word(m) -> str:
        if m.group(1):  # between(a, b), a total of two groups: in words, not a programmer's notation
            return BETWEEN[lang].format(a=labels.get(m.group(1), m.group(1)), b=labels.get(m.group(2), m.group(2)))
        return signs.get(m.group(0)) or labels.get(m.group(0), m.group(0))

    text = re.sub(r"between\(\s*(\w+)\s*,\s*(\w+)\s*\)|[A-Za-z_]\w*|[*/+-]", word, c.formula)
    return re.sub(r"\s+", " ", text).strip()


def reason(r, lang: str) -> str:
    """What the data say, in one short line: the deciding view's number and the check."""
    from .claims import NO_DATA, NOT_COMPARABLE, describe_checks, describe_measure, no_data_text

    c = r.claim
    views = [v for _k, v in r.views()]
    if r.verdict == NOT_COMPARABLE:
        return c.text("not_comparable", lang) or ""
    if r.verdict == NO_DATA and (c.no_data or not views):
        return no_data_text(c, lang) if c.no_data else (views[-1].reason_in(lang) if views else "")
    if not c.checks or not views:
        return ""
    view = views[-1]  # the latest data (or the report's own numbers)
    if view.measure is None:
        return view.reason_in(lang)
    measure = plain_measure(describe_measure(c, view.measure, lang))
    # a consistency check sets two of the report's figures against each other: its bounds may
    # be the claim's words ("over 500.000") or the other figure ("ca. 70-100.000"), so say neither
    says = WORDS[lang]["says_consistency" if r.kind == "consistency" else "says"]
    return f"{measure_name(c, lang)} {measure}; {says}: {check_words(describe_checks(c, lang), lang)}"


def plain_measure(text: str) -> str:
    """A measure as a reader writes it: a range without brackets ("31.912–35.312")."""
    return text.replace("[", "").replace("]", "")


def in_order(results) -> list:
    """The results in the reader's order of verdicts; the recipe's order within one."""
    rank = {v: i for i, v in enumerate(ORDER)}
    return sorted(results, key=lambda r: rank.get(r.verdict, len(ORDER)))
