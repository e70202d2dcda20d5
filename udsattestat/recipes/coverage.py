"""How much of its report a recipe checks: the report's numerical statements (``claims
scan``) against the recipe's claims and ``[[skip]]`` entries, for claims.json, claims.md,
the page and the terminal. Computed once per build, from ``[report] text``."""

from __future__ import annotations

WORDS = {
    "en": {"head": "Coverage of the report", "line": "{covered} of {n} numerical statements in the report are "
                                                     "checked ({checked}) or set apart with a reason ({skipped})",
           "drafted": "{n} drafted, not checked until reviewed", "left": "left unchecked, with no reason given",
           "skipped": "set apart, and why", "p": "p.", "none_left": "none left"},
    "da": {"head": "Rapportens taludsagn", "line": "{covered} af rapportens {n} taludsagn kontrolleres ({checked}) "
                                                   "eller er sat til side med en begrundelse ({skipped})",
           "drafted": "{n} udkast, kontrolleres først efter gennemsyn", "left": "ikke kontrolleret og uden begrundelse",
           "skipped": "sat til side, og hvorfor", "p": "s.", "none_left": "ingen mangler"},
}


def report_coverage(recipe) -> dict | None:
    """The coverage of ``recipe``'s report, or None when the recipe names no report text."""
    if not recipe.report.text:
        return None
    # the scanner reads every dataset's keywords; a recipe without a text never pays for it
    from ..scan import scan_report
    from ..scan.coverage import coverage

    path = recipe.path.parent / recipe.report.text
    scan = scan_report(path, recipe.report.language)
    cov = coverage(scan.statements, recipe)
    st = scan.statements

    def entry(i: int) -> dict:
        return {"page": st[i].page, "sentence": st[i].sentence}

    return {
        "report_text": recipe.report.text, "page_source": scan.page_source, "statements": len(st),
        "checked": len(cov.checked), "skipped": len(cov.skipped), "drafted": len(cov.drafted), "left": len(cov.left),
        "left_statements": [entry(i) for i in cov.left],
        "skipped_statements": [{**entry(i), "reason": reason} for i, reason in sorted(cov.skipped.items())],
        "unmatched_claims": cov.unmatched_claims,
    }


def coverage_line(cov: dict, lang: str) -> str:
    w = WORDS[lang]
    text = w["line"].format(covered=cov["checked"] + cov["skipped"], n=cov["statements"], checked=cov["checked"],
                            skipped=cov["skipped"])
    if cov["drafted"]:
        text += "; " + w["drafted"].format(n=cov["drafted"])
    return text + (f"; {cov['left']} {w['left']}" if cov["left"] else "") + "."


def coverage_markdown(cov: dict | None, lang: str) -> str:
    """claims.md's section on the coverage (empty without a report text)."""
    if not cov:
        return ""
    w = WORDS[lang]
    out = ["", f"## {w['head']}", "", coverage_line(cov, lang), ""]
    if cov["left_statements"]:
        out += [f"### {w['left'].capitalize()}", ""]
        out += [f"- {w['p']} {s['page'] or '?'}: “{_md(s['sentence'])}”" for s in cov["left_statements"]] + [""]
    if cov["skipped_statements"]:
        out += [f"### {w['skipped'].capitalize()}", ""]
        out += [f"- {w['p']} {s['page'] or '?'}: “{_md(s['sentence'])}” — {_md(s['reason'].get(lang, ''))}"
                for s in cov["skipped_statements"]] + [""]
    return "\n".join(out)


def _md(text: str) -> str:
    """Report text in Markdown as text: no tag, link or emphasis of its own."""
    from ..cells import markdown_text

    return markdown_text(text)
