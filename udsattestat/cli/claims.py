"""``claims scan``: every numerical statement of a report, and how much of it a recipe checks."""

from __future__ import annotations

import click

from ..jsondocs import dumps
from .options import json_option, lang_option

#: The JSON this command prints (docs/cli.md): bump the version when a key changes meaning.

WORDS = {
    "en": {
        "found": "{path}: {n} numerical statements; {apart} numbers set apart{reasons}; pages {source}.",
        "pages": {"toc": "from the table of contents (a chapter's page range)", "markers": "from page markers",
                  "pdf": "from the PDF", "none": "unknown"},
        "coverage": "Coverage by {recipe}: {checked} of {n} numerical statements checked, {skipped} set apart "
                    "with a reason, {drafted} drafted (not checked until reviewed); {left} left{colon}",
        "left_none": "Every numerical statement is checked or set apart with a reason.",
        "unmatched": "Claims of the recipe that quote no numerical statement of this report: {ids}.",
        "p": "p.", "no_indicator": "no indicator guessed",
        "apart_head": "Numbers set apart:", "drafts": "Wrote {n} draft claim(s) to {path}; each is marked "
                                                      "draft = true until a person has checked it.",
        "why": "why",
    },
    "da": {
        "found": "{path}: {n} taludsagn; {apart} tal er sat til side{reasons}; sider {source}.",
        "pages": {"toc": "fra indholdsfortegnelsen (et kapitels sider)", "markers": "fra sidemarkeringer",
                  "pdf": "fra PDF'en", "none": "ukendte"},
        "coverage": "Dækning i {recipe}: {checked} af {n} taludsagn kontrolleres, {skipped} er sat til side "
                    "med en begrundelse, {drafted} er udkast (kontrolleres først efter gennemsyn); {left} mangler{colon}",
        "left_none": "Alle taludsagn kontrolleres eller er sat til side med en begrundelse.",
        "unmatched": "Påstande i opskriften, der ikke citerer et taludsagn i rapporten: {ids}.",
        "p": "s.", "no_indicator": "ingen indikator gættet",
        "apart_head": "Tal sat til side:", "drafts": "Skrev {n} udkast til påstande i {path}; hvert er markeret "
                                                     "draft = true, til en person har kontrolleret det.",
        "why": "hvorfor",
    },
}


@click.group("claims")
def claims_group():
    """Find every number in a report: what a recipe checks, and drafts for the rest.

    Example:


    \b
        udsattestat claims scan report.txt --recipe recipes/forandringskraft-2021.toml
    """


@claims_group.command("scan")
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("--recipe", "recipe_path", type=click.Path(dir_okay=False), default=None,
              help="Mark the statements this recipe's claims and [[skip]] entries cover, and print the coverage.")
@click.option("--draft", "draft_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write TOML claim stubs (draft = true) for the statements left to FILE ('-' for standard output).")
@click.option("--verbose", "-v", is_flag=True, help="Also list every number set apart, with its reason.")
@lang_option
@json_option("the statements, the numbers set apart and the coverage")
def scan_cmd(report, recipe_path, draft_path, verbose, lang, as_json):
    """List every numerical statement of a REPORT (.txt, .md; .pdf with the 'pdf' extra):
    page, sentence, and each number's qualifier, unit, shape and likely indicator.

    Numbers that are not claims (years, pages, notes, ISBNs, list numbers, ages) are set
    apart, each with its reason. With --recipe, the statements the recipe checks are marked
    and the coverage is printed; --draft writes claim stubs for what is left. Exit 0, or 2
    for a report or recipe that cannot be read.

    Example:


    \b
        udsattestat claims scan forandringskraft.txt --recipe recipes/forandringskraft-2021.toml
        udsattestat claims scan report.md --draft drafts.toml
    """
    from collections import Counter
    from pathlib import Path

    from ..atomic import is_stdout, write_output
    from ..scan import scan_report
    from ..scan.coverage import coverage
    from ..scan.drafts import DRAFTS_MARK, drafts
    from ..scan.statements import REASONS, SHORT

    w = WORDS[lang]
    if draft_path is not None and not is_stdout(draft_path):
        _only_drafts_are_replaced(Path(draft_path), DRAFTS_MARK)
    scan = scan_report(report, lang)
    recipe = cov = None
    if recipe_path is not None:
        from ..recipes.reader import load_recipe

        recipe = load_recipe(recipe_path)
        cov = coverage(scan.statements, recipe)
    left = cov.left if cov is not None else list(range(len(scan.statements)))

    if draft_path is not None:
        taken = {c.id for c in recipe.claims} if recipe is not None else set()
        text = drafts([scan.statements[i] for i in left], recipe_path, Path(report).name, taken)
        write_output(draft_path, text)
        if is_stdout(draft_path):
            return

    reasons = Counter(a.reason for a in scan.set_apart)
    if as_json:
        doc = {
            "report": report, "page_source": scan.page_source,
            "statements": [
                {**s.as_dict(), "checked_by": cov.checked.get(i, []) if cov else [],
                 "drafted_by": cov.drafted.get(i, []) if cov else [],
                 "skip_reason": cov.skipped.get(i) if cov else None}
                for i, s in enumerate(scan.statements)],
            "set_apart": [a.as_dict() for a in scan.set_apart],
            "coverage": None if cov is None else {
                "recipe": recipe_path, "statements": len(scan.statements), "checked": len(cov.checked),
                "skipped": len(cov.skipped), "drafted": len(cov.drafted), "left": len(cov.left),
                "unmatched_claims": cov.unmatched_claims},
        }
        click.echo(dumps("claims-scan", doc), nl=False)
        return

    import textwrap

    width = 100  # fixed, so the output is the same in a terminal, a CI log and the docs
    summary = ", ".join(f"{SHORT[lang][r]} {n}" for r, n in reasons.most_common())
    summary = f" ({summary})" if summary else ""  # an empty report: no empty brackets
    click.echo(textwrap.fill(w["found"].format(path=report, n=len(scan.statements), apart=len(scan.set_apart),
                                               reasons=summary, source=w["pages"][scan.page_source]), width=width))
    click.echo("")
    for i, s in enumerate(scan.statements):
        mark = ""
        if cov is not None:
            mark = "✓ " if i in cov.checked else "– " if i in cov.skipped else "… " if i in cov.drafted else "? "
        head = f"{mark}{w['p']} {s.page or '?'}"
        click.echo(textwrap.fill(f"“{s.sentence}”", width=width, initial_indent=f"{head:<12}",
                                 subsequent_indent=" " * 12))
        numbers = " · ".join(f"{(q.qualifier + ' ') if q.qualifier else ''}{q.text} {q.unit}".strip()
                             + f" ({q.shape})" for q in s.quantities)
        ind = s.indicator or w["no_indicator"]
        click.echo(textwrap.fill(f"{numbers} → {ind}", width=width, initial_indent=" " * 12,
                                 subsequent_indent=" " * 12))
        if cov is not None and i in cov.checked:
            click.echo(" " * 12 + ", ".join(cov.checked[i]))
        elif cov is not None and i in cov.skipped:
            click.echo(" " * 12 + f"{w['why']}: {cov.skipped[i].get(lang) or cov.skipped[i].get('en')}")
    if verbose:
        click.echo("")
        click.echo(w["apart_head"])
        for a in scan.set_apart:
            click.echo(f"  {w['p']} {a.page or '?':<8} {a.text:<14} {REASONS[a.reason][lang]}")
    if cov is not None:
        click.echo("")
        click.echo(textwrap.fill(w["coverage"].format(
            recipe=recipe_path, checked=len(cov.checked), n=len(scan.statements), skipped=len(cov.skipped),
            left=len(cov.left), drafted=len(cov.drafted), colon=":" if cov.left else "."), width=width))
        for i in cov.left:
            s = scan.statements[i]
            click.echo("  " + textwrap.shorten(f"{w['p']} {s.page or '?'}: “{s.sentence}”", width=width - 2,
                                               placeholder=" …”"))
        if not cov.left and not cov.drafted:
            click.echo(w["left_none"])
        if cov.unmatched_claims:
            click.echo(textwrap.fill(w["unmatched"].format(ids=", ".join(cov.unmatched_claims)), width=width))
    if draft_path is not None:
        click.echo(w["drafts"].format(n=len(left), path=draft_path))


def _only_drafts_are_replaced(path, mark: str) -> None:
    """--draft rewrites a file of earlier drafts, never another file: a recipe given there by
    mistake (the one --recipe names, say) was replaced by the drafts' header."""
    from ..errors import OutputError

    if not path.exists():
        return
    with path.open("rb") as f:
        if f.read(len(mark.encode())) != mark.encode():
            raise OutputError(f"{path} exists and is not a file of drafts (a recipe?); "
                              "give --draft a new file, or move that one away first")
