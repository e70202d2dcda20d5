"""index.html: one static page with the figures, tables, claim verdicts and sources.

No external resource of any kind (fonts, scripts, styles, images from elsewhere): the
page works offline, from a file:// URL, and when printed. Links to publications are plain
links. Nothing depends on the clock, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from urllib.parse import urlsplit

from ..presentation import PAGE_WORDS as TEXT
from ..presentation import dataset_text, vintage_text
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
    FAILS,
    HOLDS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    REVISED_REASON,
    UNDECIDED,
    describe_checks,
    describe_measure,
)

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--ok:#1b6e3a;--bad:#a4161a;--nc:#6b4e00;--rev:#1f4e99;--und:#7a3e8e;--nd:#5c5c5c}
*{box-sizing:border-box}
body{margin:0;overflow-wrap:anywhere;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
.meta,.small{color:var(--muted);font-size:.9rem}
figure{margin:1rem 0 2rem;break-inside:avoid;page-break-inside:avoid}
figure img{display:block;width:100%;height:auto;border:1px solid var(--line)}
figcaption{font-size:.9rem;color:var(--muted)}
/* A table wider than the screen scrolls in its box; a shadow at the edge that has more
   (CSS only: the covers move with the content, the shadows stay) says so. */
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:
 linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left center/2.5rem 100% no-repeat local,
 linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right center/2.5rem 100% no-repeat local,
 radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.3),rgba(0,0,0,0)) left center/1rem 100% no-repeat scroll,
 radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.3),rgba(0,0,0,0)) right center/1rem 100% no-repeat scroll}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll td[style*="text-align:right"],.scroll th[style*="text-align:right"]{white-space:nowrap}
.scroll td,.scroll th{overflow-wrap:normal}
.claim{border-left:6px solid var(--line);padding:.3rem .8rem;margin:1rem 0;break-inside:avoid;page-break-inside:avoid}
.claim.holds{border-color:var(--ok)}.claim.fails{border-color:var(--bad)}.claim.nc{border-color:var(--nc)}
.claim.revised{border-color:var(--rev)}.claim.undecided{border-color:var(--und)}.claim.nodata{border-color:var(--nd);border-left-style:dashed}
.badge{display:inline-block;font-weight:700;padding:0 .4rem;border-radius:.2rem;color:#fff;background:var(--muted)}
.holds .badge{background:var(--ok)}.fails .badge{background:var(--bad)}.nc .badge{background:var(--nc)}
.revised .badge{background:var(--rev)}.undecided .badge{background:var(--und)}.nodata .badge{background:var(--nd)}
blockquote{margin:.3rem 0;font-style:italic}
ul{padding-left:1.2rem}
a{color:#0b4f8a}
@media (max-width:40rem){body{font-size:15px}main{padding:.6rem}h1{font-size:1.35rem}
 table{font-size:.82rem}th,td{padding:.2rem .3rem}}
@media print{
 body{font-size:10.5pt}main{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
 .noprint{display:none}
 h2{break-after:avoid;page-break-after:avoid}
 .badge{border:1px solid #000;color:#000;background:none !important}
 .scroll{overflow:visible;background:none}
}
"""


def _file_kind(name: str, lang: str) -> str:
    """What a download link says: its format, the spreadsheet CSV named as such."""
    if name.endswith("-excel.csv"):
        return "csv (Excel)"
    return name.rsplit(".", 1)[1]


def _link(url: str, text: str | None = None) -> str:
    """A link only for an http(s) URL; anything else (``javascript:``, ``data:``, a path) is
    shown as text. ``text`` is already-escaped HTML; the URL is escaped here."""
    label = text if text is not None else escape(url)
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return label
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return f'<a href="{escape(url.strip())}">{label}</a>'
    return label


def _csp(html_text: str) -> str:
    """The page's Content-Security-Policy: nothing but its own images, its one style sheet
    and the style attributes it actually has (each by hash). No scripts, fonts, frames,
    forms, connections or plugins; links still work (navigation is not a fetch)."""
    styles = re.findall(r"<style>(.*?)</style>", html_text, flags=re.S)
    attrs = sorted(set(re.findall(r'\sstyle="([^"]*)"', html_text)))

    def h(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    style_src = " ".join([*(h(x) for x in styles), *(["'unsafe-hashes'"] if attrs else []), *(h(x) for x in attrs)])
    return (f"default-src 'none'; img-src 'self'; style-src {style_src or chr(39) + 'none' + chr(39)}; "
            "base-uri 'none'; form-action 'none'")


def _t(d: dict, lang: str) -> str:
    return d.get(lang) or d.get("da") or d.get("en") or ""


def _table_fragment(html_text: str) -> str:
    # The table renderer may return a whole document; the page wants only the table.
    m = re.search(r"<table\b.*</table>", html_text, flags=re.S | re.I)
    if not m:
        return f"<pre>{escape(html_text)}</pre>"
    # The heading above the table names it already; a caption would say it twice.
    return re.sub(r"\s*<caption>.*?</caption>", "", m.group(0), count=1, flags=re.S)


def page(recipe, *, lang: str, figures: list[dict], tables: list[dict], results, provs: dict,
         vintages_used: dict[str, set], sources_used: dict[str, set]) -> str:
    t = TEXT[lang]
    rep = recipe.report
    title = _t(rep.title, lang)
    h: list[str] = [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
    ]
    if rep.subtitle:
        h.append(f"<p>{escape(_t(rep.subtitle, lang))}</p>")
    meta = []
    if rep.publisher:
        meta.append(f"{t['by']} {escape(rep.publisher)}")
    meta.append(f"{t['published']} {escape(rep.date)}")
    if rep.isbn:
        meta.append(f"{t['isbn']} {escape(rep.isbn)}")
    if rep.url:
        meta.append(_link(rep.url))
    h.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if rep.description:
        h.append(f"<p>{escape(_t(rep.description, lang))}</p>")
    if results:
        summary = count_text(results, lang)
        h.append(f'<p><strong>{t["claims"]}:</strong> {escape(summary)} '
                 f'<a class="noprint" href="#claims">{t["skip"]}</a></p>')
    h.append("</header>")

    if figures:
        h.append(f'<section id="figures"><h2>{t["figures"]}</h2>')
        for f in figures:
            cap = escape(f["title"] or f["name"])
            h.append(f'<figure id="fig-{escape(f["name"])}">')
            size = f' width="{f["width"]}" height="{f["height"]}"' if f.get("width") else ""
            # Narrow screens get the chart drawn for a phone's width: its text stays >= 10 px.
            h.append("<picture>")
            if f.get("phone_svg"):
                psize = f' width="{f["phone_width"]}" height="{f["phone_height"]}"' if f.get("phone_width") else ""
                h.append(f'<source media="screen and (max-width: 40rem)" srcset="{escape(f["phone_svg"])}"{psize}>')
            h.append(f'<img src="{escape(f["svg"])}" alt="{cap}"{size}>')
            h.append("</picture>")
            links = " · ".join(
                f'<a href="{escape(x)}">{escape(t["data"] if x.endswith(".csv") else x.rsplit(".", 1)[1].upper())}</a>'
                for x in f["files"])
            h.append(f'<figcaption>{cap}. <span class="noprint">{t["download"]}: {links}</span></figcaption>')
            h.append("</figure>")
        h.append("</section>")

    if tables:
        h.append(f'<section id="tables"><h2>{t["tables"]}</h2>')
        for tab in tables:
            h.append(f'<h3 id="tab-{escape(tab["name"])}">{escape(tab["title"] or tab["name"])}</h3>')
            h.append(f'<div class="scroll">{_table_fragment(tab["html"])}</div>')
            links = " · ".join(f'<a href="{escape(x)}">{escape(_file_kind(x, lang))}</a>' for x in tab["files"])
            h.append(f'<p class="small noprint">{t["download"]}: {links}</p>')
        h.append("</section>")

    if results:
        h.append(f'<section id="claims"><h2>{t["claims"]}</h2>')
        h.append(f'<p class="small noprint">{t["download"]}: <a href="claims.md">claims.md</a> · '
                 f'<a href="claims.json">claims.json</a></p>')
        for r in results:
            h += _claim(r, lang, provs.get(r.claim.indicator))
        h.append("</section>")

    h.append(f'<section id="sources"><h2>{t["sources"]}</h2>')
    for ind in sorted(provs):
        # the dataset id is the section's anchor (#src-poverty), not text a reader reads
        prov = provs[ind]
        h.append(f'<h3 id="src-{escape(ind)}">{escape(_t(prov.title, lang))}</h3>')
        h.append(f"<p>{escape(prov.source_line(lang))}. {escape(dataset_text(prov, 'producer', lang))}.</p>")
        h.append("<ul>")
        used = vintages_used.get(ind, set())
        # Only the publications whose numbers appear on this page.
        cited = sorted(set(prov.citations) & sources_used.get(ind, set()))
        for sid in cited or sorted(prov.citations):
            c = prov.citations[sid]
            text = escape(prov.citation_text(sid, lang))
            url = c.get("url")
            text = _link(url, text) if isinstance(url, str) and url else text
            h.append(f'<li id="src-{escape(ind)}-{escape(sid)}">{text}</li>')
        h.append("</ul>")
        if used:
            # each release in words with its date; its id stays in claims.json and manifest.json
            vs = "; ".join(
                f"{escape(vintage_text(prov, v, lang) or v)} ({escape(prov.vintages.get(v, {}).get('published') or t['no_date'])})"
                for v in sorted(used, key=lambda v: (str(prov.vintages.get(v, {}).get("published") or ""), v)))
            h.append(f'<p class="small">{t["vintages"]}: {vs}</p>')
        snap = prov.extra.get("live")
        if snap:
            # bundled vintages + a live table: name the live snapshot and its checksum
            shas = ", ".join(f"{escape(k)} sha256 {escape(v)}" for k, v in sorted(snap["raw_sha256"].items()))
            h.append(f'<p class="small">{t["live"]}: {escape(snap["publication"])}, {t["retrieved"]} '
                     f'{escape(snap["retrieved"])}; {t["live_kept"]}. {shas}</p>')
        if prov.url:
            h.append(f'<p class="small">{_link(prov.url)}</p>')
        h.append(f'<p class="small">{t["licence"]}: {escape(dataset_text(prov, "licence", lang))}</p>')
    h.append("</section>")

    from .._version import __version__

    h.append(f'<footer><p class="small">{t["built"]} {escape(__version__)} · '
             f'<a href="manifest.json">{t["manifest"]}</a></p></footer>')
    h += ["</main>", "</body>", "</html>"]
    text = "\n".join(h) + "\n"
    # The policy is computed from the finished page, so it allows exactly what the page uses.
    policy = f'<meta http-equiv="Content-Security-Policy" content="{escape(_csp(text))}">'
    return text.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + policy, 1)


def _claim(r, lang: str, prov=None) -> list[str]:
    lab, t = LABELS[lang], TEXT[lang]
    c = r.claim
    # each verdict its own colour, and its name in words on the badge (colour is never the only cue)
    cls = {HOLDS: "holds", FAILS: "fails", NOT_COMPARABLE: "nc", UNDECIDED: "undecided", REVISED: "revised",
           NO_DATA: "nodata"}[r.verdict]
    note = f", {lab['note']} {escape(str(c.note))}" if c.note else ""
    # the claim's id is the article's anchor (#claim-…, as in claims.json), not text to read
    out = [f'<article class="claim {cls}" id="claim-{escape(c.id)}">',
           f'<p><span class="badge">{escape(lab[r.verdict])}</span></p>',
           f"<blockquote>“{escape(c.quote)}” ({lab['page']} {escape(str(c.page))}{note})</blockquote>"]
    if r.verdict == NOT_COMPARABLE:
        out.append(f"<p>{lab['reason']}: {escape(c.text('not_comparable', lang))}</p>")
    if c.no_data:
        out.append(f"<p>{lab['no_source']}: {escape(c.text('no_data', lang))}</p>")
    if c.checks:
        out.append(f"<p class=\"small\">{lab['check']}: {escape(measure_name(c, lang))} "
                   f"{escape(describe_checks(c, lang))}</p>")
    if c.comment:
        out.append(f"<p class=\"small\">{lab['comment']}: {escape(c.text('comment', lang))}</p>")
    if c.caveat:
        out.append(f"<p class=\"small\">{lab['caveat']}: {escape(c.text('caveat', lang))}</p>")
    if r.verdict == REVISED:
        out.append(f"<p><strong>{escape(REVISED_REASON[lang])}.</strong></p>")
    elif r.differs:
        out.append(f"<p><strong>{lab['differs']}.</strong></p>")
    if not r.views():
        out.append("</article>")
        return out
    out.append("<ul>")
    for key, v in r.views():
        label = view_label(r, key, lang)
        if v.status == NO_DATA:
            out.append(f"<li>{escape(label)}: <em>{lab[NO_DATA]}</em> – {escape(v.reason_in(lang))}</li>")
            continue
        why = f" ({escape(v.reason_in(lang))})" if v.reason else ""
        nums = "; ".join(
            escape(stated_line(i, lang)) if "stated" in i else
            f"{escape(member_text(i, lang, prov, c.rank_by))}{escape(i['period'])}: {escape(describe_value(i, lang))} "
            f"<span class=\"small\">({escape(origin_text(i, lang, prov))}; {escape(status_name(i['status'], lang))})</span>"
            for i in v.inputs
        )
        out.append(f"<li>{escape(label)}: {escape(measure_name(c, lang))} = "
                   f"<strong>{escape(describe_measure(c, v.measure, lang))}</strong>"
                   f" → {escape(lab[v.status])}{why}<br><span class=\"small\">{t['inputs']}:</span> {nums}</li>")
    out += ["</ul>", "</article>"]
    return out
