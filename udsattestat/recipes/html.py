"""index.html: one static page with the figures, tables, claim verdicts and sources.

No external resource of any kind (fonts, scripts, styles, images from elsewhere): the
page works offline, from a file:// URL, and when printed. Links to publications are plain
links. Nothing depends on the clock, so a rebuild gives the same bytes.
"""

from __future__ import annotations

from .._version import __version__
from ..presentation import PAGE_WORDS as TEXT
from ..presentation import TERMINAL_WORDS, citation_text, dataset_text, date_text, vintage_text
from ..templating import content_security_policy, link, render, stylesheet
from .claimdocs import (
    LABELS,
    count_text,
    describe_value,
    measure_name,
    member_text,
    origin_text,
    stated_line,
    status_name,
    view_label,
)
from .claims import (
    AGREE,
    DISAGREE,
    FAILS,
    HOLDS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    REVISED_REASON,
    UNDECIDED,
    describe_checks,
    describe_measure,
    margin_text,
    neighbours_text,
    no_data_text,
)
from .coverage import WORDS as COVERAGE_WORDS
from .coverage import coverage_line
from .readable import check_words, plain_measure


def _file_kind(name: str) -> str:
    """What a table's download link says: its format, the spreadsheet CSV named as such."""
    if name.endswith("-excel.csv"):
        return "csv (Excel)"
    if name.endswith(".csv-metadata.json"):
        return "csv metadata (json)"
    return name.rsplit(".", 1)[1]


def _figure_link(name: str, t: dict) -> str:
    """A figure's download link: its data (the CSV) or its image format."""
    return t["data"] if name.endswith(".csv") else name.rsplit(".", 1)[1].upper()


#: the page's one link rule, kept under its old name for the tests of hostile URLs
_link = link


def _t(d: dict, lang: str) -> str:
    return d.get(lang) or d.get("da") or d.get("en") or ""


def page(recipe, *, lang: str, figures: list[dict], tables: list[dict], results, provs: dict,
         vintages_used: dict[str, set], sources_used: dict[str, set], coverage: dict | None = None,
         sparks: dict | None = None) -> str:
    """index.html. ``tables``: dicts with name, title, files and the table's ``grid``
    (tables.Grid), which the page lays out itself."""
    t = TEXT[lang]
    rep = recipe.report
    meta = []
    if rep.publisher:
        meta.append(f"{t['by']} {rep.publisher}")
    meta.append(f"{t['published']} {date_text(rep.date, lang)}")
    if rep.isbn:
        meta.append(f"{t['isbn']} {rep.isbn}")
    if rep.url:
        meta.append(link(rep.url))
    css = stylesheet("page.css")
    return render(
        "page.html.j2", lang=lang, t=t, lab=LABELS[lang], css=css,
        # nothing but its own images (the charts beside it) and its one style sheet
        policy=content_security_policy(css, images="'self'"),
        title=_t(rep.title, lang), subtitle=rep.subtitle and _t(rep.subtitle, lang), meta=meta,
        description=rep.description and _t(rep.description, lang),
        summary=count_text(results, lang) if results else "",
        groups=_groups(results, lang, provs, sparks or {}),
        # the image's alt text: the title, then what the chart shows in words (its SVG <desc>)
        figures=[{**f, "caption": f["title"] or f["name"], "links": [(x, _figure_link(x, t)) for x in f["files"]],
                  "alt": f"{f['title'] or f['name']}. {f.get('description') or ''}".strip()}
                 for f in figures],
        tables=[{**tab, "title": tab["title"] or tab["name"], "links": [(x, _file_kind(x)) for x in tab["files"]]}
                for tab in tables],
        claims=[claim_view(r, lang, provs.get(r.claim.indicator), provs) for r in results],
        sources=[_source_view(ind, provs[ind], lang, vintages_used.get(ind, set()), sources_used.get(ind, set()))
                 for ind in sorted(provs)],
        version=__version__,
        coverage=coverage and {**coverage, "line": coverage_line(coverage, lang), "words": COVERAGE_WORDS[lang]},
    )


def _groups(results, lang: str, provs: dict, sparks: dict) -> list[dict]:
    """The claims grouped by verdict in a reader's order (what fails first, "no data" last and
    folded), each group with its count and anchor (#v-fails), each claim with its one line."""
    from .readable import ORDER, in_order, reason

    t = TEXT[lang]
    by: dict[str, list] = {}
    for r in in_order(results):
        by.setdefault(r.verdict, []).append(r)
    out = []
    for verdict in [v for v in ORDER if v in by] + [v for v in by if v not in ORDER]:
        rs = by[verdict]
        claims = []
        for r in rs:
            view = claim_view(r, lang, provs.get(r.claim.indicator), provs)
            sentence = reason(r, lang)
            # the claim's line already says why it is not comparable or has no data: not twice
            said = {k: "" for k in ("not_comparable", "no_data") if view.get(k) and view[k] == sentence}
            claims.append({**view, **said, "sentence": sentence, "spark": sparks.get(r.claim.id)})
        out.append({"key": verdict, "css": VERDICT_CLASS.get(verdict, "nodata"), "count": len(rs),
                    "title": t["groups"].get(verdict, verdict), "claims": claims,
                    # the summary's chip: the short name, no comma inside ("2 ændret ved revision")
                    "chip": TERMINAL_WORDS[lang]["verdicts"].get(verdict, verdict),
                    # no data: what a reader cannot check here; last and folded
                    "folded": verdict == NO_DATA})
    return out


def _source_view(ind: str, prov, lang: str, used: set, sources: set) -> dict:
    """One dataset's entry under Sources: only the publications whose numbers the page shows."""
    t = TEXT[lang]
    cited = sorted(set(prov.citations) & sources) or sorted(prov.citations)
    citations = []
    for sid in cited:
        url = prov.citations[sid].get("url")
        citations.append({"id": sid, "text": citation_text(prov, sid, lang),
                          "url": url if isinstance(url, str) and url else None})
    vintages = [f"{vintage_text(prov, v, lang) or v} ({date_text(prov.vintages.get(v, {}).get('published'), lang) or t['no_date']})"
                for v in sorted(used, key=lambda v: (str(prov.vintages.get(v, {}).get("published") or ""), v))]
    snap = prov.extra.get("live")
    live = snap and {"publication": snap["publication"], "retrieved": snap["retrieved"],
                     "checksums": [f"{k} sha256 {v}" for k, v in sorted(snap["raw_sha256"].items())]}
    return {"id": ind, "title": _t(prov.title, lang), "source_line": prov.source_line(lang),
            "producer": dataset_text(prov, "producer", lang), "citations": citations, "vintages": vintages,
            "live": live, "url": prov.url, "licence": dataset_text(prov, "licence", lang)}


#: verdict -> the article's CSS class (each verdict its own colour)
VERDICT_CLASS = {HOLDS: "holds", FAILS: "fails", NOT_COMPARABLE: "nc", UNDECIDED: "undecided", REVISED: "revised",
                 NO_DATA: "nodata", AGREE: "agree", DISAGREE: "disagree"}


def claim_view(r, lang: str, prov=None, provs: dict | None = None) -> dict:
    """A claim's result in words for the page's claim template (templates/_claim.html.j2);
    ``provs``: every indicator's provenance, for a formula's inputs from several."""
    lab = LABELS[lang]
    c = r.claim
    headline = REVISED_REASON[lang] if r.verdict == REVISED else lab["differs"] if r.differs else ""
    d = r.deciding if r.verdict != NOT_COMPARABLE else None
    views = []
    for key, v in r.views():
        label = view_label(r, key, lang)
        if v.status == NO_DATA:
            views.append({"label": label, "no_data": True, "status": lab[NO_DATA], "reason": v.reason_in(lang)})
            continue
        inputs = [{"stated": stated_line(i, lang)} if "stated" in i else
                  {"stated": "", "member": member_text(i, lang, prov, c.rank_by),
                   "period": (i.get("period_text") or {}).get(lang) or i["period"],
                   "value": describe_value(i, lang),
                   "origin": origin_text(i, lang, (provs or {}).get(i.get("indicator")) or prov),
                   # a figure as published needs no word ("published 2017; published" said it twice)
                   "status": "" if i["status"] == "published" else status_name(i["status"], lang)}
                  for i in v.inputs]
        views.append({"label": label, "no_data": False, "measure_name": measure_name(c, lang),
                      "measure": plain_measure(describe_measure(c, v.measure, lang)),
                      "status": lab[v.status], "reason": v.reason_in(lang) if v.reason else "", "inputs": inputs})
    if len(views) == 2 and not any(v["no_data"] for v in views) and \
            {k: v for k, v in views[0].items() if k != "label"} == {k: v for k, v in views[1].items() if k != "label"}:
        # both views say the same: one block, not the same numbers twice
        views = [{**views[0], "label": TEXT[lang]["both_views"].format(as_of=date_text(str(r.as_of_date), lang))}]
    return {
        "id": c.id, "css": VERDICT_CLASS[r.verdict], "verdict": r.verdict_text(lang), "quote": c.quote,
        "page": str(c.page), "note": str(c.note) if c.note else "",
        "consistency": lab["consistency"] if r.kind == "consistency" else "",
        "not_comparable": c.text("not_comparable", lang) if r.verdict == NOT_COMPARABLE else "",
        "no_data": no_data_text(c, lang) if c.no_data else "",
        "reads": c.reads.explain(lang) if c.reads else "",
        # "Margin 52 steps of 1 (…)" / "Fragile: …": the text names itself
        "margin": (lambda m: m[:1].upper() + m[1:])(margin_text(d, lang)) if d is not None else "",
        "neighbours": neighbours_text(c, d, lang) if d is not None and d.neighbours else "",
        "revised_numbers": lab["revised_numbers"] if r.revised_numbers else "",
        "check": f"{measure_name(c, lang)} {check_words(describe_checks(c, lang), lang)}" if c.checks else "",
        "comment": c.text("comment", lang) if c.comment else "",
        "caveat": c.text("caveat", lang) if c.caveat else "",
        "headline": headline, "views": views,
    }
