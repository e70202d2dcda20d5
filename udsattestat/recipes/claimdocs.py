"""claims.json and claims.md: each claim's quote, computed numbers and verdict."""

from __future__ import annotations

import json

from .claims import (
    FAILS,
    HOLDS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    REVISED_REASON,
    UNDECIDED,
    VERDICTS,
    ClaimResult,
    describe_checks,
    describe_measure,
    tally,
)

LABELS = {
    "da": {HOLDS: "holder", FAILS: "holder ikke", REVISED: "holdt ved udgivelsen, ændret ved revision",
           NOT_COMPARABLE: "kan ikke sammenlignes", UNDECIDED: "uafgjort",
           NO_DATA: "ingen data", "computed": "beregnet (kun til orientering)",
           "as_of": "Data som offentliggjort pr.", "latest": "Seneste data", "report": "Rapportens egne tal",
           "page": "s.", "note": "note", "check": "Kontrol", "claims": "Påstande", "reason": "Begrundelse",
           "comment": "Fortolkning", "differs": "Revisioner ændrer resultatet",
           "no_source": "Kilden er ikke i datasættene; påstanden afgøres af", "caveat": "Kildens forbehold"},
    "en": {HOLDS: "holds", FAILS: "fails", REVISED: "held as published, changed by a revision",
           NOT_COMPARABLE: "not comparable", UNDECIDED: "undecided", NO_DATA: "no data",
           "computed": "computed (for information only)",
           "as_of": "Data as published by", "latest": "Latest data", "report": "The report's own numbers",
           "page": "p.", "note": "note", "check": "Check", "claims": "Claims", "reason": "Reason", "comment": "Reading",
           "differs": "Revisions change the result",
           "no_source": "The source is not in the bundle; the claim would be settled by", "caveat": "The source's caveat"},
}


def count_text(results, lang: str) -> str:
    """ "7 holder, 2 holder ikke, 1 …, 0 uafgjort, 20 ingen data, 1 kan ikke sammenlignes": every kind."""
    counts = tally(results)
    return ", ".join(f"{counts[v]} {LABELS[lang][v]}" for v in VERDICTS)


def measure_name(c, lang: str) -> str:
    """The measure in words; for the report's own arithmetic, the formula itself."""
    return c.formula if c.measure == "stated" else MEASURE_NAMES[lang][c.measure]


def view_label(r, key: str, lang: str) -> str:
    t = LABELS[lang]
    return f"{t['as_of']} {r.as_of_date}" if key == "as_of" else t[key]


def claims_json(results: list[ClaimResult], recipe) -> str:
    doc = {
        "report": {"title": recipe.report.title, "date": recipe.report.date,
                   "as_of": recipe.report.as_of.isoformat()},
        "verdicts": tally(results),
        "claims": [r.to_json() for r in results],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


MEASURE_NAMES = {
    "da": {"value": "værdi", "difference": "forskel", "percent_change": "ændring i pct.", "ratio": "forhold",
           "share": "andel i pct.", "min": "mindste", "max": "største", "range": "spænd",
           "every_change": "hver ændring", "rank": "placering", "stated": "rapportens egen regning"},
    "en": {"value": "value", "difference": "difference", "percent_change": "percent change", "ratio": "ratio",
           "share": "share (%)", "min": "minimum", "max": "maximum", "range": "range",
           "every_change": "every change", "rank": "rank", "stated": "the report's own arithmetic"},
}


#: The words of an input line (claims.md, the page) per language.
INPUT_WORDS = {
    "da": {"vintage": "udgave", "published": "udgivet", "no_date": "dato ikke registreret", "source": "kilde",
           "status": "status", "confidence": "sikkerhed"},
    "en": {"vintage": "vintage", "published": "published", "no_date": "date not recorded", "source": "source",
           "status": "status", "confidence": "confidence"},
}

#: Row statuses (schema.STATUSES) in words; the code itself stays in claims.json and the CSVs.
STATUS_NAMES = {
    "da": {"published": "offentliggjort", "suppressed": "diskretioneret", "omitted": "udeladt",
           "uncertain": "usikker", "approximate": "afrundet", "estimated": "skønnet", "provisional": "foreløbig",
           "break": "databrud", "low_reliability": "lav pålidelighed"},
    "en": {"published": "published", "suppressed": "suppressed", "omitted": "omitted", "uncertain": "uncertain",
           "approximate": "rounded", "estimated": "estimated", "provisional": "provisional", "break": "break in series",
           "low_reliability": "low reliability"},
}


def status_name(status: str, lang: str = "en") -> str:
    return STATUS_NAMES[lang].get(status, status)


def origin_text(i: dict, lang: str = "en") -> str:
    """"sst-2020" once when the vintage and the source are the same release."""
    src = i["source"] + (f", {i['source_locator']}" if i.get("source_locator") else "")
    return src if i["vintage"] == i["source"] else f"{src}; {INPUT_WORDS[lang]['vintage']} {i['vintage']}"


def stated_line(i: dict, lang: str = "en") -> str:
    """One of the report's own numbers: "56 pct. (56, read as 55,5–56,5)"."""
    from ..formatting import format_number
    from .claims import _fmt

    words = {"da": ("læst som", "som skrevet"), "en": ("read as", "as written")}[lang]
    v, p = i["value"], i.get("precision")
    span = f"{words[0]} {_fmt(v - p / 2, lang)}–{_fmt(v + p / 2, lang)}" if p else words[1]
    quote = f"“{i['quote']}”: " if i.get("quote") else ""
    return f"{i['stated']} = {quote}{format_number(v, lang, 0 if float(v).is_integer() else 2)} ({span})"


def input_line(i: dict, lang: str = "en") -> str:
    if "stated" in i:
        return stated_line(i, lang)
    w = INPUT_WORDS[lang]
    value = describe_value(i, lang)
    loc = f", {i['source_locator']}" if i.get("source_locator") else ""
    who = f"{i['member']} " if i.get("member") else ""
    return (f"{who}{i['period']}: {value} ({w['vintage']} {i['vintage']}, {w['published']} {i['vintage_date'] or w['no_date']}; "
            f"{w['source']} {i['source']}{loc}; {w['status']} {status_name(i['status'], lang)}, "
            f"{w['confidence']} {i['confidence']})")


def describe_value(i: dict, lang: str = "en") -> str:
    from ..formatting import format_cell

    return format_cell(i.get("value"), i.get("value_low"), i.get("value_high"), i.get("unit") or "", lang)


def claims_markdown(results: list[ClaimResult], recipe, lang: str) -> str:
    t = LABELS[lang]
    title = recipe.report.title.get(lang) or recipe.report.title.get("da", "")
    out = [f"# {t['claims']}: {title}", ""]
    out += [count_text(results, lang), ""]
    for r in results:
        c = r.claim
        note = f", {t['note']} {c.note}" if c.note else ""
        out += [f"## {c.id}: **{t[r.verdict]}**", "", f"> {c.quote} ({t['page']} {c.page}{note})", ""]
        if r.verdict == NOT_COMPARABLE:
            out += [f"{t['reason']}: {c.text('not_comparable', lang)}", ""]
        if c.no_data:
            out += [f"{t['no_source']}: {c.text('no_data', lang)}", ""]
        if c.checks:
            out += [f"{t['check']}: {measure_name(c, lang)} {describe_checks(c, lang)}", ""]
        if c.comment:
            out += [f"{t['comment']}: {c.text('comment', lang)}", ""]
        if c.caveat:
            out += [f"{t['caveat']}: {c.text('caveat', lang)}", ""]
        if r.verdict == REVISED:
            out += [f"**{REVISED_REASON[lang]}.**", ""]
        elif r.differs:
            out += [f"**{t['differs']}.**", ""]
        for key, v in r.views():
            label = view_label(r, key, lang)
            if v.status == NO_DATA:
                out += [f"- {label}: {t[NO_DATA]}: {v.reason_in(lang)}"]
                continue
            out += [f"- {label}: {measure_name(c, lang)} = {describe_measure(c, v.measure, lang)} → **{t[v.status]}**"]
            out += [f"  - {input_line(i, lang)}" for i in v.inputs]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
