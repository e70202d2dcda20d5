"""Every numerical statement of a report, and every number that is not one, with its reason.

A *statement* is a sentence that states at least one quantity: "Den seneste hjemløsetælling
i 2019 viste, at der var over 6.000 hjemløse, hvilket er knap 30 procent højere end i 2009".
Each quantity is read with its Danish qualifier (the words of
:data:`udsattestat.qualifiers.QUALIFIERS`: "over", "knap", …), its unit, and its shape
(level, share, change, ratio, rank, fraction, range). Numbers that only place or label
something — the year 2019 above, a page, a note, an ISBN, list numbering, an age in a
person's story — are *set apart*, each with the rule that did it, so a reader can see that
nothing was dropped silently.

The rules are patterns of Danish report prose, kept here in one place; the words that point
a sentence to an indicator are data (``keywords`` in each dataset.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..qualifiers import QUALIFIERS
from .document import Block, Document
from .numbers import Number, read_numbers

#: why a number is not a claim: code -> {en, da}
REASONS: dict[str, dict[str, str]] = {
    "year": {"en": "a year (a date, not a quantity)", "da": "et årstal (en tid, ikke en mængde)"},
    "decade": {"en": "a decade", "da": "et årti"},
    "note": {"en": "a note number", "da": "et notenummer"},
    "citation": {"en": "part of a citation or source line", "da": "del af en kildehenvisning"},
    "url": {"en": "part of a web address", "da": "del af en webadresse"},
    "isbn": {"en": "an ISBN", "da": "et ISBN"},
    "page": {"en": "a page number", "da": "et sidetal"},
    "toc": {"en": "the table of contents", "da": "indholdsfortegnelsen"},
    "numbering": {"en": "the number of a chapter, figure, table or list item",
                  "da": "nummeret på et kapitel, en figur, en tabel eller et punkt"},
    "age": {"en": "an age (who is meant, not how many)", "da": "en alder (hvem der menes, ikke hvor mange)"},
    "ordinal": {"en": "an ordinal (\"2. verdenskrig\", \"hver 3.-4. uge\")",
                "da": "et ordenstal (\"2. verdenskrig\", \"hver 3.-4. uge\")"},
    "title": {"en": "part of a title", "da": "del af en titel"},
    "time": {"en": "a time of day or week", "da": "et klokkeslæt eller tidsrum på dagen"},
    "structure": {"en": "counts the text's own parts or examples (\"fire forudsætninger\", \"de to nederste trin\")",
                  "da": "tæller tekstens egne dele eller eksempler (\"fire forudsætninger\", \"de to nederste trin\")"},
    "quote": {"en": "in a person's quoted words", "da": "i en persons citerede ord"},
    "span": {"en": "a span of time in an argument (\"om ti år\")", "da": "et tidsrum i en argumentation (\"om ti år\")"},
    "remark": {"en": "a remark on a figure's arithmetic (shares that do not add up to 100 %)",
               "da": "en bemærkning om en figurs tal (andele, der ikke summerer til 100 %)"},
}
#: the reasons in a few words, for a summary line
SHORT = {
    "en": {"year": "years", "decade": "decades", "note": "notes", "citation": "citations", "url": "web addresses",
           "isbn": "ISBNs", "page": "pages", "toc": "contents", "numbering": "numbering", "age": "ages",
           "ordinal": "ordinals", "title": "titles", "time": "times of day", "structure": "the text's own parts",
           "quote": "quoted words", "span": "time spans", "remark": "remarks"},
    "da": {"year": "årstal", "decade": "årtier", "note": "noter", "citation": "kilder", "url": "webadresser",
           "isbn": "ISBN", "page": "sidetal", "toc": "indhold", "numbering": "nummerering", "age": "aldre",
           "ordinal": "ordenstal", "title": "titler", "time": "klokkeslæt", "structure": "tekstens egne dele",
           "quote": "citater", "span": "tidsrum", "remark": "bemærkninger"},
}
SHAPES = ("level", "share", "change", "ratio", "rank", "fraction", "range")

#: people-counting nouns: their numbers are counts of persons
_PERSONS = ("personer", "person", "mennesker", "borgere", "hjemløse", "børn", "voksne", "unge", "danskere",
            "medlemmer", "fattige", "modtagere", "respondenter", "deltagere", "brugere", "kvinder", "mænd",
            "indbyggere", "beboere", "elever", "patienter", "ansatte", "medarbejdere", "persons", "people")
_UNIT = re.compile(
    r"\s*(?P<u>%|pct\.?|procentpoint|procent(?:point)?|mia\.\s*kr\.?|mio\.\s*kr\.?|milliarder\s+kroner|"
    r"millioner\s+kroner|kr\.?|kroner|årige|årig|år\b|-?årige|-?årig|"
    r"[a-zæøå][a-zæøå-]{2,})", re.I)
_CHANGE_AFTER = re.compile(r"^\s*(?:%|pct\.?|procent(?:point)?|personer|[a-zæøå]+)?\s*"
                           r"(højere|lavere|flere|færre|mere|mindre|større)\b", re.I)
_CHANGE_BEFORE = re.compile(r"(stigning|fald|vækst|reduktion|nedgang|øgning)\s+på\s*$|"
                            r"(steget|faldet|øget|reduceret|vokset)\s+med\s*$", re.I)
_RANK = re.compile(r"\bblandt\s+de\b[^.;]{0,80}?\b(højeste|laveste|største|mindste|flest|færreste|"
                   r"bedste|dårligste|værste)\b", re.I)
_ABBREV = ("ca", "pct", "kr", "mia", "mio", "fx", "bl.a", "s", "nr", "f.eks", "m.fl", "jf", "dvs", "evt", "inkl",
           "ift", "mv", "osv", "anm", "ang", "bl", "etc", "vedr", "hhv", "kl", "min", "max", "tlf", "ref", "p")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“”(]?[A-ZÆØÅ0-9])|(?<=[a-zæøå]{3}\.)\s+(?=(?:at|men|og|så)\s)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_ISBN = re.compile(r"\bISBN[:\s]*[\d-]{10,17}", re.I)
_QUOTED_TITLE = re.compile(r"(?:hæftet|rapporten|bogen|notatet|undersøgelsen|studiet|titlen|publikationen|"
                           r"artiklen|inspirationshæftet|litteraturstudiet)\s*[”“\"]([^”“\"]+)[”“\"]", re.I)
_SOURCE_PAREN = re.compile(r"\((?:kilde|kilder|source|sources)\s*:[^)]*\)"
                           r"|\([^()]*\b(?:19|20)\d\d[a-z]?\s*[:,]\s*(?:s\.\s*)?\d+(?:\s*[-–]\s*\d+)?\s*\)", re.I)
_PAGE_BEFORE = re.compile(r"\b(?:s\.|side|sider|sidst på side|p\.|pp\.)\s*$", re.I)
_NUMBERING_BEFORE = re.compile(r"\b(?:tilgang|forudsætning|kapitel|kapitlerne|afsnit|figur|fig\.|tabel|bilag|"
                               r"anbefaling|punkt|nr\.|note|noterne|bind|udgave)\s*$", re.I)
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:års?-?alderen|årige|årig)\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:unge|børn|personer|mennesker|folk|voksne|kvinder|mænd|drenge|piger)\s+"
                         r"(?:under|over|mellem|på|i alderen|fra)\s*$|\b(?:som|da\s+\w+\s+var)\s*$", re.I)
_STORY_AGE = re.compile(r"[A-ZÆØÅ][a-zæøå]+\s*(?:,\s*|\s+på\s+|\s*\()\s*$")
_TIME = re.compile(r"^(?:24\s*[-/]\s*7|(?:[6-9]|1[0-2])\s*-\s*(?:1[4-9]|2[0-2]))$")
#: nouns for the parts of a text or an argument: "fire forudsætninger", "tre eksempler"
_STRUCTURE_NOUNS = ("forudsætning", "vej", "veje", "område", "eksempl", "faktor", "tilgang", "anbefaling", "kapit",
                    "dele", "del", "spørgsmål", "punkt", "problemstilling", "perspektiv", "tema", "ting", "måde",
                    "niveau", "element", "princip", "forandring", "ønske", "indsats", "spor", "rettighed", "forhold")
_DEFINITE = re.compile(r"\b(de|disse|begge|alle|vores|hans|hendes|deres)\s*$", re.I)
_SPAN_BEFORE = re.compile(r"\b(efter|om|inden for|i løbet af)\s*$", re.I)
_FUNCTION_WORDS = {"til", "og", "i", "at", "der", "som", "fra", "mod", "af", "på", "for", "med", "er", "har", "om",
                   "eller", "men", "end", "den", "det", "de", "en", "et", "var", "blev", "kan", "vil", "skal", "så"}
_REMARK = re.compile(r"summer\w*[^.]{0,40}$", re.I)


@dataclass
class Quantity:
    """One number in a statement, read."""

    text: str
    low: float
    high: float
    qualifier: str  # the Danish word(s) before it, as written ("knap", "lidt over"), or ""
    rule: str  # the qualifier's rule in udsattestat.qualifiers (about, just_under, …) or as_written
    unit: str
    shape: str

    def as_dict(self) -> dict:
        return {"text": self.text, "low": self.low, "high": self.high, "qualifier": self.qualifier,
                "rule": self.rule, "unit": self.unit, "shape": self.shape}


@dataclass
class Statement:
    """A sentence of the report that states at least one quantity."""

    page: str
    line: int
    sentence: str
    quantities: list[Quantity]
    indicator: str | None = None
    indicator_words: list[str] = field(default_factory=list)
    #: the nearest heading above it ("TILGANG 01: VIVES FÆLLESSKABSMÅLING 2017")
    heading: str = ""

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "heading": self.heading, "sentence": self.sentence,
                "quantities": [q.as_dict() for q in self.quantities], "indicator": self.indicator,
                "indicator_words": self.indicator_words}


@dataclass
class SetApart:
    """A number that is not a claim, and why."""

    text: str
    reason: str  # a key of REASONS
    page: str
    line: int
    context: str

    def as_dict(self) -> dict:
        return {"text": self.text, "reason": self.reason, "page": self.page, "line": self.line,
                "context": self.context}


@dataclass
class Scan:
    path: str
    page_source: str
    statements: list[Statement]
    set_apart: list[SetApart]


def sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences: (offset, sentence). A full stop after an abbreviation
    ("ca.", "pct.", "kr.") or before a lower-case word ("pct. af") does not end one."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        # the last words before the full stop decide (the whole sentence so far made a long
        # line without sentence ends quadratic)
        before = text[max(start, m.start() - _TAIL):m.start()].rstrip("\"”’)")
        word = re.search(r"([\w.]+)\.$", before)
        if word and word.group(1).lower() in _ABBREV:
            continue
        if m.start() - start < _TAIL and re.fullmatch(r"\s*(?:[-*•]\s*)?\d{1,3}\.", before):
            continue  # "1. Ret til …": a list number, not a sentence
        out.append((start, text[start:m.start()].strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return [(o, s) for o, s in out if s]


def _qualifier(before: str) -> tuple[str, str]:
    """The qualifier words right before a number: ("lidt over", "just_over") or ("", "as_written")."""
    low = before.lower().rstrip()
    for word in sorted(QUALIFIERS, key=len, reverse=True):
        if low.endswith(word) and (len(low) == len(word) or not low[-len(word) - 1].isalnum()):
            return before.rstrip()[-len(word):], QUALIFIERS[word]
    return "", "as_written"


def _unit(after: str, number: Number) -> str:
    if number.form == "fraction":
        return "andel"
    if number.form == "ratio":
        return "gange"
    m = _UNIT.match(after)
    if not m:
        return ""
    u = m.group("u").lower()
    if u in ("%", "pct", "pct.", "procent"):
        return "pct."
    if u.startswith("procentpoint"):
        return "procentpoint"
    if u.startswith(("mia", "milliard")):
        return "mia. kr."
    if u.startswith(("mio", "million")):
        return "mio. kr."
    if u in ("kr", "kr.", "kroner"):
        return "kr."
    if u.lstrip("-") in ("år", "årig", "årige"):
        return "år"
    if u in _PERSONS:
        return "personer"
    if u in _FUNCTION_WORDS:
        return ""
    rest = re.match(r"\s*[\wæøå-]+\s+([a-zæøå][a-zæøå-]{2,})", after, re.I)
    if u.endswith(("e", "mest", "st")) and rest and rest.group(1).lower() not in _FUNCTION_WORDS:
        # an adjective first ("40 lokale grupper", "92 udfyldte spørgeskemaer"): the noun counts
        u = rest.group(1).lower()
        return "personer" if u in _PERSONS else u
    return u


def _reason(sentence: str, n: Number, block: Block) -> str | None:
    """Why a number is not a claim, or None when it is one."""
    before, after = sentence[:n.start], sentence[n.end:]
    if block.kind in ("citation", "toc"):
        return block.kind
    if any(m.start() <= n.start < m.end() for m in _URL.finditer(sentence)):
        return "url"
    if any(m.start() <= n.start < m.end() for m in _ISBN.finditer(sentence)):
        return "isbn"
    if any(m.start() <= n.start < m.end() for m in _SOURCE_PAREN.finditer(sentence)):
        return "citation"
    if any(m.start(1) <= n.start < m.end(1) for m in _QUOTED_TITLE.finditer(sentence)):
        return "title"
    if _PAGE_BEFORE.search(before):
        return "page"
    if _NUMBERING_BEFORE.search(before) or (re.match(r"\s*(?:[-*•]\s*)?\d{1,3}\.\s", sentence)
                                            and not before.strip(" -*•")):
        return "numbering"
    if n.form == "fraction" and re.search(r"\b(første|anden|sidste)\s*$", before, re.I):
        return "ordinal"  # "topmødets anden halvdel": the second half of a meeting
    if n.form == "digits" and not n.is_range and re.match(r"\.(?:\s*[-–]\s*\d|\s+[a-zæøå])", after):
        return "ordinal"
    if n.form == "digits" and re.match(r"\.\s*[-–]", after):
        return "ordinal"
    if n.form == "digits" and re.match(r"['’]erne\b", after):
        return "decade"
    if _AGE_AFTER.match(after) or n.text.lower().endswith(("årige", "årig")) and n.form == "word" and \
            re.search(r"\b(som|en|et)\s*$", before, re.I) and not re.match(r"\s*(periode|tidsrum)", after, re.I):
        return "age"
    if n.form in ("digits",) and (_AGE_BEFORE.search(before) and (re.match(r"\s*år\b", after) or n.is_range)
                                  or _STORY_AGE.search(before) and re.match(r"\s*år\b", after)):
        return "age"
    if n.form == "digits" and (_TIME.match(n.text.replace(" ", "")) or (n.text == "24" and re.match(r"\s*[-/]\s*7\b", after))
                               or (n.text == "7" and re.search(r"\b24\s*[-/]\s*$", before))):
        return "time"
    if block.kind == "quote":
        return "quote"
    if n.form in ("word", "digits") and not n.is_range and not re.match(r"\s*(%|pct|procent|ud af|årig)", after, re.I) \
            and not _qualifier(before)[0]:
        following = re.findall(r"[\wæøå]+", after.lower())[:3]
        if n.form == "word" and (_DEFINITE.search(before) or not following or following[0] in _FUNCTION_WORDS):
            return "structure"
        if following and any(w.startswith(_STRUCTURE_NOUNS) for w in following[:2]):
            return "structure"
    if re.match(r"\s*år\b", after) and _SPAN_BEFORE.search(before):
        return "span"
    if n.form == "digits" and n.low == 100 and not n.is_range and re.match(r"\s*(%|pct|procent)", after) \
            and _REMARK.search(before):
        return "remark"
    if _is_year(n, after):
        return "year"
    return None


def _is_year(n: Number, after: str) -> bool:
    """1800–2099 written as four plain digits (no thousands dot), not a count of something."""
    if n.form != "digits" or "." in n.text.split("-")[0] or "," in n.text:
        return False
    years = [n.low] if not n.is_range else [n.low, n.high]
    if not all(1800 <= y <= 2099 and y == int(y) for y in years):
        return False
    return not re.match(r"\s*(personer|mennesker|kr\b|kroner|hjemløse|børn|voksne|medlemmer|%|pct)", after, re.I)


def _shape(n: Number, q: Quantity, sentence: str, start: int, numbers: list[Number]) -> str:
    if n.form in ("fraction", "ratio"):
        return n.form
    before, after = sentence[:n.start], sentence[n.end:]
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
        return "change"
    if re.search(r"\bfra\s+(?:\w+\s+){0,2}$", before) and re.search(r"\btil\s+(?:\w+\s+){0,2}[\d]", after[:60]):
        return "change"
    if re.search(r"\btil\s+(?:\w+\s+){0,2}$", before) and re.search(r"\bfra\b[^.]*$", before[:-4]) and \
            re.search(r"\bfra\s+(?:\w+\s+){0,2}\d", before):
        return "change"
    if n.is_range:
        return "range"
    if q.unit in ("pct.", "procentpoint", "andel"):
        return "share"
    return "level"


#: How many characters on each side of a number its reading looks at, and how far back a
#: full stop looks for its abbreviation: every rule reads a few words around the number, and
#: reading the whole sentence for each of its numbers made a long one quadratic.
_TAIL = 200


def _near(sentence: str, n: Number) -> tuple[str, Number]:
    """The words around ``n`` (at most _TAIL characters each side), and ``n`` placed in them."""
    a = max(0, n.start - _TAIL)
    return sentence[a:n.end + _TAIL], replace(n, start=n.start - a, end=n.end - a)


def scan_document(doc: Document, keywords: dict[str, dict[str, list[str]]] | None = None,
                  lang: str = "da") -> Scan:
    """Statements and set-apart numbers of a read report (see the module docstring)."""
    statements: list[Statement] = []
    apart: list[SetApart] = []
    heading = ""
    patterns = _keyword_patterns(keywords or {}, lang)
    for block, text in _units_of_prose(doc.blocks):
        page = block.page_label
        if block.kind == "heading":
            heading = text
        for note in block.notes:
            apart.append(SetApart(note, "note", page, block.line, text[:80]))
        for _, sentence in (sentences(text) if block.kind in ("body", "quote") else [(0, text)]):
            quantities: list[Quantity] = []
            numbers = read_numbers(sentence)
            for n in numbers:
                near, n_near = _near(sentence, n)
                why = _reason(near, n_near, block)
                if why:
                    apart.append(SetApart(n.text, why, page, block.line, sentence))
                    continue
                qualifier, rule = _qualifier(near[:n_near.start])
                q = Quantity(n.text, n.low, n.high, qualifier, rule, _unit(near[n_near.end:], n_near), "level")
                q.shape = _shape(n_near, q, near, 0, numbers)
                quantities.append(q)
            if block.kind in ("body", "heading", "quote"):
                for m in _RANK.finditer(sentence):
                    quantities.append(Quantity(m.group(0), float("nan"), float("nan"), "", "as_written", "", "rank"))
            if quantities:
                ind, words = guess_indicator(sentence, keywords or {}, lang, patterns)
                if ind is None and sentence != text:
                    # "En stigning på 1.433 personer …" names no indicator; its paragraph does
                    ind, words = guess_indicator(text, keywords or {}, lang, patterns)
                statements.append(Statement(page, block.line, sentence, quantities, ind, words,
                                            heading if block.kind != "heading" else ""))
    return Scan(doc.path, doc.page_source, statements, apart)


_BARE_NUMBER_HEADING = re.compile(r"^[\d.,]+\s*(%|pct\.?|personer|procent)?\s*,?$", re.I)
_TERMINAL = (".", "!", "?", ":", "”", "\"", ")", "…")


def _units_of_prose(blocks: list[Block]):
    """Blocks joined where the layout split one sentence: a paragraph that stops mid-sentence
    and one that goes on in lower case ("med et lille fald" / "fra 2019 til 2020"), a word
    hyphenated over a page ("enkel-" / "tes"), a headline number and the words around it
    ("er der tale om" / "# 250.000 personer," / "heraf ca. 60.000 børn")."""
    pending: Block | None = None
    text = ""
    after_number = False  # the last thing joined was a headline number: its words follow
    for block in blocks:
        number_heading = block.kind == "heading" and bool(_BARE_NUMBER_HEADING.match(block.text))
        joinable = block.kind == "body" or number_heading
        open_sentence = pending is not None and pending.kind == "body" and not text.rstrip().endswith(_TERMINAL)
        if pending is not None and joinable and (
                after_number and block.kind == "body"
                or open_sentence and (block.text[:1].islower() or number_heading)):
            if text.endswith("-") and block.text[:1].islower():
                text = text[:-1] + block.text
            else:
                text = text.rstrip() + " " + block.text
            pending.notes = pending.notes + block.notes
            after_number = number_heading
            continue
        if pending is not None:
            yield pending, text
        kind = "body" if joinable else block.kind
        text = block.text[2:] if block.text.startswith(("- ", "* ", "• ")) else block.text
        if kind == "body" and text[:1] in "“”\"„" and text.rstrip()[-1:] in "“”\"":
            kind = "quote"  # a person's words, set apart as a whole
        pending = Block(block.text, block.line, kind, block.pages, list(block.notes))
        after_number = number_heading
    if pending is not None:
        yield pending, text


def _keyword_patterns(keywords: dict[str, dict[str, list[str]]], lang: str) -> dict[str, list[tuple[str, re.Pattern]]]:
    """Per indicator, each keyword (the reader's language first) as a pattern that matches the
    start of a word: "hjemløs" finds "hjemløsetælling"; "fattige børn" finds the two words."""
    other = "da" if lang == "en" else "en"
    out = {}
    for ind, by_lang in keywords.items():
        words = list(dict.fromkeys(by_lang.get(lang, []) + by_lang.get(other, [])))
        out[ind] = [(k, re.compile(r"(?<![\wæøå])" + re.escape(k.lower()))) for k in words]
    return out


def guess_indicator(sentence: str, keywords: dict[str, dict[str, list[str]]], lang: str = "da",
                    patterns: dict[str, list[tuple[str, re.Pattern]]] | None = None) -> tuple[str | None, list[str]]:
    """The indicator whose keywords (dataset.toml ``keywords``) the sentence uses most; a
    keyword matches the start of a word ("hjemløs" finds "hjemløsetælling"). None on a tie."""
    patterns = patterns if patterns is not None else _keyword_patterns(keywords, lang)
    low = sentence.lower()
    scores: list[tuple[int, str, list[str]]] = []
    for ind, pats in patterns.items():
        hits = sorted({k for k, pat in pats if pat.search(low)})
        if hits:
            scores.append((len(hits), ind, hits))
    if not scores:
        return None, []
    scores.sort(key=lambda s: (-s[0], s[1]))
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        return None, []
    return scores[0][1], scores[0][2]
