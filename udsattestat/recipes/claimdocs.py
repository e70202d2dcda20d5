"""claims.json and claims.md: each claim's quote, computed numbers and verdict."""

from __future__ import annotations

import json

from ..jsondocs import document
from ..presentation import CLAIM_LABELS as LABELS
from ..presentation import (
    INPUT_WORDS,
    code_label,
    confidence_name,
    date_text,
    source_name,
    status_name,
)
from .claims import (
    CONSISTENCY_VERDICTS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    REVISED_REASON,
    VERDICTS,
    ClaimResult,
    consistency_tally,
    describe_checks,
    describe_measure,
    margin_text,
    neighbours_text,
    no_data_text,
    tally,
)
from .readable import ORDER, check_words, in_order, measure_name, plain_measure, reason


def count_text(results, lang: str) -> str:
    """ "7 holder, 2 holder ikke, 1 …, 0 uafgjort, 20 ingen data, 1 kan ikke sammenlignes": every kind;
    then the report's own figures against each other, counted apart."""
    counts = tally(results)
    text = ", ".join(f"{counts[v]} {LABELS[lang][v]}" for v in VERDICTS)
    agree = consistency_tally(results)
    if any(agree.values()):
        text += f"; {LABELS[lang]['consistency']}: " + ", ".join(
            f"{agree[v]} × {LABELS[lang][v]}" for v in CONSISTENCY_VERDICTS)
    return text


def view_label(r, key: str, lang: str) -> str:
    t = LABELS[lang]
    if key != "as_of":
        return t[key]
    return f"{t['as_of']} {date_text(str(r.as_of_date), lang)}" if r.as_of_date else {
        "da": "pr. rapportens dato (ukendt)", "en": "as of the report's date (not known)"}[lang]


def claims_document(results: list[ClaimResult], recipe, coverage: dict | None = None) -> dict:
    """claims.json (and ``verify --json``): the report, the verdicts counted, every claim."""
    doc = document("claims", {
        "report": {"title": recipe.report.title, "date": recipe.report.date,
                   "as_of": recipe.report.as_of.isoformat() if recipe.report.as_of else None},
        "verdicts": tally(results),
        # the report's figures against each other: never holds/fails, counted apart
        "consistency": consistency_tally(results),
        "claims": [r.to_json() for r in results],
    })
    if coverage is not None:  # the report's numerical statements the claims cover (recipes/coverage.py)
        doc["coverage"] = coverage
    return doc


def claims_json(results: list[ClaimResult], recipe, coverage: dict | None = None) -> str:
    return json.dumps(claims_document(results, recipe, coverage), ensure_ascii=False, indent=2) + "\n"


def origin_text(i: dict, lang: str = "en", prov=None) -> str:
    """Where an input comes from. With its provenance: the source's short name, the page and
    the release date, in ``lang`` (its ids stay in claims.json); without: the ids."""
    if prov is not None:
        w = INPUT_WORDS[lang]
        return (f"{source_name(prov, i['source'], lang, i.get('source_locator'))}; "
                f"{w['published']} {date_text(i.get('vintage_date'), lang) or w['no_date']}")
    src = i["source"] + (f", {i['source_locator']}" if i.get("source_locator") else "")
    return src if i["vintage"] == i["source"] else f"{src}; {INPUT_WORDS[lang]['vintage']} {i['vintage']}"


def member_text(i: dict, lang: str, prov=None, dim: str | None = None) -> str:
    """The member a ranked input is about, by name ("Danmark "), '' for other inputs."""
    if not i.get("member"):
        return ""
    return f"{code_label(prov, dim, i['member'], lang) if prov is not None and dim else i['member']} "


def stated_line(i: dict, lang: str = "en") -> str:
    """One of the report's own numbers: "andel = “56%” (læst som 55,5–56,5)"."""
    from .claims import _fmt

    words = {"da": "læst som", "en": "read as"}[lang]
    span = f"{words} {_fmt(i['low'], lang)}–{_fmt(i['high'], lang)}"
    quote = i.get("quote") or i.get("reads")
    name = i["label"][lang] if i.get("label") else i["stated"]
    return f"{name} = “{quote}” ({span})"


def input_line(i: dict, lang: str = "en", prov=None, dim: str | None = None) -> str:
    if "stated" in i:
        return stated_line(i, lang)
    if i.get("label"):  # a bundled value in a formula: its name in the reader's words first
        return f"{i['label'][lang]}: " + input_line({k: v for k, v in i.items() if k != "label"}, lang, prov, dim)
    w = INPUT_WORDS[lang]
    value = describe_value(i, lang)
    who = member_text(i, lang, prov, dim)
    period = (i.get("period_text") or {}).get(lang) or i["period"]
    if prov is not None:
        return (f"{who}{period}: {value} ({origin_text(i, lang, prov)}; {w['status']} "
                f"{status_name(i['status'], lang)}; {w['confidence']}: {confidence_name(i['confidence'], lang)})")
    loc = f", {i['source_locator']}" if i.get("source_locator") else ""
    return (f"{who}{period}: {value} ({w['vintage']} {i['vintage']}, {w['published']} {i['vintage_date'] or w['no_date']}; "
            f"{w['source']} {i['source']}{loc}; {w['status']} {status_name(i['status'], lang)}, "
            f"{w['confidence']} {i['confidence']})")


def describe_value(i: dict, lang: str = "en") -> str:
    """An input's value as the tables write it: "ca. 580.000" when it is approximate or
    uncertain (the mark a reader sees in every output), a range as a range."""
    from ..formatting import format_cell
    from ..presentation import APPROX, APPROX_STATUSES

    text = format_cell(i.get("value"), i.get("value_low"), i.get("value_high"), i.get("unit") or "", lang)
    return f"{APPROX[lang]} {text}" if i.get("value") is not None and i.get("status") in APPROX_STATUSES else text



def claims_markdown(results: list[ClaimResult], recipe, lang: str, provs: dict | None = None) -> str:
    """claims.md in ``lang``, with the page's structure: the counts by verdict (each a link to
    its group), then the claims grouped by verdict — what fails first, "no data" last — each
    with its one plain sentence, then its evidence. With ``provs`` (indicator -> provenance)
    inputs name their sources and releases in words; each claim's id is an anchor. Every text
    from the recipe or the data is escaped (:func:`udsattestat.cells.markdown_text`): a recipe
    title ``<script>…</script>`` shows as text, it is not markup."""
    from ..cells import markdown_text as md
    from ..presentation import PAGE_WORDS, TERMINAL_WORDS

    t = LABELS[lang]
    provs = provs or {}
    title = recipe.report.title.get(lang) or recipe.report.title.get("da", "")
    out = [f"# {t['claims']}: {md(title)}", ""]
    by: dict[str, list] = {}
    for r in in_order(results):
        by.setdefault(r.verdict, []).append(r)
    order = [v for v in ORDER if v in by] + [v for v in by if v not in ORDER]
    anchor = {v: "v-" + v.replace(" ", "-") for v in order}
    out += [" · ".join(f"[{len(by[v])} {TERMINAL_WORDS[lang]['verdicts'].get(v, v)}](#{anchor[v]})" for v in order), ""]
    for verdict in order:
        out += [f"## {PAGE_WORDS[lang]['groups'].get(verdict, verdict)} ({len(by[verdict])}) <a id=\"{anchor[verdict]}\"></a>", ""]
        for r in by[verdict]:
            out += _claim_markdown(r, lang, provs, md, reason(r, lang))
    return "\n".join(out).rstrip() + "\n"


def _claim_markdown(r, lang: str, provs: dict, md, sentence: str) -> list[str]:
    """One claim: its line (verdict, page, quote, what the data say), then its evidence."""

    t = LABELS[lang]
    c = r.claim
    note = f", {t['note']} {md(c.note)}" if c.note else ""
    # the claim's id (as in claims.json) is an anchor: #p05-… links here, a reader reads the page
    out = [f"### {t['page']} {md(c.page)}: **{md(r.verdict_text(lang))}** <a id=\"{md(c.id)}\"></a>", "",
           f"> {md(c.quote)} ({t['page']} {md(c.page)}{note})", ""]
    if sentence:
        out += [f"— {md(sentence)}", ""]
    if r.kind == "consistency":
        out += [f"_{t['consistency']}._", ""]
    # the line above already says why it is not comparable or has no data: not twice
    if r.verdict == NOT_COMPARABLE and c.text("not_comparable", lang) != sentence:
        out += [f"{t['reason']}: {md(c.text('not_comparable', lang))}", ""]
    if c.no_data and no_data_text(c, lang) != sentence:
        out += [f"{t['no_source']}: {md(no_data_text(c, lang))}", ""]
    if c.reads:
        out += [f"{t['reads']}: {md(c.reads.explain(lang))}", ""]
    if c.checks:
        out += [f"{t['check']}: {md(measure_name(c, lang))} {md(check_words(describe_checks(c, lang), lang))}", ""]
    if c.comment:
        out += [f"{t['comment']}: {md(c.text('comment', lang))}", ""]
    if c.caveat:
        out += [f"{t['caveat']}: {md(c.text('caveat', lang))}", ""]
    if r.verdict == REVISED:
        out += [f"**{REVISED_REASON[lang]}.**", ""]
    elif r.differs:
        out += [f"**{t['differs']}.**", ""]
    elif r.revised_numbers:
        out += [f"{t['revised_numbers']}.", ""]
    d = r.deciding
    if d is not None and r.verdict != NOT_COMPARABLE:
        text = margin_text(d, lang)
        out += [md(text[:1].upper() + text[1:]), ""]
        if d.neighbours:
            out += [f"{t['neighbours']}: {md(neighbours_text(c, d, lang).split(': ', 1)[1])}", ""]
    for key, v in r.views():
        label = view_label(r, key, lang)
        if v.status == NO_DATA:
            out += [f"- {md(label)}: {t[NO_DATA]}: {md(v.reason_in(lang))}"]
            continue
        out += [f"- {md(label)}: {md(measure_name(c, lang))} = {md(plain_measure(describe_measure(c, v.measure, lang)))} "
                f"→ **{t[v.status]}**"]
        out += [f"  - {md(input_line(i, lang, provs.get(i.get('indicator') or c.indicator), c.rank_by))}"
                for i in v.inputs]
    out.append("")
    return out
