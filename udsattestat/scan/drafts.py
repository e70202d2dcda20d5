"""TOML claim stubs for the statements a recipe leaves unchecked (``claims scan --draft``).

Each stub is marked ``draft = true``: ``build``, ``verify`` and ``recipe check`` refuse a
recipe that still holds one, so a guess never becomes a verdict unread. The check is the
qualifier rule's interval (:mod:`udsattestat.qualifiers`), the same rule the claim checker
uses, so a person edits a stub rather than writing the interval again.
"""

from __future__ import annotations

import json
import re

from .. import qualifiers
from .statements import Quantity, Statement

_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def _toml_str(text: str) -> str:
    # a TOML basic string is a JSON string (same escapes) for the characters we write
    return json.dumps(text, ensure_ascii=False)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 6))


def slug(statement: Statement, taken: set[str]) -> str:
    """ "p13-18-otte-nye-stationer": the page and the first words, unique in ``taken``."""
    page = re.sub(r"[^0-9]+", "-", statement.page).strip("-") or "p"
    words = re.findall(r"[a-zæøå0-9]+", statement.sentence.lower())
    words = [w.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") for w in words][:5]
    base = f"p{page}-" + "-".join(words) if words else f"p{page}"
    base = re.sub(r"-+", "-", base)[:60].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def check_for(q: Quantity) -> tuple[str | None, str]:
    """The check a quantity's wording implies, as TOML, and how it was read (for the comment)."""
    if q.shape == "rank":
        return None, "a rank: say how many places count as 'among the highest' (rank <= N) and why"
    if q.low != q.high:
        return (f"{{ op = \"between\", low = {_num(q.low)}, high = {_num(q.high)} }}",
                f"\"{q.qualifier + ' ' if q.qualifier else ''}{q.text}\": a range as written")
    words = f"{q.qualifier} {q.text}".strip() + (" %" if q.unit == "pct." else "")
    if q.shape == "ratio":
        # "mere end fordoblet": the multiple itself, sided by the qualifier's rule
        iv = qualifiers.interval(qualifiers.Number(q.low, q.low, q.low, 1.0), q.rule)
        if iv.low is not None and iv.high is not None:
            return None, f"\"{words}\": a multiple of {_num(q.low)} with no side; write the check and its tolerance"
        how = f"\"{words}\": {qualifiers.RULES[q.rule]['en']} ({_num(q.low)} times)"
    else:
        try:
            reading = qualifiers.read(words)
        except qualifiers.QualifierError as exc:
            return None, f"not read by the qualifier rule ({exc}); write the check by hand"
        iv, how = reading.interval, reading.explain("en")
    if iv.low is not None and iv.high is not None:
        toml = f"{{ op = \"between\", low = {_num(iv.low)}, high = {_num(iv.high)} }}"
    elif iv.low is not None:
        toml = f"{{ op = \"{'>' if iv.low_open else '>='}\", value = {_num(iv.low)} }}"
    else:
        toml = f"{{ op = \"{'<' if iv.high_open else '<='}\", value = {_num(iv.high)} }}"
    return toml, how


_MEASURE = {"level": "value", "share": "value", "fraction": "value", "range": "value", "change": "percent_change",
            "ratio": "ratio", "rank": "rank"}


def stub(statement: Statement, taken: set[str]) -> str:
    """One ``[[claim]]`` stub for a statement."""
    lines = ["[[claim]]", "draft = true", f"id = {_toml_str(slug(statement, taken))}",
             f"quote = {_toml_str(statement.sentence)}",
             f"page = {_toml_str(statement.page) if not statement.page.isdigit() else statement.page}"]
    if statement.indicator:
        lines.append(f"indicator = {_toml_str(statement.indicator)}  "
                     f"# guessed from the words: {', '.join(statement.indicator_words)}")
    else:
        lines.append("# indicator: none guessed (no dataset's keywords in the sentence); name one, "
                     "or write no_data = { da = \"…\", en = \"…\" } naming the publication that would settle it")
    years = _YEAR.findall(statement.sentence)
    first = statement.quantities[0] if statement.quantities else None
    if first is not None:
        measure = _MEASURE.get(first.shape, "value")
        lines.append(f"measure = {_toml_str(measure)}  # the shape read: {first.shape}")
        if measure in ("percent_change", "ratio", "difference") and len(years) >= 2:
            lines.append(f"from = {_toml_str(years[0])}")
            lines.append(f"to = {_toml_str(years[-1])}")
        elif years:
            lines.append(f"period = {_toml_str(years[-1])}  # the last year in the sentence")
        else:
            lines.append("# period: no year in the sentence; give the period the statement is about")
    for q in statement.quantities:
        toml, how = check_for(q)
        label = f"{q.qualifier} {q.text}".strip()
        if toml is None:
            lines.append(f"# {label}: {how}")
        elif q is first:
            lines.append(f"check = {toml}  # {how}")
        else:
            lines.append(f"# another number in the sentence, {label}: check = {toml}  ({how})")
    return "\n".join(lines) + "\n"


#: How a file of drafts begins: --draft replaces such a file, never another (a recipe).
DRAFTS_MARK = "# Drafts from `udsattestat claims scan"


def drafts(statements: list[Statement], recipe_path: str | None, report: str, taken: set[str]) -> str:
    """The TOML text of stubs for ``statements`` (the ones a recipe leaves)."""
    where = f"no claim or [[skip]] of {recipe_path} quotes" if recipe_path else "the report states"
    head = [
        f"{DRAFTS_MARK} {report}`: statements {where}.",
        "# Each is a guess. Check the quote, the indicator, the measure, the period and the check",
        "# against the report and the data, then delete `draft = true` (build, verify and",
        "# recipe check refuse a recipe with drafts). A statement not to be checked becomes a",
        "# [[skip]] with quote, page and reason = { da = \"…\", en = \"…\" } instead.",
        "",
    ]
    body = [stub(s, taken) for s in statements]
    return "\n".join(head) + "\n".join(body)
