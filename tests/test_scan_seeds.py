"""``claims scan`` on the real reports, against lists written by hand from reading them.

The lists below were written by reading the report texts (recipes/reports/, the seeds the
project came from), not from the scanner's output: each numerical statement a careful
reader lists, by page and a fragment of its sentence, and the numbers a reader sets apart.
The goals of the claim inventory are measured here: on Forandringskraft the scan finds at
least 95 % of the statements, and at most 10 % of what it lists are not claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from udsattestat.scan import read_document, scan_document

REPORTS = Path(__file__).resolve().parent.parent / "recipes" / "reports"

# Forandringskraft: every numerical statement, by chapter page range (from the table of
# contents) and a fragment of the sentence.
FORANDRINGSKRAFT = [
    ("3–5", "Fra 100.000 personer"),
    ("3–5", "ca. 230.000 personer"),
    ("3–5", "ca. 282.000 personer"),
    ("3–5", "1,5-2 % gruppen med komplekse sociale problemer"),
    ("3–5", "250.000 personer, heraf ca. 60.000 børn"),
    ("3–5", "190.000 voksne"),
    ("3–5", "56% af de fattige børn"),
    ("3–5", "ca. 580.000 personer"),
    ("3–5", "var andelen 6%"),
    ("6–12", "over 6.000 hjemløse"),
    ("6–12", "mere end fordoblet siden årtusindskiftet"),
    ("6–12", "knap 250.000, der lever i relativ fattigdom"),
    ("6–12", "mellem 256 og 279 dødsfald"),
    ("6–12", "blandt de lande i Europa med højeste"),
    ("6–12", "fra 12 procent i 2010 til 18,3 procent i 2017"),
    ("6–12", "lidt over fire pct. af unge"),
    ("6–12", "konstant de sidste 20 år"),
    ("6–12", "19 år tidligere end andre"),
    ("6–12", "Kun 54 pct. af socialt udsatte"),
    ("6–12", "42 pct. af socialt udsatte voksne"),
    ("6–12", "63 pct. af socialt udsatte kæmper"),
    ("6–12", "Over en tiårig periode"),
    ("6–12", "mellem 7,8 og 41 mia. kr."),
    ("13–18", "otte nye stationer"),
    ("13–18", "Cityringen har kostet 25,3 mia. kr."),
    ("19–28", "mere end 40 pct. af værestedbrugere"),
    ("19–28", "blandt 1.079 danskere"),
    ("19–28", "N = 1.079 (3.323 associationer)"),
    ("19–28", "20 pct. færre almene familie boliger"),
    ("19–28", "En stigning på 1.433 personer"),
    ("19–28", "fra knap 200.000 til knap 250.000"),
    ("19–28", "knap syv ud af ti"),
    ("19–28", "63 pct. af unge i hjemløshed"),
    ("19–28", "over halvdelen vokset op"),
    ("29–37", "omtrent 30.000 personer"),
    ("29–37", "mellem 40-60 pct."),
    ("29–37", "kun halvdelen af tidligere anbragte unge"),
    ("29–37", "Kun 23 pct. af tidligere anbragte unge"),
    ("29–37", "knap halvdelen af medarbejderne"),
    ("38ff.", "Stigen består af otte trin"),
    ("38ff.", "92 udfyldte spørgeskemaer"),
    ("38ff.", "fem kommuner"),
    ("38ff.", "mere end 22.000 medlemmer"),
    ("38ff.", "op mod 40 lokale grupper"),
]

# Numbers a reader sets apart, and why: (fragment of the context, the number, the reason).
FORANDRINGSKRAFT_APART = [
    ("ISBN: 978-87-93698-19-2", "978", "isbn"),
    ("Efter 2. verdenskrig", "2", "ordinal"),
    ("I slutningen af 70'erne", "70", "decade"),
    ("relationer 24-7, ikke kun 9-16", "9-16", "time"),
    ("skolebørn-undersøgelserne med 12-17-årige", "12-17", "age"),
    ("summerer procenterne ikke til 100%", "100", "remark"),
    ("(Kilde: Arnstein 1969: 217)", "217", "citation"),
    ("Europæisk narkotikarapport. Figur 3.17, s. 81", "81", "citation"),
    ("I 1992 vedtog Folketinget Ørestadsloven", "1992", "year"),
    ("Dette oplæg er bygget op om fire forudsætninger", "fire", "structure"),
    ("12 eksempler til inspiration", "12", "title"),
    ("hver 3.-4. uge", "3", "ordinal"),
]

SOCIALRAADGIVERNE = [  # seed 004 (Dansk Socialrådgiverforening); no pages in the text
    "15 borgere pr. socialrådgiver",
    "de 10.000 allermest udsatte borgere",
    "10 pct. af de 18-39-årige",
    "De 20.000 udsatte borgere",
]
SOCIALRAADGIVERNE_APART = [
    ("Freja på 21 år", "21", "age"),
    ("Ronald på 64 år", "64", "age"),
    ("Michael på 42 år", "42", "age"),
    ("(VIVE 2018: 74-75)", "74-75", "citation"),
    ("Fem principper for at sikre", "Fem", "structure"),
]

SOCIALPAEDAGOGERNE = [  # seed 003 (Socialpædagogerne)
    "på 15.000 borgere",
]


def scan(name: str):
    return scan_document(read_document(REPORTS / name))


def _norm(text: str) -> str:
    return " ".join(text.split())


def found(statements, fragment: str, page: str | None = None) -> bool:
    return any(_norm(fragment) in _norm(s.sentence) and (page is None or s.page == page) for s in statements)


def test_forandringskraft_goals():
    result = scan("forandringskraft-2021.txt")
    missed = [f for p, f in FORANDRINGSKRAFT if not found(result.statements, f, p)]
    recall = 1 - len(missed) / len(FORANDRINGSKRAFT)
    not_claims = [s.sentence for s in result.statements
                  if not any(_norm(f) in _norm(s.sentence) for _, f in FORANDRINGSKRAFT)]
    false_share = len(not_claims) / len(result.statements)
    assert recall >= 0.95, f"missed {missed}"
    assert false_share <= 0.10, f"listed as claims but not claims: {not_claims}"
    assert result.page_source == "toc"


@pytest.mark.parametrize(("context", "number", "reason"), FORANDRINGSKRAFT_APART)
def test_forandringskraft_numbers_set_apart(context, number, reason):
    result = scan("forandringskraft-2021.txt")
    hits = [a for a in result.set_apart if _norm(context) in _norm(a.context) and a.text.startswith(number)]
    assert hits, f"{number!r} in {context!r} not set apart"
    assert hits[0].reason == reason


def test_no_statement_holds_a_number_set_apart_as_a_year_only():
    # "Den seneste hjemløsetælling i 2019 viste …": 2019 is set apart, the statement keeps 6.000 and 30 %
    result = scan("forandringskraft-2021.txt")
    (s,) = [s for s in result.statements if "over 6.000 hjemløse" in s.sentence]
    assert [(q.qualifier, q.text, q.unit, q.shape) for q in s.quantities] == [
        ("over", "6.000", "personer", "level"), ("knap", "30", "pct.", "change")]


def test_qualifiers_units_and_shapes_as_written():
    result = scan("forandringskraft-2021.txt")

    def quantities(fragment):
        (s,) = [s for s in result.statements if fragment in s.sentence]
        return [(q.qualifier, q.text, q.unit, q.shape) for q in s.quantities]

    assert quantities("mere end fordoblet") == [("mere end", "fordoblet", "gange", "ratio")]
    assert quantities("knap syv ud af ti") == [("knap", "syv ud af ti", "andel", "fraction"),
                                                ("knap", "hver fjerde", "andel", "fraction")]
    assert quantities("1,5-2 %") == [("", "1,5-2", "pct.", "range"), ("ca.", "70-100.000", "personer", "range")]
    assert quantities("lidt over fire pct.")[0] == ("lidt over", "fire", "pct.", "share")
    assert quantities("mellem 7,8 og 41")[0] == ("", "7,8 og 41", "mia. kr.", "range")
    assert quantities("blandt de lande i Europa")[0][3] == "rank"


def test_socialraadgiverne():
    result = scan("socialraadgiverne-udsatte.txt")
    missed = [f for f in SOCIALRAADGIVERNE if not found(result.statements, f)]
    assert not missed
    for context, number, reason in SOCIALRAADGIVERNE_APART:
        hits = [a for a in result.set_apart if _norm(context) in _norm(a.context) and a.text == number]
        assert hits and hits[0].reason == reason, (context, number)
    assert result.page_source == "none"


def test_socialpaedagogerne():
    result = scan("socialpaedagogerne-2020.txt")
    assert all(found(result.statements, f) for f in SOCIALPAEDAGOGERNE)
