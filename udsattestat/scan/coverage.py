"""Which of a report's numerical statements a recipe checks, which it sets apart, which are left.

A claim covers a statement when it quotes it: the claim's ``quote`` and the statement share a
number as written ("6.000", "knap 250.000", "hver fjerde") and most of the quote's words.
Quotes are written by people (a headline and its caption may be joined with a dash), so
the match is by words, not by exact text; the words must still be the report's.
A ``[[skip]]`` entry covers a statement the same way and carries the reason it is not
checked (a rule of law, the report's own example). What neither covers is *left*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import read_numbers
from .statements import Statement

#: short words that say little about which sentence is meant
_STOP = {"af", "at", "de", "den", "der", "det", "en", "er", "et", "for", "fra", "har", "i", "med", "og", "om", "på",
         "som", "til", "var", "vi", "the", "of", "and", "in", "to", "a"}
#: how much of a quote's words a statement must hold
MIN_SHARE = 0.6


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\wæøåÆØÅ%]+(?:[.,]\d+)*", text.casefold()) if w not in _STOP]


def _number_tokens(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", n.text.casefold()) for n in read_numbers(text)}


class _Side:
    """A statement's words and numbers, read once for all the quotes matched against it."""

    def __init__(self, statement: Statement):
        self.numbers = _number_tokens(statement.sentence) | {q.text.casefold() for q in statement.quantities}
        # a headline's words count too: "TILGANG 01: … — 4% af befolkningen" quotes the heading and the figure
        self.words = set(_words(statement.sentence)) | set(_words(statement.heading))


def covers(quote: str, statement: Statement) -> bool:
    """Does a claim's quote (or a skip's) point at this statement?"""
    return match_share(quote, statement) >= MIN_SHARE


def match_share(quote: str, statement: Statement | _Side) -> float:
    """The share of a quote's words the statement holds; 0 when they share no number."""
    side = statement if isinstance(statement, _Side) else _Side(statement)
    return _share(_number_tokens(quote), _words(quote), side)


def _share(q_numbers: set[str], q_words: list[str], side: _Side) -> float:
    if not q_words or (q_numbers and not (q_numbers & side.numbers)):
        return 0.0
    return sum(w in side.words for w in q_words) / len(q_words)


@dataclass
class Coverage:
    #: statement index -> the claim ids that check it
    checked: dict[int, list[str]] = field(default_factory=dict)
    #: statement index -> draft claims (``draft = true``) that quote it: not checked yet
    drafted: dict[int, list[str]] = field(default_factory=dict)
    #: statement index -> the skip's reason (da/en)
    skipped: dict[int, dict[str, str]] = field(default_factory=dict)
    left: list[int] = field(default_factory=list)
    #: claims whose quote matches no statement of the report (a paraphrase, or another page)
    unmatched_claims: list[str] = field(default_factory=list)
    unmatched_skips: list[str] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return len(self.checked) + len(self.skipped)


def _best(quote: str, sides: list[_Side]) -> list[int]:
    """The statements a quote points at: those sharing the most of its words (at least
    :data:`MIN_SHARE`), so a quote of p. 21 does not also cover a like sentence of p. 7.
    A quote with an ellipsis ("… 10% … andelen 6%") quotes each of its pieces."""
    # a piece of two words ("2010 til", "2017") says too little to point at a sentence alone
    pieces = [p for p in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if len(_words(p)) >= 3]
    if len(pieces) > 1 or (pieces and ("…" in quote or "..." in quote)):
        return sorted({i for p in pieces for i in _best(p, sides)})
    q_numbers, q_words = _number_tokens(quote), _words(quote)
    shares = [_share(q_numbers, q_words, side) for side in sides]
    top = max(shares, default=0.0)
    if top < MIN_SHARE:
        return []
    return [i for i, share in enumerate(shares) if share == top]


def coverage(statements: list[Statement], recipe) -> Coverage:
    """Match a recipe's claims and skips against the scanned statements."""
    cov = Coverage()
    sides = [_Side(s) for s in statements]
    for claim in recipe.claims:
        hits = _best(claim.quote, sides)
        if not hits:
            cov.unmatched_claims.append(claim.id)
        for i in hits:
            (cov.drafted if claim.draft else cov.checked).setdefault(i, []).append(claim.id)
    for i in list(cov.drafted):
        if i in cov.checked:  # a real claim covers it already
            del cov.drafted[i]
    for skip in getattr(recipe, "skips", []):
        hits = _best(skip.quote, sides)
        if not hits:
            cov.unmatched_skips.append(skip.quote)
        for i in hits:
            if i not in cov.checked:
                cov.skipped.setdefault(i, skip.reason)
    cov.left = [i for i in range(len(statements))
                if i not in cov.checked and i not in cov.skipped and i not in cov.drafted]
    return cov
